"""Discussions: simulate the stakeholders' debate, its odds under uncertainty, and whom to brief."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, post
from litestar.params import QueryParameter

from models.discussion.types import InterventionResult, MonteCarloResult, SimulationResult

from ..context import JSON, AnyRequest, Doc, Work, accepted, language, service_of
from ..jobs import Picture, intervention_body, monte_carlo_body, simulate_body
from ..limits import capped, check_discussion, check_draws, check_trajectory
from ..schemas import PICTURES, InterventionRequest, MonteCarloRequest, SimulateRequest

SIMULATE_MEDIA = (JSON, *PICTURES)
PictureQuery = Annotated[
    Picture,
    QueryParameter(
        description="With an image Accept header: the trajectories (each stakeholder's "
        "position per round, a panel per issue) or the network (who sways whom)."
    ),
]


@post(
    "/discussions/simulate",
    operation_id="simulateDiscussion",
    status_code=200,
    opt=Doc(
        "Discussions",
        SimulateRequest,
        SimulationResult,
        SIMULATE_MEDIA,
        errors=(406, 503),
        jobs=True,
    ).opt(),
)
async def simulate_discussion(
    request: AnyRequest, picture: PictureQuery = "trajectory"
) -> Response[bytes]:
    """Simulate a discussion: trajectory, diagnostics, coalitions, influencers and decision.

    As a picture (image/svg+xml, image/png, application/pdf): the trajectories, titled by
    issue with the support threshold labelled, or who sways whom (?picture=network: sized by
    social power, coloured by final position), labelled in the language of Accept-Language.
    """
    service, media_type = service_of(request), accepted(request, SIMULATE_MEDIA)
    body = await service.read(request, SimulateRequest)
    discussion = service.catalogue.discussion(body.discussion, "/discussion", body.model)
    check_discussion(discussion, service.settings)
    check_trajectory(discussion, service.settings)
    cells = service.settings.max_cells
    args = (discussion, cells, media_type, language(request), picture)
    work = Work(simulate_body, args, media_type, pointer="/discussion")
    return await service.perform(request, service.budget(request, body.time_limit), work)


@post(
    "/discussions/monte-carlo",
    operation_id="monteCarloDiscussion",
    status_code=200,
    opt=Doc("Discussions", MonteCarloRequest, MonteCarloResult, errors=(503,), jobs=True).opt(),
)
async def monte_carlo_discussion(request: AnyRequest) -> Response[bytes]:
    """Probability that the proposal passes when the inputs are uncertain (seeded)."""
    service = service_of(request)
    body = await service.read(request, MonteCarloRequest)
    discussion = service.catalogue.discussion(body.discussion, "/discussion", body.model)
    check_discussion(discussion, service.settings)
    options = body.options or discussion.monte_carlo
    check_draws(discussion, options, service.settings)
    work = Work(monte_carlo_body, (discussion, options), pointer="/discussion")
    return await service.perform(request, service.budget(request, body.time_limit), work)


@post(
    "/discussions/intervention",
    operation_id="interveneDiscussion",
    status_code=200,
    opt=Doc("Discussions", InterventionRequest, InterventionResult, errors=(503,), jobs=True).opt(),
)
async def intervene_discussion(request: AnyRequest) -> Response[bytes]:
    """The robust least-effort briefing plan that makes the proposal pass, against the sandwich."""
    service = service_of(request)
    body = await service.read(request, InterventionRequest)
    discussion = service.catalogue.discussion(body.discussion, "/discussion", body.model)
    check_discussion(discussion, service.settings)
    check_draws(
        discussion, discussion.monte_carlo, service.settings
    )  # the plans' odds are measured on it
    options = body.options or discussion.intervention
    budget = service.budget(request, options.time_limit)
    args = (discussion, capped(options, budget.seconds))
    return await service.perform(
        request, budget, Work(intervention_body, args, pointer="/discussion")
    )


HANDLERS = (simulate_discussion, monte_carlo_discussion, intervene_discussion)
