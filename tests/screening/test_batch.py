"""Batch screening: CSV in (malformed rows reported by line, never fatal), one CSV row per candidate out."""

from __future__ import annotations

import csv
from pathlib import Path

from assistant.screening.batch import OUTPUT_COLUMNS, read_parties, screen_parties, write_results

PARTIES = (
    "name,country\n"
    "Yangtze Memory Technologies,CN\n"  # line 2
    '"Huawei Technologies Co., Ltd.",China\n'  # 3: quoted comma, country by name
    ",RU\n"  # 4: no name
    "Microsoft Corporation,US\n"  # 5: not listed
    "\n"  # 6: blank, ignored
    "Almaz Antey Telecom,Narnia\n"  # 7: unknown country, screened without it
    "SMIC Beijing\n"  # 8: no country column
    '"Unclosed quote company,CN\n'  # 9: unbalanced quote swallows the rest
    "Sugon,CN\n"
)


def test_rows_are_read_and_malformed_ones_reported_by_line() -> None:
    parties, problems = read_parties(PARTIES)
    assert [(p.line, p.name, p.country) for p in parties] == [
        (2, "Yangtze Memory Technologies", "CN"),
        (3, "Huawei Technologies Co., Ltd.", "CN"),
        (5, "Microsoft Corporation", "US"),
        (7, "Almaz Antey Telecom", None),
        (8, "SMIC Beijing", None),
    ]
    assert [(p.line, p.message.split(" ")[0]) for p in problems] == [(4, "no"), (7, "unknown"), (9, "name")]
    assert "to line 10" in problems[-1].message


def test_headerless_and_semicolon_files() -> None:
    parties, problems = read_parties("Sugon;CN\nDawning;China\n")
    assert [(p.name, p.country) for p in parties] == [("Sugon", "CN"), ("Dawning", "CN")] and not problems
    parties, _ = read_parties("Party Name\tCountry Code\nMIPT\tRU\n")
    assert [(p.line, p.name, p.country) for p in parties] == [(2, "MIPT", "RU")]


def test_batch_writes_one_row_per_candidate_and_a_row_for_no_match(screener, tmp_path: Path) -> None:
    parties, _ = read_parties(PARTIES)
    results = screen_parties(screener, parties, limit=3)
    out = tmp_path / "results.csv"
    written = write_results(out, parties, results)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == OUTPUT_COLUMNS and len(rows) == written
    by_line: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_line.setdefault(row["line"], []).append(row)
    assert set(by_line) == {"2", "3", "5", "7", "8"}  # every screened party is accounted for
    assert by_line["5"] == [{**{c: "" for c in OUTPUT_COLUMNS}, "line": "5", "name": "Microsoft Corporation",
                             "country": "US", "band": "no match"}]  # fmt: skip
    ymtc = by_line["2"][0]
    assert ymtc["id"] == "list:EL:Yangtze Memory Technologies Co., Ltd." and ymtc["band"] == "probable"
    assert ymtc["license_policy"] == "Presumption of denial" and "87 FR 77508" in ymtc["federal_register"]
    assert ymtc["why"] and ymtc["source_url"].startswith("https://") and ymtc["as_of"]
    assert [r["rank"] for r in by_line["3"]] == ["1", "2", "3"]
    assert all(float(r["score"]) >= 80 for r in rows if r["score"])
    assert by_line["8"][0]["id"] == "list:EL:Semiconductor Manufacturing International (Beijing) Corporation"


def test_two_processes_give_the_same_results_as_one(screener) -> None:
    parties, _ = read_parties("\n".join(["name", *(f"Huawei Technologies {i}" for i in range(250)), "Sugon"]))
    done: list[int] = []
    one = screen_parties(screener, parties, limit=2)
    two = screen_parties(screener, parties, limit=2, workers=2, progress=done.append)
    assert [[m.id for m in r] for r in one] == [[m.id for m in r] for r in two]
    assert sum(done) == len(parties) == 251
