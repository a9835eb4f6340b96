"""Hypothesis strategies for rankings: solve results of every status over a small scenario."""

from __future__ import annotations

from hypothesis import strategies as st

from models.core import LETTERS, Matrix
from models.raci.types import (
    VARIANTS,
    Activity,
    Diagnosis,
    Objective,
    Profile,
    Role,
    Scenario,
    SolveResult,
    SolverInfo,
    Status,
    Variant,
)

ROLES = ("csmo", "bu", "legal")
ACTIVITIES = ("strategy", "content", "crisis")
INFO = SolverInfo(name="highs", version="test", seconds=0.0)


def scenario(profile: Profile) -> Scenario:
    """Three roles and three activities, so any matrix over them lints without unknown ids."""
    return Scenario(
        id="s",
        profile=profile,
        roles=tuple(Role(id=role, name=role) for role in ROLES),
        activities=tuple(Activity(id=activity, name=activity) for activity in ACTIVITIES),
    )


def solved(
    variant: Variant, total: float, matrix: Matrix, status: Status = "optimal"
) -> SolveResult:
    return SolveResult(
        scenario="s",
        variant=variant,
        status=status,
        message="proven optimal",
        objective=Objective(total, total, 0.0, 0.0, 0.0),
        matrix=matrix,
        workload={},
        solver=INFO,
    )


def unsolved(variant: Variant, status: Status, why: str) -> SolveResult:
    return SolveResult(
        scenario="s",
        variant=variant,
        status=status,
        message=why,
        objective=None,
        matrix={},
        workload={},
        solver=INFO,
        diagnosis=Diagnosis(summary=why) if status == "infeasible" else None,
    )


profiles = st.builds(
    Profile,
    name=st.just("P"),
    headcount=st.integers(1, 100_000),
    business_units=st.integers(0, 10),
    regulated=st.booleans(),
    works_council=st.just(False),
    maturity=st.sampled_from(("low", "medium", "high")),
    executive_sponsorship=st.sampled_from(("none", "weak", "strong")),
)
matrices = st.dictionaries(
    st.sampled_from(ACTIVITIES),
    st.dictionaries(st.sampled_from(ROLES), st.sampled_from(LETTERS), max_size=3),
    max_size=3,
)


@st.composite
def result_sets(draw: st.DrawFn) -> list[SolveResult]:
    """A non-empty subset of the variants, in any order, each solved or not."""
    variants = draw(st.permutations(VARIANTS))[: draw(st.integers(1, len(VARIANTS)))]
    results = []
    for variant in variants:
        status = draw(
            st.sampled_from(("optimal", "feasible", "infeasible", "not-applicable", "error"))
        )
        if status in ("optimal", "feasible"):
            total = draw(st.floats(0.0, 1000.0, allow_nan=False))
            results.append(solved(variant, total, draw(matrices), status))
        else:
            results.append(unsolved(variant, status, "no matrix"))
    return results
