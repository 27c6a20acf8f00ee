"""Follow-up condensation: a question that refers back becomes a standalone question before retrieval."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import BaseMessage

from assistant.condense import condense, condense_rules, refers_back, subjects
from tests.llm_fakes import YMTC, fake_assistant, fake_model

HUAWEI = [
    {"role": "user", "content": "Is Huawei Technologies on the Entity List?"},
    {"role": "assistant", "content": "Huawei Technologies Co., Ltd. is listed on the Entity List. [1]"},
]
ECCN_TURN = [{"role": "user", "content": "What are the reasons for control for ECCN 3A090?"}]


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        (HUAWEI, "and what about its Shenzhen subsidiary?", "What about Huawei Technologies' Shenzhen subsidiary?"),
        (
            HUAWEI,
            "What license review policy applies to it?",
            "What license review policy applies to Huawei Technologies?",
        ),
        (HUAWEI, "Is that company also on the MEU list?", "Is Huawei Technologies also on the MEU list?"),
        (HUAWEI, "What about SMIC?", "Is SMIC on the Entity List?"),
        (HUAWEI, "And the license review policy?", "The license review policy (Huawei Technologies)?"),
        (ECCN_TURN, "What license exceptions apply to it?", "What license exceptions apply to ECCN 3A090?"),
        (ECCN_TURN, "And for 4A090?", "What are the reasons for control for ECCN 4A090?"),
        (ECCN_TURN, "What does that ECCN cover?", "What does ECCN 3A090 cover?"),
    ],
)
def test_rules_carry_the_last_subject_into_a_follow_up(history: list, question: str, standalone: str) -> None:
    assert condense_rules(question, history) == standalone


@pytest.mark.parametrize(
    "question",
    [
        "What does 15 CFR 744.21 require?",  # names its own subject, refers to nothing
        "Is it true that SMIC is on the Entity List?",  # a dummy "it"
        "Is Yangtze Memory Technologies listed on the Entity List under China?",
    ],
)
def test_a_standalone_question_is_left_alone(question: str) -> None:
    assert condense_rules(question, HUAWEI) == question


def test_without_a_previous_user_turn_nothing_changes() -> None:
    assert condense("What about its subsidiary?", None) == "What about its subsidiary?"
    assert condense("What about its subsidiary?", [{"role": "assistant", "content": "Hello"}]) == (
        "What about its subsidiary?"
    )
    malformed: Any = [{"role": "system", "content": "Is Huawei listed?"}, "junk", {"role": "user"}]
    assert condense("What about its subsidiary?", malformed) == "What about its subsidiary?"


def test_the_subject_comes_from_the_last_user_turn_that_named_one() -> None:
    history = [*HUAWEI, {"role": "user", "content": "What license policy applies to it?"}]
    assert condense_rules("Is it also on the MEU list?", history) == "Is Huawei Technologies also on the MEU list?"


def test_subjects_are_ids_and_names_in_order() -> None:
    assert subjects("Can I ship ECCN 3A090 chips to Yangtze Memory Technologies under 744.11?") == [
        "ECCN 3A090",
        "Yangtze Memory Technologies",
        "15 CFR 744.11",
    ]
    assert subjects("Is it listed?", parties=lambda text: []) == []
    assert refers_back("What about its parent?") and not refers_back("What is the de minimis rule?")


class RecordingChatModel(GenericFakeChatModel):
    """GenericFakeChatModel that also keeps the messages it was sent."""

    seen: ClassVar[list[list[BaseMessage]]] = []

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(messages)
        return super()._generate(messages, *args, **kwargs)


def test_a_chat_model_rewrites_the_follow_up_from_the_conversation() -> None:
    model = RecordingChatModel(
        messages=iter(["Standalone question: Is Huawei's Shenzhen subsidiary on the Entity List?"])
    )
    RecordingChatModel.seen.clear()
    out = condense("and what about its Shenzhen subsidiary?", HUAWEI, model)
    assert out == "Is Huawei's Shenzhen subsidiary on the Entity List?"
    system, human = model.seen[0]
    assert "standalone question" in str(system.content)
    assert "user: Is Huawei Technologies on the Entity List?" in str(human.content)
    assert "assistant: Huawei Technologies Co., Ltd. is listed" in str(human.content)
    assert str(human.content).rstrip().endswith("Standalone question:")


def test_an_unusable_model_rewrite_falls_back_to_the_rules() -> None:
    rambling = fake_model("Huawei Technologies is a Chinese company. " * 40)
    assert condense("What license review policy applies to it?", HUAWEI, rambling) == (
        "What license review policy applies to Huawei Technologies?"
    )

    class Down(GenericFakeChatModel):
        def _generate(self, *args: Any, **kwargs: Any) -> Any:
            raise ConnectionError("LLM server unreachable")

    assert condense("What license review policy applies to it?", HUAWEI, Down(messages=iter([]))) == (
        "What license review policy applies to Huawei Technologies?"
    )


def test_ask_retrieves_with_the_standalone_question_and_says_how_it_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    condensed = "What license review policy applies to Yangtze Memory Technologies Co., Ltd.?"
    reply = "Its license review policy is a presumption of denial [1]."
    assistant, pipeline = fake_assistant(monkeypatch, fake_model(condensed, reply))
    history = [
        {"role": "user", "content": "Is Yangtze Memory Technologies Co., Ltd. on the Entity List?"},
        {"role": "assistant", "content": "Yangtze Memory Technologies Co., Ltd. is listed on the Entity List. [1]"},
    ]
    answer = assistant.ask("What license review policy applies to it?", history=history)
    assert [p.question for p in pipeline.plans] == [condensed]
    assert pipeline.plans[0].entities == (YMTC.id,)  # the party is found in the standalone question
    assert answer.question == "What license review policy applies to it?"
    assert answer.notes[0] == f"Read as a follow-up: {condensed}"
    assert not answer.abstained and answer.citations[0].id == YMTC.id


def test_ask_without_history_does_not_call_the_model_to_condense(monkeypatch: pytest.MonkeyPatch) -> None:
    assistant, pipeline = fake_assistant(
        monkeypatch, fake_model("Its license review policy is a presumption of denial [1].")
    )
    answer = assistant.ask("What license review policy applies to Yangtze Memory Technologies Co., Ltd.?")
    assert pipeline.plans[0].question == answer.question and not answer.abstained
    assert not any(n.startswith("Read as a follow-up") for n in answer.notes)


@pytest.mark.slow
def test_extractive_follow_up_on_the_real_index_answers_about_the_earlier_party(real_assistant) -> None:
    history = [{"role": "user", "content": "Is Yangtze Memory Technologies on the Entity List?"}]
    answer = real_assistant.ask("What license review policy applies to it?", history=history)
    assert not answer.abstained
    assert any(c.id == YMTC.id for c in answer.citations)
    assert "Presumption of denial" in answer.answer
    assert any("Yangtze Memory Technologies" in n for n in answer.notes if n.startswith("Read as a follow-up"))
