#!/usr/bin/env bash
# Refresh requirements.lock: resolve the project's whole dependency set (with the dev extra) in a new,
# empty virtual environment against the newest releases, and record every version installed.
# CI (.ci/run) installs with this file as pip constraints, so it tests what was tested here; commit the
# refreshed file once the suite passes with it. `.ci/run --latest` runs the suite without it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --upgrade pip
"$tmp/venv/bin/python" -m pip install -q -e '.[dev]'
{
  echo "# Every package the tests install, as resolved by scripts/refresh_lock.sh on $(date -u +%Y-%m-%d)"
  echo "# (Python $("$tmp/venv/bin/python" -c 'import platform; print(platform.python_version())')). Used by .ci/run as pip constraints."
  "$tmp/venv/bin/python" -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools|wheel)==' | LC_ALL=C sort -f
} > requirements.lock
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
