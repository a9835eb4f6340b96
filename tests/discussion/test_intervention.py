"""The least-effort briefing plan against a brute-force grid, and the sandwich."""

from __future__ import annotations

import itertools

import msgspec
import numpy as np
import pytest

from models.discussion.intervention import intervene
from models.discussion.types import (
    Discussion,
    InterventionOptions,
    Network,
    Proposal,
    Stakeholder,
)

W = [[0.6, 0.2, 0.2], [0.3, 0.5, 0.2], [0.1, 0.3, 0.6]]
LAMBDA = [0.5, 0.6, 0.4]
U = [0.2, 0.3, 0.45]
COST = [1.0, 2.0, 1.5]
ROLES = ["ceo", "hr", "employees"]  # top, middle, base
STEP = 0.01


def three(proposal: Proposal, veto: tuple[bool, ...] = (False, False, False)) -> Discussion:
    people = tuple(
        Stakeholder(
            id=f"p{i}",
            name=f"P{i}",
            role=ROLES[i],
            positions=(U[i],),
            susceptibility=LAMBDA[i],
            cost=COST[i],
            veto=veto[i],
            weight=[1.0, 1.0, 3.0][i],
        )
        for i in range(3)
    )
    return Discussion(
        id="three",
        name="Three",
        issues=("q",),
        stakeholders=people,
        network=Network(influence=tuple(map(tuple, W))),
        proposal=proposal,
    )


def brute_force(passes, allowed=(0, 1, 2)) -> float:
    """The least Σ c_i |δ_i| over a grid of upward moves (step 0.01) that passes."""
    lam = np.diag(LAMBDA)
    v = np.linalg.inv(np.eye(3) - lam @ np.array(W)) @ (np.eye(3) - lam)
    grids = [
        np.arange(0.0, 1.0 - U[i] + 1e-9, STEP) if i in allowed else np.zeros(1) for i in range(3)
    ]
    moves = np.array(list(itertools.product(*grids)))  # (K, 3)
    final = (np.array(U) + moves) @ v.T
    ok = passes(final)
    return float((moves[ok] * COST).sum(axis=1).min()) if ok.any() else float("inf")


@pytest.mark.parametrize(
    ("proposal", "veto", "passes"),
    [
        (Proposal(issue="q", threshold=0.5), (False,) * 3, lambda x: (x >= 0.5).sum(1) >= 2),
        (
            Proposal(issue="q", threshold=0.5, rule="weighted"),
            (False,) * 3,
            lambda x: ((x >= 0.5) * [1, 1, 3]).sum(1) > 2.5,
        ),
        (
            Proposal(issue="q", threshold=0.45),
            (True, False, False),
            lambda x: ((x >= 0.45).sum(1) >= 2) & (x[:, 0] >= 0.45),
        ),
    ],
)
def test_least_effort_matches_a_brute_force_grid(proposal, veto, passes):
    result = intervene(three(proposal, veto))
    assert not result.baseline.passes
    plan = result.least_effort
    assert plan.status == "optimal"
    assert plan.decision is not None
    assert plan.decision.passes
    best = brute_force(passes)
    # the grid can only be worse than the continuous optimum, by at most one step per person
    assert plan.effort <= best + 1e-6
    assert plan.effort >= best - STEP * sum(COST) - 1e-6
    assert plan.effort == pytest.approx(sum(m.effort for m in plan.moves))


def test_the_sandwich_briefs_only_the_top_and_the_base():
    proposal = Proposal(issue="q", threshold=0.5)
    result = intervene(three(proposal))
    assert result.sandwich_members == ("p0", "p2")
    assert {m.stakeholder for m in result.sandwich.moves} <= {"p0", "p2"}
    best = brute_force(lambda x: (x >= 0.5).sum(1) >= 2, allowed=(0, 2))
    assert result.sandwich.effort <= best + 1e-6
    assert result.sandwich.effort >= result.least_effort.effort - 1e-9


def test_the_sandwich_cannot_make_it_pass_when_the_middle_holds_a_veto():
    limited = msgspec.structs.replace(
        three(Proposal(issue="q", threshold=0.55), veto=(False, True, False)),
        intervention=InterventionOptions(max_move=0.3),
    )
    result = intervene(limited)
    assert result.sandwich.status == "infeasible"
    assert result.sandwich.effort is None
    assert "cannot make the proposal pass" in result.sandwich.message
    assert result.least_effort.status == "optimal"
    assert any(m.stakeholder == "p1" for m in result.least_effort.moves)


def test_nothing_to_do_when_it_already_passes():
    result = intervene(three(Proposal(issue="q", threshold=0.2)))
    assert result.baseline.passes
    assert result.least_effort.status == "not-needed"
    assert result.least_effort.effort == 0.0
    assert result.least_effort.moves == ()
