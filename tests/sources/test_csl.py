"""The Consolidated Screening List parser: the real 2026-07-31 JSONL and the official trade.gov JSON layout."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import pytest

from assistant.errors import SourceError
from assistant.models import Unit
from assistant.sources.base import ParseContext
from assistant.sources.csl import parse
from tests.sources.helpers import assert_source_error, parse_file

CSL = "entities/csl_2026-07-31.jsonl"
CTX = ParseContext(source_id="csl", kind="list", as_of="2026-07-31")


@pytest.fixture(scope="module")
def csl_path(shared_data: Path) -> Path:
    path = shared_data / CSL
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


@pytest.fixture(scope="module")
def units(csl_path: Path) -> list[Unit]:
    start = time.perf_counter()
    out = list(parse(csl_path, CTX))
    elapsed = time.perf_counter() - start
    print(f"CSL: {len(out)} units in {elapsed:.2f}s")
    assert elapsed < 5
    return out


def test_every_record_is_read_and_same_names_merge(csl_path: Path, units: list[Unit]) -> None:
    records = [json.loads(line) for line in csl_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(records) == 25921
    keys = Counter((r["source_code"], " ".join(r["name"].split())) for r in records)
    shared = [k for k, n in keys.items() if n > 1]
    duplicates = sum(keys[k] - 1 for k in shared)
    print(f"{len(shared)} (list, name) keys are shared by {duplicates + len(shared)} records")
    assert len(shared) == 172
    assert len(units) == 25921 - duplicates == len(keys)
    assert len({u.id for u in units}) == len(units)
    by_code = Counter(u.entry.list_code for u in units if u.entry)
    assert by_code["EL"] == 3420 - 91 and by_code["SDN"] > 19000


def test_entity_list_record(units: list[Unit]) -> None:
    unit = next(u for u in units if u.id == "list:EL:Yangtze Memory Technologies Co., Ltd.")
    entry = unit.entry
    assert entry is not None
    assert (unit.source_type, unit.source_id, unit.date) == ("list", "csl", "2026-07-31")
    assert unit.url == "https://www.bis.gov/regulations/ear/744#supplement-4-744"
    assert entry.list_code == "EL" and entry.list_name == "Entity List (EL) - Bureau of Industry and Security"
    assert "YMTC" in entry.aliases and entry.countries == ("CN",)
    assert entry.license_requirement and "744.11" in entry.license_requirement
    assert entry.license_policy == "Presumption for denial"
    assert entry.federal_register == "87 FR 77508"
    lines = unit.text.split("\n")
    assert lines[0] == (
        "Yangtze Memory Technologies Co., Ltd. is listed on the Entity List (EL) - Bureau of Industry and Security."
    )
    assert "Countries: CN" in lines and "Federal Register notice: 87 FR 77508" in lines


def test_records_of_one_name_merge(units: list[Unit]) -> None:
    unit = next(u for u in units if u.id == "list:DPL:SEMICONDUCTOR SYSTEMS INTL., INC. (SSI)")
    assert unit.entry is not None and set(unit.entry.countries) == {"DK", "US"}
    assert unit.text.count("is listed on the Denied Persons List (DPL)") == 2
    sdn = next(u for u in units if u.entry and u.entry.list_code == "SDN" and u.entry.programs)
    assert sdn.entry is not None and f"Programs: {sdn.entry.programs}" in sdn.text


OFFICIAL = {
    "total": 2,
    "sources_used": [{"source": "Entity List (EL) - Bureau of Industry and Security"}],
    "results": [
        {
            "name": "Acme Photonics Co., Ltd.",
            "alt_names": ["Acme", "Acme Photonics"],
            "source": "Entity List (EL) - Bureau of Industry and Security",
            "type": None,
            "addresses": [
                {
                    "address": "1 Light Road",
                    "city": "Wuhan",
                    "state": "Hubei",
                    "postal_code": "430000",
                    "country": "CN",
                },
                {"address": "2 Harbour St", "city": "Hong Kong", "state": None, "postal_code": None, "country": "HK"},
            ],
            "federal_register_notice": "89 FR 12345",
            "license_requirement": "For all items subject to the EAR.",
            "license_policy": "Presumption of denial.",
            "programs": [],
            "start_date": "2024-02-01",
            "remarks": None,
            "source_list_url": "https://www.bis.gov/regulations/ear/744#supplement-4-744",
        },
        {
            "name": "JOHN EXAMPLE",
            "alt_names": None,
            "source": "Specially Designated Nationals (SDN) - Treasury Department",
            "type": "Individual",
            "addresses": [{"address": None, "city": "Tehran", "state": None, "postal_code": None, "country": "IR"}],
            "programs": ["IRAN", "NPWMD"],
            "source_list_url": "https://sanctionslist.ofac.treas.gov/Home/SdnList",
        },
    ],
}


def test_official_trade_gov_layout(tmp_path: Path) -> None:
    acme, john = parse_file(parse, tmp_path / "consolidated.json", json.dumps(OFFICIAL, indent=2), CTX)
    assert acme.id == "list:EL:Acme Photonics Co., Ltd." and john.id == "list:SDN:JOHN EXAMPLE"
    assert acme.entry is not None and john.entry is not None
    assert acme.entry.countries == ("CN", "HK")
    assert acme.entry.addresses == ("1 Light Road, Wuhan, Hubei, 430000, CN", "2 Harbour St, Hong Kong, HK")
    assert acme.entry.aliases == ("Acme", "Acme Photonics")
    assert acme.entry.license_policy == "Presumption of denial." and acme.entry.federal_register == "89 FR 12345"
    assert acme.url == "https://www.bis.gov/regulations/ear/744#supplement-4-744"
    assert "Start date: 2024-02-01" in acme.text.split("\n")
    assert john.entry.programs == "IRAN; NPWMD" and john.entry.entity_type == "Individual"
    assert "Programs: IRAN; NPWMD" in john.text and john.entry.license_policy is None


def test_malformed_line_names_the_line(tmp_path: Path) -> None:
    good = {"source_code": "EL", "source": "Entity List (EL)", "name": "Good Co."}
    path = tmp_path / "csl.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"source_code": "EL", "name": "Bro\n' + json.dumps(good) + "\n")
    units = parse(path, CTX)
    with pytest.raises(SourceError, match=r"line 2: invalid JSON"):
        next(units)  # nothing is yielded before the whole file has been checked


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"source_code": "EL", "name": "A"}\n{"source_code": "EL", "name": "  "}\n', "line 2: record has no name"),
        ("\n", "no records"),
        (json.dumps(OFFICIAL)[:300], "invalid JSON"),
    ],
)
def test_missing_name_and_empty_or_truncated_files(tmp_path: Path, content: str, message: str) -> None:
    assert_source_error(parse, tmp_path / "csl.jsonl", content, CTX, message)


def test_missing_file_raises_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not found"):
        list(parse(tmp_path / "absent.jsonl", CTX))
