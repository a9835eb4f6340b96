"""What the portal relies on: read keys, caching of the immutable recommendations (ETag, 304,
Vary, Cache-Control), headers a script may read across origins, the heading level and the
default stylesheet."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from .conftest import Factory

Client = TestClient[Litestar]
FULL = "full-key-0123456789abcdef"
READ = "read-key-0123456789abcdef"
PORTAL = "https://portal.example"
FAST = {"time_limit": 2}


@pytest.fixture
def keyed(make_client: Factory) -> Client:
    return make_client(api_keys=(FULL,), read_keys=(READ,), cors_origins=(PORTAL,))


def stored(client: Client, scenario: str, key: str = FULL) -> str:
    created = client.post(
        "/v1/recommendations",
        json={"scenario": scenario, "options": FAST, "stability": "none"},
        headers={"X-API-Key": key},
    )
    assert created.status_code == 201, created.text
    location: str = created.headers["location"]
    return location


def test_a_read_key_reads_recommendations_and_nothing_else(keyed: Client, raci_id: str) -> None:
    location = stored(keyed, raci_id)
    read = {"X-API-Key": READ}
    assert keyed.get(location, headers=read).status_code == 200
    assert keyed.get(location, headers={**read, "Accept": "text/html"}).status_code == 200
    assert keyed.head(location, headers=read).status_code == 200
    refused: list[Any] = [
        keyed.post("/v1/raci/solve", json={"scenario": raci_id}, headers=read),
        keyed.post("/v1/recommendations", json={"scenario": raci_id}, headers=read),
        keyed.get("/v1/scenarios", headers=read),
        keyed.post("/v1/discussions/simulate", json={"discussion": raci_id}, headers=read),
    ]
    for response in refused:
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/problem+json"
        problem = response.json()
        assert problem["type"] == "/problems/forbidden"
        assert "'recommendations:read'" in problem["detail"]
        assert "needs a full key" in problem["detail"]
    assert "POST /v1/raci/solve" in refused[0].json()["detail"]
    # the key is still a key: a wrong one is 401, and a full key may do everything
    assert keyed.get(location, headers={"X-API-Key": READ + "x"}).status_code == 401
    assert keyed.get("/v1/scenarios", headers={"X-API-Key": FULL}).status_code == 200


def test_the_access_log_names_a_read_key_by_its_position(make_client: Factory) -> None:
    import io

    log = io.StringIO()
    client = make_client(log=log, api_keys=(FULL,), read_keys=("another-read-key-0123", READ))
    client.get("/v1/recommendations/0123456789abcdef", headers={"X-API-Key": READ})
    assert '"caller":"read-key-2"' in log.getvalue()
    assert READ not in log.getvalue()


def test_a_stored_recommendation_is_immutable_with_an_etag_and_a_304(
    keyed: Client, raci_id: str
) -> None:
    location = stored(keyed, raci_id)
    headers = {"X-API-Key": READ, "Accept": "text/html"}
    first = keyed.get(location, headers=headers)
    etag = first.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    # keys are configured: a shared cache must not keep it, a browser may for a year
    assert first.headers["cache-control"] == "private, max-age=31536000, immutable"
    assert first.headers["vary"] == "Accept, Accept-Language"
    again = keyed.get(location, headers=headers)
    assert (again.headers["etag"], again.text) == (etag, first.text)
    for match in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        revalidated = keyed.get(location, headers={**headers, "If-None-Match": match})
        assert revalidated.status_code == 304
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == etag
        assert revalidated.headers["cache-control"] == first.headers["cache-control"]
    changed = keyed.get(location, headers={**headers, "If-None-Match": '"0000"'})
    assert (changed.status_code, changed.text) == (200, first.text)
    # each representation has its own tag: JSON, German, another heading level
    others = [
        keyed.get(location, headers={"X-API-Key": READ}),
        keyed.get(location, headers={**headers, "Accept-Language": "de"}),
        keyed.get(f"{location}?heading=3", headers=headers),
    ]
    tags = {etag} | {response.headers["etag"] for response in others}
    assert len(tags) == 4
    unknown = keyed.get(
        "/v1/recommendations/0123456789abcdef", headers=headers | {"If-None-Match": "*"}
    )
    assert unknown.status_code == 404


def test_without_keys_a_shared_cache_may_keep_it(client: Client, raci_id: str) -> None:
    response = client.get(stored(client, raci_id))
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_script_on_the_portal_may_read_location_and_etag(keyed: Client, raci_id: str) -> None:
    created = keyed.post(
        "/v1/recommendations",
        json={"scenario": raci_id, "options": FAST, "stability": "none"},
        headers={"X-API-Key": FULL, "Origin": PORTAL},
    )
    exposed = {
        h.strip().lower() for h in created.headers["access-control-expose-headers"].split(",")
    }
    assert {"location", "etag", "x-request-id", "retry-after", "ratelimit-remaining"} <= exposed
    fetched = keyed.get(
        created.headers["location"],
        headers={"X-API-Key": READ, "Origin": PORTAL, "Accept": "text/html"},
    )
    assert fetched.headers["access-control-allow-origin"] == PORTAL
    # the CORS middleware's Vary: Origin does not replace what the answer varies by
    vary = [name.strip() for name in fetched.headers["vary"].split(",")]
    assert sorted(vary) == ["Accept", "Accept-Language", "Origin"]
    preflight = keyed.options(
        created.headers["location"],
        headers={
            "Origin": PORTAL,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "x-api-key,accept,if-none-match",
        },
    )
    assert preflight.status_code in (200, 204)
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize("level", ["0", "7", "two"])
def test_a_heading_level_outside_one_to_six_is_a_400(
    client: Client, raci_id: str, level: str
) -> None:
    location = stored(client, raci_id)
    response = client.get(f"{location}?heading={level}", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/malformed-request"


def test_the_fragment_takes_the_heading_level(client: Client, raci_id: str) -> None:
    location = stored(client, raci_id)
    fragment = client.get(f"{location}?heading=4", headers={"Accept": "text/html"}).text
    assert re.search(r'<h4 class="gremium-title">[^<]+</h4>', fragment)
    assert "<h2" not in fragment


def test_the_stylesheet_is_served_without_a_key_and_cached(keyed: Client) -> None:
    response = keyed.get("/gremium.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert response.headers["cache-control"] == "public, max-age=86400"
    assert ".gremium-letter-r { background-color: #FDAE61; color: #000000; }" in response.text
    again = keyed.get("/gremium.css", headers={"If-None-Match": response.headers["etag"]})
    assert (again.status_code, again.content) == (304, b"")


def test_the_start_counts_read_keys_and_never_prints_them() -> None:
    from service.server import describe
    from service.settings import Settings

    text = describe(Settings(api_keys=(FULL,), read_keys=(READ,)), 1)
    assert "GREMIUM_READ_KEYS=1 read key(s), masked" in text
    assert READ not in text
    assert FULL not in text
