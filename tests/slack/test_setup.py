"""Configuration at the edges: tokens come only from settings/environment and missing ones are named."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from assistant.errors import ConfigError
from assistant.settings import Settings


def test_slacks_own_variable_names_are_read_and_askear_ones_win(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-slack-name")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-from-slack-name")
    monkeypatch.setenv("ASKEAR_SLACK__APP_TOKEN", "xapp-askear")
    slack = Settings().slack
    assert slack.bot_token.get_secret_value() == "xoxb-from-slack-name"
    assert slack.app_token.get_secret_value() == "xapp-askear"
    assert slack.signing_secret is None


def test_building_the_app_without_a_bot_token_names_the_variable(monkeypatch):
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    from assistant.slack.app import build_slack_app

    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        build_slack_app(object(), Settings())


def test_mounting_without_a_signing_secret_refuses(monkeypatch):
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    from fastapi import FastAPI

    from assistant.slack.http import mount

    app = FastAPI()
    with pytest.raises(ConfigError, match="SIGNING_SECRET"):
        mount(app, object(), Settings(slack={"bot_token": "xoxb-test"}))
    assert not [r for r in app.routes if getattr(r, "path", "") == "/slack/events"]


def test_without_a_signing_secret_no_http_request_verifies(monkeypatch):
    # Socket Mode needs no secret; an app built without one must still answer HTTP with 401, not verify
    # against some default (bolt would fall back to "" and fail with a 500).
    import json
    import time

    from slack_bolt.request import BoltRequest
    from slack_sdk.signature import SignatureVerifier

    from assistant.slack.app import build_slack_app

    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    bolt = build_slack_app(object(), Settings(slack={"bot_token": "xoxb-test"}))
    body = json.dumps({"type": "url_verification", "challenge": "c"})
    ts = str(int(time.time()))
    headers = {
        "x-slack-request-timestamp": ts,
        "x-slack-signature": SignatureVerifier("guessed").generate_signature(timestamp=ts, body=body),
    }
    assert bolt.dispatch(BoltRequest(body=body, headers=headers)).status == 401


def test_askear_slack_without_an_app_token_exits_with_the_variable_name(monkeypatch):
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    from assistant.cli import app

    result = CliRunner().invoke(app, ["slack"])
    assert result.exit_code == 1
    assert "SLACK_APP_TOKEN" in result.output


def test_askear_slack_is_registered_and_documented():
    from assistant.cli import app

    result = CliRunner().invoke(app, ["slack", "--help"])
    assert result.exit_code == 0 and "Socket Mode" in result.output


def test_the_manifest_grants_what_the_listeners_use():
    from pathlib import Path

    import yaml

    from assistant.slack.listeners import COMMAND

    manifest = yaml.safe_load((Path(__file__).resolve().parents[2] / "slack" / "manifest.yml").read_text())
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == [COMMAND]
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "message.im"}
    needed = {"app_mentions:read", "chat:write", "commands", "im:history", "channels:history", "groups:history"}
    assert needed <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
