"""Screen a party name against every listed record: block by word, score each alias, explain, rank.

    screener = Screener(index.units.iter_units("list"))
    for match in screener.screen("Yangtze Memory Tech", country="CN"):
        print(match.score, match.band, match.id, match.why)

Records are whole list entries (a CSL record or a Part 744 row merged with its CSL copy); each of their
names, aliases, a.k.a. parts and bracketed acronyms is a name row of its own and gets its own score. A
record's score is that of its best row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from assistant.models import ListEntry, Unit
from assistant.screening.countries import country_code, country_codes
from assistant.screening.models import (
    DEFAULT_THRESHOLD,
    InvalidScreen,
    Match,
    NameScore,
    Reason,
    ReasonKind,
    Screening,
    band_of,
)
from assistant.screening.normalize import (
    STOPWORDS,
    NameKind,
    acronym_like,
    canonical,
    initialism,
    name_tokens,
    name_variants,
    raw_tokens,
)
from assistant.screening.score import Alignment, Side, align
from assistant.screening.table import NameIndex

COUNTRY_MISMATCH_PENALTY = 10.0  # keeps an exact name probable (90) but drops a borderline fuzzy one
CANDIDATES = 40  # rows rescored per query; ranked by the vectorised Dice overlap first
COUNTRY_PREFERENCE = 0.2  # Dice bonus of a candidate in the country given, for the cut to CANDIDATES only
MIN_OVERLAP = 0.35  # Dice below this cannot reach any threshold worth showing
LIST_ORDER = {"EL": 0, "MEU": 1, "UVL": 2, "DPL": 3, "SDN": 4}


def _row_names(entry: ListEntry) -> Iterator[tuple[str, NameKind]]:
    for variant in name_variants(entry.name, "name"):
        if variant.kind == "acronym" and country_code(variant.text):
            continue  # "Globe Communication (HK) Ltd.": the bracket says where, not who
        yield variant.text, variant.kind
    for alias in entry.aliases:
        for variant in name_variants(alias, "alias"):
            kind = variant.kind
            # An all-capital alias is an acronym only if it spells the name's initials: SDN names are all
            # capitals, and "DOV" for "KAHANE CHAI" is a nickname, not an acronym.
            if acronym_like(variant.text) and initialism(variant.text, entry.name):
                kind = "acronym"
            yield variant.text, kind


def _dropped(text: str, tokens: tuple[str, ...]) -> set[str]:
    """The legal-form words normalisation removed from a name."""
    kept = set(tokens)
    return {t for t in raw_tokens(text) if canonical(t) not in kept and t not in STOPWORDS}


class Screener:
    """Fuzzy, alias-aware screening over list units (each with a `ListEntry`)."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units: list[Unit] = [u for u in units if u.entry is not None]
        self.entries: list[ListEntry] = [u.entry for u in self.units if u.entry is not None]
        self.codes = sorted({e.list_code for e in self.entries})
        self._record_code = np.asarray([self.codes.index(e.list_code) for e in self.entries], dtype=np.int16)
        self.countries: list[frozenset[str]] = [country_codes(e.countries) for e in self.entries]
        self.table = NameIndex(
            (record, text, kind) for record, e in enumerate(self.entries) for text, kind in _row_names(e)
        )
        self._country_masks: dict[str, np.ndarray] = {}  # ISO-2 → _in_country

    def __len__(self) -> int:
        return len(self.entries)

    def list_codes(self, lists: Iterable[str] | None) -> list[str]:
        """The list codes a caller named ("el", "NS-MBS List"), checked against those indexed."""
        if not lists:
            return []
        known = {c.upper(): c for c in self.codes}
        known.update({c.upper().removesuffix(" LIST"): c for c in self.codes})
        out = []
        for name in lists:
            code = known.get(name.strip().upper())
            if code is None:
                raise InvalidScreen(f"unknown list {name!r}; known: {', '.join(self.codes)}")
            out.append(code)
        return out

    def _in_country(self, country: str) -> np.ndarray:
        """Per record: 1 listed in `country`, 0 listed elsewhere, -1 no known country (cached per code)."""
        found = self._country_masks.get(country)
        if found is None:
            found = np.asarray([(country in cs) - (not cs) for cs in self.countries], dtype=np.int8)
            self._country_masks[country] = found
        return found

    def _record_mask(self, codes: list[str], country: str | None) -> np.ndarray | None:
        mask = None
        if codes:
            mask = np.isin(self._record_code, [self.codes.index(c) for c in codes])
        if country:
            # Records without a known country stay in: an unplaced address is not evidence of absence.
            cmask = self._in_country(country) != 0
            mask = cmask if mask is None else mask & cmask
        return mask

    def screen(
        self,
        name: str,
        country: str | None = None,
        lists: Iterable[str] | None = None,
        limit: int = 10,
        threshold: float = DEFAULT_THRESHOLD,
        strict_country: bool = False,
    ) -> Screening:
        """Records whose names resemble `name`, best first, scored 0-100, at or above `threshold`.

        Args:
            name: the party name as the user has it (any case, punctuation, legal form, Latin or Cyrillic).
            country: ISO-2 code or country name; lowers the score of records listed only elsewhere
                (or, with `strict_country`, drops them).
            lists: list codes to search (EL, MEU, UVL, DPL, SDN, ...); all lists if empty.
            limit: most records returned.
            threshold: lowest score returned (default: the start of the "review" band).
        """
        code = country_code(country) if country else None
        if country and code is None:
            raise InvalidScreen(f"unknown country {country!r}: give an ISO-2 code or an English country name")
        codes = self.list_codes(lists)
        result = Screening(query=name, country=code, lists=tuple(codes), threshold=threshold)
        tokens = name_tokens(name)
        if not tokens:
            return result
        mask = self._record_mask(codes, code if strict_country else None)
        side = self.table.side(tokens)
        rows, dice = self.table.overlap(side)
        if mask is not None and len(rows):
            keep = mask[self.table.row_record_array[rows]]
            rows, dice = rows[keep], dice[keep]
        keep = dice >= MIN_OVERLAP
        rows, dice = rows[keep], dice[keep]
        if code and len(rows) > CANDIDATES:
            # A record in the country given must not lose its place among the candidates to namesakes elsewhere.
            dice = dice + COUNTRY_PREFERENCE * (self._in_country(code)[self.table.row_record_array[rows]] == 1)
        if len(rows) > CANDIDATES:
            top = np.argpartition(-dice, CANDIDATES)[:CANDIDATES]
            rows = rows[top]
        best: dict[int, tuple[float, int, Alignment]] = {}
        for row in rows.tolist():
            alignment = align(side, self.table.row_side(row))
            score = alignment.score
            record = self.table.row_record[row]
            if code and self.countries[record] and code not in self.countries[record]:
                score = max(score - COUNTRY_MISMATCH_PENALTY, 0.0)
            if record not in best or score > best[record][0]:
                best[record] = (score, row, alignment)
        # Ties: a record in the country given first, then the binding BIS lists (they carry license policies).
        ranked = sorted(
            (item for item in best.items() if item[1][0] >= threshold),
            key=lambda item: (
                -item[1][0],
                not (code and code in self.countries[item[0]]),
                LIST_ORDER.get(self.entries[item[0]].list_code, len(LIST_ORDER)),
                item[0],
            ),
        )
        result.extend(self._match(name, side, rec, score, row, al, code) for rec, (score, row, al) in ranked[:limit])
        return result

    def _match(
        self, query: str, side: Side, record: int, score: float, row: int, al: Alignment, code: str | None
    ) -> Match:
        unit, entry = self.units[record], self.entries[record]
        table = self.table
        alias_scores = sorted(
            (
                NameScore(name=table.row_text[r], kind=table.row_kind[r], score=align(side, table.row_side(r)).score)
                for r in table.rows_of_record[record]
            ),
            key=lambda s: -s.score,
        )
        return Match(
            query=query,
            id=unit.id,
            list_code=entry.list_code,
            list_name=entry.list_name,
            name=entry.name,
            matched_name=table.row_text[row],
            matched_kind=table.row_kind[row],
            score=round(score, 1),
            band=band_of(score),
            reasons=tuple(self._reasons(query, row, al, record, code)),
            alias_scores=tuple(alias_scores),
            countries=entry.countries,
            addresses=entry.addresses,
            license_requirement=entry.license_requirement,
            license_policy=entry.license_policy,
            federal_register=entry.federal_register,
            programs=entry.programs,
            entity_type=entry.entity_type,
            source_url=unit.url,
            as_of=unit.date,
        )

    def _reasons(self, query: str, row: int, al: Alignment, record: int, code: str | None) -> list[Reason]:
        """Why the row matched, in the order a reviewer reads it."""
        q_tokens = name_tokens(query)
        c_tokens = self.table.row_tokens[row]
        text, kind = self.table.row_text[row], self.table.row_kind[row]
        out: list[Reason] = []

        def add(reason: ReasonKind, detail: str) -> None:
            out.append(Reason(kind=reason, detail=detail))

        if al.score >= 100.0 and not al.extra and not al.missing:
            add("exact", f"same name as {text!r} once case, punctuation and legal forms are set aside")
        if kind == "acronym":
            add("acronym", f"acronym {text!r} of {self.entries[record].name!r}")
        elif kind in ("alias", "aka"):
            add("alias", f"alias {text!r}")
        q_legal, c_legal = _dropped(query, q_tokens), _dropped(text, c_tokens)
        if q_legal != c_legal:
            add(
                "legal_form",
                f"legal form ignored: {' '.join(sorted(q_legal)) or '-'} vs {' '.join(sorted(c_legal)) or '-'}",
            )
        shared = [c_tokens[j] for p in sorted(al.pairs, key=lambda p: p.listed) for j in p.listed]
        add("token_overlap", f"{len(shared)} of {len(c_tokens)} listed words matched: {', '.join(shared)}")
        for p in al.pairs:
            if p.how in ("transliteration", "misspelling", "joined_words"):
                q_words = " ".join(q_tokens[i] for i in p.query)
                add(p.how, f"{q_words} ~ {' '.join(c_tokens[j] for j in p.listed)}")
        if al.reordered:
            add("word_order", "same words in another order")
        if al.extra:
            add("extra_words", "not in the listed name: " + ", ".join(q_tokens[i] for i in al.extra))
        if al.missing:
            add("missing_words", "not in the query: " + ", ".join(c_tokens[j] for j in al.missing))
        listed = self.countries[record]
        if code and code in listed:
            add("country_match", f"listed with an address in {code}")
        elif code and listed:
            penalty = f"-{COUNTRY_MISMATCH_PENALTY:g}"
            add("country_mismatch", f"listed in {', '.join(sorted(listed))}, not {code} ({penalty})")
        return out
