"""Fixtures of the service tests: an app on a thread pool with a captured access log."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.stores.base import Store
from litestar.testing import TestClient

from service.app import create_app
from service.catalogue import Catalogue
from service.settings import Settings

Factory = Callable[..., TestClient[Litestar]]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return Catalogue.load()


@pytest.fixture(scope="session")
def raci_id(catalogue: Catalogue) -> str:
    return min(catalogue.raci)


def settings_for(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "pool": "thread",
        "pool_workers": 2,
        "rate_limit": 0,
        "store": ":memory:",
    } | overrides
    return Settings(**values)


@pytest.fixture
def make_client(catalogue: Catalogue) -> Iterator[Factory]:
    """Clients on apps with the given settings; ``.log`` on the client holds the access log."""
    opened: list[TestClient[Litestar]] = []

    def make(
        log: io.StringIO | None = None, counters: Store | None = None, **overrides: Any
    ) -> TestClient[Litestar]:
        app = create_app(settings_for(**overrides), catalogue=catalogue, counters=counters, log=log)
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Factory) -> TestClient[Litestar]:
    return make_client()


def slow_discussion(stakeholders: int = 200, rounds: int = 3000) -> dict[str, Any]:
    """An inline discussion whose Monte Carlo (5,000 draws) runs for a minute or more without
    a budget, a draw at a time a tenth of a second: slow bounded-confidence dynamics that do
    not converge within ``rounds``."""
    return {
        "id": "slow",
        "name": "Slow",
        "issues": ["q"],
        "stakeholders": [
            {"id": f"s{i}", "name": f"S{i}", "role": "staff", "positions": [(i * 37 % 100) / 100]}
            for i in range(stakeholders)
        ],
        "model": {"kind": "deffuant-weisbuch", "epsilon": 0.3, "mu": 0.01},
        "max_rounds": rounds,
        "tolerance": 1e-9,
        "proposal": {"issue": "q"},
    }
