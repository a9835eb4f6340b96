"""Export benchmarks: a built-in's workbook in under 1 s (issue 11).

Run as ``python -m benchmarks.exports``. For every built-in scenario, solves every governance
model once (explained, as ``gremium solve --format xlsx`` does; not timed), then prints the
median of several repetitions of writing the solve workbook (with the lint of each matrix it
includes), of writing the recommendation's workbook, and of the CSV of all models, with the
workbook's size; and the time to read the workbook back (openpyxl).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from models.governance.recommend import recommend
from models.governance.workbook import recommendation_workbook
from models.raci.codec import decode_matrices, decode_scenario
from models.raci.render import View, solve_results_csv
from models.raci.types import VARIANTS, Scenario, SolveOptions
from models.raci.workbook import solve_workbook
from service.jobs import solve_variants
from service.library import load_builtin

REPEATS = 5
TARGET_SECONDS = 1.0


def timed(action: Callable[[], object]) -> float:
    """Median wall time in seconds."""
    times = []
    for _ in range(REPEATS):
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


def main() -> None:
    print("exports of each built-in (every model; median of 5):")
    header = ("scenario", "solve xlsx", "size", "recommend xlsx", "size", "csv", "read xlsx")
    print("  ".join(f"{h:>24}" if i == 0 else f"{h:>14}" for i, h in enumerate(header)))
    builtins = load_builtin("raci", decode_scenario)
    worst = max(measure(key, scenario) for key, scenario in builtins.items())
    verdict = "met" if worst < TARGET_SECONDS else "MISSED"
    print(f"slowest workbook {worst:.2f} s against a target of {TARGET_SECONDS:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
