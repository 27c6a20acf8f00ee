"""`POST /v1/chat/completions` and `GET /v1/models`, OpenAI-compatible, so existing chat front ends can use
askear as a model. The reply is `render.markdown(answer)`: the answer with [n] markers and a numbered
source list."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.errors import AskearError, InvalidQuestion
from assistant.models import Answer, StreamEvent
from assistant.render import markdown
from assistant.web.deps import AssistantDep, run_answering
from assistant.web.errors import askear_status, error_body
from assistant.web.routes import next_event, stream_events

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

MODEL_ID = "askear"


class ChatMessage(BaseModel):
    # Front ends send fields we do not use (name, tool_calls, ...): accept and ignore them.
    model_config = ConfigDict(extra="allow")

    role: str
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):  # content parts: keep the text ones
            return "\n".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    # temperature, max_tokens, etc. mean nothing to an extractive answer; accept them so clients work.
    model_config = ConfigDict(extra="allow")

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False


def question_and_history(messages: list[ChatMessage]) -> tuple[str, list[dict[str, str]]]:
    """The last user message is the question; earlier user/assistant turns are the history."""
    turns = [m for m in messages if m.role in ("user", "assistant")]
    last_user = max((i for i, m in enumerate(turns) if m.role == "user"), default=None)
    if last_user is None:
        raise InvalidQuestion("the messages contain no user message to answer")
    history = [{"role": m.role, "content": m.text()} for m in turns[:last_user]]
    return turns[last_user].text(), history


def _usage(prompt: str, completion: str) -> dict[str, int]:
    # There is no tokenizer behind an extractive answer; words are an honest stand-in for clients that sum usage.
    p, c = len(prompt.split()), len(completion.split())
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def completion(answer: Answer, model: str, completion_id: str) -> dict[str, Any]:
    content = markdown(answer)
    choice = {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [choice | {"logprobs": None}],
        "usage": _usage(answer.question, content),
    }


def tail_after_stream(streamed: str, answer: Answer) -> str:
    """What to send after the streamed text so the client ends up with `markdown(answer)`.

    Streamed pieces are provisional; if verification changed the text, the verified answer follows in full
    (a stream cannot take back what it sent).
    """
    full = markdown(answer)
    if full.startswith(streamed):
        return full[len(streamed) :]
    return "\n\nVerified answer:\n" + full


@router.post("/chat/completions", summary="OpenAI-compatible chat completion (stream or not)")
async def chat_completions(body: ChatCompletionRequest, assistant: AssistantDep, request: Request) -> Any:
    question, history = question_and_history(body.messages)
    question = assistant.check_question(question)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    model = body.model or MODEL_ID
    if not body.stream:
        answer = await run_answering(request, assistant.ask, question, history)
        return completion(answer, model, completion_id)

    events = assistant.stream(question, history)
    first = await next_event(request, events)
    created = int(time.time())

    def chunk(delta: dict[str, str], finish: Literal["stop"] | None = None) -> str:
        data = {
            "id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
        }  # fmt: skip
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    async def chunks() -> AsyncIterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        streamed = ""
        try:
            async for event in stream_events(request, _chain(first, events)):
                if event.kind == "token" and event.text:
                    streamed += event.text
                    yield chunk({"content": event.text})
                elif event.kind == "answer" and event.answer is not None:
                    tail = tail_after_stream(streamed, event.answer)
                    if tail:
                        yield chunk({"content": tail})
        except AskearError as exc:
            _, error_type = askear_status(exc)
            yield f"data: {json.dumps(error_body(error_type, str(exc)))}\n\n"
        yield chunk({}, "stop")
        yield "data: [DONE]\n\n"

    return StreamingResponse(chunks(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})


def _chain(first: StreamEvent | None, rest: Iterator[StreamEvent]) -> Iterator[StreamEvent]:
    if first is not None:
        yield first
    yield from rest


@router.get("/models", summary="The one model this server offers (for front ends that list models)")
async def models() -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "askear"}]}
