"""Slack's side of the wire for tests: a tiny Web API server on 127.0.0.1 that records calls, and a
signed-request helper. Slack's servers are the one edge the tests fake; everything else is real."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
from slack_sdk.signature import SignatureVerifier

BOT_USER_ID = "UASKEARBOT"
BOT_ID = "BASKEARBOT"
TEAM_ID = "T0TEST"


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeSlack:
    """Records every Web API call and response_url post; answers auth.test and conversations.replies."""

    port: int = 0
    calls: list[Call] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    socket_url: str | None = None  # what apps.connections.open hands a Socket Mode client
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ts: int = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                c.params
                for c in self.calls
                if c.method == "chat.postMessage" and channel in (None, c.params.get("channel"))
            ]

    def methods(self) -> list[str]:
        with self._lock:
            return [c.method for c in self.calls]

    def responded(self, name: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [body for path, body in self.responses if name in (None, path.rsplit("/", 1)[-1])]

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self.threads.clear()

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.calls.append(Call(method, params))
            if method == "auth.test":
                return {"ok": True, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": TEAM_ID, "team": "test"}
            if method == "chat.postMessage":
                self._ts += 1
                return {"ok": True, "channel": params.get("channel"), "ts": f"1800000000.{self._ts:06d}"}
            if method == "apps.connections.open" and self.socket_url:
                return {"ok": True, "url": self.socket_url}
            if method == "conversations.replies":
                messages = self.threads.get((params.get("channel", ""), params.get("ts", "")))
                return (
                    {"ok": True, "messages": messages}
                    if messages is not None
                    else {"ok": False, "error": "thread_not_found"}
                )
            return {"ok": False, "error": "unknown_method"}


def wait_for(predicate: Callable[[], Any], timeout: float = 60.0, what: str = "condition") -> Any:
    """Poll until `predicate()` is truthy: answers are posted by bolt's lazy listener after the ack."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@contextmanager
def fake_slack_server() -> Iterator[FakeSlack]:
    fake = FakeSlack()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def _reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _params(self) -> dict[str, Any]:
            url = urlsplit(self.path)
            params: dict[str, Any] = dict(parse_qsl(url.query))
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            if raw and "json" in (self.headers.get("Content-Type") or ""):
                params.update(json.loads(raw))
            elif raw:
                params.update(parse_qsl(raw))
            return params

        def do_GET(self) -> None:
            self.do_POST()

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            params = self._params()
            if path.startswith("/respond/"):
                with fake._lock:
                    fake.responses.append((path, params))
                self._reply(200, b"ok", "text/plain")
            elif path.startswith("/api/"):
                body = json.dumps(fake.answer(path.removeprefix("/api/"), params)).encode()
                self._reply(200, body, "application/json")
            else:
                self._reply(404, b"not found", "text/plain")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def blocks_of(params: dict[str, Any]) -> list[dict[str, Any]]:
    blocks = params.get("blocks") or []
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def block_texts(params: dict[str, Any]) -> list[str]:
    texts = []
    for block in blocks_of(params):
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(e["text"] for e in block.get("elements", []) if "text" in e)
    return texts


@dataclass
class SlackSender:
    """Posts payloads to /slack/events the way Slack does: signed with the app's signing secret."""

    url: str
    secret: str

    def post(
        self,
        body: str,
        content_type: str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
        retry_num: int | None = None,
    ) -> httpx.Response:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret or self.secret).generate_signature(timestamp=ts, body=body)
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}
        if retry_num is not None:
            headers |= {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
        return httpx.post(self.url, content=body.encode("utf-8"), headers=headers, timeout=30)

    def event(self, event: dict[str, Any], event_id: str, **kwargs: Any) -> httpx.Response:
        payload = {
            "token": "legacy-unused",
            "team_id": TEAM_ID,
            "api_app_id": "A0TEST",
            "type": "event_callback",
            "event": event,
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
        }
        return self.post(json.dumps(payload), "application/json", **kwargs)

    def command(self, text: str, response_url: str, **kwargs: Any) -> httpx.Response:
        from urllib.parse import urlencode

        form = {
            "token": "legacy-unused",
            "team_id": TEAM_ID,
            "channel_id": "C0CMD",
            "channel_name": "export-desk",
            "user_id": "U0ASKER",
            "user_name": "asker",
            "command": "/askear",
            "text": text,
            "response_url": response_url,
            "trigger_id": f"trigger-{time.monotonic_ns()}",
            "api_app_id": "A0TEST",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded", **kwargs)
