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

The elastic variant (:func:`solve_elastic`) keeps only the RACI definitions hard, gives each
requirement and prohibition a binary ``z`` that switches it off and each capacity an overflow
``o_r ≤ M_r y_r``, and minimises ``big · (Σ z + Σ y) + Σ o_r``: first the number of relaxed
rules and capacities, then the extra capacity.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pulp

from models import solver
from models.core import ACCOUNTABLE, LETTERS, RESPONSIBLE
from models.raci.objective import (
    LETTER_INDEX,
    NONE,
    SEGMENT_SLOPES,
    SEGMENT_STARTS,
    Instance,
    Prohibition,
    Requirement,
    indices,
)
from models.raci.types import SolveOptions, Status

IntArray = npt.NDArray[np.int64]
ACCOUNTABLE_INDICES = indices(ACCOUNTABLE)
RESPONSIBLE_INDICES = indices(RESPONSIBLE)
CONSULTED, INFORMED, CONSENT = LETTER_INDEX["C"], LETTER_INDEX["I"], LETTER_INDEX["S"]
PRESOLVE_COLUMNS = 5000
KIND_PREFERENCE = {"rule": 0.0, "capacity": 1.0, "structure": 2.0}
SCENARIO_RULES = ("involved[", "not_accountable[", "fixed[")
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
        status, message = "infeasible", "no matrix satisfies every hard rule"
    else:
        status = "error"
        message = message.replace("before a solution", "before a matrix")
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


@dataclass(frozen=True)
class ElasticOutcome:
    """The rules and capacities the elastic model relaxed (empty: nothing to relax)."""

    outcome: Outcome
    relaxed_requirements: tuple[Requirement, ...] = ()
    relaxed_prohibitions: tuple[Prohibition, ...] = ()
    extra_capacity: dict[int, float] = field(default_factory=dict)


class _Builder:
    """Collects PuLP variables and named constraints (display names carry ids)."""

    def __init__(self) -> None:
        self.problem = pulp.LpProblem("raci", pulp.LpMinimize)
        self.used: set[str] = set()

    def add(self, expression: pulp.LpConstraint, name: str) -> None:
        # PuLP replaces '[', ']', '-' ... by '_', which could merge distinct ids: keep unique.
        pulp_name = name.translate(str.maketrans("-+[] ->/,", "_________"))
        while pulp_name in self.used:
            pulp_name += "_"
        self.used.add(pulp_name)
        self.problem.addConstraint(expression, pulp_name)


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
    expression = _sum(
        (var, float(cost[a, r, ell] - instance.empty_cost[a, r])) for (a, r, ell), var in x.items()
    )
    expression.constant = float(instance.empty_cost.sum())
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
        capacity = float(instance.capacity[r])
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


def _settings(options: SolveOptions, columns: int) -> solver.Settings:
    return solver.Settings(
        time_limit=options.time_limit,
        gap=options.gap,
        engine=options.solver,
        # The LP relaxation is nearly always integral here; on large models HiGHS's presolve
        # and root probing cost seconds and buy nothing (60 × 400: 19 s -> 2 s); on small
        # ones they are cheap and help when capacities are tight (12 × 40: 0.24 -> 0.14 s).
        presolve=columns < PRESOLVE_COLUMNS,
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
    settings = _settings(options, len(x))
    model = solver.HighsModel(problem, settings) if settings.engine == "highs" else None
    answer = model.run() if model is not None else solver.solve(problem, settings)
    outcome = _outcome(answer, x, shape)
    if not options.explain or outcome.status != "optimal":
        return outcome
    if model is None:
        model = solver.HighsModel(problem, dataclasses.replace(settings, engine="highs"))
    return dataclasses.replace(outcome, resolver=Resolver(model, x, shape))


def solve_elastic(instance: Instance, options: SolveOptions) -> ElasticOutcome:
    """The elastic model of the module docstring: the fewest rules and capacities to relax."""
    builder = _Builder()
    x = _variables(np.ones(instance.load.shape, dtype=bool))
    load = _core(builder, instance, x)
    # Lexicographic weights: count >> kind preference >> extra capacity (load units).
    amount = 1.0 + float(instance.load.max(axis=2).sum()) if instance.load.size else 1.0
    items = len(instance.requirements) + len(instance.prohibitions) + len(instance.roles)
    count = amount * (1.0 + 2.0 * items)
    penalties: list[tuple[pulp.LpVariable, float]] = []
    overflow: dict[int, pulp.LpVariable] = {}
    for r, role in enumerate(instance.roles):
        most = sum(w for _, w in load[r])
        if most <= role.capacity:
            continue
        over = pulp.LpVariable(f"o_{r}", lowBound=0.0, upBound=most)
        used = pulp.LpVariable(f"y_{r}", cat=pulp.LpBinary)
        builder.add(_sum([*load[r], (over, -1.0)]) <= role.capacity, f"capacity[{role.id}]")
        builder.add(_sum([(over, 1.0), (used, -most)]) <= 0, f"overflow[{role.id}]")
        overflow[r] = over
        penalties += [(used, count + KIND_PREFERENCE["capacity"] * amount), (over, 1.0)]
    relax_req = [
        pulp.LpVariable(f"zr_{i}", cat=pulp.LpBinary) for i in range(len(instance.requirements))
    ]
    relax_pro = [
        pulp.LpVariable(f"zp_{i}", cat=pulp.LpBinary) for i in range(len(instance.prohibitions))
    ]
    for rule, z in zip(instance.requirements, relax_req, strict=True):
        builder.add(_sum([*_requirement_terms(rule, x), (z, 1.0)]) >= 1, rule.name)
        penalties.append((z, count + _preference(rule.name) * amount))
    for ban, z in zip(instance.prohibitions, relax_pro, strict=True):
        cell = [(x[ban.activity, ban.role, ell], 1.0) for ell in ban.letters]
        builder.add(_sum([*cell, (z, -1.0)]) <= 0, ban.name)
        penalties.append((z, count + _preference(ban.name) * amount))
    builder.problem.setObjective(_sum(penalties))
    shape = (len(instance.activities), len(instance.roles))
    answer = solver.solve(builder.problem, _settings(options, len(x)))
    outcome = _outcome(answer, x, shape)
    if outcome.chosen is None:
        return ElasticOutcome(outcome)
    return ElasticOutcome(
        outcome,
        tuple(
            r
            for r, z in zip(instance.requirements, relax_req, strict=True)
            if answer.value(z) > 0.5
        ),
        tuple(
            b
            for b, z in zip(instance.prohibitions, relax_pro, strict=True)
            if answer.value(z) > 0.5
        ),
        {r: answer.value(v) for r, v in overflow.items() if answer.value(v) > 1e-7},
    )


def _preference(name: str) -> float:
    """Tie-break between equally many relaxations: the scenario's own rules go first."""
    return KIND_PREFERENCE["rule" if name.startswith(SCENARIO_RULES) else "structure"]
