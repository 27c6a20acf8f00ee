"""Scoring hand-made answers, the run files, the HTML report, comparisons, the gate and the CLI."""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from assistant.evaluate import runner
from assistant.evaluate.compare import compare_summaries, gate, load_thresholds
from assistant.evaluate.judge import QuoteJudge
from assistant.evaluate.questions import parse_questions
from assistant.evaluate.report import load_results, load_summary, write_run
from assistant.models import Answer

QUESTIONS = [
    {"id": "party-1", "question": "Is YMTC listed? <script>alert(1)</script>", "kind": "party", "answerable": True,
     "cite": [["^list:EL:Yangtze"]], "facts": ["presumption of denial"], "forbid": []},
    {"id": "reg-1", "question": "How long are records kept?", "kind": "regulation", "answerable": True,
     "cite": [[r"^15 CFR 762\.6"]], "facts": ["five years"], "forbid": ["one year"]},
    {"id": "oos-1", "question": "What is the capital of France?", "kind": "unanswerable", "answerable": False,
     "forbid": ["Paris"]},
]  # fmt: skip
ABSTAIN = Answer(question="q", answer="The indexed sources do not answer this.", abstained=True)


def _results(units, good_answer, *, baseline_misses: bool):
    judge = QuoteJudge(units.get)
    qs = parse_questions([json.dumps(q) for q in QUESTIONS])
    retrieved = ["list:EL:Yangtze Memory Technologies Co., Ltd.", "15 CFR 762.6(a)"]
    out = []
    for q in qs:
        ours = good_answer if q.answerable else ABSTAIN
        out.append(runner.score(q, ours, retrieved, judge, 120.0, "askear"))
        theirs = ABSTAIN if baseline_misses and q.answerable else good_answer
        out.append(runner.score(q, theirs, list(reversed(retrieved)), judge, 10.0, "baseline"))
    return out


def _summary(results):
    return runner.summarize(
        results, questions_file="evals/dev.jsonl", generator="extractive", judge="quote", index_generation="gen-x",
        workers=1, descriptions={"askear": "us", "baseline": "dense"},
    )  # fmt: skip


def test_scores_follow_the_gold_data(units, good_answer) -> None:
    results = _results(units, good_answer, baseline_misses=False)
    ours = {r.question.id: r for r in results if r.system == "askear"}
    assert ours["party-1"].scores.label == "accurate" and ours["party-1"].scores.hit_at_1 == 1.0
    assert ours["reg-1"].scores.mrr == 0.5 and ours["reg-1"].scores.citation_recall == 1.0
    assert ours["oos-1"].scores.label == "accurate" and ours["oos-1"].scores.fact_recall is None
    theirs = {r.question.id: r for r in results if r.system == "baseline"}
    assert theirs["oos-1"].scores.label == "hallucinated"  # it answered a question the sources cannot answer
    summary = _summary(results)
    assert summary.systems["askear"].overall.accurate_rate == 1.0
    assert summary.systems["baseline"].overall.abstention_recall == 0.0
    assert set(summary.systems["askear"].kinds) == {"party", "regulation", "unanswerable"}


class _WellFormed(HTMLParser):
    """Fails on a closing tag that does not close the innermost open element."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "img", "br", "hr", "input", "link"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "img":
            self.images.append(dict(attrs)["src"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def test_run_files_and_a_self_contained_html_report(tmp_path, units, good_answer) -> None:
    results = _results(units, good_answer, baseline_misses=True)
    paths = write_run(tmp_path / "run", results, _summary(results))
    html = paths["report"].read_text(encoding="utf-8")
    parser = _WellFormed()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    assert len(parser.images) == 2  # per-kind bar chart and latency histogram
    for src in parser.images:
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", html)  # nothing fetched from elsewhere
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Presumption of denial" in html and "reg-1" in html
    baseline = load_summary(tmp_path / "run").systems["baseline"].overall
    assert baseline.incomplete_rate == pytest.approx(2 / 3) and baseline.hallucination_rate == pytest.approx(1 / 3)
    assert [r.question.id for r in load_results(tmp_path / "run")][:2] == ["party-1", "party-1"]


def test_compare_reports_deltas_with_direction(units, good_answer) -> None:
    old = _summary(_results(units, good_answer, baseline_misses=True))
    new_results = _results(units, good_answer, baseline_misses=False)
    deltas = compare_summaries(old, _summary(new_results))
    base = {d.metric: d for d in deltas if d.system == "baseline" and d.scope == "overall"}
    assert base["fact_recall"].change == pytest.approx(1.0) and base["fact_recall"].improved
    assert base["abstention_recall"].change == 0.0 and base["abstention_recall"].improved is None
    assert base["incomplete_rate"].change == pytest.approx(-2 / 3) and base["incomplete_rate"].improved
    ours = [d for d in deltas if d.system == "askear" and d.metric != "latency_p50_ms"]
    assert all(not d.change for d in ours)


def test_gate_fails_below_minimum_above_maximum_and_on_undefined(tmp_path, units, good_answer) -> None:
    summary = _summary(_results(units, good_answer, baseline_misses=True))
    thresholds = tmp_path / "thresholds.toml"
    thresholds.write_text(
        "[dev.min]\nfact_recall = 0.9\nfaithfulness = 0.5\n[dev.max]\nhallucination_rate = 0.1\nerrors = 0\n"
    )
    bounds = load_thresholds(thresholds, "dev")
    assert gate(summary, bounds) == ["faithfulness is undefined (bound min 0.5)"]
    assert any("hallucination_rate = 0.3333 > maximum 0.1" in f for f in gate(summary, bounds, "baseline"))
    with pytest.raises(KeyError, match="no thresholds for split 'test'"):
        load_thresholds(thresholds, "test")


def test_cli_compare_prints_the_deltas(tmp_path, units, good_answer) -> None:
    from assistant.cli import app

    for name, misses in (("old", True), ("new", False)):
        results = _results(units, good_answer, baseline_misses=misses)
        write_run(tmp_path / name, results, _summary(results))
    result = CliRunner().invoke(app, ["eval", "--compare", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    assert "fact recall" in result.output and "+100.0 pt" in result.output


def test_cli_eval_without_questions_fails_cleanly() -> None:
    from assistant.cli import app

    result = CliRunner().invoke(app, ["eval"])
    assert result.exit_code == 1 and "question file" in result.output


def test_repo_thresholds_cover_the_dev_split() -> None:
    bounds = load_thresholds(Path(__file__).resolve().parents[2] / "evals" / "thresholds.toml", "dev")
    assert bounds["min"] and bounds["max"]["errors"] == 0
