"""Entity List, Unverified List and MEU list tables in Part 744's supplements → `list:…` units.

Supplements No. 4 (Entity List, EL), No. 6 (Unverified List, UVL) and No. 7 ('Military End-User' List,
MEU) are tables whose rows are the binding text of each listing. A row's entity cell runs the name, the
aliases and the addresses together; `assistant.sources.list_names` cuts them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from assistant.ids import list_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, clean, ecfr_url, element_text, one_line
from assistant.sources.list_names import display_country, split_addresses, split_entity
from assistant.sources.list_text import ListRecord, add_unique, field_lines, listed_line

# supplement number → (list code, list name, the list's title in a sentence)
LISTS: dict[int, tuple[str, str, str]] = {
    4: ("EL", "Entity List", "Entity List"),
    6: ("UVL", "Unverified List", "Unverified List"),
    7: ("MEU", "'Military End-User' (MEU) List", "Military End-User (MEU) List"),
}

_RESERVED = re.compile(r"^\[?\s*reserved\s*\]?\.?$", re.IGNORECASE)
# `1<sup>1</sup>⁄<sub>2</sub> Miles`: a fraction, not a footnote; element_text cannot tell them apart.
_FRACTION = re.compile(r"\s*\(footnote (\d+)\)⁄")
_GROUP = re.compile(r"subordinate institutions? of (.+?)\s*:$", re.IGNORECASE)
_FR_CITE = re.compile(r"\b\d{1,3}\s*FR\s*\d+(?:,\s*(?:\d{1,2}/\d{1,2}/\d{2,4}|[A-Z][a-z]+\.?\s+\d{1,2},\s*\d{4}))?")


def fr_cites(cell: str) -> list[str]:
    """`73 FR 54503, 9/22/08.<br/>85 FR 83769, 12/23/20.` → ['73 FR 54503, 9/22/08', '85 FR 83769, 12/23/20']."""
    cites = [one_line(m.group()) for m in _FR_CITE.finditer(cell)]
    return cites or ([one_line(cell)] if cell.strip() else [])


@dataclass(frozen=True, slots=True)
class ListRow:
    """The raw cells of one non-reserved table row, with the country carried down from the row above."""

    supplement: int
    index: int  # position among the table's rows, counting reserved rows too
    country: str
    entity: str
    license_requirement: str = ""
    license_policy: str = ""
    federal_register: str = ""
    country_cell: str = ""  # as printed: blank on continuation rows


def _cell(td: etree._Element) -> str:
    return _FRACTION.sub(r" \1⁄", element_text(td))


_COLUMNS = (
    ("country", "country"),
    ("entity", "entity"),
    ("person", "entity"),
    ("requirement", "license_requirement"),
    ("policy", "license_policy"),
    ("federal register", "federal_register"),
)


def _columns(table: etree._Element) -> list[str]:
    """Field name of each column, read from the header so a re-ordered table still parses."""
    heads = [" ".join(element_text(th).split()).lower() for th in table.xpath("./THEAD/TR[1]/TH | ./TR[1]/TH")]
    if heads:
        return [next((name for key, name in _COLUMNS if key in head), "") for head in heads]
    width = max((len(tr.xpath("./TD")) for tr in table.iter("TR")), default=0)  # no header: eCFR's layouts
    if width == 5:
        return ["country", "entity", "license_requirement", "license_policy", "federal_register"]
    return ["country", "entity", "federal_register"]


def list_rows(div9: etree._Element, number: int) -> list[ListRow]:
    """Every non-reserved row of the supplement's table(s), in order."""
    rows: list[ListRow] = []
    for table in div9.iter("TABLE"):
        columns = _columns(table)
        country = ""
        for index, tr in enumerate(table.xpath(".//TR[TD]")):
            cells = {name: _cell(td) for name, td in zip(columns, tr.xpath("./TD"), strict=False) if name}
            country_cell = cells.get("country", "")
            country = country_cell or country
            entity = cells.get("entity", "")
            if not entity or _RESERVED.match(entity):
                continue
            rows.append(
                ListRow(
                    supplement=number,
                    index=index,
                    country=country,
                    entity=entity,
                    license_requirement=cells.get("license_requirement", ""),
                    license_policy=cells.get("license_policy", ""),
                    federal_register=cells.get("federal_register", ""),
                    country_cell=country_cell,
                )
            )
    return rows


@dataclass(kw_only=True)
class _Record(ListRecord):
    """One listed name, gathering every row that lists it (e.g. one per country)."""

    first_country: str
    cites: list[str] = field(default_factory=list)
    blocks: list[list[str]] = field(default_factory=list)


def _block(row: ListRow, name: str, aliases: list[str], rest: str, sentence: str, group: str | None) -> list[str]:
    """Readable lines for one row; every value is copied from the row so a quote of a line stays true."""
    lines = [listed_line(name, f"{sentence} under {display_country(row.country)}")]
    if group:
        lines.append(f"Subordinate institution of {group}.")
    return lines + field_lines(
        [
            ("Aliases", f"{'; '.join(aliases)}." if aliases else ""),
            ("Address", rest),
            ("License requirement", row.license_requirement),
            ("License review policy", row.license_policy),
            ("Federal Register citation", row.federal_register),
        ]
    )


def parse_list_rows(div9: etree._Element, ctx: ParseContext, part: str, number: int) -> Iterator[Unit]:
    """Units of the Entity List (Supp. 4), Unverified List (Supp. 6) or MEU List (Supp. 7); nothing for
    other supplements. Rows that list the same name (under several countries) become one unit."""
    if number not in LISTS:
        return
    code, short_name, list_title = LISTS[number]
    supplement = f"Supplement No. {number} to Part {part}"
    list_name = f"{short_name} ({supplement})"
    sentence = f"{list_title} ({supplement} of the EAR)"
    heading = f"{supplement} — {list_title}"
    rows = list_rows(div9, number)
    has_policy_columns = any(row.license_requirement or row.license_policy for row in rows)

    records: dict[str, _Record] = {}
    last: _Record | None = None
    group: str | None = None  # MEU: "The following eight subordinate institutions of <group>:"
    for row in rows:
        entity = row.entity.strip()
        if entity.endswith(":") and "\n" not in entity:
            # MEU headings ("The following ... subordinate institutions of X:", "Subordinate institution:")
            # list no one; the institutions below them, up to the next row with its own citation, do.
            if match := _GROUP.search(entity):
                group = match.group(1)
            continue
        if (
            last is not None
            and has_policy_columns
            and not (row.country_cell or row.license_requirement or row.license_policy or row.federal_register)
        ):
            # Subordinates, affiliates or shared addresses of the entry above: keep them in its text.
            last.blocks[-1].append(f"Entry continued: {one_line(entity)}")
            continue
        if row.federal_register:
            group = None
        parsed = split_entity(entity, row.country)
        name = one_line(parsed.name) or one_line(entity.split("\n", 1)[0])
        key = list_id(code, name)
        record = records.get(key) or records.setdefault(key, _Record(name=name, first_country=row.country))
        record.add(
            aliases=parsed.aliases,
            countries=[row.country],
            addresses=split_addresses(parsed.rest),
            requirement=one_line(row.license_requirement),
            policy=one_line(row.license_policy),
        )
        add_unique(record.cites, fr_cites(row.federal_register))
        record.blocks.append(_block(row, name, parsed.aliases, parsed.rest, sentence, group))
        last = record

    url = ecfr_url(f"15 CFR {part} Supp. {number}")
    for key, record in records.items():
        yield record.unit(
            key,
            ctx,
            list_code=code,
            list_name=list_name,
            heading_path=(heading, record.first_country, record.name),
            text=clean("\n".join(line for block in record.blocks for line in block)),
            url=url,
            federal_register="; ".join(record.cites) or None,
        )
