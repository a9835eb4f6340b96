"""Discussions: simulate the stakeholders' debate, its odds under uncertainty, and whom to brief."""

from __future__ import annotations

from litestar import Response, post

from models.discussion.intervention import intervene
from models.discussion.montecarlo import monte_carlo
from models.discussion.simulation import simulate
from models.discussion.types import InterventionResult, MonteCarloResult, SimulationResult

from ..catalogue import within
from ..context import AnyRequest, Doc, answer, service_of
from ..limits import capped, check_discussion, check_draws
from ..schemas import InterventionRequest, MonteCarloRequest, SimulateRequest


@post(
    "/discussions/simulate",
    operation_id="simulateDiscussion",
    status_code=200,
    opt=Doc("Discussions", SimulateRequest, SimulationResult, errors=(503,)).opt(),
)
async def simulate_discussion(request: AnyRequest) -> Response[bytes]:
    """Simulate a discussion: trajectory, diagnostics, coalitions, influencers and decision."""
    service = service_of(request)
    body = await service.read(request, SimulateRequest)
    discussion = service.catalogue.discussion(body.discussion, "/discussion", body.model)
    check_discussion(discussion, service.settings)
    with within("/discussion"):
        return answer(await service.pool.run(simulate, discussion))


@post(
    "/discussions/monte-carlo",
    operation_id="monteCarloDiscussion",
    status_code=200,
    opt=Doc("Discussions", MonteCarloRequest, MonteCarloResult, errors=(503,)).opt(),
)
async def monte_carlo_discussion(request: AnyRequest) -> Response[bytes]:
    """Probability that the proposal passes when the inputs are uncertain (seeded)."""
    service = service_of(request)
    body = await service.read(request, MonteCarloRequest)
    discussion = service.catalogue.discussion(body.discussion, "/discussion", body.model)
    check_discussion(discussion, service.settings)
    options = body.options or discussion.monte_carlo
    check_draws(options, service.settings)
    with within("/discussion"):
        return answer(await service.pool.run(monte_carlo, discussion, options))


@post(
    "/discussions/intervention",
    operation_id="interveneDiscussion",
    status_code=200,
    opt=Doc("Discussions", InterventionRequest, InterventionResult, errors=(503,)).opt(),
)
async def intervene_discussion(request: AnyRequest) -> Response[bytes]:
    """The robust least-effort briefing plan that makes the proposal pass, against the sandwich."""
    service = service_of(request)
    body = await service.read(request, InterventionRequest)
    discussion = service.catalogue.discussion(body.discussion, "/discussion", body.model)
    check_discussion(discussion, service.settings)
    check_draws(discussion.monte_carlo, service.settings)  # the plans' odds are measured on it
    options = capped(body.options or discussion.intervention, service.settings)
    with within("/discussion"):
        return answer(await service.pool.run(intervene, discussion, options))


HANDLERS = (simulate_discussion, monte_carlo_discussion, intervene_discussion)
