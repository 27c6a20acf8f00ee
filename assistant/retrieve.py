"""Run a Plan against the index: exact ids and named parties first, then BM25 + dense fused by RRF."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from assistant.ids import ancestors
from assistant.index.reader import Index
from assistant.models import Chunk, Hit
from assistant.route import Plan
from assistant.settings import RetrieveSettings

EXACT, ENTITY = "exact", "entity"


def rrf(rankings: Iterable[list[str]], k: int = 60) -> dict[str, float]:
    """Reciprocal-rank fusion (Cormack, Clarke & Büttcher 2009): score = Σ 1 / (k + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return scores


def resolve_cited(index: Index, cited: str) -> list[str]:
    """Unit ids for a cited id: the unit itself (or its nearest existing ancestor) and, for a section, supplement
    or ECCN, its direct children in document order."""
    for candidate in (cited, *ancestors(cited)):
        if index.units.get(candidate) is not None:
            return [candidate, *index.units.children(candidate)]
    return []


def _chunks_of(index: Index, unit_ids: Iterable[str], per_unit: int) -> list[Chunk]:
    out = []
    for uid in unit_ids:
        for cid in index.chunks_by_unit.get(uid, [])[:per_unit]:
            out.append(index.chunks[cid])
    return out


def retrieve(plan: Plan, index: Index, query_vector: np.ndarray, settings: RetrieveSettings) -> list[Hit]:
    hits: dict[str, Hit] = {}

    def add(chunk: Chunk, score: float, source: str, similarity: float | None = None) -> None:
        old = hits.get(chunk.id)
        if old is None:
            hits[chunk.id] = Hit(chunk=chunk, score=score, sources=(source,), dense_similarity=similarity)
        else:
            hits[chunk.id] = old.model_copy(
                update={
                    "score": max(old.score, score),
                    "sources": tuple(dict.fromkeys((*old.sources, source))),
                    "dense_similarity": old.dense_similarity if similarity is None else similarity,
                }
            )

    # 1. Units the question cites by id outrank everything: the user named them.
    for i, cited in enumerate(plan.cited):
        unit_ids = resolve_cited(index, cited)
        for j, chunk in enumerate(_chunks_of(index, unit_ids[:12], per_unit=3)):
            add(chunk, 3.0 - 0.1 * i - 0.01 * j, EXACT)
    # 2. Parties named in the question: their list records.
    for i, uid in enumerate(plan.entities):
        for chunk in _chunks_of(index, [uid], per_unit=2):
            add(chunk, 2.0 - 0.05 * i, ENTITY)

    # 3. Hybrid search over everything else.
    k = settings.candidates
    lexical = [cid for cid, _ in index.bm25.search(plan.question, k)]
    dense_pairs = index.store.query(query_vector, k, plan.source_types)
    similarity = dict(dense_pairs)
    fused = rrf([lexical, [cid for cid, _ in dense_pairs]], settings.rrf_k)
    for cid, score in sorted(fused.items(), key=lambda pair: -pair[1]):
        chunk = index.chunks.get(cid)
        if chunk is None:
            continue
        source = "dense" if cid in similarity and cid not in lexical else "bm25" if cid not in similarity else "hybrid"
        add(chunk, score, source, similarity.get(cid))
        if cid in similarity and cid in hits:
            hits[cid] = hits[cid].model_copy(update={"dense_similarity": similarity[cid]})

    ranked = sorted(hits.values(), key=lambda h: -h.score)
    # At most three chunks per unit, so one long unit cannot crowd out every other source.
    per_unit: dict[str, int] = {}
    out: list[Hit] = []
    limit = settings.top_k + sum(1 for h in ranked if EXACT in h.sources or ENTITY in h.sources)
    for hit in ranked:
        n = per_unit.get(hit.chunk.unit_id, 0)
        if n >= 3:
            continue
        per_unit[hit.chunk.unit_id] = n + 1
        out.append(hit)
        if len(out) >= min(limit, settings.top_k * 3):
            break
    return out


def best_similarity(hits: list[Hit]) -> float:
    sims = [h.dense_similarity for h in hits if h.dense_similarity is not None]
    return max(sims) if sims else 0.0
