"""Compare a current RACI matrix with a proposal: changed cells, objective and lint.

The objective of each matrix is :func:`models.raci.objective.evaluate` (the optimiser's own
objective); the lint findings are :func:`models.raci.lint.lint` with the scenario. A finding
is identified by its code, scope and target, so a reworded message is not a change.
"""

from __future__ import annotations

from models.core import Matrix
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


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.code, finding.scope, finding.target)


def diff(scenario: Scenario, variant: Variant, current: Matrix, proposed: Matrix) -> MatrixDiff:
    """The cells, objective terms and lint findings that change from ``current`` to ``proposed``.

    Raises
    ------
    InvalidInput
        When a matrix names a role or activity the scenario does not have (from ``lint``);
        pointers start with ``/current`` or ``/proposed``.

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
    if problems:
        raise InvalidInput(problems)
    changes = []
    for activity in sorted(set(current) | set(proposed)):
        before_row, after_row = current.get(activity, {}), proposed.get(activity, {})
        for role in sorted(set(before_row) | set(after_row)):
            old, new = before_row.get(role), after_row.get(role)
            if old != new:
                changes.append(CellChange(activity=activity, role=role, before=old, after=new))
    before, _ = evaluate(scenario, variant, current)
    after, _ = evaluate(scenario, variant, proposed)
    delta = Objective(
        total=after.total - before.total,
        competence=after.competence - before.competence,
        workload=after.workload - before.workload,
        communication=after.communication - before.communication,
        alignment=after.alignment - before.alignment,
    )
    old_findings, new_findings = (report.findings for report in reports)
    old_keys = {_key(f) for f in old_findings}
    new_keys = {_key(f) for f in new_findings}
    return MatrixDiff(
        variant=variant,
        changes=tuple(changes),
        before=before,
        after=after,
        delta=delta,
        findings_appear=tuple(f for f in new_findings if _key(f) not in old_keys),
        findings_disappear=tuple(f for f in old_findings if _key(f) not in new_keys),
    )
