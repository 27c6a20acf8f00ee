"""Screening quality on the real lists: recall on name variants, false positives on non-listed companies.

    .venv/bin/python bench/screen_eval.py                     # evals/screening, lists parsed from ../shared/data
    ASKEAR_HOME=.askear .venv/bin/python bench/screen_eval.py --index   # lists from the live index instead
    .venv/bin/python bench/screen_eval.py --sweep --misses    # recall/FP per threshold, and what was missed

A variant counts as found when its record (`expected_id`) is among the matches at or above the threshold
(limit 10). A non-listed name is a false positive when any match reaches the threshold. The baseline is an
exact lookup: the query, normalised (case, punctuation, diacritics, legal forms), equal to one of the
record's names or aliases normalised the same way — what `assistant.names` and the question router did.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from assistant.names import normalize as exact_key  # noqa: E402
from assistant.screening.matcher import Screener  # noqa: E402
from assistant.screening.models import DEFAULT_THRESHOLD, PROBABLE_MATCH  # noqa: E402


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evals", type=Path, default=REPO / "evals" / "screening")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--index", action="store_true", help="read the lists from the index at ASKEAR_HOME")
    parser.add_argument("--sweep", action="store_true", help="recall and false positives per threshold")
    parser.add_argument("--misses", action="store_true", help="print missed variants and false positives")
    args = parser.parse_args()

    from assistant.screening.load import units_from_files, units_from_index
    from assistant.settings import Settings

    units = units_from_index(Settings()) if args.index else units_from_files(args.data)
    t0 = time.perf_counter()
    screener = Screener(units)
    print(
        f"screener: {len(screener)} records, {len(screener.table)} name rows, built in {time.perf_counter() - t0:.1f} s"
    )
    variants = _read(args.evals / "variants.jsonl")
    negatives = _read(args.evals / "non_listed.jsonl")

    keys_of: dict[str, set[str]] = defaultdict(set)
    all_keys: set[str] = set()
    for u in units:
        assert u.entry is not None
        for text in (u.entry.name, *u.entry.aliases):
            keys_of[u.id].add(exact_key(text))
            all_keys.add(exact_key(text))

    floor = 60.0 if args.sweep else DEFAULT_THRESHOLD
    found_score: list[float] = []  # best score of the expected record (0 if not returned)
    by_kind: dict[str, list[float]] = defaultdict(list)
    base_hits: dict[str, list[bool]] = defaultdict(list)
    misses = []
    for v in variants:
        matches = screener.screen(v["query"], country=v["country"], limit=10, threshold=floor)
        score = next((m.score for m in matches if m.id == v["expected_id"]), 0.0)
        found_score.append(score)
        by_kind[v["variant"]].append(score)
        base_hits[v["variant"]].append(exact_key(v["query"]) in keys_of[v["expected_id"]])
        if score < DEFAULT_THRESHOLD:
            misses.append((v, matches[:1]))
    neg_score: list[float] = []
    false_positives = []
    for n in negatives:
        matches = screener.screen(n["query"], country=n["country"], limit=1, threshold=floor)
        neg_score.append(matches[0].score if matches else 0.0)
        if matches and matches[0].score >= DEFAULT_THRESHOLD:
            false_positives.append((n["query"], matches[0]))

    def recall(scores: list[float], t: float) -> float:
        return sum(s >= t for s in scores) / max(len(scores), 1)

    base_recall = sum(sum(h) for h in base_hits.values()) / len(variants)
    base_fp = sum(exact_key(n["query"]) in all_keys for n in negatives) / len(negatives)
    print(f"\n{len(variants)} variants of {len({v['expected_id'] for v in variants})} listed records; "
          f"{len(negatives)} non-listed companies")  # fmt: skip
    print(f"{'':28} {'recall':>8} {'false pos.':>11}")
    for label, t in ((f"askear, threshold {DEFAULT_THRESHOLD:g}", DEFAULT_THRESHOLD),
                     (f"askear, probable (≥{PROBABLE_MATCH:g})", PROBABLE_MATCH)):  # fmt: skip
        print(f"{label:28} {recall(found_score, t):8.3f} {recall(neg_score, t):11.3f}")
    print(f"{'exact-match baseline':28} {base_recall:8.3f} {base_fp:11.3f}")
    print(f"\n{'variant':22} {'n':>5} {'askear':>8} {'exact':>8}")
    for kind in sorted(by_kind):
        scores = by_kind[kind]
        print(f"{kind:22} {len(scores):5} {recall(scores, DEFAULT_THRESHOLD):8.3f} "
              f"{sum(base_hits[kind]) / len(scores):8.3f}")  # fmt: skip
    if args.sweep:
        print(f"\n{'threshold':>9} {'recall':>8} {'false pos.':>11}")
        for t in range(70, 100, 2):
            print(f"{t:9} {recall(found_score, t):8.3f} {recall(neg_score, t):11.3f}")
    if args.misses:
        print("\nmissed variants:")
        for v, top in misses:
            best = f"{top[0].score:5.1f} {top[0].id}" if top else "-"
            print(f"  [{v['variant']}] {v['query']!r} → {v['expected_id']} | best: {best}")
        print("\nfalse positives:")
        for query, m in false_positives:
            print(f"  {query!r} → {m.score:5.1f} {m.id} ({m.matched_name!r}) {m.why}")


if __name__ == "__main__":
    main()
