"""The job pool: saturation answers 503 with Retry-After; the event loop stays free meanwhile;
a killed worker, an abandoned job, an overrun deadline or a heavy job cost one slot for a moment,
never the pool."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from models.errors import InvalidInput, LimitExceeded, Problem
from models.raci.generate import generate
from service.app import create_app
from service.catalogue import Catalogue
from service.pool import JobPool, make_pool
from service.problems import ApiError

from .conftest import settings_for, slow_discussion

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_a_full_pool_refuses_new_jobs_and_health_stays_quick(catalogue: Catalogue) -> None:
    pool = JobPool(lambda: ThreadPoolExecutor(1), 1, capacity=1)
    app = create_app(settings_for(pool_workers=1), catalogue=catalogue, pool=pool, log=None)
    release = threading.Event()
    async with AsyncTestClient(app) as client:
        blocker = asyncio.ensure_future(pool.run(None, release.wait, 30))
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
    pool = JobPool(lambda: ThreadPoolExecutor(1), 1, capacity=2)
    with pytest.raises(InvalidInput) as invalid:
        await pool.run(None, raise_invalid)
    assert invalid.value.problems == (Problem("/a", "first"), Problem("/b/0", "second"))
    with pytest.raises(LimitExceeded) as limit:
        await pool.run(None, raise_limit)
    assert (limit.value.limit, limit.value.allowed, limit.value.got) == ("max_roles", 3, 7)
    pool.close()


async def test_capacity_counts_running_and_waiting_jobs() -> None:
    pool = JobPool(lambda: ThreadPoolExecutor(1), 1, capacity=2)
    release = threading.Event()
    first = asyncio.ensure_future(pool.run(None, release.wait, 30))
    second = asyncio.ensure_future(pool.run(None, release.wait, 30))
    await asyncio.sleep(0.05)
    assert pool.admitted == 2
    with pytest.raises(ApiError) as refused:
        await pool.run(None, release.wait, 30)
    assert refused.value.kind.status == 503
    release.set()
    assert await first
    assert await second
    pool.close()


async def test_a_process_pool_carries_domain_errors_and_results() -> None:
    pool = make_pool(settings_for(pool="process", pool_workers=1))
    try:
        with pytest.raises(InvalidInput) as invalid:
            await pool.run(None, raise_invalid)
        assert [p.pointer for p in invalid.value.problems] == ["/a", "/b/0"]
        assert await pool.run(None, sum, [1, 2, 3]) == 6
    finally:
        pool.close()


# The attacks: a worker killed, a request abandoned, a deadline overrun, a heavy job.


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped by its parent, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


async def test_a_killed_worker_fails_its_job_alone_and_the_next_job_succeeds() -> None:
    pool = make_pool(settings_for(pool="process", pool_workers=2))
    try:
        await pool.warm_up()
        victim, bystander = pool.worker_pids()
        jobs = [asyncio.ensure_future(pool.run(None, time.sleep, 2)) for _ in range(2)]
        await asyncio.sleep(0.3)
        os.kill(victim, signal.SIGKILL)  # as the OOM killer would
        outcomes = await asyncio.gather(*jobs, return_exceptions=True)
        lost = [o for o in outcomes if isinstance(o, ApiError)]
        assert [error.kind.slug for error in lost] == ["worker-lost"]
        assert lost[0].kind.status == 503
        assert outcomes.count(None) == 1  # the other worker's job ran to its end
        assert await pool.run(None, sum, [1, 2, 3]) == 6
        assert victim not in pool.worker_pids()
        assert bystander in pool.worker_pids()
        assert (pool.lost, pool.admitted) == (1, 0)
    finally:
        pool.close()


async def test_a_cancelled_job_is_killed_and_its_slot_freed_within_a_second() -> None:
    pool = make_pool(settings_for(pool="process", pool_workers=1, pool_queue=0))
    try:
        await pool.warm_up()
        [old] = pool.worker_pids()
        job = asyncio.ensure_future(pool.run(None, time.sleep, 60))
        await asyncio.sleep(0.3)
        assert pool.admitted == 1
        cancelled = time.monotonic()
        job.cancel()
        while pool.admitted:
            await asyncio.sleep(0.01)
        assert time.monotonic() - cancelled < 1.0
        assert not alive(old)
        assert await pool.run(None, os.getpid) != old
        assert pool.stopped == 1
    finally:
        pool.close()


async def test_a_job_past_its_deadline_is_stopped_and_named() -> None:
    pool = make_pool(settings_for(pool="process", pool_workers=1))
    try:
        await pool.warm_up()
        started = time.monotonic()
        with pytest.raises(ApiError) as overrun:
            await pool.run(started + 0.5, time.sleep, 60)
        assert overrun.value.kind.slug == "budget-exceeded"
        assert time.monotonic() - started < 0.5 + 1.0
        while pool.admitted:
            await asyncio.sleep(0.01)
        assert time.monotonic() - started < 0.5 + 1.5
    finally:
        pool.close()


async def test_a_worker_that_grew_past_the_memory_limit_is_recycled() -> None:
    pool = make_pool(settings_for(pool="process", pool_workers=1, pool_recycle_mb=1))
    try:
        first = await pool.run(None, os.getpid)
        second = await pool.run(None, os.getpid)
        assert first != second
        assert pool.recycled >= 1
    finally:
        pool.close()


async def test_readiness_takes_no_slot_and_holds_while_the_pool_is_full(
    catalogue: Catalogue,
) -> None:
    # two workers, both busy: the blockers run on this test's loop, the app on its own, so
    # none of them may have to wait for a slot (a wait belongs to the loop of the pool)
    pool = JobPool(lambda: ThreadPoolExecutor(1), 2, capacity=2)
    app = create_app(settings_for(pool_workers=2), catalogue=catalogue, pool=pool, log=None)
    release = threading.Event()
    async with AsyncTestClient(app) as client:
        blockers = [asyncio.ensure_future(pool.run(None, release.wait, 30)) for _ in range(2)]
        await asyncio.sleep(0.05)
        try:
            for _ in range(20):
                ready = await client.get("/readyz")
                assert ready.status_code == 200
            assert ready.json()["checks"]["solver"].startswith("HiGHS ")
            assert ready.json()["checks"]["store"] == "ok"
            assert pool.rejected == 0
            started = time.perf_counter()
            assert (await client.get("/healthz")).status_code == 200
            assert time.perf_counter() - started < 0.05
        finally:
            release.set()
        await asyncio.gather(*blockers)


async def test_retry_after_reflects_the_jobs_ahead(catalogue: Catalogue) -> None:
    # two workers, both busy: the blockers run on this test's loop, the app on its own, so
    # none of them may have to wait for a slot (a wait belongs to the loop of the pool)
    pool = JobPool(lambda: ThreadPoolExecutor(1), 2, capacity=2)
    app = create_app(settings_for(pool_workers=2), catalogue=catalogue, pool=pool, log=None)
    release = threading.Event()
    async with AsyncTestClient(app) as client:
        blockers = [asyncio.ensure_future(pool.run(None, release.wait, 30)) for _ in range(2)]
        await asyncio.sleep(0.05)
        pool.mean_seconds = 10.0  # jobs have taken ten seconds each lately
        try:
            refused = await client.post(
                "/v1/discussions/simulate", json={"discussion": min(catalogue.discussions)}
            )
        finally:
            release.set()
        await asyncio.gather(*blockers)
    assert refused.status_code == 503
    assert int(refused.headers["retry-after"]) >= 10  # two jobs ahead, two workers


async def test_a_monte_carlo_keeps_to_its_budget_and_says_what_it_cut(
    catalogue: Catalogue,
) -> None:
    # every phase keeps to the budget (the models at the inputs as given, each chunk of draws);
    # a thousand rounds a run keep the first draws within it on a loaded machine (the whole
    # 5,000 take half a minute), so the answer is a cut one, not "no draw done"
    app = create_app(settings_for(max_time_limit=2.0), catalogue=catalogue, log=None)
    async with AsyncTestClient(app, timeout=30) as client:
        started = time.monotonic()
        response = await client.post(
            "/v1/discussions/monte-carlo",
            json={"discussion": slow_discussion(200, 1000), "options": {"draws": 5000}},
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed < 2.0 + 1.0
    result = response.json()
    assert 0 < result["draws"] < 5000
    assert result["budget"].startswith(
        f"the time budget stopped Monte Carlo at {result['draws']:,} of 5,000 draws"
    )
    assert {"probability", "draws", "interval"} <= set(result["machine_dependent"])
    # a model the budget left out is named, in the budget and in the agreement
    for kind in result["agreement"]["not_run"]:
        assert kind not in [entry["model"]["kind"] for entry in result["agreement"]["models"]]
    assert ("left out" in result["budget"]) == bool(result["agreement"]["not_run"])
    p = result["probability"]
    # the headline is the mean of the four models' p̂_k; its standard error is reported as the
    # mean of theirs, an upper bound, and by concavity at most √(p̄(1 − p̄)/N)
    assert 0.0 <= result["standard_error"] <= (p * (1 - p) / result["draws"]) ** 0.5 + 1e-12


def slow_ring(n: int) -> dict[str, Any]:
    """n people, each listening to the next round a ring and twenty times as much to
    themselves: DeGroot mixes so slowly (the second eigenvalue is about 1 − π²/42n²) that it
    does not settle within a million rounds, which take more than a few seconds."""
    return {
        "id": "ring",
        "name": "Ring",
        "issues": ["q"],
        "stakeholders": [
            {"id": f"p{i}", "name": f"P{i}", "role": "x", "positions": [(i * 37 % 100) / 100]}
            for i in range(n)
        ],
        "network": {
            "trust": [{"truster": f"p{i}", "trusted": f"p{(i + 1) % n}"} for i in range(n)],
            "layers": {"own": 20},
        },
        "model": {"kind": "degroot"},
        "max_rounds": 1_000_000,
        "tolerance": 1e-15,
        "proposal": {"issue": "q"},
    }


async def test_a_simulation_keeps_to_its_time_limit_and_thins_what_it_records(
    catalogue: Catalogue,
) -> None:
    """200 stakeholders × a million rounds would record 200 million numbers and run for
    minutes: the run stops at its time limit, the trajectory keeps what max_cells holds."""
    settings = settings_for(max_cells=20_000, max_rounds=1_000_000)
    app = create_app(settings, catalogue=catalogue, log=None)
    async with AsyncTestClient(app, timeout=30) as client:
        started = time.monotonic()
        response = await client.post(
            "/v1/discussions/simulate", json={"discussion": slow_ring(200), "time_limit": 2.0}
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed < 2.0 + 1.0
    result = response.json()
    rounds = result["rounds"]
    assert 0 < rounds < 1_000_000
    assert result["budget"] == (
        f"stopped at round {rounds:,} of 1,000,000 by the time budget; not converged"
    )
    assert result["status"] == "not-converged"
    assert {"final", "decision"} <= set(result["machine_dependent"])
    recorded = result["trajectory_rounds"]
    assert len(result["trajectory"]) == len(recorded) <= 20_000 // 200
    assert (recorded[0], recorded[-1]) == (0, rounds)
    stride = result["record_every"]
    assert recorded[:-1] == list(range(0, rounds + 1, stride))[: len(recorded) - 1]
    assert result["thinned"].startswith(f"one round in {stride:,} of ")


async def test_a_simulation_whose_first_and_last_round_do_not_fit_is_refused_up_front(
    catalogue: Catalogue,
) -> None:
    app = create_app(settings_for(max_cells=1000), catalogue=catalogue, log=None)
    async with AsyncTestClient(app) as client:
        response = await client.post(
            "/v1/discussions/simulate", json={"discussion": slow_discussion(501, 10)}
        )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/limit-exceeded"
    assert problem["limit"] == "max_cells"
    assert (problem["allowed"], problem["got"]) == (1000, 501 * 1 * 2)


async def test_every_model_shares_one_budget(catalogue: Catalogue) -> None:
    scenario = msgspec.to_builtins(generate(12, 40, seed=3))
    app = create_app(settings_for(max_body_bytes=10_000_000), catalogue=catalogue, log=None)
    async with AsyncTestClient(app, timeout=60) as client:
        started = time.monotonic()
        response = await client.post(
            "/v1/raci/solve",
            json={"scenario": scenario, "variant": "all", "options": {"time_limit": 1}},
        )
        elapsed = time.monotonic() - started
    assert elapsed < 1 + 1.0
    assert response.status_code == 200, response.text
    answer = response.json()
    assert len(answer["results"]) == 5
    # five models with exact runner-ups do not fit in a second: the budget says what it cut
    assert any("runner-ups estimated" in note for note in answer["budget"])
    cut = [note.split(":", 1)[0] for note in answer["budget"]]
    assert list(answer["machine_dependent"]) == cut


async def test_an_answer_larger_than_the_response_limit_is_refused_naming_its_size(
    catalogue: Catalogue,
) -> None:
    """A ring of 200 answers with a 200 × 200 total influence matrix alone: 40,000 numbers,
    more than 100,000 bytes whatever else it says."""
    app = create_app(settings_for(max_response_bytes=100_000), catalogue=catalogue, log=None)
    ring = slow_ring(200) | {"max_rounds": 10, "model": {"kind": "friedkin-johnsen"}}
    async with AsyncTestClient(app, timeout=30) as client:
        response = await client.post("/v1/discussions/simulate", json={"discussion": ring})
    assert response.status_code == 422
    problem = response.json()
    assert (problem["limit"], problem["allowed"]) == ("max_response_bytes", 100_000)
    assert problem["got"] > 40_000 * 2  # each number at least a digit and a comma
