"""Questions and screens → the Slack messages to post. Errors become a short, polite reply; the stack
trace goes to the log, never to the channel."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from assistant.errors import IndexMissing, InvalidQuestion
from assistant.models import Answer
from assistant.slack.blocks import SlackMessage, answer_messages, notice
from assistant.slack.commands import USAGE
from assistant.slack.screen_blocks import screen_messages

SORRY = "Sorry, something went wrong while I was answering. Please try again in a moment."
NO_INDEX = "Sorry, I can't answer yet: my sources are not indexed. An administrator needs to run `askear ingest`."
NO_SCREENING = (
    "Sorry, screening isn't available on this askear server. You can still ask, e.g. "
    "`/askear Is {name} on the Entity List?`"
)


class Answerer(Protocol):
    """What the Slack front end needs of `assistant.Assistant` (tests wrap the real one)."""

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer: ...


def usage() -> list[SlackMessage]:
    return notice(USAGE)


def answer_question(
    assistant: Answerer,
    question: str,
    history: list[dict[str, str]] | None,
    logger: logging.Logger,
    heading: str | None = None,
) -> list[SlackMessage]:
    """Ask and render; never raises."""
    if not question.strip():
        return usage()
    try:
        return answer_messages(assistant.ask(question, history=history), heading)
    except InvalidQuestion as exc:
        return notice(f"Sorry, I can't take that question: {exc}.")
    except IndexMissing:
        logger.error("Slack question arrived but no index is built")
        return notice(NO_INDEX)
    except Exception:
        logger.exception("answering a Slack question failed")
        return notice(SORRY)


def screen_party(assistant: Any, name: str, country: str | None, logger: logging.Logger) -> list[SlackMessage]:
    """Screen with `assistant.screen(name, country=...)` where the assistant has it; never raises."""
    screen = getattr(assistant, "screen", None)
    if not callable(screen):
        return notice(NO_SCREENING.format(name=name))
    try:
        return screen_messages(screen(name, country=country), name, country)
    except IndexMissing:
        logger.error("Slack screen arrived but no index is built")
        return notice(NO_INDEX)
    except Exception:
        logger.exception("screening from Slack failed")
        return notice(SORRY)
