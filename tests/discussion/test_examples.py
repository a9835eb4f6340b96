"""Worked examples whose expected numbers come from the literature or a hand calculation."""

from __future__ import annotations

import numpy as np
import pytest

from models.discussion.simulation import simulate, with_model
from models.discussion.types import (
    DeffuantWeisbuch,
    DeGroot,
    Discussion,
    FriedkinJohnsen,
    HegselmannKrause,
    Model,
    MultiIssueFriedkinJohnsen,
    Network,
    Stakeholder,
)


def group(
    positions: list[list[float]],
    model: Model,
    influence: list[list[float]] | None = None,
    susceptibility: list[float] | None = None,
    **options: object,
) -> Discussion:
    n = len(positions)
    people = tuple(
        Stakeholder(
            id=f"p{i + 1}",
            name=f"Person {i + 1}",
            role="employees",
            positions=tuple(positions[i]),
            susceptibility=1.0 if susceptibility is None else susceptibility[i],
        )
        for i in range(n)
    )
    return Discussion(
        id="example",
        name="Example",
        issues=tuple(f"q{p}" for p in range(len(positions[0]))),
        stakeholders=people,
        network=Network(influence=None if influence is None else tuple(map(tuple, influence))),
        model=model,
        **options,  # type: ignore[arg-type]
    )


# Friedkin & Johnsen (1999, 2011), reprinted by Parsegov, Proskurnikov, Tempo & Friedkin,
# "Novel multidimensional models of opinion dynamics in social networks", IEEE TAC 62(5),
# 2017, Sect. "Friedkin-Johnsen model": Λ = I − diag(W), prejudices u = (25, 25, 75, 85),
# final opinions x(∞) ≈ (60, 60, 75, 75). Positions here are on [0, 1], so divided by 100.
FJ_W = [
    [0.220, 0.120, 0.360, 0.300],
    [0.147, 0.215, 0.344, 0.294],
    [0.000, 0.000, 1.000, 0.000],
    [0.090, 0.178, 0.446, 0.286],
]
FJ_U = [25.0, 25.0, 75.0, 85.0]
FJ_PUBLISHED = [60.0, 60.0, 75.0, 75.0]


def test_friedkin_johnsen_four_person_group_reproduces_the_published_opinions():
    susceptibility = [1.0 - FJ_W[i][i] for i in range(4)]  # 0.78, 0.785, 0, 0.714
    discussion = group(
        [[u / 100] for u in FJ_U], FriedkinJohnsen(), FJ_W, susceptibility, tolerance=1e-12
    )
    result = simulate(discussion)
    final = np.array([result.final[f"p{i + 1}"][0] for i in range(4)]) * 100
    # the published, rounded figures
    np.testing.assert_allclose(final, FJ_PUBLISHED, atol=0.05)
    # an independent closed form by hand: x* = (I − ΛW)⁻¹(I − Λ)u
    w, lam = np.array(FJ_W), np.diag(susceptibility)
    closed = np.linalg.solve(np.eye(4) - lam @ w, (np.eye(4) - lam) @ np.array(FJ_U))
    np.testing.assert_allclose(final, closed, atol=1e-8)
    assert result.converged
    assert result.diagnostics.spectral_radius == pytest.approx(max(abs(np.linalg.eigvals(lam @ w))))
    # person 3 is fully stubborn (λ = 0): total influence row e₃, and the most power
    v = np.array(result.power.total_influence)
    np.testing.assert_allclose(v[2], [0, 0, 1, 0], atol=1e-12)
    assert result.power.key_influencers[0] == "p3"


def test_degroot_two_people_by_hand():
    """W = [[1/2, 1/2], [1/4, 3/4]]: πᵀW = πᵀ gives π = (1/3, 2/3); x0 = (0.9, 0.3) reaches
    the consensus π·x0 = 0.5; the eigenvalues are 1 and 1/4, so the error shrinks by 1/4."""
    result = simulate(group([[0.9], [0.3]], DeGroot(), [[0.5, 0.5], [0.25, 0.75]], tolerance=1e-13))
    assert result.final["p1"][0] == pytest.approx(0.5, abs=1e-12)
    assert result.final["p2"][0] == pytest.approx(0.5, abs=1e-12)
    assert result.consensus
    assert result.diagnostics.certificate.consensus_guaranteed
    assert result.diagnostics.convergence_rate == pytest.approx(0.25)
    assert result.power.method == "left-eigenvector"
    shares = {i.stakeholder: i.share for i in result.power.shares}
    assert shares == pytest.approx({"p1": 1 / 3, "p2": 2 / 3})
    # after one round: (0.6, 0.45); the gap 0.6 shrinks by 1/4 per round
    np.testing.assert_allclose(result.trajectory[1], [[0.6], [0.45]])


def test_periodic_degroot_does_not_converge_and_says_so():
    """Two people who only listen to each other swap views forever (period 2)."""
    result = simulate(group([[0.2], [0.8]], DeGroot(), [[0, 1], [1, 0]], max_rounds=51))
    cert = result.diagnostics.certificate
    assert cert.closed_components == (("p1", "p2"),)
    assert cert.aperiodic == (False,)
    assert not cert.consensus_guaranteed
    assert not result.converged
    assert result.status == "not-converged"
    assert "not an equilibrium" in result.message
    assert result.rounds == 51
    assert result.final == {"p1": (0.8,), "p2": (0.2,)}  # the last state after 51 swaps


def test_two_stubborn_groups_leave_two_closed_components():
    w = [[1, 0, 0], [0.5, 0, 0.5], [0, 0, 1]]
    result = simulate(group([[0.0], [0.5], [1.0]], DeGroot(), w))
    assert result.diagnostics.certificate.closed_components == (("p1",), ("p3",))
    assert not result.diagnostics.certificate.consensus_guaranteed
    assert result.final["p2"] == pytest.approx((0.5,))
    assert result.power.method == "limit-matrix"
    shares = {i.stakeholder: i.share for i in result.power.shares}
    assert shares == pytest.approx({"p1": 0.5, "p2": 0.0, "p3": 0.5})


def test_hegselmann_krause_splits_into_two_known_clusters():
    """ε = 0.15 on (0, .1, .2, .8, .9, 1): round 1 gives (.05, .1, .15, .85, .9, .95), round 2
    (.1, .1, .1, .9, .9, .9), round 3 changes nothing."""
    positions = [[0.0], [0.1], [0.2], [0.8], [0.9], [1.0]]
    result = simulate(group(positions, HegselmannKrause(epsilon=0.15)))
    np.testing.assert_allclose(result.trajectory[1], [[0.05], [0.1], [0.15], [0.85], [0.9], [0.95]])
    assert [result.final[f"p{i}"][0] for i in range(1, 7)] == pytest.approx([0.1] * 3 + [0.9] * 3)
    assert result.rounds == 3
    assert [c.members for c in result.coalitions] == [("p1", "p2", "p3"), ("p4", "p5", "p6")]
    assert not result.consensus
    # Esteban–Ray: 2 · (1/2)^(2.6) · (1/2) · 0.8 ; variance of {.1, .9} halves: 0.16
    assert result.polarisation.esteban_ray == pytest.approx(0.5**2.6 * 0.8)
    assert result.polarisation.variance == pytest.approx(0.16)


def test_deffuant_weisbuch_pair_meets_in_the_middle_or_not_at_all():
    """With two people a round's matching is always the pair: within ε and μ = 1/2 they meet at
    the mean at once; out of reach nothing moves."""
    near = simulate(group([[0.4], [0.6]], DeffuantWeisbuch(epsilon=0.3, mu=0.5, seed=5)))
    assert near.final == {"p1": pytest.approx((0.5,)), "p2": pytest.approx((0.5,))}
    assert near.rounds == 1
    far = simulate(group([[0.1], [0.9]], DeffuantWeisbuch(epsilon=0.2, mu=0.5)))
    assert far.final == {"p1": (0.1,), "p2": (0.9,)}
    assert far.converged


def test_multi_issue_with_identity_coupling_equals_friedkin_johnsen_per_issue():
    positions = [[0.1, 0.9], [0.7, 0.2], [0.4, 0.5]]
    w = [[0.5, 0.25, 0.25], [0.2, 0.6, 0.2], [0.3, 0.3, 0.4]]
    lam = [0.5, 0.8, 0.3]
    multi = simulate(group(positions, MultiIssueFriedkinJohnsen(), w, lam, tolerance=1e-13))
    plain = simulate(group(positions, FriedkinJohnsen(), w, lam, tolerance=1e-13))
    for person in ("p1", "p2", "p3"):
        assert multi.final[person] == pytest.approx(plain.final[person], abs=1e-10)


def test_multi_issue_coupling_by_hand_for_one_stubborn_person():
    """λ = 0: x = u whatever C. λ = 1 alone with C = [[0.5, -0.5], [0, 1]] in centred units
    y = Cy has y₁ = 0.5y₁ − 0.5y₂, so y₁ = −y₂: with x₂ = 0.9 (y₂ = 0.8), x₁ = (1 − 0.8)/2."""
    coupling = ((0.5, -0.5), (0.0, 1.0))
    stubborn = simulate(
        group([[0.2, 0.9]], MultiIssueFriedkinJohnsen(coupling=coupling), [[1.0]], [0.0])
    )
    assert stubborn.final["p1"] == pytest.approx((0.2, 0.9))
    open_minded = simulate(
        group(
            [[0.2, 0.9]],
            MultiIssueFriedkinJohnsen(coupling=coupling),
            [[1.0]],
            [1.0],
            tolerance=1e-13,
        )
    )
    assert open_minded.final["p1"] == pytest.approx(((1 - 0.8) / 2, 0.9), abs=1e-9)


def test_record_every_thins_the_trajectory_but_keeps_the_last_round():
    discussion = group(
        [[0.9], [0.3]], DeGroot(), [[0.5, 0.5], [0.25, 0.75]], tolerance=1e-13, record_every=5
    )
    result = simulate(discussion)
    rounds = result.trajectory_rounds
    assert rounds[0] == 0
    assert rounds[-1] == result.rounds
    assert all(k % 5 == 0 for k in rounds[:-1])
    assert len(result.trajectory) == len(rounds)
    assert result.trajectory[-1] == tuple(result.final[p] for p in ("p1", "p2"))


@pytest.mark.parametrize(
    "model",
    [HegselmannKrause(epsilon=1.0, network=True), DeffuantWeisbuch(epsilon=1.0, network=True)],
)
def test_on_a_network_nobody_hears_a_stranger(model):
    """Bounded confidence restricted to W: with W = I nobody moves, however wide ε."""
    result = simulate(group([[0.1], [0.9]], model, [[1, 0], [0, 1]]))
    assert result.final == {"p1": (0.1,), "p2": (0.9,)}
    assert result.converged


def test_with_model_switches_the_model_and_the_seeds():
    base = group([[0.2], [0.6]], FriedkinJohnsen(), [[0.5, 0.5], [0.5, 0.5]], [0.5, 0.5])
    switched = with_model(base, "deffuant-weisbuch", 7)
    assert switched.model == DeffuantWeisbuch(seed=7)
    assert switched.monte_carlo.seed == 7
    assert with_model(base, "friedkin-johnsen", None) == base
    tuned = with_model(group([[0.2]], HegselmannKrause(epsilon=0.05)), "hegselmann-krause", 3)
    assert tuned.model == HegselmannKrause(epsilon=0.05)  # same kind keeps its parameters
