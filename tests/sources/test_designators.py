"""CFR paragraph designators: splitting them off a paragraph and placing them in the outline."""

from __future__ import annotations

import pytest

from assistant.sources.designators import Outline, is_designator, is_roman, split_leading


def _walk(steps: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    outline = Outline()
    return [outline.place(list(step)) for step in steps]


def _walk_ahead(tokens: list[str]) -> list[str]:
    """Place single designators in order, each seeing the next one, and return the designations."""
    outline = Outline()
    out = []
    for i, token in enumerate(tokens):
        following = (tokens[i + 1], None) if i + 1 < len(tokens) else None
        outline.place([token], following=following)
        out.append(outline.designation())
    return out


def test_split_leading() -> None:
    assert split_leading("(a)(1) Introduction. In this part") == (["a", "1"], "Introduction. In this part")
    assert split_leading("(b) (2) Text") == (["b", "2"], "Text")
    assert split_leading("  (iv)(A) Text (c) not this") == (["iv", "A"], "Text (c) not this")
    assert split_leading("No designator (a) here") == ([], "No designator (a) here")
    assert split_leading("(see § 744.1) text") == ([], "(see § 744.1) text")


def test_is_designator_and_is_roman() -> None:
    assert all(is_designator(t) for t in ["a", "z", "aa", "1", "12", "iv", "xii", "A", "BB"])
    assert not any(is_designator(t) for t in ["see", "ab", "Ab", "and"])
    assert is_roman("xiv") and is_roman("i") and not is_roman("iiii") and not is_roman("a")


def test_ordinary_outline() -> None:
    steps = [("a",), ("1",), ("i",), ("A",), ("B",), ("ii",), ("2",), ("b",)]
    assert _walk(steps) == [
        ("a",),
        ("a", "1"),
        ("a", "1", "i"),
        ("a", "1", "i", "A"),
        ("a", "1", "i", "B"),
        ("a", "1", "ii"),
        ("a", "2"),
        ("b",),
    ]


def test_several_designators_open_one_paragraph() -> None:
    outline = Outline()
    assert outline.place(["a", "1"]) == ("a", "1")
    assert outline.place(["2"]) == ("a", "2")
    assert outline.place(["b", "1", "i"]) == ("b", "1", "i")
    assert outline.designation() == "(b)(1)(i)"
    outline.reset()
    assert outline.path == [] and outline.place(["a"]) == ("a",)


def test_i_after_h1_is_roman_unless_the_next_paragraph_says_letter() -> None:
    # (h)(1) then (i): without more to go on it is (h)(1)(i) (the CFR never has a lone (1)) ...
    assert _walk([("h",), ("1",), ("i",)])[-1] == ("h", "1", "i")
    # ... and the paragraph after settles it either way.
    assert _walk_ahead(["h", "1", "i", "ii"])[2:] == ["(h)(1)(i)", "(h)(1)(ii)"]
    assert _walk_ahead(["h", "1", "2", "i", "j"])[3:] == ["(i)", "(j)"]
    assert _walk_ahead(["h", "1", "2", "i", "1"])[3:] == ["(i)", "(i)(1)"]
    assert _walk_ahead(["h", "1", "2", "i", "A"])[3:] == ["(h)(2)(i)", "(h)(2)(i)(A)"]


def test_i_directly_after_h_is_the_letter() -> None:
    assert _walk([("g",), ("h",), ("i",), ("j",)])[2:] == [("i",), ("j",)]


@pytest.mark.parametrize(("letter_before", "roman_before", "token"), [("u", "iv", "v"), ("w", "ix", "x")])
def test_v_and_x(letter_before: str, roman_before: str, token: str) -> None:
    # After (iv)/(ix) under a digit, (v)/(x) continues the roman run ...
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    run = romans[: romans.index(roman_before) + 1]
    got = _walk_ahead([letter_before, "1", *run, token])
    assert got[-1] == f"({letter_before})(1)({token})"
    # ... unless the paragraph after it is the next letter.
    nxt = chr(ord(token) + 1)
    got = _walk_ahead([letter_before, "1", *run, token, nxt])
    assert got[-2:] == [f"({token})", f"({nxt})"]
    # Straight after the letter before it, it is a letter.
    assert _walk([(letter_before,), (token,)])[-1] == (token,)


def test_x_and_xi_run_on_as_roman() -> None:
    tokens = ["f", "2", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "g"]
    got = _walk_ahead(tokens)
    assert got[-3:] == ["(f)(2)(x)", "(f)(2)(xi)", "(g)"]


def test_italic_marks_levels_five_and_six() -> None:
    outline = Outline()
    outline.place(["a"])
    outline.place(["1"])
    outline.place(["i"])
    outline.place(["A"])
    assert outline.place(["1"], italic=[True]) == ("a", "1", "i", "A", "1")
    assert outline.place(["i"], italic=[True]) == ("a", "1", "i", "A", "1", "i")
    assert outline.place(["ii"], italic=[True]) == ("a", "1", "i", "A", "1", "ii")
    assert outline.place(["2"], italic=[True]) == ("a", "1", "i", "A", "2")
    assert outline.place(["B"], italic=[False]) == ("a", "1", "i", "B")
    # An upright (ii) after the italic levels goes back to level 3, an upright (2) to level 2.
    assert outline.place(["ii"], italic=[False]) == ("a", "1", "ii")
    assert outline.place(["2"], italic=[False]) == ("a", "2")


def test_levels_without_italics_follow_the_outline() -> None:
    # Without markup, a digit after (A) is (A)(1) only when it can start that level; (2) returns to level 2.
    assert _walk([("a",), ("1",), ("i",), ("A",), ("2",)])[-1] == ("a", "2")
    assert _walk([("a",), ("1",), ("i",), ("A",), ("1",), ("ii",)])[-1] == ("a", "1", "ii")
    assert _walk([("a",), ("1",), ("i",), ("A",), ("1",), ("i",)])[-1] == ("a", "1", "i", "A", "1", "i")


def test_upright_level_five_in_the_source_is_still_placed() -> None:
    # § 740.20(b)(2)(viii)(B)(1): eCFR set this level-5 "(1)" upright.
    outline = Outline()
    for tokens in (["b"], ["2"], ["viii"], ["A"], ["B"]):
        outline.place(tokens, italic=[False] * len(tokens))
    assert outline.place(["1"], italic=[False]) == ("b", "2", "viii", "B", "1")
    assert outline.place(["2"], italic=[False]) == ("b", "2", "viii", "B", "2")
    assert outline.place(["C"], italic=[False]) == ("b", "2", "viii", "C")


def test_italic_run_over_the_whole_paragraph_says_nothing() -> None:
    outline = Outline()
    outline.place(["a"])
    assert outline.place(["1"], italic=[None]) == ("a", "1")


def test_roman_straight_under_a_letter() -> None:
    # § 740.29(f) lists (i)-(iv) directly under the letter.
    got = _walk_ahead(["e", "f", "i", "ii", "iii", "iv", "g"])
    assert got[2:] == ["(f)(i)", "(f)(ii)", "(f)(iii)", "(f)(iv)", "(g)"]


def test_letters_past_z() -> None:
    assert _walk([("y",), ("z",), ("aa",), ("bb",)])[-2:] == [("aa",), ("bb",)]
