"""config/ is wiring only: outside the URL and settings modules it imports no app code,
except the registries apps fill for it (the admin index's counts)."""

import ast
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "config"
APPS = {"credentials", "wallet", "sharing"}
WIRING = {"urls.py", "api_urls.py", "settings.py"}
REGISTRIES = {"credentials.glance"}


def _app_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [
            name
            for name in names
            if name.split(".")[0] in APPS
            and not any(name == r or name.startswith(f"{r}.") for r in REGISTRIES)
        ]
    return found


def _model_lookups(path: Path) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Attribute) and node.attr == "get_model"
    ]


def test_config_imports_no_app_outside_url_wiring_and_settings():
    modules = [path for path in CONFIG.rglob("*.py") if path.name not in WIRING]
    assert modules
    leaks = {str(path.relative_to(CONFIG)): _app_imports(path) for path in modules}
    assert {name: found for name, found in leaks.items() if found} == {}


def test_config_looks_up_no_app_model_by_name():
    leaks = {str(path.relative_to(CONFIG)): _model_lookups(path) for path in CONFIG.rglob("*.py")}
    assert {name: lines for name, lines in leaks.items() if lines} == {}
