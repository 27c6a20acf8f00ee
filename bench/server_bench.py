"""The HTTP service on a `chroma run` server next to the embedded store: requests/s and latency, 1 and 2 workers.

    ASKEAR_HOME=/tmp/askear-dev .venv/bin/python bench/server_bench.py --workers 1 2 --clients 8 --duration 60

Starts its own `chroma run` on 127.0.0.1 with a temporary data folder and ingests the corpus already synced
under ASKEAR_HOME into it. A scratch ASKEAR_HOME holds the BM25 and unit files of that build; ASKEAR_HOME
itself is only read; `--scratch DIR` keeps the build for the next run. Then it runs the load of
bench/load_bench.py against `askear serve` on the server store and on ASKEAR_HOME's embedded index, and prints
the server ingest time and one table row per store and worker count.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from load_bench import QUESTIONS, arguments, bench, check_bounds, free_port, peak_rss_mb, report

from assistant.settings import Settings

BIN = Path(sys.executable).parent


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    log = (path.parent / "chroma.log").open("wb")
    proc = subprocess.Popen(
        [str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise SystemExit("chroma run did not start within 60 s")


def main() -> None:
    parser = arguments(__doc__)
    parser.set_defaults(clients=8)
    parser.add_argument("--scratch", type=Path, help="keep the server's data and index here and reuse them next time")
    args = parser.parse_args()
    check_bounds(args)
    source = Settings()
    if not (source.raw_dir / "manifest.json").exists():
        raise SystemExit(f"nothing synced under {source.home}: run `askear corpus sync` first")
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="askear-server-bench-"))
    scratch.mkdir(parents=True, exist_ok=True)
    built = (scratch / "home" / "index" / "CURRENT").exists()
    port = free_port()
    chroma = start_chroma(scratch / "chroma-data", port)
    embedded_env = {"ASKEAR_HOME": str(source.home), "ASKEAR_CHROMA_URL": ""}
    server_env = {"ASKEAR_HOME": str(scratch / "home"), "ASKEAR_CHROMA_URL": f"http://127.0.0.1:{port}"}
    try:
        if not built:
            shutil.copytree(source.raw_dir, scratch / "home" / "raw")
            began = time.perf_counter()
            subprocess.run([str(BIN / "askear"), "ingest"], env=os.environ | server_env, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip
            print(f"ingest into the Chroma server: {time.perf_counter() - began:.0f} s")
        print(f"{len(QUESTIONS)} questions, POST /v1/ask, {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
        print("| store | workers | clients | measured | requests | req/s | p50 ms | p95 ms | p99 ms | errors | "
              "peak RSS MB |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for workers in args.workers:
            print(report(bench(workers, args, embedded_env), args.clients, "embedded"), flush=True)
            print(report(bench(workers, args, server_env), args.clients, "chroma server"), flush=True)
        print(f"chroma server peak RSS: {peak_rss_mb(chroma.pid):.0f} MB")
    finally:
        os.killpg(chroma.pid, signal.SIGTERM)
        chroma.wait(30)
        if args.scratch is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
