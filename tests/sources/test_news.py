"""The news-article parser on the real seed article and on made-up files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.sources.base import ParseContext
from assistant.sources.news import parse
from tests.sources.helpers import assert_source_error, parse_file

CTX = ParseContext(source_id="news", kind="news")


def test_seed_article(shared_data: Path) -> None:
    path = shared_data / "articles" / "news_seed_lax_export_controls_for_trade_deal.json"
    units = list(parse(path, CTX))
    assert len(units) == 1
    unit = units[0]
    assert unit.id == "article:seed-lax-export-controls-for-trade-deal"
    assert unit.title == "Lax Export Controls for Trade Deal?"
    assert unit.source_type == "news" and unit.source_id == "news"
    assert unit.date is None and unit.url is None  # the article carries neither
    assert unit.publisher == "unknown (blog post; cites Reuters, CNBC and the Wall Street Journal)"
    quote = (
        '"Immediately after the handshake, any export controls from the US will be eased and the rare earths'
        ' will be released in volume," Hasset told CNBC.'
    )
    assert quote in unit.text
    assert "according to Kevin Hassett, director of the White House Economic Council." in unit.text
    assert unit.text.startswith("The Trump administration has offered to scale back key export controls")
    # Paragraphs are separated by exactly one blank line; no-break and trailing spaces are gone.
    assert "\n\nThose restrictions, implemented over the past three years" in unit.text
    assert "\u00a0" not in unit.text and not re.search(r" \n|\n{3}", unit.text)


def test_list_of_articles(tmp_path: Path) -> None:
    articles = [
        {
            "id": "a-1",
            "title": "First",
            "publication_date": "2025-06-10",
            "publisher": "Reuters",
            "url": "https://example.org/a-1",
            "text": "Para one.\r\n\r\n  Para   two.\n\n\n",
        },
        {"id": "a-2", "title": "Second", "text": "Only text.", "extra": "ignored"},
    ]
    units = parse_file(parse, tmp_path / "news_batch.json", json.dumps(articles), CTX)
    assert [u.id for u in units] == ["article:a-1", "article:a-2"]
    assert units[0].text == "Para one.\n\nPara two."
    assert (units[0].date, units[0].publisher, units[0].url) == ("2025-06-10", "Reuters", "https://example.org/a-1")
    assert (units[1].date, units[1].publisher, units[1].url) == (None, None, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ('{\n  "id": "x",\n  "title": "T",\n  "text": "body"\n  "oops": 1\n}', "line 5: invalid JSON"),
        ('{"id": "x", "title": "T"}', "article: missing or empty text"),
        ('{"id": "x", "title": "", "text": "b"}', "article: missing or empty title"),
        ('[{"id": "x", "title": "T", "text": "b"}, 3]', "item 1: expected an article object, got int"),
        ('[{"id": "x", "title": "T", "text": "b"}, {"id": "x", "title": "U", "text": "c"}]', "item 1: id"),
        ('{"id": "has space", "title": "T", "text": "b"}', "article: id 'has space'"),
        ('{"id": "x", "title": "T", "text": "b", "publication_date": "June 2025"}', "publication_date"),
        ("[]", "no articles"),
    ],
)
def test_malformed_files_raise_source_error(tmp_path: Path, content: str, message: str) -> None:
    assert_source_error(parse, tmp_path / "news_bad.json", content, CTX, message)
