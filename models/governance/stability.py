"""How stable a recommendation is: which single change flips the winner, and which cells move.

Weights. Each objective weight is scaled by a factor on the grid :data:`FACTORS` (¼× … 4×,
the others kept) and the models are solved again; the winner is re-ranked by the rule of
:mod:`models.governance.recommend` with each model's vote as it was (the discussion does not
depend on the weights). Only models as fit as the winner can overtake it (fit does not depend
on the weights), so only those are solved again; when the winner is the only one, no weight can
flip it and nothing is solved. Between the last factor that keeps the winner and the first
that flips it the boundary is bisected (:data:`BISECTIONS` steps), so a range is exact to
within a factor of ``(step)^(1/2^BISECTIONS)`` and stated as measured on the grid. A winner
that flips within ±25 % of a weight (factors 0.75 and 1.25, always on the grid) is *fragile*.

Cells. The recommended model alone is solved at every factor of the grid for every weight; a
cell's range is the interval of factors around 1 in which it keeps its letter, and what it
becomes just outside (a grid, not parametric analysis: a letter can change and change back
between two grid points unseen).

Profile. Each attribute is set to each value the fit rules distinguish (the other attributes
kept) and the solved matrices are ranked again: fit reads the profile alone, and the matrices
are not solved again (the profile changes no role, activity or rule of the scenario).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import msgspec

from models.core import Letter, Matrix
from models.governance.recommend import (
    FIT_ORDER,
    LARGE,
    MANY_UNITS,
    MULTINATIONAL,
    SMALL,
    criteria,
    evidence,
    fit_of,
    score,
)
from models.governance.types import (
    Acceptance,
    CellRange,
    ProfileFlip,
    Recommendation,
    Stability,
    WeightRange,
)
from models.labels import label
from models.messages import MESSAGES, current, model, say
from models.raci.solve import solve
from models.raci.types import VARIANTS, Profile, Scenario, SolveOptions, SolveResult, Variant

#: the factors each weight is scaled by; 0.75 and 1.25 decide fragility
FACTORS = (0.25, 0.5, 0.75, 1.25, 2.0, 4.0)
FRAGILE = (0.75, 1.25)
BISECTIONS = 3
#: the default budget of a stability check, in seconds
SECONDS = 3.0
WEIGHTS = ("competence", "workload", "communication", "alignment", "consultation")
#: The method in words: ``stability.method`` of :mod:`models.messages`, in the language of the
#: result.
METHOD = "stability.method"
#: the values of each profile attribute that the fit rules tell apart
PROFILE_VALUES: Mapping[str, tuple[object, ...]] = {
    "headcount": (SMALL - 1, LARGE - 1, LARGE, MULTINATIONAL - 1, MULTINATIONAL),
    "business_units": (0, 1, 2, MANY_UNITS),
    "regulated": (False, True),
    "maturity": ("low", "medium", "high"),
    "executive_sponsorship": ("none", "weak", "strong"),
}

Votes = Mapping[Variant, Acceptance | None]


def _winner(scenario: Scenario, results: Sequence[SolveResult], votes: Votes) -> Variant | None:
    """The first model by the ranking rule among ``results`` with a matrix."""
    keyed = [
        (
            FIT_ORDER[fit_of(evidence(scenario.profile, r.variant))],
            -score(criteria(scenario, r, votes.get(r.variant))).total,
            VARIANTS.index(r.variant),
            r.variant,
        )
        for r in results
        if r.status in ("optimal", "feasible") and r.objective is not None
    ]
    return min(keyed)[3] if keyed else None


class OutOfTime(Exception):
    """The stability check's budget ran out before a re-solve it needs was proven."""


def _solved(
    scenario: Scenario, variants: Sequence[Variant], options: SolveOptions, deadline: float
) -> list[SolveResult]:
    """The models solved again by ``deadline``; :class:`OutOfTime` when the budget is spent
    or a solve stopped before its proof (a winner read off it would be a guess)."""
    found = []
    for variant in variants:
        if time.monotonic() >= deadline:
            raise OutOfTime
        result = solve(scenario, variant, options, deadline)
        if result.status in ("feasible", "error"):
            raise OutOfTime
        found.append(result)
    return found


def _scaled(scenario: Scenario, weight: str, factor: float) -> Scenario:
    value = getattr(scenario.weights, weight) * factor
    weights = msgspec.structs.replace(scenario.weights, **{weight: value})
    return msgspec.structs.replace(scenario, weights=weights)


def _boundary(
    holds: Callable[[float], Variant | None],
    winner: Variant,
    inside: float,
    outside: float,
    flipped: Variant | None,
) -> tuple[float, Variant | None]:
    """Bisect (geometrically) between a factor that keeps the winner and one that does not;
    the first factor found not to keep it, and what wins there."""
    for _ in range(BISECTIONS):
        middle = (inside * outside) ** 0.5
        there = holds(middle)
        if there == winner:
            inside = middle
        else:
            outside, flipped = middle, there
    return outside, flipped


def weight_range(
    weight: str, winner: Variant, winner_at: Callable[[float], Variant | None]
) -> WeightRange:
    """The factors of ``weight`` around 1 within which ``winner_at(factor)`` is ``winner``:
    the grid :data:`FACTORS` outwards from 1, each boundary bisected."""

    def side(factors: Sequence[float]) -> tuple[float | None, Variant | None]:
        inside = 1.0
        for factor in factors:
            there = winner_at(factor)
            if there != winner:
                return _boundary(winner_at, winner, inside, factor, there)
            inside = factor
        return None, None

    low, below = side([f for f in reversed(FACTORS) if f < 1.0])
    high, above = side([f for f in FACTORS if f > 1.0])
    return WeightRange(
        weight=weight, low=low, high=high, flips_to_below=below, flips_to_above=above
    )


def fragile(ranges: Sequence[WeightRange]) -> tuple[str, ...]:
    """The weights within ±25 % of which the winner flips."""
    return tuple(
        r.weight
        for r in ranges
        if (r.low is not None and r.low >= FRAGILE[0])
        or (r.high is not None and r.high <= FRAGILE[1])
    )


def _cell_ranges(
    matrix: Mapping[str, Mapping[str, Letter]],
    solved: Mapping[float, Mapping[str, Mapping[str, Letter]]],
    weight: str,
) -> list[CellRange]:
    """The cells whose letter differs at some grid factor of ``weight``, with their ranges."""
    cells = {
        (row, role) for m in (matrix, *solved.values()) for row, held in m.items() for role in held
    }
    found = []
    for row, role in sorted(cells):
        letter = matrix.get(row, {}).get(role)
        at = {f: m.get(row, {}).get(role) for f, m in solved.items()}
        low = next((f for f in reversed(FACTORS) if f < 1 and at[f] != letter), None)
        high = next((f for f in FACTORS if f > 1 and at[f] != letter), None)
        if low is None and high is None:
            continue
        found.append(
            CellRange(
                row=row,
                role=role,
                letter=letter,
                weight=weight,
                low=low,
                high=high,
                below=None if low is None else at[low],
                above=None if high is None else at[high],
            )
        )
    return found


def _weight(term: str) -> str:
    """An objective weight named in a sentence (its id in English)."""
    return label(f"term.{term}", current())


def _model_or_none(variant: Variant | None) -> str:
    return say("stability.none") if variant is None else model(variant)


def _summary(winner: Variant, ranges: Sequence[WeightRange], flips: Sequence[ProfileFlip]) -> str:
    """The stability in sentences."""
    moving = [r for r in ranges if r.low is not None or r.high is not None]
    if not ranges:
        text = say("stability.none-checked", winner=model(winner))
    elif not moving:
        weights = (
            say("stability.every-weight")
            if len(ranges) == len(WEIGHTS)
            else ", ".join(_weight(r.weight) for r in ranges)
        )
        text = say("stability.holds", winner=model(winner), weights=weights)
    else:
        parts = []
        for r in moving:
            if r.low is not None:
                to = _model_or_none(r.flips_to_below)
                parts.append(say("stability.below", weight=_weight(r.weight), factor=r.low, to=to))
            if r.high is not None:
                to = _model_or_none(r.flips_to_above)
                parts.append(say("stability.above", weight=_weight(r.weight), factor=r.high, to=to))
        text = say("stability.flips", winner=model(winner), parts="; ".join(parts))
    if flips:
        said = "; ".join(
            say(
                "stability.flip",
                attribute=say(f"profile.{f.attribute}"),
                value=say(f"profile.{f.value}") if f"profile.{f.value}" in MESSAGES else f.value,
                winner=_model_or_none(f.winner),
            )
            for f in flips
        )
        text += say("stability.changes", flips=said)
    else:
        text += say("stability.no-flip")
    return text


def _profile(
    scenario: Scenario, results: Sequence[SolveResult], winner: Variant, votes: Votes
) -> tuple[ProfileFlip, ...]:
    flips = []
    for attribute, values in PROFILE_VALUES.items():
        for value in values:
            if getattr(scenario.profile, attribute) == value:
                continue
            profile: Profile = msgspec.structs.replace(scenario.profile, **{attribute: value})
            changed = msgspec.structs.replace(scenario, profile=profile)
            there = _winner(changed, results, votes)
            if there != winner:
                flips.append(ProfileFlip(attribute=attribute, value=str(value), winner=there))
    return tuple(flips)


class StabilityTask(msgspec.Struct, frozen=True, kw_only=True):
    """One independent task of a stability check: the range of one weight (``kind``
    ``weight``), or the ranges of the recommended matrix's cells under one weight (``cells``).

    A pure value: it carries everything the task needs, so it can run in another process or on
    another machine (:func:`run_stability_task`)."""

    kind: Literal["weight", "cells"]
    weight: str
    scenario: Scenario
    winner: Variant
    contenders: tuple[Variant, ...]
    votes: dict[Variant, Acceptance | None]
    matrix: Matrix
    options: SolveOptions


#: What a task gives: a weight's range, a weight's moving cells, or None when its budget ran
#: out before every re-solve it needs was proven.
StabilityPart = WeightRange | tuple[CellRange, ...] | None


def stability_tasks(
    scenario: Scenario,
    results: Sequence[SolveResult],
    recommendation: Recommendation,
    options: SolveOptions,
    cells: bool = False,
) -> tuple[StabilityTask, ...]:
    """The tasks of :func:`stability`: one per weight, and with ``cells`` one more per weight
    for the cells (none without a recommended model). Explanations are switched off for the
    re-solves."""
    winner = recommendation.recommended
    if winner is None:
        return ()
    options = msgspec.structs.replace(options, explain=False)
    votes = {
        e.variant: e.criteria.acceptance for e in recommendation.ranking if e.criteria is not None
    }
    fit = {e.variant: e.fit for e in recommendation.ranking if e.fit is not None}
    contenders = tuple(v for v in fit if fit[v] == fit[winner])
    matrix = next(r.matrix for r in results if r.variant == winner)
    kinds: tuple[Literal["weight", "cells"], ...] = ("weight", "cells") if cells else ("weight",)
    return tuple(
        StabilityTask(
            kind=kind,
            weight=w,
            scenario=scenario,
            winner=winner,
            contenders=contenders,
            votes=votes,
            matrix=matrix,
            options=options,
        )
        for kind in kinds
        for w in WEIGHTS
    )


def run_stability_task(
    task: StabilityTask, seconds: float = SECONDS, deadline: float | None = None
) -> StabilityPart:
    """Run one task within ``deadline`` (a ``time.monotonic()``), or within ``seconds`` from
    now: a task that runs on another machine takes a relative budget, as that machine's
    monotonic clock is not the caller's. None when the budget does not finish its re-solves."""
    if deadline is None:
        deadline = time.monotonic() + seconds
    scenario, weight = task.scenario, task.weight
    try:
        if task.kind == "cells":
            solved = {
                f: _solved(_scaled(scenario, weight, f), (task.winner,), task.options, deadline)[
                    0
                ].matrix
                for f in FACTORS
            }
            return tuple(_cell_ranges(task.matrix, solved, weight))
        if len(task.contenders) == 1:  # nothing can overtake the winner: nothing to solve
            return WeightRange(weight=weight)

        def winner_at(factor: float) -> Variant | None:
            scaled = _scaled(scenario, weight, factor)
            found = _solved(scaled, task.contenders, task.options, deadline)
            return _winner(scaled, found, task.votes)

        return weight_range(weight, task.winner, winner_at)
    except OutOfTime:
        return None


def combine_stability(
    scenario: Scenario,
    results: Sequence[SolveResult],
    recommendation: Recommendation,
    tasks: Sequence[StabilityTask],
    parts: Sequence[StabilityPart],
    seconds: float = SECONDS,
) -> Stability | None:
    """The :class:`Stability` from the parts of :func:`stability_tasks`' tasks (in the same
    order): a weight whose task ran out of time is ``unchecked``, and so are the cells when
    any of their tasks did."""
    winner = recommendation.recommended
    if winner is None:
        return None
    if len(tasks) != len(parts):
        raise ValueError(f"{len(parts)} parts for {len(tasks)} stability tasks")
    ranges: list[WeightRange] = []
    unchecked: list[str] = []
    moved: list[CellRange] = []
    cells_out_of_time = False
    for task, part in zip(tasks, parts, strict=True):
        if task.kind == "weight":
            if isinstance(part, WeightRange):
                ranges.append(part)
            else:
                unchecked.append(task.weight)
        elif isinstance(part, tuple):
            moved += part
        else:
            cells_out_of_time = True
    if cells_out_of_time:
        unchecked.append("cells")
        moved = []
    votes = tasks[0].votes if tasks else {}
    weak = fragile(ranges)
    flips = _profile(scenario, results, winner, votes)
    summary = _summary(winner, ranges, flips)
    if weak:
        summary += say("stability.fragile", weights=", ".join(map(_weight, weak)))
    if unchecked:
        what = ", ".join(_weight(w) if w in WEIGHTS else w for w in unchecked)
        summary += say("stability.unchecked", seconds=float(seconds), what=what)
    return Stability(
        winner=winner,
        fragile=bool(weak),
        summary=summary,
        weights=tuple(ranges),
        profile=flips,
        cells=tuple(moved),
        unchecked=tuple(unchecked),
        method=say(METHOD),
    )


def stability(
    scenario: Scenario,
    results: Sequence[SolveResult],
    recommendation: Recommendation,
    options: SolveOptions,
    cells: bool = False,
    seconds: float = SECONDS,
) -> Stability | None:
    """The stability of ``recommendation`` (see the module docstring); None without one.

    ``results`` are the solves the recommendation ranked, ``options`` how they were solved
    (explanations are not needed and are switched off for the re-solves); ``cells`` adds the
    ranges of the recommended matrix's cells (30 more solves). The work runs within
    ``seconds``: a weight (or the cells) whose re-solves the budget does not finish, each
    proven, is listed in ``unchecked``, never guessed.

    This runs :func:`stability_tasks` one after another in this process, sharing one deadline;
    a service spreads the same tasks over workers and combines them with
    :func:`combine_stability`.
    """
    deadline = time.monotonic() + seconds
    tasks = stability_tasks(scenario, results, recommendation, options, cells)
    parts = [run_stability_task(task, deadline=deadline) for task in tasks]
    return combine_stability(scenario, results, recommendation, tasks, parts, seconds)
