"""The plain LangChain way, as a baseline: dense-only top-k from the same Chroma collections, answer = the
top passages, each cited to its unit. No party-name lookup, no BM25, no exact ids, no composer, no verifier,
no abstention. It runs in the same process on the same index as the assistant it is compared with.

Backend: `langchain_chroma.Chroma` when it is installed *and* the collections store document text. askear's
collections hold vectors only (chunk text lives in the SQLite unit table, so Chroma never embeds or stores
text), and LangChain's Chroma drops every hit whose document is None, so on an askear index the baseline
queries the raw chromadb collections instead: the same HNSW index, vectors and cosine distance LangChain's
`similarity_search_by_vector_with_relevance_scores` would query, with the chunk text looked up by id.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from assistant.index.store import DENSE_TYPES
from assistant.models import Answer, Citation, SentenceSupport, Timings, Unit

ANSWER_PASSAGES = 4  # as many passages as the extractive composer has sentences by default
RETRIEVE_K = 10


class _QueryEmbeddings:
    """LangChain `Embeddings` over askear's embedder (queries are embedded exactly as `ask` embeds them)."""

    def __init__(self, encode_query: Callable[[str], np.ndarray], encode_many: Callable[[Sequence[str]], Any]):
        self._query = encode_query
        self._many = encode_many

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._query(text)]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[float(x) for x in row] for row in self._many(texts)]


def langchain_usable(collection: Any) -> tuple[bool, str]:
    """Can LangChain's Chroma serve this collection? (installed, and the collection stores document text)."""
    try:
        import langchain_chroma  # noqa: F401
    except ImportError:
        return False, "langchain_chroma is not installed"
    sample = collection.get(limit=1, include=["documents"])
    documents = sample.get("documents") or []
    if not documents or documents[0] is None:
        return False, "the collections store vectors without document text, which LangChain's Chroma drops"
    return True, "langchain_chroma.Chroma"


class DenseBaseline:
    """Dense-only retrieval over `client`'s collections `<prefix>-<source type>`; answers with the top passages."""

    name = "baseline"

    def __init__(
        self,
        client: Any,
        prefix: str,
        encode_query: Callable[[str], np.ndarray],
        encode_many: Callable[[Sequence[str]], Any],
        chunk_text: Callable[[str], str | None],
        units: Callable[[str], Unit | None],
        source_types: Sequence[str] = DENSE_TYPES,
        answer_passages: int = ANSWER_PASSAGES,
        retrieve_k: int = RETRIEVE_K,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._encode_query = encode_query
        self._chunk_text = chunk_text
        self._units = units
        self.answer_passages = answer_passages
        self.retrieve_k = max(retrieve_k, answer_passages)
        self._collections = {}
        for st in source_types:
            try:
                self._collections[st] = client.get_collection(f"{prefix}-{st}")
            except Exception:  # chromadb raises a plain error for a missing collection: that type is not indexed
                continue
        first = next(iter(self._collections.values()), None)
        usable, why = langchain_usable(first) if first is not None else (False, "no collections")
        self.backend = "langchain_chroma" if usable else "chromadb"
        self._stores: dict[str, Any] = {}
        if usable:
            from langchain_chroma import Chroma

            embeddings = _QueryEmbeddings(encode_query, encode_many)
            self._stores = {
                st: Chroma(client=client, collection_name=c.name, embedding_function=embeddings,
                           create_collection_if_not_exists=False)
                for st, c in self._collections.items()
            }  # fmt: skip
        self.description = (
            f"dense-only top-{self.answer_passages} passages (MiniLM, cosine) from the same Chroma collections "
            f"({', '.join(self._collections)}), answer = those passages; backend: "
            + ("langchain_chroma.Chroma" if usable else f"raw chromadb collection ({why})")
        )

    @classmethod
    def for_assistant(cls, assistant: Any, **kwargs: Any) -> DenseBaseline:
        index = assistant.index

        def chunk_text(cid: str) -> str | None:
            chunk = index.chunks.get(cid)
            return chunk.text if chunk is not None else None

        embedder = assistant.embedder

        def encode_query(text: str) -> np.ndarray:
            # Uncached (the same normalised MiniLM vector), so the baseline's latency includes embedding the
            # question even though `ask` embedded it moments before.
            return embedder.encode_many([text])[0]

        return cls(
            index.store.client, index.store.prefix, encode_query, embedder.encode_many, chunk_text, index.units.get,
            **kwargs,
        )  # fmt: skip

    def search(self, question: str) -> list[tuple[str, str, float]]:
        """(chunk id, chunk text, cosine similarity), best first, over every dense collection."""
        vector = self._encode_query(question)
        found: list[tuple[str, str, float]] = []
        if self._stores:
            for store in self._stores.values():
                pairs = store.similarity_search_by_vector_with_relevance_scores(
                    [float(x) for x in vector], k=self.retrieve_k
                )
                # Despite its name this method returns Chroma's cosine *distance* (lower is nearer).
                found.extend((doc.id, doc.page_content, 1.0 - float(dist)) for doc, dist in pairs)
        else:
            for collection in self._collections.values():
                if collection.count() == 0:
                    continue
                result = collection.query(query_embeddings=[vector], n_results=self.retrieve_k, include=["distances"])
                for cid, dist in zip(result["ids"][0], result["distances"][0], strict=True):
                    text = self._chunk_text(cid)
                    if text is not None:
                        found.append((cid, text, 1.0 - float(dist)))
        found.sort(key=lambda row: -row[2])
        return found[: self.retrieve_k]

    def answer(self, question: str) -> tuple[Answer, list[str]]:
        """The top passages as the answer (each one sentence citing its unit) and the retrieved unit ids."""
        start = time.perf_counter()
        hits = self.search(question)
        retrieved = list(dict.fromkeys(_unit_id(cid) for cid, _, _ in hits))
        numbers: dict[str, int] = {}
        quotes: dict[str, list[str]] = {}
        sentences: list[SentenceSupport] = []
        for cid, text, score in hits[: self.answer_passages]:
            uid = _unit_id(cid)
            n = numbers.setdefault(uid, len(numbers) + 1)
            passage = " ".join(text.split())
            quotes.setdefault(uid, []).append(text.strip())
            sentences.append(SentenceSupport(text=passage, cites=(n,), supported=True, score=score, reason="passage"))
        citations = []
        for uid, n in numbers.items():
            unit = self._units(uid)
            if unit is None:
                continue
            citations.append(
                Citation(n=n, id=uid, title=unit.title, source_type=unit.source_type, date=unit.date, url=unit.url,
                         quote=" … ".join(quotes[uid]))
            )  # fmt: skip
        text = " ".join(f"{s.text} [{s.cites[0]}]" for s in sentences)
        total = round((time.perf_counter() - start) * 1000, 2)
        answer = Answer(
            question=question, answer=text, abstained=not sentences, citations=citations,
            timings=Timings(retrieve=total, total=total), sentences=sentences,
        )  # fmt: skip
        return answer, retrieved


def _unit_id(chunk_id: str) -> str:
    """'<unit id>#<ordinal>' → unit id."""
    return chunk_id.rsplit("#", 1)[0]
