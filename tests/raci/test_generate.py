"""The synthetic organisations: deterministic, well-formed, feasible for every variant."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.raci import validate
from models.raci.generate import BASE, generate
from models.raci.solve import solve
from models.raci.types import VARIANTS, SolveOptions


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 40), st.integers(1, 50), st.integers(0, 2**32 - 1))
def test_generated_scenarios_are_valid_and_deterministic(
    roles: int, activities: int, seed: int
) -> None:
    scenario = generate(roles, activities, seed)
    assert (len(scenario.roles), len(scenario.activities)) == (roles, activities)
    validate.check(scenario)  # unique ids, a reporting tree without cycles, known ids
    assert generate(roles, activities, seed) == scenario
    kinds = [role.kind for role in scenario.roles]
    assert kinds[: len(BASE)] == list(BASE[:roles])
    assert all(role.capacity > 0 for role in scenario.roles)
    if "works_council" not in kinds:
        assert not any(activity.codetermination for activity in scenario.activities)


def test_a_large_organisation_has_every_kind_and_category() -> None:
    scenario = generate(40, 200, seed=7)
    assert set(BASE) <= {role.kind for role in scenario.roles}
    assert len({activity.category for activity in scenario.activities}) == 12
    assert any(activity.codetermination for activity in scenario.activities)
    roots = [role.id for role in scenario.roles if role.reports_to is None]
    assert roots == ["executive"]


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_scenarios_are_feasible_for_every_variant(seed: int) -> None:
    scenario = generate(10, 12, seed)
    for variant in VARIANTS:
        assert solve(scenario, variant, SolveOptions(explain=False)).status == "optimal"


def test_sizes_below_one_are_rejected() -> None:
    with pytest.raises(ValueError, match="at least one"):
        generate(0, 3, seed=0)
