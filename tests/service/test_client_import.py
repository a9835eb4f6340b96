"""The client is light: importing it loads msgspec and httpx, not the server or the solvers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("litestar", "pulp", "highspy", "numpy", "networkx", "matplotlib", "uvicorn")
# A generous guard on a loaded CI machine; the target (200 ms) is reported by
# benchmarks/service.py. httpx alone takes most of it.
SECONDS = 0.5
RUNS = 3

PROBE = f"""
import json, sys, time
start = time.perf_counter()
import service.client
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "heavy": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def import_client() -> tuple[float, list[str]]:
    """Import the client in a fresh interpreter: the seconds it took, the heavy modules loaded."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    answer = json.loads(done.stdout)
    return answer["seconds"], answer["heavy"]


def test_the_client_loads_neither_the_server_nor_the_solvers() -> None:
    _, heavy = import_client()
    assert heavy == []


def test_the_client_imports_quickly() -> None:
    # the best of a few runs: another test process may hold the CPU during one of them
    best = min(import_client()[0] for _ in range(RUNS))
    assert best < SECONDS
