"""Optional roles: the optimiser creates a role only where it buys more than it costs, at the
size that costs least, and says what it buys. Expected values by hand from the objective's
docstring: φ(u) = 0.2·min(u, .5) + 1.0·clip(u − .5, 0, .3) + 4.0·max(u − .8, 0), a size c
costing fte_cost · c / 20."""

from __future__ import annotations

import msgspec
import pytest

from models.raci.milp import solve_instance
from models.raci.objective import compile_instance
from models.raci.solve import solve
from models.raci.types import Activity, Profile, Role, Scenario, SolveOptions, Staffing

FAST = SolveOptions(explain=False)


def phi(u: float) -> float:
    return 0.2 * min(u, 0.5) + min(max(u - 0.5, 0.0), 0.3) + 4.0 * max(u - 0.8, 0.0)


HUB = Role(
    id="hub",
    name="Social-media team",
    kind="hub",
    competences={"strategy": 0.8},
    optional=Staffing(capacities=(1.0, 2.0, 4.0), fte_cost=2.0),
)
SCENARIO = Scenario(
    id="create",
    profile=Profile(name="Create", headcount=80, executive_sponsorship="strong"),
    roles=(
        HUB,
        Role(id="ceo", name="Board", kind="executive", capacity=10.0),
        Role(id="helper", name="Spare hands", kind="other", capacity=10.0),
    ),
    activities=(
        Activity(id="strategy", name="Strategy", category="strategy", effort=1.0),
        Activity(id="kpis", name="KPIs", category="reporting", effort=1.0),
    ),
)


def test_a_role_the_model_needs_is_created_at_the_cheapest_size_that_fits() -> None:
    result = solve(SCENARIO, "central", FAST)
    assert result.status == "optimal"
    (decision,) = result.staffing
    assert decision.created
    load = result.workload["hub"].load
    # the size that fits and costs least in penalty plus staffing, by hand
    best = min(
        (phi(load / size) + 2.0 * size / 20, size) for size in (1.0, 2.0, 4.0) if load <= size
    )
    assert decision.capacity == best[1]
    assert result.workload["hub"].capacity == best[1]
    assert decision.cost == pytest.approx(2.0 * best[1] / 20)
    assert result.objective is not None
    assert result.objective.staffing == pytest.approx(decision.cost)
    # central needs a hub as A: without one no matrix meets the hard rules
    assert decision.buys is None
    assert "without it no matrix meets the hard rules" in decision.message


def test_a_role_that_buys_nothing_is_not_created() -> None:
    useless = Role(
        id="extra",
        name="Extra team",
        kind="other",
        optional=Staffing(capacities=(20.0,), fte_cost=5.0, setup_cost=1.0),
    )
    scenario = msgspec.structs.replace(SCENARIO, roles=(*SCENARIO.roles, useless))
    result = solve(scenario, "central", FAST)
    assert result.status == "optimal"
    decision = next(d for d in result.staffing if d.role == "extra")
    assert not decision.created
    assert (decision.capacity, decision.cost) == (0.0, 0.0)
    assert all("extra" not in row for row in result.matrix.values())
    assert "is not created" in decision.message


def test_the_solver_objective_with_optional_roles_is_the_evaluated_one() -> None:
    instance = compile_instance(SCENARIO, "central")
    outcome = solve_instance(instance, FAST)
    result = solve(SCENARIO, "central", FAST)
    assert result.objective is not None
    assert outcome.objective == pytest.approx(result.objective.total, abs=1e-9)


def test_a_cheap_second_hub_is_created_when_it_relieves_an_overloaded_one() -> None:
    # the fixed hub (1.3 days) must hold A on strategy and KPIs: alone it carries both at
    # u ≥ 0.88, in the steepest segment of φ; a second hub at 0.125 points takes one over
    second = Role(
        id="hub-2",
        name="Second hub",
        kind="hub",
        competences={"strategy": 0.8},
        optional=Staffing(capacities=(5.0,), fte_cost=0.5),
    )
    fixed = msgspec.structs.replace(HUB, capacity=1.3, optional=None)
    scenario = msgspec.structs.replace(SCENARIO, roles=(fixed, second, *SCENARIO.roles[1:]))
    result = solve(scenario, "central", FAST)
    assert result.status == "optimal"
    (decision,) = result.staffing
    assert decision.created
    assert decision.cost == pytest.approx(0.5 * 5.0 / 20)
    # what it buys is measured by solving again without it: the total gets worse without it
    assert decision.buys is not None
    assert decision.buys.total > 0.0
    assert "still makes the total" in decision.message
