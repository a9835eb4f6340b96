"""Excel workbooks (XlsxWriter, in memory): what a consultant hands to a client.

:func:`solve_workbook` writes, for solve results:

- **Overview**: each governance model's status, message, objective and its terms, solver;
- **one sheet per model**, named by the model ("Hub-and-spoke", "Zentral"): a title, the
  verdict and objective, the matrix — names for people, then the id header row a machine reads
  back (:data:`models.raci.render.KEY_ROW`), headers and the name column frozen — and a legend
  below it. Letters are colour-coded by conditional formats over the whole matrix (the
  palette of :data:`models.palette.PALETTE`, S included, the pictures', the slides' and the
  portal stylesheet's), so a letter the consultant types is coloured too, and each matrix
  cell offers the letters as a drop-down list. A model without a matrix gets its verdict and
  diagnosis instead;
- **Workload** per model and role (load, capacity, utilisation), **Lint findings** of every
  matrix (:func:`models.raci.lint.lint`, against the scenario when given), and, when the
  results are explained, **Explanations** (what each cell costs and why) and **Runner-ups**.

:class:`Book` holds the formats and the sheet-writing steps every workbook shares; a sheet is
a function of the book and its data, so a workbook is the list of its sheets
(:mod:`models.governance.workbook` adds the recommendation's). Rows and columns come in the
order of the results (:func:`models.raci.render.in_scenario_order`), names and labels from
the :class:`~models.raci.render.View`, exactly as in the text renderings. Every string is
written as a string: a name starting with ``=`` stays text, never a formula. Numbers keep
full precision in the cell and are shown rounded by the cell's number format.
:func:`models.raci.codec.decode_matrix` reads the model sheets back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import msgspec
import xlsxwriter

from models.core import LETTERS, Matrix
from models.palette import PALETTE

from .lint import lint
from .render import (
    View,
    diagnosis_lines,
    finding_header,
    finding_rows,
    grouped,
    key_header,
    keyed_rows,
    objective_line,
    role_order,
    verdict,
)
from .types import Objective, Scenario, SolveResult

_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
Cell = str | float | int | None
_TITLE_ROWS = 3  # title, verdict, objective: above the header rows of a model sheet


class Book:
    """A workbook being written: its formats, its view, and the steps every sheet shares."""

    def __init__(self, view: View) -> None:
        self.view = view
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self._buffer, {"in_memory": True})
        add = self.workbook.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.bold = add({"bold": True})
        self.header = add({"bold": True, "text_wrap": True, "valign": "bottom", "bottom": 1})
        self.key = add({"italic": True, "font_color": "#808080", "font_size": 8})
        self.text = add({"text_wrap": False})
        self.number = add({"num_format": "0.00"})
        self.percent = add({"num_format": "0%"})
        self.centre = add({"align": "center"})
        self.letters = {
            letter: add({"bg_color": fill, "font_color": font, "align": "center", "bold": True})
            for letter, (fill, font) in PALETTE.items()
        }
        self._names: set[str] = set()

    def sheet(self, name: str) -> Any:
        """A new worksheet named ``name``, made valid and unique (31 characters, none of
        ``[]:*?/\\``)."""
        base = _SHEET_NAME.sub("-", name)[:31] or "Sheet"
        unique, n = base, 1
        while unique.casefold() in self._names:
            n += 1
            unique = f"{base[: 31 - len(str(n)) - 1]} {n}"
        self._names.add(unique.casefold())
        return self.workbook.add_worksheet(unique)

    def write(self, sheet: Any, row: int, column: int, value: Cell, fmt: Any = None) -> None:
        """A string always as a string (never a formula or a URL), a number as a number."""
        if value is None:
            return
        if isinstance(value, str):
            sheet.write_string(row, column, value, fmt)
        else:
            sheet.write_number(row, column, value, fmt)

    def table(
        self,
        name: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Cell]],
        formats: Sequence[Any] = (),
        widths: Sequence[float] = (),
    ) -> Any:
        """A sheet of rows under a bold, frozen, filterable header; ``formats`` and
        ``widths`` per column (default: text, fitted to the content up to 60 characters)."""
        sheet = self.sheet(name)
        for column, title in enumerate(header):
            self.write(sheet, 0, column, title, self.header)
        for r, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                fmt = formats[column] if column < len(formats) else None
                self.write(sheet, r, column, value, fmt)
        for column in range(len(header)):
            if column < len(widths):
                width = widths[column]
            else:
                longest = max(
                    (len(str(row[column])) for row in rows if column < len(row)), default=0
                )
                width = min(60.0, max(8.0, len(header[column]) + 2.0, longest + 2.0))
            sheet.set_column(column, column, width)
        sheet.freeze_panes(1, 0)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(header) - 1)
        return sheet

    def lines(self, sheet: Any, first: int, lines: Sequence[str]) -> int:
        """Text lines down the first column from row ``first``; the row after them."""
        for offset, line in enumerate(lines):
            self.write(sheet, first + offset, 0, line)
        return first + len(lines)

    def matrix(
        self, name: str, heading: Sequence[str], matrix: Matrix, roles: Sequence[str]
    ) -> Any:
        """A model sheet: ``heading`` lines (the first as the title), the two header rows,
        one row per activity, a legend below; letters coloured by conditional formats."""
        view, sheet = self.view, self.sheet(name)
        for number, line in enumerate(heading[:_TITLE_ROWS]):
            self.write(sheet, number, 0, line, self.title if number == 0 else None)
        names, keys = key_header(roles, view)
        top = _TITLE_ROWS + 1
        for column, (title, key) in enumerate(zip(names, keys, strict=True)):
            self.write(sheet, top, column, title, self.header)
            self.write(sheet, top + 1, column, key, self.key)
        first = top + 2
        rows = keyed_rows(matrix, roles, view)
        for r, row in enumerate(rows, start=first):
            self.write(sheet, r, 0, row[0], self.bold)
            self.write(sheet, r, 1, row[1], self.key)
            for column, letter in enumerate(row[2:], start=2):
                self.write(sheet, r, column, letter, self.centre)
        last = first + max(len(rows), 1) - 1
        if roles:
            cells = (first, 2, last, len(roles) + 1)
            for letter, fmt in self.letters.items():
                rule = {"type": "cell", "criteria": "==", "value": f'"{letter}"', "format": fmt}
                sheet.conditional_format(*cells, rule)
            sheet.data_validation(
                *cells, {"validate": "list", "source": list(LETTERS), "ignore_blank": True}
            )
        self.legend(sheet, last + 2)
        sheet.set_row(top, 45)
        sheet.set_column(0, 0, min(50, max([12, *(len(row[0]) + 2 for row in rows)])))
        sheet.set_column(1, 1, min(30, max([8, *(len(row[1]) + 1 for row in rows)])))
        sheet.set_column(2, len(roles) + 1, 12)
        sheet.freeze_panes(first, 2)
        # printed: landscape, one page wide, the headers and names on every page
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(top, top + 1)
        sheet.repeat_columns(0, 0)
        return sheet

    def legend(self, sheet: Any, row: int) -> None:
        """Every letter in its colour and what it means, down the name column: notes the
        reader skips (no id, no letter in a role column)."""
        self.write(sheet, row, 0, self.view.word("legend"), self.bold)
        for offset, letter in enumerate(LETTERS, start=1):
            meaning = self.view.word(f"letter.{letter}")
            self.write(sheet, row + offset, 0, f"{letter} = {meaning}", self.letters[letter])

    def close(self) -> bytes:
        """The workbook's bytes (the book cannot be written to afterwards)."""
        self.workbook.close()
        return self._buffer.getvalue()


# --------------------------------------------------------------------------- solve sheets


def _terms(objective: Objective | None) -> list[Cell]:
    fields = [f.name for f in msgspec.structs.fields(Objective)]
    return [None if objective is None else getattr(objective, name) for name in fields]


def overview_sheet(book: Book, results: Sequence[SolveResult]) -> None:
    """Each model's status and message, objective and terms, solver, seconds and gap."""
    view = book.view
    terms = [view.word(f"term.{f.name}") for f in msgspec.structs.fields(Objective)]
    header = [view.word(key) for key in ("model", "status", "message")]
    header += [f"{view.word('objective')}: {term}" for term in terms]
    header += [view.word(key) for key in ("solver", "seconds", "gap")]
    rows = [
        [
            view.variant(r.variant),
            view.status(r),
            r.message,
            *_terms(r.objective),
            f"{r.solver.name} {r.solver.version}".strip(),
            r.solver.seconds,
            r.solver.gap,
        ]
        for r in results
    ]
    numbers = [book.number] * len(terms)
    book.table(
        view.word("overview"),
        header,
        rows,
        formats=[None, None, None, *numbers, None, book.number, book.percent],
        widths=[16, 14, 60],
    )


def model_sheet(book: Book, result: SolveResult, roles: Sequence[str]) -> None:
    """One model: its matrix, or its verdict and diagnosis when it has none."""
    view = book.view
    title = f"{view.title(result)} — {view.variant(result.variant)}"
    name = view.variant(result.variant)
    if not result.matrix:
        sheet = book.sheet(name)
        book.write(sheet, 0, 0, title, book.title)
        diagnosis = diagnosis_lines(result.diagnosis, view) if result.diagnosis is not None else []
        book.lines(sheet, 1, [verdict(result, view), *diagnosis])
        sheet.set_column(0, 0, 120)
        return
    objective = objective_line(result, view)
    heading = [title, verdict(result, view), *([objective] if objective else [])]
    book.matrix(name, heading, result.matrix, role_order(result.matrix, roles))


def workload_sheet(book: Book, results: Sequence[SolveResult]) -> None:
    """Per model and role: load and capacity in person-days per month, utilisation."""
    view = book.view
    header = [view.word(k) for k in ("model", "role", "id", "work", "capacity", "utilisation")]
    rows: list[list[Cell]] = [
        [view.variant(r.variant), view.role(role), role, load.load, load.capacity, load.utilisation]
        for r in results
        for role, load in r.workload.items()
    ]
    formats = [None, None, None, book.number, book.number, book.percent]
    book.table(view.word("workload"), header, rows, formats)


def lint_sheet(book: Book, results: Sequence[SolveResult], scenario: Scenario | None) -> None:
    """The lint findings of every model's matrix, against the scenario when given."""
    view = book.view
    rows = [
        [view.variant(r.variant), *row]
        for r in results
        if r.matrix
        for row in finding_rows(lint(r.matrix, scenario).findings, view)
    ]
    book.table(view.word("lint"), [view.word("model"), *finding_header(view)], rows)


def explanation_sheets(book: Book, results: Sequence[SolveResult]) -> None:
    """What each cell costs, term by term, and why; each activity's runner-up accountable.
    Nothing when no result is explained."""
    explained = [r for r in results if r.explanation is not None]
    if not explained:
        return
    view = book.view
    costs = ("competence", "workload", "communication", "alignment", "consultation")
    header = [view.word(k) for k in ("model", "activity", "role", "letter", "reason")]
    header += [view.word(f"term.{term}") for term in costs]
    rows: list[list[Cell]] = [
        [
            view.variant(r.variant),
            view.row(cell.activity),
            view.role(cell.role),
            cell.letter or "",
            cell.reason,
            *(getattr(cell, term) for term in costs),
        ]
        for r in explained
        if r.explanation is not None
        for cell in _in_rows(r.explanation.cells, r.matrix)
    ]
    text = [None, None, None, book.centre, None]
    book.table(view.word("explanations"), header, rows, [*text, *[book.number] * len(costs)])
    header = [view.word(k) for k in ("model", "activity", "accountable", "runner-up")]
    header += [view.word("cost-increase"), view.word("reason")]
    alternatives: list[list[Cell]] = [
        [
            view.variant(r.variant),
            view.row(alt.activity),
            view.role(alt.accountable),
            "" if alt.runner_up is None else view.role(alt.runner_up),
            alt.cost_increase,
            alt.reason,
        ]
        for r in explained
        if r.explanation is not None
        for alt in r.explanation.alternatives
    ]
    formats = [None, None, None, None, book.number]
    book.table(view.word("alternatives"), header, alternatives, formats)


def _in_rows(cells: Sequence[Any], matrix: Matrix) -> list[Any]:
    """Explained cells in the matrix's row order (the explanation lists them by id)."""
    rank = {row: i for i, row in enumerate(grouped(matrix))}
    return sorted(cells, key=lambda cell: rank.get(cell.activity, len(rank)))


def solve_workbook(
    results: Sequence[SolveResult], scenario: Scenario | None = None, view: View | None = None
) -> bytes:
    """The workbook of solve results (module docstring), as the bytes of an .xlsx file.

    ``results`` as they should read (:func:`~models.raci.render.in_scenario_order`);
    ``scenario`` adds its rules to the lint findings; ``view`` names and language
    (default: :meth:`View.of` the scenario, English).
    """
    book = Book(view or View.of(scenario))
    roles: list[str] = []
    for result in results:
        roles = role_order(result.matrix, [*roles, *result.workload])
    overview_sheet(book, results)
    for result in results:
        model_sheet(book, result, roles)
    workload_sheet(book, results)
    lint_sheet(book, results, scenario)
    explanation_sheets(book, results)
    return book.close()
