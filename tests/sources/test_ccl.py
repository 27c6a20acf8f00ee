"""The CCL parser against the real eCFR XML of Part 774 (Supp. No. 1) and the independent 2026-07-23 JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from assistant.models import Unit
from assistant.sources.base import ParseContext, element_text
from assistant.sources.ccl import normalize_ccl, parse_ccl

XML = "ear/ecfr-xml/title-15_part-774_2026-09-01.xml"
JSON = "ear/derived-json-2026-07-23/ccl.json"
_RESERVED_ITEM = re.compile(
    r"^[a-z]\.(?:\s*(?:through|to|-)\s*\.?[a-z]\.?)?\s*\[?\s*reserved\s*\]?\s*\.?$", re.IGNORECASE
)
_INLINE_LABEL = re.compile(r"^(?:Items?:?|List of Items Controlled)\s+(?=[a-z]\.\s)")


@pytest.fixture(scope="module")
def div9(shared_data: Path) -> etree._Element:
    path = shared_data / XML
    if not path.is_file():
        pytest.skip(f"{path} not found")
    root = etree.parse(str(path)).getroot()
    found = root.xpath('//DIV9[@N="Supplement No. 1 to Part 774"]')
    assert len(found) == 1
    return found[0]


@pytest.fixture(scope="module")
def units(div9: etree._Element) -> list[Unit]:
    ctx = ParseContext(source_id="ecfr-774", kind="regulation", as_of="2026-09-01")
    return list(parse_ccl(div9, ctx))


@pytest.fixture(scope="module")
def by_id(units: list[Unit]) -> dict[str, Unit]:
    return {u.id: u for u in units}


def _entries(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.id.startswith("ECCN ") and "." not in u.id]


def test_entry_count_and_headings(div9: etree._Element, units: list[Unit]) -> None:
    # SOURCES.md counts 637 `<FP-2><B>` headings; 8D001's heading is printed as `<FP-1><B>8D001 …` in the
    # source, so the CCL has 638 entries.
    fp2 = {element_text(b).split()[0] for b in div9.xpath("./FP-2/B[1]") if re.match(r"\d[A-E]\d{3}", b.text or "")}
    assert len(fp2) == 637
    codes = {u.id.removeprefix("ECCN ") for u in _entries(units)}
    assert codes == fp2 | {"8D001"}
    assert len(codes) == 638
    assert "ECCN EAR99" not in {u.id for u in units}


def test_3a090(by_id: dict[str, Unit]) -> None:
    entry = by_id["ECCN 3A090"]
    assert entry.title == "ECCN 3A090 — Integrated circuits as follows (see List of Items Controlled)."
    assert entry.heading_path[:3] == (
        "Supplement No. 1 to Part 774 — The Commerce Control List",
        "Category 3 — Electronics",
        "3A — “End Items,” “Equipment,” “Accessories,” “Attachments,” “Parts,” “Components,” and “Systems”",
    )
    assert entry.heading_path[-1] == entry.title
    assert "Reason for Control: RS, AT" in entry.text
    assert "742.6(a)(6)(iii)(A)" in entry.text
    assert (
        "RS applies to 3A090.a: To or within any destination worldwide, see § 742.6(a)(6)(iii)(A) of the EAR."
        in entry.text
    )
    assert "NAC/ACA: Yes, for 3A090.a" in entry.text
    assert "Related Controls:" in entry.text
    assert "Integrated circuits having one or more" not in entry.text  # item text lives in the item units
    item = by_id["ECCN 3A090.a"]
    assert item.parent == "ECCN 3A090"
    assert item.title == "ECCN 3A090.a"
    assert item.text.startswith("a. Integrated circuits")
    assert "4800" in item.text and "a.2. A 'total processing performance'" in item.text
    assert "Note 1 to 3A090.a:" in item.text
    assert by_id["ECCN 3A090.c"].text.startswith("a. ") is False
    assert "High bandwidth memory" in by_id["ECCN 3A090.c"].text
    assert entry.url == item.url and entry.url.startswith("https://www.ecfr.gov/")
    assert entry.date == "2026-09-01" and entry.source_type == "regulation" and entry.source_id == "ecfr-774"


def test_odd_entries(by_id: dict[str, Unit]) -> None:
    assert "ECCN 5A002.a" in by_id
    assert by_id["ECCN 5A002"].heading_path[2] == "Part 2 — “Information Security”"
    # "Items: a. …" on one line (0A604), "Items a. …" without colon (9D604), "List of Items Controlled a. …" (9C610)
    assert by_id["ECCN 0A604.a"].text.startswith("a. Demolition blocks")
    assert by_id["ECCN 9D604.a"].text.startswith("a. “Software”")
    assert by_id["ECCN 9C610.a"].text.startswith("a. Materials")
    # 5A001 has no "Items:" label at all
    assert by_id["ECCN 5A001.a"].text.startswith("a. Any type of telecommunications equipment")
    # 1C230's lettered exclusions are not items
    assert not any(i.startswith("ECCN 1C230.") for i in by_id)
    # 6D003's sub-headings go with the item they precede
    assert by_id["ECCN 6D003.c"].text.startswith("Cameras\n\nc. ")
    assert "ECCN 8D001" in by_id
    # exponents, not footnote marks
    assert "10^26 or more 'operations.'" in by_id["ECCN 4E091"].text
    assert "(footnote" not in "".join(u.text for u in by_id.values() if u.id.startswith("ECCN 1C2"))
    assert "ECCN 0A521" in by_id and "RS1 controls" in by_id["ECCN 0A521"].text
    # "f. through w. [Reserved]" alone is not a unit
    assert "ECCN 0A501.f" not in by_id and "ECCN 0A501.x" in by_id


def test_supplement_unit(by_id: dict[str, Unit]) -> None:
    supp = by_id["15 CFR 774 Supp. 1"]
    assert supp.title == "Supplement No. 1 to Part 774 — The Commerce Control List"
    assert "Category 3—Electronics" in supp.text
    assert "EAR99" in supp.text and "Annex to Category 1" in supp.text
    assert "Reason for Control" not in supp.text  # no entry bodies
    assert len(supp.text) < 60_000


def test_ids_unique_and_parents_resolve(units: list[Unit]) -> None:
    ids = [u.id for u in units]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for u in units:
        assert u.text.strip(), u.id
        if u.parent is not None:
            assert u.parent in known, u.id
            assert u.id.startswith(u.parent + ".")


def test_item_letters_increase(units: list[Unit]) -> None:
    last: dict[str, str] = {}
    for u in units:
        if u.parent:
            letter = u.id.rsplit(".", 1)[1]
            assert letter > last.get(u.parent, ""), u.id
            last[u.parent] = letter


def test_no_text_lost(div9: etree._Element, units: list[Unit]) -> None:
    lines = {line for u in units for line in u.text.split("\n")}
    missing: list[str] = []
    div9 = normalize_ccl(div9)  # the text as the parser reads it (exponents as `^n`)
    for el in div9.iter("P", "FP", "FP-1", "FP-2", "HD1", "HD2", "HD3", "HED", "PSPACE", "CITA", "XREF"):
        if el.getparent() is not None and el.getparent().tag == "CAPTION":
            continue  # table captions are checked with the cells
        text = element_text(el)
        text = _INLINE_LABEL.sub("", text)
        if not text or _RESERVED_ITEM.match(text):
            continue
        missing.extend(line for line in text.split("\n") if line not in lines)
    assert not missing, missing[:5]
    joined = "\n".join(u.text for u in units)
    cells = {" ".join(element_text(c).split()) for c in div9.iter("TD", "TH", "CAPTION")} - {""}
    assert not [c for c in cells if c not in joined]


def test_cross_check_json(shared_data: Path, by_id: dict[str, Unit]) -> None:
    path = shared_data / JSON
    if not path.is_file():
        pytest.skip(f"{path} not found")
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    present = [e for e in entries if f"ECCN {e['eccn']}" in by_id]
    assert len(present) >= 630

    def squash(text: str) -> str:  # the JSON writes sub- and superscripts as "10 26", "Ga 2 O 3"
        return re.sub(r"[\s^]", "", text).rstrip(".")

    same = [e for e in present if squash(by_id[f"ECCN {e['eccn']}"].title.split(" — ", 1)[1]) == squash(e["heading"])]
    assert len(same) >= 0.98 * len(present)
    reasons = [e for e in present if e.get("reasonForControl")]
    agree = [e for e in reasons if f"Reason for Control: {e['reasonForControl']}" in by_id[f"ECCN {e['eccn']}"].text]
    assert len(agree) >= 0.95 * len(reasons)
