"""The eCFR Markdown parser on the real Chapter VII file (ear/ecfr-markdown-2025-01) and made-up files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.models import Unit
from assistant.sources.base import ParseContext, clean
from assistant.sources.designators import split_leading
from assistant.sources.ecfr_markdown import parse
from tests.sources.helpers import assert_source_error, parse_file

CTX = ParseContext(source_id="ecfr-745-772", kind="regulation", as_of="2025-01-22")

_cache: dict[str, list[Unit]] = {}


def _path(shared_data: Path) -> Path:
    return shared_data / "ear" / "ecfr-markdown-2025-01" / "chapter-VII.md"


def _list(shared_data: Path) -> list[Unit]:
    if "md" not in _cache:
        _cache["md"] = list(parse(_path(shared_data), CTX))
    return _cache["md"]


def _units(shared_data: Path) -> dict[str, Unit]:
    return {u.id: u for u in _list(shared_data)}


def _part(uid: str) -> int:
    return int(re.match(r"15 CFR (\d+)", uid).group(1))  # type: ignore[union-attr]


def test_only_ear_parts_745_to_772(shared_data: Path) -> None:
    units = _list(shared_data)
    parts = {_part(u.id) for u in units}
    assert parts == {745, 746, 748, 750, 754, 756, 758, 760, 762, 764, 766, 768, 770, 772}
    ids = {u.id for u in units}
    assert not any(uid.startswith("15 CFR 774") for uid in ids)  # the CCL part comes from official XML
    assert not any(_part(uid) >= 775 for uid in ids)  # Parts 781-791 are not the EAR
    assert not any(uid.startswith("15 CFR 772.1") for uid in ids)  # § 772.1 comes from official XML
    # Empty bodies in this conversion are skipped rather than emitted blank.
    for empty in ("15 CFR 746.5", "15 CFR 750.5", "15 CFR 754.2", "15 CFR 746.10"):
        assert empty not in ids


def test_ids_unique_and_units_complete(shared_data: Path) -> None:
    units = _list(shared_data)
    assert [uid for uid, n in Counter(u.id for u in units).items() if n > 1] == []
    ids = {u.id for u in units}
    assert sum(1 for uid in ids if "." in uid and "(" not in uid) == 114  # sections
    for unit in units:
        assert unit.source_type == "regulation"
        assert unit.source_id == "ecfr-745-772"
        assert unit.date == "2025-01-22"
        assert unit.text.strip() and unit.title
        assert unit.url and unit.url.startswith("https://www.ecfr.gov/current/title-15/")
        assert unit.parent is None or unit.parent in ids
        if "(" in unit.id:
            assert unit.parent is not None
            assert unit.url.endswith("#p-" + unit.id.removeprefix("15 CFR "))
        # Converter artefacts are gone: emphasis underscores, "—" between designators, "()" marks.
        assert not re.search(r"(?<![\w/])_[^_\s]+_", unit.text), unit.id
        assert not unit.text.startswith(("() ", "(a) —"))


def test_sections_and_paragraphs(shared_data: Path) -> None:
    units = _units(shared_data)
    section = units["15 CFR 746.8"]
    assert section.title == "§ 746.8 Sanctions against Russia and Belarus."
    assert section.heading_path == ("PART 746—EMBARGOES AND OTHER SPECIAL CONTROLS", section.title)
    assert section.text.startswith("[89 FR 51662, June 18, 2024, as amended at")  # the source citation
    a1 = units["15 CFR 746.8(a)(1)"]
    assert a1.text.startswith(
        "(1) A license is required to export, reexport, or transfer (in-country) to or within Russia"
    )
    assert a1.title == "§ 746.8(a)(1)"
    assert a1.heading_path[2:] == ("(a)", "(1)")
    assert a1.parent == "15 CFR 746.8(a)"
    assert a1.url == "https://www.ecfr.gov/current/title-15/section-746.8#p-746.8(a)(1)"
    eei = units["15 CFR 758.1"]
    assert eei.title.startswith("§ 758.1 The Electronic Export Information (EEI) filing")
    assert units["15 CFR 758.1(a)"].text.startswith("(a)")
    # Designators run together on one line ("(b)  (1) You must report") make one paragraph unit.
    assert units["15 CFR 745.1(b)(1)"].text.startswith("(b)(1) You must report all exports of any quantity")
    assert units["15 CFR 745.1(b)(1)"].parent == "15 CFR 745.1"
    # "(a) —(1)  (i) A license …": the caption before "—" was dropped by the converter.
    assert units["15 CFR 746.6(a)(1)(i)"].text.startswith("(a)(1)(i) A license is required to export or reexport")
    # Section intro text.
    assert units["15 CFR 746.1"].text.startswith("In this part, references to the EAR are references to 15 CFR")


def test_part_units_hold_authority_and_source(shared_data: Path) -> None:
    part = _units(shared_data)["15 CFR 746"]
    assert part.title == "PART 746—EMBARGOES AND OTHER SPECIAL CONTROLS"
    assert part.heading_path == (part.title,)
    assert part.text.startswith("Authority: 50 U.S.C. 4801-4852;")
    assert part.text.endswith("\n\nSource: 61 FR 12806, Mar. 25, 1996, unless otherwise noted.")
    assert part.url == "https://www.ecfr.gov/current/title-15/part-746"


def test_outline_edge_cases(shared_data: Path) -> None:
    units = _units(shared_data)
    # "(i)" between "(h)(4)" and "(j)" is the letter.
    assert "15 CFR 750.7(i)" in units and "15 CFR 750.7(j)" in units
    assert "15 CFR 750.7(h)(4)(i)" not in units
    # Items "(a)", "(b)" under 760.3(i)(1)(ii) do not land on 760.3(a)/(b).
    ii = units["15 CFR 760.3(i)(1)(ii)"].text
    assert "\n\n(a) Uniqueness of design or appearance; or\n\n(b) Trademark, trade name" in ii
    assert [uid for uid, u in units.items() if "Uniqueness of design" in u.text] == ["15 CFR 760.3(i)(1)(ii)"]
    assert units["15 CFR 760.3(i)(2)"].text.startswith("(2) The factors that will be considered")
    # "(9)-(11) [Reserved]" is text of the paragraph before, not a paragraph (9)(11).
    assert "(9)-(11) [Reserved]" in units["15 CFR 746.8(a)(8)(ii)"].text
    # An italic level the converter printed as "()" stays with its paragraph.
    assert "Food, “medicine,” or “medical devices” designated as EAR99;" in units["15 CFR 746.7(a)(1)(iv)(B)"].text
    # A bare "(a)" whose caption was dropped has no unit; its children point at the section.
    assert "15 CFR 760.2(a)" not in units
    assert units["15 CFR 760.2(a)(1)"].parent == "15 CFR 760.2"


def test_no_text_is_lost(shared_data: Path) -> None:
    """Every paragraph line of the EAR sections emitted shows up in some unit."""
    corpus = "\n".join(u.text for u in _list(shared_data))
    section: str | None = None
    missing = []
    for number, line in enumerate(_path(shared_data).read_text(encoding="utf-8").split("\n"), start=1):
        text = line.strip()
        if match := re.match(r"^#### § § (\d+\.\d+)", text):
            section = match.group(1)
            continue
        if re.match(r"^(PARTS? |#|\*\*|Subpart|SUBCHAPTER|CHAPTER)", text):
            section = None
        if not text or section is None or not 745 <= int(section.split(".")[0]) <= 772 or section == "772.1":
            continue
        if re.match(r"^§ \d+\.\d+\s", text):
            continue
        body = re.sub(r"_([^_]+)_", r"\1", text.lstrip("> "))
        body = re.sub(r"^\(\)\s*", "", re.sub(r"—\s*(?=\()", "", body))
        probe = clean(split_leading(body)[1])[:80]
        if probe and probe not in corpus and clean(body)[:80] not in corpus:
            missing.append(f"line {number}: {text[:80]}")
    assert missing == []


MINI = """---
title: test
---

    PART 999—WIDGETS

### Part 999

**Authority:** Authority: 50 U.S.C. 4801.

      § 999.1   Scope.

#### § § 999.1

      Intro _text_.

      (a) —(1)  First.

      (2) Second.

      () Lost italic item.

      (b) Third.

> [1 FR 1, Jan. 1, 1990]

      § 999.2   [Reserved]

#### § § 999.2

    PART 774—THE COMMERCE CONTROL LIST

### Part 774

      § 774.1   Introduction.

#### § § 774.1

      Not emitted.
"""


def test_small_file(tmp_path: Path) -> None:
    units = {u.id: u for u in parse_file(parse, tmp_path / "mini.md", MINI.replace("999", "745"), CTX)}
    assert list(units) == ["15 CFR 745", "15 CFR 745.1", "15 CFR 745.1(a)(1)", "15 CFR 745.1(a)(2)", "15 CFR 745.1(b)"]
    assert units["15 CFR 745"].text == "Authority: 50 U.S.C. 4801."
    assert units["15 CFR 745.1"].text == "Intro text.\n\n[1 FR 1, Jan. 1, 1990]"
    assert units["15 CFR 745.1(a)(1)"].text == "(a)(1) First."
    assert units["15 CFR 745.1(a)(2)"].text == "(2) Second.\n\nLost italic item."
    assert units["15 CFR 745.1(a)(2)"].parent == "15 CFR 745.1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("---\ntitle: x\n---\n\n", "empty"),
        ("---\ntitle: x\n", "line 1: front matter"),
        ("    PART 745—X\n\nstray paragraph\n", "line 3: text outside any section"),
        ("# Chapter VII\n\n## Subchapter C\n", "no sections found"),
    ],
)
def test_malformed_files_raise_source_error(tmp_path: Path, content: str, message: str) -> None:
    assert_source_error(parse, tmp_path / "bad.md", content, CTX, message)
