"""The BIS PDF-text parser on the real Part 736 file (ear/bis-text-and-csv) and on small made-up files."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from assistant.models import Unit
from assistant.sources.base import ParseContext, clean
from assistant.sources.bis_text import parse
from assistant.sources.designators import split_leading
from tests.sources.helpers import assert_source_error, parse_file

CTX = ParseContext(source_id="ecfr-736", kind="regulation", as_of="2023-11-17")
ORDINALS = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten"]
_HEADER = re.compile(r"Part 736\s*[-–]\s*page \d|^Export Administration Regulations Bureau of Industry")

_cache: dict[str, list[Unit]] = {}


def _path(shared_data: Path) -> Path:
    return shared_data / "ear" / "bis-text-and-csv" / "generalPohibition.text"


def _units(shared_data: Path) -> dict[str, Unit]:
    if "736" not in _cache:
        _cache["736"] = list(parse(_path(shared_data), CTX))
    return {u.id: u for u in _cache["736"]}


def test_ten_general_prohibitions(shared_data: Path) -> None:
    units = _units(shared_data)
    for n, word in enumerate(ORDINALS, start=1):
        unit = units[f"15 CFR 736.2(b)({n})"]
        assert unit.text.startswith(f"({n}) General Prohibition {word}"), unit.text[:80]
        assert unit.title.startswith(f"§ 736.2(b)({n}) General Prohibition {word}")
        assert unit.parent == "15 CFR 736.2(b)"
        assert unit.heading_path[:3] == (
            "PART 736—GENERAL PROHIBITIONS",
            units["15 CFR 736.2"].title,
            "(b) General prohibitions",
        )
        assert unit.url == f"https://www.ecfr.gov/current/title-15/section-736.2#p-736.2(b)({n})"
    assert (
        "without a license or License Exception, export any item subject to the EAR" in units["15 CFR 736.2(b)(1)"].text
    )
    assert "prohibited by a denial order issued under part 766" in units["15 CFR 736.2(b)(4)(i)"].text
    assert "Armenia, Azerbaijan, Belarus" in units["15 CFR 736.2(b)(8)(ii)"].text
    assert "15 CFR 736.2(b)(11)" not in units


def test_sections_and_outline(shared_data: Path) -> None:
    units = _units(shared_data)
    intro = units["15 CFR 736.1"]
    assert intro.title == "§ 736.1 Introduction."
    assert intro.heading_path == ("PART 736—GENERAL PROHIBITIONS", "§ 736.1 Introduction.")
    assert intro.text.startswith("In this part, references to the EAR are references to 15 CFR chapter VII")
    assert "(a) In this part we tell you" not in intro.text  # paragraphs are their own units
    section = units["15 CFR 736.2"]
    assert section.title == "§ 736.2 General prohibitions and determination of applicability."
    assert section.text == section.title  # no introductory text before (a)
    # A caption printed on its own line stays apart from the text under it.
    assert units["15 CFR 736.2(b)"].text.startswith("(b) General prohibitions\nThe following ten general prohibitions")
    assert units["15 CFR 736.2(a)(1)"].title == "§ 736.2(a)(1) Classification of the item."
    # A note after a paragraph belongs to it.
    assert "Note 1 to paragraph (a)(1): The description of items" in units["15 CFR 736.2(a)(1)"].text
    # The italic fifth level under (b)(7)(i)(A), and roman (ii) after it.
    assert units["15 CFR 736.2(b)(7)(i)(A)(5)"].parent == "15 CFR 736.2(b)(7)(i)(A)"
    assert units["15 CFR 736.2(b)(7)(ii)"].text == "(ii) [Reserved]"
    assert units["15 CFR 736.2(b)(8)"].parent == "15 CFR 736.2(b)"
    # Wrapped compound words are re-joined with their hyphen.
    assert "contain cross-references to other parts" in units["15 CFR 736.1(b)"].text
    assert "transfer (in-country)" in units["15 CFR 736.2(a)(2)"].text


def test_footnote_follows_its_mark(shared_data: Path) -> None:
    """The footnote starts at the foot of one column and ends at the foot of the next."""
    units = _units(shared_data)
    text = units["15 CFR 736.2(b)(1)(ii)"].text
    assert "reflected on the Country Chart). (footnote 1) Note that each License Exception" in text
    assert text.endswith(
        "(footnote 1) See part 738 of the EAR for selected controls that are not specified on the Country Chart."
    )
    # … and its second half is not left inside General Prohibition Two.
    assert "are not specified on the Country Chart" not in units["15 CFR 736.2(b)(2)"].text


def test_supplements(shared_data: Path) -> None:
    units = _units(shared_data)
    orders = units["15 CFR 736 Supp. 1"]
    assert orders.title == "Supplement No. 1 to Part 736—General Orders"
    assert (
        orders.url == "https://www.ecfr.gov/current/title-15/part-736/appendix-Supplement%20No.%201%20to%20Part%20736"
    )
    assert orders.text.startswith("(a) General Order No. 1\nGeneral Order No. 1 of September 16, 1998;")
    assert "(d) General Order No. 4" in orders.text and "(e) General Order No. 5" in orders.text
    assert "\n\nThe President’s reference to General Order No. 2 addresses" in orders.text
    admin = units["15 CFR 736 Supp. 2"]
    assert admin.text.startswith("Administrative Order One: Disclosure of License Issuance")
    assert admin.text.rstrip().endswith("in connection with any export control matter.")
    assert [uid for uid in units if "Supp." in uid] == ["15 CFR 736 Supp. 1", "15 CFR 736 Supp. 2"]


def test_units_complete_and_unique(shared_data: Path) -> None:
    units = _cache.get("736") or list(parse(_path(shared_data), CTX))
    assert [uid for uid, n in Counter(u.id for u in units).items() if n > 1] == []
    ids = {u.id for u in units}
    for unit in units:
        assert unit.source_type == "regulation"
        assert unit.source_id == "ecfr-736"
        assert unit.date == "2023-11-17"
        assert unit.text.strip() and unit.title
        assert unit.url and unit.url.startswith("https://www.ecfr.gov/current/title-15/")
        assert unit.parent is None or unit.parent in ids
        if "(" in unit.id:
            assert unit.parent is not None
        # No page furniture, table of contents or page numbers left in the text.
        for line in unit.text.split("\n"):
            assert not _HEADER.search(line), (unit.id, line)
        assert "Table of Contents" not in unit.text and "....." not in unit.text
        assert "November 17, 2023" not in unit.text


def test_no_text_is_lost(shared_data: Path) -> None:
    """Every body line of the file is in some unit (page headers and the table of contents aside)."""
    units = _cache.get("736") or list(parse(_path(shared_data), CTX))
    corpus = " ".join(u.text.replace("\n", " ") for u in units)
    corpus = re.sub(r" ?\(footnote \d\)", "", corpus)
    titles = " ".join(u.title.lower() for u in units)
    lines = _path(shared_data).read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "§ 736.1 INTRODUCTION" and i > 5)
    missing = []
    for number, line in enumerate(lines[start:], start=start + 1):
        text = clean(line)
        if not text or _HEADER.search(text) or text.startswith("General Orders Supplement"):
            continue
        if text.startswith("Administrative Orders Supplement"):
            continue
        probe = re.sub(r"^1 (?=See)", "", split_leading(text)[1].strip()).removesuffix(".1")
        if probe not in corpus and probe.lower() not in titles and text.lower().split(" - ")[-1] not in titles:
            missing.append(f"line {number}: {text}")
    assert missing == []


MINI = """General Widgets Part 999-page 1 Export Administration Regulations Bureau of Industry and Security May 1, 2024
§ 999.1 WIDGET
RULES
Intro text that wraps
onto a second line.
(a) Scope. You may not export widgets to the places listed in paragraph
(b)(2) of this section, nor cross-
border gadgets.
(b) Listed places
General Widgets Part 999-page 2
Export Administration Regulations Bureau of Industry and Security May 1, 2024
The places are:
(1) Atlantis; and
(2) Lemuria.
SUPPLEMENT NO. 1 TO PART 999 - GADGET ORDERS
(a) Order One. Text.
"""


def test_small_file_rejoins_lines_and_drops_headers(tmp_path: Path) -> None:
    units = {u.id: u for u in parse_file(parse, tmp_path / "mini.text", MINI, CTX)}
    assert list(units) == [
        "15 CFR 999.1",
        "15 CFR 999.1(a)",
        "15 CFR 999.1(b)",
        "15 CFR 999.1(b)(1)",
        "15 CFR 999.1(b)(2)",
        "15 CFR 999 Supp. 1",
    ]
    assert units["15 CFR 999.1"].title == "§ 999.1 Widget rules."
    assert units["15 CFR 999.1"].text == "Intro text that wraps onto a second line."
    # "(b)(2) of this section" at a line start is a cross-reference, not a paragraph.
    assert units["15 CFR 999.1(a)"].text == (
        "(a) Scope. You may not export widgets to the places listed in paragraph (b)(2) of this section, "
        "nor cross-border gadgets."
    )
    assert units["15 CFR 999.1(a)"].title == "§ 999.1(a) Scope."
    assert units["15 CFR 999.1(b)"].text == "(b) Listed places\nThe places are:"
    assert units["15 CFR 999.1(b)(2)"].heading_path == (
        "PART 999—GENERAL WIDGETS",
        "§ 999.1 Widget rules.",
        "(b) Listed places",
        "(2)",
    )
    assert units["15 CFR 999 Supp. 1"].title == "Supplement No. 1 to Part 999—Gadget Orders"
    assert units["15 CFR 999 Supp. 1"].text == "(a) Order One. Text."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("   \n\n", "empty"),
        ("Some prose that is not the EAR.\nMore prose.\n", "line 1: text before the first §"),
        ("SUPPLEMENT NO. 1 TO PART 999 - ORDERS\n(a) Text.\n", "no § section heading"),
        ("Table of Contents\n§ 999.1 WIDGETS ........ 1\n", "table of contents never ends"),
    ],
)
def test_malformed_files_raise_source_error(tmp_path: Path, content: str, message: str) -> None:
    assert_source_error(parse, tmp_path / "bad.text", content, CTX, message)


def test_undecodable_file_raises_source_error(tmp_path: Path) -> None:
    assert_source_error(parse, tmp_path / "bad.text", b"\xff\xfe\x00garbage", CTX, "cannot read")
