"""Official eCFR versioner XML (a whole part, root `DIV5`, or one section, root `DIV8`) → regulation units.

Each section gives a section unit (`15 CFR 744.11`: its introductory text, source citation and notes) and
one unit per designated paragraph (`15 CFR 744.11(b)(1)`); each supplement gives one unit
(`15 CFR 744 Supp. 4`). The CCL (Supp. No. 1 to Part 774) and the Entity, Unverified and MEU lists
(Supps. No. 4, 6 and 7 to Part 744) are handed to their own parsers, which know their row structure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from assistant.errors import SourceError
from assistant.ids import cfr_id, supplement_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, clean, element_text, regulation_unit, tag_of
from assistant.sources.designators import Outline, is_designator, split_leading
from assistant.sources.ecfr_tables import render_blocks

_SUPPLEMENT_RE = re.compile(r"Supplement\s+No\.?\s*(\d+)\s+to\s+Part\s+(\d+)", re.IGNORECASE)
_TOKEN_RE = re.compile(r"\(([a-zA-Z]{1,5}|\d{1,3})\)")
# Supplements whose rows are records of a screening list, parsed by `assistant.sources.ear_lists`.
_LIST_SUPPLEMENTS = frozenset({("744", 4), ("744", 6), ("744", 7)})
_CCL = ("774", 1)
# A section's source citation and notes say when the rule changed; they belong to the section, wherever
# eCFR places them.
_SECTION_NOTES = frozenset({"CITA", "EDNOTE", "EFFDNOT"})
# eCFR's italic markup: <I>, and <E> with the italic type codes (T="01" is bold).
_ITALIC_E = frozenset({"02", "03", "04"})
# A designator right after a caption starts a child paragraph only if it is the first of a level: "(e)
# Caption. (1) Applications …" holds (e) and (e)(1) in one <P>.
_FIRST_CHILD = frozenset({"1", "i", "A"})
_SENTENCE_END = re.compile(r"[.:?\u2014][\"'\u201d\u2019]?$")
_SENTENCE_INSIDE = re.compile(r"[.:?][\"'\u201d\u2019]?(?=\s)")
# What may stand between a caption and the designator of its first child: "—(i)", ". (1)".
_BETWEEN = " \t\n\u2014\u2013-.:"


def parse(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    root = _load(path)
    if root.tag == "DIV8":
        part = (root.get("N") or "").split(".")[0]
        yield from _section(root, f"PART {part}", ctx)
        return
    part = root.get("N") or ""
    head = root.find("HEAD")
    part_heading = element_text(head) if head is not None else f"PART {part}"
    # The part's Authority and Source notes: the statutes behind it and the rule that first published it.
    notes = [block for el in root if el.tag in {"AUTH", "SOURCE"} for block in render_blocks(el)]
    if notes:
        yield _Draft(cfr_id(part), part_heading, (part_heading,), None, notes).unit(ctx)
    # iter() rather than children: parts with subparts nest sections one level deeper (DIV6).
    for div in root.iter("DIV8", "DIV9"):
        if div.tag == "DIV8":
            yield from _section(div, part_heading, ctx)
        else:
            yield from _supplement(div, part, part_heading, path, ctx)


def _load(path: Path) -> etree._Element:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(str(path), f"cannot read the eCFR XML file: {exc}") from exc
    if not data.strip():
        raise SourceError(str(path), "the eCFR XML file is empty")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(
            str(path), f"malformed or truncated eCFR XML at line {exc.lineno}, column {exc.offset}: {exc.msg}"
        ) from exc
    if root.tag not in {"DIV5", "DIV8"}:
        raise SourceError(
            str(path),
            f"line {root.sourceline}: root element is <{root.tag}>, expected an eCFR part (<DIV5>) or section (<DIV8>)",
        )
    return root


@dataclass
class _Draft:
    id: str
    title: str
    heading_path: tuple[str, ...]
    parent: str | None
    blocks: list[str] = field(default_factory=list)

    def unit(self, ctx: ParseContext) -> Unit:
        return regulation_unit(self.id, self.title, self.heading_path, self.blocks, self.parent, ctx)


@dataclass
class _Piece:
    """One designated paragraph as it opens a <P>: its designators, caption and own text."""

    tokens: list[str]
    italic: list[bool | None]
    caption: str
    text: str


def _is_empty_reserved(heading: str, content: list[etree._Element]) -> bool:
    return "[Reserved]" in heading and not any(block for el in content for block in render_blocks(el))


def _section(div: etree._Element, part_heading: str, ctx: ParseContext) -> Iterator[Unit]:
    number = div.get("N") or ""
    head_el = div.find("HEAD")
    heading = element_text(head_el) if head_el is not None else f"§ {number}"
    content = [el for el in div if tag_of(el) and el.tag != "HEAD"]
    if _is_empty_reserved(heading, content):
        return
    part, _, section = number.partition(".")
    section_id = cfr_id(part, section) if section else f"15 CFR {number}"
    top = _Draft(section_id, heading, (part_heading, heading), None)
    # Each <P> once: its pieces when it opens with designators (and the section is designated at all).
    opened = [(el, _pieces(el) if el.tag == "P" else []) for el in content]
    first = next((pieces[0].tokens[0] for _, pieces in opened if pieces), None)
    if first != "a":
        # § 772.1 and the like: "(1)", "(a)" inside definitions are not paragraphs of the section.
        top.blocks = [block for el in content for block in render_blocks(el)]
        yield top.unit(ctx)
        return
    drafts: dict[str, _Draft] = {section_id: top}
    labels: dict[tuple[str, ...], str] = {}
    outline = Outline()
    current = top
    flat = [piece for _, pieces in opened for piece in pieces]
    index = 0
    for el, pieces in opened:
        if not pieces:
            target = top if el.tag in _SECTION_NOTES else current
            target.blocks.extend(render_blocks(el))
            continue
        for piece in pieces:
            index += 1
            nxt = flat[index] if index < len(flat) else None
            following = (nxt.tokens[0], nxt.italic[0]) if nxt else None
            path = outline.place(piece.tokens, piece.italic, following)
            current = _paragraph(drafts, labels, top, number, path, piece)
    for draft in drafts.values():
        yield draft.unit(ctx)


def _paragraph(
    drafts: dict[str, _Draft],
    labels: dict[tuple[str, ...], str],
    top: _Draft,
    number: str,
    path: tuple[str, ...],
    piece: _Piece,
) -> _Draft:
    designation = "".join(f"({p})" for p in path)
    unit_id = f"{top.id}{designation}"
    existing = drafts.get(unit_id)
    if existing is not None:
        # The same designation twice in one section is a source error; one id must stay one unit.
        existing.blocks.append(piece.text)
        return existing
    label = f"({path[-1]}) {piece.caption}" if piece.caption else f"({path[-1]})"
    labels.setdefault(path, label)
    ancestors = [labels.get(path[:k], f"({path[k - 1]})") for k in range(1, len(path))]
    parent = top.id
    for k in range(len(path) - 1, 0, -1):
        candidate = top.id + "".join(f"({p})" for p in path[:k])
        if candidate in drafts:
            parent = candidate
            break
    title = f"§ {number}{designation}" + (f" {piece.caption}" if piece.caption else "")
    draft = _Draft(unit_id, title, (*top.heading_path, *ancestors, label), parent, [piece.text])
    drafts[unit_id] = draft
    return draft


def _pieces(p: etree._Element) -> list[_Piece]:
    """Split a <P> into the designated paragraphs it opens. eCFR runs a paragraph and its first child
    together after a caption ("(2) <I>Caption</I>—(i) <I>Caption.</I> Text"), so each becomes its own."""
    raw, italic = _flatten(p)
    pieces: list[_Piece] = []
    start = 0
    while True:
        tokens, rest = split_leading(raw[start:])
        if not tokens or not all(is_designator(t) for t in tokens):
            return pieces
        body = len(raw) - len(rest)
        flags = [_token_italic(m.start(1), body, italic) for m in _TOKEN_RE.finditer(raw, start, body)]
        run, nxt = "", body
        span = italic.get(body)
        if span is not None and span[0] >= body - 1 and span[1] - body < 300:
            run, nxt = raw[body : span[1]], span[1]
        while nxt < len(raw) and raw[nxt] in _BETWEEN:
            nxt += 1
        child, _ = split_leading(raw[nxt:])
        split = bool(run) and bool(child) and child[0] in _FIRST_CHILD and all(is_designator(t) for t in child)
        end = nxt if split else len(raw)
        caption = _caption(run, raw[body + len(run) : body + len(run) + 1], split)
        pieces.append(_Piece(tokens, flags, caption, clean(raw[start:end])))
        if not split:
            return pieces
        start = end


def _caption(run: str, follower: str, split: bool) -> str:
    """The caption in an italic run after the designators. A run that neither ends a sentence nor is
    followed by "—", "." or a child designator is emphasis ("(i) <I>All</I> of the reasons"); a run that
    goes on past its caption ("<I>Reporting requirements. See</I>") keeps only the caption."""
    text = clean(run)
    if not text:
        return ""
    if split or follower in "\u2014.:" or _SENTENCE_END.search(text):
        return text.rstrip(" \u2014")
    cut = [m.end() for m in _SENTENCE_INSIDE.finditer(text)]
    return text[: cut[-1]].strip() if cut else ""


def _flatten(p: etree._Element) -> tuple[str, dict[int, tuple[int, int]]]:
    """A <P>'s text rendered like `element_text` (footnote marks, line breaks) and, for every character
    set in italics, the italic run it belongs to: designator italics tell levels 5-6 from 2-3, and a run
    right after the designators is the paragraph's caption."""
    parts: list[tuple[str, bool]] = []

    def walk(el: etree._Element, italic: bool) -> None:
        tag = tag_of(el)
        if tag == "br":
            parts.append(("\n", italic))
            return
        if tag in {"sup", "SU"}:
            mark = "".join(el.itertext()).strip()
            if mark:
                parts.append((f" (footnote {mark})", False))
            return
        inner = italic or tag == "I" or (tag == "E" and el.get("T") in _ITALIC_E)
        if el.text:
            parts.append((el.text, inner))
        for child in el:
            walk(child, inner)
            if child.tail:
                parts.append((child.tail, inner))

    walk(p, False)
    raw = "".join(text for text, _ in parts)
    runs: dict[int, tuple[int, int]] = {}
    pos, run_start = 0, -1

    def close(end: int) -> None:
        for i in range(run_start, end):
            runs[i] = (run_start, end)

    for text, is_italic in parts:
        if is_italic and run_start < 0:
            run_start = pos
        elif not is_italic and run_start >= 0:
            close(pos)
            run_start = -1
        pos += len(text)
    if run_start >= 0:
        close(pos)
    return raw, runs


def _token_italic(pos: int, body: int, italic: dict[int, tuple[int, int]]) -> bool | None:
    """True when the designator is italic on its own (`(<I>1</I>)`), None when the whole paragraph is
    italic (then the markup says nothing about the level), False otherwise."""
    span = italic.get(pos)
    if span is None:
        return False
    return True if span[1] <= body else None


def _supplement(div: etree._Element, part: str, part_heading: str, path: Path, ctx: ParseContext) -> Iterator[Unit]:
    name = div.get("N") or ""
    head_el = div.find("HEAD")
    heading = element_text(head_el) if head_el is not None else name
    match = _SUPPLEMENT_RE.search(name) or _SUPPLEMENT_RE.search(heading)
    if match is None:
        raise SourceError(str(path), f"line {div.sourceline}: cannot read the supplement number from {name!r}")
    number, supp_part = int(match.group(1)), match.group(2)
    if (supp_part, number) == _CCL:
        from assistant.sources.ccl import parse_ccl

        yield from parse_ccl(div, ctx)
        return
    content = [el for el in div if tag_of(el) and el.tag != "HEAD"]
    if _is_empty_reserved(heading, content):
        return
    is_list = (supp_part, number) in _LIST_SUPPLEMENTS
    blocks = [block for el in content for block in render_blocks(el, table_rows=not is_list)]
    unit_id = supplement_id(supp_part, number)
    yield _Draft(unit_id, heading, (part_heading, heading), None, blocks).unit(ctx)
    if is_list:
        from assistant.sources.ear_lists import parse_list_rows

        yield from parse_list_rows(div, ctx, part=supp_part, number=number)
