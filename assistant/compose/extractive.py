"""The default composer: no LLM, no key. It quotes the sentences of the retrieved passages that best answer
the question, verbatim, each with its [n] marker, and abstains when nothing relevant was retrieved."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.compose.passages import number_passages
from assistant.compose.periods import unanswered_period
from assistant.ids import ECCN_RE
from assistant.index.lexical import tokenize
from assistant.models import ON_ROUTE, Draft, DraftSentence, Hit, Passage, Unit
from assistant.route import Plan
from assistant.settings import ComposeSettings
from assistant.tables import names_row
from assistant.text import split_sentences

# Lines of a list record that answer "is X listed and what applies": status, licence terms, FR cite.
_LIST_KEY_LINES = re.compile(r"(is listed on|^license requirement|^license review policy|^federal register)", re.I)
# Question words that carry no topic; everything else in the question must be found to count as covered.
_GENERIC = frozenset(
    "what which who how does do did is are can may must under ear eccn cfr part section apply applies "
    "when where why last latest recent recently new newest most current currently".split()
)
_MAX_SENTENCE_CHARS = 700
# Amendment histories and effective-date notes: true, but rarely what a question asks for.
_CITATION_NOTE = re.compile(r"^\[?\d{2} FR \d|^Effective Date Note|^\d{2} FR \d+, \w+\.? \d")
# A paragraph caption on its own ("(B) Deemed export and deemed reexport exclusion—") names a topic, says nothing.
_CAPTION_ONLY = re.compile(r"^(?:\([a-zA-Z0-9]{1,5}\))+\s+[^.;:]{0,90}[.—-]$|^[^.;]{0,60}:$")
# A CCL item label ("a.", "b.2.") may start lower-case; any other lower-case start is a cut-off fragment.
_LABEL_START = re.compile(r"^[a-z](?:\.[a-z0-9]+)*\.\s")
# Candidate sentences (best by words and rank) scored by meaning: embedding them is most of a question's
# latency. Sentences ranked below 12 rarely win; 12 instead of 24 halves the cost and moved no eval metric.
_SHORTLIST = 12
_NAMED_ROW_BONUS = 0.3


@dataclass(frozen=True, slots=True)
class Candidate:
    passage: Passage
    start: int
    end: int
    text: str
    lexical: float
    prior: float
    forced: bool = False


class ExtractiveComposer:
    """Query-focused extractive summary over the top passages."""

    name = "extractive"

    def __init__(
        self,
        settings: ComposeSettings,
        encode: Callable[[Sequence[str]], np.ndarray],
        idf: Callable[[str], float],
    ) -> None:
        self.settings = settings
        self._encode = encode
        self._idf = idf

    def compose(
        self, plan: Plan, hits: list[Hit], units: Callable[[str], Unit | None], query_vector: np.ndarray
    ) -> Draft:
        passages = number_passages(hits, units)
        routed = any(set(p.route) & ON_ROUTE for p in passages)
        best_dense = max((h.dense_similarity or 0.0 for h in hits), default=0.0)
        q_tokens = [t for t in dict.fromkeys(tokenize(plan.question)) if t not in _GENERIC]
        # The cited ids already chose the passages; within them, the rest of the question picks the sentence.
        id_tokens = {t for cited in plan.cited for t in tokenize(cited)} | {
            t for n in plan.matched_names for t in tokenize(n)
        }
        topical = [t for t in q_tokens if t not in id_tokens]
        if not passages or not q_tokens or (not routed and self._off_topic(plan, passages, best_dense)):
            return Draft(passages=tuple(passages), sentences=(), abstained=True)

        weights = {t: self._idf(t) for t in (topical or q_tokens)}
        total = sum(weights.values()) or 1.0
        candidates: list[Candidate] = []
        # Key facts of the first two named parties are always stated (status, requirement, policy, FR cite).
        entity_numbers = [p.n for p in passages if "entity" in p.route and p.unit.entry is not None]
        entity_cutoff = entity_numbers[1] if len(entity_numbers) > 1 else (entity_numbers[0] if entity_numbers else 0)
        for rank, passage in enumerate(passages):
            on_route = bool(set(passage.route) & ON_ROUTE)
            # When the question names a unit or a party, other passages only add context.
            prior = 0.15 / (1 + rank) + (0.25 if on_route else -0.15 if routed else 0.0)
            is_list = passage.unit.entry is not None
            spans = _line_spans(passage.text) if is_list else split_sentences(passage.text)
            for start, end in spans:
                text = passage.text[start:end]
                if len(text) < 12 or len(text) > _MAX_SENTENCE_CHARS or _is_fragment(text):
                    continue
                s_tokens = set(tokenize(text))
                lexical = sum(w for t, w in weights.items() if t in s_tokens) / total
                penalty = 0.3 if _CITATION_NOTE.search(text) else 0.2 if _CAPTION_ONLY.match(text) else 0.0
                # A table row the question names ("the Country Chart for Australia") is the answer itself.
                penalty -= _NAMED_ROW_BONUS if names_row(plan.question, text) else 0.0
                forced = is_list and "entity" in passage.route and passage.n <= entity_cutoff
                forced = forced and bool(_LIST_KEY_LINES.search(text))
                candidates.append(Candidate(passage, start, end, text, lexical, prior - penalty, forced))
        if not candidates:
            return Draft(passages=tuple(passages), sentences=(), abstained=True)

        shortlist = sorted(candidates, key=lambda c: -(c.lexical + c.prior))[:_SHORTLIST]
        vectors = self._encode([c.text for c in shortlist])
        cosine = vectors @ query_vector
        # With one topical word ("What does 744.21 require?") word overlap is noise: lean on meaning and order.
        lex_weight = 0.5 if len(topical) >= 2 else 0.25
        scored = sorted(
            (
                (0.5 * float(cos) + lex_weight * c.lexical + c.prior, c)
                for cos, c in zip(cosine, shortlist, strict=True)
            ),
            key=lambda pair: -pair[0],
        )
        if not routed and scored[0][0] < self.settings.abstain_threshold + 0.1:
            return Draft(passages=tuple(passages), sentences=(), abstained=True)

        chosen = self._select(scored, [c for c in candidates if c.forced], routed)
        # Read in source order: by passage number, then position in the passage.
        chosen.sort(key=lambda c: (c.passage.n, c.start))
        sentences = tuple(DraftSentence(text=c.text, cites=(c.passage.n,)) for c in chosen)
        return Draft(passages=tuple(passages), sentences=sentences, abstained=not sentences)

    def _off_topic(self, plan: Plan, passages: list[Passage], best_dense: float) -> bool:
        """Nothing retrieved is about the question: too far in meaning, or of no time the question names.

        Only for questions that name no unit or party: those are answered from what they name."""
        return best_dense < self.settings.abstain_threshold or unanswered_period(plan.question, passages)

    def _select(self, scored: list[tuple[float, Candidate]], forced: list[Candidate], routed: bool) -> list[Candidate]:
        chosen: list[Candidate] = []
        per_passage: dict[int, int] = {}
        seen: list[set[str]] = []

        def take(c: Candidate) -> bool:
            words = set(c.text.lower().split())
            if any(len(words & s) / max(1, len(words | s)) > 0.8 for s in seen):
                return False
            chosen.append(c)
            seen.append(words)
            per_passage[c.passage.n] = per_passage.get(c.passage.n, 0) + 1
            return True

        for c in forced[:8]:
            take(c)
        budget = self.settings.max_sentences
        off_route = 1  # when the question names a unit or party, one sentence of context at most
        best = scored[0][0]
        for score, c in scored:
            if budget <= 0:
                break
            on_route = bool(set(c.passage.route) & ON_ROUTE)
            if score < best * 0.6 or per_passage.get(c.passage.n, 0) >= 2 or c in chosen:
                continue
            if routed and not on_route and (off_route <= 0 or score < best * 0.8):
                continue
            if take(c):
                budget -= 1
                off_route -= 0 if on_route else 1
        return chosen


def _line_spans(text: str) -> list[tuple[int, int]]:
    """List records are written one fact per line; a line is the unit of quotation."""
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _is_fragment(text: str) -> bool:
    """A piece cut mid-sentence at a chunk edge ("4 to this part, the MEU List ...") or a bare number line."""
    first = text[0]
    if first.islower():
        return not _LABEL_START.match(text)
    if first.isdigit() and not ECCN_RE.match(text):
        return True
    return sum(ch.isalpha() for ch in text) < 10


def idf_from_bm25(bm25: object, num_docs: int) -> Callable[[str], float]:
    """IDF from the BM25 index's own document frequencies (no second pass over the corpus)."""
    vocab: dict[str, int] = getattr(bm25, "vocab_dict", {}) or {}
    indptr = getattr(bm25, "scores", {}).get("indptr")

    def idf(token: str) -> float:
        tid = vocab.get(token)
        if tid is None or indptr is None:
            return math.log(1 + num_docs)  # unseen terms are the most specific
        df = int(indptr[tid + 1] - indptr[tid])
        return math.log(1 + (num_docs - df + 0.5) / (df + 0.5))

    return idf
