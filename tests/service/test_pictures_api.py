"""Pictures and the deck over HTTP: the heatmap of one solved model, the discussion's
trajectories and network, a stored recommendation's picture and slide deck; 406 where a
picture cannot be had."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from pptx import Presentation

from models.labels import label
from service.catalogue import Catalogue
from service.schemas import PPTX

Client = TestClient[Litestar]
SCENARIO = "mittelstand-manufacturer"
FAST = {"time_limit": 5, "alternatives_seconds": 0}
SVG = "image/svg+xml"
NS = "{http://www.w3.org/2000/svg}"


def texts(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(SVG)
    return ["".join(e.itertext()) for e in ET.fromstring(response.content).iter(f"{NS}text")]


def test_solve_of_one_model_as_a_heatmap(client: Client, catalogue: Catalogue) -> None:
    body = {"scenario": SCENARIO, "variant": "hub-and-spoke", "options": FAST}
    strings = texts(client.post("/v1/raci/solve", json=body, headers={"Accept": SVG}))
    scenario = catalogue.raci[SCENARIO]
    assert f"{scenario.profile.name} — Hub-and-spoke" in strings
    matrix = client.post("/v1/raci/solve", json=body).json()["results"][0]["matrix"]
    consents = sum(list(row.values()).count("S") for row in matrix.values())
    assert consents > 0
    assert strings.count("S") == consents
    german = client.post(
        "/v1/raci/solve", json=body, headers={"Accept": "image/png", "Accept-Language": "de"}
    )
    assert german.headers["content-type"] == "image/png"
    assert german.content.startswith(b"\x89PNG")


def test_a_picture_of_every_model_at_once_is_refused(client: Client) -> None:
    body = {"scenario": SCENARIO, "variant": "all", "options": FAST}
    response = client.post("/v1/raci/solve", json=body, headers={"Accept": "image/png"})
    assert response.status_code == 406
    problem = response.json()
    assert problem["type"] == "/problems/not-acceptable"
    assert "one governance model" in problem["detail"]
    refused = client.post("/v1/raci/solve", json=body, headers={"Accept": "image/gif"})
    assert refused.status_code == 406


def test_simulate_draws_the_trajectories_or_the_network(
    client: Client, catalogue: Catalogue
) -> None:
    discussion = catalogue.discussions["csmo-ceo"]
    body = {"discussion": "csmo-ceo"}
    strings = texts(client.post("/v1/discussions/simulate", json=body, headers={"Accept": SVG}))
    assert label("variant.hub-and-spoke") in " ".join(strings)
    assert any(s.startswith(label("threshold")) for s in strings)
    network = client.post(
        "/v1/discussions/simulate?picture=network",
        json=body,
        headers={"Accept": SVG, "Accept-Language": "de"},
    )
    strings = texts(network)
    assert f"{discussion.name} — {label('network', 'de')}" in strings
    pdf = client.post("/v1/discussions/simulate", json=body, headers={"Accept": "application/pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert client.post("/v1/discussions/simulate", json=body).json()["discussion"] == "csmo-ceo"
    bad = client.post("/v1/discussions/simulate?picture=pie", json=body, headers={"Accept": SVG})
    assert bad.status_code == 400


@pytest.fixture
def stored(client: Client) -> str:
    body = {"scenario": SCENARIO, "discussion": SCENARIO, "options": {"time_limit": 5}}
    response = client.post("/v1/recommendations", json=body)
    assert response.status_code == 201
    location: str = response.headers["location"]
    return location


def test_a_stored_recommendation_as_a_picture_and_a_deck(
    client: Client, catalogue: Catalogue, stored: str
) -> None:
    recommendation = client.get(stored).json()["recommendation"]
    strings = texts(client.get(stored, headers={"Accept": SVG, "Accept-Language": "de"}))
    assert label("score-by-model", "de") in strings
    assert catalogue.raci[SCENARIO].profile.name in strings
    response = client.get(stored, headers={"Accept": PPTX})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == PPTX
    assert response.headers["content-disposition"].endswith('.pptx"')
    deck = Presentation(io.BytesIO(response.content))
    titles = [slide.shapes.title.text_frame.text for slide in deck.slides]
    winner = label(f"variant.{recommendation['recommended']}")
    assert any(title.startswith(f"★ {winner}") for title in titles)
    assert titles[-1].startswith(label("briefing"))  # the discussion was simulated again
    for variant in ("central", "distributed", "holistic"):
        assert any(title.startswith(label(f"variant.{variant}")) for title in titles)
