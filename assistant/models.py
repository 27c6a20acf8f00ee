"""The plain data that flows between stages: parse → index → retrieve → compose → verify → render.

Every model is frozen: a stage returns new values instead of mutating what it was given, so
a `Hit` cannot change underneath the composer that is quoting it.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SourceType = Literal["regulation", "list", "federal_register", "news"]
SOURCE_TYPES: tuple[SourceType, ...] = ("regulation", "list", "federal_register", "news")

# How a rendered answer names each source type (the "binding regulation, list or news" distinction).
SOURCE_LABELS: dict[str, str] = {
    "regulation": "Regulation",
    "list": "List",
    "federal_register": "Federal Register",
    "news": "News",
}


# Names of the retrievers in `Hit.sources`. The first three are hits the question asked for itself: by
# citation id, by party name, or by the cross-reference of a cited unit; composers favour them.
EXACT, ENTITY, REFERENCE = "exact", "entity", "reference"
ON_ROUTE = frozenset({EXACT, ENTITY, REFERENCE})
# A table the question names by its EAR name ("Country Group D:5"): found for it, but not on its route, since
# such questions are as often about a rule that changed the table as about the table itself.
TABLE = "table"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ListEntry(Frozen):
    """The structured fields of one screening-list record (CSL row or a Part 744 supplement row)."""

    list_code: str = Field(description="CSL source code: EL, MEU, UVL, DPL, SDN, ...")
    list_name: str = Field(description="Full name of the list, e.g. 'Entity List (EL) - Bureau of ...'")
    name: str = Field(description="The party's name as published")
    aliases: tuple[str, ...] = ()
    countries: tuple[str, ...] = Field(default=(), description="Country names or ISO-2 codes of addresses")
    addresses: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register: str | None = Field(default=None, description="FR citations, e.g. '87 FR 77508, 12/19/22'")
    programs: str | None = None
    entity_type: str | None = None


class Unit(Frozen):
    """One citable unit of the corpus: a regulation paragraph, a CCL entry, a list record, an article.

    `id` is the public citation id (see `assistant.ids`); it never changes once formed.
    """

    id: str
    title: str = Field(description="Heading or name shown to the user")
    heading_path: tuple[str, ...] = Field(default=(), description="Outline from part to paragraph")
    source_type: SourceType
    source_id: str = Field(description="Which corpus source (corpus/sources.toml id) produced it")
    text: str
    date: str | None = Field(default=None, description="As-of date (regulation, list) or publication date")
    url: str | None = None
    publisher: str | None = None
    entry: ListEntry | None = Field(default=None, description="Structured fields of a list record")
    parent: str | None = Field(default=None, description="Id of the enclosing unit (section of a paragraph)")

    @property
    def content_hash(self) -> str:
        """Hash of everything a reader sees, so a changed unit is re-indexed and an unchanged one is not."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()[:20]


class Chunk(Frozen):
    """A piece of a unit small enough for the embedder; always carries its unit's citation id."""

    id: str = Field(description="'<unit id>#<ordinal>'")
    unit_id: str
    source_type: SourceType
    ordinal: int
    text: str = Field(description="The passage text (exact substring of the unit's text)")
    context: str = Field(default="", description="Heading path prepended for embedding and BM25")
    unit_hash: str

    @property
    def index_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text


class Hit(Frozen):
    """A retrieved chunk with its score and the retrievers that found it."""

    chunk: Chunk
    score: float
    sources: tuple[str, ...] = Field(default=(), description="Retrievers that returned it: exact, entity, bm25, dense")
    dense_similarity: float | None = Field(default=None, description="Cosine similarity to the question")


class Citation(Frozen):
    """A numbered source of an answer. `quote` is exact text of the unit that supports the sentences."""

    n: int
    id: str
    title: str
    source_type: SourceType
    date: str | None = None
    url: str | None = None
    quote: str


class SentenceSupport(Frozen):
    """How well one answer sentence is supported by the sources it cites."""

    text: str
    cites: tuple[int, ...]
    supported: bool
    score: float = 0.0
    reason: str = ""


class Timings(Frozen):
    """Milliseconds per stage."""

    route: float = 0.0
    retrieve: float = 0.0
    compose: float = 0.0
    verify: float = 0.0
    total: float = 0.0


class Answer(Frozen):
    """The public answer contract shared by the CLI (--json), the HTTP API, Slack and the eval suite."""

    question: str
    answer: str = Field(description="Answer text; every sentence carries [n] markers into `citations`")
    abstained: bool
    citations: list[Citation] = Field(default_factory=list)
    timings: Timings = Field(default_factory=Timings)
    sentences: list[SentenceSupport] = Field(default_factory=list, description="Per-sentence support")
    removed: list[SentenceSupport] = Field(
        default_factory=list, description="Sentences the verifier removed (strict) as unsupported"
    )
    notes: list[str] = Field(default_factory=list, description="Caveats a reader must see (e.g. news only)")
    as_of: dict[str, str] = Field(default_factory=dict, description="As-of date of each source type cited")


class Passage(Frozen):
    """A numbered source handed to a composer: the unit and the retrieved text of it."""

    n: int
    unit: Unit
    text: str
    route: tuple[str, ...] = Field(default=(), description="Retrievers that found it")


class DraftSentence(Frozen):
    text: str
    cites: tuple[int, ...] = ()


class Draft(Frozen):
    """A composer's output before verification: sentences with the passage numbers they cite."""

    passages: tuple[Passage, ...]
    sentences: tuple[DraftSentence, ...]
    abstained: bool = False
    notes: tuple[str, ...] = ()


class StreamEvent(Frozen):
    """One event of `Assistant.stream`: the candidate sources, a piece of text, or the final verified answer.

    Text pieces are provisional; only the final `answer` is verified and authoritative.
    """

    kind: Literal["sources", "token", "answer"]
    text: str = ""
    sources: list[Citation] = Field(default_factory=list)
    answer: Answer | None = None
