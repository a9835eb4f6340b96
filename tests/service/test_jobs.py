"""Jobs, attacked: 202 and the result later equal to the synchronous answer, a job that
survives a restart, a job whose server died reported failed, DELETE freeing the worker within
a second, another caller's or an unknown job a 404, a caller that queues too much refused."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from models.discussion.types import MonteCarloOptions
from models.raci.types import SolveOptions
from service.background import HEARTBEAT, STALE
from service.client import Client, ProblemError, monte_carlo, progress_bar, solve
from service.schemas import Job

from .conftest import Factory, slow_discussion
from .test_server import KEY, Server, serve

Http = TestClient[Litestar]
OTHER_KEY = "another-callers-key-0123456789"
SOLVE = {"scenario": "csmo-ceo", "variant": "central", "options": {"explain": False}}
SLOW = {"discussion": slow_discussion(), "options": {"draws": 5000}}


def poll(client: Http | httpx.Client, location: str, within: float = 60) -> dict[str, Any]:
    """The job at ``location`` once it has ended."""
    deadline = time.monotonic() + within
    while True:
        job: dict[str, Any] = client.get(location).json()
        if job["status"] not in ("queued", "running"):
            return job
        assert time.monotonic() < deadline, f"the job is still {job['status']}"
        time.sleep(0.1)


def without_timing(answer: dict[str, Any]) -> dict[str, Any]:
    """A solve answer without what depends on the machine's speed (the solver's seconds)."""
    for result in answer["results"]:
        result["solver"].pop("seconds")
    return answer


def test_prefer_wait_0_answers_202_and_the_result_equals_the_synchronous_answer(
    client: Http,
) -> None:
    accepted = client.post("/v1/raci/solve", json=SOLVE, headers={"Prefer": "wait=0"})
    assert accepted.status_code == 202
    location = accepted.headers["location"]
    job = accepted.json()
    assert location == f"/v1/jobs/{job['id']}"
    assert job["status"] in ("queued", "running")
    assert job["operation"] == "solveRaci"
    assert accepted.headers["preference-applied"] == "wait=0"
    ended = poll(client, location)
    assert ended["status"] == "succeeded"
    assert ended["result"] == f"{location}/result"
    assert ended["progress"] == 1.0
    result = client.get(ended["result"])
    direct = client.post("/v1/raci/solve", json=SOLVE)
    assert result.status_code == direct.status_code == 200
    [solved] = direct.json()["results"]
    assert solved["status"] == "optimal"  # proven: the same matrix however the machine runs
    assert without_timing(result.json()) == without_timing(direct.json())
    # the same media types as the synchronous endpoint: a CSV job answers CSV
    csv = client.post(
        "/v1/raci/solve", json=SOLVE, headers={"Prefer": "respond-async", "Accept": "text/csv"}
    )
    assert csv.json()["media_type"] == "text/csv"
    table = client.get(poll(client, csv.headers["location"])["result"])
    assert table.headers["content-type"].startswith("text/csv")
    assert (
        table.text == client.post("/v1/raci/solve", json=SOLVE, headers={"Accept": "text/csv"}).text
    )


def test_prefer_wait_answers_the_result_when_the_job_ends_in_time(client: Http) -> None:
    response = client.post("/v1/raci/solve", json=SOLVE, headers={"Prefer": "wait=60"})
    assert response.status_code == 200
    assert response.headers["preference-applied"] == "wait=30"  # capped: the request's cap
    assert response.json()["results"][0]["variant"] == "central"


def test_an_unknown_job_and_another_callers_job_are_404_problems(make_client: Factory) -> None:
    client = make_client(api_keys=(KEY, OTHER_KEY))
    mine = {"X-API-Key": KEY}
    for path in ("/v1/jobs/0123456789abcdef", "/v1/jobs/no-such-job/result"):
        missing = client.get(path, headers=mine)
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert missing.json()["type"] == "/problems/not-found"
    assert client.delete("/v1/jobs/0123456789abcdef", headers=mine).status_code == 404
    allowed = client.options("/v1/jobs/0123456789abcdef", headers=mine).headers["allow"]
    assert allowed == "DELETE, GET, OPTIONS"
    job = client.post("/v1/raci/solve", json=SOLVE, headers={**mine, "Prefer": "respond-async"})
    location = job.headers["location"]
    assert client.get(location, headers={"X-API-Key": OTHER_KEY}).status_code == 404
    assert client.get(location).status_code == 401  # a key first, as everywhere under /v1
    assert client.get(location, headers=mine).status_code == 200


def test_a_time_limit_above_the_synchronous_cap_runs_as_a_job(make_client: Factory) -> None:
    client = make_client(max_time_limit=2.0, max_job_seconds=4.0)
    body = {**SOLVE, "options": {"explain": False, "time_limit": 100}}
    accepted = client.post("/v1/raci/solve", json=body)
    assert accepted.status_code == 202
    assert accepted.json()["budget"] == 4.0  # min(100, GREMIUM_MAX_JOB_SECONDS)
    assert "preference-applied" not in accepted.headers  # none was asked for
    assert poll(client, accepted.headers["location"])["status"] == "succeeded"
    within = {**SOLVE, "options": {"explain": False, "time_limit": 2}}
    assert client.post("/v1/raci/solve", json=within).status_code == 200


def test_a_caller_cannot_queue_more_than_its_cap(make_client: Factory) -> None:
    client = make_client(max_queued_jobs=1, max_job_seconds=2.0)
    async_ = {"Prefer": "respond-async"}
    first = client.post("/v1/discussions/monte-carlo", json=SLOW, headers=async_)
    assert first.status_code == 202
    refused = client.post("/v1/discussions/monte-carlo", json=SLOW, headers=async_)
    assert refused.status_code == 429
    assert refused.json()["type"] == "/problems/too-many-jobs"
    assert int(refused.headers["retry-after"]) >= 1
    cancelled = client.delete(first.headers["location"])
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["problem"]["type"] == "/problems/job-cancelled"
    result = client.get(f"{first.headers['location']}/result")
    assert (result.status_code, result.json()["type"]) == (409, "/problems/job-cancelled")
    again = client.post("/v1/raci/solve", json=SOLVE, headers=async_)
    assert again.status_code == 202  # a cancelled job no longer counts


def test_a_failed_job_answers_the_problem_its_request_would_have(make_client: Factory) -> None:
    # a budget that ends before the first chunk of draws: the synchronous answer is a 503
    client = make_client(max_job_seconds=0.001)
    accepted = client.post("/v1/discussions/monte-carlo", json=SLOW, headers={"Prefer": "wait=0"})
    job = poll(client, accepted.headers["location"])
    assert job["status"] == "failed"
    assert job["problem"]["type"] == "/problems/budget-exceeded"
    result = client.get(f"{accepted.headers['location']}/result")
    assert result.status_code == 503
    assert result.json()["type"] == "/problems/budget-exceeded"
    # waited for, the failure is the answer itself, as without a job
    waited = client.post("/v1/discussions/monte-carlo", json=SLOW, headers={"Prefer": "wait=20"})
    assert waited.status_code == 503
    assert waited.json()["type"] == "/problems/budget-exceeded"
    assert waited.headers["preference-applied"] == "wait=20"


def test_a_job_reports_its_progress(make_client: Factory) -> None:
    client = make_client(max_job_seconds=120.0)  # a budget that does not bind
    body = {"discussion": slow_discussion(), "options": {"draws": 63}}  # seconds, not minutes
    accepted = client.post("/v1/discussions/monte-carlo", json=body, headers={"Prefer": "wait=0"})
    seen: list[float] = []
    deadline = time.monotonic() + 120
    while (job := client.get(accepted.headers["location"]).json())["status"] in (
        "queued",
        "running",
    ):
        if job["progress"] is not None:
            seen.append(job["progress"])
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert job["status"] == "succeeded", job["problem"]
    assert job["progress"] == 1.0
    assert client.get(job["result"]).json()["draws"] == 63
    # draw 0 (the inputs as given) runs first, then chunks of 1, 2, 4, 8, 16 and the 31 left:
    # the shares done after each chunk
    after_chunks = {round(done / 63, 4) for done in (2, 4, 8, 16, 32, 63)}
    assert seen  # at least one was read while the job ran
    assert set(seen) <= after_chunks
    assert seen == sorted(seen)


# On a real server: restarts, a crash, and a cancelled job's worker.


def test_a_finished_job_survives_a_restart(tmp_path: Path) -> None:
    with serve(tmp_path) as server, Client(server.url, api_key=KEY) as gremium:
        call = solve("csmo-ceo", "central", SolveOptions(explain=False))
        job = gremium.wait(gremium.submit(call), timeout=60)
        assert job.status == "succeeded"
        before = gremium.result(job, call)
        server.process.kill()  # no chance to tidy up
        server.process.wait()
    with serve(tmp_path) as server, Client(server.url, api_key=KEY) as gremium:
        assert gremium.job(job.id) == job
        assert gremium.result(job, call) == before


def kill_server(server: Server) -> None:
    """SIGKILL the server and its orphaned workers (a dead server's worker would run on)."""
    workers = server.workers()
    server.process.kill()
    server.process.wait()
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def test_a_job_running_when_the_server_dies_is_reported_failed_after_restart(
    tmp_path: Path,
) -> None:
    headers = {"X-API-Key": KEY, "Prefer": "respond-async"}
    with serve(tmp_path) as server:
        server.wait_ready()
        url = f"{server.url}/v1/discussions/monte-carlo"
        location = httpx.post(url, json=SLOW, headers=headers, timeout=30).headers["location"]
        with httpx.Client(base_url=server.url, headers={"X-API-Key": KEY}) as http:
            deadline = time.monotonic() + 30
            while http.get(location).json()["status"] != "running":
                assert time.monotonic() < deadline
                time.sleep(0.1)
        kill_server(server)
        killed = time.monotonic()
    with (
        serve(tmp_path) as server,
        httpx.Client(base_url=server.url, headers={"X-API-Key": KEY}) as http,
    ):
        job = poll(http, location, within=STALE + 30)
        # not before its server could be missed: STALE s after its last heartbeat, which was
        # at most HEARTBEAT s before the kill
        assert time.monotonic() - killed >= STALE - HEARTBEAT
        assert job["status"] == "failed"
        assert job["problem"]["type"] == "/problems/job-lost"
        assert "stopped" in job["problem"]["detail"]
        assert http.get(f"{location}/result").json()["type"] == "/problems/job-lost"


def test_delete_frees_the_worker_within_a_second(tmp_path: Path) -> None:
    with serve(tmp_path) as server, Client(server.url, api_key=KEY) as gremium:
        server.wait_ready()
        [worker] = server.workers()
        job = gremium.submit(monte_carlo(slow_discussion(), MonteCarloOptions(draws=5000)))
        deadline = time.monotonic() + 30
        while gremium.job(job).status != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        server.wait_for(1, within=5)
        time.sleep(0.3)
        cancelled = gremium.cancel(job)
        freed = server.wait_for(0, within=1.0)
        assert cancelled.status == "cancelled"
        assert freed < 1.0
        assert worker not in server.workers()  # killed, and a fresh one started
        with pytest.raises(ProblemError) as refused:
            gremium.result(job, monte_carlo("csmo-ceo"))
        assert refused.value.problem.type == "/problems/job-cancelled"


def test_the_client_runs_a_call_as_a_job_with_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve(tmp_path) as server, Client(server.url, api_key=KEY) as gremium:
        call = solve("csmo-ceo", "all", SolveOptions(explain=False))
        answer = gremium.run(call, progress=progress_bar(), poll=0.1)
        assert [result.variant for result in answer.results] == [
            result.variant
            for result in gremium.solve("csmo-ceo", "all", SolveOptions(explain=False)).results
        ]
        interrupted: list[str] = []

        def interrupt(job: Job) -> None:  # as Ctrl-C would, once the job runs
            if job.status == "running":
                interrupted.append(job.id)
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            gremium.run(monte_carlo(slow_discussion(), MonteCarloOptions(draws=5000)), interrupt)
        assert gremium.job(interrupted[0]).status == "cancelled"
    bar = capsys.readouterr().err
    assert bar.endswith("] 100% succeeded\n")
