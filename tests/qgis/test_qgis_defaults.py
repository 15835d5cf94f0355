"""Runs with only INPUT and OUTPUT: radius by ArcGIS's rule, about 1000 cells on a side.

The rule is written again here from its published formula (ArcGIS Pro, Kernel Density: "a
spatial variant of Silverman's rule of thumb"); the raster is checked against the core run
with the radius and cell size the log reports.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pyproj
import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException
from qgis_test_support import SAMPLE_GPKG, PointFeature, assert_float32_raster_of, make_gpkg
from test_qgis_crs import point_layer, raster_grid_and_crs

from kde_heatmap_plugin.core import kernel_density_on_grid

ALGORITHM = "kdeheatmap:heatmap"
LONGLEAF = f"{SAMPLE_GPKG}|layername=longleaf"


def arcgis_rule(x: np.ndarray, y: np.ndarray) -> float:
    """0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2, unweighted."""
    distance = np.hypot(x - x.mean(), y - y.mean())
    standard_distance = math.sqrt(np.mean(distance**2))
    median = np.sort(distance)[(len(x) - 1) // 2]
    return 0.9 * min(standard_distance, math.sqrt(1 / math.log(2)) * median) * len(x) ** -0.2


def logged_number(messages: list[str], pattern: str) -> float:
    [match] = [m for m in (re.search(pattern, message) for message in messages) if m]
    return float(match.group(1))


@pytest.fixture(scope="module")
def sample_points() -> tuple[np.ndarray, np.ndarray]:
    """The shipped sample's points, read with OGR."""
    dataset = ogr.Open(SAMPLE_GPKG)
    layer = dataset.GetLayerByName("longleaf")
    x, y = np.array([(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY()) for f in layer]).T
    return x, y


def test_only_input_and_output_give_a_useful_raster(processing_run, sample_points, tmp_path):
    x, y = sample_points
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(ALGORITHM, {"INPUT": LONGLEAF, "OUTPUT": output})
    radius = logged_number(feedback.infos, r"^Radius ([0-9.e+-]+) meters, by ArcGIS's rule")
    cell_size = logged_number(feedback.infos, r"^Cell size ([0-9.e+-]+) meters")
    rule = arcgis_rule(x, y)
    assert radius == pytest.approx(rule, rel=0.03)  # two significant digits
    values, grid, _ = raster_grid_and_crs(output)
    assert 900 <= max(grid.rows, grid.cols) <= 1100
    assert radius / cell_size >= 10
    expected = kernel_density_on_grid(x, y, grid, radius=radius)
    assert_float32_raster_of(values, expected)
    assert not any("cells" in warning for warning in feedback.warnings)


def test_an_explicit_radius_keeps_its_value_and_gets_a_cell_size(
    processing_run, sample_points, tmp_path
):
    x, y = sample_points
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(ALGORITHM, {"INPUT": LONGLEAF, "RADIUS": 5, "OUTPUT": output})
    assert not any(message.startswith("Radius") for message in feedback.infos)
    values, grid, _ = raster_grid_and_crs(output)
    assert grid.cell_size == 0.21  # (200 m + 2 radii) / 1000, and 24 cells per radius
    expected = kernel_density_on_grid(x, y, grid, radius=5.0)
    assert_float32_raster_of(values, expected)


def test_an_explicit_cell_size_keeps_its_value_and_gets_a_radius(processing_run, tmp_path):
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(ALGORITHM, {"INPUT": LONGLEAF, "PIXEL_SIZE": 2, "OUTPUT": output})
    _, grid, _ = raster_grid_and_crs(output)
    assert grid.cell_size == 2.0
    assert not any(message.startswith("Cell size") for message in feedback.infos)
    assert any(message.startswith("Radius") for message in feedback.infos)


def test_weights_count_as_the_rules_n(processing_run, tmp_path):
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": LONGLEAF, "WEIGHT_FIELD": "mark", "OUTPUT": output}
    )
    [report] = [message for message in feedback.infos if message.startswith("Radius")]
    assert "the sum of the weights" in report


def test_a_lon_lat_layer_gets_a_radius_in_metres(processing_run, tmp_path):
    rng = np.random.default_rng(8)
    lon, lat = 2.35 + rng.normal(0, 0.02, 300), 48.85 + rng.normal(0, 0.01, 300)
    layer = point_layer(tmp_path / "paris.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(ALGORITHM, {"INPUT": layer, "OUTPUT": output})
    radius = logged_number(feedback.infos, r"^Radius ([0-9.e+-]+) meters")
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32631", always_xy=True).transform(
        lon, lat
    )
    assert radius == pytest.approx(arcgis_rule(np.asarray(x), np.asarray(y)), rel=0.03)
    assert 500 < radius < 2000  # about 1.5 km of spread: hundreds of metres, not degrees


def test_the_geodesic_method_gets_a_radius_in_metres_and_cells_in_degrees(processing_run, tmp_path):
    rng = np.random.default_rng(8)
    lon, lat = 2.35 + rng.normal(0, 0.02, 300), 48.85 + rng.normal(0, 0.01, 300)
    layer = point_layer(tmp_path / "paris.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": layer, "DISTANCE_METHOD": 1, "OUTPUT": output}
    )
    radius = logged_number(feedback.infos, r"^Radius ([0-9.e+-]+) meters")
    cell_size = logged_number(feedback.infos, r"^Cell size ([0-9.e+-]+) degrees")
    assert 500 < radius < 2000
    _, grid, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 4326 and grid.cell_size == cell_size
    assert 900 <= max(grid.rows, grid.cols) <= 1100


def test_points_all_in_one_place_need_a_radius(processing_run, tmp_path):
    layer = make_gpkg(str(tmp_path / "same.gpkg"), [PointFeature("POINT (500000 4000000)")] * 3)
    with pytest.raises(QgsProcessingException, match="same place.*Enter a radius"):
        processing_run(ALGORITHM, {"INPUT": layer, "OUTPUT": str(tmp_path / "h.tif")})


def test_cells_finer_than_needed_are_warned_about(processing_run, tmp_path):
    _, feedback = processing_run(
        ALGORITHM,
        {"INPUT": LONGLEAF, "RADIUS": 30, "PIXEL_SIZE": 0.1, "OUTPUT": str(tmp_path / "h.tif")},
    )
    [warning] = [w for w in feedback.warnings if "finer than a heatmap needs" in w]
    assert "300 cells" in warning and "0.3" in warning
