"""API keys, the rate limit and CORS: each test an attack on them."""

from __future__ import annotations

import io
import socket
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.testing import TestClient

from service.counters import FailoverCounters
from service.security import RATE_LIMIT_STORE, KeyRing

from .conftest import Factory, settings_for

KEY = "k" * 8 + "-consultant-key"
OTHER = "o" * 8 + "-portal-key-xyz"


def test_v1_needs_a_configured_key(make_client: Factory, raci_id: str) -> None:
    log = io.StringIO()
    client = make_client(log=log, api_keys=(KEY, OTHER))
    missing = client.get("/v1/scenarios")
    assert missing.status_code == 401
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"] == "/problems/unauthorized"
    assert client.get("/v1/scenarios", headers={"X-API-Key": KEY + "x"}).status_code == 401
    assert client.get("/v1/scenarios", headers={"X-API-Key": OTHER}).status_code == 200
    assert client.get(f"/v1/scenarios/{raci_id}", headers={"X-API-Key": KEY}).status_code == 200
    assert client.get("/healthz").status_code == 200  # operations need no key
    assert KEY not in log.getvalue()
    assert OTHER not in log.getvalue()
    assert '"caller":"key-2"' in log.getvalue()


def test_the_rate_limit_is_per_key_with_retry_after(make_client: Factory) -> None:
    client = make_client(api_keys=(KEY, OTHER), rate_limit=3)
    answers = [client.get("/v1/scenarios", headers={"X-API-Key": KEY}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[0].headers["ratelimit-limit"] == "3"
    assert answers[0].headers["ratelimit-policy"] == "3; w=60"
    refused = client.get("/v1/scenarios", headers={"X-API-Key": KEY})
    assert refused.json()["type"] == "/problems/rate-limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["retry-after"] == refused.headers["ratelimit-reset"]
    assert client.get("/v1/scenarios", headers={"X-API-Key": OTHER}).status_code == 200


def test_a_401_carries_a_challenge(make_client: Factory) -> None:
    refused = make_client(api_keys=(KEY,)).get("/v1/scenarios")
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"] == 'APIKey realm="gremium", header="X-API-Key"'


def test_an_unknown_v1_path_asks_for_a_key_first(make_client: Factory) -> None:
    client = make_client(api_keys=(KEY,))
    for method in ("GET", "POST", "DELETE", "PUT"):
        assert client.request(method, "/v1/admin/users").status_code == 401
    found = client.get("/v1/admin/users", headers={"X-API-Key": KEY})
    assert found.status_code == 404
    assert found.json()["type"] == "/problems/not-found"


def test_a_wrong_method_on_a_known_v1_path_asks_for_a_key_first(
    make_client: Factory, raci_id: str
) -> None:
    client = make_client(api_keys=(KEY,))
    for method, path in (("DELETE", "/v1/scenarios"), ("PUT", f"/v1/scenarios/{raci_id}")):
        refused = client.request(method, path)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == 'APIKey realm="gremium", header="X-API-Key"'
        allowed = client.request(method, path, headers={"X-API-Key": KEY})
        assert allowed.status_code == 405
        assert allowed.json()["type"] == "/problems/method-not-allowed"


def test_a_401_counts_against_the_limit_and_says_so(make_client: Factory) -> None:
    client = make_client(api_keys=(KEY,), rate_limit=3)
    answers = [client.get("/v1/scenarios") for _ in range(3)]
    assert [a.status_code for a in answers] == [401] * 3
    assert [a.headers["ratelimit-remaining"] for a in answers] == ["2", "1", "0"]
    assert {a.headers["ratelimit-limit"] for a in answers} == {"3"}
    assert {a.headers["ratelimit-policy"] for a in answers} == {"3; w=60"}
    assert 1 <= int(answers[0].headers["ratelimit-reset"]) <= 60
    assert client.get("/v1/scenarios").status_code == 429


def test_50_wrong_keys_are_rate_limited(make_client: Factory) -> None:
    client = make_client(api_keys=(KEY,), rate_limit=20)
    statuses = [
        client.get("/v1/scenarios", headers={"X-API-Key": f"guess-{n:010d}-abcdef"}).status_code
        for n in range(50)
    ]
    assert statuses == [401] * 20 + [429] * 30
    assert client.get("/v1/scenarios", headers={"X-API-Key": KEY}).status_code == 200


def test_a_forwarded_header_is_ignored_unless_from_a_trusted_proxy(make_client: Factory) -> None:
    def statuses(client: TestClient[Litestar]) -> list[int]:
        return [
            client.get("/v1/scenarios", headers={"X-Forwarded-For": f"10.0.0.{n}"}).status_code
            for n in range(10)
        ]

    assert statuses(make_client(rate_limit=5)) == [200] * 5 + [429] * 5  # one client, rotating
    # TestClient's peer is "testclient": as a trusted proxy, each forwarded address counts alone
    log = io.StringIO()
    behind_proxy = make_client(log=log, rate_limit=5, trusted_proxies=("testclient",))
    assert statuses(behind_proxy) == [200] * 10
    assert '"client":"10.0.0.9"' in log.getvalue()


def test_the_limit_holds_across_workers_sharing_redis(make_client: Factory) -> None:
    namespace = redis_namespace()  # each worker its own client, as two processes would have
    workers = [
        make_client(rate_limit=6, counters=RedisStore.with_client(namespace=namespace))
        for _ in range(2)
    ]
    statuses = [workers[n % 2].get("/v1/scenarios").status_code for n in range(12)]
    assert statuses == [200] * 6 + [429] * 6


def test_a_redis_url_puts_the_counters_in_redis() -> None:
    from service.app import create_app

    app = create_app(settings_for(redis_url="redis://127.0.0.1:6379/0", rate_limit=5), log=None)
    counters = app.stores.get(RATE_LIMIT_STORE)
    assert isinstance(counters, FailoverCounters)
    assert isinstance(counters.shared_store, RedisStore)
    assert isinstance(
        create_app(settings_for(), log=None).stores.get(RATE_LIMIT_STORE), MemoryStore
    )


def redis_namespace() -> str:
    """A fresh namespace on the local Redis (CI runs one); skipped where there is none."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            pass
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return f"gremium-test-{uuid.uuid4().hex}"


def test_cors_preflight_answers_the_portal_only(make_client: Factory) -> None:
    portal = "https://portal.example.com"
    client = make_client(cors_origins=(portal,), api_keys=(KEY,))
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-api-key",
    }
    allowed = client.options("/v1/raci/lint", headers={"Origin": portal, **preflight})
    assert allowed.status_code in (200, 204)
    assert allowed.headers["access-control-allow-origin"] == portal
    assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()
    stranger = client.options(
        "/v1/raci/lint", headers={"Origin": "https://evil.example", **preflight}
    )
    assert stranger.headers.get("access-control-allow-origin") != "https://evil.example"
    simple = client.get("/v1/scenarios", headers={"Origin": portal, "X-API-Key": KEY})
    assert simple.headers["access-control-allow-origin"] == portal
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


@given(keys=st.lists(st.text(min_size=16, max_size=40), min_size=1, max_size=5, unique=True))
@settings(max_examples=50, deadline=None)
def test_a_keyring_knows_exactly_its_keys(keys: list[str]) -> None:
    ring = KeyRing(tuple(keys))
    for index, key in enumerate(keys, start=1):
        assert ring.identify(key) == f"key-{index}"
        assert ring.identify(key + "!") is None or key + "!" in keys
    assert ring.identify(None) is None
