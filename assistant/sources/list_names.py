"""Cutting the name, the aliases and the addresses out of an entity cell of the Entity, Unverified or MEU list.

A row's entity cell runs the name, the aliases and the addresses together, in a few shapes:

    Name, <address>; and <address>.
    Name, a.k.a., the following two aliases:<br/>—A; and<br/>—B.<br/><address>
    Name, a.k.a. X, a.k.a. Y, <address>          Name (a.k.a. X and Y), <address>
    Name (f.k.a., Old Name), a.k.a., ...         Parent Corporation, Joint Stock Company Unit, <address>

so they are cut apart with heuristics (legal-form words such as "Co., Ltd." continue a name after a comma;
an address starts at a number or "Room", "Unit", ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.sources.base import one_line

# Checked against the CSL's names for the same rows (2026-07): 94.3% of Supp. 4 names equal a CSL Entity List
# name exactly, 98.6% ignoring punctuation (the CSL writes "Co. Ltd." where the regulation has "Co., Ltd.").

# Legal-form words that continue a name after a comma: "Co., Ltd.", "Gazprom Flot, OOO", "Company, LLC".
_FORM_WORDS = frozenset(
    """co company corp corporation inc incorporated ltd limited llc l.l.c llp lp jsc ojsc pjsc cjsc ao oao zao ooo
    pao tov sa s.a s.a.s sas sarl s.a.r.l sl s.l srl s.r.l spa s.p.a gmbh ag kg bv b.v nv n.v pte pvt private sdn
    bhd plc fze fzco fzc fz-llc dmcc sti şti ltda kft s.r.o a.s ab oy aps a/s k.k sal s.a.l eood ood doo d.o.o pt
    tbk""".split()
)
# "Tactical Missile Corporation, NPO Electromechanics, <address>": a parent then its named unit.
_PARENT = re.compile(r"\b(?:Corporation|Corp\.|Company|Group|Concern|Holding|Academy|Technologies)$")
_UNIT_WORDS = re.compile(
    r"\b(?:Joint[- ]Stock|JSC|PJSC|AO|NPO|OOO|KB|Concern|Plant|Bureau|Institute|Enterprise|Factory|Academy|"
    r"University|Laboratory|Design|Branch|Holding|Association|Limited Liability)\b|“"
)
# How an address starts when no comma separates it from a legal form: "Kelvo Inc 6600 21st Avenue".
_ADDRESS_START = re.compile(
    r"^(?:\d|#|No\.?\s|Room|Rm\.?\s|Unit|Flat|Office|Suite|Floor|Building|Bldg|Block|P\.?\s?O\.?\s?Box|"
    r"Apt|Plot|Lot|House|Street|Road|Ul\.|Ulitsa|Level|Warehouse)",
    re.IGNORECASE,
)
_AKA = re.compile(r"\s*[,;]?\s*(\()?\s*\b(?:a\.k\.a\b\.?|aka\b|also known as\b),?\s*", re.IGNORECASE)
_FKA = re.compile(r"\s*\(f\.k\.a\.?,?\s*((?:[^()]|\([^()]*\))*)\)", re.IGNORECASE)
_SEE = re.compile(r"\s*\(?\s*See (?:also )?alternate address[^)]*\)?\.?", re.IGNORECASE)
_FOLLOWING = re.compile(r"^(?:the\s+)?following\b[^:]*?:", re.IGNORECASE)
# An alias bullet: a dash after white space, not the dash inside "AGAT—Control Systems".
_ALIAS_MARK = re.compile(r"(?:^|(?<=[\s:;]))[—–](?=\S)", re.MULTILINE)
_LAST_ALIAS_END = re.compile(
    r"^(.+?(?<![A-Z])(?<!\bCo)(?<!\bLtd)(?<!\bInc)(?<!\bNo)(?<!\bSt)(?<!\bCorp)\.)\s+(\S.*)$"
    r"|^(.+?),\s+(?=\d|No\.|Room|Unit|Flat|Office|Building|P\.?O)(.*)$"
)
# Abbreviations whose period belongs to the word even at the end of a sentence.
_KEEP_DOT = frozenset(re.findall(r"\S+", "co ltd inc corp bhd sti şti st ave rd dr jr sr no pvt pte mfg intl int'l"))
_ADDRESS_SPLIT = re.compile(r"\s*;\s*(?:and\b\s*)?|,\s+and\s+|\s+and\s*;\s*")


@dataclass(frozen=True, slots=True)
class Entity:
    name: str
    aliases: list[str]
    rest: str  # the addresses and anything else after the name and aliases, as printed


def _segments(line: str) -> list[tuple[str, str]]:
    """Split on commas and semicolons outside brackets and quotes: [(segment, separator after it)]."""
    parts: list[tuple[str, str]] = []
    depth = start = 0
    for i, ch in enumerate(line):
        if ch in "(“[":
            depth += 1
        elif ch in ")”]" and depth:
            depth -= 1
        elif ch in ",;" and depth == 0:
            parts.append((line[start:i], ch))
            start = i + 1
    parts.append((line[start:], ""))
    return parts


def _is_form(word: str) -> bool:
    return word.lower().strip(".,()") in _FORM_WORDS


def _continues(segment: str, first: bool, name: str) -> int:
    """How many words of `segment` (after a comma) still belong to the name; -1 = all and keep going."""
    words = segment.split()
    k = 0
    while k < len(words) and _is_form(words[k]):
        k += 1
    if words and (k == len(words) or (k and words[k].startswith("(") and segment.endswith(")"))):
        return -1  # "Ltd." or "Ltd. (HiSilicon)"
    if k and _ADDRESS_START.match(" ".join(words[k:])):
        return k  # "Ltd. No. C22 Yu An Rd."
    if first and not re.search(r"\d", segment) and _UNIT_WORDS.search(segment) and _PARENT.search(name):
        return -1
    return 0


def tidy_name(name: str, end: bool = False) -> str:
    """Trim list punctuation; `end`: the name closes a sentence, so a final period is not part of it."""
    name = _SEE.sub("", one_line(name)).strip(" ,;:")
    name = re.sub(r"[;,]?\s+and$", "", name).strip(" ;,")
    if end and name.endswith(".") and not name.endswith(".."):
        last = name[:-1].rsplit(" ", 1)[-1].lower().strip("()")
        if last not in _KEEP_DOT and len(last) > 1 and "." not in last:
            name = name[:-1]
    return name


def take_name(text: str) -> tuple[str, str]:
    """Cut the leading name off `Name, Co., Ltd., 12 Some Road, City` → (name, rest)."""
    line, newline, after = text.partition("\n")
    parts = _segments(line)
    name = parts[0][0].strip()
    words = name.split()
    for i in range(1, len(words) - 1):  # "Kelvo Inc 6600 21st Avenue"
        if _is_form(words[i]) and words[i].lower().strip(".") not in {"company", "corporation"}:
            tail = " ".join(words[i + 1 :])
            if _ADDRESS_START.match(tail):
                rest = tail + parts[0][1] + "".join(s + sep for s, sep in parts[1:])
                return tidy_name(" ".join(words[: i + 1])), (rest.strip() + newline + after).strip()
    used, sep = 1, parts[0][1]
    while used < len(parts) and sep == ",":
        segment, next_sep = parts[used]
        k = _continues(segment.strip(), used == 1, name)
        if k < 0:
            name, used, sep = f"{name}, {segment.strip()}", used + 1, next_sep
            continue
        if k:
            seg_words = segment.split()
            name = f"{name}, {' '.join(seg_words[:k])}"
            parts[used] = (" ".join(seg_words[k:]), next_sep)
        break
    rest = ("".join(s + sp for s, sp in parts[used:]).strip() + newline + after).strip()
    return tidy_name(name, end=not rest), rest


def _listed_aliases(text: str) -> tuple[list[str], str]:
    """`—A;\n—B; and\n—C.\n<address>` (after "the following three aliases:") → ([A, B, C], address)."""
    marks = list(_ALIAS_MARK.finditer(text))
    if not marks:  # "the following one alias: Mosi Oveici. Mehrabad Airport, ..."
        alias, rest = take_name(text)
        return ([alias] if alias else []), rest
    lead = text[: marks[0].start()].strip()
    aliases: list[str] = []
    rest_parts = [lead] if lead else []
    for i, mark in enumerate(marks):
        last = i + 1 == len(marks)
        chunk = text[mark.end() : marks[i + 1].start() if not last else len(text)]
        first, newline, more = chunk.strip().partition("\n")
        if last and not newline and (m := _LAST_ALIAS_END.match(first)):  # "—AP-Voskhod. 19 Tkatskaya St."
            first, more = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        aliases.append(tidy_name(first, end=last))
        if more.strip():
            rest_parts.append(more.strip())
    return [a for a in aliases if a], "\n".join(rest_parts)


def _inline_aliases(inner: str) -> list[str]:
    """`X; a.k.a. Y, Z and W` (in parentheses after a name) → [X, Y, Z, W]."""
    out: list[str] = []
    for part in re.split(r";\s*(?:and\s+)?|\s+and\s+", inner):
        if marker := _AKA.match(part):
            part = part[marker.end() :]
        while part.strip():
            alias, rest = take_name(part.strip())
            out.append(alias)
            if rest == part:  # no progress: never loop on odd punctuation
                break
            part = rest
    return [a for a in out if a]


def split_entity(cell: str, country: str = "") -> Entity:
    """Name, aliases and the rest of an entity cell (see the module docstring for the shapes handled)."""
    text = cell.strip()
    former: list[str] = []
    if f := _FKA.search(text.split("\n", 1)[0]):  # a former name is an alias, not part of the name
        former = _inline_aliases(f.group(1))
        text = text[: f.start()] + text[f.end() :]
    m = _AKA.search(text)
    if m and m.start() > 0 and "\n" not in text[: m.start()]:
        name, after = tidy_name(text[: m.start()]), text[m.end() :]
        if m.group(1):  # "Name (a.k.a. X, Y and Z), address"
            inner, _, rest = after.partition(")")
            return Entity(name, former + _inline_aliases(inner), rest.strip(" ,;"))
        if f := _FOLLOWING.match(after):
            aliases, rest = _listed_aliases(after[f.end() :])
            return Entity(name, former + aliases, rest)
        aliases = []
        while True:  # "Name, a.k.a. X, a.k.a. Y, address"
            alias, after = take_name(after)
            aliases.append(alias)
            if not (nxt := _AKA.match(after) if after else None):
                break
            after = after[nxt.end() :]
        return Entity(name, former + [a for a in aliases if a], after)
    name, rest = take_name(text)
    # "Safinat Group. South Sudan.": no comma before the country.
    place = display_country(country)
    if not rest and place and name.endswith(f". {place}"):
        name, rest = tidy_name(name[: -len(place) - 1], end=True), place
    return Entity(name, former, rest)


def split_addresses(rest: str) -> list[str]:
    """`A; and B, and C (See alternate address under X).` → [A, B, C]."""
    text = _SEE.sub("", one_line(rest))
    return [a.strip(" .,;") for a in _ADDRESS_SPLIT.split(text) if a.strip(" .,;")]


def display_country(country: str) -> str:
    """`CHINA, PEOPLE'S REPUBLIC OF` → `China`; `UNITED ARAB EMIRATES` → `United Arab Emirates`."""
    head = country.split(",")[0].strip()
    words = [w if w.lower() in {"of", "and"} else w[:1].upper() + w[1:].lower() for w in head.split()]
    return " ".join(words)
