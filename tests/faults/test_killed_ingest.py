"""SIGKILL an ingest mid-way: the previous generation keeps answering and a re-run completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from assistant.assistant import Assistant
from assistant.index import generation as gens
from assistant.index.ingest import ingest

BIN = Path(sys.executable).parent


def test_sigkilled_ingest_leaves_previous_generation_live(small_settings, embedder) -> None:
    first = ingest(small_settings, embedder=embedder)
    for news in (small_settings.raw_dir / "news").glob("*.json"):
        data = json.loads(news.read_text())
        data["text"] += "\n\n" + "A paragraph that forces re-embedding. " * 20
        news.write_text(json.dumps(data))
    # Make the run long enough to be caught mid-way: every FR abstract changes too.
    for fr in (small_settings.raw_dir / "federal-register").glob("*.jsonl"):
        lines = [json.loads(line) for line in fr.read_text().splitlines() if line.strip()]
        for row in lines:
            row["abstract"] = (row.get("abstract") or "") + " Revised."
        fr.write_text("\n".join(json.dumps(row) for row in lines) + "\n")
    env = {**os.environ, "ASKEAR_HOME": str(small_settings.home)}
    proc = subprocess.Popen([str(BIN / "askear"), "ingest"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(small_settings.index_dir.glob("*.partial/chroma")):
        time.sleep(0.05)
    time.sleep(1.0)  # inside the embedding stage
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert gens.live_name(small_settings.index_dir) == first.generation
    answer = Assistant(small_settings, embedder=embedder).ask("What is General Prohibition Ten?")
    assert not answer.abstained
    again = ingest(small_settings, embedder=embedder)
    assert again.created and again.changed > 200
    assert gens.live_name(small_settings.index_dir) == again.generation
    assert not list(small_settings.index_dir.glob("*.partial"))
