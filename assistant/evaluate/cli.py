"""`askear eval`: run a question set end to end and write results.jsonl, summary.json and report.html.

Example:
    askear eval evals/dev.jsonl --baseline --gate evals/thresholds.toml
    askear eval --compare RUN_DIR_OLD RUN_DIR_NEW
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from assistant.errors import AskearError, ConfigError

out = Console()
err = Console(stderr=True)


def register(app: typer.Typer) -> None:
    app.command("eval")(eval_command)


def eval_command(
    questions: Annotated[Path | None, typer.Argument(help="Question set (JSONL), e.g. evals/dev.jsonl")] = None,
    generator: Annotated[str, typer.Option(help="extractive (default) or llm (the model ASKEAR_LLM names)")] = (
        "extractive"
    ),
    out_dir: Annotated[Path | None, typer.Option("--out", help="Run folder (default ASKEAR_HOME/evals/…)")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Questions answered concurrently")] = 1,
    baseline: Annotated[bool, typer.Option("--baseline", help="Also run the dense-only LangChain-style baseline")] = (
        False
    ),
    judge: Annotated[str, typer.Option(help="quote (lexical, default) or llm (adds RAGAS-style metrics)")] = "quote",
    limit: Annotated[int | None, typer.Option(help="Only the first N questions")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only questions of these kinds")] = None,
    gate_file: Annotated[Path | None, typer.Option("--gate", help="Fail (exit 1) below these thresholds")] = None,
    compare: Annotated[
        tuple[Path, Path] | None, typer.Option(help="Print the deltas between two runs (folders or summary.json)")
    ] = None,
) -> None:
    """Evaluate factual grounding on a question set; writes results.jsonl, summary.json, report.html.

    Example: askear eval evals/dev.jsonl --baseline --gate evals/thresholds.toml
    """
    try:
        if compare is not None:
            _print_compare(*compare)
            return
        if questions is None:
            raise ConfigError("give a question file (e.g. evals/dev.jsonl) or --compare OLD NEW")
        _run(questions, generator, out_dir, workers, baseline, judge, limit, kind, gate_file)
    except AskearError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from exc


def _run(
    questions_path: Path, generator: str, out_dir: Path | None, workers: int, with_baseline: bool, judge_name: str,
    limit: int | None, kinds: list[str] | None, gate_file: Path | None,
) -> None:  # fmt: skip
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from assistant.assistant import Assistant
    from assistant.evaluate import runner
    from assistant.evaluate.baseline import DenseBaseline
    from assistant.evaluate.compare import gate, load_thresholds, split_name
    from assistant.evaluate.judge import QuoteJudge
    from assistant.evaluate.questions import load_questions
    from assistant.evaluate.report import write_run
    from assistant.settings import Settings

    if generator not in ("extractive", "llm"):
        raise ConfigError(f"--generator must be extractive or llm, not {generator!r}")
    if judge_name not in ("quote", "llm"):
        raise ConfigError(f"--judge must be quote or llm, not {judge_name!r}")
    questions = load_questions(questions_path)
    if kinds:
        questions = [q for q in questions if q.kind in kinds]
    questions = questions[:limit] if limit else questions
    if not questions:
        raise ConfigError("no questions left after --kind/--limit")

    settings = Settings()
    if generator == "extractive":
        settings = settings.model_copy(update={"llm": "extractive"})
    elif settings.llm == "extractive":
        raise ConfigError("--generator llm needs a model: set ASKEAR_LLM=openai:<model> or ollama:<model>")
    assistant = Assistant.from_settings(settings)
    composer_name = getattr(assistant.composer, "name", type(assistant.composer).__name__)
    if generator == "llm" and composer_name == "extractive":
        raise ConfigError(f"ASKEAR_LLM={settings.llm} did not give an LLM composer in this build")
    generator_label = "extractive" if generator == "extractive" else f"llm ({settings.llm})"

    quote_judge = QuoteJudge(assistant.index.units.get)
    llm_judge = _llm_judge(settings, assistant) if judge_name == "llm" else None
    the_baseline = DenseBaseline.for_assistant(assistant) if with_baseline else None
    judge_text = quote_judge.description + (f"; plus {llm_judge.description}" if llm_judge else "")

    with Progress(
        TextColumn("[bold]eval[/] {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err,
    ) as bar:  # fmt: skip
        task = bar.add_task(questions_path.name, total=len(questions))
        results = runner.run(
            questions, assistant, quote_judge, the_baseline, llm_judge, workers,
            progress=lambda r: bar.update(task, advance=1, description=f"{questions_path.name} {r.question.id}"),
        )  # fmt: skip
    descriptions = {"askear": f"askear ({generator_label}, route + hybrid retrieval + verified composer)"}
    if the_baseline is not None:
        descriptions["baseline"] = the_baseline.description
    summary = runner.summarize(
        results, questions_file=str(questions_path), generator=generator_label, judge=judge_text,
        index_generation=assistant.index.info.name, workers=workers, descriptions=descriptions,
    )  # fmt: skip
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = out_dir or settings.home / "evals" / f"{questions_path.stem}-{generator}-{stamp}"
    paths = write_run(target, results, summary)
    _print_summary(summary)
    out.print(f"wrote {paths['results']}, {paths['summary'].name} and {paths['report'].name}")
    if gate_file is not None:
        failures = gate(summary, load_thresholds(gate_file, split_name(str(questions_path))))
        for failure in failures:
            err.print(f"[red]gate:[/] {failure}")
        if failures:
            raise typer.Exit(1)
        out.print(f"[green]gate passed[/] ({gate_file})")


def _llm_judge(settings: Any, assistant: Any) -> Any:
    from assistant.evaluate.judge import LlmJudge

    if settings.llm == "extractive":
        raise ConfigError("--judge llm needs a model: set ASKEAR_LLM=openai:<model> or ollama:<model>")
    try:
        from assistant.compose.llm import chat_model_from_settings  # the LLM-generation feature owns this
    except ImportError as exc:
        raise ConfigError("--judge llm needs assistant.compose.llm (LLM generation) in this build") from exc
    return LlmJudge(chat_model_from_settings(settings), assistant.embedder.encode_many)


def _print_summary(summary: Any) -> None:
    from rich.table import Table

    from assistant.evaluate.report import ROWS, fmt

    table = Table(title=f"{summary.questions_file} ({summary.generator})")
    table.add_column("metric")
    for system in summary.systems:
        table.add_column(system, justify="right")
    for field, label, _, kind in ROWS:
        values = [getattr(s.overall, field) for s in summary.systems.values()]
        if any(v is not None for v in values):
            table.add_row(label, *(fmt(v, kind) for v in values))
    out.print(table)


def _print_compare(old_path: Path, new_path: Path) -> None:
    from rich.table import Table

    from assistant.evaluate.compare import compare_summaries
    from assistant.evaluate.report import ROWS, fmt, load_summary

    try:
        old, new = load_summary(old_path), load_summary(new_path)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read a run summary: {exc}") from exc
    kinds = {field: kind for field, _, _, kind in ROWS}
    table = Table(title=f"{old_path} → {new_path}")
    for col in ("system", "scope", "metric", "old", "new", "Δ"):
        table.add_column(col, justify="left" if col in ("system", "scope", "metric") else "right")
    for d in compare_summaries(old, new):
        if d.scope != "overall" and not d.change:
            continue  # per-kind rows only where something moved
        style = "" if d.improved is None else "green" if d.improved else "red"
        k = kinds[d.metric]
        change = d.change
        shown = "–" if change is None else (f"{100 * change:+.1f} pt" if k == "pct" else f"{change:+.3f}"
                                            if k == "num" else f"{change:+.0f}")  # fmt: skip
        table.add_row(d.system, d.scope, d.label, fmt(d.old, k), fmt(d.new, k), f"[{style}]{shown}[/]" if style
                      else shown)  # fmt: skip
    out.print(table)
