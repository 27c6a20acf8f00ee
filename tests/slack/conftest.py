"""Live-app fixtures: the Slack route mounted on a bare FastAPI app, served by uvicorn on 127.0.0.1, with
the bolt WebClient pointed at a fake Slack Web API server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.slack.fake_slack import FakeSlack, SlackSender, fake_slack_server

SECRET = "test-signing-secret-8f2b"


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with fake_slack_server() as fake:
        yield fake


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn in a thread; yields its base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


class RecordingAssistant:
    """The real Assistant, with every ask() call recorded (question and history) before it is answered."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[tuple[str, list[dict[str, str]] | None]] = []
        self._lock = threading.Lock()

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Any:
        with self._lock:
            self.calls.append((question, history))
        return self.inner.ask(question, history=history)

    def questions(self) -> list[str]:
        with self._lock:
            return [q for q, _ in self.calls]


@pytest.fixture
def live_slack(fake_slack: FakeSlack, tmp_path: Path) -> Iterator[Callable[[Any], SlackSender]]:
    """`live_slack(assistant)` → a sender posting signed payloads to a served app with `mount()` applied."""
    from fastapi import FastAPI

    from assistant.settings import Settings
    from assistant.slack.http import PATH, mount

    settings = Settings(
        home=tmp_path / "home",
        slack={
            "signing_secret": SECRET,
            "bot_token": "xoxb-test",
            "app_token": None,
            "api_base_url": fake_slack.base_url,
        },
    )
    with ExitStack() as stack:

        def start(assistant: Any) -> SlackSender:
            app = FastAPI()
            mount(app, assistant, settings)
            return SlackSender(stack.enter_context(serve(app)) + PATH, SECRET)

        yield start
