"""A bound on request bodies, enforced before any handler runs (OWASP API4, ASVS 4.0 13.1.3).

A body is read in full before the app sees it, and refused with 413 as soon as it passes the
limit: a declared Content-Length over the limit is refused before a byte of the body is read,
and a chunked body is cut off where it crosses it. Every body alsrx takes is small (the largest,
an assessment, is a few kilobytes), so reading it whole first costs nothing the handler would not
spend anyway, and no handler can be handed half a body.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from alsrx.errors import FieldError, InvalidInput
from alsrx.render.messages import error_document, error_lines
from alsrx.web.pages import render


class PayloadTooLarge(InvalidInput):
    code = "payload_too_large"


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        error = PayloadTooLarge([FieldError("(body)", "too_large", {"max": self.max_bytes})])
        response: Response
        if scope["path"].startswith("/api/"):
            response = JSONResponse(error_document(error, "en"), 413)
        else:
            request = Request(scope)
            lines = error_lines(error, render.preferences(request)["lang"])
            response = render.page(
                request, "message.html", status=413, heading=lines[0], text="; ".join(lines[1:])
            )
        # The unread rest of the body must not be taken for the next request on the connection.
        response.headers["Connection"] = "close"
        await response(scope, _nothing, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # http.disconnect, when the client goes

    return replay


async def _nothing() -> Message:
    return {"type": "http.disconnect"}
