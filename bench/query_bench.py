"""Warm query latency over a fixed list of 30 questions (p50/p95, per stage), on a built index.

ASKEAR_HOME=.askear .venv/bin/python bench/query_bench.py [--rounds 3] [--warm-sentences]

By default every question starts with empty query and sentence-vector caches, as a question never asked
before would; --warm-sentences keeps the sentence vectors of earlier rounds (a question asked again).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time

from assistant.assistant import Assistant

QUESTIONS = [
    "Is Yangtze Memory Technologies on the Entity List and what license review policy applies?",
    "What are the reasons for control for ECCN 3A090?",
    "What does 15 CFR 744.21 require?",
    "Is SMIC listed?",
    "What is in Supplement No. 4 to Part 744?",
    "What does ECCN 5A002 control?",
    "What is General Prohibition Ten?",
    "What did the US offer China on export controls in the London talks?",
    "When did BIS add entities to the Entity List in February 2023?",
    "What is license exception ACA?",
    "Which countries are in Country Group D:5?",
    "What is the de minimis rule for foreign-made items?",
    "What does the foreign direct product rule for advanced computing cover?",
    "Is the Moscow Institute of Physics and Technology on the Entity List?",
    "What is the license review policy for Huawei?",
    "What does 744.11 say about the End-User Review Committee?",
    "What is the military end-user rule?",
    "Which ECCNs control high bandwidth memory?",
    "What is a 'supercomputer' under the EAR?",
    "What does the Unverified List mean for exporters?",
    "What did the January 2025 AI diffusion rule do?",
    "What is license exception STA?",
    "What are the red flags for diversion?",
    "What is ECCN 4E091?",
    "Is a license required to export EAR99 items to Russia?",
    "What is the 50 percent rule for affiliates of listed entities?",
    "What does 734.9(e) cover?",
    "What is deemed export?",
    "What changed for semiconductor manufacturing equipment in October 2023?",
    "What is the capital of France?",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warm-sentences", action="store_true", help="keep cached sentence vectors between rounds")
    args = parser.parse_args()
    assistant = Assistant.from_settings()
    t0 = time.perf_counter()
    assistant.warm_up()
    for q in QUESTIONS:  # first pass warms caches the way a running server would be
        assistant.ask(q)
    warm = time.perf_counter() - t0
    totals: list[float] = []
    stages: dict[str, list[float]] = {"route": [], "retrieve": [], "compose": [], "verify": []}
    for _ in range(args.rounds):
        for q in QUESTIONS:
            assistant.embedder.query_cache.clear()  # measure the query embedding too
            if not args.warm_sentences:
                assistant.embedder.sentence_cache.clear()  # and the sentence embeddings of the composer
            start = time.perf_counter()
            answer = assistant.ask(q)
            totals.append((time.perf_counter() - start) * 1000)
            for stage in stages:
                stages[stage].append(getattr(answer.timings, stage))
    print(f"warm-up (load model + index, one pass) {warm:.1f} s")
    sentences = "warm" if args.warm_sentences else "cleared per question"
    print(f"questions {len(QUESTIONS)} x {args.rounds} rounds (sentence cache {sentences})")
    print(f"latency ms  p50 {statistics.median(totals):.1f}  p95 {percentile(totals, 0.95):.1f}  max {max(totals):.1f}")
    for stage, values in stages.items():
        print(f"  {stage:<9} p50 {statistics.median(values):6.1f}  p95 {percentile(values, 0.95):6.1f}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
