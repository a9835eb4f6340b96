"""RACI: propose matrices per governance model, lint a matrix, compare two."""

from __future__ import annotations

from litestar import Response, post

from models.governance.types import WhatIf
from models.governance.whatif import apply
from models.raci.types import VARIANTS, LintReport, MatrixDiff

from ..catalogue import within
from ..context import CSV, JSON, MARKDOWN, AnyRequest, Doc, accepted, service_of
from ..jobs import diff_body, lint_body, solve_body, what_if_body
from ..limits import capped, check_discussion, check_matrices, check_scenario
from ..schemas import DiffRequest, LintRequest, SolveRequest, SolveResponse, WhatIfRequest

SOLVE_MEDIA = (JSON, CSV, MARKDOWN)


@post(
    "/raci/solve",
    operation_id="solveRaci",
    status_code=200,
    opt=Doc("RACI", SolveRequest, SolveResponse, SOLVE_MEDIA, (406, 503)).opt(),
)
async def solve(request: AnyRequest) -> Response[bytes]:
    """Propose the best RACI matrix for a scenario, per governance model."""
    service, media_type = service_of(request), accepted(request, SOLVE_MEDIA)
    body = await service.read(request, SolveRequest)
    scenario = service.catalogue.scenario(body.scenario, "/scenario")
    check_scenario(scenario, service.settings)
    variants = VARIANTS if body.variant == "all" else (body.variant,)
    options = capped(body.options, service.settings)
    deadline = service.deadline(options.time_limit)
    content = await service.run(
        request, deadline, solve_body, scenario, variants, options, deadline, media_type
    )
    return Response(content, media_type=media_type)


@post(
    "/raci/lint",
    operation_id="lintRaci",
    status_code=200,
    opt=Doc("RACI", LintRequest, LintReport, SOLVE_MEDIA, (406, 503)).opt(),
)
async def lint_matrix(request: AnyRequest) -> Response[bytes]:
    """Lint a RACI matrix, optionally against its scenario."""
    service, media_type = service_of(request), accepted(request, SOLVE_MEDIA)
    body = await service.read(request, LintRequest)
    check_matrices([body.matrix], service.settings)
    scenario = None
    if body.scenario is not None:
        scenario = service.catalogue.scenario(body.scenario, "/scenario")
        check_scenario(scenario, service.settings)
    with within("/matrix"):
        content = await service.run(
            request, service.deadline(), lint_body, body.matrix, scenario, body.options, media_type
        )
    return Response(content, media_type=media_type)


@post(
    "/raci/diff",
    operation_id="diffRaci",
    status_code=200,
    opt=Doc("RACI", DiffRequest, MatrixDiff, errors=(503,)).opt(),
)
async def diff_matrices(request: AnyRequest) -> Response[bytes]:
    """Compare a current matrix with a proposal: changed cells, objective terms, lint findings."""
    service = service_of(request)
    body = await service.read(request, DiffRequest)
    scenario = service.catalogue.scenario(body.scenario, "/scenario")
    check_scenario(scenario, service.settings)
    check_matrices([body.current, body.proposed], service.settings)
    content = await service.run(
        request, service.deadline(), diff_body, scenario, body.variant, body.current, body.proposed
    )
    return Response(content, media_type=JSON)


@post(
    "/raci/what-if",
    operation_id="whatIfRaci",
    status_code=200,
    opt=Doc("RACI", WhatIfRequest, WhatIf, errors=(503,)).opt(),
)
async def what_if_edits(request: AnyRequest) -> Response[bytes]:
    """Edit a scenario (weights, capacities, roles, who leads, rules, a current matrix to stay
    close to) and see which cells flip, each term and criterion before and after, and whether
    the recommendation changes."""
    service = service_of(request)
    body = await service.read(request, WhatIfRequest)
    scenario = service.catalogue.scenario(body.scenario, "/scenario")
    check_scenario(scenario, service.settings)
    check_scenario(apply(scenario, body.edits)[0], service.settings)  # refuses bad edits early
    discussion = None
    if body.discussion is not None:
        discussion = service.catalogue.discussion(body.discussion, "/discussion", None)
        check_discussion(discussion, service.settings)
    variants = VARIANTS if body.variant == "all" else (body.variant,)
    options = capped(body.options, service.settings)
    deadline = service.deadline(options.time_limit)
    content = await service.run(
        request,
        deadline,
        what_if_body,
        scenario,
        body.edits,
        variants,
        options,
        discussion,
        deadline,
    )
    return Response(content, media_type=JSON)


HANDLERS = (solve, lint_matrix, diff_matrices, what_if_edits)
