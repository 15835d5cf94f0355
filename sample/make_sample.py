"""Build ``sample/kde_heatmap_sample.gpkg`` from the spatstat point patterns (CSV, metres).

Run with the system Python that has GDAL: ``/usr/bin/python3 sample/make_sample.py`` reads
``longleaf.csv`` (x, y, mark: trunk diameter in cm) and ``bei.csv`` (x, y) beside this file:
the longleaf pines of the Wade Tract and the Beilschmiedia trees of Barro Colorado Island, as
published in the R package spatstat (GPL-2+).

The CSV coordinates are local to each plot (metres from its south-west corner). They are
shifted to the plot's approximate real position in its UTM zone so that the layers have a
projected CRS in metres and land in the right place on a base map; the shift is a rounded
guess (within a few hundred metres), not a survey. Densities do not depend on it.
"""

from __future__ import annotations

import csv
import os
import sys

from osgeo import ogr, osr

SAMPLE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kde_heatmap_sample.gpkg")

PLOTS = {
    # layer: (csv file, EPSG code, easting and northing of the plot's (0, 0) corner in metres)
    "longleaf": ("longleaf.csv", 32616, 782000.0, 3413000.0),  # Wade Tract, Georgia, UTM 16N
    "bei": ("bei.csv", 32617, 626000.0, 1011500.0),  # Barro Colorado Island, Panama, UTM 17N
}


def build(source_folder: str, destination: str = SAMPLE_PATH) -> None:
    """Write one point layer per plot into a new GeoPackage at ``destination``."""
    ogr.UseExceptions()
    if os.path.exists(destination):
        os.remove(destination)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(destination)
    for layer_name, (file_name, epsg, easting, northing) in PLOTS.items():
        crs = osr.SpatialReference()
        crs.ImportFromEPSG(epsg)
        with open(os.path.join(source_folder, file_name), newline="") as table:
            rows = list(csv.DictReader(table))
        layer = dataset.CreateLayer(layer_name, crs, ogr.wkbPoint)
        extra_fields = [name for name in rows[0] if name not in ("x", "y")]
        for name in extra_fields:
            layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
        layer.StartTransaction()
        for row in rows:
            feature = ogr.Feature(layer.GetLayerDefn())
            point = ogr.Geometry(ogr.wkbPoint)
            point.AddPoint_2D(easting + float(row["x"]), northing + float(row["y"]))
            feature.SetGeometry(point)
            for name in extra_fields:
                feature[name] = float(row[name])
            layer.CreateFeature(feature)
        layer.CommitTransaction()
    dataset = None


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)))
