"""Discussion-simulation benchmarks against their targets.

Run as ``python -m benchmarks.discussion``. Prints the median of several repetitions:

- the Friedkin–Johnsen closed form x* = (I − ΛW)⁻¹(I − Λ)u for 500 stakeholders (< 50 ms);
- 200 stakeholders × 200 rounds of each model (< 50 ms; a Deffuant–Weisbuch round is one
  random matching, i.e. 100 pairwise encounters);
- 1,000 Monte Carlo draws for 20 stakeholders (< 0.5 s), per model and across the four
  standard models (no target);
- a robust briefing plan (both strategies, the margin searched against 1,000 draws and
  re-measured) for each built-in discussion (no target).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import msgspec
import numpy as np

from models.discussion.dynamics import (
    equilibrium,
    multi_issue_equilibrium,
    run,
    total_influence,
)
from models.discussion.intervention import intervene
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import simulate
from models.discussion.types import (
    DeffuantWeisbuch,
    DeGroot,
    Discussion,
    FriedkinJohnsen,
    HegselmannKrause,
    Model,
    MonteCarloOptions,
    MultiIssueFriedkinJohnsen,
    Network,
    Proposal,
    Stakeholder,
)
from service.cli.discussion import builtin_discussions

REPEATS = 7


def random_network(n: int, rng: np.random.Generator, degree: int = 8) -> np.ndarray:
    """A row-stochastic W: each stakeholder listens to itself and ``degree`` random others."""
    raw = (rng.random((n, n)) < degree / n) * rng.random((n, n)) + np.eye(n)
    return np.asarray(raw / raw.sum(axis=1, keepdims=True))


def timed(action: Callable[[], object]) -> float:
    """Median wall time in milliseconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def discussion_of(n: int, rng: np.random.Generator) -> Discussion:
    w = random_network(n, rng)
    people = tuple(
        Stakeholder(
            id=f"s{i}",
            name=f"S{i}",
            role="employees",
            positions=(float(rng.random()),),
            susceptibility=float(rng.uniform(0.3, 0.9)),
        )
        for i in range(n)
    )
    return Discussion(
        id="bench",
        name="bench",
        issues=("q",),
        stakeholders=people,
        network=Network(influence=tuple(tuple(row) for row in w.tolist())),
        proposal=Proposal(issue="q"),
    )


def main() -> None:
    rng = np.random.default_rng(7)
    rows: list[tuple[str, float, float]] = []  # label, median ms, target ms (0: none)

    w = random_network(500, rng)
    lam = rng.uniform(0.2, 0.9, 500)
    u = rng.random((500, 1))
    rows.append(("FJ closed form x*, n=500", timed(lambda: equilibrium(w, lam, u)), 50.0))
    rows.append(
        ("FJ total influence V, n=500 (no target)", timed(lambda: total_influence(w, lam)), 0.0)
    )
    w100, u3 = random_network(100, rng), rng.random((100, 3))
    coupling = np.full((3, 3), 0.3)
    rows.append(
        (
            "multi-issue FJ closed form, n=100, m=3",
            timed(lambda: multi_issue_equilibrium(w100, lam[:100], coupling, u3)),
            50.0,
        )
    )

    n = 200
    w = random_network(n, rng)
    lam_batch = rng.uniform(0.2, 0.9, (1, n))
    x0 = rng.random((1, n, 1))
    models: list[tuple[str, Model]] = [
        ("DeGroot", DeGroot()),
        ("Friedkin-Johnsen", FriedkinJohnsen()),
        ("multi-issue FJ", MultiIssueFriedkinJohnsen()),
        ("Hegselmann-Krause", HegselmannKrause(epsilon=0.2)),
        ("Deffuant-Weisbuch", DeffuantWeisbuch(epsilon=0.3, mu=0.3)),
    ]
    for label, model in models:
        # A negative tolerance never counts as converged: all 200 rounds run, all recorded.
        def simulate_rounds(model: Model = model) -> None:
            run(model, w, lam_batch, x0, max_rounds=200, tolerance=-1.0, rng=rng, record_every=1)

        rows.append((f"{label}, n=200 x 200 rounds", timed(simulate_rounds), 50.0))

    whole = discussion_of(200, rng)
    rows.append(("simulate() end to end, n=200 (no target)", timed(lambda: simulate(whole)), 0.0))
    briefing = msgspec.structs.replace(
        discussion_of(20, rng), proposal=Proposal(issue="q", threshold=0.6)
    )
    rows.append(
        ("intervene() two MILPs, n=20 (no target)", timed(lambda: intervene(briefing)), 0.0)
    )

    small = discussion_of(20, rng)
    options = MonteCarloOptions(draws=1000, seed=3)
    for label, model in models:
        variant = msgspec.structs.replace(small, model=model)
        rows.append(
            (
                f"Monte Carlo {label}, 1000 draws, n=20",
                timed(lambda variant=variant: monte_carlo(variant, options)),
                500.0,
            )
        )

    across = msgspec.structs.replace(small, model=FriedkinJohnsen())
    rows.append(
        (
            "Monte Carlo, 4 standard models, 1000 draws, n=20 (no target)",
            timed(lambda: monte_carlo(across, options)),
            0.0,
        )
    )
    for key, builtin in sorted(builtin_discussions().items()):
        plans = intervene(builtin)
        odds = [
            f"{p.strategy} {p.status}"
            + (
                ""
                if p.probability is None or p.remeasured is None
                else f" {p.probability.probability:.2f}/{p.remeasured.probability:.2f}"
            )
            for p in (plans.least_effort, plans.sandwich)
        ]
        rows.append(
            (
                f"robust plan {key}: {'; '.join(odds)} (no target)",
                timed(lambda builtin=builtin: intervene(builtin)),
                0.0,
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median ms':>10}  {'target ms':>10}  ok")
    for label, ms, target in rows:
        verdict = "-" if not target else "yes" if ms < target else "NO"
        print(f"{label:<{width}}  {ms:>10.2f}  {target or '-':>10}  {verdict}")


if __name__ == "__main__":
    main()
