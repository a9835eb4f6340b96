"""The documented rules that turn network layers into W, checked by hand."""

from __future__ import annotations

import numpy as np

from models.discussion.network import influence_matrix, raci_links
from models.discussion.types import (
    Collaboration,
    Discussion,
    LayerWeights,
    Network,
    ReportingLine,
    Stakeholder,
    Trust,
)


def people(*roles: str) -> tuple[Stakeholder, ...]:
    return tuple(
        Stakeholder(id=f"s{i}", name=f"S{i}", role=role, positions=(0.5,))
        for i, role in enumerate(roles)
    )


def test_layers_add_up_and_rows_are_normalised():
    """s1 reports to s0; s1 and s2 collaborate (weight 2); s2 trusts s0 (weight 3).
    Raw rows (own = 1, manager = 2, member = 0.5, collaboration = 1, trust = 1):
    s0: own 1, member s1 0.5            → (1, 0.5, 0) / 1.5
    s1: manager 2, own 1, collab 2      → (2, 1, 2) / 5
    s2: trust 3, collab 2, own 1        → (3, 2, 1) / 6"""
    network = Network(
        reporting=(ReportingLine("s1", "s0"),),
        collaboration=(Collaboration("s1", "s2", 2.0),),
        trust=(Trust("s2", "s0", 3.0),),
    )
    d = Discussion(
        id="n", name="N", issues=("q",), stakeholders=people("ceo", "hr", "it"), network=network
    )
    expected = [[1 / 1.5, 0.5 / 1.5, 0], [2 / 5, 1 / 5, 2 / 5], [3 / 6, 2 / 6, 1 / 6]]
    np.testing.assert_allclose(influence_matrix(d), expected)


def test_raci_cells_link_stakeholders_by_shared_activities():
    """hr and legal share two activities as R/A/C ('I' does not count); hr and it one."""
    network = Network(
        raci={
            "guidelines": {"hr": "A", "legal": "C", "it": "I"},
            "training": {"hr": "A/R", "legal": "R", "it": "C"},
        },
        layers=LayerWeights(own=1.0, raci=0.5),
    )
    d = Discussion(
        id="n", name="N", issues=("q",), stakeholders=people("hr", "legal", "it"), network=network
    )
    assert raci_links(network, {"s0": "hr", "s1": "legal", "s2": "it"}) == {
        ("s0", "s1"): 2,
        ("s0", "s2"): 1,
        ("s1", "s2"): 1,
    }
    # s0: own 1, s1 2·0.5, s2 1·0.5 → (1, 1, 0.5) / 2.5
    np.testing.assert_allclose(influence_matrix(d)[0], [0.4, 0.4, 0.2])


def test_consent_links_and_a_split_activity_counts_once():
    """S is a working letter; the rows of one activity split per unit are one activity."""
    network = Network(
        raci={
            "channels@bu-a": {"bu-a": "A/R", "wc": "S", "hub": "C"},
            "channels@bu-b": {"bu-b": "A/R", "wc": "S", "hub": "C"},
            "strategy": {"hub": "A/R", "wc": "I"},
        }
    )
    roles = {"a": "bu-a", "b": "bu-b", "h": "hub", "w": "wc"}
    # a and b work on channels, but each on its own row: no link between them
    assert raci_links(network, roles) == {
        ("a", "h"): 1,
        ("a", "w"): 1,
        ("b", "h"): 1,
        ("b", "w"): 1,
        ("h", "w"): 1,
    }


def test_somebody_who_listens_to_nobody_is_stubborn():
    d = Discussion(
        id="n",
        name="N",
        issues=("q",),
        stakeholders=people("ceo", "hr"),
        network=Network(layers=LayerWeights(own=0.0), trust=(Trust("s1", "s0"),)),
    )
    np.testing.assert_allclose(influence_matrix(d), [[1, 0], [1, 0]])


def test_an_explicit_matrix_wins_over_layers():
    d = Discussion(
        id="n",
        name="N",
        issues=("q",),
        stakeholders=people("ceo", "hr"),
        network=Network(influence=((0.25, 0.75), (0.5, 0.5)), trust=(Trust("s1", "s0"),)),
    )
    assert influence_matrix(d).tolist() == [[0.25, 0.75], [0.5, 0.5]]
