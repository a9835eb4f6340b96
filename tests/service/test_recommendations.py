"""POST /v1/recommendations and GET /v1/recommendations/{id}: ranking, stable ids, the stored
JSON and its HTML fragment, and the ways a request can be wrong."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from models.core import unit_of
from models.governance.types import Recommendation
from models.labels import label
from models.raci.types import VARIANTS
from service.catalogue import Catalogue
from service.store import MEMORY, Store, content_id

from .conftest import Factory

Client = TestClient[Litestar]
KEY = "portal-key-0123456789"
FAST = {"time_limit": 2}


def pointers(response: Any) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json"
    return [error["pointer"] for error in response.json()["errors"]]


def create(client: Client, body: dict[str, Any], **headers: str) -> Any:
    return client.post("/v1/recommendations", json=body, headers=headers)


def test_a_builtin_with_its_discussion_is_ranked_and_stored(
    client: Client, catalogue: Catalogue, raci_id: str
) -> None:
    assert raci_id in catalogue.discussions  # the built-in discussion of the same id
    response = create(client, {"scenario": raci_id, "discussion": raci_id, "options": FAST})
    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{16}", body["id"])
    assert response.headers["location"] == f"/v1/recommendations/{body['id']}"
    recommendation = body["recommendation"]
    ranking = recommendation["ranking"]
    assert sorted(entry["variant"] for entry in ranking) == sorted(VARIANTS)
    assert [entry["rank"] for entry in ranking] == [1, 2, 3, 4, 5]
    assert recommendation["recommended"] == ranking[0]["variant"]
    assert recommendation["discussion"] == raci_id
    activities = {activity.id for activity in catalogue.raci[raci_id].activities}
    assert {unit_of(row)[0] for row in recommendation["matrix"]} == activities
    issues = set(catalogue.discussions[raci_id].issues)
    # no built-in has a second hub: multi-hub is not applicable and ranks last, with the reason
    assert ranking[-1]["variant"] == "multi-hub"
    assert ranking[-1]["status"] == "not-applicable"
    assert (ranking[-1]["score"], ranking[-1]["criteria"]) == (None, None)
    assert "Multi-hub needs several hubs" in ranking[-1]["reason"]
    for entry in ranking[:-1]:  # a vote exactly on the models the discussion argues about
        assert (entry["criteria"]["acceptance"] is not None) == (entry["variant"] in issues)
    fetched = client.get(response.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == body


def test_the_same_request_gets_the_same_id_and_another_a_new_one(
    client: Client, raci_id: str
) -> None:
    request = {"scenario": raci_id, "options": FAST}
    first, again = create(client, request), create(client, request)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    # explain never changes a recommendation, so it does not change the id either
    explained = create(client, {"scenario": raci_id, "options": {**FAST, "explain": True}})
    assert explained.json()["id"] == first.json()["id"]
    other = create(client, {"scenario": raci_id, "options": {"time_limit": 3}})
    assert other.json()["id"] != first.json()["id"]


def test_a_file_store_outlives_the_app(make_client: Factory, raci_id: str, tmp_path: Path) -> None:
    path = str(tmp_path / "data" / "store.sqlite3")
    created = create(make_client(store=path), {"scenario": raci_id, "options": FAST})
    assert created.status_code == 201
    fetched = make_client(store=path).get(created.headers["location"])
    assert fetched.status_code == 200
    assert fetched.json() == created.json()


def test_json_by_default_and_an_html_fragment_when_accepted(
    client: Client, catalogue: Catalogue, raci_id: str
) -> None:
    location = create(client, {"scenario": raci_id, "options": FAST}).headers["location"]
    as_json = client.get(location)
    assert as_json.headers["content-type"] == "application/json"
    as_html = client.get(location, headers={"Accept": "text/html"})
    assert as_html.status_code == 200
    assert as_html.headers["content-type"].startswith("text/html")
    fragment = as_html.text
    assert fragment.startswith('<section class="gremium-recommendation"')
    assert fragment.endswith("</section>")
    assert "<script" not in fragment
    assert 'class="gremium-table gremium-raci"' in fragment
    recommended = as_json.json()["recommendation"]["recommended"]
    assert f"Recommended for Nordlicht Consumer Goods: {recommended} — " in fragment
    assert label(f"variant.{recommended}") in fragment  # the model's name in the ranking
    # the stored request's scenario gives the names
    assert f'<h2 class="gremium-title">{escape(catalogue.raci[raci_id].profile.name)}</h2>' in (
        fragment
    )
    refused = client.get(location, headers={"Accept": "application/xml"})
    assert refused.status_code == 406


def test_an_unknown_id_is_a_404_problem(client: Client) -> None:
    response = client.get("/v1/recommendations/0123456789abcdef")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"
    html = client.get("/v1/recommendations/0123456789abcdef", headers={"Accept": "text/html"})
    assert html.status_code == 404


def test_keys_guard_both_endpoints(make_client: Factory, raci_id: str) -> None:
    client = make_client(api_keys=(KEY,))
    request = {"scenario": raci_id, "options": FAST}
    assert create(client, request).status_code == 401
    created = create(client, request, **{"X-API-Key": KEY})
    assert created.status_code == 201
    assert client.get(created.headers["location"]).status_code == 401
    fetched = client.get(created.headers["location"], headers={"X-API-Key": KEY})
    assert fetched.status_code == 200


def test_the_portal_may_fetch_a_fragment_across_origins(make_client: Factory, raci_id: str) -> None:
    portal = "https://portal.example"
    client = make_client(cors_origins=(portal,))
    location = create(client, {"scenario": raci_id, "options": FAST}).headers["location"]
    response = client.get(location, headers={"Origin": portal, "Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == portal


def test_invalid_requests_name_every_field(client: Client) -> None:
    malformed = create(client, {"scenario": 5, "options": {"time_limit": -1}, "extra": 1})
    assert malformed.status_code == 422
    assert pointers(malformed) == ["/scenario", "/options/time_limit", "/extra"]
    unknown = create(client, {"scenario": "no-such-company", "discussion": "no-such-debate"})
    assert unknown.status_code == 422
    assert pointers(unknown) == ["/scenario", "/discussion"]
    inline = create(client, {"scenario": {"id": "x", "profile": {"name": "X", "headcount": 0}}})
    assert pointers(inline) == ["/scenario/profile/headcount"]


def test_content_ids_ignore_key_order() -> None:
    assert content_id({"a": 1, "b": [2, 3]}) == content_id({"b": [2, 3], "a": 1})
    assert content_id({"a": 1}) != content_id({"a": 2})
    assert re.fullmatch(r"[0-9a-f]{16}", content_id({"a": 1}))


def test_the_store_keeps_the_first_save_and_serves_threads(tmp_path: Path) -> None:
    first, second = (
        Recommendation(
            scenario=name, discussion=None, recommended=None, summary="", matrix={}, ranking=()
        )
        for name in "ab"
    )
    for path in (MEMORY, str(tmp_path / "store.sqlite3")):
        store = Store(path)
        key = store.save({"request": 1}, first)
        assert store.save({"request": 1}, second) == key  # idempotent: the first one stays
        assert store.get(key) == first
        assert store.get("0000000000000000") is None
        with ThreadPoolExecutor(4) as threads:
            keys = list(threads.map(lambda n: store.save({"n": n}, second), range(8)))  # noqa: B023 (used up in this iteration)
        assert len(set(keys)) == 8
        assert all(store.get(k) == second for k in keys)
        store.close()
