"""What routes receive: the Assistant, the settings and the feedback store held by the app (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, TypeVar

import anyio.to_thread
from fastapi import Depends, Request

from assistant.assistant import Assistant
from assistant.settings import Settings
from assistant.web.feedback import FeedbackStore


def get_assistant(request: Request) -> Assistant:
    return request.app.state.assistant


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_feedback(request: Request) -> FeedbackStore:
    return request.app.state.feedback


T = TypeVar("T")


async def run_answering(request: Request, fn: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run answering work in a thread, at most `web.max_concurrent_answers` at once in this worker.

    On two cores, thirty threads answering at once are no faster than two; each holds its own buffers
    (a load test reached 3 GB per worker), so the rest wait here, on the event loop, for a turn.
    """
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=request.app.state.answer_slots)


AssistantDep = Annotated[Assistant, Depends(get_assistant)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
FeedbackDep = Annotated[FeedbackStore, Depends(get_feedback)]
