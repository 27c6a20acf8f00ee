"""Safety at the edge: token auth, question and body limits, rate limit, CORS, malformed JSON, request ids,
and errors as JSON without stack traces. Most of these need no index: they run on an empty ASKEAR_HOME."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.assistant import Assistant
from assistant.errors import InvalidQuestion
from assistant.web.logs import RequestIdFilter
from assistant.web.security import TokenBucketLimiter
from tests.web.conftest import AppFactory

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


# ---------- auth ----------


def test_without_a_token_setting_the_api_is_open(bare_app: AppFactory) -> None:
    client = TestClient(bare_app())

    assert client.get("/v1/models").status_code == 200


def test_with_a_token_the_api_requires_it(bare_app: AppFactory) -> None:
    client = TestClient(bare_app(api_token=TOKEN))

    missing = client.post("/v1/ask", json={"question": "Is SMIC listed?"})
    wrong = client.post("/v1/ask", json={"question": "Is SMIC listed?"}, headers={"Authorization": "Bearer nope"})
    right = client.get("/v1/models", headers=AUTH)

    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert "ASKEAR_WEB__API_TOKEN" in missing.json()["error"]["message"]
    assert wrong.status_code == 401
    assert right.status_code == 200
    for path in ("/openapi.json", "/v1/sources/ECCN%203A090", "/v1/screen?name=x"):
        assert client.get(path).status_code == 401, path


def test_health_and_the_page_shell_stay_public_with_a_token(bare_app: AppFactory) -> None:
    client = TestClient(bare_app(api_token=TOKEN))

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503  # public, and honest: there is no index here
    assert client.get("/").status_code == 200
    assert client.get("/static/chat.js").status_code == 200


@pytest.mark.slow
def test_the_right_token_gets_an_answer_on_the_real_index(real_app: AppFactory) -> None:
    client = TestClient(real_app(api_token=TOKEN))

    response = client.post("/v1/ask", json={"question": "What is ECCN 3A090?"}, headers=AUTH)

    assert response.status_code == 200
    assert response.json()["citations"]


# ---------- limits ----------


def test_an_overlong_question_is_a_clear_422(bare_app: AppFactory) -> None:
    client = TestClient(bare_app())
    limit = client.app.state.settings.max_question_chars

    for path in ("/v1/ask", "/v1/ask/stream"):
        response = client.post(path, json={"question": "x" * (limit + 1)})
        assert response.status_code == 422, path
        error = response.json()["error"]
        assert error["type"] == "invalid_question"
        assert f"the limit is {limit}" in error["message"]


def test_an_oversized_body_is_413_by_content_length(bare_app: AppFactory) -> None:
    client = TestClient(bare_app(max_body_bytes=1000))

    response = client.post("/v1/ask", json={"question": "q" * 2000})

    assert response.status_code == 413
    assert response.json()["error"]["type"] == "body_too_large"


def test_an_oversized_chunked_body_is_413_while_reading(bare_app: AppFactory) -> None:
    client = TestClient(bare_app(max_body_bytes=1000))

    def chunks() -> Iterator[bytes]:
        yield b'{"question": "'
        for _ in range(10):
            yield b"q" * 200
        yield b'"}'

    response = client.post("/v1/ask", content=chunks(), headers={"Content-Type": "application/json"})

    assert response.status_code == 413
    assert "1000 bytes" in response.json()["error"]["message"]


def test_the_rate_limit_answers_429_with_retry_after(bare_app: AppFactory) -> None:
    client = TestClient(bare_app(rate_limit_per_minute=2))

    statuses = [client.get("/v1/models").status_code for _ in range(3)]
    limited = client.get("/v1/models")

    assert statuses == [200, 200, 429]
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["error"]["type"] == "rate_limited"
    assert client.get("/healthz").status_code == 200  # health checks are never limited


def test_the_token_bucket_refills_over_time() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(60, clock=lambda: now[0])  # one request per second, burst of 60

    assert all(limiter.take("a") == 0.0 for _ in range(60))
    wait = limiter.take("a")
    assert wait == pytest.approx(1.0)
    assert limiter.take("b") == 0.0  # clients are counted apart
    now[0] += 1.0
    assert limiter.take("a") == 0.0
    assert limiter.take("a") > 0


def test_the_token_bucket_forgets_idle_clients_to_bound_memory() -> None:
    now = [0.0]
    limiter = TokenBucketLimiter(60, clock=lambda: now[0], max_clients=3)
    for client in "abc":
        limiter.take(client)
    now[0] += 120  # everyone has refilled

    limiter.take("d")

    assert set(limiter._buckets) == {"d"}


# ---------- malformed requests ----------


def test_malformed_json_is_a_400_and_missing_fields_a_422(bare_app: AppFactory) -> None:
    client = TestClient(bare_app())
    headers = {"Content-Type": "application/json"}

    broken = client.post("/v1/ask", content=b'{"question": ', headers=headers)
    missing = client.post("/v1/ask", json={"history": []})
    wrong_type = client.post("/v1/ask", json={"question": ["a", "list"]})
    extra = client.post("/v1/chat/completions", content=b"not json", headers=headers)

    assert broken.status_code == 400 and broken.json()["error"]["type"] == "invalid_json"
    assert missing.status_code == 422 and "question" in missing.json()["error"]["message"]
    assert wrong_type.status_code == 422
    assert extra.status_code == 400


def test_a_missing_index_is_a_clear_503(bare_app: AppFactory) -> None:
    client = TestClient(bare_app())

    ask = client.post("/v1/ask", json={"question": "Is SMIC listed?"})
    ready = client.get("/readyz")

    assert ask.status_code == 503
    assert ask.json()["error"]["type"] == "index_missing"
    assert "askear ingest" in ask.json()["error"]["message"]
    assert ready.status_code == 503
    assert ready.json()["error"]["type"] == "not_ready"
    assert "askear ingest" in ready.json()["error"]["message"]


class _Exploding(Assistant):
    def ask(self, question: str, history: list[dict[str, str]] | None = None):  # type: ignore[override]
        raise RuntimeError("database password is hunter2")


def test_an_unexpected_error_is_json_without_a_stack_trace(
    bare_app: AppFactory, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    from assistant.settings import Settings

    client = TestClient(bare_app(_Exploding(Settings(home=tmp_path / "x"))))
    caplog.handler.addFilter(RequestIdFilter())

    with caplog.at_level(logging.INFO, logger="assistant.web"):
        response = client.post("/v1/ask", json={"question": "Is SMIC listed?"})

    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "error": {"type": "internal_error", "message": f"internal error (request id {request_id})",
                  "request_id": request_id}
    }  # fmt: skip
    assert "hunter2" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.request_id == request_id]
    assert any(r.exc_info and "hunter2" in str(r.exc_info[1]) for r in logged)  # the log keeps the detail
    assert any('"POST /v1/ask" 500' in r.getMessage() for r in logged)


class _Slow(Assistant):
    """Records how many answers run at once."""

    running = 0
    most = 0
    lock = threading.Lock()

    def ask(self, question: str, history: list[dict[str, str]] | None = None):  # type: ignore[override]
        with self.lock:
            _Slow.running += 1
            _Slow.most = max(_Slow.most, _Slow.running)
        time.sleep(0.2)
        with self.lock:
            _Slow.running -= 1
        raise InvalidQuestion("done")  # any typed error ends the request without an index


def test_answers_wait_for_a_slot_instead_of_running_all_at_once(bare_app: AppFactory, tmp_path) -> None:
    from assistant.settings import Settings

    app = bare_app(_Slow(Settings(home=tmp_path / "x")), max_concurrent_answers=2, rate_limit_per_minute=0)

    async def burst() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            calls = [client.post("/v1/ask", json={"question": f"question {i}"}) for i in range(6)]
            return [r.status_code for r in await asyncio.gather(*calls)]

    assert asyncio.run(burst()) == [422] * 6
    assert _Slow.most == 2


# ---------- request ids and CORS ----------


def test_every_response_carries_a_request_id(bare_app: AppFactory) -> None:
    client = TestClient(bare_app())

    generated = client.get("/healthz").headers["x-request-id"]
    echoed = client.get("/healthz", headers={"X-Request-ID": "trace-42"}).headers["x-request-id"]
    unsafe = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"}).headers["x-request-id"]
    error = client.post("/v1/ask", content=b"{", headers={"Content-Type": "application/json"})

    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert echoed == "trace-42"
    assert re.fullmatch(r"[0-9a-f]{32}", unsafe)
    assert error.json()["error"]["request_id"] == error.headers["x-request-id"]
    assert error.headers["x-askear-worker"] == str(os.getpid())  # the process that answered


def test_cors_is_off_by_default(bare_app: AppFactory) -> None:
    client = TestClient(bare_app())

    response = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
    preflight = client.options(
        "/v1/ask", headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"}
    )

    assert "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_configured_origins_even_with_a_token(bare_app: AppFactory) -> None:
    client = TestClient(bare_app(api_token=TOKEN, cors_origins=["https://tools.example"]))
    preflight_headers = {
        "Origin": "https://tools.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }

    allowed = client.options("/v1/ask", headers=preflight_headers)
    other = client.options("/v1/ask", headers=preflight_headers | {"Origin": "https://evil.example"})
    denied = client.post("/v1/ask", json={"question": "q"}, headers={"Origin": "https://tools.example"})

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://tools.example"
    assert "access-control-allow-origin" not in other.headers
    assert denied.status_code == 401
    assert denied.headers["access-control-allow-origin"] == "https://tools.example"  # the browser may read why
