"""The briefing plans: the least effort against a brute-force grid (without uncertainty),
the sandwich's top and base, and robust plans whose probability holds when re-measured."""

from __future__ import annotations

import itertools

import msgspec
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.discussion.intervention import SAFETY, intervene
from models.discussion.types import (
    Discussion,
    FriedkinJohnsen,
    InterventionOptions,
    MonteCarloOptions,
    Network,
    Plan,
    Proposal,
    ReportingLine,
    Stakeholder,
)
from service.cli.discussion import builtin_discussions

from .strategies import discussions

W = [[0.6, 0.2, 0.2], [0.3, 0.5, 0.2], [0.1, 0.3, 0.6]]
LAMBDA = [0.5, 0.6, 0.4]
U = [0.2, 0.3, 0.45]
COST = [1.0, 2.0, 1.5]
ROLES = ["ceo", "hr", "employees"]  # top, middle, base
STEP = 0.01
CERTAIN = MonteCarloOptions(position_spread=0.0, susceptibility_spread=0.0, weight_spread=0.0)


def three(
    proposal: Proposal,
    veto: tuple[bool, ...] = (False, False, False),
    odds: MonteCarloOptions = CERTAIN,
) -> Discussion:
    """Three stakeholders; without uncertainty by default, so every plan that passes passes
    in every draw and the robust plan is the least-effort plan at the smallest margin."""
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
        monte_carlo=odds,
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
    assert plan.margin == SAFETY
    best = brute_force(passes)
    # the grid can only be worse than the continuous optimum, by at most one step per person
    assert plan.effort <= best + 1e-6
    assert plan.effort >= best - STEP * sum(COST) - 1e-6
    assert plan.effort == pytest.approx(sum(m.effort for m in plan.moves))


def test_the_sandwich_briefs_the_top_and_the_base():
    proposal = Proposal(issue="q", threshold=0.5)
    result = intervene(three(proposal))
    assert (result.top, result.base) == (("p0",), ("p2",))
    assert result.sandwich_members == ("p0", "p2")
    moves = {m.stakeholder: m for m in result.sandwich.moves}
    assert set(moves) == {"p0", "p2"}  # both, not only the cheaper one
    assert all(m.after - m.before >= 0.05 - 1e-9 for m in moves.values())
    best = brute_force(lambda x: (x >= 0.5).sum(1) >= 2, allowed=(0, 2))
    assert result.sandwich.effort <= best + 1e-6
    assert result.sandwich.effort >= best - STEP * sum(COST) - 1e-6
    assert result.sandwich.effort >= result.least_effort.effort - 1e-9


def test_without_tiers_the_reporting_lines_define_the_top_and_the_base():
    people = tuple(
        msgspec.structs.replace(s, role="x") for s in three(Proposal(issue="q")).stakeholders
    )
    lines = Network(
        influence=tuple(map(tuple, W)),
        reporting=(ReportingLine("p1", "p0"), ReportingLine("p2", "p1")),
    )
    result = intervene(
        msgspec.structs.replace(three(Proposal(issue="q")), stakeholders=people, network=lines)
    )
    assert (result.top, result.base) == (("p0",), ("p2",))


def test_a_sandwich_without_a_base_says_so():
    people = tuple(
        msgspec.structs.replace(s, role="hr" if s.id == "p2" else s.role)
        for s in three(Proposal(issue="q")).stakeholders
    )
    result = intervene(msgspec.structs.replace(three(Proposal(issue="q")), stakeholders=people))
    assert result.base == ()
    assert result.sandwich.status == "infeasible"
    assert "no base" in result.sandwich.message


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


# --------------------------------------------------------------------------- robust plans


def reaches(plan: Plan, target: float) -> None:
    """The plan reaches the target on its search seed (lower bound) and, re-measured with
    another seed, within that Monte Carlo interval."""
    assert plan.probability is not None
    assert plan.remeasured is not None
    assert plan.remeasured.seed != plan.probability.seed
    assert plan.remeasured.draws == plan.probability.draws
    assert plan.probability.interval[0] >= target
    assert plan.remeasured.interval[1] >= target
    assert plan.decision is not None
    assert plan.decision.passes
    assert plan.effort == pytest.approx(sum(m.effort for m in plan.moves))


def test_the_knife_edge_plan_is_replaced_by_a_robust_one():
    csmo_ceo = builtin_discussions()["csmo-ceo"]
    knife = intervene(csmo_ceo, InterventionOptions(target=0.01)).least_effort
    assert knife.margin == SAFETY
    assert knife.probability is not None
    assert knife.probability.probability < 0.6  # lands on the threshold: about a coin toss
    robust = intervene(csmo_ceo).least_effort
    assert robust.status == "optimal"
    assert robust.margin > 0.01
    reaches(robust, 0.8)
    assert robust.effort > knife.effort
    # the sandwich used to brief the CEO alone; now the top and the base
    sandwich = intervene(csmo_ceo).sandwich
    assert {m.stakeholder for m in sandwich.moves} == {"ceo", "employees"}


@pytest.mark.parametrize("key", sorted(builtin_discussions()))
def test_every_builtin_plan_reaches_its_target_or_says_how_close_it_came(key):
    result = intervene(builtin_discussions()[key])
    for plan in (result.least_effort, result.sandwich):
        if plan.status == "optimal":
            reaches(plan, result.target)
        elif plan.status == "target-not-reached":
            assert plan.probability is not None
            assert plan.probability.interval[0] < result.target
            assert f"{plan.probability.probability:.1%}" in plan.message
        elif plan.status == "not-needed":
            assert result.baseline_probability.interval[0] >= result.target
        else:
            assert plan.status == "infeasible"
    if result.sandwich.moves:
        briefed = {m.stakeholder for m in result.sandwich.moves}
        assert briefed & set(result.top)
        assert briefed & set(result.base)


def test_an_unreachable_target_says_so_with_the_best_probability():
    uncertain = MonteCarloOptions(draws=400, position_spread=0.3)
    discussion = msgspec.structs.replace(
        three(Proposal(issue="q", threshold=0.55), odds=uncertain),
        intervention=InterventionOptions(max_move=0.4, target=0.99),
    )
    plan = intervene(discussion).least_effort
    assert plan.status == "target-not-reached"
    assert plan.probability is not None
    assert plan.probability.probability < 0.99
    assert "no plan found reaches P(pass) 99%" in plan.message
    assert plan.moves


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(discussions(FriedkinJohnsen(), min_size=3, max_size=5, max_susceptibility=0.9), st.data())
def test_a_robust_plan_holds_when_re_measured(discussion, data):
    target = data.draw(st.sampled_from((0.6, 0.8, 0.9)))
    odds = MonteCarloOptions(draws=300, seed=data.draw(st.integers(0, 1000)))
    discussion = msgspec.structs.replace(discussion, monte_carlo=odds)
    result = intervene(discussion, InterventionOptions(target=target))
    for plan in (result.least_effort, result.sandwich):
        if plan.status == "optimal":
            reaches(plan, target)
