"""The built-in scenario library: RACI scenarios (organisations) and discussions."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import get
from litestar.params import PathParameter, QueryParameter
from litestar.response.base import ASGIResponse

from ..context import AnyRequest, Doc, raw_json, service_of
from ..problems import ApiError
from ..schemas import ScenarioEntry, ScenarioList

Kind = Literal["all", "raci", "discussion"]


@get("/scenarios", operation_id="listScenarios", opt=Doc("Scenarios", response=ScenarioList).opt())
async def list_scenarios(
    request: AnyRequest,
    kind: Annotated[
        Kind, QueryParameter(description="Only RACI scenarios or only discussions.")
    ] = "all",
) -> ASGIResponse:
    """List the built-in scenarios, RACI and discussion."""
    return raw_json(service_of(request).catalogue.listing[kind])


@get(
    "/scenarios/{scenario_id:str}",
    operation_id="getScenario",
    opt=Doc("Scenarios", response=ScenarioEntry, errors=(404,)).opt(),
)
async def get_scenario(
    request: AnyRequest, scenario_id: Annotated[str, PathParameter()]
) -> ASGIResponse:
    """A built-in scenario by id: its RACI scenario, its discussion, or both."""
    entry = service_of(request).catalogue.entries.get(scenario_id)
    if entry is None:
        raise ApiError("not-found", f"no built-in scenario {scenario_id!r}")
    return raw_json(entry)


HANDLERS = (list_scenarios, get_scenario)
