"""Model uncertainty: each standard model's decision against hand-computed equilibria, the
statement of agreement, and no 100 % while a standard model says the proposal fails."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.discussion.agreement import percent, standard_models
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import agreement, simulate
from models.discussion.types import (
    DeffuantWeisbuch,
    DeGroot,
    Discussion,
    FriedkinJohnsen,
    HegselmannKrause,
    MonteCarloOptions,
    MultiIssueFriedkinJohnsen,
    Network,
    Proposal,
    Stakeholder,
)

from .strategies import discussions

CYCLE = ((0.5, 0.5, 0.0), (0.0, 0.5, 0.5), (0.5, 0.0, 0.5))


def triangle(model=None) -> Discussion:
    """Three people in a listening cycle (W doubly stochastic), C holds a veto.

    DeGroot: W is doubly stochastic, so its left eigenvector is uniform and everyone ends at
    the mean (0.9 + 0.6 + 0.15)/3 = 0.55 ≥ 0.5: all support, it passes.
    Friedkin–Johnsen, λ = 1/2: x_i = ¼x_i + ¼x_next + ½u_i gives 0.75x₁ − 0.25x₂ = 0.45,
    0.75x₂ − 0.25x₃ = 0.3, 0.75x₃ − 0.25x₁ = 0.075, so x₁ = 5.025/6.5 = 0.773077,
    x₂ = 3x₁ − 1.8 = 0.519231, x₃ = 9x₁ − 6.6 = 0.357692: C is below 0.5 and vetoes it.
    Hegselmann–Krause and Deffuant–Weisbuch (ε = 0.2): the gaps 0.3, 0.45 and 0.75 are out of
    reach, nobody moves, and C (0.15) vetoes it.
    """
    people = tuple(
        Stakeholder(id=i, name=i.upper(), role="x", positions=(u,), veto=i == "c")
        for i, u in zip("abc", (0.9, 0.6, 0.15), strict=True)
    )
    return Discussion(
        id="triangle",
        name="Triangle",
        issues=("q",),
        stakeholders=people,
        network=Network(influence=CYCLE),
        model=model or FriedkinJohnsen(),
        proposal=Proposal(issue="q"),
        tolerance=1e-12,
    )


def test_each_model_decides_as_its_hand_computed_equilibrium_says():
    votes = agreement(triangle())
    assert votes is not None
    decisions = {e.name: e.decision for e in votes.models}
    assert decisions["DeGroot"].passes
    assert decisions["DeGroot"].supporters == ("a", "b", "c")
    fj = decisions["Friedkin–Johnsen"]
    assert (fj.passes, fj.supporters, fj.vetoes) == (False, ("a", "b"), ("c",))
    for bounded in ("Hegselmann–Krause", "Deffuant–Weisbuch"):
        assert decisions[bounded].vetoes == ("c",)
    assert (votes.passing, votes.unanimous) == (1, False)
    assert votes.statement.startswith("3 of 4 models: fails; DeGroot: passes; ")
    assert "Friedkin–Johnsen: fails (vetoed by C)" in votes.statement
    assert votes.statement.endswith("the models disagree, so the outcome is uncertain")
    final = simulate(triangle()).final
    assert [final[i][0] for i in "abc"] == pytest.approx([0.773077, 0.519231, 0.357692], abs=1e-6)
    assert simulate(triangle(DeGroot())).final["c"][0] == pytest.approx(0.55, abs=1e-9)


def test_degroot_consensus_is_the_left_eigenvector_mean_not_the_plain_mean():
    """W = [[0.8, 0.2], [0.4, 0.6]]: πW = π gives π = (2/3, 1/3), so the consensus is
    2/3·0.3 + 1/3·0.93 = 0.51 (the plain mean is 0.615)."""
    people = (
        Stakeholder(id="a", name="A", role="x", positions=(0.3,)),
        Stakeholder(id="b", name="B", role="x", positions=(0.93,)),
    )
    pair = Discussion(
        id="pair",
        name="Pair",
        issues=("q",),
        stakeholders=people,
        network=Network(influence=((0.8, 0.2), (0.4, 0.6))),
        model=DeGroot(),
        tolerance=1e-12,
        proposal=Proposal(issue="q", threshold=0.505),
    )
    assert simulate(pair).final["a"][0] == pytest.approx(0.51, abs=1e-9)
    degroot = next(e for e in agreement(pair).models if e.name == "DeGroot")
    assert degroot.own
    assert not degroot.defaults
    assert degroot.decision.passes
    stricter = msgspec.structs.replace(pair, proposal=Proposal(issue="q", threshold=0.515))
    assert not next(e for e in agreement(stricter).models if e.name == "DeGroot").decision.passes


def test_the_discussions_own_parameters_apply_and_defaults_elsewhere():
    own = HegselmannKrause(epsilon=0.35, network=True)
    chosen = standard_models(own)
    assert [type(m) for m, _ in chosen] == [
        DeGroot,
        FriedkinJohnsen,
        HegselmannKrause,
        DeffuantWeisbuch,
    ]
    assert chosen[2] == (own, False)
    assert chosen[1] == (FriedkinJohnsen(), True)
    assert chosen[3] == (DeffuantWeisbuch(), True)
    coupled = MultiIssueFriedkinJohnsen(coupling=((1.0,),))
    assert standard_models(coupled)[1] == (coupled, False)  # it stands in for Friedkin–Johnsen


def test_monte_carlo_reports_every_model_and_never_100_percent_when_one_fails():
    result = monte_carlo(triangle(DeGroot()), MonteCarloOptions(draws=300, seed=5))
    by_name = {e.name: e for e in result.agreement.models}
    assert by_name["DeGroot"].probability is not None
    assert result.own.model == "degroot"
    assert result.own.probability == by_name["DeGroot"].probability
    assert by_name["Friedkin–Johnsen"].probability < 1.0
    mean = sum(e.probability for e in result.agreement.models) / 4
    assert result.probability == pytest.approx(mean)
    assert result.probability < 1.0
    assert result.interval[0] <= result.probability <= result.interval[1] < 1.0
    assert "DeGroot: passes, P(pass | DeGroot)" in result.agreement.statement


def test_percent_never_rounds_to_certainty():
    assert percent(0.99951) == ">99.9%"
    assert percent(0.0001) == "<0.1%"
    assert (percent(1.0), percent(0.0), percent(0.5)) == ("100%", "0%", "50.0%")


MODELS = [DeGroot(), FriedkinJohnsen(), HegselmannKrause(epsilon=0.3), DeffuantWeisbuch()]


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(MODELS).flatmap(lambda m: discussions(m, max_size=5)))
def test_never_100_percent_while_a_standard_model_says_it_fails(discussion):
    votes = simulate(discussion).agreement
    assert votes is not None
    assert len(votes.models) == 4
    assert sum(e.own for e in votes.models) == 1
    result = monte_carlo(discussion, MonteCarloOptions(draws=40, seed=1))
    assert [e.decision for e in result.agreement.models] == [e.decision for e in votes.models]
    if votes.passing < 4:
        assert result.probability < 1.0
        assert result.interval[1] < 1.0
        assert percent(result.probability) != "100%"
        assert "100%" not in result.agreement.statement.split(";")[0]
    if not votes.unanimous:
        assert "the models disagree" in votes.statement
