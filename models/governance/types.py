"""The recommendation as it leaves the domain: the governance models ranked, on one yardstick.

:func:`models.governance.recommend.recommend` computes it (the rule is explained there); the
types live apart so that a client decodes a recommendation without loading the optimiser.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from models.core import Id, Letter, Matrix, NonNegative
from models.raci.types import Objective, Role, Rule, Staffing, Status, Variant

Fit = Literal["fits", "neutral", "does-not-fit"]
#: how far to check a recommendation's stability: not at all, the winner (weights and
#: profile), or the winner and every cell of its matrix
StabilityDepth = Literal["none", "winner", "cells"]
Effect = Literal["fits", "against"]

RULE = (
    "Models with a matrix first, then those whose solve failed, then those the organisation "
    "cannot run. Among models with a matrix: first by fit to the organisation (fits, neutral, "
    "does not fit: the evidence rules and their sources), then by score, higher first, then "
    "in the order central, hub-and-spoke, distributed, multi-hub, holistic. score = headroom "
    "+ spread + competence + consultation + consent + acceptance, each part in [0, 1] and "
    "read off the model's own matrix and vote alone, so removing a model never reorders the "
    "others."
)


class Evidence(msgspec.Struct, frozen=True, kw_only=True):
    """One rule of the fit between an organisation and a governance model, and its source."""

    effect: Annotated[Effect, Meta(description="Whether the rule speaks for or against it.")]
    criterion: Annotated[str, Meta(description="What in the profile it reads, in words.")]
    source: Annotated[str, Meta(description="Where the literature says so.")]


class Acceptance(msgspec.Struct, frozen=True, kw_only=True):
    """The stakeholders' simulated decision on this model (the discussion's issue named like
    it), and how likely it passes when their inputs are uncertain (Monte Carlo)."""

    issue: str
    passes: Annotated[bool, Meta(description="The decision at the discussion's equilibrium.")]
    margin: float
    vetoes: Annotated[tuple[str, ...], Meta(description="Veto holders who oppose it.")]
    probability: Annotated[
        float, Meta(description="Share of Monte Carlo draws in which it passes.")
    ]
    interval: Annotated[tuple[float, float], Meta(description="95 % Wilson interval.")]
    draws: int
    assumed: Annotated[
        str, Meta(description="What was assumed where the discussion is silent ('' if nothing).")
    ] = ""


class Criteria(msgspec.Struct, frozen=True, kw_only=True):
    """A model's matrix measured on one yardstick, the same for every model: none of these
    depends on the model's own template."""

    hub_load: Annotated[
        float | None, Meta(description="Utilisation of the leading hub (null without one).")
    ]
    peak_load: Annotated[float, Meta(description="The highest utilisation of any role.")]
    bottleneck: Annotated[
        float, Meta(description="The largest share of rows one role is accountable for.")
    ]
    decision_makers: Annotated[int, Meta(description="Roles accountable for at least one row.")]
    competence: Annotated[
        float, Meta(description="Mean competence fit of the roles that do the work (R, A/R).")
    ]
    consultation: Annotated[
        float,
        Meta(description="Share of the catalogue's natural consultees that are heard (C or more)."),
    ]
    consent: Annotated[
        float | None,
        Meta(
            description="Share of codetermined rows where the works council consents (S); null "
            "without a works council."
        ),
    ]
    work_fte: Annotated[
        float, Meta(description="Person-days per month the matrix asks of all roles, in FTE.")
    ]
    new_fte: Annotated[float, Meta(description="FTE of the optional roles it creates.")]
    change: Annotated[
        int | None,
        Meta(description="Cells that differ from the client's current matrix (null: none given)."),
    ] = None
    lint_errors: int
    lint_warnings: int
    acceptance: Acceptance | None = None


class Score(msgspec.Struct, frozen=True, kw_only=True):
    """The parts of a model's score, each in [0, 1] and rounded to 3 decimals, and their sum
    (so the sentence that names them adds up to the digit)."""

    headroom: Annotated[float, Meta(description="1 − the hub's utilisation (peak without hub).")]
    spread: Annotated[float, Meta(description="1 − the bottleneck share.")]
    competence: float
    consultation: float
    consent: Annotated[float, Meta(description="The consent share; 1 without a works council.")]
    acceptance: Annotated[
        float, Meta(description="The probability it passes; 0.5 (undecided) without a vote.")
    ]
    total: float


class RankedVariant(msgspec.Struct, frozen=True, kw_only=True):
    """One governance model's place in the ranking; ``fit``, ``criteria`` and ``score`` are
    null for a model without a matrix."""

    variant: Variant
    rank: Annotated[int, Meta(ge=1)]
    status: Status
    fit: Fit | None
    evidence: tuple[Evidence, ...]
    criteria: Criteria | None
    score: Score | None
    dominated_by: Annotated[
        tuple[Variant, ...],
        Meta(description="Models at least as good on every score part and better on one (Pareto)."),
    ] = ()
    reason: str


class WeightRange(msgspec.Struct, frozen=True, kw_only=True):
    """The factors of one objective weight within which the winner holds: below ``low`` it
    flips to ``flips_to_below``, above ``high`` to ``flips_to_above``; null bounds: it holds
    over the whole tested range (¼× to 4×)."""

    weight: str
    low: float | None = None
    high: float | None = None
    flips_to_below: Variant | None = None
    flips_to_above: Variant | None = None


class ProfileFlip(msgspec.Struct, frozen=True, kw_only=True):
    """A single change of the profile that changes the recommendation, and to what."""

    attribute: str
    value: str
    winner: Variant | None


class CellRange(msgspec.Struct, frozen=True, kw_only=True):
    """A cell of the recommended matrix that changes when one weight is scaled: it keeps its
    letter between the factors ``low`` and ``high`` (null: over the whole tested range) and
    becomes ``below`` / ``above`` outside them."""

    row: str
    role: str
    letter: Letter | None
    weight: str
    low: float | None
    high: float | None
    below: Letter | None
    above: Letter | None


class Stability(msgspec.Struct, frozen=True, kw_only=True):
    """How far the recommendation holds: per weight, per profile attribute, per cell."""

    winner: Variant
    fragile: Annotated[
        bool, Meta(description="The winner flips within ±25 % of some objective weight.")
    ]
    summary: str
    weights: tuple[WeightRange, ...]
    profile: tuple[ProfileFlip, ...]
    cells: Annotated[
        tuple[CellRange, ...], Meta(description="Only when asked for (`stability: cells`).")
    ]
    unchecked: Annotated[
        tuple[str, ...],
        Meta(description="Weights (and `cells`) the time budget of the check did not reach."),
    ] = ()
    method: str


class Stage(msgspec.Struct, frozen=True, kw_only=True):
    """One step of a staged path: the model, its matrix, the cells that move from the step
    before, what triggers the step, and the stakeholders' vote on the model (with a
    discussion that argues about it)."""

    variant: Variant
    matrix: Matrix
    moved: Annotated[int, Meta(description="How many cells change from the step before.")]
    cells: tuple[CellFlip, ...]
    trigger: str
    acceptance: Acceptance | None = None


class StagedPath(msgspec.Struct, frozen=True, kw_only=True):
    """From the client's current matrix (or ad hoc) to the recommended model, a rung of the
    ladder of decentralisation at a time."""

    start: str
    stages: tuple[Stage, ...]
    summary: str


class Recommendation(msgspec.Struct, frozen=True, kw_only=True):
    """The governance models ranked, the best one and its RACI matrix (empty when no model
    has a matrix), and the trade-offs between the recommended model and the others."""

    scenario: str
    discussion: str | None
    recommended: Variant | None
    summary: Annotated[str, Meta(description="The recommendation in one sentence.")]
    matrix: Matrix
    ranking: tuple[RankedVariant, ...]
    trade_offs: tuple[str, ...] = ()
    stability: Stability | None = None
    path: StagedPath | None = None
    rule: str = RULE


# --------------------------------------------------------------------------- what-if

Term = Literal[
    "competence", "workload", "communication", "alignment", "consultation", "staffing", "change"
]
Weight = Annotated[float, Meta(ge=0.0, le=1000.0)]


class SetWeight(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="weight"
):
    """Set one objective weight."""

    term: Term
    value: Weight


class SetCapacity(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="capacity"
):
    """Set a role's capacity (person-days per month)."""

    role: Id
    value: NonNegative


class AddRole(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="add-role"
):
    """Add a role (an id the scenario does not have yet)."""

    role: Role


class RemoveRole(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="remove-role"
):
    """Remove a role, the rules naming it and its column of the current matrix."""

    role: Id


class MakeOptional(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="optional"
):
    """Make a role optional: the optimiser decides whether to create it and how big."""

    role: Id
    staffing: Staffing


class Lead(msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="lead"):
    """Who leads: this role becomes the hub of every model (null: the catalogue's hub)."""

    role: Id | None


class AddRule(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="add-rule"
):
    """Add a hard rule."""

    rule: Rule


class DropRule(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="drop-rule"
):
    """Drop the scenario's rule at this index (0-based, in the order before any edit)."""

    index: Annotated[int, Meta(ge=0, le=10_000)]


class StayClose(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, tag_field="kind", tag="current"
):
    """Stay close to the client's current matrix: each cell that differs costs ``weight``."""

    matrix: Matrix
    weight: Weight = 1.0


Edit = (
    SetWeight
    | SetCapacity
    | AddRole
    | RemoveRole
    | MakeOptional
    | Lead
    | AddRule
    | DropRule
    | StayClose
)


class CellFlip(msgspec.Struct, frozen=True, kw_only=True):
    """A cell whose letter an edit changes (null: no letter)."""

    variant: Variant
    row: str
    role: str
    before: Letter | None
    after: Letter | None


class ModelChange(msgspec.Struct, frozen=True, kw_only=True):
    """One model before and after the edits: status, objective, criteria, score, flips."""

    variant: Variant
    status_before: Status
    status_after: Status
    objective_before: Objective | None
    objective_after: Objective | None
    criteria_before: Criteria | None
    criteria_after: Criteria | None
    score_before: Score | None
    score_after: Score | None
    flips: tuple[CellFlip, ...]


class WhatIf(msgspec.Struct, frozen=True, kw_only=True):
    """What the edits change; the recommendation before and after when every model was
    solved (null otherwise)."""

    scenario: str
    edits: Annotated[tuple[str, ...], Meta(description="What each edit did, in words.")]
    models: tuple[ModelChange, ...]
    recommended_before: Variant | None
    recommended_after: Variant | None
    summary: str
