"""Diagnoses of infeasible scenarios: the conflict named, realistic fixes, each one works.

Every expected value is worked out by hand from the load shares of the objective docstring
(R 1.0, A 0.25, C 0.15, I 0.05, A/R 1.15 of an activity's effort, in person-days per month)
and the cost table of models.raci.diagnose. Fixes are checked by applying them to the
scenario here and solving again, never by trusting the diagnosis.
"""

from __future__ import annotations

import dataclasses
import time

import msgspec
import numpy as np
import pytest

from models.raci.diagnose import diagnose
from models.raci.milp import solve_instance
from models.raci.objective import compile_instance, evaluate, violations
from models.raci.solve import solve
from models.raci.types import (
    Activity,
    Conflict,
    Diagnosis,
    Fix,
    FixedLetter,
    MustBeInvolved,
    MustNotBeAccountable,
    Profile,
    Role,
    Rule,
    Scenario,
    SolveOptions,
    Status,
    Variant,
)

FAST = SolveOptions(explain=False)
ROOMY = SolveOptions(explain=False, time_limit=120.0)
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
TWO_ACCOUNTABLES = msgspec.structs.replace(
    SMALL,
    roles=(msgspec.structs.replace(ROLES[0], capacity=5.0), *ROLES[1:]),
    rules=(
        FixedLetter(role="ceo", activity="run", letter="A"),
        FixedLetter(role="it", activity="run", letter="A/R"),
    ),
)
# A hub of 0.5 and a works council of 0.5 person-days per month; the strategy (effort 2) is
# co-determined. Central: the hub holds A (0.5, fits) or A/R (2.3, does not); someone must be
# R: the hub as A/R (2.3) or the works council as R (2.0) — neither fits.
HUB_AND_COUNCIL = Scenario(
    id="council",
    profile=Profile(name="W", headcount=300, works_council=True),
    roles=(
        Role(id="hub", name="Hub", kind="hub", capacity=0.5),
        Role(id="wc", name="Works council", kind="works_council", capacity=0.5),
    ),
    activities=(
        Activity(id="plan", name="Strategy", category="strategy", effort=2.0, codetermination=True),
    ),
)
UNBOUNDED = 1e6
RULE_KIND = {
    MustBeInvolved: "involved",
    MustNotBeAccountable: "not_accountable",
    FixedLetter: "fixed",
}


def rule_name(rule: Rule) -> str:
    return f"{RULE_KIND[type(rule)]}[{rule.role},{rule.activity}]"


def diagnosis_of(
    scenario: Scenario, variant: Variant = "central", options: SolveOptions = FAST
) -> Diagnosis:
    result = solve(scenario, variant, options)
    assert result.status == "infeasible"
    assert result.diagnosis is not None
    return result.diagnosis


def applied(scenario: Scenario, variant: Variant, fix: Fix) -> tuple[Status, list[str]]:
    """Apply a fix by hand and solve again: the status, and the hard rules the fix's own
    matrix breaks in the relaxed scenario (none expected).

    Scenario rules are dropped from ``scenario.rules`` and capacities raised on the roles;
    a dropped structure or works-council rule is not in the scenario, so it is left out of
    the compiled instance before the strict model is solved.
    """
    names = {relaxation.constraint for relaxation in fix.relaxations}
    raised = {
        relaxation.constraint.removeprefix("capacity[").removesuffix("]"): relaxation.amount
        for relaxation in fix.relaxations
        if relaxation.constraint.startswith("capacity[")
    }
    relaxed = msgspec.structs.replace(
        scenario,
        rules=tuple(rule for rule in scenario.rules if rule_name(rule) not in names),
        roles=tuple(
            msgspec.structs.replace(role, capacity=role.capacity + raised.get(role.id, 0.0))
            for role in scenario.roles
        ),
    )
    model_rules = (
        names
        - {rule_name(rule) for rule in scenario.rules}
        - {f"capacity[{role}]" for role in raised}
    )
    instance = compile_instance(relaxed, variant)
    instance = dataclasses.replace(
        instance,
        requirements=tuple(r for r in instance.requirements if r.name not in model_rules),
        prohibitions=tuple(p for p in instance.prohibitions if p.name not in model_rules),
    )
    # the fix was checked with the caller's options; the re-check must not have less time (the
    # non-profit's holistic fix takes about ten seconds to prove on a loaded machine)
    if model_rules:
        status: Status = solve_instance(instance, ROOMY).status
    else:
        result = solve(relaxed, variant, ROOMY)
        status = result.status
        if result.status == fix.status == "optimal":
            assert result.objective is not None
            assert fix.objective is not None
            assert fix.objective.total == pytest.approx(result.objective.total)
            assert fix.objective == evaluate(relaxed, variant, fix.matrix)[0]
    return status, violations(instance, fix.matrix)


def strict_status(scenario: Scenario, variant: Variant, kept: set[str]) -> Status:
    """Solve the strict model with only the rules and capacities named in ``kept``: the other
    rules left out, the other capacities practically unbounded (10⁶ person-days)."""
    instance = compile_instance(scenario, variant)
    capacity = [
        float(c) if f"capacity[{role.id}]" in kept else UNBOUNDED
        for role, c in zip(instance.roles, instance.capacity, strict=True)
    ]
    instance = dataclasses.replace(
        instance,
        capacity=np.array(capacity),
        requirements=tuple(r for r in instance.requirements if r.name in kept),
        prohibitions=tuple(p for p in instance.prohibitions if p.name in kept),
    )
    return solve_instance(instance, FAST).status


def assert_irreducible(scenario: Scenario, variant: Variant, conflict: Conflict) -> None:
    """Infeasible with the conflict's items alone; feasible without any one of them."""
    named = set(conflict.constraints)
    assert len(named) == len(conflict.constraints)
    assert strict_status(scenario, variant, named) == "infeasible"
    for name in named:
        assert strict_status(scenario, variant, named - {name}) == "optimal"


def test_a_too_small_hub_gets_its_capacity_raised() -> None:
    # central: the hub must be A for the strategy; A loads 0.25 × 2 = 0.5 person-days, the
    # hub has 0.1: raise by 0.4, cost 0.2 + 0.1 × 0.4 = 0.24 (a hub day costs 0.1).
    diagnosis = diagnosis_of(SMALL)
    (relaxation,) = diagnosis.relaxations
    assert relaxation.constraint == "capacity[hub]"
    assert relaxation.amount == 0.4
    assert relaxation.cost == pytest.approx(0.24)
    assert relaxation.message == (
        "Raise the capacity of Hub from 0.1 to 0.5 person-days per month."
    )
    assert diagnosis.conflict is not None
    assert diagnosis.conflict.constraints == ("hub_accountable[plan]", "capacity[hub]")
    assert diagnosis.conflict.message == (
        "'a hub role is accountable for Strategy' cannot hold within the capacity of Hub "
        "(0.1 person-days per month): drop the rule or raise the capacity."
    )
    # the only other way out: give up the central model's rule (cost 100)
    assert [fix.cost for fix in diagnosis.fixes] == [pytest.approx(0.24), 100.0]
    assert diagnosis.fixes[1].relaxations[0].constraint == "hub_accountable[plan]"
    assert diagnosis.relaxations == diagnosis.fixes[0].relaxations
    roomier = msgspec.structs.replace(
        SMALL, roles=(msgspec.structs.replace(ROLES[0], capacity=0.5), *ROLES[1:])
    )
    assert solve(roomier, "central", FAST).status == "optimal"


def test_two_fixed_accountables_are_named_as_the_conflict() -> None:
    diagnosis = diagnosis_of(TWO_ACCOUNTABLES)
    assert diagnosis.conflict is not None
    assert diagnosis.conflict.irreducible
    assert diagnosis.conflict.constraints == ("fixed[ceo,run]", "fixed[it,run]")
    assert diagnosis.conflict.rules == ("CEO holds A on Servers", "IT holds A/R on Servers")
    assert diagnosis.conflict.message == (
        "These two rules both name an accountable for Servers: 'CEO holds A on Servers' and "
        "'IT holds A/R on Servers'. Keep one."
    )
    assert diagnosis.conflict.message in diagnosis.summary
    # Two fixes of cost 1 (one scenario rule each); no third: every other set contains one.
    sentences = {
        "fixed[ceo,run]": "Drop the rule 'CEO holds A on Servers'.",
        "fixed[it,run]": "Drop the rule 'IT holds A/R on Servers'.",
    }
    dropped = [fix.relaxations for fix in diagnosis.fixes]
    assert sorted(r.constraint for (r,) in dropped) == ["fixed[ceo,run]", "fixed[it,run]"]
    assert all(r.message == sentences[r.constraint] for (r,) in dropped)
    assert [fix.cost for fix in diagnosis.fixes] == [1.0, 1.0]
    assert "No other set of relaxations works." in diagnosis.summary
    for fix in diagnosis.fixes:
        assert applied(TWO_ACCOUNTABLES, "central", fix) == ("optimal", [])


def test_a_too_small_hub_beside_a_works_council_gets_the_hub_raised() -> None:
    # The works council must consent (S) to the codetermined strategy, so it cannot also be R:
    # the way out is the hub as A/R, raised to 2.3 (+1.8). By the cost table: 0.2 + 0.1 × 1.8
    # = 0.38. The old diagnosis counted relaxations and raised the works council instead;
    # here that takes dropping co-determination too (200) and +1.5 for it as R (0.2 + 3 ×
    # 1.5 = 4.7): 204.7. Without consent and structure the two capacities alone are a
    # conflict (no one can be A and R within 0.5).
    diagnosis = diagnosis_of(HUB_AND_COUNCIL)
    assert diagnosis.conflict is not None
    assert diagnosis.conflict.constraints == ("capacity[hub]", "capacity[wc]")
    best, other = diagnosis.fixes
    assert [(r.constraint, r.amount) for r in best.relaxations] == [("capacity[hub]", 1.8)]
    assert best.relaxations[0].message == (
        "Raise the capacity of Hub from 0.5 to 2.3 person-days per month."
    )
    assert best.cost == pytest.approx(0.38)
    assert best.matrix == {"plan": {"hub": "A/R", "wc": "S"}}  # S: the council consents
    assert [(r.constraint, r.amount) for r in other.relaxations] == [
        ("capacity[wc]", 1.5),
        ("consent[plan]", 1.0),
    ]
    assert other.cost == pytest.approx(204.7)
    assert other.matrix == {"plan": {"hub": "A", "wc": "R"}}
    assert applied(HUB_AND_COUNCIL, "central", best) == ("optimal", [])


def test_conflicts_are_irreducible_and_fixes_work_cheapest_first(
    builtin: dict[str, Scenario],
) -> None:
    # The non-profit's coordinator is fixed to A/R on channels; at a tenth of its capacity it
    # cannot carry that: three different fixes, some dropping the central model's own rules.
    non_profit = builtin["non-profit"]
    thin = msgspec.structs.replace(
        non_profit,
        roles=tuple(
            msgspec.structs.replace(r, capacity=r.capacity * 0.1) if r.kind == "hub" else r
            for r in non_profit.roles
        ),
    )
    cases: list[tuple[Scenario, Variant]] = [
        (SMALL, "central"),
        (TWO_ACCOUNTABLES, "central"),
        (HUB_AND_COUNCIL, "central"),
        (thin, "central"),
        (thin, "holistic"),
    ]
    for scenario, variant in cases:
        # a budget no loaded test machine exhausts: every fix is checked to optimality
        diagnosis = diagnosis_of(scenario, variant, ROOMY)
        costs = [fix.cost for fix in diagnosis.fixes]
        assert costs == sorted(costs)
        sets = [frozenset(r.constraint for r in fix.relaxations) for fix in diagnosis.fixes]
        assert len(set(sets)) == len(sets)
        assert diagnosis.conflict is not None
        assert diagnosis.conflict.irreducible
        assert_irreducible(scenario, variant, diagnosis.conflict)
        for fix in diagnosis.fixes:
            assert fix.cost == pytest.approx(sum(r.cost for r in fix.relaxations))
            assert applied(scenario, variant, fix) == (fix.status, [])
            assert fix.status == "optimal"


def test_a_rule_against_the_variants_structure_is_named_with_it(
    builtin: dict[str, Scenario],
) -> None:
    # Legal is fixed A on the guidelines, which central gives to the hub; Legal's capacity is
    # ample, so the two accountables are the whole conflict.
    group = builtin["global-financial-group"]
    scenario = msgspec.structs.replace(
        group, rules=(*group.rules, FixedLetter(role="legal", activity="guidelines", letter="A"))
    )
    diagnosis = diagnosis_of(scenario)
    assert diagnosis.conflict is not None
    assert diagnosis.conflict.constraints == (
        "fixed[legal,guidelines]",
        "hub_accountable[guidelines]",
    )
    assert diagnosis.conflict.message.startswith(
        "These two rules both name an accountable for Guidelines and policy: "
        "'Legal, compliance & data protection holds A on Guidelines and policy' and "
        "'a hub role is accountable for Guidelines and policy'."
    )
    (cheapest,) = diagnosis.fixes[0].relaxations
    assert cheapest.constraint == "fixed[legal,guidelines]"
    assert [r.constraint for r in diagnosis.fixes[1].relaxations] == ["hub_accountable[guidelines]"]


def test_the_time_limit_is_a_budget_for_the_whole_diagnosis() -> None:
    instance = compile_instance(SMALL, "central")
    none_left = diagnose(instance, FAST, budget=0.0)
    assert none_left.conflict is None
    assert none_left.fixes == ()
    assert none_left.summary == (
        "No matrix satisfies every hard rule. The time budget left no time to look for the "
        "conflict. No fix was found. The time budget of 0 s ended the search after 0 fixes."
    )
    started = time.perf_counter()
    diagnose(instance, FAST, budget=0.5)
    assert time.perf_counter() - started < 1.5  # the budget, plus building the models


class OldRelaxation(msgspec.Struct):
    """A relaxation as clients knew it before costs."""

    constraint: str
    amount: float
    message: str


class OldDiagnosis(msgspec.Struct):
    """A diagnosis as clients knew it before conflicts and fixes."""

    summary: str
    relaxations: tuple[OldRelaxation, ...] = ()


def test_an_old_client_still_decodes_a_diagnosis() -> None:
    diagnosis = diagnosis_of(SMALL)
    old = msgspec.json.decode(msgspec.json.encode(diagnosis), type=OldDiagnosis)
    assert old.summary == diagnosis.summary
    assert [r.message for r in old.relaxations] == [r.message for r in diagnosis.relaxations]
