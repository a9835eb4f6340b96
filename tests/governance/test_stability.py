"""Stability: the ranges of the weights (bisected on a grid), the profile changes that flip the
winner (by hand from the fit rules), the cells that move, and fragility."""

from __future__ import annotations

from collections.abc import Callable

import msgspec
import pytest

from models.core import Matrix
from models.governance.recommend import recommend
from models.governance.stability import (
    BISECTIONS,
    FACTORS,
    WEIGHTS,
    _cell_ranges,
    fragile,
    stability,
    weight_range,
)
from models.governance.types import WeightRange
from models.raci.catalogue import complete
from models.raci.solve import solve
from models.raci.types import VARIANTS, SolveOptions, Variant
from service.cli.discussion import builtin_discussions
from service.cli.raci import builtin_scenarios

FAST = SolveOptions(explain=False)


def step(at: float, below: Variant, above: Variant) -> Callable[[float], Variant]:
    return lambda factor: below if factor < at else above


@pytest.mark.parametrize("at", [1.1, 1.3, 1.9, 3.5])
def test_a_boundary_above_is_found_within_the_bisection_precision(at: float) -> None:
    found = weight_range("workload", "central", step(at, "central", "distributed"))
    assert found.low is None  # holds down to 0.25
    assert found.high is not None
    assert found.flips_to_above == "distributed"
    # the boundary lies in (previous grid point, high]; bisection shrinks the bracket
    grid = [f for f in FACTORS if f > 1.0]
    upper = next(f for f in grid if f >= at)
    lower = max([1.0, *(f for f in grid if f < at)])
    assert at <= found.high <= upper
    assert found.high / at <= (upper / lower) ** (1 / 2**BISECTIONS) + 1e-9
    assert ("workload" in fragile([found])) == (found.high <= 1.25)


def test_a_boundary_below_and_what_it_flips_to() -> None:
    found = weight_range("competence", "central", lambda f: "holistic" if f < 0.6 else "central")
    assert (found.high, found.flips_to_below) == (None, "holistic")
    assert found.low is not None
    assert 0.5 < found.low < 0.6
    assert fragile([found]) == ()
    assert fragile([WeightRange(weight="x", low=0.8)]) == ("x",)


def test_cells_that_move_with_a_weight() -> None:
    matrix: Matrix = {"plan": {"hub": "A/R", "bu": "C"}}
    solved: dict[float, Matrix] = dict.fromkeys(FACTORS, matrix)
    solved[2.0] = {"plan": {"hub": "A", "bu": "R"}}
    solved[4.0] = solved[2.0]
    solved[0.25] = {"plan": {"hub": "A/R"}}
    ranges = {(c.row, c.role): c for c in _cell_ranges(matrix, solved, "workload")}
    assert set(ranges) == {("plan", "hub"), ("plan", "bu")}
    hub, bu = ranges["plan", "hub"], ranges["plan", "bu"]
    assert (hub.letter, hub.low, hub.high, hub.above) == ("A/R", None, 2.0, "A")
    assert (bu.letter, bu.low, bu.below, bu.high, bu.above) == ("C", 0.25, None, 2.0, "R")


@pytest.fixture(scope="module")
def it_led() -> tuple[object, ...]:
    scenario = complete(builtin_scenarios()["it-led"])
    results = [solve(scenario, v, FAST) for v in VARIANTS]
    return scenario, results, recommend(scenario, results, builtin_discussions()["it-led"])


def test_a_lone_fit_cannot_be_flipped_by_a_weight_but_by_the_profile(
    it_led: tuple[object, ...],
) -> None:
    scenario, results, best = it_led
    checked = stability(scenario, results, best, FAST)  # type: ignore[arg-type]
    assert checked is not None
    assert checked.winner == "central"
    # central is the only model that fits a low-maturity firm: no weight can flip it
    assert all((r.low, r.high) == (None, None) for r in checked.weights)
    assert not checked.fragile
    flips = {(f.attribute, f.value): f.winner for f in checked.profile}
    # by hand from the fit rules: at medium maturity a 1,500-staff firm with two units fits
    # hub-and-spoke and no longer central
    assert flips["maturity", "medium"] == "hub-and-spoke"
    assert checked.cells == ()
    assert "holds for every objective weight" in checked.summary


def test_ranges_hold_just_inside_when_re_solved() -> None:
    # the insurer: hub-and-spoke and multi-hub both fit, so weights could flip the winner
    scenario = complete(builtin_scenarios()["global-financial-group"])
    discussion = builtin_discussions()["global-financial-group"]
    results = [solve(scenario, v, FAST) for v in VARIANTS]
    best = recommend(scenario, results, discussion, draws=200)
    checked = stability(scenario, results, best, FAST)
    assert checked is not None
    for found in checked.weights[:2]:
        for factor in (found.low or FACTORS[0], found.high or FACTORS[-1]):
            inside = factor * 1.01 if factor < 1 else factor / 1.01
            weights = msgspec.structs.replace(
                scenario.weights,
                **{found.weight: getattr(scenario.weights, found.weight) * inside},
            )
            scaled = msgspec.structs.replace(scenario, weights=weights)
            again = recommend(scaled, [solve(scaled, v, FAST) for v in VARIANTS], discussion, 200)
            assert again.recommended == checked.winner, (found.weight, inside)


def test_what_the_budget_does_not_reach_is_listed_not_guessed() -> None:
    scenario = complete(builtin_scenarios()["global-financial-group"])
    results = [solve(scenario, v, FAST) for v in VARIANTS]
    best = recommend(scenario, results, draws=50)
    checked = stability(scenario, results, best, FAST, cells=True, seconds=0.0)
    assert checked is not None
    # hub-and-spoke and multi-hub both fit: every weight would need solves, none ran
    assert checked.weights == ()
    assert checked.unchecked == (*WEIGHTS, "cells")
    assert "Not checked within 0 s" in checked.summary
    assert not checked.fragile
