"""The data of an evaluation run: per-question judgements and scores, per-kind aggregates, the run summary.

These are what `results.jsonl` and `summary.json` hold, so a report or a comparison can be rebuilt from
the files alone.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from assistant.evaluate.questions import Question
from assistant.models import Answer, Frozen

Label = Literal["accurate", "incomplete", "hallucinated", "error"]
LABELS: tuple[Label, ...] = ("accurate", "incomplete", "hallucinated", "error")


class SentenceJudgement(Frozen):
    """One answer sentence as the support judge saw it."""

    text: str
    cites: tuple[int, ...] = Field(default=(), description="Citation numbers the sentence carries")
    supporting: tuple[int, ...] = Field(default=(), description="Those of `cites` whose quote supports it")
    reason: str = ""


class GroundingMetrics(Frozen):
    """The retrieval and grounding metrics a question has and a run averages (None where undefined)."""

    hit_at_1: float | None = None
    hit_at_5: float | None = None
    hit_at_10: float | None = None
    recall_at_10: float | None = None
    mrr: float | None = None
    citation_recall: float | None = None
    citation_precision: float | None = None
    groundedness: float | None = None
    uncited_share: float | None = None
    fact_recall: float | None = None


class QuestionScores(GroundingMetrics):
    """Every metric of one question; None where the metric is undefined for it (see metrics.py)."""

    forbidden: int = 0
    abstained: bool = False
    label: Label = "error"
    latency_ms: float = 0.0
    answer_chars: int = Field(0, description="Length of the answer text (a long answer finds facts more easily)")
    faithfulness: float | None = Field(default=None, description="LLM judge (RAGAS-style), if switched on")
    answer_relevancy: float | None = Field(default=None, description="LLM judge (RAGAS-style), if switched on")


class QuestionResult(Frozen):
    """One question answered by one system."""

    system: str = Field(description="'askear' or 'baseline'")
    question: Question
    answer: Answer | None = None
    error: str | None = None
    retrieved: tuple[str, ...] = Field(default=(), description="Candidate unit ids in rank order")
    judgements: tuple[SentenceJudgement, ...] = ()
    missing_facts: tuple[str, ...] = ()
    forbidden_found: tuple[str, ...] = ()
    scores: QuestionScores


class Aggregate(GroundingMetrics):
    """Means over the questions where each metric is defined; rates over questions that did not error."""

    n: int
    errors: int = 0
    forbidden: int = Field(0, description="Forbidden claims found, summed over questions")
    abstention_precision: float | None = None
    abstention_recall: float | None = None
    accurate_rate: float | None = None
    incomplete_rate: float | None = None
    hallucination_rate: float | None = None
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    answer_chars: float | None = Field(None, description="Mean answer length of the answered questions")
    faithfulness: float | None = None
    answer_relevancy: float | None = None


class SystemSummary(Frozen):
    name: str
    description: str
    overall: Aggregate
    kinds: dict[str, Aggregate]


class RunSummary(Frozen):
    """What `summary.json` holds."""

    created: str
    questions_file: str
    generator: str
    judge: str = Field(description="How sentence support was judged")
    index_generation: str
    workers: int
    systems: dict[str, SystemSummary]
