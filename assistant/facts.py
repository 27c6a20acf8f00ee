"""Hard facts of a sentence and whether a source states them: numbers, dates, percentages, ECCNs, CFR and FR
cites, party names, negations.

Word overlap cannot tell "presumption of denial" from "presumption of approval", 87 FR 77508 from 91 FR 12345
or "is listed" from "is not listed"; these checks can. They are strict on purpose (an unsupported claim must
never reach a compliance officer) but accept the rewordings an LLM makes: "December 19, 2022" for "12/19/22",
"25 percent" for "25%", "forty-two" for "42", "4800" for "4,800".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.index.lexical import stem, tokenize

_IDS = re.compile(r"\b\d[A-E]\d{3}(?:\.[a-z0-9]+)*\b|\b7[3-7]\d\.\d{1,3}(?:\([a-zA-Z0-9]+\))*|\b\d{2,3} FR \d+")
_NUMBER = re.compile(r"\d+(?:[.,/:-]\d+)*%?")
_NAME = re.compile(r"\b(?:[A-Z][\w&'-]+(?:\s+(?:of|and|for|de|&)?\s*[A-Z][\w&'-]+)+)")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z&'-]*[A-Za-z]\b|\b[A-Z]\b(?=\.)")
_EAR_TITLE = re.compile(r"\b15\s*C\.?\s?F\.?\s?R\b\.?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PERCENT = re.compile(r"(\d)\s*(?:percent|per cent)\b", re.IGNORECASE)

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = (
    re.compile(r"\b(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b"),
    re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)?\d{2})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{{2}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<d>\d{{1,2}})\s+{_MONTH}\s+(?P<y>(?:19|20)\d{{2}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?:of\s+)?(?P<y>(?:19|20)\d{{2}})\b", re.IGNORECASE),
)

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_TENS_ALT, _ONES_ALT, _UNITS_ALT = "|".join(_TENS), "|".join(_UNITS[1:10]), "|".join(_UNITS)
_NUMBER_WORD = re.compile(
    rf"\b(?:(?P<tens>{_TENS_ALT})(?:[\s-](?P<unit>{_ONES_ALT}))?|(?P<small>{_UNITS_ALT}))\b", re.IGNORECASE
)
# Stems (as `tokenize` folds them) whose substitution flips a licensing fact: review policies, status changes,
# permissions and the kind of rule. A sentence may use one only if its source does.
KEY_STEMS = (
    "approv", "deni", "deny", "remov", "delist", "revok", "revoc", "rescind", "lift", "suspend", "waiv",
    "exempt", "prohibit", "permit", "allow", "propos", "interim", "expir", "terminat", "cancel", "eas",
    "clear", "lawful", "legal", "safe",
)  # fmt: skip
_CASE_BY_CASE = re.compile(r"\bcase[\s-]by[\s-]case\b", re.IGNORECASE)

# "No." before a number is "Supplement No. 4", not a negation.
_NEGATION = re.compile(r"\b(?:not|never|none|neither|nor|cannot|without)\b|\bno\b(?!\.?\s*\d)|n't\b", re.IGNORECASE)
# Words that restate a prohibition positively: "may not export without a license" is "a license is required".
_OBLIGATION = re.compile(
    r"\b(?:requir\w*|must|need(?:s|ed)?|prohibit\w*|restrict\w*|den(?:y|ied|ial)|forbid\w*|bar(?:s|red)?|"
    r"only|exclud\w*|except\w*|unless|ineligible|unavailable|n/a)\b",
    re.IGNORECASE,
)

# Capitalised words that name no party: sentence openers, months, and the structural words an answer uses to
# cite ("Part 744", "ECCN", "the Federal Register", "BIS") whether or not the cited unit spells them out.
_NOT_PARTIES = frozenset(
    (
        "the a an this that these those it its they their there here under according in on for per both if when "
        "while however also as at by from with to and or but yes no not all any each every some such other most "
        "many only since after before during until because although though unless where which what who how why "
        "he she we you i one two three in addition additionally further furthermore moreover therefore thus so "
        "then reported reportedly news licenses license exports export items item entries entry a:5 is are was "
        "were be has have had do does did can may must should would could will shall note notes see"
        " january february march april may june july august september october november december jan feb mar apr "
        "jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday "
        "us u.s united states america american ear cfr eccn eccns fr part parts section sections supplement supp "
        "federal register regulation regulations administration commerce department bureau industry security bis "
        "list lists control controls controlled government official officials"
    ).split()
)


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What a source text states, normalised once for the checks below."""

    text: str  # lower-cased, white space collapsed, thousands separators and "percent" normalised
    dates: frozenset[tuple[int, int, int]]
    years: frozenset[int]
    number_words: frozenset[str]
    words: frozenset[str]
    stems: frozenset[str]


def normalise(text: str) -> str:
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2013", "-")
    text = _PERCENT.sub(r"\1%", _THOUSANDS.sub("", text))
    return " ".join(text.split()).lower()


def _year(y: str) -> int:
    value = int(y)
    return value + 2000 if value < 100 and len(y) == 2 else value


def find_dates(text: str) -> list[tuple[tuple[int, int, int], tuple[int, int]]]:
    """((year, month, day or 0), span) of each date in `text`; overlapping forms are read once."""
    found: list[tuple[tuple[int, int, int], tuple[int, int]]] = []
    for pattern in _DATES:
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for _, (a, b) in found):
                continue
            groups = m.groupdict()
            month = _MONTHS[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
            day = int(groups["d"]) if groups.get("d") else 0
            if 1 <= month <= 12 and 0 <= day <= 31:
                found.append(((_year(groups["y"]), month, day), m.span()))
    return found


def source_facts(text: str) -> SourceFacts:
    dates = frozenset(d for d, _ in find_dates(text))
    words = set()
    for m in _NUMBER_WORD.finditer(text):
        if m.group("small"):
            words.add(str(_UNITS.index(m.group("small").lower())))
        else:
            tens = 20 + 10 * _TENS.index(m.group("tens").lower())
            unit = _UNITS.index(m.group("unit").lower()) if m.group("unit") else 0
            words.add(str(tens + unit))
    norm = normalise(text)
    return SourceFacts(
        text=norm,
        dates=dates,
        years=frozenset(d[0] for d in dates),
        number_words=frozenset(words),
        words=frozenset(re.findall(r"[a-z0-9&'.:-]+", norm)) | frozenset(re.findall(r"[a-z0-9]+", norm)),
        stems=frozenset(tokenize(text)),
    )


def hard_facts(sentence: str) -> list[str]:
    """Tokens that must occur in a cited source: numbers, dates, percentages, ECCNs, CFR and FR cites,
    multi-word proper names."""
    facts = [m.group(0) for m in _IDS.finditer(sentence)]
    facts += [n for n in _NUMBER.findall(sentence) if not any(n in f for f in facts)]
    facts += [m.group(0) for m in _NAME.finditer(sentence) if len(m.group(0).split()) >= 2]
    return facts


def missing_facts(sentence: str, source: SourceFacts) -> list[str]:
    """The hard facts of `sentence` that `source` does not state (empty when every one is there)."""
    missing: list[str] = []
    # "15 CFR" names the EAR's title of the Code, whether or not the source spells it out.
    taken: list[tuple[int, int]] = [m.span() for m in _EAR_TITLE.finditer(sentence)]
    for m in _IDS.finditer(sentence):
        taken.append(m.span())
        if normalise(m.group(0)) not in source.text:
            missing.append(m.group(0))
    for (y, mo, d), span in find_dates(sentence):
        if any(a < span[1] and span[0] < b for a, b in taken):
            continue
        taken.append(span)
        ok = (y, mo, d) in source.dates if d else any(sy == y and sm == mo for sy, sm, _ in source.dates)
        if not ok and not _literal(normalise(sentence[span[0] : span[1]]), source.text):
            missing.append(sentence[span[0] : span[1]])
    for m in _NUMBER.finditer(normalise(sentence)):
        # Spans of the normalised sentence match the original's only approximately; compare by value instead.
        number = m.group(0).rstrip(".,:/-")
        if any(number in normalise(sentence[a:b]) for a, b in taken) or not number:
            continue
        if _literal(number, source.text) or number in source.number_words:
            continue
        if number.isdigit() and len(number) == 4 and int(number) in source.years:
            continue
        missing.append(number)
    for word in party_words(sentence):
        parts = [p for p in re.split(r"[-']", word.lower()) if p]
        if word.lower() not in source.words and not all(p in source.words or stem(p) in source.stems for p in parts):
            missing.append(word)
    missing += missing_key_terms(sentence, source)
    return list(dict.fromkeys(missing))


def missing_key_terms(sentence: str, source: SourceFacts) -> list[str]:
    """Words that decide what a sentence means for a licence ("approval", "removed", "case-by-case", "proposed")
    and that the source does not use: overlap would accept them, since every other word matches."""
    missing = []
    for word in dict.fromkeys(re.findall(r"[A-Za-z]+", sentence)):
        token = stem(word.lower())
        key = next((k for k in KEY_STEMS if token.startswith(k)), None)
        if key and not any(t.startswith(key) for t in source.stems):
            missing.append(word)
    for m in _CASE_BY_CASE.finditer(sentence):
        if not _CASE_BY_CASE.search(source.text):
            missing.append(m.group(0))
    return missing


def _literal(value: str, text: str) -> bool:
    """`value` occurs in `text` as a number of its own (not "11" inside "744.11", not "15" inside "2015")."""
    # "Part 744" is stated by "§ 744.11"; "11" is not stated by "744.11".
    return re.search(rf"(?<![\d.]){re.escape(value)}(?!\d)", text) is not None


def party_words(sentence: str) -> list[str]:
    """Capitalised words that may name a party, place or document ("Huawei", "SMIC", "Shenzhen")."""
    out = []
    for m in _CAPITALISED.finditer(sentence):
        word = re.sub(r"'s$", "", m.group(0).replace("\u2019", "'")).strip("'-")
        if len(word) < 2 or word.lower() in _NOT_PARTIES:
            continue
        out.append(word)
    return out


def has_negation(text: str) -> bool:
    return _NEGATION.search(text) is not None


def dropped_negation(sentence: str, quote: str) -> str | None:
    """A negated clause of the quote that the sentence restates without its negation, if any.

    "It is not clear if the easing would include semiconductors" must not become "the easing would include
    semiconductors": a clause of the quote with a negation whose content words the sentence mostly repeats.
    """
    if _OBLIGATION.search(sentence) or has_negation(sentence):
        return None
    sentence_tokens = set(tokenize(sentence))
    for clause in re.split(r"[,;:]|\s[-\u2014]\s", quote):
        if not has_negation(clause):
            continue
        words = set(tokenize(clause))
        if len(words) >= 2 and len(words & sentence_tokens) / len(words) >= 0.5:
            return clause.strip()
    return None
