"""``kdeheatmap:volumecontours`` on the longleaf heatmap, against a computation written here."""

from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import gdal
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingModelAlgorithm,
    QgsVectorLayer,
)
from qgis_test_support import SAMPLE_GPKG, RecordingFeedback, read_raster

from kde_heatmap_plugin.processing.volume_contours_algorithm import KdeVolumeContoursAlgorithm

LONGLEAF = f"{SAMPLE_GPKG}|layername=longleaf"
MODEL_FILE = os.path.join(os.path.dirname(__file__), "data", "heatmap_to_contours.model3")
DENSITY = 2  # the heatmap's OUTPUT_VALUE for a density (integrates to the weight sum)


@pytest.fixture(scope="module")
def volume_algorithm(heatmap_plugin) -> str:
    """The algorithm's id, added to the provider when the provider does not list it yet."""
    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("kdeheatmap:volumecontours") is None:
        provider = registry.providerById("kdeheatmap")
        assert provider.addAlgorithm(KdeVolumeContoursAlgorithm())
    return "kdeheatmap:volumecontours"


@pytest.fixture(scope="module")
def density_raster(heatmap_plugin, tmp_path_factory) -> str:
    """The longleaf sample's Density heatmap (radius 20 m, cells of 2 m)."""
    import processing

    path = str(tmp_path_factory.mktemp("volume") / "density.tif")
    processing.run(
        "kdeheatmap:heatmap",
        {
            "INPUT": LONGLEAF,
            "RADIUS": 20.0,
            "PIXEL_SIZE": 2.0,
            "OUTPUT_VALUE": DENSITY,
            "OUTPUT": path,
        },
    )
    return path


def brute_levels(values: np.ndarray, percent: float) -> tuple[float, float]:
    """(threshold, enclosed share) by walking the cells from the highest value down."""
    flat = np.sort(values[~np.isnan(values)].astype(np.float64).ravel())[::-1]
    mass = np.maximum(flat, 0.0)
    total = mass.sum()
    running = 0.0
    for value, cell_mass in zip(flat, mass):
        running += cell_mass
        if running >= percent / 100.0 * total * (1 - 1e-12):
            return float(value), float(mass[flat >= value].sum() / total)
    raise AssertionError("never reached")


def enclosed_share(values: np.ndarray, geotransform: tuple, geometry: QgsGeometry) -> float:
    """Mass share of the cells whose centre lies inside ``geometry``."""
    engine = QgsGeometry.createGeometryEngine(geometry.constGet())
    engine.prepareGeometry()
    mass = np.where(np.isnan(values), 0.0, np.maximum(values, 0.0))
    inside = 0.0
    for row, col in zip(*np.nonzero(mass)):
        x = geotransform[0] + (col + 0.5) * geotransform[1]
        y = geotransform[3] + (row + 0.5) * geotransform[5]
        point = QgsGeometry.fromPointXY(QgsPointXY(x, y))
        if engine.contains(point.constGet()):
            inside += mass[row, col]
    return inside / mass.sum()


def run(algorithm_id: str, parameters: dict) -> tuple[dict, RecordingFeedback]:
    import processing

    feedback = RecordingFeedback()
    return processing.run(algorithm_id, parameters, feedback=feedback), feedback


def test_contours_enclose_p_percent_of_the_sample_heatmap(
    volume_algorithm, density_raster, tmp_path
):
    output = str(tmp_path / "contours.gpkg")
    volume = str(tmp_path / "volume.tif")
    results, feedback = run(
        volume_algorithm,
        {"INPUT": density_raster, "PERCENTAGES": "50, 95", "OUTPUT": output, "VOLUME": volume},
    )
    values, geotransform, _ = read_raster(density_raster)
    values = values.astype(np.float64)
    layer = QgsVectorLayer(results["OUTPUT"], "contours", "ogr")
    assert layer.isValid()
    assert layer.crs().authid() == "EPSG:32616"
    features = list(layer.getFeatures())
    assert [feature["percent"] for feature in features] == [50.0, 95.0]
    previous_area = 0.0
    for feature in features:
        percent = feature["percent"]
        threshold, share = brute_levels(values, percent)
        assert feature["threshold"] == pytest.approx(threshold, rel=1e-12)
        assert feature["mass_share"] == pytest.approx(share, rel=1e-9)
        geometry = feature.geometry()
        assert feature["area"] == pytest.approx(geometry.area())
        assert feature["area"] > previous_area  # nested: 95 % holds more than 50 %
        previous_area = feature["area"]
        inside = enclosed_share(values, geotransform, geometry)
        assert inside == pytest.approx(percent / 100, rel=0.01)
        # the interpolated outline passes between the centres, around the cells >= t (but
        # for a few cells below t at saddles, which marching squares may join)
        assert inside == pytest.approx(share, rel=1e-3)
    assert any("50 %: threshold" in info for info in feedback.infos)
    assert not feedback.warnings  # radius 20 m keeps both regions inside the raster

    cumulative, volume_transform, _ = read_raster(volume)
    assert volume_transform == geotransform
    for feature in features:
        inside = values >= feature["threshold"]
        assert cumulative[inside].max() <= 100 * feature["mass_share"] * (1 + 1e-6)
        assert cumulative[~inside].min() > 100 * feature["mass_share"] * (1 - 1e-6)


def test_region_reaching_the_edge_is_reported(volume_algorithm, density_raster, tmp_path):
    _, feedback = run(
        volume_algorithm,
        {"INPUT": density_raster, "PERCENTAGES": "100", "OUTPUT": str(tmp_path / "c.gpkg")},
    )
    assert len(feedback.warnings) == 1
    assert "100 % region reaches the edge" in feedback.warnings[0]


@pytest.mark.parametrize(
    ("percentages", "words"),
    [
        ("50,0", "greater than 0"),
        ("101", "at most 100"),
        ("50,x", '"x" is not a number'),
        (" , ", "at least one"),
    ],
)
def test_bad_percentages_are_refused(
    volume_algorithm, density_raster, tmp_path, percentages, words
):
    with pytest.raises(QgsProcessingException) as caught:
        run(
            volume_algorithm,
            {
                "INPUT": density_raster,
                "PERCENTAGES": percentages,
                "OUTPUT": str(tmp_path / "c.gpkg"),
            },
        )
    assert words in str(caught.value)


def _raster(path: str, values: np.ndarray, *, epsg: int | None) -> str:
    dataset = gdal.GetDriverByName("GTiff").Create(
        path, values.shape[1], values.shape[0], 1, gdal.GDT_Float32
    )
    dataset.SetGeoTransform((0.0, 1.0, 0.0, values.shape[0], 0.0, -1.0))
    if epsg:
        dataset.SetProjection(QgsCoordinateReferenceSystem(f"EPSG:{epsg}").toWkt())
    dataset.GetRasterBand(1).WriteArray(values)
    dataset.GetRasterBand(1).SetNoDataValue(-9999.0)
    dataset = None
    return path


def test_raster_without_crs_and_all_zero_raster_are_refused(volume_algorithm, tmp_path):
    values = np.zeros((6, 6), dtype=np.float32)
    values[0, 0] = -9999.0
    with pytest.raises(QgsProcessingException, match="no cell above 0 \\(of its 35 cells"):
        run(
            volume_algorithm,
            {"INPUT": _raster(str(tmp_path / "zero.tif"), values, epsg=32616), "OUTPUT": "memory:"},
        )
    values[2, 2] = 1.0
    with pytest.raises(QgsProcessingException, match="no coordinate reference system"):
        run(
            volume_algorithm,
            {"INPUT": _raster(str(tmp_path / "nocrs.tif"), values, epsg=None), "OUTPUT": "memory:"},
        )


def test_nodata_cells_are_left_out(volume_algorithm, tmp_path):
    values = np.zeros((9, 9), dtype=np.float32)
    values[3:6, 3:6] = 1.0
    values[4, 4] = 4.0  # total 12: 50 % needs the 1s as well
    values[4, 5] = -9999.0  # NoData: not a 1, total 11
    path = _raster(str(tmp_path / "nodata.tif"), values, epsg=32616)
    results, _ = run(volume_algorithm, {"INPUT": path, "PERCENTAGES": "30", "OUTPUT": "memory:"})
    (feature,) = results["OUTPUT"].getFeatures()
    assert feature["threshold"] == 4.0
    assert feature["mass_share"] == pytest.approx(4 / 11)
    assert feature.geometry().contains(QgsGeometry.fromPointXY(QgsPointXY(4.5, 4.5)))
    assert not feature.geometry().contains(QgsGeometry.fromPointXY(QgsPointXY(3.5, 4.5)))


def test_model_chains_the_heatmap_into_volume_contours(volume_algorithm, tmp_path):
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(MODEL_FILE)
    assert sorted(child.algorithmId() for child in model.childAlgorithms().values()) == [
        "kdeheatmap:heatmap",
        "kdeheatmap:volumecontours",
    ]
    contours = str(tmp_path / "home_ranges.gpkg")
    results, _ = run(model, {"points": LONGLEAF, "contours:contours": contours})
    layer = QgsVectorLayer(results["contours:contours"], "contours", "ogr")
    assert layer.isValid()
    assert [feature["percent"] for feature in layer.getFeatures()] == [50.0, 95.0]
    for feature in layer.getFeatures():
        assert feature["mass_share"] == pytest.approx(feature["percent"] / 100, rel=0.01)


def test_cancel_stops_before_any_polygon(volume_algorithm, density_raster, tmp_path):
    import processing

    feedback = RecordingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run(
            volume_algorithm,
            {"INPUT": density_raster, "OUTPUT": str(tmp_path / "c.gpkg")},
            feedback=feedback,
        )
