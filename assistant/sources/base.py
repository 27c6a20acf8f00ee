"""What every parser shares: the context it is given and small text helpers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from assistant.models import Frozen, SourceType, Unit


class ParseContext(Frozen):
    """What a parser knows about the file it reads besides its bytes."""

    source_id: str
    kind: SourceType
    as_of: str | None = None  # ISO date of the text (from sources.toml or the sync manifest)


Parser = Callable[[Path, ParseContext], Iterator[Unit]]

_WS = re.compile(r"[ \t\r\f\v]+")


def clean(text: str) -> str:
    """NFC-normalise and collapse runs of white space within lines; keep line breaks."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def ecfr_url(unit_id: str) -> str:
    """Official eCFR address of a regulation unit id (paragraph anchors follow eCFR's `p-` scheme)."""
    rest = unit_id.removeprefix("15 CFR ")
    if " Supp. " in rest:
        part, _, number = rest.partition(" Supp. ")
        title = quote(f"Supplement No. {number} to Part {part}")
        return f"https://www.ecfr.gov/current/title-15/part-{part}/appendix-{title}"
    if "." not in rest:
        return f"https://www.ecfr.gov/current/title-15/part-{rest}"
    section, paren, paras = rest.partition("(")
    url = f"https://www.ecfr.gov/current/title-15/section-{section}"
    return f"{url}#p-{section}({paras}" if paren else url


def ccl_url(eccn: str) -> str:
    """Official eCFR address of the CCL (Supp. No. 1 to Part 774); eCFR has no per-ECCN anchor."""
    return ecfr_url("15 CFR 774 Supp. 1")


def element_text(element: object, *, footnote_marks: bool = True) -> str:
    """Readable text of an lxml element: `<br/>` becomes a line break, `<sup>n</sup>` a footnote mark.

    Footnote marks are kept as `(footnote n)` because on the Entity List a footnote changes the licence
    scope (footnote 1, 4 and 5 rows are subject to foreign-direct-product rules).
    """
    from lxml import etree

    assert isinstance(element, etree._Element)
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif tag in {"sup", "SU"}:
            mark = "".join(el.itertext()).strip()
            if footnote_marks and mark:
                parts.append(f" (footnote {mark})")
        else:
            if el.text:
                parts.append(el.text)
            for child in el:
                walk(child)
                if child.tail:
                    parts.append(child.tail)

    walk(element)  # type: ignore[arg-type]
    return clean("".join(parts))
