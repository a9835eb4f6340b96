"""Lint a RACI matrix: the findings a consultant expects (PMBOK's RACI rules and common practice).

Codes are stable (kebab-case) and every message is a sentence that can be read out.

Rows and activities
-------------------
A matrix row is an activity, or one business unit's own share of it: ``content@bu-life``
(:data:`models.raci.variants.UNIT_SEPARATOR`; the optimiser splits the execution each unit
runs for itself under hub-and-spoke, multi-hub and distributed). The per-activity checks
below look at every *row*; the per-role shares count every *activity* once, however many
unit rows it is split into (see below); a scenario activity or rule covers its per-unit rows.

Per row, with ``a``, ``r``, ``c``, ``i`` the number of A, R, C-or-S and I letters (``A/R``
counts as both A and R; S, consent, is a consultation with a veto, so it counts as a C):

=========================  ========  ==============================================
code                       severity  when
=========================  ========  ==============================================
no-accountable             error     a = 0
several-accountable        error     a > 1
no-responsible             error     r = 0
many-responsible           warning   r > ``max_responsible``
many-consulted             warning   c > ``max_consulted`` (C and S count)
many-informed              info      i > ``max_informed``
silo                       info      c = 0 and i = 0 (and the row is not empty)
foreign-unit               error     a business unit holds a letter on another unit's row
                                     (``content@bu-b`` is bu-b's; so is a scenario
                                     activity whose ``unit`` is bu-b): each unit owns
                                     its own work. Without a scenario, the units are
                                     the ids after the ``@`` of the matrix's rows
=========================  ========  ==============================================

Per role (column), over the ``n`` activities of the matrix; the share checks only apply when
``n >= min_activities``, so a three-row matrix does not call everyone a bottleneck:

=============================  ========  ============================================
code                           severity  when
=============================  ========  ============================================
accountable-bottleneck         warning   A on more than ``max_accountable_share`` · n
responsible-overload           warning   R on more than ``max_responsible_share`` · n
involved-everywhere            warning   a letter on at least ``involved_share`` · n
no-responsibility              info      letters, or a scenario role, but no R, no A
                                         and no S
=============================  ========  ============================================

An activity split per unit counts **once** in ``n``, and a role counts on it when it holds
the letter on any of its rows: "the hub is accountable for 9 of 17 activities" reads the
same whether content is one row or one row per unit, so a client's single-row matrix and
a per-unit proposal get the same role findings for the same responsibilities (and
:func:`models.raci.diff.diff` shows no finding that only the split made). A unit that is
A on its own content row is accountable for (its share of) content: one activity. A role
that holds S somewhere is not called unneeded: consent is the works council's part.

With a scenario, also:

=============================  ========  ============================================
consent-missing                error     the profile has a works council and a role of
                                         kind ``works_council`` exists, the activity
                                         is codetermination, and on one of its rows
                                         (its per-unit rows included) no works-council
                                         role holds S: being I, C or R, or absent, is
                                         not consent (§87(1) BetrVG)
activity-missing               error     a scenario activity has no row in the matrix,
                                         neither its own nor a per-unit one (``id@unit``)
rule-violated                  error     a rule of the scenario does not hold on a row
                                         of its activity (each per-unit row included);
                                         ``involved`` asks for a letter of its
                                         ``at_least`` (I: any, C: heard, R: responsible)
king-without-land              warning   the leading hub (the scenario's ``lead``, else
                                         the hub highest in the reporting tree) does
                                         not report to the board (a role of kind
                                         ``executive``) while executive sponsorship is
                                         weak or absent: a "Chief of" without the
                                         board's backing (seed 000)
=============================  ========  ============================================

An empty matrix gets ``empty-matrix`` (error, scope ``matrix``). Activity or role ids the
scenario does not know are not findings but :class:`~models.errors.InvalidInput`; a
per-unit row ``x@u`` is known when ``x`` is an activity of the scenario that is not already
a unit's own (``unit`` unset) and ``u`` is a role of kind ``business_unit``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from models.core import (
    AT_LEAST,
    CONSENT,
    Letter,
    Matrix,
    is_accountable,
    is_responsible,
    pointer,
    unit_of,
)
from models.errors import InvalidInput, Problem
from models.messages import count, say

from .types import (
    Finding,
    FixedLetter,
    LintOptions,
    LintReport,
    MustBeInvolved,
    MustNotBeAccountable,
    Rule,
    Scenario,
    Scope,
    Severity,
)
from .variants import led, umbrella

SEVERITY_ORDER: dict[Severity, int] = {"error": 0, "warning": 1, "info": 2}
SCOPE_ORDER: dict[Scope, int] = {"matrix": 0, "activity": 1, "role": 2}
#: The letters lint counts as consulted: C, and S (consent is consultation with a veto).
CONSULTED: frozenset[Letter] = frozenset({"C", CONSENT})


def _activity_findings(activity: str, row: dict[str, Letter], o: LintOptions) -> Iterator[Finding]:
    held = list(row.values())
    a, r = sum(map(is_accountable, held)), sum(map(is_responsible, held))
    c, i = sum(letter in CONSULTED for letter in held), held.count("I")
    consents = held.count(CONSENT)
    who = say("lint.who.activity", id=activity)
    if a == 0:
        yield Finding(
            "no-accountable",
            "error",
            "activity",
            activity,
            say("lint.no-accountable", who=who),
        )
    elif a > 1:
        holders = ", ".join(sorted(role for role, letter in row.items() if is_accountable(letter)))
        yield Finding(
            "several-accountable",
            "error",
            "activity",
            activity,
            say("lint.several-accountable", who=who, a=a, holders=holders),
        )
    if r == 0:
        yield Finding(
            "no-responsible",
            "error",
            "activity",
            activity,
            say("lint.no-responsible", who=who),
        )
    elif r > o.max_responsible:
        yield Finding(
            "many-responsible",
            "warning",
            "activity",
            activity,
            say("lint.many-responsible", who=who, r=r),
        )
    if c > o.max_consulted:
        veto = say("lint.many-consulted.veto", consents=consents) if consents else ""
        yield Finding(
            "many-consulted",
            "warning",
            "activity",
            activity,
            say("lint.many-consulted", who=who, roles=count(c, "role"), veto=veto),
        )
    if i > o.max_informed:
        yield Finding(
            "many-informed",
            "info",
            "activity",
            activity,
            say("lint.many-informed", who=who, roles=count(i, "role")),
        )
    if row and c == 0 and i == 0:
        yield Finding(
            "silo",
            "info",
            "activity",
            activity,
            say("lint.silo", who=who),
        )


def _role_findings(
    role: str, activities: Mapping[str, set[Letter]], n: int, o: LintOptions
) -> Iterator[Finding]:
    """``activities``: for each activity the role holds a letter on, the letters it holds on
    the activity's rows (one row, or one per unit)."""
    a = sum(any(map(is_accountable, held)) for held in activities.values())
    r = sum(any(map(is_responsible, held)) for held in activities.values())
    involved = len(activities)
    who = say("lint.who.role", id=role)
    if n >= o.min_activities:
        if a > o.max_accountable_share * n:
            yield Finding(
                "accountable-bottleneck",
                "warning",
                "role",
                role,
                say("lint.accountable-bottleneck", who=who, a=a, n=n),
            )
        if r > o.max_responsible_share * n:
            yield Finding(
                "responsible-overload",
                "warning",
                "role",
                role,
                say("lint.responsible-overload", who=who, r=r, n=n),
            )
        if involved >= o.involved_share * n:
            yield Finding(
                "involved-everywhere",
                "warning",
                "role",
                role,
                say("lint.involved-everywhere", who=who, involved=involved, n=n),
            )
    consents = any(CONSENT in held for held in activities.values())
    if a == 0 and r == 0 and not consents:
        held = say(
            "lint.no-responsibility.none" if not activities else "lint.no-responsibility.no-ra"
        )
        yield Finding(
            "no-responsibility",
            "info",
            "role",
            role,
            say("lint.no-responsibility", who=who, held=held),
        )


def _by_activity(row_ids: Iterable[str]) -> dict[str, list[str]]:
    """The row ids grouped by their activity (``content@bu-a`` under ``content``)."""
    grouped: dict[str, list[str]] = {}
    for row_id in row_ids:
        grouped.setdefault(unit_of(row_id)[0], []).append(row_id)
    return grouped


def _unknown_row(row_id: str, scenario: Scenario) -> str | None:
    """Why the scenario does not know row ``row_id``, or None when it does."""
    activities = {activity.id: activity for activity in scenario.activities}
    parent, unit = unit_of(row_id)
    if unit is None or parent not in activities:
        return None if row_id in activities else f"activity '{row_id}' is not in the scenario"
    own = activities[parent].unit
    if own is not None:
        return f"activity '{parent}' is already a row of unit '{own}'; it has no per-unit rows"
    kinds = {role.id: role.kind for role in scenario.roles}
    if unit not in kinds:
        return f"unit '{unit}' of row '{row_id}' is not a role of the scenario"
    if kinds[unit] != "business_unit":
        return (
            f"'{unit}' is not a business unit (kind '{kinds[unit]}'), "
            f"so '{row_id}' is no unit's row"
        )
    return None


def _unknown_ids(matrix: Matrix, scenario: Scenario) -> None:
    roles = {role.id for role in scenario.roles}
    problems = []
    for activity, row in matrix.items():
        why = _unknown_row(activity, scenario)
        if why is not None:
            problems.append(Problem(pointer((activity,)), why))
        problems += [
            Problem(pointer((activity, role)), f"role '{role}' is not in the scenario")
            for role in row
            if role not in roles
        ]
    if problems:
        raise InvalidInput(problems)


def _rule_holds(rule: Rule, held: Letter | None) -> bool:
    if isinstance(rule, MustBeInvolved):
        return held is not None and held in AT_LEAST[rule.at_least]
    if isinstance(rule, MustNotBeAccountable):
        return not is_accountable(held)
    return held == rule.letter


def _rule_sentence(rule: Rule) -> str:
    if isinstance(rule, MustBeInvolved):
        return say(f"lint.rule.{rule.at_least}", role=rule.role, activity=rule.activity)
    if isinstance(rule, MustNotBeAccountable):
        return say("lint.rule.not-accountable", role=rule.role, activity=rule.activity)
    assert isinstance(rule, FixedLetter)
    return say("lint.rule.fixed", role=rule.role, activity=rule.activity, letter=rule.letter)


def _consent_held(row: Mapping[str, Letter], councils: list[str]) -> str:
    if len(councils) == 1:
        return row.get(councils[0]) or say("no-letter")
    return ", ".join(
        f"{row.get(council) or say('no-letter')} ('{council}')" for council in councils
    )


def _scenario_findings(matrix: Matrix, scenario: Scenario) -> Iterator[Finding]:
    councils = [role.id for role in scenario.roles if role.kind == "works_council"]
    rows_of = _by_activity(matrix)
    for activity in scenario.activities:
        rows = rows_of.get(activity.id, [])
        if not rows:
            yield Finding(
                "activity-missing",
                "error",
                "activity",
                activity.id,
                say("lint.activity-missing", id=activity.id),
            )
        if not (scenario.profile.works_council and councils and activity.codetermination):
            continue
        for row_id in rows:
            row = matrix[row_id]
            if any(row.get(council) == CONSENT for council in councils):
                continue
            yield Finding(
                "consent-missing",
                "error",
                "activity",
                row_id,
                say(
                    "lint.consent-missing",
                    row=row_id,
                    held=_consent_held(row, councils),
                    law=say("lint.consent-law"),
                ),
            )
    for rule in scenario.rules:
        for row_id in rows_of.get(rule.activity, []):
            held = matrix[row_id].get(rule.role)
            if _rule_holds(rule, held):
                continue
            where = "" if row_id == rule.activity else say("lint.rule-violated.where", row=row_id)
            yield Finding(
                "rule-violated",
                "error",
                "activity",
                row_id,
                say(
                    "lint.rule-violated",
                    rule=_rule_sentence(rule),
                    held=held or say("no-letter"),
                    where=where,
                ),
            )


def _authority_findings(scenario: Scenario) -> Iterator[Finding]:
    """``king-without-land``: a leading hub without a line to the board, where the board's
    backing is weak or absent."""
    if scenario.profile.executive_sponsorship == "strong":
        return
    roles = led(scenario).roles
    hub = next((r for r in roles if r.id == umbrella(roles)), None)
    board = {role.id for role in roles if role.kind == "executive"}
    if hub is None or not board or hub.reports_to in board:
        return
    line = (
        say("lint.reports-to", boss=hub.reports_to)
        if hub.reports_to
        else say("lint.reports-to-nobody")
    )
    yield Finding(
        "king-without-land",
        "warning",
        "role",
        hub.id,
        say(
            "lint.king-without-land",
            hub=hub.id,
            line=line,
            sponsorship=say(f"sponsorship.{scenario.profile.executive_sponsorship}"),
        ),
    )


def _unit_findings(matrix: Matrix, scenario: Scenario | None) -> Iterator[Finding]:
    """``foreign-unit``: a business unit holding a letter on another unit's row."""
    if scenario is not None:
        units = {role.id for role in scenario.roles if role.kind == "business_unit"}
        owner_of = {a.id: a.unit for a in scenario.activities if a.unit is not None}
    else:
        units = {unit for unit in (unit_of(row_id)[1] for row_id in matrix) if unit}
        owner_of = {}
    for row_id, row in matrix.items():
        owner = unit_of(row_id)[1] or owner_of.get(row_id)
        if owner is None:
            continue
        for role, letter in row.items():
            if role in units and role != owner:
                yield Finding(
                    "foreign-unit",
                    "error",
                    "activity",
                    row_id,
                    say("lint.foreign-unit", role=role, letter=letter, row=row_id, owner=owner),
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
        ``{row id: {role id: letter}}``, as :func:`~models.raci.codec.decode_matrix`
        returns it or a :class:`~models.raci.types.SolveResult` carries it; a row id is an
        activity id or a per-unit row ``<activity id>@<unit id>``.
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
        When the matrix names an activity, unit row or role the scenario does not have.

    Examples
    --------
    >>> report = lint({"content": {"marketing": "A/R", "hub": "C"}, "kpis": {"hub": "R"}})
    >>> [(f.code, f.target) for f in report.findings]
    [('no-accountable', 'kpis'), ('silo', 'kpis')]
    >>> split = {"content@bu-a": {"bu-a": "A/R", "hub": "C"}, "content@bu-b": {"bu-b": "A/R",
    ...     "bu-a": "C", "hub": "R"}}
    >>> [(f.code, f.target) for f in lint(split).findings]
    [('foreign-unit', 'content@bu-b')]
    """
    o = options or LintOptions()
    findings: list[Finding] = []
    if scenario is not None:
        _unknown_ids(matrix, scenario)
        findings += _scenario_findings(matrix, scenario)
        findings += _authority_findings(scenario)
    if not matrix:
        findings.append(Finding("empty-matrix", "error", "matrix", "", say("lint.empty-matrix")))
    for activity, row in matrix.items():
        findings += _activity_findings(activity, row, o)
    findings += _unit_findings(matrix, scenario)
    columns: dict[str, dict[str, set[Letter]]] = {}
    if scenario is not None:
        columns = {role.id: {} for role in scenario.roles}
    for row_id, row in matrix.items():
        activity = unit_of(row_id)[0]
        for role, letter in row.items():
            columns.setdefault(role, {}).setdefault(activity, set()).add(letter)
    n = len(_by_activity(matrix))
    for role, held in columns.items():
        findings += _role_findings(role, held, n, o)
    findings.sort(key=_sort_key)
    return LintReport(
        findings=tuple(findings),
        errors=sum(f.severity == "error" for f in findings),
        warnings=sum(f.severity == "warning" for f in findings),
        infos=sum(f.severity == "info" for f in findings),
    )
