"""The work the pool runs: module-level functions, so a worker process can unpickle them.

Each job keeps to its request's ``deadline`` (``time.monotonic()``, keyword-only) and, but for
the recommendation (which the store keeps as a value), returns the response body as bytes,
encoded and rendered in the worker: a large answer is never encoded on the event loop, and
bytes cross the process boundary as one copy instead of being rebuilt object by object.
Pictures and the slide deck are drawn here too (matplotlib and python-pptx take tenths of a
second).

Progress: work run through :func:`reporting` (a background job's) writes the share done to a
small file that the job's server reads on its heartbeat (:mod:`service.background`). A file,
not a pipe or a shared value: it needs nothing set up when the worker starts, crosses the
process boundary as a path, and a worker killed mid-write corrupts nothing. Outside
:func:`reporting` (a synchronous request, the command line), :func:`report` does nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import msgspec

from models.core import Matrix
from models.discussion.intervention import intervene
from models.discussion.montecarlo import monte_carlo
from models.discussion.picture import network_picture, trajectory_picture
from models.discussion.simulation import simulate
from models.discussion.types import Discussion, InterventionOptions, MonteCarloOptions
from models.governance.deck import recommendation_deck
from models.governance.path import staged_path
from models.governance.recommend import on_issue, recommend
from models.governance.stability import SECONDS, stability
from models.governance.types import Edit, Recommendation, StabilityDepth
from models.governance.whatif import what_if
from models.labels import DEFAULT_LANG, Lang
from models.raci.diff import diff
from models.raci.lint import lint
from models.raci.picture import matrix_picture
from models.raci.render import (
    View,
    in_scenario_order,
    lint_report_csv,
    lint_report_markdown,
    solve_result_markdown,
    solve_results_csv,
)
from models.raci.solve import budget_notes, solve_all
from models.raci.types import VARIANTS, LintOptions, Scenario, SolveOptions, SolveResult, Variant
from models.raci.workbook import solve_workbook

from .schemas import PICTURES, XLSX, SolveResponse

CSV = "text/csv"
MARKDOWN = "text/markdown"
JSON = "application/json"

_json = msgspec.json.Encoder()
_progress = threading.local()  # .path: the progress file of the job this thread runs
T = TypeVar("T")


def reporting(
    path: str, fn: Callable[..., T], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> T:
    """``fn(*args, **kwargs)``, its :func:`report` calls written to the file at ``path``."""
    _progress.path = path
    try:
        return fn(*args, **kwargs)
    finally:
        _progress.path = None


def report(share: float) -> None:
    """The share (0 to 1) of the running work done, for its job's progress."""
    path = getattr(_progress, "path", None)
    if path is not None:
        partial = f"{path}.part"
        Path(partial).write_text(f"{share:.4f}")
        os.replace(partial, path)  # a reader sees the old figure or the new one, never half


def read_progress(path: str) -> float | None:
    """The share :func:`report` last wrote to ``path``; None before the first."""
    try:
        return float(Path(path).read_text())
    except (OSError, ValueError):
        return None


def solve_variants(
    scenario: Scenario,
    variants: tuple[Variant, ...],
    options: SolveOptions,
    deadline: float | None = None,
    progress: Callable[[float], None] = report,
) -> tuple[SolveResult, ...]:
    """Every model asked for, within one budget; rows and columns in the order a person reads
    them (:func:`~models.raci.render.in_scenario_order`), the same for the command line and
    every format of the API."""
    results = solve_all(scenario, variants, options, deadline, progress)
    return tuple(in_scenario_order(result, scenario) for result in results)


def solve_body(
    scenario: Scenario,
    variants: tuple[Variant, ...],
    options: SolveOptions,
    media_type: str,
    lang: Lang = DEFAULT_LANG,
    *,
    deadline: float,
) -> bytes:
    """Every model asked for, within one budget, in one job (so "all" takes one pool slot);
    CSV, Markdown, the workbook and the heatmap (of the first model: the controller asks for
    one) with the scenario's names, labelled in ``lang``."""
    results = solve_variants(scenario, variants, options, deadline)
    view = View.of(scenario, lang)
    if media_type in PICTURES:
        return matrix_picture(results[0], PICTURES[media_type], view)
    if media_type == XLSX:
        return solve_workbook(results, scenario, view)
    if media_type == CSV:
        return solve_results_csv(results, view).encode()
    if media_type == MARKDOWN:
        return "\n".join(solve_result_markdown(result, view) for result in results).encode()
    return _json.encode(
        SolveResponse(
            scenario=scenario.id,
            results=results,
            budget=budget_notes(results),
            machine_dependent=tuple(r.variant for r in results if budget_notes((r,))),
        )
    )


def lint_body(
    matrix: Matrix,
    scenario: Scenario | None,
    options: LintOptions,
    media_type: str,
    lang: Lang = DEFAULT_LANG,
) -> bytes:
    report = lint(matrix, scenario, options)
    view = View.of(scenario, lang)
    if media_type == CSV:
        return lint_report_csv(report, view).encode()
    if media_type == MARKDOWN:
        return lint_report_markdown(report, view).encode()
    return _json.encode(report)


def diff_body(scenario: Scenario, variant: Variant, current: Matrix, proposed: Matrix) -> bytes:
    return _json.encode(diff(scenario, variant, current, proposed))


Picture = Literal["trajectory", "network"]


def simulate_body(
    discussion: Discussion,
    max_cells: int,
    media_type: str = JSON,
    lang: Lang = DEFAULT_LANG,
    picture: Picture = "trajectory",
    *,
    deadline: float,
) -> bytes:
    """The simulation as JSON, or as a picture: the trajectories or who sways whom."""
    result = simulate(discussion, deadline, max_cells)
    if media_type in PICTURES:
        draw = trajectory_picture if picture == "trajectory" else network_picture
        return draw(discussion, result, PICTURES[media_type], lang)
    return _json.encode(result)


def monte_carlo_body(
    discussion: Discussion, options: MonteCarloOptions, *, deadline: float
) -> bytes:
    return _json.encode(monte_carlo(discussion, options, deadline, report))


def intervention_body(
    discussion: Discussion, options: InterventionOptions, *, deadline: float
) -> bytes:
    return _json.encode(intervene(discussion, options, deadline))


def what_if_body(
    scenario: Scenario,
    edits: tuple[Edit, ...],
    variants: tuple[Variant, ...],
    options: SolveOptions,
    discussion: Discussion | None,
    *,
    deadline: float,
) -> bytes:
    return _json.encode(what_if(scenario, edits, variants, options, discussion, deadline=deadline))


def recommend_variants(
    scenario: Scenario,
    options: SolveOptions,
    discussion: Discussion | None,
    depth: StabilityDepth = "winner",
    *,
    deadline: float | None = None,
) -> Recommendation:
    """Every governance model solved, the discussion voted on per model, the models ranked,
    the staged path to the recommended one, and its stability to ``depth``: one job
    (:func:`recommend_results`, without the solve results)."""
    return recommend_results(scenario, options, discussion, deadline, depth)[0]


def recommend_results(
    scenario: Scenario,
    options: SolveOptions,
    discussion: Discussion | None,
    deadline: float | None = None,
    depth: StabilityDepth = "winner",
) -> tuple[Recommendation, tuple[SolveResult, ...]]:
    """The recommendation of :func:`recommend_variants` and every model's solve result.

    Within ``deadline`` (a ``time.monotonic()``; ``options.time_limit`` from now when None):
    the solves share six tenths of the budget, the votes have what they leave up to the last
    fifth, and the stability check the rest (at most :data:`SECONDS`). Progress: the solves
    are the first 60 %, the votes the next 20 %."""
    now = time.monotonic()
    if deadline is None:
        deadline = now + options.time_limit
    results = solve_variants(
        scenario, VARIANTS, options, now + 0.6 * (deadline - now), lambda share: report(0.6 * share)
    )
    ranked = recommend(scenario, results, discussion, deadline=deadline - 0.2 * (deadline - now))
    ranked = msgspec.structs.replace(ranked, path=staged_path(scenario, results, ranked))
    report(0.8)
    if depth == "none":
        return ranked, results
    left = min(SECONDS, deadline - time.monotonic())
    checked = stability(scenario, results, ranked, options, depth == "cells", max(left, 0.0))
    return msgspec.structs.replace(ranked, stability=checked), results


def deck_body(
    recommendation: Recommendation,
    scenario: Scenario | None,
    discussion: Discussion | None,
    options: SolveOptions,
    deadline: float,
    lang: Lang = DEFAULT_LANG,
    results: tuple[SolveResult, ...] | None = None,
) -> bytes:
    """The recommendation's slide deck: every model solved again from the stored request
    (the same matrices: the solve is deterministic) unless ``results`` are given, the
    discussion simulated and its briefing planned on the recommended model's issue
    (:func:`~models.governance.deck.on_issue`), all within ``deadline``; without the
    scenario, the matrices the recommendation holds."""
    if results is None:
        results = () if scenario is None else solve_variants(scenario, VARIANTS, options, deadline)
    simulation = plan = None
    if discussion is not None:
        discussion = on_issue(discussion, recommendation.recommended)
        simulation = simulate(discussion, deadline)
        if discussion.proposal is not None:
            plan = intervene(discussion, discussion.intervention, deadline)
    view = View.of(scenario, lang)
    return recommendation_deck(
        recommendation, scenario, view, results, discussion, simulation, plan
    )
