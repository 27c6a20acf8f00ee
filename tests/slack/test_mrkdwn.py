from __future__ import annotations

from assistant.slack import mrkdwn


def test_escape_covers_exactly_slacks_three_control_characters():
    assert mrkdwn.escape("R&D <b> > *bold*") == "R&amp;D &lt;b&gt; &gt; *bold*"


def test_link_keeps_label_and_url_from_ending_the_link_early():
    assert mrkdwn.link("https://x.test/a b|c>", "A|B <C>") == "<https://x.test/a%20b%7Cc%3E|A¦B &lt;C&gt;>"


def test_markers_link_to_their_source_and_unknown_markers_stay_text():
    out = mrkdwn.link_markers("Listed. [1] Policy [2] [9]", {1: "https://e.test/1", 2: "https://e.test/2"})
    assert out == "Listed. <https://e.test/1|[1]> Policy <https://e.test/2|[2]> [9]"


def test_to_plain_reads_back_what_a_user_typed():
    text = "<@U123> is <https://www.ecfr.gov/x|744.21> &amp; <https://bis.gov> on &lt;the&gt; list?  <!here>"
    assert mrkdwn.to_plain(text) == "is 744.21 & https://bis.gov on <the> list?"


def test_sentences_keep_their_markers_and_split_after_them():
    text = "Reason for Control: RS, AT [1] Related Controls: see 3D001. [1] [2] Policy is denial. Next one"
    assert mrkdwn.sentences(text) == [
        "Reason for Control: RS, AT [1]",
        "Related Controls: see 3D001. [1] [2]",
        "Policy is denial.",
        "Next one",
    ]


def test_split_text_packs_whole_sentences_under_the_limit():
    sentence = "A sentence of exactly forty characters. "
    text = (sentence * 10).strip()
    pieces = mrkdwn.split_text(text, limit=100)
    assert all(len(p) <= 100 for p in pieces)
    assert all(p.endswith("characters.") for p in pieces)
    assert len(pieces) == 5 and " ".join(pieces) == text


def test_split_text_measures_the_rendered_length():
    text = "One [1]. Two [1]. Three [1]."

    def rendered(s: str) -> int:
        return len(mrkdwn.link_markers(s, {1: "https://www.ecfr.gov/" + "x" * 30}))

    pieces = mrkdwn.split_text(text, limit=70, measure=rendered)
    assert pieces == ["One [1].", "Two [1].", "Three [1]."]
    assert all(rendered(p) <= 70 for p in pieces)


def test_an_over_long_sentence_is_cut_between_words_and_a_giant_word_by_characters():
    words = " ".join(f"word{i:03d}" for i in range(100))  # 799 characters, no full stop
    pieces = mrkdwn.split_text(words, limit=100)
    assert all(len(p) <= 100 for p in pieces) and " ".join(pieces) == words
    blob = "x" * 250
    assert mrkdwn.split_text(blob, limit=100) == ["x" * 99, "x" * 99, "x" * 52]


def test_shorten_cuts_at_a_word_and_marks_the_cut():
    assert mrkdwn.shorten("one  two\nthree four five", 15) == "one two three…"
    assert mrkdwn.shorten("short", 15) == "short"
