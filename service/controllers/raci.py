"""RACI: propose matrices per governance model, lint a matrix, compare two.

People's formats (CSV, Markdown, the workbook) show the scenario's names in the language of
Accept-Language; lint and diff also take the matrices as files: lint a CSV or workbook body,
diff a form with two files.
"""

from __future__ import annotations

import asyncio
from pathlib import PurePath
from typing import Annotated

import msgspec
from litestar import Response, post
from litestar.datastructures import UploadFile
from litestar.params import QueryParameter

from models.core import Matrix, problem_of
from models.errors import InvalidInput, Problem
from models.governance.types import WhatIf
from models.governance.whatif import apply
from models.raci.codec import MatrixFormat, decode_matrix
from models.raci.types import VARIANTS, LintReport, MatrixDiff, Scenario, Variant

from ..background import Answer
from ..context import (
    CSV,
    JSON,
    MARKDOWN,
    AnyRequest,
    Doc,
    Work,
    accepted,
    attachment,
    content_type,
    language,
    service_of,
)
from ..jobs import diff_body, lint_body, solve_body, what_if_body
from ..limits import capped, check_discussion, check_matrices, check_scenario
from ..problems import ApiError
from ..schemas import (
    PICTURES,
    XLSX,
    DiffRequest,
    LintRequest,
    SolveRequest,
    SolveResponse,
    WhatIfRequest,
)

SOLVE_MEDIA = (JSON, CSV, MARKDOWN, XLSX, *PICTURES)
LINT_MEDIA = (JSON, CSV, MARKDOWN)
FORM = "multipart/form-data"
#: The files a matrix may come in, by media type and by file name suffix.
MATRIX_MEDIA: dict[str, MatrixFormat] = {JSON: "json", CSV: "csv", XLSX: "xlsx"}
MATRIX_SUFFIXES: dict[str, MatrixFormat] = {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}
_FILE = {"type": "string", "format": "binary"}
# The bytes of a file, whatever they are: no JSON type to violate (a CSV of one number is
# still a CSV); what the file must hold is in the description.
LINT_BODIES = {
    CSV: {"schema": {"description": "The matrix as solve writes it as CSV, or a client's own."}},
    XLSX: {"schema": {"description": "A workbook with the matrix (solve's, filled in)."}},
}
DIFF_BODIES = {
    FORM: {
        "schema": {
            "type": "object",
            "required": ["scenario", "variant", "current", "proposed"],
            "properties": {
                "scenario": {"type": "string", "description": "A built-in scenario's id."},
                "variant": {"enum": list(VARIANTS)},
                "current": {**_FILE, "description": "A matrix file: .csv, .xlsx or .json."},
                "proposed": {**_FILE, "description": "A matrix file: .csv, .xlsx or .json."},
            },
        },
    }
}


@post(
    "/raci/solve",
    operation_id="solveRaci",
    status_code=200,
    opt=Doc("RACI", SolveRequest, SolveResponse, SOLVE_MEDIA, (406, 503), jobs=True).opt(),
)
async def solve(request: AnyRequest) -> Response[bytes]:
    """Propose the best RACI matrix for a scenario, per governance model.

    CSV, Markdown, the Excel workbook and the heatmap use the scenario's names, labelled in
    the language of Accept-Language (en, de; German CSV is ;-separated). The heatmap
    (image/svg+xml, image/png, application/pdf) shows one model: with variant "all" it is a
    406.
    """
    service, media_type = service_of(request), accepted(request, SOLVE_MEDIA)
    body = await service.read(request, SolveRequest)
    scenario = service.catalogue.scenario(body.scenario, "/scenario")
    check_scenario(scenario, service.settings)
    variants = VARIANTS if body.variant == "all" else (body.variant,)
    if media_type in PICTURES and len(variants) > 1:
        raise ApiError(
            "not-acceptable",
            f"a picture ({media_type}) shows one governance model: set variant, or accept "
            "the workbook or CSV for all of them",
        )
    budget = service.budget(request, body.options.time_limit)
    options = capped(body.options, budget.seconds)

    async def download(content: bytes) -> Answer:
        return attachment(content, XLSX, f"{scenario.id}.xlsx")

    args = (scenario, variants, options, media_type, language(request))
    finish = download if media_type == XLSX else None
    return await service.perform(request, budget, Work(solve_body, args, media_type, finish))


async def _matrix_body(request: AnyRequest, variant: Variant | None) -> Matrix | None:
    """The matrix of a CSV or workbook body (None for JSON); 415 for any other media type."""
    media_type = content_type(request)
    if media_type == JSON or media_type.endswith("+json"):
        return None
    fmt = MATRIX_MEDIA.get(media_type)
    if fmt is None:
        offered = f"{JSON}, {CSV} or {XLSX}"
        raise ApiError("unsupported-media-type", f"send {offered}, not {media_type or 'nothing'}")
    data = await request.body()
    return await asyncio.to_thread(decode_matrix, data, fmt, variant)


ScenarioQuery = Annotated[
    str | None,
    QueryParameter(
        description="With a CSV or workbook body: the built-in scenario to lint against."
    ),
]
VariantQuery = Annotated[
    Variant | None,
    QueryParameter(
        description="With a CSV or workbook body of several models (solve's): the one to lint."
    ),
]


@post(
    "/raci/lint",
    operation_id="lintRaci",
    status_code=200,
    opt=Doc(
        "RACI", LintRequest, LintReport, LINT_MEDIA, (406, 503), bodies=LINT_BODIES, jobs=True
    ).opt(),
)
async def lint_matrix(
    request: AnyRequest, scenario: ScenarioQuery = None, variant: VariantQuery = None
) -> Response[bytes]:
    """Lint a RACI matrix, optionally against its scenario.

    The body is JSON, or the matrix itself as CSV or as an Excel workbook (solve's, filled
    in), with the scenario and the model as query parameters.
    """
    service, media_type = service_of(request), accepted(request, LINT_MEDIA)
    matrix = await _matrix_body(request, variant)
    if matrix is None:
        body = await service.read(request, LintRequest)
    else:
        body = LintRequest(matrix=matrix, scenario=scenario)
    check_matrices([body.matrix], service.settings)
    known: Scenario | None = None
    if body.scenario is not None:
        known = service.catalogue.scenario(body.scenario, "/scenario")
        check_scenario(known, service.settings)
    args = (body.matrix, known, body.options, media_type, language(request))
    pointer = "/matrix" if matrix is None else ""
    work = Work(lint_body, args, media_type, timed=False, pointer=pointer)
    return await service.perform(request, service.budget(request), work)


async def _diff_form(request: AnyRequest) -> DiffRequest:
    """A diff request from a form: the scenario's id, the model, and two matrix files."""
    form = await request.form()
    problems: list[Problem] = []
    fields: dict[str, object] = {}
    variant = form.get("variant")
    for name in ("scenario", "variant"):
        value = form.get(name)
        if not isinstance(value, str):
            problems.append(Problem(f"/{name}", "expected a text field"))
        fields[name] = value
    for name in ("current", "proposed"):
        upload = form.get(name)
        if not isinstance(upload, UploadFile):
            problems.append(Problem(f"/{name}", "expected a file (.csv, .xlsx or .json)"))
            continue
        suffix = PurePath(upload.filename or "").suffix.lower()
        fmt = MATRIX_SUFFIXES.get(suffix) or MATRIX_MEDIA.get(upload.content_type, "csv")
        data = await upload.read()
        try:
            which = variant if isinstance(variant, str) and variant in VARIANTS else None
            fields[name] = await asyncio.to_thread(decode_matrix, data, fmt, which)
        except InvalidInput as exc:
            problems += exc.within(f"/{name}").problems
    if problems:
        raise InvalidInput(problems)
    try:
        return msgspec.convert(fields, DiffRequest)
    except msgspec.ValidationError as exc:
        raise InvalidInput([problem_of(exc)]) from exc


@post(
    "/raci/diff",
    operation_id="diffRaci",
    status_code=200,
    opt=Doc("RACI", DiffRequest, MatrixDiff, errors=(503,), bodies=DIFF_BODIES, jobs=True).opt(),
)
async def diff_matrices(request: AnyRequest) -> Response[bytes]:
    """Compare a current matrix with a proposal: changed cells, objective terms, lint findings.

    The body is JSON, or a form (multipart/form-data) with the scenario's id, the model and
    the two matrices as files (CSV or workbook as solve writes them, or JSON).
    """
    service = service_of(request)
    if content_type(request) == FORM:
        body = await _diff_form(request)
    else:
        body = await service.read(request, DiffRequest)
    scenario = service.catalogue.scenario(body.scenario, "/scenario")
    check_scenario(scenario, service.settings)
    check_matrices([body.current, body.proposed], service.settings)
    args = (scenario, body.variant, body.current, body.proposed)
    return await service.perform(
        request, service.budget(request), Work(diff_body, args, timed=False)
    )


@post(
    "/raci/what-if",
    operation_id="whatIfRaci",
    status_code=200,
    opt=Doc("RACI", WhatIfRequest, WhatIf, errors=(503,), jobs=True).opt(),
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
    budget = service.budget(request, body.options.time_limit)
    args = (scenario, body.edits, variants, capped(body.options, budget.seconds), discussion)
    return await service.perform(request, budget, Work(what_if_body, args))


HANDLERS = (solve, lint_matrix, diff_matrices, what_if_edits)
