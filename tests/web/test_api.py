"""The HTTP API on the real index: answers, streaming, sources, screening, readiness, feedback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from assistant.assistant import Assistant
from assistant.models import Answer
from tests.web.conftest import parse_sse

pytestmark = pytest.mark.slow

QUESTION = "What are the reasons for control for ECCN 3A090?"
PARTY_QUESTION = "Is SMIC on the Entity List and what license review policy applies?"


def _without_timings(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "timings"}


def test_ask_returns_the_same_json_as_the_public_api(real_client: TestClient, real_assistant: Assistant) -> None:
    response = real_client.post("/v1/ask", json={"question": QUESTION})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(Answer.model_fields)
    expected = real_assistant.ask(QUESTION).model_dump(mode="json")
    assert _without_timings(body) == _without_timings(expected)
    assert not body["abstained"]
    assert "ECCN 3A090" in [c["id"] for c in body["citations"]]
    assert len(response.headers["x-request-id"]) == 32


def test_ask_accepts_history_and_rejects_unknown_roles(real_client: TestClient) -> None:
    history = [{"role": "user", "content": "Tell me about ECCN 3A090."}, {"role": "assistant", "content": "It is…"}]
    ok = real_client.post("/v1/ask", json={"question": QUESTION, "history": history})
    bad = real_client.post("/v1/ask", json={"question": QUESTION, "history": [{"role": "system", "content": "x"}]})

    assert ok.status_code == 200 and ok.json()["citations"]
    assert bad.status_code == 422
    assert bad.json()["error"]["type"] == "invalid_request"
    assert "history" in bad.json()["error"]["message"]


def test_out_of_scope_question_is_an_abstention_without_citations(real_client: TestClient) -> None:
    body = real_client.post("/v1/ask", json={"question": "What is the capital of France?"}).json()

    assert body["abstained"] is True
    assert body["citations"] == []


def test_stream_sends_sources_then_text_then_the_verified_answer(real_client: TestClient) -> None:
    response = real_client.post("/v1/ask/stream", json={"question": PARTY_QUESTION})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = parse_sse(response.text)
    kinds = [name for name, _ in events]
    assert kinds[0] == "sources" and kinds[-1] == "answer"
    assert set(kinds[1:-1]) == {"token"}
    answer = json.loads(events[-1][1])
    streamed = "".join(json.loads(data)["text"] for name, data in events if name == "token")
    assert streamed == answer["answer"]
    source_ids = {c["id"] for c in json.loads(events[0][1])}
    assert {c["id"] for c in answer["citations"]} <= source_ids
    assert any(c["source_type"] == "list" for c in answer["citations"])
    plain = real_client.post("/v1/ask", json={"question": PARTY_QUESTION}).json()
    assert _without_timings(answer) == _without_timings(plain)


def test_stream_rejects_a_bad_question_before_streaming(real_client: TestClient) -> None:
    response = real_client.post("/v1/ask/stream", json={"question": "   "})

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["type"] == "invalid_question"


def test_source_returns_the_full_unit_with_its_neighbours(real_client: TestClient, real_assistant: Assistant) -> None:
    unit_id = "15 CFR 744.11(b)"
    response = real_client.get(f"/v1/sources/{quote(unit_id, safe='')}")

    assert response.status_code == 200
    body = response.json()
    unit = real_assistant.source(unit_id)
    assert unit is not None
    assert body["id"] == unit_id
    assert body["text"] == unit.text
    assert body["heading_path"] == list(unit.heading_path)
    assert body["label"] == "Regulation"
    assert body["as_of"] == unit.date
    assert body["official_url"].startswith("https://www.ecfr.gov/")
    assert body["parent"] == "15 CFR 744.11"
    assert body["previous"] == "15 CFR 744.11(a)"
    assert body["next"] == "15 CFR 744.11(c)"
    parent = real_client.get(f"/v1/sources/{quote(body['parent'], safe='')}").json()
    assert unit_id in parent["children"]
    assert parent["children_total"] == len(parent["children"])


def test_source_ids_with_slashes_resolve(real_client: TestClient, real_assistant: Assistant) -> None:
    names = real_assistant.index.names.by_key.values()
    unit_id = next(uid for ids in names for uid in ids if "/" in uid)

    response = real_client.get(f"/v1/sources/{quote(unit_id, safe='')}")

    assert response.status_code == 200, unit_id
    assert response.json()["id"] == unit_id
    assert response.json()["label"] == "List"
    assert response.json()["entry"]["name"]


def test_unknown_source_is_a_json_404(real_client: TestClient) -> None:
    response = real_client.get("/v1/sources/15%20CFR%20999.99")

    assert response.status_code == 404
    assert "15 CFR 999.99" in response.json()["error"]["message"]


def test_screen_returns_matches_from_the_lists(real_client: TestClient) -> None:
    if not hasattr(Assistant, "screen"):
        pytest.skip("Assistant.screen has not landed yet (screening issue); /v1/screen answers 501 until then")
    params = {"name": "Semiconductor Manufacturing International", "lists": "EL"}
    response = real_client.get("/v1/screen", params=params)

    assert response.status_code == 200
    body = response.json()
    assert body["lists"] == ["EL"]
    assert body["matches"], body
    top = body["matches"][0]
    assert "Semiconductor Manufacturing International" in top["name"]
    assert {m["list_code"] for m in body["matches"]} == {"EL"}
    assert real_client.get(f"/v1/sources/{quote(top['id'], safe='')}").status_code == 200
    assert any("not a clearance" in note for note in body["notes"])


def test_screen_is_501_while_screening_is_missing(real_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(Assistant, "screen", raising=False)

    response = real_client.get("/v1/screen", params={"name": "SMIC"})

    assert response.status_code == 501
    assert "screening is not available" in response.json()["error"]["message"]


def test_screen_requires_a_name(real_client: TestClient) -> None:
    assert real_client.get("/v1/screen").status_code == 422


def test_readyz_reports_the_loaded_index(real_client: TestClient, real_assistant: Assistant) -> None:
    response = real_client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    info = real_assistant.index.info
    assert body["generation"] == info.name
    assert body["units"] == dict(info.units)
    assert body["units"]["regulation"] > 1000 and body["units"]["list"] > 10000
    assert body["dense_chunks"]["regulation"] > 0
    assert set(body["as_of"]) >= {"regulation", "list"}


def test_feedback_is_stored_with_question_answer_and_citations(real_client: TestClient, web_home: Path) -> None:
    answer = real_client.post("/v1/ask", json={"question": QUESTION}).json()
    vote = {
        "rating": "down",
        "question": answer["question"],
        "answer": answer["answer"],
        "abstained": answer["abstained"],
        "citations": answer["citations"],
        "comment": "missing the license exception",
    }

    response = real_client.post("/v1/feedback", json=vote)

    assert response.status_code == 201
    with sqlite3.connect(web_home / "feedback.sqlite") as conn:
        row = conn.execute(
            "SELECT rating, question, answer, citations, comment, request_id FROM feedback WHERE id = ?",
            (response.json()["id"],),
        ).fetchone()
    assert row[:3] == ("down", QUESTION, answer["answer"])
    assert [c["id"] for c in json.loads(row[3])] == [c["id"] for c in answer["citations"]]
    assert row[4] == "missing the license exception"
    assert row[5] == response.headers["x-request-id"]


def test_feedback_rejects_an_unknown_rating(real_client: TestClient, web_home: Path) -> None:
    response = real_client.post("/v1/feedback", json={"rating": "meh", "question": "q", "answer": "a"})

    assert response.status_code == 422
    assert not (web_home / "feedback.sqlite").exists()


def test_openapi_documents_every_route(real_client: TestClient) -> None:
    paths = set(real_client.get("/openapi.json").json()["paths"])

    assert paths >= {
        "/v1/ask", "/v1/ask/stream", "/v1/screen", "/v1/sources/{unit_id}", "/v1/chat/completions",
        "/v1/feedback", "/healthz", "/readyz",
    }  # fmt: skip


def test_the_chat_page_and_its_assets_are_served(real_client: TestClient) -> None:
    page = real_client.get("/")

    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/chat.js", "/static/chat.css"):
        assert asset in page.text
        assert real_client.get(asset).status_code == 200
