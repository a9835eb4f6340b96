"""Explanations: cell contributions add up to the objective, runner-ups match re-solves."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given, settings

from models.raci.explain import EXACT_CELLS
from models.raci.generate import generate
from models.raci.solve import solve
from models.raci.types import MustNotBeAccountable, Scenario, SolveOptions, Variant
from tests.raci.test_solve import scenarios, variants

EXPLAIN = SolveOptions(explain=True)


@settings(max_examples=15, deadline=None)
@given(scenarios(max_roles=5, max_activities=4), variants)
def test_cell_contributions_add_up_to_the_objective_terms(
    scenario: Scenario, variant: Variant
) -> None:
    result = solve(scenario, variant, EXPLAIN)
    if result.status != "optimal":
        return
    assert result.explanation is not None
    assert result.objective is not None
    cells = result.explanation.cells
    assert {(c.activity, c.role) for c in cells} == {
        (a, r) for a, row in result.matrix.items() for r in row
    }
    # empty cells cost only alignment, so these three terms are carried by the letters alone
    assert sum(c.competence for c in cells) == pytest.approx(result.objective.competence, abs=1e-9)
    assert sum(c.communication for c in cells) == pytest.approx(
        result.objective.communication, abs=1e-9
    )
    assert sum(c.workload for c in cells) == pytest.approx(result.objective.workload, abs=1e-9)
    assert all(c.reason.endswith(".") for c in cells)


@pytest.mark.parametrize("variant", ["central", "distributed"])
def test_the_runner_up_cost_is_the_cost_of_forbidding_the_accountable(variant: Variant) -> None:
    scenario = generate(4, 3, seed=11)
    assert len(scenario.roles) * len(scenario.activities) <= EXACT_CELLS
    result = solve(scenario, variant, EXPLAIN)
    assert result.status == "optimal"
    assert result.explanation is not None
    assert result.objective is not None
    for alternative in result.explanation.alternatives:
        assert result.matrix[alternative.activity][alternative.accountable] in ("A", "A/R")
        banned = MustNotBeAccountable(role=alternative.accountable, activity=alternative.activity)
        other = solve(
            msgspec.structs.replace(scenario, rules=(*scenario.rules, banned)),
            variant,
            SolveOptions(explain=False),
        )
        if other.status == "infeasible":
            assert alternative.runner_up is None
            assert alternative.cost_increase is None
        else:
            assert other.objective is not None
            assert alternative.cost_increase == pytest.approx(
                other.objective.total - result.objective.total, abs=1e-6
            )
            assert other.matrix[alternative.activity].get(alternative.runner_up) in ("A", "A/R")


def test_large_instances_give_a_labelled_local_estimate() -> None:
    scenario = generate(12, 20, seed=5)
    assert len(scenario.roles) * len(scenario.activities) > EXACT_CELLS
    result = solve(scenario, "hub-and-spoke", EXPLAIN)
    assert result.explanation is not None
    alternatives = result.explanation.alternatives
    assert len(alternatives) == len(scenario.activities)
    for alternative in alternatives:
        assert alternative.reason.startswith("Local estimate")
        # moving A away from an optimal matrix cannot make it cheaper
        if alternative.cost_increase is not None:
            assert alternative.cost_increase >= -1e-9
