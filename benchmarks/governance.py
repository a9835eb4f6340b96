"""Time a full recommendation and a one-edit what-if for every built-in, against the targets.

    python -m benchmarks.governance [--repeat 3] [--stability none|winner|cells]

Targets on the 2-core reference machine (the recommendation issue): a full recommendation for
a built-in — every model solved, each argued model voted on with 1,000 Monte Carlo draws, the
stability of the winner over the objective weights — in under 1 s; a what-if with one edit
(the hub's capacity +25 %) in under 150 ms. "seconds" is the whole call, the time a caller
waits, the median of ``--repeat`` runs. Models are solved as the service solves them for a
recommendation: without explanations.
"""

from __future__ import annotations

import argparse
import statistics
import time

from models.governance.types import SetCapacity
from models.governance.whatif import what_if
from models.raci.catalogue import complete
from models.raci.types import SolveOptions
from models.raci.variants import umbrella
from service.cli.discussion import builtin_discussions
from service.cli.raci import builtin_scenarios
from service.jobs import recommend_variants

RECOMMEND_TARGET = 1.0
WHAT_IF_TARGET = 0.15


def _median(call: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stability", choices=("none", "winner", "cells"), default="winner")
    args = parser.parse_args()
    options = SolveOptions(explain=False)
    discussions = builtin_discussions()
    recommended, edited = [], []
    print(f"{'scenario':<26} {'recommend':>10} {'what-if':>9}  recommended")
    for name, raw in sorted(builtin_scenarios().items()):
        scenario = complete(raw)
        discussion = discussions.get(name)
        answer = recommend_variants(scenario, options, discussion, depth=args.stability)
        seconds = _median(
            lambda s=scenario, d=discussion: recommend_variants(
                s, options, d, depth=args.stability
            ),
            args.repeat,
        )
        hub = umbrella(scenario.roles)
        role = next(r for r in scenario.roles if r.id == hub)
        edit = [SetCapacity(role=role.id, value=role.capacity * 1.25)]
        variant = answer.recommended or "central"
        one = _median(
            lambda s=scenario, e=edit, v=variant: what_if(s, e, (v,), options), args.repeat
        )
        recommended.append(seconds)
        edited.append(one)
        print(f"{name:<26} {seconds:>9.3f}s {one:>8.3f}s  {answer.recommended}", flush=True)
    for label, times, target in (
        ("recommendation", recommended, RECOMMEND_TARGET),
        ("what-if (one edit, one model)", edited, WHAT_IF_TARGET),
    ):
        met = sum(t < target for t in times)
        print(
            f"== {label}: median {statistics.median(times):.3f} s, max {max(times):.3f} s, "
            f"target < {target:g} s: {met}/{len(times)} met"
        )


if __name__ == "__main__":
    main()
