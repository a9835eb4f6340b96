"""Model uncertainty: the proposal's fate under each standard dynamics model, and whether they
agree.

The standard models are DeGroot, Friedkin–Johnsen, Hegselmann–Krause and Deffuant–Weisbuch
(:data:`STANDARD`). Each runs with the discussion's own parameters where they apply — its own
model keeps its parameters, and a multi-issue Friedkin–Johnsen discussion keeps its coupling in
the Friedkin–Johnsen slot (with identity coupling it *is* Friedkin–Johnsen) — and with the
documented defaults of :mod:`models.discussion.types` where not (Hegselmann–Krause ε = 0.2,
everyone hears everyone; Deffuant–Weisbuch ε = 0.2, μ = 0.3, seed 0, everyone may meet).
Every model reads the same susceptibilities and network; DeGroot ignores the susceptibilities,
the bounded-confidence models the susceptibilities (and the network unless asked).

The statement names the majority verdict first and then, when the models disagree, each
model's verdict with its vetoes: ``3 of 4 models: passes; DeGroot: passes; Friedkin–Johnsen:
fails (vetoed by Works council); … — the models disagree, so the outcome is uncertain``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import msgspec

from models.messages import number, say

from .types import (
    Agreement,
    DeffuantWeisbuch,
    DeGroot,
    FriedkinJohnsen,
    HegselmannKrause,
    Model,
    ModelDecision,
    ModelKind,
    MultiIssueFriedkinJohnsen,
)

STANDARD: tuple[type[Model], ...] = (DeGroot, FriedkinJohnsen, HegselmannKrause, DeffuantWeisbuch)
NAMES: dict[ModelKind, str] = {
    "degroot": "DeGroot",
    "friedkin-johnsen": "Friedkin–Johnsen",
    "multi-issue-friedkin-johnsen": "multi-issue Friedkin–Johnsen",
    "hegselmann-krause": "Hegselmann–Krause",
    "deffuant-weisbuch": "Deffuant–Weisbuch",
}


def standard_models(own: Model) -> tuple[tuple[Model, bool], ...]:
    """The four standard models for a discussion whose model is ``own``: each with the
    discussion's parameters where they apply, and whether it runs on defaults instead.

    Example:
        >>> [(type(m).__name__, d) for m, d in standard_models(HegselmannKrause(epsilon=0.3))]
        [('DeGroot', False), ('FriedkinJohnsen', True), ('HegselmannKrause', False), \
('DeffuantWeisbuch', True)]
    """
    chosen: list[tuple[Model, bool]] = []
    for kind in STANDARD:
        if isinstance(own, kind) or (
            kind is FriedkinJohnsen and isinstance(own, MultiIssueFriedkinJohnsen)
        ):
            chosen.append((own, False))
        else:
            # DeGroot has no parameters: it never runs on anyone's defaults
            chosen.append((kind(), kind is not DeGroot))
    return tuple(chosen)


def percent(p: float) -> str:
    """A probability for people: one decimal, but never rounded to 0 % or 100 % unless it is.

    Example:
        >>> percent(0.9996), percent(1.0), percent(0.0004), percent(0.25)
        ('>99.9%', '100%', '<0.1%', '25.0%')
    """
    if p >= 1.0:
        return number(1.0, ".0%")
    if p <= 0.0:
        return number(0.0, ".0%")
    if p >= 0.9995:
        return ">" + number(0.999, ".1%")
    if p < 0.0005:
        return "<" + number(0.001, ".1%")
    return number(p, ".1%")


def _verdict(entry: ModelDecision, names: Mapping[str, str]) -> str:
    d = entry.decision
    if d.passes:
        verdict = say("vote.passes")
    elif d.vetoes:
        verdict = say("vote.vetoed", vetoes=", ".join(names.get(v, v) for v in d.vetoes))
    else:
        verdict = say("agreement.share", share=d.share, required=d.required)
    if entry.probability is not None:
        verdict += say("agreement.chance", name=entry.name, probability=percent(entry.probability))
    return verdict


def agree(
    entries: Sequence[ModelDecision],
    names: Mapping[str, str],
    not_run: Sequence[ModelKind] = (),
) -> Agreement:
    """The agreement among the models' decisions, with its statement (``names``: stakeholder
    id → name, for the vetoes; ``not_run``: the models the time budget left out).

    A proposal every model passes is stated ``all 4 models: passes``; otherwise the larger
    side is stated first (passing on a tie) and each model of the other side by name. Models
    left out are named at the end: ``… (Deffuant–Weisbuch not run: the time budget ended
    first)``.

    Example:
        >>> agree([], {}, ("degroot", "deffuant-weisbuch")).statement
        'no model ran to its end (DeGroot, Deffuant–Weisbuch not run: the time budget ended first)'
    """
    left_out = ""
    if not_run:
        left_out = f" ({', '.join(NAMES[k] for k in not_run)} not run: the time budget ended first)"
    if not entries:
        return Agreement(
            models=(),
            passing=0,
            unanimous=False,
            statement=f"no model ran to its end{left_out}",
            not_run=tuple(not_run),
        )
    passing = sum(e.decision.passes for e in entries)
    total = len(entries)
    unanimous = passing in (0, total)
    majority = passing * 2 >= total
    verdict = say("vote.passes" if majority else "vote.fails")
    if unanimous:
        head = say("agreement.all", total=total, verdict=verdict)
    else:
        side = passing if majority else total - passing
        head = say("agreement.side", side=side, total=total, verdict=verdict)
    # every model is named when they disagree or carry probabilities
    named = not unanimous or any(e.probability is not None for e in entries)
    parts = [head, *(f"{e.name}: {_verdict(e, names)}" for e in entries if named)]
    statement = "; ".join(parts)
    if not unanimous:
        statement += say("agreement.uncertain")
    return Agreement(
        models=tuple(entries),
        passing=passing,
        unanimous=unanimous,
        statement=statement + left_out,
        not_run=tuple(not_run),
    )


def with_chances(
    agreement: Agreement,
    chances: Sequence[tuple[float, tuple[float, float]]],
    names: Mapping[str, str],
) -> Agreement:
    """The agreement with each model's Monte Carlo probability and interval added."""
    entries = [
        msgspec.structs.replace(e, probability=p, interval=interval)
        for e, (p, interval) in zip(agreement.models, chances, strict=True)
    ]
    return agree(entries, names, agreement.not_run)
