"""The index on a real `chroma run` server: ingest into it, answer, survive an outage."""

from __future__ import annotations

import pytest

from assistant.assistant import Assistant
from assistant.errors import BackendUnavailable, IndexMissing
from assistant.index.ingest import ingest
from assistant.index.store import collection_prefix
from tests.faults.conftest import ChromaServer

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
    assert not any(collection_prefix(first.generation) in n for n in names)
    assert any(collection_prefix(second.generation) in n for n in names)
    answer = Assistant(settings, embedder=embedder).ask("export licensing of quantum computers closing paragraph")
    assert any(c.id.startswith("article:") for c in answer.citations)


def test_a_wiped_server_is_reported_then_rebuilt_by_ingest(small_settings, chroma_server, embedder, tmp_path) -> None:
    settings = small_settings.model_copy(update={"chroma_url": chroma_server.url})
    first = ingest(settings, embedder=embedder)
    chroma_server.stop()
    wiped = ChromaServer(tmp_path / "empty-chroma", chroma_server.port)  # same address, no data
    wiped.start()
    try:
        # Never an empty collection quietly created in place of the lost one: that would answer lexical-only.
        with pytest.raises(IndexMissing, match="missing from the Chroma server"):
            Assistant(settings, embedder=embedder).ask("What did the Federal Register say about quantum computing?")
        again = ingest(settings, embedder=embedder)  # the corpus is unchanged, but the vectors must come back
        assert again.created and again.embedded == first.embedded
        answer = Assistant(settings, embedder=embedder).ask("What is General Prohibition Ten?")
        assert any(c.id.startswith("15 CFR 736.2(b)(10)") for c in answer.citations)
    finally:
        wiped.stop()


def test_tenant_database_and_token_reach_the_server(small_settings, chroma_server, embedder) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from pydantic import SecretStr

    from assistant.errors import ConfigError

    admin = chromadb.AdminClient(
        ChromaSettings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI", chroma_server_host="127.0.0.1",
            chroma_server_http_port=chroma_server.port, anonymized_telemetry=False,
        )
    )  # fmt: skip
    admin.create_database("compliance-team")
    team_settings = {"chroma_url": chroma_server.url, "chroma_database": "compliance-team"}
    settings = small_settings.model_copy(update=team_settings | {"chroma_token": SecretStr("s3cret")})
    ingest(settings, embedder=embedder)
    team = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port, database="compliance-team")
    default = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port)
    assert len(team.list_collections()) == 3 and not default.list_collections()
    assert not Assistant(settings, embedder=embedder).ask("What is General Prohibition Ten?").abstained

    wrong = settings.model_copy(update={"chroma_database": "no-such-database"})
    with pytest.raises(ConfigError, match="ASKEAR_CHROMA_DATABASE"):
        Assistant(wrong, embedder=embedder).ask("What is General Prohibition Ten?")
