"""Sentence splitting for regulation text, where most full stops are not sentence ends
("§ 744.11", "U.S.", "Supp. No. 4", "Co., Ltd.", "a.1.")."""

from __future__ import annotations

import re

_ABBREV = frozenset(
    (
        "u.s no nos supp sec secs co ltd inc corp e.g i.e etc a.k.a fed reg pub l jr sr st dr mr mrs ms vs cf "
        "jan feb mar apr jun jul aug sep sept oct nov dec art para paras p pp vol ed approx dept gov int'l "
        "intl u.s.c c.f.r f.r"
    ).split()
)
_LABEL = re.compile(r"[a-z0-9]{1,3}(\.[a-z0-9]+)+")
# A semicolon ends a sentence only before an enumerated item ("…; (ii) …"), not inside a list of names.
_BOUNDARY = re.compile(r"(?<=[.?!])[\"”’)]*\s+(?=[\"“(§A-Z0-9])|(?<=;)\s+(?=\()")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and lines) of `text`, so callers can quote exact substrings."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _BOUNDARY.finditer(line):
            end = match.start()
            head = line[start:end].rstrip()
            last = head.rsplit(None, 1)[-1].lower().rstrip(".;:") if head.split() else ""
            # Not a sentence end after an abbreviation, a lone letter or a CCL item label ("a.1.").
            if head.endswith(".") and (last in _ABBREV or len(last) <= 1 or _LABEL.fullmatch(last)):
                continue
            if head.strip():
                spans.append((offset + start, offset + start + len(head)))
            start = match.end()
        tail = line[start:].rstrip()
        if tail.strip():
            spans.append((offset + start, offset + start + len(tail)))
        offset += len(line) + 1
    return spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]
