"""How close two names are, and why: an IDF-weighted alignment of their words.

Each word of the query is paired with at most one word of the listed name: equal words first, then
words equal up to transliteration, then words one or two edits apart, then a word against two glued
neighbours ("almazantey" ~ "almaz antey"). With word weights w (inverse document frequency over all
listed names, so "Huawei" counts far more than "Trading"):

    precision = Σ w(query word) · similarity / Σ w(query words)
    recall    = Σ w(listed word) · similarity / Σ w(listed words)
    score     = 100 · (1 + β²) P R / (β² P + R),   β = RECALL_WEIGHT = 1.25

Word order does not count (reordered names score 100) but is reported. An extra generic word ("Group")
costs little and an extra rare word costs much, which is what separates "Huawei Technologies Group"
(the listed party) from "Huawei Cloud Europe" (a name to review).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from assistant.screening.models import ReasonKind
from assistant.screening.normalize import spellings, translit_key

TRANSLIT_SIM = 0.95  # same word, another romanisation: nearly as good as equal, but shown
MIN_TRANSLIT_LEN = 4
MIN_GLUED_LEN = 4
# F-beta with beta 1.25: a query holding every word of a listed name plus one more ("Almaz Antey Telecom")
# is closer to the listed party (or an affiliate the 50 percent rule reaches) than a query holding part of
# it; beta 1.25 kept false positives on the development sample at 1.1 % (1.0: 0.8 %, 1.5: 1.5 %).
RECALL_WEIGHT = 1.25


@dataclass(frozen=True)
class Side:
    """One name as the scorer sees it: canonical words, their transliteration keys and weights."""

    tokens: tuple[str, ...]
    keys: tuple[str, ...]
    weights: tuple[float, ...]

    @property
    def total(self) -> float:
        return sum(self.weights)


@dataclass
class Pair:
    query: tuple[int, ...]
    listed: tuple[int, ...]
    sim: float
    how: ReasonKind


@dataclass
class Alignment:
    score: float
    precision: float
    recall: float
    pairs: list[Pair] = field(default_factory=list)
    extra: tuple[int, ...] = ()  # query words left unmatched
    missing: tuple[int, ...] = ()  # listed words left unmatched
    reordered: bool = False


def typo_sim(a: str, b: str) -> float:
    """Similarity of two different words within one edit (two for long words); 0 beyond that.

    Words that must match exactly: pairs where the longer word has under 5 letters or the shorter under 4,
    and words with digits ("Sony"/"Sonu", "Unit 902"/"Unit 903" are different names, not typos).
    """
    la, lb = len(a), len(b)
    longest = max(la, lb)
    if min(la, lb) < 4 or longest < 5 or abs(la - lb) > 2:
        return 0.0
    if not (a + b).isalpha():  # words are letters and digits: a digit is in one of them
        return 0.0
    allowed = 2 if longest >= 9 else 1
    d = OSA.distance(a, b, score_cutoff=allowed)
    # Each edit costs its share of the word plus a flat 0.05: one slip in a 5-letter word ("visa"/"vista")
    # is weak evidence (0.75), one in a 12-letter word is strong (0.87).
    return 1.0 - d / longest - 0.05 * d if d <= allowed else 0.0


def align(q: Side, c: Side) -> Alignment:
    """Pair the words of query `q` with those of listed name `c` and score the pairing (0-100)."""
    if not q.tokens or not c.tokens:
        return Alignment(0.0, 0.0, 0.0)
    free_q = set(range(len(q.tokens)))
    free_c = set(range(len(c.tokens)))
    pairs: list[Pair] = []

    def take(i: tuple[int, ...], j: tuple[int, ...], sim: float, how: ReasonKind) -> None:
        free_q.difference_update(i)
        free_c.difference_update(j)
        pairs.append(Pair(i, j, sim, how))

    by_token: dict[str, list[int]] = {}
    for j, t in enumerate(c.tokens):
        by_token.setdefault(t, []).append(j)
    for i, t in enumerate(q.tokens):
        j = next((j for j in by_token.get(t, ()) if j in free_c), None)
        if j is not None:
            take((i,), (j,), 1.0, "exact")
    if free_q and free_c:
        by_key: dict[str, list[int]] = {}
        for j in sorted(free_c):
            by_key.setdefault(c.keys[j], []).append(j)
        for i in sorted(free_q):
            size = len(q.tokens[i])
            if size < MIN_TRANSLIT_LEN and (size < 3 or len(q.tokens) < 2):
                # "dow"/"dov", "byd"/"bid": a short name alone has too few letters to call two spellings one
                # word; inside a longer name ("Chong Jou" / "Chong Zhou") the other words carry the evidence.
                continue
            js = [j for j in by_key.get(q.keys[i], ()) if j in free_c]
            if js:
                take((i,), (js[0],), TRANSLIT_SIM, "transliteration")
    if len(free_q) + len(free_c) >= 3:
        _align_joined(q, c, free_q, free_c, take, exact=True)
    if free_q and free_c:
        options = []
        for i in free_q:
            for j in free_c:
                sim = max(
                    typo_sim(q.keys[i], c.keys[j]), *(typo_sim(q.tokens[i], form) for form in spellings(c.tokens[j]))
                )
                if sim:
                    options.append((sim, i, j))
        for sim, i, j in sorted(options, reverse=True):
            if i in free_q and j in free_c:
                take((i,), (j,), sim, "misspelling")
    if len(free_q) + len(free_c) >= 3:
        _align_joined(q, c, free_q, free_c, take, exact=False)

    matched_q = sum(q.weights[i] * p.sim for p in pairs for i in p.query)
    matched_c = sum(c.weights[j] * p.sim for p in pairs for j in p.listed)
    precision = matched_q / q.total if q.total else 0.0
    recall = matched_c / c.total if c.total else 0.0
    b2 = RECALL_WEIGHT**2
    score = 100.0 * (1 + b2) * precision * recall / (b2 * precision + recall) if precision + recall else 0.0
    order = [p.listed[0] for p in sorted(pairs, key=lambda p: p.query[0])]
    return Alignment(
        score=round(min(score, 100.0), 1),
        precision=precision,
        recall=recall,
        pairs=pairs,
        extra=tuple(sorted(free_q)),
        missing=tuple(sorted(free_c)),
        reordered=order != sorted(order),
    )


Take = Callable[[tuple[int, ...], tuple[int, ...], float, ReasonKind], None]


def _align_joined(q: Side, c: Side, free_q: set[int], free_c: set[int], take: Take, exact: bool) -> None:
    """A word of one side against two adjacent free words of the other, glued ("almazantey" ~ "almaz antey").

    With `exact`, only glued words equal up to transliteration pair (run before the typo stage, so that
    "rtokhrana" pairs with "rt okhrana" rather than with "okhrana" alone); otherwise within a typo.
    """
    for one, two, flip in ((q, c, False), (c, q, True)):
        free_one, free_two = (free_c, free_q) if flip else (free_q, free_c)
        for i in sorted(free_one):
            for j in sorted(free_two):
                if j + 1 not in free_two or i not in free_one:
                    continue
                glued = two.keys[j] + two.keys[j + 1]
                if len(glued) < MIN_GLUED_LEN:
                    continue  # "bp" ~ "b p": two initials are not a glued word
                # Keys of the parts can differ from the key of the whole ("yat"+"sen" vs "yatsen": ts → c).
                glued_word = two.tokens[j] + two.tokens[j + 1]
                same = glued == one.keys[i] or glued_word == one.tokens[i] or translit_key(glued_word) == one.keys[i]
                sim = 1.0 if same else 0.0 if exact else typo_sim(one.keys[i], glued)
                if sim >= 0.85:
                    pair = ((j, j + 1), (i,)) if flip else ((i,), (j, j + 1))
                    take(*pair, sim, "joined_words")
