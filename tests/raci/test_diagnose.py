"""Diagnoses of infeasible scenarios: the smallest relaxation, in words, and it works."""

from __future__ import annotations

import msgspec

from models.raci.solve import solve
from models.raci.types import (
    Activity,
    FixedLetter,
    Profile,
    Role,
    Scenario,
    SolveOptions,
)

FAST = SolveOptions(explain=False)
ROLES = (
    Role(id="hub", name="Hub", kind="hub", capacity=0.1),
    Role(id="ceo", name="CEO", kind="executive", capacity=10.0),
    Role(id="it", name="IT", kind="it", capacity=10.0),
)
ACTIVITIES = (
    Activity(id="plan", name="Strategy", category="strategy", effort=2.0),
    Activity(id="run", name="Servers", category="infrastructure", effort=1.0),
)
SMALL = Scenario(
    id="small", profile=Profile(name="S", headcount=50), roles=ROLES, activities=ACTIVITIES
)


def test_a_too_small_hub_gets_its_capacity_raised() -> None:
    # central: the hub must be A for the strategy; A loads 0.25 × 2 = 0.5 person-days
    result = solve(SMALL, "central", FAST)
    assert result.status == "infeasible"
    assert result.diagnosis is not None
    (relaxation,) = result.diagnosis.relaxations
    assert relaxation.constraint == "capacity[hub]"
    assert relaxation.amount == 0.4
    assert relaxation.message == "Raise the capacity of Hub from 0.1 to 0.5 person-days."
    roomier = msgspec.structs.replace(
        SMALL, roles=(msgspec.structs.replace(ROLES[0], capacity=0.5), *ROLES[1:])
    )
    assert solve(roomier, "central", FAST).status == "optimal"


def test_two_fixed_accountables_drop_one_rule() -> None:
    rules = (
        FixedLetter(role="ceo", activity="run", letter="A"),
        FixedLetter(role="it", activity="run", letter="A/R"),
    )
    scenario = msgspec.structs.replace(
        SMALL, roles=(msgspec.structs.replace(ROLES[0], capacity=5.0), *ROLES[1:]), rules=rules
    )
    result = solve(scenario, "central", FAST)
    assert result.status == "infeasible"
    assert result.diagnosis is not None
    (relaxation,) = result.diagnosis.relaxations
    assert relaxation.constraint in ("fixed[ceo,run]", "fixed[it,run]")
    sentences = {
        "fixed[ceo,run]": "Drop the rule 'CEO holds A on Servers'.",
        "fixed[it,run]": "Drop the rule 'IT holds A/R on Servers'.",
    }
    assert relaxation.message == sentences[relaxation.constraint]
    kept = tuple(r for r in rules if f"fixed[{r.role},{r.activity}]" != relaxation.constraint)
    assert solve(msgspec.structs.replace(scenario, rules=kept), "central", FAST).status == "optimal"
