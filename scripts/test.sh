#!/usr/bin/env bash
# Set up (QGIS and the test tools, see setup.sh) and run the whole test suite: the pure-NumPy
# core, the QGIS algorithm through Processing, a model and qgis_process; then lint.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest -p no:cacheprovider "$@"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
