"""DISTANCE_METHOD geodesic through processing.run: lon/lat grid, pyproj brute force, and the
automatic projection's surface.

The brute force is pyproj's ``Geod.inv`` (Karney's exact solver, not our code) from each
sampled cell centre to every point; the projected comparison samples the planar raster
bilinearly at the geodesic cells' centres, transformed by pyproj.
"""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
from qgis.core import QgsProcessingException
from qgis_test_support import assert_float32_raster_of, read_raster
from test_qgis_crs import point_layer, raster_grid_and_crs

from kde_heatmap_plugin.core import kernel_density_geodesic, row_cell_areas

ALGORITHM = "kdeheatmap:heatmap"
GEODESIC = 1
GEOD = pyproj.Geod(ellps="WGS84")


def quartic_density(distance: np.ndarray, radius: float, weight: np.ndarray) -> float:
    """Σ w · 3/(π R²) · (1 - d²/R²)² over the points within the radius (brute force)."""
    inside = distance <= radius
    u2 = (distance[inside] / radius) ** 2
    return float(np.sum(weight[inside] * 3.0 / (np.pi * radius**2) * (1.0 - u2) ** 2))


def brute_force_at(lon_c, lat_c, lon, lat, radius, weight) -> float:
    _, _, distance = GEOD.inv(np.full_like(lon, lon_c), np.full_like(lat, lat_c), lon, lat)
    return quartic_density(np.asarray(distance), radius, weight)


def sample_bilinear(values: np.ndarray, grid, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``values`` (cell centres of ``grid``) interpolated at map coordinates ``x``, ``y``."""
    col = (x - grid.x_min) / grid.cell_size - 0.5
    row = (grid.y_max - y) / grid.cell_size - 0.5
    col0 = np.clip(np.floor(col).astype(int), 0, grid.cols - 2)
    row0 = np.clip(np.floor(row).astype(int), 0, grid.rows - 2)
    fc, fr = col - col0, row - row0
    top = values[row0, col0] * (1 - fc) + values[row0, col0 + 1] * fc
    bottom = values[row0 + 1, col0] * (1 - fc) + values[row0 + 1, col0 + 1] * fc
    return top * (1 - fr) + bottom * fr


@pytest.fixture(scope="module")
def city() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """600 weighted points over a city-sized area (about 15 km) near 60 N, 10.75 E (Oslo)."""
    rng = np.random.default_rng(59)
    lon = np.concatenate([10.75 + rng.normal(0, 0.04, 400), 10.6 + rng.normal(0, 0.02, 200)])
    lat = np.concatenate([59.92 + rng.normal(0, 0.02, 400), 59.95 + rng.normal(0, 0.01, 200)])
    return lon, lat, rng.uniform(0.5, 2.0, 600)


@pytest.fixture(scope="module")
def across_antimeridian() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """400 points on both sides of 180 degrees near 17 S (Fiji)."""
    rng = np.random.default_rng(180)
    lon = np.concatenate([179.95 + rng.normal(0, 0.03, 200), -179.95 + rng.normal(0, 0.03, 200)])
    lat = -17.0 + rng.normal(0, 0.03, 400)
    return (lon + 180) % 360 - 180, lat, np.ones(400)


def run_density(processing_run, layer: str, output: str, **parameters) -> list[str]:
    _, feedback = processing_run(
        ALGORITHM,
        {"INPUT": layer, "WEIGHT_FIELD": "w", "OUTPUT_VALUE": 2, "OUTPUT": output, **parameters},
    )
    return feedback.infos


@pytest.mark.parametrize("data", ["city", "across_antimeridian"])
def test_geodesic_cells_equal_a_pyproj_brute_force(processing_run, tmp_path, request, data):
    lon, lat, weight = request.getfixturevalue(data)
    layer = point_layer(tmp_path / "p.gpkg", lon, lat, 4326, weight)
    output = str(tmp_path / "g.tif")
    infos = run_density(
        processing_run,
        layer,
        output,
        RADIUS=2500,
        PIXEL_SIZE=0.005,
        DISTANCE_METHOD=GEODESIC,
    )
    values, grid, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 4326
    assert grid.cols * grid.cell_size < 1.0  # across 180 degrees too: a compact grid
    # the core on the raster's grid, all cells
    expected = kernel_density_geodesic(lon, lat, grid, radius=2500.0, output_value=2, weight=weight)
    assert_float32_raster_of(values, expected)
    # pyproj at the maximum and at 40 random cells with values
    rng = np.random.default_rng(1)
    rows, cols = np.nonzero(values > 0)
    picks = rng.choice(len(rows), 40, replace=False)
    cells = [np.unravel_index(np.argmax(values), values.shape)] + list(
        zip(rows[picks], cols[picks])
    )
    for row, col in cells:
        lon_c = grid.x_min + (col + 0.5) * grid.cell_size
        lat_c = grid.y_max - (row + 0.5) * grid.cell_size
        reference = brute_force_at(lon_c, lat_c, lon, lat, 2500.0, weight)
        assert values[row, col] == pytest.approx(reference, abs=1e-6 * values.max())
    assert any("Geodesic method" in message for message in infos)


@pytest.mark.parametrize("data", ["city", "across_antimeridian"])
def test_geodesic_is_within_one_percent_of_the_automatic_projection(
    processing_run, tmp_path, request, data
):
    lon, lat, weight = request.getfixturevalue(data)
    layer = point_layer(tmp_path / "p.gpkg", lon, lat, 4326, weight)
    geodesic_output, planar_output = str(tmp_path / "g.tif"), str(tmp_path / "p.tif")
    run_density(
        processing_run,
        layer,
        geodesic_output,
        RADIUS=2500,
        PIXEL_SIZE=0.002,
        DISTANCE_METHOD=GEODESIC,
    )
    run_density(processing_run, layer, planar_output, RADIUS=2500, PIXEL_SIZE=50)
    geodesic, geodesic_grid, _ = raster_grid_and_crs(geodesic_output)
    planar, planar_grid, planar_crs = raster_grid_and_crs(planar_output)
    rows, cols = np.nonzero(geodesic > 0.05 * geodesic.max())
    lon_c = geodesic_grid.x_min + (cols + 0.5) * geodesic_grid.cell_size
    lat_c = geodesic_grid.y_max - (rows + 0.5) * geodesic_grid.cell_size
    to_planar = pyproj.Transformer.from_crs("EPSG:4326", planar_crs, always_xy=True)
    x, y = to_planar.transform(lon_c, lat_c)
    sampled = sample_bilinear(planar, planar_grid, np.asarray(x), np.asarray(y))
    difference = np.max(np.abs(geodesic[rows, cols] - sampled)) / geodesic.max()
    assert difference < 0.01
    # both integrate to the total weight (per square metre, each cell's true area)
    areas = row_cell_areas(geodesic_grid)[:, None]
    assert np.sum(geodesic * areas) == pytest.approx(weight.sum(), rel=2e-3)
    assert np.sum(planar) * 50.0**2 == pytest.approx(weight.sum(), rel=2e-3)


def test_expected_count_uses_each_cells_true_area(processing_run, tmp_path, city):
    lon, lat, weight = city
    layer = point_layer(tmp_path / "p.gpkg", lon, lat, 4326, weight)
    output = str(tmp_path / "g.tif")
    run_density(
        processing_run,
        layer,
        output,
        RADIUS=3000,
        PIXEL_SIZE=0.004,
        DISTANCE_METHOD=GEODESIC,
        OUTPUT_VALUE=3,
    )
    values, grid, _ = raster_grid_and_crs(output)
    assert values.sum() == pytest.approx(weight.sum(), rel=2e-3)
    density = kernel_density_geodesic(lon, lat, grid, radius=3000.0, output_value=2, weight=weight)
    assert_float32_raster_of(values, density * row_cell_areas(grid)[:, None])


def test_projected_layer_with_the_geodesic_method(processing_run, tmp_path, city):
    lon, lat, weight = city
    x, y = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32632", always_xy=True).transform(
        lon, lat
    )
    layer = point_layer(tmp_path / "utm.gpkg", np.asarray(x), np.asarray(y), 32632, weight)
    output = str(tmp_path / "g.tif")
    run_density(
        processing_run,
        layer,
        output,
        RADIUS=2500,
        PIXEL_SIZE=0.005,
        DISTANCE_METHOD=GEODESIC,
    )
    values, grid, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 4326
    expected = kernel_density_geodesic(lon, lat, grid, radius=2500.0, output_value=2, weight=weight)
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-6 * expected.max())


def test_geographic_output_crs_for_the_geodesic_method(processing_run, tmp_path, city):
    lon, lat, weight = city
    layer = point_layer(tmp_path / "p.gpkg", lon, lat, 4326, weight)
    output = str(tmp_path / "g.tif")
    run_density(
        processing_run,
        layer,
        output,
        RADIUS=2500,
        PIXEL_SIZE=0.005,
        DISTANCE_METHOD=GEODESIC,
        OUTPUT_CRS="EPSG:4258",
    )
    _, _, crs = raster_grid_and_crs(output)
    assert crs.to_epsg() == 4258


def test_projected_output_crs_is_refused_for_the_geodesic_method(processing_run, tmp_path, city):
    lon, lat, weight = city
    layer = point_layer(tmp_path / "p.gpkg", lon, lat, 4326, weight)
    output = tmp_path / "g.tif"
    with pytest.raises(QgsProcessingException, match="geodesic method computes on a longitude"):
        run_density(
            processing_run,
            layer,
            str(output),
            RADIUS=2500,
            PIXEL_SIZE=0.005,
            DISTANCE_METHOD=GEODESIC,
            OUTPUT_CRS="EPSG:3857",
        )
    assert not output.exists()


def test_radius_beyond_a_quarter_of_the_earth_is_refused(processing_run, tmp_path, city):
    lon, lat, weight = city
    layer = point_layer(tmp_path / "p.gpkg", lon, lat, 4326, weight)
    with pytest.raises(QgsProcessingException, match="too large for the geodesic method"):
        run_density(
            processing_run,
            layer,
            str(tmp_path / "g.tif"),
            RADIUS=2e7,
            PIXEL_SIZE=1,
            DISTANCE_METHOD=GEODESIC,
        )


def test_points_near_the_pole_give_whole_rows(processing_run, tmp_path):
    lon = np.array([0.0, 90.0, 180.0, -90.0, 45.0])
    lat = np.array([89.9, 89.95, 89.9, 89.92, 89.5])
    layer = point_layer(tmp_path / "pole.gpkg", lon, lat, 4326, np.ones(5))
    output = str(tmp_path / "g.tif")
    run_density(
        processing_run,
        layer,
        output,
        RADIUS=80_000,
        PIXEL_SIZE=1.0,
        DISTANCE_METHOD=GEODESIC,
    )
    values, grid, _ = raster_grid_and_crs(output)
    assert grid.cols == 360 and grid.y_max == 90.0
    expected = kernel_density_geodesic(
        lon, lat, grid, radius=80_000.0, output_value=2, weight=np.ones(5)
    )
    assert_float32_raster_of(values, expected)
    assert (values[0] > 0).all()  # the top row, around the pole, has no seam
    _, _, dataset = read_raster(output)
    assert dataset.RasterXSize == 360


def test_a_geodesic_grid_too_large_is_refused_with_a_cell_size_in_degrees(processing_run, tmp_path):
    lon = np.array([-10.0, 30.0, 5.0])
    lat = np.array([36.0, 70.0, 50.0])
    layer = point_layer(tmp_path / "europe.gpkg", lon, lat, 4326, np.ones(3))
    output = tmp_path / "g.tif"
    with pytest.raises(QgsProcessingException, match="for example") as raised:
        run_density(
            processing_run,
            layer,
            str(output),
            RADIUS=50_000,
            PIXEL_SIZE=1e-5,  # about a metre: 4 million x 4 million cells
            DISTANCE_METHOD=GEODESIC,
        )
    suggested = float(str(raised.value).rsplit("for example ", 1)[1].split(",")[0].rstrip("."))
    assert 1e-4 < suggested < 1.0  # degrees, not metres
    assert not output.exists()
