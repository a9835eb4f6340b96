"""The RACI subcommands of ``gremium`` (service.cli.raci), called through service.cli.main."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import msgspec
import openpyxl
import pytest

from models.raci.codec import decode_matrix, decode_scenario
from models.raci.types import VARIANTS
from service.cli import main
from service.schemas import SolveResponse

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "raci"
Run = tuple[int, str, str]


Gremium = Callable[..., Run]


@pytest.fixture
def gremium(capsys: pytest.CaptureFixture[str]) -> Gremium:
    def run(*argv: str) -> Run:
        code = main(list(argv))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return run


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


SCENARIO_HEAD = "id: mine\nprofile: {name: Mine, headcount: 200}\n"


def test_scenarios_lists_every_builtin(gremium: Gremium) -> None:
    code, out, _ = gremium("scenarios")
    assert code == 0
    listed = {line.split()[1] for line in out.splitlines() if line.startswith("raci ")}
    assert listed == {path.stem for path in SCENARIOS.glob("*.yaml")}
    assert "csmo-ceo" in listed


def test_solve_one_variant_as_json(gremium: Gremium) -> None:
    code, out, _ = gremium("solve", "non-profit", "--variant", "central", "--format", "json")
    assert code == 0
    # the API's answer, for one model as for all: {"scenario", "results": [...], "budget"}
    answer = msgspec.json.decode(out, type=SolveResponse)
    [result] = answer.results
    assert answer.scenario == "non-profit"  # budget: what the time limit cut, machine-dependent
    assert (result.scenario, result.variant, result.status) == ("non-profit", "central", "optimal")
    assert sorted(json.loads(out)) == ["budget", "machine_dependent", "results", "scenario"]


def test_solve_every_variant_as_csv(gremium: Gremium) -> None:
    code, out, _ = gremium("solve", "csmo-debate", "--format", "csv", "--time-limit", "30")
    assert code == 0
    rows = out.splitlines()
    assert rows[1].startswith("variant,name,activity,csmo,")
    assert {row.split(",")[0] for row in rows[2:]} == set(VARIANTS)


def test_solve_a_scenario_file_as_a_table(gremium: Gremium, tmp_path: Path) -> None:
    # business units: the spokes hub-and-spoke needs
    path = write(tmp_path, "mine.yaml", SCENARIO_HEAD.replace("200}", "200, business_units: 2}"))
    code, out, _ = gremium("solve", path, "--variant", "hub-and-spoke", "--solver", "highs")
    assert code == 0
    assert out.startswith("Mine · Hub-and-spoke · optimal")
    assert "\nSocial-media strategy " in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SCENARIO_HEAD + "roles: [{id: a, name: A, capacity: -3}]\n", "#/roles/0/capacity: "),
        (
            SCENARIO_HEAD + "rules: [{kind: involved, role: cmso, activity: strategy}]\n",
            "#/rules/0/role: unknown role 'cmso'",
        ),
        (
            SCENARIO_HEAD + "roles: [{id: a, name: A}, {id: a, name: B}]\n",
            "#/roles/1/id: duplicate id 'a'",
        ),
        (SCENARIO_HEAD + "colour: blue\n", "#/colour: Object contains unknown field"),
        ("id: [unclosed\n", "#: while parsing"),
    ],
)
def test_an_invalid_scenario_file_names_the_field(
    gremium: Gremium, tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, "bad.yaml", text)
    code, out, err = gremium("solve", path)
    assert code == 2
    assert out == ""
    assert f"gremium: error: {path}{expected}" in err


def test_a_missing_file_is_exit_2(gremium: Gremium, tmp_path: Path) -> None:
    code, _, err = gremium("solve", str(tmp_path / "nowhere.yaml"))
    assert code == 2
    assert "No such file" in err


def test_an_unknown_builtin_suggests_the_closest(gremium: Gremium) -> None:
    code, _, err = gremium("solve", "csmo-ceos")
    assert code == 2
    assert "did you mean 'csmo-ceo'?" in err
    assert "non-profit" in err


def test_a_bad_time_limit_is_exit_2(gremium: Gremium) -> None:
    code, _, err = gremium("solve", "non-profit", "--time-limit", "-1")
    assert code == 2
    assert "--time-limit" in err


CLEAN = "activity,csmo,ceo\nstrategy,A/R,C\nkpis,A/R,I\n"


def test_lint_a_clean_csv_exits_0_and_a_broken_one_1(gremium: Gremium, tmp_path: Path) -> None:
    code, out, _ = gremium("lint", write(tmp_path, "clean.csv", CLEAN))
    assert code == 0
    assert "0 errors" in out or out == "no findings\n"
    broken = write(tmp_path, "broken.json", '{"strategy": {"csmo": "C"}}')
    code, out, _ = gremium("lint", broken, "--format", "csv")
    assert code == 1
    assert "error,no-accountable,activity,strategy," in out.removeprefix("\ufeff")


def test_lint_against_a_scenario(gremium: Gremium, tmp_path: Path) -> None:
    code, out, _ = gremium(
        "lint", write(tmp_path, "m.csv", CLEAN), "--scenario", "csmo-ceo", "--format", "json"
    )
    assert code == 1  # most activities of the scenario are missing
    assert '"code":"activity-missing"' in out
    code, _, err = gremium(
        "lint",
        write(tmp_path, "ghost.csv", "activity,ghost\nstrategy,A/R\n"),
        "--scenario",
        "csmo-ceo",
    )
    assert code == 2
    assert "ghost.csv#/strategy/ghost: role 'ghost' is not in the scenario" in err


def test_lint_reads_consent_and_per_unit_rows(gremium: Gremium, tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", "activity;csmo;wc;bu-a\nchannels@bu-a;C;s;A/R\n")
    code, out, _ = gremium("lint", path, "--format", "csv")
    assert code == 0
    # only the CSMO, which is merely consulted, is questioned: S is consent, not no letter
    assert out.splitlines()[1:] == [
        "info,no-responsibility,role,csmo,Role 'csmo' has no R and no A; is the role needed here?"
    ]


def test_lint_a_bad_letter_names_the_cell(gremium: Gremium, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.csv", "activity,csmo\nstrategy,X\n")
    code, _, err = gremium("lint", path)
    assert code == 2
    assert f"{path}#/1/1: B2: 'X' is not a RACI letter" in err


def test_generate_writes_a_scenario_that_decodes(gremium: Gremium, tmp_path: Path) -> None:
    code, out, _ = gremium("generate", "--roles", "9", "--activities", "16", "--seed", "3")
    assert code == 0
    scenario = decode_scenario(out.encode(), "yaml")
    assert (len(scenario.roles), len(scenario.activities)) == (9, 16)
    target = tmp_path / "g.yaml"
    code, _, err = gremium(
        "generate", "--roles", "9", "--activities", "16", "--seed", "3", "--output", str(target)
    )
    assert code == 0
    assert decode_scenario(target.read_bytes(), "yaml") == scenario
    assert "9 roles, 16 activities" in err


def test_generate_refuses_impossible_sizes(gremium: Gremium) -> None:
    code, _, err = gremium("generate", "--roles", "0", "--activities", "5", "--seed", "-1")
    assert code == 2
    assert "--roles: must be between 1 and 1000, got 0" in err
    assert "--seed: must be between 0" in err


def test_csv_from_solve_lints_without_errors(gremium: Gremium, tmp_path: Path) -> None:
    code, out, _ = gremium("solve", "it-led", "--variant", "distributed", "--format", "csv")
    assert code == 0
    matrix = decode_matrix(out.encode(), "csv")
    path = write(tmp_path, "proposal.csv", out)
    code, report, _ = gremium("lint", path, "--scenario", "it-led", "--format", "csv")
    assert code == 0, report
    assert not [line for line in report.splitlines() if line.startswith("error,")]
    # it-led has 17 activities and two business units; distributed splits seven of them
    # per unit (content, campaigns, community, monitoring, customer care, channels, KPIs):
    # 10 shared rows + 7 x 2 unit rows, each activity's unit rows next to each other
    assert len(matrix) == 24
    rows = list(matrix)
    assert rows[rows.index("channels@bu-products") + 1] == "channels@bu-services"
    # the works council consents on every row of the codetermined activities
    codetermined = ("guidelines", "internal-tools", "works-agreement", "monitoring@bu-products")
    for row in (*codetermined, "channels@bu-services"):
        assert matrix[row]["works-council"] == "S"


def test_csv_of_an_infeasible_solve_says_why_on_stderr(gremium: Gremium, tmp_path: Path) -> None:
    # two roles fixed to A on one activity: no matrix; a CSV has no place for the status
    text = SCENARIO_HEAD + (
        "roles: [{id: a, name: A, kind: hub}, {id: b, name: B}]\n"
        "activities: [{id: x, name: X}]\n"
        "rules:\n"
        "  - {kind: fixed, role: a, activity: x, letter: A}\n"
        "  - {kind: fixed, role: b, activity: x, letter: A}\n"
    )
    path = write(tmp_path, "clash.yaml", text)
    code, out, err = gremium("solve", path, "--variant", "central", "--format", "csv")
    assert code == 1
    # the CSV keeps the verdict and the diagnosis in note rows, which a reader skips
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert rows[2][:2] == ["central", "infeasible: no matrix satisfies every hard rule"]
    assert rows[3][1].startswith("diagnosis: ")
    assert any(row[1].startswith("• Drop the rule '") for row in rows)
    assert decode_matrix(out.encode(), "csv") == {}
    assert "gremium: mine · central · infeasible: no matrix satisfies every hard rule" in err
    assert "These two rules both name an accountable for X: 'A holds A on X' and " in err
    assert "  fix 1 (cost 1): optimal matrix" in err
    assert "    - Drop the rule 'B holds A on X'." in err or "    - Drop the rule 'A holds" in err


NON_PROFIT_HUB_AND_SPOKE = (
    "not-applicable: Hub-and-spoke needs business units (spokes) to run execution; Riverside "
    "Youth Aid has none — create a business unit or regional team per line of work, or choose "
    "central."
)


def test_a_model_the_organisation_cannot_run_alone_is_bad_news(gremium: Gremium) -> None:
    code, out, _ = gremium("solve", "non-profit", "--variant", "hub-and-spoke")
    assert code == 1  # no model solved: like an infeasible one
    assert out == f"Riverside Youth Aid · Hub-and-spoke · {NON_PROFIT_HUB_AND_SPOKE}\n"


def test_a_model_that_does_not_apply_among_solved_ones_is_not_bad_news(gremium: Gremium) -> None:
    code, out, _ = gremium("solve", "non-profit", "--format", "json")
    assert code == 0
    results = msgspec.json.decode(out, type=SolveResponse).results
    statuses = {result.variant: result.status for result in results}
    assert statuses == {
        "central": "optimal",
        "hub-and-spoke": "not-applicable",
        "distributed": "optimal",
        "multi-hub": "not-applicable",
        "holistic": "optimal",
    }
    for result in results:
        assert result.applicability is not None
        assert result.applicability.applicable == (result.status == "optimal")


def test_csv_says_why_a_model_does_not_apply_in_its_row_and_on_stderr(
    gremium: Gremium, tmp_path: Path
) -> None:
    code, out, err = gremium("solve", "non-profit", "--format", "csv")
    assert code == 0
    rows = {row[0]: row for row in csv.reader(io.StringIO(out)) if row[0] == "hub-and-spoke"}
    assert rows["hub-and-spoke"][1] == NON_PROFIT_HUB_AND_SPOKE
    assert not any(rows["hub-and-spoke"][2:])
    assert f"gremium: non-profit · hub-and-spoke · {NON_PROFIT_HUB_AND_SPOKE}" in err
    # the whole file reads back into lint, one model at a time
    path = write(tmp_path, "all.csv", out)
    code, _, err = gremium("lint", path, "--scenario", "non-profit")
    assert code == 2
    assert "choose one" in err
    code, report, _ = gremium("lint", path, "--scenario", "non-profit", "--variant", "central")
    assert code == 0, report


def test_solve_writes_a_workbook_that_lint_reads_back(gremium: Gremium, tmp_path: Path) -> None:
    target = tmp_path / "proposal.xlsx"
    code, out, err = gremium(
        "solve", "it-led", "--format", "xlsx", "--output", str(target), "--lang", "de"
    )
    assert code == 0
    assert out == ""
    assert f"wrote {target}: 5 governance model(s) of it-led" in err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["Übersicht", "Zentral", "Hub-and-Spoke"]
    code, report, err = gremium("lint", str(target), "--scenario", "it-led")
    assert code == 2
    assert "choose one" in err
    code, report, _ = gremium(
        "lint", str(target), "--scenario", "it-led", "--variant", "distributed", "--lang", "de"
    )
    assert code == 0, report
    code, _, err = gremium("solve", "it-led", "--format", "xlsx")
    assert code == 2
    assert "--output: --format xlsx writes a file: --output FILE.xlsx" in err


def test_german_csv_is_semicolon_separated_and_reads_back(gremium: Gremium, tmp_path: Path) -> None:
    code, out, _ = gremium(
        "solve", "non-profit", "--variant", "central", "--format", "csv", "--lang", "de"
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Governance-Modell", "Tätigkeit", "Kennung"]
    code, report, _ = gremium(
        "lint", write(tmp_path, "central.csv", out), "--scenario", "non-profit", "--format", "csv"
    )
    assert code == 0, report


def test_solve_draws_each_models_heatmap_into_its_own_file(
    gremium: Gremium, tmp_path: Path
) -> None:
    target = tmp_path / "matrix.png"
    code, _, err = gremium("solve", "non-profit", "--format", "png", "--output", str(target))
    assert code == 0
    for variant in VARIANTS:
        path = tmp_path / f"matrix-{variant}.png"
        assert path.read_bytes().startswith(b"\x89PNG")
        assert f"wrote {path}: the {variant} matrix of non-profit as PNG" in err
    one = tmp_path / "central.svg"
    code, _, err = gremium(
        "solve", "non-profit", "--variant", "central", "--format", "svg", "--output", str(one)
    )
    assert code == 0
    assert b"Riverside Youth Aid" in one.read_bytes()
    code, _, err = gremium("solve", "non-profit", "--format", "pdf")
    assert code == 2
    assert "--output" in err
