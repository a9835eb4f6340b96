"""The RACI heatmap read back by independent readers: an XML parser for the SVG (names, letters,
fill colours), the PNG's own header and pixels (matplotlib.image), the PDF's header."""

from __future__ import annotations

import doctest
import io
import re
import struct
import xml.etree.ElementTree as ET
from collections import Counter

import numpy as np
import pytest
from matplotlib import image

from models import figures, palette
from models.core import LETTERS, Matrix
from models.figures import DPI, MAX_INCHES
from models.palette import PALETTE, rgb
from models.raci import picture
from models.raci.codec import decode_scenario
from models.raci.picture import matrix_picture
from models.raci.render import View
from models.raci.types import Scenario, SolveOptions, SolveResult
from service.jobs import solve_variants

from .test_workbook import CLASH

FAST = SolveOptions(time_limit=10, alternatives_seconds=0.0, explain=False)
SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: bytes) -> list[str]:
    """Every text element's text, as a viewer shows it (tspans joined)."""
    root = ET.fromstring(svg)
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def squashed(strings: list[str]) -> str:
    """All text without whitespace: a wrapped name is found whatever its line breaks."""
    return re.sub(r"\s+", "", "".join(strings))


def fills(svg: bytes) -> Counter[str]:
    """How many shapes each fill colour paints (matplotlib writes ``fill: #rrggbb``)."""
    return Counter(m.decode().upper() for m in re.findall(rb"fill: ?(#[0-9a-fA-F]{6})", svg))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


@pytest.fixture(scope="module")
def hub(builtin: dict[str, Scenario]) -> tuple[Scenario, SolveResult]:
    scenario = builtin["mittelstand-manufacturer"]
    [result] = solve_variants(scenario, ("hub-and-spoke",), FAST)
    return scenario, result


def test_the_docstrings_examples_hold() -> None:
    for module in (picture, palette, figures):
        assert doctest.testmod(module).failed == 0


def test_svg_names_every_role_and_row_and_writes_each_letter_in_its_colour(
    hub: tuple[Scenario, SolveResult],
) -> None:
    scenario, result = hub
    svg = matrix_picture(result, "svg", View.of(scenario))
    strings = texts(svg)
    every = squashed(strings)
    names = {r.id: r.name for r in scenario.roles}
    used_roles = {role for row in result.matrix.values() for role in row}
    for role in used_roles:
        assert re.sub(r"\s+", "", names[role]) in every
    units = [r for r in scenario.roles if r.kind == "business_unit"]
    content = next(a.name for a in scenario.activities if a.id == "content")
    for unit in units:  # a unit's own row, by name
        assert re.sub(r"\s+", "", f"{content} ({unit.name})") in every
    # ids that no name contains (a wrapped "Product marketing" shows the word "marketing")
    spelled = " ".join(r.name.lower() for r in scenario.roles)
    ids = {r.id for r in scenario.roles if r.id not in spelled}
    assert {"bu-residential", "works-council"} <= ids
    assert not ids & {word for s in strings for word in s.split()}
    letters = Counter(letter for row in result.matrix.values() for letter in row.values())
    written = Counter(s for s in strings if s in LETTERS)
    assert written == letters  # one text per cell, nothing else bare
    painted = fills(svg)
    for letter, count in letters.items():
        assert painted[PALETTE[letter][0]] == count + 1  # the cells and the legend's swatch
    assert letters["S"] > 0  # the works council's consent is drawn
    assert f"S = {View().word('letter.S')}" in strings
    assert f"{scenario.profile.name} — Hub-and-spoke" in strings


def test_png_has_the_palette_colours_of_its_letters_and_no_others(
    hub: tuple[Scenario, SolveResult],
) -> None:
    scenario, result = hub
    data = matrix_picture(result, "png", View.of(scenario))
    width, height = png_size(data)
    assert 600 < width <= MAX_INCHES[0] * DPI
    assert 400 < height <= MAX_INCHES[1] * DPI
    pixels = (image.imread(io.BytesIO(data), format="png")[..., :3] * 255).round().astype(int)
    used = {letter for row in result.matrix.values() for letter in row.values()}
    for letter in LETTERS:
        colour = np.array(rgb(PALETTE[letter][0]))
        count = int(np.all(pixels == colour, axis=-1).sum())
        if letter in used:
            assert count > 500, letter  # whole cells, not an anti-aliased edge
        else:
            assert count == 0, letter


def test_pdf_and_bytes_that_do_not_change(hub: tuple[Scenario, SolveResult]) -> None:
    scenario, result = hub
    view = View.of(scenario, "de")
    assert matrix_picture(result, "pdf", view).startswith(b"%PDF")
    first = matrix_picture(result, "svg", view)
    assert first == matrix_picture(result, "svg", view)
    assert "Legende" in texts(first)


def test_a_model_without_a_matrix_is_a_note_with_its_diagnosis(
    builtin: dict[str, Scenario],
) -> None:
    non_profit = builtin["non-profit"]
    [absent] = solve_variants(non_profit, ("hub-and-spoke",), FAST)
    strings = squashed(texts(matrix_picture(absent, "svg", View.of(non_profit))))
    assert re.sub(r"\s+", "", f"not-applicable: {absent.message}") in strings
    clash = decode_scenario(CLASH, "yaml")
    [infeasible] = solve_variants(clash, ("central",), FAST)
    assert infeasible.diagnosis is not None
    svg = matrix_picture(infeasible, "svg", View.of(clash))
    strings = squashed(texts(svg))
    assert "infeasible:nomatrixsatisfieseveryhardrule" in strings
    assert re.sub(r"\s+", "", infeasible.diagnosis.summary) in strings
    assert "Droptherule" in strings
    assert not {PALETTE[x][0] for x in LETTERS} & set(fills(svg))


def test_a_huge_matrix_stays_within_the_size_limit() -> None:
    roles = [f"role-{i}" for i in range(30)]
    matrix: Matrix = {
        f"activity-{k}": {role: LETTERS[(k + i) % len(LETTERS)] for i, role in enumerate(roles)}
        for k in range(400)
    }
    width, height = png_size(matrix_picture(matrix, "png"))
    assert width <= MAX_INCHES[0] * DPI
    assert height <= MAX_INCHES[1] * DPI
