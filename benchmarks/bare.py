"""A bare Litestar app for the service benchmark's baseline: the same route shape as
``GET /v1/scenarios/{id}``, answering the same pre-encoded JSON bytes, with none of Gremium's
middleware (request ids, access log, metrics, keys, rate limit, HEAD, connection defences).

Run by :mod:`benchmarks.service` under uvicorn with Gremium's own protocol class, so the two
differ by the application alone: ``uvicorn benchmarks.bare:app --http service.server:Protocol``.
"""

from __future__ import annotations

from litestar import Litestar, get
from litestar.response.base import ASGIResponse

from service.catalogue import Catalogue

_ENTRIES = Catalogue.load().entries


@get("/v1/scenarios/{scenario:str}")
async def scenario(scenario: str) -> ASGIResponse:
    """The catalogue's pre-encoded entry, sent as it is."""
    return ASGIResponse(body=_ENTRIES[scenario], media_type="application/json")


app = Litestar([scenario], openapi_config=None)
