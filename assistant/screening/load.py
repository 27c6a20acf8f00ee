"""Where a screener gets its list units: the live index, or the source files parsed directly.

The index is what `Assistant.screen` uses. Parsing the files (the CSL and Part 744, merged the way ingest
merges them) serves the evaluation scripts and tests, which need the lists but not the whole index.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import SourceError
from assistant.models import Unit
from assistant.settings import Settings

LIST_SOURCES = ("csl", "ecfr-744")  # the CSL and the Part 744 supplements (Entity, Unverified, MEU lists)


def units_from_index(settings: Settings) -> list[Unit]:
    """The list units of the live index generation under ASKEAR_HOME."""
    from assistant.index import generation as gens
    from assistant.index.units import UnitStore

    store = UnitStore(gens.live_path(settings.index_dir) / "units.sqlite")
    try:
        return list(store.iter_units("list"))
    finally:
        store.close()


def units_from_files(data_dir: Path, corpus_file: Path | None = None) -> list[Unit]:
    """The list units of a data folder laid out like ../shared/data, merged as ingest merges them."""
    from assistant.sources import get_parser
    from assistant.sources.base import ParseContext
    from assistant.sources.catalog import load_catalog
    from assistant.sources.merge import dedupe

    units: list[Unit] = []
    for spec in load_catalog(corpus_file):
        if spec.id not in LIST_SOURCES or spec.local is None or spec.local.path is None:
            continue
        paths = sorted(data_dir.glob(spec.local.path))
        if not paths:
            raise SourceError(str(data_dir / spec.local.path), "file not found")
        ctx = ParseContext(source_id=spec.id, kind=spec.kind, as_of=spec.local.as_of)
        parse = get_parser(spec.local.parser)
        for path in paths:
            units.extend(parse(path, ctx))
    return [u for u in dedupe(units) if u.source_type == "list" and u.entry is not None]
