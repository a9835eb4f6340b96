"""Liveness, readiness and metrics, for the orchestrator and Prometheus (no API key needed)."""

from __future__ import annotations

import asyncio

from litestar import Response, get
from litestar.response.base import ASGIResponse

from ..context import TEXT, AnyRequest, Doc, answer, service_of
from ..observability import PROMETHEUS
from ..problems import ApiError
from ..schemas import Health


@get("/healthz", operation_id="health", opt=Doc("Operations", response=Health).opt())
async def healthz() -> Response[bytes]:
    """Alive: the event loop answers (it never waits for a solve)."""
    return answer(Health(status="ok"))


@get("/readyz", operation_id="ready", opt=Doc("Operations", response=Health, errors=(503,)).opt())
async def readyz(request: AnyRequest) -> Response[bytes]:
    """Ready: the store can be read and written (else 503 ``store-unavailable``), and a pool
    worker has started and solved a tiny MILP with HiGHS. Takes no job slot; a busy pool is
    still ready, and so is one whose Dask scheduler is away (the engine falls back)."""
    service = service_of(request)
    await asyncio.to_thread(service.store.check)
    ready, checks = service.pool.readiness()
    checks["store"] = "ok"
    checks["engine"] = await asyncio.to_thread(lambda: service.engine.state)
    if not ready:
        failing = ", ".join(f"{name}: {state}" for name, state in checks.items())
        raise ApiError("not-ready", f"not ready ({failing})")
    return answer(Health(status="ok", checks=checks))


@get("/metrics", operation_id="metrics", opt=Doc("Operations", media=(TEXT,)).opt())
async def metrics(request: AnyRequest) -> ASGIResponse:
    """Prometheus metrics of every server worker: requests, latencies, the job pools."""
    # As a header: from media_type, Litestar would append a second "; charset=utf-8".
    return ASGIResponse(
        body=service_of(request).metrics.render(), headers={"content-type": PROMETHEUS}
    )


HANDLERS = (healthz, readyz, metrics)
