"""The time a question is pinned to, and whether a retrieved passage is of that time."""

from __future__ import annotations

import pytest

from assistant.compose.periods import question_periods, unanswered_period
from assistant.models import Passage, SourceType, Unit


def passage(text: str, source_type: SourceType = "federal_register", date: str | None = "2025-01-15") -> Passage:
    unit = Unit(id=f"u:{hash(text)}", title="t", source_type=source_type, source_id="s", text=text, date=date)
    return Passage(n=1, unit=unit, text=text)


@pytest.mark.parametrize(
    ("question", "periods"),
    [
        ("What did the June 2024 rule on drones say?", [(2024, 6)]),
        ("What did BIS publish on March 3, 2022 about Russia?", [(2022, 3)]),
        ("What did the 2023 chip rule add?", [(2023, 0)]),
        ("Which parties were listed in fiscal 2021?", [(2021, 0)]),
        ("What is license exception STA?", []),
        ("What changed since 2019?", []),  # a range, not a time
        ("Can we ship 2000 laptops to Canada?", []),  # a quantity
        ("What did FR document 2023-03929 add?", []),  # a document number
        ("Is 88 FR 2024 still in force?", []),  # an FR page
    ],
)
def test_question_periods(question: str, periods: list[tuple[int, int]]) -> None:
    assert question_periods(question) == periods


def test_a_question_without_a_time_is_never_unanswered_by_period() -> None:
    assert not unanswered_period("What does the Entity List rule say?", [passage("Nothing dated here.")])


def test_a_publication_of_another_month_does_not_answer_a_month() -> None:
    sources = [passage("The rule adds export controls on widgets.", date="2025-01-15")]
    assert unanswered_period("What did the May 2025 widget rule say?", sources)
    assert not unanswered_period("What did the January 2025 widget rule say?", sources)


def test_a_publication_a_month_off_still_answers_and_a_year_must_match() -> None:
    sources = [passage("The rule adds export controls on widgets.", date="2025-01-02")]
    assert not unanswered_period("What did the December 2024 widget rule say?", sources)  # announced, then published
    assert not unanswered_period("What did the 2025 widget rule say?", sources)
    assert unanswered_period("What did the 2023 widget rule say?", sources)


def test_a_date_stated_in_the_text_answers_whatever_the_source() -> None:
    text = "On May 13, 2025, BIS rescinded the widget rule."
    sources = [passage(text, source_type="regulation", date="2026-09-01")]
    assert not unanswered_period("What did the May 2025 rescission say?", sources)
    assert not unanswered_period("What happened to the widget rule in 2025?", sources)
    assert unanswered_period("What did the April 2025 rescission say?", sources)


def test_a_regulation_as_of_date_is_not_a_publication_date() -> None:
    sources = [passage("Widgets are controlled for NS reasons.", source_type="regulation", date="2025-01-22")]
    assert unanswered_period("What did the 2025 widget rule say?", sources)
