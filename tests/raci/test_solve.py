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
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.core import Letter, Matrix
from models.errors import InvalidInput
from models.raci.generate import generate
from models.raci.lint import lint
from models.raci.solve import solve
from models.raci.types import (
    VARIANTS,
    Activity,
    FixedLetter,
    MustBeInvolved,
    MustNotBeAccountable,
    Role,
    Rule,
    Scenario,
    SolveOptions,
    Variant,
    Weights,
)
from models.raci.variants import applicability

FAST = SolveOptions(explain=False, time_limit=30.0)
# Load of each letter as a share of the activity's effort (the objective docstring).
LOAD_SHARE: dict[Letter, float] = {
    "R": 1.0,
    "A": 0.25,
    "C": 0.15,
    "I": 0.05,
    "A/R": 1.15,
    "S": 0.2,
}
ACCOUNTABLE = {"A", "A/R"}
RESPONSIBLE = {"R", "A/R"}
HEARD = {"C", "S", "R", "A", "A/R"}
EVERY = {"R", "A", "C", "I", "A/R", "S"}
AT_LEAST = {"I": EVERY, "C": HEARD, "R": RESPONSIBLE}
# The archetype of an activity that is not a catalogue activity and names none (by category).
CATEGORY_LIKE = {
    "strategy": "strategy",
    "coordination": "coordination",
    "policy": "guidelines",
    "training": "training",
    "tools": "channels",
    "execution": "content",
    "monitoring": "monitoring",
    "crisis": "crisis",
    "risk": "legal-review",
    "reporting": "kpis",
    "labour_relations": "works-agreement",
    "infrastructure": "it-security",
}
CATALOGUE_IDS = set(CATEGORY_LIKE.values()) | {
    "internal-tools",
    "campaigns",
    "community",
    "customer-care",
    "employer-branding",
    "agency-steering",
}
# The work each unit runs for itself, per model (the variants' docstring table).
DEVOLVED = {
    "central": set(),
    "hub-and-spoke": {"content", "campaigns", "community"},
    "distributed": {
        "content",
        "campaigns",
        "community",
        "monitoring",
        "customer-care",
        "channels",
        "kpis",
    },
    "multi-hub": {"content", "campaigns", "community", "monitoring"},
    "holistic": set(),
}
# Structure per model: (archetypes, role keys, letters, at least one holds / none holds[, on
# per-unit rows only ("unit") or shared rows only ("shared")]).
Shape = tuple[set[str], set[str], set[str], bool] | tuple[set[str], set[str], set[str], bool, str]
STRUCTURE: dict[str, list[Shape]] = {
    "central": [
        (
            {"strategy", "coordination", "guidelines", "training", "channels"}
            | {"monitoring", "kpis"},
            {"hub"},
            ACCOUNTABLE,
            True,
        ),
        # the centre and the functions steer and decide: the employees A nowhere, and at most
        # C or I but where they may help with the execution
        (set(CATALOGUE_IDS), {"employees"}, ACCOUNTABLE, False),
        (
            set(CATALOGUE_IDS) - {"content", "campaigns", "community"},
            {"employees"},
            ACCOUNTABLE | RESPONSIBLE,
            False,
        ),
    ],
    "hub-and-spoke": [
        (
            {"strategy", "guidelines", "training", "channels", "monitoring", "kpis"},
            {"hub"},
            ACCOUNTABLE,
            True,
        ),
        ({"content", "campaigns", "community"}, {"unit"}, RESPONSIBLE, True),
        (set(CATALOGUE_IDS), {"employees"}, ACCOUNTABLE, False),  # a collective decides nothing
    ],
    "distributed": [
        (DEVOLVED["distributed"] - {"customer-care"}, {"unit"}, ACCOUNTABLE, True),
        (DEVOLVED["distributed"], {"unit", "employees"}, RESPONSIBLE, True, "unit"),
        (DEVOLVED["distributed"], {"hub"}, ACCOUNTABLE | RESPONSIBLE, False, "unit"),
        # no business units: the employees own content, campaigns and community
        ({"content", "campaigns", "community"}, {"employees"}, RESPONSIBLE, True, "shared"),
        (
            {"content", "campaigns", "community"},
            {"hub"},
            ACCOUNTABLE | RESPONSIBLE,
            False,
            "shared",
        ),
    ],
    "multi-hub": [
        ({"strategy", "guidelines", "kpis"}, {"umbrella"}, ACCOUNTABLE, True),
        (DEVOLVED["multi-hub"], {"regional_hub", "unit"}, ACCOUNTABLE, True),
        (DEVOLVED["multi-hub"], {"regional_hub", "unit"}, RESPONSIBLE, True),
        (set(CATALOGUE_IDS), {"employees"}, ACCOUNTABLE, False),
    ],
    "holistic": [
        ({"guidelines", "training"}, {"hub"}, ACCOUNTABLE, True),
        ({"content", "campaigns", "community"}, {"employees"}, RESPONSIBLE, True),
        ({"content", "campaigns", "community"}, {"hub"}, ACCOUNTABLE | RESPONSIBLE, False),
    ],
}
# In every model, Legal does the legal review itself, and an agency decides nothing.
EVERY_MODEL: list[Shape] = [
    ({"legal-review"}, {"legal"}, RESPONSIBLE, True),
    (set(CATALOGUE_IDS), {"agency"}, ACCOUNTABLE, False),
]


def like(activity: Activity) -> str:
    if activity.like is not None:
        return activity.like
    return activity.id if activity.id in CATALOGUE_IDS else CATEGORY_LIKE[activity.category]


def led(scenario: Scenario) -> Scenario:
    """The scenario as its lead runs it: the lead is the hub, the former hubs ordinary roles."""
    if scenario.lead is None:
        return scenario
    roles = []
    for role in scenario.roles:
        kind = "hub" if role.id == scenario.lead else "other" if role.kind == "hub" else role.kind
        roles.append(msgspec.structs.replace(role, kind=kind))
    return msgspec.structs.replace(scenario, roles=tuple(roles))


def expected_rows(scenario: Scenario, variant: str) -> dict[str, tuple[Activity, str | None]]:
    """Row id -> (activity, unit) under the model: devolved work split per business unit."""
    units = [role.id for role in scenario.roles if role.kind == "business_unit"]
    devolved = set(DEVOLVED[variant])
    if devolved and not any(role.kind == "customer_service" for role in scenario.roles):
        devolved.add("customer-care")
    made: dict[str, tuple[Activity, str | None]] = {}
    for activity in scenario.activities:
        if units and activity.unit is None and like(activity) in devolved:
            made.update({f"{activity.id}@{u}": (activity, u) for u in units})
        else:
            made[activity.id] = (activity, activity.unit)
    return made


def _umbrella(scenario: Scenario) -> str | None:
    by_id = {role.id: role for role in scenario.roles}

    def depth(role_id: str) -> int:
        steps, up = 0, by_id[role_id].reports_to
        while up is not None and up in by_id:
            steps, up = steps + 1, by_id[up].reports_to
        return steps

    hubs = sorted((r.id for r in scenario.roles if r.kind == "hub"), key=lambda h: (depth(h), h))
    return hubs[0] if hubs else None


def _keys(scenario: Scenario, variant: str, unit: str | None) -> dict[str, set[str]]:
    """Role ids per key on one row: kinds, 'unit' (the row's own), 'umbrella', 'regional_hub'."""
    by_id = {role.id: role for role in scenario.roles}
    keys: dict[str, set[str]] = {}
    for role in scenario.roles:
        if role.kind == "business_unit" and unit is not None:
            if role.id == unit:
                keys.setdefault("unit", set()).add(role.id)
            continue
        keys.setdefault(role.kind, set()).add(role.id)
    if keys.get("hub"):
        # one hub per model, the umbrella; the others are regional hubs, which have a part of
        # their own (their unit's rows) only under multi-hub
        top = _umbrella(scenario)
        regional = keys["hub"] - {top}
        if variant == "multi-hub" and unit is not None:
            units = [r for r in scenario.roles if r.kind == "business_unit"]

            def tied(hub: str, u: Role) -> bool:
                return by_id[hub].reports_to == u.id or u.reports_to == hub

            if any(tied(h, u) for h in regional for u in units):
                regional = {h for h in regional if tied(h, by_id[unit])}
        keys["hub"] = keys["umbrella"] = {top} if top else set()
        keys["regional_hub"] = regional if variant == "multi-hub" else set()
    return keys


def broken_rules(scenario: Scenario, variant: str, matrix: Matrix) -> list[str]:
    """Every hard rule ``matrix`` breaks, checked from the definitions."""
    broken = []
    roles = {role.id: role for role in scenario.roles}
    load = dict.fromkeys(roles, 0.0)
    rows = expected_rows(scenario, variant)
    if set(matrix) != set(rows):
        broken.append(f"rows {sorted(matrix)} are not {sorted(rows)}")
    for row_id in rows:
        row = matrix.get(row_id, {})
        assert set(row) <= set(roles)
        broken += broken_in_row(scenario, variant, row_id, row)
        effort = row_effort(scenario, variant, row_id)
        for role, letter in row.items():
            load[role] += effort * LOAD_SHARE[letter]
    broken += [f"capacity of {r}" for r, x in load.items() if x > roles[r].capacity + 1e-6]
    return broken


def row_effort(scenario: Scenario, variant: str, row_id: str) -> float:
    """A row's effort: its activity's, shared equally among the units' rows."""
    rows = expected_rows(scenario, variant)
    activity = rows[row_id][0]
    return activity.effort / sum(1 for a, _ in rows.values() if a.id == activity.id)


def broken_in_row(
    scenario: Scenario, variant: str, row_id: str, row: dict[str, Letter]
) -> list[str]:
    """The hard rules of one row (all but capacity) that ``row`` breaks."""
    activity, unit = expected_rows(scenario, variant)[row_id]
    scenario = led(scenario)
    broken = []
    units = {r.id for r in scenario.roles if r.kind == "business_unit"}
    council = {r.id for r in scenario.roles if r.kind == "works_council"}
    board = {r.id for r in scenario.roles if r.kind == "executive"}
    board_hears = {"strategy"} | (
        {"guidelines"} if scenario.profile.executive_sponsorship != "strong" else set()
    )
    if sum(letter in ACCOUNTABLE for letter in row.values()) != 1:
        broken.append(f"one A on {row_id}")
    if not any(letter in RESPONSIBLE for letter in row.values()):
        broken.append(f"an R on {row_id}")
    codetermined = scenario.profile.works_council and activity.codetermination
    if codetermined and council and not any(row.get(c) == "S" for c in council):
        broken.append(f"works council consents on {row_id}")
    if board and like(activity) in board_hears and not any(row.get(b) in HEARD for b in board):
        broken.append(f"board heard on {row_id}")
    if unit is not None and any(row.get(u) for u in units - {unit}):
        broken.append(f"another unit on {row_id}")
    if unit is None:
        regional = {r.id for r in scenario.roles if r.kind == "hub"} - {_umbrella(scenario)}
        if any(row.get(u) in ACCOUNTABLE for u in units | regional):
            broken.append(f"a unit or a regional hub accountable for shared {row_id}")
        named = {rule.role for rule in scenario.rules if rule.activity == activity.id}
        if len({row.get(u) for u in units - named}) > 1:
            broken.append(f"units not alike on {row_id}")
    keys = _keys(scenario, variant, unit)
    for archetypes, who, letters, required, *scope in STRUCTURE[variant] + EVERY_MODEL:
        holders = set().union(*(keys.get(key, set()) for key in who))
        if like(activity) not in archetypes or not holders:
            continue
        if scope and scope[0] != ("shared" if unit is None else "unit"):
            continue
        if any(row.get(role) in letters for role in holders) != required:
            broken.append(f"structure {sorted(who)} on {row_id}")
    for rule in (x for x in scenario.rules if x.activity == activity.id):
        held = row.get(rule.role)
        if isinstance(rule, MustBeInvolved) and held not in AT_LEAST[rule.at_least]:
            broken.append(f"{rule.role} involved in {row_id}")
        if isinstance(rule, MustNotBeAccountable) and held in ACCOUNTABLE:
            broken.append(f"{rule.role} not A for {row_id}")
        if isinstance(rule, FixedLetter) and held != rule.letter:
            broken.append(f"{rule.role} holds {rule.letter} on {row_id}")
    return broken


weights = st.builds(
    Weights,
    competence=st.sampled_from([0.0, 0.5, 1.0, 3.0]),
    workload=st.sampled_from([0.0, 1.0, 4.0]),
    communication=st.sampled_from([0.0, 0.5, 2.0]),
    alignment=st.sampled_from([0.0, 1.0, 2.0]),
    consultation=st.sampled_from([0.0, 1.0, 3.0]),
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
            how = draw(st.sampled_from(["I", "C", "R"]))
            made.append(MustBeInvolved(role=role, activity=activity, at_least=how))
        elif kind == "not_accountable":
            made.append(MustNotBeAccountable(role=role, activity=activity))
        else:
            letter = draw(st.sampled_from(["R", "A", "C", "I", "A/R", "S"]))
            made.append(FixedLetter(role=role, activity=activity, letter=letter))
    return tuple(made)


@st.composite
def scenarios(draw: st.DrawFn, max_roles: int = 7, max_activities: int = 8) -> Scenario:
    """Small generated organisations with random weights and rules (from five roles on, every
    governance model is applicable; below, some are not)."""
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
    assert result.status in ("optimal", "infeasible", "not-applicable")
    fit = applicability(scenario, variant)
    assert result.applicability == fit
    assert (result.status == "not-applicable") == (not fit.applicable)
    if result.status == "not-applicable":
        assert (result.matrix, result.workload, result.objective) == ({}, {}, None)
    elif result.status == "optimal":
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
    assume(applicability(scenario, variant).applicable)  # the point is the diagnosis
    result = solve(msgspec.structs.replace(scenario, rules=(fixed,)), variant, FAST)
    # a rule on an activity binds each of its per-unit rows
    rows = [x for x, (a, _) in expected_rows(scenario, variant).items() if a.id == activity]
    if result.status == "optimal":
        assert all(result.matrix[row][role] == "A" for row in rows)
        return
    assert result.status == "infeasible"
    assert result.diagnosis is not None
    named = {relaxation.constraint for relaxation in result.diagnosis.relaxations}
    if solve(msgspec.structs.replace(scenario, rules=()), variant, FAST).status == "optimal":
        rules = {f"fixed[{role},{row}]" for row in rows}
        assert result.diagnosis.conflict is not None
        assert rules & set(result.diagnosis.conflict.constraints)
        assert all(name in rules or name.startswith("capacity[") for name in named)
        assert result.diagnosis.fixes[0].cost <= 1.0


def with_regional_hub(scenario: Scenario) -> Scenario:
    """The organisation with a regional hub under its hub: what multi-hub needs besides units.

    The regional hub has the hub's competences and capacity and reports to it."""
    hub = next(role for role in scenario.roles if role.kind == "hub")
    regional = msgspec.structs.replace(
        hub, id="regional-hub", name="Regional social-media hub", reports_to=hub.id
    )
    return msgspec.structs.replace(scenario, roles=(*scenario.roles, regional))


def _solves_to_a_consultants_matrix(name: str, scenario: Scenario, variant: Variant) -> None:
    result = solve(scenario, variant, FAST)
    assert result.status == "optimal", (name, result.message)
    assert broken_rules(scenario, variant, result.matrix) == [], name
    letters = [x for row in result.matrix.values() for x in row.values()]
    assert {"C", "I"} & set(letters), "a consultant's matrix has C and I, not bare A/R"


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_builtin_scenario_solves_to_optimal_where_applicable(
    builtin: dict[str, Scenario], variant: Variant
) -> None:
    # which model applies to which built-in: tests/raci/test_applicability.py
    for name, scenario in builtin.items():
        if applicability(scenario, variant).applicable:
            _solves_to_a_consultants_matrix(name, scenario, variant)
        else:
            assert solve(scenario, variant, FAST).status == "not-applicable", name


def test_every_builtin_with_units_and_a_regional_hub_solves_multi_hub(
    builtin: dict[str, Scenario],
) -> None:
    # no built-in has two hubs; given a regional hub, every one with business units runs it
    for name, scenario in builtin.items():
        if any(role.kind == "business_unit" for role in scenario.roles):
            _solves_to_a_consultants_matrix(name, with_regional_hub(scenario), "multi-hub")


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
