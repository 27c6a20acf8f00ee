"""The time a question is pinned to ("in 2024", "the May 2025 rule") and whether a retrieved source is of it.

A question about an event of a given month or year can only be answered by a source of that time: a Federal
Register document or article published then, or a text that states a date in it. When no retrieved source is,
the corpus does not hold the event, however many of the question's other words the sources share (the rule's
later rescission, a plenary statement of a year not indexed).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.facts import find_dates
from assistant.models import Passage

# A year standing for a time: not part of a number, date, document number ("2023-03929") or FR cite, not a
# quantity ("2000 laptops"), and not the end of a range ("since 2019" is every year after it).
_YEAR = re.compile(r"(?<![$§\d.,/-])(?<!FR )(?<!No\. )\b(?P<y>199\d|20[0-3]\d)\b(?![-/.,]?\d)(?!\s+[a-z]+s\b)")
_RANGE_WORD = re.compile(r"\b(?:since|after|before|until|till|through|from|prior to|pre|post|by)\W*$", re.I)
# Publications whose date is when they appeared; a regulation's or list's date is only when it was copied.
_DATED_TYPES = frozenset({"federal_register", "news"})
# A rule announced at the end of one month may be published at the start of the next.
_MONTH_SLACK = 1

Period = tuple[int, int]  # (year, month or 0 for the whole year)


def question_periods(question: str) -> list[Period]:
    """The months and years `question` asks about, in order of mention."""
    periods: list[Period] = []
    taken: list[tuple[int, int]] = []
    for (year, month, _), span in find_dates(question):
        taken.append(span)
        if not _RANGE_WORD.search(question[: span[0]]):
            periods.append((year, month))
    for m in _YEAR.finditer(question):
        inside = any(a <= m.start() < b for a, b in taken)
        if not inside and not _RANGE_WORD.search(question[: m.start()]):
            periods.append((int(m.group("y")), 0))
    return list(dict.fromkeys(periods))


def unanswered_period(question: str, passages: Iterable[Passage]) -> bool:
    """Whether the question is pinned to a time and no passage is of any time it names."""
    periods = question_periods(question)
    if not periods:
        return False
    return not any(_of_period(p, period) for p in passages for period in periods)


def _of_period(passage: Passage, period: Period) -> bool:
    year, month = period
    published = _published(passage)
    if published is not None:
        if month and abs(12 * published[0] + published[1] - 12 * year - month) <= _MONTH_SLACK:
            return True
        if not month and published[0] == year:
            return True
    if any(y == year and (not month or m == month) for (y, m, _), _span in find_dates(passage.text)):
        return True
    return not month and re.search(rf"(?<!\d){year}(?!\d)", passage.text) is not None


def _published(passage: Passage) -> tuple[int, int] | None:
    """(year, month) a dated publication appeared, else None."""
    unit = passage.unit
    if unit.source_type not in _DATED_TYPES or not unit.date:
        return None
    match = re.match(r"(\d{4})-(\d{2})", unit.date)
    return (int(match.group(1)), int(match.group(2))) if match else None
