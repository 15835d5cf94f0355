#!/usr/bin/env bash
# Build the zip the QGIS plugin repository accepts: one top folder "kde_heatmap" holding the
# committed plugin files only (no tests, benchmarks, caches or .git), named after the version
# in metadata.txt: dist/kde_heatmap-<version>.zip. It ships icon.svg (metadata.txt's icon=), the
# help page docs/help/index.html that the dialog's Help button opens, and the pictures that page
# shows (the README's, linked as ../../docs/...); run scripts/make_help.py after editing
# README.md, and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version=//p' metadata.txt)
mapfile -t pictures < <(git show HEAD:docs/help/index.html | grep -o 'src="\.\./\.\./[^"]*"' |
    sed 's|^src="\.\./\.\./||; s|"$||' | sort -u)
mkdir -p dist
git archive --format=zip --prefix=kde_heatmap/ -o "dist/kde_heatmap-$version.zip" HEAD \
    metadata.txt __init__.py LICENSE README.md icon.svg docs/help "${pictures[@]}" \
    kde_heatmap_plugin i18n
echo "dist/kde_heatmap-$version.zip"
