"""``gremium export``: an answer saved as JSON, written again in another of the API's formats,
without solving anything again.

The file is what the API or ``--format json`` wrote: a solve (``{"scenario", "results",
…}``, as ``POST /v1/raci/solve`` answers) becomes a table, Markdown, CSV or a workbook; a
stored recommendation (``{"id", "recommendation"}``, as ``GET /v1/recommendations/{id}``
answers) becomes the portal's HTML fragment, a workbook or a table. The scenario's names come
from ``--scenario``, else from the built-in the answer names (ids when it is none), the
labels from ``--lang``.

Exit codes: 0 written; 2 bad input (a file that is neither, a format the answer does not
have), reported by ``service.cli.main``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import msgspec

from models.core import problem_of
from models.errors import InvalidInput
from models.governance.render import recommendation_html
from models.governance.workbook import recommendation_workbook
from models.raci.catalogue import complete
from models.raci.render import View
from models.raci.types import Scenario
from models.raci.workbook import solve_workbook
from service.schemas import SolveResponse, StoredRecommendation

from .files import write_output
from .governance import recommendation_text
from .raci import (
    add_lang,
    add_width,
    builtin_scenarios,
    load_scenario,
    render_results,
    terminal_width,
)

SOLVE_FORMATS = ("table", "markdown", "csv", "json", "xlsx")
RECOMMENDATION_FORMATS = ("table", "json", "html", "xlsx")


def _answer(path: str) -> SolveResponse | StoredRecommendation:
    data = Path(path).read_bytes()
    try:
        raw = msgspec.json.decode(data)
    except msgspec.DecodeError as exc:
        raise InvalidInput.single(f"{path}#", f"not JSON: {exc}") from exc
    kind: type[SolveResponse] | type[StoredRecommendation]
    if isinstance(raw, dict) and "results" in raw:
        kind = SolveResponse
    elif isinstance(raw, dict) and "recommendation" in raw:
        kind = StoredRecommendation
    else:
        raise InvalidInput.single(
            f"{path}#",
            'neither a solve ({"scenario", "results", ...}) nor a stored recommendation '
            '({"id", "recommendation"}): export what --format json or the API wrote',
        )
    try:
        return msgspec.convert(raw, kind)
    except msgspec.ValidationError as exc:
        raise InvalidInput([problem_of(exc)]).within(f"{path}#") from exc


def _scenario(reference: str | None, named: str) -> Scenario | None:
    """The scenario that gives the names: ``--scenario``, else the built-in the answer names."""
    if reference is not None:
        return complete(load_scenario(reference))
    builtin = builtin_scenarios().get(named)
    return None if builtin is None else complete(builtin)


def run_export(args: argparse.Namespace) -> int:
    if args.format == "xlsx" and not args.output:
        raise InvalidInput.single("--output", "a workbook needs a file: --output FILE.xlsx")
    answer = _answer(args.file)
    content: str | bytes
    if isinstance(answer, SolveResponse):
        if args.format not in SOLVE_FORMATS:
            raise InvalidInput.single("--format", f"a solve exports as {', '.join(SOLVE_FORMATS)}")
        if not answer.results:
            raise InvalidInput.single(f"{args.file}#/results", "no results to export")
        scenario = _scenario(args.scenario, answer.scenario)
        view = View.of(scenario, args.lang)
        results = list(answer.results)
        if args.format == "xlsx":
            content = solve_workbook(results, scenario, view)
        else:
            content = render_results(results, args.format, view, terminal_width(args.width))
        what = f"{len(results)} governance model(s) of {answer.scenario}"
    else:
        if args.format not in RECOMMENDATION_FORMATS:
            formats = ", ".join(RECOMMENDATION_FORMATS)
            raise InvalidInput.single("--format", f"a recommendation exports as {formats}")
        recommendation = answer.recommendation
        scenario = _scenario(args.scenario, recommendation.scenario)
        view = View.of(scenario, args.lang)
        if args.format == "json":
            content = msgspec.json.encode(answer).decode() + "\n"
        elif args.format == "html":
            content = recommendation_html(recommendation, answer.id, view, args.heading) + "\n"
        elif args.format == "xlsx":
            content = recommendation_workbook(recommendation, scenario, view)
        else:
            content = recommendation_text(recommendation)
        what = f"the recommendation {answer.id} for {recommendation.scenario}"
    write_output(content, args.output, what)
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export``."""
    parser = subparsers.add_parser(
        "export",
        help="write a saved JSON answer (a solve, a recommendation) in another format",
        description="Write an answer saved as JSON — by --format json or by the API — again "
        "as a table, Markdown, CSV or a workbook (a solve), or as the HTML fragment, a "
        "workbook or a table (a stored recommendation), without solving again.",
    )
    parser.add_argument("file", metavar="FILE", help="the JSON answer")
    parser.add_argument(
        "--format",
        choices=sorted({*SOLVE_FORMATS, *RECOMMENDATION_FORMATS}),
        default="table",
        help="a solve: table, markdown, csv, json, xlsx; a recommendation: table, json, "
        "html, xlsx (xlsx needs --output)",
    )
    parser.add_argument(
        "--scenario",
        metavar="S",
        help="built-in id or .yaml/.json file whose names to use (default: the built-in the "
        "answer names, else ids)",
    )
    parser.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
    parser.add_argument(
        "--heading", type=int, default=2, choices=range(1, 7), metavar="1-6",
        help="the HTML fragment's heading level",
    )  # fmt: skip
    add_width(parser)
    add_lang(parser)
    parser.set_defaults(run=run_export)
