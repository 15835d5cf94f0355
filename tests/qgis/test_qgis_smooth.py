"""Issue 11: ``kdeheatmap:smooth`` against a brute-force Nadaraya-Watson average computed here."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException
from qgis_test_support import PointFeature, RecordingFeedback, make_gpkg, read_raster

from kde_heatmap_plugin.processing.smooth_algorithm import SmoothAlgorithm

RADIUS = 20.0
CELL = 4.0


def epanechnikov(distance: float) -> float:
    """The Epanechnikov profile 1 - u², u = d / r, 0 beyond the radius."""
    u_squared = (distance / RADIUS) ** 2
    return 1.0 - u_squared if u_squared <= 1.0 else 0.0


def run(parameters: dict) -> tuple[dict, RecordingFeedback]:
    import processing

    feedback = RecordingFeedback()
    return processing.run(SmoothAlgorithm(), parameters, feedback=feedback), feedback


@pytest.fixture()
def sample(tmp_path):
    """Two clusters far apart (cells between them are reached by no point), one NULL value."""
    generator = np.random.default_rng(3)
    points = np.concatenate(
        (generator.uniform(0, 30, (10, 2)), generator.uniform(120, 140, (6, 2)))
    ) + [500000, 4000000]
    values = generator.uniform(-5, 40, len(points))
    weights = generator.uniform(0, 4, len(points))
    features = [
        PointFeature(f"POINT ({x} {y})", {"v": v, "w": w})
        for (x, y), v, w in zip(points, values, weights)
    ]
    features.append(PointFeature("POINT (500015 4000015)", {"v": None, "w": 1.0}))
    path = make_gpkg(
        str(tmp_path / "values.gpkg"),
        features,
        fields={"v": ogr.OFTReal, "w": ogr.OFTReal, "name": ogr.OFTString},
    )
    return {"path": path, "points": points, "values": values, "weights": weights}


def test_smoothed_values_match_brute_force(qgis_processing, sample, tmp_path):
    output = str(tmp_path / "smooth.tif")
    _, feedback = run(
        {
            "INPUT": sample["path"],
            "FIELD": "v",
            "WEIGHT_FIELD": "w",
            "KERNEL": 4,
            "RADIUS": RADIUS,
            "PIXEL_SIZE": CELL,
            "OUTPUT": output,
        }
    )
    values, geotransform, dataset = read_raster(output)
    del dataset
    expected = np.full(values.shape, np.nan)
    for row in range(values.shape[0]):
        for col in range(values.shape[1]):
            x = geotransform[0] + (col + 0.5) * geotransform[1]
            y = geotransform[3] + (row + 0.5) * geotransform[5]
            numerator = denominator = 0.0
            for (px, py), v, w in zip(sample["points"], sample["values"], sample["weights"]):
                k = w * epanechnikov(math.hypot(x - px, y - py))
                numerator += k * v
                denominator += k
            if denominator > 0:
                expected[row, col] = numerator / denominator
    unreached = np.isnan(expected)
    assert unreached.sum() > 0 and (~unreached).sum() > 0
    np.testing.assert_array_equal(np.isnan(values), unreached)
    np.testing.assert_allclose(values[~unreached], expected[~unreached], rtol=1e-5, atol=1e-4)
    assert values[~unreached].min() >= sample["values"].min() - 1e-4
    assert values[~unreached].max() <= sample["values"].max() + 1e-4
    assert any("1 features skipped because their value (v)" in w for w in feedback.warnings)
    assert any(
        f"{int(unreached.sum())} of {values.size} cells are NoData" in i for i in feedback.infos
    )
    assert os.path.exists(str(tmp_path / "smooth.qml"))


def test_constant_field_gives_that_constant(qgis_processing, tmp_path):
    """A field equal to 7 everywhere smooths to exactly 7 wherever a point reaches."""
    features = [
        PointFeature(f"POINT ({500000 + 3 * i} {4000000 + (i * 7) % 11})", {"v": 7.0})
        for i in range(12)
    ]
    path = make_gpkg(str(tmp_path / "constant.gpkg"), features, fields={"v": ogr.OFTReal})
    output = str(tmp_path / "constant.tif")
    run({"INPUT": path, "FIELD": "v", "RADIUS": 10, "PIXEL_SIZE": 1, "OUTPUT": output})
    values, _, dataset = read_raster(output)
    del dataset
    np.testing.assert_allclose(values[np.isfinite(values)], 7.0, rtol=1e-6)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"RADIUS": -1}, "radius must be greater than 0"),
        ({"PIXEL_SIZE": 0}, "output raster size must be greater than 0"),
        ({"FIELD": "name"}, "no numeric field"),
    ],
)
def test_refused(qgis_processing, sample, tmp_path, change, pattern):
    (tmp_path / "out").mkdir()
    parameters = {
        "INPUT": sample["path"],
        "FIELD": "v",
        "RADIUS": RADIUS,
        "PIXEL_SIZE": CELL,
        "OUTPUT": str(tmp_path / "out" / "s.tif"),
    }
    parameters.update(change)
    with pytest.raises(QgsProcessingException, match=pattern):
        run(parameters)
    assert os.listdir(tmp_path / "out") == []


def test_empty_layer_is_refused(qgis_processing, tmp_path):
    empty = make_gpkg(str(tmp_path / "empty.gpkg"), [], fields={"v": ogr.OFTReal})
    (tmp_path / "out").mkdir()
    with pytest.raises(QgsProcessingException, match="no features"):
        run(
            {
                "INPUT": empty,
                "FIELD": "v",
                "RADIUS": RADIUS,
                "PIXEL_SIZE": CELL,
                "OUTPUT": str(tmp_path / "out" / "s.tif"),
            }
        )
    assert os.listdir(tmp_path / "out") == []


def test_cancel_leaves_no_file(qgis_processing, sample, tmp_path):
    import processing

    (tmp_path / "out").mkdir()
    feedback = RecordingFeedback()
    feedback.cancel()
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing.run(
            SmoothAlgorithm(),
            {
                "INPUT": sample["path"],
                "FIELD": "v",
                "RADIUS": RADIUS,
                "PIXEL_SIZE": CELL,
                "OUTPUT": str(tmp_path / "out" / "s.tif"),
            },
            feedback=feedback,
        )
    assert os.listdir(tmp_path / "out") == []
