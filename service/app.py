"""The Litestar application: ``create_app(settings)`` wires the parts together, once."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import litestar.stores.base
from litestar import Litestar, Request, Response, Router, route
from litestar.config.cors import CORSConfig
from litestar.enums import HttpMethod
from litestar.exceptions import MethodNotAllowedException
from litestar.logging.config import LoggingConfig
from litestar.params import PathParameter
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from . import openapi
from .background import Jobs
from .catalogue import Catalogue
from .context import Service
from .controllers import discussions, docs, health, jobs, raci, recommendations, scenarios
from .counters import FailoverCounters, redis_counters
from .edge import HeadAsGet, Vary
from .engine import Engine, LocalBackend
from .observability import REQUEST_ID_HEADER, Metrics, Observer
from .pool import JobPool, make_pool
from .problems import ApiError, handle_exception
from .schemas import API_KEY_HEADER
from .security import RATE_LIMIT_HEADERS, RATE_LIMIT_STORE, ApiAccess, KeyRing, rate_limit
from .settings import Settings
from .store import Store

STATIC = Path(__file__).resolve().parent / "static"


@route("/{path:path}", http_method=list(HttpMethod), include_in_schema=False)
async def unknown_v1(path: Annotated[str, PathParameter()]) -> None:
    """Every other path under /v1: routed, so a key and the rate limit come before the 404."""
    raise ApiError("not-found", f"no resource at /v1{path}")


def create_app(
    settings: Settings,
    *,
    catalogue: Catalogue | None = None,
    pool: JobPool | None = None,
    store: Store | None = None,
    counters: litestar.stores.base.Store | None = None,
    engine: Engine | None = None,
    log: TextIO | None = sys.stdout,
) -> Litestar:
    """The service for ``settings``; tests inject a catalogue, a pool, a store, the rate
    limit's counters, an engine or a log stream."""
    pool = pool or make_pool(settings)
    local = LocalBackend(pool)  # on the app's event loop once it runs (warm_up)
    engine = engine or Engine(local, settings.cluster)
    if counters is None and settings.redis_url:
        counters = FailoverCounters(redis_counters(settings.redis_url))
    store = store or Store(settings.store_location)
    service = Service(
        settings=settings,
        catalogue=catalogue or Catalogue.load(),
        pool=pool,
        metrics=Metrics(
            pool,
            settings.replica,
            engine,
            counters if isinstance(counters, FailoverCounters) else None,
        ),
        store=store,
        engine=engine,
        # jobs leave a worker to interactive requests
        jobs=Jobs(
            store,
            max(1, pool.workers - 1),
            settings.max_queued_jobs,
            settings.job_retention_days * 86_400,
        ),
    )
    keys = KeyRing(settings.api_keys, settings.read_keys)
    access = ApiAccess(keys)
    # Counted first, so that a request that fails authentication is counted too.
    limit = [rate_limit(settings.rate_limit, keys).middleware] if settings.rate_limit else []

    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
        # Litestar answers a known path's wrong method while routing, before any route
        # middleware: under /v1 a caller without a valid key is asked for one first.
        if isinstance(exc, MethodNotAllowedException) and request.url.path.startswith("/v1/"):
            exc = access.refusal(request.scope) or exc
        return handle_exception(request, exc)

    v1 = Router(
        "/v1",
        route_handlers=[
            *raci.HANDLERS,
            *discussions.HANDLERS,
            *recommendations.HANDLERS,
            *jobs.HANDLERS,
            *scenarios.HANDLERS,
            unknown_v1,
        ],
        middleware=[*limit, access],
    )

    async def warm_up() -> None:
        local.bind(asyncio.get_running_loop())
        await service.pool.warm_up()
        # reach the scheduler now: unreachable, it is logged and counted as the app starts
        await asyncio.to_thread(service.engine.backend)

    app = Litestar(
        route_handlers=[
            v1,
            *health.HANDLERS,
            *docs.HANDLERS,
            *recommendations.PUBLIC,
            create_static_files_router("/static", [STATIC], include_in_schema=False),
        ],
        exception_handlers={Exception: handle},
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=[
                API_KEY_HEADER,
                "Content-Type",
                "Accept",
                "Accept-Language",
                "If-None-Match",
                "Prefer",
                REQUEST_ID_HEADER,
            ],
            # what a portal's script may read: the created recommendation's or job's address,
            # the validator, when to come back, and which preference was honoured
            expose_headers=[
                REQUEST_ID_HEADER,
                "Location",
                "ETag",
                "Retry-After",
                "Preference-Applied",
                *RATE_LIMIT_HEADERS,
            ],
            max_age=600,
        )
        if settings.cors_origins
        else None,
        request_max_body_size=settings.max_body_bytes,
        stores={RATE_LIMIT_STORE: counters} if counters is not None else None,
        openapi_config=None,
        on_startup=[warm_up],
        on_shutdown=[
            service.jobs.close,
            service.engine.close,
            service.pool.close,
            service.store.close,
            service.metrics.close,
        ],
        debug=False,
        # the service's own loggers (gremium.*: the engine, the counters, the jobs), not the
        # host's root logger: an app built inside another program (a test, a notebook, an
        # ASGI host) leaves that program's logging as it was; its records still propagate to
        # the host's handlers (pytest's caplog among them)
        logging_config=LoggingConfig(
            configure_root_logger=False,
            loggers={
                "gremium": {"level": "INFO", "handlers": ["queue_listener"], "propagate": True}
            },
        ),
    )
    app.state.service = service
    # Outermost, around routing too, so 404s and refusals are logged, counted and carry an id.
    handler: ASGIApp = Vary(HeadAsGet(app.asgi_handler))
    if settings.trusted_proxies:  # the client address from their X-Forwarded-For
        handler = ProxyHeadersMiddleware(handler, list(settings.trusted_proxies))  # type: ignore[arg-type,assignment]
    app.asgi_handler = Observer(handler, service.metrics, log)
    document = openapi.document(app, service.catalogue)
    service.openapi_json = openapi.encode_json(document)
    service.openapi_yaml = openapi.encode_yaml(document)
    return app


def app_from_env() -> Litestar:
    """The uvicorn factory of ``gremium serve``: settings from the environment."""
    settings = Settings.from_env(os.environ)
    return create_app(settings, log=sys.stdout if settings.access_log else None)
