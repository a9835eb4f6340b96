"""The colours of Gremium's outputs for people: one palette for every picture, workbook and
slide, so a letter looks the same wherever a client meets it.

:data:`PALETTE` gives each RACI letter its fill and font colour (accountable warm, consulted
and informed cool, consent — a veto — violet; every font contrasts with its fill by at least
4.5:1, WCAG AA). The workbooks' conditional formats (:mod:`models.raci.workbook`), the
heatmap (:mod:`models.raci.picture`) and the deck's tables (:mod:`models.governance.deck`)
read it; :data:`POSITIONS` colours a stakeholder's position from against to for in the
discussion's pictures, red to blue like the palette's warm and cool.

>>> PALETTE["S"], rgb("#762A83")
(('#762A83', '#FFFFFF'), (118, 42, 131))
"""

from __future__ import annotations

from models.core import Letter

PALETTE: dict[Letter, tuple[str, str]] = {
    "A/R": ("#A50026", "#FFFFFF"),
    "A": ("#D73027", "#FFFFFF"),
    "R": ("#FDAE61", "#000000"),
    "C": ("#74ADD1", "#000000"),
    "I": ("#E0F3F8", "#000000"),
    "S": ("#762A83", "#FFFFFF"),
}
#: an empty cell, a grid line, secondary text, a header's fill
EMPTY, GRID, MUTED, HEADER = "#FFFFFF", "#BFBFBF", "#595959", "#F2F2F2"
#: a matplotlib colour map of positions, 0 (against, red) to 1 (for, blue)
POSITIONS = "RdYlBu"
#: where the recommended model holds, in the picture of its stability
WINNER = "#2166AC"


def rgb(colour: str) -> tuple[int, int, int]:
    """A ``#RRGGBB`` colour as its red, green and blue bytes."""
    value = int(colour.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF
