"""End to end on the whole real corpus, through the public API."""

from __future__ import annotations

import re

import pytest

from assistant import Assistant
from assistant.errors import InvalidQuestion

pytestmark = pytest.mark.slow


def _assert_grounded(assistant: Assistant, answer) -> None:
    """Every [n] resolves to a returned citation whose quote is found in the indexed unit."""
    import re

    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert numbers == {c.n for c in answer.citations}
    for citation in answer.citations:
        unit = assistant.source(citation.id)
        assert unit is not None, citation.id
        for piece in citation.quote.split(" … "):
            assert piece in unit.text, (citation.id, piece)


def test_entity_list_question_cites_the_entry_policy_and_fr(real_assistant) -> None:
    answer = real_assistant.ask(
        "Is Yangtze Memory Technologies on the Entity List and what license review policy applies?"
    )
    assert not answer.abstained
    ids = [c.id for c in answer.citations]
    assert "list:EL:Yangtze Memory Technologies Co., Ltd." in ids
    assert "Presumption of denial" in answer.answer and "87 FR 77508" in answer.answer
    assert any(c.source_type == "list" for c in answer.citations)
    _assert_grounded(real_assistant, answer)


def test_eccn_question_cites_the_ccl_entry_with_reasons(real_assistant) -> None:
    answer = real_assistant.ask("What are the reasons for control for ECCN 3A090?")
    assert not answer.abstained
    assert answer.citations[0].id.startswith("ECCN 3A090")
    assert "RS" in answer.answer and "AT" in answer.answer
    _assert_grounded(real_assistant, answer)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What does 15 CFR 744.21 require?", "15 CFR 744.21"),
        ("What is in Supplement No. 8 to Part 744?", "15 CFR 744 Supp. 8"),
        ("What does ECCN 5A002.a control?", "ECCN 5A002.a"),
        ("What did Federal Register document 2025-00636 do?", "FR 2025-00636"),
        ("What is General Prohibition Ten in 736.2(b)(10)?", "15 CFR 736.2(b)(10)"),
    ],
)
def test_a_cited_unit_is_retrieved_and_cited(real_assistant, question: str, expected: str) -> None:
    answer = real_assistant.ask(question)
    assert not answer.abstained, question
    assert any(c.id == expected or c.id.startswith(expected) for c in answer.citations), [
        c.id for c in answer.citations
    ]
    _assert_grounded(real_assistant, answer)


def test_news_question_cites_the_article_as_news(real_assistant) -> None:
    answer = real_assistant.ask("What did the US offer China on export controls in the London talks?")
    assert not answer.abstained
    news = [c for c in answer.citations if c.source_type == "news"]
    assert news and news[0].id.startswith("article:")
    _assert_grounded(real_assistant, answer)


@pytest.mark.parametrize(
    "question",
    ["What is the capital of France?", "How do I bake sourdough bread at home?", "Who won the 1998 World Cup?"],
)
def test_off_topic_question_abstains(real_assistant, question: str) -> None:
    answer = real_assistant.ask(question)
    assert answer.abstained and answer.citations == []
    assert answer.answer == "The indexed sources do not answer this."


def test_an_on_topic_question_about_a_time_no_source_is_of_abstains(real_assistant) -> None:
    # Close in meaning to indexed rules; no indexed source is of that month.
    answer = real_assistant.ask("What did BIS announce about quantum computers in March 2031?")
    assert answer.abstained and answer.citations == []


@pytest.mark.parametrize(
    ("question", "table", "row"),
    [
        ("Which Commerce Country Chart columns are marked for Japan?", "15 CFR 738 Supp. 1", "Japan"),
        ("Is Norway in Country Group A:5?", "15 CFR 740 Supp. 1", "Norway"),
    ],
)
def test_a_named_table_row_is_quoted_from_its_supplement(real_assistant, question: str, table: str, row: str) -> None:
    answer = real_assistant.ask(question)
    quoted = [c for c in answer.citations if c.id == table]
    assert quoted, [c.id for c in answer.citations]
    # The row itself ("Japan (footnote 3) — CB 1: X; …"), not only a column list that happens to name the country.
    assert re.search(rf"(^|\] ){row}( \(footnote \d+\))? — ", answer.answer), answer.answer


def test_empty_and_huge_questions_are_refused_clearly(real_assistant) -> None:
    with pytest.raises(InvalidQuestion, match="empty"):
        real_assistant.ask("   ")
    with pytest.raises(InvalidQuestion, match="limit"):
        real_assistant.ask("export " * 2000)


def test_answer_json_is_the_public_contract(real_assistant) -> None:
    answer = real_assistant.ask("Is SMIC on the Entity List?")
    data = answer.model_dump()
    assert {"question", "answer", "abstained", "citations", "timings"} <= data.keys()
    for c in data["citations"]:
        assert {"n", "id", "title", "source_type", "date", "url", "quote"} <= c.keys()
    assert data["timings"]["total"] > 0
