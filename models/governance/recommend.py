"""Rank the governance variants of one scenario: which model should the organisation adopt?

:func:`recommend` turns one :class:`~models.raci.types.SolveResult` per variant (and, when the
stakeholders were simulated, a :class:`~models.discussion.types.SimulationResult`) into a
ranking whose every score is broken down into its parts, so a consultant sees *why*.

The score of a variant ``v`` with a matrix (status ``optimal`` or ``feasible``), higher is
better (:data:`~models.governance.types.FORMULA` says it in one line)::

    score_v = objective_v + profile_v + (support_v - 1/2) + lint_v

    objective_v = (T_max - T_v) / (T_max - T_min)     in [0, 1]; 1 when every T is equal
    profile_v   = 0.5 if the profile meets one of the variant's fit criteria, else 0
    support_v   = sum_i w_i x_i,v / sum_i w_i          in [0, 1]; 1/2 without a simulated issue v
    lint_v      = -(0.5 errors_v + 0.1 warnings_v)

``T_v`` is the solved objective total (lower is better), normalised over the variants that
have a matrix; ``x_i,v`` is stakeholder ``i``'s simulated final position on the issue named
``v`` and ``w_i`` their weight. Support is centred on the undecided 1/2, so a variant the
discussion did not argue about is neither helped nor hurt by it. ``errors_v`` and
``warnings_v`` count the findings of :func:`models.raci.lint.lint` on the variant's matrix
against the scenario.

The fit criteria (Altimeter/Owyang 2010 and 2013, in brief; small = fewer than 250 staff,
the EU's SME bound; large = 1,000 staff or more, Altimeter's survey population):

=============  ===============================================================
variant        fits when
=============  ===============================================================
central        regulated; or low maturity; or small
hub-and-spoke  large
distributed    high maturity; or small
multi-hub      4 business units or more
holistic       high maturity and strong executive sponsorship
=============  ===============================================================

("Very decentralised" firms also suit the distributed model, but a profile does not say how
decentralised a firm is, so it is not scored.)

Variants without a matrix have no score and rank after every variant with one: first those
whose solve failed (``infeasible``, with the diagnosis, or ``error``), then, last, those the
organisation cannot run as it stands (``not-applicable``, with the reason and the remedy of
:func:`models.raci.variants.applicability`); within each group in the order of
:data:`~models.raci.types.VARIANTS`. Ties between scores are broken the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import msgspec

from models.discussion.types import SimulationResult
from models.errors import InvalidInput, Problem
from models.governance.types import Components, RankedVariant, Recommendation
from models.raci.lint import lint
from models.raci.types import VARIANTS, Profile, Scenario, SolveResult, Variant

PROFILE_WEIGHT = 0.5
NEUTRAL_SUPPORT = 0.5  # an undecided group: support above it adds to the score, below subtracts
ERROR_PENALTY = 0.5
WARNING_PENALTY = 0.1
SMALL = 250  # fewer staff than this: a small firm
LARGE = 1000  # at least this many staff: a large firm
MANY_UNITS = 4  # at least this many business units: many

FitRule = tuple[str, Callable[[Profile], bool]]
FIT: Mapping[Variant, tuple[FitRule, ...]] = {
    "central": (
        ("regulated", lambda p: p.regulated),
        ("low maturity", lambda p: p.maturity == "low"),
        (f"small (under {SMALL} staff)", lambda p: p.headcount < SMALL),
    ),
    "hub-and-spoke": ((f"large ({LARGE}+ staff)", lambda p: p.headcount >= LARGE),),
    "distributed": (
        ("high maturity", lambda p: p.maturity == "high"),
        (f"small (under {SMALL} staff)", lambda p: p.headcount < SMALL),
    ),
    "multi-hub": ((f"{MANY_UNITS}+ business units", lambda p: p.business_units >= MANY_UNITS),),
    "holistic": (
        (
            "high maturity and strong sponsorship",
            lambda p: p.maturity == "high" and p.executive_sponsorship == "strong",
        ),
    ),
}


def fits(profile: Profile, variant: Variant) -> tuple[str, ...]:
    """The fit criteria of ``variant`` that ``profile`` meets (see the module docstring)."""
    return tuple(name for name, holds in FIT[variant] if holds(profile))


def support(
    simulation: SimulationResult, issue: str, weights: Mapping[str, float] | None = None
) -> float | None:
    """The weighted mean final position on ``issue``: ``sum_i w_i x_i / sum_i w_i``.

    ``weights`` maps stakeholder ids to weights (1 for a stakeholder it leaves out; equal
    weights when it is None or every weight is 0). None when the simulation has no such issue
    (or no stakeholder).
    """
    if issue not in simulation.issues or not simulation.stakeholders:
        return None
    column = simulation.issues.index(issue)
    pairs = [
        ((weights or {}).get(who, 1.0), simulation.final[who][column])
        for who in simulation.stakeholders
    ]
    total = sum(weight for weight, _ in pairs)
    if total <= 0.0:
        return sum(x for _, x in pairs) / len(pairs)
    return sum(weight * x for weight, x in pairs) / total


def _check(results: Sequence[SolveResult]) -> None:
    if not results:
        raise InvalidInput.single("/results", "no solve result to rank")
    seen: set[str] = set()
    problems = []
    for index, result in enumerate(results):
        if result.variant in seen:
            problems.append(
                Problem(f"/results/{index}/variant", f"variant {result.variant!r} given twice")
            )
        seen.add(result.variant)
    if problems:
        raise InvalidInput(problems)


def _solved(result: SolveResult) -> bool:
    return result.status in ("optimal", "feasible") and result.objective is not None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _reason(components: Components, score: float) -> str:
    support_text = (
        "no simulated support"
        if components.support is None
        else (f"support {components.support:.3f}")
    )
    fit_text = ", ".join(components.fits) or "no fit criterion met"
    return (
        f"Score {score:.3f} = objective {components.objective:.3f} "
        f"(total {components.objective_total:.4g}) + profile {components.profile:.2f} "
        f"({fit_text}) + {support_text} + lint {components.lint:.2f} "
        f"({_plural(components.errors, 'error')}, {_plural(components.warnings, 'warning')})."
    )


def _unsolved_reason(result: SolveResult) -> str:
    if result.status == "not-applicable":  # the message: "<reason> — <remedy>"
        return f"Ranked last, not-applicable: {result.message}"
    why = result.diagnosis.summary if result.diagnosis is not None else result.message
    return f"Ranked last: the solve is {result.status} ({why})."


def recommend(
    scenario: Scenario,
    results: Sequence[SolveResult],
    simulation: SimulationResult | None = None,
    weights: Mapping[str, float] | None = None,
) -> Recommendation:
    """Rank the governance variants of ``scenario`` by the score of the module docstring.

    Parameters
    ----------
    scenario
        The complete scenario the results were solved for (its profile decides the fit; its
        rules and activities enter the lint).
    results
        One solve result per variant (any subset of the five, each at most once).
    simulation
        The stakeholders' discussion, simulated; its issues named like a variant add support.
    weights
        Stakeholder weights for the support's weighted mean (the discussion's ``weight``).

    Returns
    -------
    Recommendation
        The ranking (rank 1 first), the recommended variant and its matrix.

    Raises
    ------
    InvalidInput
        No results, or a variant given twice.

    Examples
    --------
    >>> from models.raci.types import Activity, Objective, Role, SolverInfo
    >>> info = SolverInfo(name="highs", version="1", seconds=0.0)
    >>> def solved(variant, total):
    ...     return SolveResult(scenario="s", variant=variant, status="optimal", message="",
    ...         objective=Objective(total, 0, 0, 0, 0), matrix={"a": {"r": "A/R"}},
    ...         workload={}, solver=info)
    >>> scenario = Scenario(id="s", profile=Profile(name="S", headcount=5000),
    ...     roles=(Role(id="r", name="R"),), activities=(Activity(id="a", name="A"),))
    >>> best = recommend(scenario, [solved("central", 10.0), solved("hub-and-spoke", 12.0)])
    >>> [(r.variant, r.score) for r in best.ranking]
    [('central', 1.0), ('hub-and-spoke', 0.5)]
    """
    _check(results)
    totals = [r.objective.total for r in results if _solved(r) and r.objective is not None]
    low, high = (min(totals), max(totals)) if totals else (0.0, 0.0)
    scored: list[tuple[float, int, RankedVariant]] = []
    unsolved: list[tuple[bool, int, SolveResult]] = []
    for result in results:
        order = VARIANTS.index(result.variant)
        if not _solved(result) or result.objective is None:
            unsolved.append((result.status == "not-applicable", order, result))
            continue
        total = result.objective.total
        report = lint(result.matrix, scenario)
        met = fits(scenario.profile, result.variant)
        backing = None if simulation is None else support(simulation, result.variant, weights)
        components = Components(
            objective=round(1.0 if high == low else (high - total) / (high - low), 9),
            profile=PROFILE_WEIGHT if met else 0.0,
            support=None if backing is None else round(backing, 9),
            # 0.0 - x, not -x: no "-0.00" when the matrix is clean
            lint=round(
                0.0 - (ERROR_PENALTY * report.errors + WARNING_PENALTY * report.warnings), 9
            ),
            objective_total=total,
            errors=report.errors,
            warnings=report.warnings,
            fits=met,
        )
        score = round(
            components.objective
            + components.profile
            + (0.0 if components.support is None else components.support - NEUTRAL_SUPPORT)
            + components.lint,
            9,
        )
        entry = RankedVariant(
            variant=result.variant,
            rank=1,
            status=result.status,
            score=score,
            components=components,
            reason=_reason(components, score),
        )
        scored.append((-score, order, entry))
    ranking = [entry for _, _, entry in sorted(scored, key=lambda item: item[:2])] + [
        RankedVariant(
            variant=result.variant,
            rank=1,
            status=result.status,
            score=None,
            components=None,
            reason=_unsolved_reason(result),
        )
        for _, _, result in sorted(unsolved, key=lambda item: item[:2])
    ]
    ranked = tuple(
        msgspec.structs.replace(entry, rank=index) for index, entry in enumerate(ranking, 1)
    )
    best = ranked[0] if ranked[0].score is not None else None
    matrix = next(r.matrix for r in results if best and r.variant == best.variant) if best else {}
    return Recommendation(
        scenario=scenario.id,
        discussion=None if simulation is None else simulation.discussion,
        recommended=None if best is None else best.variant,
        matrix=matrix,
        ranking=ranked,
    )
