"""The change term and the minimum-change proposal: the closest matrix to the client's current
one that meets every hard rule."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.core import Matrix
from models.errors import InvalidInput
from models.raci.generate import generate
from models.raci.objective import evaluate
from models.raci.solve import solve
from models.raci.types import SolveOptions, Variant
from tests.raci.test_brute import runnable
from tests.raci.test_objective import MATRIX, SCENARIO
from tests.raci.test_solve import variants

FAST = SolveOptions(explain=False, time_limit=30.0)


def test_each_differing_cell_costs_the_change_weight() -> None:
    weights = msgspec.structs.replace(SCENARIO.weights, change=2.0)
    # the matrix holds hub A/R and IT C; today the hub holds A and IT C: one cell differs
    today: Matrix = {"plan": {"hub": "A", "it": "C"}}
    scenario = msgspec.structs.replace(SCENARIO, current=today, weights=weights)
    objective, _ = evaluate(scenario, "central", MATRIX)
    plain, _ = evaluate(SCENARIO, "central", MATRIX)
    assert objective.change == 2.0
    assert objective.total == pytest.approx(plain.total + 2.0)
    # an empty cell counts as a letter: IT holds nothing today, C in the matrix
    empty = msgspec.structs.replace(scenario, current={"plan": {"hub": "A/R"}})
    assert evaluate(empty, "central", MATRIX)[0].change == 2.0
    # no current matrix: no change term
    assert plain.change == 0.0


def test_a_current_matrix_naming_unknown_rows_or_roles_is_refused() -> None:
    wrong = msgspec.structs.replace(
        SCENARIO, current={"plan": {"cfo": "A"}, "plan@nobody": {"hub": "R"}, "xyz": {}}
    )
    with pytest.raises(InvalidInput) as raised:
        solve(wrong, "central", FAST)
    assert [p.pointer for p in raised.value.problems] == [
        "/current/plan/cfo",
        "/current/plan@nobody",
        "/current/xyz",
    ]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), variants)
def test_the_minimum_change_proposal_for_a_feasible_matrix_is_that_matrix(
    seed: int, variant: Variant
) -> None:
    scenario = runnable(generate(6, 5, seed), variant)
    # a matrix that meets every hard rule but is not this scenario's optimum: solved with
    # other weights
    skewed = msgspec.structs.replace(
        scenario, weights=msgspec.structs.replace(scenario.weights, competence=5.0, alignment=0.0)
    )
    other = solve(skewed, variant, FAST)
    if other.status != "optimal":
        return
    closest = msgspec.structs.replace(
        scenario,
        current=other.matrix,
        weights=msgspec.structs.replace(scenario.weights, change=1000.0),
    )
    result = solve(closest, variant, FAST)
    assert result.status == "optimal"
    assert result.matrix == other.matrix
    assert result.objective is not None
    assert result.objective.change == 0.0
