"""Screen a CSV of parties: read (name, optional country) rows, screen each, write one row per candidate.

Input: a header row naming a `name` column (also `party`, `company`, `customer`) and optionally a
`country` column (also `country_code`, `iso2`); without a recognisable header the first column is the
name and the second, if any, the country. A malformed row (no name, an unbalanced quote swallowing
later lines, an unknown country, a name too long to be one) is reported with its line number and
skipped or screened without the country, never fatal.

Output: one row per candidate match, and one row with `band` "no match" for a name that matched
nothing, so every input line is accounted for.
"""

from __future__ import annotations

import csv
import gc
import io
import multiprocessing
from collections.abc import Callable, Iterable
from pathlib import Path

from assistant.models import Frozen
from assistant.screening.countries import country_code
from assistant.screening.matcher import Screener
from assistant.screening.models import DEFAULT_THRESHOLD, Match

MAX_NAME_CHARS = 300  # longer "names" are whole paragraphs, usually an unbalanced quote
NAME_COLUMNS = ("name", "party", "party name", "party_name", "company", "customer", "entity")
COUNTRY_COLUMNS = ("country", "country code", "country_code", "iso2", "iso", "cc")
OUTPUT_COLUMNS = (
    "line", "name", "country", "rank", "band", "score", "list_code", "id", "listed_name", "matched_name",
    "matched_kind", "why", "countries", "addresses", "license_requirement", "license_policy",
    "federal_register", "source_url", "as_of",
)  # fmt: skip


class Party(Frozen):
    """One input row to screen."""

    line: int
    name: str
    country: str | None = None


class RowProblem(Frozen):
    """A malformed input row, by line number."""

    line: int
    message: str


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(n) for n in names if n in lowered), None)


def read_parties(text: str) -> tuple[list[Party], list[RowProblem]]:
    """Parties of a CSV document, and the problems of the rows that could not be read as they stand."""
    parties: list[Party] = []
    problems: list[RowProblem] = []
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    name_col, country_col = 0, 1
    first = True
    while True:
        line = reader.line_num + 1  # where this row starts (an unbalanced quote makes it span lines)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(RowProblem(line=line, message=f"unreadable CSV: {exc}"))
            continue
        if first:
            first = False
            found = _column(row, NAME_COLUMNS)
            if found is not None:
                name_col = found
                country_col = _column(row, COUNTRY_COLUMNS)  # type: ignore[assignment]
                continue
        if not any(cell.strip() for cell in row):
            continue  # blank lines are not rows
        name = row[name_col].strip() if name_col < len(row) else ""
        if not name:
            problems.append(RowProblem(line=line, message="no name"))
            continue
        if len(name) > MAX_NAME_CHARS or "\n" in name:
            span = f" (to line {reader.line_num})" if reader.line_num > line else ""
            problems.append(RowProblem(line=line, message=f"name too long or spans lines{span}: unbalanced quote?"))
            continue
        country = row[country_col].strip() if country_col is not None and country_col < len(row) else ""
        if country and country_code(country) is None:
            problems.append(RowProblem(line=line, message=f"unknown country {country!r}; screened without it"))
            country = ""
        parties.append(Party(line=line, name=name, country=country_code(country) if country else None))
    return parties, problems


def read_parties_file(path: Path) -> tuple[list[Party], list[RowProblem]]:
    """`read_parties` of a file (UTF-8, a BOM allowed; undecodable bytes are replaced, not fatal)."""
    return read_parties(path.read_text(encoding="utf-8-sig", errors="replace"))


_WORKER: Screener | None = None
_OPTIONS: dict[str, object] = {}


def _screen_chunk(chunk: list[Party]) -> list[list[Match]]:
    assert _WORKER is not None
    return [_WORKER.screen(p.name, country=p.country, **_OPTIONS) for p in chunk]  # type: ignore[arg-type]


def screen_parties(
    screener: Screener,
    parties: list[Party],
    lists: Iterable[str] | None = None,
    limit: int = 10,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[list[Match]]:
    """The matches of each party, in input order. With `workers` > 1 the screen runs in forked processes
    that share the built screener (copy-on-write), so the second core is used without rebuilding it."""
    global _WORKER, _OPTIONS
    options: dict[str, object] = {"lists": list(lists) if lists else None, "limit": limit, "threshold": threshold}
    chunk_size = 200
    chunks = [parties[i : i + chunk_size] for i in range(0, len(parties), chunk_size)]
    results: list[list[Match]] = []
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if workers > 1 and can_fork and len(chunks) > 1:
        _WORKER, _OPTIONS = screener, options
        # Freeze the built screener out of the collector's sight: a collection in a child would touch every
        # object and copy the parent's pages the fork shares.
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for done in pool.imap(_screen_chunk, chunks):
                    results.extend(done)
                    if progress:
                        progress(len(done))
        finally:
            gc.unfreeze()
            _WORKER, _OPTIONS = None, {}
        return results
    for chunk in chunks:
        results.extend(screener.screen(p.name, country=p.country, **options) for p in chunk)  # type: ignore[arg-type]
        if progress:
            progress(len(chunk))
    return results


def result_rows(parties: list[Party], results: list[list[Match]]) -> Iterable[dict[str, object]]:
    """Output rows: one per candidate match, one "no match" row for a party without any."""
    for party, matches in zip(parties, results, strict=True):
        base: dict[str, object] = {"line": party.line, "name": party.name, "country": party.country or ""}
        if not matches:
            yield base | {"band": "no match"}
        for rank, m in enumerate(matches, start=1):
            yield base | {
                "rank": rank,
                "band": m.band,
                "score": m.score,
                "list_code": m.list_code,
                "id": m.id,
                "listed_name": m.name,
                "matched_name": m.matched_name,
                "matched_kind": m.matched_kind,
                "why": m.why,
                "countries": "; ".join(m.countries),
                "addresses": " | ".join(m.addresses),
                "license_requirement": m.license_requirement or "",
                "license_policy": m.license_policy or "",
                "federal_register": m.federal_register or "",
                "source_url": m.source_url or "",
                "as_of": m.as_of or "",
            }


def write_results(path: Path, parties: list[Party], results: list[list[Match]]) -> int:
    """Write the output CSV; returns the number of rows written."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=OUTPUT_COLUMNS)
        writer.writeheader()
        for row in result_rows(parties, results):
            writer.writerow(row)
            n += 1
    return n
