"""Party names in questions: found when named (even partly, by acronym or alias), never invented."""

from __future__ import annotations

import pytest

from assistant.route import find_parties, plan


@pytest.mark.parametrize(
    ("question", "expected", "matched"),
    [
        ("Is Yangtze Memory listed?", "list:EL:Yangtze Memory Technologies Co., Ltd.", "Yangtze Memory"),
        ("Is Huawei on the Entity List?", "list:EL:Huawei Technologies Co., Ltd. (Huawei)", "Huawei"),
        (
            "Is the Moscow Institute of Physics and Technology listed?",
            "list:EL:Moscow Institute of Physics and Technology",
            "Moscow Institute of Physics and Technology",
        ),
        ("Is MIPT on the Entity List?", "list:EL:Moscow Institute of Physics and Technology", "MIPT"),
        ("Is Dawning listed?", "list:EL:Sugon", "Dawning"),
        (
            "What license policy applies to SMIC Beijing?",
            "list:EL:Semiconductor Manufacturing International (Beijing) Corporation",
            "SMIC Beijing",
        ),
        (
            "is yangtze memory technologies listed",
            "list:EL:Yangtze Memory Technologies Co., Ltd.",
            "yangtze memory technologies",
        ),
        (
            "Does the Entity List include Hikvision?",
            "list:EL:Hangzhou Hikvision Digital Technology Co., Ltd.",
            "Hikvision",
        ),
        (
            "Tell me about the Federal Security Service",
            "list:EL:Federal Security Service (FSB)",
            "Federal Security Service",
        ),
        ("Is Almaz-Antey sanctioned?", "list:EL:Joint-Stock Company Concern Almaz-Antey", "Almaz-Antey"),
    ],
)
def test_named_parties_are_found(name_table, question: str, expected: str, matched: str) -> None:
    ids, texts = find_parties(question, name_table)
    assert expected in ids, ids
    assert texts == [matched]
    assert plan(question, name_table).route == "entity"


def test_binding_bis_lists_come_first(name_table) -> None:
    ids, _ = find_parties("Is SMIC listed?", name_table)
    assert ids[0] == "list:EL:Semiconductor Manufacturing International Corporation (SMIC)"
    assert "list:CMIC:Semiconductor Manufacturing International Corporation" in ids


@pytest.mark.parametrize(
    "question",
    [
        "Who won the 1998 World Cup?",
        "What does ECCN 3A090 control?",
        "What are the reasons for control for ECCN 3A090?",
        "What does 15 CFR 744.21 require?",
        "What is in Supplement No. 4 to Part 744?",
        "What is General Prohibition Ten?",
        "What did the US offer China on export controls in the London talks?",
        "When did BIS add entities to the Entity List in February 2023?",
        "What is license exception STA?",
        "Which countries are in Country Group D:5?",
        "What is the de minimis rule for foreign-made items?",
        "What does 744.11 say about the End-User Review Committee?",
        "What is a 'supercomputer' under the EAR?",
        "What are the red flags for diversion?",
        "What changed for semiconductor manufacturing equipment in October 2023?",
        "What is the capital of France?",
        "What does the Bureau of Industry and Security do?",
        "What is the Commerce Control List?",
        "Is Toyota Motor Corporation on the Entity List?",
        "Is Apple listed?",
    ],
)
def test_ordinary_questions_name_no_party(name_table, question: str) -> None:
    assert find_parties(question, name_table) == ([], [])
