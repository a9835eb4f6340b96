"""The recommendation's slide deck read back by python-pptx, and its picture by an XML parser:
slides, names and letters in the tables, their fills, splits of a large matrix, German."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import Any

import msgspec
import pytest
from pptx import Presentation
from pptx.util import Emu

from models.core import LETTERS, Matrix
from models.discussion.codec import decode_discussion
from models.discussion.types import Discussion
from models.governance.deck import MAX_ROLES, TABLE_HEIGHT, fonts, parts, recommendation_deck
from models.governance.picture import recommendation_picture
from models.governance.types import Recommendation, Stability, WeightRange
from models.labels import label
from models.palette import PALETTE
from models.raci.codec import decode_scenario
from models.raci.render import View, grouped
from models.raci.types import Scenario, SolveOptions, SolveResult
from service.jobs import deck_body, recommend_results
from service.library import load_builtin

SCENARIO = "mittelstand-manufacturer"
OPTIONS = SolveOptions(time_limit=10, explain=False)
SVG = "{http://www.w3.org/2000/svg}"
Solved = tuple[Scenario, Discussion, Recommendation, tuple[SolveResult, ...]]


@pytest.fixture(scope="module")
def solved() -> Solved:
    scenario = load_builtin("raci", decode_scenario)[SCENARIO]
    discussion = load_builtin("discussion", decode_discussion)[SCENARIO]
    recommendation, results = recommend_results(scenario, OPTIONS, discussion)
    return scenario, discussion, recommendation, results


@pytest.fixture(scope="module")
def deck(solved: Solved) -> Any:
    scenario, discussion, recommendation, results = solved
    data = deck_body(recommendation, scenario, discussion, OPTIONS, 1e12, "en", results)
    return Presentation(io.BytesIO(data))


def title(slide: Any) -> str:
    return str(slide.shapes.title.text_frame.text)


def tables(slide: Any) -> list[Any]:
    return [shape.table for shape in slide.shapes if shape.has_table]


def grid(table: Any) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def fill(cell: Any) -> str:
    return f"#{cell.fill.fore_color.rgb}"


def matrix_of(
    slides: list[Any], rows_by_name: dict[str, str], roles_by_name: dict[str, str]
) -> Matrix:
    """The matrix the tables of ``slides`` show, read back by names (rows and roles); each
    letter's cell filled with its palette colour."""
    found: Matrix = {}
    for slide in slides:
        [table] = tables(slide)
        cells = grid(table)
        roles = [roles_by_name[name] for name in cells[0][1:]]
        for r, line in enumerate(cells[1:], start=1):
            row = rows_by_name[line[0]]
            for column, (role, letter) in enumerate(zip(roles, line[1:], strict=True), 1):
                if letter:
                    assert letter in LETTERS
                    found.setdefault(row, {})[role] = letter  # type: ignore[assignment]
                    cell = table.cell(r, column)
                    assert fill(cell) == PALETTE[letter][0]  # type: ignore[index]
                else:
                    found.setdefault(row, {})
    return found


def test_slides_in_order_with_every_model_and_the_discussion(deck: Any, solved: Solved) -> None:
    scenario, discussion, recommendation, results = solved
    titles = [title(slide) for slide in deck.slides]
    organisation = scenario.profile.name
    assert titles[0] == organisation
    assert titles[1:3] == [label("recommended"), label("trade-offs")]
    for result in results:
        model = label(f"variant.{result.variant}")
        assert any(f"{model} — {organisation}" in t for t in titles), model
    star = label(f"variant.{recommendation.recommended}")
    assert f"★ {star} — {organisation}" in " ".join(titles)
    assert titles[-3:-1] == [f"{label('discussion')}: {discussion.name}", label("network")]
    assert titles[-1] == f"{label('briefing')}: {star}"
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=1e-3)
    pictures = [s for s in deck.slides if any(sh.shape_type == 13 for sh in s.shapes)]
    assert len(pictures) == 3  # trade-offs, trajectories, network


def test_each_model_table_shows_its_matrix_by_name_in_the_palette(
    deck: Any, solved: Solved
) -> None:
    scenario, _, _, results = solved
    view = View.of(scenario)
    roles_by_name = {view.role(r.id): r.id for r in scenario.roles}
    organisation = scenario.profile.name
    for result in results:
        model = label(f"variant.{result.variant}")
        slides = [s for s in deck.slides if f"{model} — {organisation}" in title(s)]
        if not result.matrix:
            [slide] = slides
            text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
            assert result.message in text
            continue
        rows_by_name = {view.row(row): row for row in result.matrix}
        shown = matrix_of(slides, rows_by_name, roles_by_name)
        assert shown == {row: dict(letters) for row, letters in grouped(result.matrix).items()}


def test_a_twelve_role_matrix_fits_one_slide_at_sixteen_to_nine(deck: Any, solved: Solved) -> None:
    scenario, _, recommendation, _ = solved
    assert len(scenario.roles) == 12
    star = f"★ {label(f'variant.{recommendation.recommended}')}"
    [slide] = [s for s in deck.slides if title(s).startswith(star)]
    [shape] = [sh for sh in slide.shapes if sh.has_table]
    assert shape.left + sum(c.width for c in shape.table.columns) <= deck.slide_width
    assert sum(r.height for r in shape.table.rows) <= Emu(int(TABLE_HEIGHT * 914400))
    letters = [
        run.font.size.pt
        for row in list(shape.table.rows)[1:]
        for cell in list(row.cells)[1:]
        for paragraph in cell.text_frame.paragraphs
        for run in paragraph.runs
    ]
    assert min(letters) >= 10  # legible from the back of the room


def test_thirteen_roles_and_the_catalogues_eighteen_activities_take_one_slide() -> None:
    names = [
        "Chief Social Media Officer", "Executive board", "CIO / IT", "Marketing",
        "Corporate communications / PR", "HR", "Legal & compliance", "Works council",
        "Customer service", "Business unit Food", "Business unit Home care",
        "Employee ambassadors", "Digital agency",
    ]  # fmt: skip
    roles = {f"r{i}": name for i, name in enumerate(names)}
    activities = [
        "Social-media strategy", "Programme steering and cross-department coordination",
        "Guidelines and policy", "Training and enablement",
        "Rollout of internal social tools and usage scenarios",
        "Account and channel set-up, tool selection", "Content planning and publishing",
        "Campaigns and online PR", "Community management", "Monitoring and listening",
        "Customer service on social channels", "Crisis plan and escalation (one voice)",
        "Legal and risk review", "KPIs and reporting to the board",
        "Recruiting and employer branding", "Works agreement on social-media use",
        "Agency briefing and steering", "Internet access and IT security",
    ]  # fmt: skip
    rows = {f"a{k}": name for k, name in enumerate(activities)}
    view = View(scenario="X", roles=roles, activities=rows)
    matrix: Matrix = {row: {"r0": "A/R", "r7": "S"} for row in rows}
    [part] = parts(matrix, list(roles), view)
    assert len(part.rows) == 18
    assert len(part.roles) == 13
    assert min(fonts(list(roles), view)[:2]) >= 9


def test_a_large_matrix_is_split_with_repeated_headers(solved: Solved) -> None:
    recommendation = solved[2]
    roles = [f"role-{i:02d}" for i in range(31)]
    matrix: Matrix = {
        f"activity-{k:02d}": {
            role: LETTERS[(k * 7 + i) % len(LETTERS)] for i, role in enumerate(roles) if (k + i) % 3
        }
        for k in range(45)
    }
    big = msgspec.structs.replace(recommendation, matrix=matrix, path=None)
    deck = Presentation(io.BytesIO(recommendation_deck(big)))
    model = label(f"variant.{big.recommended}")
    slides = [s for s in deck.slides if model in title(s) and tables(s)]
    assert len(slides) >= 6  # 31 roles: three column groups; 45 rows: at least two slides each
    shown: Matrix = {}
    for number, slide in enumerate(slides, start=1):
        assert title(slide).endswith(f"({number}/{len(slides)})")
        [table] = tables(slide)
        cells = grid(table)
        assert cells[0][0] == label("activity")
        assert 2 <= len(cells[0]) <= MAX_ROLES + 1
        for line in cells[1:]:
            for role, letter in zip(cells[0][1:], line[1:], strict=True):
                if letter:
                    shown.setdefault(line[0], {})[role] = letter  # type: ignore[assignment]
    assert shown == {row: letters for row, letters in matrix.items() if letters}


def test_german_labels(solved: Solved) -> None:
    scenario, _, recommendation, results = solved
    data = recommendation_deck(recommendation, scenario, View.of(scenario, "de"), results)
    deck = Presentation(io.BytesIO(data))
    titles = [title(slide) for slide in deck.slides]
    assert titles[1:3] == ["Empfohlen", "Abwägungen"]
    texts = {
        shape.text_frame.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
    }
    assert "Zustimmung: muss vorher zustimmen" in texts
    first_table = tables(deck.slides[1])[0]
    assert grid(first_table)[0][:2] == ["Rang", "Governance-Modell"]


def svg_texts(svg: bytes) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_recommendation_picture_names_every_model_its_score_and_what_flips_it(
    solved: Solved,
) -> None:
    scenario, _, recommendation, _ = solved
    view = View.of(scenario, "de")
    strings = svg_texts(recommendation_picture(recommendation, "svg", view))
    joined = re.sub(r"\s+", " ", " ".join(strings))
    for entry in recommendation.ranking:
        assert label(f"variant.{entry.variant}", "de") in joined
        if entry.score is not None:
            assert f"{entry.score.total:.2f}" in strings
    assert label("score-by-model", "de") in strings
    assert recommendation.stability is not None
    for weight in recommendation.stability.weights:
        assert label(f"term.{weight.weight}", "de") in strings
    flipping = Stability(
        winner="hub-and-spoke",
        fragile=True,
        summary="",
        weights=(
            WeightRange(weight="workload", low=0.5, high=2.0, flips_to_below="central",
                        flips_to_above="distributed"),
        ),
        profile=(),
        cells=(),
        unchecked=("consultation",),
        method="",
    )  # fmt: skip
    changed = msgspec.structs.replace(recommendation, stability=flipping)
    strings = svg_texts(recommendation_picture(changed, "svg"))
    assert {"flips to Central", "flips to Distributed", "not checked in time"} <= set(strings)
    assert "No single change of the profile flips it." in " ".join(strings)
    png = recommendation_picture(changed, "png")
    assert png.startswith(b"\x89PNG")
