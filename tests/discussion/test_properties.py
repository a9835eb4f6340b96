"""Domain invariants of the opinion dynamics, stated as hypothesis properties."""

from __future__ import annotations

import msgspec
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from models.discussion.codec import check, decode_discussion
from models.discussion.dynamics import run
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import simulate
from models.discussion.types import (
    DeffuantWeisbuch,
    DeGroot,
    FriedkinJohnsen,
    HegselmannKrause,
    Model,
    MonteCarloOptions,
    MultiIssueFriedkinJohnsen,
)

from .strategies import discussions, permuted

SETTINGS = settings(max_examples=40, deadline=None)
AVERAGING: list[Model] = [DeGroot(), FriedkinJohnsen(), HegselmannKrause(epsilon=0.3)]


@SETTINGS
@given(st.sampled_from(AVERAGING).flatmap(lambda m: discussions(m, issues=2)))
def test_positions_stay_within_the_range_of_the_initial_ones(discussion):
    """Averaging models take convex combinations of views (FJ: of views and the anchor)."""
    result = simulate(discussion)
    initial = np.array([s.positions for s in discussion.stakeholders])
    trajectory = np.array(result.trajectory)
    assert (trajectory >= initial.min(axis=0) - 1e-12).all()
    assert (trajectory <= initial.max(axis=0) + 1e-12).all()


@SETTINGS
@given(discussions(FriedkinJohnsen(), max_susceptibility=0.9))
def test_friedkin_johnsen_iteration_reaches_the_closed_form(discussion):
    """With every λ ≤ 0.9, ρ(ΛW) ≤ 0.9 < 1: the iteration converges to (I − ΛW)⁻¹(I − Λ)u."""
    result = simulate(discussion)
    w = np.array(discussion.network.influence)
    lam = np.diag([s.susceptibility for s in discussion.stakeholders])
    u = np.array([s.positions for s in discussion.stakeholders])
    closed = np.linalg.inv(np.eye(len(w)) - lam @ w) @ (np.eye(len(w)) - lam) @ u
    final = np.array([result.final[s.id] for s in discussion.stakeholders])
    assert result.converged
    assert np.abs(final - closed).max() < 1e-8
    assert result.diagnostics.distance_to_equilibrium is not None
    assert result.diagnostics.distance_to_equilibrium < 1e-8


@SETTINGS
@given(discussions(FriedkinJohnsen(), proposal=False))
def test_full_susceptibility_reduces_friedkin_johnsen_to_degroot(discussion):
    open_minded = msgspec.structs.replace(
        discussion,
        max_rounds=200,
        stakeholders=tuple(
            msgspec.structs.replace(s, susceptibility=1.0) for s in discussion.stakeholders
        ),
    )
    fj = simulate(open_minded)
    degroot = simulate(msgspec.structs.replace(open_minded, model=DeGroot()))
    assert fj.rounds == degroot.rounds
    np.testing.assert_allclose(fj.trajectory, degroot.trajectory, atol=1e-12)


@SETTINGS
@given(discussions(DeffuantWeisbuch(epsilon=0.4, mu=0.3, seed=11)), st.integers(0, 2**32))
def test_the_same_seed_gives_the_same_result(discussion, seed):
    random = msgspec.structs.replace(
        discussion, model=DeffuantWeisbuch(epsilon=0.4, mu=0.3, seed=seed), max_rounds=300
    )
    assert simulate(random) == simulate(random)
    options = MonteCarloOptions(draws=50, seed=seed)
    assert monte_carlo(random, options) == monte_carlo(random, options)


@SETTINGS
@given(
    st.sampled_from([*AVERAGING, MultiIssueFriedkinJohnsen()]).flatmap(
        lambda m: discussions(m, issues=2, max_susceptibility=0.95)
    ),
    st.randoms(use_true_random=False),
)
def test_relabelling_the_stakeholders_permutes_the_output(discussion, random):
    order = list(range(len(discussion.stakeholders)))
    random.shuffle(order)
    before, after = simulate(discussion), simulate(permuted(discussion, order))
    for s in discussion.stakeholders:
        np.testing.assert_allclose(before.final[s.id], after.final[s.id], atol=1e-9)
    shares_before = {i.stakeholder: i.share for i in before.power.shares}
    shares_after = {i.stakeholder: i.share for i in after.power.shares}
    for s in discussion.stakeholders:
        assert abs(shares_before[s.id] - shares_after[s.id]) < 1e-9
    assert before.decision == after.decision or (
        before.decision is not None
        and after.decision is not None
        and set(before.decision.supporters) == set(after.decision.supporters)
        and before.decision.passes == after.decision.passes
    )


@SETTINGS
@given(discussions(FriedkinJohnsen(), max_susceptibility=0.99))
def test_total_influence_is_row_stochastic(discussion):
    """When every λ < 1, I − ΛW is invertible and V = (I − ΛW)⁻¹(I − Λ) satisfies V1 = 1, V ≥ 0."""
    result = simulate(discussion)
    assert result.power.method == "total-influence"
    v = np.array(result.power.total_influence)
    np.testing.assert_allclose(v.sum(axis=1), 1.0, atol=1e-9)
    assert (v >= -1e-12).all()
    assert abs(sum(i.share for i in result.power.shares) - 1.0) < 1e-9


@SETTINGS
@given(st.sampled_from(AVERAGING).flatmap(lambda m: discussions(m, issues=2)))
def test_a_discussion_survives_encoding_and_decoding(discussion):
    check(discussion)
    assert decode_discussion(msgspec.json.encode(discussion), "json") == discussion
    assert decode_discussion(msgspec.yaml.encode(discussion), "yaml") == discussion


@SETTINGS
@given(
    st.lists(st.floats(0, 1), min_size=2, max_size=12),
    st.floats(0.01, 0.5),
)
def test_hegselmann_krause_by_windows_equals_all_pairs(positions, epsilon):
    """One run is averaged over sorted windows, a batch of nine by comparing all pairs."""
    x = np.array(positions)[None, :, None]
    model, w = HegselmannKrause(epsilon=epsilon), np.eye(len(positions))
    rng = np.random.default_rng(0)
    alone = run(model, w, np.ones((1, len(positions))), x, max_rounds=50, tolerance=1e-12, rng=rng)
    batch = run(
        model,
        w,
        np.ones((9, len(positions))),
        np.repeat(x, 9, axis=0),
        max_rounds=50,
        tolerance=1e-12,
        rng=rng,
    )
    np.testing.assert_allclose(batch.final, np.repeat(alone.final, 9, axis=0), atol=1e-12)
    assert (batch.rounds == alone.rounds[0]).all()
