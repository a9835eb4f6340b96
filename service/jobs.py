"""The work the pool runs: module-level functions, so a worker process can unpickle them."""

from __future__ import annotations

from models.raci.solve import solve
from models.raci.types import Scenario, SolveOptions, SolveResult, Variant


def solve_variants(
    scenario: Scenario, variants: tuple[Variant, ...], options: SolveOptions
) -> tuple[SolveResult, ...]:
    """One solve per governance model, in one job so that "all" takes one pool slot."""
    return tuple(solve(scenario, variant, options) for variant in variants)
