"""The committed evaluation set (evals/screening) meets the targets: recall ≥ 0.95, false positives ≤ 2 %."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.names import normalize as exact_key
from assistant.screening.models import DEFAULT_THRESHOLD
from assistant.screening.normalize import normalize

EVALS = Path(__file__).resolve().parents[2] / "evals" / "screening"


def _read(name: str) -> list[dict]:
    return [json.loads(line) for line in (EVALS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_set_is_large_enough_and_the_negatives_are_not_listed(list_units) -> None:
    variants, negatives = _read("variants.jsonl"), _read("non_listed.jsonl")
    ids = {u.id for u in list_units}
    assert len({v["expected_id"] for v in variants}) >= 300 and len(negatives) >= 300
    assert {v["expected_id"] for v in variants} <= ids
    listed = {k for u in list_units for t in (u.entry.name, *u.entry.aliases) for k in (exact_key(t), normalize(t))}
    assert not [n["query"] for n in negatives if exact_key(n["query"]) in listed or normalize(n["query"]) in listed]


def test_recall_and_false_positives_at_the_default_threshold(screener) -> None:
    variants, negatives = _read("variants.jsonl"), _read("non_listed.jsonl")
    found = sum(
        any(m.id == v["expected_id"] for m in screener.screen(v["query"], country=v["country"])) for v in variants
    )
    false_positives = [n["query"] for n in negatives if screener.screen(n["query"], country=n["country"])]
    assert found / len(variants) >= 0.95
    assert len(false_positives) / len(negatives) <= 0.02, false_positives
    assert all(m.score >= DEFAULT_THRESHOLD for m in screener.screen("Huawei"))
