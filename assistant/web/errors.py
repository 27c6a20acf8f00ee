"""Typed errors translated to JSON at the HTTP edge. A response body never carries a stack trace.

Every error has one shape, which is also what OpenAI clients expect from `/v1/chat/completions`:
`{"error": {"type": "...", "message": "...", "request_id": "..."}}`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import AskearError, BackendUnavailable, ConfigError, IndexMissing, InvalidQuestion
from assistant.web.logs import current_request_id

log = logging.getLogger("assistant.web")

# Most specific first: the first isinstance match decides the status.
_ASKEAR_STATUS: tuple[tuple[type[AskearError], int, str], ...] = (
    (InvalidQuestion, 422, "invalid_question"),
    (IndexMissing, 503, "index_missing"),
    (BackendUnavailable, 503, "backend_unavailable"),
    (ConfigError, 500, "config_error"),
)

_HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    429: "rate_limited",
    501: "not_implemented",
    503: "unavailable",
}


def error_body(error_type: str, message: str) -> dict[str, Any]:
    return {"error": {"type": error_type, "message": message, "request_id": current_request_id()}}


def error_response(
    status: int, error_type: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(error_type, message), status_code=status, headers=dict(headers or {}))


def askear_status(exc: AskearError) -> tuple[int, str]:
    for cls, status, error_type in _ASKEAR_STATUS:
        if isinstance(exc, cls):
            return status, error_type
    return 500, "askear_error"


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


async def _on_askear_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AskearError)
    status, error_type = askear_status(exc)
    if status >= 500:
        log.warning("%s: %s", error_type, exc)
    return error_response(status, error_type, str(exc))


async def _on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return error_response(exc.status_code, _HTTP_TYPES.get(exc.status_code, "http_error"), message, exc.headers)


async def _on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    # A body that is not JSON at all is a client mistake of a different kind than a missing field.
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "invalid_json", "the request body is not valid JSON")
    return error_response(422, "invalid_request", _validation_message(errors))


def install(app: FastAPI) -> None:
    """Register the translations; unexpected exceptions are caught by `RequestContextMiddleware`."""
    app.add_exception_handler(AskearError, _on_askear_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
