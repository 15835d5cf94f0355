#!/usr/bin/env bash
# Run qgis_process with this repository enabled as the plugin "kde_heatmap", in a throw-away
# QGIS profile, headless. Arguments are passed to qgis_process, e.g.
#   scripts/qgis-process.sh run kdeheatmap:heatmap -- INPUT=... OUTPUT=...
# Debian 12's /usr/bin/qgis_process wrapper passes a flag QGIS 3.22 rejects (QGIS issue
# 57683), so the real binary qgis_process.bin is used where it exists.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

qgis_process=$(command -v qgis_process.bin || command -v qgis_process || true)
if [ -z "$qgis_process" ]; then
    echo "qgis_process not found: run scripts/setup.sh first." >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/profile" "$work/plugins"
ln -s "$root" "$work/plugins/kde_heatmap"
export QGIS_CUSTOM_CONFIG_PATH="$work/profile" QGIS_PLUGINPATH="$work/plugins"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" XDG_RUNTIME_DIR="$work"
"$qgis_process" plugins enable kde_heatmap >/dev/null
"$qgis_process" "$@"
