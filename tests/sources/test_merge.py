"""dedupe: one unit per id, the regulation's list row over the CSL, full FR text over an abstract."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from assistant.models import ListEntry, Unit
from assistant.names import normalize
from assistant.sources.base import ParseContext
from assistant.sources.csl import parse as parse_csl
from assistant.sources.ear_lists import parse_list_rows
from assistant.sources.merge import dedupe

ID = "list:EL:Acme Co., Ltd."


def _list_unit(source_id: str, text: str, **entry: object) -> Unit:
    fields: dict[str, object] = {"list_code": "EL", "list_name": source_id, "name": "Acme Co., Ltd."} | entry
    return Unit(
        id=ID,
        title="Acme Co., Ltd.",
        source_type="list",
        source_id=source_id,
        text=text,
        date="2026-07-22" if source_id == "ecfr-744" else "2026-07-31",
        url=f"https://example.test/{source_id}",
        entry=ListEntry.model_validate(fields),
    )


def _unit(uid: str, text: str, source_id: str = "x", **fields: object) -> Unit:
    return Unit.model_validate(
        {"id": uid, "title": uid, "source_type": "federal_register", "source_id": source_id, "text": text} | fields
    )


REGULATION = _list_unit(
    "ecfr-744",
    "Acme Co., Ltd. is listed on the Entity List (Supplement No. 4 to Part 744 of the EAR) under China.",
    aliases=("Acme",),
    countries=("CHINA, PEOPLE'S REPUBLIC OF",),
    addresses=("1 Road, Wuhan, China",),
    license_requirement="For all items subject to the EAR. (See § 744.11 of the EAR)",
    license_policy="Presumption of denial",
    federal_register="87 FR 77508, 12/19/22",
)
CSL = _list_unit(
    "csl",
    "Acme Co., Ltd. is listed on the Entity List (EL) - Bureau of Industry and Security.",
    aliases=("Acme", "ACME Photonics"),
    countries=("CN", "HK"),
    license_requirement="For All Items Subject to the EAR.",
    license_policy="Presumption for denial",
    federal_register="87 FR 77508",
    entity_type="Entity",
)


@pytest.mark.parametrize("order", ["regulation first", "csl first"])
def test_regulation_row_wins_and_entry_fields_union(order: str) -> None:
    units = [REGULATION, CSL] if order == "regulation first" else [CSL, REGULATION]
    (merged,) = dedupe(units)
    assert merged.text == REGULATION.text and merged.source_id == "ecfr-744"
    assert (merged.date, merged.url) == (REGULATION.date, REGULATION.url)
    entry = merged.entry
    assert entry is not None
    assert entry.aliases == ("Acme", "ACME Photonics")
    assert entry.countries == ("CHINA, PEOPLE'S REPUBLIC OF", "CN", "HK")
    assert entry.license_policy == "Presumption of denial"
    assert entry.license_requirement == REGULATION.entry.license_requirement  # type: ignore[union-attr]
    assert entry.federal_register == "87 FR 77508, 12/19/22"
    assert entry.entity_type == "Entity"  # filled from the CSL where the regulation has none


def test_policy_fields_fall_back_to_the_csl_when_the_table_has_none() -> None:
    meu_row = _list_unit("ecfr-744", "X is listed on the MEU List.", list_code="MEU")
    csl = _list_unit("csl", "X is listed on the MEU List (CSL).", list_code="MEU", license_requirement="For any item")
    (merged,) = dedupe([csl, meu_row])
    assert merged.text == meu_row.text
    assert merged.entry is not None and merged.entry.license_requirement == "For any item"


def test_federal_register_full_text_wins_and_keeps_metadata() -> None:
    abstract = _unit("FR 2025-00636", "Short abstract.", "federal-register", date="2025-01-16", url="https://fr.test/a")
    full = _unit("FR 2025-00636", "Full text of the rule, much longer than the abstract.", "fr-full-text")
    (merged,) = dedupe([abstract, full])
    assert merged.text == full.text and merged.source_id == "fr-full-text"
    assert (merged.date, merged.url) == ("2025-01-16", "https://fr.test/a")


def test_other_ids_first_wins_and_order_is_stable() -> None:
    a1, b, a2, c = _unit("a", "first a"), _unit("b", "b"), _unit("a", "second, longer a"), _unit("c", "c")
    out = dedupe([a1, b, a2, REGULATION, c, CSL])
    assert [u.id for u in out] == ["a", "b", ID, "c"]
    assert out[0] is a1 and out[1] is b


def test_real_entity_list_row_and_csl_record(shared_data: Path) -> None:
    xml, jsonl = shared_data / "ear/ecfr-xml/title-15_part-744.xml", shared_data / "entities/csl_2026-07-31.jsonl"
    if not (xml.is_file() and jsonl.is_file()):
        pytest.skip("Part 744 XML or CSL JSONL not found")
    (div9,) = etree.parse(str(xml)).getroot().xpath('//DIV9[@N="Supplement No. 4 to Part 744"]')
    regulation = list(parse_list_rows(div9, ParseContext(source_id="ecfr-744", kind="regulation"), "744", 4))
    csl = list(parse_csl(jsonl, ParseContext(source_id="csl", kind="list", as_of="2026-07-31")))
    merged = dedupe([*csl, *regulation])
    keys = {(u.entry.list_code, normalize(u.entry.name)) for u in regulation if u.entry}
    folded = [u for u in csl if u.entry and (u.entry.list_code, normalize(u.entry.name)) in keys]
    exact = {u.id for u in regulation} & {u.id for u in csl}
    assert len(folded) > len(exact) > 3000  # punctuation variants ("Co. Ltd.") fold in too
    assert len(merged) == len(csl) + len(regulation) - len(folded)
    assert all(
        u.id.startswith("list:EL:") is False
        or u.source_id == "ecfr-744"
        or (u.entry and (u.entry.list_code, normalize(u.entry.name)) not in keys)
        for u in merged
    )
    ymtc = next(u for u in merged if u.id == "list:EL:Yangtze Memory Technologies Co., Ltd.")
    assert ymtc.source_id == "ecfr-744" and ymtc.entry is not None
    assert ymtc.entry.license_policy == "Presumption of denial" and "CN" in ymtc.entry.countries
