"""Screening speed on the real lists: build time, single-name latency, and a 10,000-name batch.

    .venv/bin/python bench/screen_bench.py                   # lists parsed from ../shared/data
    ASKEAR_HOME=.askear .venv/bin/python bench/screen_bench.py --index

The names are what a customer file holds: variants of listed names (misspelt, reordered, with and without
legal forms, aliases, transliterations; drawn with evals/screening/generate.py from records other than
the evaluation sample's) mixed with non-listed company names, all distinct, so caches of earlier names
do not flatter the figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("generate", REPO / "evals" / "screening" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def names(units: list, count: int, seed: int) -> list[tuple[str, str | None]]:  # type: ignore[type-arg]
    """`count` distinct (name, country) pairs: about 85 % listed-name variants, 15 % non-listed firms."""
    gen = _generator()
    rng = random.Random(seed)
    negatives = [
        json.loads(line)["query"]
        for line in (REPO / "evals" / "screening" / "non_listed.jsonl").read_text().splitlines()
    ]
    suffixes = ("", " Group", " Holdings", " Trading", " International", " GmbH", " (Shanghai) Co., Ltd.", " LLC")
    out: dict[str, str | None] = {}
    pool = list(units)
    rng.shuffle(pool)
    for unit in pool:
        if len(out) >= count * 0.85:
            break
        for _kind, query in gen.variants(unit, rng)[:2]:
            out.setdefault(query, gen.first_country(unit))
    while len(out) < count:
        out.setdefault(rng.choice(negatives) + rng.choice(suffixes), None)
    return list(out.items())[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--index", action="store_true", help="read the lists from the index at ASKEAR_HOME")
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--single", type=int, default=1_000, help="names timed one by one")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from assistant.screening.batch import Party, screen_parties
    from assistant.screening.load import units_from_files, units_from_index
    from assistant.screening.matcher import Screener
    from assistant.settings import Settings

    t0 = time.perf_counter()
    units = units_from_index(Settings()) if args.index else units_from_files(args.data)
    t1 = time.perf_counter()
    screener = Screener(units)
    t2 = time.perf_counter()
    print(f"lists: {len(units)} records loaded in {t1 - t0:.1f} s; screener ({len(screener.table)} name rows) "
          f"built in {t2 - t1:.1f} s")  # fmt: skip

    single = names(units, args.single, seed=1)
    latencies = []
    for name, country in single:
        start = time.perf_counter()
        screener.screen(name, country=country)
        latencies.append((time.perf_counter() - start) * 1000)
    print(f"single name ({len(single)} distinct): p50 {statistics.median(latencies):.2f} ms, "
          f"p95 {percentile(latencies, 0.95):.2f} ms, max {max(latencies):.1f} ms")  # fmt: skip

    batch = [Party(line=i, name=n, country=c) for i, (n, c) in enumerate(names(units, args.batch, seed=2), start=1)]
    for workers in sorted({1, args.workers}):
        fresh = Screener(units)  # no word cache carried over from the runs above
        start = time.perf_counter()
        results = screen_parties(fresh, batch, workers=workers)
        wall = time.perf_counter() - start
        hits = sum(1 for r in results if r)
        print(f"batch of {len(batch)} names, {workers} process(es): {wall:.1f} s, {len(batch) / wall:.0f} names/s "
              f"({hits} with candidate matches)")  # fmt: skip
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
