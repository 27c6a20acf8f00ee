"""Listed party names inside a question: "Is Yangtze Memory listed?", "Is MIPT on the Entity List?".

The question's word windows are screened like names, with three guards for precision, because a party
found where there is none sends the answer to the wrong records:

* a window must score at least PARTY_THRESHOLD (stricter than a screen's review band);
* a one-word window counts only as an exact match of a one-word listed name, and only if the word is an
  acronym (MIPT, YMTC) or a lone capitalised word inside the question ("Is Dawning listed?"), never a
  word of a longer capitalised phrase ("World" in "World Cup");
* in a question that uses capitals, a longer window needs a capitalised word after the question's first.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.screening.normalize import NameKind, acronym_like, bracket_acronym, name_tokens, name_variants
from assistant.screening.score import align
from assistant.screening.table import NameIndex

PARTY_THRESHOLD = 90.0
MAX_WINDOW = 10  # words; the longest names users quote in a question
MIN_OVERLAP = 0.6
CANDIDATES = 12
# Words that frame a question about parties; a window may not start or end with one.
FRAME_WORDS = frozenset(
    (
        "is are was were does do did can could should would will what which who whom whose when where why how "
        "the a an and or of on in to for by with under from about at as it its their this that these those "
        "any all there still currently now today ever been being be has have had not no yes me us we i you "
        "tell show check screen screening listed list lists sanctioned sanction sanctions designated "
        "restricted blacklisted added removed named called include includes including"
    ).split()
)
# Words of the export-control vocabulary that may be part of a name ("China Electronics Technology Group",
# "Federal Security Service") but never make one on their own ("China", "Entity List", "October 2023").
TOPIC_WORDS = frozenset(
    (
        "entity entities unverified military end user users party parties company companies ear bis ofac sdn "
        "csl meu uvl dpl commerce department united states u.s china chinese russia russian iran india hong "
        "kong federal register license licence licenses review policy requirement requirements export exports "
        "exporter exporting eccn cfr part section supplement supp rule rules final interim affiliate affiliates "
        "subsidiary subsidiaries exception exceptions country countries group "
        # Calendar words and the EAR's own short forms (license exceptions, reasons for control, agencies).
        "january february march april may june july august september october november december monday "
        "tuesday wednesday thursday friday saturday sunday ccl usml itar fdpr ear99 ecra eaa ieepa ddtc "
        "dod doe eu un uk ai gpu cpu hbm lvs gbs tsr app tmp rpl gov gft tsu bag avs enc agr ccd veu nac "
        "acm acs aca ace sta apr civ rs ns mt np cb ss cc fc ei at fr"
    ).split()
)
_WORD = re.compile(r"[\w&'.-]+")
_ORDER = {"EL": 0, "MEU": 1, "UVL": 2, "DPL": 3}  # the binding BIS lists first: they carry policies


@dataclass(frozen=True)
class _Found:
    score: float
    start: int
    end: int
    records: tuple[int, ...]


class PartyFinder:
    """Finds listed names in questions; records are citation ids ("list:EL:<name as published>")."""

    def __init__(self, ids: list[str], rows: Iterable[tuple[int, str, NameKind]]) -> None:
        self.ids = ids
        self.table = NameIndex(rows)

    @classmethod
    def from_names(cls, names: object) -> PartyFinder:
        """From the index's NameTable (`by_key`: normalised name → ids, `acronyms`: acronym → ids).

        The published name is the tail of each id, so it is read at full fidelity; aliases are available
        only as their normalised keys, which is what matching compares anyway.
        """
        by_key: dict[str, list[str]] = getattr(names, "by_key", {})
        acronyms: dict[str, list[str]] = getattr(names, "acronyms", {})
        ids = sorted({uid for uids in (*by_key.values(), *acronyms.values()) for uid in uids})
        record = {uid: i for i, uid in enumerate(ids)}

        def rows() -> Iterable[tuple[int, str, NameKind]]:
            for uid, i in record.items():
                for variant in name_variants(uid.split(":", 2)[-1]):
                    yield i, variant.text, variant.kind
            for key, uids in by_key.items():
                for uid in uids:
                    yield record[uid], key, "alias"
            for acronym, uids in acronyms.items():
                for uid in uids:
                    published = uid.split(":", 2)[-1]
                    # The index takes "(LONDON)" in "NIOC INTERNATIONAL AFFAIRS (LONDON) LIMITED" for an
                    # acronym; a bracket in an all-capital name counts only if it spells the initials.
                    if f"({acronym})" in published and not bracket_acronym(acronym, published):
                        continue
                    yield record[uid], acronym, "acronym"

        return cls(ids, rows())

    def find(self, question: str, limit: int = 6) -> tuple[list[str], list[str]]:
        """(ids of the listed parties the question names, the question text that named them)."""
        words = [w.strip(".,;:!?\"'") for w in _WORD.findall(question)]
        words = [w for w in words if w]
        cased = any(w[:1].isupper() for w in words[1:])
        found: list[_Found] = []
        for start in range(len(words)):
            if _frame(words[start]):
                continue
            for end in range(start + 1, min(len(words), start + MAX_WINDOW) + 1):
                if _frame(words[end - 1]):
                    continue
                hit = self._window(words, start, end, cased)
                if hit is not None:
                    found.append(hit)
        chosen: list[_Found] = []
        taken = [False] * len(words)
        for hit in sorted(found, key=lambda h: (-h.score, -(h.end - h.start), h.start)):
            if not any(taken[hit.start : hit.end]):
                taken[hit.start : hit.end] = [True] * (hit.end - hit.start)
                chosen.append(hit)
        chosen.sort(key=lambda h: h.start)
        ids: list[str] = []
        for hit in chosen:
            for record in hit.records:
                if self.ids[record] not in ids:
                    ids.append(self.ids[record])
        ids.sort(key=lambda uid: _ORDER.get(uid.split(":")[1], 9))
        return ids[:limit], [" ".join(words[h.start : h.end]) for h in chosen]

    def _window(self, words: list[str], start: int, end: int, cased: bool) -> _Found | None:
        window = words[start:end]
        if all(w.lower() in TOPIC_WORDS or w.lower() in FRAME_WORDS or w.isdigit() for w in window):
            return None
        tokens = name_tokens(" ".join(window))
        if not tokens:
            return None
        single = len(tokens) == 1
        if single and not _lone_name(words, start, end):
            return None
        if not single and cased and not any(w[:1].isupper() or w[:1].isdigit() for w in words[max(start, 1) : end]):
            return None
        side = self.table.side(tokens)
        rows, dice = self.table.overlap(side)
        keep = dice >= MIN_OVERLAP
        rows, dice = rows[keep], dice[keep]
        if len(rows) > CANDIDATES:
            rows = rows[(-dice).argsort()[:CANDIDATES]]
        scores: dict[int, float] = {}
        for row in rows.tolist():
            if single and self.table.row_tokens[row] != tokens:
                continue  # one word matches only a one-word name, letter for letter
            score = align(side, self.table.row_side(row)).score
            record = self.table.row_record[row]
            if score >= PARTY_THRESHOLD and score > scores.get(record, 0.0):
                scores[record] = score
        if not scores:
            return None
        best = max(scores.values())
        records = tuple(sorted(scores, key=lambda r: (-scores[r], _ORDER.get(self.ids[r].split(":")[1], 9))))
        return _Found(best, start, end, records)


def _frame(word: str) -> bool:
    return word.lower() in FRAME_WORDS


def _lone_name(words: list[str], start: int, end: int) -> bool:
    """A one-word name: an acronym anywhere, or a capitalised word that is not part of a longer phrase."""
    word = " ".join(words[start:end])
    if acronym_like(word):
        return True
    if start == 0 or not word[:1].isupper() or len(word) < 4:
        return False
    neighbours = [words[j] for j in (start - 1, end) if 0 <= j < len(words)]
    return not any(n[:1].isupper() and not _frame(n) for n in neighbours)


_FINDERS: dict[int, tuple[object, PartyFinder]] = {}
_LOCK = threading.Lock()


def finder_for(names: object) -> PartyFinder:
    """The PartyFinder of one NameTable, built on first use and kept while that table is in use."""
    with _LOCK:
        cached = _FINDERS.get(id(names))
        if cached is not None and cached[0] is names:
            return cached[1]
        finder = PartyFinder.from_names(names)
        # One index is live at a time; keeping only the latest lets a reloaded index free the old finder.
        _FINDERS.clear()
        _FINDERS[id(names)] = (names, finder)
        return finder
