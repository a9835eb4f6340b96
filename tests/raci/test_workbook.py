"""The solve workbook, read back with openpyxl (an independent reader): names, letters,
colours, every model, the reason of a model that does not apply and the diagnosis of an
infeasible one; and a consultant's edited workbook, read back by lint."""

from __future__ import annotations

import io
from typing import Any

import msgspec
import openpyxl
import pytest

from models.core import LETTERS
from models.labels import label
from models.palette import PALETTE
from models.raci.codec import decode_matrices, decode_matrix, decode_scenario
from models.raci.lint import lint
from models.raci.render import View, display_order
from models.raci.types import VARIANTS, Scenario, SolveOptions, SolveResult
from models.raci.workbook import solve_workbook
from service.jobs import solve_variants

FAST = SolveOptions(time_limit=10, alternatives_seconds=0.0)


@pytest.fixture(scope="module")
def manufacturer(builtin: dict[str, Scenario]) -> tuple[Scenario, tuple[SolveResult, ...]]:
    scenario = builtin["mittelstand-manufacturer"]
    return scenario, solve_variants(scenario, VARIANTS, FAST)


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def header_row(sheet: Any) -> int:
    """The 1-based row of the names header: the row above the id header row."""
    for row in sheet.iter_rows(min_col=1, max_col=2):
        if [cell.value for cell in row] == ["name", "activity"]:
            return int(row[0].row) - 1
    raise AssertionError(f"no id header row in {sheet.title}")


def test_every_model_has_its_sheet_with_names_and_letters(
    manufacturer: tuple[Scenario, tuple[SolveResult, ...]],
) -> None:
    scenario, results = manufacturer
    book = load(solve_workbook(results, scenario, View.of(scenario)))
    names = [label(f"variant.{v}") for v in VARIANTS]
    assert book.sheetnames == [
        "Overview",
        *names,
        "Workload",
        "Lint findings",
        "Explanations",
        "Runner-ups",
    ]
    roles, _ = display_order(scenario)
    role_names = {role.id: role.name for role in scenario.roles}
    for result in results:
        sheet = book[label(f"variant.{result.variant}")]
        assert sheet["A1"].value == f"Kassel Inverter Works — {label(f'variant.{result.variant}')}"
        if not result.matrix:
            continue
        top = header_row(sheet)
        header = [cell.value for cell in sheet[top]]
        ids = [cell.value for cell in sheet[top + 1]]
        used = [role for role in roles if role in ids]
        assert header[:2] == ["Activity", "ID"]
        assert header[2:] == [role_names[role] for role in used]  # the hub first
        assert header[2] == "Social-media manager"
        assert sheet.freeze_panes == f"C{top + 2}"
        rows = list(sheet.iter_rows(min_row=top + 2, max_row=top + 1 + len(result.matrix)))
        for row, (activity, letters) in zip(rows, result.matrix.items(), strict=True):
            assert row[1].value == activity
            assert row[0].value == View.of(scenario).row(activity)
            read = {ids[cell.column - 1]: cell.value for cell in row[2:] if cell.value}
            assert read == letters


def conditional_colours(sheet: Any) -> dict[str, tuple[str, str]]:
    """Letter -> (fill, font) of the sheet's conditional formats."""
    colours = {}
    for formatting in sheet.conditional_formatting:
        for rule in formatting.rules:
            assert rule.type == "cellIs"
            assert rule.operator == "equal"
            letter = rule.formula[0].strip('"')
            colours[letter] = (rule.dxf.fill.bgColor.rgb, rule.dxf.font.color.rgb)
    return colours


def test_letters_are_coloured_by_a_fixed_palette_and_explained_in_a_legend(
    manufacturer: tuple[Scenario, tuple[SolveResult, ...]],
) -> None:
    scenario, results = manufacturer
    book = load(solve_workbook(results, scenario))
    expected = {
        letter: (f"FF{fill[1:]}", f"FF{font[1:]}") for letter, (fill, font) in PALETTE.items()
    }
    assert set(expected) == set(LETTERS)
    sheet = book["Hub-and-spoke"]
    assert conditional_colours(sheet) == expected
    # the rules cover every letter cell of the matrix
    top = header_row(sheet)
    [area] = {str(f.sqref) for f in sheet.conditional_formatting}
    width = len(next(r for r in results if r.variant == "hub-and-spoke").workload)
    last = top + 1 + len(next(r for r in results if r.variant == "hub-and-spoke").matrix)
    assert area == f"C{top + 2}:{openpyxl.utils.get_column_letter(2 + width)}{last}"
    [validation] = sheet.data_validations.dataValidation
    assert validation.formula1 == '"R,A,C,I,A/R,S"'
    legend = {
        cell.value.split(" = ")[0]: cell.fill.fgColor.rgb
        for (cell,) in sheet.iter_rows(min_row=last + 1, min_col=1, max_col=1)
        if cell.value and " = " in cell.value
    }
    assert legend == {letter: fill for letter, (fill, _) in expected.items()}
    assert sheet.cell(last + 3 + LETTERS.index("S"), 1).value == (
        "S = consent: must agree before introduction"
    )


def test_the_workbook_reads_back_into_every_models_matrix(
    manufacturer: tuple[Scenario, tuple[SolveResult, ...]],
) -> None:
    scenario, results = manufacturer
    for lang in ("en", "de"):
        data = solve_workbook(results, scenario, View.of(scenario, lang))
        with_matrix = {r.variant: r.matrix for r in results if r.matrix}
        assert decode_matrices(data, "xlsx") == with_matrix
        assert "multi-hub" not in with_matrix  # not applicable to the manufacturer


def test_side_sheets_hold_workload_lint_and_explanations(
    manufacturer: tuple[Scenario, tuple[SolveResult, ...]],
) -> None:
    scenario, results = manufacturer
    book = load(solve_workbook(results, scenario, View.of(scenario)))
    overview = list(book["Overview"].values)
    assert [row[0] for row in overview[1:]] == [label(f"variant.{v}") for v in VARIANTS]
    central = next(r for r in results if r.variant == "central")
    assert central.objective is not None
    assert overview[1][3] == pytest.approx(central.objective.total)  # full precision kept
    assert book["Overview"]["D2"].number_format == "0.00"  # shown rounded
    workload = list(book["Workload"].values)
    assert workload[0] == (
        "Governance model",
        "Role",
        "ID",
        "Load (person-days/month)",
        "Capacity",
        "Utilisation",
    )
    csmo = next(row for row in workload if row[0] == "Central" and row[2] == "csmo")
    assert csmo[1] == "Social-media manager"
    assert csmo[5] == pytest.approx(central.workload["csmo"].utilisation)
    assert book["Workload"]["F2"].number_format == "0%"
    findings = list(book["Lint findings"].values)[1:]
    expected = [
        (label(f"variant.{r.variant}"), f.code)
        for r in results
        if r.matrix
        for f in lint(r.matrix, scenario).findings
    ]
    assert [(row[0], row[2]) for row in findings] == expected
    explained = list(book["Explanations"].values)[1:]
    assert central.explanation is not None
    assert len([row for row in explained if row[0] == "Central"]) == len(central.explanation.cells)
    assert {row[2] for row in explained} <= {role.name for role in scenario.roles}


def test_german_labels_and_the_scenarios_own_names(
    manufacturer: tuple[Scenario, tuple[SolveResult, ...]],
) -> None:
    scenario, results = manufacturer
    book = load(solve_workbook(results, scenario, View.of(scenario, "de")))
    assert book.sheetnames[:3] == ["Übersicht", "Zentral", "Hub-and-Spoke"]
    sheet = book["Zentral"]
    top = header_row(sheet)
    assert [sheet.cell(top, c).value for c in (1, 2, 3)] == [
        "Tätigkeit",
        "Kennung",
        "Social-media manager",  # as the scenario writes it
    ]
    assert sheet.cell(top + 2, 1).value == "Social-media strategy"
    assert any(cell.value == "Legende" for (cell,) in sheet.iter_rows(min_col=1, max_col=1))


CLASH = b"""id: clash
profile: {name: Clash GmbH, headcount: 200}
roles: [{id: a, name: "=A team", kind: hub}, {id: b, name: B}]
activities: [{id: x, name: X}]
rules:
  - {kind: fixed, role: a, activity: x, letter: A}
  - {kind: fixed, role: b, activity: x, letter: A}
"""


def test_a_model_without_a_matrix_says_why(builtin: dict[str, Scenario]) -> None:
    clash = decode_scenario(CLASH, "yaml")
    [infeasible] = solve_variants(clash, ("central",), FAST)
    assert infeasible.status == "infeasible"
    assert infeasible.diagnosis is not None
    sheet = load(solve_workbook([infeasible], clash))["Central"]
    lines = [cell.value for (cell,) in sheet.iter_rows(min_col=1, max_col=1) if cell.value]
    assert lines[1] == "infeasible: no matrix satisfies every hard rule"
    assert lines[2] == f"diagnosis: {infeasible.diagnosis.summary}"
    assert any("Drop the rule" in line for line in lines)
    non_profit = builtin["non-profit"]
    [not_applicable] = solve_variants(non_profit, ("hub-and-spoke",), FAST)
    sheet = load(solve_workbook([not_applicable], non_profit))["Hub-and-spoke"]
    assert sheet["A2"].value == f"not-applicable: {not_applicable.message}"


def test_a_name_that_looks_like_a_formula_stays_text() -> None:
    clash = decode_scenario(CLASH.split(b"rules:")[0], "yaml")
    [result] = solve_variants(clash, ("central",), FAST)
    book = load(solve_workbook([result], clash))
    sheet = book["Central"]
    top = header_row(sheet)
    cell = sheet.cell(top, 3)
    assert (cell.value, cell.data_type) == ("=A team", "s")


def test_a_consultants_edited_workbook_is_read_back_by_lint(
    manufacturer: tuple[Scenario, tuple[SolveResult, ...]],
) -> None:
    scenario, results = manufacturer
    book = load(solve_workbook(results, scenario, View.of(scenario)))
    sheet = book["Central"]
    top = header_row(sheet)
    ids = [cell.value for cell in sheet[top + 1]]
    # the client makes the board accountable for the strategy, and the CSMO responsible
    strategy = next(row for row in sheet.iter_rows(min_row=top + 2) if row[1].value == "strategy")
    strategy[ids.index("ceo")].value = "a"
    strategy[ids.index("csmo")].value = "R"
    out = io.BytesIO()
    book.save(out)
    edited = decode_matrix(out.getvalue(), "xlsx", "central")
    central = next(r for r in results if r.variant == "central")
    assert edited == {
        **central.matrix,
        "strategy": {**central.matrix["strategy"], "ceo": "A", "csmo": "R"},
    }
    assert msgspec.to_builtins(lint(edited, scenario)) != msgspec.to_builtins(
        lint(central.matrix, scenario)
    )
