"""The bolt listeners: mentions and direct messages answered in their thread, and `/askear`.

Every listener acknowledges at once and answers in a lazy function (bolt runs it on its executor after
the ack), so Slack gets its 2xx well within 3 seconds however long the answer takes.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from assistant.slack import commands, mrkdwn, replies
from assistant.slack.blocks import SlackMessage, notice
from assistant.slack.history import fetch_history

COMMAND = "/askear"
# A response_url accepts five messages; the 5th says the rest was cut.
MAX_COMMAND_MESSAGES = 5
TRUNCATED = "The rest of this answer is too long for a slash command reply: mention me in a channel to get it in full."


def register_listeners(app: App, assistant: replies.Answerer) -> None:
    """Attach the askear listeners to a bolt App."""

    def acknowledge(ack: Ack) -> None:
        ack()

    def answer_mention(event: dict[str, Any], client: WebClient, logger: logging.Logger) -> None:
        _answer_in_thread(assistant, event, client, logger)

    def answer_direct_message(event: dict[str, Any], client: WebClient, logger: logging.Logger) -> None:
        _answer_in_thread(assistant, event, client, logger)

    def acknowledge_command(ack: Ack, command: dict[str, Any]) -> None:
        parsed = commands.parse_command(command.get("text", ""))
        if isinstance(parsed, commands.Help):
            ack(text=commands.USAGE)  # ephemeral, seen only by the person who typed it
        else:
            ack()

    def answer_command(command: dict[str, Any], respond: Respond, logger: logging.Logger) -> None:
        parsed = commands.parse_command(command.get("text", ""))
        if isinstance(parsed, commands.Help):
            return  # answered by the ack
        if isinstance(parsed, commands.Screen):
            messages = replies.screen_party(assistant, parsed.name, parsed.country, logger)
        else:
            heading = f"*Question:* {mrkdwn.escape(parsed.question)}"
            messages = replies.answer_question(assistant, parsed.question, None, logger, heading)
        _respond(respond, messages, logger)

    app.event("app_mention")(ack=acknowledge, lazy=[answer_mention])
    # Plain messages only (no subtype: not edits, deletions or bot posts), and only in direct messages:
    # in channels the bot answers when mentioned.
    app.event({"type": "message", "subtype": None}, matchers=[_is_direct_message])(
        ack=acknowledge, lazy=[answer_direct_message]
    )
    # Every other message event (edits, deletions, channel chatter) is acknowledged and dropped: an
    # unhandled event gets a 404 from bolt, and Slack retries anything that is not a 2xx.
    app.event("message")(acknowledge)
    app.command(COMMAND)(ack=acknowledge_command, lazy=[answer_command])


def _is_direct_message(event: dict[str, Any]) -> bool:
    return event.get("channel_type") == "im" and not event.get("bot_id")


def _answer_in_thread(
    assistant: replies.Answerer, event: dict[str, Any], client: WebClient, logger: logging.Logger
) -> None:
    channel, ts = event["channel"], event["ts"]
    thread_ts = event.get("thread_ts") or ts
    question = mrkdwn.to_plain(event.get("text", ""))
    history = None
    if event.get("thread_ts") and event["thread_ts"] != ts:
        # A follow-up inside a thread: the earlier messages say what "it" refers to.
        history = fetch_history(client, channel, thread_ts, ts, logger) or None
    messages = replies.answer_question(assistant, question, history, logger)
    _post(client, channel, thread_ts, messages, logger)


def _post(
    client: WebClient, channel: str, thread_ts: str, messages: list[SlackMessage], logger: logging.Logger
) -> None:
    try:
        for message in messages:
            client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                text=message.text,
                blocks=message.blocks,
                unfurl_links=False,
                unfurl_media=False,  # the sources are listed; previews would bury them
            )
    except Exception:
        logger.exception("posting the answer to %s failed", channel)
        try:  # a refused block (e.g. invalid_blocks) should still leave the user a reply
            sorry = notice(replies.SORRY)[0]
            client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=sorry.text, blocks=sorry.blocks)
        except Exception:
            logger.exception("posting the apology to %s failed too", channel)


def _respond(respond: Respond, messages: list[SlackMessage], logger: logging.Logger) -> None:
    if len(messages) > MAX_COMMAND_MESSAGES:
        messages = [*messages[: MAX_COMMAND_MESSAGES - 1], *notice(TRUNCATED)]
    try:
        for message in messages:
            # Answers are for the channel; errors and help only for the person who typed the command.
            response_type = "ephemeral" if message.notice else "in_channel"
            respond(
                text=message.text,
                blocks=message.blocks,
                response_type=response_type,
                unfurl_links=False,
                unfurl_media=False,
            )
    except Exception:
        logger.exception("responding to %s failed", COMMAND)
