"""Monte Carlo over uncertain inputs and models: how likely the proposal passes, and whose
inputs matter.

Each draw perturbs every stakeholder independently and uniformly: positions (all issues)
and susceptibilities by ± their spread, clipped to [0, 1]; weights by a factor in
[1 − s, 1 + s]. The first draw is the inputs as given, decided as the simulation decides
it, so a proposal that fails as given is never reported as passing in every draw. All draws
run as one batch through :func:`models.discussion.dynamics.run` (chunked to bound memory), so
the only Python loop is over rounds. The random source is ``numpy.random.default_rng(seed)``;
Deffuant–Weisbuch pairs are drawn from it too (the other models' runs from streams seeded
``(seed, k)``), so the model's own seed is not used here (except for draw 0).

Model uncertainty: every standard model (:mod:`models.discussion.agreement`) runs on the same
draws (common random numbers, so the models' probabilities differ by the model alone). The
headline p̄ = (1/K) Σ_k p̂_k gives each model equal weight; its interval is the mean of the
models' Wilson bounds at z for 1 − 0.05/K (Bonferroni): when every model's interval holds,
which happens with probability ≥ 95 %, the mean of their bounds holds the mean. A model that
fails as given keeps p̂_k < 1, hence p̄ < 1: the result never says 100 % while a standard
model says the proposal fails.

The probability p̂ = k/N carries a 95 % Wilson score interval
(p̂ + z²/2N ± z √(p̂(1 − p̂)/N + z²/4N²)) / (1 + z²/N), z = 1.96.
Sensitivity: Pearson correlation of each stakeholder's drawn position (on the proposal's
issue), susceptibility and weight with the decision margin (0 when an input does not vary).

A ``deadline`` (``time.monotonic()``): the draws then run in chunks that grow from
:data:`FIRST_CHUNK`, doubling up to the memory bound, every model on each chunk before the
next, and the chunks finished when the deadline passes are the sample — the same draws for
every model, each run to its full course. ``draws`` says how many, ``standard_error`` how
precise the headline is (at most the mean of the models' √(p̂_k(1 − p̂_k)/N): the standard
deviation of a mean is at most the mean of the standard deviations), and ``budget`` what
was cut. Without a deadline the chunks are as large as memory allows.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from models.errors import BudgetExhausted, InvalidInput
from models.messages import say

from .agreement import with_chances
from .decision import required_share, tally
from .dynamics import run
from .simulation import Inputs, agreement, inputs, model_kind, stakeholder_names
from .types import (
    Chance,
    Discussion,
    Model,
    MonteCarloOptions,
    MonteCarloResult,
    Proposal,
    Sensitivity,
)

Z_95 = 1.959963984540054
# Cells of the largest temporary (draws × n × n × issues) one chunk may allocate.
CHUNK_CELLS = 4_000_000
#: the first chunk of draws under a deadline; later chunks double
FIRST_CHUNK = 1


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion.

    Example:
        >>> [round(v, 4) for v in wilson_interval(8, 10)]
        [0.4902, 0.9433]
    """
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    # At 0 or N successes the bound equals 0 or 1 exactly; rounding must not blur it.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high


def correlations(inputs_: np.ndarray, outcome: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of ``inputs_`` (N × n) with ``outcome`` (N,)."""
    x = inputs_ - inputs_.mean(axis=0)
    y = outcome - outcome.mean()
    scale = np.sqrt((x * x).sum(axis=0) * (y * y).sum())
    covariance = (x * y[:, None]).sum(axis=0)
    return np.asarray(np.divide(covariance, scale, out=np.zeros(x.shape[1]), where=scale > 0))


@dataclass(frozen=True)
class Draws:
    """The perturbed inputs: initial positions (N, n, m), susceptibilities and weights (N, n)."""

    initial: np.ndarray
    susceptibility: np.ndarray
    weights: np.ndarray


def draw(data: Inputs, opts: MonteCarloOptions, rng: np.random.Generator) -> Draws:
    """``opts.draws`` perturbations of the inputs (see the module docstring); draw 0 is the
    inputs as given."""
    n, m = data.initial.shape
    count = opts.draws
    shift = rng.uniform(-opts.position_spread, opts.position_spread, (count, n, m))
    lean = rng.uniform(-opts.susceptibility_spread, opts.susceptibility_spread, (count, n))
    factor = rng.uniform(1.0 - opts.weight_spread, 1.0 + opts.weight_spread, (count, n))
    shift[0], lean[0], factor[0] = 0.0, 0.0, 1.0
    return Draws(
        initial=np.clip(data.initial + shift, 0.0, 1.0),
        susceptibility=np.clip(data.susceptibility + lean, 0.0, 1.0),
        weights=data.weights * factor,
    )


def _chunk(
    discussion: Discussion,
    proposal: Proposal,
    model: Model,
    data: Inputs,
    draws: Draws,
    rng: np.random.Generator,
    part: slice,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The draws ``part``: each one's share of support, whether it passes, whether it
    converged."""
    issue = discussion.issues.index(proposal.issue)
    outcome = run(
        model,
        data.w,
        draws.susceptibility[part],
        draws.initial[part],
        max_rounds=discussion.max_rounds,
        tolerance=discussion.tolerance,
        rng=rng,
    )
    share, passed, _ = tally(proposal, outcome.final[:, :, issue], draws.weights[part], data.veto)
    return share, passed, outcome.converged


def _largest(data: Inputs) -> int:
    """The most draws one chunk may hold (:data:`CHUNK_CELLS`)."""
    n, m = data.initial.shape
    return max(1, CHUNK_CELLS // (int(n) * int(n) * int(m)))


def outcomes(
    discussion: Discussion,
    proposal: Proposal,
    model: Model,
    data: Inputs,
    draws: Draws,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each draw's share of support, whether it passes and whether it converged (N,)."""
    count, chunk = draws.initial.shape[0], _largest(data)
    parts = [
        _chunk(discussion, proposal, model, data, draws, rng, slice(start, start + chunk))
        for start in range(0, count, chunk)
    ]
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]


def _proposal(discussion: Discussion) -> Proposal:
    if discussion.proposal is None:
        raise InvalidInput.single("/proposal", "Monte Carlo needs a proposal to decide")
    return discussion.proposal


def chance(discussion: Discussion, options: MonteCarloOptions | None = None) -> Chance:
    """P(pass) under the discussion's own model alone, over the seeded draws (the cheap part
    of :func:`monte_carlo`, for searches that evaluate many variants of a discussion).

    Raises:
        InvalidInput: when the discussion has no proposal.
    """
    proposal = _proposal(discussion)
    opts = options or discussion.monte_carlo
    data = inputs(discussion)
    rng = np.random.default_rng(opts.seed)
    _, passed, _ = outcomes(
        discussion, proposal, discussion.model, data, draw(data, opts, rng), rng
    )
    return _chance(discussion.model, opts, int(passed.sum()))


def _chance(model: Model, opts: MonteCarloOptions, passes: int, draws: int | None = None) -> Chance:
    count = opts.draws if draws is None else draws
    return Chance(
        model=model_kind(model),
        draws=count,
        seed=opts.seed,
        passes=passes,
        probability=passes / count,
        interval=wilson_interval(passes, count),
    )


def monte_carlo(
    discussion: Discussion,
    options: MonteCarloOptions | None = None,
    deadline: float | None = None,
) -> MonteCarloResult:
    """Probability that the discussion's proposal passes when inputs and model are uncertain.

    Args:
        discussion: with a proposal.
        options: draws, seed and spreads; ``discussion.monte_carlo`` when None.
        deadline: a ``time.monotonic()`` the draws stop at (see the module docstring).

    Raises:
        InvalidInput: when the discussion has no proposal.
        BudgetExhausted: when the deadline passes before the first chunk of draws is done.
    """
    proposal = _proposal(discussion)
    opts = options or discussion.monte_carlo
    issue = discussion.issues.index(proposal.issue)
    data = inputs(discussion)
    n = len(data.ids)
    rng = np.random.default_rng(opts.seed)
    draws = draw(data, opts, rng)
    votes = agreement(discussion, data, deadline)
    assert votes is not None  # the discussion has a proposal
    # the own model continues the draws' stream; the others get streams of their own
    streams = [
        rng if entry.own else np.random.default_rng((opts.seed, k))
        for k, entry in enumerate(votes.models)
    ]
    found: list[list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = [[] for _ in votes.models]
    largest = _largest(data)
    done, chunk = 0, largest if deadline is None else min(FIRST_CHUNK, largest)
    while done < opts.draws:
        if deadline is not None and time.monotonic() > deadline:
            break
        part = slice(done, min(opts.draws, done + chunk))
        for k, entry in enumerate(votes.models):
            found[k].append(
                _chunk(discussion, proposal, entry.model, data, draws, streams[k], part)
            )
        done, chunk = part.stop, min(2 * chunk, largest)
    if not done:
        raise BudgetExhausted("the time budget ended before the first draws were done")
    z = NormalDist().inv_cdf(1.0 - 0.025 / len(votes.models))
    passes = 0
    chances: list[tuple[float, tuple[float, float]]] = []
    bounds: list[tuple[float, float]] = []
    errors: list[float] = []
    own = None
    for entry, parts in zip(votes.models, found, strict=True):
        share, passed, converged = (np.concatenate(column) for column in zip(*parts, strict=True))
        # draw 0 is the inputs as given: decided as the simulation decides them (for
        # Deffuant–Weisbuch, with the model's own seeded matchings)
        passed[0] = entry.decision.passes
        k = int(passed.sum())
        passes += k
        chances.append((k / done, wilson_interval(k, done)))
        bounds.append(wilson_interval(k, done, z))
        errors.append(math.sqrt(k / done * (1 - k / done) / done))
        if entry.own:
            own = (share, converged, _chance(entry.model, opts, k, done))
    assert own is not None  # the own model is one of the standard ones
    share, converged, alone = own
    margin = share - required_share(proposal)
    by_position = correlations(draws.initial[:done, :, issue], margin)
    by_susceptibility = correlations(draws.susceptibility[:done], margin)
    by_weight = correlations(draws.weights[:done], margin)
    sensitivity = sorted(
        (
            Sensitivity(
                data.ids[i], float(by_position[i]), float(by_susceptibility[i]), float(by_weight[i])
            )
            for i in range(n)
        ),
        key=lambda s: -max(abs(s.position), abs(s.susceptibility), abs(s.weight)),
    )
    lows, highs = zip(*bounds, strict=True)
    probability = float(np.mean([p for p, _ in chances]))
    error = float(np.mean(errors))
    budget = None
    if done < opts.draws:
        budget = say(
            "montecarlo.budget", done=done, draws=opts.draws, probability=probability, error=error
        )
    return MonteCarloResult(
        discussion=discussion.id,
        model=model_kind(discussion.model),
        draws=done,
        seed=opts.seed,
        passes=passes,
        probability=probability,
        interval=(float(np.mean(lows)), float(np.mean(highs))),
        own=alone,
        agreement=with_chances(votes, chances, stakeholder_names(discussion)),
        converged_share=float(converged.mean()),
        mean_margin=float(margin.mean()),
        sensitivity=tuple(sensitivity),
        standard_error=error,
        budget=budget,
    )
