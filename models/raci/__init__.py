"""RACI matrices: scenario and result types, the governance variants as RACI structure and
templates, the optimiser, explanations, lint and diff."""
