"""The extractive composer with a hashing embedder: how many sentences it embeds, and when it abstains."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.compose import extractive
from assistant.compose.extractive import ExtractiveComposer
from assistant.models import Draft, Unit
from assistant.route import Plan
from assistant.settings import ComposeSettings
from tests.llm_fakes import YMTC, HashEmbedder, hits_for

WIDGET_RULE = Unit(
    id="fr:2025-00001",
    title="Export Controls on Widgets",
    source_type="federal_register",
    source_id="federal-register",
    date="2025-01-15",
    text="This rule revises export controls on widgets destined for China. "
    "It adds license requirements for widget exports and reexports to Country Group D:5.",
)


def compose(question: str, units: Sequence[Unit], route: str = "recent", entities: tuple[str, ...] = ()) -> Draft:
    embedder = HashEmbedder()
    composer = ExtractiveComposer(ComposeSettings(), embedder.encode_many, lambda token: 1.0)
    plan = Plan(question=question, route=route, entities=entities)  # type: ignore[arg-type]
    hits = hits_for(units, routed=entities, similarity=0.6)
    return composer.compose(plan, hits, {u.id: u for u in units}.get, embedder.encode_query(question))


def test_a_question_about_a_month_no_source_is_of_abstains() -> None:
    # Same words, same meaning as the rule: only the time shows the corpus does not hold the event.
    assert compose("What did the May 2025 widget export rule say?", [WIDGET_RULE]).abstained


def test_the_same_question_about_the_source_month_is_answered() -> None:
    draft = compose("What did the January 2025 widget export rule say?", [WIDGET_RULE])
    assert not draft.abstained
    assert any("widget" in s.text for s in draft.sentences)


def test_a_question_naming_a_party_is_answered_from_its_record_whatever_the_time() -> None:
    draft = compose("Was Yangtze Memory Technologies listed in 2019?", [YMTC], route="entity", entities=(YMTC.id,))
    assert not draft.abstained


def test_at_most_the_shortlist_is_embedded_per_question() -> None:
    many = Unit(
        id="15 CFR 999.1",
        title="§ 999.1 Widgets",
        source_type="regulation",
        source_id="ecfr",
        date="2026-01-01",
        text=" ".join(f"Widget rule number {i} requires a license for widget exports." for i in range(40)),
    )
    embedder = HashEmbedder()
    batches: list[int] = []

    def encode(texts: Sequence[str]) -> np.ndarray:
        batches.append(len(texts))
        return embedder.encode_many(texts)

    composer = ExtractiveComposer(ComposeSettings(), encode, lambda token: 1.0)
    question = "Which widget exports require a license?"
    plan = Plan(question=question, route="general")
    composer.compose(plan, hits_for([many]), {many.id: many}.get, embedder.encode_query(question))
    assert batches == [extractive._SHORTLIST]
