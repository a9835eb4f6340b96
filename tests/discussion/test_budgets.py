"""Time budgets and work limits in the discussion models: every phase keeps to the deadline and
says what it cut; a trajectory too long to keep is thinned by rule; the work limits (rounds,
draws) give the same answer on any machine, a time budget that binds says it does not."""

from __future__ import annotations

import time

import msgspec
import numpy as np
import pytest

from models.discussion.dynamics import run
from models.discussion.intervention import intervene
from models.discussion.montecarlo import Drawer, monte_carlo
from models.discussion.network import influence_matrix
from models.discussion.simulation import inputs, simulate
from models.discussion.types import (
    DeffuantWeisbuch,
    DeGroot,
    Discussion,
    FriedkinJohnsen,
    HegselmannKrause,
    MonteCarloOptions,
    Network,
    Proposal,
    Stakeholder,
    Trust,
)
from models.errors import BudgetExhausted

from .test_montecarlo import committee


def ring(n: int = 60, rounds: int = 100_000, model=None) -> Discussion:
    """n people, each listening to the next one round a ring: DeGroot mixes slowly (the
    second eigenvalue of the ring is close to 1), so it runs for a long time."""
    people = tuple(
        Stakeholder(id=f"p{i}", name=f"P{i}", role="x", positions=((i * 37 % 100) / 100,))
        for i in range(n)
    )
    trust = tuple(Trust(f"p{i}", f"p{(i + 1) % n}") for i in range(n))
    return Discussion(
        id="ring",
        name="Ring",
        issues=("q",),
        stakeholders=people,
        network=Network(trust=trust),
        model=model or DeGroot(),
        max_rounds=rounds,
        tolerance=1e-15,
        proposal=Proposal(issue="q"),
    )


def test_a_run_the_deadline_stops_says_where_and_what_depends_on_the_machine():
    discussion = ring()
    result = simulate(discussion, deadline=time.monotonic() + 0.3)
    assert 0 < result.rounds < discussion.max_rounds
    assert result.status == "not-converged"
    assert result.budget == (
        f"stopped at round {result.rounds:,} of 100,000 by the time budget; not converged"
    )
    assert result.message.startswith(result.budget)
    assert {"final", "decision", "trajectory", "coalitions"} <= set(result.machine_dependent)
    # the state it stopped in is DeGroot's after exactly that many rounds: W^N u
    w = influence_matrix(discussion)
    u = np.array([s.positions[0] for s in discussion.stakeholders])
    expected = np.linalg.matrix_power(w, result.rounds) @ u
    final = np.array([result.final[s.id][0] for s in discussion.stakeholders])
    assert final == pytest.approx(expected, abs=1e-9)
    assert result.trajectory_rounds[-1] == result.rounds


def test_a_run_the_deadline_never_let_start_leaves_every_model_out():
    result = simulate(committee(), deadline=time.monotonic() - 1.0)
    assert result.rounds == 0
    assert result.budget == "stopped at round 0 of 1,000 by the time budget; not converged"
    assert result.final == {s.id: s.positions for s in committee().stakeholders}
    assert result.agreement is not None
    assert result.agreement.models == ()
    assert result.agreement.not_run == (
        "degroot",
        "friedkin-johnsen",
        "hegselmann-krause",
        "deffuant-weisbuch",
    )
    assert "not run: the time budget ended first" in result.agreement.statement


def test_a_budget_that_does_not_bind_changes_nothing():
    discussion = committee()
    assert simulate(discussion, deadline=time.monotonic() + 3600) == simulate(discussion)
    assert simulate(discussion).machine_dependent == ()


def recorded(rounds: int, stride: int) -> list[int]:
    """Every stride-th round from 0, and the last."""
    kept = list(range(0, rounds + 1, stride))
    return kept if kept[-1] == rounds else [*kept, rounds]


@pytest.mark.parametrize(
    ("rounds", "record_every", "limit"),
    [(1000, 1, 50), (1000, 3, 50), (999, 1, 2), (10_000, 1, 627), (40, 1, 100), (64, 1, 33)],
)
def test_a_trajectory_too_long_to_keep_is_thinned_to_a_stride_that_fits(
    rounds, record_every, limit
):
    """The stride is the least power-of-two multiple of record_every whose rounds (every
    stride-th from 0, and the last) fit the limit, worked out here from that definition."""
    n = 3
    discussion = msgspec.structs.replace(
        ring(n, rounds, DeffuantWeisbuch(epsilon=1.0, mu=0.001)),
        record_every=record_every,
        tolerance=1e-300,  # never at rest: every round runs
    )
    stride = record_every
    while len(recorded(rounds, stride)) > limit:
        stride *= 2
    result = simulate(discussion, max_cells=limit * n)
    assert result.rounds == rounds
    assert list(result.trajectory_rounds) == recorded(rounds, stride)
    assert result.record_every == stride
    if stride == record_every:
        assert result.thinned is None
    else:
        assert result.thinned == (
            f"one round in {stride:,} of {rounds:,} (and the last): 3 stakeholders × 1 issues × "
            f"{len(recorded(rounds, stride))} recorded "
            f"rounds within {limit * n:,} numbers"
        )
    # the states it kept are those of the run it thinned
    whole = simulate(msgspec.structs.replace(discussion, record_every=1))
    by_round = dict(zip(whole.trajectory_rounds, whole.trajectory, strict=True))
    assert [by_round[k] for k in result.trajectory_rounds] == list(result.trajectory)


def test_monte_carlo_with_no_time_for_the_own_model_is_an_error_not_a_guess():
    with pytest.raises(BudgetExhausted, match="own model"):
        monte_carlo(committee(), deadline=time.monotonic() - 1.0)


def test_the_draws_are_the_work_limit_the_time_budget_is_not():
    """The same draws give the same answer with a budget that does not bind or without one;
    a budget that binds cuts the draws and says which figures then depend on the machine."""
    discussion = committee(DeffuantWeisbuch())
    options = MonteCarloOptions(draws=300, seed=4)
    free = monte_carlo(discussion, options)
    assert monte_carlo(discussion, options, deadline=time.monotonic() + 3600) == free
    assert (free.draws, free.budget, free.machine_dependent) == (300, None, ())

    slow = ring(40, 5000, FriedkinJohnsen())
    started = time.monotonic()
    cut = monte_carlo(slow, MonteCarloOptions(draws=40_000), deadline=started + 2.0)
    assert time.monotonic() - started < 2.0 + 1.0
    assert 1 < cut.draws < 40_000
    assert cut.budget is not None
    assert cut.budget.startswith(f"the time budget stopped Monte Carlo at {cut.draws:,} of 40,000")
    assert {"probability", "interval", "draws"} <= set(cut.machine_dependent)


def test_an_intervention_within_a_budget_that_does_not_bind_is_the_same_answer():
    discussion = committee()
    free = intervene(discussion)
    assert intervene(discussion, deadline=time.monotonic() + 3600) == free
    assert (free.budget, free.machine_dependent) == (None, ())


def test_an_intervention_out_of_time_says_what_it_cut():
    discussion = msgspec.structs.replace(
        ring(40, 5000, FriedkinJohnsen()),
        proposal=Proposal(issue="q", threshold=0.7),
        monte_carlo=MonteCarloOptions(draws=40_000),
    )
    started = time.monotonic()
    result = intervene(discussion, deadline=started + 2.0)
    assert time.monotonic() - started < 2.0 + 1.0
    # a margin search of 40,000 draws per step cannot end in two seconds: something is cut
    assert result.budget is not None
    assert result.machine_dependent == ("baseline_probability", "least_effort", "sandwich")


@pytest.mark.parametrize("spreads", [(0.1, 0.1, 0.2), (0.0, 0.3, 0.0)])
def test_draws_made_a_chunk_at_a_time_are_those_of_one_stream_read_at_once(spreads):
    """The documented layout, drawn here in one go: N × n × m position shifts, then N × n
    susceptibility shifts, then N × n weight factors, from default_rng(seed)."""
    discussion = msgspec.structs.replace(committee(), issues=("q", "r"))
    discussion = msgspec.structs.replace(
        discussion,
        stakeholders=tuple(
            msgspec.structs.replace(s, positions=(*s.positions, 0.5))
            for s in discussion.stakeholders
        ),
        proposal=Proposal(issue="q"),
    )
    p, s, w = spreads
    opts = MonteCarloOptions(
        draws=37, seed=11, position_spread=p, susceptibility_spread=s, weight_spread=w
    )
    data = inputs(discussion)
    n, m = data.initial.shape
    rng = np.random.default_rng(11)
    shift = rng.uniform(-p, p, (37, n, m))
    lean = rng.uniform(-s, s, (37, n))
    factor = rng.uniform(1 - w, 1 + w, (37, n))
    shift[0], lean[0], factor[0] = 0.0, 0.0, 1.0
    drawer = Drawer(data, opts)
    chunks = [drawer.next(k) for k in (1, 1, 2, 4, 8, 16, 5)]
    assert np.array_equal(
        np.concatenate([c.initial for c in chunks]), np.clip(data.initial + shift, 0, 1)
    )
    assert np.array_equal(
        np.concatenate([c.susceptibility for c in chunks]),
        np.clip(data.susceptibility + lean, 0, 1),
    )
    assert np.array_equal(np.concatenate([c.weights for c in chunks]), data.weights * factor)
    assert drawer.after.random() == rng.random()


@pytest.mark.parametrize("network", [False, True])
def test_hegselmann_krause_too_large_to_compare_at_once_follows_its_definition(network):
    """300 people on 50 issues: all pairs at once would be 4.5 million cells (36 MB per
    temporary); the run sorts or goes issue by issue, and each round is still, per issue,
    the mean of the views within ε (weighted by W + I on the network), computed here pair
    by pair."""
    rng = np.random.default_rng(5)
    n, m, rounds = 300, 50, 3
    initial = rng.uniform(0, 1, (n, m))
    w = rng.uniform(0, 1, (n, n)) * (rng.uniform(0, 1, (n, n)) < 0.05)
    w = (w + np.eye(n)) / (w + np.eye(n)).sum(axis=1, keepdims=True)
    model = HegselmannKrause(epsilon=0.1, network=network)
    outcome = run(
        model,
        w,
        np.full((1, n), 0.5),
        initial[None],
        max_rounds=rounds,
        tolerance=1e-300,
        rng=np.random.default_rng(0),
    )
    x = initial.copy()
    base = w + np.eye(n) if network else np.ones((n, n))
    for _ in range(rounds):
        new = np.empty_like(x)
        for p in range(m):
            within = np.abs(x[:, p][:, None] - x[:, p][None, :]) <= 0.1 + 1e-12
            weights = base * within
            new[:, p] = weights @ x[:, p] / weights.sum(axis=1)
        x = new
    assert outcome.final[0] == pytest.approx(x, abs=1e-12)
