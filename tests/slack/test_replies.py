from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest

from assistant.errors import IndexMissing, InvalidQuestion
from assistant.models import Answer
from assistant.slack.replies import NO_INDEX, SORRY, answer_question, screen_party

log = logging.getLogger("test.slack")


def raising(exc: Exception) -> SimpleNamespace:
    def fail(*args, **kwargs):
        raise exc

    return SimpleNamespace(ask=fail, screen=fail)


def test_an_empty_mention_gets_the_usage_help_without_asking():
    [message] = answer_question(raising(AssertionError("must not ask")), "  ", None, log)
    assert message.notice and "/askear screen" in message.text


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (InvalidQuestion("the question has 2500 characters; the limit is 2000"),
         "Sorry, I can't take that question: the question has 2500 characters; the limit is 2000."),
        (IndexMissing("no index under /srv/askear/index: run `askear ingest`"), NO_INDEX),
        (RuntimeError("CUDA out of memory at /srv/model"), SORRY),
    ],
)  # fmt: skip
def test_errors_become_one_polite_notice_and_details_stay_in_the_log(exc, expected, caplog):
    with caplog.at_level(logging.ERROR):
        [message] = answer_question(raising(exc), "Is SMIC listed?", None, log)
    assert message.notice and message.text == expected
    assert "/srv" not in message.text
    if isinstance(exc, RuntimeError):
        assert "CUDA out of memory" in caplog.text and "Traceback" in caplog.text


def test_the_history_and_question_reach_the_assistant():
    seen = []

    def ask(question, history=None):
        seen.append((question, history))
        return Answer(question=question, answer="Listed. [1]", abstained=False)

    history = [{"role": "user", "content": "Is YMTC listed?"}]
    [message] = answer_question(SimpleNamespace(ask=ask), "And SMIC?", history, log, heading="*Question:* x")
    assert seen == [("And SMIC?", history)]
    assert not message.notice and message.blocks[0]["type"] == "context"


def test_screening_is_politely_unavailable_without_assistant_screen():
    [message] = screen_party(SimpleNamespace(ask=None), "Acme & Sons", None, log)
    assert message.notice
    assert message.text.startswith("Sorry, screening isn't available on this askear server.")
    assert "`/askear Is Acme &amp; Sons on the Entity List?`" in message.text


def test_a_failing_screen_gets_the_polite_notice(caplog):
    with caplog.at_level(logging.ERROR):
        [message] = screen_party(raising(ValueError("bad table")), "Acme", "CN", log)
    assert message.text == SORRY and "bad table" in caplog.text
