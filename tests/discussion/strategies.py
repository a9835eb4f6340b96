"""Hypothesis strategies for discussions: groups, influence matrices, positions, models."""

from __future__ import annotations

import msgspec
import numpy as np
from hypothesis import strategies as st

from models.discussion.types import Discussion, Model, Network, Proposal, Stakeholder

fractions = st.floats(0.0, 1.0, allow_nan=False)
"""A position or susceptibility."""


@st.composite
def influence_matrices(draw: st.DrawFn, n: int, sparse: bool = True) -> np.ndarray:
    """A row-stochastic n × n matrix with a positive diagonal (everyone listens to themselves);
    with ``sparse`` some off-diagonal weights are zero, so the graph need not be connected."""
    cells = st.floats(0.0, 1.0, allow_nan=False)
    raw = np.array(draw(st.lists(st.lists(cells, min_size=n, max_size=n), min_size=n, max_size=n)))
    if sparse:
        raw[raw < 0.3] = 0.0
    raw[np.diag_indices(n)] += 0.1
    return np.asarray(raw / raw.sum(axis=1, keepdims=True))


@st.composite
def discussions(
    draw: st.DrawFn,
    model: Model,
    min_size: int = 2,
    max_size: int = 7,
    issues: int = 1,
    max_susceptibility: float = 1.0,
    proposal: bool = True,
) -> Discussion:
    """A group of 2–7 stakeholders with an explicit influence matrix, random positions,
    susceptibilities up to ``max_susceptibility``, weights (the first one positive) and vetoes."""
    n = draw(st.integers(min_size, max_size))
    w = draw(influence_matrices(n))
    people = tuple(
        Stakeholder(
            id=f"s{i}",
            name=f"Stakeholder {i}",
            role=draw(st.sampled_from(("ceo", "hr", "employees", "legal"))),
            positions=tuple(draw(fractions) for _ in range(issues)),
            susceptibility=draw(st.floats(0.0, max_susceptibility, allow_nan=False)),
            # someone has weight, or a weighted vote could not be counted (check rejects it)
            weight=draw(st.floats(0.5 if i == 0 else 0.0, 5.0, allow_nan=False)),
            veto=draw(st.booleans()),
        )
        for i in range(n)
    )
    return Discussion(
        id="generated",
        name="Generated discussion",
        issues=tuple(f"q{p}" for p in range(issues)),
        stakeholders=people,
        network=Network(influence=tuple(tuple(row) for row in w.tolist())),
        model=model,
        max_rounds=2000,
        tolerance=1e-10,
        proposal=Proposal(
            issue="q0", rule=draw(st.sampled_from(("majority", "weighted", "qualified")))
        )
        if proposal
        else None,
    )


def permuted(discussion: Discussion, order: list[int]) -> Discussion:
    """The same discussion with the stakeholders listed in ``order`` (W permuted alike)."""
    assert discussion.network.influence is not None
    w = np.array(discussion.network.influence)[np.ix_(order, order)]
    return msgspec.structs.replace(
        discussion,
        stakeholders=tuple(discussion.stakeholders[i] for i in order),
        network=Network(influence=tuple(tuple(row) for row in w.tolist())),
    )
