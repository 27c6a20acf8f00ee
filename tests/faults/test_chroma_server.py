"""The index on a real `chroma run` server: ingest into it, answer, survive an outage."""

from __future__ import annotations

import pytest

from assistant.assistant import Assistant
from assistant.errors import BackendUnavailable
from assistant.index.ingest import ingest

pytestmark = pytest.mark.server


def test_ingest_into_server_answer_and_recover_from_outage(small_settings, chroma_server, embedder) -> None:
    settings = small_settings.model_copy(update={"chroma_url": chroma_server.url})
    report = ingest(settings, embedder=embedder)
    assert report.created and report.embedded > 250
    assistant = Assistant(settings, embedder=embedder)
    question = "What is General Prohibition Ten?"
    assert any(c.id.startswith("15 CFR 736.2(b)(10)") for c in assistant.ask(question).citations)

    chroma_server.stop()
    with pytest.raises(BackendUnavailable, match="Chroma server"):
        assistant.ask("What did the Federal Register say about quantum computing items?")
    chroma_server.start()
    answer = assistant.ask(question)  # the same Assistant recovers without a restart
    assert not answer.abstained


def test_incremental_ingest_on_server_keeps_vectors_and_drops_pruned_collections(
    small_settings, chroma_server, embedder
) -> None:
    import json

    import chromadb

    settings = small_settings.model_copy(update={"chroma_url": chroma_server.url})
    settings.index.keep_generations = 1
    first = ingest(settings, embedder=embedder)
    news = next((settings.raw_dir / "news").glob("*.json"))
    data = json.loads(news.read_text())
    data["text"] += "\n\nA closing paragraph about export licensing of quantum computers."
    news.write_text(json.dumps(data))
    second = ingest(settings, embedder=embedder)
    assert second.created and second.changed == 1 and second.embedded < 20  # unchanged vectors were copied
    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port)
    names = {c.name for c in client.list_collections()}
    assert not any(first.generation.replace("gen-", "askear-") in n for n in names)
    assert any(second.generation.replace("gen-", "askear-") in n for n in names)
    answer = Assistant(settings, embedder=embedder).ask("export licensing of quantum computers closing paragraph")
    assert any(c.id.startswith("article:") for c in answer.citations)
