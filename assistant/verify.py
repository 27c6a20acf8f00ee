"""Grounding verification: every sentence against the sources it cites.

Generated citations are never trusted: a marker that names no passage is deleted, a sentence without a
valid marker is unsupported, and a (sentence, source) pair counts only when the source's text supports
the sentence: verbatim, or by content-word overlap (blended with embedding similarity when the caller
passes one) with every number, date, ECCN, CFR and FR cite and party name of the sentence present in the
source and no negation added or dropped. Instruction-like lines of a source (sanitize.py) support nothing.
Unsupported sentences are dropped (strict) or kept and flagged (flag); if none survives, the answer abstains.

The quote kept for a supported pair holds the source sentences that carry the sentence's words and facts,
so the sentence can be checked against what the user is shown, not only against the whole unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.compose.prompts import ABSTAIN_TEXT, ATTRIBUTION_PREFIX, REPORTED_WORDS
from assistant.facts import dropped_negation, has_negation, missing_facts, party_words, source_facts
from assistant.facts import hard_facts as hard_facts
from assistant.index.lexical import tokenize
from assistant.models import Citation, Draft, Passage, SentenceSupport, Unit
from assistant.sanitize import neutralise
from assistant.text import split_sentences

__all__ = ["ABSTAIN_TEXT", "PairSupport", "Verdict", "best_quote", "hard_facts", "split_markers", "support", "verify"]

_MARKER = re.compile(r"\s*\[(\d{1,3})\]")
_SOFT = frozenset("the a an of and or to in on for by with as at is are be".split())
# Support score: the share of the sentence's content words found in its quote. 0.6 lets a verbatim clause
# with a few joining words through and stops a sentence that borrows a source's vocabulary only. Faithful
# LLM paraphrases of the corpus measured 0.67-1.0.
SUPPORT_THRESHOLD = 0.6
# Below that, an embedding similarity (when the caller passes one) may lift the score to 0.5 * overlap +
# 0.5 * cosine: a paraphrase with overlap 0.5 passes with cosine >= 0.7 (MiniLM gives restatements 0.7-0.9
# and topic-only neighbours 0.3-0.55). Under MIN_OVERLAP no similarity helps: meaning alone is not evidence.
# The hard checks (facts, key terms, negation) run first and are never overruled.
MIN_OVERLAP = 0.45
QUOTE_SEPARATOR = " … "


@dataclass(frozen=True, slots=True)
class PairSupport:
    score: float
    supported: bool
    reason: str
    quote: str
    pieces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verifier's result: the answer text, citations, per-sentence support and what was removed."""

    text: str
    citations: list[Citation]
    kept: list[SentenceSupport]
    removed: list[SentenceSupport]
    abstained: bool
    notes: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").split()).lower()


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


def _evidence(content: list[str], facts_missing_from: Callable[[str], list[str]] | None, source: str) -> list[str]:
    """Source sentences that together cover the sentence's content words (greedy, at most 3), plus any sentence
    needed for a hard fact the chosen ones lack (when `facts_missing_from` is given); each is exact text of
    `source`."""
    pieces = [source[a:b] for a, b in split_sentences(source)]
    token_sets = [set(tokenize(p)) for p in pieces]
    wanted, chosen = set(content), []
    for _ in range(3):
        gains = [(len(wanted & toks), -len(p), i) for i, (p, toks) in enumerate(zip(pieces, token_sets, strict=True))]
        gain, _, best = max(gains, default=(0, 0, -1))
        if gain == 0 or (chosen and gain < 2 and len(wanted) > 1):
            break
        chosen.append(best)
        wanted -= token_sets[best]
    if facts_missing_from is None:
        return [pieces[i] for i in sorted(chosen)]
    # A number, date or name the sentence states must be visible in the quote too.
    missing = facts_missing_from(" ".join(pieces[i] for i in chosen))
    for i in range(len(pieces)):
        if not missing:
            break
        if i in chosen or not any(ch.isdigit() or ch.isupper() for ch in pieces[i]):
            continue
        fewer = facts_missing_from(" ".join(pieces[j] for j in (*chosen, i)))
        if len(fewer) < len(missing):
            chosen.append(i)
            missing = fewer
    return [pieces[i] for i in sorted(chosen)]


def support(sentence: str, passage: Passage, similarity: Callable[[str, str], float] | None = None) -> PairSupport:
    """Does this passage (its unit's full text) support this sentence?"""
    unit = passage.unit
    # Injected instructions support nothing: the line is blanked, every other line stays byte for byte.
    source = neutralise(unit.text, placeholder="")
    if _norm(sentence).rstrip(".") in _norm(source) and tokenize(sentence):
        quote = _locate(sentence, source)
        # "the easing would include semiconductors" is verbatim inside "It is not clear if the easing would
        # include semiconductors": a quote cut from a negated sentence goes through the full checks below.
        around = next((source[a:b] for a, b in split_sentences(source) if quote and quote in source[a:b]), quote)
        if has_negation(sentence) or not has_negation(around):
            return PairSupport(1.0, True, "verbatim", quote, (quote,))
    # Facts may also come from the unit's header (its id, title, date, publisher) the model was shown.
    header = " ".join(x for x in (unit.id, unit.title, unit.date or "", unit.publisher or "") if x)
    facts = source_facts(f"{header}\n{source}")
    missing = missing_facts(sentence, facts)
    content = [t for t in dict.fromkeys(tokenize(sentence)) if t not in _SOFT]

    # Facts the unit lacks fail the sentence anyway; only facts it states are worth finding for the quote.
    def missing_from(text: str) -> list[str]:
        return missing_facts(sentence, source_facts(f"{header}\n{text}"))

    pieces = _evidence(content, None if missing else missing_from, source)
    quote = QUOTE_SEPARATOR.join(pieces) or best_quote(sentence, source)
    quote_tokens = set(tokenize(f"{header} {quote}"))
    # Names are checked as hard facts; in the score they weigh half, so that a long party name cannot carry
    # "Yangtze Memory Technologies Co., Ltd. is cleared for export" past the threshold on its own.
    named = set(tokenize(" ".join(party_words(sentence))))
    weights = [0.5 if t in named else 1.0 for t in content]
    found = sum(w for t, w in zip(content, weights, strict=True) if t in quote_tokens)
    overlap = found / max(1.0, sum(weights))
    score = overlap
    if similarity is not None and quote and MIN_OVERLAP <= overlap < SUPPORT_THRESHOLD:
        # Meaning can vouch for a paraphrase's new words ("appears on" for "is listed on"), never overrule words.
        score = max(overlap, 0.5 * overlap + 0.5 * similarity(sentence, quote))
    if missing:
        return PairSupport(score, False, "not in source: " + ", ".join(missing), quote, tuple(pieces))
    if has_negation(sentence) and not has_negation(quote):
        return PairSupport(score, False, "negation not in source", quote, tuple(pieces))
    flipped = dropped_negation(sentence, quote)
    if flipped:
        return PairSupport(score, False, f"drops the negation of: {flipped[:80]}", quote, tuple(pieces))
    if score < SUPPORT_THRESHOLD:
        return PairSupport(score, False, f"weak support ({score:.2f}, overlap {overlap:.2f})", quote, tuple(pieces))
    how = f"overlap {overlap:.2f}" if score == overlap else f"overlap {overlap:.2f}, similarity-backed {score:.2f}"
    return PairSupport(score, True, how, quote, tuple(pieces))


def joint_support(
    sentence: str, passages: list[Passage], similarity: Callable[[str, str], float] | None = None
) -> dict[int, PairSupport]:
    """Support of a sentence that combines its cited sources ("X is listed [1] and § 744.11 requires Y [2]"):
    checked against all of them at once; each source that lends a quoted piece counts as supporting."""
    units = [p.unit for p in passages]
    merged = Unit(
        id=" ".join(u.id for u in units),
        title=" ".join(u.title for u in units),
        source_type=units[0].source_type,
        source_id="joint",
        text="\n".join(u.text for u in units),
        date=" ".join(u.date for u in units if u.date) or None,
        publisher=" ".join(u.publisher for u in units if u.publisher) or None,
    )
    joint = support(sentence, Passage(n=0, unit=merged, text=merged.text), similarity)
    out: dict[int, PairSupport] = {}
    for passage in passages:
        mine = tuple(piece for piece in joint.pieces if piece in passage.unit.text)
        if joint.supported and mine:
            out[passage.n] = PairSupport(
                joint.score, True, f"jointly with the other cited sources; {joint.reason}",
                QUOTE_SEPARATOR.join(mine), mine,
            )  # fmt: skip
    return out


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


def attributed(sentence: str, source_text: str = "") -> str:
    """A news-only sentence worded as reporting: unchanged if it attributes its claim, else prefixed."""
    if REPORTED_WORDS.search(sentence):
        return sentence
    first, _, rest = sentence.partition(" ")
    # Lower-case a plain opening word ("The offer", "Trade talks"), never a name or an acronym ("Huawei",
    # "BIS"): a word the source itself writes in lower case is a plain word.
    plain = first.lower() in _PLAIN_OPENERS or re.search(rf"\b{re.escape(first.lower())}\b", source_text)
    if plain and not (first.isupper() and len(first) > 1):
        first = first.lower()
    return f"{ATTRIBUTION_PREFIX}{first} {rest}".strip()


_PLAIN_OPENERS = frozenset("the a an this that these those it its there".split())


def verify(
    draft: Draft, mode: str = "strict", similarity: Callable[[str, str], float] | None = None
) -> tuple[str, list[Citation], list[SentenceSupport], list[SentenceSupport], bool]:
    """Returns (answer text, citations, kept sentences, removed sentences, abstained)."""
    v = verify_draft(draft, mode, similarity)
    return v.text, v.citations, v.kept, v.removed, v.abstained


def verify_draft(
    draft: Draft,
    mode: str = "strict",
    similarity: Callable[[str, str], float] | None = None,
    attribute_news: bool = False,
) -> Verdict:
    """Check every sentence of `draft` against the passages it cites.

    Args:
        draft: sentences with the passage numbers they cite, and the passages the composer was given.
        mode: "strict" drops unsupported sentences, "flag" keeps them marked "(unverified)".
        similarity: embedding cosine of two texts, blended into the support score (for paraphrases).
        attribute_news: reword sentences that rest only on news and state their claim as fact (the LLM
            path; the extractive path quotes, and its citations say "News").
    """
    by_n = {p.n: p for p in draft.passages}
    kept: list[tuple[str, list[int], SentenceSupport]] = []
    removed: list[SentenceSupport] = []
    quotes: dict[int, list[str]] = {}

    def add_quotes(n: int, check: PairSupport) -> None:
        bucket = quotes.setdefault(n, [])
        for piece in check.pieces or ((check.quote,) if check.quote else ()):
            if piece and piece not in bucket:
                bucket.append(piece)

    attributed_any = False
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
        if not good and len(valid) > 1:
            checks.update(joint_support(sentence.text, [by_n[n] for n in valid], similarity))
            good = [n for n, c in checks.items() if c.supported]
        score = max(c.score for c in checks.values())
        reason = "; ".join(f"[{n}] {checks[n].reason}" for n in valid)
        if good:
            for n in good:
                add_quotes(n, checks[n])
            text = sentence.text
            if attribute_news and all(by_n[n].unit.source_type == "news" for n in good):
                text = attributed(text, "\n".join(by_n[n].unit.text for n in good))
                attributed_any = attributed_any or text != sentence.text
            kept.append((text, good, SentenceSupport(
                text=text, cites=tuple(good), supported=True, score=score, reason=reason)))  # fmt: skip
        else:
            result = SentenceSupport(
                text=sentence.text, cites=tuple(valid), supported=False, score=score, reason=reason
            )
            if mode == "strict":
                removed.append(result)
            else:
                for n in valid:
                    add_quotes(n, checks[n])
                kept.append((sentence.text, list(valid), result))

    # Renumber sources in order of first use so the reader sees [1], [2], ... without gaps.
    renumber: dict[int, int] = {}
    for _, cites, _ in kept:
        for n in cites:
            renumber.setdefault(n, len(renumber) + 1)
    citations = [_citation(new, by_n[old].unit, quotes.get(old, [])) for old, new in renumber.items()]
    parts, supports = [], []
    for text, cites, result in kept:
        marks = "".join(f"[{renumber[n]}]" for n in cites)
        flag = "" if result.supported else " (unverified)"
        parts.append(f"{text}{flag} {marks}".strip())
        supports.append(result.model_copy(update={"cites": tuple(renumber[n] for n in cites)}))
    if not any(s.supported for s in supports):
        return Verdict(ABSTAIN_TEXT, [], [], removed, True)
    notes = [NEWS_ATTRIBUTED_NOTE] if attributed_any else []
    return Verdict(" ".join(parts), citations, supports, removed, False, notes)


NEWS_ATTRIBUTED_NOTE = "Sentences that rest only on news reporting are marked as reported, not as law."


def _citation(n: int, unit: Unit, quotes: list[str]) -> Citation:
    return Citation(
        n=n, id=unit.id, title=unit.title, source_type=unit.source_type, date=unit.date, url=unit.url,
        quote=QUOTE_SEPARATOR.join(quotes) or unit.text[:300],
    )  # fmt: skip


def supported_by_quote(
    sentence: str, citation: Citation, unit: Unit, similarity: Callable[[str, str], float] | None = None
) -> bool:
    """Is `sentence` supported by the quote shown for `citation` alone (each piece exact text of `unit`)?"""
    pieces = [p for p in citation.quote.split(QUOTE_SEPARATOR) if p.strip()]
    if not pieces or any(p not in unit.text for p in pieces):
        return False
    quote = QUOTE_SEPARATOR.join(pieces)
    shown = unit.model_copy(update={"text": quote})
    return support(sentence, Passage(n=citation.n, unit=shown, text=quote), similarity).supported
