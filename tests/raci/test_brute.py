"""The MILP against brute-force enumeration on tiny instances.

Every matrix of a 3-role organisation with 2 activities (or 2 roles, 3 activities) is
enumerated: rows are filtered by
the hard rules (checked by :func:`tests.raci.test_solve.broken_rules`, from the definitions),
and the objective of each combination of rows is assembled from the definitions of
:func:`models.raci.objective.evaluate`: the per-cell terms of a row (evaluated on that row
alone, minus the empty matrix) plus ``w · Σ_r φ(load_r / capacity_r)`` with φ written out
below. The MILP must find the same optimum to 1e-6, and call "infeasible" exactly when no
combination passes. Each organisation is given the structure its governance model needs
(:func:`runnable`), so that the MILP, not the applicability check, answers.
"""

from __future__ import annotations

import itertools

import msgspec
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.core import LETTERS, Letter, Matrix
from models.raci.generate import generate
from models.raci.objective import evaluate
from models.raci.solve import solve
from models.raci.types import RoleKind, Scenario, Variant, Weights
from models.raci.variants import applicability
from tests.raci.test_solve import FAST, LOAD_SHARE, broken_rules, rules, variants, weights

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


def _rows(role_ids: list[str]) -> list[dict[str, Letter]]:
    cells: list[Letter | None] = [None, *LETTERS]
    return [
        {r: x for r, x in zip(role_ids, combo, strict=True) if x is not None}
        for combo in itertools.product(cells, repeat=len(role_ids))
    ]


def brute_force(scenario: Scenario, variant: Variant) -> tuple[float, Matrix] | None:
    """The optimum over every matrix that obeys the hard rules, or None if none does."""
    role_ids = [r.id for r in scenario.roles]
    capacity = np.array([r.capacity for r in scenario.roles])
    empty, _ = evaluate(scenario, variant, {})
    empty_cells = empty.competence + empty.communication + empty.alignment
    options = []  # per activity: (row, per-cell cost beyond the empty row, load vector)
    for activity in scenario.activities:
        # a row that breaks a rule of its activity (or alone exceeds a capacity) never fits
        own = tuple(x for x in scenario.rules if x.activity == activity.id)
        alone = msgspec.structs.replace(scenario, activities=(activity,), rules=own)
        valid = []
        for row in _rows(role_ids):
            if broken_rules(alone, variant, {activity.id: row}):
                continue
            objective, _ = evaluate(scenario, variant, {activity.id: row})
            cells = objective.competence + objective.communication + objective.alignment
            load = [activity.effort * LOAD_SHARE[row[r]] if r in row else 0.0 for r in role_ids]
            valid.append((row, cells - empty_cells, np.array(load)))
        options.append(valid)
    best: tuple[float, Matrix] | None = None
    for combo in itertools.product(*options):
        load = sum((c[2] for c in combo), np.zeros(len(role_ids)))
        if np.any(load > capacity + 1e-9):
            continue
        total = empty_cells + sum(c[1] for c in combo)
        total += scenario.weights.workload * float(phi(load / capacity).sum())
        if best is None or total < best[0] - 1e-12:
            matrix = {a.id: c[0] for a, c in zip(scenario.activities, combo, strict=True)}
            best = (total, matrix)
    return best


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
    expected = brute_force(scenario, variant)
    result = solve(scenario, variant, FAST)
    if expected is None:
        assert result.status == "infeasible"
        return
    assert result.status == "optimal"
    assert result.objective is not None
    assert abs(result.objective.total - expected[0]) <= 1e-6
    # the assembled brute-force objective is evaluate()'s own on the winning matrix
    assert abs(evaluate(scenario, variant, expected[1])[0].total - expected[0]) <= 1e-6
