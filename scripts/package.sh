#!/usr/bin/env bash
# Build the zip the QGIS plugin repository accepts: one top folder "kde_heatmap" holding the
# committed plugin files only (no tests, benchmarks, caches or .git), named after the version
# in metadata.txt: dist/kde_heatmap-<version>.zip.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' metadata.txt)
mkdir -p dist
git archive --format=zip --prefix=kde_heatmap/ -o "dist/kde_heatmap-$version.zip" HEAD \
    metadata.txt __init__.py LICENSE README.md kde_heatmap_plugin i18n
echo "dist/kde_heatmap-$version.zip"
