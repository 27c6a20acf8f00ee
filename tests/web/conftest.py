"""Web fixtures: apps on the real index (feedback into a tmp ASKEAR_HOME), apps with no index at all, and a
live uvicorn server on 127.0.0.1 for clients that need a real socket (openai, Chromium)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extras are not installed: pip install 'askear[web]'")

from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.assistant import Assistant
from assistant.settings import Settings, WebSettings
from assistant.web.app import create_app

AppFactory = Callable[..., FastAPI]


def web_settings(home: Path, **web: Any) -> Settings:
    return Settings(home=home, web=WebSettings(**web))


@pytest.fixture
def web_home(tmp_path: Path) -> Path:
    """Where the app under test keeps its feedback (never the shared real index home)."""
    return tmp_path / "web-home"


@pytest.fixture
def real_app(real_assistant: Assistant, web_home: Path) -> AppFactory:
    """`real_app(api_token=..., ...)`: an app on the real index with the given web settings."""

    def make(**web: Any) -> FastAPI:
        return create_app(real_assistant, web_settings(web_home, **web))

    return make


@pytest.fixture
def bare_app(tmp_path: Path) -> AppFactory:
    """An app whose ASKEAR_HOME holds no index: for edge behaviour that must not need one."""

    def make(assistant: Assistant | None = None, **web: Any) -> FastAPI:
        settings = web_settings(tmp_path / "empty-home", **web)
        return create_app(assistant or Assistant(settings), settings)

    return make


@pytest.fixture
def real_client(real_app: AppFactory) -> Iterator[TestClient]:
    with_rate_limit_off = real_app(rate_limit_per_minute=0)
    yield TestClient(with_rate_limit_off)


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn in a thread on a free 127.0.0.1 port; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def parse_sse(text: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a server-sent-events body; comment lines (pings) are skipped."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, "\n".join(data)))
    return events
