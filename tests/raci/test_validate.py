"""Cross-field checks of scenarios (models.raci.validate)."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from models.errors import InvalidInput
from models.raci.types import (
    Activity,
    FixedLetter,
    MustBeInvolved,
    MustNotBeAccountable,
    Profile,
    Role,
    Scenario,
)
from models.raci.validate import check

from .strategies import ids

PROFILE = Profile(name="Test", headcount=500)


def problems_of(scenario: Scenario) -> list[tuple[str, str]]:
    with pytest.raises(InvalidInput) as caught:
        check(scenario)
    return [(p.pointer, p.message) for p in caught.value.problems]


def test_every_problem_is_reported_with_its_pointer() -> None:
    scenario = Scenario(
        id="broken",
        profile=msgspec.structs.replace(PROFILE, works_council=True),
        roles=(
            Role(id="a", name="A", reports_to="b"),
            Role(id="b", name="B", reports_to="a"),
            Role(id="a", name="A again"),
            Role(id="c", name="C", reports_to="ghost"),
        ),
        activities=(
            Activity(id="x", name="X", codetermination=True),
            Activity(id="x", name="X again"),
        ),
        rules=(
            MustBeInvolved(role="nobody", activity="x"),
            MustNotBeAccountable(role="a", activity="nothing"),
            FixedLetter(role="a", activity="x", letter="A"),
            FixedLetter(role="a", activity="x", letter="C"),
            MustNotBeAccountable(role="a", activity="x"),
        ),
    )
    assert [pointer for pointer, _ in problems_of(scenario)] == [
        "/roles/2/id",
        "/roles/3/reports_to",
        "/roles/0/reports_to",
        "/activities/1/id",
        "/rules/0/role",
        "/rules/1/activity",
        "/rules/3",
        "/rules/2",
        "/roles",
    ]
    messages = dict(problems_of(scenario))
    assert messages["/roles/2/id"] == "duplicate id 'a' (first used at /roles/0/id)"
    assert messages["/roles/0/reports_to"] == "reporting lines form a cycle: a -> b -> a"
    assert messages["/roles/3/reports_to"] == "unknown role 'ghost'"
    assert messages["/rules/0/role"] == "unknown role 'nobody'"
    assert "/rules/2 fixes it to A" in messages["/rules/3"]
    assert "/rules/4 says it must not be accountable" in messages["/rules/2"]
    assert "works_council" in messages["/roles"]


def test_empty_roles_and_activities_are_errors() -> None:
    assert [p for p, _ in problems_of(Scenario(id="e", profile=PROFILE))] == [
        "/roles",
        "/activities",
    ]


def test_a_role_reporting_to_itself_is_a_cycle() -> None:
    scenario = Scenario(
        id="s",
        profile=PROFILE,
        roles=(Role(id="a", name="A"), Role(id="self", name="S", reports_to="self")),
        activities=(Activity(id="x", name="X"),),
    )
    assert problems_of(scenario) == [
        ("/roles/1/reports_to", "reporting lines form a cycle: self -> self")
    ]


def test_what_is_not_an_error() -> None:
    scenario = Scenario(
        id="fine",
        profile=PROFILE,  # no works council: codetermination needs no council role
        roles=(Role(id="a", name="A"), Role(id="b", name="B", reports_to="a")),
        activities=(Activity(id="x", name="X", competences=("astrology",), codetermination=True),),
        rules=(
            # two roles fixed to A is infeasible (a result with a diagnosis), not invalid
            FixedLetter(role="a", activity="x", letter="A"),
            FixedLetter(role="b", activity="x", letter="A"),
            FixedLetter(role="a", activity="x", letter="A"),  # a repeated rule agrees
        ),
    )
    check(scenario)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(ids, min_size=1, max_size=6, unique=True),
    ids,
    st.integers(0, 5),
)
def test_a_rule_naming_an_unknown_role_is_pointed_at(
    roles: list[str], stranger: str, position: int
) -> None:
    assume(stranger not in roles)
    rules = [MustBeInvolved(role=role, activity="x") for role in roles]
    position = min(position, len(rules))
    rules.insert(position, MustBeInvolved(role=stranger, activity="x"))
    scenario = Scenario(
        id="s",
        profile=PROFILE,
        roles=tuple(Role(id=r, name=r) for r in roles),
        activities=(Activity(id="x", name="X"),),
        rules=tuple(rules),
    )
    assert problems_of(scenario) == [(f"/rules/{position}/role", f"unknown role '{stranger}'")]


def test_like_names_a_catalogue_activity_and_unit_a_business_unit() -> None:
    scenario = Scenario(
        id="links",
        profile=PROFILE,
        roles=(
            Role(id="hub", name="Hub", kind="hub"),
            Role(id="bu", name="BU", kind="business_unit"),
        ),
        activities=(
            Activity(id="mag", name="Magazine", like="content", unit="bu"),
            Activity(id="zine", name="Zine", like="fanzine", unit="hub"),
            Activity(id="blog", name="Blog", unit="ghost"),
        ),
    )
    problems = problems_of(scenario)
    assert [pointer for pointer, _ in problems] == [
        "/activities/1/like",
        "/activities/1/unit",
        "/activities/2/unit",
    ]
    messages = dict(problems)
    assert messages["/activities/1/like"].startswith(
        "unknown catalogue activity 'fanzine'; use one of strategy, coordination,"
    )
    assert messages["/activities/1/unit"] == "role 'hub' is not a business unit (its kind is 'hub')"
    assert messages["/activities/2/unit"] == "unknown role 'ghost'"
