"""RACI: propose matrices per governance model, lint a matrix, compare two."""

from __future__ import annotations

from litestar import Response, post

from models.governance.types import WhatIf
from models.governance.whatif import apply, what_if
from models.raci.diff import diff
from models.raci.lint import lint
from models.raci.render import (
    lint_report_csv,
    lint_report_markdown,
    solve_result_markdown,
    solve_results_csv,
)
from models.raci.types import VARIANTS, LintReport, MatrixDiff

from ..catalogue import within
from ..context import CSV, JSON, MARKDOWN, AnyRequest, Doc, accepted, answer, service_of
from ..jobs import solve_variants
from ..limits import capped, check_discussion, check_matrices, check_scenario
from ..schemas import DiffRequest, LintRequest, SolveRequest, SolveResponse, WhatIfRequest

SOLVE_MEDIA = (JSON, CSV, MARKDOWN)


def _solve_csv(response: SolveResponse) -> str:
    return solve_results_csv(response.results)


def _solve_markdown(response: SolveResponse) -> str:
    return "\n".join(solve_result_markdown(result) for result in response.results)


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
    results = await service.pool.run(solve_variants, scenario, variants, options)
    response = SolveResponse(scenario=scenario.id, results=results)
    return answer(response, media_type, {CSV: _solve_csv, MARKDOWN: _solve_markdown})


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
        report = await service.pool.run(lint, body.matrix, scenario, body.options)
    renderers = {CSV: lint_report_csv, MARKDOWN: lint_report_markdown}
    return answer(report, media_type, renderers)


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
    result = await service.pool.run(diff, scenario, body.variant, body.current, body.proposed)
    return answer(result)


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
    answer_ = await service.pool.run(what_if, scenario, body.edits, variants, options, discussion)
    return answer(answer_)


HANDLERS = (solve, lint_matrix, diff_matrices, what_if_edits)
