"""Propose the best RACI matrix for a scenario under one governance variant.

:func:`solve` first asks whether the organisation can run the variant at all
(:func:`models.raci.variants.applicability`: central needs a hub, hub-and-spoke a hub and
business units, and so on). A variant it cannot run is not solved: the result has status
"not-applicable", no objective, an empty matrix and workload, the reason and the remedy, and a
:class:`SolverInfo` that says no solver ran (the configured solver's name, version "",
0 seconds; a version would claim an engine that was never asked).

Otherwise :func:`solve` compiles the scenario (:func:`models.raci.objective.compile_instance`),
solves the MILP (:mod:`models.raci.milp`), and turns the outcome into a :class:`SolveResult`
with an honest status: "optimal" only when the solver proved it, "feasible" with gap and bound
when the time limit stopped it, "infeasible" with a diagnosis (:mod:`models.raci.diagnose`,
in what is left of the time limit), or "error". The reported objective is
:func:`models.raci.objective.evaluate` of the matrix, which equals the solver's objective (a
property the tests check). Every result, applicable or not, carries its ``applicability``.

A ``deadline`` (``time.monotonic()`` seconds) bounds the whole call — the solve, the
explanation's re-solves, the diagnosis, the staffing re-solves: each part gets at most what is
left before it (and the solve at most ``options.time_limit``), so a caller can share one budget
out over several solves (:func:`solve_all`, the service's requests). Without one, the time
limit is the solve's, as it always was. :func:`budget_notes` says what a budget cut.

Thread-safe: no module state is mutated; every call builds its own model.
"""

from __future__ import annotations

import time

import msgspec

from models.errors import InvalidInput, Problem
from models.labels import label
from models.messages import current, literals, say
from models.raci import validate
from models.raci.catalogue import DAYS_PER_FTE
from models.raci.diagnose import diagnose
from models.raci.explain import explain
from models.raci.milp import solve_instance
from models.raci.objective import compile_instance, evaluate_instance, matrix_of, violations
from models.raci.types import (
    VARIANTS,
    Applicability,
    Diagnosis,
    LeadComparison,
    Objective,
    Scenario,
    SolveOptions,
    SolveResult,
    SolverInfo,
    StaffingDecision,
    Variant,
    Workload,
)
from models.raci.variants import applicability

#: The objective's terms, in its own order (every field of :class:`Objective` but the total).
TERMS = tuple(field.name for field in msgspec.structs.fields(Objective) if field.name != "total")


def _term(term: str) -> str:
    """An objective term named in a sentence (its id in English)."""
    return label(f"term.{term}", current())


def _status(status: str) -> str:
    """A status named in a sentence (its id in English)."""
    return label(f"status.{status}", current())


def _not_applicable(
    scenario: Scenario, variant: Variant, options: SolveOptions, fit: Applicability
) -> SolveResult:
    """The result for a variant the organisation cannot run: nothing solved, nothing timed.

    The message is "<reason> — <remedy>", so "not-applicable: <message>" reads as one line."""
    remedy = fit.remedy[:1].lower() + fit.remedy[1:]
    return SolveResult(
        scenario=scenario.id,
        variant=variant,
        status="not-applicable",
        message=f"{fit.reason.removesuffix('.')} — {remedy}",
        objective=None,
        matrix={},
        workload={},
        solver=SolverInfo(name=options.solver, version="", seconds=0.0),
        applicability=fit,
    )


def _within(options: SolveOptions, deadline: float | None) -> SolveOptions:
    """``options`` with the time limit cut to what is left before ``deadline``."""
    if deadline is None:
        return options
    left = max(deadline - time.monotonic(), 0.0)
    if left >= options.time_limit:
        return options
    return msgspec.structs.replace(options, time_limit=left)


def solve(
    scenario: Scenario,
    variant: Variant,
    options: SolveOptions = SolveOptions(),  # noqa: B008 (frozen, so sharing it is safe)
    deadline: float | None = None,
) -> SolveResult:
    """The optimal (or best found) RACI matrix of ``scenario`` under ``variant``, or, when the
    organisation lacks the structure ``variant`` needs, a "not-applicable" result without one.

    Parameters
    ----------
    scenario
        A complete scenario (roles and activities present; see
        :func:`models.raci.catalogue.complete`).
    variant
        One of :data:`models.raci.types.VARIANTS`.
    options
        Solver, time limit, relative gap to stop at, and whether to explain.
    deadline
        ``time.monotonic()`` by which the whole call ends (None: only the time limit).

    Raises
    ------
    InvalidInput
        For an unknown variant or a scenario :func:`models.raci.validate.check` rejects.
    SolverFailure
        When the solver itself fails (an infeasible scenario is a result, not an error).
    """
    if variant not in VARIANTS:
        raise InvalidInput([Problem("/variant", f"unknown variant {variant!r}")])
    started = time.monotonic()
    validate.check(scenario)
    fit = applicability(scenario, variant)
    if not fit.applicable:
        return _not_applicable(scenario, variant, options, fit)
    if deadline is not None and time.monotonic() >= deadline:
        return SolveResult(
            scenario=scenario.id,
            variant=variant,
            status="error",
            message=say("solver.not-reached"),
            objective=None,
            matrix={},
            workload={},
            solver=SolverInfo(name=options.solver, version="", seconds=0.0),
            applicability=fit,
        )
    instance = compile_instance(scenario, variant)
    outcome = solve_instance(instance, _within(options, deadline))
    # the diagnosis has what is left of the time limit, or of the deadline when there is one
    ends = started + options.time_limit if deadline is None else deadline
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
                diagnose(instance, options, _within(options, ends).time_limit)
                if outcome.status == "infeasible"
                else None
            ),
            applicability=fit,
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
            applicability=fit,
        )
    objective, workload = evaluate_instance(instance, matrix)
    return SolveResult(
        staffing=_staffing(scenario, variant, options, objective, workload, deadline),
        lead=_lead(scenario, variant, options, objective, deadline) if options.explain else None,
        scenario=scenario.id,
        variant=variant,
        status=outcome.status,
        message=outcome.message,
        objective=objective,
        matrix=matrix,
        workload={role: work.rounded() for role, work in workload.items()},
        solver=info,
        explanation=(
            explain(instance, matrix, objective, _within(options, deadline), outcome.resolver)
            if options.explain
            else None
        ),
        applicability=fit,
    )


def _plain(
    scenario: Scenario, variant: Variant, options: SolveOptions, deadline: float | None
) -> SolveResult:
    """Another design to compare with: solved, not explained, nothing compared in turn."""
    return solve(scenario, variant, msgspec.structs.replace(options, explain=False), deadline)


def _against(objective: Objective, other: SolveResult) -> Objective | None:
    """Term by term, ``other``'s objective minus ``objective`` (None: ``other`` has none)."""
    if other.objective is None:
        return None
    diff = {t: getattr(other.objective, t) - getattr(objective, t) for t in TERMS}
    return Objective(total=other.objective.total - objective.total, **diff)


def _lead(
    scenario: Scenario,
    variant: Variant,
    options: SolveOptions,
    objective: Objective,
    deadline: float | None,
) -> LeadComparison | None:
    """With ``scenario.lead``: this design against the same scenario without it, where the
    catalogue's hub leads ("what if the CIO leads?" answered next to "and if the CSMO does?")."""
    if scenario.lead is None:
        return None
    names = {role.id: role.name for role in scenario.roles}
    lead = names[scenario.lead]
    hub = next((role.id for role in scenario.roles if role.kind == "hub"), None)
    if hub is None or hub == scenario.lead:
        return LeadComparison(
            lead=scenario.lead,
            hub=None,
            status="not-applicable",
            difference=None,
            message=say("lead.alone", lead=lead),
        )
    other = _plain(msgspec.structs.replace(scenario, lead=None), variant, options, deadline)
    difference = _against(objective, other)
    if difference is None or other.objective is None:
        message = say(
            "lead.other", hub=names[hub], status=_status(other.status), message=other.message
        )
    else:
        better = [
            say("lead.term", term=_term(t), amount=getattr(difference, t))
            for t in TERMS
            if getattr(difference, t) > 0.005
        ]
        worse = [
            say("lead.term", term=_term(t), amount=-getattr(difference, t))
            for t in TERMS
            if getattr(difference, t) < -0.005
        ]
        verdict = (
            say("lead.better", amount=difference.total)
            if difference.total > 0.005
            else say("lead.worse", amount=-difference.total)
            if difference.total < -0.005
            else say("lead.as-good")
        )
        same = abs(difference.total) <= 0.005  # "as good as", not "as good than"
        text = say(
            "lead.compared.same" if same else "lead.compared",
            lead=lead,
            verdict=verdict,
            hub=names[hub],
            total=objective.total,
            other=other.objective.total,
        )
        text += say("lead.gains", terms=", ".join(better)) if better else ""
        text += say("lead.loses", terms=", ".join(worse)) if worse else ""
        message = say("lead.end", text=text)
    return LeadComparison(
        lead=scenario.lead, hub=hub, status=other.status, difference=difference, message=message
    )


def _staffing(
    scenario: Scenario,
    variant: Variant,
    options: SolveOptions,
    objective: Objective,
    workload: dict[str, Workload],
    deadline: float | None,
) -> tuple[StaffingDecision, ...]:
    """For each optional role, the decision and what it buys: the same model solved with the
    role not created (capacity 0), term by term against this one."""
    decisions = []
    for role in scenario.roles:
        if role.optional is None:
            continue
        size = workload[role.id].capacity
        created = size > 0.0
        staffing = role.optional.setup_cost + role.optional.fte_cost * size / DAYS_PER_FTE
        cost = scenario.weights.staffing * staffing if created else 0.0
        without = msgspec.structs.replace(
            scenario,
            roles=tuple(
                msgspec.structs.replace(r, capacity=0.0, optional=None) if r.id == role.id else r
                for r in scenario.roles
            ),
        )
        buys = _against(objective, _plain(without, variant, options, deadline))
        if not created:
            message = say("staffing.not-created", role=role.name)
        elif buys is None:
            message = say(
                "staffing.needed", role=role.name, size=float(size), fte=size / DAYS_PER_FTE
            )
        else:
            gains = [
                say("staffing.term", amount=getattr(buys, t), term=_term(t))
                for t in TERMS
                if t != "staffing" and getattr(buys, t) > 0.005
            ]
            message = say(
                "staffing.pays",
                role=role.name,
                size=float(size),
                fte=size / DAYS_PER_FTE,
                cost=float(cost),
                total=buys.total,
                gains=say("staffing.gains", terms=", ".join(gains)) if gains else "",
            )
        decisions.append(StaffingDecision(role.id, created, size, cost, buys, message))
    return tuple(decisions)


def solve_all(
    scenario: Scenario,
    variants: tuple[Variant, ...],
    options: SolveOptions = SolveOptions(),  # noqa: B008 (frozen, so sharing it is safe)
    deadline: float | None = None,
) -> tuple[SolveResult, ...]:
    """One :func:`solve` per variant within one budget: ``deadline``, or ``options.time_limit``
    from now. Each variant may use what is left divided by the variants still to solve, so a
    quick one (or one that does not apply) leaves its share to the next."""
    if deadline is None:
        deadline = time.monotonic() + options.time_limit
    results = []
    for done, variant in enumerate(variants):
        share = max(deadline - time.monotonic(), 0.0) / (len(variants) - done)
        results.append(solve(scenario, variant, options, min(deadline, time.monotonic() + share)))
    return tuple(results)


def _time_limit(message: str) -> bool:
    """Whether the solver's ``message`` says the time limit stopped it, in either language."""
    return any(word in message for word in literals("solver.time-limit-word"))


def _cut_short(diagnosis: Diagnosis) -> bool:
    """Whether the time budget cut ``diagnosis`` short (a sentence of it names the budget), in
    whichever language it is written."""
    said = " ".join((diagnosis.summary, *(f.message for f in diagnosis.fixes)))
    return any(word in said for word in literals("diagnose.time-budget"))


def budget_notes(results: tuple[SolveResult, ...]) -> tuple[str, ...]:
    """What the time budget cut in ``results``, one sentence per model: a solve stopped before
    its proof (its gap), runner-ups estimated instead of re-solved, a diagnosis cut short.
    Empty when nothing depends on how fast the machine was."""
    notes = []
    for result in results:
        cut = []
        if result.status == "feasible":
            gap = "" if result.solver.gap is None else say("budget.gap", gap=result.solver.gap)
            cut.append(say("budget.unproven", gap=gap))
        elif result.objective is None and _time_limit(result.message):
            cut.append(say("budget.no-matrix"))
        if result.explanation is not None:
            local = (*literals("explain.local"), *literals("explain.local-none"))
            estimated = sum(a.reason.startswith(local) for a in result.explanation.alternatives)
            if estimated:
                total = len(result.explanation.alternatives)
                cut.append(say("budget.estimated", estimated=estimated, total=total))
        if result.diagnosis is not None and _cut_short(result.diagnosis):
            cut.append(say("budget.diagnosis"))
        if cut:
            notes.append(say("budget.note", variant=result.variant, cuts="; ".join(cut)))
    return tuple(notes)
