"""The Litestar application: ``create_app(settings)`` wires the parts together, once."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TextIO

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.static_files import create_static_files_router

from . import openapi
from .catalogue import Catalogue
from .context import Service
from .controllers import discussions, docs, health, raci, recommendations, scenarios
from .observability import REQUEST_ID_HEADER, Metrics, Observer
from .pool import JobPool, make_pool
from .problems import handle_exception
from .schemas import API_KEY_HEADER
from .security import ApiAccess, KeyRing, RateLimiter
from .settings import Settings
from .store import Store

STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings,
    *,
    catalogue: Catalogue | None = None,
    pool: JobPool | None = None,
    store: Store | None = None,
    log: TextIO | None = sys.stdout,
) -> Litestar:
    """The service for ``settings``; tests inject a catalogue, a pool, a store or a log stream."""
    service = Service(
        settings=settings,
        catalogue=catalogue or Catalogue.load(),
        pool=pool or make_pool(settings),
        metrics=Metrics(),
        store=store or Store(settings.store),
    )
    v1 = Router(
        "/v1",
        route_handlers=[
            *raci.HANDLERS,
            *discussions.HANDLERS,
            *recommendations.HANDLERS,
            *scenarios.HANDLERS,
        ],
        middleware=[ApiAccess(KeyRing(settings.api_keys), RateLimiter(settings.rate_limit))],
    )

    async def warm_up() -> None:
        await service.pool.warm_up()

    app = Litestar(
        route_handlers=[
            v1,
            *health.HANDLERS,
            *docs.HANDLERS,
            create_static_files_router("/static", [STATIC], include_in_schema=False),
        ],
        exception_handlers={Exception: handle_exception},
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=[API_KEY_HEADER, "Content-Type", "Accept", REQUEST_ID_HEADER],
            expose_headers=[REQUEST_ID_HEADER, "Retry-After"],
            max_age=600,
        )
        if settings.cors_origins
        else None,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=None,
        on_startup=[warm_up],
        on_shutdown=[service.pool.close, service.store.close],
        debug=False,
    )
    app.state.service = service
    # Outermost, around routing too, so 404s and refusals are logged, counted and carry an id.
    app.asgi_handler = Observer(app.asgi_handler, service.metrics, log)
    document = openapi.document(app, service.catalogue)
    service.openapi_json = openapi.encode_json(document)
    service.openapi_yaml = openapi.encode_yaml(document)
    return app


def app_from_env() -> Litestar:
    """The uvicorn factory of ``gremium serve``: settings from the environment."""
    settings = Settings.from_env(os.environ)
    return create_app(settings, log=sys.stdout if settings.access_log else None)
