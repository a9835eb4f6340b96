"""The catalogue and the defaults a profile implies (models.raci.catalogue)."""

from __future__ import annotations

import doctest
from types import ModuleType

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.raci import catalogue, codec, diff, generate, lint, objective, render
from models.raci.catalogue import ACTIVITIES, ROLES, complete
from models.raci.codec import decode_scenario
from models.raci.solve import solve
from models.raci.types import VARIANTS, Activity, Profile, Role, Scenario, SolveOptions
from models.raci.validate import check

from .strategies import profiles


@pytest.mark.parametrize("module", [catalogue, codec, diff, generate, lint, objective, render])
def test_docstring_examples_hold(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


def test_catalogue_has_the_eighteen_activities_of_the_domain_brief() -> None:
    assert list(ACTIVITIES) == [
        "strategy",
        "coordination",
        "guidelines",
        "training",
        "internal-tools",
        "channels",
        "content",
        "campaigns",
        "community",
        "monitoring",
        "customer-care",
        "crisis",
        "legal-review",
        "kpis",
        "employer-branding",
        "works-agreement",
        "agency-steering",
        "it-security",
    ]
    codetermined = {key for key, a in ACTIVITIES.items() if a.codetermination}
    assert codetermined == {
        "guidelines",
        "internal-tools",
        "channels",
        "monitoring",
        "works-agreement",
    }


def test_catalogue_has_one_role_per_kind_of_the_domain_brief() -> None:
    kinds = {template.kind for template in ROLES.values()}
    assert kinds == {
        "hub",
        "executive",
        "it",
        "marketing",
        "communications",
        "hr",
        "legal",
        "works_council",
        "customer_service",
        "business_unit",
        "employees",
        "agency",
    }


def test_defaults_of_a_thousand_person_firm() -> None:
    # s = log10(1000) / 3 = 1: base capacities and efforts as in the catalogue.
    s = complete(Scenario(id="x", profile=Profile(name="X", headcount=1000)))
    roles = {role.id: role for role in s.roles}
    assert list(roles) == [
        "csmo",
        "ceo",
        "cio",
        "marketing",
        "communications",
        "hr",
        "legal",
        "customer-service",
        "employees",
        "agency",
    ]
    assert roles["csmo"].capacity == 20.0  # one FTE of budget
    assert roles["marketing"].capacity == 10.0
    assert roles["employees"].capacity == 40.0
    assert roles["ceo"].capacity == 2.0  # weak sponsorship: x1
    assert roles["ceo"].competences["strategy"] == 0.72  # 0.9 x 0.8
    assert roles["agency"].reports_to == "marketing"
    assert roles["employees"].reports_to == "hr"
    assert roles["ceo"].reports_to is None
    assert [a.id for a in s.activities] == [a for a in ACTIVITIES if a != "works-agreement"]
    assert {a.id: a.effort for a in s.activities}["content"] == 8.0


def test_defaults_of_a_small_regulated_firm_with_a_works_council() -> None:
    profile = Profile(
        name="Small",
        headcount=100,
        business_units=3,
        regulated=True,
        works_council=True,
        maturity="low",
        executive_sponsorship="none",
        budget_fte=0.0,
    )
    s = complete(Scenario(id="small", profile=profile))
    roles = {role.id: role for role in s.roles}
    # headcount 100: no communications, no agency; size factor s = 2/3.
    assert list(roles) == [
        "csmo",
        "ceo",
        "cio",
        "marketing",
        "hr",
        "legal",
        "works-council",
        "customer-service",
        "bu-1",
        "bu-2",
        "bu-3",
        "employees",
    ]
    assert roles["csmo"].capacity == 2.67  # no budget: a part-time hub of 4 x 2/3 days
    assert roles["ceo"].capacity == 0.67  # 2 x 2/3 x 0.5 (no sponsorship)
    assert roles["legal"].capacity == 5.33  # 4 x 2/3 x 2 (regulated)
    assert roles["bu-2"].capacity == 10.67  # max(48 / 3, 12) x 2/3
    assert roles["marketing"].competences["social_media"] == 0.42  # 0.6 x 0.7 (low maturity)
    assert roles["ceo"].competences["strategy"] == 0.45  # 0.9 x 0.5
    assert roles["legal"].competences["legal"] == 1.0  # 0.9 + 0.1 (regulated)
    efforts = {a.id: a.effort for a in s.activities}
    assert "agency-steering" not in efforts
    assert efforts["works-agreement"] == 0.67
    assert efforts["legal-review"] == 2.67  # 2 x 2/3 x 2 (regulated)


def test_complete_keeps_what_the_scenario_states() -> None:
    role = Role(id="only", name="Only role", capacity=3.0)
    activity = Activity(id="only-task", name="Only task")
    stated = Scenario(id="x", profile=Profile(name="X", headcount=50), roles=(role,))
    assert complete(stated).roles == (role,)
    stated = Scenario(id="x", profile=Profile(name="X", headcount=50), activities=(activity,))
    assert complete(stated).activities == (activity,)


@settings(max_examples=150, deadline=None)
@given(profiles)
def test_a_profile_alone_completes_to_a_valid_scenario(profile: Profile) -> None:
    completed = complete(Scenario(id="p", profile=profile))
    check(completed)
    # Encoding and decoding again checks every Meta bound the constructors do not.
    assert decode_scenario(msgspec.json.encode(completed), "json") == completed
    ids = [role.id for role in completed.roles]
    assert ("works-council" in ids) == profile.works_council
    assert sum(i.startswith("bu-") for i in ids) == min(profile.business_units, 6)
    assert ("works-agreement" in {a.id for a in completed.activities}) == profile.works_council


@settings(max_examples=100, deadline=None)
@given(profiles, st.integers(1, 10_000_000))
def test_more_staff_never_means_less_capacity_outside_the_hub(profile: Profile, other: int) -> None:
    small, large = sorted((profile.headcount, other))
    before = complete(Scenario(id="p", profile=msgspec.structs.replace(profile, headcount=small)))
    after = complete(Scenario(id="p", profile=msgspec.structs.replace(profile, headcount=large)))
    capacity = {role.id: role.capacity for role in after.roles}
    for role in before.roles:
        assert role.capacity <= capacity[role.id]


SHIPPED = {
    "csmo-ceo",
    "mittelstand-manufacturer",
    "global-financial-group",
    "it-led",
    "non-profit",
    "csmo-debate",
    "profile-only",
}


def test_the_scenarios_of_the_domain_brief_are_shipped(builtin: dict[str, Scenario]) -> None:
    assert set(builtin) == SHIPPED


@pytest.mark.parametrize("stem", sorted(SHIPPED))
def test_a_builtin_scenario_is_a_full_example(builtin: dict[str, Scenario], stem: str) -> None:
    scenario = builtin[stem]
    assert scenario.id == stem
    assert 8 <= len(scenario.roles) <= 16  # the insurer: three regional social-media leads
    assert 15 <= len(scenario.activities) <= 25
    assert {a.id for a in scenario.activities} <= set(ACTIVITIES)
    assert scenario.description
    if stem != "profile-only":
        assert len(scenario.rules) >= 3
    kinds = {role.kind for role in scenario.roles}
    assert ("works_council" in kinds) == scenario.profile.works_council
    assert sum(role.kind == "business_unit" for role in scenario.roles) == min(
        scenario.profile.business_units, 6
    )


@settings(max_examples=6, deadline=None)
@given(profiles)  # business units beyond six are capped by the defaults
def test_the_defaults_of_any_profile_are_feasible_under_every_applicable_variant(
    profile: Profile,
) -> None:
    # the defaults have one hub (csmo) and the employees, always, and a unit per business
    # unit: hub-and-spoke applies with units, multi-hub (two hubs) never
    scenario = complete(Scenario(id="p", profile=profile))
    options = SolveOptions(time_limit=20.0, explain=False)
    applicable = {
        "central": True,
        "hub-and-spoke": profile.business_units > 0,
        "distributed": True,
        "multi-hub": False,
        "holistic": True,
    }
    for variant in VARIANTS:
        result = solve(scenario, variant, options)
        status = result.status
        if variant == "central" and profile.budget_fte < 1 and status == "infeasible":
            # with less than a full-time social-media budget the hub has a few person-days a month;
            # central keeps the employees from its steering (models.raci.variants): it may not
            # be staffable, and then the diagnosis says what would make it so
            assert result.diagnosis is not None
            assert result.diagnosis.fixes
            continue
        if applicable[variant]:
            assert status in ("optimal", "feasible"), variant
        else:
            assert status == "not-applicable", variant
