from assistant.models import Draft, DraftSentence, Passage, Unit
from assistant.verify import ABSTAIN_TEXT, hard_facts, split_markers, verify

POLICY = Unit(
    id="list:EL:Yangtze Memory Technologies Co., Ltd.", title="Yangtze Memory Technologies Co., Ltd.",
    source_type="list", source_id="ecfr-744", date="2026-07-22",
    text="Yangtze Memory Technologies Co., Ltd. is listed on the Entity List under China.\n"
    "License review policy: Presumption of denial\nFederal Register citation: 87 FR 77508, 12/19/22.",
)  # fmt: skip
ECCN = Unit(id="ECCN 3A090", title="ECCN 3A090", source_type="regulation", source_id="ecfr-774",
            text="3A090 Integrated circuits as follows.\nReason for Control: RS, AT")  # fmt: skip


def _draft(*sentences: DraftSentence) -> Draft:
    return Draft(passages=(Passage(n=1, unit=POLICY, text=POLICY.text), Passage(n=2, unit=ECCN, text=ECCN.text)),
                 sentences=sentences)  # fmt: skip


def test_verbatim_sentences_keep_their_citation_and_quote() -> None:
    text, citations, _kept, removed, abstained = verify(
        _draft(DraftSentence(text="License review policy: Presumption of denial", cites=(1,)))
    )
    assert not abstained and not removed
    assert text == "License review policy: Presumption of denial [1]"
    assert citations[0].id == POLICY.id and citations[0].quote in POLICY.text


def test_phantom_marker_is_deleted_and_uncited_sentence_dropped() -> None:
    text, citations, _kept, removed, _ = verify(
        _draft(
            DraftSentence(text="Reason for Control: RS, AT", cites=(2, 7)),
            DraftSentence(text="It is widely believed to be fine.", cites=()),
        )
    )
    assert "[7]" not in text and text.endswith("[1]")  # renumbered: the only cited source is [1]
    assert [c.id for c in citations] == ["ECCN 3A090"]
    assert removed[0].text == "It is widely believed to be fine."


def test_invented_number_is_not_supported() -> None:
    _, _, _, removed, abstained = verify(
        _draft(DraftSentence(text="Yangtze Memory Technologies was listed at 91 FR 12345.", cites=(1,)))
    )
    assert abstained and "91 FR 12345" in removed[0].reason


def test_sentence_citing_the_wrong_source_is_removed_or_flagged() -> None:
    wrong = DraftSentence(text="License review policy: Presumption of denial", cites=(2,))
    _, _, _, removed, abstained = verify(_draft(wrong))
    assert abstained and removed
    right = DraftSentence(text="Reason for Control: RS, AT", cites=(2,))
    text, _, kept, removed, abstained = verify(_draft(right, wrong), mode="flag")
    assert not abstained and not removed
    assert "Presumption of denial (unverified)" in text and [s.supported for s in kept] == [True, False]


def test_nothing_supported_abstains() -> None:
    text, citations, *_rest, abstained = verify(_draft())
    assert abstained and text == ABSTAIN_TEXT and citations == []


def test_helpers() -> None:
    assert split_markers("Text [1][3].") == ("Text.", (1, 3))
    facts = hard_facts("ECCN 3A090 was amended at 87 FR 77508 on 12/19/22 by Yangtze Memory Technologies.")
    assert "3A090" in facts and "87 FR 77508" in facts and "12/19/22" in facts
    assert any("Yangtze Memory Technologies" in f for f in facts)
