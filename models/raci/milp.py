"""The RACI MILP in PuLP (the only module that imports PuLP), solved by HiGHS or CBC.

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
root node). What costs time is around it: PuLP's column-by-column hand-over to HiGHS
(replaced by one ``passModel``, :class:`_HiGHS`) and HiGHS's presolve and probing (switched
off above :data:`PRESOLVE_COLUMNS` binaries). Activities couple only through the capacity
rows, so tight capacities everywhere make the model harder (a generalised assignment
problem); see ``benchmarks/raci.py --capacity``.

For explanations the solved HiGHS model is kept (:class:`Resolver`): "what if this role were
not accountable here?" is a column upper bound set to 0, a re-solve of the same model, and
the bound restored, instead of a new PuLP model per question. HiGHS cannot warm-start a MIP
tree, so each re-solve costs roughly what the main solve did.

The elastic variant (:func:`solve_elastic`) keeps only the RACI definitions hard, gives each
requirement and prohibition a binary ``z`` that switches it off and each capacity an overflow
``o_r ≤ M_r y_r``, and minimises ``big · (Σ z + Σ y) + Σ o_r``: first the number of relaxed
rules and capacities, then the extra capacity.
"""

from __future__ import annotations

import dataclasses
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import highspy
import numpy as np
import numpy.typing as npt
import pulp
from msgspec.structs import replace

from models.errors import SolverFailure
from models.raci.objective import (
    LETTER_INDEX,
    NONE,
    SEGMENT_SLOPES,
    SEGMENT_STARTS,
    Instance,
    Prohibition,
    Requirement,
)
from models.raci.types import LETTERS, SolveOptions, Status

IntArray = npt.NDArray[np.int64]
ACCOUNTABLE = (LETTER_INDEX["A"], LETTER_INDEX["A/R"])
RESPONSIBLE = (LETTER_INDEX["R"], LETTER_INDEX["A/R"])
CONSULTED, INFORMED = LETTER_INDEX["C"], LETTER_INDEX["I"]
FEASIBLE_SOLUTION = 2  # HiGHS's kSolutionStatusFeasible
PROVEN_GAP = 1e-6  # a relative gap at most this counts as proven optimal
SEED = 20100101
PRESOLVE_COLUMNS = 5000
#: HiGHS's primal heuristics, switched off: the LP relaxation is nearly integral here, so
#: branch and bound finds the optimum on its own and the sub-MIPs (RINS, RENS, reduced cost)
#: and feasibility jump only add their cost. Measured, same optima: the seven built-ins ×
#: five variants 3.2 -> 2.0 s in all (it-led hub-and-spoke 317 -> 95 ms); benchmarks/raci.py
#: medians 12 × 40 0.10 -> 0.08 s, 30 × 150 0.54 -> 0.43 s, 60 × 400 4.1 -> 2.8 s; the
#: exact runner-up re-solves of the explanations 1.2-2.3x faster.
HEURISTICS_OFF = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}
KIND_PREFERENCE = {"rule": 0.0, "capacity": 1.0, "structure": 2.0}
SCENARIO_RULES = ("involved[", "not_accountable[", "fixed[")


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


class Resolver:
    """A strict model loaded into HiGHS, kept to ask "what if this role were not A here?".

    :meth:`without` forbids letters of one cell by setting their columns' upper bounds to 0,
    re-solves, and restores the bounds, so the model is built once however many questions
    are asked. Not thread-safe: one resolver serves one caller at a time.
    """

    def __init__(
        self,
        highs: highspy.Highs,
        x: dict[tuple[int, int, int], pulp.LpVariable],
        shape: tuple[int, int],
        constant: float,
    ) -> None:
        self._highs = highs
        self._keys = np.array(list(x), dtype=np.int64).reshape(-1, 3)
        self._columns = np.array([var.index for var in x.values()], dtype=np.int32)
        self._column_of = {key: int(c) for key, c in zip(x, self._columns, strict=True)}
        self._shape = shape
        self._constant = constant

    def without(
        self, activity: int, role: int, letters: Sequence[int], time_limit: float
    ) -> Outcome:
        """Re-solve with ``role`` holding none of ``letters`` on ``activity``."""
        highs = self._highs
        columns = np.array(
            [
                self._column_of[k]
                for k in ((activity, role, ell) for ell in letters)
                if k in self._column_of
            ],
            dtype=np.int32,
        )
        zeros = np.zeros(len(columns))
        highs.setOptionValue("time_limit", float(time_limit))
        highs.changeColsBounds(len(columns), columns, zeros, zeros)
        started = time.perf_counter()
        try:
            highs.run()
            return self._read(time.perf_counter() - started, time_limit)
        finally:
            # every x is binary, so [0, 1] are its bounds
            highs.changeColsBounds(len(columns), columns, zeros, np.ones(len(columns)))

    def _read(self, seconds: float, time_limit: float) -> Outcome:
        highs = self._highs
        info = highs.getInfo()
        model_status = highs.getModelStatus()

        def outcome(
            status: Status, message: str, chosen: IntArray | None = None, **figures: float | None
        ) -> Outcome:
            return Outcome(
                status,
                message,
                chosen,
                figures.get("objective"),
                figures.get("bound"),
                figures.get("gap"),
                seconds,
                "highs",
                highs_version(),
            )

        if model_status == highspy.HighsModelStatus.kInfeasible:
            return outcome("infeasible", "no matrix satisfies every hard rule")
        if info.primal_solution_status != FEASIBLE_SOLUTION:
            return outcome("error", f"highs stopped without a result ({model_status.name})")
        value = float(info.objective_function_value) + self._constant
        proven, gap, bound = _proof(highs, value, self._constant)
        values = np.asarray(highs.getSolution().col_value)[self._columns]
        on = self._keys[values > 0.5]
        chosen = np.full(self._shape, NONE, dtype=np.int64)
        chosen[on[:, 0], on[:, 1]] = on[:, 2]
        if proven:
            return outcome(
                "optimal", "proven optimal", chosen, objective=value, bound=bound, gap=gap
            )
        return outcome(
            "feasible",
            f"stopped by the time limit of {time_limit:g} s",
            chosen,
            objective=value,
            bound=bound,
            gap=gap,
        )


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
    for rule in instance.requirements:
        for r in rule.roles:
            asked[rule.activity, r, list(rule.letters)] = True
            if CONSULTED in rule.letters and INFORMED not in rule.letters:
                c_not_i[rule.activity, r] = True
        if len(rule.roles) == 1 and len(rule.letters) == 1:
            fixed = np.zeros(len(LETTERS), dtype=bool)
            fixed[rule.letters[0]] = True
            allowed[rule.activity, rule.roles[0]] &= fixed
    cost = instance.cell_cost.sum(axis=-1)
    empty = instance.empty_cost - 1e-12
    # An empty cell satisfies every requirement that does not accept I at this cell, costs no
    # more and loads less: then I is dominated. C likewise against an empty cell, and against
    # I when every requirement accepting C here accepts I too.
    allowed[:, :, INFORMED] &= asked[:, :, INFORMED] | (cost[:, :, INFORMED] < empty)
    by_i = allowed[:, :, INFORMED] & ~c_not_i & (cost[:, :, CONSULTED] >= cost[:, :, INFORMED])
    by_empty = ~asked[:, :, CONSULTED] & (cost[:, :, CONSULTED] >= empty)
    allowed[:, :, CONSULTED] &= ~(by_i | by_empty)
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
        if ell in ACCOUNTABLE:
            accountable[a].append(var)
        if ell in RESPONSIBLE:
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


@cache
def highs_version() -> str:
    """The HiGHS version behind highspy."""
    return str(highspy.Highs().version())  # type: ignore[no-untyped-call]


@cache
def cbc_version() -> str:
    """The CBC version PuLP ships (read from the binary's banner)."""
    solver = pulp.PULP_CBC_CMD(msg=False)
    banner = subprocess.run(
        [solver.path, "-quit"], capture_output=True, text=True, check=False, timeout=10
    ).stdout
    for line in banner.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


class _HiGHS(pulp.HiGHS):  # type: ignore[misc]
    """PuLP's HiGHS API, passing the model to highspy in one call.

    PuLP adds columns one by one (``addCol`` + ``changeColIntegrality``), seconds at 85k
    binaries; one ``passModel`` of CSR arrays takes milliseconds. The indices PuLP reads the
    solution back with (``var.index``, ``constraint.index``) are set the same way.
    """

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:  # noqa: N802 (PuLP's API)
        variables = lp.variables()
        for i, var in enumerate(variables):
            var.index = i
        model = highspy.HighsLp()
        model.num_col_ = len(variables)
        model.col_cost_ = np.array([lp.objective.get(v, 0.0) for v in variables])
        model.col_lower_ = np.array(
            [-np.inf if v.lowBound is None else v.lowBound for v in variables]
        )
        model.col_upper_ = np.array([np.inf if v.upBound is None else v.upBound for v in variables])
        model.integrality_ = [
            highspy.HighsVarType.kInteger
            if v.cat == pulp.LpInteger
            else highspy.HighsVarType.kContinuous
            for v in variables
        ]
        starts, index, value, lower, upper = [0], [], [], [], []
        for i, constraint in enumerate(lp._constraints.values()):
            constraint.index = i
            for var, coefficient in constraint.items():
                if coefficient != 0:
                    index.append(var.index)
                    value.append(coefficient)
            starts.append(len(index))
            lb, ub = constraint.getLb(), constraint.getUb()
            lower.append(-np.inf if lb is None else lb)
            upper.append(np.inf if ub is None else ub)
        model.num_row_ = len(lower)
        model.row_lower_ = np.array(lower)
        model.row_upper_ = np.array(upper)
        model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        model.a_matrix_.num_col_ = len(variables)
        model.a_matrix_.num_row_ = len(lower)
        model.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        model.a_matrix_.index_ = np.array(index, dtype=np.int32)
        model.a_matrix_.value_ = np.array(value, dtype=np.float64)
        lp.solverModel.passModel(model)


def _solver(options: SolveOptions, time_limit: float, columns: int) -> pulp.LpSolver:
    if options.solver == "cbc":
        return pulp.PULP_CBC_CMD(
            msg=False,
            timeLimit=time_limit,
            gapRel=options.gap,
            threads=1,
            options=[f"randomCbcSeed {SEED}", f"randomSeed {SEED}"],
        )
    return _HiGHS(
        msg=False,
        timeLimit=time_limit,
        gapRel=options.gap,
        gapAbs=1e-9,
        threads=1,
        random_seed=SEED % 2**31,
        # The LP relaxation is nearly always integral here; on large models HiGHS's presolve
        # and root probing cost seconds and buy nothing (60 × 400: 19 s -> 2 s); on small
        # ones they are cheap and help when capacities are tight (12 × 40: 0.24 -> 0.14 s).
        presolve="on" if columns < PRESOLVE_COLUMNS else "off",
        **HEURISTICS_OFF,
    )


def run(
    problem: pulp.LpProblem,
    x: dict[tuple[int, int, int], pulp.LpVariable],
    shape: tuple[int, int],
    options: SolveOptions,
    time_limit: float | None = None,
) -> Outcome:
    """Solve ``problem`` and read its status honestly.

    "optimal" needs the solver's own proof (HiGHS model status optimal with a gap ≤ 1e-6, or
    CBC "Optimal" with no relative gap requested) *and* PuLP's ``sol_status`` optimal; a
    time-limited incumbent is "feasible" with its gap and bound.
    """
    limit = options.time_limit if time_limit is None else time_limit
    solver = _solver(options, limit, len(x))
    name = "highs" if options.solver == "highs" else "cbc"
    version = highs_version() if name == "highs" else cbc_version()
    started = time.perf_counter()
    try:
        problem.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverFailure(f"{name} failed: {exc}") from exc
    seconds = time.perf_counter() - started
    constant = float(problem.objective.constant) if problem.objective is not None else 0.0

    def outcome(
        status: Status, message: str, with_matrix: bool, **figures: float | None
    ) -> Outcome:
        return Outcome(
            status=status,
            message=message,
            chosen=_chosen(x, shape) if with_matrix else None,
            objective=figures.get("objective"),
            bound=figures.get("bound"),
            gap=figures.get("gap"),
            seconds=seconds,
            solver=name,
            version=version,
        )

    if problem.status == pulp.LpStatusInfeasible:
        return outcome("infeasible", "no matrix satisfies every hard rule", False)
    has_solution = problem.sol_status in (
        pulp.LpSolutionOptimal,
        pulp.LpSolutionIntegerFeasible,
    )
    if problem.status != pulp.LpStatusOptimal or not has_solution:
        if seconds >= limit * 0.95:
            message = f"the time limit of {limit:g} s ran out before a matrix was found"
        else:
            message = f"{name} stopped without a result (PuLP status {problem.status})"
        return outcome("error", message, False)
    value = float(pulp.value(problem.objective))
    bound: float | None
    if name == "highs":
        proven, gap, bound = _proof(problem.solverModel, value, constant)
    else:
        proven = problem.sol_status == pulp.LpSolutionOptimal and options.gap == 0.0
        gap = 0.0 if proven else None
        bound = value if proven else None
    if proven and problem.sol_status == pulp.LpSolutionOptimal:
        return outcome("optimal", "proven optimal", True, objective=value, bound=bound, gap=gap)
    if problem.sol_status == pulp.LpSolutionOptimal:
        message = "stopped within the requested gap"
    else:
        message = f"stopped by the time limit of {limit:g} s"
    return outcome("feasible", message, True, objective=value, bound=bound, gap=gap)


def _proof(highs: highspy.Highs, value: float, constant: float) -> tuple[bool, float | None, float]:
    """Whether HiGHS proved ``value`` optimal, with its relative gap and dual bound."""
    info = highs.getInfo()
    gap = max(float(info.mip_gap), 0.0) if np.isfinite(info.mip_gap) else None
    bound = float(info.mip_dual_bound) + constant
    if abs(value - bound) <= PROVEN_GAP * max(1.0, abs(value)):
        gap = 0.0
    proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return proven and gap is not None and gap <= PROVEN_GAP, gap, bound


def _chosen(x: dict[tuple[int, int, int], pulp.LpVariable], shape: tuple[int, int]) -> IntArray:
    chosen = np.full(shape, NONE, dtype=np.int64)
    for (a, r, ell), var in x.items():
        if var.varValue is not None and var.varValue > 0.5:
            chosen[a, r] = ell
    return chosen


def solve_instance(instance: Instance, options: SolveOptions) -> Outcome:
    """Build and solve the strict model.

    With ``options.explain`` and a proven optimum (what runner-ups are measured against), the
    outcome keeps the model as a :class:`Resolver`: HiGHS's own, or (after CBC) the same model
    loaded into HiGHS unsolved.
    """
    problem, x = build(instance)
    shape = (len(instance.activities), len(instance.roles))
    outcome = run(problem, x, shape, options)
    if not options.explain or outcome.status != "optimal":
        return outcome
    if options.solver != "highs":
        highs = _solver(replace(options, solver="highs"), options.time_limit, len(x))
        highs.createAndConfigureSolver(problem)
        highs.buildSolverModel(problem)
    constant = float(problem.objective.constant)
    resolver = Resolver(problem.solverModel, x, shape, constant)
    return dataclasses.replace(outcome, resolver=resolver)


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
    outcome = run(builder.problem, x, (len(instance.activities), len(instance.roles)), options)
    if outcome.chosen is None:
        return ElasticOutcome(outcome)
    return ElasticOutcome(
        outcome,
        tuple(rule for rule, z in zip(instance.requirements, relax_req, strict=True) if _on(z)),
        tuple(ban for ban, z in zip(instance.prohibitions, relax_pro, strict=True) if _on(z)),
        {r: float(v.varValue) for r, v in overflow.items() if v.varValue and v.varValue > 1e-7},
    )


def _preference(name: str) -> float:
    """Tie-break between equally many relaxations: the scenario's own rules go first."""
    return KIND_PREFERENCE["rule" if name.startswith(SCENARIO_RULES) else "structure"]


def _on(var: pulp.LpVariable) -> bool:
    return var.varValue is not None and var.varValue > 0.5
