"""Index generations: each ingest builds a complete new generation folder and then switches the
`CURRENT` pointer with one atomic rename, so readers always see a whole index and an interrupted ingest
leaves the previous generation live."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from pathlib import Path

from pydantic import Field

from assistant.errors import IndexMissing
from assistant.models import Frozen

CURRENT = "CURRENT"
PARTIAL = ".partial"


class SourceState(Frozen):
    source_id: str
    kind: str
    as_of: str | None
    sha256: tuple[str, ...]
    units: int


class GenerationInfo(Frozen):
    """manifest.json of one generation."""

    name: str
    created: str
    embedder: str
    lexical_version: int = 1
    sources: tuple[SourceState, ...]
    units: dict[str, int] = Field(description="Units per source type")
    chunks: int
    dense_chunks: int
    added: int = 0
    changed: int = 0
    removed: int = 0
    previous: str | None = None


def new_name() -> str:
    return dt.datetime.now(dt.UTC).strftime("gen-%Y%m%dT%H%M%S-") + uuid.uuid4().hex[:6]


def live_name(index_dir: Path) -> str | None:
    pointer = index_dir / CURRENT
    if not pointer.exists():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return name if name and (index_dir / name / "manifest.json").exists() else None


def live_path(index_dir: Path) -> Path:
    name = live_name(index_dir)
    if name is None:
        raise IndexMissing(f"no index under {index_dir}: run `askear corpus sync` and `askear ingest` first")
    return index_dir / name


def read_info(generation: Path) -> GenerationInfo:
    return GenerationInfo.model_validate_json((generation / "manifest.json").read_text(encoding="utf-8"))


def list_generations(index_dir: Path) -> list[GenerationInfo]:
    if not index_dir.exists():
        return []
    infos = [read_info(p) for p in index_dir.glob("gen-*") if (p / "manifest.json").exists()]
    return sorted(infos, key=lambda i: i.name)


def start(index_dir: Path, copy_from: Path | None) -> Path:
    """A fresh partial generation, seeded with a copy of the live one for incremental updates."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for stale in index_dir.glob(f"gen-*{PARTIAL}"):
        shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted ingest
    path = index_dir / (new_name() + PARTIAL)
    if copy_from is not None:
        shutil.copytree(copy_from, path, ignore=shutil.ignore_patterns("manifest.json", "*-wal", "*-shm"))
    else:
        path.mkdir()
    return path


def commit(index_dir: Path, partial: Path, info: GenerationInfo) -> Path:
    """Seal the partial generation and make it live (rename + atomic pointer swap)."""
    (partial / "manifest.json").write_text(info.model_dump_json(indent=2), encoding="utf-8")
    final = index_dir / info.name
    partial.rename(final)
    switch(index_dir, info.name)
    return final


def switch(index_dir: Path, name: str) -> None:
    if not (index_dir / name / "manifest.json").exists():
        raise IndexMissing(f"generation {name} does not exist or is incomplete")
    tmp = index_dir / f".{CURRENT}.{uuid.uuid4().hex[:6]}"
    tmp.write_text(name + "\n", encoding="utf-8")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(index_dir / CURRENT)


def prune(index_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` complete generations (never the live one)."""
    live = live_name(index_dir)
    gens = [g.name for g in list_generations(index_dir)]
    doomed = [name for name in gens[: max(0, len(gens) - keep)] if name != live]
    for name in doomed:
        shutil.rmtree(index_dir / name, ignore_errors=True)
    return doomed


def restore_previous(index_dir: Path) -> str:
    """Make the generation before the live one live again (`askear index restore`)."""
    live = live_name(index_dir)
    names = [g.name for g in list_generations(index_dir)]
    if live is None or live not in names or names.index(live) == 0:
        raise IndexMissing("no previous generation to restore")
    previous = names[names.index(live) - 1]
    switch(index_dir, previous)
    return previous


def sources_json(info: GenerationInfo) -> str:
    return json.dumps([s.model_dump() for s in info.sources], indent=2)
