"""The work the pool runs: module-level functions, so a worker process can unpickle them."""

from __future__ import annotations

import msgspec

from models.discussion.types import Discussion
from models.governance.path import staged_path
from models.governance.recommend import recommend
from models.governance.stability import SECONDS, stability
from models.governance.types import Recommendation, StabilityDepth
from models.raci.solve import solve
from models.raci.types import VARIANTS, Scenario, SolveOptions, SolveResult, Variant


def solve_variants(
    scenario: Scenario, variants: tuple[Variant, ...], options: SolveOptions
) -> tuple[SolveResult, ...]:
    """One solve per governance model, in one job so that "all" takes one pool slot."""
    return tuple(solve(scenario, variant, options) for variant in variants)


def recommend_variants(
    scenario: Scenario,
    options: SolveOptions,
    discussion: Discussion | None,
    depth: StabilityDepth = "winner",
) -> Recommendation:
    """Every governance model solved, the discussion voted on per model, the models ranked,
    the staged path to the recommended one, and its stability to ``depth``: one job."""
    results = solve_variants(scenario, VARIANTS, options)
    ranked = recommend(scenario, results, discussion)
    ranked = msgspec.structs.replace(ranked, path=staged_path(scenario, results, ranked))
    if depth == "none":
        return ranked
    checked = stability(
        scenario, results, ranked, options, depth == "cells", min(SECONDS, options.time_limit)
    )
    return msgspec.structs.replace(ranked, stability=checked)
