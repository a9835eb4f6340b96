"""Rank the governance models of one scenario: which should the organisation adopt, and why?

:func:`recommend` turns one :class:`~models.raci.types.SolveResult` per model (and, when the
stakeholders' discussion is given, their simulated vote on each model) into a ranking a
consultant can defend: every model is measured on one yardstick, its fit to the organisation
is evidence with a source, the rule is monotone and stable under removing a model, and every
score is the sum of the parts its sentence names.

Criteria (:class:`~models.governance.types.Criteria`), read off each model's matrix and vote
alone, none from the model's own template: the leading hub's utilisation and the peak; the
bottleneck (the largest share of rows one role is accountable for) and how many roles decide;
the mean competence fit of those who do the work (R, A/R); the share of the catalogue's
natural consultees that are heard (C or more); the share of codetermined rows where the works
council consents (S); the person-days the matrix asks of everyone and the FTE of roles it
creates; lint errors and warnings; and, with a discussion, the simulated vote on the model.

Acceptance. A discussion may argue about several models, each an issue named like the model.
For each such model the discussion is run with its proposal on that issue (the proposal's
rule, threshold and vetoes; without a proposal a simple majority at 0.5 with vetoes, and the
result says so): the decision at the equilibrium, and the probability it passes over
``draws`` Monte Carlo draws of the inputs (:func:`models.discussion.montecarlo.monte_carlo`,
95 % Wilson interval). A model the discussion does not argue about has no vote.

Fit (:data:`EVIDENCE`). Each rule reads the profile and cites its source; a model *does not
fit* when a rule against it holds (whatever speaks for it), *fits* when a rule for it holds,
and is *neutral* otherwise. The rules, from Altimeter (Owyang 2010; "State of Social Business"
2013) and Prophet/Altimeter (2015), small = fewer than 250 staff (the EU's SME bound), large =
1,000 or more (Altimeter's survey population):

=============  ==============================================  ===================================
model          fits                                            does not fit
=============  ==============================================  ===================================
central        low maturity; small; regulated, one unit        large with 2+ units, maturity not low
hub-and-spoke  large with business units                       low maturity; no executive sponsor
distributed    high maturity; small                            low maturity; regulated
multi-hub      3+ business units and 10,000+ staff             low maturity
holistic       high maturity and strong sponsorship            anything less
=============  ==============================================  ===================================

Score (:class:`~models.governance.types.Score`), higher is better, each part in [0, 1]::

    score = headroom + spread + competence + consultation + consent + acceptance

    headroom     = 1 − the leading hub's utilisation (the peak utilisation without a hub), ≥ 0
    spread       = 1 − bottleneck
    consent      = the consent share (1 without a works council or codetermined rows)
    acceptance   = P(pass) from the Monte Carlo (1/2, undecided, without a vote)

Equal weights: no criterion is privileged unless the client says so. The parts are rounded to
3 decimals before they are added, so the sentence adds up to the digit.

Ranking (:data:`~models.governance.types.RULE`): models with a matrix first, by fit (fits,
neutral, does not fit), then by score, then in :data:`~models.raci.types.VARIANTS` order; then
models whose solve failed (infeasible, with the diagnosis, or error); last, models the
organisation cannot run (not-applicable, with the reason and the remedy). A model's place key
depends on its own matrix and vote only, so removing a model never reorders the others.
``dominated_by`` marks the Pareto-dominated models (another is at least as good on every part
and better on one), and ``trade_offs`` says in sentences, with sizes, what the recommended
model gives and costs against each other model with a matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import msgspec

from models.core import HEARD, MEANING, unit_of
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import simulate
from models.discussion.types import Discussion, Proposal
from models.errors import InvalidInput, Problem
from models.governance.types import (
    Acceptance,
    Criteria,
    Effect,
    Evidence,
    Fit,
    RankedVariant,
    Recommendation,
    Score,
)
from models.labels import label
from models.messages import current, model, number, say
from models.raci.catalogue import DAYS_PER_FTE
from models.raci.diff import changes
from models.raci.lint import lint
from models.raci.objective import fit as competence_fit
from models.raci.types import VARIANTS, Profile, Scenario, SolveResult, Variant
from models.raci.variants import Organisation, hats, led, rows, umbrella

SMALL = 250  # fewer staff than this: a small firm (the EU's SME bound)
LARGE = 1000  # at least this many staff: a large firm (Altimeter's survey population)
MULTINATIONAL = 10_000  # staff of a multinational with several product lines
MANY_UNITS = 3  # business units of a multinational with several product lines
DRAWS = 1000  # Monte Carlo draws per model's vote
NEUTRAL = 0.5  # the acceptance part of a model without a vote: undecided
FIT_ORDER: Mapping[Fit, int] = {"fits": 0, "neutral": 1, "does-not-fit": 2}

ALTIMETER = "Altimeter (Owyang 2010; State of Social Business 2013)"
PROPHET = "Prophet/Altimeter 2015"


#: The figures the fit rules' sentences name.
FIGURES: dict[str, Any] = {
    "small": SMALL,
    "large": LARGE,
    "multinational": MULTINATIONAL,
    "units": MANY_UNITS,
    "altimeter": ALTIMETER,
    "prophet": PROPHET,
}


@dataclass(frozen=True)
class Rule:
    """One rule of :data:`EVIDENCE`: when ``holds`` for a profile, it speaks ``effect``.
    ``criterion`` and ``source`` are the keys of their sentences in :mod:`models.messages`."""

    effect: Effect
    criterion: str
    holds: Callable[[Profile], bool]
    source: str

    def says(self) -> str:
        """The criterion in words, in the current language."""
        return say(self.criterion, **FIGURES)

    def evidence(self) -> Evidence:
        return Evidence(
            effect=self.effect, criterion=self.says(), source=say(self.source, **FIGURES)
        )


_LOW = Rule(
    "against",
    "evidence.low",
    lambda p: p.maturity == "low",
    "evidence.low.source",
)
EVIDENCE: Mapping[Variant, tuple[Rule, ...]] = {
    "central": (
        Rule(
            "against",
            "evidence.central.large",
            lambda p: p.headcount >= LARGE and p.business_units >= 2 and p.maturity != "low",
            "evidence.central.large.source",
        ),
        Rule(
            "fits",
            "evidence.central.low",
            lambda p: p.maturity == "low",
            "evidence.low.source",
        ),
        Rule(
            "fits",
            "evidence.small",
            lambda p: p.headcount < SMALL,
            "evidence.central.small.source",
        ),
        Rule(
            "fits",
            "evidence.central.regulated",
            lambda p: p.regulated and p.business_units <= 1,
            "evidence.central.regulated.source",
        ),
    ),
    "hub-and-spoke": (
        _LOW,
        Rule(
            "against",
            "evidence.hub.no-sponsor",
            lambda p: p.executive_sponsorship == "none",
            "evidence.hub.no-sponsor.source",
        ),
        Rule(
            "fits",
            "evidence.hub.large",
            lambda p: p.headcount >= LARGE and p.business_units >= 1,
            "evidence.hub.large.source",
        ),
    ),
    "distributed": (
        _LOW,
        Rule(
            "against",
            "evidence.distributed.regulated",
            lambda p: p.regulated,
            "evidence.distributed.regulated.source",
        ),
        Rule(
            "fits",
            "evidence.high-maturity",
            lambda p: p.maturity == "high",
            "evidence.distributed.mature.source",
        ),
        Rule(
            "fits",
            "evidence.small",
            lambda p: p.headcount < SMALL,
            "evidence.distributed.small.source",
        ),
    ),
    "multi-hub": (
        _LOW,
        Rule(
            "fits",
            "evidence.multi-hub.large",
            lambda p: p.business_units >= MANY_UNITS and p.headcount >= MULTINATIONAL,
            "evidence.multi-hub.large.source",
        ),
    ),
    "holistic": (
        Rule(
            "against",
            "evidence.holistic.against",
            lambda p: p.maturity != "high" or p.executive_sponsorship != "strong",
            "evidence.holistic.against.source",
        ),
        Rule(
            "fits",
            "evidence.holistic.fits",
            lambda p: p.maturity == "high" and p.executive_sponsorship == "strong",
            "evidence.holistic.fits.source",
        ),
    ),
}


def evidence(profile: Profile, variant: Variant) -> tuple[Evidence, ...]:
    """The rules of :data:`EVIDENCE` for ``variant`` that hold for ``profile``."""
    return tuple(rule.evidence() for rule in EVIDENCE[variant] if rule.holds(profile))


def fit_of(found: Sequence[Evidence]) -> Fit:
    """Does not fit when a rule against holds, fits when one for it holds, else neutral."""
    if any(e.effect == "against" for e in found):
        return "does-not-fit"
    return "fits" if found else "neutral"


def on_issue(discussion: Discussion, variant: Variant | None) -> Discussion:
    """The discussion deciding on ``variant`` when it argues about it (an issue named like
    it): its proposal moved to that issue, rule, threshold and vetoes kept (a simple majority
    at 0.5 with vetoes without one); otherwise the discussion as it is."""
    if variant is None or variant not in discussion.issues:
        return discussion
    proposal = discussion.proposal or Proposal(issue=variant)
    return msgspec.structs.replace(
        discussion, proposal=msgspec.structs.replace(proposal, issue=variant)
    )


def acceptance(
    discussion: Discussion,
    variant: Variant,
    draws: int = DRAWS,
    scenario: str | None = None,
    deadline: float | None = None,
) -> Acceptance | None:
    """The discussion's vote on ``variant`` (see the module docstring); None when the
    discussion has no issue named like it. ``scenario``: the RACI scenario's id, checked
    against the one the discussion names (a mismatch is stated, not refused)."""
    if variant not in discussion.issues:
        return None
    assumptions = []
    if discussion.proposal is None:
        assumptions.append(say("vote.no-rule"))
    if scenario is not None and discussion.raci_scenario not in (None, scenario):
        assumptions.append(
            say("vote.other-scenario", theirs=discussion.raci_scenario, ours=scenario)
        )
    assumed = "; ".join(assumptions)
    voted = on_issue(discussion, variant)
    voted = msgspec.structs.replace(
        voted, monte_carlo=msgspec.structs.replace(discussion.monte_carlo, draws=draws)
    )
    decision = simulate(voted, deadline).decision
    assert decision is not None  # a discussion with a proposal always decides
    chances = monte_carlo(voted, None, deadline)
    return Acceptance(
        issue=variant,
        passes=decision.passes,
        margin=decision.margin,
        vetoes=decision.vetoes,
        probability=chances.probability,
        interval=chances.interval,
        draws=chances.draws,
        models=chances.agreement.statement,
        assumed=assumed,
    )


def criteria(scenario: Scenario, result: SolveResult, vote: Acceptance | None = None) -> Criteria:
    """``result``'s matrix (it must have one) on the yardstick of the module docstring."""
    worn = hats(scenario)
    run = led(scenario)
    roles = {role.id: role for role in run.roles}
    organisation = Organisation.of(run.roles, worn)
    # the model's rows, and the scenario's activities for a matrix written with shared rows
    activities = {a.id: a for a in (*run.activities, *rows(run, result.variant))}
    matrix = result.matrix
    accountable: dict[str, int] = {}
    fits: list[float] = []
    heard = natural = 0
    consented = codetermined = 0
    council = [role.id for role in run.roles if role.kind == "works_council"]
    for row_id, row in matrix.items():
        activity = activities.get(row_id) or activities.get(unit_of(row_id)[0])
        if activity is None:  # a row the scenario does not know: nothing to measure it by
            continue
        for role_id, letter in row.items():
            if MEANING[letter].accountable:
                accountable[role_id] = accountable.get(role_id, 0) + 1
        workers = [r for r, x in row.items() if MEANING[x].responsible]
        fits += [competence_fit(roles[r], activity) for r in workers]
        for role in run.roles:
            other_unit = role.kind == "business_unit" and activity.unit not in (None, role.id)
            if not other_unit and organisation.consulted(role, activity):
                natural += 1
                heard += row.get(role.id) in HEARD
        if activity.codetermination and council:
            codetermined += 1
            consented += any(row.get(c) is not None and MEANING[row[c]].consents for c in council)
    hub = umbrella(run.roles)
    workload = result.workload
    report = lint(matrix, scenario)
    return Criteria(
        hub_load=None if hub is None or hub not in workload else workload[hub].utilisation,
        peak_load=max((w.utilisation for w in workload.values()), default=0.0),
        bottleneck=max(accountable.values(), default=0) / max(len(matrix), 1),
        decision_makers=len(accountable),
        competence=sum(fits) / len(fits) if fits else 0.0,
        consultation=heard / natural if natural else 1.0,
        consent=(
            consented / codetermined if codetermined and scenario.profile.works_council else None
        ),
        work_fte=sum(w.load for w in workload.values()) / DAYS_PER_FTE,
        new_fte=sum(d.capacity for d in result.staffing if d.created) / DAYS_PER_FTE,
        change=None if scenario.current is None else len(changes(scenario.current, matrix)),
        lint_errors=report.errors,
        lint_warnings=report.warnings,
        acceptance=vote,
    )


def score(measured: Criteria) -> Score:
    """The parts of the module docstring, each rounded to 3 decimals, and their sum."""
    load = measured.peak_load if measured.hub_load is None else measured.hub_load
    parts = {
        "headroom": min(max(1.0 - load, 0.0), 1.0),
        "spread": 1.0 - measured.bottleneck,
        "competence": measured.competence,
        "consultation": measured.consultation,
        "consent": 1.0 if measured.consent is None else measured.consent,
        "acceptance": NEUTRAL if measured.acceptance is None else measured.acceptance.probability,
    }
    rounded = {name: round(value, 3) for name, value in parts.items()}
    return Score(**rounded, total=round(sum(rounded.values()), 3))


PARTS = tuple(f.name for f in msgspec.structs.fields(Score) if f.name != "total")


def dominates(first: Score, second: Score) -> bool:
    """At least as good on every part and better on one."""
    a = [getattr(first, p) for p in PARTS]
    b = [getattr(second, p) for p in PARTS]
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


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


def _vote_sentence(vote: Acceptance) -> str:
    low, high = vote.interval
    outcome = say("vote.passes" if vote.passes else "vote.fails")
    if not vote.passes and vote.vetoes:
        outcome = say("vote.vetoed", vetoes=", ".join(vote.vetoes))
    sentence = say(
        "vote.sentence",
        outcome=outcome,
        margin=vote.margin,
        probability=vote.probability,
        draws=vote.draws,
        low=low,
        high=high,
        models=f"; {vote.models}" if vote.models else "",
    )
    return sentence + (say("vote.assumed", assumed=vote.assumed) if vote.assumed else "")


def _reason(
    fit: Fit, found: Sequence[Evidence], parts: Score, vote: Acceptance | None, argued: bool
) -> str:
    said = say(f"reason.{fit}")
    speaking = [e for e in found if fit != "does-not-fit" or e.effect == "against"]
    if speaking:
        said += ": " + "; ".join(f"{e.criterion} ({e.source})" for e in speaking)
    terms = " + ".join(
        say("reason.term", part=label(f"part.{p}", current()), value=getattr(parts, p))
        for p in PARTS
    )
    text = say("reason.score", said=said, total=parts.total, terms=terms)
    if vote is not None:
        return f"{text} {_vote_sentence(vote)}"
    if argued:
        text += say("reason.not-argued")
    return text


def _unsolved_reason(result: SolveResult) -> str:
    if result.status == "not-applicable":  # the message: "<reason> — <remedy>"
        return say("reason.not-applicable", message=result.message)
    why = result.diagnosis.summary if result.diagnosis is not None else result.message
    status = result.status if current() == "en" else label(f"status.{result.status}", current())
    return say("reason.unsolved", status=status, why=why)


def _percent(value: float) -> str:
    return number(value, ".0%")


def trade_off(best: Variant, b: Criteria, other: Variant, o: Criteria) -> str:
    """What model ``best`` (criteria ``b``) gives and costs against ``other`` (``o``)."""
    said: list[str] = []
    if b.hub_load is not None and o.hub_load is not None and abs(b.hub_load - o.hub_load) >= 0.01:
        said.append(say("trade.hub-load", b=_percent(b.hub_load), o=_percent(o.hub_load)))
    if abs(b.bottleneck - o.bottleneck) >= 0.01:
        said.append(say("trade.bottleneck", b=_percent(b.bottleneck), o=_percent(o.bottleneck)))
    if abs(b.competence - o.competence) >= 0.01:
        said.append(say("trade.competence", b=b.competence, o=o.competence))
    if abs(b.consultation - o.consultation) >= 0.01:
        said.append(
            say("trade.consultation", b=_percent(b.consultation), o=_percent(o.consultation))
        )
    if b.consent is not None and o.consent is not None and abs(b.consent - o.consent) >= 0.01:
        said.append(say("trade.consent", b=_percent(b.consent), o=_percent(o.consent)))
    fte = b.work_fte + b.new_fte - o.work_fte - o.new_fte
    if abs(fte) >= 0.05:
        said.append(say("trade.more-work" if fte > 0 else "trade.less-work", fte=abs(fte)))
    if (
        b.acceptance is not None
        and o.acceptance is not None
        and abs(b.acceptance.probability - o.acceptance.probability) >= 0.01
    ):
        said.append(
            say(
                "trade.acceptance",
                b=_percent(b.acceptance.probability),
                o=_percent(o.acceptance.probability),
            )
        )
    if not said:
        return say("trade.none", best=model(best), other=model(other))
    return say("trade.sentence", best=model(best), other=model(other), said=", ".join(said))


def _summary(best: RankedVariant | None, organisation: str) -> str:
    """The recommendation in one sentence, with its weak point when it has one."""
    if best is None or best.score is None or best.criteria is None:
        return say("summary.none", organisation=organisation)
    said = say(f"summary.{best.fit or 'neutral'}")
    because = (
        [e.criterion for e in best.evidence if e.effect == "fits"] if best.fit == "fits" else []
    )
    text = say(
        "summary.sentence",
        organisation=organisation,
        variant=model(best.variant),
        said=said,
        because=f" ({'; '.join(because)})" if because else "",
        score=best.score.total,
    )
    vote = best.criteria.acceptance
    if vote is not None and not vote.passes:
        text += say("summary.vote-fails", probability=vote.probability)
    elif vote is not None:
        text += say("summary.vote-passes", probability=vote.probability)
    return text


def recommend(
    scenario: Scenario,
    results: Sequence[SolveResult],
    discussion: Discussion | None = None,
    draws: int = DRAWS,
    deadline: float | None = None,
    votes: Mapping[Variant, Acceptance | None] | None = None,
) -> Recommendation:
    """Rank the governance models of ``scenario`` by the rule of the module docstring.

    Parameters
    ----------
    scenario
        The complete scenario the results were solved for (its profile decides the fit; its
        roles, activities and rules enter the criteria and the lint).
    results
        One solve result per model (any subset of the five, each at most once).
    discussion
        The stakeholders' discussion; each of its issues named like a model is voted on.
    draws
        Monte Carlo draws per model's vote.
    deadline
        A ``time.monotonic()`` the votes keep to (a Monte Carlo stopped by it reports the
        draws it made).
    votes
        The discussion's votes per model, already taken (:func:`acceptance` depends on the
        discussion and the model, not on the matrix: a caller ranking two versions of one
        scenario takes them once); None: taken here.

    Raises
    ------
    InvalidInput
        No results, or a model given twice.
    """
    _check(results)
    placed: list[tuple[tuple[int, float, int], RankedVariant, Criteria]] = []
    unsolved: list[tuple[bool, int, SolveResult]] = []
    for result in results:
        order = VARIANTS.index(result.variant)
        if not _solved(result):
            unsolved.append((result.status == "not-applicable", order, result))
            continue
        if votes is not None:
            vote = votes.get(result.variant)
        elif discussion is not None:
            vote = acceptance(discussion, result.variant, draws, scenario.id, deadline)
        else:
            vote = None
        measured = criteria(scenario, result, vote)
        parts = score(measured)
        found = evidence(scenario.profile, result.variant)
        fit = fit_of(found)
        entry = RankedVariant(
            variant=result.variant,
            rank=1,
            status=result.status,
            fit=fit,
            evidence=found,
            criteria=measured,
            score=parts,
            reason=_reason(fit, found, parts, vote, discussion is not None),
        )
        placed.append(((FIT_ORDER[fit], -parts.total, order), entry, measured))
    placed.sort(key=lambda item: item[0])
    solved = [
        msgspec.structs.replace(
            entry,
            dominated_by=tuple(
                other.variant
                for _, other, _ in placed
                if other.score is not None and dominates(other.score, own)
            ),
        )
        for _, entry, _ in placed
        if (own := entry.score) is not None
    ]
    failed = [
        RankedVariant(
            variant=result.variant,
            rank=1,
            status=result.status,
            fit=None,
            evidence=evidence(scenario.profile, result.variant),
            criteria=None,
            score=None,
            reason=_unsolved_reason(result),
        )
        for _, _, result in sorted(unsolved, key=lambda item: item[:2])
    ]
    ranked = tuple(
        msgspec.structs.replace(entry, rank=index)
        for index, entry in enumerate([*solved, *failed], 1)
    )
    best = solved[0] if solved else None
    matrix = next(r.matrix for r in results if best and r.variant == best.variant) if best else {}
    return Recommendation(
        summary=_summary(best, scenario.profile.name),
        scenario=scenario.id,
        discussion=None if discussion is None else discussion.id,
        recommended=None if best is None else best.variant,
        matrix=matrix,
        ranking=ranked,
        trade_offs=tuple(
            trade_off(placed[0][1].variant, placed[0][2], entry.variant, measured)
            for _, entry, measured in placed[1:]
        ),
    )
