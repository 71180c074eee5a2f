"""Stand-in issuers for the receive tests, stopped after each test."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.receive.issuers import Oid4vciIssuer, VcApiExchange, started


@pytest.fixture
def make_issuer(settings) -> Iterator[Any]:
    """Start an OID4VCI stand-in with the options given."""
    running: list[Oid4vciIssuer] = []

    def make(**options: Any) -> Oid4vciIssuer:
        issuer = started(Oid4vciIssuer(**options), settings)
        running.append(issuer)
        return issuer

    yield make
    for issuer in running:
        issuer.stop()


@pytest.fixture
def make_exchange(settings) -> Iterator[Any]:
    """Start a VC-API stand-in with the options given."""
    running: list[VcApiExchange] = []

    def make(**options: Any) -> VcApiExchange:
        exchange = started(VcApiExchange(**options), settings)
        running.append(exchange)
        return exchange

    yield make
    for exchange in running:
        exchange.stop()
