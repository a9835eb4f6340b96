"""Monte Carlo over uncertain inputs: how likely the proposal passes, and whose inputs matter.

Each draw perturbs every stakeholder independently and uniformly: positions (all issues)
and susceptibilities by ± their spread, clipped to [0, 1]; weights by a factor in
[1 − s, 1 + s]. All draws run as one batch through :func:`models.discussion.dynamics.run`
(chunked to bound memory), so the only Python loop is over rounds. The random source is
``numpy.random.default_rng(seed)``; Deffuant–Weisbuch pairs are drawn from it too, so the
model's own seed is not used here.

The probability p̂ = k/N carries a 95 % Wilson score interval
(p̂ + z²/2N ± z √(p̂(1 − p̂)/N + z²/4N²)) / (1 + z²/N), z = 1.96.
Sensitivity: Pearson correlation of each stakeholder's drawn position (on the proposal's
issue), susceptibility and weight with the decision margin (0 when an input does not vary).

Chunks grow from :data:`FIRST_CHUNK` draws, doubling up to the memory bound, so that a
``deadline`` can stop the draws early at a fine grain: the chunks finished by then are the
sample (a chunk the deadline interrupts is dropped, so every counted draw ran its full
course), ``draws`` says how many, ``standard_error`` = √(p̂(1 − p̂)/N) how precise p̂ is,
and ``budget`` says what was cut.
"""

from __future__ import annotations

import math
import time

import numpy as np

from models.errors import BudgetExhausted, InvalidInput

from .decision import required_share, tally
from .dynamics import run
from .simulation import inputs, model_kind
from .types import Discussion, MonteCarloOptions, MonteCarloResult, Sensitivity

Z_95 = 1.959963984540054
# Cells of the largest temporary (draws × n × n × issues) one chunk may allocate.
CHUNK_CELLS = 4_000_000
#: Draws in the first chunk; each next chunk doubles, up to the memory bound.
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


def monte_carlo(
    discussion: Discussion,
    options: MonteCarloOptions | None = None,
    deadline: float | None = None,
) -> MonteCarloResult:
    """Probability that the discussion's proposal passes when inputs are uncertain.

    Args:
        discussion: with a proposal.
        options: draws, seed and spreads; ``discussion.monte_carlo`` when None.
        deadline: ``time.monotonic()`` by which to stop drawing (see the module docstring).

    Raises:
        InvalidInput: when the discussion has no proposal.
        BudgetExhausted: when the deadline passes before the first chunk of draws is done.
    """
    if discussion.proposal is None:
        raise InvalidInput.single("/proposal", "Monte Carlo needs a proposal to decide")
    opts = options or discussion.monte_carlo
    proposal = discussion.proposal
    issue = discussion.issues.index(proposal.issue)
    data = inputs(discussion)
    n, m = data.initial.shape
    rng = np.random.default_rng(opts.seed)
    draws = opts.draws
    initial = np.clip(
        data.initial + rng.uniform(-opts.position_spread, opts.position_spread, (draws, n, m)),
        0.0,
        1.0,
    )
    susceptibility = np.clip(
        data.susceptibility
        + rng.uniform(-opts.susceptibility_spread, opts.susceptibility_spread, (draws, n)),
        0.0,
        1.0,
    )
    weights = data.weights * rng.uniform(
        1.0 - opts.weight_spread, 1.0 + opts.weight_spread, (draws, n)
    )
    largest = max(1, CHUNK_CELLS // (n * n * m))
    shares, passes, converged = [], [], []
    done, chunk = 0, min(FIRST_CHUNK, largest)
    while done < draws:
        part = slice(done, done + chunk)
        outcome = run(
            discussion.model,
            data.w,
            susceptibility[part],
            initial[part],
            max_rounds=discussion.max_rounds,
            tolerance=discussion.tolerance,
            rng=rng,
            deadline=deadline,
        )
        if outcome.stopped_at is not None:
            break
        share, passed, _ = tally(proposal, outcome.final[:, :, issue], weights[part], data.veto)
        shares.append(share)
        passes.append(passed)
        converged.append(outcome.converged)
        done, chunk = min(draws, done + chunk), min(2 * chunk, largest)
        if deadline is not None and time.monotonic() > deadline:
            break
    if not done:
        raise BudgetExhausted("the time budget ended before the first draws were done")
    budget = None
    if done < draws:
        budget = f"the time budget stopped Monte Carlo at {done:,} of {draws:,} draws"
        initial, susceptibility, weights = initial[:done], susceptibility[:done], weights[:done]
    margin = np.concatenate(shares) - required_share(proposal)
    passed_all = np.concatenate(passes)
    k = int(passed_all.sum())
    by_position = correlations(initial[:, :, issue], margin)
    by_susceptibility = correlations(susceptibility, margin)
    by_weight = correlations(weights, margin)
    sensitivity = sorted(
        (
            Sensitivity(
                data.ids[i], float(by_position[i]), float(by_susceptibility[i]), float(by_weight[i])
            )
            for i in range(n)
        ),
        key=lambda s: -max(abs(s.position), abs(s.susceptibility), abs(s.weight)),
    )
    p = k / done
    error = math.sqrt(p * (1 - p) / done)
    return MonteCarloResult(
        discussion=discussion.id,
        model=model_kind(discussion.model),
        draws=done,
        seed=opts.seed,
        passes=k,
        probability=p,
        interval=wilson_interval(k, done),
        converged_share=float(np.concatenate(converged).mean()),
        mean_margin=float(margin.mean()),
        sensitivity=tuple(sensitivity),
        standard_error=error,
        budget=None if budget is None else f"{budget}: probability {p:.2f} ± {error:.2f}",
    )
