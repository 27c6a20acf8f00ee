from assistant.text import sentences, split_sentences


def test_abbreviations_and_citations_do_not_end_sentences() -> None:
    text = (
        "The Entity List (supplement no. 4 to part 744) identifies persons. See § 744.11 of the EAR. "
        "U.S. persons may not help, and Co., Ltd. stays whole.\nReason for Control: RS, AT\n"
        "a.1. A 'total processing performance' of 4800 or more; or"
    )
    assert sentences(text) == [
        "The Entity List (supplement no. 4 to part 744) identifies persons.",
        "See § 744.11 of the EAR.",
        "U.S. persons may not help, and Co., Ltd. stays whole.",
        "Reason for Control: RS, AT",
        "a.1. A 'total processing performance' of 4800 or more; or",
    ]


def test_spans_are_exact_substrings() -> None:
    text = "First one here.  Second one (see 87 FR 77508, 12/19/22).\n\nThird."
    for start, end in split_sentences(text):
        piece = text[start:end]
        assert piece and piece == piece.strip()
        assert text.find(piece) == start
