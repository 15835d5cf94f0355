#!/usr/bin/env bash
# Screenshots of the plugin in the real QGIS desktop, as a user installs and runs it.
#
#   scripts/screenshots.sh [OUTPUT_DIR]        (default: docs/screenshots)
#
# 1. builds the zip (scripts/package.sh: the committed files at HEAD, so commit first), or
#    takes the zip named by SCREENSHOT_ZIP;
# 2. unzips it into a fresh, temporary QGIS profile with only this plugin enabled, the
#    plugin repositories disabled (nothing is fetched from the network) and an English locale;
# 3. starts the QGIS desktop under Xvfb (xvfb-run, screen 1600x1000) running
#    scripts/screenshots.py, which loads the sample layer (sample/kde_heatmap_sample.gpkg,
#    layer longleaf), opens the algorithm's dialog, runs it there on the sample (so the result
#    is loaded and styled as for a user) and saves to OUTPUT_DIR:
#      dialog.png          the dialog, Parameters tab, with the sample's settings
#      dialog_log.png      the same dialog after the run, Log tab
#      qgis_window.png     the main window: the heatmap on the map canvas, the Layers panel
#                          with its legend, the Processing Toolbox searched for "heatmap"
#      map_legend.png      the map canvas and the Layers panel side by side
#      plugin_manager.png  Plugins > Manage and Install Plugins, showing this plugin
#    It also clicks the dialog's Help button (with the desktop's URL handler replaced) and
#    fails unless it opens docs/help/index.html of the installed plugin.
# 4. checks that every picture was written and exits 0, or prints the log and exits 1;
#    warnings from the session (e.g. no Help button) are printed either way.
#
# Needs xvfb-run (Debian: xvfb) and QGIS. Environment: SCREENSHOT_TIMEOUT (seconds for the
# whole QGIS session, default 240), SCREENSHOT_LOCALE (default en_US), QGIS_BIN (default qgis).
# Temporary files go to a folder that is removed on exit; on failure the steps' log and the end
# of QGIS's output are printed.
# Not part of the test suite: it needs a display server and takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$PWD
out_dir=$(realpath -m "${1:-docs/screenshots}")
timeout_s=${SCREENSHOT_TIMEOUT:-240}
locale=${SCREENSHOT_LOCALE:-en_US}
qgis_bin=${QGIS_BIN:-qgis}

for tool in xvfb-run "$qgis_bin" unzip; do
    command -v "$tool" >/dev/null || { echo "screenshots.sh: $tool not found" >&2; exit 2; }
done

work=$(mktemp -d -t kde-heatmap-screenshots.XXXXXX)
trap 'rm -rf "$work"' EXIT

zip=${SCREENSHOT_ZIP:-$(scripts/package.sh)}
profile="$work/profiles/default"
mkdir -p "$profile/python/plugins" "$profile/QGIS" "$out_dir"
unzip -q "$zip" -d "$profile/python/plugins"
cat >"$profile/QGIS/QGIS3.ini" <<EOF
[PythonPlugins]
kde_heatmap=true

[app]
plugin_installer\\checkOnStart=false
plugin_repositories\\QGIS%20Official%20Plugin%20Repository\\url=https://plugins.qgis.org/plugins/plugins.xml
plugin_repositories\\QGIS%20Official%20Plugin%20Repository\\enabled=false

[locale]
overrideFlag=true
userLocale=$locale
EOF

pictures=(dialog dialog_log qgis_window map_legend plugin_manager)
for name in "${pictures[@]}"; do rm -f "$out_dir/$name.png"; done

export KDE_SHOTS_DIR="$out_dir"
export KDE_SHOTS_WORK="$work"
export KDE_SHOTS_PLUGIN="$profile/python/plugins/kde_heatmap"
export KDE_SHOTS_SAMPLE="$repository/sample/kde_heatmap_sample.gpkg"
export KDE_SHOTS_STATUS="$work/status.txt"
export KDE_SHOTS_LOG="$work/steps.log"
export KDE_SHOTS_TIMEOUT="$timeout_s"
echo "screenshots.sh: QGIS with $zip, pictures to $out_dir"
status=0
# timeout ends a QGIS that hangs; -k kills it if it ignores the TERM. The Python script stops
# itself 20 s before that, so the normal way out is always its own.
timeout -k 10 $((timeout_s + 20)) xvfb-run -a -s "-screen 0 1600x1000x24" \
    "$qgis_bin" --profiles-path "$work" --nologo --code "$repository/scripts/screenshots.py" \
    >"$work/qgis.log" 2>&1 || status=$?

result=$(cat "$KDE_SHOTS_STATUS" 2>/dev/null || echo "no status written (QGIS exit code $status)")
grep -h WARNING "$KDE_SHOTS_LOG" >&2 2>/dev/null || true
missing=()
for name in "${pictures[@]}"; do
    [[ -s "$out_dir/$name.png" ]] || missing+=("$name.png")
done
if [[ "$result" != ok || ${#missing[@]} -gt 0 ]]; then
    echo "screenshots.sh: failed: $result; missing: ${missing[*]:-none}" >&2
    cat "$KDE_SHOTS_LOG" >&2 2>/dev/null || true
    tail -n 40 "$work/qgis.log" >&2
    exit 1
fi
for name in "${pictures[@]}"; do echo "$out_dir/$name.png"; done
