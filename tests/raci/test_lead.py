"""Who leads: "the CIO leads" is a design of its own (the CIO's office becomes the hub), not a
rule that contradicts the hub's accountabilities (seed 002, Forrester's thesis)."""

from __future__ import annotations

import msgspec
import pytest

from models.errors import InvalidInput
from models.raci.catalogue import complete
from models.raci.objective import compile_instance
from models.raci.solve import TERMS, solve
from models.raci.types import FixedLetter, SolveOptions, Variant
from service.cli.raci import builtin_scenarios

FAST = SolveOptions(explain=False)
#: explained (the lead comparison comes with explanations), runner-ups estimated only
COMPARED = SolveOptions(alternatives_seconds=0.0)
HUB_LED = ("central", "hub-and-spoke")


@pytest.mark.parametrize("variant", HUB_LED)
def test_a_fixed_cio_accountable_contradicts_the_hub_but_a_cio_lead_does_not(
    variant: Variant,
) -> None:
    scenario = complete(builtin_scenarios()["csmo-ceo"])
    # the old way to ask "what if the CIO leads?": a rule the hub rule contradicts
    rule = FixedLetter(role="cio", activity="strategy", letter="A")
    contradicted = solve(msgspec.structs.replace(scenario, rules=(rule,)), variant, FAST)
    assert contradicted.status == "infeasible"
    led = solve(msgspec.structs.replace(scenario, lead="cio"), variant, FAST)
    assert led.status == "optimal"
    # the CIO holds what the hub holds in that model; the former CSMO none of the hub's As
    for activity in ("strategy", "guidelines", "kpis"):
        assert led.matrix[activity]["cio"] in ("A", "A/R"), activity
        assert led.matrix[activity].get("csmo") not in ("A", "A/R"), activity


def test_the_lead_is_compared_on_the_same_yardstick() -> None:
    scenario = complete(builtin_scenarios()["it-led"])
    assert scenario.lead == "cio"  # the built-in is the CIO-led design
    by_csmo = solve(msgspec.structs.replace(scenario, lead=None), "hub-and-spoke", FAST)
    by_cio = solve(scenario, "hub-and-spoke", FAST)
    assert by_csmo.objective is not None
    assert by_cio.objective is not None
    # both designs are proven optimal for the same activities and roles: their totals compare
    assert set(by_csmo.matrix) == set(by_cio.matrix)
    assert by_csmo.objective.total != by_cio.objective.total


def test_a_lead_wears_both_hats_and_the_former_hub_keeps_the_hubs_work() -> None:
    """Template letters of the CIO-led central design, by hand from the catalogue: central
    gives the hub A/R on strategy, A on channels (IT R) and A on training; IT owns IT security
    (A/R). The CIO holds what the hub and IT hold together; the former hub (the social-media
    manager) keeps the hub's work without its accountability."""
    instance = compile_instance(complete(builtin_scenarios()["it-led"]), "central")
    roles = [role.id for role in instance.roles]
    template = {
        (activity.id, role): instance.template[a][roles.index(role)]
        for a, activity in enumerate(instance.activities)
        for role in ("cio", "csmo")
    }
    assert template["it-security", "cio"] == "A/R"  # IT's own
    assert template["channels", "cio"] == "A/R"  # the hub's A and IT's R
    assert template["strategy", "cio"] == "A/R"  # the hub's
    assert template["strategy", "csmo"] == "R"  # A/R without the A
    assert template["training", "csmo"] == "C"  # A without the A: heard, not deciding


def test_the_result_compares_the_led_design_with_the_hub_led_one() -> None:
    scenario = complete(builtin_scenarios()["it-led"])
    by_cio = solve(scenario, "central", COMPARED)
    by_hub = solve(msgspec.structs.replace(scenario, lead=None), "central", COMPARED)
    assert solve(scenario, "central", FAST).lead is None  # not without explanations
    assert by_hub.lead is None  # nothing to compare without a lead
    comparison = by_cio.lead
    assert comparison is not None
    assert (comparison.lead, comparison.hub, comparison.status) == ("cio", "csmo", "optimal")
    assert by_cio.objective is not None
    assert by_hub.objective is not None
    assert comparison.difference is not None
    for term in TERMS:
        expected = getattr(by_hub.objective, term) - getattr(by_cio.objective, term)
        assert getattr(comparison.difference, term) == pytest.approx(expected, abs=1e-9)
    gap = by_hub.objective.total - by_cio.objective.total
    assert comparison.difference.total == pytest.approx(gap, abs=1e-9)
    assert f"{abs(gap):.2f}" in comparison.message
    assert ("better" if gap > 0 else "worse") in comparison.message


def test_a_lead_without_another_hub_says_there_is_nothing_to_compare() -> None:
    scenario = complete(builtin_scenarios()["csmo-ceo"])
    result = solve(msgspec.structs.replace(scenario, lead="csmo"), "central", COMPARED)
    assert result.lead is not None
    assert (result.lead.hub, result.lead.difference) == (None, None)
    assert result.lead.status == "not-applicable"


def test_a_lead_that_is_not_a_role_is_refused_by_name() -> None:
    scenario = complete(builtin_scenarios()["csmo-ceo"])
    with pytest.raises(InvalidInput) as raised:
        solve(msgspec.structs.replace(scenario, lead="cfo"), "central", FAST)
    assert [p.pointer for p in raised.value.problems] == ["/lead"]
