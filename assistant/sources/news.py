"""News articles from JSON files: one article object per file, or a JSON list of them.

An article has `id`, `title`, `text` and optionally `publication_date` (YYYY-MM-DD or null), `publisher` and
`url` (null when unknown). Other keys (`date_note`, `text_type`, ...) describe the record and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import SourceError
from assistant.ids import article_id
from assistant.models import Unit
from assistant.sources.base import ParseContext, clean, one_line, read_text
from assistant.sources.json_records import check_iso_date, json_object, load_json

REQUIRED = ("id", "title", "text")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")  # becomes part of the citation id `article:<id>`
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def body_text(text: str) -> str:
    """The article body with paragraphs separated by one blank line; spaces (incl. no-break) collapsed."""
    paragraphs = (clean(p) for p in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n")))
    return "\n\n".join(p for p in paragraphs if p)


def _optional(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    return one_line(str(value)) or None


def _unit(path: Path, record: object, where: str, ctx: ParseContext) -> Unit:
    article = json_object(path, record, where, "an article object")
    missing = [key for key in REQUIRED if not isinstance(article.get(key), str) or not article[key].strip()]
    if missing:
        raise SourceError(str(path), f"{where}: missing or empty {', '.join(missing)}")
    ident = article["id"].strip()
    if not _ID.match(ident):
        raise SourceError(str(path), f"{where}: id {ident!r} must be letters, digits, '.', '_', ':' or '-'")
    published = _optional(article, "publication_date")
    if published is not None:
        check_iso_date(path, where, published)
    return Unit(
        id=article_id(ident),
        title=one_line(article["title"]),
        source_type="news",
        source_id=ctx.source_id,
        text=body_text(article["text"]),
        date=published,
        url=_optional(article, "url"),
        publisher=_optional(article, "publisher"),
    )


def parse(path: Path, ctx: ParseContext) -> Iterator[Unit]:
    data = load_json(path, read_text(path))
    if isinstance(data, list):
        if not data:
            raise SourceError(str(path), "the list holds no articles")
        records = [(record, f"item {i}") for i, record in enumerate(data)]
    else:
        records = [(data, "article")]
    seen: set[str] = set()
    for record, where in records:
        unit = _unit(path, record, where, ctx)
        if unit.id in seen:
            raise SourceError(str(path), f"{where}: id {unit.id!r} appears twice")
        seen.add(unit.id)
        yield unit
