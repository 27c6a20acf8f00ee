"""Who may call and how often: optional bearer-token auth and a per-client rate limit (plain ASGI).

Both guard the API. The page shell (`/`, `/static/…`) is public so a user can load it and paste the token;
health checks are public so orchestrators need no secret; Slack's events carry their own signature.
"""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from assistant.web.errors import error_response

PUBLIC_PATHS = frozenset({"/", "/healthz", "/readyz", "/favicon.ico"})
PUBLIC_PREFIXES = ("/static/", "/slack/")


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class BearerAuthMiddleware:
    """401 unless `Authorization: Bearer <token>` matches (compared in constant time)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = f"Bearer {token}".encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]) or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("authorization", "").encode()
        if not hmac.compare_digest(given, self.expected):
            message = "missing or wrong bearer token: send 'Authorization: Bearer <ASKEAR_WEB__API_TOKEN>'"
            response = error_response(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class TokenBucketLimiter:
    """`per_minute` requests per client, refilled continuously; a client may burst up to a minute's worth.

    Counts live in the process: with several workers each worker enforces the limit on its own share.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}

    def take(self, client: str) -> float:
        """Spend one request for `client`: 0.0 if allowed, else the seconds until the next one is."""
        now = self.clock()
        bucket = self._buckets.get(client)
        if bucket is None:
            if len(self._buckets) >= self.max_clients:
                self._forget_full(now)
            bucket = self._buckets[client] = _Bucket(self.capacity, now)
        bucket.tokens = min(self.capacity, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        # A bucket that has refilled completely holds no information: dropping it bounds memory.
        full = [k for k, b in self._buckets.items() if b.tokens + (now - b.updated) * self.rate >= self.capacity]
        for key in full:
            del self._buckets[key]
        if len(self._buckets) >= self.max_clients:
            self._buckets.clear()


class RateLimitMiddleware:
    """429 with Retry-After once a client (by peer address) exceeds its share of the API."""

    def __init__(self, app: ASGIApp, limiter: TokenBucketLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_public(scope["path"]) or scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)
            return
        # The peer address, not X-Forwarded-For: a header is the client's to forge.
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.limiter.take(client)
        if wait > 0:
            seconds = max(1, math.ceil(wait))
            message = f"rate limit exceeded: retry in {seconds} s"
            await error_response(429, "rate_limited", message, {"Retry-After": str(seconds)})(scope, receive, send)
            return
        await self.app(scope, receive, send)
