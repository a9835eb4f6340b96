"""Decision rules with margins computed by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.discussion.decision import decide
from models.discussion.types import Proposal

IDS = ("a", "b", "c", "d", "e")
POSITIONS = np.array([0.9, 0.6, 0.4, 0.2, 0.55])
WEIGHTS = np.array([3.0, 1.0, 1.0, 1.0, 2.0])
NO_VETO = np.zeros(5, dtype=bool)


@pytest.mark.parametrize(
    ("rule", "quota", "passes", "share", "margin"),
    [
        ("majority", 2 / 3, True, 3 / 5, 3 / 5 - 1 / 2),  # a, b, e of five
        ("weighted", 2 / 3, True, 6 / 8, 6 / 8 - 1 / 2),  # (3 + 1 + 2) / 8
        ("qualified", 0.8, False, 6 / 8, 6 / 8 - 0.8),
        ("qualified", 0.75, True, 6 / 8, 0.0),  # exactly the quota is enough
    ],
)
def test_rules_by_hand(rule, quota, passes, share, margin):
    decision = decide(Proposal(issue="q", rule=rule, quota=quota), IDS, POSITIONS, WEIGHTS, NO_VETO)
    assert decision.passes is passes
    assert decision.share == pytest.approx(share)
    assert decision.margin == pytest.approx(margin)
    assert decision.supporters == ("a", "b", "e")
    assert decision.opponents == ("c", "d")
    assert decision.vetoes == ()


def test_an_exact_half_is_not_a_majority():
    decision = decide(
        Proposal(issue="q"), IDS[:4], POSITIONS[:4], WEIGHTS[:4], np.zeros(4, dtype=bool)
    )
    assert decision.share == 0.5
    assert not decision.passes
    assert decision.margin == 0.0


def test_a_veto_holder_who_opposes_blocks_and_is_named():
    veto = np.array([False, False, False, True, False])
    blocked = decide(Proposal(issue="q"), IDS, POSITIONS, WEIGHTS, veto)
    assert not blocked.passes
    assert blocked.vetoes == ("d",)
    assert blocked.margin == pytest.approx(0.1)  # the share still clears the bar
    ignored = decide(Proposal(issue="q", vetoes=False), IDS, POSITIONS, WEIGHTS, veto)
    assert ignored.passes
    assert ignored.vetoes == ()


def test_a_position_on_the_threshold_supports():
    decision = decide(Proposal(issue="q", threshold=0.55), IDS, POSITIONS, WEIGHTS, NO_VETO)
    assert "e" in decision.supporters


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 1), min_size=1, max_size=9),
    st.sampled_from(("majority", "weighted", "qualified")),
    st.floats(0.01, 1.0),
)
def test_raising_every_position_never_turns_a_pass_into_a_fail(positions, rule, bump):
    """Monotonicity: more support cannot make a proposal fail."""
    n = len(positions)
    x = np.array(positions)
    ids = tuple(f"s{i}" for i in range(n))
    proposal = Proposal(issue="q", rule=rule)
    weights, veto = np.ones(n), np.zeros(n, dtype=bool)
    before = decide(proposal, ids, x, weights, veto)
    after = decide(proposal, ids, np.minimum(x + bump, 1.0), weights, veto)
    assert after.share >= before.share
    assert after.passes or not before.passes
