"""A client's mistake is a 4xx problem that names it, never a 500: each test is one attack."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.decoding import MAX_PROBLEMS

Client = TestClient[Litestar]
JSON = {"Content-Type": "application/json"}


def problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == f"/problems/{slug}"
    return body


@pytest.mark.parametrize("opening", [b"[", b'{"a":'])
def test_a_body_nested_256_deep_is_refused(client: Client, opening: bytes) -> None:
    closing = b"]" if opening == b"[" else b"}"
    body = b'{"scenario": ' + opening * 256 + b"1" * (opening == b'{"a":') + closing * 256 + b"}"
    problem(client.post("/v1/raci/solve", content=body, headers=JSON), 400, "nesting-too-deep")


def test_a_body_nested_100000_deep_is_refused(client: Client) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    problem(client.post("/v1/raci/lint", content=body, headers=JSON), 400, "nesting-too-deep")


@pytest.mark.parametrize(
    ("raw", "byte"),
    [
        (b'{"scenario": "\xff\xfe"}', "0xff"),  # not UTF-8 at all
        (b'{"scenario": "\xc0\xaf"}', "0xc0"),  # overlong encoding of "/"
        (b'{"scenario": "M\xfcller"}', "0xfc"),  # Latin-1 sent as if it were UTF-8
        (b'{"scenario": "\xed\xa0\x80"}', "0xed"),  # an encoded surrogate
    ],
)
def test_a_body_that_is_not_utf8_is_refused_naming_the_byte(
    client: Client, raw: bytes, byte: str
) -> None:
    detail = problem(
        client.post("/v1/raci/solve", content=raw, headers=JSON), 400, "invalid-encoding"
    )
    assert byte in detail["detail"]


def test_a_body_declared_latin1_is_refused(client: Client) -> None:
    response = client.post(
        "/v1/raci/solve",
        content='{"scenario": "Müller"}'.encode("latin-1"),
        headers={"Content-Type": "application/json; charset=ISO-8859-1"},
    )
    assert "charset=iso-8859-1" in problem(response, 415, "unsupported-media-type")["detail"]


def test_an_escaped_lone_surrogate_is_refused(client: Client) -> None:
    response = client.post("/v1/raci/solve", content=b'{"scenario": "\\ud800"}', headers=JSON)
    problem(response, 400, "malformed-request")


def test_a_duplicate_key_is_refused_naming_it(client: Client, raci_id: str) -> None:
    body = f'{{"scenario": "{raci_id}", "variant": "central", "variant": "all"}}'.encode()
    detail = problem(
        client.post("/v1/raci/solve", content=body, headers=JSON), 400, "duplicate-key"
    )
    assert "'variant'" in detail["detail"]


def test_a_body_with_30001_errors_lists_100_and_stops_counting(client: Client) -> None:
    matrix = {f"a{i}": {f"r{j}": "X" for j in range(100)} for i in range(300)}
    matrix["a300"] = {"r0": "X"}
    response = client.post(
        "/v1/raci/lint", content=msgspec.json.encode({"matrix": matrix}), headers=JSON
    )
    errors = problem(response, 422, "invalid-input")["errors"]
    assert len(errors) == MAX_PROBLEMS + 1
    assert errors[-1] == {"pointer": "", "detail": "and at least 1000 more problem(s) not listed"}
    few = {"a0": {f"r{j}": "X" for j in range(130)}}
    response = client.post("/v1/raci/lint", json={"matrix": few})
    assert response.json()["errors"][-1]["detail"] == "and 30 more problem(s) not listed"


def test_a_subnormal_effort_on_a_zero_capacity_is_solved(client: Client) -> None:
    scenario = {
        "id": "tiny",
        "profile": {"name": "Tiny", "headcount": 10},
        "roles": [{"id": "csmo", "name": "CSMO", "kind": "hub", "capacity": 0}],
        "activities": [{"id": "strategy", "name": "S", "category": "strategy", "effort": 2.2e-309}],
    }
    response = client.post("/v1/raci/solve", json={"scenario": scenario, "variant": "central"})
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] == "optimal"


@pytest.mark.parametrize("path", ["/healthz", "/v1/scenarios", "/schema/openapi.json"])
def test_head_answers_like_get_without_a_body(client: Client, path: str) -> None:
    head, get = client.head(path), client.get(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
