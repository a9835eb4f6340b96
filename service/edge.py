"""ASGI wrappers around routing: HEAD answered by every GET route, and ``Vary`` kept whole.

Litestar routes a HEAD request only to a handler declared for HEAD, and a ``@get`` handler is
not; RFC 9110 asks every GET resource to answer HEAD with the same headers and no body. So a
HEAD request is routed as GET and its body dropped on the way out (Content-Length stays what GET
would send). Litestar's CORS middleware replaces a handler's ``Vary`` (:class:`Vary`).
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI wrapper: HEAD runs the GET route and sends its status and headers only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        scope["method"] = "GET"  # in place: the access log outside still says HEAD
        await self.app(scope, receive, send_headers_only)


#: Where a handler puts the request headers its answer varies by (``Vary``), for :class:`Vary`.
VARY_STATE = "vary"


class Vary:
    """ASGI wrapper outside Litestar's CORS middleware: puts back the ``Vary`` names a handler
    asked for (``scope["state"]["vary"]``) beside ``Origin``.

    For an allowed origin that middleware *sets* ``Vary: Origin``, replacing the handler's
    ``Vary: Accept, Accept-Language``; a browser cache would then hand the JSON of a URL to a
    request for its HTML. Only what the answer varies by is merged, names kept once.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return

        async def merged(message: Message) -> None:
            names: tuple[str, ...] = scope.get("state", {}).get(VARY_STATE, ())
            if message["type"] == "http.response.start" and names:
                headers = list(message.get("headers", []))
                present = [
                    name.strip()
                    for key, value in headers
                    if key.lower() == b"vary"
                    for name in value.decode("latin-1").split(",")
                    if name.strip()
                ]
                once: dict[str, str] = {}
                for name in [*present, *names]:
                    once.setdefault(name.lower(), name)
                value = ", ".join(once.values())
                headers = [(k, v) for k, v in headers if k.lower() != b"vary"]
                headers.append((b"vary", value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, merged)
