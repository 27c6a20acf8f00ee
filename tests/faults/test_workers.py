"""Two `askear serve` workers sharing a real `chroma run` server, through its faults.

One scenario, in order, because each stage needs the processes the previous one started: answer through both
workers, lose the Chroma server and get it back, SIGKILL an ingest, refuse a truncated source, switch to a new
generation. Every answer asked for is either given or refused with a clear 503 (never a hang, a 500 or a
dropped connection), and every feedback vote that was acknowledged is in the database at the end.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import chromadb
import httpx
import pytest

from assistant.errors import SourceError
from assistant.index import generation as gens
from assistant.index.ingest import ingest
from assistant.index.store import collection_prefix
from assistant.settings import Settings
from assistant.web.app import FEEDBACK_FILE
from tests.faults.conftest import BIN, ChromaServer, free_port, terminate

pytestmark = pytest.mark.server

QUESTIONS = (
    "What is General Prohibition Ten?",
    "What did the Federal Register say about quantum computing items?",
    "Which entities were added to the Entity List in March 2023?",
    "What is a license exception under the EAR?",
)
# Needs the vector store (no id or party name to route on), so an outage shows on it.
DENSE_QUESTION = "What did the Federal Register say about quantum computing items?"


class ApiServer:
    """`askear serve --workers N` on 127.0.0.1, configured by environment like a deployment."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [str(BIN / "askear"), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   "--workers", str(workers), "--log-level", "warning"]  # fmt: skip
        with log.open("ab") as out:
            self.proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        # A fresh connection per request, so the kernel spreads requests over the workers.
        return httpx.request(method, self.base + path, timeout=120, headers={"Connection": "close"}, **kwargs)

    def workers_reporting(self, status: int, want: int, timeout: float, generation: str | None = None) -> set[str]:
        """Poll /readyz until `want` distinct workers answered it with `status` (and `generation`, if given)."""
        seen: set[str] = set()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(seen) < want:
            try:
                response = self.request("GET", "/readyz")
            except httpx.TransportError:
                time.sleep(0.5)
                continue
            if response.status_code == status and (generation is None or response.json()["generation"] == generation):
                seen.add(response.headers["X-Askear-Worker"])
            else:
                time.sleep(0.2)
        return seen

    def stop(self) -> None:
        terminate(self.proc, grace=30)  # workers finish the requests they hold


class Ledger:
    """What the clients were told: every ask's outcome and every acknowledged feedback vote."""

    def __init__(self, api: ApiServer) -> None:
        self.api = api
        self.outcomes: list[tuple[int, str]] = []  # (status, error type or "")
        self.answered_by: set[str] = set()
        self.votes: dict[int, str] = {}  # feedback row id -> the vote's comment, which is unique

    def ask(self, question: str) -> httpx.Response:
        response = self.api.request("POST", "/v1/ask", json={"question": question})
        error = response.json().get("error", {}).get("type", "") if response.status_code != 200 else ""
        self.outcomes.append((response.status_code, error))
        if response.status_code == 200:
            self.answered_by.add(response.headers["X-Askear-Worker"])
        return response

    def ask_many(self, questions: list[str]) -> list[httpx.Response]:
        with ThreadPoolExecutor(4) as pool:
            return list(pool.map(self.ask, questions))

    def vote(self, question: str, answer: dict[str, Any] | None) -> None:
        comment = f"vote {len(self.votes)} at {time.time_ns()}"
        body = {"rating": "up" if answer else "down", "question": question, "comment": comment,
                "answer": answer["answer"] if answer else "(unavailable)",
                "citations": answer["citations"] if answer else []}  # fmt: skip
        response = self.api.request("POST", "/v1/feedback", json=body)
        assert response.status_code == 201, response.text
        self.votes[response.json()["id"]] = comment


def change_corpus(raw: Path, note: str) -> None:
    """Rewrite every FR abstract and the news text, so that the next ingest has a few hundred units to embed."""
    for fr in (raw / "federal-register").glob("*.jsonl"):
        rows = [json.loads(line) for line in fr.read_text().splitlines() if line.strip()]
        for row in rows:
            row["abstract"] = (row.get("abstract") or "") + f" {note}"
        fr.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    for news in (raw / "news").glob("*.json"):
        data = json.loads(news.read_text())
        data["text"] += f"\n\n{note} " * 5
        news.write_text(json.dumps(data))


def collections(server: ChromaServer) -> set[str]:
    client = chromadb.HttpClient(host="127.0.0.1", port=server.port)
    return {c.name for c in client.list_collections()}


def test_two_workers_on_a_chroma_server_survive_faults_without_losing_answers_or_votes(
    small_settings: Settings, chroma_server: ChromaServer, embedder, tmp_path: Path
) -> None:
    settings = small_settings.model_copy(update={"chroma_url": chroma_server.url})
    first = ingest(settings, embedder=embedder)
    env = os.environ | {
        "ASKEAR_HOME": str(settings.home),
        "ASKEAR_CHROMA_URL": chroma_server.url,
        "ASKEAR_WEB__RATE_LIMIT_PER_MINUTE": "0",
    }
    api = ApiServer(env, workers=2, log=tmp_path / "api.log")
    ledger = Ledger(api)
    try:
        # 1. Both workers load the index from the server and answer.
        assert len(api.workers_reporting(200, want=2, timeout=240)) == 2, (tmp_path / "api.log").read_text()
        for _ in range(6):
            for response, question in zip(ledger.ask_many(list(QUESTIONS) * 2), list(QUESTIONS) * 2, strict=True):
                assert response.status_code == 200, response.text
                ledger.vote(question, response.json())
            if len(ledger.answered_by) == 2:
                break
        assert len(ledger.answered_by) == 2, "the requests never reached the second worker"
        assert any(c["id"].startswith("15 CFR 736.2(b)(10)") for c in ledger.ask(QUESTIONS[0]).json()["citations"])

        # 2. The Chroma server goes away: clear 503s, feedback still stored, then recovery without a restart.
        chroma_server.stop()
        assert len(api.workers_reporting(503, want=2, timeout=60)) == 2
        not_ready = api.request("GET", "/readyz").json()["error"]
        assert not_ready["type"] == "not_ready" and "Chroma server" in not_ready["message"]
        for response in ledger.ask_many([DENSE_QUESTION] * 4):
            assert response.status_code == 503
            error = response.json()["error"]
            assert error["type"] == "backend_unavailable" and chroma_server.url in error["message"]
            ledger.vote(DENSE_QUESTION, None)
        chroma_server.start()
        assert len(api.workers_reporting(200, want=2, timeout=60, generation=first.generation)) == 2
        for response in ledger.ask_many([DENSE_QUESTION] * 4):
            assert response.status_code == 200 and response.json()["citations"]

        # 3. An ingest into the server is SIGKILLed mid-way: the workers keep answering from the live generation.
        change_corpus(settings.raw_dir, "Amended in the fault test.")
        ingest_proc = subprocess.Popen([str(BIN / "askear"), "ingest"], env=env, start_new_session=True,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(settings.index_dir.glob(f"*{gens.PARTIAL}")):
            time.sleep(0.05)
        time.sleep(1.5)  # past the collection copy, inside the embedding
        os.killpg(ingest_proc.pid, signal.SIGKILL)
        ingest_proc.wait(10)
        killed = [p.name.removesuffix(gens.PARTIAL) for p in settings.index_dir.glob(f"*{gens.PARTIAL}")]
        assert killed and gens.live_name(settings.index_dir) == first.generation
        for response in ledger.ask_many(list(QUESTIONS)):
            assert response.status_code == 200, response.text
            ledger.vote(QUESTIONS[0], response.json())

        # 4. A truncated source is refused before anything is written; the old data stays live.
        fr_file = next((settings.raw_dir / "federal-register").glob("*.jsonl"))
        intact = fr_file.read_bytes()
        fr_file.write_bytes(intact[: len(intact) // 2])
        with pytest.raises(SourceError, match=fr_file.name):
            ingest(settings, embedder=embedder)
        assert gens.live_name(settings.index_dir) == first.generation
        assert api.request("POST", "/v1/ask", json={"question": QUESTIONS[0]}).status_code == 200
        fr_file.write_bytes(intact)

        # 5. The re-run completes, drops the killed run's collections, and both workers switch to it.
        second = ingest(settings, embedder=embedder)
        assert second.created and second.changed > 200
        names = collections(chroma_server)
        assert not any(n.startswith(collection_prefix(killed[0])) for n in names)
        assert any(n.startswith(collection_prefix(second.generation)) for n in names)
        assert len(api.workers_reporting(200, want=2, timeout=60, generation=second.generation)) == 2
        news = ledger.ask("Amended in the fault test")
        assert news.status_code == 200 and news.json()["citations"]
    finally:
        api.stop()

    statuses = {status for status, _ in ledger.outcomes}
    assert statuses <= {200, 503}, ledger.outcomes  # never a 500, never a dropped connection
    assert {error for status, error in ledger.outcomes if status == 503} == {"backend_unavailable"}
    with sqlite3.connect(settings.home / FEEDBACK_FILE) as db:
        rows = dict(db.execute("SELECT id, comment FROM feedback").fetchall())
    assert rows == ledger.votes  # every acknowledged vote, from both workers, through every fault
