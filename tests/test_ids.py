from assistant.ids import (
    ancestors,
    article_id,
    cfr_id,
    eccn_id,
    find_ids,
    fr_id,
    list_id,
    source_kind,
    supplement_id,
)


def test_every_citation_form_is_formed_exactly() -> None:
    assert cfr_id(744, 11, "(b)(1)") == "15 CFR 744.11(b)(1)"
    assert cfr_id(744, 11) == "15 CFR 744.11"
    assert supplement_id(744, 4) == "15 CFR 744 Supp. 4"
    assert eccn_id("3a090") == "ECCN 3A090"
    assert eccn_id("3A090", "a") == "ECCN 3A090.a"
    assert list_id("EL", "Yangtze Memory  Technologies Co., Ltd.") == "list:EL:Yangtze Memory Technologies Co., Ltd."
    assert fr_id("2025-00636") == "FR 2025-00636"
    assert article_id("seed-x") == "article:seed-x"


def test_find_ids_recognises_the_ways_people_cite() -> None:
    cases = {
        "What does 744.11 say?": ["15 CFR 744.11"],
        "Explain § 744.21(a)(1) please": ["15 CFR 744.21(a)(1)"],
        "See 15 CFR 734.9(e)(2)": ["15 CFR 734.9(e)(2)"],
        "What is in Supp. 4 to part 744?": ["15 CFR 744 Supp. 4"],
        "Supplement No. 1 to Part 740 lists groups": ["15 CFR 740 Supp. 1"],
        "What does ECCN 3A090 control?": ["ECCN 3A090"],
        "Is 5A002.a encryption?": ["ECCN 5A002.a"],
        "What did FR 2025-00636 change?": ["FR 2025-00636"],
    }
    for text, expected in cases.items():
        assert [m.id for m in find_ids(text)] == expected, text


def test_find_ids_ignores_plain_numbers_and_orders_by_position() -> None:
    assert find_ids("I have 3 chips worth $1,000 in 2024") == []
    ids = [m.id for m in find_ids("Does 3A090 fall under 742.6 or 744.23?")]
    assert ids == ["ECCN 3A090", "15 CFR 742.6", "15 CFR 744.23"]


def test_ancestors_and_kinds() -> None:
    assert ancestors("15 CFR 744.11(b)(1)") == ["15 CFR 744.11(b)", "15 CFR 744.11"]
    assert ancestors("ECCN 3A090.a.1") == ["ECCN 3A090.a", "ECCN 3A090"]
    assert ancestors("15 CFR 744.11") == []
    assert source_kind("15 CFR 744 Supp. 4") == "supplement"
    assert source_kind("15 CFR 744.11(b)") == "paragraph"
    assert source_kind("15 CFR 744.11") == "section"
    assert source_kind("list:EL:X") == "list"
    assert source_kind("FR 2025-00636") == "fr"
    assert source_kind("article:x") == "article"
    assert source_kind("ECCN 3A090") == "eccn"
