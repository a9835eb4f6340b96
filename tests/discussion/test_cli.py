"""``gremium simulate``: the readable report, JSON, options, the plot and bad input."""

from __future__ import annotations

import json

import pytest

from service.cli import main


def test_a_builtin_discussion_prints_positions_coalitions_influencers_and_decision(capsys):
    assert main(["simulate", "csmo-ceo"]) == 0
    out = capsys.readouterr().out
    for heading in ("hub-and-spoke (start→end)", "Coalitions", "Influencers", "Decision on"):
        assert heading in out
    assert "Head of Marketing" in out
    assert "FAILS" in out  # a clear majority (≥ 0.6) is not there without briefing


def test_json_carries_every_result(capsys):
    code = main(["simulate", "csmo-ceo", "--format", "json", "--monte-carlo", "50", "--intervene"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["simulation"]["status"] == "converged"
    assert report["monte_carlo"]["draws"] == 50
    assert len(report["simulation"]["agreement"]["models"]) == 4
    assert len(report["monte_carlo"]["agreement"]["models"]) == 4
    plan = report["intervention"]
    assert plan["least_effort"]["status"] == "optimal"
    assert plan["least_effort"]["remeasured"]["seed"] == 1
    assert plan["least_effort"]["effort"] <= plan["sandwich"]["effort"]


def test_the_report_shows_every_model_and_the_robust_plans(capsys):
    assert main(["simulate", "it-led", "--monte-carlo", "200", "--intervene"]) == 0
    out = capsys.readouterr().out
    assert "Decision on 'cio-leads' under DeGroot" in out
    assert "Under each standard model: 3 of 4 models: fails; DeGroot: passes" in out
    assert "the models disagree, so the outcome is uncertain" in out
    assert (
        "Friedkin–Johnsen            defaults    converged  FAILS, vetoed by Works council" in out
    )
    assert "passes with probability 25.0%" in out
    assert "least-effort: optimal" in out
    assert "re-measured P(pass)" in out
    assert "sandwich: top CEO; base Employees" in out


def test_the_target_is_an_option(capsys):
    assert main(["simulate", "csmo-ceo", "--intervene", "--target", "0.5"]) == 0
    assert "probability ≥ 50% (lower 95% bound)" in capsys.readouterr().out
    assert main(["simulate", "csmo-ceo", "--intervene", "--target", "1.5"]) == 2
    assert "--target" in capsys.readouterr().err


def test_model_and_seed_override(capsys):
    argv = ["simulate", "csmo-debate", "--model", "deffuant-weisbuch", "--seed", "3"]
    assert main([*argv, "--format", "json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["simulation"]["model"] == "deffuant-weisbuch"
    assert main([*argv, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == first


@pytest.mark.parametrize(
    ("suffix", "start"), [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")]
)
def test_plot_writes_a_picture_and_says_where(tmp_path, capsys, suffix, start):
    target = tmp_path / f"trajectories{suffix}"
    network = tmp_path / f"network{suffix}"
    argv = ["simulate", "non-profit", "--plot", str(target), "--network", str(network)]
    assert main(argv) == 0
    assert target.read_bytes().startswith(start)
    assert network.read_bytes().startswith(start)
    err = capsys.readouterr().err
    assert f"wrote {target}: the trajectories of non-profit" in err
    assert f"wrote {network}: who sways whom of non-profit" in err


def test_plot_in_german(tmp_path, capsys):
    target = tmp_path / "verlauf.svg"
    assert (
        main(["simulate", "mittelstand-manufacturer", "--plot", str(target), "--lang", "de"]) == 0
    )
    assert b">Runde</text>" in target.read_bytes()


def test_a_file_with_a_bad_field_is_named(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\nname: Bad\nissues: [q]\nstakeholders:\n"
        "  - {id: a, name: A, role: ceo, positions: [0.5], weight: -1}\n"
    )
    assert main(["simulate", str(path)]) == 2
    assert f"{path}#/stakeholders/0/weight" in capsys.readouterr().err


def test_an_unknown_builtin_suggests_a_close_one(capsys):
    assert main(["simulate", "csmo-ce"]) == 2
    assert "did you mean 'csmo-ceo'" in capsys.readouterr().err


def test_a_plot_needs_a_picture_suffix(capsys):
    assert main(["simulate", "csmo-ceo", "--plot", "out.gif"]) == 2
    assert "--plot" in capsys.readouterr().err


def test_a_plot_into_a_missing_folder_fails_before_the_report(tmp_path, capsys):
    assert main(["simulate", "csmo-ceo", "--plot", str(tmp_path / "no" / "x.png")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--plot" in err
    assert "folder" in err


def test_a_bad_draw_count_is_named(capsys):
    assert main(["simulate", "csmo-ceo", "--monte-carlo", "0"]) == 2
    assert "gremium: error: --monte-carlo: Expected `int` >= 1\n" in capsys.readouterr().err


def test_one_round_is_one_round(tmp_path, capsys):
    path = tmp_path / "pair.yaml"
    path.write_text(
        "id: pair\nname: Pair\nissues: [q]\nstakeholders:\n"
        "  - {id: a, name: A, role: ceo, positions: [0.2]}\n"
        "  - {id: b, name: B, role: hr, positions: [0.9]}\n"
    )
    # nobody listens to anybody else: Friedkin-Johnsen keeps u, so round 1 moves nothing
    assert main(["simulate", str(path)]) == 0
    assert "converged after 1 round (" in capsys.readouterr().out


def test_monte_carlo_says_when_draws_did_not_converge(tmp_path, capsys):
    path = tmp_path / "swap.yaml"
    path.write_text(
        "id: swap\nname: Swap\nissues: [q]\nmodel: {kind: degroot}\nmax_rounds: 20\n"
        "stakeholders:\n"
        "  - {id: a, name: A, role: ceo, positions: [0.2]}\n"
        "  - {id: b, name: B, role: hr, positions: [0.8]}\n"
        "network: {influence: [[0, 1], [1, 0]]}\nproposal: {issue: q}\n"
    )
    # two people who swap views every round: no draw ever settles
    assert main(["simulate", str(path), "--monte-carlo", "10"]) == 0
    assert "100.0% of the draws did not converge" in capsys.readouterr().out
