"""The eCFR XML parser on the real files of the data folder (ear/ecfr-xml)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from assistant.errors import SourceError
from assistant.models import Unit
from assistant.sources.base import ParseContext, element_text
from assistant.sources.ecfr import parse
from tests.sources.helpers import assert_source_error

FILES = {
    "734": "title-15_part-734_2026-09-01.xml",
    "738": "title-15_part-738_2026-09-01.xml",
    "740": "title-15_part-740_2026-09-01.xml",
    "742": "title-15_part-742_2026-09-01.xml",
    "744": "title-15_part-744.xml",
    "772.1": "title-15_section-772.1_2026-09-01.xml",
}
CTX = ParseContext(source_id="ecfr-744", kind="regulation", as_of="2026-07-22")
# Supplements whose table rows another parser turns into units (the ids stay theirs to test).
DELEGATED = {"Supplement No. 4 to Part 744", "Supplement No. 6 to Part 744", "Supplement No. 7 to Part 744"}

_cache: dict[str, list[Unit]] = {}


def _path(shared_data: Path, key: str) -> Path:
    return shared_data / "ear" / "ecfr-xml" / FILES[key]


def _units(shared_data: Path, key: str) -> list[Unit]:
    if key not in _cache:
        _cache[key] = list(parse(_path(shared_data, key), CTX))
    return _cache[key]


def _regulation(shared_data: Path, key: str) -> dict[str, Unit]:
    """This parser's own units (not the list rows or CCL entries it hands on)."""
    return {u.id: u for u in _units(shared_data, key) if u.id.startswith("15 CFR ")}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_part_744_sections(shared_data: Path) -> None:
    units = _regulation(shared_data, "744")
    sections = [uid for uid in units if "." in uid and "(" not in uid and "Supp." not in uid]
    expected = [f"15 CFR 744.{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 15, 16, 17, 19, 21, 22, 23)]
    # §§ 744.10, 744.12-744.14, 744.18 and 744.20 are "[Reserved]" with no text.
    assert sections == expected
    # The part's Authority and Source notes make the part unit.
    part = units["15 CFR 744"]
    assert part.title == "PART 744—CONTROL POLICY: END-USER AND END-USE BASED"
    assert part.text.startswith("Authority: 50 U.S.C. 4801-4852;")
    assert "Source: 61 FR 12802, Mar. 25, 1996, unless otherwise noted." in part.text
    section = units["15 CFR 744.11"]
    assert section.title.startswith("§ 744.11 License requirements that apply to entities acting")
    assert section.heading_path == ("PART 744—CONTROL POLICY: END-USER AND END-USE BASED", section.title)
    assert section.text.startswith("BIS may impose foreign policy export, re-export, and transfer")
    assert "(a) License requirement" not in section.text
    # The source citation and Effective Date Note say when the rule changed.
    assert "[87 FR 61973, Oct. 13, 2022, as amended at" in section.text
    stayed = "Effective Date Note: At 90 FR 50857, Nov. 12, 2025, in § 744.11, paragraph (a)(1) was stayed"
    assert stayed in section.text
    assert section.parent is None


def test_part_744_paragraphs(shared_data: Path) -> None:
    units = _regulation(shared_data, "744")
    b = units["15 CFR 744.11(b)"]
    assert b.title == "§ 744.11(b) Criteria for revising the Entity List."
    assert b.text.startswith("(b) Criteria for revising the Entity List. Entities for which there is reasonable cause")
    assert "(1) Supporting persons engaged in acts of terror." not in b.text  # children are their own units
    assert b.heading_path[-1] == "(b) Criteria for revising the Entity List."
    assert b.parent == "15 CFR 744.11"
    b1 = units["15 CFR 744.11(b)(1)"]
    assert b1.text == "(1) Supporting persons engaged in acts of terror."
    assert b1.parent == "15 CFR 744.11(b)"
    assert b1.heading_path[2:] == ("(b) Criteria for revising the Entity List.", "(1)")

    a1 = units["15 CFR 744.21(a)(1)"]
    assert a1.text.startswith("(1) Any item subject to the EAR listed in supplement no. 2 to this part without")
    # A note after a paragraph belongs to that paragraph.
    assert "Note 1 to paragraphs (a)(1) and (2): An entity anywhere in the world" in units["15 CFR 744.21(a)(2)"].text

    # Level 3 and 4, and the italic level 5 of eCFR ("(<I>1</I>)").
    assert units["15 CFR 744.21(b)(1)(i)"].title == "§ 744.21(b)(1)(i) End-User Review Committee (ERC)."
    assert units["15 CFR 744.23(a)(4)(ii)(B)"].text.startswith("(B) The “development” or “production” is by an entity")
    deep = units["15 CFR 744.11(a)(2)(v)(A)(1)"]
    assert deep.text.startswith("(1) Exports from abroad or reexports from all countries. A license is required")
    assert deep.parent == "15 CFR 744.11(a)(2)(v)(A)"
    assert units["15 CFR 744.11(a)(2)(v)(A)(3)(ii)"].parent == "15 CFR 744.11(a)(2)(v)(A)(3)"
    assert units["15 CFR 744.11(a)(2)(v)(B)"].text.startswith("(B) License review policy.")


def test_designators_run_together_in_one_p_become_separate_units(shared_data: Path) -> None:
    units = _regulation(shared_data, "744")
    # "(e) <I>License review standards.</I> (1) Applications …" in one <P>.
    assert units["15 CFR 744.21(e)"].text == "(e) License review standards."
    assert units["15 CFR 744.21(e)(1)"].text.startswith("(1) Applications to export, reexport, or transfer")
    assert units["15 CFR 744.21(e)(1)"].parent == "15 CFR 744.21(e)"
    # "(2) <I>Entity List FDP …</I>—(i) <I>Footnote 1 entities.</I> You may not …"
    assert units["15 CFR 744.11(a)(2)(i)"].title == "§ 744.11(a)(2)(i) Footnote 1 entities."
    assert units["15 CFR 744.11(a)(2)(i)"].text.startswith("(i) Footnote 1 entities. You may not, without a license")
    # "(1) <I>Supercomputers</I>—(i) <I>Item scope.</I> (A) An integrated circuit …": three in one <P>.
    assert units["15 CFR 744.23(a)(1)(i)(A)"].text.startswith("(A) An integrated circuit (IC) subject to the EAR")
    # A (i)…(xi) run under a digit stays roman, (x) included.
    assert units["15 CFR 744.22(f)(2)(x)"].text.startswith("(x) Belarus.")
    assert units["15 CFR 744.22(f)(2)(xi)"].parent == "15 CFR 744.22(f)(2)"


def test_level_4_and_5_in_part_734(shared_data: Path) -> None:
    units = _regulation(shared_data, "734")
    assert "15 CFR 734.9(e)(2)(i)(A)" in units
    assert any(re.fullmatch(r"15 CFR 734\.9\(\w+\)\(\d+\)\(\w+\)\([A-Z]\)\(\d+\)", uid) for uid in units)
    assert units["15 CFR 734.9(i)"].text.startswith("(i) “Supercomputer” FDP rule.")  # the letter (i), not roman


@pytest.mark.parametrize("key", sorted(FILES))
def test_ids_are_unique_and_units_complete(shared_data: Path, key: str) -> None:
    units = _units(shared_data, key)
    duplicates = [uid for uid, n in Counter(u.id for u in units).items() if n > 1]
    assert duplicates == []
    for unit in _regulation(shared_data, key).values():
        assert unit.source_type == "regulation"
        assert unit.source_id == "ecfr-744"
        assert unit.date == "2026-07-22"
        assert unit.url and unit.url.startswith("https://www.ecfr.gov/current/title-15/")
        assert unit.text.strip()
        assert unit.title
        if "(" in unit.id:
            assert unit.parent is not None
            assert unit.url.endswith("#p-" + unit.id.removeprefix("15 CFR "))


@pytest.mark.parametrize("key", sorted(FILES))
def test_no_text_is_lost(shared_data: Path, key: str) -> None:
    """Every non-empty paragraph of the file shows up in the units (white space aside: tables and
    captions are re-flowed, and a <P> that opens two paragraphs is split between two units)."""
    root = etree.parse(str(_path(shared_data, key))).getroot()
    corpus = _squash("".join(u.text for u in _units(shared_data, key)))
    missing = []
    for p in root.iter("P", "FP", "FP-1", "FP-2", "PSPACE", "CITA", "HD1", "LI"):
        supplement = next(p.iterancestors("DIV9"), None)
        in_table = next(p.iterancestors("TABLE"), None) is not None
        if supplement is not None and supplement.get("N") in DELEGATED and in_table:
            continue  # a list row: the list parser's to keep
        text = element_text(p)
        if text and _squash(text) not in corpus:
            missing.append(f"line {p.sourceline}: {text[:80]}")
    assert missing == []


def test_section_without_designated_paragraphs_is_one_unit(shared_data: Path) -> None:
    units = _units(shared_data, "772.1")
    assert [u.id for u in units] == ["15 CFR 772.1"]
    unit = units[0]
    assert unit.title == "§ 772.1 Definitions of terms as used in the Export Administration Regulations (EAR)."
    assert unit.url == "https://www.ecfr.gov/current/title-15/section-772.1"
    assert "\n\nSpecially designed. When applying this definition, follow this sequential analysis" in unit.text
    assert "\n\n(a) Except for items described in (b), an “item” is “specially designed” if it:" in unit.text
    assert unit.text.rstrip().endswith("at www.govinfo.gov.")
    assert "[61 FR 12925, Mar. 25, 1996]" in unit.text


def test_country_chart_rows_name_their_columns(shared_data: Path) -> None:
    chart = _regulation(shared_data, "738")["15 CFR 738 Supp. 1"]
    assert chart.title == "Supplement No. 1 to Part 738—Commerce Country Chart"
    assert chart.url == "https://www.ecfr.gov/current/title-15/part-738/appendix-Supplement%20No.%201%20to%20Part%20738"
    lines = chart.text.split("\n")
    china = next(line for line in lines if line.startswith("China — "))
    assert china.startswith("China — CB 1: X; CB 2: X; CB 3: X; NP 1: X; NP 2: X; NS 1: X")
    assert "AT 1" not in china
    assert "Afghanistan — CB 1: X; CB 2: X; CB 3: X; NP 1: X; NS 1: X" in lines[1]
    cuba = next(line for line in lines if line.startswith("Cuba"))
    assert cuba == (
        "Cuba — See part 746 of the EAR to determine whether a license is required in order to export or"
        " reexport to this destination."
    )
    assert any(line.startswith("Albania (footnote 2) (footnote 3) — CB 1: X") for line in lines)
    assert "(footnote 5) Refer to Switzerland for licensing requirements for Liechtenstein under the EAR." in lines
    # 200 destination rows.
    assert sum(" — " in line for line in lines) == 200


def test_country_group_d5_members(shared_data: Path) -> None:
    groups = _regulation(shared_data, "740")["15 CFR 740 Supp. 1"]
    lines = groups.text.split("\n")
    table_d = lines[lines.index("Country Group D") : lines.index("Country Group E (footnote 1)")]
    d5 = {line.split(" — ")[0] for line in table_d if "[D: 5] U.S. Arms Embargoed Countries (footnote 1): X" in line}
    assert {"China (PRC)", "Russia", "Iran", "Venezuela", "Korea, North", "Belarus"} <= d5
    reference = shared_data / "ear" / "derived-json-2026-07-23" / "country-groups.json"
    if reference.is_file():  # an independent extraction of the same table
        assert d5 == set(json.loads(reference.read_text(encoding="utf-8"))["groups"]["D:5"])
    assert "Country Group B—Countries\n\nAfghanistan\nAlbania\n" in groups.text


def test_list_supplements_keep_only_their_prose(shared_data: Path) -> None:
    units = _regulation(shared_data, "744")
    entity_list = units["15 CFR 744 Supp. 4"]
    assert entity_list.text.startswith("This supplement lists certain entities or addresses")
    assert "Abdul Satar Ghoura" not in entity_list.text  # the rows are list units
    footnote = "(footnote 4) For this entity, “items subject to the EAR” includes foreign-produced items"
    assert footnote in entity_list.text
    assert "Effective Date Note: At 90 FR 50857" in entity_list.text
    assert "15 CFR 744 Supp. 6" in units and "15 CFR 744 Supp. 7" in units
    assert "15 CFR 744 Supp. 8" in units


def test_truncated_file_raises_source_error(shared_data: Path, tmp_path: Path) -> None:
    data = _path(shared_data, "744").read_bytes()
    broken = tmp_path / "title-15_part-744.xml"
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(SourceError) as info:
        list(parse(broken, CTX))
    assert str(broken) in str(info.value)
    assert "line" in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b'<?xml version="1.0"?>\n<DIV5 N="744"><DIV8 N="744.1"><HEAD>x</HEAD>', "line"),
        (b'<?xml version="1.0"?>\n<html><body/></html>', "root element is <html>"),
    ],
)
def test_bad_files_raise_source_error(tmp_path: Path, content: bytes, message: str) -> None:
    assert_source_error(parse, tmp_path / "bad.xml", content, CTX, message)


def test_duplicate_designation_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "dup.xml"
    path.write_text(
        """<?xml version="1.0"?>
<DIV5 N="999" TYPE="PART"><HEAD>PART 999&#x2014;TEST</HEAD>
<DIV8 N="999.1" TYPE="SECTION"><HEAD>&#xA7; 999.1 Test.</HEAD>
<P>Intro &amp; more.</P>
<P>(a) <I>First.</I> Alpha.</P>
<P>(1) One.</P>
<P>(1) One again.</P>
<P>(b) Beta<SU>2</SU>.</P>
<NOTE><HED>Note to paragraph (b):</HED><P>(1) Not a paragraph.</P></NOTE>
<CITA>[1 FR 1, Jan. 1, 1990]</CITA>
</DIV8>
<DIV8 N="999.2" TYPE="SECTION"><HEAD>&#xA7; 999.2 [Reserved]</HEAD></DIV8>
</DIV5>""",
        encoding="utf-8",
    )
    units = {u.id: u for u in parse(path, CTX)}
    assert list(units) == ["15 CFR 999.1", "15 CFR 999.1(a)", "15 CFR 999.1(a)(1)", "15 CFR 999.1(b)"]
    assert units["15 CFR 999.1"].text == "Intro & more.\n\n[1 FR 1, Jan. 1, 1990]"
    assert units["15 CFR 999.1(a)(1)"].text == "(1) One.\n\n(1) One again."
    assert units["15 CFR 999.1(b)"].text == "(b) Beta (footnote 2).\n\nNote to paragraph (b): (1) Not a paragraph."
    assert units["15 CFR 999.1(b)"].title == "§ 999.1(b)"
    assert units["15 CFR 999.1(a)"].heading_path == ("PART 999—TEST", "§ 999.1 Test.", "(a) First.")
