"""Lint findings on hand-made matrices and their invariants (models.raci.lint)."""

from __future__ import annotations

from random import Random
from typing import Literal

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.core import UNIT_SEPARATOR, Letter, Matrix
from models.errors import InvalidInput
from models.raci.catalogue import complete
from models.raci.lint import SEVERITY_ORDER, lint
from models.raci.types import (
    Activity,
    FixedLetter,
    LintOptions,
    MustBeInvolved,
    MustNotBeAccountable,
    Profile,
    Role,
    Scenario,
)
from service.cli.raci import builtin_scenarios

from .strategies import matrices, well_formed_rows

ROW_ERRORS = {"no-accountable", "several-accountable", "no-responsible"}


def codes(matrix: Matrix, options: LintOptions | None = None) -> list[tuple[str, str]]:
    return [(f.code, f.target) for f in lint(matrix, options=options).findings]


def test_activity_findings_of_a_hand_made_matrix() -> None:
    matrix: Matrix = {
        "strategy": {"hub": "A", "mkt": "C", "it": "C", "hr": "C", "legal": "C", "bu": "C"},
        "content": {"mkt": "A/R", "bu": "R", "hr": "R", "it": "R"},
        "kpis": {},
        "policy": {"hub": "A", "legal": "A", "hr": "R", "mkt": "I"},
    }
    report = lint(matrix)
    # Four activities: fewer than min_activities, so no role-share findings.
    assert [(f.code, f.severity, f.target) for f in report.findings] == [
        ("no-accountable", "error", "kpis"),
        ("no-responsible", "error", "kpis"),
        ("several-accountable", "error", "policy"),
        ("no-responsible", "error", "strategy"),  # an A alone does not do the work
        ("many-responsible", "warning", "content"),  # 4 R (A/R counts) > 3
        ("many-consulted", "warning", "strategy"),  # 5 C > 4
        ("silo", "info", "content"),
    ]
    assert (report.errors, report.warnings, report.infos) == (4, 2, 1)
    assert report.findings[2].message == (
        "Activity 'policy' has 2 accountable roles (hub, legal); keep exactly one A."
    )


def test_role_findings_of_a_hand_made_matrix() -> None:
    base: dict[str, Letter] = {"boss": "A", "worker": "R", "all": "C"}
    matrix: Matrix = {
        "a1": dict(base),
        "a2": dict(base),
        "a3": dict(base),
        "a4": {"x": "A/R", "all": "C", "worker": "I"},
        "a5": {"x": "A/R", "all": "C"},
    }
    # n = 5: boss A on 3 > 0.4·5; worker R on 3 > 0.5·5; all has a letter on 5 >= 0.9·5;
    # x is A on 2, not more than 2.
    assert codes(matrix) == [
        ("involved-everywhere", "all"),
        ("accountable-bottleneck", "boss"),
        ("responsible-overload", "worker"),
        ("no-responsibility", "all"),
    ]


def test_thresholds_are_options() -> None:
    matrix: Matrix = {"t": {"a": "A/R", "b": "I", "c": "I"}}
    assert ("many-informed", "t") not in codes(matrix)
    assert ("many-informed", "t") in codes(matrix, options=LintOptions(max_informed=1))


def test_an_empty_matrix_is_an_error() -> None:
    assert codes({}) == [("empty-matrix", "")]


SCENARIO = Scenario(
    id="s",
    profile=Profile(name="S", headcount=300, works_council=True),
    roles=(
        Role(id="hub", name="Hub", kind="hub"),
        Role(id="wc", name="Works council", kind="works_council"),
        Role(id="it", name="IT", kind="it"),
        Role(id="idle", name="Idle"),
    ),
    activities=(
        Activity(id="channels", name="Channels", codetermination=True),
        Activity(id="monitoring", name="Monitoring", codetermination=True),
        Activity(id="content", name="Content"),
    ),
    rules=(
        MustBeInvolved(role="it", activity="channels"),
        MustNotBeAccountable(role="hub", activity="monitoring"),
        FixedLetter(role="wc", activity="monitoring", letter="C"),
    ),
)


def test_scenario_findings() -> None:
    matrix: Matrix = {
        "channels": {"hub": "A/R", "it": "C"},
        "monitoring": {"hub": "A/R", "wc": "C", "it": "I"},
    }
    report = lint(matrix, SCENARIO)
    # channels: the council holds nothing; monitoring: C (the fixed rule holds, consent not)
    assert [(f.code, f.target) for f in report.findings if f.severity == "error"] == [
        ("consent-missing", "channels"),
        ("activity-missing", "content"),
        ("consent-missing", "monitoring"),
        ("rule-violated", "monitoring"),
    ]
    messages = {(f.code, f.target): f.message for f in report.findings}
    assert messages["rule-violated", "monitoring"] == (
        "The scenario rule says 'hub' must not be accountable for 'monitoring', but it holds A/R."
    )
    assert messages["consent-missing", "channels"] == (
        "Activity 'channels' can monitor or bind employees, but the works council holds no "
        "letter, not S (consent). §87(1) BetrVG: the works council must agree before it is "
        "introduced; being informed is not consent."
    )
    assert (
        messages["no-responsibility", "idle"]
        == "Role 'idle' has no letter at all; is the role needed here?"
    )


def test_an_informed_works_council_has_not_consented() -> None:
    matrix: Matrix = {
        "channels": {"hub": "A/R", "it": "C", "wc": "I"},
        "monitoring": {"hub": "R", "it": "A", "wc": "C"},
        "content": {"hub": "A/R", "it": "C"},
    }
    findings = {(f.code, f.target): f for f in lint(matrix, SCENARIO).findings}
    consent = findings["consent-missing", "channels"]
    assert consent.severity == "error"
    assert consent.message == (
        "Activity 'channels' can monitor or bind employees, but the works council holds I, "
        "not S (consent). §87(1) BetrVG: the works council must agree before it is "
        "introduced; being informed is not consent."
    )
    assert ("consent-missing", "monitoring") in findings  # C is heard, but not consent
    assert ("consent-missing", "content") not in findings  # no codetermination
    # with S on both codetermined rows: no consent finding; the fixed C on monitoring is now
    # what breaks (the scenario contradicts the law there), and the council, whose part is
    # its consent, is not called unneeded
    matrix["channels"]["wc"] = matrix["monitoring"]["wc"] = "S"
    report = lint(matrix, SCENARIO)
    assert [(f.code, f.target) for f in report.findings] == [
        ("rule-violated", "monitoring"),
        ("no-responsibility", "idle"),
    ]
    assert report.findings[0].message == (
        "The scenario rule says 'wc' must hold C on 'monitoring', but it holds S."
    )


def test_consent_is_only_asked_where_the_profile_has_a_works_council() -> None:
    without = msgspec.structs.replace(
        SCENARIO, profile=msgspec.structs.replace(SCENARIO.profile, works_council=False)
    )
    matrix: Matrix = {
        "channels": {"hub": "A/R", "wc": "I"},
        "monitoring": {"it": "A/R", "wc": "C"},
        "content": {"hub": "A/R", "it": "C"},
    }
    assert "consent-missing" not in {f.code for f in lint(matrix, without).findings}
    assert "consent-missing" in {f.code for f in lint(matrix, SCENARIO).findings}


UNITS = Scenario(
    id="units",
    profile=Profile(name="U", headcount=3000, business_units=2, works_council=True),
    roles=(
        Role(id="hub", name="Hub", kind="hub"),
        Role(id="wc", name="Works council", kind="works_council"),
        Role(id="legal", name="Legal", kind="legal"),
        Role(id="bu-a", name="Unit A", kind="business_unit"),
        Role(id="bu-b", name="Unit B", kind="business_unit"),
    ),
    activities=(
        Activity(id="strategy", name="Strategy", category="strategy"),
        Activity(id="channels", name="Channels", category="tools", codetermination=True),
        Activity(id="content", name="Content"),
        Activity(id="content-a", name="Unit A's magazine", unit="bu-a"),
    ),
    rules=(
        MustBeInvolved(role="legal", activity="content", at_least="C"),
        MustBeInvolved(role="hub", activity="strategy"),
    ),
)

# The two units' rows of channels and content, strategy shared.
PER_UNIT: Matrix = {
    "strategy": {"hub": "A/R", "wc": "C", "legal": "I", "bu-a": "C", "bu-b": "C"},
    "channels@bu-a": {"bu-a": "A/R", "wc": "S", "legal": "C"},
    "channels@bu-b": {"bu-b": "A/R", "wc": "I", "legal": "C"},
    "content@bu-a": {"bu-a": "A/R", "legal": "C"},
    "content@bu-b": {"bu-b": "A/R", "legal": "I", "bu-a": "C"},
    "content-a": {"bu-a": "A/R", "legal": "C", "bu-b": "I"},
}


def test_per_unit_rows_against_their_scenario() -> None:
    report = lint(PER_UNIT, UNITS)
    # activities channels and content are present through their unit rows (no
    # activity-missing); consent and the rules hold on each unit row; no unit holds a letter
    # on another unit's row, nor on a scenario activity that is a unit's own (content-a).
    assert [(f.code, f.target) for f in report.findings] == [
        ("consent-missing", "channels@bu-b"),
        ("foreign-unit", "content-a"),
        ("foreign-unit", "content@bu-b"),
        ("rule-violated", "content@bu-b"),
        ("no-responsibility", "legal"),
    ]
    messages = {(f.code, f.target): f.message for f in report.findings}
    assert messages["foreign-unit", "content@bu-b"] == (
        "Business unit 'bu-a' holds C on 'content@bu-b', a row of unit 'bu-b'; "
        "each unit owns its own work."
    )
    assert messages["rule-violated", "content@bu-b"] == (
        "The scenario rule says 'legal' must be at least consulted on 'content', "
        "but it holds I on 'content@bu-b'."
    )
    assert messages["consent-missing", "channels@bu-b"].startswith(
        "Activity 'channels@bu-b' can monitor or bind employees, but the works council holds I"
    )


def test_an_activity_is_missing_only_without_any_of_its_rows() -> None:
    matrix = {k: v for k, v in PER_UNIT.items() if not k.startswith("channels")}
    missing = [f.target for f in lint(matrix, UNITS).findings if f.code == "activity-missing"]
    assert missing == ["channels"]
    matrix["channels@bu-b"] = {"bu-b": "A/R", "wc": "S"}  # one unit's row is enough
    assert "activity-missing" not in {f.code for f in lint(matrix, UNITS).findings}
    single = {**matrix, "channels": {"hub": "A/R", "wc": "S"}}  # and so is the single row
    del single["channels@bu-b"]
    assert "activity-missing" not in {f.code for f in lint(single, UNITS).findings}


@pytest.mark.parametrize(
    ("at_least", "letter", "holds"),
    [
        ("I", "I", True),
        ("C", "I", False),
        ("C", "C", True),
        ("C", "S", True),
        ("C", "A", True),
        ("R", "C", False),
        ("R", "S", False),
        ("R", "R", True),
        ("R", "A/R", True),
    ],
)
def test_involved_honours_at_least(
    at_least: Literal["I", "C", "R"], letter: Letter, holds: bool
) -> None:
    rule = MustBeInvolved(role="legal", activity="strategy", at_least=at_least)
    scenario = msgspec.structs.replace(UNITS, rules=(rule,))
    owner: dict[str, Letter] = {"hub": "A", "bu-a": "R"} if letter not in ("A", "A/R") else {}
    matrix = {**PER_UNIT, "strategy": {**owner, "legal": letter}}
    violated = {f.target for f in lint(matrix, scenario).findings if f.code == "rule-violated"}
    assert ("strategy" not in violated) == holds


def test_a_foreign_unit_is_found_without_a_scenario_too() -> None:
    # without a scenario, the units are the ids after the "@" of the rows
    matrix: Matrix = {
        "content@north": {"north": "A/R", "hub": "C"},
        "content@south": {"south": "A/R", "north": "I", "hub": "C"},
        "strategy": {"hub": "A/R", "north": "C", "south": "C"},
    }
    assert [(f.code, f.target) for f in lint(matrix).findings if f.severity == "error"] == [
        ("foreign-unit", "content@south")
    ]


def test_unit_rows_the_scenario_does_not_know_are_invalid_input() -> None:
    matrix: Matrix = {
        "content@hub": {"hub": "A/R"},
        "ghost@bu-a": {"bu-a": "A/R"},
        "content@nobody": {"bu-a": "A/R"},
        "content-a@bu-a": {"bu-a": "A/R"},
        "content@bu-a": {"bu-a": "A/R"},
    }
    with pytest.raises(InvalidInput) as caught:
        lint(matrix, UNITS)
    assert [(p.pointer, p.message) for p in caught.value.problems] == [
        ("/content@hub", "'hub' is not a business unit (kind 'hub'), so 'content@hub' is no "
         "unit's row"),
        ("/ghost@bu-a", "activity 'ghost@bu-a' is not in the scenario"),
        ("/content@nobody", "unit 'nobody' of row 'content@nobody' is not a role of the "
         "scenario"),
        ("/content-a@bu-a", "activity 'content-a' is already a row of unit 'bu-a'; it has no "
         "per-unit rows"),
    ]  # fmt: skip


def test_consent_counts_as_consulted() -> None:
    heard: Matrix = {"t": {"a": "A/R", "c1": "C", "c2": "C", "c3": "C", "s1": "S", "s2": "S"}}
    assert [f.message for f in lint(heard).findings if f.code == "many-consulted"] == [
        "Activity 't' consults 5 roles (2 of them must consent); decisions will be slow."
    ]
    # a row where the works council consents is not done in a silo, and a role whose part
    # is its consent is not called unneeded
    assert codes({"t": {"a": "A/R", "wc": "S"}}) == []


def test_per_role_shares_count_a_split_activity_once() -> None:
    matrix: Matrix = {
        "a1": {"hub": "A/R", "x": "C"},
        "a2": {"hub": "A/R", "x": "C"},
        "a3": {"x": "A/R", "hub": "C"},
        "a4": {"x": "A/R", "hub": "I"},
        "c@u1": {"u1": "A/R", "hub": "C"},
        "c@u2": {"u2": "A/R", "y": "I"},
    }
    # five activities (c is split in two rows): the hub holds a letter on each of them (on
    # one of c's rows), 5 >= 0.9 · 5; counted per row it would be 5 of 6, below 5.4.
    report = lint(matrix)
    assert [(f.code, f.target) for f in report.findings] == [
        ("involved-everywhere", "hub"),
        ("no-responsibility", "y"),
    ]
    assert report.findings[0].message == (
        "Role 'hub' holds a letter on 5 of 5 activities; is it needed everywhere?"
    )


@settings(max_examples=100, deadline=None)
@given(matrices(min_activities=1), st.data())
def test_splitting_a_row_per_unit_keeps_the_role_findings(
    matrix: Matrix, data: st.DataObject
) -> None:
    # the same letters on two unit rows instead of one row: the same roles hold the same
    # responsibilities, so the role findings are the same (row findings are per row)
    activity = data.draw(st.sampled_from(list(matrix)))
    split = {k: v for k, v in matrix.items() if k != activity}
    for unit in ("unit-1", "unit-2"):
        split[f"{activity}{UNIT_SEPARATOR}{unit}"] = dict(matrix[activity])

    def role_findings(m: Matrix) -> list[tuple[str, str, str]]:
        return [(f.code, f.target, f.message) for f in lint(m).findings if f.scope == "role"]

    assert role_findings(split) == role_findings(matrix)


def test_ids_the_scenario_does_not_know_are_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        lint({"content": {"hub": "A/R", "ghost": "C"}, "dreams": {"hub": "A/R"}}, SCENARIO)
    assert [p.pointer for p in caught.value.problems] == ["/content/ghost", "/dreams"]


@settings(max_examples=200, deadline=None)
@given(well_formed_rows())
def test_one_a_and_some_r_per_row_means_no_row_errors(matrix: Matrix) -> None:
    assert not {code for code, _ in codes(matrix)} & ROW_ERRORS


@settings(max_examples=200, deadline=None)
@given(matrices(min_activities=1))
def test_row_errors_match_a_count_of_the_letters(matrix: Matrix) -> None:
    found = set(codes(matrix))
    for activity, row in matrix.items():
        a = sum(letter in ("A", "A/R") for letter in row.values())
        r = sum(letter in ("R", "A/R") for letter in row.values())
        assert (("no-accountable", activity) in found) == (a == 0)
        assert (("several-accountable", activity) in found) == (a > 1)
        assert (("no-responsible", activity) in found) == (r == 0)


@settings(max_examples=150, deadline=None)
@given(matrices(), st.randoms(use_true_random=False))
def test_findings_do_not_depend_on_names_or_order(matrix: Matrix, random: Random) -> None:
    def rename(name: str) -> str:
        return f"x{name[::-1]}"  # a bijection that also reorders names

    activities = list(matrix)
    random.shuffle(activities)
    renamed: Matrix = {
        rename(a): {rename(r): letter for r, letter in reversed(list(matrix[a].items()))}
        for a in activities
    }
    before = sorted((f.code, f.severity, f.scope, rename(f.target)) for f in lint(matrix).findings)
    after = sorted((f.code, f.severity, f.scope, f.target) for f in lint(renamed).findings)
    if not matrix:
        before = after  # the empty matrix's finding has no target to rename
    assert before == after


@settings(max_examples=100, deadline=None)
@given(matrices())
def test_report_counts_and_order(matrix: Matrix) -> None:
    report = lint(matrix)
    assert report.errors + report.warnings + report.infos == len(report.findings)
    ranks = [SEVERITY_ORDER[f.severity] for f in report.findings]
    assert ranks == sorted(ranks)


def test_a_hub_without_a_line_to_a_weak_board_is_a_king_without_land() -> None:
    # the Mittelstand's social-media manager reports to communications; sponsorship is weak
    works = complete(builtin_scenarios()["mittelstand-manufacturer"])
    matrix: Matrix = {a.id: {"csmo": "A/R"} for a in works.activities}
    (finding,) = [f for f in lint(matrix, works).findings if f.code == "king-without-land"]
    assert (finding.severity, finding.target) == ("warning", "csmo")
    assert "reports to 'communications', not to the board" in finding.message
    # a line to the board, or strong sponsorship, and the finding goes
    lined = msgspec.structs.replace(
        works,
        roles=tuple(
            msgspec.structs.replace(r, reports_to="ceo") if r.id == "csmo" else r
            for r in works.roles
        ),
    )
    backed = msgspec.structs.replace(
        works, profile=msgspec.structs.replace(works.profile, executive_sponsorship="strong")
    )
    for scenario in (lined, backed):
        assert "king-without-land" not in {f.code for f in lint(matrix, scenario).findings}
