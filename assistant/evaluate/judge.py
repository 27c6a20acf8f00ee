"""Support judges: is an answer sentence supported by the quotes it cites?

The default, `QuoteJudge`, needs no model. For each (sentence, citation) pair it checks that
    1. the citation names a unit that exists in the index,
    2. every piece of the citation's quote (pieces are joined by " … ") is exact text of that unit, and
    3. the sentence is supported by the *quote* (not the whole unit) under `assistant.verify.support`:
       verbatim, or content-word overlap ≥ 0.6 with every number, date, ECCN, CFR/FR cite and multi-word
       name of the sentence present in the quote.
Step 3 reuses the product's lexical test, but against the quote the user is shown rather than the unit
the verifier read, so a true sentence with a quote that does not show it still fails.

`LlmJudge` adds RAGAS-style faithfulness and answer relevancy (Es et al. 2023) from a LangChain chat model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from assistant.evaluate.results import SentenceJudgement
from assistant.models import Answer, Passage, Unit
from assistant.text import split_sentences
from assistant.verify import split_markers, support

QUOTE_SEPARATOR = " … "
_CITED_PIECE = re.compile(r".*?(?:\s*\[\d{1,3}\])+", re.DOTALL)

# Prompts of the LLM judge (after RAGAS). Parsers below depend on their output formats: one item a line.
STATEMENTS_PROMPT = (
    "Break the answer into short, self-contained factual statements, one per line, nothing else.\n\n"
    "Question: {question}\nAnswer: {answer}"
)
VERDICTS_PROMPT = (
    "Context:\n{context}\n\nFor each numbered statement, answer 'yes' if the context supports it and 'no' if it "
    "does not. Reply with one line per statement in order, 'yes' or 'no' only.\n\n{statements}"
)
QUESTIONS_PROMPT = (
    "Write {n} different questions that the following answer would answer, one per line, nothing else.\n\n"
    "Answer: {answer}"
)


def answer_sentences(answer: Answer) -> list[tuple[str, tuple[int, ...]]]:
    """(sentence, citation numbers) of an answer: the verifier's per-sentence data when present, else the
    answer text split into sentences with their [n] markers (answers built outside `Assistant.ask`)."""
    if answer.abstained:
        return []
    if answer.sentences:
        return [(s.text, tuple(s.cites)) for s in answer.sentences]
    # Markers close the text they cite ("A. B. [1] C. [2]"), so the text is cut after each marker group;
    # whatever follows the last marker is split into uncited sentences.
    out: list[tuple[str, tuple[int, ...]]] = []
    end = 0
    for match in _CITED_PIECE.finditer(answer.answer):
        text, cites = split_markers(match.group(0))
        if text:
            out.append((text, cites))
        end = match.end()
    tail = answer.answer[end:]
    out.extend((tail[a:b].strip(), ()) for a, b in split_sentences(tail) if tail[a:b].strip())
    return out


class QuoteJudge:
    """The default lexical judge: each cited quote must be exact text of its unit and must support the sentence."""

    name = "quote"
    description = (
        "lexical quote check: each cited quote must be exact text of the indexed unit, and the sentence must be "
        "verbatim in it or share ≥60% of its content words with it and every number, ECCN, CFR/FR cite and "
        "multi-word name (assistant.verify.support applied to the quote)"
    )

    def __init__(self, units: Callable[[str], Unit | None]) -> None:
        self._units = units

    def judge(self, answer: Answer) -> list[SentenceJudgement]:
        by_n = {c.n: c for c in answer.citations}
        out = []
        for text, cites in answer_sentences(answer):
            supporting, reasons = [], []
            for n in cites:
                ok, reason = self._pair(text, by_n.get(n), n)
                reasons.append(f"[{n}] {reason}")
                if ok:
                    supporting.append(n)
            reason = "; ".join(reasons) or "no citation"
            out.append(SentenceJudgement(text=text, cites=cites, supporting=tuple(supporting), reason=reason))
        return out

    def _pair(self, sentence: str, citation: Any, n: int) -> tuple[bool, str]:
        if citation is None:
            return False, "marker names no citation"
        unit = self._units(citation.id)
        if unit is None:
            return False, f"{citation.id} is not in the index"
        pieces = [p for p in citation.quote.split(QUOTE_SEPARATOR) if p.strip()]
        if not pieces:
            return False, "empty quote"
        if any(p.strip() not in unit.text for p in pieces):
            return False, "quote is not exact text of the unit"
        # One piece at a time first: the pieces are separate passages, and read as one text the words of one
        # (a negation, a number) would count against a sentence drawn from another. Then all of them, for a
        # sentence that draws on several.
        result = None
        for text in (*pieces, QUOTE_SEPARATOR.join(pieces)) if len(pieces) > 1 else pieces:
            shown = unit.model_copy(update={"text": text})
            result = support(sentence, Passage(n=n, unit=shown, text=text))
            if result.supported:
                break
        assert result is not None
        return result.supported, result.reason


class LlmJudge:
    """RAGAS-style faithfulness and answer relevancy from a LangChain chat model, beside the quote judge.

    faithfulness = share of the answer's statements (extracted by the model) that the model finds supported
    by the cited quotes; answer relevancy = mean cosine similarity between the question and `n_questions`
    questions the model writes for the answer. Both are None for an abstention.
    """

    name = "llm"

    def __init__(self, chat_model: Any, embed: Callable[[Sequence[str]], np.ndarray], n_questions: int = 3) -> None:
        self.chat_model = chat_model
        self._embed = embed
        self.n_questions = n_questions
        self.description = f"RAGAS-style faithfulness and answer relevancy by {_model_name(chat_model)}"

    def _ask(self, prompt: str) -> list[str]:
        reply = self.chat_model.invoke(prompt)
        content = reply.content if hasattr(reply, "content") else str(reply)
        lines = [line.strip().lstrip("-*•0123456789.) ").strip() for line in str(content).splitlines()]
        return [line for line in lines if line]

    def faithfulness(self, question: str, answer: Answer) -> float | None:
        if answer.abstained or not answer.citations:
            return None
        text, _ = split_markers(answer.answer)
        statements = self._ask(STATEMENTS_PROMPT.format(question=question, answer=text))
        if not statements:
            return None
        context = "\n".join(f"[{c.n}] {c.quote}" for c in answer.citations)
        numbered = "\n".join(f"{i}. {s}" for i, s in enumerate(statements, start=1))
        verdicts = self._ask(VERDICTS_PROMPT.format(context=context, statements=numbered))
        # A missing verdict counts as unsupported: the judge must vouch for every statement.
        yes = sum(1 for v in verdicts[: len(statements)] if v.lower().startswith("yes"))
        return yes / len(statements)

    def answer_relevancy(self, question: str, answer: Answer) -> float | None:
        if answer.abstained:
            return None
        text, _ = split_markers(answer.answer)
        generated = self._ask(QUESTIONS_PROMPT.format(n=self.n_questions, answer=text))[: self.n_questions]
        if not generated:
            return 0.0
        vectors = np.asarray(self._embed([question, *generated]), dtype=float)
        norms = np.linalg.norm(vectors, axis=1)
        norms[norms == 0] = 1.0
        unit = vectors / norms[:, None]
        return float(np.mean(unit[1:] @ unit[0]))


def _model_name(chat_model: Any) -> str:
    for attr in ("model_name", "model"):
        value = getattr(chat_model, attr, None)
        if isinstance(value, str):
            return value
    return type(chat_model).__name__
