"""A recommendation as an Excel workbook: the ranking and its criteria, the recommended
matrix, its lint findings and the discussion's result.

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

from .render import ranking_header
from .types import Recommendation

Sheet = Callable[[Book, Recommendation, Scenario | None], None]


def ranking_sheet(book: Book, recommendation: Recommendation, scenario: Scenario | None) -> None:
    """Every model, best first: its score, each criterion as it enters the score, the
    solved objective, the lint counts, the profile's fit criteria, and why; the formula
    below."""
    view = book.view
    header = [*ranking_header(view)[:-1], view.word("objective-total")]
    header += [view.word(k) for k in ("errors", "warnings", "fits", "reason")]
    rows: list[list[Cell]] = []
    for entry in recommendation.ranking:
        parts = entry.components
        criteria: list[Cell] = (
            [None] * 7
            if parts is None
            else [
                parts.objective,
                parts.profile,
                parts.support,
                parts.lint,
                parts.objective_total,
                parts.errors,
                parts.warnings,
            ]
        )
        fits = "" if parts is None else ", ".join(parts.fits)
        status = view.word(f"status.{entry.status}")
        model = view.variant(entry.variant)
        rows.append([entry.rank, model, status, entry.score, *criteria, fits, entry.reason])
    numbers = [book.number] * 6
    sheet = book.table(
        view.word("ranking"),
        header,
        rows,
        formats=[None, None, None, *numbers, None, None],
        widths=[7, 16, 14, 9, 12, 9, 10, 9, 14, 8, 10, 24, 90],
    )
    verdict = (
        view.word("none-recommended")
        if recommendation.recommended is None
        else f"{view.word('recommended')}: {view.variant(recommendation.recommended)}"
    )
    book.lines(sheet, len(rows) + 2, [verdict, f"{view.word('formula')}:", recommendation.formula])


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
    """The discussion's result as the ranking uses it: each model's simulated support."""
    view = book.view
    if recommendation.discussion is None:
        sheet = book.sheet(view.word("discussion"))
        book.lines(sheet, 0, [view.word("no-discussion")])
        return
    rows: list[list[Cell]] = [
        [
            view.variant(entry.variant),
            None if entry.components is None else entry.components.support,
        ]
        for entry in recommendation.ranking
    ]
    sheet = book.table(
        view.word("discussion"),
        [view.word("model"), view.word("support")],
        rows,
        formats=[None, book.percent],
        widths=[18, 20],
    )
    book.lines(sheet, len(rows) + 2, [f"{view.word('discussion')}: {recommendation.discussion}"])


SHEETS: tuple[Sheet, ...] = (ranking_sheet, matrix_sheet, lint_sheet, discussion_sheet)


def recommendation_workbook(
    recommendation: Recommendation, scenario: Scenario | None = None, view: View | None = None
) -> bytes:
    """The workbook of a recommendation (:data:`SHEETS`), as the bytes of an .xlsx file;
    names from ``scenario`` when known (``view`` overrides them and sets the language)."""
    book = Book(view or View.of(scenario))
    for sheet in SHEETS:
        sheet(book, recommendation, scenario)
    return book.close()
