"""Issue 17, the way it was found: two image-bomb presentations imported at once through
the API of the served site (2 gunicorn workers, production settings, no Redis, so the
import runs in the request) finish in seconds, and /healthz answers meanwhile.

Each presentation is the one found: 200 unsigned OB 3.0 credentials, each with a 5 KB
1-bit 6300 x 6300 PNG `data:` image (about 1.4 MB). Before the fix one took ~85 s of CPU
and two at once kept /healthz waiting 82 s.
"""

import json
import threading
import time

import requests

from credentials.models import Credential
from tests.conftest import make_learner
from tests.credentials.support import fixtures
from tests.credentials.test_images import bomb_png, data_uri, with_image
from tests.hardening.served import served  # noqa: F401 -- the fixture
from wallet.models import ApiTokenScope
from wallet.tokens import create_api_token

MEMBERS = 200
# Both imports together, from the first byte sent to the last answer.
IMPORTS_SECONDS = 15.0
# The longest /healthz may wait while both workers import (sync workers: it waits for one).
HEALTHZ_SECONDS = 6.0


def bomb_presentation(prefix: str) -> bytes:
    bomb = data_uri(bomb_png(6300))
    members = [
        with_image(
            fixtures.achievement_credential(
                "https://issuer.example", credential_id=f"urn:uuid:{prefix}-{index}"
            ),
            bomb,
        )
        for index in range(MEMBERS)
    ]
    return json.dumps(fixtures.presentation(members)).encode()


def test_two_image_bomb_imports_at_once_finish_in_seconds_and_healthz_answers(served):  # noqa: F811
    learners = [make_learner(f"bomb-{n}@example.org") for n in range(2)]
    tokens = [
        create_api_token(owner=learner, name="bombs", scope=ApiTokenScope.READ_WRITE).token
        for learner in learners
    ]
    bodies = [bomb_presentation(f"bomb-{n}") for n in range(2)]
    assert 1_000_000 < len(bodies[0]) < 2_000_000

    results: dict[int, tuple[int, dict, float]] = {}

    def import_bombs(n: int) -> None:
        started = time.monotonic()
        response = requests.post(
            f"{served.url}/api/v1/credentials/import/file/",
            files={"file": ("bombs.json", bodies[n], "application/json")},
            headers={"Authorization": f"Bearer {tokens[n]}"},
            timeout=120,
        )
        results[n] = (response.status_code, response.json(), time.monotonic() - started)

    waits: list[float] = []
    failures: list[str] = []
    done = threading.Event()

    def poll_healthz() -> None:
        while not done.is_set():
            started = time.monotonic()
            try:
                status = requests.get(f"{served.url}/healthz", timeout=60).status_code
            except requests.RequestException as error:
                status = repr(error)
            waits.append(time.monotonic() - started)
            if status != 200:
                failures.append(str(status))
            time.sleep(0.2)

    poller = threading.Thread(target=poll_healthz)
    importers = [threading.Thread(target=import_bombs, args=(n,)) for n in range(2)]
    started = time.monotonic()
    poller.start()
    for importer in importers:
        importer.start()
    for importer in importers:
        importer.join(timeout=120)
    elapsed = time.monotonic() - started
    done.set()
    poller.join(timeout=70)

    print(
        f"imports: {[round(results[n][2], 2) for n in sorted(results)]} s, both {elapsed:.2f} s; "
        f"healthz: {len(waits)} answers, longest {max(waits):.2f} s"
    )
    assert sorted(results) == [0, 1], served.tail()
    for status, body, _seconds in results.values():
        assert status == 201, body
        assert len(body["created"]) == MEMBERS
    assert elapsed < IMPORTS_SECONDS
    assert failures == []
    # At least one poll answered while the imports ran (when they are this fast, one is all
    # there is time for), and none waited long.
    assert waits
    assert max(waits) < HEALTHZ_SECONDS
    for learner in learners:
        stored = Credential.objects.owned_by(learner)
        assert stored.count() == MEMBERS
        assert not any(credential.image for credential in stored)
