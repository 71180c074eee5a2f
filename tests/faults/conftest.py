import os

import pytest

from tests.faults.processes import PG_BIN


def pytest_collection_modifyitems(config, items):
    if PG_BIN is not None or os.environ.get("REQUIRE_WORKER"):
        return
    skip = pytest.mark.skip(reason="fault tests need PostgreSQL's server binaries")
    for item in items:
        if "faults" in str(item.fspath):
            item.add_marker(skip)
