"""Liveness, readiness and metrics, for the orchestrator and Prometheus (no API key needed)."""

from __future__ import annotations

import asyncio

from litestar import Response, get

from ..context import TEXT, AnyRequest, Doc, answer, service_of
from ..problems import ApiError
from ..schemas import Health

PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8"


@get("/healthz", operation_id="health", opt=Doc("Operations", response=Health).opt())
async def healthz() -> Response[bytes]:
    """Alive: the event loop answers (it never waits for a solve)."""
    return answer(Health(status="ok"))


@get("/readyz", operation_id="ready", opt=Doc("Operations", response=Health, errors=(503,)).opt())
async def readyz(request: AnyRequest) -> Response[bytes]:
    """Ready: a pool worker has started and solved a tiny MILP with HiGHS, and the store
    answers. Takes no job slot; a busy pool is still ready."""
    service = service_of(request)
    ready, checks = service.pool.readiness()
    try:
        await asyncio.to_thread(service.store.get, "0" * 16)
        checks["store"] = "ok"
    except Exception as exc:
        ready, checks["store"] = False, f"fails: {type(exc).__name__}"
    if not ready:
        failing = ", ".join(f"{name}: {state}" for name, state in checks.items())
        raise ApiError("not-ready", f"not ready ({failing})")
    return answer(Health(status="ok", checks=checks))


@get("/metrics", operation_id="metrics", opt=Doc("Operations", media=(TEXT,)).opt())
async def metrics(request: AnyRequest) -> Response[str]:
    """Prometheus metrics of this server worker: requests, latencies, the job pool."""
    service = service_of(request)
    return Response(service.metrics.render(service.pool), media_type=PROMETHEUS)


HANDLERS = (healthz, readyz, metrics)
