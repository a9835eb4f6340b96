"""The work the pool runs: module-level functions, so a worker process can unpickle them."""

from __future__ import annotations

from models.discussion.simulation import simulate
from models.discussion.types import Discussion
from models.governance.recommend import recommend
from models.governance.types import Recommendation
from models.raci.render import in_scenario_order
from models.raci.solve import solve
from models.raci.types import VARIANTS, Scenario, SolveOptions, SolveResult, Variant


def solve_variants(
    scenario: Scenario, variants: tuple[Variant, ...], options: SolveOptions
) -> tuple[SolveResult, ...]:
    """One solve per governance model, in one job so that "all" takes one pool slot; rows and
    columns in the order a person reads them (:func:`~models.raci.render.in_scenario_order`),
    the same for the command line and every format of the API."""
    return tuple(in_scenario_order(solve(scenario, v, options), scenario) for v in variants)


def recommend_variants(
    scenario: Scenario, options: SolveOptions, discussion: Discussion | None
) -> Recommendation:
    """Every governance model solved, the discussion simulated, the models ranked: one job."""
    results = solve_variants(scenario, VARIANTS, options)
    if discussion is None:
        return recommend(scenario, results)
    weights = {person.id: person.weight for person in discussion.stakeholders}
    return recommend(scenario, results, simulate(discussion), weights)
