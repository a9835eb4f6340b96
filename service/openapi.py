"""The OpenAPI 3.1 document, generated from the app's routes and msgspec's JSON schemas.

Litestar's own generator documents what *it* would decode (loosely, and without the constraints
of optional fields); the service decodes with msgspec's JSON schema instead
(:mod:`service.decoding`), so this module documents that very schema. Each operation comes from
a route handler carrying a :class:`~service.context.Doc`; errors are documented per status, all
as ``application/problem+json``; request examples are built from the built-in scenarios.

``python -m service.openapi`` writes openapi/openapi.json and openapi/openapi.yaml; a test fails
when they differ from what the app serves.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any, get_type_hints

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.params import KwargDefinition
from litestar.routes import HTTPRoute

from models.raci.types import VARIANTS
from models.raci.variants import rows

from .catalogue import Catalogue
from .context import JSON, Doc
from .decoding import schema_document
from .problems import KINDS
from .schemas import (
    API_KEY_HEADER,
    PICTURES,
    PPTX,
    PROBLEM_JSON,
    XLSX,
    DiffRequest,
    InterventionRequest,
    Job,
    LintRequest,
    MonteCarloRequest,
    ProblemDetails,
    RecommendRequest,
    SimulateRequest,
    SolveRequest,
)
from .security import CHALLENGE, RATE_LIMIT_HEADERS, READ_SCOPE

OPENAPI_DIR = Path(__file__).resolve().parent.parent / "openapi"
PATH_PARAMETERS = {
    "scenario_id": "The id of a built-in scenario (GET /v1/scenarios lists them).",
    "recommendation_id": "The id POST /v1/recommendations answered with.",
    "job_id": "The id of a job, from the Location of the 202 Accepted that started it.",
}
PREFER = {
    "name": "Prefer",
    "in": "header",
    "required": False,
    "description": "`respond-async`: run the request as a job, answer 202 at once. `wait=N`: "
    "run it as a job and answer its result if it finishes within N seconds (at most "
    "GREMIUM_MAX_TIME_LIMIT), else 202. Without either, a request whose time limit exceeds "
    "GREMIUM_MAX_TIME_LIMIT answers 202 too (RFC 7240).",
    "schema": {"type": "string"},
    "examples": {
        "async": {"value": "respond-async"},
        "wait": {"value": "wait=10"},
    },
}
#: Path parameters that name a built-in, documented as an enum of the ids (like request bodies).
BUILTIN_PARAMETERS = {"scenario_id": "entry"}

# Statuses every operation of a kind can return, besides its own ``Doc.errors``.
ALWAYS = (500,)
WITH_BODY = (400, 413, 415, 422)
WITH_QUERY = (400,)
UNDER_V1 = (401, 429)
#: Under /v1 besides, on every route a read key may not call.
NOT_READ_SCOPE = (403,)
CACHE_HEADERS = ("ETag", "Cache-Control", "Vary")
RETRY_AFTER = {429, 503}


def document(app: Litestar, catalogue: Catalogue) -> dict[str, Any]:
    """The OpenAPI document of ``app``'s documented routes."""
    operations = list(_operations(app))
    types: list[Any] = [ProblemDetails, Job]
    for _, _, _, doc in operations:
        types += [t for t in (doc.request, doc.response) if t is not None]
    _, components = schema_document(types, catalogue.ids)
    examples = request_examples(catalogue)
    paths: dict[str, dict[str, Any]] = {}
    for path, method, handler, doc in operations:
        paths.setdefault(path, {})[method] = _operation(path, handler, doc, examples, catalogue)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Gremium",
            "version": version("gremium"),
            "summary": "Social-media governance: optimised RACI matrices, lint, and "
            "stakeholder-discussion simulation.",
            "description": "Errors are RFC 9457 problem details; each `type` URI resolves to a "
            "page under /problems/. When API keys are configured, every /v1 call needs one in "
            f"the {API_KEY_HEADER} header.",
        },
        "tags": [
            {"name": tag}
            for tag in (
                "RACI",
                "Discussions",
                "Recommendations",
                "Jobs",
                "Scenarios",
                "Operations",
            )
        ],
        "paths": paths,  # in the order the app registers them: solve first
        "components": {
            "schemas": dict(sorted(components.items())),
            "securitySchemes": {
                "apiKey": {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}
            },
            "headers": {
                "Location": {
                    "description": "The path of the created resource.",
                    "schema": {"type": "string"},
                },
                "ETag": {
                    "description": "A strong validator of this representation: send it back "
                    "in If-None-Match for a 304 when nothing changed.",
                    "schema": {"type": "string"},
                },
                "Cache-Control": {
                    "description": "A stored recommendation never changes: `max-age=31536000, "
                    "immutable` (`private` when keys are configured); the stylesheet "
                    "`public, max-age=86400`.",
                    "schema": {"type": "string"},
                },
                "Vary": {
                    "description": "The request headers the representation depends on "
                    "(`Accept, Accept-Language`).",
                    "schema": {"type": "string"},
                },
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer", "minimum": 0},
                },
                "Preference-Applied": {
                    "description": "The Prefer preference the answer honours (RFC 7240).",
                    "schema": {"type": "string"},
                },
                "RateLimit-Limit": {
                    "description": "Requests a caller may make per window (when the rate "
                    "limit is on).",
                    "schema": {"type": "integer", "minimum": 1},
                },
                "RateLimit-Remaining": {
                    "description": "Requests left in the current window.",
                    "schema": {"type": "integer", "minimum": 0},
                },
                "RateLimit-Reset": {
                    "description": "Seconds until the window starts again.",
                    "schema": {"type": "integer", "minimum": 0},
                },
                "RateLimit-Policy": {
                    "description": "The limit and its window, e.g. `600; w=60`.",
                    "schema": {"type": "string"},
                },
                "WWW-Authenticate": {
                    "description": f"The challenge: `{CHALLENGE}`.",
                    "schema": {"type": "string"},
                },
                "X-Request-ID": {
                    "description": "The request's id: the caller's X-Request-ID when it is a "
                    "token of 1-64 letters, digits, '.', '_' or '-', else a new one.",
                    "schema": {"type": "string"},
                },
            },
        },
    }


def _operations(app: Litestar) -> Iterator[tuple[str, str, HTTPRouteHandler, Doc]]:
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        documented = [
            (method.lower(), handler, doc)
            for handler in route.route_handlers
            if isinstance(doc := handler.opt.get("doc"), Doc)
            for method in handler.http_methods
        ]
        # by method: Litestar's order of the handlers of one path varies from run to run
        for method, handler, doc in sorted(documented, key=lambda item: item[0]):
            yield route.path_format, method, handler, doc


def _operation(
    path: str,
    handler: HTTPRouteHandler,
    doc: Doc,
    examples: dict[type[Any], dict[str, Any]],
    catalogue: Catalogue,
) -> dict[str, Any]:
    summary, _, description = inspect.cleandoc(handler.fn.__doc__ or "").partition("\n")
    operation: dict[str, Any] = {
        "tags": [doc.tag],
        "operationId": handler.operation_id,
        "summary": summary.strip(),
    }
    if description.strip():
        operation["description"] = description.strip()
    parameters = _parameters(path, handler, catalogue)
    if doc.jobs:
        parameters.append(PREFER)
    if parameters:
        operation["parameters"] = parameters
    errors = set(ALWAYS) | set(doc.errors)
    if doc.request is not None:
        errors |= set(WITH_BODY)
        content: dict[str, Any] = {"schema": _ref(doc.request)}
        if doc.request in examples:
            content["examples"] = examples[doc.request]
        others = {media_type: dict(body) for media_type, body in doc.bodies.items()}
        operation["requestBody"] = {"required": True, "content": {JSON: content, **others}}
    if any(p["in"] == "query" for p in parameters):
        errors |= set(WITH_QUERY)
    if path.startswith("/v1/"):
        errors |= set(UNDER_V1)
        if handler.opt.get("scope") != READ_SCOPE:
            errors |= set(NOT_READ_SCOPE)
        operation["security"] = [{"apiKey": []}, {}]
    responses = {str(doc.status): _success(doc, path.startswith("/v1/"))}
    if doc.jobs:
        responses["202"] = _job_started()
    if doc.cached:
        responses["304"] = {
            "description": "Not modified: If-None-Match names the current ETag.",
            "headers": _refs(CACHE_HEADERS),
        }
    operation["responses"] = responses | {
        str(status): _failure(status) for status in sorted(errors)
    }
    return operation


def _job_started() -> dict[str, Any]:
    return {
        "description": "Accepted: the request runs as a job (Prefer: respond-async or wait=N, "
        "or a time limit above GREMIUM_MAX_TIME_LIMIT). Poll the job at Location; its result, "
        "once it has succeeded, is at /v1/jobs/{id}/result in this operation's media types.",
        "headers": _refs(["X-Request-ID", "Location", "Retry-After", "Preference-Applied"]),
        "content": {JSON: {"schema": _ref(Job)}},
    }


def _parameters(path: str, handler: HTTPRouteHandler, catalogue: Catalogue) -> list[dict[str, Any]]:
    hints = get_type_hints(handler.fn, include_extras=True)
    parameters: list[dict[str, Any]] = []
    for name, parameter in inspect.signature(handler.fn).parameters.items():
        if name == "request":
            continue
        schema = msgspec.json.schema(hints[name])
        if name in BUILTIN_PARAMETERS:
            schema["enum"] = catalogue.ids[BUILTIN_PARAMETERS[name]]
        if "{" + name + "}" in path:
            parameters.append(
                {
                    "name": name,
                    "in": "path",
                    "required": True,
                    "description": PATH_PARAMETERS[name],
                    "schema": schema,
                }
            )
        else:
            [query] = [m for m in hints[name].__metadata__ if isinstance(m, KwargDefinition)]
            description = query.description
            schema["default"] = parameter.default
            parameters.append(
                {"name": name, "in": "query", "description": description, "schema": schema}
            )
    return parameters


def _ref(type_: type[Any]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{type_.__name__}"}


_BINARY = {"type": "string", "format": "binary"}
#: what the files a person downloads hold (text formats are plain strings)
FILES: dict[str, dict[str, Any]] = {
    XLSX: {**_BINARY, "description": "An Excel workbook."},
    PPTX: {**_BINARY, "description": "A 16:9 slide deck."},
    **{
        media_type: {
            **(_BINARY if fmt != "svg" else {"type": "string"}),
            "description": f"A picture ({fmt.upper()}).",
        }
        for media_type, fmt in PICTURES.items()
    },
}


def _success(doc: Doc, limited: bool) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for media_type in doc.media:
        if media_type == JSON and doc.response is not None:
            content[media_type] = {"schema": _ref(doc.response)}
        else:
            content[media_type] = {"schema": FILES.get(media_type, {"type": "string"})}
    headers = {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}}
    if doc.status == 201:
        headers["Location"] = {"$ref": "#/components/headers/Location"}
    if doc.cached:
        headers |= _refs(CACHE_HEADERS)
    if limited:
        headers |= _refs(RATE_LIMIT_HEADERS)
    return {
        "description": "Created" if doc.status == 201 else "OK",
        "headers": headers,
        "content": content,
    }


def _failure(status: int) -> dict[str, Any]:
    kinds = [kind for kind in KINDS.values() if kind.status == status]
    response: dict[str, Any] = {
        "description": "; ".join(
            f"{kind.title} ({kind.type}): {kind.description}" for kind in kinds
        ),
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/X-Request-ID"}},
        "content": {PROBLEM_JSON: {"schema": _ref(ProblemDetails)}},
    }
    if status in RETRY_AFTER:
        response["headers"]["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}
    if status == 429:
        response["headers"] |= _refs(RATE_LIMIT_HEADERS)
    if status == 401:
        response["headers"] |= _refs(["WWW-Authenticate"])
    return response


def _refs(names: Iterable[str]) -> dict[str, Any]:
    return {name: {"$ref": f"#/components/headers/{name}"} for name in names}


def request_examples(catalogue: Catalogue) -> dict[type[Any], dict[str, Any]]:
    """Request examples built from the built-in scenarios (the first of each kind)."""
    examples: dict[type[Any], dict[str, Any]] = {}
    if catalogue.raci:
        key, scenario = min(catalogue.raci.items())
        profile_only = {"id": scenario.id, "profile": msgspec.to_builtins(scenario.profile)}
        roles = [role.id for role in scenario.roles]
        matrix = {
            activity.id: {roles[0]: "A", roles[(index % (len(roles) - 1)) + 1]: "R"}
            for index, activity in enumerate(scenario.activities[:4])
        }
        proposed = {activity: dict.fromkeys(row, "A/R") for activity, row in matrix.items()}
        examples[SolveRequest] = {
            "builtin": _example(f"Built-in {key}, one model", scenario=key, variant=VARIANTS[1]),
            "profile": _example(
                f"{key}'s profile only (roles and activities from the catalogue), every model",
                scenario=profile_only,
                variant="all",
                options={"time_limit": 5, "explain": False},
            ),
        }
        examples[LintRequest] = {
            "against-scenario": _example(f"A matrix for {key}", matrix=matrix, scenario=key)
        }
        unit_rows = [row for row in rows(scenario, VARIANTS[1]) if row.unit is not None][:2]
        if unit_rows:
            examples[LintRequest]["per-unit"] = _example(
                f"Each business unit's own row of an activity ({VARIANTS[1]}), for {key}",
                matrix={row.id: {row.unit: "A/R", roles[0]: "C"} for row in unit_rows},
                scenario=key,
            )
        examples[DiffRequest] = {
            "builtin": _example(
                f"Two matrices for {key}",
                scenario=key,
                variant=VARIANTS[1],
                current=matrix,
                proposed=proposed,
            )
        }
        examples[RecommendRequest] = {
            "builtin": _example(
                f"Built-in {key}, every model ranked",
                scenario=key,
                options={"time_limit": 5},
            )
        }
        if key in catalogue.discussions:
            examples[RecommendRequest]["with-discussion"] = _example(
                f"Built-in {key} with its discussion", scenario=key, discussion=key
            )
    if catalogue.discussions:
        key, discussion = min(catalogue.discussions.items())
        examples[SimulateRequest] = {
            "builtin": _example(f"Built-in {key}", discussion=key),
            "inline": _example(f"{key} inline", discussion=msgspec.to_builtins(discussion)),
        }
        examples[MonteCarloRequest] = {
            "builtin": _example(
                f"Built-in {key}, 200 draws", discussion=key, options={"draws": 200, "seed": 7}
            )
        }
        examples[InterventionRequest] = {"builtin": _example(f"Built-in {key}", discussion=key)}
    return examples


def _example(summary: str, **value: Any) -> dict[str, Any]:
    return {"summary": summary, "value": value}


def encode_json(document_: dict[str, Any]) -> bytes:
    return msgspec.json.format(msgspec.json.encode(document_), indent=2) + b"\n"


def encode_yaml(document_: dict[str, Any]) -> bytes:
    return msgspec.yaml.encode(document_)


def main() -> int:
    """Write openapi/openapi.json and openapi/openapi.yaml from the app with default settings."""
    from .app import create_app
    from .settings import Settings

    app = create_app(Settings(pool="thread", pool_workers=1), log=None)
    served = app.state.service
    OPENAPI_DIR.mkdir(exist_ok=True)
    (OPENAPI_DIR / "openapi.json").write_bytes(served.openapi_json)
    (OPENAPI_DIR / "openapi.yaml").write_bytes(served.openapi_yaml)
    print(f"wrote {OPENAPI_DIR / 'openapi.json'} and {OPENAPI_DIR / 'openapi.yaml'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
