"""The names of every listed record, indexed by word so that a screen looks at a few dozen names, not 60,000.

Blocking: each name row is posted under the transliteration key of each of its words, and under the
glued key of each pair of neighbouring words. A query word reaches the rows that share its key, the rows
whose key is one deletion away on either side (symmetric-delete, as in SymSpell: substitutions,
insertions, deletions and adjacent transpositions), and the rows whose glued pair it equals. The
candidates' weighted overlap is summed with `numpy.bincount` over the postings, so the work per query
grows with the postings it touches, never with a Python loop over records.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from assistant.screening.normalize import GENERIC_WORDS, NameKind, name_tokens, spellings, translit_key
from assistant.screening.score import Side, typo_sim

MIN_TYPO_LEN = 5  # shorter words must match exactly (see score.typo_sim)
GENERIC_FACTOR = 0.4  # "Group", "International", "Trading": present or absent, they barely tell parties apart


def _deletes(key: str) -> set[str]:
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _group(pairs: Iterable[tuple[str, int]]) -> dict[str, np.ndarray]:
    """key → sorted array of the rows posted under it."""
    grouped: dict[str, list[int]] = {}
    for key, row in pairs:
        bucket = grouped.get(key)
        if bucket is None:
            grouped[key] = [row]
        else:
            bucket.append(row)
    return {k: np.asarray(v, dtype=np.int32) for k, v in grouped.items()}


@dataclass(frozen=True)
class Expansion:
    """The index keys a query word reaches, with the similarity of each, and the word's weight."""

    keys: tuple[tuple[str, float], ...]
    weight: float


class NameIndex:
    """Name rows (record number, published text, kind) with their canonical words, weights and postings."""

    def __init__(self, rows: Iterable[tuple[int, str, NameKind]]) -> None:
        self.row_record: list[int] = []
        self.row_text: list[str] = []
        self.row_kind: list[NameKind] = []
        self.row_tokens: list[tuple[str, ...]] = []
        self.row_keys: list[tuple[str, ...]] = []
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for record, text, kind in rows:
            toks = name_tokens(text)
            if not toks or (record, toks) in seen:
                continue
            seen.add((record, toks))
            self.row_record.append(record)
            self.row_text.append(text)
            self.row_kind.append(kind)
            self.row_tokens.append(toks)
            self.row_keys.append(tuple(translit_key(t) for t in toks))
        self.postings = _group((key, row) for row, keys in enumerate(self.row_keys) for key in set(keys))
        # Glued neighbours are keyed as one word would be ("ye"+"international" → key("yeinternational")).
        self.joined = _group(
            (translit_key(a + b), row) for row, toks in enumerate(self.row_tokens) for a, b in pairwise(toks)
        )
        n = max(len(self.row_keys), 1)
        # Smoothed IDF: a word in every name weighs ~1, a word in one name ~ln(n) + 1.
        self.idf = {k: math.log((n + 1) / (len(v) + 1)) + 1.0 for k, v in self.postings.items()}
        for word in GENERIC_WORDS:
            key = translit_key(word)
            if key in self.idf:
                self.idf[key] *= GENERIC_FACTOR
        self.max_idf = math.log(n + 1) + 1.0
        # Typos are looked for in every spelling of a word: "yangzte" is one edit from "yangtze" but two from
        # its transliteration key "iangce"; "tehcnologies" is one from "technologies", not from "technology".
        self.spellings: dict[str, set[str]] = {}
        for tok in {t for toks in self.row_tokens for t in toks}:
            self.spellings.setdefault(translit_key(tok), set()).update(spellings(tok))
        self.key_of: dict[str, str] = {t: k for k, ts in self.spellings.items() for t in ts}
        self.deletes: dict[str, set[str]] = {}
        for key, toks in self.spellings.items():
            for form in {key, *toks}:
                if len(form) >= MIN_TYPO_LEN:
                    for d in _deletes(form):
                        bucket = self.deletes.get(d)
                        if bucket is None:
                            self.deletes[d] = {key}
                        else:
                            bucket.add(key)
        self.row_record_array = np.asarray(self.row_record, dtype=np.int32)
        self.row_weight = np.asarray([sum(self.weight(k) for k in keys) for keys in self.row_keys], dtype=np.float64)
        self.rows_of_record: dict[int, list[int]] = {}
        for row, record in enumerate(self.row_record):
            self.rows_of_record.setdefault(record, []).append(row)
        self._expansions: dict[str, Expansion] = {}

    def __len__(self) -> int:
        return len(self.row_text)

    def weight(self, key: str) -> float:
        return self.idf.get(key, self.max_idf)

    def expand(self, token: str) -> Expansion:
        """Index keys within reach of one canonical query word (cached: batches repeat words)."""
        cached = self._expansions.get(token)
        if cached is not None:
            return cached
        key = translit_key(token)
        found: dict[str, float] = {}
        if key in self.postings:
            found[key] = 1.0
        if len(token) >= MIN_TYPO_LEN - 1:
            near: set[str] = set()
            for form in {key, token}:
                near.update(self.deletes.get(form, ()))
                for d in _deletes(form):
                    if d in self.key_of:
                        near.add(self.key_of[d])
                    near.update(self.deletes.get(d, ()))
            near.discard(key)
            for other in near:
                sim = max(typo_sim(key, other), *(typo_sim(token, t) for t in self.spellings[other]))
                if sim:
                    found[other] = sim
        if key in self.postings:
            weight = self.idf[key]
        elif found:
            weight = self.idf[max(found, key=found.__getitem__)]
        else:
            weight = self.max_idf
        expansion = Expansion(tuple(found.items()), weight)
        if len(self._expansions) < 500_000:
            self._expansions[token] = expansion
        return expansion

    def side(self, tokens: tuple[str, ...]) -> Side:
        """A query as the scorer sees it; unknown words weigh like their nearest listed spelling."""
        return Side(tokens, tuple(translit_key(t) for t in tokens), tuple(self.expand(t).weight for t in tokens))

    def row_side(self, row: int) -> Side:
        keys = self.row_keys[row]
        return Side(self.row_tokens[row], keys, tuple(self.weight(k) for k in keys))

    def overlap(self, side: Side) -> tuple[np.ndarray, np.ndarray]:
        """(rows, weighted Dice coefficient) of every row sharing a word with the query, vectorised."""
        parts: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for token in side.tokens:
            for key, sim in self.expand(token).keys:
                rows = self.postings[key]
                parts.append(rows)
                weights.append(np.full(len(rows), self.idf[key] * sim))
            glued_rows = self.joined.get(translit_key(token))
            if glued_rows is not None:
                parts.append(glued_rows)
                weights.append(np.full(len(glued_rows), self.expand(token).weight))
        for a, b in pairwise(side.tokens):
            glued = translit_key(a + b)
            rows = self.postings.get(glued)
            if rows is not None:
                parts.append(rows)
                weights.append(np.full(len(rows), self.idf[glued]))
        if not parts:
            return np.empty(0, dtype=np.int32), np.empty(0)
        idx = np.concatenate(parts)
        sums = np.bincount(idx, weights=np.concatenate(weights), minlength=len(self))
        rows = np.flatnonzero(sums)
        dice = 2.0 * sums[rows] / (side.total + self.row_weight[rows])
        return rows.astype(np.int32), dice
