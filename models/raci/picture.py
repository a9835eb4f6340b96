"""A RACI matrix as a picture: a heatmap of its letters, for slides and documents.

:func:`matrix_picture` draws activities as rows and roles as columns, in the order of the
result (:func:`~models.raci.render.in_scenario_order`), with the scenario's names from the
:class:`~models.raci.render.View` (an activity's per-unit rows as "<activity> (<unit>)"),
each cell filled with its letter's colour from :data:`models.palette.PALETTE` — the colours
of the workbook's legend — and the letter written in it (A/R for the lead wearing both hats,
S for a works council's consent); a legend of the letters it uses below, in the view's
language. A result without a matrix (infeasible, not applicable, failed) is drawn as a note:
its verdict and, for an infeasible one, the diagnosis and each fix.

Drawing: the cells are one collection of rectangles; the letters are text (``<text>`` in an
SVG) up to :data:`TEXT_CELLS` of them, beyond that one collection of glyph shapes per letter,
since laying out thousands of text artists takes minutes.

Size: a cell is :data:`CELL` inches (width, height) and the names are wrapped; beyond
:data:`MAX_CELLS` columns or rows the cells and fonts shrink so the picture stays within
:data:`models.figures.MAX_INCHES`, never below :data:`models.figures.MIN_FONT`.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.collections import PatchCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, Rectangle
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from models.core import LETTERS, Matrix
from models.figures import MIN_FONT, PictureFormat, figure, note, note_size, picture, wrap
from models.palette import EMPTY, GRID, MUTED, PALETTE

from .render import PLAIN, View, grouped, objective_line, role_order, verdict, why_no_matrix
from .types import SolveResult

#: a cell's width and height in inches at full size
CELL = (0.78, 0.3)
#: roles (columns) and rows that fit at full size; more shrink the cells
MAX_CELLS = (24, 60)
ROLE_WRAP = 13  # characters per line of a role's name above its column
ROW_WRAP = 46  # characters per line of an activity's name
CHAR_INCHES = 0.068  # the width of an average character at 8.5 pt
#: up to this many letters are SVG text (searchable); beyond, one drawn shape per letter kind
TEXT_CELLS = 3000
BOLD = FontProperties(weight="bold")


def matrix_picture(
    result: SolveResult | Matrix,
    fmt: PictureFormat = "svg",
    view: View = PLAIN,
    roles: Sequence[str] | None = None,
    title: str | None = None,
) -> bytes:
    """The heatmap of a solve result or a matrix (module docstring) as SVG, PNG or PDF bytes.

    ``roles`` orders the columns (default: the result's, then any other role of the
    matrix); ``title`` replaces the result's ("<organisation> — <model>").

    >>> svg = matrix_picture({"strategy": {"ceo": "A", "csmo": "R"}}).decode()
    >>> ">A</text>" in svg and "fill: #d73027" in svg
    True
    """
    if isinstance(result, SolveResult):
        heading = title or f"{view.title(result)} — {view.variant(result.variant)}"
        if not result.matrix:
            lines = why_no_matrix(result, view)
            return picture(note(figure(*note_size(lines)), heading, lines), fmt)
        objective = objective_line(result, view)
        subtitle = [verdict(result, view), *([objective] if objective else [])]
        matrix = result.matrix
        order = role_order(matrix, roles or result.workload)
    else:
        heading, subtitle, matrix = title or view.scenario, [], result
        order = role_order(matrix, roles or view.roles)
    return picture(_heatmap(matrix, order, view, heading, subtitle), fmt)


def _heatmap(
    matrix: Matrix, roles: Sequence[str], view: View, heading: str, subtitle: list[str]
) -> Figure:
    rows = grouped(matrix)
    n, m = max(len(roles), 1), max(len(rows), 1)
    shrink = min(1.0, MAX_CELLS[0] / n, MAX_CELLS[1] / m)
    cell_w, cell_h = CELL[0] * max(shrink, 0.4), CELL[1] * max(shrink, 0.4)
    font = max(MIN_FONT, 8.5 * max(shrink, 0.6))
    role_names = [wrap(view.role(role), ROLE_WRAP) for role in roles]
    row_names = [wrap(view.row(row), ROW_WRAP) for row in rows]
    header_lines = max((name.count("\n") + 1 for name in role_names), default=1)
    longest = max((len(line) for name in row_names for line in name.split("\n")), default=8)
    letters = [x for x in LETTERS if any(x in row.values() for row in rows.values())]

    left = 0.3 + longest * CHAR_INCHES * font / 8.5
    top = 0.55 + 0.25 * (1 + len(subtitle)) + header_lines * font / 72 * 1.4
    bottom = 0.35 + 0.25 * ((len(letters) + 2) // 3)
    width, height = left + n * cell_w + 0.3, top + m * cell_h + bottom
    fig = figure(width, height)
    width, height = fig.get_size_inches()
    axes = fig.add_axes(
        (left / width, bottom / height, 1 - (left + 0.3) / width, 1 - (top + bottom) / height)
    )
    axes.set_xlim(0, n)
    axes.set_ylim(m, 0)
    cells = [
        (i, j, row.get(role)) for i, row in enumerate(rows.values()) for j, role in enumerate(roles)
    ]
    axes.add_collection(
        PatchCollection(
            [Rectangle((j, i), 1, 1) for i, j, _ in cells],
            facecolors=[PALETTE[x][0] if x else EMPTY for _, _, x in cells],
            edgecolors=GRID,
            linewidths=0.6,
        )
    )
    lettered = [(i, j, x) for i, j, x in cells if x]
    if len(lettered) <= TEXT_CELLS:
        for i, j, letter in lettered:
            axes.text(
                j + 0.5,
                i + 0.5,
                letter,
                ha="center",
                va="center",
                color=PALETTE[letter][1],
                fontsize=font,
                fontweight="bold",
            )
    else:  # one collection per letter: thousands of text artists take minutes to lay out
        for letter in letters:
            text = TextPath((0, 0), letter, size=font, prop=BOLD)
            box = text.get_extents()
            glyph = text.transformed(
                Affine2D().translate(-box.x0 - box.width / 2, -box.y0 - box.height / 2)
            )
            axes.add_collection(
                PathCollection(
                    [glyph],
                    offsets=[(j + 0.5, i + 0.5) for i, j, x in lettered if x == letter],
                    offset_transform=axes.transData,
                    transform=Affine2D().scale(fig.dpi / 72),
                    facecolors=PALETTE[letter][1],
                    edgecolors="none",
                )
            )
    axes.xaxis.tick_top()
    axes.set_xticks([j + 0.5 for j in range(len(roles))], role_names, fontsize=font * 0.9)
    axes.set_yticks([i + 0.5 for i in range(len(rows))], row_names, fontsize=font)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    fig.text(0.3 / width, 1 - 0.3 / height, heading, fontsize=13, fontweight="bold", va="top")
    for k, line in enumerate(subtitle, start=1):
        y = 1 - (0.3 + 0.25 * k) / height
        fig.text(0.3 / width, y, wrap(line, 160), fontsize=8.5, color=MUTED, va="top")
    if letters:
        handles = [
            Patch(
                facecolor=PALETTE[x][0], edgecolor=GRID, label=f"{x} = {view.word(f'letter.{x}')}"
            )
            for x in letters
        ]
        fig.legend(
            handles=handles,
            loc="lower left",
            ncols=3,
            frameon=False,
            fontsize=font * 0.95,
            title=view.word("legend"),
            title_fontsize=font,
            alignment="left",
            bbox_to_anchor=(0.3 / width, 0.05 / height),
        )
    return fig
