#!/usr/bin/python3
"""Render a styled heatmap (its .qml applied) with the points on top, as a PNG for the README.

    /usr/bin/python3 scripts/render_preview.py out/longleaf_heatmap.tif \
        "sample/kde_heatmap_sample.gpkg|layername=longleaf" docs/longleaf_heatmap.png
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsMarkerSymbol,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def render(raster_path: str, points_uri: str, png_path: str, width: int = 900) -> None:
    raster = QgsRasterLayer(raster_path, "heatmap")  # picks up the .qml beside the file
    points = QgsVectorLayer(points_uri, "points", "ogr")
    if not (raster.isValid() and points.isValid()):
        raise SystemExit(f"cannot open {raster_path} or {points_uri}")
    points.setRenderer(points.renderer().clone())
    points.renderer().setSymbol(
        QgsMarkerSymbol.createSimple(
            {"name": "circle", "size": "0.9", "color": "255,255,255,160", "outline_style": "no"}
        )
    )
    settings = QgsMapSettings()
    settings.setLayers([points, raster])
    settings.setDestinationCrs(raster.crs())
    settings.setExtent(raster.extent())
    aspect = raster.extent().height() / raster.extent().width()
    settings.setOutputSize(QSize(width, round(width * aspect)))
    settings.setBackgroundColor(QColor(20, 20, 28))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png_path, "PNG")


if __name__ == "__main__":
    application = QgsApplication([], False)
    application.initQgis()
    render(*sys.argv[1:4])
    application.exitQgis()
