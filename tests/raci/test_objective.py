"""The objective of a hand-made matrix, term by term, from the formulas in
:mod:`models.raci.objective` (not from the optimiser): the brute-force test compares the MILP
with :func:`~models.raci.objective.evaluate`, so evaluate itself is checked here by hand."""

from __future__ import annotations

import pytest

from models.core import LETTERS, Matrix
from models.raci.objective import (
    ALIGNMENT,
    COMPETENCE,
    DISTANCE,
    FAN_OUT,
    HEARD_SHARE,
    LOAD,
    compile_instance,
    evaluate,
    violations,
)
from models.raci.types import Activity, Profile, Role, Scenario, Weights

# The hub owns the strategy in the central template; IT reports to the hub (1 hop).
SCENARIO = Scenario(
    id="hand",
    profile=Profile(name="Hand", headcount=50),
    roles=(
        Role(id="hub", name="Hub", kind="hub", capacity=10.0, competences={"social_media": 0.8}),
        Role(
            id="it", name="IT", kind="it", capacity=4.0, competences={"it": 0.5}, reports_to="hub"
        ),
    ),
    activities=(
        Activity(
            id="plan",
            name="Strategy",
            category="strategy",
            effort=2.0,
            competences=("social_media", "it"),
        ),
    ),
    weights=Weights(competence=1.0, workload=1.0, communication=1.0, alignment=0.0),
)
MATRIX: Matrix = {"plan": {"hub": "A/R", "it": "C"}}


def test_each_term_of_a_hand_made_matrix() -> None:
    objective, workload = evaluate(SCENARIO, "central", MATRIX)
    # fit: hub (0.8 + 0) / 2 = 0.4, IT (0 + 0.5) / 2 = 0.25
    # competence: (1 − 0.4) · κ(A/R) 1.4 + (1 − 0.25) · κ(C) 0.2 = 0.84 + 0.15
    assert objective.competence == pytest.approx(0.99)
    # loads: hub 2 · 1.15 = 2.3 of 10 (u 0.23), IT 2 · 0.15 = 0.3 of 4 (u 0.075);
    # φ(u) = 0.2 u below 0.5: 0.046 + 0.015
    assert workload["hub"].load == pytest.approx(2.3)
    assert workload["it"].utilisation == pytest.approx(0.075)
    assert objective.workload == pytest.approx(0.061)
    # communication: A/R costs nothing; C fans out 0.3 plus δ(C) 0.4 · 1 hop / 4 = 0.1
    assert objective.communication == pytest.approx(0.4)
    assert objective.alignment == 0.0
    assert objective.total == pytest.approx(0.99 + 0.061 + 0.4)


def test_every_letter_has_its_coefficients() -> None:
    # a letter added to models.core needs a value in every letter-indexed array
    for per_letter in (LOAD, COMPETENCE, FAN_OUT, DISTANCE, HEARD_SHARE):
        assert per_letter.shape == (len(LETTERS),)
    assert ALIGNMENT.shape == (len(LETTERS) + 1, len(LETTERS) + 1)  # and "no letter"


# Consent and consultation by hand. Central; the hub owns channel set-up (template A); the
# works council must consent (S, codetermined); Legal is a natural consultee of channel set-up
# (template C) and reports to the hub (1 hop); the works council reports to nobody (4 hops).
CONSENT = Scenario(
    id="consent",
    profile=Profile(
        name="Consent", headcount=50, works_council=True, executive_sponsorship="strong"
    ),
    roles=(
        Role(id="hub", name="Hub", kind="hub", capacity=10.0, competences={"social_media": 1.0}),
        Role(id="wc", name="Works council", kind="works_council", capacity=2.0),
        Role(
            id="legal",
            name="Legal",
            kind="legal",
            capacity=5.0,
            competences={"legal": 0.8},
            reports_to="hub",
        ),
    ),
    activities=(
        Activity(
            id="channels",
            name="Channels",
            category="tools",
            effort=1.0,
            competences=("social_media", "legal"),
            codetermination=True,
        ),
    ),
)


def test_consent_and_consultation_term_by_term() -> None:
    matrix: Matrix = {"channels": {"hub": "A/R", "wc": "S", "legal": "I"}}
    objective, workload = evaluate(CONSENT, "central", matrix)
    # fit: hub (1.0 + 0) / 2 = 0.5, works council 0, Legal (0 + 0.8) / 2 = 0.4
    # competence: hub (1 − 0.5) · 1.4 + council (1 − 0) · κ(S) 0.2 + Legal I 0 = 0.9
    assert objective.competence == pytest.approx(0.9)
    # communication: A/R 0; S 0.4 + 0.4 · 4/4 = 0.8; I 0.1 + 0.2 · 1/4 = 0.15; weight 0.5
    assert objective.communication == pytest.approx(0.5 * 0.95)
    # alignment: template A drawn A/R 0.2; S where S is wanted 0; C wanted, I drawn 0.2
    assert objective.alignment == pytest.approx(0.4)
    # consultation: Legal has a stake of 1 and is only informed: 1 · (1 − 0.25); the hub
    # (owner) and the council are heard
    assert objective.consultation == pytest.approx(0.75)
    # loads 1.15 of 10, 0.2 of 2, 0.05 of 5: φ = 0.2 · (0.115 + 0.1 + 0.01)
    assert workload["wc"].load == pytest.approx(0.2)
    assert objective.workload == pytest.approx(0.045)
    assert objective.total == pytest.approx(0.9 + 0.475 + 0.4 + 0.75 + 0.045)


def test_informing_the_council_is_not_consent() -> None:
    instance = compile_instance(CONSENT, "central")
    heard = violations(instance, {"channels": {"hub": "A/R", "wc": "S", "legal": "C"}})
    informed = violations(instance, {"channels": {"hub": "A/R", "wc": "I", "legal": "C"}})
    assert heard == []
    assert informed == [
        "the works council consents (S) to Channels before it is introduced "
        "(co-determination, §87(1) BetrVG)"
    ]


UNITS = Scenario(
    id="units",
    profile=Profile(name="Units", headcount=500, business_units=2),
    roles=(
        Role(id="hub", name="Hub", kind="hub", capacity=10.0),
        Role(id="bu-a", name="Unit A", kind="business_unit", capacity=10.0),
        Role(id="bu-b", name="Unit B", kind="business_unit", capacity=10.0),
    ),
    activities=(Activity(id="content", name="Content", category="execution", effort=4.0),),
)


def test_each_unit_owns_its_own_share_of_devolved_work() -> None:
    instance = compile_instance(UNITS, "hub-and-spoke")
    assert instance.activity_ids == ("content@bu-a", "content@bu-b")
    own: Matrix = {"content@bu-a": {"bu-a": "A/R"}, "content@bu-b": {"bu-b": "A/R"}}
    _, workload = evaluate(UNITS, "hub-and-spoke", own)
    # each unit does its half: 4 / 2 · 1.15
    assert workload["bu-a"].load == pytest.approx(2.3)
    assert workload["bu-b"].load == pytest.approx(2.3)
    assert violations(instance, own) == []
    # a client's single row stands for every unit's row: Unit A then owns Unit B's work too
    single: Matrix = {"content": {"bu-a": "A/R"}}
    _, workload = evaluate(UNITS, "hub-and-spoke", single)
    assert workload["bu-a"].load == pytest.approx(4.6)
    assert "Unit A holds no letter on another unit's Content (Unit B)" in violations(
        instance, single
    )
