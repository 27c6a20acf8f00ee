"""Block rendering: pure functions from an Answer to Slack messages."""

from __future__ import annotations

import json

from assistant.models import Answer, Citation
from assistant.slack.blocks import (
    CONTINUED_TEXT,
    MAX_BLOCKS,
    QUOTE_CHARS,
    answer_blocks,
    answer_messages,
    fallback_text,
    notice,
    source_text,
)
from assistant.slack.mrkdwn import SECTION_TEXT_LIMIT

ECCN = Citation(
    n=1,
    id="ECCN 3A090",
    title="ECCN 3A090 — Integrated circuits as follows",
    source_type="regulation",
    date="2026-09-01",
    url="https://www.ecfr.gov/current/title-15/part-774",
    quote="Reason for Control: RS, AT",
)
LISTED = Citation(
    n=2,
    id="list:EL:Yangtze Memory Technologies Co., Ltd.",
    title="Yangtze Memory Technologies Co., Ltd.",
    source_type="list",
    date="2026-07-22",
    url=None,
    quote="License review policy: Presumption of denial",
)
NEWS = Citation(n=3, id="article:42", title="Chips <and> rules", source_type="news", quote="Reported & said.")


def _answer(**kw) -> Answer:
    base = {
        "question": "q",
        "answer": "Reason for Control: RS, AT [1] Policy: denial. [2] Reported. [3]",
        "abstained": False,
        "citations": [ECCN, LISTED, NEWS],
    }
    return Answer(**(base | kw))


def _texts(blocks) -> list[str]:
    out = []
    for b in blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out.extend(e["text"] for e in b.get("elements", []))
    return out


def test_answer_then_numbered_sources_with_links_badges_and_dates():
    blocks = answer_blocks(_answer())
    assert [b["type"] for b in blocks] == ["section", "divider", "section", "section", "section", "section"]
    texts = _texts(blocks)
    assert texts[0] == (
        "Reason for Control: RS, AT <https://www.ecfr.gov/current/title-15/part-774|[1]> "
        "Policy: denial. [2] Reported. [3]"
    )
    assert texts[1] == "*Sources*"
    assert texts[2] == (
        "*[1]* <https://www.ecfr.gov/current/title-15/part-774|ECCN 3A090 — Integrated circuits as follows>\n"
        "`ECCN 3A090` · Regulation (15 CFR, as of 2026-09-01)\n>Reason for Control: RS, AT"
    )
    assert texts[3].startswith("*[2]* Yangtze Memory Technologies Co., Ltd.\n")  # no URL: no link
    assert "List (as of 2026-07-22)" in texts[3]
    assert texts[4] == "*[3]* Chips &lt;and&gt; rules\n`article:42` · News (undated)\n>Reported &amp; said."


def test_an_abstention_is_worded_as_one_and_lists_no_sources():
    answer = Answer(question="q", answer="The indexed sources do not answer this.", abstained=True)
    [message] = answer_messages(answer)
    [block] = message.blocks
    assert block["text"]["text"].startswith(":grey_question: *No supported answer.* The indexed sources do not")
    assert "Sources" not in json.dumps(message.blocks)


def test_notes_as_of_dates_and_heading_are_shown():
    answer = _answer(
        notes=["This answer rests only on news reporting."], as_of={"list": "2026-07-22", "regulation": "2026-09-01"}
    )
    blocks = answer_blocks(answer, heading="*Question:* q")
    assert blocks[0] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "*Question:* q"}]}
    texts = _texts(blocks)
    assert ":warning: This answer rests only on news reporting." in texts
    assert texts[-1].startswith("Sources as of: list 2026-07-22, regulation 2026-09-01.")


def test_long_quotes_are_shortened_in_the_source_list():
    long = ECCN.model_copy(update={"quote": "word " * 400})
    quote_line = source_text(long).split("\n")[-1]
    assert len(quote_line) <= QUOTE_CHARS + 1 and quote_line.endswith("…")


def test_a_long_answer_splits_into_sections_at_sentence_ends_and_messages_of_50_blocks():
    sentences = [
        f"Sentence {i} about licence requirements under the EAR, written out at length. [{i % 60 + 1}]"
        for i in range(200)
    ]
    cites = [ECCN.model_copy(update={"n": n, "id": f"ECCN {n}"}) for n in range(1, 61)]
    answer = _answer(answer=" ".join(sentences), citations=cites)
    messages = answer_messages(answer)
    assert len(messages) == 2
    assert [m.text == CONTINUED_TEXT for m in messages] == [False, True]
    every = [b for m in messages for b in m.blocks]
    assert all(len(m.blocks) <= MAX_BLOCKS for m in messages)
    sections = [b["text"]["text"] for b in every if b["type"] == "section"]
    assert all(len(s) <= SECTION_TEXT_LIMIT for s in sections)
    body = [s for s in sections if s.startswith("Sentence")]
    assert len(body) > 1
    assert all(s.endswith("]>") for s in body)  # each section ends with a sentence's marker
    assert sum(s.count("Sentence ") for s in body) == 200
    assert [s.split("*")[1] for s in sections if s.startswith("*[")] == [f"[{n}]" for n in range(1, 61)]


def test_fallback_text_is_escaped_and_bounded():
    answer = _answer(answer="R&D <tools> are controlled. [1] " * 300)
    text = fallback_text(answer)
    assert text.startswith("R&amp;D &lt;tools&gt; are controlled. [1]")
    assert len(text) <= 3902 and text.endswith(" …")


def test_notice_is_escaped_and_marked_as_a_notice():
    [message] = notice("Sorry <b> & co")
    assert message.notice and message.text == "Sorry &lt;b&gt; &amp; co"
    assert message.blocks == [{"type": "section", "text": {"type": "mrkdwn", "text": "Sorry &lt;b&gt; &amp; co"}}]


def test_a_message_never_ends_on_the_sources_heading():
    # 49 sentences of 2,000 characters: one section each, so the divider would be block 50.
    sentences = " ".join(f"Sentence {i} {'word ' * 396}ends here. [1]" for i in range(49))
    answer = _answer(answer=sentences, citations=[ECCN])
    blocks = answer_blocks(answer)
    assert [b["type"] for b in blocks[48:]] == ["section", "divider", "section", "section"]
    first, second = answer_messages(answer)
    assert len(first.blocks) == 49 and first.blocks[-1]["text"]["text"].startswith("Sentence 48 ")
    assert second.blocks[0] == {"type": "divider"}
    assert second.blocks[1]["text"]["text"] == "*Sources*"


def test_ids_are_escaped_inside_code_spans_too():
    cited = LISTED.model_copy(update={"id": "list:EL:Smith & <Wesson> Ltd.", "title": "Smith & <Wesson> Ltd."})
    assert "`list:EL:Smith &amp; &lt;Wesson&gt; Ltd.`" in source_text(cited)
