"""Shared fixtures: an isolated ASKEAR_HOME per test and the real data folder beside the repo."""

from __future__ import annotations

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
