"""The Consolidated Screening List (trade.gov) → one `list:<CODE>:<name>` unit per listed name.

Two layouts are read, told apart by content rather than by file name:

* the official bulk file `consolidated.json`: `{"results": [{name, alt_names, source, addresses: [{address,
  city, state, postal_code, country}], federal_register_notice, license_requirement, license_policy,
  programs: [...], type, source_list_url, start_date, remarks, ...}]}` (a bare JSON array is accepted too);
* the local JSON-lines projection (`entities/csl_*.jsonl`): one record a line with `source_code`,
  `address_countries` and `programs` as a string, and no street addresses.

The CSL repeats some names within one list (an entity with several addresses, a person with several
entries): records sharing (list code, name) become one unit, so every id is unique. The whole file is read
and checked before the first unit is yielded, so a malformed line never leaves a half-parsed list behind.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.ids import list_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, one_line
from assistant.sources.json_records import json_object
from assistant.sources.list_text import ListRecord, add_unique, field_lines, listed_line

# "Entity List (EL) - Bureau of Industry and Security" → EL; "... (NS-MBS List) - Treasury" → "NS-MBS List".
_CODE = re.compile(r"\(([^()]+)\)")


def _text(value: Any) -> str:
    """A field as one clean line: lists joined with "; ", None as ""."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(t for t in (_text(v) for v in value) if t)
    return one_line(str(value))


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    return [t for t in (_text(v) for v in items) if t]


def _address(item: Any) -> tuple[str, str]:
    """(one-line address, ISO-2 country) of an official address object."""
    if not isinstance(item, dict):
        return _text(item), ""
    country = _text(item.get("country"))
    parts = [_text(item.get(k)) for k in ("address", "city", "state", "postal_code")] + [country]
    return ", ".join(p for p in parts if p), country


@dataclass(kw_only=True)
class _Record(ListRecord):
    """Every CSL record of one (list code, name), merged."""

    code: str
    source: str
    url: str | None
    notices: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)


def _block(name: str, source: str, raw: dict[str, Any], countries: list[str], addresses: list[str]) -> str:
    """Readable lines of one CSL record; each value is copied from the record so any line can be quoted."""
    pairs = [
        ("Aliases", _text(raw.get("alt_names"))),
        ("Type", _text(raw.get("type"))),
        ("Countries", ", ".join(countries)),
        ("Address", "; ".join(addresses)),
        ("License requirement", _text(raw.get("license_requirement"))),
        ("License review policy", _text(raw.get("license_policy"))),
        ("Federal Register notice", _text(raw.get("federal_register_notice"))),
        ("Programs", _text(raw.get("programs"))),
        ("Start date", _text(raw.get("start_date"))),
        ("Remarks", _text(raw.get("remarks"))),
    ]
    return "\n".join([listed_line(name, source or "Consolidated Screening List"), *field_lines(pairs)])


def _records(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, record) pairs of either layout; raises SourceError naming the line or index that is wrong."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(str(path), "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read: {exc}") from None
    head = raw.lstrip()[:1]
    if head in ("[", "{"):
        try:
            document = json.loads(raw)
        except json.JSONDecodeError as exc:
            # "Extra data" after a first complete object: JSON lines, read one line at a time below.
            if exc.msg != "Extra data":
                raise SourceError(str(path), f"line {exc.lineno}: invalid JSON: {exc.msg}") from None
        else:
            if isinstance(document, dict) and "results" not in document:
                return [("line 1", document)]  # JSON lines holding a single record
            results = document.get("results") if isinstance(document, dict) else document
            if not isinstance(results, list):
                raise SourceError(str(path), 'expected a list of records under "results"')
            return [(f"results[{i}]", record) for i, record in enumerate(results)]
    out: list[tuple[str, dict[str, Any]]] = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append((f"line {n}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise SourceError(str(path), f"line {n}: invalid JSON: {exc.msg}") from None
    return out


def parse(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    """Units of a CSL file (either layout), one per (list code, name), in order of first appearance."""
    records = _records(path)
    if not records:
        raise SourceError(str(path), "no records (empty or truncated file)")
    merged: dict[str, _Record] = {}
    for where, raw in records:
        raw = json_object(path, raw, where)
        name = _text(raw.get("name"))
        if not name:
            raise SourceError(str(path), f"{where}: record has no name")
        source = _text(raw.get("source"))
        code = _text(raw.get("source_code"))
        if not code and (match := _CODE.search(source)):
            code = match.group(1).strip()
        if not code:
            raise SourceError(str(path), f"{where}: cannot tell the list of {name!r} (no source_code or source)")
        countries = _strings(raw.get("address_countries"))
        addresses: list[str] = []
        for item in raw.get("addresses") or []:
            line, country = _address(item)
            add_unique(addresses, [line])
            add_unique(countries, [country])
        key = list_id(code, name)
        record = merged.get(key)
        if record is None:
            url = _text(raw.get("source_list_url")) or None
            record = merged[key] = _Record(code=code, name=name, source=source, url=url)
        record.add(
            aliases=_strings(raw.get("alt_names")),
            countries=countries,
            addresses=addresses,
            requirement=_text(raw.get("license_requirement")),
            policy=_text(raw.get("license_policy")),
        )
        add_unique(record.notices, [n.strip() for n in _text(raw.get("federal_register_notice")).split(",")])
        add_unique(record.programs, _strings(raw.get("programs")))
        add_unique(record.types, [_text(raw.get("type"))])
        add_unique(record.blocks, [_block(name, source, raw, countries, addresses)])

    for key, record in merged.items():
        yield record.unit(
            key,
            ctx,
            list_code=record.code,
            list_name=record.source or record.code,
            heading_path=("Consolidated Screening List", record.source or record.code, record.name),
            text="\n".join(record.blocks),
            url=record.url,
            federal_register=", ".join(record.notices) or None,
            programs="; ".join(record.programs) or None,
            entity_type=" | ".join(record.types) or None,
        )
