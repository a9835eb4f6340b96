"""The client against a fake transport: 429 and 503 retried after Retry-After within bounds,
a connection failure as GremiumUnavailable. No server, no real sleeping."""

from __future__ import annotations

import asyncio
import email.utils
import time

import httpx
import pytest

from service.client import (
    AsyncClient,
    Client,
    GremiumClientError,
    GremiumUnavailable,
    ProblemError,
    Retry,
)

HEALTHY = {"status": "ok", "checks": {}}


def problem(status: int, slug: str) -> dict[str, object]:
    return {"type": f"/problems/{slug}", "title": slug, "status": status, "detail": slug}


def scripted(*answers: httpx.Response) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    """A transport that answers with ``answers`` in turn and records the requests."""
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[min(len(seen), len(answers)) - 1]

    return httpx.MockTransport(handle), seen


def refused(status: int, retry_after: str | None = None) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    slug = "rate-limited" if status == 429 else "overloaded"
    return httpx.Response(
        status,
        json=problem(status, slug),
        headers={"Content-Type": "application/problem+json", **headers},
    )


def blocking(
    transport: httpx.MockTransport, retry: Retry | None = None
) -> tuple[Client, list[float]]:
    slept: list[float] = []
    retry = retry or Retry()
    return Client(
        "http://gremium.test", transport=transport, retry=retry, sleep=slept.append
    ), slept


@pytest.mark.parametrize("status", [429, 503])
def test_a_refusal_is_retried_after_its_retry_after(status: int) -> None:
    transport, seen = scripted(
        refused(status, "2"), refused(status, "1"), httpx.Response(200, json=HEALTHY)
    )
    client, slept = blocking(transport)
    assert client.health().status == "ok"
    assert slept == [2.0, 1.0]
    assert len(seen) == 3


def test_retries_stop_after_the_attempts_with_the_last_problem() -> None:
    transport, seen = scripted(refused(503, "1"))
    client, slept = blocking(transport, Retry(attempts=4, max_wait=100))
    with pytest.raises(ProblemError) as error:
        client.health()
    assert (len(seen), slept) == (4, [1.0, 1.0, 1.0])
    assert error.value.problem.type == "/problems/overloaded"


def test_a_retry_after_beyond_the_total_wait_is_not_waited_for() -> None:
    transport, seen = scripted(
        refused(429, "20"), refused(429, "20"), httpx.Response(200, json=HEALTHY)
    )
    client, slept = blocking(transport, Retry(attempts=5, max_wait=30))
    with pytest.raises(ProblemError) as error:
        client.health()
    assert slept == [20.0]  # 20 more would make 40 > 30 seconds
    assert len(seen) == 2
    assert error.value.problem.status == 429


def test_without_retry_after_it_is_not_retried() -> None:
    # a 503 budget-exceeded carries none: the same work would run out of time again
    transport, seen = scripted(refused(503), httpx.Response(200, json=HEALTHY))
    client, slept = blocking(transport, Retry(attempts=4))
    with pytest.raises(ProblemError):
        client.health()
    assert (len(seen), slept) == (1, [])


def test_an_http_date_retry_after_counts_from_now() -> None:
    when = email.utils.formatdate(time.time() + 5, usegmt=True)
    transport, _ = scripted(refused(429, when), httpx.Response(200, json=HEALTHY))
    client, slept = blocking(transport)
    client.health()
    [delay] = slept
    assert 3.0 <= delay <= 5.0


@pytest.mark.parametrize("status", [400, 404, 422, 500])
def test_other_errors_are_not_retried(status: int) -> None:
    answer = httpx.Response(
        status, json=problem(status, "x"), headers={"Content-Type": "application/problem+json"}
    )
    transport, seen = scripted(answer)
    client, slept = blocking(transport)
    with pytest.raises(ProblemError):
        client.health()
    assert (len(seen), slept) == (1, [])


def test_one_attempt_never_retries() -> None:
    transport, seen = scripted(refused(429, "0"))
    client, _ = blocking(transport, Retry(attempts=1))
    with pytest.raises(ProblemError):
        client.health()
    assert len(seen) == 1


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadTimeout("timed out"),
    ],
)
def test_no_answer_is_gremium_unavailable(failure: httpx.TransportError) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise failure

    client = Client("http://gremium.test", transport=httpx.MockTransport(fail))
    with pytest.raises(GremiumUnavailable) as error:
        client.health()
    assert isinstance(error.value, GremiumClientError)
    assert error.value.__cause__ is failure
    assert "http://gremium.test" in str(error.value)
    assert not isinstance(error.value, httpx.HTTPError)


def test_the_async_client_retries_and_reports_the_same_way() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async def run(transport: httpx.MockTransport) -> str:
        async with AsyncClient("http://gremium.test", transport=transport, sleep=sleep) as client:
            return (await client.health()).status

    transport, _ = scripted(refused(429, "3"), httpx.Response(200, json=HEALTHY))
    assert asyncio.run(run(transport)) == "ok"
    assert slept == [3.0]

    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(GremiumUnavailable):
        asyncio.run(run(httpx.MockTransport(fail)))


def test_retry_bounds_are_explicit() -> None:
    defaults = Retry()
    assert (defaults.attempts, defaults.max_wait, defaults.statuses) == (3, 30.0, {429, 503})

    def check(retry: Retry) -> float | None:
        return retry.delay(refused(503, "1"), 1, 0.0)

    assert check(Retry(attempts=2)) == 1.0
    assert check(Retry(max_wait=0.5)) is None
