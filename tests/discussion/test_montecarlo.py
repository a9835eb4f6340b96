"""Monte Carlo: the Wilson interval by hand, reproducibility, and degenerate spreads."""

from __future__ import annotations

import msgspec
import pytest

from models.discussion.montecarlo import monte_carlo, wilson_interval
from models.discussion.simulation import simulate
from models.discussion.types import (
    Discussion,
    FriedkinJohnsen,
    HegselmannKrause,
    MonteCarloOptions,
    Network,
    Proposal,
    Stakeholder,
)
from models.errors import InvalidInput


def test_wilson_interval_by_hand():
    """8 of 10, z = 1.96: centre (0.8 + 0.19208)/1.38416 = 0.71676, half-width
    1.96·√(0.016 + 0.0096040)/1.38416 = 0.22655."""
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.71676 - 0.22655, abs=1e-4)
    assert high == pytest.approx(0.71676 + 0.22655, abs=1e-4)
    assert wilson_interval(0, 50)[0] == 0.0
    assert wilson_interval(50, 50)[1] == 1.0


def committee(model=None) -> Discussion:
    """A stubborn heavyweight for, two open lightweights against; weighted vote."""
    people = (
        Stakeholder(
            id="boss", name="Boss", role="ceo", positions=(0.6,), susceptibility=0.1, weight=3
        ),
        Stakeholder(id="x", name="X", role="hr", positions=(0.3,), susceptibility=0.6),
        Stakeholder(id="y", name="Y", role="legal", positions=(0.35,), susceptibility=0.6),
    )
    return Discussion(
        id="committee",
        name="Committee",
        issues=("q",),
        stakeholders=people,
        network=Network(influence=((0.8, 0.1, 0.1), (0.4, 0.5, 0.1), (0.4, 0.1, 0.5))),
        model=model or FriedkinJohnsen(),
        proposal=Proposal(issue="q", threshold=0.5, rule="weighted"),
    )


def test_the_same_seed_reproduces_and_another_seed_differs():
    d = committee()
    first = monte_carlo(d, MonteCarloOptions(draws=400, seed=1))
    assert first == monte_carlo(d, MonteCarloOptions(draws=400, seed=1))
    assert first != monte_carlo(d, MonteCarloOptions(draws=400, seed=2))
    assert first.interval[0] <= first.probability <= first.interval[1]
    # the headline counts (model, draw) pairs over the four standard models
    assert first.passes == round(first.probability * 4 * 400)
    assert first.own.passes == round(first.own.probability * 400)


def test_without_spread_every_draw_is_the_deterministic_run():
    d = committee(HegselmannKrause(epsilon=0.3))
    still = MonteCarloOptions(draws=20, position_spread=0, susceptibility_spread=0, weight_spread=0)
    result = monte_carlo(d, still)
    simulated = simulate(d)
    expected = simulated.decision
    assert expected is not None
    assert simulated.agreement is not None
    assert result.own.probability == (1.0 if expected.passes else 0.0)
    assert result.mean_margin == pytest.approx(expected.margin)
    # every model decides every draw as it decides the inputs as given
    for entry in result.agreement.models:
        assert entry.probability == (1.0 if entry.decision.passes else 0.0)
    assert result.probability == simulated.agreement.passing / 4
    assert all(s.position == 0.0 for s in result.sensitivity)


def test_the_heavyweights_position_matters_most():
    result = monte_carlo(committee(), MonteCarloOptions(draws=2000, seed=4, position_spread=0.3))
    assert result.sensitivity[0].stakeholder == "boss"
    assert result.sensitivity[0].position > 0.5


def test_monte_carlo_needs_a_proposal():
    with pytest.raises(InvalidInput, match="proposal"):
        monte_carlo(msgspec.structs.replace(committee(), proposal=None))
