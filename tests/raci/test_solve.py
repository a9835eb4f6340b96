"""Properties of the optimiser over generated organisations, and the built-in scenarios.

The hard rules are checked here from their definitions (PMBOK's RACI rules and the variants'
structure), not through the optimiser's own instance: one A, at least one R, capacity, the
scenario's rules, the works council, and the structure of each variant.
"""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.core import Letter, Matrix
from models.errors import InvalidInput
from models.raci.generate import generate
from models.raci.lint import lint
from models.raci.solve import solve
from models.raci.types import (
    VARIANTS,
    FixedLetter,
    MustBeInvolved,
    MustNotBeAccountable,
    Rule,
    Scenario,
    SolveOptions,
    Variant,
    Weights,
)

FAST = SolveOptions(explain=False, time_limit=30.0)
# Load of each letter as a share of the activity's effort (the objective docstring).
LOAD_SHARE: dict[Letter, float] = {"R": 1.0, "A": 0.25, "C": 0.15, "I": 0.05, "A/R": 1.15}
ACCOUNTABLE = {"A", "A/R"}
RESPONSIBLE = {"R", "A/R"}
# Structure per variant: (categories, role kinds, letters, at least one holds / none holds).
HUB_A = ({"strategy", "policy", "monitoring", "crisis", "reporting"}, {"hub"}, ACCOUNTABLE, True)
STRUCTURE: dict[str, list[tuple[set[str], set[str], set[str], bool]]] = {
    "central": [HUB_A],
    "hub-and-spoke": [
        ({"strategy", "policy", "training", "tools", "reporting"}, {"hub"}, ACCOUNTABLE, True),
        ({"execution"}, {"business_unit"}, RESPONSIBLE, True),
    ],
    "distributed": [
        ({"execution"}, {"business_unit", "employees"}, ACCOUNTABLE, True),
        ({"execution"}, {"business_unit", "employees"}, RESPONSIBLE, True),
        ({"execution"}, {"hub"}, {"R", "A", "A/R"}, False),
    ],
    "multi-hub": [
        ({"strategy", "policy", "crisis", "reporting"}, {"umbrella"}, ACCOUNTABLE, True),
        ({"execution", "monitoring"}, {"regional_hub", "business_unit"}, ACCOUNTABLE, True),
        ({"execution", "monitoring"}, {"regional_hub", "business_unit"}, RESPONSIBLE, True),
    ],
    "holistic": [
        ({"policy", "training"}, {"hub"}, ACCOUNTABLE, True),
        ({"execution"}, {"employees"}, RESPONSIBLE, True),
        ({"execution"}, {"hub"}, {"R", "A", "A/R"}, False),
    ],
}


def _kinds(scenario: Scenario, variant: str) -> dict[str, set[str]]:
    """Role ids per kind, with the multi-hub pseudo-kinds (umbrella = hub nearest the root)."""
    by_id = {role.id: role for role in scenario.roles}

    def depth(role_id: str) -> int:
        steps, up = 0, by_id[role_id].reports_to
        while up is not None and up in by_id:
            steps, up = steps + 1, by_id[up].reports_to
        return steps

    kinds: dict[str, set[str]] = {}
    for role in scenario.roles:
        kinds.setdefault(role.kind, set()).add(role.id)
    hubs = sorted(kinds.get("hub", set()), key=lambda h: (depth(h), h))
    if variant == "multi-hub" and hubs:
        kinds["umbrella"], kinds["regional_hub"] = {hubs[0]}, set(hubs[1:])
        del kinds["hub"]
    return kinds


def broken_rules(scenario: Scenario, variant: str, matrix: Matrix) -> list[str]:
    """Every hard rule ``matrix`` breaks, checked from the definitions."""
    broken = []
    roles = {role.id: role for role in scenario.roles}
    load = dict.fromkeys(roles, 0.0)
    kinds = _kinds(scenario, variant)
    for activity in scenario.activities:
        row = matrix.get(activity.id, {})
        assert set(row) <= set(roles)
        if sum(letter in ACCOUNTABLE for letter in row.values()) != 1:
            broken.append(f"one A on {activity.id}")
        if not any(letter in RESPONSIBLE for letter in row.values()):
            broken.append(f"an R on {activity.id}")
        for role, letter in row.items():
            load[role] += activity.effort * LOAD_SHARE[letter]
        council = kinds.get("works_council", set())
        codetermined = scenario.profile.works_council and activity.codetermination
        if codetermined and not any(role in row for role in council):
            broken.append(f"works council on {activity.id}")
        for categories, who, letters, required in STRUCTURE[variant]:
            holders = set().union(*(kinds.get(kind, set()) for kind in who))
            if activity.category not in categories or not holders:
                continue
            held = any(row.get(role) in letters for role in holders)
            if held != required:
                broken.append(f"structure {sorted(who)} on {activity.id}")
    broken += [f"capacity of {r}" for r, x in load.items() if x > roles[r].capacity + 1e-6]
    for rule in scenario.rules:
        held = matrix.get(rule.activity, {}).get(rule.role)
        if isinstance(rule, MustBeInvolved) and held is None:
            broken.append(f"{rule.role} involved in {rule.activity}")
        if isinstance(rule, MustNotBeAccountable) and held in ACCOUNTABLE:
            broken.append(f"{rule.role} not A for {rule.activity}")
        if isinstance(rule, FixedLetter) and held != rule.letter:
            broken.append(f"{rule.role} holds {rule.letter} on {rule.activity}")
    return broken


weights = st.builds(
    Weights,
    competence=st.sampled_from([0.0, 0.5, 1.0, 3.0]),
    workload=st.sampled_from([0.0, 1.0, 4.0]),
    communication=st.sampled_from([0.0, 0.5, 2.0]),
    alignment=st.sampled_from([0.0, 1.0, 2.0]),
)


@st.composite
def rules(draw: st.DrawFn, scenario: Scenario, max_rules: int = 3) -> tuple[Rule, ...]:
    """A few random rules on the scenario's ids, never two on one cell (validate forbids
    contradictions)."""
    cells = [(r.id, a.id) for r in scenario.roles for a in scenario.activities]
    picked = draw(st.lists(st.sampled_from(cells), max_size=max_rules, unique=True))
    made: list[Rule] = []
    for role, activity in picked:
        kind = draw(st.sampled_from(["involved", "not_accountable", "fixed"]))
        if kind == "involved":
            made.append(MustBeInvolved(role=role, activity=activity))
        elif kind == "not_accountable":
            made.append(MustNotBeAccountable(role=role, activity=activity))
        else:
            letter = draw(st.sampled_from(["R", "A", "C", "I", "A/R"]))
            made.append(FixedLetter(role=role, activity=activity, letter=letter))
    return tuple(made)


@st.composite
def scenarios(draw: st.DrawFn, max_roles: int = 7, max_activities: int = 8) -> Scenario:
    """Small generated organisations with random weights and rules."""
    base = generate(
        draw(st.integers(2, max_roles)),
        draw(st.integers(1, max_activities)),
        draw(st.integers(0, 10_000)),
    )
    return msgspec.structs.replace(base, weights=draw(weights), rules=draw(rules(base)))


variants = st.sampled_from(VARIANTS)
PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(scenarios(), variants)
def test_every_returned_matrix_obeys_the_hard_rules_and_lints_clean(
    scenario: Scenario, variant: Variant
) -> None:
    result = solve(scenario, variant, FAST)
    assert result.status in ("optimal", "infeasible")
    if result.status == "optimal":
        assert broken_rules(scenario, variant, result.matrix) == []
        assert lint(result.matrix, scenario).errors == 0
        assert result.objective is not None
        assert result.solver.gap is not None
        assert result.solver.gap <= 1e-6
    else:
        assert result.diagnosis is not None
        assert result.diagnosis.relaxations
        assert result.matrix == {}


@PROPERTY
@given(scenarios(), variants, st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_matrix(
    scenario: Scenario, variant: Variant, rng: random.Random
) -> None:
    roles, activities = list(scenario.roles), list(scenario.activities)
    rng.shuffle(roles)
    rng.shuffle(activities)
    shuffled = msgspec.structs.replace(scenario, roles=tuple(roles), activities=tuple(activities))
    first, second = solve(scenario, variant, FAST), solve(shuffled, variant, FAST)
    assert first.status == second.status
    assert first.matrix == second.matrix
    assert first.objective == second.objective


@PROPERTY
@given(scenarios(), variants, st.floats(0.0, 2.0))
def test_more_capacity_never_makes_the_objective_worse(
    scenario: Scenario, variant: Variant, extra: float
) -> None:
    roomier = msgspec.structs.replace(
        scenario,
        roles=tuple(
            msgspec.structs.replace(role, capacity=role.capacity * (1.0 + extra))
            for role in scenario.roles
        ),
    )
    tight, loose = solve(scenario, variant, FAST), solve(roomier, variant, FAST)
    if tight.status == "optimal":
        assert loose.status == "optimal"
        assert tight.objective is not None
        assert loose.objective is not None
        assert loose.objective.total <= tight.objective.total + 1e-6


@PROPERTY
@given(scenarios(max_roles=6, max_activities=6), variants, st.data())
def test_a_fixed_accountable_is_honoured_or_named_in_the_diagnosis(
    scenario: Scenario, variant: Variant, data: st.DataObject
) -> None:
    # The fixed rule is the scenario's only rule. When the scenario without it is feasible,
    # every conflict contains it, and dropping it (cost 1) is a fix: the cheapest fix drops
    # it or raises capacities (cheaper than 1), never the variant's or the works council's
    # rules (100 and 200).
    role = data.draw(st.sampled_from([r.id for r in scenario.roles]))
    activity = data.draw(st.sampled_from([a.id for a in scenario.activities]))
    fixed = FixedLetter(role=role, activity=activity, letter="A")
    result = solve(msgspec.structs.replace(scenario, rules=(fixed,)), variant, FAST)
    if result.status == "optimal":
        assert result.matrix[activity][role] == "A"
        return
    assert result.status == "infeasible"
    assert result.diagnosis is not None
    rule = f"fixed[{role},{activity}]"
    named = {relaxation.constraint for relaxation in result.diagnosis.relaxations}
    if solve(msgspec.structs.replace(scenario, rules=()), variant, FAST).status == "optimal":
        assert result.diagnosis.conflict is not None
        assert rule in result.diagnosis.conflict.constraints
        assert all(name == rule or name.startswith("capacity[") for name in named)
        assert result.diagnosis.fixes[0].cost <= 1.0


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_builtin_scenario_solves_to_optimal(
    builtin: dict[str, Scenario], variant: Variant
) -> None:
    for name, scenario in builtin.items():
        result = solve(scenario, variant, FAST)
        assert result.status == "optimal", (name, result.message)
        assert broken_rules(scenario, variant, result.matrix) == [], name
        letters = [x for row in result.matrix.values() for x in row.values()]
        assert {"C", "I"} & set(letters), "a consultant's matrix has C and I, not bare A/R"


def test_cbc_and_highs_agree_on_the_optimum() -> None:
    scenario = generate(6, 8, seed=3)
    highs = solve(scenario, "hub-and-spoke", FAST)
    cbc = solve(scenario, "hub-and-spoke", msgspec.structs.replace(FAST, solver="cbc"))
    assert (highs.status, cbc.status) == ("optimal", "optimal")
    assert highs.solver.name == "highs"
    assert cbc.solver.name == "cbc"
    assert highs.objective is not None
    assert cbc.objective is not None
    assert cbc.objective.total == pytest.approx(highs.objective.total, abs=1e-6)


def test_a_time_limited_solve_is_never_called_optimal() -> None:
    scenario = generate(30, 150, seed=1)
    result = solve(scenario, "central", SolveOptions(explain=False, time_limit=0.01))
    if result.status == "optimal":  # only with the solver's proof
        assert result.solver.gap is not None
        assert result.solver.gap <= 1e-6
    else:
        assert result.status in ("feasible", "error")
        assert "time limit" in result.message
        if result.status == "feasible":
            assert result.solver.gap is None or result.solver.gap > 0


def test_concurrent_solves_in_threads_agree_with_sequential_ones() -> None:
    scenarios_ = [generate(8, 10, seed) for seed in range(4)]
    sequential = [solve(s, "hub-and-spoke", FAST).matrix for s in scenarios_]
    with ThreadPoolExecutor(max_workers=2) as pool:
        threaded = list(pool.map(lambda s: solve(s, "hub-and-spoke", FAST).matrix, scenarios_))
    assert threaded == sequential


def test_a_scenario_without_roles_is_invalid_input() -> None:
    scenario = msgspec.structs.replace(generate(3, 2, seed=0), roles=())
    with pytest.raises(InvalidInput) as caught:
        solve(scenario, "central")
    assert any(problem.pointer == "/roles" for problem in caught.value.problems)


def test_the_result_reports_the_solver_and_the_workload() -> None:
    scenario = generate(5, 6, seed=2)
    result = solve(scenario, "central", FAST)
    assert result.solver.version
    assert result.solver.seconds > 0
    assert set(result.workload) == {role.id for role in scenario.roles}
    for role in scenario.roles:
        work = result.workload[role.id]
        assert work.capacity == role.capacity
        assert work.utilisation == pytest.approx(work.load / role.capacity)
