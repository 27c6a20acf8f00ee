"""The app factory: `create_app()` wires the routes, the chat page and the edge safety around one Assistant.

Nothing is built at import; `askear serve --workers N` calls `create_app` once per worker process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware import Middleware

from assistant.assistant import Assistant
from assistant.errors import AskearError
from assistant.settings import Settings
from assistant.web import errors, health, openai_compat, routes, sources
from assistant.web.feedback import FeedbackStore
from assistant.web.middleware import BodySizeLimitMiddleware, RequestContextMiddleware
from assistant.web.security import BearerAuthMiddleware, RateLimitMiddleware, TokenBucketLimiter

log = logging.getLogger("assistant.web")

STATIC_DIR = Path(__file__).parent / "static"
FEEDBACK_FILE = "feedback.sqlite"

# The page loads nothing from elsewhere and runs no inline script, so a strict policy costs nothing.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _version() -> str:
    try:
        return version("askear")
    except PackageNotFoundError:
        return "0"


def _middleware(settings: Settings) -> list[Middleware]:
    """Outermost first: the request id wraps everything, CORS answers preflights before auth asks for a token."""
    web = settings.web
    stack = [Middleware(RequestContextMiddleware)]
    if web.cors_origins:
        stack.append(
            Middleware(
                CORSMiddleware, allow_origins=web.cors_origins, allow_methods=["GET", "POST"],
                allow_headers=["Authorization", "Content-Type", "X-Request-ID"], expose_headers=["X-Request-ID"],
                max_age=600,
            )
        )  # fmt: skip
    if web.rate_limit_per_minute > 0:
        stack.append(Middleware(RateLimitMiddleware, limiter=TokenBucketLimiter(web.rate_limit_per_minute)))
    if web.api_token is not None and web.api_token.get_secret_value():
        stack.append(Middleware(BearerAuthMiddleware, token=web.api_token.get_secret_value()))
    stack.append(Middleware(BodySizeLimitMiddleware, limit=web.max_body_bytes))
    return stack


def _warm_up(assistant: Assistant) -> None:
    try:
        assistant.warm_up()
        log.info("ready: index %s loaded", assistant.index.info.name)
    except AskearError as exc:
        log.warning("not ready: %s", exc)
    except Exception:
        log.exception("warm-up failed")


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Warm up beside the server, not before it: /healthz answers at once, /readyz waits for the index.
    threading.Thread(target=_warm_up, args=(app.state.assistant,), name="askear-warm-up", daemon=True).start()
    yield
    app.state.feedback.close()


def _mount_slack(app: FastAPI, assistant: Assistant, settings: Settings) -> None:
    """Slack's HTTP events, only when a signing secret is configured and the Slack package is present."""
    if settings.slack.signing_secret is None:
        return
    try:
        from assistant.slack.http import mount
    except ModuleNotFoundError as exc:
        if exc.name and "assistant.slack.http".startswith(exc.name):
            log.warning("ASKEAR_SLACK__SIGNING_SECRET is set but assistant.slack is not installed in this tree")
            return
        raise
    mount(app, assistant, settings)


def create_app(assistant: Assistant | None = None, settings: Settings | None = None) -> FastAPI:
    """The HTTP service around `assistant` (built from `settings` if not given).

    `settings` governs the web edge (token, limits, CORS) and where feedback is stored (ASKEAR_HOME); the
    assistant keeps its own settings for the index, so tests can serve a shared index and vote into a tmp dir.
    """
    settings = settings or (assistant.settings if assistant is not None else Settings())
    if assistant is None:
        assistant = Assistant.from_settings(settings)
    app = FastAPI(
        title="askear",
        version=_version(),
        summary="Answers about US export controls with citations to exact units; abstains when unsupported.",
        middleware=_middleware(settings),
        lifespan=_lifespan,
    )
    app.state.assistant = assistant
    app.state.settings = settings
    app.state.feedback = FeedbackStore(settings.home / FEEDBACK_FILE)
    app.state.answer_slots = anyio.CapacityLimiter(max(1, settings.web.max_concurrent_answers))
    errors.install(app)
    for module in (health, routes, sources, openai_compat):
        app.include_router(module.router)
    _mount_slack(app, assistant, settings)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    async def chat_page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers=PAGE_HEADERS)

    return app
