"""The recommendation's workbook, read back with openpyxl: the ranking with the score's parts,
the summary (trade-offs, stability, path), the recommended matrix (readable by lint), its
findings, what the discussion decided per model, and the stages of the path."""

from __future__ import annotations

import io

import msgspec
import openpyxl

from models.governance.types import (
    Acceptance,
    Criteria,
    RankedVariant,
    Stage,
    StagedPath,
)
from models.governance.workbook import recommendation_workbook
from models.raci.codec import decode_matrix
from models.raci.lint import lint
from models.raci.render import View

from .test_render import HOSTILE, RECOMMENDATION

ACCEPTANCE = Acceptance(
    issue="central",
    passes=True,
    margin=0.25,
    vetoes=("wc",),
    probability=0.9,
    interval=(0.8, 0.95),
    draws=200,
)
CRITERIA = Criteria(
    hub_load=0.5,
    peak_load=0.8,
    bottleneck=0.5,
    decision_makers=2,
    competence=0.75,
    consultation=1.0,
    consent=None,
    work_fte=1.0,
    new_fte=0.0,
    lint_errors=0,
    lint_warnings=1,
    acceptance=ACCEPTANCE,
)
PATH = StagedPath(
    start="ad hoc",
    stages=(
        Stage(
            variant="central",
            matrix=RECOMMENDATION.matrix,
            moved=4,
            cells=(),
            trigger="start here",
            acceptance=ACCEPTANCE,
        ),
    ),
    summary="One stage: central.",
)


def test_ranking_summary_matrix_findings_and_discussion() -> None:
    data = recommendation_workbook(RECOMMENDATION)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ranking", "Summary", "Central", "Lint findings", "Discussion"]
    ranking = list(book["Ranking"].values)
    assert ranking[0] == (
        "Rank",
        "Governance model",
        "Status",
        "Fit",
        "Score",
        "headroom",
        "spread",
        "competence",
        "consultation",
        "consent",
        "acceptance",
        "Dominated by",
        "Reason",
    )
    assert ranking[1] == (
        1,
        "Central",
        "optimal",
        "fits",
        4.0,
        0.5,
        0.25,
        0.75,
        1.0,
        1.0,
        0.5,
        None,
        HOSTILE,
    )  # fmt: skip  (text stays text, never a formula)
    assert ranking[2][:5] == (2, "Holistic", "infeasible", "–", None)
    first = [row[0] for row in ranking]
    assert RECOMMENDATION.summary in first
    assert RECOMMENDATION.rule in first
    summary = [row[0] for row in book["Summary"].values]
    assert summary[:2] == ["acme", RECOMMENDATION.summary]
    assert "Trade-offs" in summary
    assert RECOMMENDATION.trade_offs[0] in summary
    assert "Stability was not checked." in summary
    assert "No staged path." in summary
    assert decode_matrix(data, "xlsx") == RECOMMENDATION.matrix
    assert decode_matrix(data, "xlsx", "central") == RECOMMENDATION.matrix
    findings = [row[1] for row in list(book["Lint findings"].values)[1:]]
    assert findings == [f.code for f in lint(RECOMMENDATION.matrix).findings]
    assert list(book["Discussion"].values) == [("No discussion was simulated.",)]


def test_without_a_matrix_only_the_ranking_says_why() -> None:
    empty = msgspec.structs.replace(RECOMMENDATION, recommended=None, matrix={})
    book = openpyxl.load_workbook(io.BytesIO(recommendation_workbook(empty)))
    assert book.sheetnames == ["Ranking", "Summary", "Discussion"]


def test_with_a_discussion_each_models_acceptance_and_the_path_in_german() -> None:
    central = msgspec.structs.replace(RECOMMENDATION.ranking[0], criteria=CRITERIA)
    ranking: tuple[RankedVariant, ...] = (central, RECOMMENDATION.ranking[1])
    argued = msgspec.structs.replace(
        RECOMMENDATION, discussion="debate", ranking=ranking, path=PATH
    )
    data = recommendation_workbook(argued, view=View(scenario="ACME", lang="de"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Rangfolge",
        "Zusammenfassung",
        "Zentral",
        "Prüfbefunde",
        "Diskussion",
        "Stufenweiser Weg",
    ]
    rows = list(book["Diskussion"].values)
    assert rows[0] == (
        "Governance-Modell",
        "Angenommen",
        "Abstand",
        "Wahrscheinlichkeit",
        "95-%-Intervall",
        "Vetos",
    )
    assert rows[1] == ("Zentral", "ja", 0.25, 0.9, "80%–95%", "wc")
    assert rows[2][0] == "Ganzheitlich"
    assert all(cell is None for cell in rows[2][1:])
    assert book["Zentral"]["A1"].value == "ACME — Zentral"
    assert book["Rangfolge"]["D2"].value == "passt"
    stages = list(book["Stufenweiser Weg"].values)
    assert stages[1] == (1, "Zentral", 4, "start here", "ja", 0.9)
    assert "One stage: central." in [row[0] for row in stages]
    summary = [row[0] for row in book["Zusammenfassung"].values]
    assert summary[0] == "ACME"
    assert "One stage: central." in summary
