"""Jobs: the long requests that answered 202 Accepted; their status, result and cancellation."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, delete, get, route
from litestar.enums import HttpMethod
from litestar.params import PathParameter

from ..background import job_of
from ..context import AnyRequest, Doc, accepted, answer, job_caller, outcome, service_of
from ..problems import ApiError
from ..schemas import Job
from ..store import UNFINISHED

JobId = Annotated[str, PathParameter()]
#: The methods of /v1/jobs/{id}.
ALLOW = "DELETE, GET, OPTIONS"


@route("/jobs/{job_id:str}", http_method=HttpMethod.OPTIONS, include_in_schema=False)
async def job_options() -> Response[None]:
    """The methods of a job. Litestar's own answer would list those of the handler registered
    first for the path only (``GET, OPTIONS``): it keeps the OPTIONS handler it made for the
    first when it adds the second. Registered first, this one stops it making its own."""
    return Response(None, status_code=204, headers={"Allow": ALLOW})


@get(
    "/jobs/{job_id:str}",
    operation_id="getJob",
    opt=Doc("Jobs", response=Job, errors=(404, 503)).opt(),
)
async def get_job(request: AnyRequest, job_id: JobId) -> Response[bytes]:
    """A job: its status, progress, budget, and the link to its result or why it failed."""
    service = service_of(request)
    return answer(job_of(await service.jobs.get(job_id, job_caller(request))))


@get(
    "/jobs/{job_id:str}/result",
    operation_id="getJobResult",
    opt=Doc("Jobs", media=("*/*",), errors=(404, 406, 409, 503)).opt(),
)
async def get_job_result(request: AnyRequest, job_id: JobId) -> Response[bytes]:
    """A succeeded job's result, exactly as its request would have answered (its media type,
    e.g. a workbook; 200). A failed job answers its problem, with the status the request would
    have had (422, 503 …); one still queued or running 409 ``job-not-finished``; a cancelled
    one 409 ``job-cancelled``."""
    service = service_of(request)
    row = await service.jobs.get(job_id, job_caller(request))
    if row.status in UNFINISHED:
        raise ApiError("job-not-finished", f"job {job_id} is {row.status}", {"Retry-After": "1"})
    if row.status == "succeeded":
        accepted(request, (row.media_type,))  # 406 when the client does not take it
    response = outcome(row, status=200)
    assert response is not None  # it has ended
    return response


@delete(
    "/jobs/{job_id:str}",
    operation_id="cancelJob",
    status_code=200,
    opt=Doc("Jobs", response=Job, errors=(404, 503)).opt(),
)
async def cancel_job(request: AnyRequest, job_id: JobId) -> Response[bytes]:
    """Cancel a job that is queued or running: its worker is stopped at once and the job is
    recorded as cancelled. A job that has ended stays as it is; either way, the job."""
    service = service_of(request)
    return answer(job_of(await service.jobs.cancel(job_id, job_caller(request))))


HANDLERS = (job_options, get_job, get_job_result, cancel_job)
