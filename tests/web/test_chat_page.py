"""The chat page in Debian's Chromium (Playwright) against a live server on the real index.

Screenshots go to test-output/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.web.conftest import AppFactory, live_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SHOTS = REPO / "test-output"
QUESTION = "Is SMIC on the Entity List and what license review policy applies?"
FOLLOW_UP = "What are the reasons for control for ECCN 3A090?"
TOKEN = "page-token"

# Records every text piece the page appends to a streaming answer, before the final answer replaces it.
RECORD_STREAM = """
window.__streamed = [];
new MutationObserver((records) => {
  for (const r of records) {
    if (r.target.classList && r.target.classList.contains("streaming")) {
      for (const n of r.addedNodes) window.__streamed.push(n.textContent);
    }
  }
}).observe(document, { childList: true, subtree: true });
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver (scripts/test.sh does)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _normal(text: str) -> str:
    return " ".join(text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").split()).lower()


def test_ask_stream_cite_check_and_vote(browser, real_app: AppFactory, web_home: Path) -> None:
    SHOTS.mkdir(exist_ok=True)
    with live_server(real_app()) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.add_init_script(RECORD_STREAM)
        page.goto(base)
        page.wait_for_selector("#index-status:has-text('Index ready')")

        # Ask with the keyboard; the answer streams in, then arrives verified with numbered chips.
        page.fill("#question", QUESTION)
        with page.expect_response(lambda r: r.url.endswith("/v1/ask/stream")) as streamed:
            page.press("#question", "Enter")
        assert streamed.value.headers["content-type"].startswith("text/event-stream")
        answer = page.locator(".message-assistant .bubble").last
        answer.locator(".sources .chip").first.wait_for()
        assert page.evaluate("window.__streamed.join('')").strip(), "no text was streamed before the answer"
        chips = answer.locator(".sources .chip")
        assert chips.count() >= 1
        assert answer.locator(".answer-text .cite").count() >= 1
        first_chip = chips.first.inner_text()
        assert "List" in first_chip and "as of 20" in first_chip
        assert "Semiconductor Manufacturing International" in answer.locator(".answer-text").inner_text()
        page.screenshot(path=str(SHOTS / "chat-answer.png"))

        # One click on a chip shows the source passage with the quote highlighted and the official link.
        stored_answer = page.evaluate(
            "fetch('/v1/ask', {method: 'POST', headers: {'Content-Type': 'application/json'},"
            f" body: JSON.stringify({{question: {json.dumps(QUESTION)}}})}}).then(r => r.json())"
        )
        citation = stored_answer["citations"][0]
        chips.first.click()
        dialog = page.locator("#source-dialog")
        dialog.locator("mark.quote").first.wait_for()
        assert dialog.locator("#source-id").inner_text() == citation["id"]
        marked = dialog.locator("mark.quote").all_inner_texts()
        assert marked and all(_normal(m) in _normal(citation["quote"]) for m in marked)
        assert "highlighted" in dialog.locator("#source-quote-status").inner_text()
        official = dialog.locator("a.official")
        assert official.get_attribute("href", timeout=2000).startswith("https://")
        assert official.get_attribute("rel") == "noopener noreferrer"
        page.screenshot(path=str(SHOTS / "chat-source.png"))
        page.keyboard.press("Escape")
        assert not dialog.is_visible()

        # Thumbs up is stored with the question, the answer and its citations.
        answer.get_by_role("button", name="Helpful", exact=True).click()
        answer.get_by_text("feedback is saved").wait_for()
        with sqlite3.connect(web_home / "feedback.sqlite") as conn:
            rating, question, text, citations = conn.execute(
                "SELECT rating, question, answer, citations FROM feedback"
            ).fetchone()
        assert (rating, question) == ("up", QUESTION)
        assert text == stored_answer["answer"]
        assert [c["id"] for c in json.loads(citations)] == [c["id"] for c in stored_answer["citations"]]

        # A follow-up carries the conversation so far.
        page.fill("#question", FOLLOW_UP)
        with page.expect_request(lambda r: r.url.endswith("/v1/ask/stream")) as follow_up:
            page.press("#question", "Enter")
        history = follow_up.value.post_data_json["history"]
        assert [m["role"] for m in history] == ["user", "assistant"]
        assert history[0]["content"] == QUESTION
        page.locator(".message-assistant").nth(1).locator(".sources .chip").first.wait_for()

        # An abstention is shown as such, with nothing cited.
        page.fill("#question", "What is the capital of France?")
        page.press("#question", "Enter")
        abstained = page.locator(".bubble.abstained")
        abstained.wait_for()
        assert "No supported answer" in abstained.text_content()
        assert abstained.locator(".chip").count() == 0
        # Viewport shots, not full-page ones: a full-page capture draws the sticky question box mid-page.
        page.set_viewport_size({"width": 1200, "height": 1500})
        page.screenshot(path=str(SHOTS / "chat-conversation.png"))

        # Narrow screen: the page still fits without sideways scrolling.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.evaluate("document.querySelector('.message-assistant .sources').scrollIntoView({block: 'center'})")
        page.screenshot(path=str(SHOTS / "chat-narrow.png"))
        page.close()


def test_token_can_be_pasted_and_screening_is_reachable_by_keyboard(browser, real_app: AppFactory) -> None:
    with live_server(real_app(api_token=TOKEN)) as base:
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(base)

        page.fill("#question", FOLLOW_UP)
        page.press("#question", "Enter")
        token_dialog = page.locator("#token-dialog")
        token_dialog.wait_for()
        assert "needs an API token" in token_dialog.inner_text()
        page.fill("#token-input", TOKEN)
        page.press("#token-input", "Enter")
        assert not token_dialog.is_visible()
        page.fill("#question", FOLLOW_UP)
        page.press("#question", "Enter")
        page.locator(".sources .chip").first.wait_for()

        # Tabs follow the ARIA pattern: arrow keys move between them.
        page.focus("#tab-ask")
        page.keyboard.press("ArrowRight")
        assert page.locator("#tab-screen").get_attribute("aria-selected") == "true"
        assert page.locator("#panel-screen").is_visible()
        page.fill("#screen-name", "Semiconductor Manufacturing International")
        page.press("#screen-name", "Enter")
        results = page.locator("#screen-results")
        results.locator("table.matches, [role=alert]").first.wait_for()
        if results.locator("table.matches").count():
            assert "Semiconductor Manufacturing International" in results.inner_text()
        else:
            assert "screening is not available" in results.inner_text()
        page.screenshot(path=str(SHOTS / "chat-screen.png"), full_page=True)
        page.close()
