"""Names reduced to what distinguishes one party from another."""

from __future__ import annotations

import pytest

from assistant.screening.countries import country_code, country_codes
from assistant.screening.normalize import initialism, name_tokens, name_variants, normalize, translit_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Yangtze Memory Technologies Co., Ltd.", "YANGTZE MEMORY TECHNOLOGY"),  # case, legal form, plural
        ("Huawei Technologies Co., Ltd.", "huawei technologies company limited"),
        ("Türkiye Şişe ve Cam Fabrikaları A.Ş.", "Turkiye Sise ve Cam Fabrikalari AS"),  # diacritics, dotless i
        ("Joint-Stock Company Concern Almaz-Antey", "Concern Almaz Antey JSC"),  # multi-word legal form
        ("OOO Gazprom Tsentrremont", "Obshchestvo s Ogranichennoi Otvetstvennostyu Gazprom Tsentrremont"),
        ("Acme GmbH", "ACME L.L.C."),
        ("Acme Limted", "Acme"),  # a misspelt long legal form is still a legal form
        ("Semiconductor Mfg Intl Corp.", "Semiconductor Manufacturing International Corporation"),
        ("Xi'an Aero Engine", "Xian Aero-Engine"),
        ("R&D Center", "R and D Centre"),
        ("ООО «Алмаз-Антей»", "Almaz-Antey"),  # Cyrillic
    ],
)
def test_equivalent_spellings_normalise_alike(a: str, b: str) -> None:
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hermes", "Herme"),  # plurals fold only for common nouns, never for names
        ("SMT-K", "SMT"),  # a one-letter word is not the legal form "KK"
        ("Sony", "Sonu"),
        ("Joint Research Institute", "Research Institute"),  # "joint" alone is not a legal form
    ],
)
def test_different_names_stay_different(a: str, b: str) -> None:
    assert normalize(a) != normalize(b)


def test_a_name_made_only_of_legal_words_keeps_them() -> None:
    assert name_tokens("The Company Limited") == ("company", "limited")


@pytest.mark.parametrize(
    "spellings",
    [
        ("antey", "antei", "antej"),
        ("obukhovskiy", "obuhovsky", "obukhovskij"),
        ("tsentr", "centr"),
        ("yevgeny", "evgeniy"),
        ("class", "klass"),
        ("concern", "kontsern"),
    ],
)
def test_transliteration_variants_share_a_key(spellings: tuple[str, ...]) -> None:
    assert len({translit_key(s) for s in spellings}) == 1


def test_pinyin_j_and_y_are_kept_apart() -> None:
    assert translit_key("jin") != translit_key("yin")


def _variants(name: str) -> list[tuple[str, str]]:
    return [(v.text, v.kind) for v in name_variants(name)]


def test_aka_parts_become_names_of_their_own() -> None:
    assert _variants("Kreig; a.k.a. Cow Craig; a.k.a. Hall Jermaine") == [
        ("Kreig", "name"),
        ("Cow Craig", "aka"),
        ("Hall Jermaine", "aka"),
    ]
    assert _variants("PEARL (A.K.A. NEI-CHIEN CHU) LI") == [("PEARL LI", "name"), ("NEI-CHIEN CHU", "aka")]
    assert ("DELTA LOGISTICS, B.V.", "aka") in _variants(
        "AVIATION SERVICES INTERNATIONAL, B.V. ALSO KNOWN AS DELTA LOGISTICS, B.V."
    )


def test_a_trailing_bracket_is_an_acronym_or_short_name() -> None:
    smic = _variants("Semiconductor Manufacturing International Corporation (SMIC)")
    assert ("Semiconductor Manufacturing International Corporation", "name") in smic
    assert ("SMIC", "acronym") in smic
    assert ("Huawei", "alias") in _variants("Huawei Technologies Co., Ltd. (Huawei)")


def test_a_bracket_that_is_not_an_acronym_stays_in_the_name() -> None:
    # In an all-capital name capitals say nothing: "(LONDON)" does not spell the initials.
    assert _variants("NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED") == [
        ("NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED", "name")
    ]
    # A bracket inside a longer name names the parent, not this institute.
    assert _variants("China State Shipbuilding Corporation, Limited (CSSC) 7th Research Academy") == [
        ("China State Shipbuilding Corporation, Limited (CSSC) 7th Research Academy", "name")
    ]


def test_an_affiliate_is_matched_by_its_own_name_and_descriptions_are_cut() -> None:
    assert _variants(
        "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Beijing Huawei Longshine Information "
        "Technology Co., Ltd."
    ) == [("Beijing Huawei Longshine Information Technology Co., Ltd.", "name")]
    assert _variants(
        "Ministry of Defence of the Russian Federation, including the Armed Forces of Russia and all operating units"
    ) == [("Ministry of Defence of the Russian Federation", "name")]
    assert name_variants("including the following alias", "alias") == []


def test_initialism() -> None:
    assert initialism("YMTC", "Yangtze Memory Technologies Co., Ltd.")
    assert initialism("MIPT", "Moscow Institute of Physics and Technology")
    assert not initialism("DOV", "KAHANE CHAI")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN", "CN"),
        ("cn", "CN"),
        ("China", "CN"),
        ("CHINA, PEOPLE'S REPUBLIC OF", "CN"),
        ("Russian Federation", "RU"),
        ("TÜRKIYE", "TR"),
        ("MAN, ISLE OF", "IM"),
        ("REGION: WEST BANK", "PS"),
        ("Burma", "MM"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_country_codes_and_names_agree(text: str, code: str | None) -> None:
    assert country_code(text) == code


def test_a_records_country_fields_become_one_set_of_codes() -> None:
    assert country_codes(("CHINA, PEOPLE'S REPUBLIC OF", "CN", "HK", "REGION: KASHMIR")) == {"CN", "HK"}
