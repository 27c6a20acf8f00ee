"""Party names as a screener compares them.

Two names are compared token by token after this module has reduced each to *canonical tokens*:

* case, punctuation and diacritics do not count ("Türkiye" = "TURKIYE"; "S.A." = "SA");
* Cyrillic is transliterated ("Алмаз-Антей" → "almaz antei");
* legal-form and filler words are dropped ("Co., Ltd.", "LLC", "GmbH", "OOO", "Joint Stock Company",
  "Obshchestvo s Ogranichennoi Otvetstvennostyu", "the", "of");
* abbreviations and plurals are folded ("Intl" = "International", "Technologies" = "Technology").

Each canonical token also has a *transliteration key* that erases the spelling choices romanisation
systems disagree on (-skiy/-sky/-skij, kh/h, ts/tz/c, ya/ia, ei/ey, doubled letters): two tokens with the
same key are the same word written by different transliterators.

`name_variants` splits one published name into the names a user may type: "X a.k.a. Y" gives X and Y,
"Semiconductor Manufacturing International Corporation (SMIC)" gives the name and the acronym SMIC,
"Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Beijing Huawei Longshine ..." gives the
affiliate's own name (the parent is its own record).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA

NameKind = Literal["name", "alias", "acronym", "aka"]

# Cyrillic → Latin (BGN/PCGN-like, with Ukrainian and Belarusian letters); the key below absorbs the
# differences between this and the other common systems.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g u".split(),
        strict=True,
    )
)
_CYRILLIC["ъ"] = _CYRILLIC["ь"] = ""
# Letters NFKD does not decompose into a base letter plus a combining mark.
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th",
                          "ð": "d", "ħ": "h"})  # fmt: skip

# Words that say what kind of company something is, not which one. Compared by transliteration key, so
# "Obshchestvo"/"Obschestvo" and "Ogranichennoy"/"Ogranichennoi" are one entry each.
_LEGAL_WORDS = (
    "co company companies corp corporation inc incorporated ltd ltda limited llc llp lp plc pllc gmbh mbh ag kg "
    "kgaa se sa sas sarl srl spa sl bv nv oy oyj ab as asa aps kk gk yk pte pvt pty bhd sdn tbk jsc ojsc cjsc "
    "pjsc oao zao ooo ao pao tov fze fzco fzc fz fzllc dmcc est establishment tic sti kft zrt nyrt sro doo ad "
    "eood ood cv sac saa eirl sapi cia obshchestvo aktsionernoe aktsionernogo otkrytoe zakrytoe publichnoe "
    "ogranichennoi otvetstvennostyu tovarystvo liability"
).split()
# Multi-word legal forms: removed as phrases, because "joint" or "stock" alone may be part of a name.
_LEGAL_PHRASES = tuple(
    tuple(p.split())
    for p in (
        "open joint stock",
        "closed joint stock",
        "public joint stock",
        "joint stock",
        "limited liability",
        "public limited",
        "private limited",
        "sociedad anonima",
        "sociedade anonima",
        "societe anonyme",
        "sole proprietorship",
        "limited partnership",
        "free zone establishment",
        "free zone company",
        "sp z oo",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "tovarystvo z obmezhenoyu vidpovidalnistyu",
    )
)
STOPWORDS = frozenset("the of and for a an de del la le les el des du da di und et".split())
# Short forms users type for long words: folded to one spelling on both sides.
_ABBREVIATIONS = {
    "intl": "international",
    "int'l": "international",
    "mfg": "manufacturing",
    "manufacture": "manufacturing",
    "tech": "technology",
    "svc": "service",
    "svcs": "service",
    "sys": "system",
    "elec": "electronic",
    "eng": "engineering",
    "engg": "engineering",
    "natl": "national",
    "univ": "university",
    "inst": "institute",
    "dept": "department",
    "assn": "association",
    "bros": "brothers",
    "ctr": "center",
    "centre": "center",
    "tsentr": "center",
    "st": "saint",
    "indus": "industry",
    "ind": "industry",
    "grp": "group",
    "hldgs": "holding",
    "hldg": "holding",
}
_AKA = re.compile(
    r"\s*[,;(]?\s*\b(?:a\.?k\.?a\.?|f\.?k\.?a\.?|d\.?b\.?a\.?|also known as|formerly known as|doing business as)"
    r"(?=[\s,.:]|$)[\s,.:]*",
    re.IGNORECASE,
)
_AFFILIATE = re.compile(r"\.\s*Affiliated Entity:\s*", re.IGNORECASE)
# Where a published name stops naming the party and starts describing it.
_TAIL = re.compile(
    r"(?:,\s*and to include\b|,\s*and subordinate entit|,\s*including\b|\.\s+This includes\b|\.\s+All address)",
    re.IGNORECASE,
)
_BRACKET = re.compile(r"\(([^()]*)\)")
_TRAILING = re.compile(r"\(([^()]*)\)\s*\.?$")
_JUNK_ALIAS = re.compile(r"\bthe following\b|\bfollowing (?:one |two |three )?alias", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['’‘`ʼ]")
_DOTTED = re.compile(r"\b[a-z0-9](?:\.[a-z0-9])+\b\.?")
_NON_WORD = re.compile(r"[\W_]+")
_HAS_CYRILLIC = re.compile("[\u0400-\u04ff]")


def transliterate(text: str) -> str:
    """Cyrillic letters → Latin; other characters unchanged."""
    if not _HAS_CYRILLIC.search(text):
        return text
    out = []
    for ch in text:
        low = ch.lower()
        if low in _CYRILLIC:
            latin = _CYRILLIC[low]
            out.append(latin.capitalize() if ch != low else latin)
        else:
            out.append(ch)
    return "".join(out)


def fold(text: str) -> str:
    """Lower case without diacritics, Cyrillic transliterated: "Türkiye" → "turkiye", "ООО" → "ooo"."""
    if text.isascii():
        return text.lower()
    text = transliterate(text).lower().translate(_SPECIAL)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def raw_tokens(text: str) -> list[str]:
    """Folded words: "S.A. de C.V." → ["sa", "de", "cv"]; "Xi'an" → ["xian"]; "R&D" → ["r", "and", "d"]."""
    text = _APOSTROPHE.sub("", fold(text)).replace("&", " and ")
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", "") + " ", text)
    return _NON_WORD.sub(" ", text).split()


# Common nouns of company names whose plural users drop or add ("Technologies" / "Technology"). A closed
# list: folding every final "s" would turn "Hermes" into "Herme" and "Thales" into an alias "Thale".
_PLURAL_NOUNS = (
    "technology industry system service electronic solution product holding laboratory communication material "
    "instrument resource enterprise logistic device network component chemical metal machine engine motor "
    "airline work plant tool trader import export investment partner venture supply dynamic optic photonic "
    "semiconductor science brother associate consultant developer builder energy commodity security property "
    "facility utility agency manufacturer good food textile mineral plastic robotic control design study "
    "technic application operation project program equipment shipping line vessel tanker aircraft"
).split()
_PLURALS = {p: s for s in _PLURAL_NOUNS for p in (s + "s", s + "es", s[:-1] + "ies" if s.endswith("y") else s + "s")}
# Words that qualify almost any company name; users add or drop them freely ("Huawei Technologies Group"),
# so they weigh less than their frequency alone would say (score.py).
GENERIC_WORDS = frozenset(
    "group holding international global worldwide enterprise industry trading trade general service solution "
    "technology system partner venture investment commercial import export overseas universal resource "
    "development management consulting".split()
)


_FORMS: dict[str, tuple[str, ...]] = {}
for _table in (_PLURALS, _ABBREVIATIONS):
    for _form, _word in _table.items():
        _FORMS[_word] = (*_FORMS.get(_word, (_word,)), _form)


def spellings(word: str) -> tuple[str, ...]:
    """The written forms a canonical word stands for ("technology" → technology, technologies, tech, ...)."""
    return _FORMS.get(word, (word,))


@lru_cache(maxsize=200_000)
def canonical(token: str) -> str:
    """One spelling per word: abbreviations expanded, plurals of common nouns folded ("industries" → "industry")."""
    token = _ABBREVIATIONS.get(token, token)
    return _PLURALS.get(token, token)


_KEY_RULES = (("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("kh", "h"), ("tz", "c"), ("ts", "c"), ("zh", "j"),
              ("ph", "f"), ("q", "k"), ("x", "ks"), ("w", "v"), ("y", "i"))  # fmt: skip
_VOWEL_J = re.compile(r"(?<=[aeiou])j")
_HARD_C = re.compile(r"c(?![eiyh])")  # "Class"/"Klass", "Concern"/"Kontsern": a hard c is a k
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def translit_key(token: str) -> str:
    """Spelling-insensitive key: "antey", "antei", "antej" → "antei"; "obukhovskiy", "obuhovsky" → "obuhovski"."""
    key = _VOWEL_J.sub("i", token)  # й after a vowel: Antej, Sergej (pinyin "jin" keeps its j)
    key = _HARD_C.sub("k", key.replace("cz", "ch").replace("ck", "k"))  # before "ts" → "c" makes new c's
    for old, new in _KEY_RULES:
        key = key.replace(old, new)
    key = _DOUBLE.sub(r"\1", key)
    if key.startswith("ie") and len(key) > 3:
        key = key[1:]  # Yevgeny / Evgeny, Yelena / Elena
    return key


# Short forms are compared as written ("kk" must not swallow "k"); long ones by key ("obschestvo").
_LEGAL_SHORT = frozenset(canonical(w) for w in _LEGAL_WORDS if len(w) < 5)
_LEGAL_KEYS = frozenset(translit_key(canonical(w)) for w in _LEGAL_WORDS if len(w) >= 5)
_PHRASE_KEYS = tuple(tuple(translit_key(canonical(w)) for w in p) for p in _LEGAL_PHRASES)
_PHRASE_FIRST = frozenset(p[0] for p in _PHRASE_KEYS)


_LEGAL_LONG = tuple(w for w in _LEGAL_WORDS if len(w) >= 7)


@lru_cache(maxsize=100_000)
def is_legal_form(token: str) -> bool:
    """Whether a word only says what kind of company it is; long legal words also when misspelt ("Limted")."""
    token = canonical(token)
    if token in _LEGAL_SHORT or (len(token) >= 5 and translit_key(token) in _LEGAL_KEYS):
        return True
    return len(token) >= 6 and any(OSA.distance(token, w, score_cutoff=1) <= 1 for w in _LEGAL_LONG)


def _drop_phrases(toks: list[str]) -> list[str]:
    keys = [translit_key(canonical(t)) for t in toks]
    if not any(k in _PHRASE_FIRST for k in keys):
        return toks
    out: list[str] = []
    i = 0
    while i < len(toks):
        for phrase in _PHRASE_KEYS:
            if keys[i] == phrase[0] and tuple(keys[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            out.append(toks[i])
            i += 1
    return out


@lru_cache(maxsize=300_000)
def name_tokens(text: str) -> tuple[str, ...]:
    """Canonical tokens of a name without legal forms and stop words (all of them if nothing else is left)."""
    toks = raw_tokens(text)
    kept = [t for t in _drop_phrases(toks) if t not in STOPWORDS and not is_legal_form(t)]
    if not kept:
        kept = [t for t in toks if t not in STOPWORDS] or toks
    return tuple(canonical(t) for t in kept)  # repeats kept: "Hernandez-Hernandez" is two words


def normalize(text: str) -> str:
    """The comparable form of a name: canonical tokens joined by spaces."""
    return " ".join(name_tokens(text))


def acronym_like(text: str) -> bool:
    """YMTC, SMIC, MIPT, CASC-2: short capitalised tokens users type as names."""
    stripped = text.strip().replace("-", "")
    return 2 <= len(stripped) <= 10 and stripped.isupper() and stripped.isalnum() and not stripped.isdigit()


def initialism(short: str, name: str) -> bool:
    """Whether `short` spells initials of `name` in order: YMTC ← Yangtze Memory Technologies Co., Ltd."""
    letters = [ch for ch in fold(short) if ch.isalnum()]
    initials = iter(t[0] for t in raw_tokens(name))
    return len(letters) >= 2 and all(any(ch == i for i in initials) for ch in letters)


def bracket_acronym(inner: str, name: str) -> bool:
    """Whether a bracketed short form is an acronym of the name around it.

    "(SMIC)" in a mixed-case name is; in an all-capital name ("NIOC ... (LONDON) LIMITED") capitals say
    nothing, so the bracket must spell the name's initials.
    """
    if not acronym_like(inner):
        return False
    return not name.isupper() or initialism(inner, _BRACKET.sub(" ", name))


@dataclass(frozen=True)
class Variant:
    text: str
    kind: NameKind


def _split_aka(text: str) -> list[str]:
    """Split a.k.a. parts: "A a.k.a. B; a.k.a. C" → [A, B, C].

    A bracketed part leaves the rest whole: "PEARL (A.K.A. NEI-CHIEN CHU) LI" → [PEARL LI, NEI-CHIEN CHU].
    """
    parts: list[str] = []

    def bracketed(match: re.Match[str]) -> str:
        inner = match.group(1)
        if _AKA.match(inner) or _AKA.search(" " + inner):
            pieces = _AKA.split(inner)
            parts.extend(p for p in pieces if p.strip())
            return " "
        return match.group(0)

    text = _BRACKET.sub(bracketed, text)
    pieces = [p.strip(" ,;") for p in _AKA.split(text)]
    return [" ".join(p.split()) for p in [*pieces, *parts] if p.strip(" ,;.")]


def name_variants(name: str, kind: NameKind = "name") -> list[Variant]:
    """The names a user may type for one published name or alias (first: the name itself, cleaned)."""
    if kind != "name" and _JUNK_ALIAS.search(name):
        return []
    text = _AFFILIATE.split(name)[-1]  # the affiliate's own name; its parent is a record of its own
    if tail := _TAIL.search(text):
        text = text[: tail.start()]
    out: list[Variant] = []
    for i, part in enumerate(_split_aka(text)):
        part_kind: NameKind = kind if i == 0 else "aka"
        main, short = part, None
        # "... Corporation (SMIC)" / "Huawei Technologies Co., Ltd. (Huawei)": a trailing short form is an alias.
        if last := _TRAILING.search(part):
            inner = last.group(1).strip()
            head = part[: last.start()].strip(" ,")
            inner_tokens = set(name_tokens(inner))
            if head and (bracket_acronym(inner, part) or (inner_tokens and inner_tokens <= set(name_tokens(head)))):
                main, short = head, inner
        out.append(Variant(main, part_kind))
        if main != part:
            out.append(Variant(part, part_kind))  # some users copy the name with its bracket
        for bracket in _BRACKET.finditer(part):
            inner, after = bracket.group(1).strip(), part[bracket.end() :]
            # "(CSSC)" in "China State Shipbuilding Corporation, Limited (CSSC) 7th Research Academy" names the
            # parent, not the institute: only a bracket that ends the name (legal forms aside) is its acronym.
            if bracket_acronym(inner, part) and all(is_legal_form(t) for t in raw_tokens(after)):
                out.append(Variant(inner, "acronym"))
            elif inner == short:
                out.append(Variant(inner, "alias"))
    seen: set[str] = set()
    unique: list[Variant] = []
    for v in out:
        key = normalize(v.text)
        if key and key not in seen and not _JUNK_ALIAS.search(v.text):
            seen.add(key)
            unique.append(v)
    return unique
