"""POST /v1/raci/{solve,lint,diff}: answers, media types, and every way a request can be wrong."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from models.raci import variants
from models.raci.types import VARIANTS
from service.catalogue import Catalogue

from .conftest import Factory

Client = TestClient[Litestar]


def pointers(response: Any) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json"
    return [error["pointer"] for error in response.json()["errors"]]


def accountable_roles(row: dict[str, str]) -> list[str]:
    return [role for role, letter in row.items() if letter in ("A", "A/R")]


def test_solve_builtin_one_variant_obeys_the_raci_rules(
    client: Client, catalogue: Catalogue, raci_id: str
) -> None:
    response = client.post("/v1/raci/solve", json={"scenario": raci_id, "variant": "central"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["scenario"] == raci_id
    [result] = body["results"]
    assert result["variant"] == "central"
    assert result["status"] == "optimal"
    activities = {activity.id for activity in catalogue.raci[raci_id].activities}
    assert set(result["matrix"]) == activities
    for row in result["matrix"].values():
        assert len(accountable_roles(row)) == 1
        assert any(letter in ("R", "A/R") for letter in row.values())


def test_solve_all_answers_every_variant_in_order(client: Client, raci_id: str) -> None:
    response = client.post(
        "/v1/raci/solve", json={"scenario": raci_id, "options": {"explain": False}}
    )
    assert response.status_code == 200
    assert [r["variant"] for r in response.json()["results"]] == list(VARIANTS)


def test_solve_answers_csv_and_markdown_when_accepted(
    client: Client, catalogue: Catalogue, raci_id: str
) -> None:
    request = {"scenario": raci_id, "variant": "hub-and-spoke", "options": {"explain": False}}
    as_csv = client.post("/v1/raci/solve", json=request, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.content.startswith(b"\xef\xbb\xbf")  # a UTF-8 byte-order mark: Excel
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    # two header rows (names, ids), then one CSV row per matrix row: the shared activities,
    # and one row per business unit of each activity hub-and-spoke devolves, by name and id
    scenario = catalogue.raci[raci_id]
    expected = {row.id: row.name for row in variants.rows(scenario, "hub-and-spoke")}
    assert len(rows) == 2 + len(expected)
    assert rows[1][:3] == ["variant", "name", "activity"]
    assert {row[2]: row[1] for row in rows[2:]} == expected
    assert {row[0] for row in rows[2:]} == {"hub-and-spoke"}
    assert rows[0][3:] == [role.name for role in scenario.roles if role.kind == "hub"] + [
        role.name for role in scenario.roles if role.kind != "hub"
    ]
    as_markdown = client.post(
        "/v1/raci/solve", json=request, headers={"Accept": "text/markdown, text/csv;q=0.5"}
    )
    assert as_markdown.status_code == 200
    assert as_markdown.headers["content-type"].startswith("text/markdown")
    assert "| Activity |" in as_markdown.text
    assert as_markdown.text.startswith(f"## {scenario.profile.name} — Hub-and-spoke\n")


def test_solve_refuses_a_media_type_it_cannot_produce(client: Client, raci_id: str) -> None:
    response = client.post(
        "/v1/raci/solve", json={"scenario": raci_id}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 406
    assert response.json()["type"] == "/problems/not-acceptable"


def test_solve_completes_a_profile_only_scenario(client: Client) -> None:
    scenario = {"id": "tiny", "profile": {"name": "Tiny GmbH", "headcount": 40}}
    response = client.post(
        "/v1/raci/solve",
        json={"scenario": scenario, "variant": "central", "options": {"explain": False}},
    )
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "optimal"
    assert result["matrix"]


def test_an_infeasible_scenario_is_an_answer_with_a_diagnosis(client: Client) -> None:
    # Nobody has any capacity, yet every activity needs someone responsible.
    scenario = {
        "id": "no-capacity",
        "profile": {"name": "Hollow AG", "headcount": 40},
        "roles": [
            {"id": "csmo", "name": "CSMO", "kind": "hub", "capacity": 0},
            {"id": "ceo", "name": "CEO", "kind": "executive", "capacity": 0},
        ],
    }
    response = client.post("/v1/raci/solve", json={"scenario": scenario, "variant": "central"})
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "infeasible"
    assert result["diagnosis"]["summary"]


def test_a_model_the_organisation_cannot_run_is_an_answer_with_the_reason(
    client: Client,
) -> None:
    # the non-profit has no business units: no spokes for hub-and-spoke
    request = {"scenario": "non-profit", "variant": "hub-and-spoke"}
    response = client.post("/v1/raci/solve", json=request)
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "not-applicable"
    assert (result["objective"], result["matrix"], result["workload"]) == (None, {}, {})
    assert result["applicability"]["applicable"] is False
    assert "Riverside Youth Aid has none" in result["applicability"]["reason"]
    assert result["applicability"]["remedy"].endswith("or choose central.")
    assert result["solver"] == {
        "name": "highs",
        "version": "",
        "seconds": 0.0,
        "gap": None,
        "bound": None,
    }
    as_markdown = client.post("/v1/raci/solve", json=request, headers={"Accept": "text/markdown"})
    assert f"Status: **not-applicable** — {result['message']}" in as_markdown.text
    as_csv = client.post("/v1/raci/solve", json=request, headers={"Accept": "text/csv"})
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[2][:3] == ["hub-and-spoke", f"not-applicable: {result['message']}", ""]
    applicable = client.post("/v1/raci/solve", json={**request, "variant": "central"})
    assert applicable.json()["results"][0]["applicability"]["applicable"] is True


def test_every_offending_field_is_named(client: Client) -> None:
    request = {
        "scenario": {
            "id": "bad id",
            "profile": {"name": "X", "headcount": "5"},
            "roles": [{"id": "csmo", "capacity": -1, "colour": "red"}],
            "rules": [{"kind": "fixed", "role": "csmo", "activity": "strategy"}],
        },
        "variant": "centralised",
        "options": {"time_limit": "10"},
        "extra": True,
    }
    response = client.post("/v1/raci/solve", json=request)
    assert response.status_code == 422
    assert response.json()["type"] == "/problems/invalid-input"
    assert sorted(pointers(response)) == sorted(
        [
            "/scenario/id",
            "/scenario/profile/headcount",
            "/scenario/roles/0/name",
            "/scenario/roles/0/capacity",
            "/scenario/roles/0/colour",
            "/scenario/rules/0/letter",
            "/variant",
            "/options/time_limit",
            "/extra",
        ]
    )


def test_contradictions_are_422_naming_their_fields(client: Client) -> None:
    scenario = {
        "id": "clash",
        "profile": {"name": "Clash KG", "headcount": 80},
        "roles": [
            {"id": "csmo", "name": "CSMO", "kind": "hub"},
            {"id": "csmo", "name": "CSMO again", "kind": "hub"},
        ],
        "rules": [{"kind": "involved", "role": "ghost", "activity": "strategy"}],
    }
    response = client.post("/v1/raci/solve", json={"scenario": scenario})
    assert response.status_code == 422
    found = pointers(response)
    assert any(p.startswith("/scenario/roles/1") for p in found)
    assert any(p.startswith("/scenario/rules/0") for p in found)


def test_an_unknown_builtin_id_points_at_the_reference(client: Client) -> None:
    response = client.post("/v1/raci/solve", json={"scenario": "no-such-company"})
    assert response.status_code == 422
    assert pointers(response) == ["/scenario"]


def test_a_body_that_is_not_json_is_400_and_not_json_media_415(client: Client) -> None:
    broken = client.post(
        "/v1/raci/solve", content=b'{"scenario": ', headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["type"] == "/problems/malformed-request"
    form = client.post("/v1/raci/solve", data={"scenario": "x"})
    assert form.status_code == 415
    assert form.json()["type"] == "/problems/unsupported-media-type"


def test_size_limits_are_422_naming_the_limit(make_client: Factory, raci_id: str) -> None:
    client = make_client(max_roles=3)
    response = client.post("/v1/raci/solve", json={"scenario": raci_id, "variant": "central"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "/problems/limit-exceeded"
    assert problem["limit"] == "max_roles"
    assert problem["allowed"] == 3
    assert problem["got"] > 3


def test_a_body_above_the_limit_is_413(make_client: Factory) -> None:
    client = make_client(max_body_bytes=2048)
    response = client.post(
        "/v1/raci/lint",
        content=b'{"matrix": {"a": {"b": "R"}}, "pad": "' + b"x" * 4096 + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["type"] == "/problems/body-too-large"


def test_lint_finds_what_is_wrong_with_a_matrix(client: Client) -> None:
    # "strategy" has two accountable roles, "kpis" has none and nobody responsible.
    matrix = {
        "strategy": {"csmo": "A", "ceo": "A", "marketing": "R"},
        "kpis": {"csmo": "C", "ceo": "I"},
    }
    response = client.post("/v1/raci/lint", json={"matrix": matrix})
    assert response.status_code == 200
    report = response.json()
    errors = {(f["target"], f["severity"]) for f in report["findings"] if f["severity"] == "error"}
    assert {target for target, _ in errors} >= {"strategy", "kpis"}
    assert report["errors"] == sum(1 for f in report["findings"] if f["severity"] == "error")


def test_lint_answers_csv_with_one_row_per_finding(client: Client) -> None:
    matrix = {"strategy": {"csmo": "A", "ceo": "A"}}
    as_json = client.post("/v1/raci/lint", json={"matrix": matrix}).json()
    as_csv = client.post("/v1/raci/lint", json={"matrix": matrix}, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert len(rows) == 1 + len(as_json["findings"])


def test_lint_against_a_scenario_rejects_unknown_ids(client: Client, raci_id: str) -> None:
    matrix = {"no-such-activity": {"no-such-role": "A/R"}}
    response = client.post("/v1/raci/lint", json={"matrix": matrix, "scenario": raci_id})
    assert response.status_code == 422
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"/matrix/no-such-activity", "/matrix/no-such-activity/no-such-role"}


def test_diff_of_a_matrix_with_itself_changes_nothing(client: Client, raci_id: str) -> None:
    solved = client.post(
        "/v1/raci/solve",
        json={"scenario": raci_id, "variant": "central", "options": {"explain": False}},
    ).json()["results"][0]["matrix"]
    request = {"scenario": raci_id, "variant": "central", "current": solved, "proposed": solved}
    response = client.post("/v1/raci/diff", json=request)
    assert response.status_code == 200
    assert response.json()["changes"] == []


UNITS = {
    "id": "units",
    "profile": {"name": "Units AG", "headcount": 3000, "business_units": 2, "works_council": True},
    "roles": [
        {"id": "hub", "name": "Hub", "kind": "hub"},
        {"id": "wc", "name": "Works council", "kind": "works_council"},
        {"id": "bu-a", "name": "Unit A", "kind": "business_unit"},
        {"id": "bu-b", "name": "Unit B", "kind": "business_unit"},
    ],
    "activities": [
        {"id": "channels", "name": "Channels", "category": "tools", "codetermination": True},
        {"id": "content", "name": "Content"},
    ],
}


def test_lint_reads_consent_and_per_unit_rows(client: Client) -> None:
    matrix = {
        "channels": {"hub": "A/R", "wc": "I", "bu-a": "C", "bu-b": "C"},
        "content@bu-a": {"bu-a": "A/R", "hub": "C"},
        "content@bu-b": {"bu-b": "A/R", "hub": "C", "bu-a": "I"},
    }
    response = client.post("/v1/raci/lint", json={"matrix": matrix, "scenario": UNITS})
    assert response.status_code == 200
    errors = [
        (f["code"], f["target"]) for f in response.json()["findings"] if f["severity"] == "error"
    ]
    assert errors == [("consent-missing", "channels"), ("foreign-unit", "content@bu-b")]
    matrix["channels"]["wc"] = "S"
    del matrix["content@bu-b"]["bu-a"]
    response = client.post("/v1/raci/lint", json={"matrix": matrix, "scenario": UNITS})
    assert response.json()["errors"] == 0


def test_a_unit_row_of_no_unit_is_422(client: Client) -> None:
    matrix = {"content@hub": {"hub": "A/R"}}
    response = client.post("/v1/raci/lint", json={"matrix": matrix, "scenario": UNITS})
    assert response.status_code == 422
    assert pointers(response) == ["/matrix/content@hub"]


def test_diff_compares_a_single_row_with_the_unit_rows(client: Client) -> None:
    current = {"channels": {"hub": "A/R", "wc": "S"}, "content": {"hub": "A/R"}}
    proposed = {
        "channels": {"hub": "A/R", "wc": "S"},
        "content@bu-a": {"bu-a": "A/R", "hub": "C"},
        "content@bu-b": {"bu-b": "A/R", "hub": "C"},
    }
    request = {
        "scenario": UNITS,
        "variant": "hub-and-spoke",
        "current": current,
        "proposed": proposed,
    }
    response = client.post("/v1/raci/diff", json=request)
    assert response.status_code == 200
    body = response.json()
    assert [(c["activity"], c["role"], c["before"], c["after"]) for c in body["changes"]] == [
        ("content@bu-a", "bu-a", None, "A/R"),
        ("content@bu-a", "hub", "A/R", "C"),
        ("content@bu-b", "bu-b", None, "A/R"),
        ("content@bu-b", "hub", "A/R", "C"),
    ]
    delta = body["delta"]
    assert delta["consultation"] == pytest.approx(
        body["after"]["consultation"] - body["before"]["consultation"]
    )


def test_what_if_names_the_flipped_cells_and_refuses_unknown_roles(client: Client) -> None:
    edits = [{"kind": "capacity", "role": "csmo", "value": 40}]
    body = {"scenario": "it-led", "variant": "central", "edits": edits}
    response = client.post("/v1/raci/what-if", json=body)
    assert response.status_code == 200
    answer = response.json()
    assert answer["edits"] == ["capacity of Social-media manager (CIO office) 20 -> 40 person-days"]
    [model] = answer["models"]
    assert model["variant"] == "central"
    assert model["flips"]
    assert all(f["before"] != f["after"] for f in model["flips"])
    wrong = {**body, "edits": [{"kind": "capacity", "role": "cfo", "value": 1}]}
    assert pointers(client.post("/v1/raci/what-if", json=wrong)) == ["/edits/0/role"]
    unknown = {**body, "edits": [{"kind": "colour", "value": 1}]}
    assert pointers(client.post("/v1/raci/what-if", json=unknown)) == ["/edits/0/kind"]
