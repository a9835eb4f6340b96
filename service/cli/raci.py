"""RACI subcommands: ``scenarios``, ``solve``, ``lint``, ``diff`` and ``generate``.

``solve`` writes a terminal table, Markdown, CSV (Excel's dialect), JSON, an Excel workbook
(``--format xlsx --output FILE``) or each model's heatmap (``--format svg|png|pdf --output
FILE``, one file per model), with the scenario's names and, with ``--lang de``, German
labels; ``lint`` reads JSON, CSV or a workbook, of several models the one of ``--variant``.

Exit codes: 0 success; 1 the command ran but the answer is bad news (``solve``: some variant
is infeasible or errored, or no variant has a matrix — a variant the organisation cannot run,
``not-applicable``, is bad news only when no other variant solved; ``lint``: the matrix has
error findings; ``diff``: the proposal brings error findings); 2 bad input (raised as
:class:`~models.errors.InvalidInput` or :class:`OSError` and reported by ``service.cli.main``).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from models.core import Matrix, problem_of
from models.errors import InvalidInput, Problem
from models.labels import DEFAULT_LANG, LANGS
from models.messages import current
from models.raci.codec import MatrixFormat, decode_matrix, decode_scenario
from models.raci.diff import diff
from models.raci.generate import generate
from models.raci.lint import lint
from models.raci.picture import matrix_picture
from models.raci.render import (
    View,
    diagnosis_lines,
    diff_table,
    in_scenario_order,
    lint_report_csv,
    lint_report_markdown,
    lint_report_table,
    solve_result_markdown,
    solve_result_table,
    solve_results_csv,
    text_table,
)
from models.raci.solve import budget_notes, solve
from models.raci.types import VARIANTS, LintReport, Scenario, SolveOptions, SolveResult
from models.raci.workbook import solve_workbook
from service.catalogue import Catalogue
from service.library import load_builtin, resolve
from service.schemas import SolveResponse

from .discussion import builtin_discussions
from .files import PICTURE_SUFFIXES, writable, write_output

FORMATS = ("table", "markdown", "csv", "json")
MATRIX_SUFFIXES: dict[str, MatrixFormat] = {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}
EXIT_BAD_NEWS = 1
MAX_GENERATED_ROLES = 1_000
MAX_GENERATED_ACTIVITIES = 10_000


def builtin_scenarios() -> dict[str, Scenario]:
    """The built-in RACI scenarios by id."""
    return load_builtin("raci", decode_scenario)


def load_scenario(reference: str) -> Scenario:
    """A scenario from a file path or a built-in id (see :func:`service.library.resolve`)."""
    return resolve(reference, builtin_scenarios(), decode_scenario, "scenario")


def load_matrix(path: str, variant: str | None = None) -> Matrix:
    """A matrix file: ``.json``, ``.csv`` or ``.xlsx`` by suffix, else JSON if it starts with
    ``{``, a workbook if it is a zip archive, else CSV; of a file with several governance
    models (a ``variant`` column, one sheet per model), the one of ``variant``."""
    data = Path(path).read_bytes()
    fmt = MATRIX_SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        start = data.lstrip()
        fmt = "json" if start.startswith(b"{") else "xlsx" if start.startswith(b"PK") else "csv"
    try:
        return decode_matrix(data, fmt, variant)
    except InvalidInput as exc:
        raise exc.within(f"{path}#") from exc


def _discussion_rows() -> list[list[str]]:
    return [
        ["discussion", key, str(len(d.stakeholders)), str(len(d.issues)), d.name]
        for key, d in builtin_discussions().items()
    ]


def run_scenarios(args: argparse.Namespace) -> int:
    if args.format == "json":  # the API's GET /v1/scenarios
        sys.stdout.write(Catalogue.load().listing["all"].decode() + "\n")
        return 0
    rows = [
        ["raci", key, str(len(s.roles)), str(len(s.activities)), s.profile.name]
        for key, s in builtin_scenarios().items()
    ]
    header = ("kind", "id", "roles/stakeholders", "activities/issues", "name")
    sys.stdout.write(text_table(header, rows + _discussion_rows()))
    return 0


def _encode_json(value: Any) -> str:
    return msgspec.json.encode(value).decode() + "\n"


def terminal_width(requested: int | None) -> int | None:
    """The width a table must fit: ``--width`` (0: no limit), else, writing to a terminal,
    its width (``COLUMNS`` when set), else — a file or a pipe — no limit."""
    if requested is not None:
        return requested or None
    return shutil.get_terminal_size().columns if sys.stdout.isatty() else None


def render_results(
    results: list[SolveResult], fmt: str, view: View, width: int | None = None
) -> str:
    """Tables (within ``width``) and Markdown one after another; CSV with a ``variant``
    column; JSON the API's answer, ``{"scenario", "results": [...], "budget": [...]}``, for one
    model as for all."""
    if fmt == "csv":
        return solve_results_csv(results, view)
    if fmt == "json":
        scenario = results[0].scenario
        return _encode_json(
            SolveResponse(
                scenario=scenario, results=tuple(results), budget=budget_notes(tuple(results))
            )
        )
    if fmt == "markdown":
        return "\n".join(solve_result_markdown(result, view) for result in results)
    return "\n".join(solve_result_table(result, view, width) for result in results)


def _report_status(result: SolveResult) -> None:
    print(
        f"gremium: {result.scenario} · {result.variant} · {result.status}: {result.message}",
        file=sys.stderr,
    )
    if result.diagnosis is not None:
        for line in diagnosis_lines(result.diagnosis, View(lang=current())):
            print(f"  {line}", file=sys.stderr)


FILE_FORMATS = ("xlsx", *(fmt for fmt in PICTURE_SUFFIXES.values()))


def picture_paths(output: str, results: list[SolveResult]) -> list[tuple[str, SolveResult]]:
    """Where each model's picture goes: ``output`` for one model, else the model's id before
    the suffix (``matrix.png`` -> ``matrix-central.png``, ``matrix-hub-and-spoke.png`` …)."""
    if len(results) == 1:
        return [(output, results[0])]
    path = Path(output)
    return [(str(path.with_stem(f"{path.stem}-{r.variant}")), r) for r in results]


def run_solve(args: argparse.Namespace) -> int:
    if args.format in FILE_FORMATS and not args.output:
        raise InvalidInput.single(
            "--output", f"--format {args.format} writes a file: --output FILE.{args.format}"
        )
    if args.output:
        writable(args.output, "--output")
    scenario = load_scenario(args.scenario)
    try:
        # convert, unlike the constructor, checks the bounds declared on SolveOptions
        options = msgspec.convert(
            {
                "solver": args.solver,
                "time_limit": args.time_limit,
                "explain": args.format in ("json", "xlsx"),
            },
            SolveOptions,
        )
    except msgspec.ValidationError as exc:
        raise InvalidInput.single("--time-limit", problem_of(exc).message) from exc
    variants = VARIANTS if args.variant == "all" else (args.variant,)
    results = [in_scenario_order(solve(scenario, v, options), scenario) for v in variants]
    view = View.of(scenario, args.lang)
    if args.format in PICTURE_SUFFIXES.values():
        for path, result in picture_paths(args.output, results):
            what = f"the {result.variant} matrix of {scenario.id} as {args.format.upper()}"
            write_output(matrix_picture(result, args.format, view), path, what)
    else:
        content = (
            solve_workbook(results, scenario, view)
            if args.format == "xlsx"
            else render_results(results, args.format, view, terminal_width(args.width))
        )
        what = f"{len(results)} governance model(s) of {scenario.id}"
        write_output(content, args.output, what)
    if args.format in ("csv", *FILE_FORMATS):  # the status is in the file, but say it here too
        for result in (r for r in results if r.status != "optimal"):
            _report_status(result)
    return EXIT_BAD_NEWS if bad_news(results) else 0


def bad_news(results: list[SolveResult]) -> bool:
    """A variant infeasible or errored, or none with a matrix (every one not applicable)."""
    failed = any(r.status in ("infeasible", "error") for r in results)
    return failed or not any(r.status in ("optimal", "feasible") for r in results)


LINT_RENDERERS: dict[str, Callable[[LintReport, View], str]] = {
    "table": lint_report_table,
    "markdown": lint_report_markdown,
    "csv": lint_report_csv,
    "json": lambda report, view: _encode_json(report),
}


def run_lint(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario) if args.scenario else None
    matrix = load_matrix(args.matrix, args.variant)
    try:
        report = lint(matrix, scenario)
    except InvalidInput as exc:
        raise exc.within(f"{args.matrix}#") from exc
    view = View.of(scenario, args.lang)
    if args.format == "table":
        sys.stdout.write(lint_report_table(report, view, terminal_width(args.width)))
    else:
        sys.stdout.write(LINT_RENDERERS[args.format](report, view))
    return EXIT_BAD_NEWS if report.errors else 0


def run_diff(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    current = load_matrix(args.current, args.variant)
    proposed = load_matrix(args.proposed, args.variant)
    answer = diff(scenario, args.variant, current, proposed)
    if args.format == "json":
        sys.stdout.write(_encode_json(answer))
    else:
        sys.stdout.write(diff_table(answer, View.of(scenario, args.lang)))
    return EXIT_BAD_NEWS if any(f.severity == "error" for f in answer.findings_appear) else 0


def run_generate(args: argparse.Namespace) -> int:
    bounds = (
        ("--roles", args.roles, 1, MAX_GENERATED_ROLES),
        ("--activities", args.activities, 1, MAX_GENERATED_ACTIVITIES),
        ("--seed", args.seed, 0, 2**63 - 1),
    )
    problems = [
        Problem(flag, f"must be between {low} and {high}, got {value}")
        for flag, value, low, high in bounds
        if not low <= value <= high
    ]
    if problems:
        raise InvalidInput(problems)
    scenario = generate(args.roles, args.activities, args.seed)
    # JSON: the inline scenario a request to the API takes
    data = (
        msgspec.yaml.encode(scenario) if args.format == "yaml" else _encode_json(scenario).encode()
    )
    if args.output:
        Path(args.output).write_bytes(data)
        print(
            f"wrote {args.output}: {len(scenario.roles)} roles, "
            f"{len(scenario.activities)} activities",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(data.decode())
    return 0


def add_width(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--width",
        type=int,
        metavar="COLUMNS",
        help="fit tables into this many characters; 0: no limit (default: the terminal's "
        "width, no limit when writing to a file or a pipe)",
    )


def add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=DEFAULT_LANG,
        help="labels and sentences in English or German; German CSV is ';'-separated",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``scenarios``, ``solve``, ``lint`` and ``generate`` to the ``gremium`` parser."""
    parser = subparsers.add_parser("scenarios", help="list the built-in scenarios")
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help='json: the API\'s list, {"scenarios": [{id, kind, name, description}]}',
    )
    parser.set_defaults(run=run_scenarios)

    parser = subparsers.add_parser(
        "solve",
        help="propose a RACI matrix per governance model",
        description="Solve a scenario for one governance model or all of them. "
        "Exit code 1 when a variant is infeasible or the solver failed, or when no variant "
        "has a matrix (a variant the organisation cannot run alone is not bad news).",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="built-in id or .yaml/.json file")
    parser.add_argument(
        "--variant", choices=[*VARIANTS, "all"], default="all", help="the governance model(s)"
    )
    parser.add_argument(
        "--format",
        choices=(*FORMATS, *FILE_FORMATS),
        default="table",
        help="table fits the terminal's width; json is the API's answer ({scenario, results: "
        "[one per model], budget}); xlsx: an Excel workbook; svg, png, pdf: the matrix as a "
        "heatmap, one file per model (FILE-<model>.png with several); each file format needs "
        "--output",
    )
    parser.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=10.0,
        metavar="S",
        help="seconds for everything the command solves",
    )
    parser.add_argument("--solver", choices=("highs", "cbc"), default="highs", help="MILP solver")
    add_width(parser)
    add_lang(parser)
    parser.set_defaults(run=run_solve)

    parser = subparsers.add_parser(
        "lint",
        help="lint a RACI matrix (JSON, CSV or an Excel workbook)",
        description="Lint a matrix, optionally against its scenario. "
        "Exit code 1 when there are error findings.",
    )
    parser.add_argument(
        "matrix", metavar="MATRIX_FILE", help=".json, .csv or .xlsx, roles as columns"
    )
    parser.add_argument("--scenario", metavar="S", help="built-in id or .yaml/.json file")
    parser.add_argument(
        "--variant",
        choices=VARIANTS,
        help="the model to lint of a file with several (solve's CSV or workbook)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="json: the API's lint report"
    )
    add_width(parser)
    add_lang(parser)
    parser.set_defaults(run=run_lint)

    parser = subparsers.add_parser(
        "diff",
        help="compare a current RACI matrix with a proposal",
        description="The cells that change, each objective term before and after, and the lint "
        "findings that appear or disappear, under one governance model (as POST /v1/raci/diff). "
        "Exit code 1 when the proposal brings error findings.",
    )
    parser.add_argument("current", metavar="CURRENT", help=".json, .csv or .xlsx matrix")
    parser.add_argument("proposed", metavar="PROPOSED", help=".json, .csv or .xlsx matrix")
    parser.add_argument(
        "--scenario", required=True, metavar="S", help="built-in id or .yaml/.json file"
    )
    parser.add_argument(
        "--variant",
        required=True,
        choices=VARIANTS,
        help="the governance model to measure both under; of a file with several models "
        "(solve's CSV or workbook), the one to read",
    )
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="json: the API's answer"
    )
    add_lang(parser)
    parser.set_defaults(run=run_diff)

    parser = subparsers.add_parser("generate", help="write a synthetic scenario as YAML (or JSON)")
    parser.add_argument("--roles", type=int, required=True, metavar="N", help="how many roles")
    parser.add_argument(
        "--activities", type=int, required=True, metavar="M", help="how many activities"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="K", help="random seed")
    parser.add_argument(
        "--format",
        choices=("yaml", "json"),
        default="yaml",
        help="json: the scenario as a request to the API takes it inline",
    )
    parser.add_argument("--output", metavar="FILE", help="default: standard output")
    parser.set_defaults(run=run_generate)
