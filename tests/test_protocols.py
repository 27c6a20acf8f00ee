"""Every default backend satisfies its seam (the contract a replacement must meet)."""

from pathlib import Path

from assistant.compose.extractive import ExtractiveComposer
from assistant.index.embed import SentenceTransformerEmbedder
from assistant.index.lexical import Bm25Index
from assistant.index.store import ChromaStore
from assistant.protocols import Composer, Embedder, LexicalIndex, VectorStore
from assistant.settings import ComposeSettings


def test_default_backends_satisfy_their_protocols(tmp_path: Path) -> None:
    assert isinstance(SentenceTransformerEmbedder(), Embedder)  # model loads lazily: cheap to construct
    assert isinstance(ChromaStore.persistent(tmp_path / "chroma"), VectorStore)
    assert isinstance(Bm25Index(), LexicalIndex)
    composer = ExtractiveComposer(ComposeSettings(), encode=lambda texts: None, idf=lambda t: 1.0)  # type: ignore[arg-type,return-value]
    assert isinstance(composer, Composer)
