"""The objective of a hand-made matrix, term by term, from the formulas in
:mod:`models.raci.objective` (not from the optimiser): the brute-force test compares the MILP
with :func:`~models.raci.objective.evaluate`, so evaluate itself is checked here by hand."""

from __future__ import annotations

import pytest

from models.core import LETTERS, Matrix
from models.raci.objective import ALIGNMENT, COMPETENCE, DISTANCE, FAN_OUT, LOAD, evaluate
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
    for per_letter in (LOAD, COMPETENCE, FAN_OUT, DISTANCE):
        assert per_letter.shape == (len(LETTERS),)
    assert ALIGNMENT.shape == (len(LETTERS) + 1, len(LETTERS) + 1)  # and "no letter"
