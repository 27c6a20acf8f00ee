"""Rendering eCFR XML blocks and tables as plain text for `assistant.sources.ecfr`.

A table becomes one line per row that names its columns ("Afghanistan — CB 1: X; CB 2: X"), so a chunk
cut from the middle of a long table still says what each mark means; a row of a text table reads
"Header: value; Header: value".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from assistant.sources.base import element_text, one_line, tag_of

# Elements that hold other blocks rather than running text; anything else is rendered as one block.
_BLOCK_TAGS = frozenset(
    {
        "P", "FP", "FP-1", "FP-2", "FP-DASH", "PSPACE", "HED", "HD1", "HD2", "HD3", "HEAD", "TABLE", "DIV",
        "NOTE", "NOTES", "EXTRACT", "EXAMPLE", "LI", "SCOL2", "CITA", "EDNOTE", "EFFDNOT", "FTNT", "XREF",
        "GPOTABLE", "img", "CAPTION",
    }
)  # fmt: skip
# Marks in a matrix table (the Country Chart, Country Groups): short enough that the header carries the meaning.
_MARK_MAX = 3


def render_blocks(el: etree._Element, *, table_rows: bool = True) -> list[str]:
    """The text blocks of an element, in document order. `table_rows=False` keeps only a table's caption
    and footnotes (for the screening-list supplements, whose rows become list units elsewhere)."""
    tag = tag_of(el)
    if not tag:
        return []
    if tag == "TABLE":
        text = render_table(el, rows=table_rows)
        return [text] if text else []
    if tag == "SCOL2":
        items = [one_line(element_text(li)) for li in el.iter("LI")]
        return ["\n".join(item for item in items if item)] if any(items) else []
    if not any(tag_of(child) in _BLOCK_TAGS for child in el):
        text = element_text(el)
        return [text] if text else []
    out: list[str] = []
    for child in el:
        out.extend(render_blocks(child, table_rows=table_rows))
        if child.tail and child.tail.strip():
            out.append(one_line(child.tail))
    first = next((child for child in el if tag_of(child)), None)
    if first is not None and tag_of(first) == "HED" and len(out) >= 2 and out[0] == element_text(first):
        # "Note 1 to paragraph (a):" / "Effective Date Note:" reads as the lead-in of the text after it.
        out[0:2] = [f"{out[0]} {out[1]}"]
    return out


@dataclass(frozen=True, slots=True)
class _Cell:
    col: int
    span: int
    text: str


def _rows(trs: list[etree._Element]) -> list[list[_Cell]]:
    """Cells of each row with their column positions, honouring colspan and rowspan (a rowspan cell is
    repeated in the rows it covers, so every row reads on its own)."""
    pending: dict[int, tuple[int, int, str]] = {}  # column → (rows still covered, span, text)
    out: list[list[_Cell]] = []
    for tr in trs:
        row: list[_Cell] = []
        col = 0
        for td in [*(c for c in tr if tag_of(c) in {"TD", "TH"}), None]:
            while col in pending:  # cells carried down from a rowspan above
                left, span, text = pending.pop(col)
                row.append(_Cell(col, span, text))
                if left > 1:
                    pending[col] = (left - 1, span, text)
                col += span
            if td is None:
                break
            span, rowspan = _int(td.get("colspan")), _int(td.get("rowspan"))
            text = one_line(element_text(td))
            row.append(_Cell(col, span, text))
            if rowspan > 1:
                pending[col] = (rowspan - 1, span, text)
            col += span
        out.append(row)
    return out


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _labels(head: list[list[_Cell]]) -> list[str]:
    """One label per column: the lowest header row's text ("CB 1"), with the group above it ("Crime
    control CC 1") only where the lowest texts alone would repeat."""
    width = max((cell.col + cell.span for row in head for cell in row), default=0)
    stacks: list[list[str]] = [[] for _ in range(width)]
    for row in head:
        for cell in row:
            for col in range(cell.col, cell.col + cell.span):
                if cell.text and (not stacks[col] or stacks[col][-1] != cell.text):
                    stacks[col].append(cell.text)
    leaves = [stack[-1] if stack else "" for stack in stacks]
    return [
        " ".join(stack) if leaf and leaves.count(leaf) > 1 else leaf for stack, leaf in zip(stacks, leaves, strict=True)
    ]


def render_table(table: etree._Element, *, rows: bool = True) -> str:
    caption = table.find("CAPTION")
    lines = [one_line(element_text(caption))] if caption is not None else []
    head_trs: list[etree._Element] = []
    body_trs: list[etree._Element] = []
    foot_trs: list[etree._Element] = []
    for tr in table.iter("TR"):
        section = tag_of(tr.getparent()) if tr.getparent() is not None else ""
        cells = [c for c in tr if tag_of(c) in {"TD", "TH"}]
        if section == "THEAD" or (section != "TFOOT" and not body_trs and cells and all(c.tag == "TH" for c in cells)):
            head_trs.append(tr)
        elif section == "TFOOT":
            foot_trs.append(tr)
        else:
            body_trs.append(tr)
    labels = _labels(_rows(head_trs))
    if rows:
        body = _rows(body_trs)
        marks = [cell.text for row in body for cell in row if cell.col > 0 and cell.text]
        matrix = bool(labels) and bool(marks) and sum(len(m) <= _MARK_MAX for m in marks) >= 0.8 * len(marks)
        lines.extend(_row_line(row, labels, matrix) for row in body)
        if matrix:
            lines.extend(_column_lines(body, labels))
    lines.extend(" ".join(cell.text for cell in row if cell.text) for row in _rows(foot_trs))
    return "\n".join(line for line in lines if line)


def _label(cell: _Cell, labels: list[str]) -> str:
    covered = {labels[col] for col in range(cell.col, cell.col + cell.span) if col < len(labels)}
    return covered.pop() if len(covered) == 1 else ""


def _row_line(row: list[_Cell], labels: list[str], matrix: bool) -> str:
    cells = [cell for cell in row if cell.text]
    if not cells:
        return ""
    if len(cells) == 1 and (cell := cells[0]).span > 1:
        return cell.text
    if matrix and cells[0].col == 0:
        rest = "; ".join(_pair(cell, labels) for cell in cells[1:])
        return f"{cells[0].text} — {rest}" if rest else cells[0].text
    return "; ".join(_pair(cell, labels) for cell in cells)


def _pair(cell: _Cell, labels: list[str]) -> str:
    label = _label(cell, labels)
    return f"{label}: {cell.text}" if label else cell.text


# Country Group headers read "[D: 5] U.S. Arms Embargoed Countries"; users and the EAR's prose write "D:5".
_GROUP_LABEL = re.compile(r"\[([A-E]):\s*(\d)\]")
_GROUP_REPL = r"Country Group \1:\2"


def _column_lines(body: list[list[_Cell]], labels: list[str]) -> list[str]:
    """The same matrix read by column ("Country Group D:5 ...: Afghanistan, Belarus, ..."), because "which
    countries are in D:5" is answered by a column, and a quote must be one passage of text."""
    members: dict[int, list[str]] = {}
    for row in body:
        cells = [cell for cell in row if cell.text]
        if len(cells) < 2 or cells[0].col != 0:
            continue
        name = cells[0].text
        for cell in cells[1:]:
            if len(cell.text) <= _MARK_MAX:
                for col in range(cell.col, cell.col + cell.span):
                    members.setdefault(col, []).append(name)
    return [
        f"Marked under {_GROUP_LABEL.sub(_GROUP_REPL, labels[col])} ({len(names)}): {'; '.join(names)}."
        for col, names in sorted(members.items())
        if col < len(labels) and labels[col]
    ]
