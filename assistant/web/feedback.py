"""Thumbs up/down on answers, kept in SQLite under ASKEAR_HOME with the question, answer and citations."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path

from assistant.web.schemas import FeedbackRequest

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER,
    citations TEXT NOT NULL,
    comment TEXT,
    request_id TEXT
);
"""


class FeedbackStore:
    """Append-only; the file is created on the first vote, so a read-only deployment never touches it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One connection shared across threadpool workers, serialised by the lock.
            self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.executescript(_SCHEMA)
        return self._conn

    def add(self, feedback: FeedbackRequest, request_id: str | None = None) -> int:
        citations = json.dumps([c.model_dump(mode="json") for c in feedback.citations], ensure_ascii=False)
        row = (
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            feedback.rating,
            feedback.question,
            feedback.answer,
            None if feedback.abstained is None else int(feedback.abstained),
            citations,
            feedback.comment,
            request_id,
        )
        with self._lock:
            conn = self._connection()
            with conn:
                cursor = conn.execute(
                    "INSERT INTO feedback (created, rating, question, answer, abstained, citations, comment, "
                    "request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
            return int(cursor.lastrowid or 0)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
