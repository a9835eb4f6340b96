"""API keys, the rate limit and CORS."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from service.security import KeyRing, RateLimiter

from .conftest import Factory

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
    statuses = [
        client.get("/v1/scenarios", headers={"X-API-Key": KEY}).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/v1/scenarios", headers={"X-API-Key": KEY})
    assert refused.json()["type"] == "/problems/rate-limited"
    assert int(refused.headers["retry-after"]) >= 1
    assert client.get("/v1/scenarios", headers={"X-API-Key": OTHER}).status_code == 200


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


@given(
    per_minute=st.integers(min_value=1, max_value=120),
    gaps=st.lists(st.floats(min_value=0.0, max_value=5.0), min_size=1, max_size=200),
)
@settings(max_examples=100, deadline=None)
def test_the_bucket_never_allows_more_than_its_budget(per_minute: int, gaps: list[float]) -> None:
    # Over any run of length T seconds a token bucket of size B refilling at r/s allows at
    # most B + r*T requests.
    now = [0.0]
    limiter = RateLimiter(per_minute, clock=lambda: now[0])
    allowed = 0
    for gap in gaps:
        now[0] += gap
        allowed += limiter.take("caller") == 0.0
    assert allowed <= per_minute + now[0] * per_minute / 60.0 + 1e-9


def test_a_refused_caller_is_told_when_a_token_is_back() -> None:
    now = [0.0]
    limiter = RateLimiter(60, clock=lambda: now[0])  # one token a second
    assert all(limiter.take("c") == 0.0 for _ in range(60))
    assert limiter.take("c") == 1.0
    now[0] += 1.0
    assert limiter.take("c") == 0.0
