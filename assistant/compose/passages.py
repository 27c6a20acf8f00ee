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
            # Chunks in reading order, each widened to whole lines so no sentence is cut at a chunk edge;
            # pieces are joined by line breaks, so every sentence stays a substring of the unit.
            ordered = sorted({h.chunk.id: h for h in unit_hits}.values(), key=lambda h: h.chunk.ordinal)
            text = "\n".join(_widen(unit.text, h.chunk.text) for h in ordered)
        route = tuple(dict.fromkeys(s for h in unit_hits for s in h.sources))
        passages.append(Passage(n=len(passages) + 1, unit=unit, text=text, route=route))
        if len(passages) >= limit:
            break
    return passages


def _widen(text: str, piece: str, reach: int = 600) -> str:
    """`piece` extended to the line breaks around it in `text` (at most `reach` characters each way)."""
    start = text.find(piece)
    if start < 0:
        return piece
    end = start + len(piece)
    left = text.rfind("\n", max(0, start - reach), start)
    right = text.find("\n", end, end + reach)
    new_start = left + 1 if left >= 0 else (0 if start <= reach else start)
    new_end = right if right >= 0 else (len(text) if len(text) - end <= reach else end)
    return text[new_start:new_end]
