"""Pure metric functions: no index, no model, no I/O. Every number in a report comes from here.

Conventions:
    * A cite group is met by an id when any of its regexes `re.search`es the id (ids are case-sensitive).
    * Facts and forbidden claims are regexes searched case-insensitively in the answer text.
    * Retrieval metrics rank *units* (a unit's first chunk gives its rank), as a composer numbers passages.
    * A metric that is undefined for a question (retrieval of an unanswerable one, precision of an
      abstention) is None and left out of that metric's mean, never counted as 0 or 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

from assistant.evaluate.results import Aggregate, Label, QuestionScores, SentenceJudgement

CiteGroups = Sequence[Sequence[str]]


def unit_ranking(ids: Iterable[str]) -> list[str]:
    """Ids in order of first appearance, without repeats (chunk hits → ranked units)."""
    return list(dict.fromkeys(ids))


def group_met(group: Sequence[str], ids: Iterable[str]) -> bool:
    patterns = [re.compile(p) for p in group]
    return any(p.search(i) for i in ids for p in patterns)


def first_rank(cite: CiteGroups, ranked: Sequence[str]) -> int | None:
    """1-based rank of the first id that meets any gold group, or None."""
    patterns = [re.compile(p) for group in cite for p in group]
    for rank, uid in enumerate(ranked, start=1):
        if any(p.search(uid) for p in patterns):
            return rank
    return None


def hit_at_k(cite: CiteGroups, ranked: Sequence[str], k: int) -> float:
    """1.0 when any gold group is met within the top k units, else 0.0."""
    rank = first_rank(cite, ranked)
    return 1.0 if rank is not None and rank <= k else 0.0


def recall_at_k(cite: CiteGroups, ranked: Sequence[str], k: int) -> float:
    """Share of gold groups met within the top k units (multi-hop questions need every group)."""
    if not cite:
        return 0.0
    top = ranked[:k]
    return sum(group_met(g, top) for g in cite) / len(cite)


def reciprocal_rank(cite: CiteGroups, ranked: Sequence[str]) -> float:
    rank = first_rank(cite, ranked)
    return 1.0 / rank if rank else 0.0


def citation_recall(cite: CiteGroups, cited_ids: Iterable[str]) -> float:
    """Share of gold groups met by the answer's citations."""
    if not cite:
        return 0.0
    ids = list(cited_ids)
    return sum(group_met(g, ids) for g in cite) / len(cite)


def citation_precision(judgements: Sequence[SentenceJudgement]) -> float | None:
    """ALCE-style: of all (sentence, cited source) pairs, the share whose source supports the sentence.

    None when no sentence cites anything (nothing to be precise about)."""
    pairs = sum(len(j.cites) for j in judgements)
    if not pairs:
        return None
    return sum(len(j.supporting) for j in judgements) / pairs


def groundedness(judgements: Sequence[SentenceJudgement]) -> float | None:
    """Share of answer sentences supported by at least one of their cited quotes (uncited ones count as not)."""
    if not judgements:
        return None
    return sum(1 for j in judgements if j.supporting) / len(judgements)


def uncited_share(judgements: Sequence[SentenceJudgement]) -> float | None:
    """Share of answer sentences that carry no citation at all."""
    if not judgements:
        return None
    return sum(1 for j in judgements if not j.cites) / len(judgements)


def missing_facts(facts: Sequence[str], text: str) -> list[str]:
    return [f for f in facts if not re.search(f, text, re.IGNORECASE)]


def fact_recall(facts: Sequence[str], text: str) -> float:
    """Share of the expected fact regexes found in the answer text."""
    if not facts:
        return 0.0
    return 1.0 - len(missing_facts(facts, text)) / len(facts)


def forbidden_found(forbid: Sequence[str], text: str) -> list[str]:
    """Forbidden-claim regexes that occur in the answer text."""
    return [f for f in forbid if re.search(f, text, re.IGNORECASE)]


def classify(
    answerable: bool, abstained: bool, facts_recall: float | None, forbidden: int,
    judgements: Sequence[SentenceJudgement],
) -> Label:  # fmt: skip
    """The response label of Magesh et al. (2024), "Hallucination-Free? Assessing the Reliability of Leading
    AI Legal Research Tools": a response is *hallucinated* when it is incorrect, or correct but misgrounded
    (it cites a source that does not support it); *accurate* when correct and grounded; *incomplete* when it
    refuses or is correct but ungrounded. Judged from the question's gold data as follows.

    Unanswerable question (the sources hold no answer; false premises that cannot be corrected from them):
        abstained → accurate (a refusal is the correct response); any answer → hallucinated (it asserts
        something the sources do not support as an answer to this question).
    Answerable question:
        abstained → incomplete (a refusal).
        incorrect → hallucinated: a forbidden claim occurs, or none of the expected facts does (the answer
        responds with something else; Magesh et al. count an irrelevant response as incorrect).
        misgrounded → hallucinated: some sentence cites sources of which none supports it.
        ungrounded → incomplete: some sentence has no citation at all.
        some but not all expected facts → incomplete (correct as far as it goes, missing key information).
        otherwise (all facts, no forbidden claim, every sentence supported by a cited quote) → accurate.
    """
    if not answerable:
        return "accurate" if abstained and not forbidden else "hallucinated"
    if abstained:
        return "incomplete"
    if forbidden or not facts_recall:
        return "hallucinated"
    if any(j.cites and not j.supporting for j in judgements):
        return "hallucinated"
    if any(not j.cites for j in judgements) or facts_recall < 1.0:
        return "incomplete"
    return "accurate"


def abstention_precision_recall(pairs: Iterable[tuple[bool, bool]]) -> tuple[float | None, float | None]:
    """From (should abstain, did abstain) pairs: precision = right abstentions / abstentions,
    recall = right abstentions / questions that should be abstained on. None when the denominator is 0."""
    pairs = list(pairs)
    right = sum(1 for should, did in pairs if should and did)
    did = sum(1 for _, d in pairs if d)
    should = sum(1 for s, _ in pairs if s)
    return (right / did if did else None), (right / should if should else None)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the defined values; None when none is defined."""
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


_MEANS = (
    "hit_at_1", "hit_at_5", "hit_at_10", "recall_at_10", "mrr", "citation_recall", "citation_precision",
    "groundedness", "uncited_share", "fact_recall", "faithfulness", "answer_relevancy",
)  # fmt: skip


def aggregate(scores: Sequence[QuestionScores], answerable: Sequence[bool]) -> Aggregate:
    """Aggregate per-question scores. Errors are counted and left out of every other figure."""
    ok = [(s, a) for s, a in zip(scores, answerable, strict=True) if s.label != "error"]
    done = [s for s, _ in ok]
    n_ok = len(done)
    values = {name: mean(getattr(s, name) for s in done) for name in _MEANS}
    precision, recall = abstention_precision_recall((not a, s.abstained) for s, a in ok)
    latencies = [s.latency_ms for s in done]

    def rate(label: str) -> float | None:
        return sum(1 for s in done if s.label == label) / n_ok if n_ok else None

    return Aggregate(
        n=len(scores),
        errors=len(scores) - n_ok,
        forbidden=sum(s.forbidden for s in done),
        abstention_precision=precision,
        abstention_recall=recall,
        accurate_rate=rate("accurate"),
        incomplete_rate=rate("incomplete"),
        hallucination_rate=rate("hallucinated"),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        answer_chars=mean(float(s.answer_chars) for s in done if not s.abstained),
        **values,
    )
