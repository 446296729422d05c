from __future__ import annotations

import pytest

from shared.clock import FixedClock
from tests.unit.credit.builders import TODAY, china_noon, context


@pytest.fixture()
def clock() -> FixedClock:
    return FixedClock(china_noon(TODAY))


@pytest.fixture()
def ctx(clock):
    return context(clock)
