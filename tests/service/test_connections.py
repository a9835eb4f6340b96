"""Attacks on the connection, against the real server (`gremium serve`): malformed framing,
slow clients, huge headers, too many connections; and how the server starts or refuses to."""

from __future__ import annotations

import json
import os
import random
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis, RedisError

from service.store import Store

from .test_server import ROOT, free_port

READ_TIMEOUT = 1.0
MAX_CONNECTIONS = 40


def start(port: int, environ: dict[str, str], errors: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    with errors.open("wb") as stderr:
        return subprocess.Popen(command, cwd=ROOT, env=environ, stdout=stderr, stderr=stderr)


def environment(**variables: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GREMIUM_")}
    return base | {"GREMIUM_POOL": "thread", "GREMIUM_POOL_WORKERS": "1"} | variables


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    port = free_port()
    errors = tmp_path_factory.mktemp("connections") / "stderr.txt"
    process = start(
        port,
        environment(
            GREMIUM_READ_TIMEOUT=str(READ_TIMEOUT),
            GREMIUM_MAX_CONNECTIONS=str(MAX_CONNECTIONS),
            GREMIUM_ACCESS_LOG="false",
            GREMIUM_STORE=":memory:",
            GREMIUM_API_KEYS="connection-test-key-0123",
        ),
        errors,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}", process, errors)
        yield port, errors
    finally:
        process.terminate()
        process.wait(timeout=30)


def exchange(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send ``data`` and read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(data)
        connection.settimeout(timeout)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def problem_of(answer: bytes) -> tuple[int, str, dict[str, object]]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = dict(
        line.decode().lower().split(": ", 1) for line in head.split(b"\r\n")[1:] if b": " in line
    )
    return status, headers["content-type"], json.loads(body)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST /v1/raci/solve HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # TLS spoken to plain HTTP
    ],
)
def test_a_framing_error_is_problem_details(server: tuple[int, Path], request_bytes: bytes) -> None:
    status, media_type, problem = problem_of(exchange(server[0], request_bytes))
    assert (status, media_type) == (400, "application/problem+json")
    assert problem["type"] == "/problems/bad-framing"


def test_headers_above_the_cap_are_refused(server: tuple[int, Path]) -> None:
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n"
    status, _, problem = problem_of(exchange(server[0], big))
    assert (status, problem["type"]) == (431, "/problems/headers-too-large")


def test_a_slow_loris_is_cut_off_after_the_read_timeout(server: tuple[int, Path]) -> None:
    port, _ = server
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.settimeout(5)
        connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        answer = b""
        for _ in range(20):  # a header line every 0.2 s keeps an idle timer from firing
            time.sleep(0.2)
            try:
                connection.sendall(b"X-Slow: 1\r\n")
            except OSError:
                break
        while chunk := connection.recv(65536):
            answer += chunk
    assert time.monotonic() - started < READ_TIMEOUT + 3
    status, _, problem = problem_of(answer)
    assert (status, problem["type"]) == (408, "/problems/request-timeout")


def test_300_idle_connections_are_closed_and_others_still_served(
    server: tuple[int, Path],
) -> None:
    port, _ = server
    idle = []
    for _ in range(300):
        try:
            idle.append(socket.create_connection(("127.0.0.1", port)))
        except OSError:
            break
    try:
        refused = exchange(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        status, _, problem = problem_of(refused)
        assert (status, problem["type"]) == (503, "/problems/overloaded")
        time.sleep(READ_TIMEOUT + 1)
        for connection in idle:
            connection.settimeout(2)
            assert connection.recv(65536).startswith(b"HTTP/1.1 ")  # 408 or 503, then closed
        assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    finally:
        for connection in idle:
            connection.close()


def test_the_server_says_where_it_listens_with_keys_masked(server: tuple[int, Path]) -> None:
    port, errors = server
    printed = errors.read_text()
    assert f"gremium: listening on http://127.0.0.1:{port}" in printed
    assert "GREMIUM_API_KEYS=1 key(s), masked" in printed
    assert "connection-test-key" not in printed
    assert f"GREMIUM_READ_TIMEOUT={READ_TIMEOUT}" in printed


def test_a_port_in_use_is_one_line_naming_it(server: tuple[int, Path], tmp_path: Path) -> None:
    port, _ = server
    errors = tmp_path / "stderr.txt"
    process = start(port, environment(), errors)
    assert process.wait(timeout=60) == 2
    assert errors.read_text().splitlines() == [
        f"gremium: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_a_misspelt_variable_is_one_line_naming_it(tmp_path: Path) -> None:
    errors = tmp_path / "stderr.txt"
    process = start(free_port(), environment(GREMIUM_RATE_LIMT="5"), errors)
    assert process.wait(timeout=60) == 2
    assert errors.read_text().splitlines() == [
        "gremium: error: GREMIUM_RATE_LIMT: no such setting; did you mean GREMIUM_RATE_LIMIT?"
    ]


def test_two_workers_share_one_rate_limit_and_one_metrics_view(tmp_path: Path) -> None:
    # The attack: with two workers and a limit of 20, each worker let its own 20 through.
    try:
        redis = Redis()
        redis.ping()
    except RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    address = f"127.0.0.{random.randint(2, 254)}"  # a client of its own: no earlier counts
    for key in redis.scan_iter(f"*client-{address}"):
        redis.delete(key)
    port, errors = free_port(), tmp_path / "stderr.txt"
    environ = environment(
        GREMIUM_WORKERS="2",
        GREMIUM_RATE_LIMIT="20",
        GREMIUM_REDIS_URL="redis://127.0.0.1:6379/0",
        GREMIUM_ACCESS_LOG="false",
        GREMIUM_STORE=":memory:",
    )
    process = start(port, environ, errors)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, errors)
        statuses = []
        for _ in range(50):  # a connection each: the kernel spreads them over the workers
            transport = httpx.HTTPTransport(local_address=address)
            with httpx.Client(transport=transport, timeout=5) as client:
                statuses.append(client.get(f"{url}/v1/scenarios").status_code)
        assert statuses.count(200) == 20
        assert statuses.count(429) == 30
        counted = set()
        for _ in range(6):
            text = httpx.get(f"{url}/metrics", headers={"Connection": "close"}).text
            counted.add(
                sum(
                    sample.value
                    for family in text_string_to_metric_families(text)
                    for sample in family.samples
                    if sample.name == "gremium_requests_total"
                    and sample.labels["route"] == "/v1/scenarios"
                )
            )
        assert counted == {50}  # every scrape, whichever worker answers, sees both workers
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_up(url: str, process: subprocess.Popen[bytes], errors: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the server did not start: {errors.read_text()[-2000:]}")
        time.sleep(0.2)


def no_bigger_than_one_byte() -> None:
    """Run in the server's process before it starts: every file write fails as on a full disk
    (Python ignores SIGXFSZ, so the write fails instead of killing the process)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))


@pytest.mark.parametrize("broken", ["corrupt", "unwritable", "full"])
def test_a_broken_store_stops_the_start_with_one_line(tmp_path: Path, broken: str) -> None:
    store = tmp_path / "store.sqlite3"
    Store(str(store)).check()  # a good store to begin with
    limit = None
    if broken == "corrupt":
        store.write_bytes(b"not a database " * 300)
        reason = "file is not a database"
    elif broken == "unwritable":
        store = tmp_path / "a-file" / "store.sqlite3"
        store.parent.write_text("in the way of the store's directory")
        reason = "File exists"
    else:
        limit, reason = no_bigger_than_one_byte, "disk I/O error"
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(free_port())]
    finished = subprocess.run(
        command,
        cwd=ROOT,
        env=environment(GREMIUM_STORE=str(store)),
        capture_output=True,  # pipes: the file-size limit does not apply to them
        preexec_fn=limit,
        timeout=60,
        check=False,
    )
    assert finished.returncode == 2
    [line] = finished.stderr.decode().splitlines()
    assert line.startswith(f"gremium: error: GREMIUM_STORE: store {store}: ")
    assert reason in line


def test_a_full_disk_while_running_is_a_503_before_the_solve(tmp_path: Path) -> None:
    port, store = free_port(), tmp_path / "store.sqlite3"
    environ = environment(GREMIUM_STORE=str(store), GREMIUM_ACCESS_LOG="false")
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    request = {"scenario": "csmo-ceo", "options": {"time_limit": 2}}
    try:
        wait_until_up(url, process, tmp_path / "unused")
        assert httpx.get(f"{url}/readyz", timeout=30).status_code == 200
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (1, resource.RLIM_INFINITY))
        started = time.monotonic()
        refused = httpx.post(f"{url}/v1/recommendations", json=request, timeout=60)
        assert time.monotonic() - started < 1.0  # no solve first
        assert refused.status_code == 503
        assert refused.json()["type"] == "/problems/store-unavailable"
        assert "disk I/O error" in refused.json()["detail"]
        assert httpx.get(f"{url}/readyz", timeout=30).status_code == 503
        resource.prlimit(process.pid, resource.RLIMIT_FSIZE, (-1, -1))  # space again
        assert httpx.post(f"{url}/v1/recommendations", json=request, timeout=60).status_code == 201
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_healthz_stays_fast_while_four_clients_flood_invalid_bodies(
    server: tuple[int, Path],
) -> None:
    # The attack: bodies of 30,001 validation errors from four clients; validated on the event
    # loop, all of them, /healthz took a median of 4.0 s.
    url = f"http://127.0.0.1:{server[0]}"
    matrix = {f"a{i}": {f"r{j}": "X" for j in range(100)} for i in range(300)}
    matrix["a300"] = {"r0": "X"}
    body = json.dumps({"matrix": matrix}).encode()
    headers = {"Content-Type": "application/json", "X-API-Key": "connection-test-key-0123"}
    stop = threading.Event()
    answers: list[int] = []

    def flood() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                answers.append(
                    client.post(f"{url}/v1/raci/lint", content=body, headers=headers).status_code
                )

    clients = [threading.Thread(target=flood) for _ in range(4)]
    for client in clients:
        client.start()
    latencies = []
    try:
        with httpx.Client(timeout=30) as probe:
            time.sleep(0.5)
            for _ in range(20):
                started = time.perf_counter()
                probe.get(f"{url}/healthz")
                latencies.append(time.perf_counter() - started)
                time.sleep(0.05)
    finally:
        stop.set()
        for client in clients:
            client.join()
    assert set(answers) == {422}
    assert sorted(latencies)[len(latencies) // 2] < 0.25  # a loaded CI machine, not a benchmark
