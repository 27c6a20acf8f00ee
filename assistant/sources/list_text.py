"""What the screening-list parsers (`csl`, `ear_lists`) share: a listed name's merged record, its readable
lines and the `list:…` unit it becomes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.models import ListEntry, Unit
from assistant.sources.base import ParseContext, one_line


def add_unique(items: list[str], values: Iterable[str]) -> None:
    """Append the values not yet in `items`, in order; empty values are skipped."""
    for value in values:
        if value and value not in items:
            items.append(value)


def listed_line(name: str, where: str) -> str:
    """The first line of a record's text: `<name> is listed on the <where>.`"""
    return f"{name} is listed on the {where}."


def field_lines(fields: Iterable[tuple[str, str]]) -> list[str]:
    """`Label: value` lines, each value on one line, for the fields that have a value.

    Every value is copied from the record or row, so any line can be quoted as the source has it.
    """
    return [f"{label}: {one_line(value)}" for label, value in fields if value]


@dataclass(kw_only=True)
class ListRecord:
    """One listed name, gathering every record or row that lists it; each field keeps distinct values in order."""

    name: str
    aliases: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)

    def add(
        self,
        *,
        aliases: Iterable[str] = (),
        countries: Iterable[str] = (),
        addresses: Iterable[str] = (),
        requirement: str = "",
        policy: str = "",
    ) -> None:
        add_unique(self.aliases, aliases)
        add_unique(self.countries, countries)
        add_unique(self.addresses, addresses)
        add_unique(self.requirements, [requirement])
        add_unique(self.policies, [policy])

    def unit(
        self,
        uid: str,
        ctx: ParseContext,
        *,
        list_code: str,
        list_name: str,
        heading_path: tuple[str, ...],
        text: str,
        url: str | None,
        federal_register: str | None,
        programs: str | None = None,
        entity_type: str | None = None,
    ) -> Unit:
        """The record's `list` unit; several requirements or policies (from several rows) are joined by " | "."""
        entry = ListEntry(
            list_code=list_code,
            list_name=list_name,
            name=self.name,
            aliases=tuple(self.aliases),
            countries=tuple(self.countries),
            addresses=tuple(self.addresses),
            license_requirement=" | ".join(self.requirements) or None,
            license_policy=" | ".join(self.policies) or None,
            federal_register=federal_register,
            programs=programs,
            entity_type=entity_type,
        )
        return Unit(
            id=uid,
            title=self.name,
            heading_path=heading_path,
            source_type="list",
            source_id=ctx.source_id,
            text=text,
            date=ctx.as_of,
            url=url,
            entry=entry,
        )
