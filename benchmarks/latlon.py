#!/usr/bin/python3
"""What a layer in longitude/latitude costs: the automatic projection and the geodesic method.

Usage (from the repository root, with the interpreter that has QGIS's and GDAL's bindings)::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 benchmarks/latlon.py [--points 1e6] [--repeat 3]

The same clustered points (fixed seed, around 10.75 E, 59.9 N, about 40 km across, with a
weight) are written twice as GeoPackage: in UTM zone 32N (EPSG:32632, metres) and in EPSG:4326.
Then ``kdeheatmap:heatmap`` runs in this process, alternately, on

* the UTM layer, planar (the reference: no transform);
* the EPSG:4326 layer, planar (automatic projection to UTM 32N: reading, transform, same grid);
* the EPSG:4326 layer, geodesic (cells of the same height in degrees).

with radius 200 m (20 cells of 10 m), quartic, raw. It prints the median wall time of each and
the ratios, and times ``crs.transform_points`` alone on the points. Speed is measured here, not
asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from osgeo import ogr, osr

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, "/usr/share/qgis/python/plugins")

RADIUS_M = 200.0
CELL_M = 10.0
METRES_PER_DEGREE = 111_195.0


def clustered_lon_lat(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points in 20 Gaussian clusters (sd 0.5 to 3 km) around Oslo, and weights 0.5 to 2."""
    rng = np.random.default_rng(2026)
    centres_lon = 10.75 + rng.uniform(-0.35, 0.35, 20)
    centres_lat = 59.9 + rng.uniform(-0.18, 0.18, 20)
    spread_km = rng.uniform(0.5, 3.0, 20)
    cluster = rng.integers(0, 20, n)
    lat = centres_lat[cluster] + rng.normal(0, 1, n) * spread_km[cluster] / 111.2
    lon = centres_lon[cluster] + rng.normal(0, 1, n) * spread_km[cluster] / (
        111.2 * np.cos(np.radians(59.9))
    )
    return lon, lat, rng.uniform(0.5, 2.0, n)


def write_gpkg(path: Path, x: np.ndarray, y: np.ndarray, weight: np.ndarray, epsg: int) -> str:
    """A point GeoPackage with field ``w``, written through OGR in one transaction."""
    reference = osr.SpatialReference()
    reference.ImportFromEPSG(epsg)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("points", reference, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("w", ogr.OFTReal))
    definition = layer.GetLayerDefn()
    layer.StartTransaction()
    for a, b, w in zip(x.tolist(), y.tolist(), weight.tolist()):
        feature = ogr.Feature(definition)
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(a, b)
        feature.SetGeometry(point)
        feature["w"] = w
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    dataset = None
    return f"{path}|layername=points"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=float, default=1e6)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    n = int(arguments.points)

    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransformContext,
    )

    application = QgsApplication([], False)
    application.initQgis()
    import processing
    from processing.core.Processing import Processing

    Processing.initialize()
    from kde_heatmap_plugin import crs
    from kde_heatmap_plugin.plugin import KdeHeatmapPlugin

    plugin = KdeHeatmapPlugin(None)
    plugin.initProcessing()

    workdir = Path(tempfile.mkdtemp(prefix="kde_latlon_"))
    lon, lat, weight = clustered_lon_lat(n)
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    utm = QgsCoordinateReferenceSystem("EPSG:32632")
    context = QgsCoordinateTransformContext()
    transform_seconds = []
    for _ in range(arguments.repeat):
        start = time.perf_counter()
        x, y = crs.transform_points(lon, lat, wgs84, utm, context)
        transform_seconds.append(time.perf_counter() - start)
    print(f"transform_points, {n:.0e} points: {statistics.median(transform_seconds):.3f} s")
    layers = {
        "utm": write_gpkg(workdir / "utm.gpkg", x, y, weight, 32632),
        "lonlat": write_gpkg(workdir / "lonlat.gpkg", lon, lat, weight, 4326),
    }
    cases = {
        "UTM layer, planar": (layers["utm"], CELL_M, 0),
        "EPSG:4326, automatic projection": (layers["lonlat"], CELL_M, 0),
        "EPSG:4326, geodesic": (layers["lonlat"], CELL_M / METRES_PER_DEGREE, 1),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for repetition in range(arguments.repeat):
        order = list(cases) if repetition % 2 == 0 else list(reversed(cases))
        for name in order:
            layer, cell_size, method = cases[name]
            output = workdir / "out.tif"
            start = time.perf_counter()
            processing.run(
                "kdeheatmap:heatmap",
                {
                    "INPUT": layer,
                    "RADIUS": RADIUS_M,
                    "PIXEL_SIZE": cell_size,
                    "WEIGHT_FIELD": "w",
                    "DISTANCE_METHOD": method,
                    "OUTPUT": str(output),
                },
            )
            times[name].append(time.perf_counter() - start)
            os.remove(output)
    reference = statistics.median(times["UTM layer, planar"])
    print(f"{n:.0e} points, radius {RADIUS_M:g} m = 20 cells, quartic, {os.cpu_count()} CPUs")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(f"  {name:34s} {median:7.2f} s  {median / reference:5.2f} x the UTM layer")
    plugin.unload()


if __name__ == "__main__":
    main()
