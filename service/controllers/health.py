"""Liveness, readiness and metrics, for the orchestrator and Prometheus (no API key needed)."""

from __future__ import annotations

from litestar import Response, get

from models import solver

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
    """Ready: a pool worker answers and HiGHS solves a tiny MILP in it."""
    pool = service_of(request).pool
    try:
        version = await pool.run(solver.check)
    except ApiError:
        raise
    except Exception as exc:
        raise ApiError("not-ready", "the solver is not available in the job pool") from exc
    checks = {"solver": f"HiGHS {version}", "pool": f"{pool.admitted}/{pool.capacity} jobs"}
    return answer(Health(status="ok", checks=checks))


@get("/metrics", operation_id="metrics", opt=Doc("Operations", media=(TEXT,)).opt())
async def metrics(request: AnyRequest) -> Response[str]:
    """Prometheus metrics of this server worker: requests, latencies, the job pool."""
    service = service_of(request)
    return Response(service.metrics.render(service.pool), media_type=PROMETHEUS)


HANDLERS = (healthz, readyz, metrics)
