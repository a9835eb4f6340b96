"""POST /v1/discussions/{simulate,monte-carlo,intervention}."""

from __future__ import annotations

from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from service.catalogue import Catalogue

from .conftest import Factory

Client = TestClient[Litestar]


def trio(susceptibility: float) -> dict[str, Any]:
    """Three stakeholders on one issue, everyone listening to everyone equally."""
    people = (("a", "csmo", 0.0), ("b", "ceo", 0.5), ("c", "hr", 1.0))
    return {
        "id": "trio",
        "name": "Three voices",
        "issues": ["adopt"],
        "stakeholders": [
            {"id": key, "name": key.upper(), "role": role, "positions": [position]}
            | {"susceptibility": susceptibility}
            for key, role, position in people
        ],
        "network": {"influence": [[1 / 3] * 3] * 3},
        "proposal": {"issue": "adopt", "threshold": 0.5, "rule": "majority", "vetoes": False},
    }


@pytest.fixture(scope="module")
def discussion_id(catalogue: Catalogue) -> str:
    return next(key for key, d in sorted(catalogue.discussions.items()) if d.proposal is not None)


def test_degroot_with_equal_weights_agrees_on_the_mean(client: Client) -> None:
    # x(1) = W x(0) with every row (1/3, 1/3, 1/3): everyone at the mean 0.5 after one round.
    response = client.post(
        "/v1/discussions/simulate", json={"discussion": trio(1.0), "model": {"kind": "degroot"}}
    )
    assert response.status_code == 200
    result = response.json()
    assert result["converged"] is True
    for position in result["final"].values():
        assert position == pytest.approx([0.5], abs=1e-6)
    assert result["consensus"] is True
    assert result["decision"]["passes"] is True  # 0.5 >= threshold 0.5 for all three


def test_stubborn_stakeholders_keep_their_views(client: Client) -> None:
    # Friedkin–Johnsen with susceptibility 0: x* = u, nobody moves.
    response = client.post("/v1/discussions/simulate", json={"discussion": trio(0.0)})
    assert response.status_code == 200
    final = response.json()["final"]
    assert final["a"] == pytest.approx([0.0])
    assert final["c"] == pytest.approx([1.0])
    assert response.json()["decision"]["passes"] is True  # b and c: 2 of 3 at or above 0.5


def test_simulate_a_builtin_discussion(client: Client, catalogue: Catalogue) -> None:
    key = min(catalogue.discussions)
    response = client.post("/v1/discussions/simulate", json={"discussion": key})
    assert response.status_code == 200
    result = response.json()
    assert result["discussion"] == catalogue.discussions[key].id
    assert set(result["final"]) == {s.id for s in catalogue.discussions[key].stakeholders}


def test_a_discussion_naming_unknown_stakeholders_is_422(client: Client) -> None:
    discussion = trio(0.5) | {"network": {"trust": [{"truster": "a", "trusted": "ghost"}]}}
    response = client.post("/v1/discussions/simulate", json={"discussion": discussion})
    assert response.status_code == 422
    assert all(e["pointer"].startswith("/discussion/") for e in response.json()["errors"])


def test_monte_carlo_is_seeded_and_reproducible(client: Client, discussion_id: str) -> None:
    request = {"discussion": discussion_id, "options": {"draws": 200, "seed": 11}}
    first = client.post("/v1/discussions/monte-carlo", json=request)
    second = client.post("/v1/discussions/monte-carlo", json=request)
    assert first.status_code == 200
    assert first.json() == second.json()
    result = first.json()
    assert result["draws"] == 200
    assert result["seed"] == 11
    # the headline counts (model, draw) pairs over the four standard models
    assert result["passes"] / (4 * 200) == pytest.approx(result["probability"])
    assert result["own"]["passes"] / 200 == pytest.approx(result["own"]["probability"])
    assert len(result["agreement"]["models"]) == 4
    low, high = result["interval"]
    assert low <= result["probability"] <= high
    # the draws are the work limit: nothing here depends on the machine's speed
    assert (result["budget"], result["machine_dependent"]) == (None, [])


def test_work_limits_answer_alike_on_any_budget_that_does_not_bind(
    client: Client, discussion_id: str, raci_id: str
) -> None:
    """The same request with a budget of 30 s and of 29 s: the work limits decide (draws,
    rounds, a proven solve), so the answers are identical and say nothing depends on speed."""

    def both(path: str, body: dict[str, Any], budget: str) -> list[Any]:
        answers = []
        for seconds in (30, 29):
            limited = body | {budget: seconds} if budget == "time_limit" else body
            if budget == "options":
                limited = body | {"options": body["options"] | {"time_limit": seconds}}
            response = client.post(path, json=limited)
            assert response.status_code == 200, response.text
            answer = response.json()
            for result in answer.get("results", ()):  # how long the solver took is a timing
                del result["solver"]["seconds"]
            answers.append(answer)
        assert answers[0] == answers[1]
        assert answers[0]["machine_dependent"] == []
        return answers

    both("/v1/discussions/simulate", {"discussion": discussion_id}, "time_limit")
    both(
        "/v1/discussions/monte-carlo",
        {"discussion": discussion_id, "options": {"draws": 300}},
        "time_limit",
    )
    [solved, _] = both(
        "/v1/raci/solve",
        {"scenario": raci_id, "variant": "central", "options": {"explain": False}},
        "options",
    )
    assert solved["results"][0]["status"] == "optimal"


def test_too_many_draws_is_422_naming_the_limit(make_client: Factory, discussion_id: str) -> None:
    client = make_client(max_draws=100)
    request = {"discussion": discussion_id, "options": {"draws": 101}}
    response = client.post("/v1/discussions/monte-carlo", json=request)
    assert response.status_code == 422
    assert response.json()["limit"] == "max_draws"


def test_too_many_rounds_is_422_naming_the_limit(make_client: Factory) -> None:
    client = make_client(max_rounds=10)
    response = client.post(
        "/v1/discussions/simulate", json={"discussion": trio(0.5) | {"max_rounds": 11}}
    )
    assert response.status_code == 422
    assert response.json()["limit"] == "max_rounds"


def test_monte_carlo_without_a_proposal_points_at_it(client: Client) -> None:
    discussion = trio(0.5) | {"proposal": None}
    response = client.post("/v1/discussions/monte-carlo", json={"discussion": discussion})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/discussion/proposal"]


def test_intervention_plans_pass_the_proposal(client: Client, discussion_id: str) -> None:
    response = client.post("/v1/discussions/intervention", json={"discussion": discussion_id})
    assert response.status_code == 200
    result = response.json()
    plan = result["least_effort"]
    if plan["status"] == "optimal":
        assert plan["decision"]["passes"] is True
    assert plan["status"] in (
        "optimal",
        "not-needed",
        "target-not-reached",
        "infeasible",
        "time-limit",
    )
