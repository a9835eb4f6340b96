"""The recommendation as it leaves the domain: the ranked governance variants and their scores.

:func:`models.governance.recommend.recommend` computes it (the score is explained there); the
types live apart so that a client decodes a recommendation without loading the optimiser.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

from models.core import Matrix
from models.raci.types import Status, Variant

FORMULA = (
    "score = objective + profile + (support - 0.5) + lint; "
    "objective = (T_max - T) / (T_max - T_min) over the variants with a matrix (1 when all "
    "equal); profile = 0.5 when the profile meets "
    "one of the variant's fit criteria; support = weighted mean final position on the "
    "simulated issue named like the variant (0.5, neutral, without one); lint = -(0.5 errors + "
    "0.1 warnings). Variants without a matrix rank last."
)


class Components(msgspec.Struct, frozen=True, kw_only=True):
    """The parts of a variant's score (each as it enters the sum) and what they come from."""

    objective: Annotated[float, Meta(description="Normalised objective in [0, 1].")]
    profile: Annotated[float, Meta(description="0.5 when a fit criterion holds, else 0.")]
    support: Annotated[
        float | None,
        Meta(description="Weighted mean simulated support; null without a simulated issue."),
    ]
    lint: Annotated[float, Meta(description="-(0.5 errors + 0.1 warnings).")]
    objective_total: Annotated[float, Meta(description="The solved objective (lower is better).")]
    errors: int
    warnings: int
    fits: Annotated[tuple[str, ...], Meta(description="The fit criteria the profile meets.")]


class RankedVariant(msgspec.Struct, frozen=True, kw_only=True):
    """One governance variant's place in the ranking; ``score`` is null without a matrix."""

    variant: Variant
    rank: Annotated[int, Meta(ge=1)]
    status: Status
    score: float | None
    components: Components | None
    reason: str


class Recommendation(msgspec.Struct, frozen=True, kw_only=True):
    """The governance variants ranked, the best one and its RACI matrix (empty when no variant
    has a matrix)."""

    scenario: str
    discussion: str | None
    recommended: Variant | None
    matrix: Matrix
    ranking: tuple[RankedVariant, ...]
    formula: str = FORMULA
