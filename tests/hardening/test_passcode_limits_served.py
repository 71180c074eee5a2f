"""Issue 17, the way it was found: the passcode limit per client holds across the two
gunicorn workers of a site without Redis (the database cache) behind one proxy
(TRUSTED_PROXY_COUNT=1), a forged leftmost X-Forwarded-For does not escape it, and
another client still opens the link with the right passcode.

Which worker answers is made certain, not left to chance: one worker is held on an
unfinished request while the other answers (tests/hardening/served.py's Pinned), and
gunicorn's access log names the worker behind every answer.
"""

import re

import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password

from sharing.models import ShareLink
from sharing.services.access import PASSCODE_ATTEMPTS_PER_CLIENT
from tests.conftest import make_learner
from tests.hardening.served import Pinned, served  # noqa: F401 -- the fixture
from tests.sharing.conftest import PASSCODE, import_signed, make_link, public_path

# What the proxy appends: the address it saw. The client is the last entry.
GUESSER = "203.0.113.5"
READER = "198.51.100.7"


class QuickPBKDF2(PBKDF2PasswordHasher):
    """The served site's own hasher with fewer rounds (the hash names them): this test
    checks limits, not hashing, and the test settings' MD5 is unknown to production."""

    iterations = 1000


def attempt(base: str, path: str, passcode: str, forwarded_for: str) -> int:
    """One visit (a new connection each time, as sync workers close them): load the
    form, send the passcode. Returns the status of the passcode POST."""
    browser = requests.Session()
    headers = {"X-Forwarded-For": forwarded_for}
    page = browser.get(base + path, headers=headers, timeout=30)
    assert page.status_code == 200, page.text[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(
        base + path,
        data={"passcode": passcode, "csrfmiddlewaretoken": token},
        headers=headers,
        timeout=30,
        allow_redirects=False,
    )
    return answer.status_code


def test_passcode_limits_hold_across_workers_and_behind_a_proxy(served):  # noqa: F811
    learner = make_learner("ada@example.org")
    credential = import_signed(learner, name="Distributed systems")
    link = make_link(learner, [credential], passcode=PASSCODE)
    ShareLink.objects.filter(pk=link.pk).update(
        passcode_hash=make_password(PASSCODE, hasher=QuickPBKDF2())
    )
    path = public_path(link)
    marker = f"POST {path} "

    # Wrong passcodes from one client: the first answered by one worker while the other
    # is held, the rest by the other while the first is held. One count for the site.
    first = PASSCODE_ATTEMPTS_PER_CLIENT // 2
    held_a, held_b = Pinned(served.url), Pinned(served.url)
    held_a.hold()
    held_b.hold()  # both workers held
    held_a.release()  # the worker that held it is the only free one
    statuses = [attempt(served.url, path, "wrong-guess", GUESSER) for _ in range(first)]
    held_c = Pinned(served.url)
    held_c.hold()  # that worker is held now
    held_b.release()  # and the other one free
    statuses += [
        attempt(served.url, path, "wrong-guess", GUESSER)
        for _ in range(PASSCODE_ATTEMPTS_PER_CLIENT - first)
    ]
    held_c.release()
    assert statuses == [403] * PASSCODE_ATTEMPTS_PER_CLIENT
    by_worker = served.pids_for(marker)
    assert len(by_worker) == PASSCODE_ATTEMPTS_PER_CLIENT
    assert len(set(by_worker[:first])) == len(set(by_worker[first:])) == 1
    assert by_worker[0] != by_worker[-1], f"one worker answered every guess: {by_worker}"

    # Past the limit: 429 from whichever worker answers, the right passcode included,
    # and a forged leftmost X-Forwarded-For changes nothing (the proxy's entry counts).
    locked = [attempt(served.url, path, "wrong-guess", GUESSER) for _ in range(4)]
    locked.append(attempt(served.url, path, PASSCODE, GUESSER))
    locked += [
        attempt(served.url, path, "wrong-guess", f"192.0.2.{n}, {GUESSER}") for n in range(1, 5)
    ]
    locked.append(attempt(served.url, path, PASSCODE, f"192.0.2.99, {GUESSER}"))
    assert locked == [429] * len(locked)

    # Another client (the proxy saw another address), even one that forges the guesser's
    # address on the left, is not locked out and opens the link with the right passcode.
    assert attempt(served.url, path, "wrong-guess", f"{GUESSER}, {READER}") == 403
    reader = requests.Session()
    headers = {"X-Forwarded-For": READER}
    page = reader.get(served.url + path, headers=headers, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    opened = reader.post(
        served.url + path,
        data={"passcode": PASSCODE, "csrfmiddlewaretoken": token},
        headers=headers,
        timeout=30,
        allow_redirects=False,
    )
    assert opened.status_code == 302, opened.text[:500]
    assert "Distributed systems" in reader.get(served.url + path, timeout=30).text
    assert "Distributed systems" not in requests.get(served.url + path, timeout=30).text
