#!/usr/bin/env bash
# Create .venv and install askear into it. Usage: scripts/setup.sh [extras]   e.g. scripts/setup.sh test
# torch is installed first and pinned: 2.13.0 is the CPU build pip finds locally; any other torch
# would pull a multi-GB CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="${1:-}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
    .venv/bin/pip install -q -U pip
fi
STAMP=".venv/.askear-installed-${EXTRAS:-base}"
HASH="$(sha256sum pyproject.toml | cut -c1-16)"
if [ "$(cat "$STAMP" 2>/dev/null)" != "$HASH" ]; then
    .venv/bin/pip install -q "torch==2.13.0"
    if [ -n "$EXTRAS" ]; then
        .venv/bin/pip install -q -e ".[$EXTRAS]"
    else
        .venv/bin/pip install -q -e .
    fi
    echo "$HASH" > "$STAMP"
fi
