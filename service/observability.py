"""What operators see: a request id on every response, a JSON-lines access log and Prometheus
metrics.

:class:`Observer` wraps the whole Litestar ASGI handler (routing included), so 404s and refused
requests are logged and counted like the rest. Headers are never logged: the API key stays out.
"""

from __future__ import annotations

import os
import re
import sys
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from .pool import JobPool

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
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
    """Request counters and latency histograms per route, rendered in Prometheus text format."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.buckets: dict[tuple[str, str], list[int]] = {}
        self.sums: defaultdict[tuple[str, str], float] = defaultdict(float)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[method, route, status] += 1
        counts = self.buckets.setdefault((method, route), [0] * (len(BUCKETS) + 1))
        counts[bisect_left(BUCKETS, seconds)] += 1
        self.sums[method, route] += seconds

    def render(self, pool: JobPool) -> str:
        lines = [
            "# HELP gremium_requests_total HTTP requests answered.",
            "# TYPE gremium_requests_total counter",
        ]
        for (method, route, status), count in sorted(self.requests.items()):
            labels = f'method="{method}",route="{route}",status="{status}"'
            lines.append(f"gremium_requests_total{{{labels}}} {count}")
        lines += [
            "# HELP gremium_request_duration_seconds Time to answer a request.",
            "# TYPE gremium_request_duration_seconds histogram",
        ]
        for (method, route), counts in sorted(self.buckets.items()):
            labels = f'method="{method}",route="{route}"'
            cumulative = 0
            for bound, count in zip((*BUCKETS, float("inf")), counts, strict=True):
                cumulative += count
                le = "+Inf" if bound == float("inf") else f"{bound:g}"
                lines.append(
                    f'gremium_request_duration_seconds_bucket{{{labels},le="{le}"}} {cumulative}'
                )
            lines.append(
                f"gremium_request_duration_seconds_sum{{{labels}}} {self.sums[method, route]:.6f}"
            )
            lines.append(f"gremium_request_duration_seconds_count{{{labels}}} {cumulative}")
        gauges = (
            ("gremium_pool_capacity", "gauge", "Jobs admitted at once.", pool.capacity),
            ("gremium_pool_admitted", "gauge", "Jobs running or waiting now.", pool.admitted),
            ("gremium_pool_completed_total", "counter", "Jobs finished.", pool.completed),
            ("gremium_pool_rejected_total", "counter", "Jobs refused with 503.", pool.rejected),
        )  # fmt: skip
        for name, kind, help_text, value in gauges:
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}", f"{name} {value}"]
        return "\n".join(lines) + "\n"


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
