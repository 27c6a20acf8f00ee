"""Keyword search with bm25s. Chroma has no local sparse index, and citation-heavy questions ("744.11",
"3A090", "87 FR 77508", party names) are exactly where keywords beat embeddings."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# Keeps dotted citations ("744.11", "3a090.a") and splits them too, so "3A090" finds "3A090.a.1".
_TOKEN = re.compile(r"\d{4}-\d{5}|[a-z0-9]+(?:[.:][a-z0-9]+)*")
_STOP = frozenset(
    (
        "a an and are as at be by for from has have in is it its of on or that the this to was were will with "
        "which what who whom does do did i me my we our you your any all not no"
    ).split()
)


# Bump when tokenisation changes: ingest then rebuilds the BM25 index even if no unit changed.
TOKENIZER_VERSION = 2


def stem(token: str) -> str:
    """Light folding ("reasons" → "reason", "entities" → "entity", "amended"/"amends" → "amend", "adding" → "add",
    "controlled" → "control"): enough for questions to meet the regulation's wording without a full stemmer's
    surprises on legal terms and codes."""
    if len(token) <= 3 or not token.isalpha():
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    for suffix in ("ing", "ed"):
        root = token[: -len(suffix)]
        if token.endswith(suffix) and len(root) >= 3 and any(v in root for v in "aeiouy"):
            if len(root) >= 5 and root[-1] == root[-2] and root[-1] not in "saeiou":
                root = root[:-1]
            return _drop_e(root)
    if token.endswith("s") and not token.endswith(("ss", "us", "is")):
        token = token[:-1]
    return _drop_e(token)


def _drop_e(token: str) -> str:
    # "require"/"required"/"requires" and "license"/"licensed" meet at one form.
    return token[:-1] if len(token) > 4 and token.endswith("e") else token


def tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    for tok in _TOKEN.findall(text.lower()):
        if tok in _STOP:
            continue
        tok = stem(tok)
        tokens.append(tok)
        if "." in tok or ":" in tok or "-" in tok:
            parts = re.split(r"[.:-]", tok)
            tokens.extend(p for p in parts if p and p not in _STOP)
            # prefixes: "3a090.a.1" also indexes "3a090.a"
            for i in range(2, len(parts)):
                tokens.append(".".join(parts[:i]))
    return tokens


class Bm25Index:
    def __init__(self) -> None:
        self._bm25 = None
        self.ids: list[str] = []

    def build(self, ids: Sequence[str], texts: Sequence[str]) -> None:
        import bm25s

        self.ids = list(ids)
        self._bm25 = bm25s.BM25()
        self._bm25.index([tokenize(t) for t in texts], show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        if self._bm25 is None or not self.ids:
            return []
        tokens = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return []
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        assert self._bm25 is not None
        self._bm25.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Bm25Index:
        import bm25s

        index = cls()
        index._bm25 = bm25s.BM25.load(str(directory), show_progress=False)
        index.ids = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
        return index

    def scores_for(self, query: str) -> np.ndarray:
        """BM25 score of every chunk for the query (used to score a fixed candidate set)."""
        assert self._bm25 is not None
        tokens = [t for t in tokenize(query) if t in self._bm25.vocab_dict]
        return self._bm25.get_scores(tokens) if tokens else np.zeros(len(self.ids))
