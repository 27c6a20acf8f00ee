"""Part 736 as plain text extracted from the BIS "Export Administration Regulations" PDF edition.

The PDF text has page headers and footers between pages, a table of contents, line breaks inside every
paragraph, two-column footnotes and ALL-CAPS headings. This parser strips the page furniture, re-joins
wrapped lines into paragraphs and then emits the same units as the official eCFR XML parser: one per
section, one per designated paragraph and one per supplement.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import SourceError
from assistant.ids import cfr_id, supplement_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, clean, read_text, regulation_unit
from assistant.sources.designators import Outline, continues_outline, designation, split_leading

# "General Prohibitions Part 736-page 3" or "General Orders Supplement No. 1 to Part 736–page 1", sometimes
# followed on the same line by the running footer below (the first page has both on one line).
_PAGE_HEAD = re.compile(
    r"^(?P<title>[A-Z][A-Za-z ,&]*?)\s+(?:Supplement No\. \d+ to )?"
    r"Part (?P<part>\d{3})\s*[-–—]\s*page \d+\b(?P<rest>.*)$"
)
_RUNNING = re.compile(r"^Export Administration Regulations Bureau of Industry and Security [A-Z][a-z]+ \d{1,2}, \d{4}$")
_SECTION = re.compile(r"^§\s*(?P<part>\d{3})\.(?P<sec>\d{1,3})\s+(?P<head>[^a-z]*[A-Z][^a-z]*)$")
_SUPPLEMENT = re.compile(r"^SUPPLEMENT NO\.\s*(?P<num>\d+)\s+TO\s+PART\s+(?P<part>\d{3})\s*[-–—]?\s*(?P<head>[^a-z]*)$")
_TOC_LEADER = re.compile(r"\s*\.{3,}.*$|\s+\d+$")
# Undesignated paragraphs that always start on a new line in the PDF.
_NEW_BLOCK = re.compile(r"^(?:Note \d+ to |NOTE to |Administrative Order [A-Z][a-z]+:)")
# A footnote at the foot of a column: "1 See part 738 of the EAR for ...".
_FOOTNOTE = re.compile(r"^(?P<n>\d{1,2}) (?P<text>(?:See|For|The|This|These|In|Under|As) .*)$")
_TERMINAL = (".", ";", ":", ")")  # a footnote's text is complete when it ends with one of these
_SENTENCE_END = (".", ";", ":")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
_ABBREVIATIONS = ("U.S.", "No.", "Nos.", "e.g.", "i.e.", "Sec.", "Pub.", "L.", "Co.", "Inc.", "et seq.")
_SENTENCE_OPENERS = {"you", "it", "its", "if", "there", "each", "all", "this", "these", "a", "an", "the", "in", "any"}


@dataclass
class _Block:
    """One re-joined paragraph of the PDF text, in reading order."""

    line: int
    kind: str  # section | supplement | designated | text
    tokens: list[str] = field(default_factory=list)
    number: str = ""  # section "736.2" or supplement number
    part: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        out = ""
        for raw in self.lines:
            if not out:
                out = raw
            elif raw == "\n" or out.endswith("\n"):
                out += raw
            elif re.search(r"[A-Za-z]-$", out) and not out.endswith(" -"):
                # PDF wrapped a compound word ("cross-" / "references"): the hyphen is part of the word.
                out += raw
            else:
                out += " " + raw
        return clean(out)


@dataclass
class _Para:
    id: str
    path: tuple[str, ...]
    parts: list[str]
    body: str  # the first block's text after the designators, where a caption would be
    caption: str = ""


def _sentence_case(heading: str) -> str:
    words = heading.strip().rstrip(".").lower()
    return words[:1].upper() + words[1:] + "."


def _title_case(heading: str) -> str:
    words = heading.strip().lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def _ends(line: str, endings: tuple[str, ...]) -> bool:
    """Whether a line ends with one of `endings`, looking through closing quotation marks."""
    return line.rstrip("”’\"'").endswith(endings)


def _opens_sentence(line: str) -> bool:
    return line[:1].isupper() or line[:1] in '“‘"'


def _is_caption_line(previous: str, block: _Block) -> bool:
    """A caption set on its own short line, e.g. "(b) General prohibitions" or "(a) General Order No. 1".

    A wrapped line such as "(ii) License exceptions to General" is not one: it ends in a capitalised word
    that the next line continues ("Prohibition Six").
    """
    if block.kind != "designated" or len(block.lines) != 1 or len(previous) >= 40:
        return False
    last = previous.split()[-1] if previous.split() else ""
    return not _ends(previous, (",", "-", "—", "–", *_SENTENCE_END)) and (last.islower() or last.isdigit())


def _read_lines(path: Path) -> list[str]:
    raw = read_text(path, "the BIS text")
    return [unicodedata.normalize("NFC", line).replace("\u00a0", " ").strip() for line in raw.split("\n")]


def _body_lines(path: Path, lines: list[str]) -> tuple[list[tuple[int, str]], dict[str, str], str]:
    """Drop page furniture and the table of contents; pull out footnotes. Returns (body, footnotes, part title)."""
    body: list[tuple[int, str]] = []
    footnotes: dict[str, str] = {}
    open_note: str | None = None  # a footnote whose text runs on at the foot of the next column
    open_note_at = 0
    part_title = ""
    toc_first: str | None = None
    in_toc = False
    for number, line in enumerate(lines, start=1):
        if not line:
            continue
        head = _PAGE_HEAD.match(line)
        if head or _RUNNING.match(line):
            if head and not part_title and "Supplement" not in line:
                part_title = f"PART {head['part']}—{head['title'].upper()}"
            rest = head["rest"].strip() if head else ""
            # The last body line of the page may finish a footnote begun at the foot of the first column.
            if open_note is not None and len(body) > open_note_at:
                tail = body[-1][1]
                if tail[:1].islower() and tail.endswith(_TERMINAL):
                    footnotes[open_note] += " " + tail
                    body.pop()
            open_note = None
            if rest and not _RUNNING.match(rest):
                body.append((number, rest))  # text run onto the header line by the extractor: keep it
            continue
        if line == "Table of Contents":
            in_toc = True
            continue
        if in_toc:
            key = _TOC_LEADER.sub("", line)
            if toc_first is None:
                toc_first = key
            elif line == toc_first:
                in_toc = False  # the first heading again: the body starts here
            if in_toc:
                continue
        note = _FOOTNOTE.match(line)
        if note:
            footnotes[note["n"]] = note["text"]
            if not note["text"].endswith(_TERMINAL):
                open_note, open_note_at = note["n"], len(body)
            continue
        body.append((number, line))
    if in_toc:
        raise SourceError(str(path), "the table of contents never ends (no repeated first heading)")
    return body, footnotes, part_title


def _blocks(body: list[tuple[int, str]]) -> list[_Block]:
    """Re-join wrapped lines. A block starts at a heading, at a designator that continues the outline,
    after a short caption line or a short line that ends a sentence, and at a note."""
    blocks: list[_Block] = []
    outline = Outline()
    previous = ""
    heading_open = False
    for number, line in body:
        section, supp = _SECTION.match(line), _SUPPLEMENT.match(line)
        if section:
            blocks.append(
                _Block(
                    number,
                    "section",
                    number=f"{section['part']}.{section['sec']}",
                    part=section["part"],
                    lines=[section["head"]],
                )
            )
            outline.reset()
            heading_open, previous = True, line
            continue
        if supp:
            blocks.append(_Block(number, "supplement", number=supp["num"], part=supp["part"], lines=[supp["head"]]))
            outline.reset()
            heading_open, previous = True, line
            continue
        tokens, rest = split_leading(line)
        if heading_open and not tokens and line.upper() == line and any(c.isalpha() for c in line):
            blocks[-1].lines.append(line)  # an ALL-CAPS heading wrapped onto a second line
            previous = line
            continue
        after_heading, heading_open = heading_open, False
        if tokens and not rest.lstrip()[:1].islower() and continues_outline(outline, tokens):
            outline.place(tokens)
            blocks.append(_Block(number, "designated", tokens=tokens, lines=[rest.strip()]))
        elif not blocks or after_heading or _NEW_BLOCK.match(line):
            blocks.append(_Block(number, "text", lines=[line]))
        elif _is_caption_line(previous, blocks[-1]) and _opens_sentence(line):
            blocks[-1].lines += ["\n", line]  # keep the caption line apart from the text under it
        elif len(previous) < 38 and _ends(previous, _SENTENCE_END) and _opens_sentence(line):
            blocks.append(_Block(number, "text", lines=[line]))  # a short last line ended the paragraph
        else:
            blocks[-1].lines.append(line)
        previous = line
    return blocks


def _caption(text: str, has_children: bool) -> str:
    """The paragraph caption (italic in the official text), or "" when none can be told apart.

    A whole paragraph counts as a caption only when paragraphs follow under it ("(3) General Prohibition
    Three - Foreign-direct product (FDP) rules." then "(i) ..."); a short last item such as "(2) Lemuria."
    is text.
    """
    first, newline, _ = text.partition("\n")
    if newline and len(first.split()) <= 20 and not first.endswith((",", ";", ":")):
        return first
    for match in re.finditer(r"[.”’)](?=\s+[A-Z“‘(\[]|$)|-$", first):
        candidate = first[: match.end()]
        if match.end() == len(first) and not has_children:
            break
        if candidate.endswith(_ABBREVIATIONS):
            continue
        words = candidate.split()
        limit = 30 if candidate.startswith(("General Prohibition", "General Order", "TGL")) else 16
        if len(words) <= limit and words[0].lower() not in _SENTENCE_OPENERS and ";" not in candidate:
            return candidate
        break
    return ""


def _attach_footnotes(paras: list[list[str]], footnotes: dict[str, str]) -> None:
    """Put each footnote under the paragraph that carries its mark (e.g. "Country Chart).1"), written as
    the official-XML parser writes `<SU>` marks: "(footnote 1)"."""
    for n, note in footnotes.items():
        mark = re.compile(rf"(?<=[A-Za-z)”’.]){n}(?=\s|$)")
        found = next(((parts, i) for parts in paras for i, part in enumerate(parts) if mark.search(part)), None)
        if found:
            parts, i = found
            parts[i] = mark.sub(f" (footnote {n})", parts[i], count=1)
            parts.append(f"(footnote {n}) {note}")
        else:
            paras[-1].append(f"(footnote {n}) {note}")


@dataclass
class _Container:
    """A section or supplement being assembled."""

    id: str
    title: str
    kind: str
    intro: list[str] = field(default_factory=list)
    paras: dict[str, _Para] = field(default_factory=dict)
    last: _Para | None = None


def _containers(blocks: list[_Block]) -> list[_Container]:
    """Group blocks into sections and supplements, and a section's blocks into paragraphs.

    A paragraph's text keeps its designators as printed ("(1) General Prohibition One ..."), as the
    official-XML parser does, so a quote reads the way the regulation does.
    """
    containers: list[_Container] = []
    outline = Outline()
    for index, block in enumerate(blocks):
        printed = f"{designation(block.tokens)} {block.text}".strip()
        if block.kind == "section":
            uid = cfr_id(block.part, block.number.split(".")[1])
            containers.append(_Container(uid, f"§ {block.number} {_sentence_case(block.text)}", "section"))
            outline.reset()
        elif block.kind == "supplement":
            uid = supplement_id(block.part, block.number)
            title = f"Supplement No. {block.number} to Part {block.part}—{_title_case(block.text)}"
            containers.append(_Container(uid, title, "supplement"))
        elif containers[-1].kind == "supplement":
            containers[-1].intro.append(printed)  # a supplement is one unit
        elif block.kind == "designated":
            box = containers[-1]
            # The next paragraph's first designator settles "(i)": roman under the paragraph before, or
            # the letter after "(h)".
            nxt = next((b for b in blocks[index + 1 :] if b.kind != "text"), None)
            following = (nxt.tokens[0], None) if nxt is not None and nxt.kind == "designated" else None
            path = outline.place(block.tokens, following=following)
            uid = box.id + designation(path)
            para = box.paras.get(uid)
            if para is None:
                para = box.paras[uid] = _Para(uid, path, [], block.text)
            para.parts.append(printed)  # a repeated designation merges into the first
            box.last = para
        elif containers[-1].last is not None:
            containers[-1].last.parts.append(block.text)  # undesignated text after a paragraph belongs to it
        else:
            containers[-1].intro.append(block.text)
    return containers


def parse(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    body, footnotes, part_title = _body_lines(path, _read_lines(path))
    blocks = _blocks(body)
    if not blocks or blocks[0].kind not in {"section", "supplement"}:
        where = f"line {blocks[0].line}" if blocks else "anywhere"
        raise SourceError(str(path), f"{where}: text before the first § or supplement heading")
    if not any(b.kind == "section" for b in blocks):
        raise SourceError(str(path), "no § section heading found")
    containers = _containers(blocks)
    _attach_footnotes([p.parts for box in containers for p in box.paras.values()] or [containers[-1].intro], footnotes)
    part_title = part_title or f"PART {blocks[0].part}"

    for box in containers:
        heading = (part_title, box.title)
        yield regulation_unit(box.id, box.title, heading, box.intro, None, ctx)
        number = box.title.split()[1]
        for para in box.paras.values():
            para.caption = _caption(
                para.body, any(p.path[: len(para.path)] == para.path != p.path for p in box.paras.values())
            )
        labels = {para.path: f"({para.path[-1]}) {para.caption}".strip() for para in box.paras.values()}
        for para in box.paras.values():
            # Ancestor labels as the official parser writes them: "(b) General prohibitions", "(1)".
            trail = tuple(labels.get(para.path[:k], f"({para.path[k - 1]})") for k in range(1, len(para.path) + 1))
            ancestors = (box.id + designation(para.path[:k]) for k in range(len(para.path) - 1, 0, -1))
            parent = next((a for a in ancestors if a in box.paras), box.id)
            title = f"§ {number}{designation(para.path)} {para.caption}".strip()
            yield regulation_unit(para.id, title, (*heading, *trail), para.parts, parent, ctx)
