"""EAR Parts 745-772 from a third-party Markdown conversion of eCFR Chapter VII (January 2025).

Layout of the file (one paragraph per line, blank lines between):

    PART 746—EMBARGOES AND OTHER SPECIAL CONTROLS        part heading (indented)
### Part 746                                             part marker
**Authority:** Authority: ... / **Source:** Source: ... part notes
      § 746.8   Sanctions against Russia and Belarus.    section heading (indented) ...
#### § § 746.8                                          ... confirmed by the section marker after it
      (a) —(1)  (i) A license is required ...            paragraphs; "—" joins designators after a dropped caption
      () Food, "medicine," ...                           an italic designator the converter dropped
> [87 FR 12244, Mar. 3, 2022, as amended at ...]        the section's source citation

The converter dropped inline italics (paragraph captions, § 772.1 term names) and left `_x_` emphasis marks.
Units follow the official-XML parser: a part unit for the Authority/Source notes, a section unit (intro text
and citation), one unit per designated paragraph whose text starts with its designators as printed.
Only Parts 745-772 are emitted: Part 774 and § 772.1 come from official XML, Parts 775+ are not the EAR.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import SourceError
from assistant.ids import cfr_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, clean, read_text, regulation_unit
from assistant.sources.designators import Outline, continues_outline, designation, split_leading

EAR_PARTS = range(745, 773)  # Parts 745-772
OFFICIAL_ELSEWHERE = {"772.1"}  # parsed from the official eCFR XML instead

_PART = re.compile(r"^PARTS? (?P<part>\d{3})(?:-\d{3})?\b")
_STRUCTURE = re.compile(r"^(?:#{1,3} |CHAPTER |SUBCHAPTER |Subpart [A-Z]\b)")
_SECTION_HEAD = re.compile(r"^§\s*(?P<num>\d{3}\.\d{1,3})\s+(?P<head>.*)$")
_SECTION_MARK = re.compile(r"^#### §\s*§\s*(?P<num>\d{3}\.\d{1,3})\s*$")
_NOTE = re.compile(r"^\*\*(?:Authority|Source):\*\*\s*")  # "**Authority:** Authority: 50 U.S.C. ..."
_CITATION = re.compile(r"^>\s*(?P<text>.+)$")
_DASHED = re.compile(r"^((?:\([A-Za-z0-9]{1,5}\)\s*)+)—\s*(?=\()")  # "(a) —(1)": caption dropped before "—"
_RANGE = re.compile(r"^\([A-Za-z0-9]{1,5}\)\s*[-–]\s*\([A-Za-z0-9]{1,5}\)")  # "(9)-(11) [Reserved]"
_EMPTY_DESIGNATOR = re.compile(r"^\(\)\s*")
_EMPHASIS = re.compile(r"_([^_\n]+)_")


@dataclass
class _Part:
    number: int
    heading: str
    notes: list[str] = field(default_factory=list)
    emitted: bool = False


@dataclass
class _Para:
    id: str
    path: tuple[str, ...]
    parts: list[str] = field(default_factory=list)
    own: bool = False  # whether any text followed its designators (captions were dropped by the converter)


@dataclass
class _Section:
    number: str
    title: str
    part_heading: str
    line: int
    lines: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    paras: dict[str, _Para] = field(default_factory=dict)

    @property
    def id(self) -> str:
        part, _, sec = self.number.partition(".")
        return cfr_id(part, sec)

    @property
    def part(self) -> int:
        return int(self.number.partition(".")[0])

    def add(self, line: str) -> None:
        text = _EMPHASIS.sub(r"\1", line)
        while _DASHED.match(text):
            text = _DASHED.sub(r"\1", text, count=1)
        self.lines.append(text)

    def build(self) -> None:
        """Place each line's designators in the outline and collect the paragraphs' text in order."""
        entries: list[tuple[list[str], str, str]] = []
        for text in self.lines:
            if _EMPTY_DESIGNATOR.match(text) or _RANGE.match(text):
                # No usable designator ("()" lost its italic number; "(9)-(11) [Reserved]" is a range): the
                # line is undesignated text of the paragraph before it.
                entries.append(([], _EMPTY_DESIGNATOR.sub("", text), text))
            else:
                entries.append((*split_leading(text), text))
        outline = Outline()
        last: _Para | None = None
        for i, (tokens, rest, text) in enumerate(entries):
            if tokens:
                nxt = next((t[0] for t, _, _ in entries[i + 1 :] if t), None)
                following = (nxt, None) if nxt else None
                trial = copy.deepcopy(outline)
                if self.id + designation(trial.place(tokens, following=following)) in self.paras and not (
                    continues_outline(outline, tokens)
                ):
                    # Out-of-sequence designators that would land on an earlier paragraph, e.g. 760.3(i)(1)(ii)
                    # lists its items as "(a)", "(b)": keep them as text of the paragraph they belong to.
                    tokens, rest = [], text
            rest = clean(rest)
            if tokens:
                path = outline.place(tokens, following=following)
                uid = self.id + designation(path)
                last = self.paras.setdefault(uid, _Para(uid, path))  # a repeated designation merges into the first
                last.parts.append(f"{designation(tokens)} {rest}".strip())
                last.own = last.own or bool(rest)
            elif rest:
                (last.parts if last else self.intro).append(rest)

    @property
    def empty(self) -> bool:
        return not self.intro and not any(p.own or len(p.parts) > 1 for p in self.paras.values())

    def units(self, ctx: ParseContext) -> Iterator[Unit]:
        heading = (self.part_heading, self.title)
        # The source citation ("[61 FR 12806, Mar. 25, 1996, as amended ...]") is about the whole section.
        yield regulation_unit(self.id, self.title, heading, [*self.intro, *self.citations], None, ctx)
        # A paragraph whose only text was its dropped italic caption (the bare "(a)" of § 760.2) has no unit;
        # its children name the nearest ancestor that has one as parent.
        existing = {uid for uid, para in self.paras.items() if para.own or len(para.parts) > 1}
        for para in self.paras.values():
            if para.id not in existing:
                continue
            labels = tuple(f"({p})" for p in para.path)  # captions are lost in this conversion
            ancestors = (self.id + designation(para.path[:k]) for k in range(len(para.path) - 1, 0, -1))
            parent = next((a for a in ancestors if a in existing), self.id)
            title = f"§ {self.number}{designation(para.path)}"
            yield regulation_unit(para.id, title, (*heading, *labels), para.parts, parent, ctx)


def _lines(path: Path) -> list[tuple[int, str]]:
    """Non-blank lines with their 1-based numbers, front matter removed."""
    raw = read_text(path, "the Markdown file")
    lines = [(n, line.strip()) for n, line in enumerate(raw.split("\n"), start=1)]
    if lines and lines[0][1] == "---":  # YAML front matter
        end = next((i for i, (_, text) in enumerate(lines[1:], start=1) if text == "---"), None)
        if end is None:
            raise SourceError(str(path), "line 1: front matter '---' is never closed")
        lines = lines[end + 1 :]
    out = [(n, text) for n, text in lines if text]
    if not out:
        raise SourceError(str(path), "the file is empty")
    return out


def _read(path: Path, lines: list[tuple[int, str]]) -> Iterator[_Part | _Section]:
    """Parts (with their notes) and sections in file order; a part comes before its first section."""
    part: _Part | None = None
    current: _Section | None = None
    i = 0
    while i < len(lines):
        number, text = lines[i]
        head = _SECTION_HEAD.match(text)
        mark = _SECTION_MARK.match(lines[i + 1][1]) if i + 1 < len(lines) else None
        if (head and mark and mark["num"] == head["num"]) or _SECTION_MARK.match(text):
            if current:
                yield current
            if part and not part.emitted:
                part.emitted = True
                yield part
            if head and mark:
                current = _Section(
                    head["num"], clean(f"§ {head['num']} {head['head']}"), part.heading if part else "", number
                )
                i += 2
                continue
            num = _SECTION_MARK.match(text)["num"]  # type: ignore[index]  # a marker without a heading line
            current = _Section(num, f"§ {num}", part.heading if part else "", number)
        elif _PART.match(text) or _STRUCTURE.match(text):
            if current:
                yield current
                current = None
            if part_match := _PART.match(text):
                if part and not part.emitted:
                    yield part
                part = _Part(int(part_match["part"]), clean(text))
        elif _NOTE.match(text) and current is None and part is not None:
            part.notes.append(clean(_NOTE.sub("", text)))
        elif current is None:
            raise SourceError(str(path), f"line {number}: text outside any section: {text[:60]!r}")
        elif citation := _CITATION.match(text):
            current.citations.append(clean(citation["text"]))
        else:
            current.add(text)
        i += 1
    if current:
        yield current
    if part and not part.emitted:
        yield part


def parse(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    seen: set[str] = set()
    found = False
    for item in _read(path, _lines(path)):
        if isinstance(item, _Part):
            if item.number in EAR_PARTS and item.notes:
                # The part's Authority and Source notes make the part unit, as in the official-XML parser.
                yield regulation_unit(cfr_id(item.number), item.heading, (item.heading,), item.notes, None, ctx)
            continue
        found = True
        if item.part not in EAR_PARTS or item.number in OFFICIAL_ELSEWHERE:
            continue
        item.build()
        if item.empty:
            continue  # §§ 746.5, 750.5, 754.2 and [Reserved] sections have no body in this conversion
        if item.id in seen:
            raise SourceError(str(path), f"line {item.line}: § {item.number} appears twice")
        seen.add(item.id)
        yield from item.units(ctx)
    if not found:
        raise SourceError(str(path), "no sections found (expected '#### § § 745.1' style markers)")
