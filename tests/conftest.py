"""Shared fixtures: an isolated ASKEAR_HOME per test and the real data folder beside the repo."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "askear-home"
    monkeypatch.setenv("ASKEAR_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The read-only copy of the real sources (../shared/data); tests skip clearly where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real corpus not found at {SHARED_DATA} (clone the repo beside ../shared to run this test)")
    return SHARED_DATA


SMALL_SOURCES = ("federal-register", "news", "ecfr-736", "fr-full-text")


@pytest.fixture(scope="session")
def embedder():
    """The real MiniLM model (loaded once per test session)."""
    from assistant.index.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def sync_sources(home: Path, only: tuple[str, ...] | None = None) -> None:
    from assistant.settings import Settings
    from assistant.sources.catalog import load_catalog
    from assistant.sources.sync import sync

    settings = Settings(home=home)
    specs = [s for s in load_catalog() if only is None or s.id in only]
    outcomes = sync(specs, settings.raw_dir, SHARED_DATA)
    failed = [o for o in outcomes if not o.ok]
    assert not failed, failed


@pytest.fixture
def small_settings(shared_data: Path, tmp_path: Path):
    """A synced (not yet ingested) small real corpus: FR abstracts, a full FR rule, news, Part 736."""
    from assistant.settings import Settings

    home = tmp_path / "small-home"
    sync_sources(home, SMALL_SOURCES)
    return Settings(home=home)


@pytest.fixture(scope="session")
def real_settings(shared_data: Path, tmp_path_factory: pytest.TempPathFactory, embedder):
    """The whole real corpus, synced from ../shared/data and ingested once per test session."""
    from assistant.index.ingest import ingest
    from assistant.settings import Settings

    prebuilt = os.environ.get("ASKEAR_TEST_REAL_HOME")
    if prebuilt and Path(prebuilt, "index", "CURRENT").exists():
        # Developers may point at an index they already built (tests only read it); CI always builds afresh.
        return Settings(home=Path(prebuilt))
    home = tmp_path_factory.mktemp("real-home")
    sync_sources(home)
    settings = Settings(home=home)
    ingest(settings, embedder=embedder)
    return settings


@pytest.fixture(scope="session")
def real_assistant(real_settings, embedder):
    from assistant.assistant import Assistant

    return Assistant(real_settings, embedder=embedder)
