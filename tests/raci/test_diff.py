"""Diffs between a current matrix and a proposal."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.core import Matrix
from models.errors import InvalidInput
from models.raci.diff import diff
from models.raci.generate import generate
from models.raci.objective import evaluate
from models.raci.solve import solve
from models.raci.types import Activity, Objective, Profile, Role, Scenario, SolveOptions
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


UNITS = Scenario(
    id="units",
    profile=Profile(name="U", headcount=3000, business_units=2),
    roles=(
        Role(id="hub", name="Hub", kind="hub"),
        Role(id="legal", name="Legal", kind="legal"),
        Role(id="bu-a", name="Unit A", kind="business_unit"),
        Role(id="bu-b", name="Unit B", kind="business_unit"),
    ),
    activities=(
        Activity(id="strategy", name="Strategy", category="strategy"),
        Activity(id="content", name="Content", category="execution"),
    ),
)


def test_a_single_row_is_compared_with_each_unit_row_of_the_proposal() -> None:
    # the client's one content row against hub-and-spoke's content@bu-a and content@bu-b
    current: Matrix = {
        "strategy": {"hub": "A/R", "legal": "C"},
        "content": {"hub": "A/R"},
    }
    proposed: Matrix = {
        "strategy": {"hub": "A/R", "legal": "C"},
        "content@bu-a": {"bu-a": "A/R"},
        "content@bu-b": {"bu-b": "A/R", "legal": "C", "hub": "I"},
    }
    result = diff(UNITS, "hub-and-spoke", current, proposed)
    assert [(c.activity, c.role, c.before, c.after) for c in result.changes] == [
        ("content@bu-a", "bu-a", None, "A/R"),
        ("content@bu-a", "hub", "A/R", None),
        ("content@bu-b", "bu-b", None, "A/R"),
        ("content@bu-b", "hub", "A/R", "I"),
        ("content@bu-b", "legal", None, "C"),
    ]
    # the same the other way round: the proposal's single row stands for the unit rows
    back = diff(UNITS, "hub-and-spoke", proposed, current)
    assert [(c.activity, c.role, c.after, c.before) for c in back.changes] == [
        (c.activity, c.role, c.before, c.after) for c in result.changes
    ]
    # content was a silo; it still is on bu-a's row, so that finding neither appears nor
    # disappears (bu-b's row consults Legal). The units had no letter at all and now run
    # their own content.
    assert [(f.code, f.target) for f in result.findings_appear] == []
    assert [(f.code, f.target) for f in result.findings_disappear] == [
        ("no-responsibility", "bu-a"),
        ("no-responsibility", "bu-b"),
    ]
    before, _ = evaluate(UNITS, "hub-and-spoke", current)
    after, _ = evaluate(UNITS, "hub-and-spoke", proposed)
    assert result.before == before
    assert result.after == after
    assert result.delta.consultation == pytest.approx(after.consultation - before.consultation)
    assert result.delta.total == pytest.approx(after.total - before.total)
    terms = [f.name for f in msgspec.structs.fields(Objective) if f.name != "total"]
    assert "consultation" in terms
    assert result.delta.total == pytest.approx(sum(getattr(result.delta, t) for t in terms))


def test_a_model_the_organisation_cannot_run_is_not_diffed() -> None:
    # no business units: hub-and-spoke has no spokes, so its objective measures nothing real
    no_units = Scenario(
        id="flat",
        profile=Profile(name="Flat", headcount=50),
        roles=(Role(id="hub", name="Hub", kind="hub"), Role(id="it", name="IT", kind="it")),
        activities=(Activity(id="plan", name="Plan", category="strategy"),),
    )
    matrix: Matrix = {"plan": {"hub": "A/R"}}
    with pytest.raises(InvalidInput) as caught:
        diff(no_units, "hub-and-spoke", matrix, matrix)
    (problem,) = caught.value.problems
    assert problem.pointer == "/variant"
    assert problem.message.startswith("Hub-and-spoke needs business units (spokes)")
    assert diff(no_units, "central", matrix, matrix).changes == ()
