"""What a screen returns: ranked `Match`es that say which record, which of its names, how close and why.

Scores run from 0 to 100: the IDF-weighted F1 of the two names' word alignment (see `score.py`). The
bands are what a reviewer acts on:

* `probable` (score ≥ PROBABLE_MATCH): treat as the listed party until shown otherwise;
* `review` (DEFAULT_THRESHOLD ≤ score < PROBABLE_MATCH): a human must compare addresses, countries and
  identifiers before the transaction goes on;
* `weak` (below DEFAULT_THRESHOLD): shown only when a caller lowers the threshold on purpose.

The default threshold was set on a development sample of name variants and non-listed company names
(`evals/screening/`, other seed than the reported one) to keep recall at or above 0.95 with under 2 %
false positives; `bench/screen_eval.py` prints the figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from assistant.errors import InvalidQuestion
from assistant.models import Frozen
from assistant.screening.normalize import NameKind

PROBABLE_MATCH = 90.0
DEFAULT_THRESHOLD = 80.0

Band = Literal["probable", "review", "weak"]
ReasonKind = Literal[
    "exact",  # the names are equal once case, punctuation, diacritics and legal forms are set aside
    "alias",  # the query matched an alias, not the published name
    "acronym",  # the query matched an acronym (published in brackets or as an alias)
    "legal_form",  # legal-form words differ or are missing ("Co., Ltd.", "LLC", "OOO")
    "token_overlap",  # which words the two names share
    "transliteration",  # words equal up to romanisation (antey/antei, -skiy/-sky, kh/h)
    "misspelling",  # words within one or two edits
    "joined_words",  # "AlmazAntey" ~ "Almaz Antey"
    "word_order",  # the shared words stand in another order
    "extra_words",  # words of the query the listed name lacks
    "missing_words",  # words of the listed name the query lacks
    "country_match",  # the record has the country given
    "country_mismatch",  # the record's countries do not include the one given (score lowered)
]

# What a screen cannot tell; shown with every screening result and on every party question.
NO_HIT_NOTE = (
    "A screen that finds no match is not a clearance: names are spelt many ways, the lists change, and "
    "the 50 percent rule (Supplement No. 8 to Part 744) extends Entity List and MEU restrictions to "
    "affiliates owned 50 percent or more by listed parties even though they are not named on any list."
)
OWNERSHIP_RULE_ID = "15 CFR 744 Supp. 8"


class InvalidScreen(InvalidQuestion, ValueError):
    """A screen asked for an unknown country or list (a bad request, like an invalid question: HTTP 422)."""


def band_of(score: float) -> Band:
    if score >= PROBABLE_MATCH:
        return "probable"
    return "review" if score >= DEFAULT_THRESHOLD else "weak"


class Reason(Frozen):
    kind: ReasonKind
    detail: str = Field(description="Human-readable evidence, e.g. 'yangzte ~ yangtze'")


class NameScore(Frozen):
    """The score of one of the record's names or aliases against the query."""

    name: str
    kind: NameKind
    score: float


class Match(Frozen):
    """One listed record that resembles the screened name, with everything a reviewer needs to decide."""

    query: str = Field(description="The name as screened")
    id: str = Field(description="Citation id of the record, e.g. 'list:EL:Yangtze Memory Technologies Co., Ltd.'")
    list_code: str = Field(description="EL, MEU, UVL, DPL, SDN, ...")
    list_name: str
    name: str = Field(description="The record's name as published")
    matched_name: str = Field(description="The name or alias of the record that matched best")
    matched_kind: NameKind
    score: float = Field(description="0-100; see the bands")
    band: Band
    reasons: tuple[Reason, ...] = ()
    alias_scores: tuple[NameScore, ...] = Field(default=(), description="Every name and alias of the record, scored")
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = Field(default=None, description="License review policy")
    federal_register: str | None = Field(default=None, description="Federal Register citations of the listing")
    programs: str | None = None
    entity_type: str | None = None
    source_url: str | None = None
    as_of: str | None = Field(default=None, description="As-of date of the list the record comes from")

    @property
    def why(self) -> str:
        return "; ".join(r.detail for r in self.reasons)


class Screening(list[Match]):
    """The ranked matches of one screen, best first: a plain list of `Match`, which also says what the
    screen cannot tell (`notes`, `cites`), so no consumer can show the matches without the caveat."""

    def __init__(
        self,
        matches: Iterable[Match] = (),
        *,
        query: str = "",
        country: str | None = None,
        lists: tuple[str, ...] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        super().__init__(matches)
        self.query = query
        self.country = country
        self.lists = lists
        self.threshold = threshold

    @property
    def matches(self) -> list[Match]:
        return list(self)

    @property
    def notes(self) -> list[str]:
        return [NO_HIT_NOTE]

    @property
    def cites(self) -> list[str]:
        return [OWNERSHIP_RULE_ID]

    def report(self) -> ScreenReport:
        """The same screen as one serialisable model (CLI --json, HTTP)."""
        return ScreenReport(
            query=self.query, country=self.country, lists=self.lists, threshold=self.threshold, matches=self.matches
        )


class ScreenReport(Frozen):
    """A screen of one name: its matches and what the screen cannot tell (for CLI and API output)."""

    query: str
    country: str | None = None
    lists: tuple[str, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    matches: list[Match] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=lambda: [NO_HIT_NOTE])
    cites: list[str] = Field(default_factory=lambda: [OWNERSHIP_RULE_ID])
