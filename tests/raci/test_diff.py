"""Diffs between a current matrix and a proposal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.core import Matrix
from models.errors import InvalidInput
from models.raci.diff import diff
from models.raci.generate import generate
from models.raci.objective import evaluate
from models.raci.solve import solve
from models.raci.types import SolveOptions
from tests.raci.test_diagnose import SMALL


def test_a_hand_made_diff() -> None:
    current: Matrix = {"plan": {"ceo": "R"}, "run": {"it": "A/R", "hub": "I"}}
    proposed: Matrix = {"plan": {"ceo": "C", "hub": "A/R"}, "run": {"it": "A/R"}}
    result = diff(SMALL, "central", current, proposed)
    assert [(c.activity, c.role, c.before, c.after) for c in result.changes] == [
        ("plan", "ceo", "R", "C"),
        ("plan", "hub", None, "A/R"),
        ("run", "hub", "I", None),
    ]
    before, _ = evaluate(SMALL, "central", current)
    after, _ = evaluate(SMALL, "central", proposed)
    assert result.delta.total == pytest.approx(after.total - before.total)
    assert result.delta.alignment == pytest.approx(after.alignment - before.alignment)
    # the current "plan" row has nobody accountable; the proposal fixes that
    assert ("no-accountable", "plan") in {(f.code, f.target) for f in result.findings_disappear}
    assert not any(f.severity == "error" for f in result.findings_appear)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 1000))
def test_diffing_a_matrix_with_itself_changes_nothing(generate_seed: int) -> None:
    scenario = generate(5, 4, generate_seed)
    matrix = solve(scenario, "hub-and-spoke", SolveOptions(explain=False)).matrix
    result = diff(scenario, "hub-and-spoke", matrix, matrix)
    assert result.changes == ()
    assert result.delta.total == 0.0
    assert result.findings_appear == result.findings_disappear == ()


def test_unknown_ids_are_named_in_the_matrix_they_come_from() -> None:
    # both matrices are checked, and each pointer says which one (current or proposed)
    current: Matrix = {"ghost": {"hub": "A/R"}}
    proposed: Matrix = {"plan": {"hub": "A/R", "intern": "C"}}
    with pytest.raises(InvalidInput) as caught:
        diff(SMALL, "central", current, proposed)
    assert [p.pointer for p in caught.value.problems] == ["/current/ghost", "/proposed/plan/intern"]
