"""`/v1/chat/completions` through the real `openai` client against a live server on 127.0.0.1."""

from __future__ import annotations

import httpx
import pytest

from assistant.assistant import Assistant
from assistant.models import Answer, Citation
from assistant.render import markdown
from assistant.web.openai_compat import ChatMessage, question_and_history, tail_after_stream
from tests.web.conftest import AppFactory, live_server, parse_sse

QUESTION = "What are the reasons for control for ECCN 3A090?"
TOKEN = "chat-token"


def test_the_last_user_message_is_the_question_and_earlier_turns_the_history() -> None:
    messages = [
        ChatMessage(role="system", content="You are helpful."),
        ChatMessage(role="user", content="Tell me about ECCN 3A090."),
        ChatMessage(role="assistant", content="It controls chips [1]."),
        ChatMessage(role="user", content=[{"type": "text", "text": "And its reasons for control?"}]),
    ]

    question, history = question_and_history(messages)

    assert question == "And its reasons for control?"
    assert history == [
        {"role": "user", "content": "Tell me about ECCN 3A090."},
        {"role": "assistant", "content": "It controls chips [1]."},
    ]


def test_a_stream_that_verification_changed_ends_with_the_verified_answer() -> None:
    citation = Citation(n=1, id="ECCN 3A090", title="ECCN 3A090", source_type="regulation", quote="RS, AT")
    answer = Answer(question="q", answer="Reason for Control: RS, AT [1]", abstained=False, citations=[citation])

    same = tail_after_stream("Reason for Control: RS, AT [1]", answer)
    changed = tail_after_stream("Reason for Control: RS, AT [1] An unsupported claim [2]", answer)

    assert "Reason for Control: RS, AT [1]" + same == markdown(answer)
    assert same.startswith("\n\nSources:\n[1] ECCN 3A090")
    assert changed == "\n\nVerified answer:\n" + markdown(answer)


@pytest.mark.slow
def test_openai_client_gets_the_answer_with_a_numbered_source_list(
    real_app: AppFactory, real_assistant: Assistant
) -> None:
    openai = pytest.importorskip("openai")
    expected = markdown(real_assistant.ask(QUESTION))
    with live_server(real_app(api_token=TOKEN)) as base:
        client = openai.OpenAI(base_url=f"{base}/v1", api_key=TOKEN, max_retries=0, timeout=60)

        reply = client.chat.completions.create(model="askear", messages=[{"role": "user", "content": QUESTION}])
        stream = client.chat.completions.create(
            model="askear", messages=[{"role": "user", "content": QUESTION}], stream=True
        )
        pieces = [chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices]
        models = [m.id for m in client.models.list()]
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=f"{base}/v1", api_key="wrong", max_retries=0).chat.completions.create(
                model="askear", messages=[{"role": "user", "content": QUESTION}]
            )

    content = reply.choices[0].message.content
    assert content == expected
    assert "\nSources:\n[1] ECCN 3A090" in content
    assert reply.choices[0].finish_reason == "stop"
    assert reply.usage is not None and reply.usage.completion_tokens > 0
    assert "".join(pieces) == content
    assert len(pieces) > 2  # role, text pieces, then the source list
    assert models == ["askear"]


@pytest.mark.slow
def test_chat_stream_is_openai_sse_ending_with_done(real_app: AppFactory) -> None:
    with live_server(real_app()) as base:
        response = httpx.post(
            f"{base}/v1/chat/completions",
            json={"model": "askear", "stream": True, "messages": [{"role": "user", "content": QUESTION}]},
            timeout=60,
        )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    assert events[-1] == ("message", "[DONE]")
    assert all(name == "message" for name, _ in events)


def test_messages_without_a_user_turn_are_a_422(bare_app: AppFactory) -> None:
    from fastapi.testclient import TestClient

    client = TestClient(bare_app())

    response = client.post("/v1/chat/completions", json={"messages": [{"role": "system", "content": "hi"}]})
    empty = client.post("/v1/chat/completions", json={"messages": []})

    assert response.status_code == 422
    assert "no user message" in response.json()["error"]["message"]
    assert empty.status_code == 422
