from __future__ import annotations

import logging

from assistant.slack.blocks import CONTINUED_TEXT
from assistant.slack.history import MAX_TURNS, fetch_history, thread_history

THREAD = [
    {"ts": "1700000000.000100", "user": "U1", "text": "<@UBOT> Is YMTC on the Entity List?"},
    {"ts": "1700000000.000200", "user": "UBOT", "bot_id": "B1", "text": "Yes, it is listed. [1]"},
    {"ts": "1700000000.000250", "user": "UBOT", "bot_id": "B1", "text": CONTINUED_TEXT},
    {"ts": "1700000000.000300", "user": "U2", "text": "Thanks &amp; what about &lt;SMIC&gt;?"},
    {"ts": "1700000000.000400", "user": "U1", "text": "<@UBOT> and the licence policy?"},
    {"ts": "1700000000.000500", "user": "U1", "text": "posted later"},
]


def test_bot_messages_are_assistant_turns_and_the_rest_user_turns_up_to_the_question():
    assert thread_history(THREAD, before_ts="1700000000.000400") == [
        {"role": "user", "content": "Is YMTC on the Entity List?"},
        {"role": "assistant", "content": "Yes, it is listed. [1]"},
        {"role": "user", "content": "Thanks & what about <SMIC>?"},
    ]


def test_timestamps_compare_exactly_beyond_float_precision():
    messages = [{"ts": "1700000000.000001", "text": "a"}, {"ts": "1700000000.000002", "text": "b"}]
    assert thread_history(messages, before_ts="1700000000.000002") == [{"role": "user", "content": "a"}]


def test_only_the_latest_turns_are_kept():
    messages = [{"ts": f"1700000000.{i:06d}", "user": "U1", "text": f"m{i}"} for i in range(1, 40)]
    turns = thread_history(messages, before_ts="1700000001.000000")
    assert len(turns) == MAX_TURNS and turns[-1]["content"] == "m39"


def test_a_refused_history_read_still_lets_the_question_be_answered(caplog):
    class NoScope:
        def conversations_replies(self, **kwargs):
            raise RuntimeError("missing_scope")

    with caplog.at_level(logging.WARNING):
        assert fetch_history(NoScope(), "C1", "1.0", "2.0", logging.getLogger("t")) == []
    assert "missing_scope" in caplog.text


def test_history_follows_cursors_across_pages():
    class Paged:
        def __init__(self):
            self.cursors = []

        def conversations_replies(self, channel, ts, limit, cursor):
            self.cursors.append(cursor)
            if cursor is None:
                return {"messages": [THREAD[0]], "response_metadata": {"next_cursor": "page2"}}
            return {"messages": [THREAD[1]], "response_metadata": {"next_cursor": ""}}

    client = Paged()
    turns = fetch_history(client, "C1", THREAD[0]["ts"], "1700000000.000400", logging.getLogger("t"))
    assert client.cursors == [None, "page2"]
    assert [t["role"] for t in turns] == ["user", "assistant"]
