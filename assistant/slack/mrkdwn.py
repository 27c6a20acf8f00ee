"""Slack mrkdwn text in both directions: escape what we send, read back what users type, split long text
at sentence boundaries so no section exceeds Slack's limit. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

# Slack rejects a section whose text is longer than this (Block Kit reference, "section" block).
SECTION_TEXT_LIMIT = 3000

_MARKER = re.compile(r"\[(\d{1,3})\]")
# A sentence ends after . ! ? or after its run of [n] markers ("… controls. [1] Next"), never between
# the full stop and the markers that belong to it.
_BOUNDARY = re.compile(r"(?<=[.!?\]])\s+(?!\[\d)|\s*\n+\s*")
_MENTION = re.compile(r"<[@!#][^>]*>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


def escape(text: str) -> str:
    """Escape the three characters Slack treats as markup in mrkdwn and plain fallback text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A mrkdwn link; `|` and `>` would end the URL or the label early, so they are encoded away."""
    safe_url = url.replace(" ", "%20").replace("|", "%7C").replace("<", "%3C").replace(">", "%3E")
    return f"<{safe_url}|{escape(label).replace('|', '¦')}>"


def link_markers(text: str, urls: Mapping[int, str]) -> str:
    """Make each [n] marker of already-escaped text a link to source n's official text."""

    def repl(match: re.Match[str]) -> str:
        n = int(match.group(1))
        return link(urls[n], f"[{n}]") if n in urls else match.group(0)

    return _MARKER.sub(repl, text)


def to_plain(text: str) -> str:
    """What a user typed, from Slack's encoding: mentions dropped, links to their label, entities decoded."""
    text = _MENTION.sub(" ", text or "")
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """Split answer text into sentences, each keeping the [n] markers that follow it."""
    return [s for s in _BOUNDARY.split(text.strip()) if s]


def shorten(text: str, limit: int) -> str:
    """Collapse whitespace and cut at a word boundary, marking the cut with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:") + "…"


def split_text(text: str, limit: int = SECTION_TEXT_LIMIT, measure: Callable[[str], int] = len) -> list[str]:
    """Pieces of `text` whose measured (rendered) length is at most `limit`, cut between sentences where
    possible, else between words. `measure` is the length after rendering (escaping, marker links), so
    the limit holds for what Slack receives, and a cut never falls inside a link."""
    pieces: list[str] = []
    for sentence in sentences(text):
        if measure(sentence) <= limit:
            pieces.append(sentence)
        else:
            pieces.extend(_pack(sentence.split(" "), limit, measure, hard=True))
    return _pack(pieces, limit, measure)


def _pack(parts: list[str], limit: int, measure: Callable[[str], int], hard: bool = False) -> list[str]:
    out: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current} {part}" if current else part
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            out.append(current)
        current = part
        if hard and measure(current) > limit:
            # One "word" longer than a section (a pasted blob): cut it by characters.
            while measure(current) > limit:
                size = max(1, limit * len(current) // max(measure(current), 1) - 1)
                out.append(current[:size])
                current = current[size:]
    if current:
        out.append(current)
    return out
