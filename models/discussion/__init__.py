"""Discussion simulation: how stakeholders argue, who sways whom, and whether a proposal passes.

    codec.decode_discussion(bytes, fmt)         -> Discussion   decode + check every field
    simulation.simulate(discussion)             -> SimulationResult   (with .agreement)
    simulation.agreement(discussion)            -> Agreement | None   each standard model
    montecarlo.monte_carlo(discussion, opts)    -> MonteCarloResult
    intervention.intervene(discussion, opts)    -> InterventionResult
    simulation.with_model(discussion, kind, seed) -> Discussion another model / seed (CLI, API)

Modules: types (the contract), network (W from layers, networkx), dynamics (numpy models),
diagnostics, power, coalitions, decision, agreement (model uncertainty), simulation,
montecarlo, intervention (PuLP/HiGHS), codec. Import from the modules: the package imports
none of them, so that the types load without numpy, networkx or PuLP.
"""
