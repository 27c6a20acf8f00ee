"""Dense vectors in Chroma: embedded (PersistentClient) by default, a `chroma run` server when configured.

One collection per source type: Chroma's metadata-filtered queries measured ~20x slower than plain ones,
so "only regulations" is a choice of collection, never a `where` filter.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import BackendUnavailable

DENSE_TYPES = ("regulation", "federal_register", "news")
# Chroma refuses larger batches (max_batch_size 5461 on 1.5).
_BATCH = 4000


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class ChromaStore:
    """Chroma collections named `<prefix>-<source type>`; we pass vectors, Chroma never embeds."""

    def __init__(self, client: Any, prefix: str, url: str | None = None) -> None:
        self.client = client
        self.prefix = prefix
        self.url = url  # set for a server store: its failures are outages, reported as BackendUnavailable
        self._collections: dict[str, Any] = {}

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except BackendUnavailable:
            raise
        except Exception as exc:
            if self.url is None:
                raise
            # Forget collection handles: after a server restart they are re-fetched by name.
            self._collections.clear()
            raise BackendUnavailable(f"the Chroma server at {self.url} is unavailable ({type(exc).__name__})") from exc

    @classmethod
    def persistent(cls, path: Path, prefix: str = "askear") -> ChromaStore:
        import chromadb

        path.mkdir(parents=True, exist_ok=True)
        return cls(chromadb.PersistentClient(path=str(path), settings=_chroma_settings()), prefix)

    @classmethod
    def http(cls, url: str, prefix: str) -> ChromaStore:
        from urllib.parse import urlparse

        import chromadb

        parsed = urlparse(url)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=_chroma_settings(),
            )
        except Exception as exc:  # chromadb raises plain exceptions for connection failures
            raise BackendUnavailable(f"Chroma server at {url} is not reachable: {exc}") from exc
        return cls(client, prefix, url)

    def _collection(self, source_type: str) -> Any:
        if source_type not in self._collections:
            self._collections[source_type] = self._open(source_type)
        return self._collections[source_type]

    def _open(self, source_type: str) -> Any:
        with self._guard():
            return self.client.get_or_create_collection(
                f"{self.prefix}-{source_type}",
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )

    def upsert(self, ids: Sequence[str], source_types: Sequence[str], vectors: np.ndarray) -> None:
        by_type: dict[str, list[int]] = {}
        for i, st in enumerate(source_types):
            by_type.setdefault(st, []).append(i)
        for st, rows in by_type.items():
            collection = self._collection(st)
            for start in range(0, len(rows), _BATCH):
                part = rows[start : start + _BATCH]
                with self._guard():
                    collection.upsert(ids=[ids[i] for i in part], embeddings=vectors[part])

    def delete(self, ids: Iterable[str], source_type: str) -> None:
        ids = list(ids)
        for start in range(0, len(ids), _BATCH):
            with self._guard():
                self._collection(source_type).delete(ids=ids[start : start + _BATCH])

    def query(self, vector: np.ndarray, k: int, source_types: Iterable[str] = DENSE_TYPES) -> list[tuple[str, float]]:
        """Nearest chunks over the given source types, as (chunk id, cosine similarity), best first."""
        out: list[tuple[str, float]] = []
        for st in source_types:
            collection = self._collection(st)
            with self._guard():
                if collection.count() == 0:
                    continue
                result = collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
            out.extend(
                (cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
            )
        out.sort(key=lambda pair: -pair[1])
        return out[:k]

    def counts(self) -> dict[str, int]:
        with self._guard():
            return {st: self._collection(st).count() for st in DENSE_TYPES}

    def drop(self) -> None:
        for st in DENSE_TYPES:
            with contextlib.suppress(Exception):  # a missing collection is what we want
                self.client.delete_collection(f"{self.prefix}-{st}")
        self._collections.clear()
