"""``gremium worker``: a Dask worker that runs Gremium's sweeps and jobs.

It is Dask's own worker (``python -m distributed.cli.dask_worker``: nanny, reconnection,
signals), started with what Gremium's tasks need: one thread per worker process (PuLP holds
the GIL while it builds a model, and HiGHS runs single-threaded, :mod:`models.solver`), one
BLAS thread, and :mod:`service.worker` preloaded (models imported, HiGHS checked).
"""

from __future__ import annotations

import argparse
import os
import sys

from ..settings import Settings, cpu_count
from .serve import one_blas_thread


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "worker",
        help="run a Dask worker for sweeps and jobs",
        description="Run a Dask worker (one thread per process) attached to the scheduler "
        "GREMIUM_CLUSTER names, or the one given.",
    )
    parser.add_argument("scheduler", nargs="?", help="scheduler address (default: GREMIUM_CLUSTER)")
    parser.add_argument("--processes", type=int, help="worker processes (default: usable cores)")
    parser.add_argument("--name", help="worker name (default: Dask's)")
    parser.add_argument(
        "--host", help="address to listen on and advertise (default: Dask's choice)"
    )
    parser.set_defaults(run=worker)


def command(scheduler: str, processes: int, name: str | None, host: str | None) -> list[str]:
    """The Dask worker command line ``gremium worker`` runs."""
    found = [
        sys.executable,
        "-m",
        "distributed.cli.dask_worker",
        scheduler,
        "--nthreads",
        "1",
        "--nworkers",
        str(processes),
        "--preload",
        "service.worker",
        "--no-dashboard",
    ]
    if name:
        found += ["--name", name]
    if host:
        found += ["--host", host]
    return found


def worker(args: argparse.Namespace) -> int:  # noqa: RET503 (execv does not return)
    settings = Settings.from_env(os.environ)  # every bad variable at once, as serve does
    scheduler = args.scheduler or settings.cluster
    if scheduler is None:
        print("gremium: error: no scheduler: give one or set GREMIUM_CLUSTER", file=sys.stderr)
        return 2
    processes = args.processes or cpu_count()
    one_blas_thread()
    line = command(scheduler, processes, args.name, args.host)
    os.execv(line[0], line)  # the worker replaces this process: signals reach it directly
