"""Accept-Language: de — German sentences in JSON answers (lint findings, explanations, the
recommendation), English codes and numbers; English without the header, as before."""

from __future__ import annotations

import asyncio
from functools import partial

from litestar import Litestar
from litestar.testing import TestClient

from models.messages import say, spoken
from service.pool import make_pool

from .conftest import settings_for

Client = TestClient[Litestar]
GERMAN = {"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}
MATRIX = {"strategy": {"csmo": "C"}, "monitoring": {"csmo": "A/R", "works-council": "I"}}


def messages(client: Client, **headers: str) -> dict[tuple[str, str], str]:
    body = {"matrix": MATRIX, "scenario": "mittelstand-manufacturer"}
    response = client.post("/v1/raci/lint", json=body, headers=headers)
    assert response.status_code == 200
    return {(f["code"], f["target"]): f["message"] for f in response.json()["findings"]}


def test_lint_answers_in_the_language_asked_for(client: Client) -> None:
    german = messages(client, **GERMAN)
    assert german[("no-accountable", "strategy")] == (
        "Die Tätigkeit 'strategy' hat keine verantwortliche Rolle (A); genau eine Rolle als A "
        "festlegen."
    )
    assert (
        "beim Betriebsrat steht I statt S (Zustimmung)" in german[("consent-missing", "monitoring")]
    )
    english = messages(client)
    assert english.keys() == german.keys()
    assert english[("no-accountable", "strategy")] == (
        "Activity 'strategy' has nobody accountable; name exactly one A."
    )
    assert messages(client, **{"Accept-Language": "fr"}) == english


def test_explanations_in_german(client: Client) -> None:
    body = {
        "scenario": "mittelstand-manufacturer",
        "variant": "central",
        "options": {"explain": True, "time_limit": 5},
    }
    response = client.post("/v1/raci/solve", json=body, headers=GERMAN)
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["status"] == "optimal"
    reasons = [cell["reason"] for cell in result["explanation"]["cells"]]
    assert all("(Kompetenzpassung " in reason for reason in reasons)
    assert any("die Vorlage für Zentral sieht hier " in reason for reason in reasons)
    alternatives = [a["reason"] for a in result["explanation"]["alternatives"]]
    assert all(a.startswith(("Exakt", "Lokale Schätzung")) for a in alternatives)


def test_a_german_recommendation_is_stored_apart_from_the_english_one(client: Client) -> None:
    body = {
        "scenario": "mittelstand-manufacturer",
        "stability": "none",
        "options": {"time_limit": 2},
    }
    german = client.post("/v1/recommendations", json=body, headers=GERMAN).json()
    english = client.post("/v1/recommendations", json=body).json()
    assert german["id"] != english["id"]
    summary = german["recommendation"]["summary"]
    assert summary.startswith("Empfehlung für Kassel Inverter Works: ")
    assert "Punktzahl " in summary
    assert english["recommendation"]["summary"].startswith(
        "Recommended for Kassel Inverter Works: "
    )
    # codes and numbers stay as they are
    assert german["recommendation"]["recommended"] == english["recommendation"]["recommended"]
    reasons = [entry["reason"] for entry in german["recommendation"]["ranking"]]
    assert any(
        reason.startswith("Letzter Rang, nicht anwendbar: Multi-Hub braucht") for reason in reasons
    )
    fragment = client.get(
        f"/v1/recommendations/{german['id']}", headers={"Accept": "text/html", **GERMAN}
    )
    assert "Empfehlung für Kassel Inverter Works" in fragment.text


def test_a_worker_process_writes_in_the_language_it_is_sent() -> None:
    """The service sends each job with its request's language (``spoken``): the language
    crosses into a worker process, which speaks English otherwise."""
    pool = make_pool(settings_for(pool="process", pool_workers=1))
    try:
        german = asyncio.run(pool.run(None, partial(spoken, "de", say), "lint.empty-matrix"))
        english = asyncio.run(pool.run(None, say, "lint.empty-matrix"))
    finally:
        pool.close()
    assert german == "Die Matrix enthält keine Tätigkeiten."
    assert english == "The matrix has no activities."
