"""corpus/sources.toml → typed source specs."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import Field, ValidationError

from assistant.errors import ConfigError
from assistant.models import Frozen, SourceType

# The catalogue ships inside the repo; a user may point ASKEAR_CORPUS_FILE at their own.
DEFAULT_CATALOG = Path(__file__).resolve().parents[2] / "corpus" / "sources.toml"


class Access(Frozen):
    """One way to obtain a source: an official URL or a path in a local data folder."""

    format: str
    parser: str
    url: str | None = None
    path: str | None = Field(None, description="Path (may be a glob) relative to the data folder")
    parts: tuple[int, ...] = ()
    as_of: str | None = None


class SourceSpec(Frozen):
    id: str
    kind: SourceType
    title: str
    official: Access | None = None
    local: Access | None = None


def load_catalog(path: Path | None = None) -> list[SourceSpec]:
    """Read and validate the source catalogue; a bad file is a ConfigError naming the problem."""
    path = path or DEFAULT_CATALOG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        specs = [SourceSpec.model_validate(item) for item in data.get("source", [])]
    except FileNotFoundError:
        raise ConfigError(f"source catalogue not found: {path}") from None
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ConfigError(f"invalid source catalogue {path}: {exc}") from exc
    ids = [s.id for s in specs]
    if len(ids) != len(set(ids)):
        raise ConfigError(f"duplicate source ids in {path}")
    return specs
