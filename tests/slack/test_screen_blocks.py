from __future__ import annotations

from types import SimpleNamespace

from assistant.models import Answer
from assistant.slack.blocks import MAX_BLOCKS
from assistant.slack.screen_blocks import NOT_A_CLEARANCE, screen_messages


def _texts(message) -> str:
    out = []
    for b in message.blocks:
        if "text" in b:
            out.append(b["text"]["text"])
        out.extend(e["text"] for e in b.get("elements", []))
    return "\n".join(out)


def _match(i: int = 1, **kw):
    base = dict(
        name=f"Party {i} Ltd.",
        id=f"list:EL:Party {i} Ltd.",
        list_code="EL",
        list_name="Entity List (EL)",
        score=95.4,
        band="probable",
        source_url=None,
        as_of="2026-07-22",
        countries=("CN",),
        license_policy="Presumption of denial",
        matched_name=f"Party {i}",
        why="legal form differs",
    )
    return SimpleNamespace(**(base | kw))


def test_no_match_says_so_and_that_it_is_not_a_clearance():
    [message] = screen_messages(SimpleNamespace(matches=[], notes=[], cites=[]), "Acme <Trading>", "CN")
    text = _texts(message)
    assert "Screening *Acme &lt;Trading&gt;* (country: CN)" in text
    assert "No listed party matched *Acme &lt;Trading&gt;*" in text
    assert NOT_A_CLEARANCE in text
    assert message.text == "No listed party matched Acme &lt;Trading&gt;."


def test_matches_show_record_list_score_and_facts():
    report = SimpleNamespace(
        matches=[_match(source_url="https://www.ecfr.gov/x")],
        notes=["A screen that finds no match is not a clearance: names are spelt many ways."],
        cites=["15 CFR 744 Supp. 8"],
    )
    [message] = screen_messages(report, "Party 1", None)
    text = _texts(message)
    assert "*1.* <https://www.ecfr.gov/x|Party 1 Ltd.>  :red_circle: 95 (probable)" in text
    assert "Entity List (EL) · `list:EL:Party 1 Ltd.` · as of 2026-07-22" in text
    assert "matched “Party 1” · countries: CN · license policy: Presumption of denial · why: legal form differs" in text
    assert text.count("not a clearance") == 1  # the report's own note is not doubled
    assert "See also: `15 CFR 744 Supp. 8`" in text


def test_many_matches_stay_within_one_message():
    report = SimpleNamespace(matches=[_match(i) for i in range(1, 80)], notes=[], cites=[])
    messages = screen_messages(report, "Party", None)
    assert len(messages) == 1 and len(messages[0].blocks) <= MAX_BLOCKS
    assert "weaker matches not shown" in _texts(messages[0])


def test_a_screen_answered_as_an_answer_is_rendered_as_one():
    answer = Answer(question="screen x", answer="Listed. [1]", abstained=False)
    [message] = screen_messages(answer, "x", None)
    assert message.blocks[0]["elements"][0]["text"].startswith("Screening *x*")
    assert message.text == "Listed. [1]"


def test_a_plain_list_of_matches_is_read_as_the_matches():
    [message] = screen_messages([_match(1), _match(2)], "Party", "CN")
    text = _texts(message)
    assert "2 possible matches for *Party*:" in text
    assert "*1.* Party 1 Ltd." in text and "*2.* Party 2 Ltd." in text
    assert NOT_A_CLEARANCE in text
