"""Request and response bodies of the HTTP API (the `Answer` itself comes from `assistant.models`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.models import Citation, ListEntry, SourceType


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HistoryMessage(_Strict):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=20_000)


class AskRequest(_Strict):
    question: str = Field(description="The question; its length limit is ASKEAR_MAX_QUESTION_CHARS")
    history: list[HistoryMessage] = Field(
        default_factory=list, max_length=40, description="Earlier turns of the conversation, oldest first"
    )

    def history_dicts(self) -> list[dict[str, str]]:
        return [m.model_dump() for m in self.history]


class FeedbackRequest(_Strict):
    rating: Literal["up", "down"]
    question: str = Field(max_length=20_000)
    answer: str = Field(max_length=50_000)
    abstained: bool | None = None
    citations: list[Citation] = Field(default_factory=list, max_length=50)
    comment: str | None = Field(None, max_length=2_000)


class FeedbackStored(BaseModel):
    id: int
    stored: bool = True


class SourceView(BaseModel):
    """One unit in full, with its place in the outline, for checking a citation."""

    id: str
    title: str
    label: str = Field(description="Regulation, List, Federal Register or News")
    source_type: SourceType
    heading_path: list[str]
    text: str
    as_of: str | None = Field(description="As-of date (regulation, list) or publication date")
    official_url: str | None
    publisher: str | None = None
    entry: ListEntry | None = None
    parent: str | None
    children: list[str] = Field(description="Ids of the units inside this one (first 200)")
    children_total: int
    previous: str | None = Field(description="The sibling before this unit under the same parent")
    next: str | None = Field(description="The sibling after this unit under the same parent")


class ScreenResponse(BaseModel):
    name: str
    country: str | None
    lists: list[str] | None
    matches: list[dict[str, Any]]
    notes: list[str] = Field(description="What the screen cannot tell; shown with every result")


class SourceState(BaseModel):
    source_id: str
    kind: str
    as_of: str | None
    units: int


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    generation: str
    created: str
    units: dict[str, int]
    chunks: int
    dense_chunks: dict[str, int] = Field(description="Vectors per source type in the store (proves it answers)")
    as_of: dict[str, str] = Field(description="Latest as-of date per source type")
    sources: list[SourceState]
