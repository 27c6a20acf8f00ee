"""Federal Register documents: abstracts (local JSONL or the federalregister.gov API) and GPO XML full text.

`parse` reads either
  * JSON Lines, one document per line (`document_number`, `title`, `publication_date`, `abstract`, `url`), or
  * the API's search answer `{"count": ..., "results": [{document_number, title, publication_date, abstract,
    html_url, type, agencies}], "next_page_url": ...}`; which one is told from the content, not the name.
`parse_xml` reads one document in the Federal Register's GPO XML (`<RULE>`, `<PRORULE>`, `<NOTICE>` ...).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.ids import fr_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, clean, inner_text, one_line, read_text, tag_of
from assistant.sources.json_records import check_iso_date, json_object, load_json

PUBLISHER = "Federal Register"
REQUIRED = ("document_number", "title", "publication_date")
_DOC_NUMBER = re.compile(r"^(?:19|20)\d{2}-\d{4,6}$|^[A-Z0-9][A-Z0-9.-]{2,30}$")
# Placeholders the abstract miner wrote for documents without a SUMMARY; they say nothing about the document.
_NO_ABSTRACT = {"no summary provided.", "no summary provided", "n/a"}


def document_url(document_number: str) -> str:
    """The federalregister.gov short link, which redirects to the document page."""
    return f"https://www.federalregister.gov/d/{document_number}"


def _unit(record: dict[str, Any], ctx: ParseContext) -> Unit:
    number = str(record["document_number"]).strip()
    title = clean(str(record["title"])).replace("\n", " ")
    abstract = clean(str(record.get("abstract") or ""))
    if abstract.lower() in _NO_ABSTRACT:
        abstract = ""
    url = record.get("html_url") or record.get("url") or document_url(number)
    return Unit(
        id=fr_id(number),
        title=title,
        source_type="federal_register",
        source_id=ctx.source_id,
        text=f"{title}\n{abstract}" if abstract else title,
        date=str(record["publication_date"]),
        url=str(url),
        publisher=PUBLISHER,
    )


def _check(path: Path, record: object, where: str) -> dict[str, Any]:
    """The record as a dict, or a SourceError saying what is wrong and where."""
    checked = json_object(path, record, where)
    missing = [key for key in REQUIRED if not str(checked.get(key) or "").strip()]
    if missing:
        raise SourceError(str(path), f"{where}: missing {', '.join(missing)}")
    if not _DOC_NUMBER.match(str(checked["document_number"]).strip()):
        raise SourceError(str(path), f"{where}: unexpected document_number {checked['document_number']!r}")
    check_iso_date(path, where, checked["publication_date"])
    return checked


def _records(path: Path) -> Iterator[dict[str, Any]]:
    """Checked records from either layout."""
    raw = read_text(path)
    try:
        whole = json.loads(raw)
    except json.JSONDecodeError:
        whole = None  # several lines: JSON Lines (or broken, which the line loop reports with its line)
    if isinstance(whole, dict) and "results" in whole:
        results = whole["results"]
        if not isinstance(results, list):
            raise SourceError(str(path), "'results' is not a list")
        for i, record in enumerate(results):
            yield _check(path, record, f"results[{i}]")
        return
    if isinstance(whole, list):
        for i, record in enumerate(whole):
            yield _check(path, record, f"item {i}")
        return
    for number, line in enumerate(raw.split("\n"), start=1):
        if line.strip():
            yield _check(path, load_json(path, line, number), f"line {number}")


def parse(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    seen: set[str] = set()
    for record in _records(path):
        unit = _unit(record, ctx)
        if unit.id in seen:
            continue  # the same document twice (e.g. mined from two posts): the first one stands
        seen.add(unit.id)
        yield unit


# --- GPO XML full text ---------------------------------------------------------------------------------------

# Elements whose content is one paragraph of running text.
_BLOCKS = {
    "AGENCY", "SUBAGY", "CFR", "DEPDOC", "RIN", "SUBJECT", "HD", "P", "FP", "AMDPAR", "NAME", "TITLE",
    "FRDOC", "DATE", "PSPACE", "EXTRACT-P", "NOTE", "SECTNO", "SECTION-HD", "TDESC", "LI-BLOCK",
}  # fmt: skip
_SKIP = {"PRTPAGE", "BILCOD", "GID"}  # page numbers, billing codes and image ids are not text
_FILED = re.compile(r"\[FR Doc\.\s*(?P<number>[\dA-Z-]+)\s+Filed\s+(?P<m>\d{1,2})-(?P<d>\d{1,2})-(?P<y>\d{2,4})")
_LONG_DATE = re.compile(
    r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday),\s+)?"
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})"
)
_MONTHS = "January February March April May June July August September October November December".split()


def _inline(element: Any) -> str:
    """Running text of an element on one line. The GPO files are pretty-printed, so line breaks and
    indentation around child elements are layout, not content; `<SU>` digits are footnote marks."""

    def render(el: Any, parts: list[str]) -> bool:
        tag = tag_of(el)
        if tag == "SU":
            mark = "".join(el.itertext()).strip()
            if mark.isdigit():
                parts.append(f" (footnote {mark})")
            elif mark and parts:
                parts[-1] = parts[-1].rstrip()  # "3<SU>rd</SU>": an ordinal suffix, not a footnote
                parts.append(mark)
            return True
        return tag in _SKIP  # skipped elements write nothing

    text = one_line(inner_text(element, render))
    # Undo spaces the pretty-printer put between an inline element and the punctuation after it.
    return re.sub(r"\s+([,.;:)\]”’])", r"\1", re.sub(r"([(\[“‘])\s+", r"\1", text))


def _table(element: Any) -> str:
    """A GPOTABLE as one line per row, cells joined by " | "; empty cells and rows are dropped."""
    lines: list[str] = []
    title = element.find("TTITLE")
    if title is not None and _inline(title):
        lines.append(_inline(title))
    heads = [_inline(h) for h in element.iter("CHED")]
    if any(heads):
        lines.append(" | ".join(h for h in heads if h))
    for row in element.iter("ROW"):
        cells = [text for text in (_inline(cell) for cell in row if isinstance(cell.tag, str)) if text]
        # "* * * * *" marks entries the amendment leaves out: one line of stars, not a cell beside a name.
        content = [text for text in cells if set(text) - {"*", " "}]
        if content:
            lines.append(" | ".join(content))
        elif cells:
            lines.append("* * * * *")
    return "\n".join(lines)


def _blocks(element: Any) -> Iterator[str]:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    if tag in _BLOCKS:
        text = _inline(element)
        if text:
            yield text
        return
    if tag == "GPOTABLE":
        yield _table(element)
        return
    if tag == "STARS":
        yield "* * * * *"
        return
    if element.text and element.text.strip():
        yield one_line(element.text)  # text directly in a container: keep it
    for child in element:
        yield from _blocks(child)
        if child.tail and child.tail.strip():
            yield one_line(child.tail)


def _next_business_day(day: date) -> date:
    """The next weekday that is not a federal holiday: documents are published the business day after filing."""
    day += timedelta(days=1)
    while day.weekday() >= 5 or day in _holidays(day.year):
        day += timedelta(days=1)
    return day


def _holidays(year: int) -> set[date]:
    def nth(month: int, weekday: int, n: int) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    def observed(day: date) -> date:
        return day - timedelta(days=1) if day.weekday() == 5 else day + timedelta(days=1) if day.weekday() == 6 else day

    last_may = max(nth(5, 0, n) for n in (4, 5) if nth(5, 0, n).month == 5)
    fixed = [date(year, 1, 1), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    if year >= 2021:
        fixed.append(date(year, 6, 19))
    moving = [nth(1, 0, 3), nth(2, 0, 3), last_may, nth(9, 0, 1), nth(10, 0, 2), nth(11, 3, 4)]
    return {observed(d) for d in fixed} | set(moving)


def _publication_date(root: Any, filed: re.Match[str] | None) -> str | None:
    # 1) A <DATE> element, as in the daily-issue XML ("Monday, February 27, 2023"), is the publication date.
    for element in root.iter("DATE"):
        match = _LONG_DATE.search(_inline(element))
        if match:
            month = _MONTHS.index(match["month"]) + 1
            return date(int(match["year"]), month, int(match["day"])).isoformat()
    # 2) Otherwise derive it from FRDOC's filing date: a document filed for public inspection is published
    #    the next business day (2023-03929, "Filed 2-24-23", a Friday, was published Monday 2023-02-27).
    if filed:
        year = int(filed["y"]) + (2000 if len(filed["y"]) == 2 else 0)
        return _next_business_day(date(year, int(filed["m"]), int(filed["d"]))).isoformat()
    return None


def parse_xml(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    from lxml import etree

    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        line = getattr(exc, "lineno", None)
        where = f"line {line}: " if line else ""
        raise SourceError(str(path), f"{where}not well-formed XML ({exc})") from None
    frdoc = root.find(".//FRDOC")
    filed = _FILED.search(_inline(frdoc)) if frdoc is not None else None
    if filed is None:
        raise SourceError(
            str(path), "no '[FR Doc. <number> Filed <date>]' line (FRDOC) to take the document number from"
        )
    subject = root.find(".//SUBJECT")
    if subject is None or not _inline(subject):
        raise SourceError(str(path), "no <SUBJECT> (the document title)")
    number = filed["number"]
    text = "\n\n".join(block for block in _blocks(root) if block)
    yield Unit(
        id=fr_id(number),
        title=_inline(subject),
        source_type="federal_register",
        source_id=ctx.source_id,
        text=text,
        date=_publication_date(root, filed) or ctx.as_of,
        url=document_url(number),
        publisher=PUBLISHER,
    )
