"""The deployment files in deploy/ (compose and Kubernetes), parsed: every GREMIUM_* variable
they set is one of the service's settings, the values written out are valid settings, the
commands exist, the probes and the scheduler address point where they should."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from service.app import create_app
from service.cli import build_parser
from service.settings import Settings, env_name

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
KNOWN = {env_name(item.name) for item in fields(Settings)}


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def manifests() -> list[dict[str, Any]]:
    return [
        document
        for path in sorted((DEPLOY / "kubernetes").glob("*.yaml"))
        for document in yaml.safe_load_all(path.read_text())
        if document
    ]


def named(kind: str, name: str) -> dict[str, Any]:
    return next(m for m in manifests() if m["kind"] == kind and m["metadata"]["name"] == name)


def containers() -> Iterator[tuple[str, dict[str, Any]]]:
    for manifest in manifests():
        if manifest["kind"] == "Deployment":
            for container in manifest["spec"]["template"]["spec"]["containers"]:
                yield manifest["metadata"]["name"], container


def kubernetes_environment(container: dict[str, Any]) -> set[str]:
    """The variables a container gets: its ``env`` and what its ``envFrom`` sources hold."""
    names = {item["name"] for item in container.get("env", [])}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            names |= set(named("ConfigMap", source["configMapRef"]["name"])["data"])
        if "secretRef" in source:
            names |= set(named("Secret", source["secretRef"]["name"])["stringData"])
    return names


def test_every_variable_set_is_a_setting_of_the_service() -> None:
    set_anywhere = {
        name
        for service in compose()["services"].values()
        for name in service.get("environment", {})
    }
    for _, container in containers():
        set_anywhere |= kubernetes_environment(container)
    for manifest in manifests():
        set_anywhere |= set(manifest.get("data", {})) | set(manifest.get("stringData", {}))
    gremium = {name for name in set_anywhere if name.startswith("GREMIUM_")}
    assert gremium <= KNOWN, gremium - KNOWN
    assert {"GREMIUM_DATABASE_URL", "GREMIUM_REDIS_URL", "GREMIUM_CLUSTER"} <= gremium


def test_the_api_gets_the_three_shared_services_and_the_worker_the_scheduler() -> None:
    services = compose()["services"]
    assert {"GREMIUM_DATABASE_URL", "GREMIUM_REDIS_URL", "GREMIUM_CLUSTER"} <= set(
        services["api"]["environment"]
    )
    assert set(services["worker"]["environment"]) == {"GREMIUM_CLUSTER"}
    found = dict(containers())
    api = kubernetes_environment(found["gremium-api"])
    assert {"GREMIUM_DATABASE_URL", "GREMIUM_REDIS_URL", "GREMIUM_CLUSTER"} <= api
    assert "GREMIUM_REPLICA" in api  # the pod's name labels its metrics
    assert kubernetes_environment(found["gremium-worker"]) == {"GREMIUM_CLUSTER"}


def test_the_values_written_out_are_valid_settings() -> None:
    literal = {
        name: value
        for service in compose()["services"].values()
        for name, value in service.get("environment", {}).items()
        if not str(value).startswith("${")  # from the operator's environment
    }
    Settings.from_env(literal)
    for manifest in manifests():
        Settings.from_env(manifest.get("data", {}) | manifest.get("stringData", {}))
    for _, container in containers():
        Settings.from_env({e["name"]: e["value"] for e in container.get("env", []) if "value" in e})


def test_the_scheduler_address_names_the_scheduler_service_and_port() -> None:
    cluster = urlsplit(named("ConfigMap", "gremium")["data"]["GREMIUM_CLUSTER"])
    service = named("Service", "gremium-scheduler")
    assert cluster.hostname == service["metadata"]["name"]
    assert cluster.port in {p["port"] for p in service["spec"]["ports"]}
    scheduler = dict(containers())["gremium-scheduler"]
    assert str(cluster.port) in scheduler["command"]
    in_compose = urlsplit(compose()["services"]["worker"]["environment"]["GREMIUM_CLUSTER"])
    assert in_compose.hostname in compose()["services"]
    assert str(in_compose.port) in compose()["services"]["scheduler"]["command"]


def test_the_secret_urls_name_the_external_services() -> None:
    secret = named("Secret", "gremium")["stringData"]
    for variable, service in (
        ("GREMIUM_DATABASE_URL", "gremium-postgres"),
        ("GREMIUM_REDIS_URL", "gremium-redis"),
    ):
        url = urlsplit(secret[variable])
        external = named("Service", service)
        assert external["spec"]["type"] == "ExternalName"
        assert (url.hostname, url.port) == (service, external["spec"]["ports"][0]["port"])


def test_probes_are_the_services_health_routes() -> None:
    api = dict(containers())["gremium-api"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert api["livenessProbe"]["httpGet"]["path"] == "/healthz"
    routes = set(
        create_app(Settings(pool="thread", store=":memory:"), log=None).route_handler_method_map
    )
    assert {"/readyz", "/healthz"} <= routes


@pytest.mark.parametrize("where", ["compose", "kubernetes"])
def test_every_gremium_command_is_a_command_of_the_cli(where: str) -> None:
    commands = (
        [s["command"] for s in compose()["services"].values()]
        if where == "compose"
        else [c["command"] for _, c in containers()]
    )
    parser = build_parser()
    for line in commands:
        if line[0] == "gremium":
            parser.parse_args(line[1:])  # exits (SystemExit) on an unknown command or option
        else:
            assert line[:2] == ["dask", "scheduler"]
