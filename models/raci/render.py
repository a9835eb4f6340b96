"""Text renderings of matrices, solve results and lint reports: pure functions returning str.

- ``*_table``: an aligned grid for a terminal;
- ``*_markdown``: GitHub-flavoured Markdown tables for slides and wikis;
- ``*_csv``: CSV in Excel's dialect: UTF-8 with a byte-order mark, CRLF, ``,`` between
  cells — ``;`` in German (:attr:`View.delimiter`), as German Excel expects. A matrix's CSV
  has two header rows: the names a person reads, then the ids a machine reads back
  (:data:`KEY_ROW`: ``name``, ``activity``, then the role ids; a ``variant`` column first
  when it holds solve results), and one row per activity: its name, its id, one letter per
  role. :func:`models.raci.codec.decode_matrix` reads exactly that back. A result without a
  matrix (infeasible, not applicable) is note rows instead: the verdict and the diagnosis in
  the name column, no id, no letters, which the reader skips. A cell a spreadsheet would run
  as a formula (``=``, ``+``, ``-``, ``@`` first) gets a leading apostrophe.

Who reads it: a :class:`View` carries the scenario's names (the organisation, its roles and
activities, used as written) and the language of every label (:mod:`models.labels`); without
one, ids and English. Per-unit rows (``content@bu-a``) read as "<activity name> (<unit name>)",
the way :func:`models.raci.variants.rows` names them, or ``content @ bu-a`` without names.

Order (:func:`display_order`, :func:`in_scenario_order`): roles as the scenario lists them,
the lead and the hubs first; activities grouped by category in the order of
:data:`~models.raci.types.ActivityCategory`, the scenario's order within a category, an
activity's per-unit rows together (:func:`grouped`) in the order of the units. Every format —
table, Markdown, CSV, the portal's HTML, the workbook — takes its rows and columns from the
result as ordered, so the CLI and the API agree.

Letters are R, A, C, I, A/R and S (:data:`models.core.LETTERS`); the table and Markdown
renderings of a matrix end with a legend of the letters it uses (:func:`legend`), S read as
"consent: must agree before introduction" (a works council's co-determination).

A result without a matrix shows its status and message instead; for a governance model the
organisation cannot run that is "not-applicable: <reason> — <remedy>" in every format, and no
solver line, since no solver ran. Numbers for people are rounded (utilisation in whole
percent, objective terms to four digits); JSON keeps full precision.
"""

from __future__ import annotations

import csv
import io
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

import msgspec

from models.core import LETTERS, UNIT_SEPARATOR, Letter, Matrix, unit_of
from models.labels import DEFAULT_LANG, Lang, label
from models.messages import number as format_number
from models.messages import say

from .types import (
    ActivityCategory,
    Diagnosis,
    Finding,
    Fix,
    LintReport,
    MatrixDiff,
    Scenario,
    SolveResult,
    Variant,
    Workload,
)

CSV_LABEL = "activity"
#: The second header row of a matrix's CSV and workbook sheet: what a machine reads back.
KEY_ROW = ("name", CSV_LABEL)
VARIANT_KEY = "variant"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CATEGORIES: tuple[ActivityCategory, ...] = get_args(ActivityCategory)


def meaning(letter: Letter, lang: Lang = DEFAULT_LANG) -> str:
    """What a letter means, for a legend: ``meaning("S")`` is consent."""
    return label(f"letter.{letter}", lang)


def legend(matrix: Matrix, lang: Lang = DEFAULT_LANG) -> str:
    """A line explaining the letters ``matrix`` uses, in the order of :data:`LETTERS`
    (empty when it uses none).

    >>> legend({"channels": {"csmo": "A/R", "wc": "S", "it": "C"}})
    'Legend: C = consulted · A/R = accountable and responsible · S = consent: must agree \
before introduction'
    """
    used = {letter for row in matrix.values() for letter in row.values()}
    meanings = [f"{letter} = {meaning(letter, lang)}" for letter in LETTERS if letter in used]
    return f"{label('legend', lang)}: {' · '.join(meanings)}" if meanings else ""


def display_order(scenario: Scenario) -> tuple[list[str], list[str]]:
    """The role ids and the activity ids in the order a person reads them: the lead and the
    hubs first, then the scenario's order; activities by category, then the scenario's order.
    """
    first = [r.id for r in scenario.roles if r.id == scenario.lead]
    first += [r.id for r in scenario.roles if r.kind == "hub" and r.id != scenario.lead]
    roles = first + [r.id for r in scenario.roles if r.id not in first]
    position = {a.id: i for i, a in enumerate(scenario.activities)}
    activities = sorted(
        position,
        key=lambda a: (CATEGORIES.index(scenario.activities[position[a]].category), position[a]),
    )
    return roles, activities


@dataclass(frozen=True)
class View:
    """How a person reads an output: the scenario's names (ids where it has none) and the
    language of the labels. ``View()`` shows ids, in English."""

    scenario: str = ""
    roles: Mapping[str, str] = field(default_factory=dict)
    activities: Mapping[str, str] = field(default_factory=dict)
    lang: Lang = DEFAULT_LANG

    @classmethod
    def of(cls, scenario: Scenario | None, lang: Lang = DEFAULT_LANG) -> View:
        """The names of ``scenario`` (None: ids) in the order of :func:`display_order`."""
        if scenario is None:
            return cls(lang=lang)
        roles, activities = display_order(scenario)
        role_names = {r.id: r.name for r in scenario.roles}
        activity_names = {a.id: a.name for a in scenario.activities}
        return cls(
            scenario=scenario.profile.name,
            roles={r: role_names[r] for r in roles},
            activities={a: activity_names[a] for a in activities},
            lang=lang,
        )

    def say(self, key: str, **params: Any) -> str:
        """A sentence of :mod:`models.messages` in this view's language."""
        return say(key, lang=self.lang, **params)

    def number(self, value: float, spec: str) -> str:
        """A number for people in this view's language (``0,62`` in German)."""
        return format_number(value, spec, self.lang)

    def word(self, key: str) -> str:
        """A label of :mod:`models.labels` in this view's language."""
        return label(key, self.lang)

    def role(self, role_id: str) -> str:
        return self.roles.get(role_id, role_id)

    def row(self, row_id: str) -> str:
        """An activity's name; a per-unit row as "<activity> (<unit>)" with names, else
        ``content @ bu-a``."""
        activity, unit = unit_of(row_id)
        if activity not in self.activities:
            return row_label(row_id)
        name = self.activities[activity]
        return name if unit is None else f"{name} ({self.role(unit)})"

    def target(self, finding: Finding) -> str:
        """What a lint finding is about, by name."""
        return (
            self.row(finding.target) if finding.scope == "activity" else self.role(finding.target)
        )

    def title(self, result: SolveResult) -> str:
        return self.scenario or result.scenario

    def variant(self, variant: Variant) -> str:
        return self.word(f"variant.{variant}")

    def status(self, result: SolveResult) -> str:
        return self.word(f"status.{result.status}")

    @property
    def delimiter(self) -> str:
        """The CSV delimiter Excel expects in this language: ``;`` in German."""
        return ";" if self.lang == "de" else ","


PLAIN = View()


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
    """How a table shows a row without names: ``content@bu-a`` as ``content @ bu-a``."""
    return row_id.replace(UNIT_SEPARATOR, f" {UNIT_SEPARATOR} ")


def role_order(matrix: Matrix, roles: Iterable[str] = ()) -> list[str]:
    """``roles`` first, then any other role of the matrix in order of first appearance (in
    the rows as shown: an activity's per-unit rows together, :func:`grouped`)."""
    order = dict.fromkeys(roles)
    for row in grouped(matrix).values():
        order.update(dict.fromkeys(row))
    return list(order)


def _unpack(
    result_or_matrix: SolveResult | Matrix, roles: Sequence[str] | None, view: View
) -> list[str]:
    if isinstance(result_or_matrix, SolveResult):
        return role_order(result_or_matrix.matrix, roles or result_or_matrix.workload)
    return role_order(result_or_matrix, roles or view.roles)


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


def text_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None = None
) -> str:
    """Any rows as an aligned terminal grid under a header and a rule; within ``width``
    characters when given, the last column's text wrapped onto lines of its own column
    (:func:`_wrapped_grid`)."""
    return "\n".join(_wrapped_grid(header, rows, width)) + "\n"


def _wrapped_grid(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None
) -> list[str]:
    """:func:`_grid`, its last column (a message, a reason) wrapped so that every line fits
    ``width`` (None: as wide as it takes); the other columns keep their widths, and the last
    keeps at least :data:`MIN_NAME_WIDTH` characters.

    >>> rows = [["a", "the first of two lines, then the second"]]
    >>> print("\\n".join(_wrapped_grid(["id", "message"], rows, 30)))
    id  message
    --  -----------------------
    a   the first of two lines,
        then the second
    """
    lines = _grid(header, rows)
    if width is None or max(map(len, lines)) <= width or not rows:
        return lines
    lead = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header) - 1)]
    # the last column keeps room to be read: the widest others give way first, cut with "…"
    while sum(w + 2 for w in lead) > width - MIN_LAST_WIDTH and max(lead) > MIN_NAME_WIDTH:
        lead[lead.index(max(lead))] -= 1
    last = max(MIN_LAST_WIDTH // 2, width - sum(w + 2 for w in lead))
    wrapped: list[list[str]] = []
    for row in rows:
        parts = textwrap.wrap(row[-1], last, break_on_hyphens=False) or [""]
        wrapped.append([*(_truncate(c, w) for c, w in zip(row, lead, strict=False)), parts[0]])
        wrapped += [["" for _ in lead] + [part] for part in parts[1:]]
    head = [*(_truncate(c, w) for c, w in zip(header, lead, strict=False)), header[-1]]
    return [line.rstrip() for line in _grid(head, wrapped)]


def _markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(header), "|" + "|".join("---" for _ in header) + "|", *map(line, rows)]


def _cell(text: str) -> str:
    # A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_text(rows: Iterable[Sequence[str]], view: View = PLAIN) -> str:
    """Rows as CSV in Excel's dialect for ``view``'s language (module docstring)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=view.delimiter, lineterminator="\r\n")
    writer.writerows(map(_cell, row) for row in rows)
    return out.getvalue()


def header(roles: Sequence[str], view: View) -> list[str]:
    """The header a person reads above a matrix: "Activity", then the roles' names."""
    return [view.word("activity"), *(view.role(role) for role in roles)]


def matrix_rows(matrix: Matrix, roles: Sequence[str], view: View, empty: str) -> list[list[str]]:
    """One list per row, as a person reads it: the row's name, then each role's letter or
    ``empty`` (an activity's per-unit rows together)."""
    return [
        [view.row(activity), *(row.get(role, empty) for role in roles)]
        for activity, row in grouped(matrix).items()
    ]


def keyed_rows(matrix: Matrix, roles: Sequence[str], view: View) -> list[list[str]]:
    """The rows of a matrix that a machine reads back: name, id, then the letters."""
    return [
        [view.row(activity), activity, *(row.get(role, "") for role in roles)]
        for activity, row in grouped(matrix).items()
    ]


def key_header(roles: Sequence[str], view: View) -> tuple[list[str], list[str]]:
    """The two header rows of :func:`keyed_rows`: names (a person), ids (a machine)."""
    names = [view.word("activity"), view.word("id"), *(view.role(role) for role in roles)]
    return names, [*KEY_ROW, *roles]


def in_scenario_order(result: SolveResult, scenario: Scenario) -> SolveResult:
    """The same result with activities and roles in the order of :func:`display_order` (the
    optimiser sorts by id); an activity's per-unit rows where the activity is, in the order
    of the roles; the matrices of the diagnosis's fixes too; ids the scenario does not list
    keep their order, after the rest."""
    roles, activities = display_order(scenario)

    def ordered(keys: Iterable[str], order: Sequence[str]) -> list[str]:
        rank = {key: i for i, key in enumerate(order)}
        return sorted(keys, key=lambda key: rank.get(key, len(rank)))

    activity_rank = {activity: i for i, activity in enumerate(activities)}
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


def verdict(result: SolveResult, view: View = PLAIN) -> str:
    """The status and its message: "optimal: proven optimal", "not-applicable: <reason> —
    <remedy>" ... (the status in ``view``'s language; the message in the language the result
    was written in, :mod:`models.messages`)."""
    return f"{view.status(result)}: {result.message}"


def objective_line(result: SolveResult, view: View = PLAIN) -> str | None:
    """ "objective 36.23 = competence 10.58 + …", each term rounded to four digits."""
    if result.objective is None:
        return None
    o = result.objective
    terms = (f.name for f in msgspec.structs.fields(o) if f.name != "total")
    parts = " + ".join(
        f"{view.word(f'term.{t}')} {view.number(getattr(o, t), '.4g')}" for t in terms
    )
    return f"{view.word('summary.objective')} {view.number(o.total, '.4g')} = {parts}"


def summary(result: SolveResult, view: View = PLAIN) -> list[str]:
    """The lines above a result's matrix: scenario, variant, status, objective, solver, the
    staffing decisions, the comparison with the hub-led design when another role leads, and
    the diagnosis of an infeasible result."""
    lines = [f"{view.title(result)} · {view.variant(result.variant)} · {verdict(result, view)}"]
    if result.status == "not-applicable":
        return lines
    if (objective := objective_line(result, view)) is not None:
        lines.append(objective)
    gap = "" if result.solver.gap is None else view.say("render.gap", gap=result.solver.gap)
    solver = result.solver
    seconds = view.say("render.seconds", seconds=solver.seconds)
    lines.append(f"{view.word('summary.solver')} {solver.name} {solver.version}, {seconds}{gap}")
    staffing = view.word("summary.staffing")
    lines += [f"{staffing}: {decision.message}" for decision in result.staffing]
    if result.lead is not None:
        lines.append(f"{view.word('summary.lead')}: {result.lead.message}")
    if result.diagnosis is not None:
        lines += diagnosis_lines(result.diagnosis, view)
    return lines


def _fix_headline(number: int, fix: Fix, view: View) -> str:
    head = view.say("render.fix", number=number, cost=float(fix.cost))
    status = view.word(f"status.{fix.status}")
    if fix.objective is None:
        return view.say("render.fix-no-matrix", head=head, status=status, message=fix.message)
    proof = "" if fix.status == "optimal" else f" ({fix.message})"
    return view.say(
        "render.fix-matrix", head=head, status=status, proof=proof, total=fix.objective.total
    )


def diagnosis_lines(diagnosis: Diagnosis, view: View = PLAIN) -> list[str]:
    """The diagnosis in lines: its summary, then each fix and its relaxations (bulleted)."""
    lines = [view.say("render.diagnosis", summary=diagnosis.summary)]
    if not diagnosis.fixes:  # a diagnosis from before fixes existed
        return lines + [f"  - {relax.message}" for relax in diagnosis.relaxations]
    for number, fix in enumerate(diagnosis.fixes, 1):
        lines.append(_fix_headline(number, fix, view))
        lines += [f"  - {relax.message}" for relax in fix.relaxations]
    return lines


def why_no_matrix(result: SolveResult, view: View = PLAIN) -> list[str]:
    """What a reader gets instead of a matrix: the verdict, then the diagnosis (if any)."""
    lines = [verdict(result, view)]
    if result.diagnosis is not None:
        # "•", not "-": a spreadsheet reads a cell starting with "-" as a formula
        lines += [
            line.strip().replace("- ", "• ", 1) if line.startswith("  - ") else line
            for line in diagnosis_lines(result.diagnosis, view)
        ]
    return lines


def _fix_grids(result: SolveResult, view: View, width: int | None = None) -> list[str]:
    """Below an infeasible result: the matrix each fix leads to, with its utilisation row."""
    lines: list[str] = []
    fixes = result.diagnosis.fixes if result.diagnosis is not None else ()
    for number, fix in enumerate(fixes, 1):
        if fix.matrix:
            order = role_order(fix.matrix, fix.workload)
            rows = [
                *matrix_rows(fix.matrix, order, view, "·"),
                _load_row(fix.workload, order, view),
            ]
            with_fix = view.say("render.with-fix", number=number)
            lines += ["", with_fix, *_fitted(header(order, view), rows, width, view, True)]
    return lines


def _load_row(workload: Mapping[str, Workload], roles: Sequence[str], view: View) -> list[str]:
    def cell(role: str) -> str:
        load = workload.get(role)
        return "" if load is None else view.number(load.utilisation, ".0%")

    return [view.word("load"), *(cell(role) for role in roles)]


MIN_NAME_WIDTH = 16
MIN_LAST_WIDTH = 32


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _fitted(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int | None, view: View, load: bool
) -> list[str]:
    """A matrix grid within ``width`` characters (None: as wide as it takes); with ``load``
    the last row is the utilisation, set off by a rule.

    Too wide, the roles' names give way to numbers, explained below the grid ("Roles: 1 =
    Chief Social Media Officer · 2 = …"), the activities' names are cut with "…" to what is
    left (at least :data:`MIN_NAME_WIDTH`), and roles that still do not fit continue in a
    further block with the activities repeated.
    """

    def grid(head: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
        lines = _grid(head, body)
        return [*lines[:-1], lines[1], lines[-1]] if load else lines

    whole = grid(header, rows)
    if width is None or max(map(len, whole)) <= width:
        return whole
    codes = [str(number) for number in range(1, len(header))]
    columns = [
        max(len(codes[k - 1]), *(len(row[k]) for row in rows)) for k in range(1, len(header))
    ]
    longest = max(len(row[0]) for row in [header, *rows])
    name_width = min(longest, max(MIN_NAME_WIDTH, width - sum(c + 2 for c in columns)))
    blocks: list[list[int]] = [[]]
    used = name_width
    for k, column in enumerate(columns, start=1):
        if blocks[-1] and used + column + 2 > width:
            blocks.append([])
            used = name_width
        blocks[-1].append(k)
        used += column + 2
    lines: list[str] = []
    for block in blocks:
        head = [_truncate(header[0], name_width), *(codes[k - 1] for k in block)]
        body = [[_truncate(row[0], name_width), *(row[k] for k in block)] for row in rows]
        lines += ["", *grid(head, body)] if lines else grid(head, body)
    key = " · ".join(f"{code} = {name}" for code, name in zip(codes, header[1:], strict=True))
    return [*lines, "", *textwrap.wrap(f"{view.word('roles')}: {key}", width)]


def matrix_table(
    result_or_matrix: SolveResult | Matrix,
    roles: Sequence[str] | None = None,
    view: View = PLAIN,
    width: int | None = None,
) -> str:
    """An aligned terminal grid: activities as rows, roles as columns, ``·`` for no letter,
    and a legend of the letters below it; within ``width`` characters when given (the
    terminal's: numbered roles, cut names, further blocks; see :func:`_fitted`).

    A solve result gets its summary above the grid and each role's utilisation below it.

    Examples
    --------
    >>> matrix = {"strategy": {"ceo": "A", "csmo": "R"}, "kpis@bu-a": {"bu-a": "A/R",
    ...     "wc": "S"}}
    >>> print(matrix_table(matrix), end="")
    Activity     ceo  csmo  bu-a  wc
    -----------  ---  ----  ----  --
    strategy     A    R     ·     ·
    kpis @ bu-a  ·    ·     A/R   S
    <BLANKLINE>
    Legend: R = responsible · A = accountable · A/R = accountable and responsible · S = \
consent: must agree before introduction
    """
    matrix = _matrix_of(result_or_matrix)
    order = _unpack(result_or_matrix, roles, view)
    rows = matrix_rows(matrix, order, view, "·")
    key = legend(matrix, view.lang)
    foot = ["", *(textwrap.wrap(key, width) if width else [key])] if key else []
    if not isinstance(result_or_matrix, SolveResult):
        return "\n".join([*_fitted(header(order, view), rows, width, view, False), *foot]) + "\n"
    head = summary(result_or_matrix, view)
    if width:
        head = [
            part for line in head for part in textwrap.wrap(line, width, subsequent_indent="  ")
        ]
    if not result_or_matrix.matrix:
        return "\n".join([*head, *_fix_grids(result_or_matrix, view, width)]) + "\n"
    load = _load_row(result_or_matrix.workload, order, view)
    grid = _fitted(header(order, view), [*rows, load], width, view, True)
    return "\n".join([*head, "", *grid, *foot]) + "\n"


def matrix_markdown(
    result_or_matrix: SolveResult | Matrix,
    roles: Sequence[str] | None = None,
    view: View = PLAIN,
) -> str:
    """A Markdown table (empty cells for no letter) and the legend of its letters; a result
    gets a heading (the organisation's name and the model's) and its summary."""
    matrix = _matrix_of(result_or_matrix)
    order = _unpack(result_or_matrix, roles, view)
    table = _markdown(header(order, view), matrix_rows(matrix, order, view, ""))
    key = legend(matrix, view.lang)
    if key:
        table += ["", key]
    if not isinstance(result_or_matrix, SolveResult):
        return "\n".join(table) + "\n"
    result = result_or_matrix
    parts = [
        f"## {view.title(result)} — {view.variant(result.variant)}",
        "",
        f"{view.word('status')}: **{view.status(result)}** — {result.message}",
    ]
    details = [
        line if line.startswith("  - ") else f"- {line}" for line in summary(result, view)[1:]
    ]
    if details:  # none when the model does not apply: nothing was solved
        parts += ["", *details]
    load_header = [view.word("role"), view.word("utilisation")]
    if result.matrix:
        parts += ["", *table, "", *_markdown(load_header, _workload_rows(result.workload, view))]
    fixes = result.diagnosis.fixes if result.diagnosis is not None else ()
    for number, fix in enumerate(fixes, 1):
        if fix.matrix:
            fix_order = role_order(fix.matrix, fix.workload)
            parts += [
                "",
                view.say("render.with-fix-heading", number=number),
                "",
                *_markdown(header(fix_order, view), matrix_rows(fix.matrix, fix_order, view, "")),
                "",
                *_markdown(load_header, _workload_rows(fix.workload, view)),
            ]
    return "\n".join(parts) + "\n"


def _workload_rows(workload: Mapping[str, Workload], view: View) -> list[list[str]]:
    return [
        [
            view.role(role),
            f"{view.number(load.load, '.3g')} / {view.number(load.capacity, '.3g')} "
            f"({view.number(load.utilisation, '.0%')})",
        ]
        for role, load in workload.items()
    ]


def matrix_csv(matrix: Matrix, roles: Sequence[str] | None = None, view: View = PLAIN) -> str:
    """CSV with two header rows (names, then ``name,activity,<role id>,...``) and one row per
    activity: name, id, one letter per role, empty for no letter.

    Examples
    --------
    >>> matrix_csv({"strategy": {"ceo": "A", "csmo": "R"}, "kpis": {"csmo": "A/R"}})
    '\\ufeffActivity,ID,ceo,csmo\\r\\nname,activity,ceo,csmo\\r\\nstrategy,strategy,A,R\\r\\n\
kpis,kpis,,A/R\\r\\n'
    """
    order = role_order(matrix, roles or view.roles)
    return csv_text([*key_header(order, view), *keyed_rows(matrix, order, view)], view)


def solve_result_markdown(result: SolveResult, view: View = PLAIN) -> str:
    """A solve result as Markdown: heading, summary, matrix, and utilisation per role."""
    return matrix_markdown(result, view=view)


def solve_result_table(result: SolveResult, view: View = PLAIN, width: int | None = None) -> str:
    """A solve result as a terminal grid with its summary, within ``width`` when given."""
    return matrix_table(result, view=view, width=width)


def solve_results_csv(results: Sequence[SolveResult], view: View = PLAIN) -> str:
    """One or several results (say, every model) in one CSV, a ``variant`` column first,
    every role of the scenario a column; a result without a matrix is note rows that say why
    (its verdict and diagnosis in the name column, no id)."""
    roles: list[str] = []
    for result in results:
        roles = role_order(result.matrix, [*roles, *result.workload])
    names, keys = key_header(roles, view)
    blanks = [""] * (len(roles) + 1)
    rows = [
        [result.variant, *row]
        for result in results
        for row in (
            keyed_rows(result.matrix, roles, view)
            if result.matrix
            else [[line, *blanks] for line in why_no_matrix(result, view)]
        )
    ]
    return csv_text([[view.word("model"), *names], [VARIANT_KEY, *keys], *rows], view)


def finding_header(view: View = PLAIN) -> list[str]:
    return [view.word(key) for key in ("severity", "code", "scope", "target", "message")]


def finding_rows(findings: Iterable[Finding], view: View = PLAIN) -> list[list[str]]:
    """Each finding as severity, code, scope, target (by name) and message."""
    return [
        [
            view.word(f"severity.{f.severity}"),
            f.code,
            view.word(f"scope.{f.scope}"),
            view.target(f),
            f.message,
        ]
        for f in findings
    ]


def _counts(report: LintReport, view: View) -> str:
    counts = (
        (report.errors, "error", "errors"),
        (report.warnings, "warning", "warnings"),
        (report.infos, "info", "infos"),
    )
    if view.lang == "en":
        return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in counts)
    return ", ".join(f"{view.word(f'severity.{one}')}: {n}" for n, one, _ in counts)


def lint_report_table(report: LintReport, view: View = PLAIN, width: int | None = None) -> str:
    """The findings as a terminal grid (the messages wrapped within ``width`` when given),
    then the counts."""
    if not report.findings:
        return f"{view.word('no-findings')}\n"
    grid = _wrapped_grid(finding_header(view), finding_rows(report.findings, view), width)
    return "\n".join([*grid, _counts(report, view)]) + "\n"


def lint_report_markdown(report: LintReport, view: View = PLAIN) -> str:
    """The findings as a Markdown table under a heading with the counts."""
    lines = [f"## {view.word('lint')}", "", _counts(report, view)]
    if report.findings:
        lines += ["", *_markdown(finding_header(view), finding_rows(report.findings, view))]
    return "\n".join(lines) + "\n"


def lint_report_csv(report: LintReport, view: View = PLAIN) -> str:
    """The findings as CSV: severity, code, scope, target, message."""
    return csv_text([finding_header(view), *finding_rows(report.findings, view)], view)


def diff_table(diff: MatrixDiff, view: View = PLAIN) -> str:
    """A diff for a terminal: the cells that change (activity and role by name, the letter
    before and after, ``·`` for none), each objective term before, after and the change, and
    the lint findings that appear and disappear.

    Examples
    --------
    >>> from models.raci.types import CellChange, Objective
    >>> zero = Objective(total=0, competence=0, workload=0, communication=0, alignment=0)
    >>> one = msgspec.structs.replace(zero, total=1.0, alignment=1.0)
    >>> print(diff_table(MatrixDiff(variant="central", changes=(CellChange("strategy", "ceo",
    ...     "C", None),), before=zero, after=one, delta=one, findings_appear=(),
    ...     findings_disappear=())), end="")
    Central
    <BLANKLINE>
    Cells that change
    Activity  Role  Before  After
    --------  ----  ------  -----
    strategy  ceo   C       ·
    <BLANKLINE>
    Term           Before  After  Change
    -------------  ------  -----  ------
    total          0       1      +1
    competence     0       0      0
    workload       0       0      0
    communication  0       0      0
    alignment      0       1      +1
    consultation   0       0      0
    staffing       0       0      0
    change         0       0      0
    <BLANKLINE>
    Findings that appear: none
    Findings that disappear: none
    """

    def number(value: float, signed: bool = False) -> str:
        return f"{value:+.4g}" if signed and value else f"{value:.4g}"

    changes = [
        [view.row(c.activity), view.role(c.role), c.before or "·", c.after or "·"]
        for c in diff.changes
    ]
    cells = [view.word(k) for k in ("activity", "role", "before", "after")]
    lines = [view.variant(diff.variant), "", view.word("diff.changes")]
    lines += _grid(cells, changes) if changes else [view.word("diff.none")]
    terms = [f.name for f in msgspec.structs.fields(diff.before)]
    rows = [
        [
            view.word(f"term.{t}"),
            number(getattr(diff.before, t)),
            number(getattr(diff.after, t)),
            number(getattr(diff.delta, t), signed=True),
        ]
        for t in terms
    ]
    lines += ["", *_grid([view.word(k) for k in ("term", "before", "after", "delta")], rows)]
    lines.append("")
    for key, findings in (
        ("diff.appear", diff.findings_appear),
        ("diff.disappear", diff.findings_disappear),
    ):
        if findings:
            lines += [
                f"{view.word(key)}:",
                *_grid(finding_header(view), finding_rows(findings, view)),
            ]
        else:
            lines.append(f"{view.word(key)}: {view.word('diff.none')}")
    return "\n".join(lines) + "\n"
