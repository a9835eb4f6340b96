"""HEAD, answered by every GET route: an ASGI wrapper around routing.

Litestar routes a HEAD request only to a handler declared for HEAD, and a ``@get`` handler is
not; RFC 9110 asks every GET resource to answer HEAD with the same headers and no body. So a
HEAD request is routed as GET and its body dropped on the way out (Content-Length stays what GET
would send).
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
