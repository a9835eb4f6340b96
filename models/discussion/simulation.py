"""Simulate a discussion: run the model, then read off diagnostics, coalitions, power and the
decision."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import numpy as np

from models.messages import count as plural
from models.messages import say

from .agreement import NAMES, agree, standard_models
from .coalitions import coalitions, polarisation
from .decision import decide
from .diagnostics import diagnose, settled
from .dynamics import Run, run
from .network import influence_matrix
from .power import social_power
from .types import (
    Agreement,
    DeffuantWeisbuch,
    DeGroot,
    Discussion,
    FriedkinJohnsen,
    HegselmannKrause,
    Model,
    ModelDecision,
    ModelKind,
    MultiIssueFriedkinJohnsen,
    SimulationResult,
)

MODELS: dict[ModelKind, type[Model]] = {
    "degroot": DeGroot,
    "friedkin-johnsen": FriedkinJohnsen,
    "multi-issue-friedkin-johnsen": MultiIssueFriedkinJohnsen,
    "hegselmann-krause": HegselmannKrause,
    "deffuant-weisbuch": DeffuantWeisbuch,
}


@dataclass(frozen=True)
class Inputs:
    """A discussion as arrays, stakeholders in file order: ids, initial positions U (n × m),
    susceptibilities (n,), weights (n,), veto flags (n,), and W (n × n)."""

    ids: tuple[str, ...]
    initial: np.ndarray
    susceptibility: np.ndarray
    weights: np.ndarray
    veto: np.ndarray
    w: np.ndarray


def inputs(discussion: Discussion) -> Inputs:
    """The arrays every computation starts from."""
    people = discussion.stakeholders
    return Inputs(
        ids=tuple(s.id for s in people),
        initial=np.array([s.positions for s in people], dtype=float),
        susceptibility=np.array([s.susceptibility for s in people], dtype=float),
        weights=np.array([s.weight for s in people], dtype=float),
        veto=np.array([s.veto for s in people], dtype=bool),
        w=influence_matrix(discussion),
    )


def model_kind(model: Model) -> ModelKind:
    """The tag of a model struct (``"friedkin-johnsen"`` …)."""
    kind: ModelKind = type(model).__struct_config__.tag  # type: ignore[assignment]
    return kind


def model_seed(model: Model) -> int:
    """The seed of a random model (Deffuant–Weisbuch), 0 for the deterministic ones."""
    return model.seed if isinstance(model, DeffuantWeisbuch) else 0


def with_model(discussion: Discussion, kind: ModelKind | None, seed: int | None) -> Discussion:
    """The discussion with another model (default parameters unless it is already that
    kind) and, when ``seed`` is given, that seed for Deffuant–Weisbuch and Monte Carlo."""
    model = discussion.model
    if kind is not None and kind != model_kind(model):
        model = MODELS[kind]()
    if seed is None:
        return msgspec.structs.replace(discussion, model=model)
    if isinstance(model, DeffuantWeisbuch):
        model = msgspec.structs.replace(model, seed=seed)
    return msgspec.structs.replace(
        discussion,
        model=model,
        monte_carlo=msgspec.structs.replace(discussion.monte_carlo, seed=seed),
    )


#: What a simulation's run stopped by the time budget makes depend on the machine's speed.
CUT_RUN = (
    "status",
    "converged",
    "message",
    "rounds",
    "final",
    "trajectory_rounds",
    "trajectory",
    "diagnostics",
    "coalitions",
    "consensus",
    "polarisation",
    "decision",
    "agreement",
)


def _rounds(count: int) -> str:
    return plural(count, "round")


def run_as_given(
    discussion: Discussion,
    model: Model,
    data: Inputs,
    deadline: float | None = None,
    record_every: int = 0,
    record_limit: int | None = None,
) -> Run:
    """One run of ``model`` from the discussion's initial positions."""
    return run(
        model,
        data.w,
        data.susceptibility[None, :],
        data.initial[None, :, :],
        max_rounds=discussion.max_rounds,
        tolerance=discussion.tolerance,
        rng=np.random.default_rng(model_seed(model)),
        record_every=record_every,
        record_limit=record_limit,
        deadline=deadline,
    )


def stakeholder_names(discussion: Discussion) -> dict[str, str]:
    """Stakeholder id → name, for sentences."""
    return {s.id: s.name for s in discussion.stakeholders}


def agreement(
    discussion: Discussion,
    data: Inputs | None = None,
    deadline: float | None = None,
    own: Run | None = None,
) -> Agreement | None:
    """The proposal's decision under each standard model (:mod:`models.discussion.agreement`),
    at the inputs as given; None without a proposal. ``own``: the discussion's own model's run
    from these inputs, when the caller has it (not run again).

    Each run stops at ``deadline`` (a ``time.monotonic()``); a model whose run it stopped is
    left out and named in ``not_run``: the state a stopped run reached depends on the
    machine's speed, so its decision would not be the model's.

    Example (B listens only to a stubborn A at 0.9: the averaging models bring B there, the
    bounded-confidence ones do not, as 0.1 is out of A's reach):
        >>> from models.discussion.types import Network, Proposal, Stakeholder, Trust
        >>> people = (
        ...     Stakeholder(id="a", name="A", role="ceo", positions=(0.9,), susceptibility=0.0),
        ...     Stakeholder(id="b", name="B", role="hr", positions=(0.1,), susceptibility=1.0),
        ... )
        >>> d = Discussion(id="d", name="d", issues=("q",), stakeholders=people,
        ...                network=Network(trust=(Trust("b", "a"),)), proposal=Proposal(issue="q"))
        >>> votes = agreement(d)
        >>> [(e.name, e.decision.passes) for e in votes.models], votes.unanimous
        ([('DeGroot', True), ('Friedkin–Johnsen', True), ('Hegselmann–Krause', False), \
('Deffuant–Weisbuch', False)], False)
    """
    proposal = discussion.proposal
    if proposal is None:
        return None
    data = data or inputs(discussion)
    issue = discussion.issues.index(proposal.issue)
    entries, stopped = [], []
    for model, defaults in standard_models(discussion.model):
        mine = model is discussion.model
        outcome = (
            own if mine and own is not None else run_as_given(discussion, model, data, deadline)
        )
        kind = model_kind(model)
        if outcome.stopped_at is not None:
            stopped.append(kind)
            continue
        entries.append(
            ModelDecision(
                model=model,
                name=NAMES[kind],
                own=mine,
                defaults=defaults,
                status="converged" if outcome.converged[0] else "not-converged",
                decision=decide(
                    proposal, data.ids, outcome.final[0][:, issue], data.weights, data.veto
                ),
            )
        )
    return agree(entries, stakeholder_names(discussion), stopped)


def simulate(
    discussion: Discussion, deadline: float | None = None, max_cells: int | None = None
) -> SimulationResult:
    """Run the discussion's model from the initial positions and analyse the outcome.

    The certificates and social power depend on the network and the inputs alone: they are
    computed first, then the run has what is left of the budget, then what is read off it.
    The run stops when no position moves more than ``tolerance`` in a round (converged) or
    after ``max_rounds`` or at ``deadline`` (a ``time.monotonic()``; ``budget`` then says
    "stopped at round N of M by the time budget; not converged", and ``machine_dependent``
    names every figure read off that state) — not converged: ``final`` is then the last state,
    not an equilibrium. The decision, coalitions and polarisation are read off ``final``.
    ``max_rounds`` is the reproducible limit: a run it stops ends the same on any machine.

    The trajectory records every ``record_every``-th round, the first and the last. With
    ``max_cells`` it holds at most that many numbers (stakeholders × issues × recorded
    rounds, and never fewer than the first and the last round): a longer run thins it as it
    goes (:func:`models.discussion.dynamics.run`) and ``thinned`` says to which stride.
    See :mod:`models.discussion.dynamics` for the models and what a round is.

    Example:
        >>> from models.discussion.types import Network, Proposal, Stakeholder, Trust
        >>> people = (
        ...     Stakeholder(id="a", name="A", role="ceo", positions=(0.9,), susceptibility=0.0),
        ...     Stakeholder(id="b", name="B", role="hr", positions=(0.1,), susceptibility=1.0),
        ... )
        >>> d = Discussion(id="d", name="d", issues=("q",), stakeholders=people,
        ...                network=Network(trust=(Trust("b", "a"),)), proposal=Proposal(issue="q"))
        >>> r = simulate(d)
        >>> r.status, [round(x, 4) for x in r.final["b"]], r.decision.passes
        ('converged', [0.9], True)
    """
    data = inputs(discussion)
    model = discussion.model
    # what does not depend on the run comes first, so the run has what the budget leaves
    structure = diagnose(model, data.w, data.susceptibility, data.initial, data.ids)
    power = social_power(model, data.w, data.susceptibility, data.ids, structure.certificate)
    size = data.initial.size  # numbers per recorded round: stakeholders × issues
    limit = None if max_cells is None else max_cells // size
    outcome = run_as_given(discussion, model, data, deadline, discussion.record_every, limit)
    final = outcome.final[0]
    converged = bool(outcome.converged[0])
    rounds = int(outcome.rounds[0])
    votes = agreement(discussion, data, deadline, outcome)
    cut = outcome.stopped_at is not None
    stopped = say("discussion.stopped", round=rounds, most=discussion.max_rounds)
    if converged:
        message = say(
            "discussion.converged", rounds=_rounds(rounds), tolerance=discussion.tolerance
        )
    else:
        stopped += say("discussion.not-converged-after")
        message = (
            say("discussion.last-state", why=stopped)
            if cut
            else say("discussion.not-converged", rounds=_rounds(rounds))
        )
    thinned = None
    if outcome.record_every > discussion.record_every:
        n, m = data.initial.shape
        thinned = say(
            "discussion.thinned",
            every=outcome.record_every,
            rounds=rounds,
            stakeholders=n,
            issues=m,
            recorded=len(outcome.history),
            cells=max_cells,
        )
    groups = coalitions(final, data.weights, data.ids, discussion.coalition_gap)
    decision = None
    if discussion.proposal is not None:
        issue = discussion.issues.index(discussion.proposal.issue)
        decision = decide(discussion.proposal, data.ids, final[:, issue], data.weights, data.veto)
    return SimulationResult(
        discussion=discussion.id,
        model=model_kind(model),
        status="converged" if converged else "not-converged",
        converged=converged,
        message=message,
        budget=stopped if cut else None,
        rounds=rounds,
        issues=discussion.issues,
        stakeholders=data.ids,
        final={s: tuple(row) for s, row in zip(data.ids, final.tolist(), strict=True)},
        trajectory_rounds=tuple(k for k, _ in outcome.history),
        trajectory=tuple(tuple(tuple(row) for row in x.tolist()) for _, x in outcome.history),
        diagnostics=settled(structure, final),
        coalitions=groups,
        consensus=len(groups) == 1,
        polarisation=polarisation(final, data.w, groups),
        power=power,
        decision=decision,
        agreement=votes,
        record_every=outcome.record_every,
        thinned=thinned,
        machine_dependent=CUT_RUN if cut else ("agreement",) if votes and votes.not_run else (),
    )
