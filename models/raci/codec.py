"""Bytes to domain types: scenarios (JSON, YAML) and RACI matrices (JSON, CSV).

Every decoding error becomes :class:`~models.errors.InvalidInput` whose problems point at
the offending field with a JSON pointer, so the CLI and the service report it the same way.

Matrix formats
--------------
JSON
    ``{"<activity id>": {"<role id>": "R" | "A" | "C" | "I" | "A/R" | "S"}}``; a role left
    out, ``null`` or ``""`` holds no letter. ``S`` is consent (sign-off): the role must agree
    before the measure is introduced (a works council's co-determination).
CSV
    A header row whose first cell is a label (ignored, e.g. ``activity``) and whose other
    cells are role ids; then one row per activity: its id, then one letter per role, an empty
    cell for no letter. Comma, semicolon (German Excel) and tab delimiters are recognised
    from the header; a UTF-8 byte-order mark is ignored. Problems point into the CSV as a
    list of rows, ``/<row>/<column>`` counted from 0 with the header as row 0; the message
    also gives the spreadsheet cell (``C4``).

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
from collections.abc import Iterable
from typing import Any, Literal, get_args

import msgspec

from models.core import LETTERS, UNIT_SEPARATOR, Id, Letter, Matrix, pointer, problem_of
from models.errors import InvalidInput, Problem

from .catalogue import complete
from .types import Scenario
from .validate import check

_ALIASES: dict[str, Letter] = {letter: letter for letter in LETTERS} | {
    "AR": "A/R",
    "RA": "A/R",
    "R/A": "A/R",
}
_USE = f"use {', '.join(LETTERS[:-1])} or {LETTERS[-1]}"
_ID = re.compile(get_args(Id)[1].pattern)


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


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"


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
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]


def _ids(
    cells: Iterable[tuple[int, int, str]], what: Literal["activity", "role"]
) -> tuple[list[str], list[Problem]]:
    ids: list[str] = []
    problems = []
    seen: dict[str, str] = {}
    for row, column, cell in cells:
        name = cell.strip()
        where = f"/{row}/{column}"
        if not name:
            problems.append(Problem(where, f"{_cell_name(row, column)}: the {what} id is empty"))
        elif (why := id_problem(name, what)) is not None:
            problems.append(Problem(where, f"{_cell_name(row, column)}: {why}"))
        elif name in seen:
            problems.append(
                Problem(
                    where,
                    f"{_cell_name(row, column)}: duplicate {what} id '{name}' "
                    f"(first in {seen[name]})",
                )
            )
        seen.setdefault(name, _cell_name(row, column))
        ids.append(name)
    return ids, problems


def _csv_matrix(data: bytes) -> Matrix:
    rows = _rows(data)
    if not rows:
        raise InvalidInput.single("", "the CSV is empty: expected a header row of role ids")
    roles, problems = _ids(((0, c, cell) for c, cell in enumerate(rows[0]) if c), "role")
    activities, more = _ids(((r, 0, row[0]) for r, row in enumerate(rows) if r), "activity")
    problems += more
    matrix: Matrix = {}
    for r, (activity, row) in enumerate(zip(activities, rows[1:], strict=True), start=1):
        if len(row) > len(rows[0]):
            problems.append(
                Problem(
                    f"/{r}/{len(rows[0])}",
                    f"{_cell_name(r, len(rows[0]))}: row '{activity}' has {len(row)} cells, "
                    f"the header only {len(rows[0])}",
                )
            )
        cells = matrix.setdefault(activity, {})
        for c, (role, cell) in enumerate(zip(roles, row[1:], strict=False), start=1):
            try:
                letter = letter_of(cell)
            except ValueError as exc:
                problems.append(Problem(f"/{r}/{c}", f"{_cell_name(r, c)}: {exc}"))
                continue
            if letter is not None:
                cells[role] = letter
    if problems:
        raise InvalidInput(problems)
    return matrix


def decode_matrix(data: bytes, fmt: Literal["json", "csv"]) -> Matrix:
    """Decode a RACI matrix from JSON or CSV (formats in the module docstring).

    Activities and roles keep the order of the input; cells without a letter are left out.

    Raises
    ------
    InvalidInput
        With a pointer for every unreadable cell, empty or duplicate id, or overlong row.
    """
    return _json_matrix(data) if fmt == "json" else _csv_matrix(data)
