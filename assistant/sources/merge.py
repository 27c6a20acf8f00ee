"""One unit per citation id across all sources.

Several sources can produce the same id: the Entity List row in Supp. No. 4 to Part 744 (source `ecfr-744`)
and the CSL's copy of it are both `list:EL:<name>`; a Federal Register document can arrive as an API
abstract (`federal-register`) and as full text (`fr-full-text`), both `FR <number>`. `dedupe` keeps one
unit per id by these rules:

1. List ids (`list:…`): the row from the regulation itself (a unit whose source_id starts with `ecfr`, e.g.
   `ecfr-744`) wins over the CSL projection because it is the binding text. The winner keeps its own text,
   title, heading path, url, date and source_id, so quotes taken from the text stay exact. Of its entry it
   keeps the license requirement, license review policy and Federal Register citation, taking a field
   from the other unit only where the winner has none (the UVL and MEU tables carry no policy columns).
   Aliases, countries and addresses are unioned, winner's first; the union is not written into the
   text (that would put words in the regulation's mouth). Programs and entity type are filled in the
   same way. Without a regulation row the first unit wins and the same union applies.
2. Federal Register ids (`FR …`): the unit with the longer text (the full text over an abstract) wins; it
   takes date, url and publisher from the other where it has none. Equal lengths: the first wins.
3. Any other id: the first unit wins, the rest are dropped.
4. A CSL record whose name differs from a regulation row of the same list only in punctuation or legal
   form ("Co. Ltd." for "Co., Ltd.", "Razryad JSC" for "Razryad, JSC") is the same party: it is merged
   into the regulation row by rule 1 and takes its id (the name as the regulation publishes it).

Output order is stable: each id appears at the position of its first unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.models import ListEntry, Unit
from assistant.names import normalize


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for group in groups:
        for value in group:
            if value:
                out.setdefault(value, None)
    return tuple(out)


def _merge_entries(winner: ListEntry | None, other: ListEntry | None) -> ListEntry | None:
    if winner is None or other is None:
        return winner or other
    return winner.model_copy(
        update={
            "aliases": _union(winner.aliases, other.aliases),
            "countries": _union(winner.countries, other.countries),
            "addresses": _union(winner.addresses, other.addresses),
            "license_requirement": winner.license_requirement or other.license_requirement,
            "license_policy": winner.license_policy or other.license_policy,
            "federal_register": winner.federal_register or other.federal_register,
            "programs": winner.programs or other.programs,
            "entity_type": winner.entity_type or other.entity_type,
        }
    )


def _is_regulation(unit: Unit) -> bool:
    return unit.source_id.startswith("ecfr")


def _merge_list(units: list[Unit]) -> Unit:
    # A stable sort puts the regulation's rows first and otherwise keeps the order of appearance.
    ranked = sorted(units, key=lambda u: not _is_regulation(u))
    winner = ranked[0]
    entry = winner.entry
    for other in ranked[1:]:
        entry = _merge_entries(entry, other.entry)
    return winner.model_copy(update={"entry": entry})


def _merge_fr(units: list[Unit]) -> Unit:
    # max() returns the first of equal-length texts, so ties go to the earlier unit.
    winner = max(units, key=lambda u: len(u.text))
    update: dict[str, str] = {}
    for field in ("date", "url", "publisher"):
        if getattr(winner, field) is None:
            value = next((getattr(u, field) for u in units if getattr(u, field) is not None), None)
            if value is not None:
                update[field] = value
    return winner.model_copy(update=update) if update else winner


def dedupe(units: Iterable[Unit]) -> list[Unit]:
    """Merge units that share an id (rules in the module docstring); order of first appearance."""
    units = list(units)
    regulation_rows: dict[tuple[str, str], str] = {}
    for unit in units:
        if unit.entry is not None and _is_regulation(unit):
            regulation_rows.setdefault((unit.entry.list_code, normalize(unit.entry.name)), unit.id)
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        key = unit.id
        if unit.entry is not None and not _is_regulation(unit):
            key = regulation_rows.get((unit.entry.list_code, normalize(unit.entry.name)), unit.id)
        groups.setdefault(key, []).append(unit)
    out: list[Unit] = []
    for uid, group in groups.items():
        if len(group) == 1:
            out.append(group[0])
        elif uid.startswith("list:"):
            out.append(_merge_list(group))
        elif uid.startswith("FR "):
            out.append(_merge_fr(group))
        else:
            out.append(group[0])
    return out
