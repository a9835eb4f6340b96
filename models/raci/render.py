"""Text renderings of matrices, solve results and lint reports: pure functions returning str.

- ``*_table``: an aligned grid for a terminal;
- ``*_markdown``: GitHub-flavoured Markdown tables for slides and wikis;
- ``*_csv``: CSV for spreadsheets. :func:`matrix_csv` writes exactly the shape
  :func:`models.raci.codec.decode_matrix` reads (roles as columns), so
  ``decode_matrix(matrix_csv(m).encode(), "csv") == m`` for ids of the scenario pattern.
  A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first: only ids
  from a client's own file can start so) gets a leading apostrophe.

Activities are rows in the matrix's order, except that the per-unit rows of an activity
(``content@bu-a``, ``content@bu-b``: :data:`models.raci.variants.UNIT_SEPARATOR`) follow each
other where the activity first appears (:func:`grouped`); the terminal table, Markdown and the
portal's HTML show such a row as ``content @ bu-a``, CSV writes the id as it is. Roles are
columns in the order given, else in the order of the result's workload (the scenario's
roles), else in order of first appearance.

Letters are R, A, C, I, A/R and S (:data:`models.core.LETTERS`); the table and Markdown
renderings of a matrix end with a legend of the letters it uses (:func:`legend`), S read as
"consent: must agree before introduction" (a works council's co-determination).

A result without a matrix shows its status and message instead; for a governance model the
organisation cannot run that is "not-applicable: <reason> — <remedy>" in every format (in CSV
a row whose first cell holds it), and no solver line, since no solver ran.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

import msgspec

from models.core import LETTERS, UNIT_SEPARATOR, Letter, Matrix, unit_of

from .types import Diagnosis, Finding, Fix, LintReport, Scenario, SolveResult, Workload

CSV_LABEL = "activity"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What each letter means, for a legend under a matrix (every letter of :data:`LETTERS`).
MEANINGS: dict[Letter, str] = {
    "R": "responsible",
    "A": "accountable",
    "C": "consulted",
    "I": "informed",
    "A/R": "accountable and responsible",
    "S": "consent: must agree before introduction",
}


def legend(matrix: Matrix) -> str:
    """A line explaining the letters ``matrix`` uses, in the order of :data:`LETTERS`
    (empty when it uses none).

    >>> legend({"channels": {"csmo": "A/R", "wc": "S", "it": "C"}})
    'Legend: C = consulted · A/R = accountable and responsible · S = consent: must agree \
before introduction'
    """
    used = {letter for row in matrix.values() for letter in row.values()}
    meanings = [f"{letter} = {MEANINGS[letter]}" for letter in LETTERS if letter in used]
    return f"Legend: {' · '.join(meanings)}" if meanings else ""


def grouped(matrix: Matrix) -> Matrix:
    """The same matrix with the per-unit rows of an activity next to each other, where the
    activity (or its first unit row) first appears; otherwise in the matrix's order.

    >>> list(grouped({"content@bu-b": {}, "strategy": {}, "content@bu-a": {}}))
    ['content@bu-b', 'content@bu-a', 'strategy']
    """
    groups: dict[str, list[str]] = {}
    for row_id in matrix:
        groups.setdefault(unit_of(row_id)[0], []).append(row_id)
    return {row_id: matrix[row_id] for rows in groups.values() for row_id in rows}


def row_label(row_id: str) -> str:
    """How a table shows a row: ``content@bu-a`` as ``content @ bu-a``."""
    return row_id.replace(UNIT_SEPARATOR, f" {UNIT_SEPARATOR} ")


def role_order(matrix: Matrix, roles: Iterable[str] = ()) -> list[str]:
    """``roles`` first, then any other role of the matrix in order of first appearance (in
    the rows as shown: an activity's per-unit rows together, :func:`grouped`)."""
    order = dict.fromkeys(roles)
    for row in grouped(matrix).values():
        order.update(dict.fromkeys(row))
    return list(order)


def _unpack(result_or_matrix: SolveResult | Matrix, roles: Sequence[str] | None) -> list[str]:
    if isinstance(result_or_matrix, SolveResult):
        return role_order(result_or_matrix.matrix, roles or result_or_matrix.workload)
    return role_order(result_or_matrix, roles or ())


def _matrix_of(result_or_matrix: SolveResult | Matrix) -> Matrix:
    return (
        result_or_matrix.matrix if isinstance(result_or_matrix, SolveResult) else result_or_matrix
    )


def _grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    rule = "  ".join("-" * width for width in widths)
    return [line(header).rstrip(), rule, *(line(row).rstrip() for row in rows)]


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Any rows as an aligned terminal grid under a header and a rule."""
    return "\n".join(_grid(header, rows)) + "\n"


def _markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(header), "|" + "|".join("---" for _ in header) + "|", *map(line, rows)]


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(map(_cell, header))
    writer.writerows(map(_cell, row) for row in rows)
    return out.getvalue()


def _cells(matrix: Matrix, roles: Sequence[str], empty: str, label: bool = True) -> list[list[str]]:
    """One list per row: its label (``label``) or id, then each role's letter or ``empty``."""
    return [
        [row_label(activity) if label else activity, *(row.get(role, empty) for role in roles)]
        for activity, row in grouped(matrix).items()
    ]


def in_scenario_order(result: SolveResult, scenario: Scenario) -> SolveResult:
    """The same result with activities and roles in the order the scenario lists them (the
    optimiser sorts by id); an activity's per-unit rows where the activity is, in the order
    of the scenario's roles; the matrices of the diagnosis's fixes too; ids the scenario
    does not list keep their order, after the rest."""

    def ordered(keys: Iterable[str], order: Sequence[str]) -> list[str]:
        rank = {key: i for i, key in enumerate(order)}
        return sorted(keys, key=lambda key: rank.get(key, len(rank)))

    roles = [role.id for role in scenario.roles]
    activity_rank = {activity.id: i for i, activity in enumerate(scenario.activities)}
    role_rank = {role: i for i, role in enumerate(roles)}

    def row_rank(row_id: str) -> tuple[int, int]:
        activity, unit = unit_of(row_id)
        if activity not in activity_rank:
            return (len(activity_rank), 0)
        return (activity_rank[activity], -1 if unit is None else role_rank.get(unit, len(roles)))

    def matrix_in_order(matrix: Matrix) -> Matrix:
        return {
            a: {r: matrix[a][r] for r in ordered(matrix[a], roles)}
            for a in sorted(matrix, key=row_rank)
        }

    def workload_in_order(workload: dict[str, Workload]) -> dict[str, Workload]:
        return {r: workload[r] for r in ordered(workload, roles)}

    diagnosis = result.diagnosis
    if diagnosis is not None:
        fixes = tuple(
            msgspec.structs.replace(
                fix, matrix=matrix_in_order(fix.matrix), workload=workload_in_order(fix.workload)
            )
            for fix in diagnosis.fixes
        )
        diagnosis = msgspec.structs.replace(diagnosis, fixes=fixes)
    return msgspec.structs.replace(
        result,
        matrix=matrix_in_order(result.matrix),
        workload=workload_in_order(result.workload),
        diagnosis=diagnosis,
    )


def verdict(result: SolveResult) -> str:
    """The status and its message: "optimal: proven optimal", "not-applicable: <reason> —
    <remedy>" ..."""
    return f"{result.status}: {result.message}"


def summary(result: SolveResult) -> list[str]:
    """The lines above a result's matrix: scenario, variant, status, objective, solver, the
    staffing decisions and the comparison with the hub-led design when another role leads."""
    lines = [f"{result.scenario} · {result.variant} · {verdict(result)}"]
    if result.status == "not-applicable":
        return lines
    if result.objective is not None:
        o = result.objective
        terms = (f.name for f in msgspec.structs.fields(o) if f.name != "total")
        parts = " + ".join(f"{term} {getattr(o, term):.4g}" for term in terms)
        lines.append(f"objective {o.total:.4g} = {parts}")
    gap = "" if result.solver.gap is None else f", gap {result.solver.gap:.2%}"
    lines.append(
        f"solver {result.solver.name} {result.solver.version}, {result.solver.seconds:.2f} s{gap}"
    )
    lines += [f"staffing: {decision.message}" for decision in result.staffing]
    if result.lead is not None:
        lines.append(f"who leads: {result.lead.message}")
    if result.diagnosis is not None:
        lines += diagnosis_lines(result.diagnosis)
    return lines


def _fix_headline(number: int, fix: Fix) -> str:
    head = f"fix {number} (cost {fix.cost:g}):"
    if fix.objective is None:
        return f"{head} no matrix, {fix.status}: {fix.message}"
    proof = "" if fix.status == "optimal" else f" ({fix.message})"
    return f"{head} {fix.status} matrix{proof}, objective {fix.objective.total:.4g}"


def diagnosis_lines(diagnosis: Diagnosis) -> list[str]:
    """The diagnosis in lines: its summary, then each fix and its relaxations (bulleted)."""
    lines = [f"diagnosis: {diagnosis.summary}"]
    if not diagnosis.fixes:  # a diagnosis from before fixes existed
        return lines + [f"  - {relax.message}" for relax in diagnosis.relaxations]
    for number, fix in enumerate(diagnosis.fixes, 1):
        lines.append(_fix_headline(number, fix))
        lines += [f"  - {relax.message}" for relax in fix.relaxations]
    return lines


def _fix_grids(result: SolveResult) -> list[str]:
    """Below an infeasible result: the matrix each fix leads to, with its utilisation row."""
    lines: list[str] = []
    fixes = result.diagnosis.fixes if result.diagnosis is not None else ()
    for number, fix in enumerate(fixes, 1):
        if fix.matrix:
            order = role_order(fix.matrix, fix.workload)
            rows = [*_cells(fix.matrix, order, "·"), _load_row(fix.workload, order)]
            grid = _grid([CSV_LABEL, *order], rows)
            lines += ["", f"with fix {number}:", *grid[:-1], grid[1], grid[-1]]
    return lines


def _load_row(workload: Mapping[str, Workload], roles: Sequence[str]) -> list[str]:
    def cell(role: str) -> str:
        load = workload.get(role)
        return "" if load is None else f"{load.utilisation:.0%}"

    return ["load", *(cell(role) for role in roles)]


def matrix_table(result_or_matrix: SolveResult | Matrix, roles: Sequence[str] | None = None) -> str:
    """An aligned terminal grid: activities as rows, roles as columns, ``·`` for no letter,
    and a legend of the letters below it.

    A solve result gets its summary above the grid and each role's utilisation below it.

    Examples
    --------
    >>> matrix = {"strategy": {"ceo": "A", "csmo": "R"}, "kpis@bu-a": {"bu-a": "A/R",
    ...     "wc": "S"}}
    >>> print(matrix_table(matrix), end="")
    activity     ceo  csmo  bu-a  wc
    -----------  ---  ----  ----  --
    strategy     A    R     ·     ·
    kpis @ bu-a  ·    ·     A/R   S
    <BLANKLINE>
    Legend: R = responsible · A = accountable · A/R = accountable and responsible · S = \
consent: must agree before introduction
    """
    matrix = _matrix_of(result_or_matrix)
    order = _unpack(result_or_matrix, roles)
    rows = _cells(matrix, order, "·")
    foot = ["", legend(matrix)] if legend(matrix) else []
    if not isinstance(result_or_matrix, SolveResult):
        return "\n".join([*_grid([CSV_LABEL, *order], rows), *foot]) + "\n"
    head = summary(result_or_matrix)
    if not result_or_matrix.matrix:
        return "\n".join([*head, *_fix_grids(result_or_matrix)]) + "\n"
    grid = _grid([CSV_LABEL, *order], [*rows, _load_row(result_or_matrix.workload, order)])
    return "\n".join([*head, "", *grid[:-1], grid[1], grid[-1], *foot]) + "\n"


def matrix_markdown(
    result_or_matrix: SolveResult | Matrix, roles: Sequence[str] | None = None
) -> str:
    """A Markdown table (empty cells for no letter) and the legend of its letters; a result
    gets a heading and summary."""
    matrix = _matrix_of(result_or_matrix)
    order = _unpack(result_or_matrix, roles)
    table = _markdown([CSV_LABEL, *order], _cells(matrix, order, ""))
    if legend(matrix):
        table += ["", legend(matrix)]
    if not isinstance(result_or_matrix, SolveResult):
        return "\n".join(table) + "\n"
    result = result_or_matrix
    parts = [
        f"## {result.scenario} — {result.variant}",
        "",
        f"Status: **{result.status}** — {result.message}",
    ]
    details = [line if line.startswith("  - ") else f"- {line}" for line in summary(result)[1:]]
    if details:  # none when the model does not apply: nothing was solved
        parts += ["", *details]
    if result.matrix:
        parts += [
            "",
            *table,
            "",
            *_markdown(["role", "utilisation"], _workload_rows(result.workload)),
        ]
    fixes = result.diagnosis.fixes if result.diagnosis is not None else ()
    for number, fix in enumerate(fixes, 1):
        if fix.matrix:
            fix_order = role_order(fix.matrix, fix.workload)
            parts += [
                "",
                f"### With fix {number}",
                "",
                *_markdown([CSV_LABEL, *fix_order], _cells(fix.matrix, fix_order, "")),
                "",
                *_markdown(["role", "utilisation"], _workload_rows(fix.workload)),
            ]
    return "\n".join(parts) + "\n"


def _workload_rows(workload: Mapping[str, Workload]) -> list[list[str]]:
    return [
        [role, f"{load.load:.3g} / {load.capacity:.3g} ({load.utilisation:.0%})"]
        for role, load in workload.items()
    ]


def matrix_csv(matrix: Matrix, roles: Sequence[str] | None = None) -> str:
    """CSV with a header ``activity,<role>,...`` and one row per activity, empty for no letter.

    Examples
    --------
    >>> matrix_csv({"strategy": {"ceo": "A", "csmo": "R"}, "kpis": {"csmo": "A/R"}})
    'activity,ceo,csmo\\r\\nstrategy,A,R\\r\\nkpis,,A/R\\r\\n'
    """
    order = role_order(matrix, roles or ())
    return _csv([CSV_LABEL, *order], _cells(matrix, order, "", label=False))


def solve_result_markdown(result: SolveResult) -> str:
    """A solve result as Markdown: heading, summary, matrix, and utilisation per role."""
    return matrix_markdown(result)


def solve_result_csv(result: SolveResult) -> str:
    """A solve result's matrix as CSV, every role of the scenario a column; a not-applicable
    result is one row that says why."""
    if result.status == "not-applicable":
        return _csv([CSV_LABEL], [[verdict(result)]])
    return matrix_csv(result.matrix, list(result.workload))


def solve_result_table(result: SolveResult) -> str:
    """A solve result as a terminal grid with its summary."""
    return matrix_table(result)


def solve_results_csv(results: Sequence[SolveResult]) -> str:
    """Several results (say, every variant) in one CSV, a ``variant`` column first; a
    not-applicable result is one row whose activity cell says why."""
    roles: list[str] = []
    for result in results:
        roles = role_order(result.matrix, [*roles, *result.workload])
    rows = [
        [result.variant, *row]
        for result in results
        for row in (
            [[verdict(result), *("" for _ in roles)]]
            if result.status == "not-applicable"
            else _cells(result.matrix, roles, "", label=False)
        )
    ]
    return _csv(["variant", CSV_LABEL, *roles], rows)


def _finding_rows(findings: Iterable[Finding]) -> list[list[str]]:
    return [[f.severity, f.code, f.scope, f.target, f.message] for f in findings]


FINDING_HEADER = ("severity", "code", "scope", "target", "message")


def _counts(report: LintReport) -> str:
    counts = ((report.errors, "error"), (report.warnings, "warning"), (report.infos, "info"))
    return ", ".join(f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts)


def lint_report_table(report: LintReport) -> str:
    """The findings as a terminal grid, then the counts."""
    if not report.findings:
        return "no findings\n"
    return (
        "\n".join([*_grid(FINDING_HEADER, _finding_rows(report.findings)), _counts(report)]) + "\n"
    )


def lint_report_markdown(report: LintReport) -> str:
    """The findings as a Markdown table under a heading with the counts."""
    lines = ["## RACI lint", "", _counts(report)]
    if report.findings:
        lines += ["", *_markdown(FINDING_HEADER, _finding_rows(report.findings))]
    return "\n".join(lines) + "\n"


def lint_report_csv(report: LintReport) -> str:
    """The findings as CSV: severity, code, scope, target, message."""
    return _csv(FINDING_HEADER, _finding_rows(report.findings))
