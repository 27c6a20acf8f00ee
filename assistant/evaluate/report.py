"""The files of a run: results.jsonl, summary.json and a self-contained HTML report (charts inline as PNG)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path

from assistant.evaluate import charts
from assistant.evaluate.metrics import first_rank
from assistant.evaluate.results import Aggregate, QuestionResult, RunSummary

# (field, label, higher is better, format): the rows of the summary tables, in reading order.
ROWS: tuple[tuple[str, str, bool, str], ...] = (
    ("accurate_rate", "accurate (Magesh et al.)", True, "pct"),
    ("incomplete_rate", "incomplete", False, "pct"),
    ("hallucination_rate", "hallucinated", False, "pct"),
    ("fact_recall", "fact recall", True, "pct"),
    ("citation_recall", "citation recall (gold groups cited)", True, "pct"),
    ("citation_precision", "citation precision (ALCE)", True, "pct"),
    ("groundedness", "groundedness (sentences supported by quotes)", True, "pct"),
    ("uncited_share", "uncited sentences", False, "pct"),
    ("hit_at_1", "retrieval hit@1", True, "pct"),
    ("hit_at_5", "retrieval hit@5", True, "pct"),
    ("hit_at_10", "retrieval hit@10", True, "pct"),
    ("recall_at_10", "retrieval recall@10 (groups)", True, "pct"),
    ("mrr", "retrieval MRR", True, "num"),
    ("abstention_precision", "abstention precision", True, "pct"),
    ("abstention_recall", "abstention recall", True, "pct"),
    ("forbidden", "forbidden claims (count)", False, "int"),
    ("faithfulness", "faithfulness (LLM judge)", True, "pct"),
    ("answer_relevancy", "answer relevancy (LLM judge)", True, "num"),
    ("answer_chars", "answer length (chars, answered questions)", False, "round"),
    ("latency_p50_ms", "latency p50 (ms)", False, "ms"),
    ("latency_p95_ms", "latency p95 (ms)", False, "ms"),
    ("errors", "errors", False, "int"),
)
_LABEL_ORDER = {"hallucinated": 0, "error": 1, "incomplete": 2, "accurate": 3}


def fmt(value: float | int | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "pct":
        return f"{100 * value:.1f}%"
    if kind in ("ms", "round"):
        return f"{value:.0f}"
    if kind == "int":
        return str(int(value))
    return f"{value:.3f}"


def write_run(out_dir: Path, results: Sequence[QuestionResult], summary: RunSummary) -> dict[str, Path]:
    """Write results.jsonl, summary.json and report.html into `out_dir`; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "results": out_dir / "results.jsonl",
        "summary": out_dir / "summary.json",
        "report": out_dir / "report.html",
    }
    with paths["results"].open("w", encoding="utf-8") as fh:
        for result in results:
            fh.write(result.model_dump_json() + "\n")
    paths["summary"].write_text(summary.model_dump_json(indent=2) + "\n", encoding="utf-8")
    paths["report"].write_text(render_html(results, summary), encoding="utf-8")
    return paths


def load_summary(path: Path) -> RunSummary:
    """A summary.json, or the summary.json inside a run folder."""
    if path.is_dir():
        path = path / "summary.json"
    return RunSummary.model_validate(json.loads(path.read_text(encoding="utf-8")))


def load_results(path: Path) -> list[QuestionResult]:
    if path.is_dir():
        path = path / "results.jsonl"
    return [QuestionResult.model_validate_json(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _summary_table(summary: RunSummary) -> str:
    systems = list(summary.systems)
    head = "".join(f"<th>{escape(s)}</th>" for s in systems)
    if len(systems) == 2:
        head += "<th>Δ (askear − baseline)</th>"
    rows = []
    for field, label, higher, kind in ROWS:
        values = [getattr(summary.systems[s].overall, field) for s in systems]
        if all(v is None for v in values):
            continue
        cells = "".join(f"<td>{fmt(v, kind)}</td>" for v in values)
        if len(values) == 2:
            cells += f"<td>{_delta_cell(values[0], values[1], higher, kind)}</td>"
        rows.append(f"<tr><th class='metric'>{escape(label)}</th>{cells}</tr>")
    return f"<table class='summary'><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"


def _delta_cell(new: float | None, old: float | None, higher: bool, kind: str) -> str:
    if new is None or old is None:
        return "–"
    delta = new - old
    better = delta > 0 if higher else delta < 0
    css = "good" if better and delta else "bad" if delta else ""
    text = f"{100 * delta:+.1f} pt" if kind == "pct" else f"{delta:+.3f}" if kind == "num" else f"{delta:+.0f}"
    return f"<span class='{css}'>{text}</span>"


_KIND_COLUMNS = (
    ("n", "n", "int"), ("accurate_rate", "accurate", "pct"), ("hallucination_rate", "halluc.", "pct"),
    ("fact_recall", "facts", "pct"), ("citation_recall", "cite recall", "pct"),
    ("groundedness", "grounded", "pct"), ("hit_at_5", "hit@5", "pct"), ("mrr", "MRR", "num"),
    ("abstention_recall", "abst. recall", "pct"),
)  # fmt: skip


_SHORT = {"askear": "us", "baseline": "base"}


def _kind_table(summary: RunSummary) -> str:
    systems = list(summary.systems)
    head = "".join(f"<th colspan='{len(systems)}'>{escape(label)}</th>" for _, label, _ in _KIND_COLUMNS)
    sub = "".join("".join(f"<th class='sys'>{escape(_SHORT.get(s, s))}</th>" for s in systems) for _ in _KIND_COLUMNS)
    kinds = list(summary.systems[systems[0]].kinds) if systems else []
    rows = []
    for kind in kinds:
        cells = []
        for field, _, fmt_kind in _KIND_COLUMNS:
            for s in systems:
                agg: Aggregate | None = summary.systems[s].kinds.get(kind)
                cells.append(f"<td>{fmt(getattr(agg, field) if agg else None, fmt_kind)}</td>")
        rows.append(f"<tr><th class='metric'>{escape(kind)}</th>{''.join(cells)}</tr>")
    return f"<table class='kinds'><tr><th rowspan='2'>kind</th>{head}</tr><tr>{sub}</tr>{''.join(rows)}</table>"


def _answer_block(result: QuestionResult | None) -> str:
    if result is None:
        return "<p class='muted'>not run</p>"
    s = result.scores
    head = (
        f"<p><span class='label {s.label}'>{s.label}</span> facts {fmt(s.fact_recall, 'pct')} · "
        f"cite recall {fmt(s.citation_recall, 'pct')} · grounded {fmt(s.groundedness, 'pct')} · "
        f"hit@5 {fmt(s.hit_at_5, 'pct')} · MRR {fmt(s.mrr, 'num')} · {s.latency_ms:.0f} ms</p>"
    )
    if result.error:
        return head + f"<pre class='error'>{escape(result.error)}</pre>"
    answer = result.answer
    parts = [head]
    if result.missing_facts:
        parts.append(f"<p class='bad'>missing facts: {_codes(result.missing_facts)}</p>")
    if result.forbidden_found:
        parts.append(f"<p class='bad'>forbidden claims: {_codes(result.forbidden_found)}</p>")
    if answer is not None:
        parts.append(f"<blockquote>{escape(answer.answer)}</blockquote>")
        if answer.citations:
            rows = "".join(
                f"<tr><td>[{c.n}]</td><td><code>{escape(c.id)}</code></td><td>{escape(c.source_type)}</td>"
                f"<td>{escape(c.date or '')}</td><td class='quote'>{escape(c.quote[:1200])}</td></tr>"
                for c in answer.citations
            )
            parts.append(f"<table class='cites'><tr><th>n</th><th>id</th><th>type</th><th>date</th>"
                         f"<th>quote</th></tr>{rows}</table>")  # fmt: skip
    if result.judgements:
        items = "".join(
            f"<li class='{'ok' if j.supporting else 'bad'}'>{escape(j.text[:300])} "
            f"<span class='muted'>cites {list(j.cites)}, supported by {list(j.supporting)}: {escape(j.reason[:300])}"
            f"</span></li>"
            for j in result.judgements
        )
        parts.append(f"<details><summary>support judgements</summary><ol>{items}</ol></details>")
    if result.retrieved:
        gold = result.question.cite
        items = "".join(
            f"<li class='{'ok' if gold and first_rank(gold, [uid]) else ''}'><code>{escape(uid)}</code></li>"
            for uid in result.retrieved[:10]
        )
        parts.append(f"<details><summary>retrieved (top 10, gold in green)</summary><ol>{items}</ol></details>")
    return "".join(parts)


def _drilldown(results: Sequence[QuestionResult]) -> str:
    by_id: dict[str, dict[str, QuestionResult]] = {}
    for r in results:
        by_id.setdefault(r.question.id, {})[r.system] = r
    ordered = sorted(by_id.values(), key=lambda d: (_LABEL_ORDER.get(_main(d).scores.label, 9), _main(d).question.id))
    blocks = []
    for pair in ordered:
        main = _main(pair)
        q = main.question
        labels = " ".join(f"<span class='label {r.scores.label}'>{escape(s)}: {r.scores.label}</span>"
                          for s, r in pair.items())  # fmt: skip
        gold = "<br>".join(" or ".join(f"<code>{escape(p)}</code>" for p in g) for g in q.cite) or "–"
        facts = _codes(q.facts) or "–"
        forbid = _codes(q.forbid) or "–"
        columns = "".join(f"<div class='col'><h4>{escape(s)}</h4>{_answer_block(pair.get(s))}</div>"
                          for s in ("askear", "baseline") if s in pair)  # fmt: skip
        blocks.append(
            f"<details class='q' id='{escape(q.id)}'><summary><b>{escape(q.id)}</b> "
            f"<span class='muted'>[{escape(q.kind)}{'' if q.answerable else ', unanswerable'}]</span> "
            f"{labels} {escape(q.question)}</summary>"
            f"<p><b>gold cites:</b> {gold}<br><b>facts:</b> {facts}<br><b>forbid:</b> {forbid}</p>"
            f"<div class='cols'>{columns}</div></details>"
        )
    return "".join(blocks)


def _codes(patterns: Sequence[str]) -> str:
    return ", ".join(f"<code>{escape(p)}</code>" for p in patterns)


def _main(pair: dict[str, QuestionResult]) -> QuestionResult:
    return pair.get("askear") or next(iter(pair.values()))


_CSS = """
body{font-family:system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1400px}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #d0d7de;padding:4px 8px;font-size:13px}
th{background:#f6f8fa}th.metric{text-align:left;font-weight:normal}td{text-align:right}
table.kinds td,table.kinds th{padding:3px 5px;font-size:12px}
table.cites td{text-align:left;vertical-align:top}td.quote{max-width:700px;font-size:12px}
.good{color:#1a7f37;font-weight:600}.bad{color:#cf222e}.muted{color:#656d76;font-size:12px}.ok{color:#1a7f37}
.label{display:inline-block;padding:1px 6px;border-radius:10px;font-size:12px;color:#fff;background:#656d76}
.label.accurate{background:#1a7f37}.label.incomplete{background:#9a6700}.label.hallucinated{background:#cf222e}
details.q{border-top:1px solid #d0d7de;padding:6px 0}.cols{display:flex;gap:16px}.col{flex:1;min-width:0}
blockquote{background:#f6f8fa;margin:4px 0;padding:8px;white-space:pre-wrap;font-size:13px}
img{max-width:100%}pre.error{color:#cf222e;white-space:pre-wrap}
"""


def render_html(results: Sequence[QuestionResult], summary: RunSummary) -> str:
    """The whole report as one HTML document (no external files, scripts or fonts)."""
    latencies = {s: [r.scores.latency_ms for r in results if r.system == s and r.scores.label != "error"]
                 for s in summary.systems}  # fmt: skip
    systems = "".join(f"<li><b>{escape(name)}</b>: {escape(s.description)}</li>" for name, s in summary.systems.items())
    n = next(iter(summary.systems.values())).overall.n if summary.systems else 0
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>askear eval — {escape(summary.questions_file)}</title>
<style>{_CSS}</style></head><body>
<h1>askear evaluation: {escape(summary.questions_file)}</h1>
<p class="muted">{n} questions · generator <b>{escape(summary.generator)}</b> · index {escape(summary.index_generation)}
· {escape(summary.created)} · workers {summary.workers}</p>
<ul>{systems}<li><b>support judge</b>: {escape(summary.judge)}</li></ul>
<h2>Summary</h2>{_summary_table(summary)}
<h2>Per kind</h2>{_kind_table(summary)}
<img alt="accurate and hallucinated share per kind" src="{charts.kind_bars(summary)}">
<h2>Latency</h2><img alt="latency histogram" src="{charts.latency_histogram(latencies)}">
<h2>Questions (worst first)</h2>{_drilldown(results)}
</body></html>
"""
