"""A recommendation as a slide deck (python-pptx, 16:9): what a consultant puts in front of
the client.

Slides, in order (:func:`recommendation_deck`):

1. **Title**: the organisation, what the deck answers, the recommended model.
2. **Recommendation**: the summary sentence and the ranking (rank, model, fit, score, status).
3. **Trade-offs**: what the recommended model gives and costs against each other one, and the
   picture of the score's parts and the weight ranges where it holds
   (:func:`models.governance.picture.recommendation_picture`).
4. **One slide per governance model** — each solved model when the solve results are given,
   else the recommended one and the models of the staged path — with its matrix as a table:
   roles as columns by name, activities as rows by name (per-unit rows as "<activity>
   (<unit>)"), each letter on its fill from :data:`models.palette.PALETTE`, the colours of
   the workbook and the heatmap, and a legend of the letters used. A matrix larger than a
   slide is split: by rows when the rows' wrapped names outgrow :data:`TABLE_HEIGHT`, by
   columns beyond :data:`MAX_ROLES` roles, each part repeating the header row and the name
   column and saying which part it is. A model without a matrix gets its verdict and
   diagnosis instead.
5. **The discussion** (with a simulation): the trajectories
   (:func:`models.discussion.picture.trajectory_picture`) and who sways whom
   (:func:`models.discussion.picture.network_picture`).
6. **The briefing plan** (with an intervention): per strategy (least effort, the sandwich)
   its status, probability and whom to brief from what position to what.

Sizes are chosen for a 13-role matrix to be read at 16:9 from the back of a room: names 10
pt, letters 11 pt bold, role names 9 pt in the header; :data:`FONTS` shrinks them for wider
parts (up to :data:`MAX_ROLES` columns). Labels come from :mod:`models.labels` in the view's
language, names from the scenario as written.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.table import _Cell
from pptx.util import Emu, Inches, Pt

from models.core import LETTERS, Letter, Matrix
from models.discussion.picture import issue_name, network_picture, trajectory_picture
from models.discussion.types import Chance, Discussion, InterventionResult, Plan, SimulationResult
from models.palette import EMPTY, HEADER, MUTED, PALETTE, rgb
from models.raci.render import View, grouped, role_order, why_no_matrix
from models.raci.types import Scenario, SolveResult, Variant

from .picture import recommendation_picture
from .render import fit_label
from .types import Recommendation

WIDTH, HEIGHT = 13.333, 7.5  # inches: 16:9
MARGIN = 0.4
TITLE_TOP, TITLE_HEIGHT = 0.25, 0.8
BODY_TOP = 1.15
#: inches a matrix table may take (the legend goes below it)
TABLE_HEIGHT = HEIGHT - BODY_TOP - 0.75
NAME_COLUMN = 3.0  # inches: the activity names
MAX_ROLES = 14
#: (names, letters, header) font sizes in points by the number of role columns on a slide
FONTS = ((10, (10.0, 11.0, 9.0)), (14, (9.0, 10.0, 8.0)))
MIN_HEADER = 6.5
LINE = 1.25  # a line's height as a multiple of the font size
CELL_MARGIN = 0.04  # inches of padding inside a cell
AVERAGE_CHAR = 0.52  # the width of an average character as a multiple of the font size
BOLD_CHAR = 0.62  # the same in bold, as the header is


@dataclass(frozen=True)
class Part:
    """One slide's share of a matrix: its rows and roles, which part it is of how many."""

    rows: list[str]
    roles: list[str]
    number: int
    parts: int


def _colour(hex_colour: str) -> RGBColor:
    """A palette colour as python-pptx takes it."""
    return RGBColor(*rgb(hex_colour))  # type: ignore[no-untyped-call]  # untyped in python-pptx


def _lines(text: str, inches: float, points: float, char: float = AVERAGE_CHAR) -> int:
    """How many lines ``text`` wraps to in a cell ``inches`` wide at ``points`` (estimated
    from the average character width ``char``, rounded up per word)."""
    per_line = max(1, int((inches - 2 * CELL_MARGIN) * 72 / (points * char)))
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
        lines += (len(word) - 1) // per_line  # a word longer than a line breaks
    return lines


def _height(lines: int, points: float) -> float:
    return lines * points * LINE / 72 + CELL_MARGIN


def fonts(roles: Sequence[str], view: View) -> tuple[float, float, float]:
    """The names', letters' and header's font sizes for a slide of these role columns: by
    their number (:data:`FONTS`), the header's smaller still, down to :data:`MIN_HEADER`,
    until the longest word of a role's name fits its column (no word broken in two)."""
    sizes = next((s for most, s in FONTS if len(roles) <= most), FONTS[-1][1])
    names, letters, header = sizes
    room = (column_width(len(roles)) - 2 * CELL_MARGIN) * 72 / BOLD_CHAR
    longest = max((len(w) for r in roles for w in view.role(r).split()), default=1)
    return names, letters, max(MIN_HEADER, min(header, room / longest))


def column_width(roles: int) -> float:
    """The width in inches of each role's column on a slide of ``roles`` columns."""
    return (WIDTH - 2 * MARGIN - NAME_COLUMN) / max(roles, 1)


def parts(matrix: Matrix, roles: Sequence[str], view: View) -> list[Part]:
    """The matrix split into slides: columns into even groups of at most :data:`MAX_ROLES`,
    then each group's rows into the fewest slides of near-equal row counts whose estimated
    height fits :data:`TABLE_HEIGHT` (wrapped names make a row taller)."""
    rows = list(grouped(matrix))
    groups = max(1, math.ceil(len(roles) / MAX_ROLES))
    size = math.ceil(len(roles) / groups) if roles else 0
    column_groups = [list(roles[i : i + size]) for i in range(0, len(roles), size)] or [[]]
    found: list[tuple[list[str], list[str]]] = []
    for group in column_groups:
        name_size, _, header_size = fonts(group, view)
        width = column_width(len(group))
        header_lines = max(
            (_lines(view.role(r), width, header_size, BOLD_CHAR) for r in group), default=1
        )
        room = TABLE_HEIGHT - _height(header_lines, header_size)
        tall = [_height(_lines(view.row(row), NAME_COLUMN, name_size), name_size) for row in rows]
        count = 1  # the fewest slides of near-equal row counts on which every slide fits
        while True:
            size = math.ceil(len(rows) / count) if rows else 1
            chunks = [range(i, min(i + size, len(rows))) for i in range(0, len(rows), size)]
            if count >= len(rows) or all(sum(tall[k] for k in c) <= room for c in chunks):
                break
            count += 1
        found += [([rows[k] for k in chunk], group) for chunk in chunks or [range(0)]]
    return [Part(r, g, n, len(found)) for n, (r, g) in enumerate(found, start=1)]


class Deck:
    """A presentation being written: 16:9, a title on every slide, the view's language."""

    def __init__(self, view: View) -> None:
        self.view = view
        self.presentation = Presentation()
        self.presentation.slide_width = Inches(WIDTH)
        self.presentation.slide_height = Inches(HEIGHT)

    def slide(self, title: str) -> Slide:
        """A new slide with ``title`` across its top (the layout's title placeholder, so the
        outline and screen readers see it)."""
        slide: Slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[5])
        shape = slide.shapes.title
        assert shape is not None
        shape.left, shape.top = Inches(MARGIN), Inches(TITLE_TOP)
        shape.width, shape.height = Inches(WIDTH - 2 * MARGIN), Inches(TITLE_HEIGHT)
        shape.text = title
        frame = shape.text_frame
        frame.word_wrap = True
        paragraph = frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.LEFT
        paragraph.font.size = Pt(26)
        paragraph.font.bold = True
        return slide

    def text(
        self,
        slide: Slide,
        lines: Sequence[str],
        top: float,
        height: float,
        size: float = 14,
        left: float = MARGIN,
        width: float = WIDTH - 2 * MARGIN,
        colour: str | None = None,
    ) -> None:
        """``lines`` as paragraphs in a box at ``top`` inches, ``height`` inches tall."""
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for number, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
            paragraph.text = line
            paragraph.font.size = Pt(size)
            paragraph.space_after = Pt(size * 0.4)
            if colour is not None:
                paragraph.font.color.rgb = _colour(colour)

    def picture(self, slide: Slide, content: bytes, top: float = BODY_TOP) -> None:
        """A PNG scaled to fit below the title, centred, its aspect kept."""
        image = slide.shapes.add_picture(io.BytesIO(content), Inches(MARGIN), Inches(top))
        room_w, room_h = Inches(WIDTH - 2 * MARGIN), Inches(HEIGHT - top - 0.2)
        scale = min(room_w / image.width, room_h / image.height)
        image.width, image.height = Emu(int(image.width * scale)), Emu(int(image.height * scale))
        image.left = Emu(int((Inches(WIDTH) - image.width) / 2))

    def table(
        self,
        slide: Slide,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        size: float = 12,
        top: float = BODY_TOP,
        left: float = MARGIN,
    ) -> None:
        """A plain table: a grey bold header row, then ``rows``, columns ``widths`` inches."""
        shape = slide.shapes.add_table(
            len(rows) + 1,
            len(header),
            Inches(left),
            Inches(top),
            Inches(sum(widths)),
            Inches(0.3 * (len(rows) + 1)),
        )
        table = shape.table
        table.first_row = table.horz_banding = False  # the style's white header font
        for column, width in enumerate(widths):
            table.columns[column].width = Inches(width)
        for r, cells in enumerate([header, *rows]):
            for column, value in enumerate(cells):
                self._cell(
                    table.cell(r, column),
                    value,
                    size,
                    bold=r == 0,
                    fill=HEADER if r == 0 else EMPTY,
                )

    def _cell(
        self,
        cell: _Cell,
        value: str,
        size: float,
        bold: bool = False,
        fill: str = EMPTY,
        ink: str = "#000000",
        centre: bool = False,
    ) -> None:
        cell.fill.solid()  # type: ignore[no-untyped-call]
        cell.fill.fore_color.rgb = _colour(fill)
        paragraph = cell.text_frame.paragraphs[0]
        # the height of an empty cell counts too: its margins, and its font (else the
        # template's 18 pt); the rest does not matter without text (most cells)
        cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN / 2)
        if not value:
            paragraph.font.size = Pt(size)
            return
        cell.margin_left = cell.margin_right = Inches(CELL_MARGIN)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph.alignment = PP_ALIGN.CENTER if centre else PP_ALIGN.LEFT
        # the run's own properties, not the paragraph's defaults (which some viewers ignore)
        run = paragraph.add_run()
        run.text = value
        run.font.size = Pt(size)
        run.font.bold = bold
        if ink != "#000000":  # black is the default; setting a colour is the slowest step
            run.font.color.rgb = _colour(ink)

    def matrix(self, title: str, matrix: Matrix, roles: Sequence[str]) -> None:
        """The matrix as coloured tables, one slide per :func:`parts` part, with a legend."""
        view = self.view
        used = [x for x in LETTERS if any(x in row.values() for row in matrix.values())]
        for part in parts(matrix, roles, view):
            heading = title
            if part.parts > 1:
                heading += f" ({part.number}/{part.parts})"
            slide = self.slide(heading)
            name_size, letter_size, header_size = fonts(part.roles, view)
            width = column_width(len(part.roles))
            shape = slide.shapes.add_table(
                len(part.rows) + 1,
                len(part.roles) + 1,
                Inches(MARGIN),
                Inches(BODY_TOP),
                Inches(NAME_COLUMN + width * len(part.roles)),
                Inches(TABLE_HEIGHT),
            )
            table = shape.table
            table.first_row = table.horz_banding = False  # the style's white header font
            table.columns[0].width = Inches(NAME_COLUMN)
            for column in range(1, len(part.roles) + 1):
                table.columns[column].width = Inches(width)
            header_lines = max(
                (_lines(view.role(r), width, header_size, BOLD_CHAR) for r in part.roles),
                default=1,
            )
            table.rows[0].height = Inches(_height(header_lines, header_size))
            self._cell(table.cell(0, 0), view.word("activity"), header_size, True, HEADER)
            for column, role in enumerate(part.roles, start=1):
                self._cell(
                    table.cell(0, column), view.role(role), header_size, True, HEADER, centre=True
                )
            for r, row in enumerate(part.rows, start=1):
                name = view.row(row)
                lines = _lines(name, NAME_COLUMN, name_size)
                table.rows[r].height = Inches(_height(lines, name_size))
                self._cell(table.cell(r, 0), name, name_size)
                for column, role in enumerate(part.roles, start=1):
                    letter = matrix[row].get(role)
                    fill, ink = PALETTE[letter] if letter else (EMPTY, "#000000")
                    self._cell(
                        table.cell(r, column), letter or "", letter_size, True, fill, ink, True
                    )
            self.legend(slide, used)

    def legend(self, slide: Slide, letters: Sequence[Letter]) -> None:
        """The letters used, each on its fill, with their meaning, along the slide's foot."""
        top, left = HEIGHT - 0.55, MARGIN
        step = (WIDTH - 2 * MARGIN) / 3
        for number, letter in enumerate(letters):
            row, column = divmod(number, 3)
            x, y = left + column * step, top + row * 0.24
            fill, ink = PALETTE[letter]
            swatch = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(0.45), Inches(0.22))
            swatch.fill.solid()
            swatch.fill.fore_color.rgb = _colour(fill)
            paragraph = swatch.text_frame.paragraphs[0]
            paragraph.text = letter
            paragraph.alignment = PP_ALIGN.CENTER
            paragraph.font.size, paragraph.font.bold = Pt(9), True
            paragraph.font.color.rgb = _colour(ink)
            swatch.text_frame.margin_top = swatch.text_frame.margin_bottom = 0
            meaning = self.view.word(f"letter.{letter}")
            self.text(slide, [meaning], y - 0.04, 0.24, 9, x + 0.5, step - 0.55, MUTED)

    def close(self) -> bytes:
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()


# --------------------------------------------------------------------------- slides


def title_slide(deck: Deck, recommendation: Recommendation) -> None:
    view = deck.view
    slide = deck.presentation.slides.add_slide(deck.presentation.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    assert title is not None
    title.left, title.top = Inches(MARGIN), Inches(2.2)
    title.width, title.height = Inches(WIDTH - 2 * MARGIN), Inches(1.4)
    title.text = view.scenario or recommendation.scenario
    subtitle.left, subtitle.top = Inches(MARGIN), Inches(3.8)
    subtitle.width, subtitle.height = Inches(WIDTH - 2 * MARGIN), Inches(1.4)
    lines = [view.word("deck-subtitle")]
    if recommendation.recommended is not None:
        lines.append(f"{view.word('recommended')}: {view.variant(recommendation.recommended)}")
    subtitle.text_frame.text = "\n".join(lines)


def ranking_slide(deck: Deck, recommendation: Recommendation) -> None:
    view = deck.view
    slide = deck.slide(view.word("recommended"))
    deck.text(slide, [recommendation.summary], BODY_TOP, 1.3, 16)
    header = [view.word(k) for k in ("rank", "model", "fit", "score", "status")]
    rows = [
        [
            str(e.rank),
            view.variant(e.variant),
            fit_label(e, view),
            "–" if e.score is None else f"{e.score.total:.2f}",
            view.word(f"status.{e.status}"),
        ]
        for e in recommendation.ranking
    ]
    deck.table(slide, header, rows, [1.0, 3.0, 2.4, 1.4, 2.6], 14, BODY_TOP + 1.5)


def trade_off_slide(deck: Deck, recommendation: Recommendation) -> None:
    view = deck.view
    slide = deck.slide(view.word("trade-offs"))
    sentences = list(recommendation.trade_offs) or [recommendation.summary]
    size = 12 if len(sentences) <= 3 else 10
    deck.text(slide, [f"• {s}" for s in sentences], BODY_TOP - 0.1, 2.0, size)
    deck.picture(slide, recommendation_picture(recommendation, "png", view), BODY_TOP + 2.0)


def model_slides(
    deck: Deck, recommendation: Recommendation, results: Sequence[SolveResult]
) -> None:
    view = deck.view
    title = view.scenario or recommendation.scenario
    if results:
        roles = role_order(recommendation.matrix, view.roles)
        for result in results:
            heading = f"{view.variant(result.variant)} — {title}"
            if result.variant == recommendation.recommended:
                heading = f"★ {heading}"
            if result.matrix:
                deck.matrix(heading, result.matrix, role_order(result.matrix, roles))
                continue
            slide = deck.slide(heading)
            deck.text(slide, why_no_matrix(result, view), BODY_TOP, HEIGHT - BODY_TOP - 0.3, 13)
        return
    shown: dict[Variant, Matrix] = {}
    if recommendation.path is not None:
        shown.update((stage.variant, stage.matrix) for stage in recommendation.path.stages)
    if recommendation.recommended is not None:
        shown[recommendation.recommended] = recommendation.matrix
    for variant, matrix in shown.items():
        star = "★ " if variant == recommendation.recommended else ""
        heading = f"{star}{view.variant(variant)} — {title}"
        deck.matrix(heading, matrix, role_order(matrix, view.roles))


def discussion_slides(
    deck: Deck, discussion: Discussion | None, simulation: SimulationResult | None
) -> None:
    if discussion is None or simulation is None:
        return
    view = deck.view
    slide = deck.slide(f"{view.word('discussion')}: {discussion.name}")
    trajectories = trajectory_picture(discussion, simulation, "png", view.lang, columns=2)
    deck.picture(slide, trajectories)
    slide = deck.slide(view.word("network"))
    deck.picture(slide, network_picture(discussion, simulation, "png", view.lang))


def _chance(odds: Chance) -> str:
    low, high = odds.interval
    return f"P = {odds.probability:.0%} (95 %: {low:.0%}–{high:.0%})"


def _plan_rows(plan: Plan, names: dict[str, str]) -> list[list[str]]:
    return [
        [
            names.get(m.stakeholder, m.stakeholder),
            f"{m.before:.2f} → {m.after:.2f}",
            f"{m.effort:.2f}",
        ]
        for m in plan.moves
    ]


def briefing_slide(
    deck: Deck, discussion: Discussion | None, plan: InterventionResult | None
) -> None:
    if discussion is None or plan is None:
        return
    view = deck.view
    names = {s.id: s.name for s in discussion.stakeholders}
    issue = issue_name(discussion, plan.issue, view.lang)
    slide = deck.slide(f"{view.word('briefing')}: {issue}")
    base = plan.baseline_probability
    deck.text(
        slide,
        [f"{view.word('without-briefing')}: {_chance(base)}"],
        BODY_TOP,
        0.5,
        14,
    )
    header = [view.word("stakeholder"), view.word("from-to"), view.word("effort")]
    half = (WIDTH - 2 * MARGIN - 0.4) / 2
    for number, strategy in enumerate((plan.least_effort, plan.sandwich)):
        left = MARGIN + number * (half + 0.4)
        chance = strategy.remeasured or strategy.probability
        odds = "" if chance is None else f" — {_chance(chance)}"
        deck.text(
            slide,
            [
                f"{view.word(f'strategy.{strategy.strategy}')}: {strategy.status}{odds}",
                strategy.message,
            ],
            BODY_TOP + 0.6,
            1.3,
            12,
            left,
            half,
        )
        rows = _plan_rows(strategy, names)
        if rows:
            widths = [half * 0.5, half * 0.3, half * 0.2]
            deck.table(slide, header, rows, widths, 12, BODY_TOP + 2.0, left)


SLIDES = (title_slide, ranking_slide, trade_off_slide)


def recommendation_deck(
    recommendation: Recommendation,
    scenario: Scenario | None = None,
    view: View | None = None,
    results: Sequence[SolveResult] = (),
    discussion: Discussion | None = None,
    simulation: SimulationResult | None = None,
    plan: InterventionResult | None = None,
) -> bytes:
    """The deck of a recommendation (module docstring), as the bytes of a .pptx file.

    ``results``: every model's solve (in the order to show them); without them the deck shows
    the matrices the recommendation holds (the recommended model's and its path's).
    ``discussion`` with its ``simulation`` adds the discussion's slides, with ``plan`` the
    briefing plan's. Names from ``scenario`` (``view`` overrides them and sets the language).
    """
    deck = Deck(view or View.of(scenario))
    deck.presentation.core_properties.title = deck.view.scenario or recommendation.scenario
    deck.presentation.core_properties.language = deck.view.lang
    for slide in SLIDES:
        slide(deck, recommendation)
    model_slides(deck, recommendation, results)
    discussion_slides(deck, discussion, simulation)
    briefing_slide(deck, discussion, plan)
    return deck.close()
