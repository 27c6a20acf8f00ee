"""`GET /healthz` (the process answers) and `GET /readyz` (the index is loaded and the store answers)."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from assistant.assistant import Assistant
from assistant.errors import AskearError
from assistant.web.deps import AssistantDep
from assistant.web.errors import error_response
from assistant.web.schemas import Readiness, SourceState

log = logging.getLogger("assistant.web")
router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def readiness(assistant: Assistant) -> Readiness:
    index = assistant.index  # opens the live generation if nothing has yet
    info = index.info
    as_of: dict[str, str] = {}
    for s in info.sources:
        if s.as_of:
            as_of[s.kind] = max(as_of.get(s.kind, ""), s.as_of)
    return Readiness(
        generation=info.name,
        created=info.created,
        units=dict(info.units),
        chunks=info.chunks,
        dense_chunks=index.store.counts(),  # a round trip to the vector store, remote or embedded
        as_of=as_of,
        sources=[SourceState(source_id=s.source_id, kind=s.kind, as_of=s.as_of, units=s.units) for s in info.sources],
    )


@router.get(
    "/readyz",
    response_model=Readiness,
    summary="The index is loaded and answering (503 with the reason otherwise)",
    responses={503: {"description": "No index yet, or the vector store is unreachable"}},
)
async def readyz(assistant: AssistantDep) -> Readiness | JSONResponse:
    try:
        return await run_in_threadpool(readiness, assistant)
    except AskearError as exc:
        return error_response(503, "not_ready", str(exc))
    except Exception as exc:  # a store that fails in its own way (connection refused, corrupt file)
        log.warning("not ready: %r", exc)
        return error_response(503, "not_ready", f"the index or vector store is unreachable: {type(exc).__name__}")
