"""The layering, checked: models/ is pure, PuLP stays where models are built, and
only the solver adapter touches HiGHS."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB = {"litestar", "httpx", "uvicorn", "starlette", "service"}
IO_CALLS = {"open"}
PULP_HOMES = {"models/raci/milp.py", "models/discussion/intervention.py", "models/solver.py"}
HIGHS_HOME = "models/solver.py"


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def called_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }


MODEL_FILES = sorted(ROOT.glob("models/**/*.py"))


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_models_import_no_web_and_do_no_file_io(path: Path) -> None:
    assert not imported_roots(path) & WEB
    assert not called_names(path) & IO_CALLS


SHIPPED_FILES = sorted(
    path
    for package in ("models", "service")
    for path in (ROOT / package).glob("**/*.py")
    if str(path.relative_to(ROOT)) not in PULP_HOMES
)


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_pulp_is_imported_only_where_models_are_built(path: Path) -> None:
    assert "pulp" not in imported_roots(path)


ALL_SHIPPED = sorted(
    path for package in ("models", "service") for path in (ROOT / package).glob("**/*.py")
)


@pytest.mark.parametrize("path", ALL_SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_highs_is_reached_only_through_the_solver_adapter(path: Path) -> None:
    assert str(path.relative_to(ROOT)) == HIGHS_HOME or "highspy" not in imported_roots(path)


def test_there_are_model_modules_to_check() -> None:
    assert len(MODEL_FILES) >= 5
