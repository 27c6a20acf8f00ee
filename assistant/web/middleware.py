"""Plain ASGI middleware for every request: a request id (header + logs), an access log line, a JSON 500
instead of a stack trace, and the body size limit.

Plain ASGI rather than `BaseHTTPMiddleware` so that streamed responses (SSE) pass through untouched.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.web.errors import error_body, error_response
from assistant.web.logs import request_id_var

log = logging.getLogger("assistant.web")

# A caller's own id is kept only if it is short and harmless in a log line.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class RequestContextMiddleware:
    """Outermost: sets the request id, logs one line per request, turns unexpected exceptions into JSON 500s."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Which of `askear serve --workers N` answered: tells workers apart when tracing a request.
        self.worker = str(os.getpid())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 0}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                headers["X-Askear-Worker"] = self.worker
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            if status["code"]:
                return  # the response has begun (a stream): nothing more can be said to the client
            status["code"] = 500
            body = json.dumps(error_body("internal_error", f"internal error (request id {request_id})")).encode()
            await send_with_id({
                "type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            })  # fmt: skip
            await send({"type": "http.response.body", "body": body})
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            client = scope.get("client") or ("-", 0)
            log.info('%s "%s %s" %s %.0f ms', client[0], scope["method"], scope["path"], status["code"], elapsed)
            request_id_var.reset(token)


class BodyTooLarge(HTTPException):
    """Raised while a body is read past the limit. An HTTPException, because FastAPI turns any other
    exception raised while reading the body into a 400."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodySizeLimitMiddleware:
    """413 for bodies over `limit` bytes: at once from Content-Length, or while reading a chunked body."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await error_response(413, "body_too_large", f"the request body is larger than {self.limit} bytes")(
                scope, receive, send
            )
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, counting_receive, send)
