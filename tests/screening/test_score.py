"""The word alignment behind every score: order-free, typo- and transliteration-tolerant, weight-aware."""

from __future__ import annotations

from assistant.screening.normalize import name_tokens, translit_key
from assistant.screening.score import Side, align, typo_sim


def _side(name: str, weights: dict[str, float] | None = None) -> Side:
    tokens = name_tokens(name)
    return Side(tokens, tuple(translit_key(t) for t in tokens), tuple((weights or {}).get(t, 5.0) for t in tokens))


def test_reordered_words_score_100_and_say_so() -> None:
    al = align(_side("Memory Yangtze Technologies"), _side("Yangtze Memory Technologies Co., Ltd."))
    assert al.score == 100.0 and al.reordered and not al.extra and not al.missing


def test_one_slip_weighs_by_word_length_and_digits_must_match() -> None:
    assert typo_sim("sony", "sonu") == 0.0  # four-letter words: no typo allowance
    assert typo_sim("visa", "vista") == 0.75  # one slip against five letters is weak evidence
    assert typo_sim("sania", "scania") < 0.8 < typo_sim("yangzte", "yangtze")  # a transposition is one edit
    assert typo_sim("institute", "instiute") > 0.83 and typo_sim("institute", "instiutte") > 0.7
    assert typo_sim("zavod902", "zavod903") == 0.0


def test_transliterations_and_glued_words_pair_up() -> None:
    al = align(_side("Almaz Antei"), _side("Almaz-Antey"))
    assert {p.how for p in al.pairs} == {"exact", "transliteration"} and al.score > 95
    glued = align(_side("AlmazAntey"), _side("Almaz Antey"))
    assert glued.score == 100.0 and glued.pairs[0].how == "joined_words" and glued.pairs[0].listed == (0, 1)


def test_an_extra_rare_word_costs_more_than_an_extra_common_one() -> None:
    weights = {"huawei": 9.0, "technology": 2.0, "group": 2.0, "cloud": 9.0}
    listed = _side("Huawei Technologies", weights)
    common = align(_side("Huawei Technologies Group", weights), listed)
    rare = align(_side("Huawei Technologies Cloud", weights), listed)
    assert common.score > 90 > rare.score
    assert common.extra == (2,) and rare.extra == (2,)


def test_recall_of_the_listed_name_counts_more_than_precision_of_the_query() -> None:
    # Every listed word found plus one more (a possible affiliate) outranks half the listed name.
    superset = align(_side("Acme Rocket Works"), _side("Acme Rocket"))
    subset = align(_side("Acme"), _side("Acme Rocket"))
    assert superset.score > subset.score
