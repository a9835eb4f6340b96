"""A recommendation as an Excel workbook: its summary (trade-offs, stability, the staged
path), the ranking with the score's parts, the recommended matrix, its lint findings, the
discussion's result per model and the stages of the path.

Each sheet is a function of the :class:`~models.raci.workbook.Book`, the recommendation and
its scenario (:data:`SHEETS`, in order): a new part of the recommendation is one more
function in the list. The recommended model's sheet is laid out like a solve workbook's
(:meth:`~models.raci.workbook.Book.matrix`: letters colour-coded, a legend, names and the id
header row), so :func:`models.raci.codec.decode_matrix` reads it back.
"""

from __future__ import annotations

from collections.abc import Callable

from models.raci.lint import lint
from models.raci.render import View, finding_header, finding_rows, role_order
from models.raci.types import Scenario
from models.raci.workbook import Book, Cell

from .render import PARTS, fit_label, ranking_header
from .types import Recommendation

Sheet = Callable[[Book, Recommendation, Scenario | None], None]


def ranking_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """Every model, best first: its fit to the profile, its score and the score's six parts,
    the models that dominate it, and why; the summary and the ranking rule below."""
    view = book.view
    rows: list[list[Cell]] = []
    for entry in recommendation.ranking:
        score = entry.score
        parts: list[Cell] = (
            [None] * (1 + len(PARTS))
            if score is None
            else [score.total, *(getattr(score, part) for part in PARTS)]
        )
        rows.append(
            [
                entry.rank,
                view.variant(entry.variant),
                view.word(f"status.{entry.status}"),
                fit_label(entry, view),
                *parts,
                ", ".join(view.variant(v) for v in entry.dominated_by) or None,
                entry.reason,
            ]
        )
    numbers = [book.number] * (1 + len(PARTS))
    sheet = book.table(
        view.word("ranking"),
        ranking_header(view),
        rows,
        formats=[None, None, None, None, *numbers, None, None],
        widths=[7, 16, 14, 12, 9, 10, 9, 11, 12, 9, 11, 18, 90],
    )
    book.lines(
        sheet,
        len(rows) + 2,
        [recommendation.summary, f"{view.word('rule')}:", recommendation.rule],
    )


def summary_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """The recommendation in one sentence, the recommended model's trade-offs, the summary of
    its stability and of the staged path to it."""
    view = book.view
    sheet = book.sheet(view.word("summary"))
    book.write(sheet, 0, 0, view.scenario or recommendation.scenario, book.title)
    row = book.lines(sheet, 1, [recommendation.summary]) + 1
    if recommendation.trade_offs:
        book.write(sheet, row, 0, view.word("trade-offs"), book.bold)
        row = book.lines(sheet, row + 1, recommendation.trade_offs) + 1
    book.write(sheet, row, 0, view.word("stability"), book.bold)
    stability = recommendation.stability
    row = (
        book.lines(
            sheet, row + 1, [view.word("not-checked") if stability is None else stability.summary]
        )
        + 1
    )
    book.write(sheet, row, 0, view.word("path"), book.bold)
    path = recommendation.path
    book.lines(sheet, row + 1, [view.word("no-path") if path is None else path.summary])
    sheet.set_column(0, 0, 120)


def path_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """The staged path: one row per stage (its model, the cells that move, what triggers the
    next step, whether the discussion accepts it); nothing without a path."""
    path = recommendation.path
    if path is None:
        return
    view = book.view
    rows: list[list[Cell]] = []
    for number, stage in enumerate(path.stages, start=1):
        acceptance = stage.acceptance
        rows.append(
            [
                number,
                view.variant(stage.variant),
                stage.moved,
                stage.trigger,
                None if acceptance is None else view.word("yes" if acceptance.passes else "no"),
                None if acceptance is None else acceptance.probability,
            ]
        )
    header = [view.word(k) for k in ("stage", "model", "moved", "trigger", "passes", "probability")]
    sheet = book.table(
        view.word("path"),
        header,
        rows,
        formats=[None, None, None, None, None, book.percent],
        widths=[7, 16, 12, 80, 12, 14],
    )
    book.lines(sheet, len(rows) + 2, [path.start, path.summary])


def matrix_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """The recommended model's matrix; nothing when no model has one."""
    if recommendation.recommended is None:
        return
    view = book.view
    model = view.variant(recommendation.recommended)
    heading = [
        f"{view.scenario or recommendation.scenario} — {model}",
        f"{view.word('recommended')}: {model}",
    ]
    roles = role_order(recommendation.matrix, view.roles)
    book.matrix(model, heading, recommendation.matrix, roles)


def lint_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """The lint findings of the recommended matrix (against the scenario when known)."""
    if recommendation.recommended is None:
        return
    view = book.view
    findings = lint(recommendation.matrix, scenario).findings
    book.table(view.word("lint"), finding_header(view), finding_rows(findings, view))


def discussion_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """The discussion's result as the ranking uses it, per model (``criteria.acceptance``):
    whether it passes, by what margin, how likely, the 95 % interval, the vetoes."""
    view = book.view
    if recommendation.discussion is None:
        sheet = book.sheet(view.word("discussion"))
        book.lines(sheet, 0, [view.word("no-discussion")])
        return
    rows: list[list[Cell]] = []
    for entry in recommendation.ranking:
        acceptance = None if entry.criteria is None else entry.criteria.acceptance
        if acceptance is None:
            rows.append([view.variant(entry.variant)])
            continue
        low, high = acceptance.interval
        rows.append(
            [
                view.variant(entry.variant),
                view.word("yes" if acceptance.passes else "no"),
                acceptance.margin,
                acceptance.probability,
                f"{low:.0%}–{high:.0%}",
                ", ".join(acceptance.vetoes),
            ]
        )
    header = [view.word(k) for k in ("model", "passes", "margin", "probability", "interval")]
    sheet = book.table(
        view.word("discussion"),
        [*header, view.word("vetoes")],
        rows,
        formats=[None, None, book.number, book.percent, None, None],
        widths=[18, 12, 10, 14, 16, 40],
    )
    book.lines(sheet, len(rows) + 2, [f"{view.word('discussion')}: {recommendation.discussion}"])


SHEETS: tuple[Sheet, ...] = (
    ranking_sheet,
    summary_sheet,
    matrix_sheet,
    lint_sheet,
    discussion_sheet,
    path_sheet,
)


def recommendation_workbook(
    recommendation: Recommendation, scenario: Scenario | None = None, view: View | None = None
) -> bytes:
    """The workbook of a recommendation (:data:`SHEETS`), as the bytes of an .xlsx file;
    names from ``scenario`` when known (``view`` overrides them and sets the language)."""
    book = Book(view or View.of(scenario))
    for sheet in SHEETS:
        sheet(book, recommendation, scenario)
    return book.close()
