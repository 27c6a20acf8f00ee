#!/usr/bin/env bash
# One command on a fresh machine: install everything the tests need, then lint and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
# The browser tests drive Debian's Chromium (never a downloaded browser build).
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
.venv/bin/ruff check assistant tests bench evals scripts
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
# pytest exits 5 when it collected nothing: that is a failure here, not a pass.
[ "$code" -eq 5 ] && echo "no tests were collected" >&2
exit "$code"
