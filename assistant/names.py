"""Party names as a compliance reader compares them: case, punctuation, diacritics and legal forms do not
count ("Co., Ltd." = "Company Limited" = nothing). Shared by question routing and screening."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Legal-form and filler words that do not distinguish one party from another.
LEGAL_FORMS = frozenset(
    (
        "co company corp corporation inc incorporated ltd limited llc llp lp plc gmbh ag sa sas sarl srl spa "
        "bv nv oy ab as asa kk pte pvt pty jsc ojsc cjsc pjsc oao zao ooo ao tov llc fze fzco fzc fz est "
        "establishment sdn bhd tic sti the"
    ).split()
)
_PUNCT = re.compile(r"[^\w\s]")


def fold(text: str) -> str:
    """Lower-case ASCII-ish form: strips diacritics ("Türkiye" → "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokens(text: str) -> list[str]:
    return _PUNCT.sub(" ", fold(text).replace("&", " and ")).split()


def normalize(name: str) -> str:
    """Comparable key of a party name: folded tokens without legal-form words."""
    toks = [t for t in tokens(name) if t not in LEGAL_FORMS]
    return " ".join(toks) if toks else " ".join(tokens(name))


def acronym_like(text: str) -> bool:
    """YMTC, SMIC, MIPT: short all-capital tokens a user types as names."""
    stripped = text.strip()
    return 2 <= len(stripped) <= 10 and stripped.isupper() and stripped.isalnum()


def name_keys(name: str, aliases: Iterable[str]) -> list[str]:
    keys = [normalize(name)]
    keys.extend(normalize(a) for a in aliases)
    return [k for k in dict.fromkeys(keys) if k]
