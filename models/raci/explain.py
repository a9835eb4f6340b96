"""Why each cell of a solved matrix is what it is, and what the runner-up accountable costs.

Cells
    For every letter in the matrix, its weighted contribution to each objective term: the
    cell's own competence, communication and alignment cost, and its share of the role's
    workload penalty (``w · φ(u_r) · load(cell) / load(r)``); with one sentence that names the
    hard rule that forces it, or the template letter and the competence fit behind it.
Alternatives
    For every activity, the best other role to hold A and how much the objective rises.
    Small instances (at most :data:`EXACT_CELLS` cells) re-solve the MILP with the current A
    holder forbidden to be accountable there: the exact answer. Larger ones give a *local
    estimate*, labelled as such: A moves to another role in that row only (it becomes A/R if
    it was R, else A; the old holder keeps R if it was A/R, else becomes C) and the rest of the
    matrix stays as it is, so the estimate is an upper bound on the true increase.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from models.governance.variants import ACCOUNTABLE
from models.raci.milp import solve_instance
from models.raci.objective import (
    LETTER_INDEX,
    NONE,
    Instance,
    Prohibition,
    Requirement,
    cell_terms,
    choices,
    fit,
    loads,
    overload,
    utilisation,
)
from models.raci.types import (
    LETTERS,
    Alternative,
    CellExplanation,
    Explanation,
    Letter,
    Matrix,
    Objective,
    SolveOptions,
)

EXACT_CELLS = 150
A_IDX, AR_IDX, R_IDX, C_IDX = (LETTER_INDEX[x] for x in ("A", "A/R", "R", "C"))


def _reason(instance: Instance, a: int, r: int, letter: Letter) -> str:
    role, activity = instance.roles[r], instance.activities[a]
    index = LETTER_INDEX[letter]
    forced = [
        rule.sentence
        for rule in instance.requirements
        if rule.activity == a and rule.roles == (r,) and index in rule.letters
    ]
    wanted = instance.template[a][r]
    level = fit(role, activity)
    if forced:
        why = f"a hard rule says {forced[0]}"
    elif wanted == letter:
        why = f"the {instance.variant} template asks for {letter} here"
    elif wanted is None:
        why = f"the {instance.variant} template has no letter here, but it lowers the total"
    else:
        why = f"the {instance.variant} template asks for {wanted}, but {letter} lowers the total"
    return f"{role.name} is {letter} on {activity.name}: {why} (competence fit {level:.2f})."


def explain_cells(instance: Instance, matrix: Matrix) -> tuple[CellExplanation, ...]:
    """Per filled cell, its weighted contribution to each objective term and a reason."""
    chosen = choices(instance, matrix)
    terms = cell_terms(instance, chosen)
    load = loads(instance, chosen)
    penalty = instance.workload_weight * overload(utilisation(instance, load))
    cells = []
    for a, r in zip(*np.nonzero(chosen != NONE), strict=True):
        ell = int(chosen[a, r])
        cell_load = float(instance.load[a, r, ell])
        share = penalty[r] * cell_load / load[r] if load[r] > 0 else 0.0
        letter = LETTERS[ell]
        cells.append(
            CellExplanation(
                activity=instance.activities[a].id,
                role=instance.roles[r].id,
                letter=letter,
                competence=float(terms[a, r, 0]),
                workload=float(share),
                communication=float(terms[a, r, 1]),
                alignment=float(terms[a, r, 2]),
                reason=_reason(instance, int(a), int(r), letter),
            )
        )
    return tuple(cells)


def _exact(
    instance: Instance, a: int, holder: int, total: float, options: SolveOptions
) -> Alternative:
    activity = instance.activities[a]
    forbid = Prohibition("explain", a, holder, (A_IDX, AR_IDX), "")
    outcome = solve_instance(instance, options, (forbid,), options.time_limit)
    name = instance.roles[holder].name
    if outcome.chosen is None or outcome.objective is None:
        return Alternative(
            activity=activity.id,
            accountable=instance.roles[holder].id,
            runner_up=None,
            cost_increase=None,
            reason=f"No other role can be accountable for {activity.name}: {outcome.message}.",
        )
    row = outcome.chosen[a]
    runner = int(np.nonzero(np.isin(row, (A_IDX, AR_IDX)))[0][0])
    increase = max(outcome.objective - total, 0.0)
    exactness = "re-solved" if outcome.status == "optimal" else "re-solved, not proven optimal"
    return Alternative(
        activity=activity.id,
        accountable=instance.roles[holder].id,
        runner_up=instance.roles[runner].id,
        cost_increase=increase,
        reason=(
            f"Without {name} as A, {instance.roles[runner].name} would be accountable and the "
            f"best matrix costs {increase:.3f} more ({exactness})."
        ),
    )


def _row_ok(rules: tuple[list[Requirement], list[Prohibition]], row: npt.NDArray[np.int64]) -> bool:
    """Whether one activity's row meets that activity's requirements and prohibitions."""
    needs, bans = rules
    if not all(any(row[r] in need.letters for r in need.roles) for need in needs):
        return False
    return not any(row[ban.role] in ban.letters for ban in bans)


def _rules_by_activity(
    instance: Instance,
) -> dict[int, tuple[list[Requirement], list[Prohibition]]]:
    by_activity: dict[int, tuple[list[Requirement], list[Prohibition]]] = {
        a: ([], []) for a in range(len(instance.activities))
    }
    for need in instance.requirements:
        by_activity[need.activity][0].append(need)
    for ban in instance.prohibitions:
        by_activity[ban.activity][1].append(ban)
    return by_activity


def _row_cost(instance: Instance, a: int, row: npt.NDArray[np.int64]) -> float:
    """Competence, communication and alignment of one activity's row."""
    filled = row != NONE
    roles = np.arange(len(row))
    drawn = instance.cell_cost[a, roles[filled], row[filled]].sum()
    return float(drawn + instance.empty_cost[a, ~filled].sum())


def _local(
    instance: Instance,
    chosen: npt.NDArray[np.int64],
    a: int,
    holder: int,
    rules: tuple[list[Requirement], list[Prohibition]],
) -> Alternative:
    activity = instance.activities[a]
    load = loads(instance, chosen)
    w = instance.workload_weight
    best: tuple[float, int] | None = None
    for r in range(len(instance.roles)):
        if r == holder:
            continue
        row = chosen[a].copy()
        row[r] = AR_IDX if row[r] == R_IDX else A_IDX
        row[holder] = R_IDX if chosen[a, holder] == AR_IDX else C_IDX
        if not _row_ok(rules, row):
            continue
        changed = np.array([r, holder])
        before, after = _row_cost(instance, a, chosen[a]), _row_cost(instance, a, row)
        new_load = load.copy()
        for c in changed:
            old_ell, new_ell = int(chosen[a, c]), int(row[c])
            new_load[c] += (instance.load[a, c, new_ell] if new_ell != NONE else 0.0) - (
                instance.load[a, c, old_ell] if old_ell != NONE else 0.0
            )
        if np.any(new_load[changed] > instance.capacity[changed] + 1e-9):
            continue
        penalty = (
            overload(utilisation(instance, new_load)[changed]).sum()
            - overload(utilisation(instance, load)[changed]).sum()
        )
        delta = float(after - before + w * penalty)
        if best is None or delta < best[0] - 1e-12:
            best = (delta, r)
    holder_role = instance.roles[holder]
    if best is None:
        return Alternative(
            activity=activity.id,
            accountable=holder_role.id,
            runner_up=None,
            cost_increase=None,
            reason=(
                f"Local estimate: no other role can take A on {activity.name} without breaking "
                "a hard rule while the rest of the matrix stays as it is."
            ),
        )
    delta, runner = best
    return Alternative(
        activity=activity.id,
        accountable=holder_role.id,
        runner_up=instance.roles[runner].id,
        cost_increase=delta,
        reason=(
            f"Local estimate (rest of the matrix unchanged, an upper bound): moving A from "
            f"{holder_role.name} to {instance.roles[runner].name} costs {delta:.3f} more."
        ),
    )


def explain(
    instance: Instance, matrix: Matrix, objective: Objective, options: SolveOptions
) -> Explanation:
    """Cell contributions and, per activity, the runner-up accountable (see module docstring)."""
    chosen = choices(instance, matrix)
    exact = len(instance.roles) * len(instance.activities) <= EXACT_CELLS
    alternatives = []
    rules = _rules_by_activity(instance)
    for a in range(len(instance.activities)):
        holders = np.nonzero(np.isin(chosen[a], [LETTER_INDEX[x] for x in ACCOUNTABLE]))[0]
        holder = int(holders[0])
        alternatives.append(
            _exact(instance, a, holder, objective.total, options)
            if exact
            else _local(instance, chosen, a, holder, rules[a])
        )
    return Explanation(cells=explain_cells(instance, matrix), alternatives=tuple(alternatives))
