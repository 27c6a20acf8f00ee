"""Looking things up: `GET /v1/sources/{id}` (a cited unit in full) and `GET /v1/screen` (list matches)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from assistant.assistant import Assistant
from assistant.models import SOURCE_LABELS
from assistant.web.deps import AssistantDep, run_answering
from assistant.web.schemas import ScreenResponse, SourceView

router = APIRouter(prefix="/v1", tags=["sources"])

MAX_CHILDREN = 200
# Used only if a screening result brings no caveat of its own.
NO_MATCH_NOTE = "A screen that finds no list match is not a clearance."


def source_view(assistant: Assistant, unit_id: str) -> SourceView | None:
    unit = assistant.source(unit_id)
    if unit is None:
        return None
    units = assistant.index.units
    children = units.children(unit.id)
    siblings = units.children(unit.parent) if unit.parent else []
    at = siblings.index(unit.id) if unit.id in siblings else -1
    return SourceView(
        id=unit.id,
        title=unit.title,
        label=SOURCE_LABELS[unit.source_type],
        source_type=unit.source_type,
        heading_path=list(unit.heading_path),
        text=unit.text,
        as_of=unit.date,
        official_url=unit.url,
        publisher=unit.publisher,
        entry=unit.entry,
        parent=unit.parent,
        children=children[:MAX_CHILDREN],
        children_total=len(children),
        previous=siblings[at - 1] if at > 0 else None,
        next=siblings[at + 1] if 0 <= at < len(siblings) - 1 else None,
    )


@router.get("/sources/{unit_id:path}", response_model=SourceView, summary="A cited unit in full")
async def get_source(unit_id: str, assistant: AssistantDep) -> SourceView:
    """Ids contain spaces and slashes (`list:DPL:M/M ASSOCIATES`): URL-encode them (`encodeURIComponent`)."""
    view = await run_in_threadpool(source_view, assistant, unit_id)
    if view is None:
        raise HTTPException(404, f"no unit with id {unit_id!r} in the index")
    return view


def _split_lists(values: list[str] | None) -> list[str] | None:
    """`lists=EL,SDN` and `lists=EL&lists=SDN` mean the same."""
    if not values:
        return None
    codes = [code.strip().upper() for value in values for code in value.split(",") if code.strip()]
    return codes or None


def _plain(match: Any) -> dict[str, Any]:
    return match.model_dump(mode="json") if hasattr(match, "model_dump") else dict(match)


@router.get("/screen", response_model=ScreenResponse, tags=["screening"], summary="Screen a party name")
async def screen(
    assistant: AssistantDep,
    request: Request,
    name: Annotated[str, Query(min_length=1, max_length=300, description="Party name to screen")],
    country: Annotated[str | None, Query(max_length=100, description="Country name or ISO-2 code")] = None,
    lists: Annotated[list[str] | None, Query(description="List codes, e.g. EL,SDN (default: all)")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> ScreenResponse:
    """Matches on the screening lists, best first. No match is not a clearance."""
    run_screen = getattr(assistant, "screen", None)
    if run_screen is None:
        raise HTTPException(501, "screening is not available in this build (Assistant.screen is missing)")
    codes = _split_lists(lists)
    matches = await run_answering(request, run_screen, name, country=country or None, lists=codes, limit=limit)
    notes = list(getattr(matches, "notes", None) or [NO_MATCH_NOTE])
    return ScreenResponse(
        name=name, country=country or None, lists=codes, matches=[_plain(m) for m in matches], notes=notes
    )
