"""The MILP's own objective is the objective evaluate() computes, and its rows carry ids."""

from __future__ import annotations

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from models.raci.codec import prepare
from models.raci.generate import generate
from models.raci.milp import build, solve_instance
from models.raci.objective import compile_instance, evaluate, matrix_of
from models.raci.types import Scenario, Variant
from tests.raci.test_solve import FAST, scenarios, variants


@settings(max_examples=20, deadline=None)
@given(scenarios(), variants)
def test_the_solver_objective_equals_evaluate_of_its_matrix(
    scenario: Scenario, variant: Variant
) -> None:
    instance = compile_instance(scenario, variant)
    outcome = solve_instance(instance, FAST)
    if outcome.chosen is None:
        assert outcome.status == "infeasible"
        return
    assert outcome.objective is not None
    evaluated, _ = evaluate(scenario, variant, matrix_of(instance, outcome.chosen))
    assert abs(evaluated.total - outcome.objective) <= 1e-6


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 1000))
def test_constraint_names_carry_the_ids(seed: int) -> None:
    scenario = generate(6, 5, seed)
    problem, _ = build(compile_instance(scenario, "central"))
    names = set(problem.constraints)
    for activity in scenario.activities:
        assert f"one_accountable_{activity.id.replace('-', '_')}_" in names
        assert f"responsible_{activity.id.replace('-', '_')}_" in names


def test_a_subnormal_effort_on_a_zero_capacity_solves_like_evaluate() -> None:
    # The attack: effort 2.2e-309 is within the admissibility tolerance of capacity 0, so the
    # letter stays allowed, and the capacity row divided by zero (a 500 at the service).
    scenario = prepare(
        msgspec.convert(
            {
                "id": "tiny",
                "profile": {"name": "Tiny", "headcount": 10},
                "roles": [{"id": "csmo", "name": "CSMO", "kind": "hub", "capacity": 0}],
                "activities": [
                    {"id": "strategy", "name": "S", "category": "strategy", "effort": 2.2e-309}
                ],
            },
            Scenario,
        )
    )
    instance = compile_instance(scenario, "central")
    outcome = solve_instance(instance, FAST)
    assert outcome.status == "optimal"
    assert outcome.chosen is not None
    assert outcome.objective is not None
    evaluated, _ = evaluate(scenario, "central", matrix_of(instance, outcome.chosen))
    assert abs(evaluated.total - outcome.objective) <= 1e-6
