"""Who leads: "the CIO leads" is a design of its own (the CIO's office becomes the hub), not a
rule that contradicts the hub's accountabilities (seed 002, Forrester's thesis)."""

from __future__ import annotations

import msgspec
import pytest

from models.raci.catalogue import complete
from models.raci.solve import solve
from models.raci.types import FixedLetter, SolveOptions, Variant
from service.cli.raci import builtin_scenarios

FAST = SolveOptions(explain=False)
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
