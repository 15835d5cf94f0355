"""EXTENT, TEMPLATE and NODATA_ZERO: the grid the user decides, checked against the core.

Reprojected points come from pyproj (PROJ's binding, not QGIS's transform); the expected
values are the core's exact sums on the raster's own grid.
"""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
from osgeo import gdal, osr
from qgis.core import QgsProcessingException
from qgis_test_support import assert_float32_raster_of, read_raster
from test_qgis_crs import point_layer, raster_grid_and_crs

from kde_heatmap_plugin.core import kernel_density_on_grid

ALGORITHM = "kdeheatmap:heatmap"


@pytest.fixture(scope="module")
def utm_points() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(10)
    return 500_000 + rng.normal(0, 300, 200), 4_000_000 + rng.normal(0, 200, 200)


@pytest.fixture()
def utm_layer(tmp_path, utm_points) -> str:
    return point_layer(tmp_path / "utm.gpkg", *utm_points, 32617)


def make_template(path, epsg: int, x_min: float, y_max: float, cell, cols: int, rows: int) -> str:
    """A Float32 GeoTIFF with the given grid (``cell`` a number or (x, y) sizes)."""
    cell_x, cell_y = (cell, cell) if np.isscalar(cell) else cell
    dataset = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((x_min, cell_x, 0.0, y_max, 0.0, -cell_y))
    reference = osr.SpatialReference()
    reference.ImportFromEPSG(epsg)
    dataset.SetProjection(reference.ExportToWkt())
    dataset = None
    return str(path)


def test_extent_is_covered_exactly_from_its_top_left_corner(
    processing_run, utm_layer, utm_points, tmp_path
):
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": utm_layer,
            "RADIUS": 150,
            "PIXEL_SIZE": 20,
            "EXTENT": "499800,500410,3999900,4000205 [EPSG:32617]",
            "OUTPUT": output,
        },
    )
    values, grid, _ = raster_grid_and_crs(output)
    assert (grid.x_min, grid.y_max, grid.cell_size) == (499800.0, 4000205.0, 20.0)
    assert (grid.cols, grid.rows) == (31, 16)  # ceil(610 / 20), ceil(305 / 20)
    # every point counts, those outside the extent too, where their disc reaches in
    expected = kernel_density_on_grid(*utm_points, grid, radius=150.0)
    assert_float32_raster_of(values, expected)
    assert not feedback.warnings


def test_extent_in_another_crs_is_transformed(processing_run, utm_layer, utm_points, tmp_path):
    to_lon_lat = pyproj.Transformer.from_crs("EPSG:32617", "EPSG:4326", always_xy=True)
    west, south = to_lon_lat.transform(499_500, 3_999_600)
    east, north = to_lon_lat.transform(500_500, 4_000_400)
    output = str(tmp_path / "h.tif")
    processing_run(
        ALGORITHM,
        {
            "INPUT": utm_layer,
            "RADIUS": 150,
            "PIXEL_SIZE": 25,
            "EXTENT": f"{west},{east},{south},{north} [EPSG:4326]",
            "OUTPUT": output,
        },
    )
    values, grid, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 32617
    # the bounding box of the transformed extent holds its four corners
    corners = [
        to_lon_lat.transform(x, y, direction="INVERSE")
        for x, y in [(west, south), (east, north), (west, north), (east, south)]
    ]
    assert grid.x_min <= min(c[0] for c in corners) + 1e-6
    assert grid.y_max >= max(c[1] for c in corners) - 1e-6
    expected = kernel_density_on_grid(*utm_points, grid, radius=150.0)
    assert_float32_raster_of(values, expected)


def test_template_gives_crs_origin_cell_size_and_shape(
    processing_run, utm_layer, utm_points, tmp_path
):
    to_mercator = pyproj.Transformer.from_crs("EPSG:32617", "EPSG:3857", always_xy=True)
    x, y = (np.asarray(values) for values in to_mercator.transform(*utm_points))
    # a 30 m grid whose origin is not on the points' round numbers, reaching past them
    x_min, y_max = float(np.floor(x.min())) - 455.5, float(np.ceil(y.max())) + 310.25
    template = make_template(tmp_path / "t.tif", 3857, x_min, y_max, 30.0, 70, 50)
    output = str(tmp_path / "h.tif")
    processing_run(
        ALGORITHM,
        {"INPUT": utm_layer, "RADIUS": 400, "TEMPLATE": template, "OUTPUT": output},
    )
    values, grid, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 3857
    reference = gdal.Open(template)
    assert read_raster(output)[1] == pytest.approx(reference.GetGeoTransform(), abs=1e-9)
    assert (grid.cols, grid.rows) == (reference.RasterXSize, reference.RasterYSize)
    expected = kernel_density_on_grid(x, y, grid, radius=400.0)
    assert_float32_raster_of(values, expected)


def test_template_with_rectangular_cells_is_refused(processing_run, utm_layer, tmp_path):
    template = make_template(tmp_path / "t.tif", 32617, 499_000.0, 4_001_000.0, (10.0, 20.0), 9, 9)
    with pytest.raises(QgsProcessingException, match="square cells"):
        processing_run(
            ALGORITHM,
            {"INPUT": utm_layer, "TEMPLATE": template, "OUTPUT": str(tmp_path / "h.tif")},
        )


def test_template_and_extent_together_are_refused(processing_run, utm_layer, tmp_path):
    template = make_template(tmp_path / "t.tif", 32617, 499_000.0, 4_001_000.0, 10.0, 9, 9)
    with pytest.raises(QgsProcessingException, match="EXTENT cannot be given too"):
        processing_run(
            ALGORITHM,
            {
                "INPUT": utm_layer,
                "TEMPLATE": template,
                "EXTENT": "499000,500000,3999000,4000000 [EPSG:32617]",
                "OUTPUT": str(tmp_path / "h.tif"),
            },
        )


def test_a_template_in_degrees_needs_the_geodesic_method(processing_run, utm_layer, tmp_path):
    template = make_template(tmp_path / "t.tif", 4326, -81.01, 36.14, 0.001, 20, 20)
    with pytest.raises(QgsProcessingException, match="template in degrees needs the geodesic"):
        processing_run(
            ALGORITHM,
            {"INPUT": utm_layer, "TEMPLATE": template, "OUTPUT": str(tmp_path / "h.tif")},
        )
    output = str(tmp_path / "g.tif")
    processing_run(
        ALGORITHM,
        {
            "INPUT": utm_layer,
            "RADIUS": 300,
            "TEMPLATE": template,
            "DISTANCE_METHOD": 1,
            "OUTPUT": output,
        },
    )
    _, grid, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 4326 and (grid.rows, grid.cols) == (20, 20)


def test_nodata_zero(processing_run, utm_layer, tmp_path):
    for nodata_zero, expected in ((False, None), (True, 0.0)):
        output = str(tmp_path / f"h{nodata_zero}.tif")
        processing_run(
            ALGORITHM,
            {
                "INPUT": utm_layer,
                "RADIUS": 50,
                "PIXEL_SIZE": 10,
                "NODATA_ZERO": nodata_zero,
                "OUTPUT": output,
            },
        )
        values, _, dataset = read_raster(output)
        assert dataset.GetRasterBand(1).GetNoDataValue() == expected
        assert (values == 0).any() and (values > 0).any()


def test_an_extent_no_point_reaches_is_warned_about(processing_run, utm_layer, tmp_path):
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": utm_layer,
            "RADIUS": 50,
            "PIXEL_SIZE": 10,
            "EXTENT": "600000,600500,4100000,4100500 [EPSG:32617]",
            "OUTPUT": str(tmp_path / "h.tif"),
        },
    )
    assert any("No point lies within the radius" in warning for warning in feedback.warnings)
