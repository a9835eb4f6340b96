"""``gremium simulate --lang de``: the report and the models' sentences in German."""

from __future__ import annotations

import pytest

from service.cli import main


def test_the_discussion_report_in_german(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "csmo-debate", "--lang", "de"]) == 0
    out = capsys.readouterr().out
    assert "Modell friedkin-johnsen: konvergiert nach " in out
    assert "Konsens: " in out
    # the decision, its share with a decimal comma and a space before the percent sign
    assert (
        "Entscheidung über 'appoint-csmo' unter Friedkin–Johnsen (majority, Zustimmung ≥ 0,5)"
        in out
    )
    assert "statt der nötigen 50,0 %" in out
    assert "Unter jedem Standardmodell: 3 von 4 Modellen: geht durch" in out
    assert main(["simulate", "csmo-debate"]) == 0
    english = capsys.readouterr().out
    assert "Decision on 'appoint-csmo' under Friedkin–Johnsen (majority, support ≥ 0.5)" in english
