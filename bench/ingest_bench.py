"""Full-corpus ingest benchmark: units, chunks, embedded chunks/s, wall time per stage, peak RSS.

.venv/bin/python bench/ingest_bench.py [--data ../shared/data] [--home /tmp/askear-bench]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from assistant.index.ingest import ingest
from assistant.settings import Settings, offline_environment
from assistant.sources.catalog import load_catalog
from assistant.sources.sync import sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--home", type=Path, default=None)
    args = parser.parse_args()
    offline_environment()
    home = args.home or Path(tempfile.mkdtemp(prefix="askear-bench-"))
    settings = Settings(home=home)
    t0 = time.perf_counter()
    outcomes = sync(load_catalog(), settings.raw_dir, args.data)
    t_sync = time.perf_counter() - t0
    report = ingest(settings)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sources synced       {sum(o.ok for o in outcomes)}/{len(outcomes)} in {t_sync:.1f} s")
    print(f"units                {report.units}")
    print(f"chunks               {report.chunks} ({report.embedded} embedded, the rest BM25/name only)")
    for stage, seconds in report.stage_seconds.items():
        print(f"  {stage:<18} {seconds:7.1f} s")
    print(f"ingest wall time     {report.seconds:.1f} s")
    print(f"embedded chunks/s    {report.embedded / max(report.stage_seconds.get('embed', 1e-9), 1e-9):.1f}")
    print(f"units/s overall      {report.units / report.seconds:.1f}")
    print(f"peak RSS             {peak_mb:.0f} MB")
    if args.home is None:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
