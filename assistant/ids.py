"""Citation ids: the public contract for naming a unit.

Forms (kept exactly; extend, never rename):
    15 CFR 744.11(b)(1)    regulation paragraph        15 CFR 744.11    section
    15 CFR 744 Supp. 4     supplement                  ECCN 3A090 / ECCN 3A090.a   CCL entry / item
    list:EL:<name>         screening-list record       FR 2025-00636    Federal Register document
    article:<id>           news article
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ECCN_RE = re.compile(r"\b(\d[A-E]\d{3})((?:\.[a-z0-9]+)*)\b", re.IGNORECASE)
_SECTION_RE = re.compile(
    r"(?:15\s*C\.?F\.?R\.?\s*(?:§+\s*)?|§+\s*|\bsection\s+|\bsec\.\s*)?"
    r"\b(7[3-7]\d)\.(\d{1,3})((?:\([a-zA-Z0-9]{1,5}\))*)"
)
_SUPP_RE = re.compile(
    r"\bsupp(?:lement)?\.?\s*(?:no\.?\s*)?(\d{1,2})\s*(?:to|of)\s*(?:part\s*)?(7[3-7]\d)\b"
    r"|\b(?:15\s*CFR\s*)?(?:part\s*)?(7[3-7]\d)\s*supp(?:lement)?\.?\s*(?:no\.?\s*)?(\d{1,2})\b",
    re.IGNORECASE,
)
_FR_DOC_RE = re.compile(r"\b((?:19|20)\d{2}-\d{5})\b")
_PARA_RE = re.compile(r"\(([a-zA-Z0-9]{1,5})\)")


def cfr_id(part: int | str, section: int | str | None = None, paragraph: str = "") -> str:
    """`15 CFR 744`, `15 CFR 744.11`, `15 CFR 744.11(b)(1)`."""
    if section is None:
        return f"15 CFR {part}"
    return f"15 CFR {part}.{section}{paragraph}"


def supplement_id(part: int | str, number: int | str) -> str:
    return f"15 CFR {part} Supp. {int(number)}"


def eccn_id(eccn: str, item: str | None = None) -> str:
    code = eccn[:1] + eccn[1:2].upper() + eccn[2:]
    return f"ECCN {code}.{item}" if item else f"ECCN {code}"


def list_id(list_code: str, name: str) -> str:
    return f"list:{list_code}:{' '.join(name.split())}"


def fr_id(document_number: str) -> str:
    return f"FR {document_number.strip()}"


def article_id(article: str) -> str:
    return f"article:{article}"


@dataclass(frozen=True, slots=True)
class Mention:
    """A citation id found in free text, with how specific it is."""

    id: str
    kind: str  # section | paragraph | supplement | eccn | fr


def find_ids(text: str) -> list[Mention]:
    """Citation ids a question names explicitly, in order of appearance, without duplicates.

    Recognises `744.11`, `§ 744.11(b)(1)`, `15 CFR 744.21`, `Supp. 4 to part 744`, `Supplement No. 4 to
    Part 744`, `part 744 supp. 4`, `3A090`, `ECCN 5A002.a` and Federal Register document numbers such as
    `2025-00636`.
    """
    found: list[tuple[int, Mention]] = []
    for m in _SECTION_RE.finditer(text):
        part, section, paras = m.group(1), m.group(2), m.group(3) or ""
        mid = cfr_id(part, section, paras)
        found.append((m.start(), Mention(mid, "paragraph" if paras else "section")))
    for m in _SUPP_RE.finditer(text):
        number, part = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.append((m.start(), Mention(supplement_id(part, number), "supplement")))
    for m in ECCN_RE.finditer(text):
        code, items = m.group(1).upper(), m.group(2)
        found.append((m.start(), Mention(eccn_id(code, items.lstrip(".") or None), "eccn")))
    for m in _FR_DOC_RE.finditer(text):
        found.append((m.start(), Mention(fr_id(m.group(1)), "fr")))
    seen: set[str] = set()
    out: list[Mention] = []
    for _, mention in sorted(found, key=lambda pair: pair[0]):
        if mention.id not in seen:
            seen.add(mention.id)
            out.append(mention)
    return out


def ancestors(unit_id: str) -> list[str]:
    """Enclosing ids, nearest first: `15 CFR 744.11(b)(1)` → `15 CFR 744.11(b)`, `15 CFR 744.11`;
    `ECCN 3A090.a.1` → `ECCN 3A090.a`, `ECCN 3A090`."""
    out: list[str] = []
    if unit_id.startswith("15 CFR ") and "(" in unit_id:
        base, _, rest = unit_id.partition("(")
        paras = _PARA_RE.findall("(" + rest)
        for i in range(len(paras) - 1, 0, -1):
            out.append(base + "".join(f"({p})" for p in paras[:i]))
        out.append(base)
    elif unit_id.startswith("ECCN ") and "." in unit_id:
        parts = unit_id.split(".")
        for i in range(len(parts) - 1, 0, -1):
            out.append(".".join(parts[:i]))
    return out


def source_kind(unit_id: str) -> str:
    """The id form: paragraph, section, supplement, part, eccn, list, fr or article."""
    if unit_id.startswith("list:"):
        return "list"
    if unit_id.startswith("FR "):
        return "fr"
    if unit_id.startswith("article:"):
        return "article"
    if unit_id.startswith("ECCN "):
        return "eccn"
    if " Supp. " in unit_id:
        return "supplement"
    if "(" in unit_id:
        return "paragraph"
    return "section" if "." in unit_id else "part"
