"""Lint findings on hand-made matrices and their invariants (models.raci.lint)."""

from __future__ import annotations

from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.core import Letter, Matrix
from models.errors import InvalidInput
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
    assert [(f.code, f.target) for f in report.findings if f.severity == "error"] == [
        ("works-council-not-involved", "channels"),
        ("activity-missing", "content"),
        ("rule-violated", "monitoring"),
    ]
    messages = {(f.code, f.target): f.message for f in report.findings}
    assert messages["rule-violated", "monitoring"] == (
        "The scenario rule says 'hub' must not be accountable for 'monitoring', but it holds A/R."
    )
    assert (
        messages["no-responsibility", "idle"]
        == "Role 'idle' has no letter at all; is the role needed here?"
    )


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
