from pathlib import Path

import pytest

from assistant.errors import IndexMissing
from assistant.index import generation as gens


def _info(name: str) -> gens.GenerationInfo:
    return gens.GenerationInfo(name=name, created="now", embedder="minilm", sources=(), units={}, chunks=0,
                               dense_chunks=0)  # fmt: skip


def test_no_index_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="askear ingest"):
        gens.live_path(tmp_path / "index")


def test_commit_switches_and_restore_goes_back(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    first = gens.start(index_dir, None)
    (first / "data.txt").write_text("one")
    gens.commit(index_dir, first, _info("gen-1"))
    assert gens.live_name(index_dir) == "gen-1"
    second = gens.start(index_dir, index_dir / "gen-1")
    assert (second / "data.txt").read_text() == "one"  # seeded from the live generation
    gens.commit(index_dir, second, _info("gen-2"))
    assert gens.live_name(index_dir) == "gen-2"
    assert gens.restore_previous(index_dir) == "gen-1"
    assert gens.live_name(index_dir) == "gen-1"


def test_partial_generation_never_becomes_live_and_is_cleaned(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    done = gens.start(index_dir, None)
    gens.commit(index_dir, done, _info("gen-1"))
    crashed = gens.start(index_dir, index_dir / "gen-1")  # an ingest that dies before commit
    assert crashed.exists() and gens.live_name(index_dir) == "gen-1"
    gens.start(index_dir, None)
    assert not crashed.exists()


def test_prune_keeps_the_live_generation(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    for i in range(1, 4):
        gens.commit(index_dir, gens.start(index_dir, None), _info(f"gen-{i}"))
    gens.switch(index_dir, "gen-1")
    gens.prune(index_dir, keep=1)
    names = [g.name for g in gens.list_generations(index_dir)]
    assert "gen-1" in names and "gen-3" in names and "gen-2" not in names
