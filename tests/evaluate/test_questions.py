"""Question files: validation of the format, and the real dev/test splits against the real index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.evaluate.questions import QuestionSetError, load_questions, parse_questions, unmatched_cites

EVALS = Path(__file__).resolve().parents[2] / "evals"
GOOD = {"id": "p-1", "question": "Is YMTC listed?", "kind": "party", "answerable": True,
        "cite": [["^list:EL:Yangtze"]], "facts": ["87 FR 77508"], "forbid": []}  # fmt: skip


def lines(*records: dict) -> list[str]:
    return [json.dumps(r) for r in records]


def test_a_valid_line_parses() -> None:
    [q] = parse_questions(lines(GOOD))
    assert q.cite == (("^list:EL:Yangtze",),) and q.answerable


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cite": [["^list:EL:(Yangtze"]]}, "bad regex"),
        ({"facts": []}, "needs at least one cite group and one fact"),
        ({"cite": [[]]}, "empty cite group"),
        ({"kind": "unanswerable"}, "unanswerable"),
        ({"kind": "gossip"}, "kind"),
        ({"answerable": False}, "has no gold citations"),
        ({"extra": 1}, "extra"),
    ],
)
def test_invalid_questions_name_the_line(change: dict, message: str) -> None:
    with pytest.raises(QuestionSetError, match=rf"(?s)src:2: .*{message}"):
        parse_questions(["// a comment", *lines({**GOOD, **change})], "src")


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(QuestionSetError, match="duplicate id"):
        parse_questions(lines(GOOD, GOOD))


def test_unmatched_cite_groups_are_reported() -> None:
    questions = parse_questions(lines(GOOD, {**GOOD, "id": "p-2", "cite": [["^ECCN 9Z999"]]}))
    assert unmatched_cites(questions, ["list:EL:Yangtze Memory Technologies Co., Ltd."]) == [
        "p-2: no unit id matches ['^ECCN 9Z999']"
    ]


def test_the_splits_are_large_varied_and_disjoint() -> None:
    dev, test = load_questions(EVALS / "dev.jsonl"), load_questions(EVALS / "test.jsonl")
    assert len(dev) + len(test) >= 150
    assert not {q.id for q in dev} & {q.id for q in test}
    assert not {q.question for q in dev} & {q.question for q in test}
    for split in (dev, test):
        kinds = {q.kind for q in split}
        assert len(kinds) == 11, kinds
        assert sum(1 for q in split if not q.answerable) >= 10
    assert sum(1 for q in dev + test if not q.answerable) >= 20


@pytest.mark.slow
def test_gold_citations_exist_and_hold_the_facts(real_settings) -> None:
    """Every gold cite group matches a unit of the real index, and every fact is text of a matched unit."""
    from assistant.index.reader import Index

    index = Index.open(real_settings)
    ids = [u.id for u in index.units.iter_units()]
    questions = load_questions(EVALS / "dev.jsonl") + load_questions(EVALS / "test.jsonl")
    assert unmatched_cites(questions, ids) == []
    for q in questions:
        patterns = [re.compile(p) for group in q.cite for p in group]
        texts = [index.units.get(uid).text for uid in ids if any(p.search(uid) for p in patterns)]
        for fact in q.facts:
            assert any(re.search(fact, t, re.IGNORECASE) for t in texts), (q.id, fact)
        for claim in q.forbid:  # a forbidden claim must not be something the gold sources say
            assert not any(re.search(claim, t, re.IGNORECASE) for t in texts), (q.id, claim)
