"""Grounding verification: every sentence against the sources it cites.

Generated citations are never trusted: a marker that names no passage is deleted, a sentence without a
valid marker is unsupported, and a (sentence, source) pair counts only when the source's text supports
the sentence: verbatim, or by content-word overlap with every number, date, ECCN, CFR and FR cite and
party name of the sentence present in the source. Unsupported sentences are dropped (strict) or kept and
flagged (flag); if none survives, the answer abstains.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.index.lexical import tokenize
from assistant.models import Citation, Draft, Passage, SentenceSupport
from assistant.text import split_sentences

ABSTAIN_TEXT = "The indexed sources do not answer this."

_MARKER = re.compile(r"\s*\[(\d{1,3})\]")
_NUMBERS = re.compile(r"\d+(?:[.,/:-]\d+)*%?")
_IDS = re.compile(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+)*\b|\b7[3-7]\d\.\d{1,3}(?:\([a-zA-Z0-9]+\))*|\b\d{2,3} FR \d+")
_NAME = re.compile(r"\b(?:[A-Z][\w&'-]+(?:\s+(?:of|and|for|de|&)?\s*[A-Z][\w&'-]+)+)")
_SOFT = frozenset("the a an of and or to in on for by with as at is are be".split())
SUPPORT_THRESHOLD = 0.6


def _norm(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").split()).lower()


@dataclass(frozen=True, slots=True)
class PairSupport:
    score: float
    supported: bool
    reason: str
    quote: str


def hard_facts(sentence: str) -> list[str]:
    """Tokens that must occur verbatim in a cited source: numbers, dates, percentages, ECCNs, CFR and FR
    cites, multi-word proper names."""
    facts = [m.group(0) for m in _IDS.finditer(sentence)]
    facts += [n for n in _NUMBERS.findall(sentence) if not any(n in f for f in facts)]
    facts += [m.group(0) for m in _NAME.finditer(sentence) if len(m.group(0).split()) >= 2]
    return facts


def best_quote(sentence: str, source_text: str) -> str:
    """The sentence of the source that shares the most words with `sentence` (the quote shown to users)."""
    target = set(tokenize(sentence))
    best, best_score = "", -1.0
    for start, end in split_sentences(source_text):
        piece = source_text[start:end]
        score = len(target & set(tokenize(piece))) / (1 + len(target))
        if score > best_score:
            best, best_score = piece, score
    return best


def support(sentence: str, passage: Passage, similarity: Callable[[str, str], float] | None = None) -> PairSupport:
    """Does this passage (its unit's full text) support this sentence?"""
    source = passage.unit.text
    norm_source = _norm(source)
    if _norm(sentence).rstrip(".") in norm_source:
        return PairSupport(1.0, True, "verbatim", _locate(sentence, source))
    missing = [f for f in hard_facts(sentence) if _norm(f) not in norm_source]
    content = [t for t in tokenize(sentence) if t not in _SOFT]
    source_tokens = set(tokenize(source))
    overlap = sum(1 for t in content if t in source_tokens) / max(1, len(content))
    score = overlap
    if similarity is not None:
        score = 0.5 * overlap + 0.5 * similarity(sentence, best_quote(sentence, source))
    quote = best_quote(sentence, source)
    if missing:
        return PairSupport(score, False, "not in source: " + ", ".join(dict.fromkeys(missing)), quote)
    if score < SUPPORT_THRESHOLD:
        return PairSupport(score, False, f"weak support ({score:.2f})", quote)
    return PairSupport(score, True, f"overlap {overlap:.2f}", quote)


def _locate(sentence: str, source: str) -> str:
    """The exact source substring matching a verbatim sentence (white space may differ)."""
    core = sentence.strip().rstrip(".")
    idx = source.find(core)
    if idx >= 0:
        end = idx + len(core)
        return source[idx : end + 1] if source[end : end + 1] == "." else source[idx:end]
    return best_quote(sentence, source)


def split_markers(text: str) -> tuple[str, tuple[int, ...]]:
    """'Text [1][3].' → ('Text.', (1, 3))."""
    cites = tuple(int(n) for n in _MARKER.findall(text))
    clean = _MARKER.sub("", text).strip()
    return clean, cites


def verify(
    draft: Draft, mode: str = "strict", similarity: Callable[[str, str], float] | None = None
) -> tuple[str, list[Citation], list[SentenceSupport], list[SentenceSupport], bool]:
    """Returns (answer text, citations, kept sentences, removed sentences, abstained)."""
    by_n = {p.n: p for p in draft.passages}
    kept: list[tuple[str, list[int], SentenceSupport]] = []
    removed: list[SentenceSupport] = []
    quotes: dict[int, list[str]] = {}
    for sentence in draft.sentences:
        valid = [n for n in dict.fromkeys(sentence.cites) if n in by_n]  # phantom markers vanish here
        if not valid:
            result = SentenceSupport(text=sentence.text, cites=(), supported=False, reason="cites no returned source")
            if mode == "strict":
                removed.append(result)
            else:
                kept.append((sentence.text, [], result))
            continue
        checks = {n: support(sentence.text, by_n[n], similarity) for n in valid}
        good = [n for n, c in checks.items() if c.supported]
        score = max(c.score for c in checks.values())
        if good:
            for n in good:
                quotes.setdefault(n, [])
                if checks[n].quote and checks[n].quote not in quotes[n]:
                    quotes[n].append(checks[n].quote)
            reason = "; ".join(f"[{n}] {checks[n].reason}" for n in valid)
            kept.append((sentence.text, good, SentenceSupport(
                text=sentence.text, cites=tuple(good), supported=True, score=score, reason=reason)))  # fmt: skip
        else:
            reason = "; ".join(f"[{n}] {checks[n].reason}" for n in valid)
            result = SentenceSupport(
                text=sentence.text, cites=tuple(valid), supported=False, score=score, reason=reason
            )
            if mode == "strict":
                removed.append(result)
            else:
                for n in valid:
                    quotes.setdefault(n, [])
                    if checks[n].quote and checks[n].quote not in quotes[n]:
                        quotes[n].append(checks[n].quote)
                kept.append((sentence.text, list(valid), result))

    # Renumber sources in order of first use so the reader sees [1], [2], ... without gaps.
    renumber: dict[int, int] = {}
    for _, cites, _ in kept:
        for n in cites:
            renumber.setdefault(n, len(renumber) + 1)
    citations = []
    for old, new in renumber.items():
        unit = by_n[old].unit
        citations.append(
            Citation(
                n=new, id=unit.id, title=unit.title, source_type=unit.source_type, date=unit.date, url=unit.url,
                quote=" … ".join(quotes.get(old, [])) or unit.text[:300],
            )
        )  # fmt: skip
    parts, supports = [], []
    for text, cites, result in kept:
        marks = "".join(f"[{renumber[n]}]" for n in cites)
        flag = "" if result.supported else " (unverified)"
        parts.append(f"{text}{flag} {marks}".strip())
        supports.append(result.model_copy(update={"cites": tuple(renumber[n] for n in cites)}))
    if not any(s.supported for s in supports):
        return ABSTAIN_TEXT, [], [], removed, True
    return " ".join(parts), citations, supports, removed, False
