"""What a consultant downloads and uploads: workbooks from solve and from a stored
recommendation, German labels by Accept-Language, lint of a CSV or workbook body, and a diff of
two uploaded files."""

from __future__ import annotations

import csv
import io
from html import unescape
from typing import Any

import openpyxl
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from models.labels import label
from models.raci.codec import decode_matrix
from service.catalogue import Catalogue
from service.schemas import XLSX

Client = TestClient[Litestar]
SCENARIO = "mittelstand-manufacturer"
FAST = {"time_limit": 5, "alternatives_seconds": 0}


def workbook(response: Any) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def solve(client: Client, **headers: str) -> Any:
    body = {"scenario": SCENARIO, "variant": "hub-and-spoke", "options": FAST}
    return client.post("/v1/raci/solve", json=body, headers=headers)


def test_solve_answers_a_workbook_with_names_in_the_language_asked(
    client: Client, catalogue: Catalogue
) -> None:
    scenario = catalogue.raci[SCENARIO]
    english = workbook(solve(client, Accept=XLSX))
    assert english.sheetnames[:2] == ["Overview", "Hub-and-spoke"]
    german = workbook(solve(client, Accept=XLSX, **{"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}))
    assert german.sheetnames[:2] == ["Übersicht", "Hub-and-Spoke"]
    sheet = german["Hub-and-Spoke"]
    assert sheet["A1"].value == f"{scenario.profile.name} — Hub-and-Spoke"
    cells = {cell.value for row in sheet.iter_rows() for cell in row}
    assert {"Tätigkeit", "Social-media manager", "Works council", "S"} <= cells
    as_json = solve(client).json()["results"][0]["matrix"]
    data = solve(client, Accept=XLSX).content
    assert decode_matrix(data, "xlsx", "hub-and-spoke") == as_json


def test_german_csv_is_semicolon_separated_with_names(client: Client) -> None:
    response = solve(client, Accept="text/csv", **{"Accept-Language": "de"})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), dialect="excel", delimiter=";"))
    assert rows[0][:3] == ["Governance-Modell", "Tätigkeit", "Kennung"]
    assert rows[2][:3] == ["hub-and-spoke", "Social-media strategy", "strategy"]
    english = solve(client, Accept="text/csv", **{"Accept-Language": "fr, en;q=0.1"})
    assert english.content.decode("utf-8-sig").startswith("Governance model,Activity,ID,")


def test_lint_takes_a_csv_or_a_workbook_body(client: Client) -> None:
    csv_body = solve(client, Accept="text/csv").content
    xlsx_body = solve(client, Accept=XLSX).content
    as_json = solve(client).json()["results"][0]["matrix"]
    expected = client.post("/v1/raci/lint", json={"matrix": as_json, "scenario": SCENARIO}).json()
    for body, media_type in ((csv_body, "text/csv"), (xlsx_body, XLSX)):
        response = client.post(
            f"/v1/raci/lint?scenario={SCENARIO}&variant=hub-and-spoke",
            content=body,
            headers={"Content-Type": media_type},
        )
        assert response.status_code == 200, response.text
        assert response.json() == expected
    german = client.post(
        f"/v1/raci/lint?scenario={SCENARIO}",
        content=csv_body,
        headers={"Content-Type": "text/csv", "Accept": "text/csv", "Accept-Language": "de"},
    )
    assert german.content.decode("utf-8-sig").startswith("Schwere;Code;Bereich;Ziel;Meldung")


def test_a_bad_matrix_body_names_the_cell_and_other_media_are_415(client: Client) -> None:
    response = client.post(
        "/v1/raci/lint",
        content=b"activity,csmo\nstrategy,X\n",
        headers={"Content-Type": "text/csv"},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["pointer"], error["detail"].split(":")[0]) == ("/1/1", "B2")
    junk = client.post("/v1/raci/lint", content=b"PK junk", headers={"Content-Type": XLSX})
    assert junk.status_code == 422
    assert "not an Excel workbook" in junk.json()["errors"][0]["detail"]
    several = client.post(
        "/v1/raci/lint",
        content=client.post(
            "/v1/raci/solve",
            json={"scenario": SCENARIO, "options": FAST},
            headers={"Accept": "text/csv"},
        ).content,
        headers={"Content-Type": "text/csv"},
    )
    assert several.status_code == 422
    assert "choose one" in several.json()["errors"][0]["detail"]
    plain = client.post("/v1/raci/lint", content=b"x", headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415


def test_diff_takes_two_files(client: Client) -> None:
    proposal = solve(client, Accept=XLSX).content
    current = b"activity,csmo,ceo\nstrategy,A/R,I\n"
    response = client.post(
        "/v1/raci/diff",
        data={"scenario": SCENARIO, "variant": "hub-and-spoke"},
        files={
            "current": ("current.csv", current, "text/csv"),
            "proposed": ("proposal.xlsx", proposal, XLSX),
        },
    )
    assert response.status_code == 200, response.text
    matrix = solve(client).json()["results"][0]["matrix"]
    expected = client.post(
        "/v1/raci/diff",
        json={
            "scenario": SCENARIO,
            "variant": "hub-and-spoke",
            "current": {"strategy": {"csmo": "A/R", "ceo": "I"}},
            "proposed": matrix,
        },
    ).json()
    assert response.json() == expected
    missing = client.post(
        "/v1/raci/diff",
        data={"scenario": SCENARIO},
        files={"current": ("current.csv", current, "text/csv")},
    )
    assert missing.status_code == 422
    assert {e["pointer"] for e in missing.json()["errors"]} == {"/variant", "/proposed"}


@pytest.fixture
def stored(client: Client) -> str:
    body = {"scenario": SCENARIO, "discussion": SCENARIO, "options": {"time_limit": 5}}
    response = client.post("/v1/recommendations", json=body)
    assert response.status_code == 201
    location: str = response.headers["location"]
    return location


def test_a_recommendation_as_a_workbook(client: Client, catalogue: Catalogue, stored: str) -> None:
    recommendation = client.get(stored).json()["recommendation"]
    book = workbook(client.get(stored, headers={"Accept": XLSX}))
    recommended = label(f"variant.{recommendation['recommended']}")
    assert book.sheetnames == [
        "Ranking",
        "Summary",
        recommended,
        "Lint findings",
        "Discussion",
        "Staged path",
    ]
    ranking = list(book["Ranking"].values)
    assert ranking[0][:5] == ("Rank", "Governance model", "Status", "Fit", "Score")
    assert [row[1] for row in ranking[1:6]] == [
        label(f"variant.{entry['variant']}") for entry in recommendation["ranking"]
    ]
    assert ranking[1][4] == pytest.approx(recommendation["ranking"][0]["score"]["total"])
    assert ranking[1][-1] == recommendation["ranking"][0]["reason"]
    names = {cell.value for row in book[recommended].iter_rows() for cell in row}
    assert catalogue.raci[SCENARIO].roles[0].name in names
    data = client.get(stored, headers={"Accept": XLSX}).content
    assert decode_matrix(data, "xlsx") == recommendation["matrix"]
    accepted = {row[0]: row[1] for row in list(book["Discussion"].values)[1:6]}
    assert set(accepted) == {label(f"variant.{e['variant']}") for e in recommendation["ranking"]}
    summary = [row[0] for row in book["Summary"].values]
    assert recommendation["summary"] in summary
    german = workbook(client.get(stored, headers={"Accept": XLSX, "Accept-Language": "de"}))
    assert german.sheetnames[0] == "Rangfolge"
    fragment = client.get(stored, headers={"Accept": "text/html", "Accept-Language": "de"}).text
    assert 'lang="de"' in fragment
    assert "<caption>Rangfolge</caption>" in fragment
    assert recommendation["summary"] in unescape(fragment)
