"""The library, health, metrics, docs, problem types, request ids and the access log."""

from __future__ import annotations

import io
import json
import re
import socket
from concurrent.futures import Executor, Future
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from service.app import create_app
from service.catalogue import Catalogue
from service.pool import JobPool
from service.problems import KINDS

from .conftest import Factory, settings_for

Client = TestClient[Litestar]


def test_the_library_lists_both_kinds(client: Client, catalogue: Catalogue) -> None:
    listing = client.get("/v1/scenarios").json()["scenarios"]
    assert {(s["id"], s["kind"]) for s in listing} == {
        *((key, "raci") for key in catalogue.raci),
        *((key, "discussion") for key in catalogue.discussions),
    }
    only_raci = client.get("/v1/scenarios", params={"kind": "raci"}).json()["scenarios"]
    assert {s["id"] for s in only_raci} == set(catalogue.raci)
    assert client.get("/v1/scenarios", params={"kind": "plays"}).status_code == 400


def test_an_entry_holds_what_is_built_in_under_its_id(client: Client, raci_id: str) -> None:
    entry = client.get(f"/v1/scenarios/{raci_id}").json()
    assert entry["id"] == raci_id
    assert entry["raci"]["id"] == raci_id
    missing = client.get("/v1/scenarios/atlantis")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["type"] == "/problems/not-found"


def test_health_and_readiness(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ok"
    assert ready["checks"]["solver"].startswith("HiGHS ")
    assert ready["checks"]["engine"] == "local pool, 2 worker(s)"


def test_metrics_count_requests_per_route_in_prometheus_format(client: Client) -> None:
    for _ in range(3):
        client.get("/healthz")
    client.get("/v1/scenarios/atlantis")
    scraped = client.get("/metrics")
    assert scraped.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scraped.text)
        for sample in family.samples
    }
    replica = ("replica", socket.gethostname())  # every series names its replica
    healthz = (("method", "GET"), replica, ("route", "/healthz"))
    assert samples["gremium_requests_total", (*healthz, ("status", "200"))] == 3
    missing = (
        ("method", "GET"),
        replica,
        ("route", "/v1/scenarios/{scenario_id}"),
        ("status", "404"),
    )
    assert samples["gremium_requests_total", missing] == 1
    assert samples["gremium_request_duration_seconds_count", healthz] == 3
    assert samples["gremium_pool_capacity", (replica,)] == 4  # two workers, a queue as long
    assert samples["gremium_engine_fallbacks_total", (replica,)] == 0
    assert not any(name.endswith("_created") for name, _ in samples)


def test_the_docs_are_served_without_the_internet(client: Client) -> None:
    page = client.get("/schema")
    assert page.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets
    for asset in assets:
        assert asset.startswith("/static/")
        assert client.get(asset).status_code == 200
    assert "https://" not in page.text
    assert client.get("/schema/openapi.json").json()["openapi"] == "3.1.0"
    assert client.get("/schema/openapi.yaml").text.startswith("openapi: 3.1.0")


def test_every_problem_type_resolves(client: Client) -> None:
    for kind in KINDS.values():
        page = client.get(kind.type)
        assert page.status_code == 200
        assert kind.title in page.text
    assert client.get("/problems/unheard-of").status_code == 404


def test_the_request_id_is_echoed_or_made(client: Client) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == (
        "abc-123"
    )
    unsafe = client.get("/healthz", headers={"X-Request-ID": "x\ty"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe)
    assert client.get("/nowhere").headers["x-request-id"]


def test_the_access_log_is_one_json_object_per_request(make_client: Factory) -> None:
    log = io.StringIO()
    client = make_client(log=log)
    client.get("/healthz", headers={"X-Request-ID": "req-1"})
    client.get("/v1/scenarios/atlantis")
    records = [json.loads(line) for line in log.getvalue().splitlines()]
    assert [(r["request_id"], r["route"], r["status"]) for r in records[:1]] == [
        ("req-1", "/healthz", 200)
    ]
    assert records[1]["status"] == 404
    assert records[1]["path"] == "/v1/scenarios/atlantis"
    assert all(r["duration_ms"] >= 0 for r in records)


class Broken(Executor):
    """An executor whose jobs (not its warm-up) fail with a message the client must not see."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        if args:
            future.set_exception(RuntimeError("secret internal detail /etc/passwd"))
        else:
            future.set_result(fn())
        return future


def test_a_500_is_problem_details_with_nothing_internal(catalogue: Catalogue) -> None:
    app = create_app(settings_for(), catalogue=catalogue, pool=JobPool(Broken, 1, 4), log=None)
    with TestClient(app) as client:
        response = client.post(
            "/v1/discussions/simulate", json={"discussion": min(catalogue.discussions)}
        )
    assert response.status_code == 500
    problem = response.json()
    assert problem["type"] == "/problems/internal-error"
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    assert problem["request_id"] == response.headers["x-request-id"]
