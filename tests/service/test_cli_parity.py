"""The command line against the API: the same JSON for the same request, diff, the version,
defaults in help, tables that fit the terminal, and the README's commands on examples/."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shlex
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from models.core import LETTERS
from service.cli import build_parser, main
from service.cli.raci import load_scenario

ROOT = Path(__file__).resolve().parents[2]
Run = Callable[..., tuple[int, str, str]]
Client = TestClient[Litestar]


@pytest.fixture
def gremium(capsys: pytest.CaptureFixture[str]) -> Run:
    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        # the test client's request log, emitted from Litestar's logging thread into a stream
        # an earlier test captured, is not the command's
        own = re.sub(r"--- Logging error ---.*?Arguments: [^\n]*\n", "", err, flags=re.S)
        assert "Traceback" not in out + own, own
        return code, out, own

    return run


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"gremium {version('gremium')}\n"


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(commands.choices)


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_help_shows_every_default(name: str) -> None:
    parser = subcommands()[name]
    text = " ".join(parser.format_help().split())  # argparse wraps lines anywhere
    for action in parser._actions:
        default = action.default
        if not action.option_strings or default in (None, False, [], argparse.SUPPRESS):
            continue
        assert f"(default: {default})" in text, (name, action.option_strings)


def test_help_states_units() -> None:
    text = " ".join(subcommands()["solve"].format_help().split())
    assert "seconds for everything the command solves (default: 10.0)" in text
    capacity = " ".join(subcommands()["what-if"].format_help().split())
    assert "person-days per month" in capacity


def test_scenarios_as_json_is_the_apis_list(gremium: Run, client: Client) -> None:
    code, out, _ = gremium("scenarios", "--format", "json")
    assert code == 0
    assert json.loads(out) == client.get("/v1/scenarios").json()


CURRENT = {"strategy": {"csmo": "A/R", "ceo": "C"}, "monitoring": {"csmo": "A/R"}}
PROPOSED = {"strategy": {"ceo": "A", "csmo": "R"}, "monitoring": {"csmo": "A/R", "ceo": "I"}}


def test_diff_as_json_is_the_apis_answer(gremium: Run, client: Client, tmp_path: Path) -> None:
    (tmp_path / "current.json").write_text(json.dumps(CURRENT))
    proposed = tmp_path / "proposed.csv"  # a client's own CSV: role ids first, activity ids
    proposed.write_text("activity,csmo,ceo\nstrategy,R,A\nmonitoring,A/R,I\n")
    argv = [str(tmp_path / "current.json"), str(proposed), "--scenario", "csmo-ceo"]
    code, out, _ = gremium("diff", *argv, "--variant", "central", "--format", "json")
    assert code == 0
    body = {"scenario": "csmo-ceo", "variant": "central", "current": CURRENT, "proposed": PROPOSED}
    api = client.post("/v1/raci/diff", json=body)
    assert api.status_code == 200
    assert json.loads(out) == api.json()
    # the three cells that change, read independently of the code under test
    changes = {(c["activity"], c["role"], c["before"], c["after"]) for c in api.json()["changes"]}
    assert changes == {
        ("strategy", "ceo", "C", "A"),
        ("strategy", "csmo", "A/R", "R"),
        ("monitoring", "ceo", None, "I"),
    }


def test_diff_as_a_table_names_roles_and_activities(gremium: Run, tmp_path: Path) -> None:
    for name, matrix in (("current", CURRENT), ("proposed", PROPOSED)):
        (tmp_path / f"{name}.json").write_text(json.dumps(matrix))
    code, out, _ = gremium(
        "diff",
        str(tmp_path / "current.json"),
        str(tmp_path / "proposed.json"),
        "--scenario=csmo-ceo",
        "--variant=central",
    )
    assert code == 0
    rows = [line.split("  ") for line in out.splitlines()]
    cells = [[part.strip() for part in row if part.strip()] for row in rows]
    assert ["Social-media strategy", "Executive board", "C", "A"] in cells
    assert ["Social-media strategy", "Chief Social Media Officer", "A/R", "R"] in cells
    assert any(row[:1] == ["total"] and len(row) == 4 for row in cells)
    code, _, err = gremium("diff", str(tmp_path / "current.json"), "nope.csv", "--scenario",
                           "csmo-ceo", "--variant", "central")  # fmt: skip
    assert code == 2
    assert "nope.csv" in err


def grid_blocks(lines: list[str]) -> list[tuple[list[str], list[list[str]]]]:
    """The terminal grids in ``lines``: each block's header and rows, cut at the rule's
    dashes."""
    found = []
    for i, line in enumerate(lines[:-1]):
        if line.startswith("Activity") and lines[i + 1].startswith("-"):
            spans = [m.span() for m in re.finditer(r"-+", lines[i + 1])]
            rows = []
            for row in lines[i + 2 :]:
                if not row or row.startswith("-"):
                    break
                rows.append([row[a:b].strip() for a, b in spans])
            found.append(([line[a:b].strip() for a, b in spans], rows))
    return found


@pytest.mark.parametrize("width", [60, 100])
def test_a_solve_table_fits_the_width_and_keeps_every_letter(gremium: Run, width: int) -> None:
    argv = ("solve", "mittelstand-manufacturer", "--variant", "hub-and-spoke", "--time-limit", "5")
    code, out, _ = gremium(*argv, "--format", "json")
    assert code == 0
    [result] = json.loads(out)["results"]
    code, table, _ = gremium(*argv, "--width", str(width))
    lines = table.splitlines()
    assert max(map(len, lines)) <= width
    start = next(i for i, line in enumerate(lines) if line.startswith("Roles: "))
    end = next(i for i, line in enumerate(lines) if line.startswith("Legend: "))
    key = " ".join(lines[start:end]).removeprefix("Roles: ").strip()
    numbered = dict(item.split(" = ", 1) for item in key.split(" · "))
    assert numbered["1"] == "Social-media manager"
    roles = {r.name: r.id for r in load_scenario("mittelstand-manufacturer").roles}
    counted: dict[str, int] = {}
    blocks = grid_blocks(lines)
    assert len(blocks) >= (2 if width == 60 else 1)
    for header, rows in blocks:
        for code_, column in zip(header[1:], range(1, len(header)), strict=True):
            role = roles[numbered[code_]]
            counted[role] = counted.get(role, 0) + sum(row[column] in LETTERS for row in rows)
    expected = dict.fromkeys(result["workload"], 0)
    for row in result["matrix"].values():
        for role in row:
            expected[role] += 1
    assert counted == expected


def readme_commands() -> list[list[str]]:
    """Every ``$ ./dev gremium …`` line of the README that uses a file of examples/."""
    commands = []
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("$ ./dev gremium ") and "examples/" in line:
            commands.append(shlex.split(line.removeprefix("$ ./dev gremium "), comments=True))
    return commands


def test_the_readme_uses_the_examples() -> None:
    used = {part for command in readme_commands() for part in command if "examples/" in part}
    shipped = {f"examples/{path.name}" for path in (ROOT / "examples").iterdir()}
    assert used == shipped


@pytest.mark.parametrize("argv", readme_commands(), ids=" ".join)
def test_every_readme_command_on_the_examples_runs(
    argv: list[str], gremium: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    argv = [*argv, "--time-limit", "5"] if argv[0] in ("solve", "recommend", "what-if") and (
        "--time-limit" not in argv) else argv  # fmt: skip
    code, out, err = gremium(*argv)
    assert code in (0, 1), err  # 1: the answer is bad news (a client's matrix with errors)
    assert out or "wrote " in err


def test_recommend_as_json_is_the_apis_answer_with_its_id(gremium: Run, client: Client) -> None:
    code, out, _ = gremium(
        "recommend", "it-led", "--stability", "none", "--time-limit", "5", "--format", "json"
    )
    assert code == 0
    body = {"scenario": "it-led", "options": {"time_limit": 5}, "stability": "none"}
    api = client.post("/v1/recommendations", json=body)
    assert api.status_code == 201
    mine, theirs = json.loads(out), api.json()
    assert sorted(mine) == sorted(theirs) == ["id", "recommendation"]
    assert mine["id"] == theirs["id"]  # the same request, the same stored id
    assert mine["recommendation"]["recommended"] == theirs["recommendation"]["recommended"]


def test_export_writes_a_saved_solve_as_csv_and_a_workbook(gremium: Run, tmp_path: Path) -> None:
    code, out, _ = gremium("solve", "non-profit", "--variant", "central", "--format", "json")
    assert code == 0
    saved = tmp_path / "solve.json"
    saved.write_text(out)
    [result] = json.loads(out)["results"]
    code, text, _ = gremium("export", str(saved), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    ids = rows[1]  # the second header row: what a machine reads back
    read = {
        row[ids.index("activity")]: {
            role: letter for role, letter in zip(ids[3:], row[3:], strict=True) if letter
        }
        for row in rows[2:]
        if row[ids.index("activity")]
    }
    assert read == result["matrix"]
    book = tmp_path / "solve.xlsx"
    code, _, err = gremium("export", str(saved), "--format", "xlsx", "--output", str(book))
    assert (code, f"wrote {book}" in err) == (0, True)
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert "Central" in sheets


def test_export_writes_a_stored_recommendation_as_the_apis_fragment(
    gremium: Run, client: Client, tmp_path: Path
) -> None:
    body = {"scenario": "it-led", "options": {"time_limit": 5}, "stability": "none"}
    location = client.post("/v1/recommendations", json=body).headers["location"]
    saved = tmp_path / "stored.json"
    saved.write_bytes(client.get(location).content)
    headers = {"Accept": "text/html", "Accept-Language": "de"}
    fragment = client.get(f"{location}?heading=3", headers=headers).text
    code, out, _ = gremium(
        "export", str(saved), "--format", "html", "--heading", "3", "--lang", "de"
    )
    assert code == 0
    assert out == fragment + "\n"


def test_export_refuses_what_it_cannot_write(gremium: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.json"
    other.write_text('{"strategy": {"csmo": "A"}}')
    code, _, err = gremium("export", str(other))
    assert code == 2
    assert "neither a solve" in err
    stored = tmp_path / "stored.json"
    stored.write_text('{"id": "0123456789abcdef", "recommendation": {"scenario": 1}}')
    code, _, err = gremium("export", str(stored), "--format", "html")
    assert code == 2
    assert f"{stored}#/recommendation" in err


def test_a_lint_table_wraps_its_messages_within_the_width(gremium: Run) -> None:
    argv = (
        "lint",
        str(ROOT / "examples" / "current.csv"),
        "--scenario",
        "mittelstand-manufacturer",
    )
    code, out, _ = gremium(*argv, "--format", "json")
    assert code == 1  # the client's matrix has errors
    expected = [finding["message"] for finding in json.loads(out)["findings"]]
    code, table, _ = gremium(*argv, "--width", "80")
    lines = table.splitlines()
    assert max(map(len, lines)) <= 80
    start = [m.start() for m in re.finditer(r"-+", lines[1])][-1]
    messages: list[str] = []
    for line in lines[2:-1]:  # between the rule and the counts
        if line[:1].strip():
            messages.append(line[start:].strip())
        else:
            messages[-1] += " " + line[start:].strip()
    assert messages == expected


def test_a_generated_scenario_as_json_is_what_the_api_takes_inline(
    gremium: Run, client: Client
) -> None:
    code, out, _ = gremium("generate", "--roles", "6", "--activities", "8", "--format", "json")
    assert code == 0
    scenario = json.loads(out)
    body = {"scenario": scenario, "variant": "central", "options": {"explain": False}}
    answer = client.post("/v1/raci/solve", json=body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["scenario"] == scenario["id"]


def test_serve_refuses_a_cors_origin_with_a_path_in_one_line(
    gremium: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GREMIUM_CORS_ORIGINS", "https://portal.example.com/app")
    code, out, err = gremium("serve", "--port", "1")
    assert (code, out) == (2, "")
    assert err == (
        "gremium: error: GREMIUM_CORS_ORIGINS: 'https://portal.example.com/app' is not an "
        "origin: an origin has no path, query or fragment (did you mean "
        "https://portal.example.com?)\n"
    )
