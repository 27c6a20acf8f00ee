"""The LLM composer: a LangChain chat model writes the answer from numbered, delimited sources.

The chat model is LangChain's `BaseChatModel`, used as is (it already is the provider seam, and LangChain's
fake chat models plug straight in). This module only builds the messages (compose/prompts.py), streams or
invokes the model, and parses its reply into sentences with the [n] markers they carry. Nothing the model
writes is trusted: `verify.py` resolves the markers against the passages given here and checks every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.compose import prompts
from assistant.compose.passages import number_passages
from assistant.errors import BackendUnavailable, ConfigError
from assistant.models import ON_ROUTE, Draft, DraftSentence, Hit, Passage, Unit
from assistant.sanitize import escape_delimiters, neutralise
from assistant.settings import ComposeSettings, Settings
from assistant.text import split_sentences
from assistant.verify import split_markers

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

# Passages and characters per passage in the prompt: enough for the top sources of a routed question
# (entity + list + regulation) while keeping a prompt near 6k tokens for small local models.
MAX_PASSAGES = 8
MAX_SOURCE_CHARS = 3000
_MARKER_LIST = re.compile(r"\[\s*(?:sources?\s*)?(\d{1,3}(?:\s*[,;]\s*(?:sources?\s*)?\d{1,3})+)\s*\]", re.I)
_MARKER_NAMED = re.compile(r"\[\s*(?:source|src|doc)\s*(\d{1,3})\s*\]", re.I)
_MARKER_RANGE = re.compile(r"\[\s*(\d{1,3})\s*[-–]\s*(\d{1,3})\s*\]")
# "Text. [1]" → "Text [1]." so the marker stays with the sentence it follows.
_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d{1,3}\])+)")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_MARKDOWN = re.compile(r"\*\*|__|^#{1,6}\s*|`")
_AFTER_CITED_STOP = re.compile(r"(?<=\][.!?])\s+")
_ENDS_WITH_ABBREVIATION = re.compile(
    r"\b(?:supp|no|nos|sec|secs|pt|pts|para|paras|art|vol|cf|co|ltd|inc|corp|jr|sr|st|dr|mr|mrs|ms|"
    r"u\.s|e\.g|i\.e|etc|approx|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.$",
    re.IGNORECASE,
)
_MARKER_AT_END = re.compile(r"\[\d{1,3}\][.!?]?$")
_ONLY_MARKERS = re.compile(r"^(?:\s*\[\d{1,3}\])+\s*[.!?]?\s*$")


# Deterministic answers; a local model on CPU may need minutes for a long prompt, a dead server must not hang
# a request forever, and one retry is enough (the user is waiting).
_OPENAI_OPTIONS: dict[str, Any] = {"temperature": 0, "timeout": 180, "max_retries": 1}


def chat_model_from_settings(settings: Settings) -> BaseChatModel:
    """The chat model `ASKEAR_LLM` names: `openai:<model>` (any OpenAI-compatible server with
    `ASKEAR_LLM_BASE_URL`) or `ollama:<model>`.

    Credentials: `ASKEAR_LLM_API_KEY`, else what the provider's client reads itself (OPENAI_API_KEY, ...).
    An OpenAI-compatible local server (vLLM, llama.cpp, LM Studio) needs none.

    Raises:
        ConfigError: the setting names no chat model (or a hosted OpenAI model without a key).
        BackendUnavailable: the provider's LangChain package is not installed.
    """
    provider, _, model = settings.llm.partition(":")
    provider, model = provider.strip().lower(), model.strip()
    if provider not in ("openai", "ollama") or not model:
        raise ConfigError(
            f"ASKEAR_LLM={settings.llm!r} names no chat model; supported: openai:<model>, ollama:<model> "
            "or extractive (the default, no model)"
        )
    key = settings.llm_api_key
    if provider == "openai":
        try:
            import openai
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise BackendUnavailable(
                "ASKEAR_LLM=openai:… needs langchain-openai: pip install langchain-openai"
            ) from exc
        try:
            return ChatOpenAI(model=model, base_url=settings.llm_base_url, api_key=key, **_OPENAI_OPTIONS)
        except openai.OpenAIError as exc:
            if not settings.llm_base_url:
                raise ConfigError(
                    "ASKEAR_LLM=openai:… needs an API key: set OPENAI_API_KEY or ASKEAR_LLM_API_KEY "
                    "(or ASKEAR_LLM_BASE_URL for a local OpenAI-compatible server)"
                ) from exc
            # Local OpenAI-compatible servers ignore the key, but the client refuses to start without one.
            return ChatOpenAI(model=model, base_url=settings.llm_base_url, api_key="not-needed", **_OPENAI_OPTIONS)
    try:
        from langchain_ollama import ChatOllama
    except ImportError as exc:
        raise BackendUnavailable("ASKEAR_LLM=ollama:… needs langchain-ollama: pip install langchain-ollama") from exc
    # A key only matters for an Ollama behind an authenticating proxy.
    headers = {"Authorization": f"Bearer {key.get_secret_value()}"} if key else None
    return ChatOllama(
        model=model,
        base_url=settings.llm_base_url,
        temperature=0,
        client_kwargs={"headers": headers} if headers else {},
    )


def source_label(unit: Unit) -> str:
    """'Regulation (binding text), 15 CFR as of 2026-07-22', 'News (reporting, not law), Reuters 2025-06-10'."""
    template = prompts.SOURCE_KIND_LABELS[unit.source_type]
    date = unit.date or "date unknown"
    return template.format(date=date, publisher=unit.publisher or "publisher unknown")


def format_source(passage: Passage) -> str:
    text = passage.text
    if len(text) > MAX_SOURCE_CHARS:
        cut = text.rfind("\n", 0, MAX_SOURCE_CHARS)
        text = text[: cut if cut > MAX_SOURCE_CHARS // 2 else MAX_SOURCE_CHARS] + "\n[…]"
    unit = passage.unit
    return prompts.SOURCE_TEMPLATE.format(
        n=passage.n,
        kind=source_label(unit),
        id=escape_delimiters(unit.id),
        title=escape_delimiters(" ".join(unit.title.split())),
        text=neutralise(text),
    )


def build_messages(question: str, passages: Sequence[Passage], max_sentences: int = 6) -> list[BaseMessage]:
    """System rules, then the delimited numbered sources and the question (escaped, so it cannot close a block)."""
    from langchain_core.messages import HumanMessage, SystemMessage

    system = prompts.SYSTEM_PROMPT.format(abstain=prompts.ABSTAIN_TEXT, max_sentences=max_sentences)
    user = prompts.QUESTION_TEMPLATE.format(
        sources="\n\n".join(format_source(p) for p in passages),
        question=escape_delimiters(question.strip()),
    )
    return [SystemMessage(content=system), HumanMessage(content=user)]


def _normalise_markers(text: str) -> str:
    """'[1, 3]', '[Source 2]', '[1-3]' → '[1][3]', '[2]', '[1][2][3]'; markers after a full stop move before it."""
    text = _MARKER_RANGE.sub(
        lambda m: "".join(f"[{n}]" for n in range(int(m.group(1)), min(int(m.group(2)), int(m.group(1)) + 9) + 1)),
        text,
    )
    text = _MARKER_LIST.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d{1,3}", m.group(1))), text)
    text = _MARKER_NAMED.sub(lambda m: f"[{m.group(1)}]", text)
    return _MARKERS_AFTER_STOP.sub(lambda m: m.group(2).strip() + m.group(1), text)


def _is_abstention(sentence: str) -> bool:
    core = prompts.ABSTAIN_TEXT.rstrip(".").lower()
    return core in " ".join(sentence.lower().split())


def parse_answer(text: str) -> tuple[tuple[DraftSentence, ...], bool]:
    """A model reply → (sentences with the passage numbers they cite, whether the reply abstains).

    The abstention sentence is recognised anywhere and removed; a reply that holds nothing else abstains.
    """
    sentences: list[DraftSentence] = []
    for raw_line in _normalise_markers(text).split("\n"):
        line = _MARKDOWN.sub("", _BULLET.sub("", raw_line)).strip()
        if not line:
            continue
        # A marker followed by a full stop ends a sentence even when the next one starts in lower case.
        pieces = [part[a:b].strip() for part in _AFTER_CITED_STOP.split(line) for a, b in split_sentences(part)]
        for piece in _rejoin_abbreviations(pieces):
            if _ONLY_MARKERS.match(piece):
                # A marker split off on its own belongs to the sentence before it.
                if sentences:
                    prev = sentences[-1]
                    extra = split_markers(piece)[1]
                    sentences[-1] = prev.model_copy(update={"cites": tuple(dict.fromkeys(prev.cites + extra))})
                continue
            clean, cites = split_markers(piece)
            if _is_abstention(clean):
                continue
            if sum(ch.isalnum() for ch in clean) >= 3:
                sentences.append(DraftSentence(text=clean, cites=tuple(dict.fromkeys(cites))))
    return tuple(sentences), not sentences


def _rejoin_abbreviations(pieces: list[str]) -> list[str]:
    """Undo splits after an abbreviation the sentence splitter missed in model prose ("(Supp. 4 to Part 744)")."""
    out: list[str] = []
    for piece in pieces:
        if out and _ENDS_WITH_ABBREVIATION.search(out[-1]) and not _MARKER_AT_END.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


class LLMComposer:
    """Composer backed by a LangChain chat model; `compose` invokes it, `stream` yields its tokens."""

    name = "llm"

    def __init__(
        self,
        model: BaseChatModel,
        settings: ComposeSettings | None = None,
        max_passages: int = MAX_PASSAGES,
        max_sentences: int = 6,
    ) -> None:
        self.model = model
        self.settings = settings or ComposeSettings()
        self.max_passages = max_passages
        self.max_sentences = max_sentences

    def passages(
        self, plan: object, hits: list[Hit], units: Callable[[str], Unit | None], query_vector: np.ndarray
    ) -> tuple[Passage, ...]:
        """The numbered sources the model will see; empty when nothing relevant was retrieved (the model is
        then not called at all: an off-topic question abstains without spending a request)."""
        passages = number_passages(hits, units, limit=self.max_passages)
        routed = any(set(p.route) & ON_ROUTE for p in passages)
        best_dense = max((h.dense_similarity or 0.0 for h in hits), default=0.0)
        if not routed and best_dense < self.settings.abstain_threshold:
            return ()
        return tuple(passages)

    def compose(
        self, plan: object, hits: list[Hit], units: Callable[[str], Unit | None], query_vector: np.ndarray
    ) -> Draft:
        draft: Draft | None = None
        for item in self.stream(plan, hits, units, query_vector, tokens=False):
            if isinstance(item, Draft):
                draft = item
        assert draft is not None  # stream always ends with a Draft
        return draft

    def stream(
        self,
        plan: object,
        hits: list[Hit],
        units: Callable[[str], Unit | None],
        query_vector: np.ndarray,
        tokens: bool = True,
    ) -> Iterator[str | Draft]:
        """Yield the model's text as it arrives (provisional), then the parsed `Draft` as the last item."""
        passages = self.passages(plan, hits, units, query_vector)
        yield from self.generate(_question(plan), passages, tokens)

    def generate(self, question: str, passages: Sequence[Passage], tokens: bool = True) -> Iterator[str | Draft]:
        """Ask the model about these passages: text pieces (when `tokens`), then the Draft."""
        if not passages:
            yield Draft(passages=(), sentences=(), abstained=True)
            return
        messages = build_messages(question, passages, self.max_sentences)
        try:
            if tokens:
                pieces: list[str] = []
                for chunk in self.model.stream(messages):
                    piece = _text(chunk.content)
                    if piece:
                        pieces.append(piece)
                        yield piece
                reply = "".join(pieces)
            else:
                reply = _text(self.model.invoke(messages).content)
        except Exception as exc:  # provider errors vary (openai, httpx, ollama): one typed error for the edges
            raise BackendUnavailable(f"the chat model ({_describe(self.model)}) failed: {exc}") from exc
        sentences, abstained = parse_answer(reply)
        yield Draft(passages=tuple(passages), sentences=sentences, abstained=abstained)


def _describe(model: object) -> str:
    name = getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
    url = getattr(model, "openai_api_base", None) or getattr(model, "base_url", None)
    return f"{name} at {url}" if url else str(name)


def _question(plan: object) -> str:
    return str(getattr(plan, "question", plan))


def _text(content: object) -> str:
    """Message content as text (providers may return a list of content blocks)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            block if isinstance(block, str) else str(block.get("text", "")) if isinstance(block, dict) else ""
            for block in content
        )
    return str(content or "")
