"""The committed OpenAPI document is the app's, valid OpenAPI 3.1, with every error documented
as problem details and request examples that the service accepts."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient
from openapi_spec_validator import validate

from service.openapi import OPENAPI_DIR
from service.schemas import PROBLEM_JSON

Client = TestClient[Litestar]
REGENERATE = "run `python -m service.openapi` and commit openapi/"


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((OPENAPI_DIR / "openapi.json").read_text())
    return document


def test_the_committed_documents_are_what_the_app_serves(client: Client) -> None:
    assert (
        client.get("/schema/openapi.json").content == (OPENAPI_DIR / "openapi.json").read_bytes()
    ), REGENERATE
    assert (
        client.get("/schema/openapi.yaml").content == (OPENAPI_DIR / "openapi.yaml").read_bytes()
    ), REGENERATE
    as_yaml = msgspec.yaml.decode((OPENAPI_DIR / "openapi.yaml").read_bytes())
    assert as_yaml == json.loads((OPENAPI_DIR / "openapi.json").read_text())


def test_it_validates_as_openapi_3_1(served: dict[str, Any]) -> None:
    assert served["openapi"].startswith("3.1")
    validate(served)


def test_every_route_is_documented(served: dict[str, Any]) -> None:
    operations = {(path, method) for path, item in served["paths"].items() for method in item}
    assert operations == {
        ("/v1/raci/solve", "post"),
        ("/v1/raci/lint", "post"),
        ("/v1/raci/diff", "post"),
        ("/v1/raci/what-if", "post"),
        ("/v1/discussions/simulate", "post"),
        ("/v1/discussions/monte-carlo", "post"),
        ("/v1/discussions/intervention", "post"),
        ("/v1/recommendations", "post"),
        ("/v1/recommendations/{recommendation_id}", "get"),
        ("/gremium.css", "get"),
        ("/v1/scenarios", "get"),
        ("/v1/scenarios/{scenario_id}", "get"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/metrics", "get"),
    }


def test_every_error_is_problem_details(served: dict[str, Any]) -> None:
    for item in served["paths"].values():
        for operation in item.values():
            assert "500" in operation["responses"]
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == [PROBLEM_JSON]
                    assert response["content"][PROBLEM_JSON]["schema"] == {
                        "$ref": "#/components/schemas/ProblemDetails"
                    }
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(operation["responses"])


def test_constraints_of_optional_fields_are_documented(served: dict[str, Any]) -> None:
    schemas = served["components"]["schemas"]
    assert schemas["SolveOptions"]["properties"]["time_limit"] == {
        "type": "number",
        "exclusiveMinimum": 0.0,
        "maximum": 3600.0,
        "default": 10.0,
    }
    assert schemas["Role"]["additionalProperties"] is False
    assert schemas["Profile"]["properties"]["headcount"]["type"] == "integer"


def test_request_examples_come_from_the_library_and_are_accepted(
    served: dict[str, Any], client: Client
) -> None:
    examples = 0
    for path, item in served["paths"].items():
        for method, operation in item.items():
            content = (
                operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            )
            [success] = [int(s) for s in operation["responses"] if s.startswith("2")]
            for example in content.get("examples", {}).values():
                response = client.request(method.upper(), path, json=example["value"])
                assert response.status_code == success, (path, response.text)
                examples += 1
    assert examples >= 6


def test_a_read_key_is_documented_where_it_is_refused(served: dict[str, Any]) -> None:
    for path, item in served["paths"].items():
        for method, operation in item.items():
            readable = (path, method) == ("/v1/recommendations/{recommendation_id}", "get")
            refused = "403" in operation["responses"]
            assert refused == (path.startswith("/v1/") and not readable), (path, method)
    cached = served["paths"]["/v1/recommendations/{recommendation_id}"]["get"]["responses"]
    assert set(cached["200"]["headers"]) >= {"ETag", "Cache-Control", "Vary"}
    assert "304" in cached
    [heading] = [
        p
        for p in served["paths"]["/v1/recommendations/{recommendation_id}"]["get"]["parameters"]
        if p["name"] == "heading"
    ]
    assert heading["schema"] == {"type": "integer", "minimum": 1, "maximum": 6, "default": 2}
