#!/usr/bin/env bash
# Set up (QGIS from apt if missing) and make a styled heatmap of the shipped sample, the
# longleaf pines of a 200 m x 200 m plot weighted by trunk diameter, through qgis_process:
# writes out/longleaf_heatmap.tif and its style out/longleaf_heatmap.qml.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
mkdir -p out
scripts/qgis-process.sh run kdeheatmap:heatmap -- \
    INPUT="sample/kde_heatmap_sample.gpkg|layername=longleaf" \
    RADIUS=15 PIXEL_SIZE=0.5 WEIGHT_FIELD=mark KERNEL=0 OUTPUT_VALUE=2 \
    COLOR_RAMP=Viridis OUTPUT=out/longleaf_heatmap.tif
ls -l out/longleaf_heatmap.tif out/longleaf_heatmap.qml
