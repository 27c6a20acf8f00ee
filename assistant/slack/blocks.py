"""Answer → Slack messages in Block Kit: the answer text with linked [n] markers, then numbered sources
(linked to the official text, with the type badge and date the web page shows). Pure functions, no I/O.

Slack's limits shape the output: a section holds at most 3,000 characters and a message at most 50
blocks, so long answers are cut at sentence boundaries into several sections and, past 50 blocks, into
several messages posted one after another in the same thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.models import Answer, Citation
from assistant.render import badge
from assistant.slack import mrkdwn

MAX_BLOCKS = 50
# Fallback text is what notifications show and what thread history reads back; Slack advises ≤ 4,000.
FALLBACK_LIMIT = 3900
# Text of the 2nd, 3rd … message of a split answer; history.py skips it, it carries no content.
CONTINUED_TEXT = "(continued)"
QUOTE_CHARS = 300
TITLE_CHARS = 200
SOURCES_HEADING = "*Sources*"
ABSTAINED_HINT = "Try naming an ECCN, a CFR section (e.g. 744.21) or a listed party, or rephrase the question."

Block = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """One chat message: fallback `text` (notifications, history) and the `blocks` Slack renders."""

    text: str
    blocks: list[Block] = field(default_factory=list)
    notice: bool = False  # an error or help text rather than an answer: a slash command shows it privately


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": mrkdwn.shorten(text, 2000)}]}


def notice(text: str) -> list[SlackMessage]:
    """A short reply with no sources (errors, usage help); `text` is plain and gets escaped here."""
    escaped = mrkdwn.escape(text)
    return [SlackMessage(text=escaped, blocks=[section(escaped)], notice=True)]


def answer_blocks(answer: Answer, heading: str | None = None) -> list[Block]:
    """Every block of an answer, in reading order, before splitting into messages.

    Args:
        answer: The verified answer.
        heading: Optional mrkdwn line shown first (the slash command shows the question it answers).
    """
    blocks: list[Block] = [context(heading)] if heading else []
    if answer.abstained:
        # Worded as an abstention, not as an answer: the reader must not mistake it for "no restriction".
        text = f":grey_question: *No supported answer.* {mrkdwn.escape(answer.answer)}\n{ABSTAINED_HINT}"
        blocks.append(section(text))
    else:
        urls = {c.n: c.url for c in answer.citations if c.url}

        def render(piece: str) -> str:
            return mrkdwn.link_markers(mrkdwn.escape(piece), urls)

        for piece in mrkdwn.split_text(answer.answer, mrkdwn.SECTION_TEXT_LIMIT, lambda s: len(render(s))):
            blocks.append(section(render(piece)))
    blocks.extend(context(f":warning: {mrkdwn.escape(note)}") for note in answer.notes)
    if answer.citations:
        blocks.append({"type": "divider"})
        blocks.append(section(SOURCES_HEADING))
        blocks.extend(section(source_text(c)) for c in answer.citations)
    if answer.as_of:
        dates = ", ".join(f"{kind.replace('_', ' ')} {date}" for kind, date in sorted(answer.as_of.items()))
        blocks.append(context(f"Sources as of: {dates}. Check the linked official text before relying on it."))
    return blocks


def source_text(citation: Citation) -> str:
    """'*[1]* <url|title>', then '`id` · badge', then the quoted supporting text."""
    title = mrkdwn.shorten(citation.title or citation.id, TITLE_CHARS)
    head = mrkdwn.link(citation.url, title) if citation.url else mrkdwn.escape(title)
    quote = mrkdwn.escape(mrkdwn.shorten(citation.quote, QUOTE_CHARS))
    return f"*[{citation.n}]* {head}\n`{mrkdwn.escape(citation.id)}` · {badge(citation)}\n>{quote}"


def to_messages(blocks: list[Block], text: str) -> list[SlackMessage]:
    """Split blocks into messages of at most MAX_BLOCKS; the first carries `text`, the rest CONTINUED_TEXT.

    A message does not end on the divider or the "Sources" line: they move on with the sources they introduce.
    """
    chunks: list[list[Block]] = []
    rest = list(blocks)
    while len(rest) > MAX_BLOCKS:
        cut = MAX_BLOCKS
        while cut > 1 and _introduces_sources(rest[cut - 1]):
            cut -= 1
        chunks.append(rest[:cut])
        rest = rest[cut:]
    chunks.append(rest)
    return [SlackMessage(text=text if i == 0 else CONTINUED_TEXT, blocks=chunk) for i, chunk in enumerate(chunks)]


def _introduces_sources(block: Block) -> bool:
    return block["type"] == "divider" or block == section(SOURCES_HEADING)


def fallback_text(answer: Answer) -> str:
    pieces = mrkdwn.split_text(answer.answer, FALLBACK_LIMIT, lambda s: len(mrkdwn.escape(s)))
    text = mrkdwn.escape(pieces[0]) if pieces else ""
    return text + (" …" if len(pieces) > 1 else "")


def answer_messages(answer: Answer, heading: str | None = None) -> list[SlackMessage]:
    """The messages to post for one answer, in order (usually one)."""
    return to_messages(answer_blocks(answer, heading), fallback_text(answer))
