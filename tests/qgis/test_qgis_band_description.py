"""``write_raster(..., band_description=)``: band 1 says what its values are, in every format
that can keep it, and QGIS shows it in the band's name."""

from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import QgsRasterLayer
from write_safety_support import ALL_DRIVERS, WKT, grid_of

from kde_heatmap_plugin import rasters

pytestmark = pytest.mark.usefixtures("qgis_app")

DESCRIPTION = "Density (points per m²)"

KEEP_NO_DESCRIPTION = frozenset({"GPKG", "netCDF", "XYZ"})
"""Formats whose GDAL driver drops a band description (GeoPackage reports its own)."""


def write(path: str, driver_name: str = "GTiff", **options) -> np.ndarray:
    """Write a 3 x 4 raster of distinct values at ``path``; return the values."""
    values = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
    rasters.write_raster(
        path, [(0, values)], grid_of(3, 4), WKT, driver_name=driver_name, **options
    )
    return values


def band_one(path: str) -> tuple[str, np.ndarray]:
    """(GDAL's description of band 1, its values) of the raster at ``path``."""
    dataset = gdal.Open(path)
    band = dataset.GetRasterBand(1)
    description, values = band.GetDescription(), band.ReadAsArray()
    band = dataset = None
    return description, values


def test_a_geotiff_keeps_the_description_inside_the_file(tmp_path):
    output = str(tmp_path / "heatmap.tif")
    values = write(output, band_description=DESCRIPTION)
    assert os.listdir(tmp_path) == ["heatmap.tif"]  # no .aux.xml needed
    description, written = band_one(output)
    assert description == DESCRIPTION
    assert np.array_equal(written, values.astype(np.float32))
    layer = QgsRasterLayer(output, "heatmap")
    assert layer.dataProvider().generateBandName(1) == f"Band 1: {DESCRIPTION}"
    assert DESCRIPTION in layer.bandName(1)


def test_without_a_description_band_one_has_none(tmp_path):
    output = str(tmp_path / "heatmap.tif")
    write(output)
    assert band_one(output)[0] == ""
    assert QgsRasterLayer(output, "heatmap").dataProvider().generateBandName(1) == "Band 1"


def test_a_new_description_replaces_the_previous_outputs(tmp_path):
    output = str(tmp_path / "heatmap.bil")  # kept in the .aux.xml, replaced with the raster
    write(output, "EHdr", band_description="Raw kernel sum")
    write(output, "EHdr", band_description=DESCRIPTION)
    assert band_one(output)[0] == DESCRIPTION
    write(output, "EHdr")
    assert band_one(output)[0] == ""


@pytest.mark.parametrize("extension", sorted(ALL_DRIVERS))
def test_each_format_is_written_with_a_description(tmp_path, extension):
    driver_name = ALL_DRIVERS[extension]
    output = str(tmp_path / f"heatmap.{extension}")
    values = write(output, driver_name, band_description=DESCRIPTION)
    assert not [name for name in os.listdir(tmp_path) if rasters.PARTIAL_MARK in name]
    description, written = band_one(output)
    assert np.allclose(written, values, rtol=1e-6)  # text formats round the decimals
    if driver_name in KEEP_NO_DESCRIPTION:
        assert description != DESCRIPTION
    else:
        assert description == DESCRIPTION
