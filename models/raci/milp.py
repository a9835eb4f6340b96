"""The RACI MILP, written in PuLP and solved by HiGHS or CBC through :mod:`models.solver`.

Formulation (instance from :func:`models.raci.objective.compile_instance`)
------------------------------------------------------------------------
Variables: a binary ``x[a,r,ℓ]`` per cell and *admissible* letter ℓ (no letter = all zero),
and per role the utilisation split over the segments of the convex workload penalty,
``0 ≤ s[r,k] ≤ width_k`` (widths 0.5, 0.3, 0.2: the last segment ends at capacity).

    minimise   Σ_{a,r} e[a,r] + Σ_{a,r,ℓ} (c[a,r,ℓ] − e[a,r]) x[a,r,ℓ] + w Σ_{r,k} slope_k s[r,k]
    s.t.       one_letter[a,r]:        Σ_ℓ x[a,r,ℓ] ≤ 1
               one_accountable[a]:     Σ_r x[a,r,A] + x[a,r,A/R] = 1
               responsible[a]:         Σ_r x[a,r,R] + x[a,r,A/R] ≥ 1
               capacity[r]:            Σ_{a,ℓ} load[a,ℓ]/cap_r x[a,r,ℓ] = Σ_k s[r,k]
               <requirement>[...]:     Σ_{r∈S, ℓ∈L} x[a,r,ℓ] ≥ 1   (rules, works council, variant)

where ``c`` is the weighted cell cost and ``e`` the cost of an empty cell. Because the slopes
increase, the segments fill in order at an optimum, so the solver's objective equals
:func:`models.raci.objective.evaluate` of its matrix.

Tightening, all provably safe (an optimal matrix survives):

* prohibitions (must not be accountable, hub at most C/I) and fixed letters remove options;
* a letter whose load alone exceeds the role's capacity is removed;
* dominance among {none, I, C}: they differ only in cost and load (none < I < C) and in the
  requirements they satisfy, so I is removed when an empty cell is no dearer and no
  requirement asks for I; C likewise against I or the empty cell;
* roles and activities are sorted by id, so the model — and the matrix — do not depend on
  input order; HiGHS runs single-threaded with a fixed seed.

Speed. With per-cell linear costs and a convex load penalty instead of a max-min, the LP
relaxation is integral or nearly so on realistic instances (generated 60 × 400: solved at the
root node). What costs time is around it: the hand-over to HiGHS (one ``passModel``, in the
adapter) and HiGHS's presolve and probing (switched off above :data:`PRESOLVE_COLUMNS`
binaries), and its primal heuristics (switched off, see :func:`_settings`). Activities couple
only through the capacity rows, so tight capacities everywhere make the model harder (a
generalised assignment problem); see ``benchmarks/raci.py --capacity``.

For explanations the solved HiGHS model is kept (:class:`Resolver`): "what if this role were
not accountable here?" is a column upper bound set to 0, a re-solve of the same model, and
the bound restored, instead of a new PuLP model per question.

For diagnoses of infeasible instances (:mod:`models.raci.diagnose`) two more models keep only
the RACI definitions hard (one A, at least one R, one letter per cell) and treat every
requirement, prohibition and capacity as an :class:`Item` that can be given up:

* :class:`ConflictModel` — the strict rules as rows of one HiGHS model with no objective, each
  item's row switched off (freed) on request: "is it still infeasible without these?";
* :class:`ElasticModel` — each requirement and prohibition gets a binary ``z_i`` that switches
  it off, each capacity an overflow ``o_r ≤ M_r y_r`` (``M_r``: the role's heaviest letter on
  every activity, less its capacity), and the model minimises the price of the relaxation
  (:class:`Prices`)

      minimise  Σ_i p_i z_i + Σ_r (q_r y_r + u_r o_r)

  After each answer :meth:`ElasticModel.next` adds the cut ``Σ_{i∈S} b_i ≤ |S| − 1`` over the
  binaries ``b`` (``z`` and ``y``) of the set ``S`` it relaxed, so the next answer is a
  different set and not a superset of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pulp

from models import solver
from models.core import ACCOUNTABLE, LETTERS, RESPONSIBLE
from models.messages import say
from models.raci.objective import (
    LETTER_INDEX,
    NONE,
    SEGMENT_SLOPES,
    SEGMENT_STARTS,
    ZERO_CAPACITY,
    Instance,
    Requirement,
    indices,
)
from models.raci.types import SolveOptions, Status

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ACCOUNTABLE_INDICES = indices(ACCOUNTABLE)
RESPONSIBLE_INDICES = indices(RESPONSIBLE)
CONSULTED, INFORMED, CONSENT = LETTER_INDEX["C"], LETTER_INDEX["I"], LETTER_INDEX["S"]
PRESOLVE_COLUMNS = 5000
Variables = dict[tuple[int, int, int], pulp.LpVariable]


@dataclass(frozen=True)
class Outcome:
    """What one MILP solve produced, with an honest status."""

    status: Status
    message: str
    chosen: IntArray | None  # letter index per [activity, role], NONE for an empty cell
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    solver: str
    version: str
    #: the solved HiGHS model, kept for explanations (``options.explain``, proven optimal)
    resolver: Resolver | None = None


def _outcome(answer: solver.Solution, x: Variables, shape: tuple[int, int]) -> Outcome:
    """The adapter's answer in the RACI engine's words, with the matrix it chose."""
    status: Status
    message = answer.message
    if answer.status in ("optimal", "feasible"):
        status = answer.status
    elif answer.status == "infeasible":
        status, message = "infeasible", say("solver.no-matrix")
    else:
        status = "error"
        message = message.replace(say("solver.before-solution"), say("solver.before-matrix"))
    chosen = None
    if answer.values is not None:
        chosen = np.full(shape, NONE, dtype=np.int64)
        for (a, r, ell), var in x.items():
            if answer.value(var) > 0.5:
                chosen[a, r] = ell
    return Outcome(
        status=status,
        message=message,
        chosen=chosen,
        objective=answer.objective,
        bound=answer.bound,
        gap=answer.gap,
        seconds=answer.seconds,
        solver=answer.engine,
        version=answer.version,
    )


class Resolver:
    """A strict model kept in HiGHS, to ask "what if this role were not A here?".

    :meth:`without` forbids letters of one cell, re-solves and restores them, so the model is
    built once however many questions are asked. HiGHS cannot warm-start a MIP tree, so each
    re-solve costs roughly what the main solve did. Not thread-safe.
    """

    def __init__(self, model: solver.HighsModel, x: Variables, shape: tuple[int, int]) -> None:
        self._model = model
        self._x = x
        self._shape = shape

    def without(
        self, activity: int, role: int, letters: Sequence[int], time_limit: float
    ) -> Outcome:
        """Re-solve with ``role`` holding none of ``letters`` on ``activity``."""
        cell = (self._x.get((activity, role, ell)) for ell in letters)
        columns = np.array(
            [self._model.columns[var.name] for var in cell if var is not None], dtype=np.int32
        )
        with self._model.forbidding(columns):
            return _outcome(self._model.run(time_limit), self._x, self._shape)


ItemKind = Literal["requirement", "prohibition", "capacity"]


@dataclass(frozen=True, order=True)
class Item:
    """A hard rule or capacity a diagnosis may give up: ``index`` into the instance's
    requirements, prohibitions or roles (for ``capacity``)."""

    kind: ItemKind
    index: int


def _heaviest(instance: Instance) -> FloatArray:
    """Per role, the largest load it can carry: its heaviest letter on every activity."""
    return np.asarray(instance.load.max(axis=2, initial=0.0).sum(axis=0), dtype=np.float64)


def items(instance: Instance) -> tuple[Item, ...]:
    """Every requirement and prohibition, and the capacity of every role that could bind (one
    whose capacity is below its heaviest letter on every activity at once)."""
    heaviest = _heaviest(instance)
    return (
        *(Item("requirement", i) for i in range(len(instance.requirements))),
        *(Item("prohibition", j) for j in range(len(instance.prohibitions))),
        *(
            Item("capacity", r)
            for r in range(len(instance.roles))
            if heaviest[r] > instance.capacity[r]
        ),
    )


def _feasibility_letters(instance: Instance) -> npt.NDArray[np.bool_]:
    """The letters a feasibility question needs [a, r, ℓ]: A, R and A/R everywhere, C and I
    only where a requirement accepts them (elsewhere an empty cell does as well and loads
    less). The strict model's other cuts depend on capacities and rules, which are items."""
    allowed = np.ones(instance.load.shape, dtype=bool)
    allowed[:, :, [CONSULTED, INFORMED]] = False
    for rule in instance.requirements:
        for ell in {CONSULTED, INFORMED} & set(rule.letters):
            allowed[rule.activity, list(rule.roles), ell] = True
    return allowed


def item_name(instance: Instance, item: Item) -> str:
    """The constraint name of an item: the rule's name, or ``capacity[<role id>]``."""
    if item.kind == "requirement":
        return instance.requirements[item.index].name
    if item.kind == "prohibition":
        return instance.prohibitions[item.index].name
    return f"capacity[{instance.roles[item.index].id}]"


@dataclass(frozen=True)
class ElasticOutcome:
    """The items the elastic model relaxed (sorted; empty: nothing to relax) and the extra
    capacity per role index, in load units."""

    outcome: Outcome
    relaxed: tuple[Item, ...] = ()
    extra_capacity: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Prices:
    """What the elastic model pays to give up each item: a price per requirement and per
    prohibition switched off, and per role a price for raising its capacity at all
    (``raise_role``) plus one per unit of extra capacity (``per_unit``)."""

    requirements: tuple[float, ...]
    prohibitions: tuple[float, ...]
    raise_role: tuple[float, ...]
    per_unit: tuple[float, ...]


class _Builder:
    """Collects PuLP variables and named constraints (display names carry ids)."""

    def __init__(self) -> None:
        self.problem = pulp.LpProblem("raci", pulp.LpMinimize)
        self.used: set[str] = set()

    def add(self, expression: pulp.LpConstraint, name: str) -> str:
        """Add a constraint; returns its PuLP name."""
        # PuLP replaces '[', ']', '-' ... by '_', which could merge distinct ids: keep unique.
        pulp_name = name.translate(str.maketrans("-+[] ->/,", "_________"))
        while pulp_name in self.used:
            pulp_name += "_"
        self.used.add(pulp_name)
        self.problem.addConstraint(expression, pulp_name)
        return pulp_name


def _sum(terms: Iterable[tuple[pulp.LpVariable, float]]) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(list(terms))


def admissible(instance: Instance) -> npt.NDArray[np.bool_]:
    """Which letters each cell may take in the strict (non-elastic) model [a, r, ℓ]."""
    allowed = np.ones(instance.load.shape, dtype=bool)
    for ban in instance.prohibitions:
        allowed[ban.activity, ban.role, list(ban.letters)] = False
    allowed &= instance.load <= instance.capacity[None, :, None] + 1e-9
    asked = np.zeros(instance.load.shape, dtype=bool)  # letters some requirement accepts
    c_not_i = np.zeros(instance.load.shape[:2], dtype=bool)  # a requirement takes C, not I
    s_not_c = np.zeros(instance.load.shape[:2], dtype=bool)  # a requirement takes S, not C
    for rule in instance.requirements:
        for r in rule.roles:
            asked[rule.activity, r, list(rule.letters)] = True
            if CONSULTED in rule.letters and INFORMED not in rule.letters:
                c_not_i[rule.activity, r] = True
            if CONSENT in rule.letters and CONSULTED not in rule.letters:
                s_not_c[rule.activity, r] = True
        if len(rule.roles) == 1 and len(rule.letters) == 1:
            fixed = np.zeros(len(LETTERS), dtype=bool)
            fixed[rule.letters[0]] = True
            allowed[rule.activity, rule.roles[0]] &= fixed
    cost = instance.cell_cost.sum(axis=-1)
    empty = instance.empty_cost - 1e-12
    # Dominance is a per-cell argument: cells tied to others (units alike) keep every letter.
    free = np.ones(instance.load.shape[:2], dtype=bool)
    for group in instance.alike:
        free[group.activity, list(group.roles)] = False
    # An empty cell satisfies every requirement that does not accept I at this cell, costs no
    # more and loads less: then I is dominated. C likewise against an empty cell, and against
    # I when every requirement accepting C here accepts I too.
    allowed[:, :, INFORMED] &= asked[:, :, INFORMED] | (cost[:, :, INFORMED] < empty) | ~free
    # S (consent) is C with more cost and load: dominated by C unless a requirement here takes
    # S and not C. Decided before C's own pruning: C is then kept or itself dominated.
    by_c = allowed[:, :, CONSULTED] & ~s_not_c & (cost[:, :, CONSENT] >= cost[:, :, CONSULTED])
    allowed[:, :, CONSENT] &= ~(by_c & free)
    by_i = allowed[:, :, INFORMED] & ~c_not_i & (cost[:, :, CONSULTED] >= cost[:, :, INFORMED])
    by_empty = ~asked[:, :, CONSULTED] & (cost[:, :, CONSULTED] >= empty)
    allowed[:, :, CONSULTED] &= ~((by_i | by_empty) & free)
    return allowed


def _variables(
    allowed: npt.NDArray[np.bool_],
) -> dict[tuple[int, int, int], pulp.LpVariable]:
    a_idx, r_idx, l_idx = np.nonzero(allowed)
    return {
        (a, r, ell): pulp.LpVariable(f"x_{a}_{r}_{ell}", cat=pulp.LpBinary)
        for a, r, ell in zip(a_idx.tolist(), r_idx.tolist(), l_idx.tolist(), strict=True)
    }


def _core(
    builder: _Builder,
    instance: Instance,
    x: dict[tuple[int, int, int], pulp.LpVariable],
) -> dict[int, list[tuple[pulp.LpVariable, float]]]:
    """The RACI definitions; returns each role's load terms (variable, load)."""
    by_cell: dict[tuple[int, int], list[pulp.LpVariable]] = {}
    accountable: dict[int, list[pulp.LpVariable]] = {a: [] for a in range(len(instance.activities))}
    responsible: dict[int, list[pulp.LpVariable]] = {a: [] for a in range(len(instance.activities))}
    load: dict[int, list[tuple[pulp.LpVariable, float]]] = {
        r: [] for r in range(len(instance.roles))
    }
    for (a, r, ell), var in x.items():
        by_cell.setdefault((a, r), []).append(var)
        if ell in ACCOUNTABLE_INDICES:
            accountable[a].append(var)
        if ell in RESPONSIBLE_INDICES:
            responsible[a].append(var)
        if instance.load[a, r, ell] > 0:
            load[r].append((var, float(instance.load[a, r, ell])))
    activity_ids, role_ids = instance.activity_ids, instance.role_ids
    for (a, r), cell in by_cell.items():
        if len(cell) > 1:
            builder.add(
                _sum((v, 1.0) for v in cell) <= 1, f"one_letter[{activity_ids[a]},{role_ids[r]}]"
            )
    for a, aid in enumerate(activity_ids):
        builder.add(_sum((v, 1.0) for v in accountable[a]) == 1, f"one_accountable[{aid}]")
        builder.add(_sum((v, 1.0) for v in responsible[a]) >= 1, f"responsible[{aid}]")
    for group in instance.alike:
        a, first = group.activity, group.roles[0]
        for r in group.roles[1:]:
            for ell in range(len(LETTERS)):
                pair = [
                    (x[k], sign)
                    for k, sign in (((a, first, ell), 1.0), ((a, r, ell), -1.0))
                    if k in x
                ]
                if pair:
                    name = f"alike[{activity_ids[a]},{role_ids[r]},{LETTERS[ell]}]"
                    builder.add(_sum(pair) == 0, name)
    return load


def _requirement_terms(
    rule: Requirement, x: dict[tuple[int, int, int], pulp.LpVariable]
) -> list[tuple[pulp.LpVariable, float]]:
    return [
        (x[rule.activity, r, ell], 1.0)
        for r in rule.roles
        for ell in rule.letters
        if (rule.activity, r, ell) in x
    ]


def _cell_objective(
    instance: Instance, x: dict[tuple[int, int, int], pulp.LpVariable]
) -> pulp.LpAffineExpression:
    cost = instance.cell_cost.sum(axis=-1)
    empty = instance.empty_cost
    expression = _sum((var, float(cost[a, r, ell] - empty[a, r])) for (a, r, ell), var in x.items())
    expression.constant = float(empty.sum())
    return expression


def _optional_role(
    builder: _Builder,
    instance: Instance,
    x: Variables,
    r: int,
    load: list[tuple[pulp.LpVariable, float]],
    widths: npt.NDArray[np.float64],
) -> list[tuple[pulp.LpVariable, float]]:
    """An optional role: a binary z_k per size c_k, at most one; the role holds letters only if
    created; its load is Σ_k c_k Σ_j s[k,j] with s[k,j] ≤ width_j · z_k (the convex penalty
    of the chosen size); creating it at size k costs its staffing cost. Returns the objective
    terms (workload segments and staffing)."""
    role_id = instance.roles[r].id
    sizes, costs = instance.sizes[r], instance.size_cost[r]
    z = [pulp.LpVariable(f"z_{r}_{k}", cat=pulp.LpBinary) for k in range(len(sizes))]
    builder.add(_sum((v, 1.0) for v in z) <= 1, f"one_size[{role_id}]")
    cells: dict[int, list[pulp.LpVariable]] = {}
    for (a, rr, _), var in x.items():
        if rr == r:
            cells.setdefault(a, []).append(var)
    for a, held in cells.items():
        name = f"created[{instance.activities[a].id},{role_id}]"
        builder.add(_sum([*((v, 1.0) for v in held), *((v, -1.0) for v in z)]) <= 0, name)
    terms: list[tuple[pulp.LpVariable, float]] = []
    segments: list[tuple[pulp.LpVariable, float]] = []
    for k, (size, cost, on) in enumerate(zip(sizes, costs, z, strict=True)):
        terms.append((on, float(cost)))
        for j, (width, slope) in enumerate(zip(widths, SEGMENT_SLOPES, strict=True)):
            s = pulp.LpVariable(f"s_{r}_{k}_{j}", lowBound=0.0, upBound=float(width))
            builder.add(_sum([(s, 1.0), (on, -float(width))]) <= 0, f"size[{role_id},{k},{j}]")
            segments.append((s, float(size)))
            terms.append((s, instance.workload_weight * float(slope)))
    builder.add(_sum([*load, *((s, -size) for s, size in segments)]) == 0, f"capacity[{role_id}]")
    return terms


def build(
    instance: Instance,
) -> tuple[pulp.LpProblem, dict[tuple[int, int, int], pulp.LpVariable]]:
    """The strict model of the module docstring."""
    allowed = admissible(instance)
    builder = _Builder()
    x = _variables(allowed)
    load = _core(builder, instance, x)
    widths = np.diff(np.append(SEGMENT_STARTS, 1.0))
    workload = []
    for r, role in enumerate(instance.roles):
        if not load[r]:
            continue
        if instance.sizes and instance.sizes[r]:
            workload += _optional_role(builder, instance, x, r, load[r], widths)
            continue
        segments = [
            pulp.LpVariable(f"s_{r}_{k}", lowBound=0.0, upBound=float(width))
            for k, width in enumerate(widths)
        ]
        # As in evaluate: capacity 0 counts as ZERO_CAPACITY, so a letter whose load is within
        # the admissibility tolerance of a zero capacity (a subnormal effort) divides by it.
        capacity = max(float(instance.capacity[r]), ZERO_CAPACITY)
        builder.add(
            _sum([(v, w / capacity) for v, w in load[r]] + [(s, -1.0) for s in segments]) == 0,
            f"capacity[{role.id}]",
        )
        workload += [
            (s, instance.workload_weight * float(slope))
            for s, slope in zip(segments, SEGMENT_SLOPES, strict=True)
        ]
    for rule in instance.requirements:
        builder.add(_sum(_requirement_terms(rule, x)) >= 1, rule.name)
    objective = _cell_objective(instance, x)
    objective.addInPlace(_sum(workload))
    builder.problem.setObjective(objective)
    return builder.problem, x


def _settings(options: SolveOptions, instance: Instance, columns: int) -> solver.Settings:
    return solver.Settings(
        time_limit=options.time_limit,
        gap=options.gap,
        engine=options.solver,
        # The LP relaxation is nearly always integral here; on large models HiGHS's presolve
        # and root probing mostly cost seconds and buy nothing (60 × 400 central: 3.2 -> 0.8
        # s; multi-hub: over 40 s -> 10 s); on small ones they are cheap and help when
        # capacities are tight (12 × 40: 0.24 -> 0.14 s); and with hub-and-spoke's and
        # distributed's per-unit rows they pay whatever the size (60 × 400 hub-and-spoke
        # 29 -> 10 s, distributed 13-47 -> 12-14 s; 30 × 150 distributed 2.1 -> 0.9 s).
        presolve=columns < PRESOLVE_COLUMNS
        or (
            instance.variant in ("hub-and-spoke", "distributed")
            and any(activity.unit is not None for activity in instance.activities)
        ),
        # The primal heuristics (RINS, RENS, root reduced cost, feasibility jump) off: branch
        # and bound finds the optimum on its own. Measured, same optima: the seven built-ins
        # × five variants 3.2 -> 2.0 s in all (it-led hub-and-spoke 317 -> 95 ms);
        # benchmarks/raci.py medians 12 × 40 0.10 -> 0.08 s, 30 × 150 0.54 -> 0.43 s,
        # 60 × 400 4.1 -> 2.8 s; the exact runner-up re-solves 1.2-2.3x faster.
        heuristics=False,
    )


def solve_instance(instance: Instance, options: SolveOptions) -> Outcome:
    """Build and solve the strict model, with the honest status of :mod:`models.solver`.

    With ``options.explain`` and a proven optimum (what runner-ups are measured against), the
    outcome keeps the model in HiGHS as a :class:`Resolver` (after a CBC solve, the same model
    loaded into HiGHS unsolved).
    """
    problem, x = build(instance)
    shape = (len(instance.activities), len(instance.roles))
    settings = _settings(options, instance, len(x))
    model = solver.HighsModel(problem, settings) if settings.engine == "highs" else None
    answer = model.run() if model is not None else solver.solve(problem, settings)
    outcome = _outcome(answer, x, shape)
    if not options.explain or outcome.status != "optimal":
        return outcome
    if model is None:
        model = solver.HighsModel(problem, dataclasses.replace(settings, engine="highs"))
    return dataclasses.replace(outcome, resolver=Resolver(model, x, shape))


def solve_from(instance: Instance, options: SolveOptions, start: IntArray) -> Outcome:
    """:func:`solve_instance` without explanation, from a matrix known to meet every hard rule.

    ``start`` (letter indices [activity, role]) becomes HiGHS's first incumbent, so a time
    limit leaves at least that matrix. Its letters the strict model's tightening removed are
    replaced first, as the module docstring's dominance argument allows: a C by an I where I
    is admissible, else (and an I) by no letter. CBC solves from scratch.
    """
    problem, x = build(instance)
    shape = (len(instance.activities), len(instance.roles))
    settings = _settings(options, instance, len(x))
    if settings.engine != "highs":
        return _outcome(solver.solve(problem, settings), x, shape)
    allowed = admissible(instance)
    chosen = start.copy()
    for (a, r), ell in np.ndenumerate(start):
        if ell != NONE and not allowed[a, r, ell]:
            chosen[a, r] = INFORMED if ell == CONSULTED and allowed[a, r, INFORMED] else NONE
    model = solver.HighsModel(problem, settings)
    model.start({var.name: float(chosen[a, r] == ell) for (a, r, ell), var in x.items()})
    return _outcome(model.run(), x, shape)


def _item_rows(
    builder: _Builder,
    instance: Instance,
    x: Variables,
    load: dict[int, list[tuple[pulp.LpVariable, float]]],
    switch: dict[Item, pulp.LpVariable],
    overflow: dict[int, pulp.LpVariable],
) -> dict[Item, str]:
    """One row per item (:func:`items`), with its switch ``z`` or overflow ``o`` when given.

    Returns each item's row name. Requirement: ``Σ x + z ≥ 1``; prohibition: ``Σ x − z ≤ 0``;
    capacity: ``Σ load·x − o ≤ capacity``.
    """
    rows: dict[Item, str] = {}
    for item in items(instance):
        z = switch.get(item)
        if item.kind == "requirement":
            rule = instance.requirements[item.index]
            terms = _requirement_terms(rule, x) + ([(z, 1.0)] if z is not None else [])
            rows[item] = builder.add(_sum(terms) >= 1, rule.name)
        elif item.kind == "prohibition":
            ban = instance.prohibitions[item.index]
            keys = ((ban.activity, ban.role, ell) for ell in ban.letters)
            cell = [(x[key], 1.0) for key in keys if key in x]  # letters pruned never hold
            terms = cell + ([(z, -1.0)] if z is not None else [])
            rows[item] = builder.add(_sum(terms) <= 0, ban.name)
        else:
            r = item.index
            over = overflow.get(r)
            terms = load[r] + ([(over, -1.0)] if over is not None else [])
            capacity = float(instance.capacity[r])
            rows[item] = builder.add(_sum(terms) <= capacity, item_name(instance, item))
    return rows


class ConflictModel:
    """The strict rules of an instance in one HiGHS model, each item's row switchable.

    :meth:`infeasible` answers "is the instance still infeasible with only these items?" by
    freeing the other items' rows (:meth:`models.solver.HighsModel.freeing`) and re-solving a
    model without objective, so the model is built once for a whole conflict search. It has
    the letters of :func:`_feasibility_letters`. HiGHS whatever ``options.solver`` says, like
    explanations. Not thread-safe.
    """

    def __init__(self, instance: Instance, options: SolveOptions) -> None:
        builder = _Builder()
        x = _variables(_feasibility_letters(instance))
        load = _core(builder, instance, x)
        self._rows = _item_rows(builder, instance, x, load, {}, {})
        builder.problem.setObjective(pulp.LpAffineExpression())
        self._model = solver.HighsModel(builder.problem, _settings(options, instance, len(x)))
        self.items = tuple(self._rows)

    def infeasible(self, kept: Collection[Item], time_limit: float) -> bool | None:
        """True: proven infeasible with only ``kept``; False: feasible; None: not known in
        ``time_limit`` seconds."""
        freed = [self._model.rows[row] for item, row in self._rows.items() if item not in kept]
        with self._model.freeing(freed):
            answer = self._model.run(time_limit)
        if answer.status == "infeasible":
            return True
        if answer.status in ("optimal", "feasible"):
            return False
        return None


class ElasticModel:
    """The elastic model of the module docstring, built once and solved for one different
    relaxation after another (:meth:`next`). Not thread-safe."""

    def __init__(self, instance: Instance, prices: Prices, options: SolveOptions) -> None:
        self._instance = instance
        self._options = options
        builder = _Builder()
        self._x = _variables(_feasibility_letters(instance))
        load = _core(builder, instance, self._x)
        heaviest = _heaviest(instance)
        self._switch: dict[Item, pulp.LpVariable] = {}
        overflow: dict[int, pulp.LpVariable] = {}
        penalties: list[tuple[pulp.LpVariable, float]] = []
        for item in items(instance):
            r = item.index
            if item.kind == "capacity":
                most = float(heaviest[r] - instance.capacity[r])  # the largest overflow
                over = pulp.LpVariable(f"o_{r}", lowBound=0.0, upBound=most)
                used = pulp.LpVariable(f"y_{r}", cat=pulp.LpBinary)
                builder.add(
                    _sum([(over, 1.0), (used, -most)]) <= 0,
                    f"overflow[{item_name(instance, item)}]",
                )
                overflow[r], self._switch[item] = over, used
                penalties += [(used, prices.raise_role[r]), (over, prices.per_unit[r])]
            else:
                z = pulp.LpVariable(f"z{item.kind[0]}_{r}", cat=pulp.LpBinary)
                self._switch[item] = z
                price = prices.requirements if item.kind == "requirement" else prices.prohibitions
                penalties.append((z, price[r]))
        _item_rows(builder, instance, self._x, load, self._switch, overflow)
        builder.problem.setObjective(_sum(penalties))
        self._builder = builder
        self._overflow = overflow

    def next(self, time_limit: float) -> ElasticOutcome:
        """The cheapest relaxation not found before (within ``time_limit`` seconds).

        Status ``infeasible``: no other relaxation exists. After an answer with a relaxation,
        a cut excludes that set and its supersets from the later answers.
        """
        instance = self._instance
        shape = (len(instance.activities), len(instance.roles))
        settings = dataclasses.replace(
            _settings(self._options, self._instance, len(self._x)), time_limit=time_limit
        )
        answer = solver.solve(self._builder.problem, settings)
        outcome = _outcome(answer, self._x, shape)
        if outcome.chosen is None:
            return ElasticOutcome(outcome)
        relaxed = tuple(sorted(i for i, b in self._switch.items() if answer.value(b) > 0.5))
        extra = {
            r: answer.value(over)
            for r, over in self._overflow.items()
            if Item("capacity", r) in relaxed and answer.value(over) > 1e-7
        }
        if relaxed:
            cut = _sum((self._switch[i], 1.0) for i in relaxed) <= len(relaxed) - 1
            self._builder.add(cut, f"other_than[{len(self._builder.used)}]")
        return ElasticOutcome(outcome, relaxed, extra)
