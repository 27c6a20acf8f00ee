"""`askear slack`'s Socket Mode path end to end: the bot opens a WebSocket (to a local server standing in
for Slack's), acknowledges each envelope and answers in the thread through the fake Web API."""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.slack.conftest import RecordingAssistant
from tests.slack.fake_slack import BOT_USER_ID, TEAM_ID, FakeSlack, wait_for

QUESTION = "Is Yangtze Memory Technologies on the Entity List?"
SENTINEL = "What does 744.21 require?"


def envelope(envelope_id: str, event_id: str, text: str, ts: str, retry_attempt: int = 0) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": "C0SOCKET",
        "event_ts": ts,
    }
    payload = {
        "team_id": TEAM_ID,
        "api_app_id": "A0TEST",
        "type": "event_callback",
        "event": event,
        "event_id": event_id,
        "event_time": 1700000000,
    }
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
        "payload": payload,
    }


class FakeSocketServer:
    """Slack's WebSocket end: says hello, sends the queued envelopes, collects the acks."""

    def __init__(self, envelopes: list[dict[str, Any]]) -> None:
        from websockets.sync.server import serve

        self.acks: queue.Queue[dict[str, Any]] = queue.Queue()
        self._envelopes = envelopes
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def _handle(self, ws: Any) -> None:
        ws.send(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TEST"}}))
        for item in self._envelopes:
            ws.send(json.dumps(item))
        for message in ws:
            self.acks.put(json.loads(message))

    def ack_ids(self, count: int) -> set[str]:
        return {self.acks.get(timeout=30)["envelope_id"] for _ in range(count)}

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(5)


@pytest.fixture
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketServer]:
    server = FakeSocketServer(
        [
            envelope("env-1", "Ev0SOCK", QUESTION, "1700000010.000100"),
            envelope("env-1-retry", "Ev0SOCK", QUESTION, "1700000010.000100", retry_attempt=1),
            envelope("env-2", "Ev0SOCK2", SENTINEL, "1700000010.000900"),
        ]
    )
    fake_slack.socket_url = f"ws://127.0.0.1:{server.port}/link"
    try:
        yield server
    finally:
        server.close()


@pytest.mark.slow
def test_socket_mode_acks_envelopes_answers_in_thread_and_drops_the_retry(
    real_assistant, fake_slack, socket_server, tmp_path
):
    from assistant.settings import Settings
    from assistant.slack.socket import socket_mode_handler

    settings = Settings(
        home=tmp_path,
        slack={"bot_token": "xoxb-test", "app_token": "xapp-test", "api_base_url": fake_slack.base_url},
    )
    assistant = RecordingAssistant(real_assistant)
    handler = socket_mode_handler(assistant, settings)
    handler.connect()
    try:
        assert socket_server.ack_ids(3) == {"env-1", "env-1-retry", "env-2"}
        # Envelopes are dispatched concurrently: either answer may come first.
        wait_for(lambda: [p for p in fake_slack.posts() if p["thread_ts"] == "1700000010.000900"], what="sentinel")
        wait_for(lambda: [p for p in fake_slack.posts() if p["thread_ts"] == "1700000010.000100"], what="answer")
        posts = [p for p in fake_slack.posts() if p["thread_ts"] == "1700000010.000100"]
        assert len(posts) == 1 and posts[0]["channel"] == "C0SOCKET"
        assert "`list:EL:Yangtze Memory Technologies Co., Ltd.`" in json.dumps(posts[0]["blocks"])
        assert sorted(assistant.questions()) == sorted([QUESTION, SENTINEL])
        assert "apps.connections.open" in fake_slack.methods()
    finally:
        handler.close()
