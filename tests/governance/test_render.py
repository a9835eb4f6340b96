"""The HTML fragment: one escaped, self-contained section with the ranking and the matrix."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import msgspec

from models.governance.render import recommendation_html
from models.governance.types import RankedVariant, Recommendation, Score

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
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "class" and value:
                self.classes += value.split()
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


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
    assert (
        '<p class="gremium-legend">Legend: C = consulted · A/R = accountable and responsible · '
        "S = consent: must agree before introduction</p>"
    ) in fragment
