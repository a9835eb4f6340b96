"""``gremium serve``: the REST service on uvicorn, configured by ``GREMIUM_*`` variables."""

from __future__ import annotations

import argparse
import dataclasses
import os

from .. import server
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
    overrides = {"host": args.host, "port": args.port, "workers": args.workers}
    settings = dataclasses.replace(settings, **{k: v for k, v in overrides.items() if v})
    one_blas_thread()
    return server.run(settings)


def one_blas_thread() -> None:
    """One BLAS thread unless set: pool and Dask workers inherit it. Multi-threaded BLAS
    busy-waits and starves the other workers on a small machine (see benchmarks/__init__.py)."""
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
