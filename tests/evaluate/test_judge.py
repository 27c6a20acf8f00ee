"""The quote judge (default) and the RAGAS-style LLM judge with LangChain's fake chat model."""

from __future__ import annotations

import numpy as np
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.evaluate.judge import LlmJudge, QuoteJudge, answer_sentences
from assistant.models import Answer, SentenceSupport, Unit
from tests.evaluate.conftest import citation


def test_verbatim_sentences_with_exact_quotes_are_supported(units, good_answer) -> None:
    judgements = QuoteJudge(units.get).judge(good_answer)
    assert [jd.supporting for jd in judgements] == [(1,), (2,)]


def test_a_quote_that_is_not_text_of_the_unit_fails(units, good_answer) -> None:
    forged = good_answer.model_copy(
        update={"citations": [good_answer.citations[0], citation(2, "15 CFR 762.6(a)", "retained for one year")]}
    )
    judgements = QuoteJudge(units.get).judge(forged)
    assert judgements[1].supporting == ()
    assert "not exact text" in judgements[1].reason


def test_a_true_sentence_whose_quote_does_not_show_it_fails(units) -> None:
    # The unit says five years, but the quote the reader sees does not: the judge reads the quote.
    sentence = "Records must be retained for five years."
    answer = Answer(
        question="q", answer=f"{sentence} [1]", abstained=False,
        citations=[citation(1, "15 CFR 762.6(a)", "(a) All records required to be kept by the EAR")],
        sentences=[SentenceSupport(text=sentence, cites=(1,), supported=True)],
    )  # fmt: skip
    assert QuoteJudge(units.get).judge(answer)[0].supporting == ()


def test_phantom_marker_and_unknown_unit_are_unsupported(units) -> None:
    answer = Answer(
        question="q", answer="Policy is denial. [1] Something else. [7]", abstained=False,
        citations=[citation(1, "15 CFR 999.1", "Policy is denial.")],
    )  # fmt: skip
    judgements = QuoteJudge(units.get).judge(answer)
    assert [jd.cites for jd in judgements] == [(1,), (7,)]  # parsed from the text: no per-sentence data
    assert all(jd.supporting == () for jd in judgements)
    assert "not in the index" in judgements[0].reason and "names no citation" in judgements[1].reason


def test_abstention_has_no_sentences(good_answer) -> None:
    assert answer_sentences(good_answer.model_copy(update={"abstained": True})) == []


def _embed(texts):
    # Questions that mention "records" point one way, everything else another: a deterministic fake embedder.
    return np.array([[1.0, 0.0] if "records" in t.lower() else [0.0, 1.0] for t in texts])


def test_llm_judge_faithfulness_is_share_of_supported_statements(good_answer) -> None:
    model = FakeListChatModel(responses=["Policy is presumption of denial.\nRecords kept five years.\nA third claim.",
                                         "yes\nyes\nno"])  # fmt: skip
    judge = LlmJudge(model, _embed)
    assert judge.faithfulness("q", good_answer) == pytest.approx(2 / 3)


def test_llm_judge_counts_missing_verdicts_as_unsupported(good_answer) -> None:
    model = FakeListChatModel(responses=["one\ntwo", "yes"])
    assert LlmJudge(model, _embed).faithfulness("q", good_answer) == 0.5


def test_llm_judge_answer_relevancy_is_mean_cosine_of_generated_questions(good_answer) -> None:
    model = FakeListChatModel(responses=["How long are records kept?\nWhat records must be kept?\nWho is YMTC?"])
    judge = LlmJudge(model, _embed)
    assert judge.answer_relevancy("How long must records be kept?", good_answer) == pytest.approx(2 / 3)


def test_llm_judge_skips_abstentions(good_answer) -> None:
    judge = LlmJudge(FakeListChatModel(responses=["unused"]), _embed)
    abstained = good_answer.model_copy(update={"abstained": True})
    assert judge.faithfulness("q", abstained) is None and judge.answer_relevancy("q", abstained) is None


def test_each_quote_piece_is_read_on_its_own() -> None:
    # Read as one text, the second piece's negation would count against a sentence quoted verbatim from the first.
    s1 = "The annual limit applies to all exporters to the same consignee."
    s2 = "There is no restriction on the number of shipments."
    unit = Unit(id="15 CFR 740.29(d)", title="(d)", source_type="regulation", source_id="t", text=f"{s2} {s1}")
    answer = Answer(
        question="q", answer=f"{s1} [1]", abstained=False,
        citations=[citation(1, unit.id, f"{s1} … {s2}")],
        sentences=[SentenceSupport(text=s1, cites=(1,), supported=True)],
    )  # fmt: skip
    assert QuoteJudge({unit.id: unit}.get).judge(answer)[0].supporting == (1,)
