"""The rate-limit counters against a real Redis: shared by two apps while it answers, per
process (logged and counted) while it does not, and shared again when it is back."""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
import time
import uuid

import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.counters import FailoverCounters, redis_counters

from .conftest import Factory

LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def metric(text: str, name: str) -> dict[str, float]:
    """The samples of ``name`` summed by replica."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                replica = sample.labels["replica"]
                found[replica] = found.get(replica, 0.0) + sample.value
    return found


@pytest.fixture
def namespace() -> str:
    """A fresh namespace on the local Redis (CI runs one); skipped where there is none."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return f"gremium-test-{uuid.uuid4().hex}"


def test_two_replicas_share_one_limit_in_redis(make_client: Factory, namespace: str) -> None:
    replicas = [
        make_client(
            rate_limit=6,
            replica=f"api-{n}",
            counters=FailoverCounters(redis_counters(LOCAL_REDIS, namespace)),
        )
        for n in range(2)
    ]
    statuses = [replicas[n % 2].get("/v1/scenarios").status_code for n in range(12)]
    assert statuses == [200] * 6 + [429] * 6
    scraped = replicas[1].get("/metrics").text
    assert metric(scraped, "gremium_rate_limit_shared") == {"api-1": 1.0}
    assert metric(scraped, "gremium_rate_limit_fallbacks_total") == {"api-1": 0.0}
    # labelled per replica: what this replica answered (half), for Prometheus to sum
    assert metric(scraped, "gremium_requests_total") == {"api-1": 6.0}


class Said:
    """What the counters logged so far, read from pytest's caplog (the app configures its own
    ``gremium`` logger and leaves the root logger, where caplog listens, alone)."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog

    def _lines(self) -> list[str]:
        return [r.getMessage() for r in self._caplog.records if r.name == "gremium.counters"]

    def __len__(self) -> int:
        return len(self._lines())

    def __getitem__(self, index: int) -> str:
        return self._lines()[index]


@pytest.fixture
def said(caplog: pytest.LogCaptureFixture) -> Said:
    caplog.set_level(logging.WARNING)
    return Said(caplog)


def test_redis_unreachable_counts_per_process_and_says_so(make_client: Factory, said: Said) -> None:
    nowhere = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens
    client = make_client(rate_limit=3, redis_url=nowhere, replica="api-0")
    statuses = [client.get("/v1/scenarios").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]  # the limit still holds, per process
    assert len(said) == 1
    assert "Redis does not answer" in said[0]
    scraped = client.get("/metrics").text
    assert metric(scraped, "gremium_rate_limit_shared") == {"api-0": 0.0}
    assert metric(scraped, "gremium_rate_limit_fallbacks_total") == {"api-0": 1.0}


@pytest.fixture
def own_redis() -> tuple[str, int]:
    """Where to start a Redis server of this test's own, that the test can stop."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("no redis-server to start")
    return server, free_port()


def start_redis(server: str, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)


def test_the_counters_return_to_redis_when_it_answers_again(
    make_client: Factory, own_redis: tuple[str, int], said: list[str]
) -> None:
    server, port = own_redis
    redis = start_redis(server, port)
    counters = FailoverCounters(redis_counters(f"redis://127.0.0.1:{port}/0"), retry_seconds=0.2)
    client = make_client(rate_limit=100, counters=counters)
    try:
        assert client.get("/v1/scenarios").status_code == 200
        assert counters.shared
        redis.terminate()
        redis.wait(10)
        assert client.get("/v1/scenarios").status_code == 200
        assert not counters.shared
        redis = start_redis(server, port)
        time.sleep(0.3)  # past the retry interval
        assert client.get("/v1/scenarios").status_code == 200
        assert counters.shared
        assert counters.fallbacks == 1
        assert ["does not answer" in said[0], "answers again" in said[1]] == [True, True]
    finally:
        redis.terminate()
        redis.wait(10)
