"""Recommendations: every governance model ranked for a scenario, stored under a stable id that
the portal fetches as JSON or as a ready HTML fragment."""

from __future__ import annotations

import asyncio
from typing import Annotated

import msgspec
from litestar import Response, get, post
from litestar.params import PathParameter

from models.discussion.types import Discussion
from models.errors import InvalidInput, Problem
from models.governance.picture import recommendation_picture
from models.governance.render import recommendation_html
from models.governance.workbook import recommendation_workbook
from models.raci.render import View
from models.raci.types import Scenario, SolveOptions

from ..catalogue import Catalogue
from ..context import (
    HTML,
    JSON,
    AnyRequest,
    Doc,
    accepted,
    answer,
    attachment,
    language,
    service_of,
)
from ..jobs import deck_body, recommend_variants
from ..limits import capped, check_discussion, check_scenario
from ..problems import ApiError
from ..schemas import PICTURES, PPTX, XLSX, RecommendRequest, StoredRecommendation
from ..store import content_id

MEDIA = (JSON, HTML, XLSX, PPTX, *PICTURES)


def _resolve(catalogue: Catalogue, body: RecommendRequest) -> tuple[Scenario, Discussion | None]:
    """The scenario and the discussion the body names; the problems of both reported at once."""
    problems: list[Problem] = []
    scenario = discussion = None
    try:
        scenario = catalogue.scenario(body.scenario, "/scenario")
    except InvalidInput as exc:
        problems += exc.problems
    if body.discussion is not None:
        try:
            discussion = catalogue.discussion(body.discussion, "/discussion", None)
        except InvalidInput as exc:
            problems += exc.problems
    if problems or scenario is None:
        raise InvalidInput(problems)
    return scenario, discussion


@post(
    "/recommendations",
    operation_id="createRecommendation",
    status_code=201,
    opt=Doc(
        "Recommendations", RecommendRequest, StoredRecommendation, errors=(503,), status=201
    ).opt(),
)
async def create_recommendation(request: AnyRequest) -> Response[bytes]:
    """Rank every governance model for a scenario and store the result under a stable id.

    The id is a hash of the request with built-in references resolved: the same request gets
    the same id (and is solved once). Location points at the stored recommendation.
    """
    service = service_of(request)
    body = await service.read(request, RecommendRequest)
    scenario, discussion = _resolve(service.catalogue, body)
    check_scenario(scenario, service.settings)
    if discussion is not None:
        check_discussion(discussion, service.settings)
    options = msgspec.structs.replace(capped(body.options, service.settings), explain=False)
    inputs = {
        "scenario": scenario,
        "discussion": discussion,
        "options": options,
        "stability": body.stability,
    }
    store, key = service.store, content_id(inputs)
    await asyncio.to_thread(store.check)  # a store that cannot keep the result: 503 before solving
    recommendation = await asyncio.to_thread(store.get, key)
    if recommendation is None:
        deadline = service.deadline(options.time_limit)
        recommendation = await service.run(
            request,
            deadline,
            recommend_variants,
            scenario,
            options,
            discussion,
            deadline,
            body.stability,
        )
        await asyncio.to_thread(store.save, inputs, recommendation)
    response = answer(StoredRecommendation(id=key, recommendation=recommendation))
    response.status_code = 201
    response.headers["Location"] = f"/v1/recommendations/{key}"
    return response


@get(
    "/recommendations/{recommendation_id:str}",
    operation_id="getRecommendation",
    opt=Doc(
        "Recommendations", response=StoredRecommendation, media=MEDIA, errors=(404, 406, 503)
    ).opt(),
)
async def get_recommendation(
    request: AnyRequest, recommendation_id: Annotated[str, PathParameter()]
) -> Response[bytes]:
    """A stored recommendation, as JSON, an HTML fragment, a workbook, a deck or a picture.

    The fragment (Accept: text/html) is one `<section class="gremium-recommendation">` with
    the summary, the ranking, the trade-offs, the stability, the staged path and the
    recommended RACI matrix: no scripts, no external assets, class names prefixed
    `gremium-`. The workbook has the ranking (fit, score and its parts, dominated by), a
    summary sheet, the recommended matrix colour-coded, its lint findings, each model's
    acceptance by the discussion and the path's stages. The slide deck (16:9) has the
    recommendation and its trade-offs, one slide per model with its matrix as a coloured
    table, the discussion's pictures and the briefing plan (every model solved and the
    discussion simulated again from the stored request). The picture (image/svg+xml,
    image/png, application/pdf) shows why the winner wins and what would change it: the
    score per model and its parts beside the range of each objective weight over which the
    winner holds, and the profile changes that flip it. All use the scenario's names,
    labelled in the language of Accept-Language (en, de).
    """
    service, media_type = service_of(request), accepted(request, MEDIA)
    recommendation = await asyncio.to_thread(service.store.get, recommendation_id)
    if recommendation is None:
        raise ApiError("not-found", f"no stored recommendation {recommendation_id!r}")
    stored = StoredRecommendation(id=recommendation_id, recommendation=recommendation)
    if media_type == JSON:
        return answer(stored)
    inputs = await asyncio.to_thread(service.store.request, recommendation_id)
    scenario = None if inputs is None else inputs.scenario
    lang = language(request)
    view = View.of(scenario, lang)
    filename = f"{recommendation.scenario}-{recommendation_id}"
    if media_type == XLSX:
        content = await asyncio.to_thread(recommendation_workbook, recommendation, scenario, view)
        return attachment(content, XLSX, f"{filename}.xlsx")
    if media_type in PICTURES:
        fmt = PICTURES[media_type]
        content = await asyncio.to_thread(recommendation_picture, recommendation, fmt, view)
        return Response(content, media_type=media_type)
    if media_type == PPTX:
        options = SolveOptions() if inputs is None else inputs.options
        # solving, simulating, planning the briefing and drawing: the server's whole budget
        deadline = service.deadline()
        discussion = None if inputs is None else inputs.discussion
        content = await service.run(
            request,
            deadline,
            deck_body,
            recommendation,
            scenario,
            discussion,
            options,
            deadline,
            lang,
        )
        return attachment(content, PPTX, f"{filename}.pptx")
    return answer(stored, HTML, {HTML: lambda s: recommendation_html(s.recommendation, s.id, view)})


HANDLERS = (create_recommendation, get_recommendation)
