"""Layers in longitude/latitude and OUTPUT_CRS: the computation CRS, checked against pyproj.

The reference for every transformed surface is the core run on points that pyproj (PROJ's own
Python binding, not QGIS) projected into the CRS the raster says it is in, on the raster's grid.
"""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
from osgeo import osr
from qgis.core import QgsProcessingException
from qgis_test_support import PointFeature, assert_float32_raster_of, make_gpkg, read_raster

from kde_heatmap_plugin.core import Grid, kernel_density_on_grid

ALGORITHM = "kdeheatmap:heatmap"


def point_layer(path, x: np.ndarray, y: np.ndarray, epsg: int, weight=None) -> str:
    features = [
        PointFeature(f"POINT ({a!r} {b!r})", {} if weight is None else {"w": float(w)})
        for a, b, w in zip(x, y, weight if weight is not None else np.zeros(len(x)))
    ]
    from osgeo import ogr

    return make_gpkg(
        str(path), features, epsg=epsg, fields=None if weight is None else {"w": ogr.OFTReal}
    )


def raster_grid_and_crs(path: str) -> tuple[np.ndarray, Grid, pyproj.CRS]:
    values, geotransform, dataset = read_raster(path)
    x_min, cell_size, _, y_max, _, minus_cell = geotransform
    assert minus_cell == -cell_size
    grid = Grid(x_min, y_max, cell_size, dataset.RasterYSize, dataset.RasterXSize)
    return values, grid, pyproj.CRS.from_wkt(dataset.GetProjection())


def projected(lon: np.ndarray, lat: np.ndarray, crs: pyproj.CRS) -> tuple[np.ndarray, np.ndarray]:
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    return transformer.transform(lon, lat)


def assert_surface_of(path: str, lon, lat, *, radius: float, weight=None) -> pyproj.CRS:
    """The raster at ``path`` is the core's density of the pyproj-projected points."""
    values, grid, crs = raster_grid_and_crs(path)
    x, y = projected(np.asarray(lon), np.asarray(lat), crs)
    expected = kernel_density_on_grid(x, y, grid, radius=radius, weight=weight)
    assert_float32_raster_of(values, expected)
    assert values.max() > 0
    return crs


@pytest.fixture(scope="module")
def clustered_lon_lat() -> tuple[np.ndarray, np.ndarray]:
    """400 points in two clusters about 10 km wide near 15 E, 60.5 N (UTM zone 33)."""
    rng = np.random.default_rng(60)
    lon = np.concatenate([15.1 + rng.normal(0, 0.05, 250), 14.8 + rng.normal(0, 0.03, 150)])
    lat = np.concatenate([60.5 + rng.normal(0, 0.02, 250), 60.45 + rng.normal(0, 0.01, 150)])
    return lon, lat


def test_lon_lat_layer_near_60_north_is_computed_in_its_utm_zone(
    processing_run, tmp_path, clustered_lon_lat
):
    lon, lat = clustered_lon_lat
    layer = point_layer(tmp_path / "ll.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": layer, "RADIUS": 1500, "PIXEL_SIZE": 100, "OUTPUT": output}
    )
    crs = assert_surface_of(output, lon, lat, radius=1500)
    assert crs.to_epsg() == 32633
    [report] = [message for message in feedback.infos if "UTM zone 33N" in message]
    assert "EPSG:4326" in report and "metres" in report
    assert not any("degree" in warning for warning in feedback.warnings)


def test_same_points_in_utm_and_in_lon_lat_give_the_same_surface(
    processing_run, tmp_path, clustered_lon_lat
):
    lon, lat = clustered_lon_lat
    x, y = projected(lon, lat, pyproj.CRS("EPSG:32633"))
    weight = np.linspace(0.5, 2.0, len(lon))
    outputs = {}
    for epsg, (a, b) in ((32633, (x, y)), (4326, (lon, lat))):
        layer = point_layer(tmp_path / f"p{epsg}.gpkg", a, b, epsg, weight)
        outputs[epsg] = str(tmp_path / f"h{epsg}.tif")
        processing_run(
            ALGORITHM,
            {
                "INPUT": layer,
                "RADIUS": 2000,
                "PIXEL_SIZE": 150,
                "WEIGHT_FIELD": "w",
                "OUTPUT_VALUE": 2,  # density per square metre
                "OUTPUT": outputs[epsg],
            },
        )
    utm_values, utm_grid, _ = raster_grid_and_crs(outputs[32633])
    lon_lat_values, lon_lat_grid, _ = raster_grid_and_crs(outputs[4326])
    assert lon_lat_grid.shape == utm_grid.shape
    assert lon_lat_grid.x_min == pytest.approx(utm_grid.x_min, abs=1e-6)
    assert lon_lat_grid.y_max == pytest.approx(utm_grid.y_max, abs=1e-6)
    tolerance = 1e-6 * utm_values.max()
    np.testing.assert_allclose(lon_lat_values, utm_values, rtol=0, atol=tolerance)
    # density per square metre: the surface integrates to the total weight
    assert lon_lat_values.sum() * 150**2 == pytest.approx(weight.sum(), rel=1e-3)


def test_points_across_the_antimeridian_give_one_compact_raster(processing_run, tmp_path):
    rng = np.random.default_rng(180)
    lon = np.concatenate([179.95 + rng.normal(0, 0.02, 200), -179.95 + rng.normal(0, 0.02, 200)])
    lon = (lon + 180) % 360 - 180
    lat = -17.0 + rng.normal(0, 0.03, 400)
    layer = point_layer(tmp_path / "fiji.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": layer, "RADIUS": 3000, "PIXEL_SIZE": 250, "OUTPUT": output}
    )
    crs = assert_surface_of(output, lon, lat, radius=3000)
    assert crs.to_epsg() in (32701, 32760)  # the zone each side of 180 degrees, south
    values, grid, _ = raster_grid_and_crs(output)
    assert grid.cols * grid.cell_size < 60_000  # about 20 km of points, not the world
    # both sides of the antimeridian meet: no empty column through the middle
    assert (values[:, values.shape[1] // 3 : 2 * values.shape[1] // 3].max(axis=0) > 0).all()


def test_points_wider_than_a_utm_zone_use_lambert_azimuthal_equal_area(processing_run, tmp_path):
    rng = np.random.default_rng(5)
    lon = rng.uniform(2.0, 22.0, 300)
    lat = rng.uniform(45.0, 52.0, 300)
    layer = point_layer(tmp_path / "europe.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": layer, "RADIUS": 50_000, "PIXEL_SIZE": 10_000, "OUTPUT": output}
    )
    crs = assert_surface_of(output, lon, lat, radius=50_000)
    assert crs.to_dict()["proj"] == "laea"
    assert crs.to_dict()["lon_0"] == pytest.approx(12.0, abs=0.05)
    assert crs.to_dict()["lat_0"] == pytest.approx(48.5, abs=0.05)
    [report] = [message for message in feedback.infos if "Lambert" in message]
    assert "more than a UTM zone" in report
    assert not feedback.warnings  # 800 km from the centre: well under 1 % scale error


def test_points_over_a_continent_warn_about_distance_errors(processing_run, tmp_path):
    lon = np.array([-120.0, -60.0, -90.0, -90.0])
    lat = np.array([30.0, 30.0, 10.0, 60.0])
    layer = point_layer(tmp_path / "americas.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": layer, "RADIUS": 200_000, "PIXEL_SIZE": 50_000, "OUTPUT": output}
    )
    [warning] = [message for message in feedback.warnings if "off by up to" in message]
    assert "%" in warning


def test_points_beyond_84_north_use_lambert_azimuthal_equal_area(processing_run, tmp_path):
    lon = np.array([10.0, 12.0, 11.0])
    lat = np.array([85.0, 85.1, 84.9])
    layer = point_layer(tmp_path / "arctic.gpkg", lon, lat, 4326)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": layer, "RADIUS": 5000, "PIXEL_SIZE": 500, "OUTPUT": output}
    )
    crs = assert_surface_of(output, lon, lat, radius=5000)
    assert crs.to_dict()["proj"] == "laea"
    assert any("beyond UTM" in message for message in feedback.infos)


def test_a_single_lon_lat_point(processing_run, tmp_path):
    layer = point_layer(tmp_path / "one.gpkg", np.array([-3.7]), np.array([40.4]), 4326)
    output = str(tmp_path / "h.tif")
    processing_run(ALGORITHM, {"INPUT": layer, "RADIUS": 100, "PIXEL_SIZE": 10, "OUTPUT": output})
    crs = assert_surface_of(output, [-3.7], [40.4], radius=100)
    assert crs.to_epsg() == 32630


def test_output_crs_reprojects_a_projected_layer(processing_run, tmp_path, clustered_lon_lat):
    lon, lat = clustered_lon_lat
    x, y = projected(lon, lat, pyproj.CRS("EPSG:32633"))
    layer = point_layer(tmp_path / "utm.gpkg", x, y, 32633)
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": layer,
            "RADIUS": 3000,
            "PIXEL_SIZE": 200,
            "OUTPUT_CRS": "EPSG:3857",
            "OUTPUT": output,
        },
    )
    crs = assert_surface_of(output, lon, lat, radius=3000)
    assert crs.to_epsg() == 3857
    assert any("output CRS EPSG:3857" in message for message in feedback.infos)


@pytest.mark.parametrize("output_crs", ["EPSG:4326", "EPSG:4258"])
def test_geographic_output_crs_is_refused(processing_run, longleaf_gpkg, tmp_path, output_crs):
    output = tmp_path / "h.tif"
    with pytest.raises(QgsProcessingException, match="projected CRS"):
        processing_run(
            ALGORITHM,
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 10,
                "PIXEL_SIZE": 1,
                "OUTPUT_CRS": output_crs,
                "OUTPUT": str(output),
            },
        )
    assert not output.exists()


def test_unknown_output_crs_is_refused(processing_run, longleaf_gpkg, tmp_path):
    with pytest.raises(QgsProcessingException, match="not a CRS QGIS knows"):
        processing_run(
            ALGORITHM,
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 10,
                "PIXEL_SIZE": 1,
                "OUTPUT_CRS": "EPSG:999999",
                "OUTPUT": str(tmp_path / "h.tif"),
            },
        )


def test_latitudes_beyond_90_are_refused_naming_the_likely_cause(processing_run, tmp_path):
    # metres stored in a layer that says EPSG:4326: a common import mistake
    layer = point_layer(tmp_path / "wrong.gpkg", np.array([500000.0]), np.array([6650000.0]), 4326)
    output = tmp_path / "h.tif"
    with pytest.raises(QgsProcessingException, match="latitudes beyond 90 degrees"):
        processing_run(
            ALGORITHM, {"INPUT": layer, "RADIUS": 100, "PIXEL_SIZE": 10, "OUTPUT": str(output)}
        )
    assert not output.exists()


def test_projected_layer_is_computed_in_its_own_crs(processing_run, longleaf_gpkg, tmp_path):
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        ALGORITHM, {"INPUT": longleaf_gpkg, "RADIUS": 10, "PIXEL_SIZE": 2, "OUTPUT": output}
    )
    [report] = [message for message in feedback.infos if "Computing in the layer's CRS" in message]
    assert "EPSG:32617" in report
    _, _, dataset = read_raster(output)
    reference = osr.SpatialReference(wkt=dataset.GetProjection())
    assert reference.GetAuthorityCode(None) == "32617"
