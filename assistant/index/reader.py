"""The live index opened for reading: units, chunks, dense store, BM25 and the party-name table."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from assistant.index import generation as gens
from assistant.index.lexical import Bm25Index
from assistant.index.store import ChromaStore
from assistant.index.units import UnitStore
from assistant.models import Chunk
from assistant.names import name_keys, tokens
from assistant.settings import Settings

_BRACKETED = re.compile(r"\(([A-Z][A-Z0-9]{1,9})\)")


@dataclass
class NameTable:
    """Normalised party name or alias → list unit ids; built once from the list units."""

    by_key: dict[str, list[str]] = field(default_factory=dict)
    acronyms: dict[str, list[str]] = field(default_factory=dict)
    single: dict[str, list[str]] = field(default_factory=dict)
    longest: int = 1

    def add(self, unit_id: str, name: str, aliases: tuple[str, ...]) -> None:
        for key in name_keys(name, aliases):
            self.by_key.setdefault(key, []).append(unit_id)
            self.longest = max(self.longest, len(key.split()))
        for alias in (name, *aliases):
            # One-word names ("Huawei") match alone only when published as that one word: "World Co Ltd."
            # stripped of its legal form would otherwise match every "World" in a question.
            words = tokens(alias)
            if len(words) == 1 and len(words[0]) >= 4:
                self.single.setdefault(words[0], []).append(unit_id)
            # "Semiconductor Manufacturing International Corporation (SMIC)": the bracketed short form is an alias.
            for candidate in (alias, *_BRACKETED.findall(alias)):
                stripped = candidate.strip()
                if stripped.isupper() and stripped.isalnum() and 2 <= len(stripped) <= 10:
                    self.acronyms.setdefault(stripped, []).append(unit_id)


@dataclass
class Index:
    path: Path
    info: gens.GenerationInfo
    units: UnitStore
    store: ChromaStore
    bm25: Bm25Index
    chunks: dict[str, Chunk]
    chunks_by_unit: dict[str, list[str]]
    names: NameTable

    @classmethod
    def open(cls, settings: Settings) -> Index:
        from assistant.index.ingest import open_store

        path = gens.live_path(settings.index_dir)
        info = gens.read_info(path)
        units = UnitStore(path / "units.sqlite")
        chunks: dict[str, Chunk] = {}
        by_unit: dict[str, list[str]] = {}
        for chunk in units.iter_chunks():
            chunks[chunk.id] = chunk
            by_unit.setdefault(chunk.unit_id, []).append(chunk.id)
        names = NameTable()
        for unit in units.iter_units("list"):
            if unit.entry is not None:
                names.add(unit.id, unit.entry.name, unit.entry.aliases)
        return cls(
            path=path,
            info=info,
            units=units,
            store=open_store(settings, path, info.name, create=False),
            bm25=Bm25Index.load(path / "bm25"),
            chunks=chunks,
            chunks_by_unit=by_unit,
            names=names,
        )

    def first_chunk(self, unit_id: str) -> Chunk | None:
        ids = self.chunks_by_unit.get(unit_id)
        return self.chunks[ids[0]] if ids else None
