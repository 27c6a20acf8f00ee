"""Drop Slack's retries of an event already received.

Slack re-sends an event (same `event_id`, header X-Slack-Retry-Num) when it saw no 2xx within 3 seconds,
up to three times over about 5 minutes. Answering each delivery would post the answer up to four times.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger("assistant.slack")

# Retries come after ~0 s, 1 min and 5 min: keep ids well past the last one.
DEFAULT_TTL_SECONDS = 15 * 60
DEFAULT_MAX_KEYS = 10_000


class SeenEvents:
    """Event ids seen within the last `ttl` seconds, at most `max_keys` of them (oldest evicted).

    Kept in SQLite under ASKEAR_HOME rather than in memory: with `askear serve --workers N` a retry usually
    reaches another worker than the first delivery, and only a store they share can recognise it.
    """

    def __init__(
        self,
        path: Path,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_keys: int = DEFAULT_MAX_KEYS,
        clock: Callable[[], float] = time.time,  # wall time: comparable across processes
    ) -> None:
        self.path = path
        self._ttl = ttl
        self._max_keys = max_keys
        self._clock = clock
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # bolt dispatches from several threads; one connection each store

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at REAL NOT NULL)")
            self._conn = conn
        return self._conn

    def first_time(self, key: str) -> bool:
        """True the first time `key` is offered within the TTL, in any process sharing the file; records it."""
        now = self._clock()
        with self._lock:
            try:
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE")  # one writer at a time across processes: no two firsts
                try:
                    conn.execute("DELETE FROM seen WHERE at <= ?", (now - self._ttl,))
                    cursor = conn.execute("INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)", (key, now))
                    first = cursor.rowcount == 1
                    if first:
                        conn.execute(
                            "DELETE FROM seen WHERE rowid IN "
                            "(SELECT rowid FROM seen ORDER BY at DESC, rowid DESC LIMIT -1 OFFSET ?)",
                            (self._max_keys,),
                        )
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            except (sqlite3.Error, OSError) as exc:
                # Answering a retry twice beats never answering: fail open, loudly.
                log.warning("event de-duplication store %s failed (%s); letting %s through", self.path, exc, key)
                return True
            return first

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection().execute("SELECT COUNT(*) FROM seen").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def dedupe_middleware(seen: SeenEvents) -> Callable[..., Any]:
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
