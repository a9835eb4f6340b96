"""Monte Carlo over uncertain inputs and models: how likely the proposal passes, and whose
inputs matter.

Each draw perturbs every stakeholder independently and uniformly: positions (all issues)
and susceptibilities by ± their spread, clipped to [0, 1]; weights by a factor in
[1 − s, 1 + s]. The first draw is the inputs as given, decided as the simulation decides
it, so a proposal that fails as given is never reported as passing in every draw. All draws
run as one batch through :func:`models.discussion.dynamics.run` (chunked to bound memory), so
the only Python loop is over rounds. The random source is ``numpy.random.default_rng(seed)``
(PCG64), read as if all N draws were made at once — N × n × m position shifts, then N × n
susceptibility shifts, then N × n weight factors — but made a chunk at a time, each quantity
read from a copy of the stream advanced to its place (``PCG64.advance``), so draw i is the
same however the draws are cut into chunks. The own model's Deffuant–Weisbuch pairs come from
the stream after the draws (the other standard models' from streams seeded ``(seed, k)``, k
its place among them), so the model's own seed is not used here (except for draw 0).

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

Draw 0 of every model is its run at the inputs as given — the run that decides the model's
entry in the agreement — so it is run once, not again in the batch.

A ``deadline`` (``time.monotonic()``) bounds every phase, and each says what it cut:

1. the discussion's own model at the inputs as given, within the whole budget (without it
   there is no result: :class:`~models.errors.BudgetExhausted`);
2. the other standard models at the inputs as given, within half of what is left, so the
   draws keep the other half; a model whose run does not end in time is left out — of the
   draws too — and named in ``agreement.not_run`` (the headline is then the mean over the
   models that ran);
3. the draws, in chunks that grow from :data:`FIRST_CHUNK`, doubling up to the memory bound
   (with or without a deadline, so Deffuant–Weisbuch's stream is consumed alike and a
   deadline that does not bind changes nothing), every model on each chunk before the next;
   every run stops at the deadline, a chunk it stopped is dropped, and the chunks finished
   are the sample — the same draws for every model, each run to its full course. ``draws``
   says how many, ``standard_error`` how precise the headline is (at most the mean of the
   models' √(p̂_k(1 − p̂_k)/N): the standard deviation of a mean is at most the mean of the
   standard deviations).

``budget`` says what was cut and ``machine_dependent`` which figures the cut makes depend on
the machine's speed. ``draws`` is the reproducible work limit: while no deadline binds, the
same discussion, options and seed give the same answer on any machine, with a deadline or
without one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from models.errors import BudgetExhausted, InvalidInput
from models.messages import say

from .agreement import NAMES, standard_models, with_chances
from .decision import required_share, tally
from .dynamics import DENSE_CELLS, run
from .simulation import Inputs, agreement, inputs, model_kind, run_as_given, stakeholder_names
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
#: the first chunk of draws; later chunks double
FIRST_CHUNK = 1
#: What a Monte Carlo cut by the time budget makes depend on the machine's speed.
CUT_DRAWS = (
    "draws",
    "passes",
    "probability",
    "interval",
    "own",
    "agreement",
    "converged_share",
    "mean_margin",
    "sensitivity",
    "standard_error",
)


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
    """Perturbed inputs: initial positions (N, n, m), susceptibilities and weights (N, n)."""

    initial: np.ndarray
    susceptibility: np.ndarray
    weights: np.ndarray


class Drawer:
    """The perturbed inputs, drawn a chunk at a time (see the module docstring): a draw is
    made when it is about to run, so making the draws counts against the deadline like
    running them, and a budget that stops early never makes the rest."""

    def __init__(self, data: Inputs, opts: MonteCarloOptions) -> None:
        self.data, self.opts = data, opts
        n, m = data.initial.shape
        count = opts.draws
        # one double per number drawn: each quantity starts where the ones before it end
        self._positions = self.stream(0)
        self._leans = self.stream(count * n * m)
        self._factors = self.stream(count * (n * m + n))
        #: the stream after every draw: the own model's Deffuant–Weisbuch pairs
        self.after = self.stream(count * (n * m + 2 * n))
        self.drawn = 0

    def stream(self, skip: int) -> np.random.Generator:
        """``default_rng(seed)`` as it is after ``skip`` doubles."""
        return np.random.Generator(np.random.PCG64(self.opts.seed).advance(skip))

    def next(self, count: int) -> Draws:
        """The next ``count`` draws; draw 0 is the inputs as given."""
        data, opts = self.data, self.opts
        n, m = data.initial.shape
        spread, lean, weight = opts.position_spread, opts.susceptibility_spread, opts.weight_spread
        shift = self._positions.uniform(-spread, spread, (count, n, m))
        leans = self._leans.uniform(-lean, lean, (count, n))
        factor = self._factors.uniform(1.0 - weight, 1.0 + weight, (count, n))
        if self.drawn == 0:
            shift[0], leans[0], factor[0] = 0.0, 0.0, 1.0
        self.drawn += count
        return Draws(
            initial=np.clip(data.initial + shift, 0.0, 1.0),
            susceptibility=np.clip(data.susceptibility + leans, 0.0, 1.0),
            weights=data.weights * factor,
        )


def _chunk(
    discussion: Discussion,
    proposal: Proposal,
    model: Model,
    data: Inputs,
    draws: Draws,
    rng: np.random.Generator,
    deadline: float | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Each of ``draws``' share of support, whether it passes, whether it converged; None
    when ``deadline`` stopped the runs."""
    issue = discussion.issues.index(proposal.issue)
    outcome = run(
        model,
        data.w,
        draws.susceptibility,
        draws.initial,
        max_rounds=discussion.max_rounds,
        tolerance=discussion.tolerance,
        rng=rng,
        deadline=deadline,
    )
    if outcome.stopped_at is not None:
        return None
    share, passed, _ = tally(proposal, outcome.final[:, :, issue], draws.weights, data.veto)
    return share, passed, outcome.converged


def _largest(data: Inputs) -> int:
    """The most draws one chunk may hold: its largest temporary (draws × n × n × issues) at
    most :data:`~models.discussion.dynamics.DENSE_CELLS`."""
    n, m = data.initial.shape
    return max(1, DENSE_CELLS // (int(n) * int(n) * int(m)))


Columns = tuple[np.ndarray, np.ndarray, np.ndarray]


def _sample(
    discussion: Discussion,
    proposal: Proposal,
    models: Sequence[Model],
    drawer: Drawer,
    streams: Sequence[np.random.Generator],
    deadline: float | None,
) -> tuple[list[list[Columns]], list[Draws]]:
    """The draws from ``drawer.drawn`` on, in chunks, every model on a chunk (with its random
    stream) before the next: per model its chunks' (share, passes, converged), and the
    chunks' inputs — all of them, or those of the chunks ``deadline`` let finish (see the
    module docstring)."""
    count, largest = drawer.opts.draws, _largest(drawer.data)
    found: list[list[Columns]] = [[] for _ in models]
    chunks: list[Draws] = []
    size = min(FIRST_CHUNK, largest)
    while drawer.drawn < count:
        draws = drawer.next(min(size, count - drawer.drawn))
        results = []
        for model, stream in zip(models, streams, strict=True):
            result = _chunk(discussion, proposal, model, drawer.data, draws, stream, deadline)
            if result is None:
                return found, chunks
            results.append(result)
        for parts, result in zip(found, results, strict=True):
            parts.append(result)
        chunks.append(draws)
        size = min(2 * size, largest)
    return found, chunks


def _proposal(discussion: Discussion) -> Proposal:
    if discussion.proposal is None:
        raise InvalidInput.single("/proposal", "Monte Carlo needs a proposal to decide")
    return discussion.proposal


def chance(
    discussion: Discussion,
    options: MonteCarloOptions | None = None,
    deadline: float | None = None,
) -> Chance:
    """P(pass) under the discussion's own model alone, over the seeded draws (the cheap part
    of :func:`monte_carlo`, for searches that evaluate many variants of a discussion). Under
    a ``deadline``, over the draws done in time (``draws`` says how many; see the module
    docstring).

    Raises:
        InvalidInput: when the discussion has no proposal.
        BudgetExhausted: when the deadline passes before the first chunk of draws is done.
    """
    proposal = _proposal(discussion)
    opts = options or discussion.monte_carlo
    drawer = Drawer(inputs(discussion), opts)
    [parts], _ = _sample(discussion, proposal, [discussion.model], drawer, [drawer.after], deadline)
    if not parts:
        raise BudgetExhausted("the time budget ended before the first draws were done")
    passes = sum(int(passed.sum()) for _, passed, _ in parts)
    return _chance(discussion.model, opts, passes, sum(len(share) for share, _, _ in parts))


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
        BudgetExhausted: when the deadline passes before the own model has run at the
            inputs as given, or before the first chunk of draws is done.
    """
    proposal = _proposal(discussion)
    opts = options or discussion.monte_carlo
    issue = discussion.issues.index(proposal.issue)
    data = inputs(discussion)
    n = len(data.ids)
    mine = run_as_given(discussion, discussion.model, data, deadline)
    if mine.stopped_at is not None:
        raise BudgetExhausted(
            "the time budget ended before the discussion's own model had run at the inputs as given"
        )
    halfway = None if deadline is None else (time.monotonic() + deadline) / 2.0
    votes = agreement(discussion, data, halfway, mine)
    assert votes is not None  # the discussion has a proposal
    standard = [model for model, _ in standard_models(discussion.model)]
    drawer = Drawer(data, opts)
    # the own model continues the draws' stream; the others get streams of their own, each
    # numbered by its place among the standard models, whichever of them the budget leaves
    streams = [
        drawer.after
        if entry.own
        else np.random.default_rng((opts.seed, standard.index(entry.model)))
        for entry in votes.models
    ]
    models = [entry.model for entry in votes.models]
    given = drawer.next(1)  # draw 0, the inputs as given, has run already
    found, chunks = _sample(discussion, proposal, models, drawer, streams, deadline)
    if opts.draws > 1 and not chunks:
        raise BudgetExhausted("the time budget ended before the first draws were done")
    draws = Draws(
        *(
            np.concatenate(column)
            for column in zip(
                *((d.initial, d.susceptibility, d.weights) for d in (given, *chunks)), strict=True
            )
        )
    )
    done = len(draws.weights)
    z = NormalDist().inv_cdf(1.0 - 0.025 / len(votes.models))
    passes = 0
    chances: list[tuple[float, tuple[float, float]]] = []
    bounds: list[tuple[float, float]] = []
    errors: list[float] = []
    own = None
    for entry, parts in zip(votes.models, found, strict=True):
        # draw 0 is the inputs as given: decided as the simulation decides them (for
        # Deffuant–Weisbuch, with the model's own seeded matchings)
        as_given = (
            np.array([entry.decision.share]),
            np.array([entry.decision.passes]),
            np.array([entry.status == "converged"]),
        )
        share, passed, converged = (
            np.concatenate(column) for column in zip(as_given, *parts, strict=True)
        )
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
    by_position = correlations(draws.initial[:, :, issue], margin)
    by_susceptibility = correlations(draws.susceptibility, margin)
    by_weight = correlations(draws.weights, margin)
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
    cuts = []
    if done < opts.draws:
        cuts.append(
            say(
                "montecarlo.budget",
                done=done,
                draws=opts.draws,
                probability=probability,
                error=error,
            )
        )
    if votes.not_run:
        cuts.append(
            say(
                "montecarlo.not-run",
                models=", ".join(NAMES[k] for k in votes.not_run),
                count=len(votes.models),
            )
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
        budget="; ".join(cuts) or None,
        machine_dependent=CUT_DRAWS if cuts else (),
    )
