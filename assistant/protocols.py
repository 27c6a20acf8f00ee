"""The seams where backends plug in, on one page. Each has one obvious method; everything derived (fusion,
batching, verification) lives in our code, not in every backend."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.models import Draft, Hit, Unit


@runtime_checkable
class Embedder(Protocol):
    name: str

    def encode_documents(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode_many(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class VectorStore(Protocol):
    def upsert(self, ids: Sequence[str], source_types: Sequence[str], vectors: np.ndarray) -> None: ...

    def delete(self, ids: Iterable[str], source_type: str) -> None: ...

    def query(self, vector: np.ndarray, k: int, source_types: Iterable[str]) -> list[tuple[str, float]]: ...

    def counts(self) -> dict[str, int]: ...


@runtime_checkable
class LexicalIndex(Protocol):
    def build(self, ids: Sequence[str], texts: Sequence[str]) -> None: ...

    def search(self, query: str, k: int) -> list[tuple[str, float]]: ...


@runtime_checkable
class Composer(Protocol):
    """Turns retrieved hits into a draft whose sentences cite numbered passages; `verify` checks it after."""

    name: str

    def compose(
        self, plan: object, hits: list[Hit], units: Callable[[str], Unit | None], query_vector: np.ndarray
    ) -> Draft: ...
