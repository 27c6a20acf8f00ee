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

from assistant.errors import BackendUnavailable, ConfigError, IndexMissing

DENSE_TYPES = ("regulation", "federal_register", "news")
# Chroma refuses larger batches (max_batch_size 5461 on 1.5).
_BATCH = 4000


def collection_prefix(generation: str) -> str:
    """A generation's collections on a shared server: `askear-<stamp>-<source type>`, one set per generation."""
    return generation.replace("gen-", "askear-", 1)


def _chroma_settings() -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


class ChromaStore:
    """Chroma collections named `<prefix>-<source type>`; we pass vectors, Chroma never embeds."""

    def __init__(self, client: Any, prefix: str, url: str | None = None, create: bool = True) -> None:
        self.client = client
        self.prefix = prefix
        self.url = url  # set for a server store: its failures are outages, reported as BackendUnavailable
        # Readers never create: a collection missing on a server (wiped, or a pruned generation) must be an
        # error, not an empty collection that silently turns every answer lexical-only.
        self.create = create
        self._collections: dict[str, Any] = {}
        self._sizes: dict[str, int] = {}

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except (BackendUnavailable, IndexMissing):
            raise
        except Exception as exc:
            if self.url is None:
                raise
            # Forget collection handles: after a server restart they are re-fetched by name.
            self._collections.clear()
            raise BackendUnavailable(f"the Chroma server at {self.url} is unavailable ({type(exc).__name__})") from exc

    @classmethod
    def persistent(cls, path: Path, prefix: str = "askear", create: bool = True) -> ChromaStore:
        import chromadb

        if not create and not path.is_dir():
            raise IndexMissing(f"the vector store {path} is missing: run `askear ingest`")
        path.mkdir(parents=True, exist_ok=True)
        return cls(chromadb.PersistentClient(path=str(path), settings=_chroma_settings()), prefix, create=create)

    @classmethod
    def http(
        cls,
        url: str,
        prefix: str,
        create: bool = True,
        token: str | None = None,
        tenant: str = "default_tenant",
        database: str = "default_database",
    ) -> ChromaStore:
        from urllib.parse import urlparse

        import chromadb
        from chromadb.errors import NotFoundError

        parsed = urlparse(url)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                headers={"x-chroma-token": token} if token else None,
                settings=_chroma_settings(),
                tenant=tenant,
                database=database,
            )
        except NotFoundError as exc:
            hint = "check ASKEAR_CHROMA_TENANT and ASKEAR_CHROMA_DATABASE"
            raise ConfigError(f"Chroma server at {url}: {exc} ({hint})") from None
        except Exception as exc:  # chromadb raises plain exceptions for connection failures
            raise BackendUnavailable(f"Chroma server at {url} is not reachable: {exc}") from exc
        return cls(client, prefix, url, create=create)

    def _collection(self, source_type: str) -> Any:
        if source_type not in self._collections:
            self._collections[source_type] = self._open(source_type)
        return self._collections[source_type]

    def _open(self, source_type: str) -> Any:
        from chromadb.errors import NotFoundError

        name = f"{self.prefix}-{source_type}"
        with self._guard():
            if self.create:
                return self.client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
                )
            try:
                return self.client.get_collection(name, embedding_function=None)
            except NotFoundError:
                where = f"the Chroma server at {self.url}" if self.url else "the embedded store"
                raise IndexMissing(
                    f"collection {name} is missing from {where}: its data was lost or this generation was "
                    "pruned; run `askear ingest` to rebuild it"
                ) from None

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
                if self._size(st, collection) == 0:
                    continue
                result = collection.query(query_embeddings=[vector], n_results=k, include=["distances"])
            out.extend(
                (cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True)
            )
        out.sort(key=lambda pair: -pair[1])
        return out[:k]

    def _size(self, source_type: str, collection: Any) -> int:
        """A reader's generation is sealed, so its sizes never change: one round trip each, not one per query."""
        if self.create:
            return int(collection.count())
        if source_type not in self._sizes:
            self._sizes[source_type] = int(collection.count())
        return self._sizes[source_type]

    def counts(self) -> dict[str, int]:
        with self._guard():
            return {st: self._collection(st).count() for st in DENSE_TYPES}

    def drop(self) -> None:
        for st in DENSE_TYPES:
            with contextlib.suppress(Exception):  # a missing collection is what we want
                self.client.delete_collection(f"{self.prefix}-{st}")
        self._collections.clear()
