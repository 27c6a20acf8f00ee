"""Question → Plan: which citation ids and parties it names, and which kinds of source should answer it."""

from __future__ import annotations

import re
from typing import Literal

from assistant.ids import find_ids
from assistant.index.reader import NameTable
from assistant.models import Frozen, SourceType

Route = Literal["citation", "eccn", "entity", "recent", "general"]

_RECENT = re.compile(
    r"\b(when|recent(?:ly)?|latest|newest|chang(?:e|ed|es)|amend(?:ed|ment)|announc\w*|added|removed|"
    r"rule|proposed|talks|offer(?:ed)?|news|report(?:ed|s)?|20[12]\d)\b",
    re.IGNORECASE,
)


class Plan(Frozen):
    question: str
    route: Route
    cited: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    matched_names: tuple[str, ...] = ()
    source_types: tuple[SourceType, ...] = ("regulation", "federal_register", "news")
    recent: bool = False


def find_parties(question: str, names: NameTable, limit: int = 6) -> tuple[list[str], list[str]]:
    """List unit ids whose name or alias occurs in the question (longest match first), and the matched text."""
    # Fuzzy, alias- and acronym-aware, with precision guards (see assistant.screening.detect).
    from assistant.screening.detect import finder_for

    return finder_for(names).find(question, limit)


def plan(question: str, names: NameTable) -> Plan:
    mentions = find_ids(question)
    cited = tuple(m.id for m in mentions)
    entities, matched = find_parties(question, names)
    recent = bool(_RECENT.search(question))
    if mentions:
        route: Route = "eccn" if all(m.kind == "eccn" for m in mentions) else "citation"
    elif entities:
        route = "entity"
    elif recent:
        route = "recent"
    else:
        route = "general"
    return Plan(
        question=question,
        route=route,
        cited=cited,
        entities=tuple(entities),
        matched_names=tuple(matched),
        recent=recent,
    )
