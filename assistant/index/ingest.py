"""Ingest: parse every synced source, then build a new index generation incrementally and switch to it.

Everything is parsed (and so validated) before anything is written: a malformed source aborts the run
with a SourceError and the live generation is untouched. Unchanged units (same content hash) keep their
vectors; only new and changed units are embedded.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from assistant.errors import IndexIncomplete, IndexMissing, SourceError
from assistant.index import generation as gens
from assistant.index.chunk import Chunker, embedding_text
from assistant.index.embed import SentenceTransformerEmbedder
from assistant.index.lexical import TOKENIZER_VERSION, Bm25Index
from assistant.index.store import DENSE_TYPES, ChromaStore, collection_prefix
from assistant.index.units import UnitStore
from assistant.models import Frozen, Unit
from assistant.settings import Settings
from assistant.sources import get_parser
from assistant.sources.base import ParseContext
from assistant.sources.merge import dedupe
from assistant.sources.sync import synced_files

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IngestReport(Frozen):
    generation: str | None = Field(description="The live generation after the run")
    created: bool = Field(description="False when nothing changed and no generation was built")
    units: int
    chunks: int
    embedded: int
    added: int
    changed: int
    removed: int
    seconds: float
    stage_seconds: dict[str, float] = Field(default_factory=dict)


def parse_all(raw_dir: Path, progress: Progress | None = None) -> tuple[list[Unit], list[gens.SourceState]]:
    """Parse every synced source; any SourceError propagates before the index is touched."""
    synced = synced_files(raw_dir)
    if not synced:
        raise SourceError(str(raw_dir), "no synced sources: run `askear corpus sync` first")
    units: list[Unit] = []
    states = []
    for i, (record, files) in enumerate(synced):
        parser = get_parser(record.parser)
        ctx = ParseContext(source_id=record.source_id, kind=record.kind, as_of=record.as_of)  # type: ignore[arg-type]
        count = 0
        for file in files:
            if not file.exists():
                raise SourceError(str(file), "listed in the sync manifest but missing; run `askear corpus sync`")
            for unit in parser(file, ctx):
                units.append(unit)
                count += 1
        states.append(
            gens.SourceState(
                source_id=record.source_id,
                kind=record.kind,
                as_of=record.as_of,
                sha256=tuple(f.sha256 for f in record.files),
                units=count,
            )
        )
        if progress:
            progress("parse", i + 1, len(synced))
    return dedupe(units), states


def open_store(settings: Settings, generation_path: Path, name: str, create: bool = True) -> ChromaStore:
    """The generation's vectors: a folder inside it (embedded) or its own collections on a Chroma server."""
    if settings.chroma_url:
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
        return ChromaStore.http(
            settings.chroma_url, prefix=collection_prefix(name), create=create, token=token,
            tenant=settings.chroma_tenant, database=settings.chroma_database,
        )  # fmt: skip
    return ChromaStore.persistent(generation_path / "chroma", create=create)


def _vectors_present(settings: Settings, name: str) -> bool:
    """Whether the store still holds this generation's collections (a server not wiped, a folder not deleted)."""
    try:
        open_store(settings, settings.index_dir / name, name, create=False).counts()
    except IndexMissing:
        return False
    return True


def ingest(
    settings: Settings,
    embedder: SentenceTransformerEmbedder | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    started = time.perf_counter()
    stage: dict[str, float] = {}
    index_dir = settings.index_dir
    units, states = parse_all(settings.raw_dir, progress)
    stage["parse"] = time.perf_counter() - started

    live = gens.live_name(index_dir)
    old_hashes: dict[str, str] = {}
    if live:
        old_store = UnitStore(index_dir / live / "units.sqlite")
        old_hashes = old_store.hashes()
        old_store.close()
    new_hashes = {u.id: u.content_hash for u in units}
    added = [u for u in units if u.id not in old_hashes]
    changed = [u for u in units if u.id in old_hashes and old_hashes[u.id] != new_hashes[u.id]]
    removed = [uid for uid in old_hashes if uid not in new_hashes]
    embedder_name = settings.embedder
    live_info = gens.read_info(index_dir / live) if live else None
    same_embedder = live_info is not None and live_info.embedder == embedder_name
    same_lexical = live_info is not None and live_info.lexical_version == TOKENIZER_VERSION
    vectors_lost = bool(live and not _vectors_present(settings, live))
    if live and same_embedder and same_lexical and not vectors_lost and not (added or changed or removed):
        info = gens.read_info(index_dir / live)
        return IngestReport(
            generation=live, created=False, units=len(units), chunks=info.chunks, embedded=0,
            added=0, changed=0, removed=0, seconds=time.perf_counter() - started, stage_seconds=stage,
        )  # fmt: skip
    if not same_embedder or vectors_lost:
        # Vectors of another model are not comparable, or the store lost the live ones: rebuild everything.
        live, added, changed, removed = None, units, [], []

    interrupted = [p.name.removesuffix(gens.PARTIAL) for p in index_dir.glob(f"gen-*{gens.PARTIAL}")]
    partial = gens.start(index_dir, index_dir / live if live else None)  # removes interrupted runs' folders
    if settings.chroma_url:
        for stale_name in interrupted:  # and, on a server, their half-written collections
            open_store(settings, index_dir / stale_name, stale_name).drop()
    name = partial.name.removesuffix(gens.PARTIAL)
    unit_store = UnitStore(partial / "units.sqlite")
    store = open_store(settings, partial, name)
    if settings.chroma_url and live:
        # A server store cannot be copied as a folder: copy the live generation's vectors collection-wise.
        _copy_collections(open_store(settings, index_dir / live, live, create=False), store)

    # Drop what changed or vanished, from the unit table and the vector store.
    stale = [u.id for u in changed] + removed
    for uid in stale:
        old = unit_store.get(uid)
        chunk_ids = unit_store.chunk_ids_of(uid)
        if old is not None and old.source_type in DENSE_TYPES and chunk_ids:
            store.delete(chunk_ids, old.source_type)
    unit_store.delete_units(stale)
    unit_store.get.cache_clear()

    fresh = added + changed
    chunker = Chunker(settings.index.chunk_chars, settings.index.chunk_overlap)
    chunks = []
    dense: list[tuple[str, str, str]] = []  # chunk id, source type, text to embed
    for unit in fresh:
        for chunk in chunker.split(unit):
            chunks.append(chunk)
            if unit.source_type in DENSE_TYPES:
                dense.append((chunk.id, unit.source_type, embedding_text(chunk, unit)))
    unit_store.put_units(fresh)
    unit_store.put_chunks(chunks)
    stage["chunk"] = time.perf_counter() - started - sum(stage.values())

    embedder = embedder or SentenceTransformerEmbedder(settings.embedder, settings.index.embed_batch_size)
    done = 0
    step = 2048
    for start in range(0, len(dense), step):
        part = dense[start : start + step]
        vectors = embedder.encode_documents([t for _, _, t in part])
        store.upsert([c for c, _, _ in part], [s for _, s, _ in part], vectors)
        done += len(part)
        if progress:
            progress("embed", done, len(dense))
    stage["embed"] = time.perf_counter() - started - sum(stage.values())

    all_chunks = list(unit_store.iter_chunks())
    bm25 = Bm25Index()
    bm25.build([c.id for c in all_chunks], [c.index_text for c in all_chunks])
    bm25.save(partial / "bm25")
    stage["bm25"] = time.perf_counter() - started - sum(stage.values())

    counts = unit_store.counts()
    dense_total = sum(1 for c in all_chunks if c.source_type in DENSE_TYPES)
    # Nothing goes live with vectors missing (a write the server dropped); this also creates an empty
    # collection for every source type, which readers expect to find.
    stored = sum(store.counts().values())
    if stored != dense_total:
        message = f"the new generation has {stored} vectors for {dense_total} chunks; it was not switched to"
        raise IndexIncomplete(message)
    unit_store.close()
    info = gens.GenerationInfo(
        name=name,
        created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        embedder=embedder_name,
        lexical_version=TOKENIZER_VERSION,
        sources=tuple(states),
        units=counts,
        chunks=len(all_chunks),
        dense_chunks=dense_total,
        added=len(added),
        changed=len(changed),
        removed=len(removed),
        previous=live,
    )
    gens.commit(index_dir, partial, info)
    for doomed in gens.prune(index_dir, settings.index.keep_generations):
        if settings.chroma_url:
            # A server keeps every generation's collections until we drop them.
            open_store(settings, index_dir / doomed, doomed).drop()
    return IngestReport(
        generation=name, created=True, units=len(units), chunks=len(all_chunks), embedded=len(dense),
        added=len(added), changed=len(changed), removed=len(removed),
        seconds=time.perf_counter() - started, stage_seconds=stage,
    )  # fmt: skip


def _copy_collections(source: ChromaStore, target: ChromaStore) -> None:
    for st in DENSE_TYPES:
        collection = source._collection(st)
        total = collection.count()
        for offset in range(0, total, 2000):
            batch = collection.get(include=["embeddings"], limit=2000, offset=offset)
            if batch["ids"]:
                target.upsert(batch["ids"], [st] * len(batch["ids"]), batch["embeddings"])
