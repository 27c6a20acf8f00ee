"""The Slack route end to end: signed payloads posted to /slack/events on a served app (uvicorn on
127.0.0.1), the real Assistant on the real index, replies recorded by a fake Slack Web API server."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from assistant.models import Answer, Citation
from assistant.slack.blocks import MAX_BLOCKS, fallback_text
from assistant.slack.mrkdwn import SECTION_TEXT_LIMIT
from assistant.slack.replies import SORRY
from tests.slack.conftest import RecordingAssistant
from tests.slack.fake_slack import BOT_ID, BOT_USER_ID, block_texts, blocks_of, wait_for

CHANNEL = "C0EXPORT"
DM = "D0DIRECT"
ECCN_QUESTION = "What are the reasons for control for ECCN 3A090?"
YMTC_QUESTION = "Is Yangtze Memory Technologies on the Entity List?"
SENTINEL_QUESTION = "What does 744.21 require?"


def mention(text: str, ts: str, thread_ts: str | None = None, channel: str = CHANNEL) -> dict[str, Any]:
    event = {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
    }
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def direct_message(text: str, ts: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "channel": DM,
        "channel_type": "im",
        "user": "U0ASKER",
        "text": text,
        "ts": ts,
        "event_ts": ts,
    } | extra


def in_thread(fake, thread_ts: str) -> list[dict[str, Any]]:
    return [p for p in fake.posts() if p.get("thread_ts") == thread_ts]


def source_lines(post: dict[str, Any]) -> list[str]:
    return [t for t in block_texts(post) if re.match(r"\*\[\d+\]\*", t)]


def answered(fake, thread_ts: str) -> list[dict[str, Any]]:
    return wait_for(lambda: in_thread(fake, thread_ts), what=f"a reply in thread {thread_ts}")


@pytest.mark.slow
def test_mention_is_answered_in_its_thread_with_the_cited_sources(real_assistant, live_slack, fake_slack):
    assistant = RecordingAssistant(real_assistant)
    slack = live_slack(assistant)
    ts = "1700000001.000100"
    started = time.monotonic()
    response = slack.event(mention(ECCN_QUESTION, ts), "Ev0ECCN")
    assert response.status_code == 200
    assert time.monotonic() - started < 3, "Slack needs the ack within 3 seconds"

    [post] = answered(fake_slack, ts)
    assert post["channel"] == CHANNEL
    assert assistant.questions() == [ECCN_QUESTION]  # the @mention is not part of the question
    expected = real_assistant.ask(ECCN_QUESTION)
    assert not expected.abstained and expected.citations
    sources = source_lines(post)
    assert len(sources) == len(expected.citations)
    for line, citation in zip(sources, expected.citations, strict=True):
        assert line.startswith(f"*[{citation.n}]* <{citation.url}|")
        assert f"`{citation.id}`" in line
        assert "Regulation (15 CFR, as of " in line
    assert any("`ECCN 3A090`" in line for line in sources)
    answer_section = block_texts(post)[0]
    assert f"<{expected.citations[0].url}|[1]>" in answer_section  # markers link to the official text
    assert "[1]" in post["text"] and "Reason for Control" in post["text"]


@pytest.mark.slow
def test_direct_message_is_answered_in_thread_and_bot_and_channel_chatter_is_not(
    real_assistant, live_slack, fake_slack
):
    assistant = RecordingAssistant(real_assistant)
    slack = live_slack(assistant)
    own = direct_message(
        "Yangtze Memory Technologies Co., Ltd. is listed [1]", "1700000002.000050", user=BOT_USER_ID, bot_id=BOT_ID
    )
    edit = direct_message("edited", "1700000002.000060", subtype="message_changed")
    channel_chat = direct_message("Is SMIC listed?", "1700000002.000070", channel=CHANNEL, channel_type="channel")
    for i, event in enumerate((own, edit, channel_chat)):
        assert slack.event(event, f"Ev0NOISE{i}").status_code == 200
    ts = "1700000002.000100"
    assert slack.event(direct_message(YMTC_QUESTION, ts), "Ev0DM").status_code == 200

    [post] = answered(fake_slack, ts)
    assert post["channel"] == DM
    # Listeners run in order on bolt's executor: any answer to the noise would have been asked first.
    assert assistant.questions() == [YMTC_QUESTION]
    assert len(fake_slack.posts()) == 1
    sources = source_lines(post)
    assert any("`list:EL:Yangtze Memory Technologies Co., Ltd.`" in s and "List (as of " in s for s in sources)
    assert "Presumption of denial" in post["text"]


@pytest.mark.slow
def test_a_retried_event_is_answered_once(real_assistant, live_slack, fake_slack):
    assistant = RecordingAssistant(real_assistant)
    slack = live_slack(assistant)
    ts = "1700000003.000100"
    first = slack.event(mention(YMTC_QUESTION, ts), "Ev0RETRY")
    retry = slack.event(mention(YMTC_QUESTION, ts), "Ev0RETRY", retry_num=1)
    assert (first.status_code, retry.status_code) == (200, 200)  # a 2xx stops Slack from retrying again
    answered(fake_slack, ts)
    late_retry = slack.event(mention(YMTC_QUESTION, ts), "Ev0RETRY", retry_num=2)
    assert late_retry.status_code == 200

    sentinel_ts = "1700000003.000900"
    slack.event(mention(SENTINEL_QUESTION, sentinel_ts), "Ev0SENTINEL")
    answered(fake_slack, sentinel_ts)
    assert assistant.questions() == [YMTC_QUESTION, SENTINEL_QUESTION]
    assert len(in_thread(fake_slack, ts)) == 1


@pytest.mark.slow
def test_forged_and_stale_requests_get_401_and_no_answer(real_assistant, live_slack, fake_slack):
    assistant = RecordingAssistant(real_assistant)
    slack = live_slack(assistant)
    ts = "1700000004.000100"
    event = mention(YMTC_QUESTION, ts)
    assert slack.event(event, "Ev0FORGED", secret="not-the-secret").status_code == 401
    assert slack.event(event, "Ev0FORGED", timestamp=int(time.time()) - 6 * 60).status_code == 401
    unsigned = httpx.post(slack.url, json={"type": "event_callback", "event_id": "Ev0FORGED", "event": event})
    assert unsigned.status_code == 401
    command = slack.command(ECCN_QUESTION, fake_slack.response_url("forged"), secret="not-the-secret")
    assert command.status_code == 401
    assert fake_slack.calls == [] and fake_slack.responded() == []  # rejected before any processing
    assert assistant.calls == []

    # Forged copies did not poison the retry cache: Slack's genuine delivery of that event id is answered.
    assert slack.event(event, "Ev0FORGED").status_code == 200
    answered(fake_slack, ts)
    assert assistant.questions() == [YMTC_QUESTION]
    assert fake_slack.responded() == []


@pytest.mark.slow
def test_a_thread_follow_up_passes_the_earlier_messages_as_history(real_assistant, live_slack, fake_slack):
    assistant = RecordingAssistant(real_assistant)
    slack = live_slack(assistant)
    parent, bot_reply, follow_up, later = (f"1700000005.00{i}00" for i in (1, 2, 3, 4))
    earlier_answer = fallback_text(real_assistant.ask(YMTC_QUESTION))  # what the bot posted as text
    fake_slack.threads[(CHANNEL, parent)] = [
        {"type": "message", "user": "U0ASKER", "text": f"<@{BOT_USER_ID}> {YMTC_QUESTION}", "ts": parent},
        {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": earlier_answer,
            "ts": bot_reply,
            "thread_ts": parent,
        },
        {
            "type": "message",
            "user": "U0ASKER",
            "text": f"<@{BOT_USER_ID}> What license review policy applies to it?",
            "ts": follow_up,
            "thread_ts": parent,
        },
        {"type": "message", "user": "U0OTHER", "text": "posted after the question", "ts": later, "thread_ts": parent},
    ]
    question = "What license review policy applies to it?"
    assert slack.event(mention(question, follow_up, thread_ts=parent), "Ev0FOLLOW").status_code == 200

    [post] = answered(fake_slack, parent)  # the reply stays in the thread, not under the follow-up
    [(asked, history)] = assistant.calls
    assert asked == question
    assert history == [
        {"role": "user", "content": YMTC_QUESTION},
        {"role": "assistant", "content": earlier_answer.replace("&amp;", "&")},
    ]
    [replies_call] = [c.params for c in fake_slack.calls if c.method == "conversations.replies"]
    assert (replies_call["channel"], replies_call["ts"]) == (CHANNEL, parent)
    assert post["channel"] == CHANNEL


def test_a_failing_assistant_gets_a_short_polite_reply(live_slack, fake_slack):
    class Broken:
        def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
            raise RuntimeError("index exploded at /srv/askear/secret")

    slack = live_slack(Broken())
    ts = "1700000006.000100"
    assert slack.event(mention(YMTC_QUESTION, ts), "Ev0BROKEN").status_code == 200
    [post] = answered(fake_slack, ts)
    assert post["text"] == SORRY
    shown = post["text"] + " ".join(block_texts(post))
    assert "exploded" not in shown and "Traceback" not in shown and "/srv" not in shown


@pytest.mark.slow
def test_an_over_long_question_is_refused_with_the_reason(real_assistant, live_slack, fake_slack):
    slack = live_slack(real_assistant)
    ts = "1700000007.000100"
    slack.event(mention("Is it controlled? " * 150, ts), "Ev0LONGQ")
    [post] = answered(fake_slack, ts)
    assert post["text"].startswith("Sorry, I can't take that question: the question has ")
    assert "the limit is 2000" in post["text"]


def _long_answer(sentences: int = 70, citations: int = 60) -> Answer:
    cites = [
        Citation(
            n=n,
            id=f"15 CFR 744.{n}",
            title=f"Section 744.{n} — restrictions on end uses ({n})",
            source_type="regulation",
            date="2026-09-01",
            url=f"https://www.ecfr.gov/current/title-15/section-744.{n}",
            quote=f"Quoted text of 744.{n}. " * 20,
        )
        for n in range(1, citations + 1)
    ]
    text = " ".join(
        f"Sentence {i} explains a licence requirement for items subject to the EAR & their end uses in detail "
        f"so that the answer grows well past one Slack section of three thousand characters. [{i % citations + 1}]"
        for i in range(sentences)
    )
    return Answer(question="long", answer=text, abstained=False, citations=cites, as_of={"regulation": "2026-09-01"})


def test_a_long_answer_is_split_into_sections_and_messages_in_the_thread(live_slack, fake_slack):
    long_answer = _long_answer()
    slack = live_slack(SimpleNamespace(ask=lambda question, history=None: long_answer))
    ts = "1700000008.000100"
    slack.event(mention("Tell me everything about Part 744", ts), "Ev0LONG")

    def last_part_posted() -> bool:  # the as-of line closes the answer, so its message is the last part
        return any("Sources as of" in t for p in in_thread(fake_slack, ts) for t in block_texts(p))

    wait_for(last_part_posted, what="the last part of the answer")
    posts = in_thread(fake_slack, ts)
    assert len(posts) >= 2
    assert all(len(blocks_of(p)) <= MAX_BLOCKS for p in posts)
    sections = [b["text"]["text"] for p in posts for b in blocks_of(p) if b["type"] == "section"]
    assert all(len(s) <= SECTION_TEXT_LIMIT for s in sections)
    answer_sections = [s for s in sections if s.startswith("Sentence")]
    assert len(answer_sections) >= 4
    # Every cut falls after a sentence and its marker; nothing is lost or reordered.
    assert all(re.search(r"\|\[\d+\]>$", s) for s in answer_sections)
    plain = " ".join(re.sub(r"<[^|>]+\|(\[\d+\])>", r"\1", s) for s in answer_sections).replace("&amp;", "&")
    assert plain == long_answer.answer
    numbers = [int(m.group(1)) for p in posts for s in source_lines(p) for m in [re.match(r"\*\[(\d+)\]\*", s)]]
    assert numbers == list(range(1, 61))


@pytest.mark.slow
def test_slash_command_acks_at_once_then_answers_in_the_channel(real_assistant, live_slack, fake_slack):
    assistant = RecordingAssistant(real_assistant)
    slack = live_slack(assistant)
    started = time.monotonic()
    response = slack.command(ECCN_QUESTION, fake_slack.response_url("cmd-ask"))
    assert response.status_code == 200 and response.text == ""
    assert time.monotonic() - started < 3
    [reply] = wait_for(lambda: fake_slack.responded("cmd-ask"), what="the command's answer")
    assert reply["response_type"] == "in_channel"
    texts = block_texts(reply)
    assert texts[0] == f"*Question:* {ECCN_QUESTION}"
    assert any("`ECCN 3A090`" in t and t.startswith("*[1]*") for t in texts)
    assert assistant.calls == [(ECCN_QUESTION, None)]


@pytest.mark.slow
def test_slash_help_is_answered_by_the_ack_alone(real_assistant, live_slack, fake_slack):
    slack = live_slack(RecordingAssistant(real_assistant))
    response = slack.command("", fake_slack.response_url("cmd-help"))
    assert response.status_code == 200
    assert "/askear screen" in response.text  # a plain-text ack is shown to the asker only
    slack.command(ECCN_QUESTION, fake_slack.response_url("cmd-after"))
    wait_for(lambda: fake_slack.responded("cmd-after"), what="the next command's answer")
    assert fake_slack.responded("cmd-help") == []


def test_slash_screen_without_screening_replies_politely_to_the_asker(live_slack, fake_slack):
    slack = live_slack(SimpleNamespace(ask=lambda question, history=None: pytest.fail("ask must not be called")))
    assert slack.command("screen Yangtze Memory Technologies CN", fake_slack.response_url("cmd-s")).status_code == 200
    [reply] = wait_for(lambda: fake_slack.responded("cmd-s"), what="the screen reply")
    assert reply["response_type"] == "ephemeral"
    assert "screening isn't available" in reply["text"]
    assert "Is Yangtze Memory Technologies on the Entity List?" in reply["text"]


def test_slash_screen_calls_assistant_screen_with_the_name_and_country(live_slack, fake_slack):
    calls: list[tuple[str, str | None]] = []
    match = SimpleNamespace(
        name="Yangtze Memory Technologies Co., Ltd.",
        id="list:EL:Yangtze Memory Technologies Co., Ltd.",
        list_code="EL",
        list_name="Entity List (EL) - Bureau of Industry and Security",
        score=97.0,
        band="probable",
        source_url="https://www.ecfr.gov/current/title-15/part-744",
        as_of="2026-07-22",
        countries=("CN",),
        license_policy="Presumption of denial",
        matched_name="Yangtze Memory Technologies",
        why="legal form differs",
    )

    def screen(name: str, country: str | None = None) -> Any:
        calls.append((name, country))
        return SimpleNamespace(
            matches=[match], notes=["A screen that finds no match is not a clearance."], cites=["15 CFR 744 Supp. 8"]
        )

    slack = live_slack(SimpleNamespace(ask=None, screen=screen))
    slack.command("screen Yangtze Memory Technologies CN", fake_slack.response_url("cmd-screen"))
    [reply] = wait_for(lambda: fake_slack.responded("cmd-screen"), what="the screen reply")
    assert calls == [("Yangtze Memory Technologies", "CN")]
    assert reply["response_type"] == "in_channel"
    texts = "\n".join(block_texts(reply))
    assert "<https://www.ecfr.gov/current/title-15/part-744|Yangtze Memory Technologies Co., Ltd.>" in texts
    assert "`list:EL:Yangtze Memory Technologies Co., Ltd.`" in texts and "97 (probable)" in texts
    assert "not a clearance" in texts and "`15 CFR 744 Supp. 8`" in texts


@pytest.mark.slow
def test_slash_screen_uses_the_real_screen_when_the_assistant_has_one(real_assistant, live_slack, fake_slack):
    if not callable(getattr(real_assistant, "screen", None)):
        pytest.skip("Assistant.screen is not in this tree yet (screening feature)")
    slack = live_slack(real_assistant)
    slack.command("screen Yangtze Memory Technologies CN", fake_slack.response_url("cmd-real-screen"))
    [reply] = wait_for(lambda: fake_slack.responded("cmd-real-screen"), what="the screen reply")
    assert reply["response_type"] == "in_channel"
    texts = "\n".join(block_texts(reply))
    assert "`list:EL:Yangtze Memory Technologies Co., Ltd.`" in texts and "(probable)" in texts
    assert "Presumption of denial" in texts and "not a clearance" in texts


def test_url_verification_is_answered_only_when_signed(live_slack, fake_slack):
    slack = live_slack(SimpleNamespace(ask=None))
    body = '{"token": "legacy", "challenge": "challenge-3a090", "type": "url_verification"}'
    assert slack.post(body, "application/json", secret="wrong").status_code == 401
    response = slack.post(body, "application/json")
    assert response.status_code == 200 and response.json() == {"challenge": "challenge-3a090"}
