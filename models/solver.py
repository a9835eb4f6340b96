"""The one adapter to the MILP engines: every MILP in Gremium is solved here.

Models are written with PuLP, the modelling layer; this module hands them to an engine and
reads the answer back::

    solve(problem, Settings(time_limit=5))  -> Solution     one solve, HiGHS or CBC
    HighsModel(problem, settings)                           a model kept in HiGHS:
        .run(time_limit) -> Solution                        solve, or re-solve
        .forbidding(columns)                                with these columns fixed at 0
        .freeing(rows)                                      with these rows switched off
        .start(values)                                      from a known solution
    version(engine) -> str;  check() -> str                 readiness: a tiny model solves

**HiGHS** (highspy, the default) receives the model in one ``passModel`` of CSR arrays built
from PuLP's public API (``variables()``, ``constraints``, ``objective``, ``sense``). PuLP's own
HiGHS adapter adds columns one at a time (seconds at 85,000 binaries) and keeps no model to
re-solve. Every HiGHS instance is configured by :func:`_configure`, and only there:

* *silent*: ``output_flag`` off. HiGHS ≥ 1.16 prints its banner from the first constructor in
  a process, before any option can be set, so that first construction runs with the process's
  stdout and stderr pointed at ``/dev/null`` (:func:`_new_highs`): ``gremium solve --format
  json`` must print JSON and nothing else.
* *one thread, always*: HiGHS ≥ 1.16 refuses to run a model whose ``threads`` differs from the
  process-wide scheduler that the first run set up ("the scheduler has already been
  initialized"). One value for every model keeps all MILPs in one process (a service pool
  worker answers interventions and RACI solves) compatible; parallelism comes from the pool.
* *deterministic*: a fixed random seed, so identical inputs give identical answers.
* presolve and the primal heuristics as each model asks; a relative and absolute MIP gap.

**CBC** runs through PuLP's command-line adapter (``PULP_CBC_CMD``), single-threaded and
seeded. It reports neither a gap nor a bound.

**Honest status** (:class:`Solution`): ``optimal`` only when the engine proved it — HiGHS's
model status optimal *and* a relative gap ≤ :data:`PROVEN_GAP` (HiGHS also calls a solve
"optimal" that stopped within a requested gap); for CBC, PuLP's ``sol_status`` optimal with no
gap requested (PuLP's ``status`` says ``Optimal`` for a time-limited incumbent). A solution
that is not proven is ``feasible``, with ``stopped`` saying why (``time-limit`` or ``gap``) and,
for HiGHS, its gap and dual bound. ``no-solution`` is a limit reached before any solution,
``infeasible`` a proof that none exists, ``error`` an engine failure with its message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import highspy
import numpy as np
import numpy.typing as npt
import pulp

from models.errors import SolverFailure
from models.messages import say

Engine = Literal["highs", "cbc"]
SolveStatus = Literal["optimal", "feasible", "infeasible", "no-solution", "error"]
Stopped = Literal["time-limit", "gap"]

SEED = 20100101
THREADS = 1
PROVEN_GAP = 1e-6  # a relative gap at most this counts as proven optimal
ABSOLUTE_GAP = 1e-9
#: HiGHS's primal heuristics that :attr:`Settings.heuristics` switches off.
HEURISTICS = (
    "mip_heuristic_run_rins",
    "mip_heuristic_run_rens",
    "mip_heuristic_run_root_reduced_cost",
    "mip_heuristic_run_feasibility_jump",
)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Settings:
    """How to solve: the engine, its time limit (seconds) and the gap at which to stop."""

    time_limit: float
    gap: float = 0.0  # relative gap; 0 asks for a proof of optimality
    engine: Engine = "highs"
    presolve: bool = True
    heuristics: bool = True


@dataclass(frozen=True)
class Solution:
    """What one solve produced (see the module docstring for the statuses)."""

    status: SolveStatus
    message: str  # why, in words, when the status is not optimal
    columns: dict[str, int]  # PuLP variable name -> column
    seconds: float
    engine: Engine
    values: FloatArray | None = None  # a value per column, in :attr:`columns` order
    stopped: Stopped | None = None
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None

    @property
    def version(self) -> str:
        """The version of the engine that produced it."""
        return version(self.engine)

    def value(self, variable: pulp.LpVariable) -> float:
        """The solved value of one variable (0 without a solution)."""
        if self.values is None:
            return 0.0
        column = self.columns.get(variable.name)  # absent: the variable is in no row or cost
        return 0.0 if column is None else float(self.values[column])


_first = threading.Lock()
_constructed = False


def _new_highs() -> highspy.Highs:
    """A HiGHS instance; the process's first construction with its banner swallowed."""
    global _constructed
    with _first:
        if _constructed:
            return highspy.Highs()  # type: ignore[no-untyped-call]
        sys.stdout.flush()
        sys.stderr.flush()
        saved = [os.dup(1), os.dup(2)]
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in (*saved, devnull):
                os.close(fd)
        _constructed = True
        return highs


def _configure(highs: highspy.Highs, settings: Settings) -> None:
    options: dict[str, bool | int | float | str] = {
        "output_flag": False,
        "threads": THREADS,
        "random_seed": SEED % 2**31,
        # a budget already spent (a caller's remainder) is "no time", not an invalid option
        "time_limit": max(float(settings.time_limit), 0.0),
        "mip_rel_gap": float(settings.gap),
        "mip_abs_gap": ABSOLUTE_GAP,
        "presolve": "on" if settings.presolve else "off",
    }
    if not settings.heuristics:
        options.update(dict.fromkeys(HEURISTICS, False))
    for name, value in options.items():
        if highs.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise SolverFailure(f"HiGHS {version('highs')} rejects option {name}={value!r}")


def _columns(problem: pulp.LpProblem) -> tuple[list[pulp.LpVariable], dict[str, int]]:
    variables = problem.variables()
    return variables, {var.name: i for i, var in enumerate(variables)}


def _highs_lp(problem: pulp.LpProblem) -> tuple[highspy.HighsLp, dict[str, int]]:
    """PuLP's model as HiGHS's LP: CSR rows, bounds, integrality, sense and offset."""
    variables, columns = _columns(problem)
    objective = problem.objective if problem.objective is not None else pulp.LpAffineExpression()
    lp = highspy.HighsLp()
    lp.num_col_ = len(variables)
    lp.col_cost_ = np.array([float(objective.get(v, 0.0)) for v in variables])
    lp.offset_ = float(objective.constant)
    if problem.sense == pulp.LpMaximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_lower_ = np.array([-np.inf if v.lowBound is None else v.lowBound for v in variables])
    lp.col_upper_ = np.array([np.inf if v.upBound is None else v.upBound for v in variables])
    lp.integrality_ = [
        highspy.HighsVarType.kInteger
        if v.cat == pulp.LpInteger
        else highspy.HighsVarType.kContinuous
        for v in variables
    ]
    starts, index, value, lower, upper = [0], [], [], [], []
    for constraint in problem.constraints.values():
        for var, coefficient in constraint.items():
            if coefficient != 0:
                index.append(columns[var.name])
                value.append(float(coefficient))
        starts.append(len(index))
        # PuLP keeps a row as expression + constant {≤, =, ≥} 0: bounds are −constant.
        lb, ub = constraint.getLb(), constraint.getUb()
        lower.append(-np.inf if lb is None else float(lb))
        upper.append(np.inf if ub is None else float(ub))
    lp.num_row_ = len(lower)
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = len(variables)
    lp.a_matrix_.num_row_ = len(lower)
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value, dtype=np.float64)
    return lp, columns


class HighsModel:
    """A PuLP model loaded into HiGHS once, solved and re-solved with columns forbidden.

    Explanations ask "what if this role were not accountable here?" many times: each is a few
    column bounds set to 0 (:meth:`forbidding`), a re-solve, and the bounds restored, instead of
    a new model. HiGHS cannot warm-start a MIP tree, so a re-solve costs about what the first
    solve did. Not thread-safe: one model serves one caller at a time.
    """

    def __init__(self, problem: pulp.LpProblem, settings: Settings) -> None:
        self._settings = settings
        self._highs = _new_highs()
        _configure(self._highs, settings)
        lp, self.columns = _highs_lp(problem)
        #: PuLP constraint name -> row (:func:`_highs_lp` passes the rows in PuLP's order)
        self.rows = {name: i for i, name in enumerate(problem.constraints)}
        # kWarning: HiGHS zeroed coefficients below its small_matrix_value (1e-9), such as the
        # load of a subnormal effort; the model it solves is that one, which is what is meant.
        if self._highs.passModel(lp) == highspy.HighsStatus.kError:
            raise SolverFailure(f"HiGHS {version('highs')} rejects the model")
        self._lower = np.asarray(lp.col_lower_, dtype=np.float64)
        self._upper = np.asarray(lp.col_upper_, dtype=np.float64)
        self._row_lower = np.asarray(lp.row_lower_, dtype=np.float64)
        self._row_upper = np.asarray(lp.row_upper_, dtype=np.float64)

    def run(self, time_limit: float | None = None) -> Solution:
        """Solve (again) within ``time_limit`` seconds (the settings' limit when None)."""
        limit = self._settings.time_limit if time_limit is None else time_limit
        highs = self._highs
        highs.setOptionValue("time_limit", max(float(limit), 0.0))
        started = time.perf_counter()
        run_status = highs.run()
        seconds = time.perf_counter() - started
        model_status = highs.getModelStatus()
        info = highs.getInfo()

        def solution(status: SolveStatus, message: str, **figures: Any) -> Solution:
            return Solution(
                status, message, columns=self.columns, seconds=seconds, engine="highs", **figures
            )

        if model_status == highspy.HighsModelStatus.kModelEmpty:
            return self._empty(solution)
        if model_status == highspy.HighsModelStatus.kInfeasible:
            return solution("infeasible", say("solver.infeasible"))
        if info.primal_solution_status != highspy.SolutionStatus.kSolutionStatusFeasible:
            if model_status == highspy.HighsModelStatus.kTimeLimit:
                message = say("solver.no-solution", limit=float(limit))
                return solution("no-solution", message, stopped="time-limit")
            reason = highs.modelStatusToString(model_status)
            if run_status == highspy.HighsStatus.kError:
                reason = f"{reason}, run() returned an error"
            return solution("error", f"highs {version('highs')} stopped: {reason}")
        value = float(info.objective_function_value)
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
        gap = max(float(info.mip_gap), 0.0) if np.isfinite(info.mip_gap) else None
        if bound is not None and abs(value - bound) <= PROVEN_GAP * max(1.0, abs(value)):
            gap = 0.0
        values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
        figures = {"values": values, "objective": value, "bound": bound, "gap": gap}
        if model_status == highspy.HighsModelStatus.kOptimal:
            if gap is not None and gap <= PROVEN_GAP:
                return solution("optimal", say("solver.proven"), **figures)
            return solution("feasible", say("solver.gap"), stopped="gap", **figures)
        if model_status == highspy.HighsModelStatus.kTimeLimit:
            message = say("solver.time-limit", limit=float(limit))
            return solution("feasible", message, stopped="time-limit", **figures)
        message = say("solver.early", reason=highs.modelStatusToString(model_status))
        return solution("feasible", message, **figures)

    def _empty(self, solution: Callable[..., Solution]) -> Solution:
        """HiGHS neither checks nor solves a model without columns: every row is 0 there."""
        lp = self._highs.getLp()
        if np.any(np.asarray(lp.row_lower_) > 0.0) or np.any(np.asarray(lp.row_upper_) < 0.0):
            return solution("infeasible", say("solver.infeasible"))
        offset = float(lp.offset_)
        return solution(
            "optimal",
            say("solver.proven"),
            values=np.zeros(0),
            objective=offset,
            bound=offset,
            gap=0.0,
        )

    @contextmanager
    def forbidding(self, columns: npt.ArrayLike) -> Iterator[None]:
        """Within the block, ``columns`` are fixed at 0; their bounds are restored after."""
        index = np.asarray(columns, dtype=np.int32)
        zeros = np.zeros(len(index))
        self._highs.changeColsBounds(len(index), index, zeros, zeros)
        try:
            yield
        finally:
            self._highs.changeColsBounds(len(index), index, self._lower[index], self._upper[index])

    def start(self, values: Mapping[str, float]) -> None:
        """Offer a known solution (PuLP variable name -> value) to the next :meth:`run`.

        HiGHS completes the columns not given (continuous ones by an LP), checks the start and
        keeps it as the first incumbent when it is feasible, ignores it otherwise: a run that a
        time limit stops then has at least this solution.
        """
        given = [
            (self.columns[name], value) for name, value in values.items() if name in self.columns
        ]
        index = np.array([column for column, _ in given], dtype=np.int32)
        value = np.array([v for _, v in given], dtype=np.float64)
        if self._highs.setSolution(len(index), index, value) != highspy.HighsStatus.kOk:
            raise SolverFailure(f"HiGHS {version('highs')} rejects a start solution")

    @contextmanager
    def freeing(self, rows: npt.ArrayLike) -> Iterator[None]:
        """Within the block, ``rows`` are free (−∞ to ∞): the constraints are switched off.

        A conflict search asks "is the model still infeasible without these constraints?"
        many times; each question is a few row bounds, a re-solve, and the bounds restored.
        """
        index = [int(i) for i in np.asarray(rows, dtype=np.int64)]
        # one row at a time: highspy's stubs (and older releases) lack changeRowsBounds
        for i in index:
            self._highs.changeRowBounds(i, -np.inf, np.inf)
        try:
            yield
        finally:
            for i in index:
                self._highs.changeRowBounds(i, self._row_lower[i], self._row_upper[i])


def _solve_cbc(problem: pulp.LpProblem, settings: Settings) -> Solution:
    solver = pulp.PULP_CBC_CMD(
        msg=False,
        timeLimit=settings.time_limit,
        gapRel=settings.gap,
        threads=THREADS,
        options=[f"randomCbcSeed {SEED}", f"randomSeed {SEED}"],
    )
    variables, columns = _columns(problem)
    started = time.perf_counter()
    try:
        problem.solve(solver)
    except pulp.PulpSolverError as exc:
        raise SolverFailure(f"cbc failed: {exc}") from exc
    seconds = time.perf_counter() - started

    def solution(status: SolveStatus, message: str, with_values: bool = False) -> Solution:
        if not with_values:
            return Solution(status, message, columns, seconds, "cbc")
        objective = float(pulp.value(problem.objective))
        proven = status == "optimal"
        return Solution(
            status,
            message,
            columns,
            seconds,
            "cbc",
            values=np.array([v.varValue or 0.0 for v in variables]),
            stopped=None if proven else ("gap" if settings.gap else "time-limit"),
            objective=objective,
            bound=objective if proven else None,
            gap=0.0 if proven else None,
        )

    if problem.status == pulp.LpStatusInfeasible:
        return solution("infeasible", say("solver.infeasible"))
    has_solution = problem.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    if problem.status != pulp.LpStatusOptimal or not has_solution:
        if seconds >= settings.time_limit * 0.95:
            message = say("solver.no-solution", limit=float(settings.time_limit))
            return solution("no-solution", message)
        return solution("error", f"cbc stopped without a result (PuLP status {problem.status})")
    if problem.sol_status == pulp.LpSolutionOptimal and settings.gap == 0.0:
        return solution("optimal", say("solver.proven"), with_values=True)
    if problem.sol_status == pulp.LpSolutionOptimal:
        return solution("feasible", say("solver.gap"), with_values=True)
    message = say("solver.time-limit", limit=float(settings.time_limit))
    return solution("feasible", message, with_values=True)


def solve(problem: pulp.LpProblem, settings: Settings) -> Solution:
    """Solve a PuLP model with the engine the settings name."""
    if settings.engine == "cbc":
        return _solve_cbc(problem, settings)
    return HighsModel(problem, settings).run()


@cache
def version(engine: Engine) -> str:
    """The engine's version: HiGHS's behind highspy, or CBC's from PuLP's binary's banner."""
    if engine == "highs":
        return str(_new_highs().version())
    path = pulp.PULP_CBC_CMD(msg=False).path
    banner = subprocess.run(
        [path, "-quit"], capture_output=True, text=True, check=False, timeout=10
    ).stdout
    for line in banner.splitlines():
        if line.startswith("Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def check() -> str:
    """Solve a two-variable MILP with HiGHS as configured here; its version when it works.

    Raises:
        SolverFailure: when HiGHS does not load or does not solve it.
    """
    problem = pulp.LpProblem("readiness", pulp.LpMinimize)
    x = pulp.LpVariable("x", 0, 1, cat=pulp.LpBinary)
    y = pulp.LpVariable("y", 0, 1, cat=pulp.LpBinary)
    problem += x + 2 * y
    problem += x + y >= 1, "cover"
    answer = solve(problem, Settings(time_limit=5.0))
    if answer.status != "optimal" or answer.objective != 1.0:
        raise SolverFailure(f"HiGHS {version('highs')} fails a two-variable MILP: {answer.message}")
    return version("highs")
