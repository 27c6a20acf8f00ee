"""The EAR's lookup tables and their rows: where "Country Group D:5" and "the Country Chart" are answered.

The regulation text refers to these tables by name ("countries in Country Group D:5 (see supplement no. 1 to
part 740)"), never by a number a question would cite, so a question that names a table is routed to its
supplement like one that cites it. The supplements are indexed one row per line, "China — CB 1: X; …" (see
`assistant.sources.ecfr_tables`); a question that names a row's head ("for Australia") is answered by that line.
"""

from __future__ import annotations

import re

# Table names as the EAR uses them → the supplement that holds the table.
NAMED_TABLES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bcountry groups?\b", re.I), "15 CFR 740 Supp. 1"),
    (re.compile(r"\bcommerce country chart\b|\bcountry chart\b", re.I), "15 CFR 738 Supp. 1"),
)
_ROW = re.compile(r"^(?P<head>[^—\n]{2,80}?) — ", re.M)
_FOOTNOTE = re.compile(r"\s*\(footnote \d+\)")


def tables_named(question: str) -> list[str]:
    """Unit ids of the tables the question names, in table order."""
    return [unit_id for pattern, unit_id in NAMED_TABLES if pattern.search(question)]


def row_head(line: str) -> str | None:
    """ "Belarus (footnote 6) — CB 1: X; …" → "Belarus"; None for a line that is not a table row."""
    match = _ROW.match(line)
    return _FOOTNOTE.sub("", match.group("head")).strip() if match else None


def names_row(question: str, line: str) -> bool:
    """Whether the question names the row `line` is the line of (its head, as whole words)."""
    head = row_head(line)
    if head is None or len(head) < 4:
        return False
    return re.search(rf"(?<!\w){re.escape(head)}(?!\w)", question, re.I) is not None


def has_named_row(question: str, text: str) -> bool:
    """Whether any line of `text` is a row the question names."""
    return any(names_row(question, line) for line in text.splitlines())
