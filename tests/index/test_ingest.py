"""Ingest on a small real corpus: incremental, idempotent, atomic."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.assistant import Assistant
from assistant.errors import IndexMissing, SourceError
from assistant.index import generation as gens
from assistant.index.ingest import ingest


def test_second_ingest_adds_nothing(small_settings, embedder) -> None:
    first = ingest(small_settings, embedder=embedder)
    assert first.created and first.units > 250 and first.embedded >= first.units
    second = ingest(small_settings, embedder=embedder)
    assert not second.created and second.embedded == 0 and second.generation == first.generation


def test_changed_unit_replaces_its_chunks(small_settings, embedder) -> None:
    ingest(small_settings, embedder=embedder)
    news = next((small_settings.raw_dir / "news").glob("*.json"))
    data = json.loads(news.read_text())
    data["text"] += "\n\nA new closing paragraph about quantum computing exports."
    news.write_text(json.dumps(data))
    report = ingest(small_settings, embedder=embedder)
    assert report.created and report.changed == 1 and report.added == 0 and report.embedded >= 1
    answer = Assistant(small_settings, embedder=embedder).ask("quantum computing exports closing paragraph")
    assert any(c.id.startswith("article:") for c in answer.citations)


def test_interrupted_ingest_keeps_previous_index_answering(small_settings, embedder) -> None:
    first = ingest(small_settings, embedder=embedder)
    news = next((small_settings.raw_dir / "news").glob("*.json"))
    data = json.loads(news.read_text())
    data["text"] += "\n\nAnother paragraph."
    news.write_text(json.dumps(data))

    def crash(stage: str, done: int, total: int) -> None:
        if stage == "embed":
            raise KeyboardInterrupt  # the user pressed Ctrl-C mid-embedding

    with pytest.raises(KeyboardInterrupt):
        ingest(small_settings, embedder=embedder, progress=crash)
    assert gens.live_name(small_settings.index_dir) == first.generation
    question = "What did the Lax Export Controls for Trade Deal article report?"
    answer = Assistant(small_settings, embedder=embedder).ask(question)
    assert not answer.abstained
    again = ingest(small_settings, embedder=embedder)
    assert again.created and again.changed == 1
    assert not list(small_settings.index_dir.glob("*.partial"))


def test_malformed_source_is_refused_and_old_index_kept(small_settings, embedder) -> None:
    first = ingest(small_settings, embedder=embedder)
    fr = next((small_settings.raw_dir / "federal-register").glob("*.jsonl"))
    fr.write_text(fr.read_text()[:5000] + "\n{not json\n")
    with pytest.raises(SourceError, match="line"):
        ingest(small_settings, embedder=embedder)
    assert gens.live_name(small_settings.index_dir) == first.generation


def test_nothing_synced_is_a_clear_error(tmp_path, embedder) -> None:
    from assistant.settings import Settings

    with pytest.raises(SourceError, match="corpus sync"):
        ingest(Settings(home=tmp_path / "empty"), embedder=embedder)
    shutil.rmtree(tmp_path / "empty", ignore_errors=True)


def test_lost_vectors_are_reported_then_rebuilt_although_the_corpus_is_unchanged(small_settings, embedder) -> None:
    first = ingest(small_settings, embedder=embedder)
    shutil.rmtree(small_settings.index_dir / first.generation / "chroma")
    with pytest.raises(IndexMissing, match="run `askear ingest`"):
        Assistant(small_settings, embedder=embedder).ask("What is General Prohibition Ten?")
    again = ingest(small_settings, embedder=embedder)
    assert again.created and again.embedded == first.embedded and again.generation != first.generation
    assert not Assistant(small_settings, embedder=embedder).ask("What is General Prohibition Ten?").abstained
