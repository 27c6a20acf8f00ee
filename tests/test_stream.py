"""Assistant.stream on the LLM path: candidate sources, then the model's tokens as they arrive, then the
verified Answer (the same one `ask` returns). The extractive path's stream is covered by tests/web."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

import assistant.assistant as facade
from assistant.compose.prompts import ABSTAIN_TEXT
from assistant.errors import BackendUnavailable
from tests.llm_fakes import ECCN, NEWS, SECTION, YMTC, fake_assistant, fake_model

QUESTION = "Is Yangtze Memory Technologies Co., Ltd. on the Entity List and what license review policy applies?"
REPLY = (
    "Yangtze Memory Technologies Co., Ltd. is on the Entity List under China [1]. "
    "It was added on 1 April 2020 [1]. Its license review policy is a presumption of denial [1]."
)


def test_stream_yields_sources_then_tokens_then_the_verified_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    assistant, _ = fake_assistant(monkeypatch, fake_model(REPLY))
    events = list(assistant.stream(QUESTION))
    kinds = [e.kind for e in events]
    assert kinds[0] == "sources" and kinds[-1] == "answer" and set(kinds[1:-1]) == {"token"}
    assert len(kinds) - 2 > 10  # word by word, not one block
    # Sources are numbered as the model cites them while it streams.
    assert [(c.n, c.id) for c in events[0].sources] == [(1, YMTC.id), (2, SECTION.id), (3, ECCN.id), (4, NEWS.id)]
    assert all(c.quote and c.quote in YMTC.text for c in events[0].sources[:1])
    assert "".join(e.text for e in events[1:-1]) == REPLY
    final = events[-1].answer
    assert final is not None and not final.abstained
    assert "2020" not in final.answer and [r.text for r in final.removed] == ["It was added on 1 April 2020."]
    assert [c.id for c in final.citations] == [YMTC.id]


def test_tokens_arrive_before_verification_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    assistant, _ = fake_assistant(monkeypatch, fake_model(REPLY))
    calls: list[int] = []
    real = facade.verify_draft
    monkeypatch.setattr(facade, "verify_draft", lambda *a, **k: calls.append(1) or real(*a, **k))
    events = assistant.stream(QUESTION)
    assert next(events).kind == "sources"
    first = next(events)
    assert first.kind == "token" and first.text and calls == []
    rest = list(events)
    assert calls == [1] and rest[-1].kind == "answer"


def test_streamed_and_asked_answers_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    assistant, _ = fake_assistant(monkeypatch, fake_model(REPLY, REPLY))
    asked = assistant.ask(QUESTION)
    streamed = list(assistant.stream(QUESTION))[-1].answer
    assert streamed is not None
    assert streamed.model_dump(exclude={"timings"}) == asked.model_dump(exclude={"timings"})


def test_an_abstaining_stream_sends_no_sources_and_the_abstention(monkeypatch: pytest.MonkeyPatch) -> None:
    assistant, _ = fake_assistant(monkeypatch, fake_model(ABSTAIN_TEXT), similarity=0.05)  # nothing relevant
    events = list(assistant.stream("What is the capital of France?"))
    assert [e.kind for e in events] == ["sources", "answer"] and events[0].sources == []
    assert events[-1].answer is not None and events[-1].answer.abstained
    assert events[-1].answer.answer == ABSTAIN_TEXT


def test_stream_condenses_a_follow_up_before_retrieval(monkeypatch: pytest.MonkeyPatch) -> None:
    condensed = "What license review policy applies to Yangtze Memory Technologies Co., Ltd.?"
    assistant, pipeline = fake_assistant(monkeypatch, fake_model(condensed, REPLY))
    history = [{"role": "user", "content": "Is Yangtze Memory Technologies Co., Ltd. on the Entity List?"}]
    events = list(assistant.stream("What license review policy applies to it?", history))
    assert pipeline.plans[-1].question == condensed
    final = events[-1].answer
    assert final is not None and final.question == "What license review policy applies to it?"
    assert f"Read as a follow-up: {condensed}" in final.notes


def test_an_unreachable_chat_model_is_a_typed_backend_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class Down(GenericFakeChatModel):
        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("connection refused")

        def _stream(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("connection refused")

    assistant, _ = fake_assistant(monkeypatch, Down(messages=iter([])))
    with pytest.raises(BackendUnavailable, match=r"chat model .* failed: connection refused"):
        assistant.ask(QUESTION)
    events = assistant.stream(QUESTION)
    assert next(events).kind == "sources"
    with pytest.raises(BackendUnavailable):
        next(events)
