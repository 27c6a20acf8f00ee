"""Hits → numbered passages (one per unit, best first): what every composer is given and may cite."""

from __future__ import annotations

from collections.abc import Callable

from assistant.models import Hit, Passage, Unit

WHOLE_UNIT_CHARS = 2500


def number_passages(hits: list[Hit], units: Callable[[str], Unit | None], limit: int = 10) -> list[Passage]:
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.chunk.unit_id, []).append(hit)
    passages: list[Passage] = []
    for unit_id, unit_hits in grouped.items():
        unit = units(unit_id)
        if unit is None:
            continue
        if len(unit.text) <= WHOLE_UNIT_CHARS:
            # A paragraph is read whole: its lead sentence (the caption, "General Prohibition Ten - ...") is
            # often in another chunk than the one that matched.
            text = unit.text
        else:
            # Chunks in reading order; lines never straddle two chunks, so every sentence stays a unit substring.
            ordered = sorted({h.chunk.id: h for h in unit_hits}.values(), key=lambda h: h.chunk.ordinal)
            text = "\n".join(h.chunk.text for h in ordered)
        route = tuple(dict.fromkeys(s for h in unit_hits for s in h.sources))
        passages.append(Passage(n=len(passages) + 1, unit=unit, text=text, route=route))
        if len(passages) >= limit:
            break
    return passages
