"""The wire types: request and response bodies the domain types do not already describe,
problem details, and the API-key header.

A scenario or discussion is given inline or as the id of a built-in one; everything else is the
domain's own types, served as they are. This module and the type modules it imports load neither
the web framework nor the solvers, so the client (:mod:`service.client`) imports it cheaply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

from models.core import Id, Matrix
from models.discussion.types import (
    Discussion,
    InterventionOptions,
    Model,
    MonteCarloOptions,
)
from models.governance.types import Edit, Recommendation, StabilityDepth
from models.raci.types import LintOptions, Scenario, SolveOptions, SolveResult, Variant

PROBLEM_JSON = "application/problem+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#: the pictures' media types and their formats (:data:`models.figures.MEDIA_TYPES`, which this
#: module does not import: it would load matplotlib into the client)
PICTURES: dict[str, Literal["svg", "png", "pdf"]] = {
    "image/svg+xml": "svg",
    "image/png": "png",
    "application/pdf": "pdf",
}
API_KEY_HEADER = "X-API-Key"

#: Marks a string as the id of a built-in of one kind; the server's schema (OpenAPI and the
#: decoder's, see :func:`service.decoding.schema_document`) lists the ids it has as an enum.
BUILTIN = "x-gremium-builtin"
BuiltinScenarioId = Annotated[Id, Meta(extra_json_schema={BUILTIN: "raci"})]
BuiltinDiscussionId = Annotated[Id, Meta(extra_json_schema={BUILTIN: "discussion"})]

ScenarioRef = Annotated[
    Scenario | BuiltinScenarioId,
    Meta(description="A scenario inline, or the id of a built-in one (GET /v1/scenarios)."),
]
DiscussionRef = Annotated[
    Discussion | BuiltinDiscussionId,
    Meta(description="A discussion inline, or the id of a built-in one (GET /v1/scenarios)."),
]
ModelOverride = Annotated[
    Model | None,
    Meta(description="Replaces the discussion's own model and parameters when given."),
]


class SolveRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A scenario and the governance model(s) to propose a RACI matrix for."""

    scenario: ScenarioRef
    variant: Annotated[
        Variant | Literal["all"],
        Meta(description="One governance model, or all five in the order of the domain."),
    ] = "all"
    options: SolveOptions = SolveOptions()


class SolveResponse(msgspec.Struct, frozen=True, kw_only=True):
    """One solve result per governance model asked for, and what the time budget cut."""

    scenario: str
    results: tuple[SolveResult, ...]
    budget: Annotated[
        tuple[str, ...],
        Meta(
            description="One sentence per model whose answer the request's time budget cut "
            "(a solve stopped before its proof, runner-ups estimated, a diagnosis cut short); "
            "empty when the budget cut nothing."
        ),
    ] = ()
    machine_dependent: Annotated[
        tuple[str, ...],
        Meta(
            description="The models (variant ids) whose result depends on the machine's speed "
            "because the time budget cut it; empty: the answer is the same on any machine "
            "(every solve proven, every runner-up re-solved or, with alternatives_seconds 0, "
            "estimated)."
        ),
    ] = ()


class LintRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A RACI matrix to lint, optionally against its scenario (adds the scenario's rules)."""

    matrix: Matrix
    scenario: ScenarioRef | None = None
    options: LintOptions = LintOptions()


class DiffRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A current matrix against a proposal, judged under one governance model."""

    scenario: ScenarioRef
    variant: Variant
    current: Matrix
    proposed: Matrix


class WhatIfRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A scenario and edits to it: which cells flip, each term and criterion before and after,
    and (for all five models) whether the recommendation changes."""

    scenario: ScenarioRef
    edits: Annotated[
        tuple[Edit, ...],
        Meta(max_length=100, description="Applied in order; none: nothing changes."),
    ] = ()
    variant: Annotated[
        Variant | Literal["all"],
        Meta(description="One governance model, or all five (then the recommendation too)."),
    ] = "all"
    discussion: Annotated[
        DiscussionRef | None,
        Meta(description="The stakeholders' discussion, for the recommendation's votes."),
    ] = None
    options: Annotated[
        SolveOptions,
        Meta(description="How to solve each model; `explain` is ignored (never explained)."),
    ] = SolveOptions()


TimeLimit = Annotated[
    float,
    Meta(
        gt=0.0,
        le=3600.0,
        description="The request's time budget in seconds, capped by the server "
        "(GREMIUM_MAX_TIME_LIMIT; the cap when absent). When it binds, the answer says what it "
        "cut and `machine_dependent` names the figures that depend on the machine's speed; "
        "for an answer that is the same on any machine, limit the work instead (max_rounds, "
        "draws) and give a budget that does not bind.",
    ),
]


class SimulateRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A discussion to simulate."""

    discussion: DiscussionRef
    model: ModelOverride = None
    time_limit: TimeLimit | None = None


class MonteCarloRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A discussion whose inputs are uncertain: how likely does its proposal pass?"""

    discussion: DiscussionRef
    model: ModelOverride = None
    time_limit: TimeLimit | None = None
    options: Annotated[
        MonteCarloOptions | None,
        Meta(description="Replaces the discussion's own Monte Carlo options when given."),
    ] = None


class InterventionRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A discussion whose proposal should pass: whom to brief, and how far, at least effort."""

    discussion: DiscussionRef
    model: ModelOverride = None
    options: Annotated[
        InterventionOptions | None,
        Meta(description="Replaces the discussion's own intervention options when given."),
    ] = None


class RecommendRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """A scenario to rank every governance model for, optionally with its stakeholders'
    discussion (its issues named like a governance model add simulated support)."""

    scenario: ScenarioRef
    discussion: DiscussionRef | None = None
    options: Annotated[
        SolveOptions,
        Meta(description="How to solve each model; `explain` is ignored (never explained)."),
    ] = SolveOptions()
    stability: Annotated[
        StabilityDepth,
        Meta(
            description="How far to check the recommendation's stability: `none`; `winner` "
            "(each objective weight from 0.25x to 4x, each profile attribute: which single "
            "change flips the winner); `cells` (also every cell of the recommended matrix, "
            "30 more solves)."
        ),
    ] = "winner"


class StoredRecommendation(msgspec.Struct, frozen=True, kw_only=True):
    """A stored recommendation and its stable id (the same request always gets the same id)."""

    id: Annotated[str, Meta(pattern=r"^[0-9a-f]{16}$")]
    recommendation: Recommendation


class ScenarioSummary(msgspec.Struct, frozen=True, kw_only=True):
    """A built-in scenario: a RACI scenario (an organisation) or a discussion."""

    id: str
    kind: Literal["raci", "discussion"]
    name: str
    description: str


class ScenarioList(msgspec.Struct, frozen=True):
    scenarios: tuple[ScenarioSummary, ...]


class ScenarioEntry(msgspec.Struct, frozen=True, kw_only=True):
    """Everything built in under one id: the RACI scenario, the discussion, or both."""

    id: str
    raci: Scenario | None = None
    discussion: Discussion | None = None


class Health(msgspec.Struct, frozen=True, kw_only=True):
    """Liveness or readiness, with what was checked."""

    status: Literal["ok", "unavailable"]
    checks: dict[str, str] = {}


class FieldError(msgspec.Struct, frozen=True):
    """One offending field: a JSON pointer into the request body and what is wrong there."""

    pointer: str
    detail: str


class ProblemDetails(msgspec.Struct, frozen=True, omit_defaults=True, kw_only=True):
    """RFC 9457 problem details, with Gremium's extension members."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    request_id: str | None = None
    errors: tuple[FieldError, ...] | None = None
    limit: str | None = None
    allowed: float | None = None
    got: float | None = None


JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class Job(msgspec.Struct, frozen=True, kw_only=True):
    """A long request run in the background (202 Accepted): poll it, fetch its result when it
    has succeeded, cancel it with DELETE."""

    id: Annotated[str, Meta(pattern=r"^[0-9a-f]{16}$")]
    operation: Annotated[
        str, Meta(description="The operationId of the request that made it, e.g. solveRaci.")
    ]
    status: JobStatus
    created: datetime
    started: datetime | None = None
    finished: datetime | None = None
    budget: Annotated[float, Meta(ge=0, description="Seconds the work may take once started.")]
    progress: (
        Annotated[
            float,
            Meta(ge=0, le=1, description="Share done, where the work reports it (null: unknown)."),
        ]
        | None
    ) = None
    media_type: Annotated[str, Meta(description="The media type of the result.")]
    result: Annotated[
        str | None, Meta(description="Where the result is, once the job has succeeded.")
    ] = None
    problem: Annotated[
        ProblemDetails | None,
        Meta(
            description="Why the job failed or was cancelled: the problem its request would "
            "have answered with."
        ),
    ] = None
