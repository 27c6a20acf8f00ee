"""Report charts as inline PNG data URIs (matplotlib, headless), so the HTML report is one self-contained file."""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence

from assistant.evaluate.results import RunSummary

COLOURS = {"askear": "#1f6feb", "baseline": "#9a6700"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and in CI
    import matplotlib.pyplot as plt

    return plt


def _data_uri(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    _pyplot().close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def kind_bars(summary: RunSummary) -> str:
    """Per kind: accurate rate and hallucination rate of each system, side by side."""
    plt = _pyplot()
    systems = list(summary.systems)
    kinds = list(next(iter(summary.systems.values())).kinds) if systems else []
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
    width = 0.8 / max(1, len(systems))
    for ax, metric, title in zip(
        axes, ("accurate_rate", "hallucination_rate"), ("Accurate (Magesh et al.)", "Hallucinated"), strict=True
    ):
        for i, system in enumerate(systems):
            per_kind = summary.systems[system].kinds
            values = [getattr(per_kind[k], metric) or 0.0 if k in per_kind else 0.0 for k in kinds]
            xs = [x + (i - (len(systems) - 1) / 2) * width for x in range(len(kinds))]
            ax.bar(xs, values, width=width, label=system, color=COLOURS.get(system))
        ax.set_title(title)
        ax.set_xticks(range(len(kinds)))
        ax.set_xticklabels([k.replace("_", " ") for k in kinds], rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1)
        ax.grid(axis="y", alpha=0.3)
    axes[0].set_ylabel("share of questions")
    axes[0].legend()
    return _data_uri(fig)


def latency_histogram(latencies: Mapping[str, Sequence[float]]) -> str:
    """Per-question answer latency of each system (ms)."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.4))
    top = max((max(v) for v in latencies.values() if v), default=1.0)
    bins = [top * i / 30 for i in range(31)]
    for system, values in latencies.items():
        if values:
            ax.hist(values, bins=bins, alpha=0.6, label=system, color=COLOURS.get(system))
    ax.set_xlabel("latency per question (ms)")
    ax.set_ylabel("questions")
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    return _data_uri(fig)
