"""What operators see: a request id on every response, a JSON-lines access log and Prometheus
metrics.

:class:`Observer` wraps the whole Litestar ASGI handler (routing included), so 404s and refused
requests are logged and counted like the rest. Headers are never logged: the API key stays out.

The metrics are ``prometheus_client``'s (exposition, histograms, workers added up). The access
log stays hand-written: one msgspec-encoded line per request, a few microseconds, with exactly
the fields below; a logging library would add a formatter chain per request and nothing a
log shipper needs.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector

from .counters import FailoverCounters
from .engine import Engine
from .pool import JobPool

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
disable_created_metrics()  # type: ignore[no-untyped-call]  # no *_created series: Prometheus does not need them
#: What Prometheus 2 and 3 both scrape; the text format itself is prometheus_client's.
PROMETHEUS = CONTENT_TYPE_PLAIN_0_0_4
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class AccessRecord(msgspec.Struct, frozen=True):
    """One line of the access log."""

    time: str
    request_id: str
    method: str
    path: str
    route: str
    status: int
    duration_ms: float
    bytes: int
    client: str
    caller: str


class Metrics:
    """Request counts and latencies per route, the job pool's figures, the engine's and the
    rate-limit counters', kept by ``prometheus_client`` in a registry of this app's own.

    Every series carries a ``replica`` label (``GREMIUM_REPLICA``, the host name by default), so
    a Prometheus that scrapes every replica behind a load balancer keeps them apart and sums
    them with ``sum without (replica) (…)``.

    Under several server workers (``gremium serve --workers N``), ``PROMETHEUS_MULTIPROC_DIR``
    is set before the workers start (see :mod:`service.server`), so every worker's figures go
    to files there and a scrape of any worker reports the sum of all of them. The pool's,
    engine's and counters' figures are copied in on every request and scrape (they keep plain
    integers).
    """

    def __init__(
        self,
        pool: JobPool,
        replica: str = "",
        engine: Engine | None = None,
        counters: FailoverCounters | None = None,
    ) -> None:
        self.pool = pool
        self.engine = engine
        self.counters = counters
        self.replica = replica
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "gremium_requests",
            "HTTP requests answered.",
            ("replica", "method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "gremium_request_duration_seconds",
            "Time to answer a request.",
            ("replica", "method", "route"),
            buckets=BUCKETS,
            registry=self.registry,
        )

        def gauge(name: str, text: str) -> Gauge:
            return Gauge(
                name, text, ("replica",), registry=self.registry, multiprocess_mode="livesum"
            )

        def counter(name: str, text: str) -> Counter:
            return Counter(name, text, ("replica",), registry=self.registry)

        self.capacity = gauge("gremium_pool_capacity", "Jobs admitted at once.")
        self.admitted = gauge("gremium_pool_admitted", "Jobs running or waiting now.")
        self.completed = counter("gremium_pool_completed", "Jobs finished.")
        self.rejected = counter("gremium_pool_rejected", "Jobs refused with 503.")
        self.engine_tasks = counter("gremium_engine_tasks", "Sweep and job tasks submitted.")
        self.engine_fallbacks = counter(
            "gremium_engine_fallbacks",
            "Sweeps run on the local pool because the Dask scheduler did not answer.",
        )
        self.shared_counters = gauge(
            "gremium_rate_limit_shared",
            "1 while the rate-limit counters are in Redis, 0 while counted per process.",
        )
        self.counter_fallbacks = counter(
            "gremium_rate_limit_fallbacks",
            "Switches of the rate-limit counters to per process (Redis did not answer).",
        )
        self._seen = dict.fromkeys(("completed", "rejected", "tasks", "fallbacks", "counters"), 0)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(self.replica, method, route, str(status)).inc()
        self.latency.labels(self.replica, method, route).observe(seconds)
        self._copy()

    def render(self) -> bytes:
        """The exposition of this worker's figures, or of every worker's under several."""
        self._copy()
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)

    def _add(self, metric: Counter, name: str, total: int) -> None:
        metric.labels(self.replica).inc(total - self._seen[name])
        self._seen[name] = total

    def _copy(self) -> None:
        pool = self.pool
        self.capacity.labels(self.replica).set(pool.capacity)
        self.admitted.labels(self.replica).set(pool.admitted)
        self._add(self.completed, "completed", pool.completed)
        self._add(self.rejected, "rejected", pool.rejected)
        if self.engine is not None:
            self._add(self.engine_tasks, "tasks", self.engine.tasks)
            self._add(self.engine_fallbacks, "fallbacks", self.engine.fallbacks)
        if self.counters is not None:
            self.shared_counters.labels(self.replica).set(int(self.counters.shared))
            self._add(self.counter_fallbacks, "counters", self.counters.fallbacks)

    def close(self) -> None:
        """This worker is gone: its live gauges leave the sum (multiprocess mode only)."""
        if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


class Observer:
    """ASGI wrapper: assigns the request id, echoes it, times, logs and counts each request."""

    def __init__(
        self,
        app: ASGIApp,
        metrics: Metrics,
        log: TextIO | None = sys.stdout,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.log = log
        self.clock = clock
        self._encoder = msgspec.json.Encoder()
        self._second: tuple[int, str] = (-1, "")

    def _timestamp(self) -> str:
        """ISO 8601 UTC with milliseconds; date and time are formatted once per second."""
        now = time.time()
        whole = int(now)
        if whole != self._second[0]:
            formatted = datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = (whole, formatted)
        return f"{self._second[1]}.{int((now - whole) * 1000):03d}Z"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        started = self.clock()
        request_id = _incoming_request_id(scope) or os.urandom(16).hex()
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        status = 500
        sent = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = self.clock() - started
            route = scope.get("path_template") or "unmatched"
            self.metrics.observe(method, route, status, seconds)
            if self.log is not None:
                client = scope.get("client")
                record = AccessRecord(
                    time=self._timestamp(),
                    request_id=request_id,
                    method=method,
                    path=path,
                    route=route,
                    status=status,
                    duration_ms=round(seconds * 1000, 3),
                    bytes=sent,
                    client=client[0] if client else "",
                    caller=str(state.get("caller", "")),
                )
                self.log.write(self._encoder.encode(record).decode() + "\n")
                self.log.flush()


def _incoming_request_id(scope: Scope) -> str | None:
    """The caller's X-Request-ID when it is a safe token (it ends up in logs and headers)."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _REQUEST_ID.match(text) else None
    return None
