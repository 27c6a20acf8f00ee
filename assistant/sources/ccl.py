"""Supplement No. 1 to Part 774 (the Commerce Control List) → `ECCN …` units.

The eCFR XML of the CCL is flat: every category heading, ECCN heading, licence table, note and item
paragraph is a direct child of the supplement's `DIV9`, so the outline has to be rebuilt from the order
of the elements. An ECCN starts at a bold heading (`<FP-2><B>3A090 …</B>`; once `<FP-1><B>8D001 …`) and
ends at the next ECCN, at a structural `<HD1>` (category, "Part 1", product group, "I. …" sub-group,
annex), at the category's closing EAR99 statement or at the end of the supplement. What is not inside an
ECCN (category headings and general notes, the Annex to Category 1, the "APP" technical note after
Category 4, EAR99 statements, citation and editorial notes) becomes the supplement's own unit.

Each ECCN gives one unit for the entry (heading, licence requirements, licence exceptions, related
controls/definitions, notes and the "Items:" intro) and one unit per top-level item paragraph (`a.`, `b.`,
… with all its sub-items, notes and technical notes), so `ECCN 3A090.a` can be cited on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree

from assistant.ids import eccn_id, supplement_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, ccl_url, ecfr_url, element_text, one_line, regulation_unit, tag_of

_CODE = re.compile(r"^(\d[A-E]\d{3})\b")
# A top-level item label: `a.`, also the reserved ranges `f. through w.`, `b.-d.`, `b. to x.`, `e. through .w`.
_ITEM = re.compile(r"^([a-z])\.(?:\s*(?:through|to|-)\s*\.?[a-z]\.?)?(?=\s|$)")
_RESERVED = re.compile(r"^\[?\s*reserved\s*\]?\s*\.?$", re.IGNORECASE)
# "Items:" (FP, FP-1 or P) opens the item list; 9C610 puts item a. right after the "List of Items
# Controlled" label instead.
_ITEMS_LABEL = re.compile(r"^Items?(?::|(?=\s+[a-z]\.\s))")  # "Items:"; 9D604 has "Items a. …"
_LIST_LABEL = re.compile(r"^List of Items Controlled")
# The only HD1 headings that occur inside an entry (3A090 uses HD1 where other entries use FP-1 labels).
_ENTRY_HD1 = ("List Based License Exceptions", "List of Items Controlled", "License Requirements")
_CATEGORY = re.compile(r"^Category\s+(\d+)\s*—\s*(.+)$", re.DOTALL)
_PART = re.compile(r"^Part\s+\d+\s*—")
_GROUP = re.compile(r"^([A-E])\.\s+(.+)$", re.DOTALL)
_SUBGROUP = re.compile(r"^[IVX]+\.\s")
_SUPP = re.compile(r"Supplement No\.\s*(\d+) to Part (\d+)", re.IGNORECASE)
_TEXT_TAGS = {"P", "FP", "FP-1", "FP-2", "HD1", "HD2", "HD3", "XREF", "CITA", "HED", "PSPACE"}


def normalize_ccl(div9: etree._Element) -> etree._Element:
    """A copy of the supplement whose exponents read `10^26`, `cm^3`, `(^10B)` and whose source line breaks are spaces.

    In the CCL every `<SU>` (and `<E T="51|53">`) is an exponent or an isotope number, never a footnote mark,
    so `element_text`'s `(footnote 26)` would misstate thresholds such as 4E091's 10^26 operations. The eCFR
    also breaks lines inside text (always before `<SU>`); only `<br/>` is a real line break. The caller's tree
    is left as it was.
    """
    copy = deepcopy(div9)
    for el in list(copy.iter("SU", "sup", "E")):
        prev, parent = el.getprevious(), el.getparent()
        before = (prev.tail if prev is not None else parent.text if parent is not None else "") or ""
        if el.tag == "E" and el.get("T") not in {"51", "53"}:
            continue
        if el.tag == "sup" and not before[-1:].isdigit():
            continue  # the coating table's real footnote mark "(1) <sup>1</sup>"
        if prev is not None:
            prev.tail = before.rstrip()
        elif parent is not None:
            parent.text = before.rstrip()
        el.tag, el.text = "E", "^" + "".join(el.itertext()).strip()
        el.attrib.clear()
        for child in list(el):
            el.remove(child)
    for el in copy.iter():
        if el.text and "\n" in el.text:
            el.text = el.text.replace("\n", " ")
        if el.tail and "\n" in el.tail:
            el.tail = el.tail.replace("\n", " ")
    return copy


def _dash(text: str) -> str:
    """'Category 3—Electronics' → 'Category 3 — Electronics' for outline labels (not for quoted text)."""
    return one_line(re.sub(r"\s*—\s*", " — ", text))


def _starts_italic(el: etree._Element) -> bool:
    """`<P><I>a. …</I></P>` is a lettered list inside a flat (non-NOTE) note, never an item of the entry."""
    return not (el.text or "").strip() and len(el) > 0 and tag_of(el[0]) == "I"


def _table_block(table: etree._Element) -> str:
    """A table as lines: the licence table's rows read 'RS applies to 3A090.a: To or within …'."""
    lines: list[str] = []
    for caption in table.iter("CAPTION"):
        lines.append(one_line(element_text(caption)))
    for tr in table.iter("TR"):
        cells = [c for c in tr if tag_of(c) in {"TH", "TD"}]
        header = any(tag_of(c) == "TH" for c in cells)
        texts = [one_line(element_text(c)) for c in cells]
        if len(texts) == 2 and not header and all(texts):
            lines.append(f"{texts[0]}: {texts[1]}")
        elif any(texts):
            lines.append(" | ".join(t for t in texts if t))
    return "\n".join(lines)


def _blocks(el: etree._Element) -> list[str]:
    """Readable blocks of one child of the DIV9: one per paragraph; a note's label stays with its first line."""
    tag = tag_of(el)
    if tag in {"NOTE", "EDNOTE"}:
        out: list[str] = []
        label = ""
        for child in el:
            text = element_text(child)
            if tag_of(child) == "HED":
                label = f"{label}\n{text}".strip() if text else label
            elif text:
                out.append(f"{label}\n{text}" if label and not out else text)
        return out or ([label] if label else [])
    if tag == "DIV":
        return [b for b in (_table_block(t) for t in el.iter("TABLE")) if b]
    if tag == "img":
        return []
    text = element_text(el)
    return [text] if text else []


@dataclass
class _Record:
    """A unit being assembled; codes or items that repeat in the source are merged into the first."""

    id: str
    title: str
    heading_path: tuple[str, ...]
    url: str
    blocks: list[str] = field(default_factory=list)
    parent: str | None = None
    reserved_only: bool = False


@dataclass
class _Entry:
    code: str
    heading: str
    path: tuple[str, ...]
    elements: list[etree._Element] = field(default_factory=list)


def _heading_code(el: etree._Element) -> str | None:
    """The ECCN code if `el` is an entry heading: a bold run at the very start whose text starts with a code."""
    if tag_of(el) not in {"FP-2", "FP-1"} or (el.text or "").strip() or len(el) == 0 or tag_of(el[0]) != "B":
        return None
    m = _CODE.match(element_text(el[0]))
    return m.group(1) if m else None


def _items_start(elements: list[etree._Element]) -> int | None:
    """Index of the element where the item list begins (its label, or the first item when unlabelled)."""
    texts = [element_text(e) if tag_of(e) in _TEXT_TAGS else "" for e in elements]
    for i, text in enumerate(texts):
        if _ITEMS_LABEL.match(text):
            return i
    for i, text in enumerate(texts):
        if _LIST_LABEL.match(text) and _ITEM.match(_LIST_LABEL.sub("", text).strip()):
            return i
    # 5A001 has no "Items:" label: its items follow the "List of Items Controlled" block directly.
    after = next((i for i, t in enumerate(texts) if _LIST_LABEL.match(t)), 0)
    for i in range(after, len(elements)):
        if tag_of(elements[i]) == "P" and _ITEM.match(texts[i]) and not _starts_italic(elements[i]):
            return i
    return None


def _entry_records(entry: _Entry) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Split an entry's elements into the entry's own blocks and (letter, blocks) per top-level item."""
    body: list[str] = []
    items: list[tuple[str, list[str]]] = []
    start = _items_start(entry.elements)
    stream: list[tuple[etree._Element | None, str]] = []  # (element or None for a split-off item, text)
    for i, el in enumerate(entry.elements):
        if start is None or i < start:
            body.extend(_blocks(el))
            continue
        text = element_text(el) if tag_of(el) in _TEXT_TAGS else ""
        label = _ITEMS_LABEL.match(text) or _LIST_LABEL.match(text) if i == start else None
        if label and _ITEM.match(rest := text[label.end() :].strip()):
            # "Items: a. …" on one line: the label stays with the entry, item a. starts the item list.
            body.append(label.group(0))
            stream.append((None, rest))
            continue
        if tag_of(el) in _TEXT_TAGS:
            stream.append((el, text))
        else:
            stream.extend((el, b) for b in _blocks(el))

    pending: list[str] = []  # HD2 sub-headings (6D003, 6E003) belong to the item they precede
    current = ""
    for el, text in stream:
        if not text:
            continue
        tag = tag_of(el) if el is not None else "P"
        m = _ITEM.match(text) if tag in {"P", "FP", "FP-1"} and (el is None or not _starts_italic(el)) else None
        # Letters only move forward: a repeated or earlier letter is a list inside a note, not a new item.
        if m and m.group(1) > current:
            current = m.group(1)
            items.append((current, [*pending, text]))
            pending = []
        elif tag in {"HD2", "HD3"}:
            pending.append(text)
        elif items:
            items[-1][1].append(text)
        else:
            body.append(text)
    (items[-1][1] if items else body).extend(pending)
    return body, items


def parse_ccl(div9: etree._Element, ctx: ParseContext) -> Iterator[Unit]:
    """Units of the CCL supplement: `15 CFR 774 Supp. 1`, `ECCN 3A090` and `ECCN 3A090.a` (see module doc)."""
    div9 = normalize_ccl(div9)
    head = div9.find("HEAD")
    supp_title = _dash(element_text(head)) if head is not None else "Supplement No. 1 to Part 774"
    m = _SUPP.search(div9.get("N", "") or supp_title)
    supp = supplement_id(m.group(2), m.group(1)) if m else supplement_id(774, 1)

    supp_blocks: list[str] = []
    entries: list[_Entry] = []
    current: _Entry | None = None
    category = part = group = subgroup = ""
    cat_digit = ""
    for el in div9:
        tag = tag_of(el)
        if tag == "HEAD":
            continue
        text = element_text(el) if tag in _TEXT_TAGS else ""
        code = _heading_code(el)
        if code:
            path = tuple(p for p in (supp_title, category, part, group, subgroup) if p)
            heading = one_line(text)
            title = f"ECCN {code} — {one_line(heading[len(code) :])}"
            current = _Entry(code=code, heading=text, path=(*path, title))
            entries.append(current)
            continue
        if tag == "HD1" and text.startswith(_ENTRY_HD1) and current is not None:
            current.elements.append(el)
            continue
        if tag in {"HD1", "HD3", "CITA", "EDNOTE"} or (tag == "FP-2" and text.startswith("EAR99")):
            current = None  # the entry ends; what follows is category-level text
            if tag == "HD1":
                if cm := _CATEGORY.match(text):
                    cat_digit = cm.group(1)
                    category, part, group, subgroup = _dash(text), "", "", ""
                elif _PART.match(text):
                    part, group, subgroup = _dash(text), "", ""
                elif gm := _GROUP.match(text):
                    group, subgroup = f"{cat_digit}{gm.group(1)} — {_dash(gm.group(2))}", ""
                elif _SUBGROUP.match(text):
                    subgroup = _dash(text)
                else:  # e.g. "Annex to Category 1"
                    group, subgroup = _dash(text), ""
        if current is not None:
            current.elements.append(el)
        else:
            supp_blocks.extend(_blocks(el))

    records: dict[str, _Record] = {}
    for entry in entries:
        eid = eccn_id(entry.code)
        body, items = _entry_records(entry)
        rec = records.get(eid)
        if rec is None:
            rec = records[eid] = _Record(eid, entry.path[-1], entry.path, ccl_url(entry.code))
        rec.blocks.extend([entry.heading, *body])
        for letter, blocks in items:
            iid = eccn_id(entry.code, letter)
            item = records.get(iid)
            if item is None:
                title = iid
                item = records[iid] = _Record(iid, title, (*entry.path, title), ccl_url(entry.code), parent=eid)
                label = _ITEM.match(blocks[0])
                body_text = blocks[0][label.end() :].strip() if label else blocks[0]
                item.reserved_only = len(blocks) == 1 and bool(_RESERVED.match(body_text))
            else:
                item.reserved_only = False
            item.blocks.extend(blocks)

    yield Unit(
        id=supp,
        title=supp_title,
        heading_path=(supp_title,),
        source_type="regulation",
        source_id=ctx.source_id,
        text="\n\n".join(supp_blocks),
        date=ctx.as_of,
        url=ecfr_url(supp),
    )
    for rec in records.values():
        if rec.reserved_only:
            continue  # "b. [Reserved]" alone says nothing a user could ask about
        # Every record's blocks start with its heading or item text, so none falls back to its title.
        yield regulation_unit(rec.id, rec.title, rec.heading_path, rec.blocks, rec.parent, ctx, url=rec.url)
