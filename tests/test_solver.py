"""The MILP adapter (models.solver): honest statuses, silence, and one HiGHS configuration for
every model in a process (HiGHS >= 1.16 refuses a thread count that differs from its scheduler).

Expected values are worked out by hand or by enumeration here, never by the adapter.
"""

from __future__ import annotations

import asyncio
import csv
import io
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pulp
import pytest

from models import solver
from models.discussion.intervention import intervene
from models.errors import SolverFailure
from models.raci.solve import solve
from models.raci.types import SolveOptions
from service.cli.discussion import builtin_discussions
from service.cli.raci import builtin_scenarios
from service.pool import make_pool
from service.settings import Settings as ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("highs", "cbc")

# An intervention, then RACI solves, then another intervention, in one fresh process: with a
# HiGHS that fixes its scheduler's thread count on the first run, a second configuration
# would make the later solves fail.
MIXED = """
from service.cli.discussion import builtin_discussions
from service.cli.raci import builtin_scenarios
from models.discussion.intervention import intervene
from models.raci.solve import solve
from models.raci.types import SolveOptions

discussion = builtin_discussions()["csmo-ceo"]
first = intervene(discussion)
results = [solve(builtin_scenarios()[name], "central", SolveOptions(time_limit=20))
           for name in ("csmo-ceo", "mittelstand-manufacturer")]
again = intervene(discussion)
print(first.least_effort.status, *(r.status for r in results), again.least_effort.status)
"""


def knapsack(sense: int = pulp.LpMaximize) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """0-1 knapsack: values 6, 10, 12, weights 1, 2, 3, capacity 5, objective offset 1."""
    problem = pulp.LpProblem("knapsack", sense)
    x = [pulp.LpVariable(f"take_{i}", cat=pulp.LpBinary) for i in range(3)]
    problem += 6 * x[0] + 10 * x[1] + 12 * x[2] + 1
    problem += 1 * x[0] + 2 * x[1] + 3 * x[2] <= 5, "weight"
    return problem, x


def knapsack_by_enumeration() -> tuple[float, tuple[int, ...]]:
    best = max(
        (6 * a + 10 * b + 12 * c + 1, (a, b, c))
        for a, b, c in itertools.product((0, 1), repeat=3)
        if a + 2 * b + 3 * c <= 5
    )
    return float(best[0]), best[1]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_maximisation_with_an_offset_is_solved_as_such(engine: solver.Engine) -> None:
    problem, x = knapsack()
    answer = solver.solve(problem, solver.Settings(time_limit=10, engine=engine))
    value, take = knapsack_by_enumeration()  # 23 = 10 + 12 + 1, the two heavier items
    assert answer.status == "optimal"
    assert answer.objective == pytest.approx(value)
    assert answer.bound == pytest.approx(value)
    assert answer.gap == 0.0
    assert tuple(round(answer.value(v)) for v in x) == take


@pytest.mark.parametrize("engine", ENGINES)
def test_an_infeasible_model_is_reported_infeasible(engine: solver.Engine) -> None:
    problem, x = knapsack()
    problem += x[0] + x[1] + x[2] >= 3, "all"  # weight 6 > 5
    answer = solver.solve(problem, solver.Settings(time_limit=10, engine=engine))
    assert answer.status == "infeasible"
    assert answer.values is None
    assert answer.objective is None


@pytest.mark.parametrize(("row_bound", "status"), [(0.0, "optimal"), (1.0, "infeasible")])
def test_a_model_without_columns_is_decided_by_its_rows(row_bound: float, status: str) -> None:
    # Every cell pruned away (no capacity anywhere): the rows alone decide, 0 ≥ bound.
    problem = pulp.LpProblem("empty", pulp.LpMinimize)
    problem += pulp.LpAffineExpression(constant=3.0)
    problem += pulp.LpAffineExpression() >= row_bound, "needs_someone"
    answer = solver.solve(problem, solver.Settings(time_limit=10))
    assert answer.status == status
    assert answer.objective == (3.0 if status == "optimal" else None)


def test_a_requested_gap_is_not_called_optimal() -> None:
    # Minimise 2 y with 2 y ≥ 1, y integer, under a relative gap of 100 %: HiGHS may stop at
    # any incumbent; it is called "optimal" only if its bound proves it.
    problem = pulp.LpProblem("gap", pulp.LpMinimize)
    y = pulp.LpVariable("y", 0, 10, cat=pulp.LpInteger)
    problem += 2 * y
    problem += 2 * y >= 1, "half"
    answer = solver.solve(problem, solver.Settings(time_limit=10, gap=1.0))
    assert answer.objective is not None
    if answer.status == "optimal":
        assert answer.gap == 0.0
        assert answer.objective == pytest.approx(2.0)
    else:
        assert answer.status == "feasible"
        assert answer.stopped == "gap"


def test_a_kept_model_re_solves_with_columns_forbidden_and_restores_them() -> None:
    problem, x = knapsack()
    model = solver.HighsModel(problem, solver.Settings(time_limit=10))
    assert model.run().objective == pytest.approx(23.0)
    with model.forbidding([model.columns[x[2].name]]):
        # without the third item: items 1 and 2 (weight 3), 6 + 10 + 1
        assert model.run().objective == pytest.approx(17.0)
    assert model.run().objective == pytest.approx(23.0)


def test_a_kept_model_re_solves_with_rows_freed_and_restores_them() -> None:
    problem, x = knapsack()
    problem += x[0] >= 1, "take_the_first"
    model = solver.HighsModel(problem, solver.Settings(time_limit=10))
    # with the first item: it and the third (weight 4) beat it and the second (weight 3)
    assert model.run().objective == pytest.approx(6 + 12 + 1)
    with model.freeing([model.rows["take_the_first"]]):
        assert model.run().objective == pytest.approx(10 + 12 + 1)
    with model.freeing([model.rows["weight"]]):
        assert model.run().objective == pytest.approx(6 + 10 + 12 + 1)
    assert model.run().objective == pytest.approx(6 + 12 + 1)


def test_a_start_that_breaks_a_row_is_ignored() -> None:
    problem, x = knapsack()
    model = solver.HighsModel(problem, solver.Settings(time_limit=10))
    model.start({var.name: 1.0 for var in x})  # weight 6 > 5
    answer = model.run()
    assert answer.status == "optimal"
    assert answer.objective == pytest.approx(23.0)
    assert [round(answer.value(v)) for v in x] == [0, 1, 1]


def test_an_option_highs_does_not_know_is_a_solver_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solver, "HEURISTICS", ("no_such_option",))
    problem, _ = knapsack()
    with pytest.raises(SolverFailure, match="no_such_option"):
        solver.solve(problem, solver.Settings(time_limit=10, heuristics=False))


def test_readiness_check_names_the_version() -> None:
    assert solver.check() == solver.version("highs")
    assert solver.version("highs").count(".") == 2


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_interventions_and_raci_solves_share_one_process_silently() -> None:
    done = run_python(MIXED)
    assert done.returncode == 0, done.stderr
    # nothing but the program's own line: no HiGHS banner on stdout or stderr
    assert done.stdout.split() == ["optimal", "optimal", "optimal", "optimal"]
    assert done.stderr == ""


def test_a_pool_worker_answers_an_intervention_then_a_solve() -> None:
    pool = make_pool(ServiceSettings(pool="process", pool_workers=1))

    async def both() -> tuple[str, str]:
        try:
            planned = await pool.run(None, intervene, builtin_discussions()["csmo-ceo"])
            solved = await pool.run(
                None,
                solve,
                builtin_scenarios()["csmo-ceo"],
                "hub-and-spoke",
                SolveOptions(time_limit=20),
            )
        finally:
            pool.close()
        return planned.least_effort.status, solved.status

    assert asyncio.run(both()) == ("optimal", "optimal")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_output_is_the_data_and_nothing_else(fmt: str) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "service.cli",
            "solve",
            "csmo-ceo",
            "--variant=central",
            f"--format={fmt}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    if fmt == "json":
        [result] = json.loads(done.stdout)["results"]  # the API's shape, one model or all
        assert result["status"] == "optimal"
    else:
        rows = list(csv.reader(io.StringIO(done.stdout.removeprefix("\ufeff"))))
        assert rows[1][:3] == ["variant", "name", "activity"]
        assert all(len(row) == len(rows[0]) for row in rows)


def test_a_spent_budget_is_no_time_not_a_solver_failure() -> None:
    # a caller's remainder (time limit minus what is spent) can be negative
    problem, _ = knapsack()
    answer = solver.solve(problem, solver.Settings(time_limit=-0.5))
    assert answer.status in ("optimal", "feasible", "no-solution")
