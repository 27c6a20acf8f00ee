"""Socket Mode: the bot connects out to Slack over a WebSocket, so it needs no public URL (`askear slack`)."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from assistant.errors import ConfigError
from assistant.settings import Settings
from assistant.slack.app import build_slack_app
from assistant.slack.replies import Answerer


def socket_mode_handler(assistant: Answerer, settings: Settings) -> SocketModeHandler:
    """The handler; `.start()` blocks and serves until interrupted.

    Raises:
        ConfigError: The app-level token or the bot token is not configured.
    """
    if settings.slack.app_token is None:
        raise ConfigError(
            "Socket Mode needs an app-level token: set ASKEAR_SLACK__APP_TOKEN or SLACK_APP_TOKEN (xapp-…)"
        )
    app = build_slack_app(assistant, settings)
    return SocketModeHandler(app, app_token=settings.slack.app_token.get_secret_value())
