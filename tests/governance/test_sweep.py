"""Sensitivity sweeps: the points of a grid over a portfolio, each solved alone, combined."""

from __future__ import annotations

import doctest
import itertools

import pytest

from models.governance import sweep
from models.governance.recommend import recommend
from models.governance.sweep import ModelAnswer, PointAnswer, combine, points, solve_point
from models.governance.types import SetWeight
from models.governance.whatif import apply
from models.raci.catalogue import complete
from models.raci.solve import solve
from models.raci.types import VARIANTS, Profile, Scenario, SolveOptions

FAST = SolveOptions(explain=False)


def test_docstring_examples_hold() -> None:
    result = doctest.testmod(sweep)
    assert result.failed == 0
    assert result.attempted > 0


def scenario(name: str) -> Scenario:
    return complete(Scenario(id=name, profile=Profile(name=name.upper(), headcount=800)))


def test_points_are_each_scenarios_baseline_then_the_grid_in_order() -> None:
    grid = [
        [SetWeight(term="alignment", value=v) for v in (0.5, 2.0)],
        [SetWeight(term="workload", value=v) for v in (0.5, 1.0, 2.0)],
    ]
    portfolio = [scenario("a"), scenario("b")]
    found = points(portfolio, grid)
    expected = [
        (s.id, edits) for s in portfolio for edits in [(), *itertools.product(grid[0], grid[1])]
    ]
    assert [(p.scenario.id, p.edits) for p in found] == expected
    assert len(points(portfolio, [])) == 2  # no grid: the baselines alone


def test_a_point_is_its_edited_scenario_solved_and_ranked() -> None:
    base = scenario("acme")
    [_, point] = points([base], [[SetWeight(term="alignment", value=3.0)]])
    answer = solve_point(point, VARIANTS, FAST, 60.0)
    edited, said = apply(base, point.edits)
    results = [solve(edited, v, FAST) for v in VARIANTS]
    assert answer.edits == said == ("weight of alignment 1 -> 3",)
    assert [(m.variant, m.status) for m in answer.models] == [
        (r.variant, r.status) for r in results
    ]
    assert [m.objective for m in answer.models] == [
        None if r.objective is None else r.objective.total for r in results
    ]
    assert answer.recommended == recommend(edited, results).recommended


def test_combine_counts_the_recommendations_and_the_changes_per_scenario() -> None:
    portfolio = [scenario("a"), scenario("b")]
    tasks = points(portfolio, [[SetWeight(term="alignment", value=v) for v in (0.5, 2.0)]])
    winners = ["central", "central", "holistic", "distributed", None, "distributed"]

    def answer(i: int) -> PointAnswer:
        model = ModelAnswer(variant="central", status="optimal", objective=1.0)
        return PointAnswer(tasks[i].scenario.id, (), (model,), winners[i])  # type: ignore[arg-type]

    summary = combine(tasks, [answer(i) for i in range(6)])
    a, b = summary.scenarios
    assert (a.scenario, a.baseline, a.recommended, a.changed) == (
        "a",
        "central",
        {"central": 2, "holistic": 1},
        (2,),
    )
    assert (b.baseline, b.recommended, b.changed) == (
        "distributed",
        {"distributed": 2, "None": 1},
        (4,),
    )
    with pytest.raises(ValueError, match="5 answers for 6 points"):
        combine(tasks, [answer(i) for i in range(5)])
