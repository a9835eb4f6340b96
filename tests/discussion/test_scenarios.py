"""The built-in discussions: one per RACI organisation plus the CSMO debate."""

from __future__ import annotations

import re

import pytest

from models.discussion.codec import decode_discussion
from models.discussion.intervention import intervene
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import simulate
from models.discussion.types import Discussion, MonteCarloOptions
from models.raci.codec import decode_scenario
from service.library import load_builtin

EXPECTED = {
    "csmo-ceo",
    "mittelstand-manufacturer",
    "global-financial-group",
    "it-led",
    "non-profit",
    "csmo-debate",
}
ROLE = re.compile(
    r"^(csmo|ceo|cio|marketing|communications|hr|legal|works-council|customer-service"
    r"|employees|agency|volunteers|bu-[a-z-]+)$"
)
BUILTIN: dict[str, Discussion] = load_builtin("discussion", decode_discussion)


def test_every_organisation_has_a_discussion_named_by_its_file():
    assert set(BUILTIN) == EXPECTED
    for stem, discussion in BUILTIN.items():
        assert discussion.id == stem


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_a_builtin_discussion_runs_end_to_end(key):
    discussion = BUILTIN[key]
    assert all(ROLE.match(s.role) for s in discussion.stakeholders)
    result = simulate(discussion)
    assert result.converged
    assert result.decision is not None
    chances = monte_carlo(discussion, MonteCarloOptions(draws=100))
    assert 0.0 <= chances.probability <= 1.0
    plan = intervene(discussion)
    assert plan.least_effort.status in ("optimal", "not-needed")
    if plan.least_effort.status == "optimal":
        assert plan.least_effort.decision is not None
        assert plan.least_effort.decision.passes
        # each plan is robust at its own margin, so their efforts need not be ordered
        assert plan.sandwich.status in ("optimal", "target-not-reached", "infeasible")


def test_every_stakeholder_holds_a_role_of_the_linked_raci_scenario():
    raci = load_builtin("raci", decode_scenario)
    for key, discussion in BUILTIN.items():
        assert discussion.raci_scenario in raci, key
        roles = {role.id for role in raci[discussion.raci_scenario].roles}
        assert {s.role for s in discussion.stakeholders} <= roles, key


def test_the_debate_has_its_voices():
    names = " ".join(s.name.lower() for s in BUILTIN["csmo-debate"].stakeholders)
    for voice in ("practitioner", "sceptic", "hierarchy", "student", "author"):
        assert voice in names
