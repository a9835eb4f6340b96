"""Discussion simulation: how stakeholders argue, who sways whom, and whether a proposal passes.

    decode_discussion(bytes, fmt) -> Discussion     codec: decode + check every field
    simulate(discussion)          -> SimulationResult
    monte_carlo(discussion, opts) -> MonteCarloResult
    intervene(discussion, opts)   -> InterventionResult
    with_model(discussion, kind, seed) -> Discussion  another model / seed (CLI, API options)

Modules: types (the contract), network (W from layers, networkx), dynamics (numpy models),
diagnostics, power, coalitions, decision, montecarlo, intervention (PuLP/HiGHS), codec.
"""

from .codec import check, decode_discussion
from .intervention import intervene
from .montecarlo import monte_carlo
from .network import influence_graph, influence_matrix
from .simulation import simulate, with_model
from .types import (
    MODEL_KINDS,
    Discussion,
    InterventionOptions,
    InterventionResult,
    MonteCarloOptions,
    MonteCarloResult,
    SimulationResult,
)

__all__ = [
    "MODEL_KINDS",
    "Discussion",
    "InterventionOptions",
    "InterventionResult",
    "MonteCarloOptions",
    "MonteCarloResult",
    "SimulationResult",
    "check",
    "decode_discussion",
    "influence_graph",
    "influence_matrix",
    "intervene",
    "monte_carlo",
    "simulate",
    "with_model",
]
