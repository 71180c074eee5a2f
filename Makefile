# The two commands README.md promises: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test install messages node lint format clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Compiled translations are built here, never committed.
messages: $(STAMP)
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# axe-core for the browser tests' accessibility checks, from the npm registry.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: browser tests will skip their accessibility checks"; fi

node: node_modules/.package-lock.json

# Read by config/settings.py when present, so that README's `manage.py` commands work on
# this machine without `DEBUG=true` in front; never created by CI, tests or deployments.
var/dev.env:
	mkdir -p var
	printf '# Written by `make run`: development settings for manage.py on this machine.\nDEBUG=true\n' > $@

run: install messages var/dev.env
	DEBUG=true $(PY) manage.py migrate --noinput -v0
	DEBUG=true $(PY) manage.py createcachetable
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: install messages node
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules var

# Benchmarks (issue 10): every figure a ratio to a baseline measured in the same run.
# Needs PostgreSQL (DATABASE_URL's server; the run uses its own `<name>_bench` database),
# node/npm for the reference JavaScript verifier (installed into bench/node/ by the run)
# and wrk for the share page load (from Debian, installed here when missing and root).
.PHONY: bench
bench: install messages
	@command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null 2>&1 \
		|| { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null 2>&1; } \
		|| echo "wrk could not be installed: the share page load figures will be skipped"
	$(PY) -m bench $(BENCH_ARGS)
