#!/usr/bin/env bash
# Build the zip the QGIS plugin repository accepts: one top folder "kde_heatmap" holding the
# committed plugin files only (no tests, benchmarks, caches or .git), named after the version
# in metadata.txt: dist/kde_heatmap-<version>.zip. It ships icon.svg (metadata.txt's icon=) and
# docs/ (the help page docs/help/index.html that the dialog's Help button opens, and the
# pictures it shows); run scripts/make_help.py after editing README.md, and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' metadata.txt)
mkdir -p dist
git archive --format=zip --prefix=kde_heatmap/ -o "dist/kde_heatmap-$version.zip" HEAD \
    metadata.txt __init__.py LICENSE README.md icon.svg docs kde_heatmap_plugin i18n
echo "dist/kde_heatmap-$version.zip"
