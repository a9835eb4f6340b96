"""The recommendation's workbook, read back with openpyxl: the ranking and its criteria, the
recommended matrix (readable by lint), its findings, and what the discussion contributed."""

from __future__ import annotations

import io

import msgspec
import openpyxl

from models.governance.workbook import recommendation_workbook
from models.raci.codec import decode_matrix
from models.raci.lint import lint
from models.raci.render import View

from .test_render import HOSTILE, RECOMMENDATION


def test_ranking_matrix_findings_and_discussion() -> None:
    data = recommendation_workbook(RECOMMENDATION)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ranking", "Central", "Lint findings", "Discussion"]
    ranking = list(book["Ranking"].values)
    assert ranking[0][:8] == (
        "Rank",
        "Governance model",
        "Status",
        "Score",
        "objective",
        "profile",
        "support",
        "lint",
    )
    assert ranking[1][:8] == (1, "Central", "optimal", 1.5, 1.0, 0.5, None, 0.0)
    assert ranking[1][-2:] == ("regulated", HOSTILE)  # text stays text, never a formula
    assert ranking[2][:4] == (2, "Holistic", "infeasible", None)
    assert "Recommended: Central" in [row[0] for row in ranking]
    assert RECOMMENDATION.formula in [row[0] for row in ranking]
    assert decode_matrix(data, "xlsx") == RECOMMENDATION.matrix
    assert decode_matrix(data, "xlsx", "central") == RECOMMENDATION.matrix
    findings = [row[1] for row in list(book["Lint findings"].values)[1:]]
    assert findings == [f.code for f in lint(RECOMMENDATION.matrix).findings]
    assert list(book["Discussion"].values) == [("No discussion was simulated.",)]


def test_without_a_matrix_only_the_ranking_says_why() -> None:
    empty = msgspec.structs.replace(RECOMMENDATION, recommended=None, matrix={})
    book = openpyxl.load_workbook(io.BytesIO(recommendation_workbook(empty)))
    assert book.sheetnames == ["Ranking", "Discussion"]


def test_with_a_discussion_each_models_support_in_german() -> None:
    argued = msgspec.structs.replace(RECOMMENDATION, discussion="debate")
    data = recommendation_workbook(argued, view=View(scenario="ACME", lang="de"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Rangfolge", "Zentral", "Prüfbefunde", "Diskussion"]
    rows = list(book["Diskussion"].values)
    assert rows[:3] == [
        ("Governance-Modell", "Simulierte Zustimmung"),
        ("Zentral", None),
        ("Ganzheitlich", None),
    ]
    assert book["Zentral"]["A1"].value == "ACME — Zentral"
