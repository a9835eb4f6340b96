"""The job pool: saturation answers 503 with Retry-After; the event loop stays free meanwhile."""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from litestar.testing import AsyncTestClient

from models.errors import InvalidInput, LimitExceeded, Problem
from service.app import create_app
from service.catalogue import Catalogue
from service.pool import JobPool, make_pool
from service.problems import ApiError

from .conftest import settings_for

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_full_pool_refuses_new_jobs_and_health_stays_quick(catalogue: Catalogue) -> None:
    pool = JobPool(lambda: ThreadPoolExecutor(1), capacity=1)
    app = create_app(settings_for(pool_workers=1), catalogue=catalogue, pool=pool, log=None)
    release = threading.Event()
    async with AsyncTestClient(app) as client:
        blocker = asyncio.ensure_future(pool.run(release.wait, 30))
        await asyncio.sleep(0.05)
        try:
            refused = await client.post(
                "/v1/discussions/simulate", json={"discussion": min(catalogue.discussions)}
            )
            assert refused.status_code == 503
            assert refused.json()["type"] == "/problems/overloaded"
            assert int(refused.headers["retry-after"]) >= 1
            started = time.perf_counter()
            health = await client.get("/healthz")
            assert health.status_code == 200
            assert time.perf_counter() - started < 0.05
        finally:
            release.set()
        assert await blocker is True
        accepted = await client.post(
            "/v1/discussions/simulate", json={"discussion": min(catalogue.discussions)}
        )
        assert accepted.status_code == 200
    assert pool.rejected == 1
    assert pool.admitted == 0


def raise_invalid() -> None:
    raise InvalidInput([Problem("/a", "first"), Problem("/b/0", "second")])


def raise_limit() -> None:
    raise LimitExceeded("max_roles", 3, 7)


async def test_domain_errors_survive_the_trip_back_from_a_worker() -> None:
    pool = JobPool(lambda: ThreadPoolExecutor(1), capacity=2)
    with pytest.raises(InvalidInput) as invalid:
        await pool.run(raise_invalid)
    assert invalid.value.problems == (Problem("/a", "first"), Problem("/b/0", "second"))
    with pytest.raises(LimitExceeded) as limit:
        await pool.run(raise_limit)
    assert (limit.value.limit, limit.value.allowed, limit.value.got) == ("max_roles", 3, 7)
    pool.close()


async def test_capacity_counts_running_and_waiting_jobs() -> None:
    pool = JobPool(lambda: ThreadPoolExecutor(1), capacity=2)
    release = threading.Event()
    first = asyncio.ensure_future(pool.run(release.wait, 30))
    second = asyncio.ensure_future(pool.run(release.wait, 30))
    await asyncio.sleep(0.05)
    assert pool.admitted == 2
    with pytest.raises(ApiError) as refused:
        await pool.run(release.wait, 30)
    assert refused.value.kind.status == 503
    release.set()
    assert await first
    assert await second
    pool.close()


async def test_a_process_pool_carries_domain_errors_and_results() -> None:
    pool = make_pool(settings_for(pool="process", pool_workers=1))
    try:
        with pytest.raises(InvalidInput) as invalid:
            await pool.run(raise_invalid)
        assert [p.pointer for p in invalid.value.problems] == ["/a", "/b/0"]
        assert await pool.run(sum, [1, 2, 3]) == 6
    finally:
        pool.close()
