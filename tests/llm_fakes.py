"""Fakes for the LLM path, at its true edges only: a remote chat model (LangChain's fake chat models, or a
chat-completions HTTP stub on 127.0.0.1 for the real OpenAI client), and a hand-made pipeline (units, hits,
a hashing embedder) so Assistant.ask / stream run in milliseconds without an index."""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from assistant.assistant import Assistant
from assistant.compose.llm import LLMComposer
from assistant.index.reader import NameTable
from assistant.models import Chunk, Hit, ListEntry, Unit
from assistant.route import Plan
from assistant.settings import Settings

YMTC = Unit(
    id="list:EL:Yangtze Memory Technologies Co., Ltd.",
    title="Yangtze Memory Technologies Co., Ltd.",
    source_type="list",
    source_id="ecfr-744",
    date="2026-07-22",
    text="Yangtze Memory Technologies Co., Ltd. is listed on the Entity List (Supplement No. 4 to Part 744 of "
    "the EAR) under China.\nAliases: YMTC.\nLicense requirement: For all items subject to the EAR. (See § 744.11 "
    "of the EAR)\nLicense review policy: Presumption of denial\nFederal Register citation: 87 FR 77508, 12/19/22.",
    entry=ListEntry(list_code="EL", list_name="Entity List", name="Yangtze Memory Technologies Co., Ltd.",
                    aliases=("YMTC",)),
)  # fmt: skip
SECTION = Unit(
    id="15 CFR 744.11",
    title="§ 744.11 License requirements that apply to entities acting contrary to national security interests.",
    source_type="regulation",
    source_id="ecfr-744",
    date="2026-07-22",
    text="(a) License requirement. A license is required for the export, reexport, or transfer (in-country) of "
    "any item subject to the EAR to an entity listed in Supplement No. 4 to this part.\n(b) License review "
    "policy. Applications are reviewed under the policy stated in the entry for the entity.",
)
ECCN = Unit(
    id="ECCN 3A090",
    title="ECCN 3A090 — Integrated circuits",
    source_type="regulation",
    source_id="ecfr-774",
    date="2026-09-01",
    text="3A090 Integrated circuits as follows (see List of Items Controlled).\nReason for Control: RS, AT\n"
    "NAC/ACA: Yes, for 3A090.a, if the item has a 'total processing performance' of 4,800 or more.",
)
NEWS = Unit(
    id="article:talks",
    title="Export controls on the table in London",
    source_type="news",
    source_id="news",
    date="2025-06-10",
    publisher="Reuters",
    text="The administration has offered to scale back some export controls on China as part of trade talks "
    "in London.\nIt is not clear if the easing would include controls affecting semiconductors.",
)
UNITS = (YMTC, SECTION, ECCN, NEWS)


class HashEmbedder:
    """Deterministic bag-of-words vectors (normalised): similar wording, similar vector. No model to load."""

    name = "hash"

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(256, dtype=np.float32)
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            v[zlib.crc32(word.encode()) % 256] += 1.0
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v

    def encode_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def encode_many(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, 256), dtype=np.float32)

    encode_documents = encode_many


def hits_for(units: Sequence[Unit], routed: Sequence[str] = (), similarity: float = 0.6) -> list[Hit]:
    """One hit per unit, in order; units whose id is in `routed` come from the entity/exact retriever."""
    hits = []
    for rank, unit in enumerate(units):
        chunk = Chunk(
            id=f"{unit.id}#0", unit_id=unit.id, source_type=unit.source_type, ordinal=0, text=unit.text,
            unit_hash=unit.content_hash,
        )  # fmt: skip
        sources = ("entity",) if unit.id in routed else ("hybrid",)
        hits.append(Hit(chunk=chunk, score=1.0 - 0.1 * rank, sources=sources, dense_similarity=similarity))
    return hits


@dataclass
class Pipeline:
    """What the fake retrieval stage saw: every plan it was asked to run (the question after condensation)."""

    units: dict[str, Unit]
    plans: list[Plan] = field(default_factory=list)
    similarity: float = 0.6


def fake_assistant(
    monkeypatch: pytest.MonkeyPatch,
    model: Any,
    units: Sequence[Unit] = UNITS,
    similarity: float = 0.6,
    **settings: Any,
) -> tuple[Assistant, Pipeline]:
    """An Assistant whose route and retrieve stages are replaced by a lookup over `units` (a party named in the
    question is 'entity'-routed), with the real LLM composer over `model` and the real verifier."""
    import assistant.assistant as facade

    pipeline = Pipeline(units={u.id: u for u in units}, similarity=similarity)

    def parties(text: str) -> list[str]:
        return [
            u.entry.name for u in units if u.entry and (u.entry.name in text or any(a in text for a in u.entry.aliases))
        ]

    def fake_plan(question: str, names: object) -> Plan:
        named = [u.id for u in units if u.entry and u.entry.name in parties(question)]
        return Plan(question=question, route="entity" if named else "general", entities=tuple(named))

    def fake_retrieve(plan: Plan, index: object, query_vector: np.ndarray, settings: object) -> list[Hit]:
        pipeline.plans.append(plan)
        return hits_for(units, routed=plan.entities, similarity=pipeline.similarity)

    monkeypatch.setattr(facade, "plan", fake_plan)
    monkeypatch.setattr(facade, "retrieve", fake_retrieve)
    monkeypatch.setattr(facade, "find_parties", lambda text, names: ([], parties(text)))
    index = SimpleNamespace(
        info=SimpleNamespace(name="fake"), units=SimpleNamespace(get=pipeline.units.get), names=NameTable()
    )
    assistant = Assistant(
        Settings(**settings),
        embedder=HashEmbedder(),
        index=index,
        composer=LLMComposer(model),  # type: ignore[arg-type]
    )
    return assistant, pipeline


def fake_model(*replies: str) -> GenericFakeChatModel:
    """A chat model that answers each call with the next reply (streaming it word by word)."""
    return GenericFakeChatModel(messages=iter(replies))


# --- an OpenAI-compatible chat-completions server on 127.0.0.1 -------------------------------------------


@dataclass
class StubServer:
    base_url: str
    requests: list[dict[str, Any]]
    headers: list[dict[str, str]]


SOURCE_BLOCK = re.compile(r'<source n="(\d+)">\n\[\d+\] ([^\n]*)\n(.*?)\n</source>', re.DOTALL)


def prompt_sources(messages: list[dict[str, Any]]) -> dict[int, tuple[str, str]]:
    """{n: (header line, text)} of the sources in the last user message of a chat-completions request."""
    content = next(m["content"] for m in reversed(messages) if m["role"] == "user")
    return {int(n): (header, text) for n, header, text in SOURCE_BLOCK.findall(content)}


@contextmanager
def chat_completions_stub(reply: Callable[[dict[str, Any]], str]) -> Iterator[StubServer]:
    """Serve POST /v1/chat/completions: `reply(request_json)` gives the assistant message; `stream: true`
    is answered as server-sent events, a few words per chunk, ending with `data: [DONE]`."""
    requests: list[dict[str, Any]] = []
    headers: list[dict[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            requests.append(body)
            headers.append({k.lower(): v for k, v in self.headers.items()})
            if not self.path.endswith("/chat/completions"):
                self.send_error(404)
                return
            text = reply(body)
            base = {"id": "chatcmpl-stub", "created": 1, "model": body.get("model", "stub")}
            if not body.get("stream"):
                payload = base | {
                    "object": "chat.completion",
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                 "finish_reason": "stop", "logprobs": None}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
                }  # fmt: skip
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            words = re.findall(r"\S+\s*", text)
            deltas = [{"role": "assistant", "content": ""}] + [
                {"content": "".join(words[i : i + 3])} for i in range(0, len(words), 3)
            ]
            for delta in deltas:
                chunk = base | {"object": "chat.completion.chunk",
                                "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}  # fmt: skip
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()
            end = base | {
                "object": "chat.completion.chunk",
                "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
            }
            self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())
            self.wfile.flush()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield StubServer(f"http://127.0.0.1:{server.server_address[1]}/v1", requests, headers)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
