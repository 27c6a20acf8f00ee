"""App wiring: the Slack mount is optional and lazy; feedback goes under the app's ASKEAR_HOME."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.assistant import Assistant
from assistant.settings import Settings, SlackSettings
from assistant.web.app import create_app


def _slack_paths(app) -> list[str]:
    return [path for route in app.routes if (path := getattr(route, "path", "")).startswith("/slack")]


def test_slack_is_mounted_only_with_a_signing_secret(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    without = create_app(settings=Settings(home=tmp_path))
    with caplog.at_level(logging.WARNING, logger="assistant.web"):
        secret = Settings(home=tmp_path, slack=SlackSettings(signing_secret="s", bot_token="xoxb-test"))
        with_secret = create_app(settings=secret)

    assert _slack_paths(without) == []
    if importlib.util.find_spec("assistant.slack.http") is None:
        assert _slack_paths(with_secret) == []
        assert "assistant.slack is not installed" in caplog.text
    else:
        assert _slack_paths(with_secret), "assistant.slack.http.mount added no /slack route"


def test_the_app_defaults_to_the_assistants_settings(tmp_path: Path) -> None:
    assistant = Assistant(Settings(home=tmp_path / "home", web={"rate_limit_per_minute": 1}))
    client = TestClient(create_app(assistant))

    assert client.app.state.feedback.path == tmp_path / "home" / "feedback.sqlite"
    assert [client.get("/v1/models").status_code for _ in range(2)] == [200, 429]


def test_serve_starts_uvicorn_with_the_factory_for_any_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner
    from uvicorn.importer import import_from_string

    from assistant.cli import app

    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))

    result = CliRunner().invoke(app, ["serve", "--port", "8123", "--workers", "2"])

    assert result.exit_code == 0, result.output
    (target,), options = calls[0]
    assert import_from_string(target) is create_app
    assert options["factory"] is True
    assert (options["host"], options["port"], options["workers"]) == ("127.0.0.1", 8123, 2)
    assert options["log_config"]["loggers"]["assistant"]["handlers"] == ["askear"]


def test_serve_warns_when_exposed_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)

    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])

    assert result.exit_code == 0
    assert "without ASKEAR_WEB__API_TOKEN" in result.output


class _StoreDown(Assistant):
    """An index whose vector store refuses connections (a `chroma run` server that is down)."""

    @property
    def index(self):  # type: ignore[override]
        from types import SimpleNamespace

        def refuse() -> dict[str, int]:
            raise ConnectionRefusedError("[Errno 111] Connection refused")

        info = SimpleNamespace(name="gen-x", created="2026-01-01", units={"regulation": 1}, chunks=1, sources=())
        return SimpleNamespace(info=info, store=SimpleNamespace(counts=refuse))


def test_readyz_is_503_when_the_vector_store_is_unreachable(tmp_path: Path) -> None:
    client = TestClient(create_app(_StoreDown(Settings(home=tmp_path))))

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["error"]["message"] == "the index or vector store is unreachable: ConnectionRefusedError"
    assert client.get("/healthz").status_code == 200
