"""``gremium serve``: the REST service on uvicorn, configured by ``GREMIUM_*`` variables."""

from __future__ import annotations

import argparse
import os

import uvicorn

from ..settings import Settings


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the REST service",
        description="Run the REST service with the built-in scenarios. Options override the "
        "GREMIUM_HOST, GREMIUM_PORT and GREMIUM_WORKERS variables; the README lists the others.",
    )
    parser.add_argument("--host", help="address to bind (default: GREMIUM_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: GREMIUM_PORT or 8000)")
    parser.add_argument(
        "--workers", type=int, help="server processes (default: GREMIUM_WORKERS or 1)"
    )
    parser.set_defaults(run=serve)


def serve(args: argparse.Namespace) -> int:
    settings = Settings.from_env(os.environ)  # fail here, with every bad variable, not per worker
    # Pool workers inherit this: multi-threaded BLAS busy-waits and starves the other workers
    # on a small machine (see benchmarks/__init__.py).
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    uvicorn.run(
        "service.app:app_from_env",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
        access_log=False,  # the service writes its own JSON-lines access log
        server_header=False,
        log_level="warning",
        # SIGTERM: stop listening, let running requests finish for this long, then cancel
        # them (which kills their pool jobs) and exit.
        timeout_graceful_shutdown=settings.shutdown_grace,
    )
    return 0
