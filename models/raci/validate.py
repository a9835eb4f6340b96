"""Cross-field checks of a scenario, after msgspec has checked each field on its own.

:func:`check` reports *every* problem at once, each with a JSON pointer into the scenario.

What is an error
----------------
- no roles or no activities (after :func:`models.raci.catalogue.complete`);
- a duplicate role id or activity id;
- ``reports_to`` naming an unknown role, or reporting lines that form a cycle;
- a rule naming an unknown role or activity;
- an activity ``like`` a catalogue activity that does not exist
  (:data:`models.raci.catalogue.ACTIVITIES`), or whose ``unit`` is not a role of kind
  ``business_unit``;
- contradictory rules on one cell: two fixed letters that differ, or a fixed ``A``/``A/R``
  together with "must not be accountable";
- a profile with a works council, codetermination activities, and no role of kind
  ``works_council``: the hard rule "the works council consents (S)" could not be stated;
- a current matrix naming an unknown row or role; a ``lead`` that is not a role.

What is not an error
--------------------
- an activity competence no role has: the competence-fit term simply scores zero for it;
- rules the optimiser cannot satisfy together (for example two roles fixed to ``A`` on one
  activity): that is an *infeasible* scenario, answered with a diagnosis, not an exception.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.core import Letter, is_accountable, pointer, unit_of
from models.errors import InvalidInput, Problem

from .catalogue import ACTIVITIES
from .types import FixedLetter, MustNotBeAccountable, Scenario


def _duplicates(kind: str, ids: Sequence[str]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for index, item in enumerate(ids):
        if item in first:
            problems.append(
                Problem(
                    f"/{kind}/{index}/id",
                    f"duplicate id '{item}' (first used at /{kind}/{first[item]}/id)",
                )
            )
        else:
            first[item] = index
    return problems


def _reporting_lines(scenario: Scenario) -> list[Problem]:
    index = {role.id: i for i, role in reversed(list(enumerate(scenario.roles)))}
    problems = []
    boss: dict[str, str] = {}
    for i, role in enumerate(scenario.roles):
        if role.reports_to is None:
            continue
        if role.reports_to not in index:
            problems.append(Problem(f"/roles/{i}/reports_to", f"unknown role '{role.reports_to}'"))
        else:
            boss.setdefault(role.id, role.reports_to)
    # Follow each chain; a cycle is reported once, at its member listed first.
    reported: set[str] = set()
    for start in boss:
        chain = [start]
        while chain[-1] in boss and boss[chain[-1]] not in chain:
            chain.append(boss[chain[-1]])
        if chain[-1] not in boss:
            continue
        cycle = chain[chain.index(boss[chain[-1]]) :]
        if reported.isdisjoint(cycle):
            reported.update(cycle)
            head = min(cycle, key=index.__getitem__)
            loop = cycle[cycle.index(head) :] + cycle[: cycle.index(head)] + [head]
            problems.append(
                Problem(
                    f"/roles/{index[head]}/reports_to",
                    "reporting lines form a cycle: " + " -> ".join(loop),
                )
            )
    return problems


def _rules(scenario: Scenario) -> list[Problem]:
    roles = {role.id for role in scenario.roles}
    activities = {activity.id for activity in scenario.activities}
    problems = []
    fixed: dict[tuple[str, str], tuple[int, Letter]] = {}
    not_accountable: dict[tuple[str, str], int] = {}
    for k, rule in enumerate(scenario.rules):
        if rule.role not in roles:
            problems.append(Problem(f"/rules/{k}/role", f"unknown role '{rule.role}'"))
        if rule.activity not in activities:
            problems.append(Problem(f"/rules/{k}/activity", f"unknown activity '{rule.activity}'"))
        cell = (rule.role, rule.activity)
        if isinstance(rule, FixedLetter):
            if cell in fixed and fixed[cell][1] != rule.letter:
                j, letter = fixed[cell]
                problems.append(
                    Problem(
                        f"/rules/{k}",
                        f"fixes '{rule.role}' on '{rule.activity}' to {rule.letter}, "
                        f"but /rules/{j} fixes it to {letter}",
                    )
                )
            fixed.setdefault(cell, (k, rule.letter))
        elif isinstance(rule, MustNotBeAccountable):
            not_accountable.setdefault(cell, k)
    for cell, (k, letter) in fixed.items():
        if is_accountable(letter) and cell in not_accountable:
            problems.append(
                Problem(
                    f"/rules/{k}",
                    f"fixes '{cell[0]}' on '{cell[1]}' to {letter}, but "
                    f"/rules/{not_accountable[cell]} says it must not be accountable",
                )
            )
    return problems


def _activity_links(scenario: Scenario) -> list[Problem]:
    kinds = {role.id: role.kind for role in scenario.roles}
    problems = []
    for i, activity in enumerate(scenario.activities):
        if activity.like is not None and activity.like not in ACTIVITIES:
            problems.append(
                Problem(
                    f"/activities/{i}/like",
                    f"unknown catalogue activity '{activity.like}'; "
                    f"use one of {', '.join(ACTIVITIES)}",
                )
            )
        unit = activity.unit
        if unit is not None and unit not in kinds:
            problems.append(Problem(f"/activities/{i}/unit", f"unknown role '{unit}'"))
        elif unit is not None and kinds[unit] != "business_unit":
            problems.append(
                Problem(
                    f"/activities/{i}/unit",
                    f"role '{unit}' is not a business unit (its kind is '{kinds[unit]}')",
                )
            )
    return problems


def _works_council(scenario: Scenario) -> list[Problem]:
    needs_council = scenario.profile.works_council and any(
        activity.codetermination for activity in scenario.activities
    )
    if needs_council and not any(role.kind == "works_council" for role in scenario.roles):
        return [
            Problem(
                "/roles",
                "the profile has a works council and codetermination activities, "
                "but no role has kind 'works_council'",
            )
        ]
    return []


def _current(scenario: Scenario) -> list[Problem]:
    """The current matrix names known rows (an activity, or one unit's row of it) and roles."""
    if scenario.current is None:
        return []
    activities = {activity.id for activity in scenario.activities}
    roles = {role.id for role in scenario.roles}
    found = []
    for row, letters in scenario.current.items():
        activity, unit = unit_of(row)
        if activity not in activities or (unit is not None and unit not in roles):
            found.append(Problem(pointer(("current", row)), f"unknown activity row '{row}'"))
        found += [
            Problem(pointer(("current", row, role)), f"unknown role '{role}'")
            for role in letters
            if role not in roles
        ]
    return found


def problems(scenario: Scenario) -> list[Problem]:
    """Every cross-field problem of the scenario, in the order of the fields."""
    found: list[Problem] = []
    if not scenario.roles:
        found.append(Problem("/roles", "at least one role is needed"))
    if not scenario.activities:
        found.append(Problem("/activities", "at least one activity is needed"))
    found += _duplicates("roles", [role.id for role in scenario.roles])
    found += _reporting_lines(scenario)
    found += _duplicates("activities", [activity.id for activity in scenario.activities])
    found += _activity_links(scenario)
    found += _rules(scenario)
    found += _works_council(scenario)
    found += _current(scenario)
    if scenario.lead is not None and scenario.lead not in {role.id for role in scenario.roles}:
        found.append(Problem("/lead", f"unknown role '{scenario.lead}'"))
    return found


def check(scenario: Scenario) -> None:
    """Raise :class:`~models.errors.InvalidInput` listing every problem; return if none.

    Raises
    ------
    InvalidInput
        With one :class:`~models.errors.Problem` per offending field.
    """
    found = problems(scenario)
    if found:
        raise InvalidInput(found)
