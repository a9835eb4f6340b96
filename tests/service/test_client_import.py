"""The client is light: importing it loads msgspec and httpx, not the server or the solvers.

How long the import takes (target 200 ms) is a benchmark figure (benchmarks/service.py), not
a timed test: on a loaded machine any threshold is either flaky or meaningless."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("litestar", "pulp", "highspy", "numpy", "networkx", "matplotlib", "uvicorn")
PROBE = f"""
import json, sys
import service.client
print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))
"""


def test_the_client_loads_neither_the_server_nor_the_solvers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []
