"""The store broken under a running service: a 503 problem with the reason, found before any
solve, in /readyz too, and gone once the store is repaired. (At start: test_connections.py.)"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.app import create_app
from service.catalogue import Catalogue
from service.pool import JobPool
from service.store import Store, StoreUnavailable

from .conftest import settings_for

Client = TestClient[Litestar]


class Counting(ThreadPoolExecutor):
    """A pool executor that counts the jobs it is given (the solver check of /readyz aside)."""

    jobs = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        if args:
            Counting.jobs += 1
        return super().submit(fn, *args, **kwargs)


def overwritten(path: Path) -> str:
    """Another program writes over the file while the service runs."""
    path.write_bytes(b"this is not a database, it is a text file " * 100)
    return "file is not a database"


def unwritable(path: Path) -> str:
    """The store's directory cannot be created: a file is in the way (as root, permissions
    would not stop the test)."""
    shutil.rmtree(path.parent)
    path.parent.write_text("a file where the store's directory should be")
    return f"{path.parent}: File exists"


@pytest.mark.parametrize("breaking", [overwritten, unwritable])
def test_a_broken_store_is_a_503_before_the_solve_and_heals(
    tmp_path: Path, catalogue: Catalogue, raci_id: str, breaking: Callable[[Path], str]
) -> None:
    path = tmp_path / "data" / "store.sqlite3"
    path.parent.mkdir()
    Counting.jobs = 0
    pool = JobPool(lambda: Counting(2), 2, capacity=4)
    app = create_app(
        settings_for(), catalogue=catalogue, pool=pool, store=Store(str(path)), log=None
    )
    request = {"scenario": raci_id, "options": {"time_limit": 2}}
    with TestClient(app) as client:
        if breaking is overwritten:
            assert client.get("/readyz").json()["checks"]["store"] == "ok"
        else:
            app.state.service.store.close()  # as before its first use
        reason = breaking(path)
        for response in (client.post("/v1/recommendations", json=request), client.get("/readyz")):
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            problem = response.json()
            assert problem["type"] == "/problems/store-unavailable"
            assert reason in problem["detail"]
            assert str(path) in problem["detail"]
        assert Counting.jobs == 0  # refused before solving
        missing = client.get("/v1/recommendations/0123456789abcdef")
        assert missing.json()["type"] == "/problems/store-unavailable"
        if path.parent.is_file():  # the operator repairs it
            path.parent.unlink()
        else:
            path.unlink()
        assert client.post("/v1/recommendations", json=request).status_code == 201
        assert client.get("/readyz").status_code == 200


def test_a_damaged_page_is_found_by_the_thorough_check(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = Store(str(path))
    store.check()
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 : 4096 + 8] = b"\xff" * 8  # the header of the recommendations table's page
    path.write_bytes(bytes(data))
    with pytest.raises(StoreUnavailable, match=r"store\.sqlite3"):
        Store(str(path)).check(thorough=True)
