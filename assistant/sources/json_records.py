"""Reading records from JSON source files, with errors that say where in the file the problem is."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from assistant.errors import SourceError


def load_json(path: Path, text: str, line: int | None = None) -> Any:
    """The decoded JSON of `text`, the whole file or (`line`) that line of a JSON Lines file."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(str(path), f"line {exc.lineno if line is None else line}: invalid JSON ({exc.msg})") from None


def json_object(path: Path, record: object, where: str, what: str = "a JSON object") -> dict[str, Any]:
    """The record when it is a JSON object; otherwise a SourceError naming what was found at `where`."""
    if not isinstance(record, dict):
        raise SourceError(str(path), f"{where}: expected {what}, got {type(record).__name__}")
    return record


def check_iso_date(path: Path, where: str, value: object, key: str = "publication_date") -> None:
    """A SourceError unless `value` reads as an ISO date (YYYY-MM-DD)."""
    try:
        date.fromisoformat(str(value))
    except ValueError:
        raise SourceError(str(path), f"{where}: {key} {value!r} is not YYYY-MM-DD") from None
