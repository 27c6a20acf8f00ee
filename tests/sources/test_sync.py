"""`askear corpus sync`: a file replaces the previous copy only once it parses; the manifest says what is held."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.errors import SourceError
from assistant.sources.catalog import SourceSpec, load_catalog
from assistant.sources.sync import ECFR_TITLES, MANIFEST, read_manifest, sha256_file, sync, sync_official


def spec(source_id: str) -> SourceSpec:
    return next(s for s in load_catalog() if s.id == source_id)


def local_copy(shared_data: Path, tmp_path: Path, source: SourceSpec) -> tuple[Path, Path]:
    """A data folder laid out like ../shared/data holding only `source`'s file, and that file."""
    assert source.local is not None and source.local.path is not None
    original = next(shared_data.glob(source.local.path))
    copy = tmp_path / "data" / original.relative_to(shared_data)
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(original, copy)
    return tmp_path / "data", copy


def test_sync_records_each_file_hash_as_of_and_units(shared_data: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    outcomes = sync([spec("federal-register"), spec("ecfr-738")], raw, shared_data)
    assert all(o.ok for o in outcomes), outcomes
    manifest = read_manifest(raw)
    fr = manifest["federal-register"]
    assert fr.units == 243 and fr.origin == str(shared_data)
    (held,) = fr.files
    assert held.sha256 == sha256_file(raw / "federal-register" / held.name)
    assert manifest["ecfr-738"].as_of == "2026-09-01"


@pytest.mark.parametrize("damage", ["truncate", "garble"])
def test_a_corrupt_copy_is_refused_and_the_good_one_kept(shared_data: Path, tmp_path: Path, damage: str) -> None:
    raw = tmp_path / "raw"
    source = spec("ecfr-738")
    assert sync([source], raw, shared_data)[0].ok
    before = (raw / MANIFEST).read_bytes()
    good = {p.name: sha256_file(p) for p in (raw / source.id).iterdir()}

    data_dir, copy = local_copy(shared_data, tmp_path, source)
    body = copy.read_bytes()
    copy.write_bytes(body[: len(body) // 3] if damage == "truncate" else b"<html>502 Bad Gateway</html>")
    (outcome,) = sync([source], raw, data_dir)

    assert not outcome.ok and outcome.message.startswith("refused:") and copy.name in outcome.message
    assert {p.name: sha256_file(p) for p in (raw / source.id).iterdir()} == good
    assert (raw / MANIFEST).read_bytes() == before
    assert not list(raw.glob(".*.new"))  # the refused copy was not left behind


class FakeEcfr:
    """The eCFR versioner at the network edge: serves the title list and a part's XML (or a broken one)."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        self.asked: list[str] = []

    def __call__(self, url: str) -> bytes:
        self.asked.append(url)
        if url == ECFR_TITLES:
            return json.dumps({"titles": [{"number": 15, "up_to_date_as_of": "2026-11-20"}]}).encode()
        return self.xml


def test_official_download_is_validated_before_it_replaces_the_copy(shared_data: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    source = spec("ecfr-738")
    xml = next(shared_data.glob(source.local.path)).read_bytes()  # type: ignore[union-attr]
    server = FakeEcfr(xml)
    first = sync_official(source, raw, get=server)
    assert first.ok and first.record is not None and first.record.as_of == "2026-11-20"
    assert server.asked[-1].endswith("/full/2026-11-20/title-15.xml?part=738")
    first_file = raw / source.id / first.record.files[0].name
    assert first_file.read_bytes() == xml

    server.xml = xml[:5000]  # the connection dropped mid-download
    second = sync_official(source, raw, get=server)
    assert not second.ok and "refused" in second.message
    assert first_file.read_bytes() == xml


def test_a_failed_download_names_the_url(tmp_path: Path) -> None:
    def unreachable(url: str) -> bytes:
        raise SourceError(url, "download failed: [Errno -3] Temporary failure in name resolution")

    outcome = sync_official(spec("csl"), tmp_path / "raw", get=unreachable)
    assert not outcome.ok and "data.trade.gov" in outcome.message and "download failed" in outcome.message
    assert not (tmp_path / "raw" / "csl").exists()
