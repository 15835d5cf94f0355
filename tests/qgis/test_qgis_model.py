"""The algorithm inside a graphical model: extract by expression -> heatmap -> statistics."""

from __future__ import annotations

import os
import re

import pytest
from qgis.core import QgsProcessingModelAlgorithm
from qgis_test_support import assert_float32_raster_of, read_raster

from kde_heatmap_plugin.core import kernel_density

MODEL_FILE = os.path.join(os.path.dirname(__file__), "data", "heatmap_chain.model3")


def test_model_chains_an_extract_into_ours_and_ours_into_raster_statistics(
    processing_run, longleaf_gpkg, longleaf, tmp_path
):
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(MODEL_FILE)
    assert [child.algorithmId() for child in model.childAlgorithms().values()].count(
        "kdeheatmap:heatmap"
    ) == 1
    heatmap = str(tmp_path / "model_heatmap.tif")
    statistics = str(tmp_path / "statistics.html")
    results, _ = processing_run(
        model,
        {
            "points": longleaf_gpkg,
            "filter": '"mark" >= 40',
            "weight": "mark",
            "cell_size": 2.0,
            "radius": 12.0,
            "heatmap:heatmap": heatmap,
            "statistics:statistics": statistics,
        },
    )
    assert results["heatmap:heatmap"] == heatmap
    values, geotransform, _ = read_raster(heatmap)
    kept = longleaf["mark"] >= 40
    grid, expected = kernel_density(
        longleaf["x"][kept],
        longleaf["y"][kept],
        radius=12.0,
        cell_size=2.0,
        weight=longleaf["mark"][kept],
    )
    assert 0 < kept.sum() < len(kept)
    assert geotransform == grid.geotransform
    assert_float32_raster_of(values, expected)
    assert os.path.exists(os.path.splitext(heatmap)[0] + ".qml")

    with open(results["statistics:statistics"], encoding="utf-8") as report:
        text = report.read()
    maximum = float(re.search(r"Maximum value: ([0-9.eE+-]+)", text).group(1))
    assert maximum == pytest.approx(values.max(), rel=1e-6)
