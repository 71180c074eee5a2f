"""The stand-in platform and an issuer for the host API's tests."""

import pytest
from django.test import Client

from tests.credentials.support.issuer import SigningIssuer, did_key_issuer
from tests.hostapi.platform import StandInPlatform


@pytest.fixture
def issuer() -> SigningIssuer:
    return did_key_issuer()


@pytest.fixture
def platform(db, local_server) -> StandInPlatform:
    return StandInPlatform(http=Client(), site=local_server)


@pytest.fixture
def connected(platform, learner_client) -> StandInPlatform:
    platform.connect(learner_client)
    return platform
