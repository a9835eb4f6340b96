"""Compare a current RACI matrix with a proposal: changed cells, objective and lint.

The objective of each matrix is :func:`models.raci.objective.evaluate` (the optimiser's own
objective, all five terms: competence, workload, communication, alignment, consultation);
the lint findings are :func:`models.raci.lint.lint` with the scenario. A finding is
identified by its code, scope and target, so a reworded message is not a change.

Per-unit rows
-------------
A proposal may split an activity per business unit (``content@bu-a``, ``content@bu-b``)
where the client's current matrix has one ``content`` row, or the other way round. The single
row then stands for each unit's row, as in the objective: the changes compare it with every
per-unit row of the other matrix, cell by cell, and the single row itself is not listed (it
is not removed, it is split). A row finding on the single row is the same finding as on any
of the unit rows it stands for: it neither appears nor disappears while one of them has it.
"""

from __future__ import annotations

import msgspec

from models.core import Letter, Matrix, unit_of
from models.errors import InvalidInput, Problem
from models.raci.lint import lint
from models.raci.objective import evaluate
from models.raci.types import (
    CellChange,
    Finding,
    LintReport,
    MatrixDiff,
    Objective,
    Scenario,
    Variant,
)
from models.raci.variants import applicability

Key = tuple[str, str, str]


def _units(matrix: Matrix, activity: str) -> list[str]:
    """The per-unit rows of ``activity`` in ``matrix``."""
    return [row for row in matrix if unit_of(row)[0] == activity and unit_of(row)[1] is not None]


def _stands_for(row: str, own: Matrix, other: Matrix) -> list[str]:
    """The rows of ``other`` that row ``row`` of ``own`` stands for: itself, or — a single
    row the other matrix splits per unit, or a unit row the other has as one row — those."""
    if row in other:
        return [row]
    activity, unit = unit_of(row)
    if unit is None:
        return _units(other, activity) or [row]
    return [activity] if activity in other else [row]


def _keys(finding: Finding, own: Matrix, other: Matrix) -> set[Key]:
    """The finding's key, and the keys of the rows of ``other`` its row stands for."""
    targets = [finding.target]
    if finding.scope == "activity" and finding.target in own:
        targets += _stands_for(finding.target, own, other)
    return {(finding.code, finding.scope, target) for target in targets}


def _letters(matrix: Matrix, row: str) -> dict[str, Letter]:
    """The letters of ``row``; a unit row ``matrix`` does not have takes its activity's."""
    if row in matrix:
        return matrix[row]
    activity, unit = unit_of(row)
    return matrix.get(activity, {}) if unit is not None else {}


def changes(current: Matrix, proposed: Matrix) -> list[CellChange]:
    """Every cell whose letter differs, rows and roles sorted; a single row the other matrix
    splits per unit is compared through those unit rows."""
    rows = {
        row
        for own, other in ((current, proposed), (proposed, current))
        for row in own
        if row in other or unit_of(row)[1] is not None or not _units(other, row)
    }
    changes = []
    for row in sorted(rows, key=lambda row: (unit_of(row)[0], unit_of(row)[1] or "")):
        before_row, after_row = _letters(current, row), _letters(proposed, row)
        for role in sorted(set(before_row) | set(after_row)):
            old, new = before_row.get(role), after_row.get(role)
            if old != new:
                changes.append(CellChange(activity=row, role=role, before=old, after=new))
    return changes


def diff(scenario: Scenario, variant: Variant, current: Matrix, proposed: Matrix) -> MatrixDiff:
    """The cells, objective terms and lint findings that change from ``current`` to ``proposed``
    (a single row against per-unit rows: see the module docstring).

    Raises
    ------
    InvalidInput
        When a matrix names a role or activity the scenario does not have (from ``lint``);
        pointers start with ``/current`` or ``/proposed``. When the organisation cannot run
        ``variant`` (:func:`models.raci.variants.applicability`), at ``/variant``: its
        objective would measure a model that does not exist.

    Examples
    --------
    >>> from models.raci.types import Activity, Profile, Role, Scenario
    >>> s = Scenario(id="tiny", profile=Profile(name="T", headcount=10),
    ...     roles=(Role(id="hub", name="Hub", kind="hub"), Role(id="it", name="IT", kind="it")),
    ...     activities=(Activity(id="plan", name="Plan", category="strategy"),))
    >>> d = diff(s, "central", {"plan": {"hub": "A/R"}}, {"plan": {"hub": "A/R", "it": "C"}})
    >>> [(c.role, c.before, c.after) for c in d.changes]
    [('it', None, 'C')]
    """
    reports: list[LintReport] = []
    problems: list[Problem] = []
    for name, matrix in (("current", current), ("proposed", proposed)):
        try:
            reports.append(lint(matrix, scenario))
        except InvalidInput as exc:
            problems += exc.within(f"/{name}").problems
    fit = applicability(scenario, variant)
    if not fit.applicable:
        problems.append(Problem("/variant", f"{fit.reason} {fit.remedy}"))
    if problems:
        raise InvalidInput(problems)
    changed = changes(current, proposed)
    before, _ = evaluate(scenario, variant, current)
    after, _ = evaluate(scenario, variant, proposed)
    # every term, whichever terms the objective has (consultation, ...)
    delta = Objective(
        **{
            field.name: getattr(after, field.name) - getattr(before, field.name)
            for field in msgspec.structs.fields(Objective)
        }
    )
    old_findings, new_findings = (report.findings for report in reports)
    old_keys = set().union(*(_keys(f, current, proposed) for f in old_findings))
    new_keys = set().union(*(_keys(f, proposed, current) for f in new_findings))
    return MatrixDiff(
        variant=variant,
        changes=tuple(changed),
        before=before,
        after=after,
        delta=delta,
        findings_appear=tuple(
            f for f in new_findings if not _keys(f, proposed, current) & old_keys
        ),
        findings_disappear=tuple(
            f for f in old_findings if not _keys(f, current, proposed) & new_keys
        ),
    )
