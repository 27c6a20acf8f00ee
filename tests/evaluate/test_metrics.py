"""The pure metric functions, on hand-made judgements, rankings and answers."""

from __future__ import annotations

import pytest

from assistant.evaluate import metrics
from assistant.evaluate.results import QuestionScores, SentenceJudgement

CITE = [["^list:EL:Yangtze Memory"], [r"^15 CFR 744\.11", r"^15 CFR 744 Supp\. 4"]]


def j(cites: tuple[int, ...], supporting: tuple[int, ...]) -> SentenceJudgement:
    return SentenceJudgement(text="s", cites=cites, supporting=supporting)


def test_unit_ranking_keeps_first_occurrence_order() -> None:
    assert metrics.unit_ranking(["a", "b", "a", "c", "b"]) == ["a", "b", "c"]


def test_group_is_met_by_any_regex_of_the_group() -> None:
    assert metrics.group_met(CITE[1], ["15 CFR 744 Supp. 4"])
    assert metrics.group_met(CITE[1], ["15 CFR 744.11(b)"])
    assert not metrics.group_met(CITE[1], ["15 CFR 744.1"])


def test_retrieval_ranks_hits_and_mrr() -> None:
    ranked = ["ECCN 3A090", "15 CFR 744.11(b)", "x", "y", "list:EL:Yangtze Memory Technologies Co., Ltd."]
    assert metrics.first_rank(CITE, ranked) == 2
    assert metrics.reciprocal_rank(CITE, ranked) == 0.5
    assert metrics.hit_at_k(CITE, ranked, 1) == 0.0
    assert metrics.hit_at_k(CITE, ranked, 2) == 1.0
    assert metrics.recall_at_k(CITE, ranked, 2) == 0.5  # the party group only appears at rank 5
    assert metrics.recall_at_k(CITE, ranked, 5) == 1.0


def test_nothing_retrieved_scores_zero() -> None:
    assert metrics.first_rank(CITE, []) is None
    assert metrics.reciprocal_rank(CITE, []) == 0.0
    assert metrics.hit_at_k(CITE, [], 10) == 0.0


def test_citation_recall_counts_groups_met_by_cited_ids() -> None:
    assert metrics.citation_recall(CITE, ["list:EL:Yangtze Memory Technologies Co., Ltd."]) == 0.5
    assert metrics.citation_recall(CITE, ["list:EL:Yangtze Memory Technologies", "15 CFR 744 Supp. 4"]) == 1.0
    assert metrics.citation_recall(CITE, []) == 0.0


def test_citation_precision_is_supported_pairs_over_all_pairs() -> None:
    judgements = [j((1, 2), (1,)), j((3,), (3,)), j((), ())]
    assert metrics.citation_precision(judgements) == pytest.approx(2 / 3)
    assert metrics.citation_precision([j((), ())]) is None


def test_groundedness_and_uncited_share_count_sentences() -> None:
    judgements = [j((1,), (1,)), j((2,), ()), j((), ()), j((1, 2), (2,))]
    assert metrics.groundedness(judgements) == 0.5
    assert metrics.uncited_share(judgements) == 0.25
    assert metrics.groundedness([]) is None


def test_facts_and_forbidden_claims_are_case_insensitive_regexes() -> None:
    text = "License review policy: Presumption of denial. Federal Register citation: 87 FR 77508."
    assert metrics.fact_recall(["presumption of denial", r"87 FR 77508", "case-by-case"], text) == pytest.approx(2 / 3)
    assert metrics.missing_facts(["presumption of denial", "case-by-case"], text) == ["case-by-case"]
    assert metrics.forbidden_found([r"no license (is )?required", "PRESUMPTION"], text) == ["PRESUMPTION"]


@pytest.mark.parametrize(
    ("answerable", "abstained", "facts", "forbidden", "judgements", "label"),
    [
        (True, False, 1.0, 0, [j((1,), (1,))], "accurate"),
        (True, True, 0.0, 0, [], "incomplete"),  # a refusal
        (True, False, 1.0, 1, [j((1,), (1,))], "hallucinated"),  # a forbidden claim makes it incorrect
        (True, False, 0.0, 0, [j((1,), (1,))], "hallucinated"),  # answers something else
        (True, False, 1.0, 0, [j((1,), ())], "hallucinated"),  # misgrounded: cited source does not support
        (True, False, 1.0, 0, [j((1,), (1,)), j((), ())], "incomplete"),  # ungrounded sentence
        (True, False, 0.5, 0, [j((1,), (1,))], "incomplete"),  # some key facts missing
        (False, True, None, 0, [], "accurate"),  # abstaining is right when the sources hold no answer
        (False, False, None, 0, [j((1,), (1,))], "hallucinated"),
    ],
)
def test_classify_follows_magesh_et_al(answerable, abstained, facts, forbidden, judgements, label) -> None:
    assert metrics.classify(answerable, abstained, facts, forbidden, judgements) == label


def test_abstention_precision_and_recall() -> None:
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    precision, recall = metrics.abstention_precision_recall(pairs)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(2 / 3)
    assert metrics.abstention_precision_recall([(False, False)]) == (None, None)


def test_percentile_interpolates_like_numpy() -> None:
    values = [100.0, 200.0, 300.0, 400.0]
    assert metrics.percentile(values, 50) == 250.0
    assert metrics.percentile(values, 95) == pytest.approx(385.0)
    assert metrics.percentile([], 50) is None


def test_aggregate_skips_undefined_values_and_counts_errors_apart() -> None:
    scores = [
        QuestionScores(hit_at_5=1.0, fact_recall=1.0, label="accurate", latency_ms=100, answer_chars=50),
        QuestionScores(hit_at_5=0.0, fact_recall=0.0, label="hallucinated", latency_ms=300, answer_chars=150),
        QuestionScores(abstained=True, label="accurate", latency_ms=200),  # unanswerable, rightly abstained
        QuestionScores(label="error"),
    ]
    agg = metrics.aggregate(scores, [True, True, False, True])
    assert agg.n == 4 and agg.errors == 1
    assert agg.hit_at_5 == 0.5 and agg.fact_recall == 0.5
    assert agg.accurate_rate == pytest.approx(2 / 3) and agg.hallucination_rate == pytest.approx(1 / 3)
    assert agg.abstention_precision == 1.0 and agg.abstention_recall == 1.0
    assert agg.latency_p50_ms == 200.0
    assert agg.answer_chars == 100.0  # the abstention has no answer length
    assert agg.citation_precision is None
