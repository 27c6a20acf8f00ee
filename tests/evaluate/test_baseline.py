"""The dense-only baseline over real Chroma collections (vectors made by hand, no model)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.evaluate.baseline import DenseBaseline
from assistant.evaluate.judge import QuoteJudge
from assistant.models import Unit

CHUNKS = {  # chunk id → (source type, text, vector)
    "15 CFR 762.6(a)#0": ("regulation", "Records must be retained for five years.", [1.0, 0.0, 0.0]),
    "15 CFR 762.2#0": ("regulation", "Records to be retained include export documents.", [0.8, 0.6, 0.0]),
    "FR 2020-07240#0": ("federal_register", "BIS removes License Exception CIV.", [0.0, 1.0, 0.0]),
    "FR 2020-07240#1": ("federal_register", "This rule makes conforming changes to the CCL.", [0.0, 0.9, 0.436]),
}


def _units() -> dict[str, Unit]:
    out = {}
    for cid, (st, text, _) in CHUNKS.items():
        uid = cid.split("#")[0]
        old = out.get(uid)
        body = f"{old.text}\n{text}" if old else text
        out[uid] = Unit(id=uid, title=uid, source_type=st, source_id="test", text=body)
    return out


def _client(tmp_path: Path, with_documents: bool):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=settings)
    for st in ("regulation", "federal_register"):
        rows = [(cid, text, vec) for cid, (t, text, vec) in CHUNKS.items() if t == st]
        collection = client.get_or_create_collection(f"test-{st}", configuration={"hnsw": {"space": "cosine"}})
        collection.upsert(
            ids=[r[0] for r in rows],
            embeddings=[r[2] for r in rows],
            documents=[r[1] for r in rows] if with_documents else None,
        )
    return client


def _baseline(client, query: list[float]) -> DenseBaseline:
    units = _units()
    return DenseBaseline(
        client, "test",
        encode_query=lambda _q: np.asarray(query, dtype=np.float32),
        encode_many=lambda texts: np.zeros((len(texts), 3)),
        chunk_text=lambda cid: CHUNKS[cid][1] if cid in CHUNKS else None,
        units=units.get, answer_passages=2, retrieve_k=3,
    )  # fmt: skip


@pytest.mark.parametrize(("with_documents", "backend"), [(False, "chromadb"), (True, "langchain_chroma")])
def test_baseline_answers_with_the_nearest_passages_across_collections(tmp_path, with_documents, backend) -> None:
    if with_documents:
        pytest.importorskip("langchain_chroma", reason="pip install 'askear[eval]' for the LangChain backend")
    baseline = _baseline(_client(tmp_path, with_documents), [0.9, 0.436, 0.0])
    assert baseline.backend == backend
    assert ("langchain_chroma.Chroma" in baseline.description) == with_documents
    answer, retrieved = baseline.answer("How long are records kept?")
    # Cosine order over both collections: 762.2 (0.98), 762.6(a) (0.90), then the CIV rule.
    assert retrieved == ["15 CFR 762.2", "15 CFR 762.6(a)", "FR 2020-07240"]
    assert [c.id for c in answer.citations] == ["15 CFR 762.2", "15 CFR 762.6(a)"]
    assert answer.answer == (
        "Records to be retained include export documents. [1] Records must be retained for five years. [2]"
    )
    assert not answer.abstained


def test_baseline_passages_pass_the_quote_judge(tmp_path) -> None:
    baseline = _baseline(_client(tmp_path, False), [0.0, 1.0, 0.2])
    answer, _ = baseline.answer("What happened to CIV?")
    judgements = QuoteJudge(_units().get).judge(answer)
    assert [j.supporting for j in judgements] == [(1,), (1,)]  # two chunks of one unit share its number
