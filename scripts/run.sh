#!/usr/bin/env bash
# One command on a fresh machine: install, fetch the corpus, build the index, answer a question.
#   scripts/run.sh "Is Yangtze Memory Technologies on the Entity List and what license review policy applies?"
# The corpus comes from ../shared/data when that folder exists, otherwise from the official endpoints.
set -euo pipefail
cd "$(dirname "$0")/.."
QUESTION="${1:-Is Yangtze Memory Technologies on the Entity List and what license review policy applies?}"
scripts/setup.sh web
export ASKEAR_HOME="${ASKEAR_HOME:-$PWD/.askear}"
if [ -d ../shared/data ]; then
    .venv/bin/askear corpus sync --from ../shared/data
else
    .venv/bin/askear corpus sync
fi
.venv/bin/askear ingest
.venv/bin/askear ask "$QUESTION"
