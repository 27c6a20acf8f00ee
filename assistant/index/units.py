"""The unit and chunk tables of one index generation (SQLite): full text for quotes, `/v1/sources/{id}`,
exact-id lookups and the screening lists. Read-mostly; one connection per thread."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from assistant.models import Chunk, Unit

_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id TEXT PRIMARY KEY, source_type TEXT NOT NULL, source_id TEXT NOT NULL, parent TEXT,
    hash TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS units_parent ON units(parent);
CREATE INDEX IF NOT EXISTS units_type ON units(source_type);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, source_type TEXT NOT NULL, ordinal INTEGER NOT NULL,
    text TEXT NOT NULL, context TEXT NOT NULL, unit_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_unit ON chunks(unit_id);
"""


class UnitStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        with self._conn() as conn:
            conn.executescript(_SCHEMA)
        self.get = lru_cache(maxsize=4096)(self._get)  # type: ignore[method-assign]

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def hashes(self) -> dict[str, str]:
        return dict(self._conn().execute("SELECT id, hash FROM units"))

    def put_units(self, units: Iterable[Unit]) -> None:
        conn = self._conn()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?, ?)",
                ((u.id, u.source_type, u.source_id, u.parent, u.content_hash, u.model_dump_json()) for u in units),
            )

    def delete_units(self, ids: Iterable[str]) -> None:
        conn = self._conn()
        with conn:
            conn.executemany("DELETE FROM chunks WHERE unit_id = ?", ((i,) for i in ids))
            conn.executemany("DELETE FROM units WHERE id = ?", ((i,) for i in ids))

    def put_chunks(self, chunks: Iterable[Chunk]) -> None:
        conn = self._conn()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)",
                ((c.id, c.unit_id, c.source_type, c.ordinal, c.text, c.context, c.unit_hash) for c in chunks),
            )

    def _get(self, unit_id: str) -> Unit | None:
        row = self._conn().execute("SELECT body FROM units WHERE id = ?", (unit_id,)).fetchone()
        return Unit.model_validate_json(row[0]) if row else None

    def children(self, unit_id: str) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT id FROM units WHERE parent = ? ORDER BY rowid", (unit_id,))]

    def chunk_ids_of(self, unit_id: str) -> list[str]:
        rows = self._conn().execute("SELECT id FROM chunks WHERE unit_id = ? ORDER BY ordinal", (unit_id,))
        return [r[0] for r in rows]

    def iter_chunks(self) -> Iterator[Chunk]:
        rows = self._conn().execute(
            "SELECT id, unit_id, source_type, ordinal, text, context, unit_hash FROM chunks ORDER BY rowid"
        )
        for cid, uid, st, ordinal, text, context, unit_hash in rows:
            yield Chunk.model_construct(
                id=cid, unit_id=uid, source_type=st, ordinal=ordinal, text=text, context=context, unit_hash=unit_hash
            )

    def iter_units(self, source_type: str | None = None) -> Iterator[Unit]:
        if source_type:
            rows = self._conn().execute("SELECT body FROM units WHERE source_type = ? ORDER BY rowid", (source_type,))
        else:
            rows = self._conn().execute("SELECT body FROM units ORDER BY rowid")
        for (body,) in rows:
            yield Unit.model_validate_json(body)

    def counts(self) -> dict[str, int]:
        return dict(self._conn().execute("SELECT source_type, COUNT(*) FROM units GROUP BY source_type"))

    def chunk_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
