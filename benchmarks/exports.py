"""Export benchmarks: a built-in's workbook and deck in under 1 s each (issue 11).

Run as ``python -m benchmarks.exports``. For every built-in scenario, solves every governance
model once (explained, as ``gremium solve --format xlsx`` does; not timed), then prints the
median of several repetitions of writing the solve workbook (with the lint of each matrix it
includes), of writing the recommendation's workbook, and of the CSV of all models, with the
workbook's size; and the time to read the workbook back (openpyxl).

Then the pictures and the deck: the recommended model's heatmap as SVG and PNG, the
recommendation's picture, and the slide deck (every model's matrix, and with the built-in
discussion of the same id its two pictures and the briefing plan), with their sizes. The
deck's time is the drawing and writing alone: the solves, the simulation and the briefing
plan it shows are computed once beforehand (the API's deck job also runs those; their time is
printed apart as "inputs").
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from models.discussion.codec import decode_discussion
from models.discussion.intervention import intervene
from models.discussion.simulation import simulate
from models.governance.deck import recommendation_deck
from models.governance.picture import recommendation_picture
from models.governance.recommend import on_issue, recommend
from models.governance.workbook import recommendation_workbook
from models.raci.codec import decode_matrices, decode_scenario
from models.raci.picture import matrix_picture
from models.raci.render import View, solve_results_csv
from models.raci.types import VARIANTS, Scenario, SolveOptions
from models.raci.workbook import solve_workbook
from service.jobs import solve_variants
from service.library import load_builtin

REPEATS = 5
PICTURE_REPEATS = 3
TARGET_SECONDS = 1.0


def cpu_timed(action: Callable[[], object], repeats: int = PICTURE_REPEATS) -> float:
    """Median CPU time of this process in seconds: what the work costs on a machine that
    other processes share (wall time then counts their turns too)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return statistics.median(times)


def timed(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(key: str, scenario: Scenario) -> float:
    """Print one built-in's row; the slower of its two workbooks' times."""
    results = solve_variants(scenario, VARIANTS, SolveOptions(time_limit=10))
    view = View.of(scenario, "de")
    workbook = solve_workbook(results, scenario, view)
    recommendation = recommend(scenario, results)
    advice = recommendation_workbook(recommendation, scenario, view)
    seconds = timed(lambda: solve_workbook(results, scenario, view))
    advice_seconds = timed(lambda: recommendation_workbook(recommendation, scenario, view))
    csv_seconds = timed(lambda: solve_results_csv(results, view))
    read_seconds = timed(lambda: decode_matrices(workbook, "xlsx"))
    print(
        f"{key:>24}  {seconds * 1000:>11.0f} ms  {len(workbook) / 1024:>11.1f} KB  "
        f"{advice_seconds * 1000:>11.0f} ms  {len(advice) / 1024:>11.1f} KB  "
        f"{csv_seconds * 1000:>11.1f} ms  {read_seconds * 1000:>11.0f} ms"
    )
    return max(seconds, advice_seconds)


def measure_deck(key: str, scenario: Scenario) -> float:
    """Print one built-in's pictures and deck (wall time, and the deck's CPU time); the
    deck's CPU time."""
    start = time.perf_counter()
    results = solve_variants(scenario, VARIANTS, SolveOptions(time_limit=10, explain=False))
    discussion = load_builtin("discussion", decode_discussion).get(key)
    recommendation = recommend(scenario, results, discussion)
    simulation = plan = None
    if discussion is not None:
        discussion = on_issue(discussion, recommendation.recommended)
        simulation = simulate(discussion)
        plan = intervene(discussion) if discussion.proposal is not None else None
    inputs = time.perf_counter() - start
    view = View.of(scenario, "de")
    best = next((r for r in results if r.variant == recommendation.recommended), results[0])
    sizes, seconds = [], []
    for action in (
        lambda: matrix_picture(best, "svg", view),
        lambda: matrix_picture(best, "png", view),
        lambda: recommendation_picture(recommendation, "png", view),
        lambda: recommendation_deck(
            recommendation, scenario, view, results, discussion, simulation, plan
        ),
    ):
        sizes.append(len(action()))
        seconds.append(timed(action, PICTURE_REPEATS))
    cpu = cpu_timed(action)  # the deck's, the last action
    cells = "  ".join(
        f"{t * 1000:>8.0f} ms {size / 1024:>7.0f} KB"
        for t, size in zip(seconds, sizes, strict=True)
    )
    print(f"{key:>24}  {cells}  {cpu * 1000:>8.0f} ms  {inputs:>8.1f} s")
    return cpu


def main() -> None:
    print("exports of each built-in (every model; median of 5):")
    header = ("scenario", "solve xlsx", "size", "recommend xlsx", "size", "csv", "read xlsx")
    print("  ".join(f"{h:>24}" if i == 0 else f"{h:>14}" for i, h in enumerate(header)))
    builtins = load_builtin("raci", decode_scenario)
    worst = max(measure(key, scenario) for key, scenario in builtins.items())
    verdict = "met" if worst < TARGET_SECONDS else "MISSED"
    print(f"slowest workbook {worst:.2f} s against a target of {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"\npictures and the deck of each built-in (German; median of {PICTURE_REPEATS}):")
    header = ("scenario", "heatmap svg", "heatmap png", "trade-offs png", "deck pptx")
    print(
        "  ".join(f"{h:>24}" if i == 0 else f"{h:>19}" for i, h in enumerate(header))
        + "   deck CPU    inputs"
    )
    worst = max(measure_deck(key, scenario) for key, scenario in builtins.items())
    verdict = "met" if worst < TARGET_SECONDS else "MISSED"
    print(
        f"slowest deck {worst:.2f} s of CPU against a target of {TARGET_SECONDS:.0f} s: {verdict} "
        "(the wall times above include other processes' turns on a shared machine)"
    )


if __name__ == "__main__":
    main()
