"""Opinion dynamics, vectorised over a batch of runs.

Every function works on a batch: positions ``X`` of shape ``(B, n, m)`` (runs × stakeholders
× issues), susceptibilities of shape ``(B, n)``, one shared influence matrix ``W`` (n × n,
row-stochastic). A single simulation is a batch of one; Monte Carlo draws are a batch of many.
The only Python loop is over rounds.

Models (u = initial positions, Λ = diag(susceptibility)):

- DeGroot: x(k+1) = W x(k).
- Friedkin–Johnsen: x(k+1) = ΛW x(k) + (I − Λ)u; equilibrium x* = (I − ΛW)⁻¹(I − Λ)u.
- Multi-issue FJ: in centred coordinates y = 2x − 1, Y(k+1) = ΛW Y(k) Cᵀ + (I − Λ)U_c.
- Hegselmann–Krause: x_i(k+1) = Σ_j a_ij x_j / Σ_j a_ij over j with |x_i − x_j| ≤ ε,
  a_ij = 1 (classic) or W_ij + δ_ij (on the network); issues independent.
- Deffuant–Weisbuch: a round is a random matching; each pair (i, j) with |x_i − x_j| ≤ ε
  moves x_i += μ(x_j − x_i), x_j += μ(x_i − x_j). Pairs of a matching are disjoint, so
  updating them at once equals updating them one after another.

A run *converges* when no position moves by more than ``tolerance`` in a round. A
Deffuant–Weisbuch round can leave everything in place by chance, so there the test is that no
meeting could move anyone any more (see :func:`_at_rest`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .types import (
    DeffuantWeisbuch,
    DeGroot,
    FriedkinJohnsen,
    HegselmannKrause,
    Model,
    MultiIssueFriedkinJohnsen,
)

# Guards floating-point noise in the ε comparison, so |x_i − x_j| = ε counts as within reach.
_REACH_SLACK = 1e-12
# Up to this many runs × issues, classic Hegselmann–Krause sorts instead of comparing all pairs.
_FEW_SLICES = 8
#: The most cells (runs × issues × n × n) one all-pairs comparison may allocate; above it,
#: Hegselmann–Krause sorts (classic) or compares one issue at a time (on the network).
DENSE_CELLS = 4_000_000
# Rounding tolerated when a closed-form solution must lie in [0, 1].
_RANGE_SLACK = 1e-6


@dataclass
class Run:
    """The outcome of :func:`run`: final positions ``(B, n, m)``, the round at which each
    run converged (``max_rounds`` when it did not), the converged flags, the recorded
    ``(round, positions)`` of the first run when recording was asked for with the stride
    they were recorded at, and the round at which the deadline stopped the batch (None: it
    did not)."""

    final: np.ndarray
    rounds: np.ndarray
    converged: np.ndarray
    history: list[tuple[int, np.ndarray]] = field(default_factory=list)
    stopped_at: int | None = None
    record_every: int = 0


def _thinned(
    history: list[tuple[int, np.ndarray]], stride: int, limit: int, last: bool
) -> tuple[list[tuple[int, np.ndarray]], int]:
    """At most ``limit`` (≥ 2) recorded states: the stride doubles, and the rounds that are
    no multiple of it are dropped, until they fit; round 0 stays, and so does the newest
    state when ``last`` (the final one)."""
    while len(history) > limit:
        stride *= 2
        newest = len(history) - 1
        history = [
            (k, x) for i, (k, x) in enumerate(history) if k % stride == 0 or (last and i == newest)
        ]
    return history, stride


def coupling_matrix(model: MultiIssueFriedkinJohnsen, issues: int) -> np.ndarray:
    """The issue-coupling matrix C (identity when the model gives none)."""
    if model.coupling is None:
        return np.eye(issues)
    return np.array(model.coupling, dtype=float)


def _solved(system: np.ndarray, rhs: np.ndarray) -> np.ndarray | None:
    """Solve ``system @ x = rhs`` whose exact solution lies in [0, 1]; None when the system is
    singular (numerically: the solver fails or the solution leaves [0, 1])."""
    try:
        solution = np.linalg.solve(system, rhs)
    except np.linalg.LinAlgError:
        return None
    if not np.isfinite(solution).all() or np.abs(solution - 0.5).max() > 0.5 + _RANGE_SLACK:
        return None
    return np.asarray(solution, dtype=float)


def total_influence(w: np.ndarray, susceptibility: np.ndarray) -> np.ndarray | None:
    """The Friedkin–Johnsen total-influence matrix V = (I − ΛW)⁻¹(I − Λ), so x* = V u.

    V ≥ 0 and each row sums to 1 whenever I − ΛW is invertible, because
    (I − ΛW)1 = (I − Λ)1. Returns None when I − ΛW is singular (a closed group of fully
    open stakeholders: then there is no unique equilibrium).

    Example (two people, one stubborn):
        >>> total_influence(np.array([[0.5, 0.5], [0.0, 1.0]]), np.array([1.0, 0.0])).tolist()
        [[0.0, 1.0], [0.0, 1.0]]
    """
    system = np.eye(w.shape[0]) - susceptibility[:, None] * w
    return _solved(system, np.diag(1.0 - susceptibility))


def equilibrium(
    w: np.ndarray, susceptibility: np.ndarray, initial: np.ndarray
) -> np.ndarray | None:
    """The Friedkin–Johnsen equilibrium x* = (I − ΛW)⁻¹(I − Λ)u for U (n × m), by one LU
    solve (cheaper than forming V); None when I − ΛW is singular."""
    system = np.eye(w.shape[0]) - susceptibility[:, None] * w
    return _solved(system, (1.0 - susceptibility)[:, None] * initial)


def multi_issue_equilibrium(
    w: np.ndarray, susceptibility: np.ndarray, coupling: np.ndarray, initial: np.ndarray
) -> np.ndarray | None:
    """Closed form of the multi-issue model: vec(Y*) = (I − C ⊗ ΛW)⁻¹ vec((I − Λ)U_c).

    ``initial`` is U (n × m) in [0, 1]; the result is X* = (Y* + 1)/2, or None if singular.
    vec stacks columns, so vec(ΛW Y Cᵀ) = (C ⊗ ΛW) vec(Y).
    """
    n, m = initial.shape
    system = np.eye(n * m) - np.kron(coupling, susceptibility[:, None] * w)
    rhs = ((1.0 - susceptibility)[:, None] * (2.0 * initial - 1.0)).reshape(-1, order="F")
    # Solve for X = (Y + 1)/2 directly: system · vec(X) = (rhs + system · 1)/2 keeps X in [0, 1].
    solution = _solved(system, (rhs + system.sum(axis=1)) / 2.0)
    return None if solution is None else solution.reshape((n, m), order="F")


# A step maps the positions of the runs still going (rows ``rows`` of the batch) to the next.
Step = Callable[[np.ndarray, np.ndarray | slice], np.ndarray]


def _stepper(
    model: Model, w: np.ndarray, lam: np.ndarray, initial: np.ndarray, rng: np.random.Generator
) -> Step:
    """The map from one round's positions to the next; ``lam`` has shape (B, n, 1)."""
    match model:
        case DeGroot():
            return lambda x, rows: np.matmul(w, x)
        case FriedkinJohnsen():
            anchor = (1.0 - lam) * initial
            return lambda x, rows: lam[rows] * np.matmul(w, x) + anchor[rows]
        case MultiIssueFriedkinJohnsen():
            coupling_t = coupling_matrix(model, initial.shape[2]).T
            centred_anchor = (1.0 - lam) * (2.0 * initial - 1.0)
            # The state stays in positions: x = (y + 1)/2 with y(k+1) = ΛW y(k) Cᵀ + (I − Λ)u_c.
            return lambda x, rows: (
                (lam[rows] * np.matmul(w, 2.0 * x - 1.0) @ coupling_t + centred_anchor[rows] + 1.0)
                / 2.0
            )
        case HegselmannKrause():
            base = w + np.eye(w.shape[0]) if model.network else None
            return _hegselmann_krause(base, model.epsilon)
        case DeffuantWeisbuch():
            return _deffuant_weisbuch(_links(w, model), model.epsilon, model.mu, rng)
    raise AssertionError(f"unknown model {model!r}")


def _links(w: np.ndarray, model: DeffuantWeisbuch) -> np.ndarray | None:
    """Who may meet whom: anyone (classic) or pairs linked in W in either direction."""
    return (w + w.T) > 0.0 if model.network else None


def _hegselmann_krause(base: np.ndarray | None, epsilon: float) -> Step:
    reach = epsilon + _REACH_SLACK

    def dense(x: np.ndarray, rows: np.ndarray | slice) -> np.ndarray:
        by_issue = np.swapaxes(x, 1, 2)[..., None]  # (B, m, n, 1)
        weights = (np.abs(by_issue - np.swapaxes(by_issue, 2, 3)) <= reach).astype(float)
        if base is not None:
            weights *= base
        averaged = (weights @ by_issue)[..., 0] / weights.sum(axis=3)
        return np.asarray(np.swapaxes(averaged, 1, 2))

    def windows(x: np.ndarray, rows: np.ndarray | slice) -> np.ndarray:
        # Classic HK on sorted views: everyone within ε is a contiguous window, averaged by
        # prefix sums in O(n log n) instead of O(n²) (a loop over the few runs × issues only).
        new = np.empty_like(x)
        for b, p in np.ndindex(x.shape[0], x.shape[2]):
            order = np.argsort(x[b, :, p], kind="stable")
            ranked = x[b, order, p]
            sums = np.concatenate(([0.0], np.cumsum(ranked)))
            low = np.searchsorted(ranked, ranked - reach, side="left")
            high = np.searchsorted(ranked, ranked + reach, side="right")
            new[b, order, p] = (sums[high] - sums[low]) / (high - low)
        return new

    def step(x: np.ndarray, rows: np.ndarray | slice) -> np.ndarray:
        runs, n, m = x.shape
        large = runs * m * n * n > DENSE_CELLS
        if base is None and (large or runs * m <= _FEW_SLICES):
            return windows(x, rows)
        if large:  # a thousand people on fifty issues: 400 MB per comparison, 8 MB per issue
            return np.concatenate([dense(x[:, :, p : p + 1], rows) for p in range(m)], axis=2)
        return dense(x, rows)

    return step


def _deffuant_weisbuch(
    linked: np.ndarray | None, epsilon: float, mu: float, rng: np.random.Generator
) -> Step:
    def step(x: np.ndarray, rows: np.ndarray | slice) -> np.ndarray:
        runs, n, _ = x.shape
        order = np.argsort(rng.random((runs, n)), axis=1)
        first, second = order[:, 0 : n - 1 : 2], order[:, 1:n:2]
        run_of = np.arange(runs)[:, None]
        gap = x[run_of, second] - x[run_of, first]
        meets = np.abs(gap) <= epsilon + _REACH_SLACK
        if linked is not None:
            meets &= linked[first, second][:, :, None]
        move = mu * gap * meets
        x = x.copy()
        x[run_of, first] += move
        x[run_of, second] -= move
        return x

    return step


def _at_rest(
    linked: np.ndarray | None, epsilon: float, tolerance: float
) -> Callable[[np.ndarray], np.ndarray]:
    """Deffuant–Weisbuch is at rest when no meeting can move anyone by more than tolerance.

    Classic (everyone may meet): on each issue, every gap between neighbouring sorted
    positions is either within ``tolerance`` or out of reach (> ε). On a network: every
    linked pair within reach already agrees within ``tolerance``.
    """

    def classic(x: np.ndarray) -> np.ndarray:
        gaps = np.diff(np.sort(x, axis=1), axis=1)
        return np.asarray(~((gaps > tolerance) & (gaps <= epsilon + _REACH_SLACK)).any(axis=(1, 2)))

    if linked is None:
        return classic
    pairs = linked[None, :, :, None]

    def networked(x: np.ndarray) -> np.ndarray:
        gap = np.abs(x[:, :, None, :] - x[:, None, :, :])
        restless = (gap > tolerance) & (gap <= epsilon + _REACH_SLACK) & pairs
        return np.asarray(~restless.any(axis=(1, 2, 3)))

    return networked


def run(
    model: Model,
    w: np.ndarray,
    susceptibility: np.ndarray,
    initial: np.ndarray,
    *,
    max_rounds: int,
    tolerance: float,
    rng: np.random.Generator,
    record_every: int = 0,
    record_limit: int | None = None,
    deadline: float | None = None,
) -> Run:
    """Iterate ``model`` from ``initial`` (B, n, m) until every run converges or ``max_rounds``.

    A run that converged stops moving (its final positions are those of the round it
    converged in), so a draw of a batch ends exactly as the same run alone would.

    Args:
        model: the dynamics and their parameters.
        w: row-stochastic influence matrix (n, n).
        susceptibility: (B, n) values in [0, 1] (used by the Friedkin–Johnsen models).
        initial: (B, n, m) positions in [0, 1].
        max_rounds: the cap on rounds.
        tolerance: a run converged when nothing moves more than this in a round.
        rng: the random source (Deffuant–Weisbuch pairs).
        record_every: record run 0 every k rounds (and the last round); 0 records nothing.
        record_limit: the most states to record (at least 2: the first and the last are
            always kept). A run that would record more doubles its stride and drops every
            other recorded round, as often as needed, so the trajectory thins as the run
            grows and a short run keeps every round it asked for; ``record_every`` of the
            result is the stride it ended with.
        deadline: ``time.monotonic()`` after which no new round starts; the runs that have
            not converged then end as they are (``stopped_at`` says when).
    """
    step = _stepper(model, w, susceptibility[:, :, None], initial, rng)
    at_rest = None
    if isinstance(model, DeffuantWeisbuch):
        at_rest = _at_rest(_links(w, model), model.epsilon, tolerance)
    runs = initial.shape[0]
    converged = np.zeros(runs, dtype=bool)
    rounds = np.full(runs, max_rounds)
    state = initial.copy()
    history = [(0, state[0].copy())] if record_every else []
    stride, limit = record_every, None if record_limit is None else max(2, record_limit)

    def record(k: int, last: bool) -> None:
        nonlocal history, stride
        history.append((k, state[0].copy()))
        if limit is not None:
            history, stride = _thinned(history, stride, limit, last)

    active: np.ndarray | slice = slice(None)
    going = np.arange(runs)
    for k in range(1, max_rounds + 1):
        if deadline is not None and time.monotonic() > deadline:
            rounds[going] = k - 1
            if record_every and history[-1][0] != k - 1:
                record(k - 1, True)
            return Run(state, rounds, converged, history, stopped_at=k - 1, record_every=stride)
        current = state[active]
        new = step(current, active)
        if at_rest is None:
            done = np.abs(new - current).max(axis=(1, 2)) <= tolerance
        else:
            done = at_rest(new)
        state[active] = new
        rounds[going[done]] = k
        converged[going[done]] = True
        last = bool(converged.all()) or k == max_rounds
        if record_every and (last or k % stride == 0):
            record(k, last)
        if last:
            break
        if done.any():
            going = np.flatnonzero(~converged)
            active = going
    return Run(state, rounds, converged, history, record_every=stride)
