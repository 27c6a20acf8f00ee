"""Compare two runs, and gate a run against the thresholds kept in the repo (evals/thresholds.toml)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from assistant.evaluate.report import ROWS
from assistant.evaluate.results import Aggregate, RunSummary
from assistant.models import Frozen

GATED_SYSTEM = "askear"


class Delta(Frozen):
    system: str
    scope: str = "overall"  # "overall" or a question kind
    metric: str
    label: str
    old: float | None
    new: float | None
    higher_is_better: bool

    @property
    def change(self) -> float | None:
        return None if self.old is None or self.new is None else self.new - self.old

    @property
    def improved(self) -> bool | None:
        change = self.change
        if not change:
            return None
        return change > 0 if self.higher_is_better else change < 0


def compare_summaries(old: RunSummary, new: RunSummary, kinds: bool = True) -> list[Delta]:
    """Metric deltas new − old for every system both runs have, overall and (optionally) per kind."""
    out: list[Delta] = []
    for system in new.systems:
        if system not in old.systems:
            continue
        scopes: list[tuple[str, Aggregate, Aggregate]] = [
            ("overall", old.systems[system].overall, new.systems[system].overall)
        ]
        if kinds:
            for kind, agg in new.systems[system].kinds.items():
                if kind in old.systems[system].kinds:
                    scopes.append((kind, old.systems[system].kinds[kind], agg))
        for scope, before, after in scopes:
            for field, label, higher, _ in ROWS:
                a, b = getattr(before, field), getattr(after, field)
                if a is None and b is None:
                    continue
                out.append(Delta(system=system, scope=scope, metric=field, label=label, old=a, new=b,
                                 higher_is_better=higher))  # fmt: skip
    return out


def load_thresholds(path: Path, split: str) -> dict[str, dict[str, float]]:
    """`[<split>.min]` and `[<split>.max]` tables of a thresholds file: metric name → bound."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if split not in data:
        raise KeyError(f"{path} has no thresholds for split {split!r} (has: {', '.join(data) or 'none'})")
    section = data[split]
    return {"min": dict(section.get("min", {})), "max": dict(section.get("max", {}))}


def gate(summary: RunSummary, thresholds: dict[str, dict[str, float]], system: str = GATED_SYSTEM) -> list[str]:
    """Failures of `system`'s overall figures against the bounds; empty when the run passes.

    A metric that is undefined (None) fails its bound: a gate that silently passes on no data is no gate."""
    overall = summary.systems[system].overall
    failures = []
    for bound, limits in thresholds.items():
        for metric, limit in limits.items():
            if metric not in Aggregate.model_fields:
                failures.append(f"unknown metric {metric!r} in thresholds")
                continue
            value = getattr(overall, metric)
            if value is None:
                failures.append(f"{metric} is undefined (bound {bound} {limit})")
            elif bound == "min" and value < limit:
                failures.append(f"{metric} = {value:.4f} < minimum {limit}")
            elif bound == "max" and value > limit:
                failures.append(f"{metric} = {value:.4f} > maximum {limit}")
    return failures


def split_name(questions_file: str) -> str:
    """'evals/dev.jsonl' → 'dev' (the thresholds section a run is gated by)."""
    return Path(questions_file).stem
