"""Run a Plan against the index: exact ids and named parties first, then BM25 + dense fused by RRF."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from assistant.ids import ancestors, find_ids
from assistant.index.lexical import tokenize
from assistant.index.reader import Index
from assistant.models import ENTITY, EXACT, ON_ROUTE, REFERENCE, TABLE, Chunk, Hit
from assistant.route import Plan
from assistant.settings import RetrieveSettings
from assistant.tables import has_named_row, tables_named

_LICENSING = re.compile(r"\b(licen[cs]e|require|destination|export(?:ing)? to|ship|country|countries)\b", re.I)
_LATEST = re.compile(r"\b(last|latest|most recent|newest|recently)\b", re.I)


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

    # 1. Units the question cites by id outrank everything: the user named them. Their sub-units follow
    #    after any party the question names, so "a 3A090 chip to YMTC" reads the entry, then the party.
    for i, cited in enumerate(plan.cited):
        unit_ids = resolve_cited(index, cited)
        for chunk in _chunks_of(index, unit_ids[:1], per_unit=3):
            add(chunk, 3.0 - 0.1 * i, EXACT)
        for j, chunk in enumerate(_chunks_of(index, unit_ids[1:12], per_unit=2)):
            add(chunk, 2.5 - 0.1 * i - 0.01 * j, EXACT)
        # An ECCN's licence requirements live in the Part 742 paragraph its table points to.
        if unit_ids and cited.startswith("ECCN") and _LICENSING.search(plan.question):
            for k_ref, ref in enumerate(_references(index, unit_ids[0])[:3]):
                for chunk in _chunks_of(index, [ref], per_unit=1):
                    add(chunk, 1.6 - 0.05 * k_ref, REFERENCE)
    # 2. Parties named in the question: their list records.
    for i, uid in enumerate(plan.entities):
        for chunk in _chunks_of(index, [uid], per_unit=2):
            add(chunk, 2.8 - 0.05 * i, ENTITY)

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

    # 4. Tables the question names ("Country Group D:5", "the Country Chart"): the rows it names, else the parts
    #    sharing most of its words, level with the best search hit.
    searched = [h.score for h in hits.values() if not set(h.sources) & ON_ROUTE]
    level = max(searched, default=1.0)
    for i, table in enumerate(tables_named(plan.question)):
        for j, chunk in enumerate(_table_chunks(index, table, plan.question)):
            add(chunk, level - 0.001 * (i + j), TABLE)

    if plan.recent and _LATEST.search(plan.question):
        _prefer_latest(hits, index)
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


def _table_chunks(index: Index, table: str, question: str, limit: int = 4) -> list[Chunk]:
    """The table's chunks holding rows the question names (a country is a row of several groups), else the two
    sharing most of the question's words."""
    chunks = [index.chunks[cid] for cid in index.chunks_by_unit.get(table, [])]
    named = [c for c in chunks if has_named_row(question, c.text)]
    if named:
        return named[:limit]
    wanted = set(tokenize(question))
    overlap = sorted(chunks, key=lambda c: (-len(wanted & set(tokenize(c.text))), c.ordinal))
    return overlap[:2]


def _references(index: Index, unit_id: str) -> list[str]:
    """CFR units a unit's text points to ("see § 742.6(a)(6)(iii)(A) of the EAR"), nearest existing unit each."""
    unit = index.units.get(unit_id)
    if unit is None:
        return []
    out: list[str] = []
    for mention in find_ids(unit.text):
        if mention.kind in ("section", "paragraph"):
            resolved = resolve_cited(index, mention.id)
            if resolved and resolved[0] not in out:
                out.append(resolved[0])
    return out


def _prefer_latest(hits: dict[str, Hit], index: Index) -> None:
    """ "When was X last amended": among the relevant Federal Register and news hits, newest first."""
    off_route = [h for h in hits.values() if not set(h.sources) & ON_ROUTE]
    dated = [h for h in off_route if h.chunk.source_type in ("federal_register", "news")]
    relevant = sorted(dated, key=lambda h: -h.score)[:8]
    if not relevant:
        return
    top = max(h.score for h in off_route)

    def date(hit: Hit) -> str:
        unit = index.units.get(hit.chunk.unit_id)
        return (unit.date or "") if unit else ""

    for rank, hit in enumerate(sorted(relevant, key=date, reverse=True)):
        hits[hit.chunk.id] = hit.model_copy(update={"score": top + 0.01 * (len(relevant) - rank)})


def best_similarity(hits: list[Hit]) -> float:
    sims = [h.dense_similarity for h in hits if h.dense_similarity is not None]
    return max(sims) if sims else 0.0
