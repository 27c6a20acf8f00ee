"""HTTP mode: `POST /slack/events` on a FastAPI app, through bolt's FastAPI (Starlette) adapter.

Every request is checked against the signing secret by bolt before anything else runs: a bad signature
or a timestamp more than 5 minutes old gets 401 and no answer.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from assistant.errors import ConfigError
from assistant.settings import Settings
from assistant.slack.app import build_slack_app
from assistant.slack.replies import Answerer

PATH = "/slack/events"


def mount(app: FastAPI, assistant: Answerer, settings: Settings) -> None:
    """Add `POST /slack/events` (events and the `/askear` command) to `app`.

    The route authenticates by Slack signature, not by the web API's bearer token: Slack cannot send one.

    Raises:
        ConfigError: The signing secret or the bot token is not configured.
    """
    if settings.slack.signing_secret is None:
        raise ConfigError(
            "Slack over HTTP needs the signing secret: set ASKEAR_SLACK__SIGNING_SECRET or SLACK_SIGNING_SECRET"
        )
    bolt_app = build_slack_app(assistant, settings)

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        # bolt's SlackRequestHandler.handle() dispatches on the event loop; dispatch includes a network
        # call (auth.test on the first event), so it runs in the thread pool to keep the web app responsive.
        bolt_response = await run_in_threadpool(bolt_app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    app.add_api_route(PATH, slack_events, methods=["POST"], include_in_schema=False, name="slack_events")
