"""`askear corpus sync`: bring each source into ASKEAR_HOME/raw, from its official endpoint or a local folder.

Every synced file is parsed before it replaces the previous copy, so a truncated download or a corrupt
file never displaces good data. The manifest records, per source, the files, their SHA-256, the text's
as-of date and where they came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from assistant.errors import SourceError
from assistant.models import Frozen
from assistant.sources import get_parser
from assistant.sources.base import ParseContext
from assistant.sources.catalog import Access, SourceSpec

MANIFEST = "manifest.json"
ECFR_TITLES = "https://www.ecfr.gov/api/versioner/v1/titles.json"


class SyncedFile(Frozen):
    name: str
    sha256: str
    bytes: int


class SyncedSource(Frozen):
    """What the manifest says of one source."""

    source_id: str
    kind: str
    parser: str
    format: str
    as_of: str | None
    origin: str = Field(description="URL or folder it came from")
    synced_at: str
    files: tuple[SyncedFile, ...]
    units: int = 0


class SyncOutcome(Frozen):
    source_id: str
    ok: bool
    message: str
    record: SyncedSource | None = None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(raw_dir: Path) -> dict[str, SyncedSource]:
    path = raw_dir / MANIFEST
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {key: SyncedSource.model_validate(value) for key, value in data.items()}


def _write_manifest(raw_dir: Path, manifest: dict[str, SyncedSource]) -> None:
    tmp = raw_dir / f".{MANIFEST}.tmp"
    tmp.write_text(
        json.dumps({k: v.model_dump() for k, v in sorted(manifest.items())}, indent=2, ensure_ascii=False),
        encoding="utf-8",
    )
    tmp.replace(raw_dir / MANIFEST)


def _validate(files: list[Path], spec: SourceSpec, access: Access, as_of: str | None) -> int:
    """Parse every file fully; a SourceError here keeps the previous copy in place."""
    parser = get_parser(access.parser)
    ctx = ParseContext(source_id=spec.id, kind=spec.kind, as_of=as_of)
    count = 0
    for file in files:
        for _ in parser(file, ctx):
            count += 1
    if count == 0:
        raise SourceError(spec.id, "no units could be read from " + ", ".join(f.name for f in files))
    return count


def _install(raw_dir: Path, spec: SourceSpec, staged: Path) -> None:
    """Swap the validated copy in; the old one is removed only after the new one is in place."""
    target = raw_dir / spec.id
    backup = raw_dir / f".{spec.id}.old"
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        target.rename(backup)
    staged.rename(target)
    if backup.exists():
        shutil.rmtree(backup)


def _record(
    spec: SourceSpec, access: Access, files: list[Path], as_of: str | None, origin: str, units: int
) -> SyncedSource:
    return SyncedSource(
        source_id=spec.id,
        kind=spec.kind,
        parser=access.parser,
        format=access.format,
        as_of=as_of,
        origin=origin,
        synced_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        files=tuple(SyncedFile(name=f.name, sha256=sha256_file(f), bytes=f.stat().st_size) for f in files),
        units=units,
    )


def sync_from_dir(spec: SourceSpec, data_dir: Path, raw_dir: Path) -> SyncOutcome:
    """Copy a source's files from a local data folder laid out like ../shared/data."""
    access = spec.local
    if access is None or access.path is None:
        return SyncOutcome(source_id=spec.id, ok=False, message="no local layout defined; skipped")
    files = sorted(data_dir.glob(access.path))
    if not files:
        return SyncOutcome(source_id=spec.id, ok=False, message=f"{access.path} not found under {data_dir}")
    staged = raw_dir / f".{spec.id}.new"
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(parents=True)
    copies = []
    for file in files:
        shutil.copyfile(file, staged / file.name)
        copies.append(staged / file.name)
    try:
        units = _validate(copies, spec, access, access.as_of)
    except SourceError as exc:
        shutil.rmtree(staged)
        return SyncOutcome(source_id=spec.id, ok=False, message=f"refused: {exc}")
    record = _record(spec, access, copies, access.as_of, str(data_dir), units)
    _install(raw_dir, spec, staged)
    return SyncOutcome(source_id=spec.id, ok=True, message=f"{units} units from {data_dir}", record=record)


def _ecfr_date(get: Callable[[str], bytes]) -> str:
    """The newest date the eCFR versioner serves for title 15 (asking for a later one is an error)."""
    titles = json.loads(get(ECFR_TITLES))
    for title in titles.get("titles", []):
        if title.get("number") == 15:
            return str(title["up_to_date_as_of"])
    raise SourceError("ecfr", "title 15 missing from the eCFR titles endpoint")


def _http_get(url: str) -> bytes:
    import httpx

    try:
        response = httpx.get(url, timeout=120, follow_redirects=True, headers={"User-Agent": "askear corpus sync"})
        response.raise_for_status()
    except httpx.HTTPError as exc:
        raise SourceError(url, f"download failed: {exc}") from exc
    return response.content


def sync_official(
    spec: SourceSpec, raw_dir: Path, get: Callable[[str], bytes] = _http_get, today: str | None = None
) -> SyncOutcome:
    """Download a source from its official endpoint (eCFR versioner, trade.gov CSL, Federal Register API)."""
    access = spec.official
    if access is None or access.url is None:
        return SyncOutcome(source_id=spec.id, ok=False, message="no official endpoint; use --from DIR")
    staged = raw_dir / f".{spec.id}.new"
    if staged.exists():
        shutil.rmtree(staged)
    staged.mkdir(parents=True)
    try:
        as_of = today or dt.date.today().isoformat()
        url = access.url
        if "{date}" in url:
            as_of = _ecfr_date(get)
            url = url.replace("{date}", as_of)
        urls = [url.replace("{part}", str(p)) for p in access.parts] if access.parts else [url]
        files = []
        for i, one in enumerate(urls):
            suffix = ".xml" if "xml" in access.format else ".json"
            target = staged / f"{spec.id}-{access.parts[i] if access.parts else 'all'}{suffix}"
            target.write_bytes(get(one))
            files.append(target)
        units = _validate(files, spec, access, as_of)
    except SourceError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        return SyncOutcome(source_id=spec.id, ok=False, message=f"refused: {exc}")
    record = _record(spec, access, files, as_of, access.url, units)
    _install(raw_dir, spec, staged)
    return SyncOutcome(source_id=spec.id, ok=True, message=f"{units} units from {access.url}", record=record)


def sync(
    specs: list[SourceSpec],
    raw_dir: Path,
    from_dir: Path | None = None,
    progress: Callable[[SyncOutcome], None] | None = None,
) -> list[SyncOutcome]:
    """Sync every source; failures are reported per source and leave that source's previous copy."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(raw_dir)
    outcomes = []
    for spec in specs:
        outcome = sync_from_dir(spec, from_dir, raw_dir) if from_dir else sync_official(spec, raw_dir)
        if outcome.ok and outcome.record:
            manifest[spec.id] = outcome.record
            _write_manifest(raw_dir, manifest)
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return outcomes


def synced_files(raw_dir: Path) -> list[tuple[SyncedSource, list[Path]]]:
    """The files ingest should read, per source, as recorded in the manifest."""
    out = []
    for record in read_manifest(raw_dir).values():
        files = [raw_dir / record.source_id / f.name for f in record.files]
        out.append((record, files))
    return out
