"""askear command line: thin commands that parse, call the library and render.

Example:
    askear corpus sync --from ../shared/data && askear ingest
    askear ask "What are the reasons for control for ECCN 3A090?"
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.errors import AskearError

app = typer.Typer(
    help=__doc__,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
corpus_app = typer.Typer(help="Get the source documents.", no_args_is_help=True)
index_app = typer.Typer(help="Manage index generations.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")
app.add_typer(index_app, name="index")

out = Console()
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a rendered view")]


def _fail(exc: AskearError, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {exc}")
    raise typer.Exit(code)


def _settings():
    from assistant.settings import Settings

    return Settings()


@corpus_app.command("sync")
def corpus_sync(
    from_dir: Annotated[
        Path | None, typer.Option("--from", help="Read a local copy laid out like ../shared/data instead")
    ] = None,
    only: Annotated[list[str] | None, typer.Option("--source", help="Sync only these source ids")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Fetch every source from its official endpoint (or --from DIR) into ASKEAR_HOME/raw."""
    from assistant.sources.catalog import load_catalog
    from assistant.sources.sync import sync

    settings = _settings()
    try:
        specs = [s for s in load_catalog(settings.corpus_file) if not only or s.id in only]
        if from_dir is not None and not from_dir.is_dir():
            _fail(AskearError(f"--from {from_dir}: not a folder"))
        outcomes = sync(
            specs,
            settings.raw_dir,
            from_dir,
            progress=None if as_json else lambda o: out.print(("[green]✓[/] " if o.ok else "[red]✗[/] ") + o.source_id
                                                              + f": {o.message}"),
        )  # fmt: skip
    except AskearError as exc:
        _fail(exc)
    if as_json:
        out.print_json(json.dumps([o.model_dump() for o in outcomes]))
    if not any(o.ok for o in outcomes):
        raise typer.Exit(1)


@app.command()
def ingest(as_json: JsonOpt = False) -> None:
    """Build a new index generation from the synced sources (incremental; atomic switch when complete)."""
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

    from assistant.index.ingest import ingest as run_ingest

    settings = _settings()
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
        console=err, disable=as_json,
    ) as bar:  # fmt: skip
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            report = run_ingest(settings, progress=progress)
        except AskearError as exc:
            _fail(exc)
    if as_json:
        out.print_json(report.model_dump_json())
    elif report.created:
        out.print(
            f"[green]generation {report.generation}[/]: {report.units} units, {report.chunks} chunks; "
            f"+{report.added} added, {report.changed} changed, -{report.removed} removed, "
            f"{report.embedded} embedded in {report.seconds:.0f} s"
        )
    else:
        out.print(f"index is up to date ({report.generation}, {report.units} units): nothing to add")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes")],
    as_json: JsonOpt = False,
) -> None:
    """Answer a question with numbered citations (abstains when the sources do not answer it)."""
    from assistant.assistant import Assistant
    from assistant.render import console

    try:
        answer = Assistant.from_settings(_settings()).ask(question)
    except AskearError as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(answer.model_dump_json(indent=2) + "\n")
    else:
        out.print(console(answer))


@app.command()
def stats(as_json: JsonOpt = False) -> None:
    """Units per source type, sources with their as-of dates, index size and generations."""
    from assistant.index import generation as gens
    from assistant.index.store import collection_prefix

    settings = _settings()
    try:
        live = gens.live_path(settings.index_dir)
    except AskearError as exc:
        _fail(exc)
    info = gens.read_info(live)
    size = sum(p.stat().st_size for p in live.rglob("*") if p.is_file())
    if settings.chroma_url:
        where = f"{settings.chroma_url} {settings.chroma_tenant}/{settings.chroma_database}"
        vectors = f"Chroma server {where}, collections {collection_prefix(info.name)}-*"
    else:
        vectors = f"embedded Chroma in {live / 'chroma'}"
    data = {
        "generation": info.name,
        "created": info.created,
        "units": info.units,
        "chunks": info.chunks,
        "dense_chunks": info.dense_chunks,
        "index_bytes": size,
        "vector_store": vectors,
        "sources": [s.model_dump() for s in info.sources],
        "generations": [g.name for g in gens.list_generations(settings.index_dir)],
    }
    if as_json:
        out.print_json(json.dumps(data))
        return
    from rich.table import Table

    table = Table(title=f"askear index {info.name} ({size / 1e6:.0f} MB, {info.chunks} chunks)")
    for col in ("source", "type", "as of", "units"):
        table.add_column(col)
    for s in info.sources:
        table.add_row(s.source_id, s.kind, s.as_of or "-", str(s.units))
    out.print(table)
    out.print("units by type: " + ", ".join(f"{k} {v}" for k, v in sorted(info.units.items())))
    out.print("generations: " + ", ".join(data["generations"]))
    out.print(f"vectors: {vectors}; BM25, units and lists: {live}")


@app.command("config")
def config_show(as_json: JsonOpt = False) -> None:
    """Every setting: its environment variable, current value and meaning."""
    from assistant.settings import describe

    rows = describe(_settings())
    if as_json:
        out.print_json(json.dumps([{"env": e, "value": v, "description": d} for e, v, d in rows]))
        return
    from rich.table import Table

    table = Table(title="askear settings (environment variables or .env)")
    for col in ("variable", "value", "meaning"):
        table.add_column(col)
    for row in rows:
        table.add_row(*row)
    out.print(table)


@index_app.command("restore")
def index_restore() -> None:
    """Make the previous index generation live again."""
    from assistant.index import generation as gens

    try:
        name = gens.restore_previous(_settings().index_dir)
    except AskearError as exc:
        _fail(exc)
    out.print(f"live generation is now {name}")


# Commands that live beside their feature (screening, evals, web, Slack) register themselves here.
_EXTENSIONS = (
    "assistant.screening.cli",
    "assistant.evaluate.cli",
    "assistant.web.cli",
    "assistant.slack.cli",
)


def _register_extensions() -> None:
    from importlib import import_module

    for name in _EXTENSIONS:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # feature not installed in this tree
            raise
        module.register(app)


_register_extensions()

if __name__ == "__main__":
    app()
