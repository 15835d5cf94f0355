"""RADIUS_RULE, ADAPTIVE and the kdeheatmap:radius algorithm, alone and chained in a model.

The rules themselves are checked against spatstat's numbers in tests/core; here the radius the
rule gives must be the one the heatmap uses (the raster equals the core's on that radius), and
Scott's rule is also written out from its formula.
"""

from __future__ import annotations

import math
import os
import re

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException, QgsProcessingModelAlgorithm
from qgis_test_support import SAMPLE_GPKG, assert_float32_raster_of
from test_qgis_crs import raster_grid_and_crs

from kde_heatmap_plugin.core import bandwidth, kernel_density_on_grid

LONGLEAF = f"{SAMPLE_GPKG}|layername=longleaf"
MODEL_FILE = os.path.join(os.path.dirname(__file__), "data", "radius_into_heatmap.model3")


@pytest.fixture(scope="module")
def sample_points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dataset = ogr.Open(SAMPLE_GPKG)
    layer = dataset.GetLayerByName("longleaf")
    rows = [(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY(), f["mark"]) for f in layer]
    x, y, mark = np.array(rows).T
    return x, y, mark


def scott_by_hand(x: np.ndarray, y: np.ndarray) -> float:
    """spatstat's bw.scott(isotropic = TRUE): sqrt(sd_x sd_y) n^(-1/6), sd with n - 1."""
    return math.sqrt(np.std(x, ddof=1) * np.std(y, ddof=1)) * len(x) ** (-1 / 6)


def test_scott_rule_gives_the_heatmaps_radius(processing_run, sample_points, tmp_path):
    x, y, _ = sample_points
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": LONGLEAF, "RADIUS_RULE": 2, "PIXEL_SIZE": 2, "OUTPUT": output},
    )
    radius = scott_by_hand(x, y) * math.sqrt(8)  # quartic: R = sigma sqrt(8)
    values, grid, _ = raster_grid_and_crs(output)
    assert_float32_raster_of(values, kernel_density_on_grid(x, y, grid, radius=radius))
    assert any("Scott's rule: sigma" in info for info in feedback.infos)


@pytest.mark.parametrize("rule", [1, 3, 4])
def test_each_rule_reaches_the_raster(processing_run, sample_points, tmp_path, rule):
    x, y, _ = sample_points
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": LONGLEAF, "RADIUS_RULE": rule, "PIXEL_SIZE": 2, "OUTPUT": output},
    )
    [logged] = [info for info in feedback.infos if re.search(r"radius [0-9.]+ meters\.$", info)]
    radius = float(re.search(r"radius ([0-9.]+) meters\.$", logged).group(1))
    values, grid, _ = raster_grid_and_crs(output)
    expected = kernel_density_on_grid(x, y, grid, radius=radius)
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-5 * expected.max())


def test_adaptive_radii_are_abramsons(processing_run, sample_points, tmp_path):
    x, y, _ = sample_points
    output = str(tmp_path / "h.tif")
    _, feedback = processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": LONGLEAF, "RADIUS": 15, "ADAPTIVE": True, "PIXEL_SIZE": 2, "OUTPUT": output},
    )
    radii = bandwidth.abramson_radii(x, y, 15.0)
    assert radii.min() < 15 < radii.max() <= 75  # trimmed at 5 R0
    values, grid, _ = raster_grid_and_crs(output)
    assert grid.x_min == pytest.approx(x.min() - radii.max())  # padded by the largest radius
    assert_float32_raster_of(values, kernel_density_on_grid(x, y, grid, radius=radii))
    [report] = [info for info in feedback.infos if info.startswith("Adaptive radii")]
    assert f"{radii.min():.4g}" in report and f"{radii.max():.4g}" in report


def test_adaptive_radii_with_a_radius_field_are_refused(processing_run, tmp_path):
    with pytest.raises(QgsProcessingException, match="Adaptive radii replace the radius field"):
        processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": LONGLEAF,
                "RADIUS_FIELD": "mark",
                "ADAPTIVE": True,
                "OUTPUT": str(tmp_path / "h.tif"),
            },
        )


def test_a_rule_with_a_radius_field_is_refused(processing_run, tmp_path):
    with pytest.raises(QgsProcessingException, match="a radius field one each"):
        processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": LONGLEAF,
                "RADIUS_FIELD": "mark",
                "RADIUS_RULE": 2,
                "OUTPUT": str(tmp_path / "h.tif"),
            },
        )


def test_radius_algorithm_returns_the_rules_radius_and_logs_all(processing_run, sample_points):
    x, y, mark = sample_points
    results, feedback = processing_run(
        "kdeheatmap:radius", {"INPUT": LONGLEAF, "RULE": 1, "KERNEL": 4}
    )
    # Epanechnikov: R = sigma sqrt(6)
    assert results["RADIUS"] == pytest.approx(scott_by_hand(x, y) * math.sqrt(6), rel=1e-9)
    for rule in ("ArcGIS rule", "Scott's rule", "Likelihood cross-validation", "Diggle"):
        assert any(info.startswith(rule) for info in feedback.infos), rule
    weighted, _ = processing_run(
        "kdeheatmap:radius", {"INPUT": LONGLEAF, "RULE": 0, "WEIGHT_FIELD": "mark"}
    )
    expected = bandwidth.arcgis_radius(x, y, mark).radius
    assert weighted["RADIUS"] == pytest.approx(expected, rel=1e-12)


def test_a_model_chains_the_radius_into_the_heatmap(processing_run, sample_points, tmp_path):
    x, y, _ = sample_points
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(MODEL_FILE)
    output = str(tmp_path / "model.tif")
    results, _ = processing_run(model, {"points": LONGLEAF, "heatmap:heatmap": output})
    values, grid, _ = raster_grid_and_crs(results["heatmap:heatmap"])
    radius = scott_by_hand(x, y) * math.sqrt(8)
    assert grid.cell_size == 2.0
    assert_float32_raster_of(values, kernel_density_on_grid(x, y, grid, radius=radius))
