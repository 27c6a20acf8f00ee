"""Federal Register parsers: the local abstracts JSONL, the federalregister.gov API answer, GPO XML full text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.sources.base import ParseContext
from assistant.sources.federal_register import parse, parse_xml
from tests.sources.helpers import assert_source_error, parse_file

CTX = ParseContext(source_id="federal-register", kind="federal_register")
XML_CTX = ParseContext(source_id="fr-full-text", kind="federal_register")


def _jsonl(shared_data: Path) -> Path:
    return shared_data / "articles" / "federal_register_export_control_abstracts.jsonl"


def _xml(shared_data: Path) -> Path:
    return shared_data / "articles" / "fr_2023-03929_additions_of_entities_to_the_entity_list.xml"


def test_jsonl_abstracts(shared_data: Path) -> None:
    units = list(parse(_jsonl(shared_data), CTX))
    assert len(units) == 243
    assert len({u.id for u in units}) == 243
    by_id = {u.id: u for u in units}
    ai = by_id["FR 2025-00636"]
    assert ai.title == "Framework for Artificial Intelligence Diffusion"
    assert ai.date == "2025-01-15"
    assert ai.url == (
        "https://www.federalregister.gov/documents/2025/01/15/2025-00636/framework-for-artificial-intelligence-diffusion"
    )
    assert ai.publisher == "Federal Register"
    assert ai.source_type == "federal_register" and ai.source_id == "federal-register"
    assert ai.text.startswith("Framework for Artificial Intelligence Diffusion\nWith this interim final rule")
    assert "model weights" in ai.text
    # A record whose abstract is a placeholder keeps its title only.
    assert by_id["FR 2020-05716"].text == by_id["FR 2020-05716"].title
    for unit in units:
        assert re.fullmatch(r"FR \d{4}-\d{5}", unit.id)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", unit.date or "")
        assert unit.url and unit.url.startswith("https://www.federalregister.gov/")
        assert unit.text.startswith(unit.title)


def test_api_answer_is_told_from_its_content(tmp_path: Path) -> None:
    answer = {
        "count": 2,
        "description": "Documents from Industry and Security Bureau",
        "total_pages": 1,
        "results": [
            {
                "document_number": "2025-00636",
                "title": "Framework for Artificial Intelligence Diffusion",
                "type": "Rule",
                "abstract": "With this interim final rule, BIS revises the EAR's controls.",
                "html_url": "https://www.federalregister.gov/documents/2025/01/15/2025-00636/framework",
                "publication_date": "2025-01-15",
                "agencies": [{"name": "Industry and Security Bureau"}],
            },
            {
                "document_number": "2024-12345",
                "title": "Notice without abstract",
                "publication_date": "2024-06-03",
                "abstract": None,
            },
            {"document_number": "2025-00636", "title": "Duplicate", "publication_date": "2025-01-15"},
        ],
        "next_page_url": None,
    }
    units = parse_file(parse, tmp_path / "documents.json", json.dumps(answer), CTX)
    assert [u.id for u in units] == ["FR 2025-00636", "FR 2024-12345"]  # a repeat keeps the first
    assert units[0].url == "https://www.federalregister.gov/documents/2025/01/15/2025-00636/framework"
    title, abstract = units[0].text.split("\n")
    assert title == "Framework for Artificial Intelligence Diffusion"
    assert abstract == "With this interim final rule, BIS revises the EAR's controls."
    assert units[1].text == "Notice without abstract"
    assert units[1].url == "https://www.federalregister.gov/d/2024-12345"  # no page address in the record
    assert units[1].date == "2024-06-03"


GOOD = '{"document_number": "2024-00001", "title": "T", "publication_date": "2024-01-02", "abstract": "A"}'


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        (f"{GOOD}\n{{not json\n", "line 2: invalid JSON"),
        (f"{GOOD}\n\n[1, 2]\n", "line 3: expected a JSON object, got list"),
        (
            f'{GOOD}\n{GOOD}\n{{"document_number": "2024-00002", "publication_date": "2024-01-02"}}\n',
            "line 3: missing title",
        ),
        (
            '{"document_number": "2024-00002", "title": "T", "publication_date": "Jan 2"}\n' + GOOD,
            "line 1: publication_date",
        ),
        ('{"count": 1, "results": {"a": 1}}', "'results' is not a list"),
        ('{"count": 1, "results": [{"title": "T"}]}', "results[0]: missing document_number, publication_date"),
        ('"just a string"', "line 1: expected a JSON object, got str"),
    ],
)
def test_malformed_json_raises_source_error(tmp_path: Path, content: str, message: str) -> None:
    assert_source_error(parse, tmp_path / "bad.jsonl", content, CTX, message)


def test_gpo_xml_full_text(shared_data: Path) -> None:
    units = list(parse_xml(_xml(shared_data), XML_CTX))
    assert len(units) == 1
    unit = units[0]
    assert unit.id == "FR 2023-03929"
    assert unit.title == "Additions of Entities to the Entity List"
    assert unit.date == "2023-02-27"  # filed Friday 2-24-23, published the next business day
    assert unit.url == "https://www.federalregister.gov/d/2023-03929"
    assert unit.publisher == "Federal Register"
    assert unit.source_type == "federal_register" and unit.source_id == "fr-full-text"
    text = unit.text
    assert text.startswith("DEPARTMENT OF COMMERCE\n\nBureau of Industry and Security\n\n15 CFR Part 744")
    assert "by adding 10 entities under 13 entries to the Entity List" in text
    assert "\n\nSUMMARY:\n\nThe Department of Commerce is amending" in text
    assert "\n\nAdditions to the Entity List\n\nThe ERC determined to add AOOK Technology Ltd." in text
    # Inline elements and page breaks do not break the running text.
    assert "described in the relevant Federal Register document that added" in text
    assert "and Spacety Co., Ltd., under the destinations of China and Luxembourg" in text
    assert "(44 U.S.C. 3501 et seq.) (PRA)" in text
    assert "Email: ERC@bis.doc.gov." in text
    # Table rows: one line each, cells joined by " | ".
    assert "\nCountry | Entity | License requirement | License review policy | Federal Register citation\n" in text
    row = next(line for line in text.split("\n") if line.startswith("CPUNTO Inc."))
    assert row.count(" | ") == 3
    assert "(See §§ 734.9(g), (footnote 3) 744.21(b), and 746.8(a)(3) of the EAR)" in row
    assert "west 3rd ring r. Beijing" in text and "9th Floor, Block B" in text  # ordinals are not footnotes
    assert "Promtekhkomplekt JSC, a.k.a., the following four aliases" in text
    assert text.rstrip().endswith("[FR Doc. 2023-03929 Filed 2-24-23; 8:45 am]")
    assert "BILLING CODE" not in text and "<" not in text


def test_gpo_xml_keeps_every_paragraph(shared_data: Path) -> None:
    from lxml import etree

    text = next(parse_xml(_xml(shared_data), XML_CTX)).text
    squashed = re.sub(r"\s+", "", text)
    root = etree.parse(str(_xml(shared_data))).getroot()
    missing = []
    for element in root.iter("P", "HD", "AMDPAR", "NAME", "TITLE", "SUBJECT", "RIN", "DEPDOC"):
        words = re.sub(r"\s+", "", "".join(t for t in element.itertext() if t))
        if words and words.replace("*", "") and words not in squashed:
            missing.append(f"line {element.sourceline}: {words[:60]}")
    assert missing == []


FR_XML = """<RULE>
<PREAMB><AGENCY>DEPARTMENT OF COMMERCE</AGENCY><SUBJECT>Test Rule</SUBJECT>
<SUM><HD SOURCE="HED">SUMMARY:</HD><P>Short.</P></SUM></PREAMB>
{date}
<FRDOC>[FR Doc. 2023-01234 Filed 2-17-23; 8:45 am]</FRDOC>
</RULE>"""


def test_publication_date_from_date_element_or_next_business_day(tmp_path: Path) -> None:
    path = tmp_path / "fr.xml"
    # Filed Friday 2023-02-17; Monday 2023-02-20 is Washington's Birthday, so published Tuesday.
    path.write_text(FR_XML.format(date=""), encoding="utf-8")
    unit = next(parse_xml(path, XML_CTX))
    assert (unit.id, unit.date, unit.title, unit.text) == (
        "FR 2023-01234",
        "2023-02-21",
        "Test Rule",
        "DEPARTMENT OF COMMERCE\n\nTest Rule\n\nSUMMARY:\n\nShort.\n\n[FR Doc. 2023-01234 Filed 2-17-23; 8:45 am]",
    )
    # A <DATE> (as in the daily-issue XML) is the publication date itself.
    path.write_text(FR_XML.format(date="<DATE>Wednesday, February 22, 2023</DATE>"), encoding="utf-8")
    assert next(parse_xml(path, XML_CTX)).date == "2023-02-22"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "line"),
        ("<RULE><PREAMB><SUBJECT>X</SUBJECT></PREAMB>\n<P>unclosed\n</RULE>", "line"),
        ("<RULE><SUBJECT>X</SUBJECT></RULE>", "FRDOC"),
        ("<RULE><FRDOC>[FR Doc. 2023-01234 Filed 2-17-23; 8:45 am]</FRDOC></RULE>", "SUBJECT"),
    ],
)
def test_malformed_xml_raises_source_error(tmp_path: Path, content: str, message: str) -> None:
    assert_source_error(parse_xml, tmp_path / "bad.xml", content, XML_CTX, message)
