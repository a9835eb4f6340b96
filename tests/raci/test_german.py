"""``--lang de`` on the command line: German sentences (lint findings, explanations,
runner-ups) with English codes; English stays as it was. The expected phrases are written out
by hand from the rules, not taken from the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest

from models.messages import say, speaking
from models.raci.solve import budget_notes
from models.raci.types import Alternative, Explanation, LintReport, SolveResult, SolverInfo
from service.cli import main
from service.schemas import SolveResponse

Run = tuple[int, str, str]
Gremium = Callable[..., Run]

#: strategy has nobody accountable or responsible; the works council is only informed on
#: monitoring, which is codetermined in the built-in
MATRIX = '{"strategy": {"csmo": "C"}, "monitoring": {"csmo": "A/R", "works-council": "I"}}'


@pytest.fixture
def gremium(capsys: pytest.CaptureFixture[str]) -> Gremium:
    def run(*argv: str) -> Run:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def lint_json(gremium: Gremium, tmp_path: Path, *lang: str) -> LintReport:
    path = tmp_path / "m.json"
    path.write_text(MATRIX, encoding="utf-8")
    code, out, _ = gremium(
        "lint", str(path), "--scenario", "mittelstand-manufacturer", "--format", "json", *lang
    )
    assert code == 1
    return msgspec.json.decode(out, type=LintReport)


def test_lint_findings_in_german_keep_their_codes(gremium: Gremium, tmp_path: Path) -> None:
    report = lint_json(gremium, tmp_path, "--lang", "de")
    by_code = {(f.code, f.target): f.message for f in report.findings}
    assert by_code[("no-accountable", "strategy")] == (
        "Die Tätigkeit 'strategy' hat keine verantwortliche Rolle (A); genau eine Rolle als A "
        "festlegen."
    )
    assert by_code[("no-responsible", "strategy")] == (
        "Die Tätigkeit 'strategy' hat keine durchführende Rolle (R); mindestens einer Rolle "
        "ein R zuweisen."
    )
    consent = by_code[("consent-missing", "monitoring")]
    assert consent.startswith(
        "Die Tätigkeit 'monitoring' kann Beschäftigte überwachen oder binden, doch beim "
        "Betriebsrat steht I statt S (Zustimmung)."
    )
    assert "§87 Abs. 1 BetrVG: Der Betriebsrat muss vor der Einführung zustimmen" in consent
    assert by_code[("activity-missing", "kpis")] == (
        "Die Tätigkeit 'kpis' des Szenarios fehlt in der Matrix."
    )
    assert {f.severity for f in report.findings} <= {"error", "warning", "info"}


def test_lint_findings_stay_english_by_default(gremium: Gremium, tmp_path: Path) -> None:
    english = lint_json(gremium, tmp_path)
    german = lint_json(gremium, tmp_path, "--lang", "de")
    assert [(f.code, f.severity, f.target) for f in english.findings] == [
        (f.code, f.severity, f.target) for f in german.findings
    ]
    by_code = {(f.code, f.target): f.message for f in english.findings}
    assert by_code[("no-accountable", "strategy")] == (
        "Activity 'strategy' has nobody accountable; name exactly one A."
    )


def test_lint_table_in_german(gremium: Gremium, tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(MATRIX, encoding="utf-8")
    _, out, _ = gremium("lint", str(path), "--scenario", "mittelstand-manufacturer", "--lang", "de")
    assert "Schwere" in out  # the label
    assert "hat keine verantwortliche Rolle (A)" in out  # the sentence


def test_explanations_in_german(gremium: Gremium) -> None:
    code, out, _ = gremium(
        "solve", "mittelstand-manufacturer", "--variant", "hub-and-spoke", "--format", "json",
        "--time-limit", "5", "--lang", "de",
    )  # fmt: skip
    assert code == 0
    (result,) = msgspec.json.decode(out, type=SolveResponse).results
    assert result.explanation is not None
    reasons = {(c.activity, c.role): c.reason for c in result.explanation.cells}
    # the works council consents to monitoring: a hard rule, §87(1) no. 6 BetrVG
    assert reasons[("monitoring", "works-council")].startswith(
        "Works council hat S bei „Monitoring and listening“: eine harte Regel verlangt: der "
        "Betriebsrat stimmt „Monitoring and listening“ vor der Einführung zu (S; Mitbestimmung "
        "nach §87 Abs. 1 BetrVG)"
    )
    assert all("(Kompetenzpassung " in reason for reason in reasons.values())
    assert all(
        a.reason.startswith(("Exakt", "Lokale Schätzung")) for a in result.explanation.alternatives
    )
    # numbers in sentences with a decimal comma; the JSON numbers stay numbers
    assert any("Kompetenzpassung 0," in reason for reason in reasons.values())
    assert isinstance(result.explanation.cells[0].competence, float)


def test_budget_notes_recognise_german_estimates_and_say_so_in_german() -> None:
    """The budget notes count runner-ups estimated instead of re-solved from the sentences'
    start, in whichever language they were written."""
    with speaking("de"):
        estimate = say("explain.local", holder="Legal", runner="HR", delta=0.5)
        result = SolveResult(
            scenario="s",
            variant="central",
            status="feasible",
            message=say("solver.time-limit", limit=2.0),
            objective=None,
            matrix={},
            workload={},
            solver=SolverInfo(name="highs", version="1", seconds=2.0, gap=0.125),
            explanation=Explanation(
                alternatives=(Alternative("strategy", "legal", "hr", 0.5, estimate),)
            ),
        )
        assert budget_notes((result,)) == (
            "central: der Solver wurde vor dem Optimalitätsbeweis angehalten (Lücke 12,50 %); "
            "1 von 1 Alternativen geschätzt, nicht neu gelöst.",
        )
