"""The discussion's pictures read back from their SVG: panels titled by issue names, the
threshold labelled, a size bounded however many issues, every stakeholder in the network,
the same bytes every time."""

from __future__ import annotations

import doctest
import re
import xml.etree.ElementTree as ET

import msgspec
import pytest

from models.discussion import picture
from models.discussion.codec import decode_discussion
from models.discussion.picture import issue_name, network_picture, trajectory_picture
from models.discussion.simulation import simulate
from models.discussion.types import Discussion, Stakeholder
from models.figures import MAX_INCHES
from models.labels import label
from service.library import load_builtin

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def builtins() -> dict[str, Discussion]:
    return load_builtin("discussion", decode_discussion)


def texts(svg: bytes) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(svg).iter(f"{SVG}text")]


def inches(svg: bytes) -> tuple[float, float]:
    root = ET.fromstring(svg)
    width, height = (float(root.attrib[k].removesuffix("pt")) / 72 for k in ("width", "height"))
    return width, height


def test_the_docstrings_examples_hold() -> None:
    assert doctest.testmod(picture).failed == 0


def test_panels_are_titled_by_issue_names_and_the_threshold_is_labelled(
    builtins: dict[str, Discussion],
) -> None:
    discussion = builtins["mittelstand-manufacturer"]
    result = simulate(discussion)
    assert result.decision is not None
    for lang in ("en", "de"):
        strings = texts(trajectory_picture(discussion, result, "svg", lang))
        for issue in discussion.issues:
            assert any(s.startswith(label(f"variant.{issue}", lang)) for s in strings), issue
        assert f"{label('threshold', lang)} {result.decision.threshold:g}" in strings
        verdict = "proposal-passes" if result.decision.passes else "proposal-fails"
        assert f"({label(verdict, lang)})" in strings
        assert {s.name for s in discussion.stakeholders} <= set(strings)
        assert label("round", lang) in strings
    debate = builtins["csmo-debate"]
    strings = texts(trajectory_picture(debate, simulate(debate), "svg"))
    assert "Appoint a Chief Social Media Officer" in strings  # the proposal's description
    assert "Reports to board" in strings  # an issue without a name, in words
    assert issue_name(debate, "appoint-csmo") == "Appoint a Chief Social Media Officer"


def test_many_issues_wrap_into_a_grid_of_bounded_size(builtins: dict[str, Discussion]) -> None:
    people = tuple(
        Stakeholder(id=f"p{i}", name=f"Person {i}", role="x", positions=(i / 30,) * 12)
        for i in range(30)
    )
    issues = tuple(f"issue-{k}" for k in range(12))
    many = Discussion(id="many", name="Many issues", issues=issues, stakeholders=people)
    svg = trajectory_picture(many, simulate(many), "svg")
    width, height = inches(svg)
    assert width <= 3 * 4.4 + 3.0
    assert height <= MAX_INCHES[1]
    strings = texts(svg)
    assert {f"Issue {k}" for k in range(12)} <= set(strings)
    assert f"+ 10 {label('more-stakeholders')}" in strings  # 20 in the legend, the rest counted
    few = builtins["non-profit"]
    one_row = inches(trajectory_picture(few, simulate(few), "svg"))
    assert one_row[1] < height


def test_pdf_and_png() -> None:
    discussion = load_builtin("discussion", decode_discussion)["csmo-ceo"]
    result = simulate(discussion)
    assert trajectory_picture(discussion, result, "pdf").startswith(b"%PDF")
    assert network_picture(discussion, result, "png").startswith(b"\x89PNG")


def test_the_network_names_everyone_and_is_drawn_the_same_way_every_time(
    builtins: dict[str, Discussion],
) -> None:
    discussion = builtins["csmo-ceo"]
    result = simulate(discussion)
    first = network_picture(discussion, result, "svg", "de")
    assert first == network_picture(discussion, result, "svg", "de")
    strings = texts(first)
    squashed = re.sub(r"\s+", "", "".join(strings))
    for person in discussion.stakeholders:
        assert re.sub(r"\s+", "", person.name) in squashed
    assert result.decision is not None
    issue = issue_name(discussion, result.decision.issue, "de")
    assert f"{label('final-position', 'de')} {issue}" in strings
    # who sways whom: an arrow per pair that listens, none for a pair that does not
    silent = msgspec.structs.replace(discussion, network=msgspec.structs.replace(
        discussion.network, reporting=(), collaboration=(), trust=(), raci=None))  # fmt: skip
    arrows = first.count(b'<g id="patch')
    alone = network_picture(silent, simulate(silent), "svg").count(b'<g id="patch')
    assert alone < arrows
