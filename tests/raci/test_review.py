"""A partner's review of the built-in proposals, written down: what a consultant checks in
every matrix before showing it to a client, from the seeds and the governance literature.

Every built-in scenario is solved under every governance model; each expectation below is a
property that must hold in every proposal. Sources: §87(1) nos. 1 and 6 BetrVG with
BAG 1 ABR 7/15 and LAG Hamburg 2 TaBV 5/18 (consent); seed 003, "green light from the top"
(the board); seed 002, "the strategy arises jointly" and "Legal should help the team weigh
risks" (consultation, Legal); the domain's activity owners (HR on employer branding, customer
service on customer care, IT on tools and security, communications' "one voice" in a crisis);
"each unit owns its own work" for devolved execution.
"""

from __future__ import annotations

from functools import cache

import pytest

from models.core import ACCOUNTABLE, HEARD, RESPONSIBLE, Matrix, unit_of
from models.raci.catalogue import archetype, complete, consultees
from models.raci.solve import solve
from models.raci.types import VARIANTS, Scenario, SolveOptions, SolveResult, Variant
from models.raci.variants import led, umbrella
from service.cli.raci import builtin_scenarios

CASES = [(name, variant) for name in sorted(builtin_scenarios()) for variant in VARIANTS]


@cache
def proposal(name: str, variant: Variant) -> tuple[Scenario, SolveResult]:
    """The built-in solved, and the scenario as its lead runs it (the lead is the hub)."""
    scenario = complete(builtin_scenarios()[name])
    return led(scenario), solve(scenario, variant, SolveOptions(alternatives_seconds=0.0))


def solved(name: str, variant: Variant) -> tuple[Scenario, Matrix, SolveResult]:
    scenario, result = proposal(name, variant)
    if result.status == "not-applicable":
        pytest.skip(f"{variant} is not applicable to {name}")
    assert result.status == "optimal", result.message
    return scenario, result.matrix, result


def rows_like(scenario: Scenario, matrix: Matrix, like: str) -> list[str]:
    """The matrix rows of the scenario's activities that are like a catalogue activity."""
    ids = {a.id for a in scenario.activities if archetype(a) == like}
    return [row for row in matrix if unit_of(row)[0] in ids]


def of_kind(scenario: Scenario, kind: str) -> list[str]:
    return [role.id for role in scenario.roles if role.kind == kind]


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_the_works_council_consents_to_codetermined_work(name: str, variant: Variant) -> None:
    scenario, matrix, _ = solved(name, variant)
    council = of_kind(scenario, "works_council")
    if not (scenario.profile.works_council and council):
        return
    codetermined = {a.id for a in scenario.activities if a.codetermination}
    rows = [row for row in matrix if unit_of(row)[0] in codetermined]
    assert rows
    for row in rows:
        assert any(matrix[row].get(c) == "S" for c in council), row


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_the_board_is_more_than_informed_on_the_strategy(name: str, variant: Variant) -> None:
    scenario, matrix, _ = solved(name, variant)
    for row in rows_like(scenario, matrix, "strategy"):
        assert any(matrix[row].get(b) in HEARD for b in of_kind(scenario, "executive")), row


@pytest.mark.parametrize(
    ("like", "kind", "letters"),
    [
        ("employer-branding", "hr", HEARD),
        ("customer-care", "customer_service", ACCOUNTABLE | RESPONSIBLE),
        ("guidelines", "legal", HEARD),
        ("legal-review", "legal", RESPONSIBLE),
        ("channels", "it", HEARD),
        ("it-security", "it", ACCOUNTABLE | RESPONSIBLE),
        ("crisis", "communications", ACCOUNTABLE | RESPONSIBLE),
    ],
)
@pytest.mark.parametrize(("name", "variant"), CASES)
def test_natural_owners_hold_their_activity(
    name: str, variant: Variant, like: str, kind: str, letters: frozenset[str]
) -> None:
    scenario, matrix, result = solved(name, variant)
    assert result.explanation is not None
    reasons = {(c.activity, c.role): c.reason for c in result.explanation.cells}
    holders = of_kind(scenario, kind)
    for row in rows_like(scenario, matrix, like) if holders else []:
        if any(matrix[row].get(h) in letters for h in holders):
            continue
        # thin resources are the one stated reason: the owner has no capacity left for it
        assert all("would overload" in reasons.get((row, h), "") for h in holders), (
            row,
            matrix[row],
        )


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_no_unit_owns_another_units_work(name: str, variant: Variant) -> None:
    scenario, matrix, _ = solved(name, variant)
    units = set(of_kind(scenario, "business_unit"))
    for row, cells in matrix.items():
        unit = unit_of(row)[1]
        if unit is None:  # a shared row: no unit decides it for the others
            assert not any(cells.get(u) in ACCOUNTABLE for u in units), row
        else:  # a unit's own row: no other unit holds a letter on it
            assert not any(u in cells for u in units - {unit}), row


@pytest.mark.parametrize(("name", "variant"), CASES)
def test_natural_consultees_are_heard_unless_a_stated_reason_removes_them(
    name: str, variant: Variant
) -> None:
    scenario, matrix, result = solved(name, variant)
    assert result.explanation is not None
    activity = {a.id: a for a in scenario.activities}
    # of several hubs only the umbrella speaks for the hub on group matters
    top = umbrella(scenario.roles)
    kinds = {r.id: r.kind for r in scenario.roles if r.kind != "hub" or r.id == top}
    reasons = {(c.activity, c.role): c.reason for c in result.explanation.cells}
    stakeholders = heard = 0
    for row, cells in matrix.items():
        wanted = set(consultees(activity[unit_of(row)[0]]))
        for role, kind in kinds.items():
            other_unit = kind == "business_unit" and unit_of(row)[1] not in (None, role)
            if kind not in wanted or other_unit:
                continue
            stakeholders += 1
            if cells.get(role) in HEARD:
                heard += 1
            else:  # the explanation states why: a rule, the capacity, or a trade it names
                reason = reasons[(row, role)]
                assert "hard rule" in reason or "overload" in reason or "instead of" in reason
    # most of the people with a stake are heard: consultation is not optimised away (measured:
    # 86-100 % in the built-ins with ordinary resources, 73-78 % in the non-profit and the
    # 400-staff firm with external counsel, where capacity rules out the rest). The exception
    # is the non-profit run centrally: its staff and volunteers may not steer (central keeps
    # them to C or I there), so its half-time coordinator and three-day press office do that
    # work and have no time left to be heard: 13 of 41 (2026-12-02). The recommendation counts
    # this against central (its consultation criterion), which is the point.
    floor = 0.3 if (name, variant) == ("non-profit", "central") else 0.7
    assert heard >= floor * stakeholders, (heard, stakeholders)
