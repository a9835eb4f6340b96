"""Governance subcommands: ``recommend`` (rank the models) and ``what-if`` (edit and compare).

``recommend`` writes a table, JSON (the API's ``{"id", "recommendation"}``, with the id the
service would give the same request), the HTML fragment (``--heading`` for its level), an
Excel workbook (``--format xlsx --output FILE``) or a slide deck (``--format pptx --output
FILE``), and with ``--plot FILE`` the picture of the scores and where the winner holds; all
but the table and JSON use the scenario's names and, with ``--lang de``, German labels.
``what-if --format json`` is the API's answer too.

Exit codes: 0 success; 1 ``recommend`` found no model with a matrix; 2 bad input (reported by
``service.cli.main``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import msgspec

from models.core import problem_of
from models.errors import InvalidInput
from models.governance.picture import recommendation_picture
from models.governance.render import recommendation_html
from models.governance.types import (
    Edit,
    Lead,
    Recommendation,
    RemoveRole,
    SetCapacity,
    StayClose,
    WhatIf,
)
from models.governance.whatif import what_if
from models.governance.workbook import recommendation_workbook
from models.labels import label
from models.messages import current, model, number, say
from models.raci.catalogue import complete
from models.raci.render import View, text_table
from models.raci.types import VARIANTS, SolveOptions
from service.jobs import deck_body, recommend_results
from service.schemas import StoredRecommendation
from service.store import content_id

from .discussion import load_discussion
from .files import picture_format, writable, write_output
from .raci import EXIT_BAD_NEWS, add_lang, load_matrix, load_scenario


def _number(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else number(value, f".{digits}f")


def _status(status: str) -> str:
    return label(f"status.{status}", current())


def recommendation_text(recommendation: Recommendation) -> str:
    """The ranking as a terminal table, then the summary, trade-offs and stability, in the
    current language (:mod:`models.messages`)."""
    rows = [
        [
            str(e.rank),
            model(e.variant),
            _status(e.status),
            say(f"cli.fit.{e.fit}") if e.fit else "–",
            _number(None if e.score is None else e.score.total),
            ", ".join(map(model, e.dominated_by)) or "–",
        ]
        for e in recommendation.ranking
    ]
    keys = ("rank", "model", "status", "fit", "score", "dominated-by")
    lines = [
        text_table(tuple(say(f"cli.{key}") for key in keys), rows).rstrip(),
        "",
        recommendation.summary,
        *(f"- {sentence}" for sentence in recommendation.trade_offs),
    ]
    if recommendation.stability is not None:
        lines += ["", say("cli.stability", summary=recommendation.stability.summary)]
    if recommendation.path is not None:
        lines += ["", say("cli.path", summary=recommendation.path.summary)]
        lines += [
            say("cli.stage", variant=model(stage.variant), moved=stage.moved, trigger=stage.trigger)
            for stage in recommendation.path.stages
        ]
    lines += ["", *(f"{e.rank}. {model(e.variant)}: {e.reason}" for e in recommendation.ranking)]
    return "\n".join(lines) + "\n"


def run_recommend(args: argparse.Namespace) -> int:
    if args.format in ("xlsx", "pptx") and not args.output:
        raise InvalidInput.single(
            "--output", f"--format {args.format} writes a file: --output FILE.{args.format}"
        )
    if args.output:
        writable(args.output, "--output")
    plot = None if args.plot is None else picture_format(args.plot, "--plot")
    scenario = complete(load_scenario(args.scenario))
    discussion = None if args.discussion is None else load_discussion(args.discussion)
    options = SolveOptions(time_limit=args.time_limit, explain=False)
    recommendation, results = recommend_results(scenario, options, discussion, depth=args.stability)
    view = View.of(scenario, args.lang)
    content: str | bytes
    # the id the service gives the same request (POST /v1/recommendations)
    key = content_id(
        {
            "scenario": scenario,
            "discussion": discussion,
            "options": options,
            "stability": args.stability,
        }
    )
    if args.format == "json":
        stored = StoredRecommendation(id=key, recommendation=recommendation)
        content = msgspec.json.encode(stored).decode() + "\n"
    elif args.format == "html":
        content = recommendation_html(recommendation, key, view, args.heading) + "\n"
    elif args.format == "xlsx":
        content = recommendation_workbook(recommendation, scenario, view)
    elif args.format == "pptx":
        deadline = time.monotonic() + args.time_limit
        content = deck_body(
            recommendation, scenario, discussion, options, deadline, args.lang, results
        )
    else:
        content = recommendation_text(recommendation)
    write_output(content, args.output, f"the recommendation for {scenario.id}")
    if plot is not None:
        picture = recommendation_picture(recommendation, plot, view)
        write_output(picture, args.plot, "the scores per model and where the winner holds")
    return 0 if recommendation.recommended is not None else EXIT_BAD_NEWS


def _pairs(values: list[str], flag: str) -> list[tuple[str, float]]:
    pairs = []
    for value in values:
        key, _, number = value.partition("=")
        try:
            pairs.append((key, float(number)))
        except ValueError:
            raise InvalidInput.single(flag, f"{value!r}: expected NAME=NUMBER") from None
    return pairs


def _edits(raw: object, where: str) -> list[Edit]:
    """Edits checked as the API checks them; a problem points into ``where``."""
    try:
        return msgspec.convert(raw, list[Edit])
    except msgspec.ValidationError as exc:
        raise InvalidInput([problem_of(exc)]).within(where) from exc


def edits_of(args: argparse.Namespace) -> list[Edit]:
    """The edits of ``--edits FILE`` (a JSON or YAML list), then those the flags ask for."""
    raw: list[object] = []
    if args.edits is not None:
        data = Path(args.edits).read_bytes()
        try:
            loaded = msgspec.yaml.decode(data)  # YAML reads JSON too
        except msgspec.DecodeError as exc:
            raise InvalidInput.single(f"{args.edits}#", str(exc)) from exc
        raw += loaded if isinstance(loaded, list) else [loaded]
    edits = _edits(raw, f"{args.edits}#")
    weights = [
        {"kind": "weight", "term": t, "value": v} for t, v in _pairs(args.weight, "--weight")
    ]
    edits += _edits(weights, "--weight")
    edits += [SetCapacity(role=r, value=v) for r, v in _pairs(args.capacity, "--capacity")]
    edits += [RemoveRole(role=role) for role in args.remove_role]
    if args.lead is not None:
        edits.append(Lead(role=None if args.lead == "none" else args.lead))
    if args.current is not None:
        edits.append(StayClose(matrix=load_matrix(args.current), weight=args.change_weight))
    return edits


def what_if_text(answer: WhatIf) -> str:
    """Per model: status, total and score before -> after, and the cells that flip."""
    lines = [answer.summary, ""]
    for change in answer.models:
        total = [
            _number(None if o is None else o.total)
            for o in (change.objective_before, change.objective_after)
        ]
        score = [
            _number(None if s is None else s.total)
            for s in (change.score_before, change.score_after)
        ]
        lines.append(
            say(
                "cli.whatif",
                variant=model(change.variant),
                before=_status(change.status_before),
                after=_status(change.status_after),
                total_before=total[0],
                total_after=total[1],
                score_before=score[0],
                score_after=score[1],
                flips=len(change.flips),
            )
        )
        rows = [[f.row, f.role, f.before or "·", f.after or "·"] for f in change.flips]
        if rows:
            heads = tuple(say(f"cli.{key}") for key in ("row", "role", "before", "after"))
            lines.append(text_table(heads, rows).rstrip())
        lines.append("")
    return "\n".join(lines)


def run_what_if(args: argparse.Namespace) -> int:
    scenario = complete(load_scenario(args.scenario))
    discussion = None if args.discussion is None else load_discussion(args.discussion)
    variants = VARIANTS if args.variant == "all" else (args.variant,)
    options = SolveOptions(time_limit=args.time_limit, explain=False)
    answer = what_if(scenario, edits_of(args), variants, options, discussion)
    if args.format == "json":
        sys.stdout.write(msgspec.json.encode(answer).decode() + "\n")
    else:
        sys.stdout.write(what_if_text(answer))
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``recommend`` and ``what-if``."""
    parser = subparsers.add_parser(
        "recommend",
        help="rank the governance models for a scenario, with fit, scores and stability",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="built-in id or .yaml/.json file")
    parser.add_argument("--discussion", metavar="D", help="built-in id or file: vote per model")
    parser.add_argument(
        "--stability", choices=("none", "winner", "cells"), default="winner",
        help="how far to check the recommendation's stability",
    )  # fmt: skip
    parser.add_argument(
        "--format",
        choices=("table", "json", "html", "xlsx", "pptx"),
        default="table",
        help="json: the API's answer ({id, recommendation}); html: the portal's fragment; "
        "xlsx: an Excel workbook; pptx: a 16:9 slide deck (every model's matrix, the "
        "discussion and the briefing plan); each file format needs --output",
    )
    parser.add_argument(
        "--heading", type=int, default=2, choices=range(1, 7), metavar="1-6",
        help="the HTML fragment's heading level",
    )  # fmt: skip
    parser.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="also draw the score per model and where the winner holds (.svg, .png or .pdf)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=10.0, metavar="S", help="seconds per solve"
    )
    add_lang(parser)
    parser.set_defaults(run=run_recommend)

    parser = subparsers.add_parser(
        "what-if",
        help="edit a scenario and see which cells flip and whether the recommendation changes",
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="built-in id or .yaml/.json file")
    parser.add_argument(
        "--variant", choices=[*VARIANTS, "all"], default="all", help="the governance model(s)"
    )
    parser.add_argument("--edits", metavar="FILE", help="a JSON or YAML list of edits")
    parser.add_argument(
        "--weight", action="append", default=[], metavar="TERM=VALUE", help="set a weight"
    )
    parser.add_argument(
        "--capacity",
        action="append",
        default=[],
        metavar="ROLE=DAYS",
        help="set a role's capacity in person-days per month",
    )
    parser.add_argument(
        "--remove-role", action="append", default=[], metavar="ROLE", help="remove a role"
    )
    parser.add_argument("--lead", metavar="ROLE", help="who leads ('none': the catalogue's hub)")
    parser.add_argument("--current", metavar="MATRIX", help="stay close to this matrix")
    parser.add_argument(
        "--change-weight",
        type=float,
        default=1.0,
        metavar="W",
        help="objective points per cell that differs from --current",
    )
    parser.add_argument("--discussion", metavar="D", help="for the recommendation before/after")
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="json: the API's answer"
    )
    parser.add_argument(
        "--time-limit", type=float, default=10.0, metavar="S", help="seconds per solve"
    )
    add_lang(parser)
    parser.set_defaults(run=run_what_if)
