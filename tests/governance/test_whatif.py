"""What-if: edits applied and refused by name, the cells that flip (checked against two plain
solves), nothing changes without edits, and the recommendation before and after."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.errors import InvalidInput
from models.governance.recommend import recommend
from models.governance.types import (
    AddRole,
    DropRule,
    Lead,
    MakeOptional,
    RemoveRole,
    SetCapacity,
    SetWeight,
    StayClose,
)
from models.governance.whatif import apply, what_if
from models.raci.catalogue import complete
from models.raci.generate import generate
from models.raci.solve import solve, solve_all
from models.raci.types import VARIANTS, Role, Scenario, SolveOptions, Staffing, Variant
from service.cli.discussion import builtin_discussions
from service.cli.raci import builtin_scenarios
from tests.raci.test_brute import runnable

FAST = SolveOptions(explain=False)


def it_led() -> Scenario:
    return complete(builtin_scenarios()["it-led"])


def test_edits_apply_in_order_and_say_what_they_did() -> None:
    scenario = it_led()
    edited, said = apply(
        scenario,
        [
            SetWeight(term="alignment", value=2.0),
            SetCapacity(role="csmo", value=40.0),
            AddRole(role=Role(id="agency", name="Agency", capacity=5.0)),
            Lead(role=None),
            DropRule(index=0),
            MakeOptional(role="agency", staffing=Staffing(capacities=(5.0, 10.0))),
        ],
    )
    assert edited.roles[-1].optional == Staffing(capacities=(5.0, 10.0))
    assert edited.weights.alignment == 2.0
    assert next(r for r in edited.roles if r.id == "csmo").capacity == 40.0
    assert edited.roles[-1].id == "agency"
    assert edited.lead is None
    assert edited.rules == scenario.rules[1:]
    assert said[0] == "weight of alignment 1 -> 2"
    assert said[3] == "the catalogue's hub leads"


def test_removing_a_role_removes_its_rules_and_frees_its_reports() -> None:
    scenario = it_led()
    named = [rule for rule in scenario.rules if rule.role == "cio"]
    assert named  # it-led's rules name the CIO
    reports = [role.id for role in scenario.roles if role.reports_to == "cio"]
    edited, (said,) = apply(scenario, [RemoveRole(role="cio")])
    assert "cio" not in {role.id for role in edited.roles}
    assert all(rule.role != "cio" for rule in edited.rules)
    assert edited.lead is None  # the CIO led
    assert all(role.reports_to != "cio" for role in edited.roles)
    assert f"the {len(named)} rule(s) naming it" in said
    assert bool(reports) == ("no longer report to it" in said)


def test_an_edit_naming_the_unknown_is_refused_with_its_pointer() -> None:
    scenario = it_led()
    with pytest.raises(InvalidInput) as raised:
        apply(scenario, [SetWeight(term="competence", value=1.0), SetCapacity(role="cfo", value=1)])
    assert [p.pointer for p in raised.value.problems] == ["/edits/1/role"]
    with pytest.raises(InvalidInput) as raised:
        apply(scenario, [DropRule(index=99)])
    assert [p.pointer for p in raised.value.problems] == ["/edits/0/index"]
    with pytest.raises(InvalidInput) as raised:
        apply(scenario, [AddRole(role=Role(id="csmo", name="Again"))])
    assert [p.pointer for p in raised.value.problems] == ["/edits/0/role/id"]


def test_the_flips_are_the_difference_of_two_plain_solves() -> None:
    scenario = it_led()
    edit = SetCapacity(role="csmo", value=40.0)
    answer = what_if(scenario, [edit], ("central",), FAST)
    before = solve(scenario, "central", FAST).matrix
    after = solve(apply(scenario, [edit])[0], "central", FAST).matrix
    expected = {
        (row, role)
        for row in set(before) | set(after)
        for role in set(before.get(row, {})) | set(after.get(row, {}))
        if before.get(row, {}).get(role) != after.get(row, {}).get(role)
    }
    [change] = answer.models
    assert {(f.row, f.role) for f in change.flips} == expected
    for flip in change.flips:
        assert (flip.before, flip.after) == (
            before.get(flip.row, {}).get(flip.role),
            after.get(flip.row, {}).get(flip.role),
        )
    assert change.objective_before == solve(scenario, "central", FAST).objective
    assert answer.recommended_before is None  # one model only: no recommendation
    assert f"{len(expected)} cell(s) flip" in answer.summary


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.sampled_from(VARIANTS))
def test_no_edit_changes_nothing(seed: int, variant: Variant) -> None:
    scenario = runnable(generate(6, 5, seed), variant)
    answer = what_if(scenario, [], (variant,), FAST)
    [change] = answer.models
    assert change.flips == ()
    assert change.objective_before == change.objective_after
    assert change.score_before == change.score_after


def test_staying_close_to_a_feasible_matrix_keeps_it() -> None:
    scenario = it_led()
    skewed = msgspec.structs.replace(
        scenario, weights=msgspec.structs.replace(scenario.weights, competence=4.0)
    )
    other = solve(skewed, "central", FAST).matrix
    answer = what_if(scenario, [StayClose(matrix=other, weight=1000.0)], ("central",), FAST)
    [change] = answer.models
    after = {(f.row, f.role): f.after for f in change.flips}
    for row, letters in other.items():  # every flip lands on the client's letter
        for role, letter in letters.items():
            if (row, role) in after:
                assert after[row, role] == letter


def test_the_recommendation_before_and_after() -> None:
    scenario = it_led()
    # the CIO-led low-maturity firm: central; "what if the catalogue's hub leads?" keeps it
    answer = what_if(scenario, [Lead(role=None)], VARIANTS, FAST)
    assert (answer.recommended_before, answer.recommended_after) == ("central", "central")
    assert answer.summary.endswith("the recommendation stays central.")
    assert len(answer.models) == len(VARIANTS)


def test_the_votes_are_taken_once_and_rank_as_a_recommendation_does() -> None:
    """The discussion's votes do not depend on the matrix: what-if takes them once for both
    rankings, and its "before" is the recommendation of the same solves with that discussion."""
    scenario, discussion = it_led(), builtin_discussions()["it-led"]
    answer = what_if(scenario, [], VARIANTS, FAST, discussion, draws=50)
    direct = recommend(scenario, solve_all(scenario, VARIANTS, FAST), discussion, draws=50)
    assert answer.recommended_before == answer.recommended_after == direct.recommended
