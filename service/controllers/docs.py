"""The API's documentation, served by the service itself: the OpenAPI document, interactive docs
whose assets are vendored in service/static/ (the portal network may have no internet), and a
page per problem type so that every ``type`` URI resolves."""

from __future__ import annotations

import html
from typing import Annotated

from litestar import Response, get
from litestar.params import PathParameter

from ..context import AnyRequest, service_of
from ..problems import KINDS, ApiError

DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Gremium API</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<link rel="icon" type="image/png" href="/static/swagger-ui/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""


@get("/schema", include_in_schema=False, media_type="text/html")
async def docs() -> str:
    """Interactive API documentation (Swagger UI)."""
    return DOCS_PAGE


@get("/schema/openapi.json", include_in_schema=False)
async def openapi_json(request: AnyRequest) -> Response[bytes]:
    """The OpenAPI 3.1 document as JSON."""
    return Response(service_of(request).openapi_json, media_type="application/json")


@get("/schema/openapi.yaml", include_in_schema=False)
async def openapi_yaml(request: AnyRequest) -> Response[bytes]:
    """The OpenAPI 3.1 document as YAML."""
    return Response(service_of(request).openapi_yaml, media_type="application/yaml")


@get("/problems/{slug:str}", include_in_schema=False, media_type="text/html")
async def problem_type(slug: Annotated[str, PathParameter()]) -> str:
    """What one problem type means and what a client should do."""
    kind = KINDS.get(slug)
    if kind is None:
        raise ApiError("not-found", f"no problem type {slug!r}")
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(kind.title)}</title></head><body>"
        f"<h1>{html.escape(kind.title)} ({kind.status})</h1>"
        f"<p>{html.escape(kind.description)}</p></body></html>"
    )


HANDLERS = (docs, openapi_json, openapi_yaml, problem_type)
