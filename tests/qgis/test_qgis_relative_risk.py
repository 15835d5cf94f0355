"""Issue 11: ``kdeheatmap:relativerisk`` against a brute-force ratio computed here."""

from __future__ import annotations

import math
import os

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException
from qgis_test_support import PointFeature, RecordingFeedback, make_gpkg, read_raster

from kde_heatmap_plugin.processing.relative_risk_algorithm import RelativeRiskAlgorithm
from kde_heatmap_plugin.style_ratio import ratio_ramp_values

RADIUS = 30.0
CELL = 5.0


def quartic(distance: float) -> float:
    """The quartic profile (1 - u²)², u = d / r, 0 beyond the radius (the factor cancels)."""
    u_squared = (distance / RADIUS) ** 2
    return (1.0 - u_squared) ** 2 if u_squared <= 1.0 else 0.0


def layer(path, coordinates, weights=None, epsg=32617) -> str:
    features = [
        PointFeature(f"POINT ({x} {y})", {"w": w} if weights is not None else {})
        for (x, y), w in zip(coordinates, weights if weights is not None else [None] * 99)
    ]
    return make_gpkg(
        str(path),
        features,
        epsg=epsg,
        fields={"w": ogr.OFTReal} if weights is not None else None,
    )


def brute_force(geotransform, shape, cases, case_weights, controls, control_weights):
    """Ratio of normalised raw kernel sums and the control sums, cell by cell, point by point."""
    rows, cols = shape
    ratio = np.empty(shape)
    control_sums = np.empty(shape)
    for row in range(rows):
        for col in range(cols):
            x = geotransform[0] + (col + 0.5) * geotransform[1]
            y = geotransform[3] + (row + 0.5) * geotransform[5]
            case_sum = sum(
                w * quartic(math.hypot(x - px, y - py)) for (px, py), w in zip(cases, case_weights)
            )
            control_sum = sum(
                w * quartic(math.hypot(x - px, y - py))
                for (px, py), w in zip(controls, control_weights)
            )
            control_sums[row, col] = control_sum
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio[row, col] = (case_sum / sum(case_weights)) / (
                    control_sum / sum(control_weights)
                )
    return ratio, control_sums


@pytest.fixture()
def sample(tmp_path):
    generator = np.random.default_rng(11)
    cases = 500000 + generator.uniform(0, 60, (8, 2)) + [0, 4000000]
    controls = 500000 + generator.uniform(0, 100, (25, 2)) + [0, 4000000]
    case_weights = generator.uniform(0.5, 3, 8)
    return {
        "cases": [tuple(p) for p in cases],
        "controls": [tuple(p) for p in controls],
        "case_weights": list(case_weights),
        "cases_path": layer(tmp_path / "cases.gpkg", cases, case_weights),
        "controls_path": layer(tmp_path / "controls.gpkg", controls),
    }


def run(parameters: dict) -> tuple[dict, RecordingFeedback]:
    import processing

    feedback = RecordingFeedback()
    return processing.run(RelativeRiskAlgorithm(), parameters, feedback=feedback), feedback


@pytest.mark.parametrize("log_ratio", [False, True])
def test_ratio_matches_brute_force(qgis_processing, sample, tmp_path, log_ratio):
    output = str(tmp_path / "ratio.tif")
    threshold = 0.05
    _, feedback = run(
        {
            "CASES": sample["cases_path"],
            "CONTROLS": sample["controls_path"],
            "CASES_WEIGHT_FIELD": "w",
            "RADIUS": RADIUS,
            "PIXEL_SIZE": CELL,
            "LOG_RATIO": log_ratio,
            "THRESHOLD": threshold,
            "OUTPUT": output,
        }
    )
    values, geotransform, dataset = read_raster(output)
    del dataset
    everything = np.array(sample["cases"] + sample["controls"])
    # one grid covering both layers, grown by the radius
    assert geotransform[0] <= everything[:, 0].min() - RADIUS + 1e-6
    assert geotransform[3] >= everything[:, 1].max() + RADIUS - 1e-6
    assert geotransform[0] + values.shape[1] * CELL >= everything[:, 0].max() + RADIUS
    assert geotransform[3] - values.shape[0] * CELL <= everything[:, 1].min() - RADIUS
    expected, control_sums = brute_force(
        geotransform,
        values.shape,
        sample["cases"],
        sample["case_weights"],
        sample["controls"],
        [1.0] * len(sample["controls"]),
    )
    below = control_sums < threshold * control_sums.max()
    expected[below] = np.nan
    if log_ratio:
        with np.errstate(divide="ignore"):
            expected = np.log(expected)
        expected[~np.isfinite(expected)] = np.nan
    np.testing.assert_array_equal(np.isnan(values), np.isnan(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(values[finite], expected[finite], rtol=2e-5, atol=2e-6)
    assert np.isnan(values).sum() > 0 and finite.sum() > 0
    assert any(
        f"{int(below.sum())} of {values.size} cells are NoData" in info for info in feedback.infos
    )
    assert os.path.exists(str(tmp_path / "ratio.qml"))


def test_controls_in_another_crs_are_transformed(qgis_processing, sample, tmp_path):
    """The same controls in WGS 84 give the same ratio as in UTM 17N (the cases' CRS)."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsPointXY,
        QgsProject,
    )

    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:32617"),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    lonlat = [transform.transform(QgsPointXY(x, y)) for x, y in sample["controls"]]
    controls_wgs84 = layer(
        tmp_path / "controls_wgs84.gpkg", [(p.x(), p.y()) for p in lonlat], epsg=4326
    )
    outputs = []
    for controls in (sample["controls_path"], controls_wgs84):
        output = str(tmp_path / f"ratio{len(outputs)}.tif")
        run(
            {
                "CASES": sample["cases_path"],
                "CONTROLS": controls,
                "RADIUS": RADIUS,
                "PIXEL_SIZE": CELL,
                "OUTPUT": output,
            }
        )
        values, geotransform, dataset = read_raster(output)
        del dataset
        outputs.append((values, geotransform))
    np.testing.assert_allclose(outputs[0][1], outputs[1][1], atol=1e-6)
    np.testing.assert_allclose(outputs[0][0], outputs[1][0], rtol=1e-4, equal_nan=True)


def test_ramp_is_centred_on_the_neutral_value():
    ratio_stops = ratio_ramp_values(0.25, 2.0, log_ratio=False)
    assert ratio_stops[len(ratio_stops) // 2] == 1.0
    np.testing.assert_allclose(ratio_stops[0] * ratio_stops[-1], 1.0)
    assert ratio_stops[0] == pytest.approx(0.25)
    log_stops = ratio_ramp_values(-0.5, 2.0, log_ratio=True)
    assert log_stops[len(log_stops) // 2] == 0.0 and log_stops[-1] == -log_stops[0] == 2.0


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"RADIUS": 0}, "radius must be greater than 0"),
        ({"THRESHOLD": 1.0}, "between 0 and 1"),
        ({"THRESHOLD": 0.0}, "between 0 and 1"),
        ({"CASES_WEIGHT_FIELD": "name"}, "no numeric field"),
        ({"KERNEL": 1, "DECAY": -0.2}, "negative decay"),
    ],
)
def test_refused(qgis_processing, sample, tmp_path, change, pattern):
    named = make_gpkg(
        str(tmp_path / "named.gpkg"),
        [PointFeature("POINT (500010 4000010)", {"name": "a"})],
        fields={"name": ogr.OFTString},
    )
    parameters = {
        "CASES": named if "CASES_WEIGHT_FIELD" in change else sample["cases_path"],
        "CONTROLS": sample["controls_path"],
        "RADIUS": RADIUS,
        "PIXEL_SIZE": CELL,
        "OUTPUT": str(tmp_path / "out" / "r.tif"),
    }
    (tmp_path / "out").mkdir()
    parameters.update(change)
    with pytest.raises(QgsProcessingException, match=pattern):
        run(parameters)
    assert os.listdir(tmp_path / "out") == []


def test_empty_controls_are_refused(qgis_processing, sample, tmp_path):
    empty = make_gpkg(str(tmp_path / "empty.gpkg"), [])
    (tmp_path / "out").mkdir()
    with pytest.raises(QgsProcessingException, match="CONTROLS has no features"):
        run(
            {
                "CASES": sample["cases_path"],
                "CONTROLS": empty,
                "RADIUS": RADIUS,
                "PIXEL_SIZE": CELL,
                "OUTPUT": str(tmp_path / "out" / "r.tif"),
            }
        )
    assert os.listdir(tmp_path / "out") == []


def test_template_gives_the_grid(qgis_processing, sample, tmp_path):
    from osgeo import gdal, osr

    template = str(tmp_path / "template.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(template, 30, 24, 1, gdal.GDT_Float32)
    dataset.SetGeoTransform((499_980.5, 4.0, 0.0, 4_500_110.25, 0.0, -4.0))
    reference = osr.SpatialReference()
    reference.ImportFromEPSG(32617)
    dataset.SetProjection(reference.ExportToWkt())
    dataset = None
    output = str(tmp_path / "ratio.tif")
    run(
        {
            "CASES": sample["cases_path"],
            "CONTROLS": sample["controls_path"],
            "CASES_WEIGHT_FIELD": "w",
            "RADIUS": RADIUS,
            "TEMPLATE": template,
            "THRESHOLD": 0.05,
            "OUTPUT": output,
        }
    )
    values, geotransform, result = read_raster(output)
    assert geotransform == pytest.approx((499_980.5, 4.0, 0.0, 4_500_110.25, 0.0, -4.0))
    assert values.shape == (24, 30)
    _, control_sums = brute_force(
        geotransform,
        values.shape,
        sample["cases"],
        sample["case_weights"],
        sample["controls"],
        [1.0] * len(sample["controls"]),
    )
    # the threshold is relative to the largest control density on this grid
    np.testing.assert_array_equal(np.isnan(values), control_sums < 0.05 * control_sums.max())
    del result
