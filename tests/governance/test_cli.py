"""``gremium recommend`` and ``gremium what-if`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from models.raci.codec import decode_matrix
from service.cli import main


def test_recommend_prints_the_ranking_and_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recommend", "it-led", "--stability", "none"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "rank",
        "model",
        "status",
        "fit",
        "score",
        "dominated",
        "by",
    ]
    assert "Recommended for Northbridge IT Services: central" in out
    assert "stability:" not in out
    assert main(["recommend", "it-led", "--stability", "none", "--format", "json"]) == 0
    stored = json.loads(capsys.readouterr().out)  # the API's {"id", "recommendation"}
    assert stored["recommendation"]["recommended"] == "central"
    assert len(stored["id"]) == 16


def test_what_if_prints_the_flips_and_refuses_a_bad_edit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["what-if", "it-led", "--variant", "central", "--capacity", "csmo=40"]) == 0
    out = capsys.readouterr().out
    assert "capacity of Social-media manager (CIO office) 20 -> 40 person-days" in out
    assert "central: optimal -> optimal" in out
    assert main(["what-if", "it-led", "--weight", "colour=2"]) == 2
    assert "--weight/0/term" in capsys.readouterr().err
    assert main(["what-if", "it-led", "--capacity", "csmo"]) == 2
    assert "expected NAME=NUMBER" in capsys.readouterr().err


def test_recommend_writes_a_german_workbook_and_a_named_fragment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "it-led.xlsx"
    args = ["recommend", "it-led", "--stability", "none", "--format", "xlsx", "--lang", "de"]
    assert main([*args, "--output", str(target)]) == 0
    assert f"wrote {target}" in capsys.readouterr().err
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["Rangfolge", "Zusammenfassung", "Zentral"]
    assert decode_matrix(target.read_bytes(), "xlsx") is not None
    assert main(["recommend", "it-led", "--stability", "none", "--format", "html"]) == 0
    assert "<caption>Ranking</caption>" in capsys.readouterr().out
    assert main(["recommend", "it-led", "--format", "xlsx"]) == 2  # no --output
    assert "--output" in capsys.readouterr().err


def test_recommend_writes_a_deck_and_a_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pptx import Presentation

    deck, picture = tmp_path / "empfehlung.pptx", tmp_path / "abwaegung.svg"
    argv = ["recommend", "it-led", "--discussion", "it-led", "--format", "pptx"]
    argv += ["--output", str(deck), "--plot", str(picture), "--lang", "de"]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert f"wrote {deck}: the recommendation for it-led" in err
    assert f"wrote {picture}: the scores per model and where the winner holds" in err
    slides = Presentation(str(deck)).slides
    titles = [slide.shapes.title.text_frame.text for slide in slides]
    assert titles[1:3] == ["Empfohlen", "Abwägungen"]
    assert any(title.startswith("★ Zentral") for title in titles)
    assert b"Punktzahl je Modell und ihre Teile" in picture.read_bytes()


def test_a_deck_needs_a_file_and_a_plot_a_picture_suffix(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["recommend", "it-led", "--format", "pptx"]) == 2
    assert "--output" in capsys.readouterr().err
    assert main(["recommend", "it-led", "--plot", "x.gif"]) == 2
    assert "--plot" in capsys.readouterr().err
