"""Load on the HTTP service: `askear serve` on 127.0.0.1, N concurrent clients asking a fixed question mix.

Prints requests/s, p50/p95/p99 latency, errors and peak RSS per worker process, for each worker count.

    ASKEAR_HOME=/tmp/askear-dev .venv/bin/python bench/load_bench.py --workers 1 2 --clients 32 --duration 60

Only ever targets 127.0.0.1. The server runs with the rate limit off (every client here is 127.0.0.1).
Questions repeat, so after the first round query embeddings come from the embedder's cache, as they
would for a popular question on a live server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

QUESTIONS = [
    "What are the reasons for control for ECCN 3A090?",
    "Is Yangtze Memory Technologies on the Entity List and what license review policy applies?",
    "What does 15 CFR 744.21 require?",
    "Is SMIC listed?",
    "What is license exception ACA?",
    "What is General Prohibition Ten?",
    "What does ECCN 5A002 control?",
    "What is the de minimis rule for foreign-made items?",
    "Is the Moscow Institute of Physics and Technology on the Entity List?",
    "What does 744.11 say about the End-User Review Committee?",
    "What did the January 2025 AI diffusion rule do?",
    "What is ECCN 4E091?",
    "What is deemed export?",
    "What are the red flags for diversion?",
    "What is the license review policy for Huawei?",
    "What is the capital of France?",
]


@dataclass
class Run:
    workers: int
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mb: dict[int, float] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.extend(int(c) for c in task.read_text().split())
    return found


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the most resident memory the process has had (the kernel keeps the peak)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(server_pid: int, workers: int) -> list[int]:
    """uvicorn serves in its own process with one worker; with more it supervises spawned children."""
    if workers == 1:
        return [server_pid]
    # multiprocessing's resource tracker is a child too, but it never loads the index: skip tiny processes.
    return [p for p in children(server_pid) if peak_rss_mb(p) > 200]


async def wait_ready(base: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=30) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
    raise SystemExit(f"the server at {base} was not ready within {timeout:.0f} s")


async def client_loop(client: httpx.AsyncClient, base: str, start: int, deadline: float, run: Run | None) -> None:
    i = start
    while time.monotonic() < deadline:
        question = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        began = time.perf_counter()
        try:
            response = await client.post(f"{base}/v1/ask", json={"question": question})
            outcome = "ok" if response.status_code == 200 else f"HTTP {response.status_code}"
        except httpx.HTTPError as exc:
            outcome = type(exc).__name__
        if run is None:
            continue
        if outcome == "ok":
            run.latencies.append((time.perf_counter() - began) * 1000)
        else:
            run.errors[outcome] = run.errors.get(outcome, 0) + 1


async def drive(base: str, clients: int, seconds: float, run: Run | None) -> None:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        deadline = time.monotonic() + seconds
        began = time.perf_counter()
        await asyncio.gather(*(client_loop(client, base, n, deadline, run) for n in range(clients)))
        if run is not None:
            # Requests in flight at the deadline finish and count: divide by the time actually spent.
            run.seconds = time.perf_counter() - began


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def bench(workers: int, args: argparse.Namespace, env: dict[str, str] | None = None) -> Run:
    """One measured run of `askear serve --workers N`; `env` overrides the environment (another store)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | (env or {}) | {"ASKEAR_WEB__RATE_LIMIT_PER_MINUTE": "0"}
    command = [sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--log-level", "warning"]  # fmt: skip
    # The server's log goes to a file: an unread pipe would fill up and stall the server.
    log_path = Path(tempfile.gettempdir()) / f"askear-load-{workers}w-{port}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    run = Run(workers)
    try:
        asyncio.run(wait_ready(base, args.ready_timeout))
        # Every worker loads its index and model before the clock starts.
        asyncio.run(drive(base, max(2, 2 * workers), args.warmup, None))
        asyncio.run(drive(base, args.clients, args.duration, run))
        run.peak_rss_mb = {pid: peak_rss_mb(pid) for pid in worker_pids(server.pid, workers)}
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if run.errors:
        print(f"server log: {log_path}", file=sys.stderr)
    else:
        log_path.unlink(missing_ok=True)
    return run


def report(run: Run, clients: int, store: str | None = None) -> str:
    n = len(run.latencies)
    rss = ", ".join(f"{mb:.0f}" for mb in run.peak_rss_mb.values())
    errors = sum(run.errors.values())
    detail = f" {run.errors}" if run.errors else ""
    return (
        ("" if store is None else f"| {store} ")
        + f"| {run.workers} | {clients} | {run.seconds:.0f} s | {n} | {n / run.seconds:.2f} | "
        f"{percentile(run.latencies, 0.50):.0f} | {percentile(run.latencies, 0.95):.0f} | "
        f"{percentile(run.latencies, 0.99):.0f} | {errors}{detail} | {rss} |"
    )


def arguments(description: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds per worker count")
    parser.add_argument("--warmup", type=float, default=10.0, help="unmeasured seconds before each run")
    parser.add_argument("--ready-timeout", type=float, default=180.0)
    return parser


def check_bounds(args: argparse.Namespace) -> None:
    if args.clients > 64 or args.duration > 300:
        raise SystemExit("kept bounded: at most 64 clients and 300 s (the machine is shared)")


def main() -> None:
    args = arguments(__doc__).parse_args()
    check_bounds(args)
    print(f"{len(QUESTIONS)} questions, POST /v1/ask, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    print("| workers | clients | measured | requests | req/s | p50 ms | p95 ms | p99 ms | errors | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for workers in args.workers:
        print(report(bench(workers, args), args.clients), flush=True)


if __name__ == "__main__":
    main()
