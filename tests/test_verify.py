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


# --- the fact checks an LLM paraphrase must pass ----------------------------------------------------------

from assistant.facts import missing_facts, source_facts  # noqa: E402
from assistant.verify import joint_support, support, verify_draft  # noqa: E402


def _support(sentence: str, unit: Unit = POLICY) -> str:
    result = support(sentence, Passage(n=1, unit=unit, text=unit.text))
    return "ok" if result.supported else result.reason


def test_rewordings_of_a_stated_fact_are_accepted() -> None:
    facts = source_facts("adding forty-two entities with a TPP of 4,800 or more on 12/19/22; 25 percent; § 744.11")
    for sentence in ("BIS added 42 entities", "a TPP of 4800", "on December 19, 2022", "on 19 Dec. 2022",
                     "in December 2022", "in 2022", "25% of the value", "under Part 744",
                     "under 15 CFR 744.11", "under 15 C.F.R. Part 744"):  # fmt: skip
        assert missing_facts(sentence, facts) == [], sentence


def test_changed_numbers_dates_cites_and_names_are_missing_facts() -> None:
    facts = source_facts("Yangtze Memory Technologies was added on 12/19/22 under § 744.11 (87 FR 77508).")
    assert missing_facts("added on December 12, 2022", facts) == ["December 12, 2022"]
    assert missing_facts("added in 2023", facts) == ["2023"]
    assert missing_facts("under § 744.11(b)", facts) == ["744.11(b)"]
    assert missing_facts("at 87 FR 77509", facts) == ["87 FR 77509"]
    assert missing_facts("Huawei was added", facts) == ["Huawei"]
    assert missing_facts("11 entities were added", facts) == ["11"]  # not the 11 inside 744.11
    assert missing_facts("under 29 CFR 744.11", facts) == ["29"]  # only title 15 goes without saying


def test_a_paraphrase_with_every_fact_in_the_source_is_supported() -> None:
    assert _support("Yangtze Memory Technologies is on the Entity List under China") == "ok"
    with_alias = POLICY.model_copy(update={"text": POLICY.text + "\nAliases: YMTC."})
    sentence = "YMTC's license review policy is a presumption of denial, per 87 FR 77508 of December 19, 2022"
    assert _support(sentence, with_alias) == "ok"
    assert _support(sentence) == "not in source: YMTC"  # without the alias line the name is not stated


def test_a_swapped_policy_or_status_word_is_not_supported() -> None:
    assert _support("The license review policy is a presumption of approval") == "not in source: approval"
    assert _support("The license review policy is case-by-case") == "not in source: case-by-case"
    assert _support("Yangtze Memory Technologies was removed from the Entity List") == "not in source: removed"


def test_an_added_or_dropped_negation_is_not_supported() -> None:
    assert _support("Yangtze Memory Technologies is not listed on the Entity List") == "negation not in source"
    hedged = POLICY.model_copy(update={"text": "It is not clear if the easing would include semiconductors."})
    assert _support("The easing would include semiconductors", hedged).startswith("drops the negation")
    # "may not ... without a license" restated as a requirement keeps its meaning.
    rule = POLICY.model_copy(update={"text": "You may not export the item to the entity without a license."})
    assert _support("A license is required to export the item to the entity", rule) == "ok"


def test_supplement_no_is_not_a_negation() -> None:
    unit = POLICY.model_copy(update={"text": POLICY.text + "\n(Supplement No. 4 to Part 744)"})
    assert _support("Yangtze Memory Technologies is on the Entity List, Supplement No. 4 to Part 744", unit) == "ok"


def test_the_quote_of_a_paraphrase_holds_the_source_sentences_that_carry_its_facts() -> None:
    result = support(
        "Yangtze Memory Technologies faces a presumption of denial under 87 FR 77508",
        Passage(n=1, unit=POLICY, text=POLICY.text),
    )
    assert result.supported
    assert all(piece in POLICY.text for piece in result.pieces)
    assert "87 FR 77508" in result.quote and "Presumption of denial" in result.quote


def test_a_sentence_combining_two_cited_sources_is_supported_by_both_together() -> None:
    sentence = "Yangtze Memory Technologies faces a presumption of denial and its reasons for control are RS, AT"
    passages = [Passage(n=1, unit=POLICY, text=POLICY.text), Passage(n=2, unit=ECCN, text=ECCN.text)]
    assert not support(sentence, passages[0]).supported and not support(sentence, passages[1]).supported
    joint = joint_support(sentence, passages)
    assert set(joint) == {1, 2} and all(j.supported for j in joint.values())
    verdict = verify_draft(_draft(DraftSentence(text=sentence, cites=(1, 2))))
    assert not verdict.abstained and verdict.kept[0].cites == (1, 2)


def test_a_similarity_can_lift_a_close_paraphrase_but_never_overrule_a_fact() -> None:
    close = "Yangtze Memory Technologies faces a presumption of denial stance overall"
    passage = Passage(n=1, unit=POLICY, text=POLICY.text)
    lexical = support(close, passage)
    assert not lexical.supported and 0.45 <= lexical.score < 0.6
    assert support(close, passage, lambda a, b: 0.9).supported
    assert not support(close.replace("denial", "approval"), passage, lambda a, b: 1.0).supported
    assert not support("Something else entirely about chips", passage, lambda a, b: 1.0).supported


def test_news_only_sentences_are_worded_as_reporting_when_asked() -> None:
    text = "The administration offered to scale back export controls.\nThe talks are taking place in London."
    news = Unit(id="article:x", title="Talks", source_type="news", source_id="news", publisher="Reuters", text=text)
    draft = Draft(passages=(Passage(n=1, unit=news, text=news.text),), sentences=(
        DraftSentence(text="The talks are taking place in London.", cites=(1,)),
        DraftSentence(text="The administration offered to scale back export controls.", cites=(1,)),
    ))  # fmt: skip
    verdict = verify_draft(draft, attribute_news=True)
    assert [s.text for s in verdict.kept] == [
        "According to news reporting, the talks are taking place in London.",
        "The administration offered to scale back export controls.",  # "offered" already reports
    ]
    assert verdict.notes and verify_draft(draft).kept[0].text == "The talks are taking place in London."
