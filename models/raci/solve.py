"""Propose the best RACI matrix for a scenario under one governance variant.

:func:`solve` compiles the scenario (:func:`models.raci.objective.compile_instance`), solves
the MILP (:mod:`models.raci.milp`), and turns the outcome into a :class:`SolveResult` with an
honest status: "optimal" only when the solver proved it, "feasible" with gap and bound when
the time limit stopped it, "infeasible" with a diagnosis (:mod:`models.raci.diagnose`, in what
is left of the time limit), or "error". The reported objective is
:func:`models.raci.objective.evaluate` of the matrix, which equals the solver's objective (a
property the tests check).

Thread-safe: no module state is mutated; every call builds its own model.
"""

from __future__ import annotations

import time

from models.errors import InvalidInput, Problem
from models.raci import validate
from models.raci.diagnose import diagnose
from models.raci.explain import explain
from models.raci.milp import solve_instance
from models.raci.objective import compile_instance, evaluate_instance, matrix_of, violations
from models.raci.types import (
    VARIANTS,
    Scenario,
    SolveOptions,
    SolveResult,
    SolverInfo,
    Variant,
)


def solve(
    scenario: Scenario,
    variant: Variant,
    options: SolveOptions = SolveOptions(),  # noqa: B008 (frozen, so sharing it is safe)
) -> SolveResult:
    """The optimal (or best found) RACI matrix of ``scenario`` under ``variant``.

    Parameters
    ----------
    scenario
        A complete scenario (roles and activities present; see
        :func:`models.raci.catalogue.complete`).
    variant
        One of :data:`models.raci.types.VARIANTS`.
    options
        Solver, time limit, relative gap to stop at, and whether to explain.

    Raises
    ------
    InvalidInput
        For an unknown variant or a scenario :func:`models.raci.validate.check` rejects.
    SolverFailure
        When the solver itself fails (an infeasible scenario is a result, not an error).
    """
    if variant not in VARIANTS:
        raise InvalidInput([Problem("/variant", f"unknown variant {variant!r}")])
    started = time.perf_counter()
    validate.check(scenario)
    instance = compile_instance(scenario, variant)
    outcome = solve_instance(instance, options)
    info = SolverInfo(
        name=outcome.solver,
        version=outcome.version,
        seconds=round(outcome.seconds, 6),
        gap=outcome.gap,
        bound=outcome.bound,
    )
    if outcome.chosen is None:
        return SolveResult(
            scenario=scenario.id,
            variant=variant,
            status=outcome.status,
            message=outcome.message,
            objective=None,
            matrix={},
            workload={},
            solver=info,
            diagnosis=(
                diagnose(instance, options, options.time_limit - (time.perf_counter() - started))
                if outcome.status == "infeasible"
                else None
            ),
        )
    matrix = matrix_of(instance, outcome.chosen)
    broken = violations(instance, matrix)
    if broken:  # a solver tolerance let a rule slip: never hand out such a matrix
        return SolveResult(
            scenario=scenario.id,
            variant=variant,
            status="error",
            message="the solver's matrix breaks a hard rule: " + "; ".join(broken),
            objective=None,
            matrix={},
            workload={},
            solver=info,
        )
    objective, workload = evaluate_instance(instance, matrix)
    return SolveResult(
        scenario=scenario.id,
        variant=variant,
        status=outcome.status,
        message=outcome.message,
        objective=objective,
        matrix=matrix,
        workload={role: work.rounded() for role, work in workload.items()},
        solver=info,
        explanation=(
            explain(instance, matrix, objective, options, outcome.resolver)
            if options.explain
            else None
        ),
    )
