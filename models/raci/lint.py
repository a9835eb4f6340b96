"""Lint a RACI matrix: the findings a consultant expects (PMBOK's RACI rules and common practice).

Codes are stable (kebab-case) and every message is a sentence that can be read out.

Per activity (row), with ``a``, ``r``, ``c``, ``i`` the number of A, R, C and I letters
(``A/R`` counts as both A and R):

=========================  ========  ==============================================
code                       severity  when
=========================  ========  ==============================================
no-accountable             error     a = 0
several-accountable        error     a > 1
no-responsible             error     r = 0
many-responsible           warning   r > ``max_responsible``
many-consulted             warning   c > ``max_consulted``
many-informed              info      i > ``max_informed``
silo                       info      c = 0 and i = 0 (and the row is not empty)
=========================  ========  ==============================================

Per role (column), over the ``n`` activities of the matrix; the share checks only apply when
``n >= min_activities``, so a three-row matrix does not call everyone a bottleneck:

=============================  ========  ============================================
code                           severity  when
=============================  ========  ============================================
accountable-bottleneck         warning   A on more than ``max_accountable_share`` · n
responsible-overload           warning   R on more than ``max_responsible_share`` · n
involved-everywhere            warning   a letter on at least ``involved_share`` · n
no-responsibility              info      letters, or a scenario role, but no R and no A
=============================  ========  ============================================

With a scenario, also:

=============================  ========  ============================================
works-council-not-involved     error     profile has a works council, the activity is
                                         codetermination, no works-council role has a letter
activity-missing               error     a scenario activity has no row in the matrix
rule-violated                  error     a rule of the scenario does not hold
=============================  ========  ============================================

An empty matrix gets ``empty-matrix`` (error, scope ``matrix``). Activity or role ids the
scenario does not know are not findings but :class:`~models.errors.InvalidInput`.
"""

from __future__ import annotations

from collections.abc import Iterator

from models.core import Letter, Matrix, is_accountable, is_responsible, pointer
from models.errors import InvalidInput, Problem

from .types import (
    Finding,
    FixedLetter,
    LintOptions,
    LintReport,
    MustBeInvolved,
    MustNotBeAccountable,
    Scenario,
    Scope,
    Severity,
)

SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}
SCOPE_ORDER: dict[Scope, int] = {"matrix": 0, "activity": 1, "role": 2}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _activity_findings(activity: str, row: dict[str, Letter], o: LintOptions) -> Iterator[Finding]:
    held = list(row.values())
    a, r = sum(map(is_accountable, held)), sum(map(is_responsible, held))
    c, i = held.count("C"), held.count("I")
    who = f"Activity '{activity}'"
    if a == 0:
        yield Finding(
            "no-accountable",
            "error",
            "activity",
            activity,
            f"{who} has nobody accountable; name exactly one A.",
        )
    elif a > 1:
        holders = ", ".join(sorted(role for role, letter in row.items() if is_accountable(letter)))
        yield Finding(
            "several-accountable",
            "error",
            "activity",
            activity,
            f"{who} has {a} accountable roles ({holders}); keep exactly one A.",
        )
    if r == 0:
        yield Finding(
            "no-responsible",
            "error",
            "activity",
            activity,
            f"{who} has nobody responsible; give at least one role an R.",
        )
    elif r > o.max_responsible:
        yield Finding(
            "many-responsible",
            "warning",
            "activity",
            activity,
            f"{who} has {r} responsible roles; consider splitting the task.",
        )
    if c > o.max_consulted:
        yield Finding(
            "many-consulted",
            "warning",
            "activity",
            activity,
            f"{who} consults {_plural(c, 'role')}; decisions will be slow.",
        )
    if i > o.max_informed:
        yield Finding(
            "many-informed",
            "info",
            "activity",
            activity,
            f"{who} informs {_plural(i, 'role')}; check who really needs to know.",
        )
    if row and c == 0 and i == 0:
        yield Finding(
            "silo",
            "info",
            "activity",
            activity,
            f"{who} consults and informs nobody; it may be done in a silo.",
        )


def _role_findings(role: str, column: list[Letter], n: int, o: LintOptions) -> Iterator[Finding]:
    a, r = sum(map(is_accountable, column)), sum(map(is_responsible, column))
    who = f"Role '{role}'"
    if n >= o.min_activities:
        if a > o.max_accountable_share * n:
            yield Finding(
                "accountable-bottleneck",
                "warning",
                "role",
                role,
                f"{who} is accountable for {a} of {n} activities; it may become a bottleneck.",
            )
        if r > o.max_responsible_share * n:
            yield Finding(
                "responsible-overload",
                "warning",
                "role",
                role,
                f"{who} is responsible for {r} of {n} activities; check its capacity.",
            )
        if len(column) >= o.involved_share * n:
            yield Finding(
                "involved-everywhere",
                "warning",
                "role",
                role,
                f"{who} holds a letter on {len(column)} of {n} activities; "
                "is it needed everywhere?",
            )
    if a == 0 and r == 0:
        held = "no letter at all" if not column else "no R and no A"
        yield Finding(
            "no-responsibility",
            "info",
            "role",
            role,
            f"{who} has {held}; is the role needed here?",
        )


def _unknown_ids(matrix: Matrix, scenario: Scenario) -> None:
    roles = {role.id for role in scenario.roles}
    activities = {activity.id for activity in scenario.activities}
    problems = []
    for activity, row in matrix.items():
        if activity not in activities:
            problems.append(
                Problem(pointer((activity,)), f"activity '{activity}' is not in the scenario")
            )
        problems += [
            Problem(pointer((activity, role)), f"role '{role}' is not in the scenario")
            for role in row
            if role not in roles
        ]
    if problems:
        raise InvalidInput(problems)


def _rule_holds(
    rule: MustBeInvolved | MustNotBeAccountable | FixedLetter, held: Letter | None
) -> bool:
    if isinstance(rule, MustBeInvolved):
        return held is not None
    if isinstance(rule, MustNotBeAccountable):
        return not is_accountable(held)
    return held == rule.letter


def _rule_sentence(rule: MustBeInvolved | MustNotBeAccountable | FixedLetter) -> str:
    if isinstance(rule, MustBeInvolved):
        return f"'{rule.role}' must be involved in '{rule.activity}'"
    if isinstance(rule, MustNotBeAccountable):
        return f"'{rule.role}' must not be accountable for '{rule.activity}'"
    return f"'{rule.role}' must hold {rule.letter} on '{rule.activity}'"


def _scenario_findings(matrix: Matrix, scenario: Scenario) -> Iterator[Finding]:
    councils = {role.id for role in scenario.roles if role.kind == "works_council"}
    for activity in scenario.activities:
        if activity.id not in matrix:
            yield Finding(
                "activity-missing",
                "error",
                "activity",
                activity.id,
                f"Activity '{activity.id}' of the scenario is missing from the matrix.",
            )
        elif (
            scenario.profile.works_council
            and activity.codetermination
            and councils.isdisjoint(matrix[activity.id])
        ):
            yield Finding(
                "works-council-not-involved",
                "error",
                "activity",
                activity.id,
                f"Activity '{activity.id}' can monitor or bind employees, "
                "but the works council is not involved; it has a right of codetermination.",
            )
    for rule in scenario.rules:
        if rule.activity in matrix and not _rule_holds(rule, matrix[rule.activity].get(rule.role)):
            held = matrix[rule.activity].get(rule.role) or "no letter"
            yield Finding(
                "rule-violated",
                "error",
                "activity",
                rule.activity,
                f"The scenario rule says {_rule_sentence(rule)}, but it holds {held}.",
            )


def _sort_key(finding: Finding) -> tuple[int, int, str, str, str]:
    return (
        SEVERITY_ORDER[finding.severity],
        SCOPE_ORDER[finding.scope],
        finding.target,
        finding.code,
        finding.message,
    )


def lint(
    matrix: Matrix, scenario: Scenario | None = None, options: LintOptions | None = None
) -> LintReport:
    """Lint a RACI matrix, optionally against the scenario it belongs to.

    Parameters
    ----------
    matrix
        ``{activity id: {role id: letter}}``, as :func:`~models.raci.codec.decode_matrix`
        returns it or a :class:`~models.raci.types.SolveResult` carries it.
    scenario
        A completed scenario: adds the scenario checks, and roles without any letter.
    options
        Thresholds; :class:`LintOptions` defaults when ``None``.

    Returns
    -------
    LintReport
        Findings sorted by severity (errors first), scope (matrix, activity, role), target
        and code, so the same matrix always gives the same report whatever its order.

    Raises
    ------
    InvalidInput
        When the matrix names an activity or role the scenario does not have.

    Examples
    --------
    >>> report = lint({"content": {"marketing": "A/R", "hub": "C"}, "kpis": {"hub": "R"}})
    >>> [(f.code, f.target) for f in report.findings]
    [('no-accountable', 'kpis'), ('silo', 'kpis')]
    """
    o = options or LintOptions()
    findings: list[Finding] = []
    if scenario is not None:
        _unknown_ids(matrix, scenario)
        findings += _scenario_findings(matrix, scenario)
    if not matrix:
        findings.append(
            Finding("empty-matrix", "error", "matrix", "", "The matrix has no activities.")
        )
    for activity, row in matrix.items():
        findings += _activity_findings(activity, row, o)
    columns: dict[str, list[Letter]] = {}
    if scenario is not None:
        columns = {role.id: [] for role in scenario.roles}
    for row in matrix.values():
        for role, letter in row.items():
            columns.setdefault(role, []).append(letter)
    for role, column in columns.items():
        findings += _role_findings(role, column, len(matrix), o)
    findings.sort(key=_sort_key)
    return LintReport(
        findings=tuple(findings),
        errors=sum(f.severity == "error" for f in findings),
        warnings=sum(f.severity == "warning" for f in findings),
        infos=sum(f.severity == "info" for f in findings),
    )
