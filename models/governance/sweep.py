"""Sensitivity sweeps: one scenario (or a portfolio of them) solved at every point of a grid of
edits, as a list of independent tasks and a function that combines their results.

A *grid* is a list of axes, each a list of alternative edits (``[SetWeight(alignment, 0.5),
SetWeight(alignment, 2)]``, ``[SetCapacity(csmo, 20), SetCapacity(csmo, 40)]``); its points are
the cartesian product, one edit from each axis, applied in axis order
(:func:`models.governance.whatif.apply`). A portfolio is several scenarios swept over the same
grid. Each point is a :class:`Point` and is solved on its own by :func:`solve_point`, a pure
function of its arguments, so the points can run anywhere and in any order; :func:`combine`
puts the answers back in point order and counts, per scenario, how often each model is
recommended and at which points the recommendation differs from the unedited scenario's.

The recommendation at a point is :func:`models.governance.recommend.recommend` without a
discussion (the votes do not depend on the edits a grid makes to weights and capacities, and
a sweep of thousands of points cannot afford a Monte Carlo at each).

    tasks = points(portfolio, grid)                      # [Point, ...]
    answers = [solve_point(p, VARIANTS, options, 10.0) for p in tasks]
    summary = combine(tasks, answers)                    # SweepResult
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Sequence

import msgspec

from models.governance.recommend import recommend
from models.governance.types import Edit
from models.governance.whatif import apply
from models.raci.solve import solve_all
from models.raci.types import VARIANTS, Scenario, SolveOptions, Status, Variant


class Point(msgspec.Struct, frozen=True):
    """One task of a sweep: a scenario and the edits of one grid point (none: the scenario as
    it is, the baseline every other point of that scenario is compared with)."""

    scenario: Scenario
    edits: tuple[Edit, ...]


class ModelAnswer(msgspec.Struct, frozen=True):
    """One model's status and objective at a point (the objective is None without a matrix)."""

    variant: Variant
    status: Status
    objective: float | None


class PointAnswer(msgspec.Struct, frozen=True):
    """What one point gave: what its edits did, each model's answer and the recommended model."""

    scenario: str
    edits: tuple[str, ...]
    models: tuple[ModelAnswer, ...]
    recommended: Variant | None


class ScenarioSweep(msgspec.Struct, frozen=True):
    """One scenario's points: how often each model is recommended, and the points (indices
    into :attr:`SweepResult.points`) whose recommendation differs from the baseline's."""

    scenario: str
    baseline: Variant | None
    recommended: dict[str, int]
    changed: tuple[int, ...]


class SweepResult(msgspec.Struct, frozen=True):
    """Every point's answer, in the order of the tasks, and each scenario's summary."""

    points: tuple[PointAnswer, ...]
    scenarios: tuple[ScenarioSweep, ...]


def points(portfolio: Sequence[Scenario], grid: Sequence[Sequence[Edit]]) -> list[Point]:
    """The tasks of a sweep: per scenario, its baseline, then every point of ``grid``.

    Example:
        >>> from models.governance.types import SetWeight
        >>> from models.raci.catalogue import complete
        >>> from models.raci.types import Profile, Scenario
        >>> acme = complete(Scenario(id="acme", profile=Profile(name="ACME", headcount=800)))
        >>> grid = [[SetWeight(term="alignment", value=v) for v in (0.5, 2.0)],
        ...         [SetWeight(term="workload", value=v) for v in (0.5, 1.0, 2.0)]]
        >>> len(points([acme], grid))  # the baseline and 2 × 3 points
        7
    """
    combinations = list(itertools.product(*grid)) if grid else []
    return [
        Point(scenario=scenario, edits=tuple(edits))
        for scenario in portfolio
        for edits in [(), *combinations]
    ]


def solve_point(
    point: Point, variants: Sequence[Variant], options: SolveOptions, seconds: float
) -> PointAnswer:
    """Apply the point's edits, solve ``variants`` (no explanations) within ``seconds`` and
    recommend among them (without a discussion).

    The budget is relative, not a ``time.monotonic()`` deadline: a task may run on another
    machine, whose monotonic clock is not the caller's.

    Raises
    ------
    InvalidInput
        An edit the scenario refuses (:func:`models.governance.whatif.apply`).
    """
    edited, said = apply(point.scenario, point.edits)
    options = msgspec.structs.replace(options, explain=False)
    results = solve_all(edited, tuple(variants), options, time.monotonic() + seconds)
    recommended = (
        recommend(edited, results, None).recommended if set(variants) == set(VARIANTS) else None
    )
    return PointAnswer(
        scenario=point.scenario.id,
        edits=said,
        models=tuple(
            ModelAnswer(r.variant, r.status, None if r.objective is None else r.objective.total)
            for r in results
        ),
        recommended=recommended,
    )


def combine(tasks: Sequence[Point], answers: Sequence[PointAnswer]) -> SweepResult:
    """The answers of :func:`points`' tasks (in the same order) summarised per scenario."""
    if len(tasks) != len(answers):
        raise ValueError(f"{len(answers)} answers for {len(tasks)} points")
    scenarios = []
    for scenario in dict.fromkeys(t.scenario.id for t in tasks):
        mine = [i for i, t in enumerate(tasks) if t.scenario.id == scenario]
        base = next((answers[i].recommended for i in mine if not tasks[i].edits), None)
        scenarios.append(
            ScenarioSweep(
                scenario=scenario,
                baseline=base,
                recommended=dict(Counter(str(answers[i].recommended) for i in mine)),
                changed=tuple(i for i in mine if answers[i].recommended != base),
            )
        )
    return SweepResult(points=tuple(answers), scenarios=tuple(scenarios))
