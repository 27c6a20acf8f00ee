"""Run a question set through the assistant (and optionally the dense baseline) and score every answer.

Retrieval metrics need the candidate list `ask` does not return, so the runner repeats ask's route and
retrieve steps with the same settings (`retrieved_units`); the query vector is cached by the embedder, so
this costs one extra retrieval per question, outside the timed `ask`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from assistant.evaluate import metrics
from assistant.evaluate.judge import LlmJudge, QuoteJudge
from assistant.evaluate.questions import KINDS, Question
from assistant.evaluate.results import QuestionResult, QuestionScores, RunSummary, SystemSummary
from assistant.models import Answer
from assistant.retrieve import retrieve

Progress = Callable[[QuestionResult], None]
SYSTEMS = ("askear", "baseline")


def retrieved_units(assistant: Any, question: str) -> list[str]:
    """The unit ids `ask` would hand its composer, in rank order (route + retrieve with ask's settings)."""
    question = assistant.check_question(question)
    the_plan = assistant.plan(question)
    vector = assistant.embedder.encode_query(question)
    hits = retrieve(the_plan, assistant.index, vector, assistant.settings.retrieve)
    return metrics.unit_ranking(h.chunk.unit_id for h in hits)


def score(
    question: Question, answer: Answer, retrieved: Sequence[str], judge: QuoteJudge, latency_ms: float,
    system: str, llm_judge: LlmJudge | None = None,
) -> QuestionResult:  # fmt: skip
    """Every metric of one answer (see metrics.py for the definitions)."""
    judgements = judge.judge(answer)
    text = "" if answer.abstained else answer.answer
    missing = metrics.missing_facts(question.facts, text)
    forbidden = metrics.forbidden_found(question.forbid, text)
    facts = metrics.fact_recall(question.facts, text) if question.answerable else None
    cite, ranked = question.cite, list(retrieved)
    retrieval: dict[str, float | None] = {}
    if question.answerable:
        retrieval = {
            "hit_at_1": metrics.hit_at_k(cite, ranked, 1),
            "hit_at_5": metrics.hit_at_k(cite, ranked, 5),
            "hit_at_10": metrics.hit_at_k(cite, ranked, 10),
            "recall_at_10": metrics.recall_at_k(cite, ranked, 10),
            "mrr": metrics.reciprocal_rank(cite, ranked),
            "citation_recall": metrics.citation_recall(cite, [c.id for c in answer.citations]),
        }
    extra: dict[str, float | None] = {}
    if llm_judge is not None:
        extra = {
            "faithfulness": llm_judge.faithfulness(question.question, answer),
            "answer_relevancy": llm_judge.answer_relevancy(question.question, answer),
        }
    scores = QuestionScores(
        **retrieval,
        **extra,
        citation_precision=metrics.citation_precision(judgements),
        groundedness=metrics.groundedness(judgements),
        uncited_share=metrics.uncited_share(judgements),
        fact_recall=facts,
        forbidden=len(forbidden),
        abstained=answer.abstained,
        label=metrics.classify(question.answerable, answer.abstained, facts, len(forbidden), judgements),
        latency_ms=round(latency_ms, 1),
        answer_chars=len(text),
    )
    return QuestionResult(
        system=system, question=question, answer=answer, retrieved=tuple(ranked[:20]), judgements=tuple(judgements),
        missing_facts=tuple(missing), forbidden_found=tuple(forbidden), scores=scores,
    )  # fmt: skip


def _error(question: Question, system: str, exc: Exception, latency_ms: float) -> QuestionResult:
    return QuestionResult(
        system=system, question=question, error=f"{type(exc).__name__}: {exc}",
        scores=QuestionScores(label="error", latency_ms=round(latency_ms, 1)),
    )  # fmt: skip


def evaluate_question(
    question: Question, assistant: Any, judge: QuoteJudge, baseline: Any | None = None,
    llm_judge: LlmJudge | None = None,
) -> list[QuestionResult]:  # fmt: skip
    """Ask one question (and the baseline); an exception becomes an `error` result, never a crashed run."""
    out = []
    start = time.perf_counter()
    try:
        answer = assistant.ask(question.question)
        latency = (time.perf_counter() - start) * 1000
        out.append(score(question, answer, retrieved_units(assistant, question.question), judge, latency,
                         "askear", llm_judge))  # fmt: skip
    except Exception as exc:  # the run goes on; the error is reported per question and gated on
        out.append(_error(question, "askear", exc, (time.perf_counter() - start) * 1000))
    if baseline is not None:
        start = time.perf_counter()
        try:
            base_answer, base_retrieved = baseline.answer(question.question)
            latency = (time.perf_counter() - start) * 1000
            out.append(score(question, base_answer, base_retrieved, judge, latency, "baseline", llm_judge))
        except Exception as exc:
            out.append(_error(question, "baseline", exc, (time.perf_counter() - start) * 1000))
    return out


def run(
    questions: Sequence[Question], assistant: Any, judge: QuoteJudge, baseline: Any | None = None,
    llm_judge: LlmJudge | None = None, workers: int = 1, progress: Progress | None = None,
) -> list[QuestionResult]:  # fmt: skip
    """Evaluate every question; results come back in question order whatever the number of workers.

    With workers > 1 questions run concurrently, so per-question latency includes waiting for the CPU."""
    assistant.warm_up()

    def one(q: Question) -> list[QuestionResult]:
        results = evaluate_question(q, assistant, judge, baseline, llm_judge)
        if progress is not None:
            progress(results[0])
        return results

    if workers <= 1:
        batches = [one(q) for q in questions]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            batches = list(pool.map(one, questions))
    return [r for batch in batches for r in batch]


def summarize(
    results: Sequence[QuestionResult], *, questions_file: str, generator: str, judge: str, index_generation: str,
    workers: int, descriptions: dict[str, str],
) -> RunSummary:  # fmt: skip
    """Aggregate results per system, overall and per kind."""
    systems = {}
    for system in SYSTEMS:
        rows = [r for r in results if r.system == system]
        if not rows:
            continue
        kinds = {}
        for kind in KINDS:
            of_kind = [r for r in rows if r.question.kind == kind]
            if of_kind:
                kinds[kind] = metrics.aggregate([r.scores for r in of_kind], [r.question.answerable for r in of_kind])
        overall = metrics.aggregate([r.scores for r in rows], [r.question.answerable for r in rows])
        systems[system] = SystemSummary(
            name=system, description=descriptions.get(system, system), overall=overall, kinds=kinds
        )
    return RunSummary(
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        questions_file=questions_file,
        generator=generator,
        judge=judge,
        index_generation=index_generation,
        workers=workers,
        systems=systems,
    )
