"""A Slack thread read back as chat history for `Assistant.ask(question, history)`: bot messages are the
assistant's turns, everyone else's are the user's, oldest first, up to the message being answered."""

from __future__ import annotations

import logging
from typing import Any

from assistant.slack import mrkdwn
from assistant.slack.blocks import CONTINUED_TEXT

# Turns handed to the assistant: enough for a follow-up to resolve "it" / "that entity", little enough
# that one long thread does not swamp the question.
MAX_TURNS = 20
# conversations.replies returns at most 1,000 per page; a thread longer than this is read up to here.
_MAX_PAGES = 5


def _ts_key(ts: str) -> tuple[int, int]:
    # Slack timestamps are "seconds.micro" strings; as floats they lose the last digits.
    seconds, _, micros = (ts or "0").partition(".")
    return int(seconds or 0), int(micros or 0)


def thread_history(messages: list[dict[str, Any]], before_ts: str, max_turns: int = MAX_TURNS) -> list[dict[str, str]]:
    """Turns {"role": "user" | "assistant", "content": text} from thread messages older than `before_ts`."""
    turns: list[dict[str, str]] = []
    for message in sorted(messages, key=lambda m: _ts_key(m.get("ts", ""))):
        if _ts_key(message.get("ts", "")) >= _ts_key(before_ts):
            continue
        is_bot = bool(message.get("bot_id")) or message.get("subtype") == "bot_message"
        text = mrkdwn.to_plain(message.get("text", ""))
        if not text or (is_bot and text == CONTINUED_TEXT):
            continue
        turns.append({"role": "assistant" if is_bot else "user", "content": text})
    return turns[-max_turns:]


def fetch_history(
    client: Any, channel: str, thread_ts: str, before_ts: str, logger: logging.Logger
) -> list[dict[str, str]]:
    """The thread's earlier turns via conversations.replies; an empty history if Slack refuses (the
    question is still answered, only without context)."""
    messages: list[dict[str, Any]] = []
    cursor = None
    try:
        for _ in range(_MAX_PAGES):
            response = client.conversations_replies(channel=channel, ts=thread_ts, limit=200, cursor=cursor)
            messages.extend(response.get("messages") or [])
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                break
    except Exception as exc:  # a missing *:history scope must not cost the user the answer
        logger.warning("could not read thread %s in %s for history: %s", thread_ts, channel, exc)
    return thread_history(messages, before_ts)
