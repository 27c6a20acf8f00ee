"""Asking: `POST /v1/ask` (the public `Answer` JSON), `POST /v1/ask/stream` (server-sent events) and
`POST /v1/feedback`."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from assistant.errors import AskearError
from assistant.models import Answer, StreamEvent
from assistant.web.deps import AssistantDep, FeedbackDep, run_answering
from assistant.web.errors import askear_status, error_body
from assistant.web.logs import current_request_id
from assistant.web.schemas import AskRequest, FeedbackRequest, FeedbackStored

log = logging.getLogger("assistant.web")
router = APIRouter(prefix="/v1", tags=["ask"])

# Seconds between SSE comment pings, so proxies do not close a connection waiting on a slow answer.
PING_SECONDS = 15


@router.post("/ask", response_model=Answer, summary="Answer a question with numbered citations")
async def ask(body: AskRequest, assistant: AssistantDep, request: Request) -> Answer:
    """The same JSON as `askear ask --json`. 422 if the question is empty or too long."""
    assistant.check_question(body.question)  # reject before waiting for an answering slot
    return await run_answering(request, assistant.ask, body.question, body.history_dicts())


def sse_payload(event: StreamEvent) -> dict[str, str]:
    """One `Assistant.stream` event as an SSE message: `sources`, `token` or `answer`, with JSON data."""
    if event.kind == "sources":
        data = json.dumps([c.model_dump(mode="json") for c in event.sources], ensure_ascii=False)
    elif event.kind == "token":
        data = json.dumps({"text": event.text}, ensure_ascii=False)
    else:
        assert event.answer is not None
        data = event.answer.model_dump_json()
    return {"event": event.kind, "data": data}


async def next_event(request: Request, events: Iterator[StreamEvent]) -> StreamEvent | None:
    """The next event, computed in an answering slot; None at the end."""
    return await run_answering(request, next, events, None)


async def stream_events(request: Request, events: Iterator[StreamEvent]) -> AsyncIterator[StreamEvent]:
    while (event := await next_event(request, events)) is not None:
        yield event


@router.post(
    "/ask/stream",
    summary="Answer as server-sent events: sources, then text pieces, then the verified answer",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def ask_stream(body: AskRequest, assistant: AssistantDep, request: Request) -> EventSourceResponse:
    """Events: `sources` (candidate citations), `token` (`{"text": ...}`, provisional), `answer` (the verified
    `Answer`, authoritative), or `error` (`{"error": {...}}`) if something fails mid-stream."""
    question = assistant.check_question(body.question)
    events = assistant.stream(question, body.history_dicts())
    # The first event is pulled before the response starts, so that an error still gets its HTTP status.
    first = await next_event(request, events)

    async def messages() -> AsyncIterator[dict[str, str]]:
        if first is None:
            return
        yield sse_payload(first)
        try:
            async for event in stream_events(request, events):
                yield sse_payload(event)
        except AskearError as exc:
            status, error_type = askear_status(exc)
            yield {"event": "error", "data": json.dumps(error_body(error_type, str(exc)) | {"status": status})}
        except Exception:
            log.exception("stream failed")
            message = f"internal error (request id {current_request_id()})"
            yield {"event": "error", "data": json.dumps(error_body("internal_error", message) | {"status": 500})}

    return EventSourceResponse(messages(), ping=PING_SECONDS, headers={"Cache-Control": "no-store"})


@router.post("/feedback", status_code=201, response_model=FeedbackStored, tags=["feedback"])
async def feedback(body: FeedbackRequest, store: FeedbackDep) -> FeedbackStored:
    """Store a thumbs up or down with the question, the answer and its citations."""
    stored_id = await run_in_threadpool(store.add, body, current_request_id())
    return FeedbackStored(id=stored_id)
