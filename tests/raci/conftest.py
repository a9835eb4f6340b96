"""Shared fixtures of the RACI tests: the built-in scenarios, decoded once."""

from __future__ import annotations

import pytest

from models.raci.codec import decode_scenario
from models.raci.types import Scenario
from service.library import load_builtin


@pytest.fixture(scope="session")
def builtin() -> dict[str, Scenario]:
    return load_builtin("raci", decode_scenario)
