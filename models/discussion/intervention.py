"""Whom to brief: the least effort that makes a proposal pass, against the sandwich strategy.

The Friedkin–Johnsen equilibrium is linear in the initial positions: on the proposal's
issue p, x* = x⁰ + V_p δ when the initial positions on p move by δ (x⁰ = today's equilibrium;
V_p = (I − ΛW)⁻¹(I − Λ) for FJ, the (p, p) block of (I − C ⊗ ΛW)⁻¹ times (I − Λ) for the
multi-issue model). Bounded-confidence and DeGroot discussions are planned on the FJ
equilibrium with the stakeholders' susceptibilities (their outcomes are not linear in u).

MILP (PuLP, solved by HiGHS through :mod:`models.solver`), over the stakeholders S that may
be briefed:

    minimise   Σ_{i∈S} c_i (δ⁺_i + δ⁻_i) + f Σ_{i∈S} b_i
    subject to x_j = x⁰_j + Σ_{i∈S} V_p[j, i] (δ⁺_i − δ⁻_i)          for every j
               x_j ≥ (t + η) s_j                                        (s_j = 1 ⇒ j supports)
               majority: Σ_j s_j ≥ ⌊n/2⌋ + 1;  weighted: Σ_j w_j s_j ≥ W/2 + η W;
               qualified: Σ_j w_j s_j ≥ q W;  vetoes: s_v = 1 for each veto holder v
               δ⁺_i + δ⁻_i ≤ m b_i,  0 ≤ δ⁺_i ≤ 1 − u_i,  0 ≤ δ⁻_i ≤ u_i
               s, b binary (b_i = 1: stakeholder i is briefed)

with c the stakeholders' ``cost``, f the fixed ``briefing_cost``, t the threshold, m the
``max_move`` and η = 1e-6 a safety margin. Because x_j ≥ 0 always, x_j ≥ (t + η)s_j is the
big-M form with M = t + η. Every plan is checked by recomputing the equilibrium with the moved
positions. The *sandwich* solves the same model with S = the top (executive, board) and the
base (employees, ambassadors) only.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pulp

from models import solver
from models.errors import InvalidInput, SolverFailure

from .decision import decide
from .dynamics import coupling_matrix, equilibrium, multi_issue_equilibrium, total_influence
from .simulation import Inputs, inputs
from .types import (
    Decision,
    Discussion,
    InterventionOptions,
    InterventionResult,
    InterventionStatus,
    Move,
    MultiIssueFriedkinJohnsen,
    Plan,
    Proposal,
    Strategy,
)

SAFETY = 1e-6
# Moves smaller than this are solver noise, not a briefing.
NEGLIGIBLE = 1e-9


def planned_equilibrium(
    discussion: Discussion, data: Inputs, initial: np.ndarray
) -> np.ndarray | None:
    """The FJ (or multi-issue FJ) equilibrium X* (n × m) for the initial positions ``initial``."""
    model = discussion.model
    if isinstance(model, MultiIssueFriedkinJohnsen):
        coupling = coupling_matrix(model, initial.shape[1])
        return multi_issue_equilibrium(data.w, data.susceptibility, coupling, initial)
    return equilibrium(data.w, data.susceptibility, initial)


def issue_sensitivity(discussion: Discussion, data: Inputs, issue: int) -> np.ndarray | None:
    """V_p: how the equilibrium on ``issue`` moves per unit move of the initial positions on it."""
    model = discussion.model
    lam = data.susceptibility
    if not isinstance(model, MultiIssueFriedkinJohnsen):
        return total_influence(data.w, lam)
    n, m = data.initial.shape
    system = np.eye(n * m) - np.kron(coupling_matrix(model, m), lam[:, None] * data.w)
    if np.linalg.cond(system) > 1e12:
        return None
    block = slice(issue * n, (issue + 1) * n)
    return np.asarray(np.linalg.inv(system)[block, block] * (1.0 - lam)[None, :], dtype=float)


def intervene(
    discussion: Discussion,
    options: InterventionOptions | None = None,
    deadline: float | None = None,
) -> InterventionResult:
    """The least-effort briefing plan that makes the proposal pass, and the sandwich's.

    Args:
        discussion: with a proposal.
        options: limits of the plan; ``discussion.intervention`` when None.
        deadline: ``time.monotonic()`` by which both plans are found (default: the time
            limit from now); each plan's MILP gets its share of what is left.

    Raises:
        InvalidInput: without a proposal, or when the equilibrium is not unique
            (I − ΛW singular: a closed group of fully open stakeholders).
        SolverFailure: when HiGHS fails (not when it proves that no plan exists).
    """
    proposal = discussion.proposal
    if proposal is None:
        raise InvalidInput.single("/proposal", "an intervention needs a proposal to make pass")
    opts = options or discussion.intervention
    data = inputs(discussion)
    issue = discussion.issues.index(proposal.issue)
    today = planned_equilibrium(discussion, data, data.initial)
    sensitivity = issue_sensitivity(discussion, data, issue)
    if today is None or sensitivity is None:
        raise InvalidInput.single(
            "/stakeholders",
            "no unique Friedkin–Johnsen equilibrium (I − ΛW is singular): give some stakeholder "
            "in each closed group a susceptibility below 1",
        )
    baseline = decide(proposal, data.ids, today[:, issue], data.weights, data.veto)
    excluded = set(opts.exclude)
    everyone = [i for i, s in enumerate(discussion.stakeholders) if s.id not in excluded]
    sandwich = [i for i in everyone if discussion.stakeholders[i].effective_tier != "middle"]
    strategies: tuple[tuple[Strategy, list[int]], ...] = (
        ("least-effort", everyone),
        ("sandwich", sandwich),
    )
    if deadline is None:
        deadline = time.monotonic() + opts.time_limit
    plans = []
    for done, (strategy, allowed) in enumerate(strategies):
        limit = min(opts.time_limit, max(deadline - time.monotonic(), 0.0) / (2 - done))
        given = (discussion, data, issue, today, sensitivity, baseline, opts, limit)
        plans.append(_plan(strategy, allowed, *given))
    return InterventionResult(
        discussion=discussion.id,
        issue=proposal.issue,
        baseline=baseline,
        least_effort=plans[0],
        sandwich=plans[1],
        sandwich_members=tuple(data.ids[i] for i in sandwich),
    )


def _plan(
    strategy: Strategy,
    allowed: list[int],
    discussion: Discussion,
    data: Inputs,
    issue: int,
    today: np.ndarray,
    sensitivity: np.ndarray,
    baseline: Decision,
    opts: InterventionOptions,
    time_limit: float,
) -> Plan:
    def plan(
        status: InterventionStatus,
        message: str,
        effort: float | None = None,
        moves: tuple[Move, ...] = (),
        decision: Decision | None = None,
    ) -> Plan:
        return Plan(
            strategy=strategy,
            status=status,
            message=message,
            effort=effort,
            moves=moves,
            decision=decision,
        )

    if baseline.passes:
        return plan(
            "not-needed",
            "the proposal passes without briefing",
            effort=0.0,
            moves=(),
            decision=baseline,
        )
    if not allowed:
        return plan("infeasible", "nobody may be briefed")
    proposal = discussion.proposal
    assert proposal is not None
    problem, up, down = _model(proposal, allowed, discussion, data, issue, today, sensitivity, opts)
    answer = solver.solve(problem, solver.Settings(time_limit=time_limit))
    if answer.status == "error":
        raise SolverFailure(f"the briefing plan could not be solved: {answer.message}")
    if answer.status == "no-solution":
        return plan(
            "time-limit",
            f"no plan found within {time_limit:.3g} s",
            effort=None,
            moves=(),
            decision=None,
        )
    if answer.status == "infeasible":
        who = (
            "briefing everyone allowed"
            if strategy == "least-effort"
            else "briefing the top and the base"
        )
        return plan(
            "infeasible",
            f"{who} cannot make the proposal pass (within a move of {opts.max_move:g} each)",
            effort=None,
            moves=(),
            decision=None,
        )
    delta = np.zeros(len(data.ids))
    for i in allowed:
        delta[i] = answer.value(up[i]) - answer.value(down[i])
    delta[np.abs(delta) < NEGLIGIBLE] = 0.0
    moved = data.initial.copy()
    moved[:, issue] = np.clip(moved[:, issue] + delta, 0.0, 1.0)
    after = planned_equilibrium(discussion, data, moved)
    assert after is not None  # V does not depend on u
    decision = decide(proposal, data.ids, after[:, issue], data.weights, data.veto)
    cost = np.array([s.cost for s in discussion.stakeholders])
    briefed = np.flatnonzero(delta)
    moves = tuple(
        Move(
            data.ids[i],
            float(data.initial[i, issue]),
            float(moved[i, issue]),
            float(cost[i] * abs(delta[i])),
        )
        for i in briefed.tolist()
    )
    effort = float((cost * np.abs(delta)).sum() + opts.briefing_cost * briefed.size)
    proven = answer.status == "optimal"
    status: InterventionStatus = "optimal" if proven else "time-limit"
    if not decision.passes:
        return plan(
            "error",
            "the solver's plan does not make the proposal pass when rechecked",
            effort=effort,
            moves=moves,
            decision=decision,
        )
    names = ", ".join(m.stakeholder for m in moves)
    return plan(
        status,
        f"brief {names}: total effort {effort:.3g}"
        + ("" if proven else " (best found, not proven least)"),
        effort=effort,
        moves=moves,
        decision=decision,
    )


def _model(
    proposal: Proposal,
    allowed: list[int],
    discussion: Discussion,
    data: Inputs,
    issue: int,
    today: np.ndarray,
    sensitivity: np.ndarray,
    opts: InterventionOptions,
) -> tuple[pulp.LpProblem, dict[int, pulp.LpVariable], dict[int, pulp.LpVariable]]:
    ids = data.ids
    u = data.initial[:, issue]
    problem = pulp.LpProblem("briefing", pulp.LpMinimize)
    up = {i: pulp.LpVariable(f"up[{ids[i]}]", 0.0, min(opts.max_move, 1.0 - u[i])) for i in allowed}
    down = {i: pulp.LpVariable(f"down[{ids[i]}]", 0.0, min(opts.max_move, u[i])) for i in allowed}
    brief = {i: pulp.LpVariable(f"brief[{ids[i]}]", cat="Binary") for i in allowed}
    supports = [pulp.LpVariable(f"supports[{s}]", cat="Binary") for s in ids]
    cost = [s.cost for s in discussion.stakeholders]
    problem += pulp.lpSum(
        cost[i] * (up[i] + down[i]) + opts.briefing_cost * brief[i] for i in allowed
    )
    for i in allowed:
        problem += up[i] + down[i] <= opts.max_move * brief[i], f"briefed[{ids[i]}]"
    # δ_i = δ⁺_i − δ⁻_i once, so each support row references n terms instead of 2n.
    delta = {
        i: pulp.LpVariable(f"move[{ids[i]}]", -down[i].upBound, up[i].upBound) for i in allowed
    }
    for i in allowed:
        problem += delta[i] == up[i] - down[i], f"move[{ids[i]}]"
    bar = proposal.threshold + SAFETY
    columns = sensitivity[:, allowed]
    for j, name in enumerate(ids):
        terms = [(delta[i], c) for i, c in zip(allowed, columns[j].tolist(), strict=True) if c]
        terms.append((supports[j], -bar))
        position = pulp.LpAffineExpression(terms, constant=float(today[j, issue]))
        problem += position >= 0, f"supports[{name}]"
    weights = data.weights.tolist()
    total = float(data.weights.sum())
    if proposal.rule == "majority":
        problem += pulp.lpSum(supports) >= math.floor(len(ids) / 2) + 1, "majority"
    elif proposal.rule == "weighted":
        problem += (
            pulp.lpSum(w * s for w, s in zip(weights, supports, strict=True))
            >= total * (0.5 + SAFETY),
            "weighted",
        )
    else:
        problem += (
            pulp.lpSum(w * s for w, s in zip(weights, supports, strict=True))
            >= total * proposal.quota,
            "qualified",
        )
    if proposal.vetoes:
        for j in np.flatnonzero(data.veto).tolist():
            problem += supports[j] == 1, f"veto[{ids[j]}]"
    return problem, up, down
