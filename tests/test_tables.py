"""Named EAR tables and their rows: routing "Country Group D:5" to its supplement, reading a row's head."""

from __future__ import annotations

import pytest

from assistant.tables import has_named_row, names_row, row_head, tables_named


def test_table_names_route_to_their_supplements() -> None:
    assert tables_named("Which countries are in Country Group D:5?") == ["15 CFR 740 Supp. 1"]
    assert tables_named("What does the Commerce Country Chart show for Chad?") == ["15 CFR 738 Supp. 1"]
    assert tables_named("Is SMIC on the Entity List?") == []


@pytest.mark.parametrize(
    ("line", "head"),
    [
        ("Belarus (footnote 6) — CB 1: X; CB 2: X", "Belarus"),
        ("Korea, North — [E:1] Terrorist supporting countries: X", "Korea, North"),
        ("Marked under CB 3 (33): Afghanistan; Armenia.", None),
        ("(b) The first column of the Country Chart lists countries.", None),
    ],
)
def test_row_heads(line: str, head: str | None) -> None:
    assert row_head(line) == head


def test_a_question_names_a_row_by_its_whole_head() -> None:
    row = "India — [A:1] Wassenaar participating states (footnote 1): X; [A:5]: X"
    assert names_row("Is India in Country Group A:5?", row)
    assert not names_row("Is Indiana in Country Group A:5?", row)  # whole words only
    assert not names_row("Is India in Country Group A:5?", "Iran — [E:1]: X")
    text = "Country Group A\nAlbania — [A:6]: X\nIndia — [A:5]: X\n"
    assert has_named_row("Is India in Country Group A:5?", text)
    assert not has_named_row("Is Chad in Country Group A:5?", text)
