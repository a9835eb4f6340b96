"""Recommendations: every governance model ranked for a scenario, stored under a stable id that
the portal fetches as JSON or as a ready HTML fragment, and the fragment's default stylesheet.

A stored recommendation never changes (its id is a hash of the request), so each of its
representations is cached as immutable and carries a strong ``ETag`` — a hash of the stored
JSON, the media type, the language, the heading level and the service's version — that
``If-None-Match`` turns into a 304 without rendering anything. ``Vary: Accept,
Accept-Language`` keeps a cache from handing one representation to a request for another.
"""

from __future__ import annotations

import asyncio
import time
from importlib.metadata import version
from typing import Annotated

import msgspec
from litestar import Response, get, post
from litestar.params import PathParameter, QueryParameter

from models.discussion.types import Discussion
from models.errors import InvalidInput, Problem
from models.governance.picture import recommendation_picture
from models.governance.render import (
    DEFAULT_HEADING,
    HEADING_LEVELS,
    recommendation_html,
    stylesheet,
)
from models.governance.types import Recommendation
from models.governance.workbook import recommendation_workbook
from models.labels import DEFAULT_LANG
from models.raci.render import View
from models.raci.types import Scenario, SolveOptions

from ..background import Answer
from ..catalogue import Catalogue
from ..context import (
    HTML,
    JSON,
    AnyRequest,
    Doc,
    Work,
    accepted,
    answer,
    attachment,
    cached,
    entity_tag,
    language,
    not_modified,
    respond,
    service_of,
)
from ..edge import VARY_STATE
from ..jobs import deck_body, recommend_variants
from ..limits import capped, check_discussion, check_scenario
from ..problems import ApiError
from ..schemas import PICTURES, PPTX, XLSX, RecommendRequest, StoredRecommendation
from ..security import READ_SCOPE
from ..store import content_id

MEDIA = (JSON, HTML, XLSX, PPTX, *PICTURES)
CSS = "text/css"
VERSION = version("gremium")
#: A stored recommendation never changes: a year, and no revalidation while fresh.
IMMUTABLE = "max-age=31536000, immutable"
#: The stylesheet changes with the service's version: a day, then revalidated by its ETag.
STYLESHEET_CACHE = "public, max-age=86400"
VARY = ("Accept", "Accept-Language")
STYLESHEET = stylesheet().encode()
STYLESHEET_TAG = entity_tag(STYLESHEET)

HeadingQuery = Annotated[
    int,
    msgspec.Meta(ge=1, le=6),
    QueryParameter(description="The fragment's heading level, <h1> to <h6> (text/html only)."),
]
_encoder = msgspec.json.Encoder()


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
        "Recommendations",
        RecommendRequest,
        StoredRecommendation,
        errors=(503,),
        status=201,
        jobs=True,
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
    budget = service.budget(request, body.options.time_limit)
    options = msgspec.structs.replace(capped(body.options, budget.seconds), explain=False)
    inputs: dict[str, object] = {
        "scenario": scenario,
        "discussion": discussion,
        "options": options,
        "stability": body.stability,
    }
    # the sentences are written once, in the language of this request: a German
    # recommendation is another one (English keeps the ids it always had)
    if (lang := language(request)) != DEFAULT_LANG:
        inputs["lang"] = lang
    store, key = service.store, content_id(inputs)

    async def stored(recommendation: Recommendation) -> Answer:
        await asyncio.to_thread(store.save, inputs, recommendation)
        content = _encoder.encode(StoredRecommendation(id=key, recommendation=recommendation))
        return Answer(content, JSON, 201, {"Location": f"/v1/recommendations/{key}"})

    await asyncio.to_thread(store.check)  # a store that cannot keep the result: 503 before solving
    known = await asyncio.to_thread(store.get, key)  # solved before: nothing to run
    args = (scenario, options, discussion, body.stability)
    work = Work(recommend_variants, args, finish=stored)
    return await service.perform(request, budget, work, known)


@get(
    "/recommendations/{recommendation_id:str}",
    operation_id="getRecommendation",
    opt={
        **Doc(
            "Recommendations",
            response=StoredRecommendation,
            media=MEDIA,
            errors=(404, 406, 503),
            cached=True,
        ).opt(),
        "scope": READ_SCOPE,
    },
)
async def get_recommendation(
    request: AnyRequest,
    recommendation_id: Annotated[str, PathParameter()],
    heading: HeadingQuery = DEFAULT_HEADING,
) -> Response[bytes]:
    """A stored recommendation, as JSON, an HTML fragment, a workbook, a deck or a picture.

    The fragment (Accept: text/html) is one `<section class="gremium-recommendation">` with
    the summary (the organisation's name as an `<h2>`, or the level of `heading`), the ranking,
    the trade-offs, the stability, the staged path and the recommended RACI matrix, each table
    in a scroll container, headers with `scope`, every letter cell with a class and
    `data-letter`, and a legend: no scripts, no styles, no external assets, class names
    prefixed `gremium-` (GET /gremium.css styles them). The workbook has the ranking (fit,
    score and its parts, dominated by), a summary sheet, the recommended matrix colour-coded,
    its lint findings, each model's acceptance by the discussion and the path's stages. The
    slide deck (16:9) has the recommendation and its trade-offs, one slide per model with its
    matrix as a coloured table, the discussion's pictures and the briefing plan (every model
    solved and the discussion simulated again from the stored request). The picture
    (image/svg+xml, image/png, application/pdf) shows why the winner wins and what would
    change it: the score per model and its parts beside the range of each objective weight
    over which the winner holds, and the profile changes that flip it. All use the
    scenario's names, labelled in the language of Accept-Language (en, de). Immutable:
    cached for a year, with an ETag (If-None-Match: 304). A read key (GREMIUM_READ_KEYS) may
    call this and nothing else.
    """
    if heading not in HEADING_LEVELS:  # Litestar does not check a query parameter's bounds
        raise ApiError("malformed-request", f"heading: a heading level is 1 to 6, not {heading}")
    service, media_type = service_of(request), accepted(request, MEDIA)
    recommendation = await asyncio.to_thread(service.store.get, recommendation_id)
    if recommendation is None:
        raise ApiError("not-found", f"no stored recommendation {recommendation_id!r}")
    stored = StoredRecommendation(id=recommendation_id, recommendation=recommendation)
    body = msgspec.json.encode(stored)
    lang = "" if media_type == JSON else language(request)
    level = str(heading) if media_type == HTML else ""
    etag = entity_tag(VERSION, media_type, lang, level, body)
    request.scope["state"][VARY_STATE] = VARY  # kept beside CORS's Vary: Origin
    # a shared cache must not hand a key holder's answer to a caller without a key
    cache = ("private, " if service.settings.api_keys else "public, ") + IMMUTABLE
    if not_modified(request, etag):
        return cached(Response(b"", status_code=304), etag, cache, VARY)
    if media_type == JSON:
        return cached(Response(body, media_type=JSON), etag, cache, VARY)
    inputs = await asyncio.to_thread(service.store.request, recommendation_id)
    scenario = None if inputs is None else inputs.scenario
    view = View.of(scenario, language(request))
    filename = f"{recommendation.scenario}-{recommendation_id}"
    if media_type == XLSX:
        content = await asyncio.to_thread(recommendation_workbook, recommendation, scenario, view)
        response = respond(attachment(content, XLSX, f"{filename}.xlsx"))
    elif media_type in PICTURES:
        fmt = PICTURES[media_type]
        content = await asyncio.to_thread(recommendation_picture, recommendation, fmt, view)
        response = Response(content, media_type=media_type)
    elif media_type == PPTX:
        options = SolveOptions() if inputs is None else inputs.options
        # solving, simulating, planning the briefing and drawing: the server's whole budget
        deadline = time.monotonic() + service.settings.max_time_limit
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
            view.lang,
        )
        response = respond(attachment(content, PPTX, f"{filename}.pptx"))
    else:
        response = answer(
            stored,
            HTML,
            {HTML: lambda s: recommendation_html(s.recommendation, s.id, view, heading)},
        )
    return cached(response, etag, cache, VARY)


@get(
    "/gremium.css",
    operation_id="getStylesheet",
    opt=Doc("Recommendations", media=(CSS,), cached=True).opt(),
)
async def get_stylesheet(request: AnyRequest) -> Response[bytes]:
    """The fragment's optional default stylesheet: letters coloured as in the workbooks.

    Every selector is a `gremium-` class, so it styles the fragment and nothing else of the
    portal's page: the letters in the workbook's palette (A/R dark red, A red, R orange, C blue,
    I pale blue, S violet), compact tables, a scroll container for wide matrices whose activity
    column stays in view. No key needed (a `<link rel="stylesheet">` sends none); cached for a
    day, with an ETag (If-None-Match: 304).
    """
    if not_modified(request, STYLESHEET_TAG):
        return cached(Response(b"", status_code=304), STYLESHEET_TAG, STYLESHEET_CACHE)
    return cached(Response(STYLESHEET, media_type=CSS), STYLESHEET_TAG, STYLESHEET_CACHE)


HANDLERS = (create_recommendation, get_recommendation)
#: Outside /v1: no key.
PUBLIC = (get_stylesheet,)
