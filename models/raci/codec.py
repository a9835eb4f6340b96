"""Bytes to domain types: scenarios (JSON, YAML) and RACI matrices (JSON, CSV, XLSX).

Every decoding error becomes :class:`~models.errors.InvalidInput` whose problems point at
the offending field with a JSON pointer, so the CLI and the service report it the same way.

Matrix formats
--------------
JSON
    ``{"<activity id>": {"<role id>": "R" | "A" | "C" | "I" | "A/R" | "S"}}``; a role left
    out, ``null`` or ``""`` holds no letter. ``S`` is consent (sign-off): the role must agree
    before the measure is introduced (a works council's co-determination).
CSV
    What :mod:`models.raci.render` writes: header rows of names for people, then the id
    header row ``[variant,] name, activity, <role id>, ...``; one row per activity with its
    name (ignored), its id and one letter per role, an empty cell for no letter. A
    ``variant`` column splits the file into one matrix per governance model
    (:func:`decode_matrices`; :func:`decode_matrix` picks one). Rows without an id and
    without letters are notes (a verdict, a diagnosis) and skipped. A client's own file
    needs none of this: without the id header row, the first row is the header (its first
    cell a label, e.g. ``activity``, the others role ids) and the first column the activity
    ids. Comma, semicolon (German Excel) and tab delimiters are recognised from the first
    line; a UTF-8 byte-order mark is ignored. Problems point into the CSV as a list of rows,
    ``/<row>/<column>`` counted from 0 with the first line as row 0; the message also gives
    the spreadsheet cell (``C4``).
XLSX
    An Excel workbook (read with openpyxl): every sheet with the id header row is a matrix
    laid out as in CSV, its model named by its ``variant`` column or its sheet name (the
    model's id or name in English or German: "Hub-and-spoke", "Zentral"); a workbook without
    one is read from its first sheet like a client's CSV. The workbooks of
    :mod:`models.raci.workbook` read back unchanged. Pointers are
    ``/<sheet>/<row>/<column>``, messages name the cell (``Central!C4``).

Row ids
-------
A row is an activity, or one business unit's own share of it: ``<activity id>@<unit id>``
(``content@bu-life``, as the optimiser writes the rows it splits per unit,
:data:`models.raci.variants.UNIT_SEPARATOR`). Ids are otherwise the client's own (a
spreadsheet's row labels need not follow the scenario's id pattern), but ``@`` is the
separator: a row id with an ``@`` must be exactly two ids of the pattern
:data:`models.core.Id` joined by one ``@``, and a role id must not contain one. Whether the
activity and the unit exist is a question for :func:`models.raci.lint.lint` with the scenario.

Letters
-------
R, A, C, I, A/R and S (:data:`models.core.LETTERS`), read leniently where the meaning is
unambiguous: case and spaces are ignored (``s`` is S) and ``AR``, ``RA`` and ``R/A`` mean
``A/R``. Anything else is an error naming the cell; spellings such as ``sign-off`` or
``V`` (RACI-VS) are refused rather than guessed.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable
from typing import Any, Literal, get_args

import msgspec

from models.core import LETTERS, UNIT_SEPARATOR, Id, Letter, Matrix, pointer, problem_of
from models.errors import InvalidInput, Problem
from models.labels import LANGS, label

from .catalogue import complete
from .render import CSV_LABEL, KEY_ROW, VARIANT_KEY
from .types import VARIANTS, Scenario
from .validate import check

_ALIASES: dict[str, Letter] = {letter: letter for letter in LETTERS} | {
    "AR": "A/R",
    "RA": "A/R",
    "R/A": "A/R",
}
_USE = f"use {', '.join(LETTERS[:-1])} or {LETTERS[-1]}"
_ID = re.compile(get_args(Id)[1].pattern)
#: The most a workbook may unpack to: more is refused before parsing (a zip bomb).
MAX_UNPACKED_BYTES = 50_000_000
#: How far down a file the id header row may be (a workbook has a title and a legend above).
HEAD_ROWS = 12


def _decode(data: bytes, fmt: Literal["json", "yaml"], kind: type[object]) -> object:
    try:
        if fmt == "json":
            return msgspec.json.decode(data, type=kind)
        return msgspec.yaml.decode(data, type=kind)
    except msgspec.MsgspecError as exc:
        raise InvalidInput([problem_of(exc)]) from exc


def prepare(scenario: Scenario) -> Scenario:
    """Fill the defaults (:func:`~models.raci.catalogue.complete`) and check the result
    (:func:`~models.raci.validate.check`), for input that is already decoded."""
    completed = complete(scenario)
    check(completed)
    return completed


def decode_scenario(data: bytes, fmt: Literal["json", "yaml"]) -> Scenario:
    """Decode, complete and check a scenario file.

    Raises
    ------
    InvalidInput
        On malformed bytes, a field that violates its type or bounds, or any problem
        :func:`~models.raci.validate.check` finds; every problem carries a JSON pointer.
    """
    scenario = _decode(data, fmt, Scenario)
    assert isinstance(scenario, Scenario)
    return prepare(scenario)


def letter_of(raw: str) -> Letter | None:
    """The letter a cell means: ``None`` for an empty cell; ``ValueError`` if unreadable.

    >>> letter_of(" r/a "), letter_of("I"), letter_of("s"), letter_of("")
    ('A/R', 'I', 'S', None)
    """
    text = "".join(raw.split()).upper()
    if not text:
        return None
    if text not in _ALIASES:
        raise ValueError(f"'{raw}' is not a RACI letter; {_USE}")
    return _ALIASES[text]


def id_problem(name: str, what: Literal["activity", "role"]) -> str | None:
    """Why ``name`` cannot be a row id (``what`` = "activity") or a role id, or None.

    Only the unit separator ``@`` is checked: a row id with one is ``<activity id>@<unit id>``
    (two ids of the :data:`models.core.Id` pattern), a role id has none.

    >>> id_problem("content@bu-life", "activity") is None, id_problem("Strategie 2025", "role")
    (True, None)
    >>> id_problem("content@", "activity")
    "a per-unit row id is '<activity id>@<unit id>', got 'content@'"
    """
    if UNIT_SEPARATOR not in name:
        return None
    if what == "role":
        return f"a role id cannot contain '{UNIT_SEPARATOR}' (got '{name}'); per-unit rows are rows"
    parts = name.split(UNIT_SEPARATOR)
    if len(parts) != 2 or not all(_ID.match(part) for part in parts):
        return f"a per-unit row id is '<activity id>{UNIT_SEPARATOR}<unit id>', got '{name}'"
    return None


def _cell_name(row: int, column: int, sheet: str = "") -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{sheet}!{letters}{row + 1}" if sheet else f"{letters}{row + 1}"


def _json_matrix(data: bytes) -> Matrix:
    raw = _decode(data, "json", dict[str, Any])
    assert isinstance(raw, dict)
    matrix: Matrix = {}
    problems = []
    for activity, row in raw.items():
        matrix[activity] = {}
        if not activity.strip():
            problems.append(Problem(pointer((activity,)), "an activity id is empty"))
        elif (why := id_problem(activity, "activity")) is not None:
            problems.append(Problem(pointer((activity,)), why))
        if not isinstance(row, dict):
            problems.append(
                Problem(pointer((activity,)), "expected an object mapping role ids to letters")
            )
            continue
        for role, value in row.items():
            where = pointer((activity, role))
            if not role.strip():
                problems.append(Problem(where, "a role id is empty"))
            elif (why := id_problem(role, "role")) is not None:
                problems.append(Problem(where, why))
            if value is not None and not isinstance(value, str):
                problems.append(Problem(where, "expected a letter (a string) or null"))
                continue
            try:
                letter = letter_of(value or "")
            except ValueError as exc:
                problems.append(Problem(where, str(exc)))
                continue
            if letter is not None:
                matrix[activity][role] = letter
    if problems:
        raise InvalidInput(problems)
    return matrix


def _rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single("", f"the CSV is not UTF-8 text: {exc.reason}") from exc
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    try:
        return [
            row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if row
        ]
    except csv.Error as exc:
        raise InvalidInput.single("", f"the CSV cannot be read: {exc}") from exc


def _ids(
    cells: Iterable[tuple[int, int, str]], what: Literal["activity", "role"], sheet: str = ""
) -> tuple[list[str], list[Problem]]:
    ids: list[str] = []
    problems = []
    seen: dict[str, str] = {}
    for row, column, cell in cells:
        name = cell.strip()
        where, at = _where(sheet, row, column), _cell_name(row, column, sheet)
        if not name:
            problems.append(Problem(where, f"{at}: the {what} id is empty"))
        elif (why := id_problem(name, what)) is not None:
            problems.append(Problem(where, f"{at}: {why}"))
        elif name in seen:
            problems.append(
                Problem(where, f"{at}: duplicate {what} id '{name}' (first in {seen[name]})")
            )
        seen.setdefault(name, at)
        ids.append(name)
    return ids, problems


def _where(sheet: str, row: int, column: int) -> str:
    return pointer((sheet, str(row), str(column))) if sheet else f"/{row}/{column}"


def variant_of(text: str) -> str:
    """The governance model a column value or sheet name means: its id, or its name in any
    language of :mod:`models.labels` ("Zentral" is ``central``); else the text as it is."""
    name = text.strip()
    for variant in VARIANTS:
        if name.casefold() in (
            variant,
            *(label(f"variant.{variant}", lang).casefold() for lang in LANGS),
        ):
            return variant
    return name


def _key_row(rows: list[list[str]]) -> tuple[int, int, int | None, int]:
    """Where the ids are: the key row, the activity column, the variant column (or None) and
    the first role column. The key row is the first of the first :data:`HEAD_ROWS` rows that
    starts with ``[variant,] name, activity`` (the id header row the renderings write) or
    with ``activity``; without one, row 0 is the header and column 0 holds the activity ids
    (a client's own file). Role ids follow, whatever they are ("name" too)."""
    for r, row in enumerate(rows[:HEAD_ROWS]):
        cells = [cell.strip() for cell in row[:3]]
        if cells == [VARIANT_KEY, *KEY_ROW]:
            return r, 2, 0, 3
        if cells[:2] == list(KEY_ROW):
            return r, 1, None, 2
        if cells[:1] == [CSV_LABEL]:
            return r, 0, None, 1
    return 0, 0, None, 1


def _grid_matrices(rows: list[list[str]], sheet: str = "") -> dict[str, Matrix]:
    """The matrices of a grid of cells (CSV rows, a worksheet), by governance model: the
    values of the ``variant`` column, else ``""``."""
    key, activity_column, variant_column, first_role = _key_row(rows)
    header = rows[key]
    roles, problems = _ids(
        ((key, c, cell) for c, cell in enumerate(header) if c >= first_role), "role", sheet
    )
    groups: dict[str, list[int]] = {}
    for r in range(key + 1, len(rows)):
        row = rows[r]
        activity = row[activity_column] if activity_column < len(row) else ""
        if not activity.strip() and not any(cell.strip() for cell in row[first_role:]):
            continue  # a blank line, or a note (a verdict, a diagnosis) in the name column
        variant = "" if variant_column is None else variant_of(row[variant_column])
        groups.setdefault(variant, []).append(r)
    matrices: dict[str, Matrix] = {}
    for variant, members in groups.items():
        cells = ((r, activity_column, rows[r][activity_column]) for r in members)
        activities, more = _ids(cells, "activity", sheet)
        problems += more
        matrix = matrices.setdefault(variant, {})
        for r, activity in zip(members, activities, strict=True):
            row = rows[r]
            if len(row) > len(header):
                problems.append(
                    Problem(
                        _where(sheet, r, len(header)),
                        f"{_cell_name(r, len(header), sheet)}: row '{activity}' has "
                        f"{len(row)} cells, the header only {len(header)}",
                    )
                )
            letters = matrix.setdefault(activity, {})
            for c, (role, cell) in enumerate(zip(roles, row[first_role:], strict=False)):
                column = first_role + c
                try:
                    letter = letter_of(cell)
                except ValueError as exc:
                    at = _cell_name(r, column, sheet)
                    problems.append(Problem(_where(sheet, r, column), f"{at}: {exc}"))
                    continue
                if letter is not None:
                    letters[role] = letter
    if problems:
        raise InvalidInput(problems)
    return matrices


def _csv_matrices(data: bytes) -> dict[str, Matrix]:
    rows = _rows(data)
    if not rows:
        raise InvalidInput.single("", "the CSV is empty: expected a header row of role ids")
    return _grid_matrices(rows)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _xlsx_matrices(data: bytes) -> dict[str, Matrix]:
    """Every matrix sheet of a workbook: a sheet with the id header row (``activity``), keyed
    by its ``variant`` column or by the model its name means (:func:`variant_of`); a workbook
    without such a sheet is read from its first sheet, laid out like a client's CSV."""
    from openpyxl import load_workbook  # only here: a second's import most commands never need

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise InvalidInput.single(
                "", f"the workbook unpacks to {unpacked:,} bytes, more than {MAX_UNPACKED_BYTES:,}"
            )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        grids: list[tuple[str, list[list[str]]]] = []
        for sheet in workbook.worksheets:
            rows = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            while rows and not any(rows[-1]):
                rows.pop()
            for row in rows:
                while row and not row[-1].strip():
                    row.pop()
            grids.append((sheet.title, rows))
        workbook.close()
    except InvalidInput:
        raise
    except Exception as exc:
        # A damaged file makes zipfile and openpyxl raise many kinds of errors (a bad zip,
        # malformed XML, a missing part, a wrong type): each means "not a workbook".
        raise InvalidInput.single("", f"not an Excel workbook (.xlsx): {exc}") from exc
    keyed = [(title, rows) for title, rows in grids if rows and _has_key_row(rows)]
    if not keyed:
        keyed = [(title, rows) for title, rows in grids[:1] if rows]
    if not keyed:
        raise InvalidInput.single("", "the workbook is empty: expected a sheet with a matrix")
    matrices: dict[str, Matrix] = {}
    for title, rows in keyed:
        for variant, matrix in _grid_matrices(rows, title).items():
            matrices[variant or variant_of(title)] = matrix
    return matrices


def _has_key_row(rows: list[list[str]]) -> bool:
    key, _, _, first_role = _key_row(rows)
    return first_role > 1 or rows[key][:1] == [CSV_LABEL]


MatrixFormat = Literal["json", "csv", "xlsx"]


def decode_matrices(data: bytes, fmt: MatrixFormat) -> dict[str, Matrix]:
    """Every matrix of a file by governance model: a CSV's ``variant`` column, a workbook's
    sheets; ``""`` for a matrix that names no model (JSON, a client's own CSV).

    Raises
    ------
    InvalidInput
        With a pointer for every unreadable cell, empty or duplicate id, or overlong row.
    """
    if fmt == "json":
        return {"": _json_matrix(data)}
    return _csv_matrices(data) if fmt == "csv" else _xlsx_matrices(data)


def decode_matrix(data: bytes, fmt: MatrixFormat, variant: str | None = None) -> Matrix:
    """Decode a RACI matrix from JSON, CSV or an Excel workbook (formats in the module
    docstring); of a file with several governance models, the one of ``variant``.

    Activities and roles keep the order of the input; cells without a letter are left out.

    Raises
    ------
    InvalidInput
        With a pointer for every unreadable cell, empty or duplicate id, or overlong row;
        when ``variant`` is not in a file that names its models, or is None and the file
        holds several.
    """
    matrices = decode_matrices(data, fmt)
    if not matrices:
        return {}
    if variant is not None and variant in matrices:
        return matrices[variant]
    if len(matrices) == 1 and (variant is None or "" in matrices):
        return next(iter(matrices.values()))
    held = ", ".join(key or "(unnamed)" for key in matrices)
    if variant is None:
        why = f"the file holds {len(matrices)} governance models ({held}): choose one (variant)"
    else:
        why = f"the file holds no matrix for '{variant}', only for {held}"
    raise InvalidInput.single("", why)
