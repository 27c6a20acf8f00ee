"""The sentence-vector cache of the embedder: identical vectors, the model skipped for texts seen before,
bounded by least-recent use, safe to share between threads."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pytest

from assistant.index.embed import SentenceTransformerEmbedder, VectorCache

DIM = 8


class CountingModel:
    """Stands in for the SentenceTransformer: a fixed vector per text, and a record of what it embedded."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def encode(self, texts: Sequence[str], **_: Any) -> np.ndarray:
        self.embedded.extend(texts)
        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(DIM) for t in texts]
        vectors = np.asarray(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def get_embedding_dimension(self) -> int:
        return DIM


def embedder_with(model: CountingModel, cache_size: int = 100) -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder(sentence_cache_size=cache_size)
    embedder._model = model  # type: ignore[assignment]
    return embedder


def test_a_second_call_returns_identical_vectors_without_the_model() -> None:
    model = CountingModel()
    embedder = embedder_with(model)
    texts = ["License review policy: Presumption of denial", "Reason for Control: RS, AT"]
    first = embedder.encode_many(texts)
    second = embedder.encode_many(texts)
    assert np.array_equal(first, second)
    assert model.embedded == texts


def test_only_unseen_texts_reach_the_model_once_each_and_the_order_is_kept() -> None:
    model = CountingModel()
    embedder = embedder_with(model)
    embedder.encode_many(["a sentence", "b sentence"])
    model.embedded.clear()
    out = embedder.encode_many(["c sentence", "a sentence", "c sentence", "b sentence"])
    assert model.embedded == ["c sentence"]
    expected = CountingModel().encode(["c sentence", "a sentence", "c sentence", "b sentence"])
    assert np.allclose(out, expected)


def test_the_cache_forgets_the_least_recently_used_text_first() -> None:
    model = CountingModel()
    embedder = embedder_with(model, cache_size=2)
    embedder.encode_many(["a", "b"])
    embedder.encode_many(["a"])  # a is now the most recent
    embedder.encode_many(["c"])  # over the bound: b goes
    model.embedded.clear()
    embedder.encode_many(["a", "c", "b"])
    assert model.embedded == ["b"]
    assert len(embedder.sentence_cache) == 2


def test_changing_a_returned_array_does_not_change_the_cache() -> None:
    embedder = embedder_with(CountingModel())
    first = embedder.encode_many(["a sentence"])
    first[:] = 0.0
    assert np.linalg.norm(embedder.encode_many(["a sentence"])[0]) == pytest.approx(1.0)


def test_a_cache_of_size_zero_keeps_nothing() -> None:
    model = CountingModel()
    embedder = embedder_with(model, cache_size=0)
    embedder.encode_many(["a"])
    embedder.encode_many(["a"])
    assert model.embedded == ["a", "a"]


def test_threads_sharing_the_cache_get_the_same_vectors() -> None:
    embedder = embedder_with(CountingModel(), cache_size=50)
    texts = [f"sentence {i}" for i in range(80)]
    expected = CountingModel().encode(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda k: embedder.encode_many(texts[k : k + 20]), range(0, 80, 5)))
    for k, out in zip(range(0, 80, 5), results, strict=True):
        assert np.allclose(out, expected[k : k + 20])
    assert len(embedder.sentence_cache) <= 50


def test_vector_cache_reports_misses_as_none() -> None:
    cache = VectorCache(4)
    cache.put_many(["x"], np.ones((1, DIM), dtype=np.float32))
    found = cache.get_many(["x", "y"])
    assert found[1] is None
    assert found[0] is not None and not found[0].flags.writeable


@pytest.mark.slow
def test_the_real_model_gives_cached_vectors_equal_to_fresh_ones(embedder: SentenceTransformerEmbedder) -> None:
    texts = ["A license is required for any item subject to the EAR.", "Reason for Control: NS, RS, AT"]
    fresh = embedder.model.encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    embedder.encode_many(texts)
    assert np.allclose(embedder.encode_many(texts), fresh, atol=1e-5)
