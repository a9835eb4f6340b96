"""Which governance model an organisation can run (models.raci.variants.applicability), and
what solve, given one it cannot, answers: the table per built-in, by hand, and properties."""

from __future__ import annotations

import doctest

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.raci import variants
from models.raci.catalogue import archetype
from models.raci.solve import solve
from models.raci.types import (
    VARIANTS,
    Applicability,
    Profile,
    Role,
    RoleKind,
    Scenario,
    SolveOptions,
    Variant,
)
from models.raci.variants import applicability
from service.cli.raci import builtin_scenarios
from tests.raci.test_solve import scenarios

FAST = SolveOptions(explain=False, time_limit=30.0)
BUILTIN = builtin_scenarios()

# Read off the scenario files (scenarios/raci/*.yaml; profile-only from the catalogue's
# defaults: csmo, one unit per business unit, the employees). Every built-in but the insurer
# has exactly one hub (csmo), so multi-hub applies only to the insurer (a group hub and a
# social-media lead per unit); the non-profit has no business units (its hub, staff and
# volunteers are employees), so hub-and-spoke does not apply there either.
#
# scenario                  hubs  business units  employees roles
# csmo-ceo                     1               2                1
# csmo-debate                  1               2                1
# global-financial-group       4               3                1
# it-led                       1               2                1
# mittelstand-manufacturer     1               2                1
# non-profit                   1               0                2
# profile-only                 1               2                1
ALL_BUT_MULTI_HUB: tuple[Variant, ...] = ("central", "hub-and-spoke", "distributed", "holistic")
APPLICABLE: dict[str, tuple[Variant, ...]] = {
    "csmo-ceo": ALL_BUT_MULTI_HUB,
    "csmo-debate": ALL_BUT_MULTI_HUB,
    "global-financial-group": (*ALL_BUT_MULTI_HUB, "multi-hub"),
    "it-led": ALL_BUT_MULTI_HUB,
    "mittelstand-manufacturer": ALL_BUT_MULTI_HUB,
    "non-profit": ("central", "distributed", "holistic"),
    "profile-only": ALL_BUT_MULTI_HUB,
}
CASES = [(name, variant) for name in sorted(APPLICABLE) for variant in VARIANTS]


def test_the_table_covers_every_builtin() -> None:
    assert set(APPLICABLE) == set(BUILTIN)


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_applicability_of_every_builtin_follows_the_table(name: str, variant: Variant) -> None:
    fit = applicability(BUILTIN[name], variant)
    assert fit.applicable == (variant in APPLICABLE[name])
    assert fit.reason
    assert (fit.remedy == "") == fit.applicable


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_solve_of_every_builtin_follows_the_table(name: str, variant: Variant) -> None:
    result = solve(BUILTIN[name], variant, FAST)
    assert result.applicability == applicability(BUILTIN[name], variant)
    if variant in APPLICABLE[name]:
        assert result.status == "optimal", result.message
        assert result.matrix
        return
    assert result.status == "not-applicable"
    assert (result.objective, result.matrix, result.workload) == (None, {}, {})
    assert (result.explanation, result.diagnosis) == (None, None)


def test_the_non_profit_hears_why_hub_and_spoke_does_not_apply() -> None:
    result = solve(BUILTIN["non-profit"], "hub-and-spoke", FAST)
    assert result.applicability == Applicability(
        applicable=False,
        reason="Hub-and-spoke needs business units (spokes) to run execution; "
        "Riverside Youth Aid has none.",
        remedy="Create a business unit or regional team per line of work, or choose central.",
    )
    assert result.message == (
        "Hub-and-spoke needs business units (spokes) to run execution; Riverside Youth Aid has "
        "none — create a business unit or regional team per line of work, or choose central."
    )


def test_multi_hub_names_the_single_hub_and_asks_for_regional_ones() -> None:
    fit = applicability(BUILTIN["mittelstand-manufacturer"], "multi-hub")
    assert fit.reason == (
        "Multi-hub needs several hubs: an umbrella hub and at least one regional hub under it; "
        "Kassel Inverter Works has a single hub, Social-media manager."
    )
    assert fit.remedy == (
        "Create a regional hub per business unit under the umbrella hub, or choose hub-and-spoke."
    )


def test_an_applicable_model_names_the_roles_that_carry_it() -> None:
    group = BUILTIN["global-financial-group"]
    # one hub per model: the group hub; the units' leads are regional hubs under multi-hub only
    assert applicability(group, "hub-and-spoke").reason == (
        "Hub-and-spoke can run: Group head of social media as the hub; Life & health, "
        "Property & casualty and Asset management as the spokes."
    )
    assert applicability(group, "multi-hub") == Applicability(
        applicable=True,
        reason="Multi-hub can run: Group head of social media as the umbrella hub; Life & "
        "health social-media lead, Property & casualty social-media lead and Asset management "
        "social-media lead as the regional hubs; Life & health, Property & casualty and Asset "
        "management running execution.",
        remedy="",
    )
    # a regional hub added to a one-hub organisation makes it a dandelion
    works = BUILTIN["mittelstand-manufacturer"]
    regional = Role(id="south", name="South hub", kind="hub", reports_to="csmo")
    dandelion = msgspec.structs.replace(works, roles=(*works.roles, regional))
    assert applicability(dandelion, "multi-hub").applicable


def organisation(*kinds: RoleKind) -> Scenario:
    roles = tuple(Role(id=f"r{i}", name=f"R{i}", kind=kind) for i, kind in enumerate(kinds))
    return Scenario(id="o", profile=Profile(name="Org", headcount=500), roles=roles)


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        ((), ()),
        (("executive", "legal"), ()),
        (("hub",), ("central",)),
        (("business_unit",), ("distributed",)),
        (("employees",), ("distributed",)),
        (("hub", "business_unit"), ("central", "hub-and-spoke", "distributed")),
        (("hub", "employees"), ("central", "distributed", "holistic")),
        (("hub", "hub", "employees"), ("central", "distributed", "holistic")),
        (("hub", "hub", "business_unit"), ("central", "hub-and-spoke", "distributed", "multi-hub")),
        (("hub", "hub", "business_unit", "employees"), VARIANTS),
    ],
)
def test_the_rules_of_the_table(kinds: tuple[RoleKind, ...], expected: tuple[Variant, ...]) -> None:
    # central: a hub; hub-and-spoke: a hub and a unit; distributed: a unit or employees;
    # multi-hub: two hubs and a unit; holistic: a hub and employees
    scenario = organisation(*kinds)
    assert tuple(v for v in VARIANTS if applicability(scenario, v).applicable) == expected


def test_a_remedy_suggests_only_a_model_the_organisation_can_run() -> None:
    nobody = organisation("executive", "legal")
    assert applicability(nobody, "central").remedy == (
        "Appoint a social-media manager or team as the hub (a role of kind hub)."
    )
    assert applicability(nobody, "distributed").reason == (
        "Distributed needs business units or employees who own their work; Org has neither "
        "business units nor an employees role."
    )
    units = organisation("business_unit")
    assert applicability(units, "central").remedy.endswith(", or choose distributed.")
    assert applicability(units, "hub-and-spoke").reason == (
        "Hub-and-spoke needs a hub to lead strategy, guidelines, training, channels, "
        "monitoring and KPIs; Org has none."
    )
    hub = organisation("hub")
    assert applicability(hub, "holistic").reason == (
        "Holistic needs employees who do the work within those rules; Org has none."
    )
    assert applicability(hub, "multi-hub").reason == (
        "Multi-hub needs business units to run execution, and several hubs: an umbrella hub "
        "and at least one regional hub under it; Org has no business units and a single hub, "
        "R0."
    )
    assert applicability(hub, "multi-hub").remedy == (
        "Create a business unit or regional team per line of work, and create a regional hub "
        "per business unit under the umbrella hub, or choose central."
    )


def test_a_not_applicable_result_says_no_solver_ran() -> None:
    cbc = msgspec.structs.replace(FAST, solver="cbc")
    result = solve(BUILTIN["csmo-ceo"], "multi-hub", cbc)
    assert result.status == "not-applicable"
    assert (result.solver.name, result.solver.version, result.solver.seconds) == ("cbc", "", 0)
    assert (result.solver.gap, result.solver.bound) == (None, None)


def test_the_docstring_examples_hold() -> None:
    outcome = doctest.testmod(variants, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.attempted > 0
    assert outcome.failed == 0


def without_hubs(scenario: Scenario) -> Scenario:
    """The organisation with every hub role removed: their reports move up to the hub's own
    line, rules naming a hub go."""
    hubs = {role.id: role.reports_to for role in scenario.roles if role.kind == "hub"}

    def line(boss: str | None) -> str | None:
        seen: set[str] = set()
        while boss in hubs and boss not in seen:
            seen.add(boss)
            boss = hubs[boss]
        return None if boss in hubs else boss

    roles = tuple(
        msgspec.structs.replace(role, reports_to=line(role.reports_to))
        for role in scenario.roles
        if role.id not in hubs
    )
    rules = tuple(rule for rule in scenario.rules if rule.role not in hubs)
    return msgspec.structs.replace(scenario, roles=roles, rules=rules)


organisations = st.one_of(scenarios(), st.sampled_from(sorted(BUILTIN.values(), key=str)))


@settings(max_examples=40, deadline=None)
@given(organisations)
def test_without_a_hub_no_hub_model_applies_and_solve_returns_no_matrix(
    scenario: Scenario,
) -> None:
    headless = without_hubs(scenario)
    assert headless.roles  # every organisation drawn has roles besides its hubs
    for variant in VARIANTS:
        fit = applicability(headless, variant)
        if variant != "distributed":  # the one model without a hub
            assert not fit.applicable, variant
            assert "hub" in fit.reason
        if fit.applicable:
            continue
        result = solve(headless, variant, FAST)  # nothing to solve: instant
        assert result.status == "not-applicable"
        assert result.applicability == fit
        assert (result.matrix, result.workload, result.objective) == ({}, {}, None)
        assert result.solver.seconds == 0.0


def test_central_keeps_the_decisions_from_the_employees() -> None:
    # Northbridge's communications team is full (8 of 8 person-days): before the employees
    # were kept from A under central, the optimiser made them A/R on content and community;
    # Riverside's volunteers were R on the KPI report to the board and on the crisis plan.
    for name in ("it-led", "non-profit"):
        result = solve(BUILTIN[name], "central", FAST)
        assert result.status == "optimal", name
        employees = {role.id for role in BUILTIN[name].roles if role.kind == "employees"}
        for activity in BUILTIN[name].activities:
            row = result.matrix[activity.id]
            held = {row.get(role) for role in employees} - {None}
            assert not held & {"A", "A/R"}, (name, activity.id)
            if archetype(activity) not in ("content", "campaigns", "community"):
                assert held <= {"C", "I"}, (name, activity.id)


def test_an_agency_executes_but_never_decides() -> None:
    # Fachwerk's design agency was A on content under central when PR was nearly full.
    for variant in ("central", "hub-and-spoke", "distributed", "holistic"):
        result = solve(BUILTIN["csmo-debate"], variant, FAST)
        assert result.status == "optimal", variant
        letters = {row.get("agency") for row in result.matrix.values()}
        assert not letters & {"A", "A/R"}, variant
