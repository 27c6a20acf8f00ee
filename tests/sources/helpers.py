"""Scaffolding shared by the parser tests: made-up source files and the errors they must raise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.errors import SourceError
from assistant.models import Unit
from assistant.sources.base import ParseContext, Parser


def write_file(path: Path, content: str | bytes) -> Path:
    """Write a made-up source file (text as UTF-8) and return its path."""
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def parse_file(parser: Parser, path: Path, content: str | bytes, ctx: ParseContext) -> list[Unit]:
    """Write `content` to `path` and parse it."""
    return list(parser(write_file(path, content), ctx))


def assert_source_error(parser: Parser, path: Path, content: str | bytes, ctx: ParseContext, message: str) -> None:
    """Parsing `content` raises a SourceError that contains `message` and names the file it came from."""
    write_file(path, content)
    with pytest.raises(SourceError, match=re.escape(message)) as info:
        list(parser(path, ctx))
    assert info.value.source == str(path)
