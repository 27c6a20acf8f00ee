"""`askear screen`: screen one party name, or a CSV of them, against every screening list.

    askear screen "Yangtze Memory Tech" --country CN
    askear screen "Almaz Antey Telecom" --lists EL,SDN --json
    askear screen --csv parties.csv --out results.csv

Imported at CLI start (see assistant.cli._EXTENSIONS), so everything heavy is imported inside the command.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from assistant.screening.models import Screening


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_command)


def screen_command(
    name: Annotated[str | None, typer.Argument(help="Party name, in quotes (omit with --csv)")] = None,
    country: Annotated[str | None, typer.Option(help="ISO-2 code or country name; lowers other countries' scores")] = (
        None
    ),
    lists: Annotated[str | None, typer.Option(help="Comma-separated list codes, e.g. EL,MEU (default: all)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="Most matches per name")] = 10,
    threshold: Annotated[float | None, typer.Option(min=0, max=100, help="Lowest score shown (default 80)")] = None,
    csv_in: Annotated[Path | None, typer.Option("--csv", help="Screen every row of this CSV (name[,country])")] = None,
    out: Annotated[Path | None, typer.Option(help="Output CSV for --csv: one row per candidate match")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Processes for --csv (forked; pays off on idle cores only)")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a rendered view")] = False,
) -> None:
    """Screen a party against the Entity, MEU, Unverified, Denied Persons, SDN and other lists: fuzzy,
    alias- and acronym-aware, with the reason for every match. No match is not a clearance."""
    from rich.console import Console

    from assistant.errors import AskearError
    from assistant.screening.load import units_from_index
    from assistant.screening.matcher import Screener
    from assistant.screening.models import DEFAULT_THRESHOLD
    from assistant.settings import Settings

    err = Console(stderr=True)
    if (name is None) == (csv_in is None):
        err.print("[bold red]error:[/] give a NAME or --csv FILE (one of them)")
        raise typer.Exit(2)
    if csv_in is not None and out is None:
        err.print("[bold red]error:[/] --csv needs --out FILE for the results")
        raise typer.Exit(2)
    codes = [c.strip() for c in lists.split(",") if c.strip()] if lists else None
    floor = DEFAULT_THRESHOLD if threshold is None else threshold
    try:
        # Only the list units are needed: not the model, the chunks or the vector store an Assistant loads.
        screener = Screener(units_from_index(Settings()))
        if csv_in is not None:
            assert out is not None
            _batch(screener, csv_in, out, codes, limit, floor, workers, as_json, err)
            return
        assert name is not None
        result = screener.screen(name, country=country, lists=codes, limit=limit, threshold=floor)
    except AskearError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(result.report().model_dump_json(indent=2) + "\n")
    else:
        Console().print(_render(result))


def _batch(screener, csv_in: Path, out: Path, codes, limit: int, floor: float, workers: int, as_json: bool, err):  # type: ignore[no-untyped-def]
    import json

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.errors import AskearError
    from assistant.screening.batch import read_parties_file, screen_parties, write_results
    from assistant.screening.models import NO_HIT_NOTE

    try:
        parties, problems = read_parties_file(csv_in)
    except OSError as exc:
        raise AskearError(f"cannot read {csv_in}: {exc}") from None
    for problem in problems:
        err.print(f"[yellow]{csv_in}:{problem.line}:[/] {problem.message}", soft_wrap=True, highlight=False)
    screener.list_codes(codes)  # an unknown list fails before the batch starts
    with Progress(
        TextColumn("screening"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err, disable=as_json
    ) as bar:
        task = bar.add_task("screen", total=len(parties))
        results = screen_parties(
            screener, parties, lists=codes, limit=limit, threshold=floor, workers=workers,
            progress=lambda n: bar.advance(task, n),
        )  # fmt: skip
    rows = write_results(out, parties, results)
    hits = sum(1 for r in results if r)
    summary = {
        "parties": len(parties),
        "with_matches": hits,
        "probable": sum(1 for r in results if r and r[0].band == "probable"),
        "rows_written": rows,
        "malformed_rows": [p.model_dump() for p in problems],
        "out": str(out),
        "note": NO_HIT_NOTE,
    }
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        err.print(
            f"{len(parties)} parties screened: {hits} with candidate matches ({summary['probable']} probable); "
            f"{rows} rows written to {out}; {len(problems)} malformed rows reported above."
        )
        err.print(f"[dim]{NO_HIT_NOTE}[/]")


def _render(result: Screening):  # type: ignore[no-untyped-def]
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from assistant.screening.models import OWNERSHIP_RULE_ID

    where = f" (country {result.country})" if result.country else ""
    parts: list = []
    if not result:
        parts.append(Text(f"No listed party scored {result.threshold:g} or more for {result.query!r}{where}."))
    else:
        table = Table(title=f"Screening {result.query!r}{where}: {len(result)} candidate matches", show_lines=True)
        for col in ("score", "list", "record / matched name", "why", "license policy · FR"):
            table.add_column(col, overflow="fold")
        for m in result:
            style = "bold red" if m.band == "probable" else "yellow"
            record = f"{m.name}\n[dim]{m.id}[/]" + (f"\nmatched: {m.matched_name}" if m.matched_name != m.name else "")
            facts = "\n".join(x for x in (m.license_policy, m.federal_register, f"as of {m.as_of}") if x)
            table.add_row(f"[{style}]{m.score:.0f}\n{m.band}[/]", m.list_code, record, m.why, facts)
        parts.append(table)
    parts.extend(Text(f"Note: {n}", style="dim") for n in result.notes)
    parts.append(Text(f"See {OWNERSHIP_RULE_ID}.", style="dim"))
    return Group(*parts)
