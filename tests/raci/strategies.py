"""Hypothesis strategies for the RACI domain, within the bounds the types declare."""

from __future__ import annotations

from hypothesis import strategies as st

from models.core import LETTERS, Letter, Matrix
from models.raci.types import Profile

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ids = st.builds(str.__add__, st.sampled_from(_ALNUM), st.text(alphabet=_ALNUM + "_.-", max_size=11))
"""Identifiers as :data:`models.core.Id` allows them (shortened)."""

names = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
)

profiles = st.builds(
    Profile,
    name=names,
    headcount=st.integers(1, 10_000_000),
    business_units=st.integers(0, 200),
    regulated=st.booleans(),
    works_council=st.booleans(),
    maturity=st.sampled_from(("low", "medium", "high")),
    executive_sponsorship=st.sampled_from(("none", "weak", "strong")),
    budget_fte=st.floats(0.0, 1e6, allow_nan=False),
)
"""Any profile the :class:`Profile` bounds allow."""


@st.composite
def matrices(
    draw: st.DrawFn, max_activities: int = 8, max_roles: int = 8, min_activities: int = 0
) -> Matrix:
    """Any matrix: distinct activity and role ids, each cell one letter or none."""
    activities = draw(st.lists(ids, min_size=min_activities, max_size=max_activities, unique=True))
    roles = draw(st.lists(ids, min_size=1, max_size=max_roles, unique=True))
    cell = st.one_of(st.none(), st.sampled_from(LETTERS))
    matrix: Matrix = {}
    for activity in activities:
        letters = draw(st.lists(cell, min_size=len(roles), max_size=len(roles)))
        matrix[activity] = {r: x for r, x in zip(roles, letters, strict=True) if x is not None}
    return matrix


@st.composite
def well_formed_rows(draw: st.DrawFn, max_activities: int = 8, max_roles: int = 8) -> Matrix:
    """Matrices whose every row has exactly one A (A or A/R) and at least one R."""
    activities = draw(st.lists(ids, min_size=1, max_size=max_activities, unique=True))
    roles = draw(st.lists(ids, min_size=2, max_size=max_roles, unique=True))
    others: tuple[Letter, ...] = ("R", "C", "I")
    matrix: Matrix = {}
    for activity in activities:
        owner = draw(st.sampled_from(roles))
        row: dict[str, Letter] = {owner: draw(st.sampled_from(("A", "A/R")))}
        rest = [role for role in roles if role != owner]
        for role in rest:
            letter = draw(st.one_of(st.none(), st.sampled_from(others)))
            if letter is not None:
                row[role] = letter
        if row[owner] == "A" and "R" not in row.values():
            row[draw(st.sampled_from(rest))] = "R"
        matrix[activity] = row
    return matrix
