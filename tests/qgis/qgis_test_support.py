"""Helpers shared by the QGIS-side tests: test layers, rasters, a recording feedback."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from osgeo import gdal, ogr, osr
from qgis.core import QgsProcessingFeedback

REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE_GPKG = os.path.join(REPOSITORY, "sample", "kde_heatmap_sample.gpkg")
PROJECTED_EPSG = 32617  # UTM 17N, metres


class RecordingFeedback(QgsProcessingFeedback):
    """Feedback that keeps warnings and info messages for assertions."""

    def __init__(self) -> None:
        super().__init__()
        self.warnings: list[str] = []
        self.infos: list[str] = []
        self.progress_values: list[float] = []

    def pushWarning(self, warning: str) -> None:  # noqa: N802 (QGIS API name)
        self.warnings.append(warning)
        super().pushWarning(warning)

    def pushInfo(self, info: str) -> None:  # noqa: N802
        self.infos.append(info)
        super().pushInfo(info)

    def setProgress(self, progress: float) -> None:  # noqa: N802
        self.progress_values.append(progress)
        super().setProgress(progress)


@dataclass
class PointFeature:
    """One feature for ``make_gpkg``: WKT geometry (or None) and attribute values."""

    wkt: str | None
    attributes: dict = field(default_factory=dict)


def make_gpkg(
    path: str,
    features: Iterable[PointFeature],
    *,
    geometry_type: int = ogr.wkbPoint,
    epsg: int = PROJECTED_EPSG,
    fields: dict[str, int] | None = None,
    layer_name: str = "points",
) -> str:
    """Write a GeoPackage layer and return ``path|layername=<layer_name>``."""
    driver = ogr.GetDriverByName("GPKG")
    dataset = driver.Open(path, 1) if os.path.exists(path) else driver.CreateDataSource(path)
    assert dataset is not None, path
    crs = osr.SpatialReference()
    crs.ImportFromEPSG(epsg)
    layer = dataset.CreateLayer(layer_name, crs, geometry_type)
    for name, field_type in (fields or {}).items():
        layer.CreateField(ogr.FieldDefn(name, field_type))
    layer.StartTransaction()
    for point_feature in features:
        feature = ogr.Feature(layer.GetLayerDefn())
        if point_feature.wkt is not None:
            feature.SetGeometry(ogr.CreateGeometryFromWkt(point_feature.wkt))
        for name, value in point_feature.attributes.items():
            if value is not None:
                feature[name] = value
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    dataset = None
    return f"{path}|layername={layer_name}"


def read_csv_points(name: str) -> dict[str, np.ndarray]:
    """Columns of the sample CSV ``sample/<name>`` as float64 arrays."""
    with open(os.path.join(REPOSITORY, "sample", name), newline="") as table:
        rows = list(csv.DictReader(table))
    return {column: np.array([float(row[column]) for row in rows]) for column in rows[0]}


def read_raster(path: str) -> tuple[np.ndarray, tuple, gdal.Dataset]:
    """Band 1 as float64, the geotransform and the open dataset."""
    dataset = gdal.Open(path)
    assert dataset is not None, path
    return (
        dataset.GetRasterBand(1).ReadAsArray().astype(np.float64),
        dataset.GetGeoTransform(),
        dataset,
    )


def assert_float32_raster_of(values: np.ndarray, expected: np.ndarray) -> None:
    """``values`` (read from a Float32 raster) is the float64 ``expected`` rounded to float32.

    The algorithm accumulates into a float32 array (half the memory), so where tile halos
    overlap a cell may be rounded twice: allow two float32 steps at the raster's maximum, and
    require exact zeros where ``expected`` is zero.
    """
    assert values.dtype == np.float32 or values.dtype == np.float64
    tolerance = 2 * np.finfo(np.float32).eps * float(np.abs(expected).max())
    np.testing.assert_allclose(values, expected, rtol=0, atol=tolerance)
    np.testing.assert_array_equal(values == 0, expected == 0)
