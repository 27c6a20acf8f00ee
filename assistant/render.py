"""Answer → what a person reads: rich renderables for the terminal, plain Markdown for chat surfaces.
Pure functions, no I/O."""

from __future__ import annotations

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from assistant.models import SOURCE_LABELS, Answer, Citation

_BADGE_STYLE = {"regulation": "bold white on blue", "list": "bold white on red",
                "federal_register": "bold black on yellow", "news": "bold white on magenta"}  # fmt: skip


def badge(citation: Citation) -> str:
    """'Regulation (15 CFR, as of 2026-09-01)', 'List (as of 2026-07-31)', 'Federal Register (2025-01-15)', 'News'."""
    label = SOURCE_LABELS[citation.source_type]
    if citation.source_type == "regulation":
        return f"{label} (15 CFR, as of {citation.date})" if citation.date else f"{label} (15 CFR)"
    if citation.source_type == "list":
        return f"{label} (as of {citation.date})" if citation.date else label
    if citation.date:
        return f"{label} ({citation.date})"
    return f"{label} (undated)" if citation.source_type == "news" else label


def console(answer: Answer) -> Group:
    body = Text(answer.answer, style="italic" if answer.abstained else "")
    parts: list = [Panel(body, title="Answer" if not answer.abstained else "No supported answer", expand=True)]
    for note in answer.notes:
        parts.append(Text(f"Note: {note}", style="yellow"))
    if answer.citations:
        table = Table(title="Sources", show_lines=True, expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Source")
        table.add_column("Quote")
        for c in answer.citations:
            style = _BADGE_STYLE.get(c.source_type, "")
            head = Text.assemble((f" {badge(c)} ", style), "\n", (c.id, "bold"), "\n", c.title)
            if c.url:
                head.append("\n" + c.url, style="dim underline")
            table.add_row(str(c.n), head, Text(escape(c.quote)))
        parts.append(table)
    parts.append(Text(f"{answer.timings.total:.0f} ms", style="dim"))
    return Group(*parts)


def markdown(answer: Answer) -> str:
    """Answer and a numbered source list, for chat front ends and Slack fallbacks."""
    lines = [answer.answer]
    lines.extend(f"_Note: {note}_" for note in answer.notes)
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            link = f" <{c.url}>" if c.url else ""
            lines.append(f"[{c.n}] {c.id} — {c.title} ({badge(c)}){link}")
    return "\n".join(lines)
