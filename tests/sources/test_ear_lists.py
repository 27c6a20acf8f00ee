"""The Entity List, Unverified List and MEU List tables of the real Part 744 eCFR XML (2026-07-22)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from lxml import etree

from assistant.models import Unit
from assistant.sources.base import ParseContext
from assistant.sources.ear_lists import list_rows, parse_list_rows, split_entity

XML = "ear/ecfr-xml/title-15_part-744.xml"
CSL = "entities/csl_2026-07-31.jsonl"
CTX = ParseContext(source_id="ecfr-744", kind="regulation", as_of="2026-07-22")
YMTC = "list:EL:Yangtze Memory Technologies Co., Ltd."


@pytest.fixture(scope="module")
def part744(shared_data: Path) -> etree._Element:
    path = shared_data / XML
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return etree.parse(str(path)).getroot()


def _div9(root: etree._Element, number: int) -> etree._Element:
    (div,) = root.xpath(f'//DIV9[@N="Supplement No. {number} to Part 744"]')
    return div


@pytest.fixture(scope="module")
def units(part744: etree._Element) -> dict[int, list[Unit]]:
    out: dict[int, list[Unit]] = {}
    for number in (4, 6, 7):
        start = time.perf_counter()
        out[number] = list(parse_list_rows(_div9(part744, number), CTX, "744", number))
        print(f"Supp. {number}: {len(out[number])} units in {time.perf_counter() - start:.2f}s")
    return out


def _by_id(units: list[Unit]) -> dict[str, Unit]:
    return {u.id: u for u in units}


def test_supp4_has_3415_rows_with_country_carried_forward(part744: etree._Element) -> None:
    rows = list_rows(_div9(part744, 4), 4)
    assert len(rows) == 3415
    assert all(row.country for row in rows)
    afghan = next(r for r in rows if r.entity.startswith("Afghan-German Construction Company"))
    assert afghan.country_cell == "" and afghan.country == "AFGHANISTAN"
    ymtc = next(r for r in rows if r.entity.startswith("Yangtze Memory Technologies Co., Ltd."))
    assert ymtc.country_cell == "" and ymtc.country == "CHINA, PEOPLE'S REPUBLIC OF"
    assert ymtc.license_policy == "Presumption of denial"


def test_ymtc_unit(units: dict[int, list[Unit]]) -> None:
    unit = _by_id(units[4])[YMTC]
    entry = unit.entry
    assert entry is not None
    assert unit.title == entry.name == "Yangtze Memory Technologies Co., Ltd."
    assert (unit.source_type, unit.source_id, unit.date) == ("list", "ecfr-744", "2026-07-22")
    assert unit.url is not None and unit.url.endswith("appendix-Supplement%20No.%204%20to%20Part%20744")
    assert unit.heading_path == (
        "Supplement No. 4 to Part 744 — Entity List",
        "CHINA, PEOPLE'S REPUBLIC OF",
        "Yangtze Memory Technologies Co., Ltd.",
    )
    assert entry.list_code == "EL" and entry.list_name == "Entity List (Supplement No. 4 to Part 744)"
    assert entry.aliases == ("Changjiang Cunchu", "YMTC", "Changjiang Storage Technology")
    assert entry.countries == ("CHINA, PEOPLE'S REPUBLIC OF",)
    assert entry.license_policy == "Presumption of denial"
    assert entry.license_requirement == "For all items subject to the EAR. (See § 744.11 of the EAR)"
    assert entry.federal_register == "87 FR 77508, 12/19/22"
    assert len(entry.addresses) == 6 and entry.addresses[0].startswith("88 Weilai 3rd Road")
    lines = unit.text.split("\n")
    assert lines[0] == (
        "Yangtze Memory Technologies Co., Ltd. is listed on the Entity List "
        "(Supplement No. 4 to Part 744 of the EAR) under China."
    )
    assert "Aliases: Changjiang Cunchu; YMTC; Changjiang Storage Technology." in lines
    assert "License review policy: Presumption of denial" in lines
    assert "Federal Register citation: 87 FR 77508, 12/19/22." in lines


def test_ids_unique_and_rows_merged_across_countries(units: dict[int, list[Unit]]) -> None:
    for number, found in units.items():
        assert len({u.id for u in found}) == len(found), number
    ghoura = _by_id(units[4])["list:EL:Abdul Satar Ghoura"]
    assert ghoura.entry is not None and ghoura.entry.countries == ("AFGHANISTAN", "PAKISTAN")
    assert "under Afghanistan." in ghoura.text and "under Pakistan." in ghoura.text
    assert len(ghoura.entry.addresses) == 4
    # 3,415 rows: 4 continue the entry above them, the rest list 3,253 distinct names.
    assert len(units[4]) == 3253


def test_several_cites_fractions_and_continuations(units: dict[int, list[Unit]]) -> None:
    by_id = _by_id(units[4])
    y_sing = by_id["list:EL:Y-Sing Components Limited"].entry
    assert y_sing is not None and y_sing.federal_register == "73 FR 54503, 9/22/08; 85 FR 83769, 12/23/20"
    eco = by_id["list:EL:Ecotherm-Cryo Limited"].entry
    assert eco is not None and eco.addresses[0].startswith("1 1⁄2 Miles Northern Highway")  # not a footnote
    huawei = by_id["list:EL:Huawei Technologies Co., Ltd."]
    assert "Entry continued: Affiliated entities:" in huawei.text
    gazprom = by_id["list:EL:Gazprom Flot, OOO"].entry  # the f.k.a. name is an alias
    assert gazprom is not None and "Obshchestvo S Ogranichennoi Otvetstvennostyu Gazflot" in gazprom.aliases


def test_uvl_and_meu(part744: etree._Element, units: dict[int, list[Unit]]) -> None:
    uvl_rows, meu_rows = list_rows(_div9(part744, 6), 6), list_rows(_div9(part744, 7), 7)
    print(f"UVL rows {len(uvl_rows)} units {len(units[6])}; MEU rows {len(meu_rows)} units {len(units[7])}")
    assert (len(uvl_rows), len(units[6])) == (186, 185)  # Piricas Trading Company: Armenia and the UAE
    assert (len(meu_rows), len(units[7])) == (86, 70)  # 4 [Reserved] rows dropped; 16 headings list no one
    piricas = _by_id(units[6])["list:UVL:Piricas Trading Company"]
    assert piricas.entry is not None and piricas.entry.countries == ("ARMENIA", "UNITED ARAB EMIRATES")
    assert piricas.entry.federal_register == "85 FR 64017, October 9, 2020"
    assert piricas.text.startswith(
        "Piricas Trading Company is listed on the Unverified List (Supplement No. 6 to Part 744 of the EAR) under"
    )
    meu = _by_id(units[7])
    assert not any("Subordinate instit" in uid or "The following" in uid for uid in meu)
    aecc = meu["list:MEU:AECC Aviation Power Co. Ltd."]
    assert "Subordinate institution of Aero-Engine Company of China." in aecc.text
    assert aecc.url is not None and aecc.url.endswith("Supplement%20No.%207%20to%20Part%20744")
    skyrizon = meu["list:MEU:Beijing Skyrizon Aviation Industry Investment Co., Ltd."].entry
    assert skyrizon is not None and skyrizon.aliases == ("Beijing Tianjiao Aviation Industry Investment Company",)
    anhui = meu["list:MEU:Anhui Yingliu Hangyuan Power"]
    assert "Subordinate institution" not in anhui.text  # a row with its own citation ends the group


def test_other_supplements_yield_nothing(part744: etree._Element) -> None:
    assert list(parse_list_rows(_div9(part744, 1), CTX, "744", 1)) == []


def test_names_match_the_csl(shared_data: Path, part744: etree._Element) -> None:
    csl = shared_data / CSL
    if not csl.is_file():
        pytest.skip(f"{csl} not found")
    names: dict[str, set[str]] = {"EL": set(), "UVL": set(), "MEU": set()}
    with csl.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["source_code"] in names:
                names[record["source_code"]].add(" ".join(record["name"].split()))
    rates = {}
    for number, code in ((4, "EL"), (6, "UVL"), (7, "MEU")):
        rows = [r for r in list_rows(_div9(part744, number), number) if not r.entity.rstrip().endswith(":")]
        hits = sum(" ".join(split_entity(r.entity, r.country).name.split()) in names[code] for r in rows)
        rates[code] = hits / len(rows)
        print(f"{code}: {hits}/{len(rows)} names equal a CSL {code} name ({rates[code]:.1%})")
    assert rates["EL"] >= 0.90
    assert rates["UVL"] >= 0.85


@pytest.mark.parametrize(
    ("cell", "name", "aliases", "rest"),
    [
        ("Razryad JSC, 233 Kosta Avenue, Russia.", "Razryad JSC", [], "233 Kosta Avenue, Russia."),
        ("Signet Express Co., Ltd., Room 9-11, Hong Kong.", "Signet Express Co., Ltd.", [], "Room 9-11, Hong Kong."),
        (
            "HiSilicon Technologies Co., Ltd (HiSilicon), Bantian, China.",
            "HiSilicon Technologies Co., Ltd (HiSilicon)",
            [],
            "Bantian, China.",
        ),
        ("Kelvo Inc\n6600 21st Avenue, Laval, Canada", "Kelvo Inc", [], "6600 21st Avenue, Laval, Canada"),
        (
            "Beijing Ander Tech. Co., Ltd. No. C22, Yu An Rd., China",
            "Beijing Ander Tech. Co., Ltd.",
            [],
            "No. C22, Yu An Rd., China",
        ),
        (
            "Spars Ltd., a.k.a. Spars Trading Ltd., Room 1, Tbilisi",
            "Spars Ltd.",
            ["Spars Trading Ltd."],
            "Room 1, Tbilisi",
        ),
        (
            "Mesbah Energy Company (a.k.a. “MEC”), 77 Armaghan St, Tehran",
            "Mesbah Energy Company",
            ["“MEC”"],
            "77 Armaghan St, Tehran",
        ),
        (
            "Lim Yong Nam, (a.k.a. Lin Rongnan, Steven Lim and Yong Nam Lim), Shenzhen",
            "Lim Yong Nam",
            ["Lin Rongnan", "Steven Lim", "Yong Nam Lim"],
            "Shenzhen",
        ),
        (
            "X Co., a.k.a., the following two aliases:\n—Alpha; and\n—Bravo Trading.\nRoom 1, Wuhan, China.",
            "X Co.",
            ["Alpha", "Bravo Trading"],
            "Room 1, Wuhan, China.",
        ),
        (
            "AP Co., a.k.a., the following one alias: —AP-Voskhod. 19 Tkatskaya St., Moscow",
            "AP Co.",
            ["AP-Voskhod"],
            "19 Tkatskaya St., Moscow",
        ),
        (
            "Tactical Missile Corporation, NPO Electromechanics, 31 Mendeleev St, Russia.",
            "Tactical Missile Corporation, NPO Electromechanics",
            [],
            "31 Mendeleev St, Russia.",
        ),
        (
            "Zorsecurity Center (f.k.a., Esage Lab), a.k.a., the following one alias:\n—TSOR Security\nMoscow, Russia.",
            "Zorsecurity Center",
            ["Esage Lab", "TSOR Security"],
            "Moscow, Russia.",
        ),
        ("Ali Mehdipour Omrani.", "Ali Mehdipour Omrani", [], ""),
        ("Safinat Group. South Sudan.", "Safinat Group", [], "South Sudan"),
    ],
)
def test_split_entity_shapes(cell: str, name: str, aliases: list[str], rest: str) -> None:
    parsed = split_entity(cell, "SOUTH SUDAN")
    assert (parsed.name, parsed.aliases, parsed.rest) == (name, aliases, rest)
