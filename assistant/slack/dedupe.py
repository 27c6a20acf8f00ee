"""Drop Slack's retries of an event already received.

Slack re-sends an event (same `event_id`, header X-Slack-Retry-Num) when it saw no 2xx within 3 seconds,
up to three times over about 5 minutes. Answering each delivery would post the answer up to four times.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

# Retries come after ~0 s, 1 min and 5 min: keep ids well past the last one.
DEFAULT_TTL_SECONDS = 15 * 60
DEFAULT_MAX_KEYS = 10_000


class RecentKeys:
    """Keys seen within the last `ttl` seconds, at most `max_keys` of them (oldest evicted). Thread-safe:
    bolt dispatches HTTP requests and Socket Mode envelopes from several threads."""

    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._max_keys = max_keys
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """True the first time `key` is offered within the TTL; records it."""
        now = self._clock()
        with self._lock:
            while self._seen and next(iter(self._seen.values())) <= now - self._ttl:
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            while len(self._seen) > self._max_keys:
                self._seen.popitem(last=False)
            return True

    def __len__(self) -> int:
        return len(self._seen)


def dedupe_middleware(seen: RecentKeys) -> Callable[..., Any]:
    """A bolt global middleware that acknowledges a repeated event_id without running any listener.

    Registered with `app.use`, it runs after bolt's signature check, so forged requests cannot fill the cache.
    """
    from slack_bolt import BoltResponse

    def drop_repeated_events(body: dict[str, Any], next: Callable[[], Any], logger: Any) -> Any:
        event_id = body.get("event_id") if isinstance(body, dict) else None
        if event_id and not seen.first_time(str(event_id)):
            logger.info("ignoring a repeated delivery of event %s", event_id)
            return BoltResponse(status=200, body="")
        return next()

    return drop_repeated_events
