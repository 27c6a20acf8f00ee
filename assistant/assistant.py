"""The facade: the only module that knows every stage. question → route → retrieve → compose → verify → Answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.compose.extractive import ExtractiveComposer, idf_from_bm25
from assistant.compose.llm import LLMComposer, chat_model_from_settings
from assistant.condense import FOLLOW_UP_NOTE, condense
from assistant.errors import InvalidQuestion
from assistant.index.embed import SentenceTransformerEmbedder
from assistant.index.generation import live_name
from assistant.index.reader import Index
from assistant.models import Answer, Citation, Draft, Hit, Passage, SentenceSupport, StreamEvent, Timings, Unit
from assistant.retrieve import retrieve
from assistant.route import Plan, find_parties, plan
from assistant.screening.models import NO_HIT_NOTE, Screening
from assistant.settings import Settings, offline_environment
from assistant.verify import ABSTAIN_TEXT, verify_draft

if TYPE_CHECKING:
    from assistant.screening.matcher import Screener

GENERATION_CHECK_SECONDS = 2.0
NEWS_ONLY_NOTE = "This answer rests only on news reporting, not on regulation text or an official list."


class Assistant:
    """Answers export-control questions from the indexed EAR, screening lists and articles, with citations.

    Example:
        >>> from assistant import Assistant
        >>> answer = Assistant.from_settings().ask("What are the reasons for control for ECCN 3A090?")
    """

    def __init__(
        self,
        settings: Settings,
        embedder: SentenceTransformerEmbedder | None = None,
        index: Index | None = None,
        composer: Any | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or SentenceTransformerEmbedder(settings.embedder, settings.index.embed_batch_size)
        self._index = index
        self._composer = composer
        self._lock = threading.Lock()
        self._checked = 0.0
        self._screener: tuple[Index, Screener] | None = None
        self._screener_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> Assistant:
        offline_environment()
        return cls(settings or Settings())

    @property
    def index(self) -> Index:
        """The live index generation; a generation switched by `askear ingest` or `index restore` in another
        process is picked up within GENERATION_CHECK_SECONDS, without a restart."""
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked > GENERATION_CHECK_SECONDS:
                self._checked = now
                if live_name(self.settings.index_dir) not in (None, self._index.info.name):
                    self._index, self._composer = None, None
            if self._index is None:
                self._index = Index.open(self.settings)
                self._checked = now
            return self._index

    def reload(self) -> None:
        """Pick up a newly switched index generation."""
        with self._lock:
            self._index = None
            self._composer = None

    @property
    def composer(self) -> Any:
        """The extractive composer, or the LLM composer over the chat model `ASKEAR_LLM` names."""
        if self._composer is None:
            if self.settings.llm.strip().lower() != "extractive":
                self._composer = LLMComposer(chat_model_from_settings(self.settings), self.settings.compose)
                return self._composer
            index = self.index
            num_docs = len(index.chunks)
            self._composer = ExtractiveComposer(
                self.settings.compose, self.embedder.encode_many, idf_from_bm25(index.bm25._bm25, num_docs)
            )
        return self._composer

    def warm_up(self) -> None:
        """Load the model and the index now instead of on the first question."""
        _ = self.composer
        self.embedder.encode_query("warm up")

    @property
    def screener(self) -> Screener:
        """The party screener over the live index's list units: built on first use, rebuilt with the index."""
        index = self.index
        with self._screener_lock:
            if self._screener is None or self._screener[0] is not index:
                from assistant.screening.matcher import Screener

                self._screener = (index, Screener(index.units.iter_units("list")))
            return self._screener[1]

    def screen(
        self, name: str, country: str | None = None, lists: list[str] | None = None, limit: int = 10
    ) -> Screening:
        """Listed records whose names resemble `name`, best first (a list of `Match`), each with its score,
        band, reasons and the record's list facts. No match is not a clearance: the result's `notes` say so."""
        return self.screener.screen(name, country=country, lists=lists, limit=limit)

    def source(self, unit_id: str) -> Unit | None:
        return self.index.units.get(unit_id)

    def check_question(self, question: str) -> str:
        question = " ".join((question or "").split())
        if not question:
            raise InvalidQuestion("the question is empty")
        if len(question) > self.settings.max_question_chars:
            raise InvalidQuestion(
                f"the question has {len(question)} characters; the limit is {self.settings.max_question_chars}"
            )
        return question

    def plan(self, question: str) -> Plan:
        return plan(question, self.index.names)

    def ask(self, question: str, history: list[dict[str, str]] | None = None) -> Answer:
        """Answer a question; every sentence of the answer cites a returned source whose quote supports it.

        `history` is the conversation so far (`{"role": "user" | "assistant", "content": ...}`, oldest first);
        a follow-up is rewritten into a standalone question before retrieval.
        """
        question = self.check_question(question)
        clock = _Clock()
        composer = self.composer
        the_plan, query_vector, hits = self._retrieve(question, history, composer, clock)
        draft: Draft = composer.compose(the_plan, hits, self.index.units.get, query_vector)
        clock.lap("compose")
        return self._verified(question, the_plan, draft, composer, clock)

    def _verified(self, question: str, the_plan: Plan, draft: Draft, composer: Any, clock: _Clock) -> Answer:
        """Verify a draft and build the public Answer (shared by `ask` and `stream`)."""
        # The embedding similarity only matters for paraphrases: verbatim (extractive) sentences never reach it.
        verdict = verify_draft(
            draft,
            self.settings.grounding,
            self._similarity,
            attribute_news=getattr(composer, "name", "") != "extractive",
        )
        text, citations, kept, removed = verdict.text, verdict.citations, verdict.kept, verdict.removed
        abstained = verdict.abstained or draft.abstained
        clock.lap("verify")
        notes = list(draft.notes)
        if the_plan.question != question:
            notes.append(FOLLOW_UP_NOTE.format(question=the_plan.question))
        notes += [] if abstained else verdict.notes
        if the_plan.route == "entity":
            notes.append(NO_HIT_NOTE)
        if citations and all(c.source_type == "news" for c in citations):
            notes.append(NEWS_ONLY_NOTE)
        as_of: dict[str, str] = {}
        for c in citations:
            if c.date and c.source_type in ("regulation", "list"):
                as_of[c.source_type] = max(as_of.get(c.source_type, ""), c.date)
        return Answer(
            question=question,
            answer=ABSTAIN_TEXT if abstained else text,
            abstained=abstained,
            citations=[] if abstained else citations,
            timings=clock.timings(),
            sentences=[] if abstained else kept,
            removed=removed,
            notes=notes,
            as_of=as_of,
        )

    def _standalone(self, question: str, history: list[dict[str, str]] | None, composer: Any) -> str:
        """The question rewritten to stand alone (the chat model when one answers, else the rules)."""
        if not history:
            return question
        model = composer.model if isinstance(composer, LLMComposer) else None
        names = self.index.names
        standalone = " ".join(condense(question, history, model, lambda text: find_parties(text, names)[1]).split())
        # A rewrite longer than a question may be is not a rewrite: keep what the user asked.
        return standalone if standalone and len(standalone) <= self.settings.max_question_chars else question

    def stream(self, question: str, history: list[dict[str, str]] | None = None) -> Iterator[StreamEvent]:
        """Yield the sources, then the answer text piece by piece, then the verified Answer.

        The extractive composer has no tokens to stream, so it streams the verified sentences; an LLM
        composer streams its tokens as they arrive and the final event carries what survived verification.
        """
        composer = self.composer
        if isinstance(composer, LLMComposer):
            yield from self._stream_tokens(question, history, composer)
            return
        answer = self.ask(question, history)
        yield StreamEvent(kind="sources", sources=answer.citations)
        for i, sentence in enumerate(answer.sentences or [answer]):
            text = sentence.text if isinstance(sentence, SentenceSupport) else answer.answer
            if isinstance(sentence, SentenceSupport):
                text += " " + "".join(f"[{n}]" for n in sentence.cites)
            yield StreamEvent(kind="token", text=(" " if i else "") + text.strip())
        yield StreamEvent(kind="answer", answer=answer)

    def _stream_tokens(
        self, question: str, history: list[dict[str, str]] | None, composer: LLMComposer
    ) -> Iterator[StreamEvent]:
        """The LLM path of `stream`: candidate sources (numbered as the model sees them), the model's tokens as
        they arrive (provisional: markers use those numbers), then the verified, renumbered Answer."""
        question = self.check_question(question)
        clock = _Clock()
        the_plan, query_vector, hits = self._retrieve(question, history, composer, clock)
        passages = composer.passages(the_plan, hits, self.index.units.get, query_vector)
        yield StreamEvent(kind="sources", sources=[_candidate(p) for p in passages])
        draft: Draft | None = None
        for item in composer.generate(the_plan.question, passages):
            if isinstance(item, Draft):
                draft = item
            else:
                yield StreamEvent(kind="token", text=item)
        clock.lap("compose")
        assert draft is not None  # generate always ends with the Draft
        yield StreamEvent(kind="answer", answer=self._verified(question, the_plan, draft, composer, clock))

    def _retrieve(
        self, question: str, history: list[dict[str, str]] | None, composer: Any, clock: _Clock
    ) -> tuple[Plan, np.ndarray, list[Hit]]:
        """Condense a follow-up, route it and retrieve: the stages every answer path shares."""
        standalone = self._standalone(question, history, composer)
        the_plan = self.plan(standalone)
        clock.lap("route")
        query_vector = self.embedder.encode_query(standalone)
        hits = retrieve(the_plan, self.index, query_vector, self.settings.retrieve)
        clock.lap("retrieve")
        return the_plan, query_vector, hits

    def _similarity(self, a: str, b: str) -> float:
        vectors = self.embedder.encode_many([a, b])
        return float(np.dot(vectors[0], vectors[1]))


def _candidate(passage: Passage) -> Citation:
    """A source the model was given, as a provisional citation under the number the model cites it by."""
    unit = passage.unit
    return Citation(
        n=passage.n, id=unit.id, title=unit.title, source_type=unit.source_type, date=unit.date, url=unit.url,
        quote=passage.text[:300],
    )  # fmt: skip


class _Clock:
    def __init__(self, now: Callable[[], float] = time.perf_counter) -> None:
        self._now = now
        self._start = self._last = now()
        self._laps: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        t = self._now()
        self._laps[stage] = round((t - self._last) * 1000, 2)
        self._last = t

    def timings(self) -> Timings:
        return Timings(**self._laps, total=round((self._now() - self._start) * 1000, 2))
