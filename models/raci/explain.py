"""Why each cell of a solved matrix is what it is, and what the runner-up accountable costs.

Cells
    Every cell that holds a letter or costs something: its weighted contribution to each
    objective term, with one sentence that names the hard rule that forces it, or the
    template letter and the competence fit behind it. An empty cell (``letter`` None) costs
    alignment only, when the template wanted a letter there. Competence, communication and
    alignment are per cell, so the cells add up to those terms exactly. Workload is per role:
    the role's penalty ``w · φ(u_r)`` is apportioned to its cells by their share of its load,
    ``w · φ(u_r) · load(cell) / load(r)``, so the cells add up to the workload term too (a role
    without load has φ(0) = 0).
Alternatives
    For every activity, the best other role to hold A and how much the objective rises.
    *Exact*: after a proven-optimal solve, the kept HiGHS model
    (:class:`models.raci.milp.Resolver`) is re-solved with the current A holder's A and A/R
    columns bounded to 0, and the bounds restored; the new A of the activity is the runner-up.
    Such re-solves cost about as much as the main solve each, so they run within a budget,
    ``options.alternatives_seconds``, at most :data:`BUDGET_SHARE` of ``options.time_limit``, in
    activity order, each limited to :data:`FAIR_SHARES` fair shares of the budget left. Only
    a proof is reported as exact: an optimal re-solve, or infeasibility (no other role can be
    accountable under the rules). Activities the budget does not reach, a re-solve stopped by
    its limit, and a main solve that was not proven optimal get a *local estimate*, labelled
    as such: A moves to another role in that row only (it becomes A/R if it was R, else A; the
    old holder keeps R if it was A/R, else becomes C) and the rest of the matrix stays as it
    is, so the estimate is an upper bound on the true increase.
    Which activities are exact can therefore depend on the machine's speed when the budget
    is short; the matrix itself never does.
"""

from __future__ import annotations

import time

import numpy as np
import numpy.typing as npt

from models.core import LETTERS, Letter, Matrix
from models.labels import label
from models.messages import current, join_and, model, say
from models.raci.milp import Outcome, Resolver
from models.raci.objective import (
    LETTER_INDEX,
    NONE,
    TERMS,
    FloatArray,
    Instance,
    Prohibition,
    Requirement,
    cell_terms,
    choices,
    fit,
    loads,
    role_costs,
)
from models.raci.types import (
    Alternative,
    CellExplanation,
    Explanation,
    Objective,
    SolveOptions,
)

#: share of ``options.time_limit`` the exact runner-up re-solves may take at most
BUDGET_SHARE = 0.25
#: one re-solve may take at most this many fair shares of the budget left, so that one hard
#: activity cannot use it all up (built-ins: more exact rows than first come, first served)
FAIR_SHARES = 2.0
A_IDX, AR_IDX, R_IDX, C_IDX = (LETTER_INDEX[x] for x in ("A", "A/R", "R", "C"))


def _letter_name(index: int) -> str:
    return say("no-letter") if index == NONE else LETTERS[index]


def _trade(instance: Instance, load: FloatArray, a: int, r: int, held: int, other: int) -> str:
    """What holding ``held`` instead of ``other`` in one cell saves and loses, per term, with
    the rest of the matrix unchanged (the role's workload penalty recomputed exactly)."""

    def terms(index: int) -> FloatArray:
        if index == NONE:
            return np.asarray(instance.empty_terms[a, r], dtype=np.float64)
        return np.asarray(instance.cell_cost[a, r, index], dtype=np.float64)

    def cell_load(index: int) -> float:
        return 0.0 if index == NONE else float(instance.load[a, r, index])

    moved = load.copy()
    moved[r] += cell_load(other) - cell_load(held)
    if moved[r] > instance.capacity[r] + 1e-9:
        return say(
            "explain.overload",
            other=_letter_name(other),
            role=instance.roles[r].name,
            load=float(moved[r]),
            capacity=float(instance.capacity[r]),
        )
    delta = dict(zip(TERMS, (terms(held) - terms(other)).tolist(), strict=True))
    now, then = role_costs(instance, load), role_costs(instance, moved)
    delta["workload"] = float(now.workload[r] - then.workload[r])
    delta["staffing"] = float(now.staffing[r] - then.staffing[r])
    saves = [_amount(-x, t) for t, x in delta.items() if x <= -0.005]
    loses = [_amount(x, t) for t, x in delta.items() if x >= 0.005]
    parts = [say("explain.saves", items=join_and(saves))] if saves else []
    parts += [say("explain.loses", items=join_and(loses))] if loses else []
    if not parts:
        return ""
    return say(
        "explain.trade",
        held=_letter_name(held),
        other=_letter_name(other),
        parts=", ".join(parts),
    )


def _amount(amount: float, term: str) -> str:
    """ "0.12 competence": an amount of an objective term, the term named in the language."""
    return say("explain.amount", amount=amount, term=label(f"term.{term}", current()))


def _reason(instance: Instance, load: FloatArray, a: int, r: int, letter: Letter | None) -> str:
    role, activity = instance.roles[r], instance.activities[a]
    wanted = instance.template[a][r]
    held = NONE if letter is None else LETTER_INDEX[letter]
    variant = instance.variant
    template = say("explain.template", variant=model(variant))
    if letter is None:
        index = LETTER_INDEX[wanted] if wanted is not None else NONE
        banned = [
            rule.sentence
            for rule in instance.prohibitions
            if rule.activity == a and rule.role == r and (index == NONE or index in rule.letters)
        ]
        what = say("explain.holds-none", role=role.name, activity=activity.name)
        stake = float(instance.stake[a, r])
        if banned:
            why = say("explain.hard-rule", rule=banned[0])
        elif wanted is not None:
            why = say("explain.empty-wanted", template=template, wanted=wanted)
        else:
            why = say("explain.stake", stake=stake)
        # what the expected letter (or a C for a stakeholder) would have changed
        other = index if index != NONE else LETTER_INDEX["C"]
        why += _trade(instance, load, a, r, held, other)
    else:
        forced = [
            rule.sentence
            for rule in instance.requirements
            if rule.activity == a and rule.roles == (r,) and held in rule.letters
        ]
        what = say("explain.holds", role=role.name, letter=letter, activity=activity.name)
        if forced:
            why = say("explain.hard-rule", rule=forced[0])
        elif wanted == letter:
            why = say("explain.as-template", template=template, letter=letter)
        elif wanted is None:
            why = say("explain.beyond-template", template=template)
            why += _trade(instance, load, a, r, held, NONE)
        else:
            why = say("explain.instead", template=template, wanted=wanted, letter=letter)
            why += _trade(instance, load, a, r, held, LETTER_INDEX[wanted])
    return say("explain.fit", what=what, why=why, fit=float(fit(role, activity)))


def explain_cells(instance: Instance, matrix: Matrix) -> tuple[CellExplanation, ...]:
    """Per cell that holds a letter or costs something, its weighted contribution to each
    objective term and a reason; per term, the cells add up to the objective's term."""
    chosen = choices(instance, matrix)
    terms = cell_terms(instance, chosen)
    load = loads(instance, chosen)
    penalty = role_costs(instance, load).workload
    padded = np.concatenate((instance.load, np.zeros((*instance.load.shape[:2], 1))), axis=2)
    cell_load = np.take_along_axis(padded, chosen[:, :, None], axis=2)[:, :, 0]
    per_unit = np.divide(penalty, load, out=np.zeros_like(load), where=load > 0)
    share = cell_load * per_unit[None, :]
    shown = (chosen != NONE) | (terms != 0.0).any(axis=-1)
    cells = []
    for a, r in zip(*np.nonzero(shown), strict=True):
        ell = int(chosen[a, r])
        letter = None if ell == NONE else LETTERS[ell]
        cells.append(
            CellExplanation(
                activity=instance.activities[a].id,
                role=instance.roles[r].id,
                letter=letter,
                competence=float(terms[a, r, 0]),
                workload=float(share[a, r]),
                communication=float(terms[a, r, 1]),
                alignment=float(terms[a, r, 2]),
                reason=_reason(instance, load, int(a), int(r), letter),
                consultation=float(terms[a, r, 3]),
                change=float(terms[a, r, 4]),
            )
        )
    return tuple(cells)


def _resolved(
    instance: Instance, a: int, holder: int, total: float, outcome: Outcome
) -> Alternative | None:
    """The exact runner-up from a re-solve, or None when the re-solve proved nothing."""
    activity, name = instance.activities[a], instance.roles[holder].name
    if outcome.status == "infeasible":
        return Alternative(
            activity=activity.id,
            accountable=instance.roles[holder].id,
            runner_up=None,
            cost_increase=None,
            reason=say("explain.exact-none", activity=activity.name, name=name),
        )
    if outcome.status != "optimal" or outcome.chosen is None or outcome.objective is None:
        return None
    runner = int(np.nonzero(np.isin(outcome.chosen[a], (A_IDX, AR_IDX)))[0][0])
    increase = max(outcome.objective - total, 0.0)  # ≥ 0 up to the solver's tolerance
    return Alternative(
        activity=activity.id,
        accountable=instance.roles[holder].id,
        runner_up=instance.roles[runner].id,
        cost_increase=increase,
        reason=say(
            "explain.exact", name=name, runner=instance.roles[runner].name, increase=increase
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
    now = role_costs(instance, load)
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
        then = role_costs(instance, new_load)
        per_role = then.workload + then.staffing - now.workload - now.staffing
        delta = float(after - before + per_role[changed].sum())
        if best is None or delta < best[0] - 1e-12:
            best = (delta, r)
    holder_role = instance.roles[holder]
    if best is None:
        return Alternative(
            activity=activity.id,
            accountable=holder_role.id,
            runner_up=None,
            cost_increase=None,
            reason=say("explain.local-none", activity=activity.name),
        )
    delta, runner = best
    return Alternative(
        activity=activity.id,
        accountable=holder_role.id,
        runner_up=instance.roles[runner].id,
        cost_increase=delta,
        reason=say(
            "explain.local",
            holder=holder_role.name,
            runner=instance.roles[runner].name,
            delta=delta,
        ),
    )


def explain(
    instance: Instance,
    matrix: Matrix,
    objective: Objective,
    options: SolveOptions,
    resolver: Resolver | None = None,
    budget: float | None = None,
) -> Explanation:
    """Cell contributions and, per activity, the runner-up accountable (see module docstring).

    ``resolver`` is the kept model of a *proven-optimal* solve of ``matrix`` (None: local
    estimates only); ``budget`` the seconds its re-solves may take (default
    ``min(options.alternatives_seconds, BUDGET_SHARE · options.time_limit)``).
    """
    chosen = choices(instance, matrix)
    alternatives = []
    rules = _rules_by_activity(instance)
    if budget is None:
        budget = min(options.alternatives_seconds, BUDGET_SHARE * options.time_limit)
    deadline = time.perf_counter() + budget
    for a in range(len(instance.activities)):
        holder = int(np.nonzero(np.isin(chosen[a], (A_IDX, AR_IDX)))[0][0])
        left = deadline - time.perf_counter()
        exact = None
        if resolver is not None and left > 0:
            share = FAIR_SHARES * left / (len(instance.activities) - a)
            outcome = resolver.without(a, holder, (A_IDX, AR_IDX), min(left, share))
            exact = _resolved(instance, a, holder, objective.total, outcome)
        alternatives.append(exact or _local(instance, chosen, a, holder, rules[a]))
    return Explanation(cells=explain_cells(instance, matrix), alternatives=tuple(alternatives))
