"""The HTML fragment: one escaped, self-contained section with the ranking and the matrix."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import msgspec
import pytest

from models.governance.render import recommendation_html, stylesheet
from models.governance.types import RankedVariant, Recommendation, Score
from models.palette import PALETTE
from models.raci.render import View

HOSTILE = '<script>alert("x")</script> & "quotes"'
RECOMMENDATION = Recommendation(
    scenario="acme",
    discussion=None,
    recommended="central",
    summary="Recommended for ACME: central — it fits the organisation (regulated), score 4.000.",
    matrix={"strategy": {"csmo": "A/R", "ceo": "C"}, "crisis": {"ceo": "A", "pr": "R"}},
    ranking=(
        RankedVariant(
            variant="central",
            rank=1,
            status="optimal",
            fit="fits",
            evidence=(),
            criteria=None,
            score=Score(
                headroom=0.5,
                spread=0.25,
                competence=0.75,
                consultation=1.0,
                consent=1.0,
                acceptance=0.5,
                total=4.0,
            ),
            reason=HOSTILE,
        ),
        RankedVariant(
            variant="holistic",
            rank=2,
            status="infeasible",
            fit=None,
            evidence=(),
            criteria=None,
            score=None,
            reason="Ranked last.",
        ),
    ),
    trade_offs=("central against holistic: no difference worth naming.",),
)


class Collector(HTMLParser):
    """Tags, attributes and table cells, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.classes: list[str] = []
        self.attributes: set[str] = set()
        self.cells: list[str] = []
        self.cell_attributes: list[dict[str, str | None]] = []
        self.headings: list[str] = []
        self.legend: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._term: list[str] | None = None
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "class" and value:
                self.classes += value.split()
        self._stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []
            self.cell_attributes.append(dict(attrs) | {"tag": tag, "in": self._stack[-3]})
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(tag)
        if tag in ("dt", "dd"):
            self._term = []

    def handle_endtag(self, tag: str) -> None:
        self._stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None
        if tag == "dt" and self._term is not None:
            self.legend.append(("".join(self._term), ""))
        if tag == "dd" and self._term is not None:
            self.legend[-1] = (self.legend[-1][0], "".join(self._term))
        if tag in ("dt", "dd"):
            self._term = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._term is not None:
            self._term.append(data)


def parse(fragment: str) -> Collector:
    collector = Collector()
    collector.feed(fragment)
    collector.close()
    return collector


def test_one_section_without_scripts_or_external_assets() -> None:
    fragment = recommendation_html(RECOMMENDATION, "0123456789abcdef")
    seen = parse(fragment)
    assert fragment.startswith('<section class="gremium-recommendation"')
    assert fragment.endswith("</section>")
    assert seen.tags.count("section") == 1
    assert not {"script", "style", "link", "img", "iframe"} & set(seen.tags)
    assert not {"src", "href", "style"} & seen.attributes
    assert not any(name.startswith("on") for name in seen.attributes)
    assert seen.classes
    assert all(name.startswith("gremium-") for name in seen.classes)
    assert 'data-gremium-id="0123456789abcdef"' in fragment


def test_text_is_escaped_and_reads_back_unchanged() -> None:
    fragment = recommendation_html(RECOMMENDATION, "0123456789abcdef")
    assert "<script" not in fragment
    assert HOSTILE in parse(fragment).cells


def test_tables_hold_the_ranking_and_the_matrix() -> None:
    cells = parse(recommendation_html(RECOMMENDATION, "0123456789abcdef")).cells
    ranking_header = ["Rank", "Governance model", "Status", "Fit", "Score", "headroom", "spread"]
    assert cells[: len(ranking_header)] == ranking_header
    assert cells[13:26] == [
        "1", "Central", "optimal", "fits", "4.000", "0.500", "0.250", "0.750", "1.000",
        "1.000", "0.500", "–", HOSTILE,
    ]  # fmt: skip
    assert cells[26:32] == ["2", "Holistic", "infeasible", "–", "–", "–"]
    # the matrix: roles in order of first appearance, "·" where a role holds no letter
    matrix = cells[39:]
    assert matrix == [
        "Activity", "csmo", "ceo", "pr",
        "strategy", "A/R", "C", "·",
        "crisis", "·", "A", "R",
    ]  # fmt: skip


def test_no_matrix_without_a_recommendation() -> None:
    empty = Recommendation(
        scenario="acme",
        discussion=None,
        recommended=None,
        summary="No governance model has a RACI matrix for ACME; the ranking says why.",
        matrix={},
        ranking=(),
    )
    fragment = recommendation_html(empty, "0123456789abcdef")
    assert "gremium-raci" not in fragment
    assert "gremium-trade-offs" not in fragment
    assert re.search(r"No governance model has a RACI matrix for ACME", fragment)


def test_the_summary_and_the_trade_offs_are_shown() -> None:
    fragment = recommendation_html(RECOMMENDATION, "0123456789abcdef")
    assert f'<p class="gremium-verdict">{RECOMMENDATION.summary}</p>' in fragment
    assert (
        '<ul class="gremium-trade-offs"><li>central against holistic: no difference worth '
        "naming.</li></ul>"
    ) in fragment


def test_per_unit_rows_stand_together_and_the_legend_explains_consent() -> None:
    split = msgspec.structs.replace(
        RECOMMENDATION,
        matrix={
            "content@bu-a": {"bu-a": "A/R", "wc": "S"},
            "strategy": {"csmo": "A/R", "wc": "C"},
            "content@bu-b": {"bu-b": "A/R", "wc": "S"},
        },
    )
    fragment = recommendation_html(split, "0123456789abcdef")
    assert parse(fragment).cells[39:] == [
        "Activity", "bu-a", "wc", "bu-b", "csmo",
        "content @ bu-a", "A/R", "S", "·", "·",
        "content @ bu-b", "·", "S", "A/R", "·",
        "strategy", "·", "C", "·", "A/R",
    ]  # fmt: skip
    legend = fragment[fragment.index('<dl class="gremium-legend"') :]
    assert legend.startswith('<dl class="gremium-legend" aria-label="Legend">')
    assert parse(legend[: legend.index("</dl>") + 5]).legend == [
        ("C", "consulted"),
        ("A/R", "accountable and responsible"),
        ("S", "consent: must agree before introduction"),
    ]


def test_every_letter_cell_says_its_letter_and_headers_have_a_scope() -> None:
    seen = parse(recommendation_html(RECOMMENDATION, "0123456789abcdef"))
    start = seen.cells.index("Activity")
    cells = list(zip(seen.cells[start:], seen.cell_attributes[start:], strict=True))
    header, body = cells[:4], cells[4:]
    assert all(a["tag"] == "th" and a["scope"] == "col" for _, a in header)
    row_names = [text for text, a in body if a["tag"] == "th"]
    assert row_names == ["strategy", "crisis"]
    assert all(a["scope"] == "row" for _, a in body if a["tag"] == "th")
    letters = [(text, a["class"], a["data-letter"]) for text, a in body if a["tag"] == "td"]
    assert letters == [
        ("A/R", "gremium-cell gremium-letter-a-r", "A/R"),
        ("C", "gremium-cell gremium-letter-c", "C"),
        ("·", "gremium-cell gremium-letter-none", ""),
        ("·", "gremium-cell gremium-letter-none", ""),
        ("A", "gremium-cell gremium-letter-a", "A"),
        ("R", "gremium-cell gremium-letter-r", "R"),
    ]
    # the ranking names each model in a row header
    ranking = [(t, a) for t, a in zip(seen.cells, seen.cell_attributes, strict=True)][:39]
    assert [t for t, a in ranking if a.get("scope") == "row"] == ["Central", "Holistic"]


def test_each_table_stands_in_a_labelled_scroll_container() -> None:
    fragment = recommendation_html(RECOMMENDATION, "0123456789abcdef")
    containers = re.findall(r'<div class="gremium-scroll"([^>]*)><table class="([^"]+)"', fragment)
    assert [table for _, table in containers] == [
        "gremium-table gremium-ranking",
        "gremium-table gremium-raci",
    ]
    assert all('role="region"' in a and 'tabindex="0"' in a for a, _ in containers)
    assert 'aria-label="RACI (Central)"' in containers[1][0]
    assert fragment.count("<table") == fragment.count('<div class="gremium-scroll"') == 2


@pytest.mark.parametrize("level", [1, 2, 3, 6])
def test_the_heading_level_is_the_portals_choice(level: int) -> None:
    fragment = recommendation_html(RECOMMENDATION, "0123456789abcdef", heading=level)
    assert parse(fragment).headings == [f"h{level}"]
    assert f'<h{level} class="gremium-title">acme</h{level}>' in fragment


@pytest.mark.parametrize("level", [0, 7, -1])
def test_a_heading_level_outside_one_to_six_is_refused(level: int) -> None:
    with pytest.raises(ValueError, match="1 to 6"):
        recommendation_html(RECOMMENDATION, "0123456789abcdef", heading=level)


def test_the_section_says_its_language() -> None:
    german = recommendation_html(RECOMMENDATION, "0123456789abcdef", View(lang="de"))
    assert german.startswith('<section class="gremium-recommendation" lang="de"')
    assert parse(german).cells[:2] == ["Rang", "Governance-Modell"]


# The workbook's colours, written out here rather than read from the code under test.
EXPECTED_COLOURS = {
    "a-r": ("#A50026", "#FFFFFF"),
    "a": ("#D73027", "#FFFFFF"),
    "r": ("#FDAE61", "#000000"),
    "c": ("#74ADD1", "#000000"),
    "i": ("#E0F3F8", "#000000"),
    "s": ("#762A83", "#FFFFFF"),
}


def test_the_stylesheet_colours_letters_as_the_workbook_does() -> None:
    css = stylesheet()
    rules = {key.strip(): body for key, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)}
    # every selector is scoped to the fragment: it styles nothing else on the portal's page
    selectors = [part.strip() for key in rules for part in key.split(",")]
    assert all(selector.startswith(".gremium-") for selector in selectors), selectors
    for suffix, (fill, font) in EXPECTED_COLOURS.items():
        body = rules[f".gremium-letter-{suffix}"]
        assert f"background-color: {fill}" in body
        assert f"color: {font}" in body.replace(f"background-color: {fill}", "")
    assert set(PALETTE) == {"A/R", "A", "R", "C", "I", "S"}
    assert "overflow-x: auto" in rules[".gremium-scroll"]
    for foreign in ("<", "url(", "@import"):
        assert foreign not in css


def test_docstring_examples_hold() -> None:
    import doctest

    from models.governance import render

    result = doctest.testmod(render, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
