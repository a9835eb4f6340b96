"""Exports read back: CSV with the csv module in Excel's dialect, and the round trip — any
matrix written as CSV or as a workbook and read back lints and diffs identically."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from models.core import LETTERS, Matrix
from models.labels import LANGS, Lang
from models.raci.codec import MatrixFormat, decode_matrix, decode_scenario
from models.raci.diff import diff
from models.raci.lint import lint
from models.raci.render import (
    CATEGORIES,
    View,
    display_order,
    matrix_csv,
    role_order,
    solve_results_csv,
)
from models.raci.types import SolveOptions
from models.raci.variants import rows
from models.raci.workbook import Book
from service.jobs import solve_variants
from service.library import load_builtin

from .strategies import matrices

SCENARIO = load_builtin("raci", decode_scenario)["mittelstand-manufacturer"]
VARIANT = "hub-and-spoke"


def as_xlsx(matrix: Matrix, view: View) -> bytes:
    """A matrix alone on a model sheet, as the solve and recommendation workbooks lay it out."""
    book = Book(view)
    book.matrix(view.variant(VARIANT), ["a matrix"], matrix, role_order(matrix, view.roles))
    return book.close()


def as_csv(matrix: Matrix, view: View) -> bytes:
    return matrix_csv(matrix, view=view).encode()


WRITERS: tuple[tuple[MatrixFormat, Callable[[Matrix, View], bytes]], ...] = (
    ("csv", as_csv),
    ("xlsx", as_xlsx),
)


@settings(max_examples=40, deadline=None)
@given(matrices(), st.sampled_from(LANGS))
def test_any_matrix_written_and_read_back_lints_identically(matrix: Matrix, lang: Lang) -> None:
    for fmt, write in WRITERS:
        back = decode_matrix(write(matrix, View(lang=lang)), fmt)
        assert back == matrix
        assert lint(back) == lint(matrix)


@st.composite
def scenario_matrices(draw: st.DrawFn) -> Matrix:
    """Any matrix over the manufacturer's hub-and-spoke rows and its roles."""
    roles = [role.id for role in SCENARIO.roles]
    cell = st.one_of(st.none(), st.sampled_from(LETTERS))
    return {
        row.id: {
            role: letter
            for role, letter in zip(
                roles, draw(st.lists(cell, min_size=len(roles), max_size=len(roles))), strict=True
            )
            if letter is not None
        }
        for row in rows(SCENARIO, VARIANT)
    }


@settings(max_examples=15, deadline=None)
@given(scenario_matrices(), scenario_matrices(), st.sampled_from(LANGS))
def test_any_matrix_written_and_read_back_diffs_identically(
    current: Matrix, proposed: Matrix, lang: Lang
) -> None:
    view = View.of(SCENARIO, lang)
    expected = diff(SCENARIO, VARIANT, current, proposed)
    for (fmt_a, write_a), (fmt_b, write_b) in ((WRITERS[0], WRITERS[1]), (WRITERS[1], WRITERS[0])):
        before = decode_matrix(write_a(current, view), fmt_a)
        after = decode_matrix(write_b(proposed, view), fmt_b)
        assert diff(SCENARIO, VARIANT, before, after) == expected
        assert lint(before, SCENARIO) == lint(current, SCENARIO)


def excel_rows(data: bytes, delimiter: str) -> list[list[str]]:
    """What Excel sees: UTF-8 after the byte-order mark, its own dialect."""
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), dialect="excel", delimiter=delimiter))


def test_solve_csv_opens_in_excel_with_names_every_model_and_the_reasons() -> None:
    results = solve_variants(
        SCENARIO, ("central", VARIANT, "multi-hub"), SolveOptions(explain=False)
    )
    for lang, delimiter in (("en", ","), ("de", ";")):
        text = solve_results_csv(results, View.of(SCENARIO, lang)).encode()
        table = excel_rows(text, delimiter)
        roles, _ = display_order(SCENARIO)
        names = {role.id: role.name for role in SCENARIO.roles}
        assert table[1][:3] == ["variant", "name", "activity"]
        assert table[1][3:] == roles
        assert table[0][3:] == [names[role] for role in roles]
        assert table[0][:3] == (
            ["Governance model", "Activity", "ID"]
            if lang == "en"
            else ["Governance-Modell", "Tätigkeit", "Kennung"]
        )
        assert {row[0] for row in table[2:]} == {"central", VARIANT, "multi-hub"}
        for result in results:
            mine = [row for row in table[2:] if row[0] == result.variant]
            if result.matrix:
                assert [row[2] for row in mine] == list(result.matrix)
                assert {
                    row[2]: {r: x for r, x in zip(roles, row[3:], strict=False) if x}
                    for row in mine
                } == (result.matrix)
            else:  # multi-hub does not apply: the reason, no id, no letters
                [note] = mine
                assert note[1].endswith(result.message)
                assert not any(note[2:])
        # and every model reads back
        for result in results:
            if result.matrix:
                assert decode_matrix(text, "csv", result.variant) == result.matrix


def test_activities_are_grouped_by_category_and_the_hub_comes_first() -> None:
    roles, activities = display_order(SCENARIO)
    kinds = {role.id: role.kind for role in SCENARIO.roles}
    assert kinds[roles[0]] == "hub"
    category = {a.id: a.category for a in SCENARIO.activities}
    ranks = [CATEGORIES.index(category[a]) for a in activities]
    assert ranks == sorted(ranks)
    [result] = solve_variants(SCENARIO, (VARIANT,), SolveOptions(explain=False))
    seen = [row.split("@")[0] for row in result.matrix]
    assert list(dict.fromkeys(seen)) == [a for a in activities if a in seen]
