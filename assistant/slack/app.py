"""Build the bolt App: one Assistant, tokens from settings, the listeners and retry de-duplication."""

from __future__ import annotations

import logging
import secrets
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_sdk import WebClient

from assistant.errors import ConfigError
from assistant.settings import Settings
from assistant.slack.dedupe import SeenEvents, dedupe_middleware
from assistant.slack.listeners import register_listeners
from assistant.slack.replies import Answerer

# Answers run here after the ack; two cores answer about two questions at a time anyway.
ANSWER_THREADS = 4
# Slack event ids already handled, shared by every worker and process using this ASKEAR_HOME.
EVENTS_FILE = "slack-events.sqlite"


def build_slack_app(assistant: Answerer, settings: Settings, client: WebClient | None = None) -> App:
    """A bolt App that answers in Slack threads with `assistant`.

    Args:
        assistant: The `Assistant` (or anything with its `ask`, and optionally `screen`).
        settings: Tokens and the Web API base URL come from `settings.slack`.
        client: A ready WebClient; by default one is built from `settings.slack.bot_token` and `api_base_url`.

    Raises:
        ConfigError: No client is given and no bot token is configured.
    """
    slack = settings.slack
    if client is None:
        if slack.bot_token is None:
            raise ConfigError("Slack needs a bot token: set ASKEAR_SLACK__BOT_TOKEN or SLACK_BOT_TOKEN (xoxb-…)")
        kwargs = {"base_url": slack.api_base_url} if slack.api_base_url else {}
        client = WebClient(token=slack.bot_token.get_secret_value(), **kwargs)
    # Without a configured secret (Socket Mode) no HTTP request may verify: a random one guarantees that.
    secret = slack.signing_secret.get_secret_value() if slack.signing_secret else secrets.token_hex(32)
    app = App(
        signing_secret=secret,
        client=client,
        # auth.test runs on the first event instead of here, so a web app mounting Slack starts offline.
        token_verification_enabled=False,
        # Listeners only ack; the answer runs in a lazy listener, so the ack is back within 3 seconds.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(max_workers=ANSWER_THREADS, thread_name_prefix="askear-slack"),
        logger=logging.getLogger("assistant.slack"),
        name="askear",
    )
    app.use(dedupe_middleware(SeenEvents(settings.home / EVENTS_FILE)))
    register_listeners(app, assistant)
    return app
