"""RACI matrices: scenario types, the optimiser, explanations, lint and diff."""
