"""Whom to brief: the least effort that makes a proposal pass robustly, against the sandwich.

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
``max_move`` and η a safety margin. Because x_j ≥ 0 always, x_j ≥ (t + η)s_j is the
big-M form with M = t + η. Every plan is checked by recomputing the equilibrium with the moved
positions.

*Robust plans.* A plan that lands exactly on the threshold passes about half the time once
the inputs are a little off. The margin η is therefore searched: for a margin the MILP gives
the least-effort plan, and the plan's probability of passing is measured by Monte Carlo on
the briefed discussion (the discussion's ``monte_carlo`` options, on the planning model); a
plan *reaches* ``target`` when the lower bound of the 95 % Wilson interval does, so the target
holds with 95 % confidence, not only on average. The least effort never falls as η grows (the
feasible set shrinks), so the smallest η whose plan reaches ``target`` is found by bisection
on [η₀, 1 − t] (:data:`SEARCH_STEPS` halvings, η₀ = 1e-6): a margin whose plan reaches the
target moves the search down; one whose plan falls short moves it up; one whose MILP is
infeasible (or not solved in the time limit) moves it down. The plan's probability is then
re-measured by an independent Monte Carlo run (seed + 1); both are reported with their 95 %
intervals. When no margin reaches the target the plan with the best probability found is
reported as ``target-not-reached``.

*A time budget* (``deadline``) bounds every part: each MILP gets at most a quarter of what is
left when it starts (and at most ``time_limit``), every Monte Carlo check stops at the
deadline with the draws it has done (:func:`models.discussion.montecarlo.chance`: fewer draws,
a wider interval, so a plan reaches the target less easily, never more), the least-effort
plan may use half of what is left after the baseline and the sandwich the rest, the margin
search stops when its share has passed, and the standard models' decisions leave out a model
whose run it stopped. ``budget`` says what was cut and ``machine_dependent`` which figures
that makes depend on the machine's speed; a MILP stopped by ``time_limit`` before its proof
counts as such a cut too. Without a deadline and with every MILP proven, the answer is the
same on any machine.

*The sandwich* briefs the top *and* the base: S = top ∪ base, and the MILP also asks
Σ_{i∈top} b_i ≥ 1, Σ_{i∈base} b_i ≥ 1 and δ⁺_i ≥ min(μ, 1 − u_i, m) b_i on them (μ the
``min_move``: a briefing moves someone towards the proposal). The top are the stakeholders
whose tier is top (given, or from the role: CEO, board, executive); when there are none, the
roots of the reporting lines (managers who report to nobody). The base are those whose tier is
base (given, or employees, ambassadors); when there are none, the members at the greatest depth
of the reporting lines (:func:`tiers`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import msgspec
import numpy as np
import pulp

from models import solver
from models.errors import BudgetExhausted, InvalidInput, SolverFailure
from models.messages import say

from .agreement import NAMES
from .decision import decide
from .dynamics import coupling_matrix, equilibrium, multi_issue_equilibrium, total_influence
from .montecarlo import chance
from .simulation import Inputs, agreement, inputs, model_kind
from .types import (
    Agreement,
    Chance,
    Decision,
    Discussion,
    FriedkinJohnsen,
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
SEARCH_STEPS = 10
# Moves smaller than this are solver noise, not a briefing.
NEGLIGIBLE = 1e-9
# Coefficients and bounds below this are rounding (HiGHS rejects subnormal numbers).
TINY = 1e-12
#: What an intervention cut by a time limit makes depend on the machine's speed.
CUT_PLANS = ("baseline_probability", "least_effort", "sandwich")


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


def tiers(discussion: Discussion) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The sandwich's top and base, as stakeholder indices (see the module docstring).

    Example (no tiers or telling roles: the reporting lines decide):
        >>> from models.discussion.types import Network, ReportingLine, Stakeholder
        >>> people = tuple(Stakeholder(id=i, name=i, role="x", positions=(0.5,)) for i in "abcd")
        >>> lines = (ReportingLine("b", "a"), ReportingLine("c", "b"), ReportingLine("d", "a"))
        >>> d = Discussion(id="d", name="d", issues=("q",), stakeholders=people,
        ...                network=Network(reporting=lines))
        >>> tiers(d)
        ((0,), (2,))
    """
    people = discussion.stakeholders
    index = {s.id: i for i, s in enumerate(people)}
    top = tuple(i for i, s in enumerate(people) if s.effective_tier == "top")
    base = tuple(i for i, s in enumerate(people) if s.effective_tier == "base")
    lines = discussion.network.reporting
    manager_of = {line.member: line.manager for line in lines}
    if not top:
        managers = {line.manager for line in lines}
        top = tuple(index[m] for m in sorted(managers - manager_of.keys(), key=index.__getitem__))
    if not base and lines:

        def depth(member: str) -> int:
            seen = {member}
            while member in manager_of and manager_of[member] not in seen:
                member = manager_of[member]
                seen.add(member)
            return len(seen) - 1

        deepest = max(depth(m) for m in manager_of)
        base = tuple(
            i for i, s in enumerate(people) if s.id in manager_of and depth(s.id) == deepest
        )
    return top, base


def planner(discussion: Discussion) -> Discussion:
    """The discussion as the plans see it: its own model when it is (multi-issue)
    Friedkin–Johnsen, else Friedkin–Johnsen with the stakeholders' susceptibilities."""
    if isinstance(discussion.model, FriedkinJohnsen | MultiIssueFriedkinJohnsen):
        return discussion
    return msgspec.structs.replace(discussion, model=FriedkinJohnsen())


def briefed(discussion: Discussion, issue: int, positions: np.ndarray) -> Discussion:
    """The discussion with the initial positions on ``issue`` replaced."""
    people = []
    for person, position in zip(discussion.stakeholders, positions.tolist(), strict=True):
        moved = list(person.positions)
        moved[issue] = position
        people.append(msgspec.structs.replace(person, positions=tuple(moved)))
    return msgspec.structs.replace(discussion, stakeholders=tuple(people))


def intervene(
    discussion: Discussion,
    options: InterventionOptions | None = None,
    deadline: float | None = None,
) -> InterventionResult:
    """The least-effort briefing plan that makes the proposal pass with probability at least
    ``target``, and the sandwich's (see the module docstring).

    Args:
        discussion: with a proposal.
        options: limits of the plan; ``discussion.intervention`` when None.
        deadline: a ``time.monotonic()`` every part keeps to (see the module docstring).

    Raises:
        InvalidInput: without a proposal, or when the equilibrium is not unique
            (I − ΛW singular: a closed group of fully open stakeholders).
        SolverFailure: when HiGHS fails (not when it proves that no plan exists).
        BudgetExhausted: when the deadline passes before the first draws of the baseline's
            probability are done.
    """
    proposal = discussion.proposal
    if proposal is None:
        raise InvalidInput.single("/proposal", "an intervention needs a proposal to make pass")
    opts = options or discussion.intervention
    planned = planner(discussion)
    data = inputs(planned)
    issue = planned.issues.index(proposal.issue)
    today = planned_equilibrium(planned, data, data.initial)
    sensitivity = issue_sensitivity(planned, data, issue)
    if today is None or sensitivity is None:
        raise InvalidInput.single(
            "/stakeholders",
            "no unique Friedkin–Johnsen equilibrium (I − ΛW is singular): give some stakeholder "
            "in each closed group a susceptibility below 1",
        )
    search = Search(
        original=discussion,
        discussion=planned,
        data=data,
        issue=issue,
        today=today,
        sensitivity=sensitivity,
        baseline=decide(proposal, data.ids, today[:, issue], data.weights, data.veto),
        baseline_chance=chance(planned, deadline=deadline),
        opts=opts,
    )
    search.counted("the baseline's probability", search.baseline_chance)
    excluded = set(opts.exclude)
    everyone = [i for i, s in enumerate(planned.stakeholders) if s.id not in excluded]
    top, base = tiers(planned)
    sandwich = [i for i in everyone if i in top or i in base]
    groups = [[i for i in top if i in sandwich], [i for i in base if i in sandwich]]
    halfway = None if deadline is None else (time.monotonic() + deadline) / 2.0
    least_effort = search.plan("least-effort", everyone, [], halfway)
    return InterventionResult(
        discussion=discussion.id,
        issue=proposal.issue,
        planned_on=model_kind(planned.model),
        target=opts.target,
        baseline=search.baseline,
        baseline_probability=search.baseline_chance,
        least_effort=least_effort,
        sandwich=search.plan("sandwich", sandwich, groups, deadline),
        sandwich_members=tuple(data.ids[i] for i in sandwich),
        top=tuple(data.ids[i] for i in top),
        base=tuple(data.ids[i] for i in base),
        budget="; ".join(dict.fromkeys(search.cuts)) or None,
        machine_dependent=CUT_PLANS if search.cuts else (),
    )


@dataclass(frozen=True)
class Candidate:
    """One margin's plan: the moves δ, who is briefed, its effort, nominal decision and odds."""

    margin: float
    delta: np.ndarray
    briefed: np.ndarray
    effort: float
    proven: bool
    decision: Decision
    chance: Chance


@dataclass(frozen=True)
class Search:
    """What every plan of one intervention shares: the discussion as given and as planned,
    and what the time budget cut (``cuts``, in words)."""

    original: Discussion
    discussion: Discussion
    data: Inputs
    issue: int
    today: np.ndarray
    sensitivity: np.ndarray
    baseline: Decision
    baseline_chance: Chance
    opts: InterventionOptions
    cuts: list[str] = field(default_factory=list)

    def counted(self, what: str, odds: Chance | None) -> None:
        """Note ``what`` when the budget stopped its draws early (or before the first)."""
        asked = self.discussion.monte_carlo.draws
        if odds is None:
            self.cuts.append(f"{what}: not measured, the time budget ended first")
        elif odds.draws < asked:
            self.cuts.append(f"{what}: {odds.draws:,} of {asked:,} draws")

    def _positions(self, delta: np.ndarray) -> np.ndarray:
        return np.asarray(np.clip(self.data.initial[:, self.issue] + delta, 0.0, 1.0))

    def _remeasure(self, positions: np.ndarray, deadline: float | None) -> Chance | None:
        odds = self.discussion.monte_carlo
        other = msgspec.structs.replace(odds, seed=(odds.seed + 1) % 2**63)
        try:
            return chance(briefed(self.discussion, self.issue, positions), other, deadline)
        except BudgetExhausted:
            return None

    def _agreement(self, discussion: Discussion, deadline: float | None) -> Agreement | None:
        votes = agreement(discussion, deadline=deadline)
        if votes is not None and votes.not_run:
            names = ", ".join(NAMES[k] for k in votes.not_run)
            self.cuts.append(f"the decision under {names} was not run to the end")
        return votes

    def _attempt(
        self,
        allowed: list[int],
        groups: Sequence[list[int]],
        margin: float,
        deadline: float | None,
    ) -> Candidate | InterventionStatus:
        """The least-effort plan at ``margin`` with its odds, or why there is none."""
        proposal = self.discussion.proposal
        assert proposal is not None
        data, issue = self.data, self.issue
        problem, up, down, brief = _model(
            proposal,
            allowed,
            groups,
            margin,
            self.discussion,
            data,
            issue,
            self.today,
            self.sensitivity,
            self.opts,
        )
        limit = self.opts.time_limit
        if deadline is not None:
            limit = max(min(limit, (deadline - time.monotonic()) / 4), 1e-3)
        answer = solver.solve(problem, solver.Settings(time_limit=limit))
        if answer.status == "error":
            raise SolverFailure(f"the briefing plan could not be solved: {answer.message}")
        if answer.status == "no-solution":
            return "time-limit"
        if answer.status == "infeasible":
            return "infeasible"
        delta = np.zeros(len(data.ids))
        chosen = np.zeros(len(data.ids), dtype=bool)
        for i in allowed:
            delta[i] = answer.value(up[i]) - answer.value(down[i])
            chosen[i] = answer.value(brief[i]) > 0.5 and any(i in g for g in groups)
        delta[np.abs(delta) < NEGLIGIBLE] = 0.0
        chosen |= delta != 0.0
        positions = self._positions(delta)
        moved = data.initial.copy()
        moved[:, issue] = positions
        after = planned_equilibrium(self.discussion, data, moved)
        assert after is not None  # V does not depend on u
        cost = np.array([s.cost for s in self.discussion.stakeholders])
        try:
            odds = chance(briefed(self.discussion, issue, positions), deadline=deadline)
        except BudgetExhausted:
            return "time-limit"
        return Candidate(
            margin=margin,
            delta=delta,
            briefed=chosen,
            effort=float((cost * np.abs(delta)).sum() + self.opts.briefing_cost * chosen.sum()),
            proven=answer.status == "optimal",
            decision=decide(proposal, data.ids, after[:, issue], data.weights, data.veto),
            chance=odds,
        )

    def plan(
        self,
        strategy: Strategy,
        allowed: list[int],
        groups: Sequence[list[int]],
        deadline: float | None = None,
    ) -> Plan:
        """The robust plan of one strategy (see the module docstring), within ``deadline``."""
        target = self.opts.target
        if self.baseline.passes and _reaches(self.baseline_chance, target):
            return Plan(
                strategy=strategy,
                status="not-needed",
                message=say(
                    "brief.not-needed",
                    probability=self.baseline_chance.probability,
                    target=target,
                ),
                effort=0.0,
                moves=(),
                decision=self.baseline,
                margin=0.0,
                probability=self.baseline_chance,
                remeasured=self._remeasured(strategy, np.zeros(len(self.data.ids)), deadline),
                agreement=self._agreement(self.original, deadline),
            )
        missing = [g for g in groups if not g]
        if not allowed or missing:
            who = say("brief.nobody") if not allowed else say("brief.no-sandwich")
            return _failed(strategy, "infeasible", who)
        proposal = self.discussion.proposal
        assert proposal is not None
        first = self._attempt(allowed, groups, SAFETY, deadline)
        if isinstance(first, str):
            if first == "time-limit":
                self.cuts.append(f"the {strategy} plan: none found in time")
            return _failed(strategy, first, self._why(first, strategy))
        self.counted(f"the {strategy} plan's probability", first.chance)
        found: Candidate | None = first if _reaches(first.chance, target) else None
        best = first
        low, high = SAFETY, 1.0 - proposal.threshold
        if found is None:
            for step in range(SEARCH_STEPS):
                if self._late(
                    deadline, f"the {strategy} plan's margin search: {step} of {SEARCH_STEPS} steps"
                ):
                    break
                margin = (low + high) / 2.0
                attempt = self._attempt(allowed, groups, margin, deadline)
                if attempt == "time-limit":
                    self.cuts.append(f"the {strategy} plan's margin search: a step ran out of time")
                if isinstance(attempt, str):
                    high = margin
                    continue
                if attempt.chance.probability > best.chance.probability:
                    best = attempt
                if _reaches(attempt.chance, target):
                    found, high = attempt, margin
                else:
                    low = margin
        return self._report(strategy, found or best, found is not None, deadline)

    def _late(self, deadline: float | None, cut: str) -> bool:
        """Whether ``deadline`` has passed; if so, ``cut`` is noted."""
        if deadline is None or time.monotonic() < deadline:
            return False
        self.cuts.append(cut)
        return True

    def _remeasured(
        self, strategy: Strategy, delta: np.ndarray, deadline: float | None
    ) -> Chance | None:
        odds = self._remeasure(self._positions(delta), deadline)
        self.counted(f"the {strategy} plan's re-measurement", odds)
        return odds

    def _why(self, status: InterventionStatus, strategy: Strategy) -> str:
        if status == "time-limit":
            return say("brief.time-limit", seconds=float(self.opts.time_limit))
        who = say("brief.everyone" if strategy == "least-effort" else "brief.sandwich")
        return say("brief.cannot", who=who, move=float(self.opts.max_move))

    def _report(
        self, strategy: Strategy, plan: Candidate, reached: bool, deadline: float | None
    ) -> Plan:
        data, issue = self.data, self.issue
        positions = self._positions(plan.delta)
        cost = [s.cost for s in self.discussion.stakeholders]
        moves = tuple(
            Move(
                data.ids[i],
                float(data.initial[i, issue]),
                float(positions[i]),
                float(cost[i] * abs(plan.delta[i])),
            )
            for i in np.flatnonzero(plan.briefed).tolist()
        )
        remeasured = self._remeasured(strategy, plan.delta, deadline)
        target = self.opts.target
        odds = say(
            "brief.odds",
            probability=plan.chance.probability,
            low=plan.chance.interval[0],
            high=plan.chance.interval[1],
            again=(
                say("brief.not-remeasured")
                if remeasured is None
                else say(
                    "brief.remeasured",
                    probability=remeasured.probability,
                    low=remeasured.interval[0],
                    high=remeasured.interval[1],
                    seed=remeasured.seed,
                )
            ),
        )
        names = ", ".join(m.stakeholder for m in moves)
        if not plan.decision.passes:
            status: InterventionStatus = "error"
            message = say("brief.rechecked")
        elif not reached:
            status = "target-not-reached"
            message = say(
                "brief.target-not-reached",
                target=target,
                names=names,
                effort=plan.effort,
                margin=plan.margin,
                odds=odds,
            )
        else:
            status = "optimal" if plan.proven else "time-limit"
            if not plan.proven:
                self.cuts.append(say("brief.cut-unproven", strategy=strategy))
            message = say(
                "brief.plan",
                names=names,
                effort=plan.effort,
                margin=plan.margin,
                odds=odds,
                proven="" if plan.proven else say("brief.unproven"),
            )
        return Plan(
            strategy=strategy,
            status=status,
            message=message,
            effort=plan.effort,
            moves=moves,
            decision=plan.decision,
            margin=plan.margin,
            probability=plan.chance,
            remeasured=remeasured,
            agreement=self._agreement(briefed(self.original, issue, positions), deadline),
        )


def _reaches(odds: Chance, target: float) -> bool:
    """The target holds with 95 % confidence: the Wilson interval's lower bound reaches it."""
    return odds.interval[0] >= target


def _failed(strategy: Strategy, status: InterventionStatus, message: str) -> Plan:
    return Plan(
        strategy=strategy, status=status, message=message, effort=None, moves=(), decision=None
    )


def _model(
    proposal: Proposal,
    allowed: list[int],
    groups: Sequence[list[int]],
    margin: float,
    discussion: Discussion,
    data: Inputs,
    issue: int,
    today: np.ndarray,
    sensitivity: np.ndarray,
    opts: InterventionOptions,
) -> tuple[
    pulp.LpProblem,
    dict[int, pulp.LpVariable],
    dict[int, pulp.LpVariable],
    dict[int, pulp.LpVariable],
]:
    ids = data.ids

    def reach(room: np.ndarray) -> list[float]:
        return [0.0 if r < TINY else min(opts.max_move, float(r)) for r in room.tolist()]

    highest = reach(1.0 - data.initial[:, issue])
    lowest = reach(data.initial[:, issue])
    problem = pulp.LpProblem("briefing", pulp.LpMinimize)
    up = {i: pulp.LpVariable(f"up[{ids[i]}]", 0.0, highest[i]) for i in allowed}
    down = {i: pulp.LpVariable(f"down[{ids[i]}]", 0.0, lowest[i]) for i in allowed}
    brief = {i: pulp.LpVariable(f"brief[{ids[i]}]", cat="Binary") for i in allowed}
    supports = [pulp.LpVariable(f"supports[{s}]", cat="Binary") for s in ids]
    cost = [s.cost for s in discussion.stakeholders]
    problem += pulp.lpSum(
        cost[i] * (up[i] + down[i]) + opts.briefing_cost * brief[i] for i in allowed
    )
    for i in allowed:
        problem += up[i] + down[i] <= opts.max_move * brief[i], f"briefed[{ids[i]}]"
    for g, group in enumerate(groups):
        problem += pulp.lpSum(brief[i] for i in group) >= 1, f"sandwich[{('top', 'base')[g]}]"
        for i in group:
            least = min(opts.min_move, float(up[i].upBound))
            problem += up[i] >= least * brief[i], f"briefing_moves[{ids[i]}]"
    # δ_i = δ⁺_i − δ⁻_i once, so each support row references n terms instead of 2n.
    delta = {
        i: pulp.LpVariable(f"move[{ids[i]}]", -down[i].upBound, up[i].upBound) for i in allowed
    }
    for i in allowed:
        problem += delta[i] == up[i] - down[i], f"move[{ids[i]}]"
    bar = proposal.threshold + margin
    columns = sensitivity[:, allowed]
    for j, name in enumerate(ids):
        terms = [
            (delta[i], c)
            for i, c in zip(allowed, columns[j].tolist(), strict=True)
            if abs(c) > TINY
        ]
        terms.append((supports[j], -bar))
        position = pulp.LpAffineExpression(terms, constant=float(today[j, issue]))
        problem += position >= 0, f"supports[{name}]"
    weights = [w if w > TINY else 0.0 for w in data.weights.tolist()]
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
    return problem, up, down, brief
