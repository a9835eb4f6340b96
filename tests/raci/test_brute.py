"""The MILP against brute-force enumeration on tiny instances.

Every matrix of a 3-role organisation with 2 activities (or 2 roles, 3 activities) is
enumerated over the six letters and the empty cell, per-unit rows included. Rows are filtered
by the hard rules (:func:`tests.raci.test_solve.broken_in_row`, from the definitions), and each
row's cost is computed here from the formulas of the objective's docstring — competence from
the roles' levels, communication from the reporting lines (breadth-first search here),
alignment and consultation from the template letters and stakes, and the workload penalty φ —
not by :func:`models.raci.objective.evaluate`. The inputs taken from the compiled instance are
data only: the rows, each cell's template letter, each role's stake and each row's expected
owner. The MILP must find the same optimum to 1e-6, and call "infeasible" exactly when no
combination passes.
"""

from __future__ import annotations

import itertools
from collections import deque

import msgspec
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.core import Letter
from models.raci.generate import generate
from models.raci.objective import compile_instance
from models.raci.solve import solve
from models.raci.types import Activity, Profile, Role, RoleKind, Scenario, Variant, Weights
from models.raci.variants import applicability
from tests.raci.test_solve import (
    FAST,
    LOAD_SHARE,
    broken_in_row,
    expected_rows,
    row_effort,
    rules,
    variants,
    weights,
)

LETTERS: tuple[Letter, ...] = ("R", "A", "C", "I", "A/R", "S")
KAPPA = {"R": 1.0, "A": 0.6, "C": 0.2, "I": 0.0, "A/R": 1.4, "S": 0.2}
FAN_OUT = {"C": 0.3, "I": 0.1, "S": 0.4}
DISTANCE = {"R": 0.2, "C": 0.4, "I": 0.2, "S": 0.4}
HEARD = {"R": 1.0, "A": 1.0, "C": 1.0, "I": 0.25, "A/R": 1.0, "S": 1.0}
# τ[template][drawn], None = no letter (the docstring's alignment table)
TAU: dict[Letter | None, dict[Letter | None, float]] = {
    t: dict(zip((*LETTERS, None), costs, strict=True))
    for t, costs in (
        ("R", (0.0, 0.8, 0.3, 0.5, 0.3, 0.5, 0.6)),
        ("A", (0.3, 0.0, 0.2, 0.3, 0.2, 0.4, 0.4)),
        ("C", (0.3, 1.0, 0.0, 0.2, 1.0, 0.3, 0.4)),
        ("I", (0.5, 1.0, 0.2, 0.0, 1.0, 0.4, 0.2)),
        ("A/R", (0.2, 0.2, 0.4, 0.5, 0.0, 0.5, 0.6)),
        ("S", (0.5, 1.0, 0.4, 0.6, 1.0, 0.0, 0.8)),
        (None, (0.6, 1.0, 0.4, 0.2, 1.0, 1.0, 0.0)),
    )
}

# The kinds of the first roles that give a tiny organisation each model's structure
# (models.raci.variants.applicability); multi-hub needs three roles.
STRUCTURE: dict[Variant, tuple[RoleKind, ...]] = {
    "central": ("hub",),
    "hub-and-spoke": ("hub", "business_unit"),
    "distributed": ("business_unit",),
    "multi-hub": ("hub", "hub", "business_unit"),
    "holistic": ("hub", "employees"),
}
SIZES: dict[Variant, list[tuple[int, int]]] = {
    variant: [(3, 2)] if len(kinds) == 3 else [(3, 2), (2, 3)]
    for variant, kinds in STRUCTURE.items()
}


def runnable(scenario: Scenario, variant: Variant) -> Scenario:
    """The organisation with its first roles re-kinded to the structure ``variant`` needs."""
    kinds = STRUCTURE[variant]
    roles = tuple(
        msgspec.structs.replace(role, kind=kinds[i]) if i < len(kinds) else role
        for i, role in enumerate(scenario.roles)
    )
    runs = msgspec.structs.replace(scenario, roles=roles)
    assert applicability(runs, variant).applicable
    return runs


def phi(utilisation: np.ndarray) -> np.ndarray:
    """0.2 per unit up to 0.5, 1.0 per unit from 0.5 to 0.8, 4.0 per unit beyond."""
    u = utilisation
    return 0.2 * np.minimum(u, 0.5) + np.clip(u - 0.5, 0.0, 0.3) + 4.0 * np.maximum(u - 0.8, 0.0)


def fit(role: Role, activity: Activity) -> float:
    if not activity.competences:
        return 1.0
    levels = [role.competences.get(c, 0.0) for c in activity.competences]
    return sum(levels) / len(levels)


def hops(roles: tuple[Role, ...], source: str, target: str) -> int:
    """Steps between two roles along reporting lines (either way), at most 4."""
    near: dict[str, set[str]] = {role.id: set() for role in roles}
    for role in roles:
        if role.reports_to in near:
            near[role.id].add(role.reports_to)
            near[role.reports_to].add(role.id)
    seen, queue = {source: 0}, deque([source])
    while queue:
        here = queue.popleft()
        for there in near[here] - set(seen):
            seen[there] = seen[here] + 1
            queue.append(there)
    return min(seen.get(target, 4), 4)


def cell_cost(
    scenario: Scenario,
    role: Role,
    activity: Activity,
    letter: Letter | None,
    *,
    template: Letter | None,
    stake: float,
    distance: float,
) -> float:
    """One cell's competence, communication, alignment and consultation, weighted."""
    w = scenario.weights
    cost = w.alignment * TAU[template][letter]
    cost += w.consultation * stake * (1.0 - (HEARD[letter] if letter else 0.0))
    if letter is not None:
        cost += w.competence * (1.0 - fit(role, activity)) * KAPPA[letter]
        cost += w.communication * (FAN_OUT.get(letter, 0.0) + DISTANCE.get(letter, 0.0) * distance)
    return cost


def brute_force(scenario: Scenario, variant: Variant) -> float | None:
    """The optimum over every matrix that obeys the hard rules, or None if none does."""
    instance = compile_instance(scenario, variant)
    roles = instance.roles
    capacity = np.array([r.capacity for r in roles])
    cells: list[Letter | None] = [None, *LETTERS]
    options = []  # per row: (per-cell cost of each valid row, its load vector)
    for a, row_activity in enumerate(instance.activities):
        row_id = row_activity.id
        activity = expected_rows(scenario, variant)[row_id][0]
        effort = row_effort(scenario, variant, row_id)
        owner = roles[instance.owner[a]].id
        costs, loads = [], []
        for combo in itertools.product(cells, repeat=len(roles)):
            row = {r.id: x for r, x in zip(roles, combo, strict=True) if x is not None}
            if broken_in_row(scenario, variant, row_id, row):
                continue
            costs.append(
                sum(
                    cell_cost(
                        scenario,
                        role,
                        activity,
                        x,
                        template=instance.template[a][r],
                        stake=float(instance.stake[a, r]),
                        distance=hops(roles, role.id, owner) / 4,
                    )
                    for r, (role, x) in enumerate(zip(roles, combo, strict=True))
                )
            )
            loads.append([effort * LOAD_SHARE[x] if x else 0.0 for x in combo])
        if not costs:
            return None
        options.append((np.array(costs), np.array(loads)))
    # every combination of rows at once: costs add, loads add
    total, load = options[0][0], options[0][1]
    for costs, loads in options[1:]:
        total = (total[:, None] + costs[None, :]).ravel()
        load = (load[:, None, :] + loads[None, :, :]).reshape(-1, len(roles))
    fits = np.all(load <= capacity + 1e-9, axis=1)
    if not fits.any():
        return None
    penalty = scenario.weights.workload * phi(load[fits] / capacity).sum(axis=1)
    return float((total[fits] + penalty).min())


def agrees_with_brute_force(scenario: Scenario, variant: Variant) -> None:
    """The MILP finds the brute-force optimum to 1e-6, and calls "infeasible" exactly when
    no combination passes."""
    expected = brute_force(scenario, variant)
    result = solve(scenario, variant, FAST)
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert result.objective is not None
    assert abs(result.objective.total - expected) <= 1e-6


KINDS = {"hub": "hub", "ceo": "executive", "wc": "works_council", "legal": "legal"}
KINDS |= {"bu-a": "business_unit", "bu-b": "business_unit", "hub-2": "hub", "staff": "employees"}
CODETERMINED = {"channels", "guidelines"}


@st.composite
def tiny(draw: st.DrawFn) -> Scenario:
    """Three roles out of two hubs, a board, a works council, Legal, two business units and
    the employees, and two catalogue activities: consent, the board's voice, per-unit rows,
    units alike and regional hubs all come up."""
    ids = draw(st.lists(st.sampled_from(sorted(KINDS)), min_size=3, max_size=3, unique=True))
    levels = st.sampled_from([0.0, 0.3, 0.6, 0.9])
    roles = tuple(
        Role(
            id=i,
            name=i,
            kind=KINDS[i],  # type: ignore[arg-type]
            capacity=draw(st.sampled_from([0.5, 1.0, 2.0, 6.0])),
            competences={"strategy": draw(levels), "social_media": draw(levels)},
            reports_to=draw(st.sampled_from([None, *ids[:n]])),  # earlier roles: no cycle
        )
        for n, i in enumerate(ids)
    )
    picked = draw(
        st.lists(
            st.sampled_from(["strategy", "channels", "content", "guidelines", "legal-review"]),
            min_size=2,
            max_size=2,
            unique=True,
        )
    )
    activities = tuple(
        Activity(
            id=a,
            name=a,
            category="execution",
            effort=draw(st.sampled_from([0.5, 1.0, 2.0])),
            competences=("strategy", "social_media"),
            codetermination=a in CODETERMINED,
        )
        for a in picked
    )
    profile = Profile(
        name="tiny",
        headcount=100,
        works_council="wc" in ids,
        executive_sponsorship=draw(st.sampled_from(["weak", "strong"])),
    )
    return Scenario(id="tiny", profile=profile, roles=roles, activities=activities)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny(), weights, variants, st.data())
def test_milp_optimum_equals_brute_force_with_consent_and_units(
    organisation: Scenario, weights_: Weights, variant: Variant, data: st.DataObject
) -> None:
    scenario = msgspec.structs.replace(organisation, weights=weights_)
    scenario = msgspec.structs.replace(scenario, rules=data.draw(rules(scenario, max_rules=2)))
    if not applicability(scenario, variant).applicable:
        assert solve(scenario, variant, FAST).status == "not-applicable"
        return
    agrees_with_brute_force(scenario, variant)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), weights, variants, st.data(), st.floats(0.2, 1.0))
def test_milp_optimum_equals_brute_force(
    seed: int, weights_: Weights, variant: Variant, data: st.DataObject, squeeze: float
) -> None:
    base = runnable(generate(*data.draw(st.sampled_from(SIZES[variant])), seed), variant)
    # squeezing capacities makes some instances infeasible, so both answers get exercised
    squeezed = tuple(
        msgspec.structs.replace(role, capacity=round(role.capacity * squeeze, 2))
        for role in base.roles
    )
    scenario = msgspec.structs.replace(base, roles=squeezed, weights=weights_)
    scenario = msgspec.structs.replace(scenario, rules=data.draw(rules(scenario, max_rules=2)))
    agrees_with_brute_force(scenario, variant)
