"""What every parser shares: the context it is given, reading its file and small text helpers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from assistant.errors import SourceError
from assistant.models import Frozen, SourceType, Unit

if TYPE_CHECKING:
    from lxml import etree


class ParseContext(Frozen):
    """What a parser knows about the file it reads besides its bytes."""

    source_id: str
    kind: SourceType
    as_of: str | None = None  # ISO date of the text (from sources.toml or the sync manifest)


Parser = Callable[[Path, ParseContext], Iterator[Unit]]

_WS = re.compile(r"[ \t\r\f\v]+")


def read_text(path: Path, what: str = "") -> str:
    """The file's UTF-8 text; a SourceError `cannot read <what>: …` or `the file is empty` otherwise."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read{' ' + what if what else ''}: {exc}") from exc
    if not raw.strip():
        raise SourceError(str(path), "the file is empty")
    return raw


def one_line(text: str) -> str:
    """All white space (line breaks included) collapsed to single spaces."""
    return " ".join(text.split())


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


def regulation_unit(
    uid: str,
    title: str,
    heading_path: tuple[str, ...],
    blocks: list[str],
    parent: str | None,
    ctx: ParseContext,
    *,
    url: str | None = None,
) -> Unit:
    """A regulation unit whose text is its non-empty blocks, one blank line apart; `url` defaults to eCFR's."""
    return Unit(
        id=uid,
        title=title,
        heading_path=heading_path,
        source_type="regulation",
        source_id=ctx.source_id,
        text="\n\n".join(b for b in blocks if b) or title,  # a section without introductory text: its heading
        date=ctx.as_of,
        url=url or ecfr_url(uid),
        parent=parent,
    )


def tag_of(el: etree._Element) -> str:
    """An element's tag; "" for comments and processing instructions (whose `tag` is a function)."""
    return el.tag if isinstance(el.tag, str) else ""


def inner_text(element: etree._Element, render: Callable[[etree._Element, list[str]], bool]) -> str:
    """The text of an element and everything in it, in document order, tails included.

    `render(el, parts)` may write an element itself (a line break, a footnote mark) by appending to `parts`
    and returning True; an element it returns False for is read as its text, its children and their tails.
    """
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if render(el, parts):
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return "".join(parts)


def element_text(element: object, *, footnote_marks: bool = True) -> str:
    """Readable text of an lxml element: `<br/>` becomes a line break, `<sup>n</sup>` a footnote mark.

    Footnote marks are kept as `(footnote n)` because on the Entity List a footnote changes the licence
    scope (footnote 1, 4 and 5 rows are subject to foreign-direct-product rules).
    """
    from lxml import etree

    assert isinstance(element, etree._Element)

    def render(el: etree._Element, parts: list[str]) -> bool:
        tag = tag_of(el)
        if tag == "br":
            parts.append("\n")
        elif tag in {"sup", "SU"}:
            mark = "".join(el.itertext()).strip()
            if footnote_marks and mark:
                parts.append(f" (footnote {mark})")
        else:
            return False
        return True

    return clean(inner_text(element, render))
