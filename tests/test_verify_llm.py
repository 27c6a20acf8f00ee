"""The grounding verifier on the LLM path: a fake chat model stands in for the remote LLM, everything else
(composer, prompt, parsing, verification, Answer) is the real code, through Assistant.ask."""

from __future__ import annotations

import pytest

from assistant.assistant import NEWS_ONLY_NOTE
from assistant.compose.prompts import ABSTAIN_TEXT
from tests.llm_fakes import ECCN, NEWS, SECTION, YMTC, fake_assistant, fake_model

QUESTION = "Is Yangtze Memory Technologies Co., Ltd. on the Entity List and what license review policy applies?"
# Passage numbers as the model sees them: YMTC [1], § 744.11 [2], ECCN 3A090 [3], news [4].
TRUE_1 = "Yangtze Memory Technologies Co., Ltd. is on the Entity List under China [1]."
TRUE_2 = "Its license review policy is a presumption of denial [1]."


def _ask(monkeypatch: pytest.MonkeyPatch, reply: str, question: str = QUESTION, **settings: str):
    assistant, _ = fake_assistant(monkeypatch, fake_model(reply), **settings)
    return assistant.ask(question)


def test_an_invented_number_is_removed_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, f"{TRUE_1} It was added at 87 FR 91234 on 12/19/22 [1]. {TRUE_2}")
    assert not answer.abstained
    assert "91234" not in answer.answer
    assert answer.answer == (
        "Yangtze Memory Technologies Co., Ltd. is on the Entity List under China. [1] "
        "Its license review policy is a presumption of denial. [1]"
    )
    assert [r.text for r in answer.removed] == ["It was added at 87 FR 91234 on 12/19/22."]
    assert answer.removed[0].reason == "[1] not in source: 87 FR 91234"


def test_an_invented_date_or_percentage_is_removed(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(
        monkeypatch, f"{TRUE_1} It was listed on 3 March 2019 [1]. About 25% of its chips need a license [1]."
    )
    assert [r.text for r in answer.removed] == [
        "It was listed on 3 March 2019.",
        "About 25% of its chips need a license.",
    ]
    assert "2019" not in answer.answer and "25%" not in answer.answer


def test_a_true_number_reworded_by_the_model_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, "It was added to the Entity List at 87 FR 77508 on December 19, 2022 [1].")
    assert not answer.abstained and not answer.removed
    assert answer.sentences[0].supported and "87 FR 77508" in answer.citations[0].quote


def test_a_sentence_citing_the_wrong_source_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    # The policy is in the list record [1]; the model cites the ECCN entry [3].
    answer = _ask(monkeypatch, f"{TRUE_1} The license review policy is a presumption of denial [3].")
    assert [r.text for r in answer.removed] == ["The license review policy is a presumption of denial."]
    assert [c.id for c in answer.citations] == [YMTC.id]  # [3] is gone with its sentence
    assert ECCN.id not in answer.answer and "[2]" not in answer.answer


def test_a_sentence_citing_the_wrong_source_is_flagged_in_flag_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, f"{TRUE_1} The license review policy is a presumption of denial [3].", grounding="flag")
    assert not answer.removed
    assert "presumption of denial. (unverified) [2]" in answer.answer
    assert [s.supported for s in answer.sentences] == [True, False]
    assert [c.id for c in answer.citations] == [YMTC.id, ECCN.id]


def test_a_sentence_without_a_citation_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, f"Great question! {TRUE_1} YMTC is a major memory chip maker in Wuhan.")
    assert [r.text for r in answer.removed] == ["Great question!", "YMTC is a major memory chip maker in Wuhan."]
    assert all(r.reason == "cites no returned source" for r in answer.removed)
    assert answer.answer == "Yangtze Memory Technologies Co., Ltd. is on the Entity List under China. [1]"


def test_a_marker_beyond_the_sources_given_is_deleted(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, "Yangtze Memory Technologies Co., Ltd. is on the Entity List under China [1][9].")
    assert answer.answer.endswith("[1]") and "[9]" not in answer.answer and len(answer.citations) == 1


def test_when_nothing_supported_remains_the_answer_abstains(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, "YMTC was removed from the Entity List in 2024 [1]. Exports are now allowed [2].")
    assert answer.abstained and answer.answer == ABSTAIN_TEXT and answer.citations == []
    assert len(answer.removed) == 2


def test_the_models_abstention_is_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, ABSTAIN_TEXT)
    assert answer.abstained and answer.answer == ABSTAIN_TEXT and not answer.removed


def test_paraphrases_across_two_sources_keep_both_citations_with_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    reply = (
        "YMTC's license review policy is a presumption of denial [1]. "
        "A license is required for the export of any item subject to the EAR to an entity listed in "
        "Supplement No. 4 [2]."
    )
    answer = _ask(monkeypatch, reply)
    assert not answer.removed and [c.id for c in answer.citations] == [YMTC.id, SECTION.id]
    for citation, unit in zip(answer.citations, (YMTC, SECTION), strict=True):
        assert all(piece in unit.text for piece in citation.quote.split(" … "))
    assert answer.as_of == {"list": "2026-07-22", "regulation": "2026-07-22"}


def test_a_news_only_answer_is_worded_as_reporting_and_noted(monkeypatch: pytest.MonkeyPatch) -> None:
    # [4] is the news article; the model states it as fact.
    answer = _ask(
        monkeypatch,
        "The administration has offered to scale back some export controls on China [4]. "
        "Trade talks are in London [4].",
        question="What did the US offer China on export controls in the London talks?",
    )
    assert not answer.abstained and [c.source_type for c in answer.citations] == ["news"]
    assert answer.sentences[0].text.startswith("The administration has offered")  # "offered" reports already
    assert answer.sentences[1].text == "According to news reporting, trade talks are in London."
    assert NEWS_ONLY_NOTE in answer.notes


def test_news_stated_as_a_negation_it_hedges_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _ask(monkeypatch, "The easing would include controls affecting semiconductors [4].")
    assert answer.abstained and answer.removed[0].reason.startswith("[4] drops the negation of: It is not clear")
    assert NEWS.id not in answer.answer
