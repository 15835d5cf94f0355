"""Issue 9 through Processing: a failed write reports failure and keeps the previous output, only
our files are replaced, and unusable destinations are refused before computing.

The writer's own guarantees, format by format, are tested in test_qgis_write_safety.py.
"""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
from qgis.core import QgsProcessingException
from qgis_test_support import PointFeature, make_gpkg, read_raster
from write_safety_support import small_filesystem, snapshot

from kde_heatmap_plugin import style

ALGORITHM = "kdeheatmap:heatmap"


@pytest.fixture()
def scattered_points(tmp_path) -> str:
    """2000 points spread over 1 km x 1 km: a raster that DEFLATE cannot shrink to nothing."""
    rng = np.random.default_rng(7)
    features = [PointFeature(f"POINT ({x!r} {y!r})") for x, y in rng.uniform(0, 1000, (2000, 2))]
    return make_gpkg(str(tmp_path / "scattered.gpkg"), features)


def test_a_full_disk_fails_names_the_file_and_keeps_the_previous_output(
    processing_run, scattered_points, tmp_path
):
    with small_filesystem(str(tmp_path / "small"), "600k") as folder:
        output = os.path.join(folder, "heatmap.tif")
        coarse = {"INPUT": scattered_points, "RADIUS": 50, "PIXEL_SIZE": 20, "OUTPUT": output}
        processing_run(ALGORITHM, coarse)
        before = snapshot(folder)
        with pytest.raises(QgsProcessingException) as raised:
            processing_run(ALGORITHM, {**coarse, "PIXEL_SIZE": 1})  # 1100 x 1100 cells
        message = str(raised.value)
        assert output in message and "No space left on device" in message
        assert "unchanged" in message
        assert snapshot(folder) == before  # byte-identical, and no partial file
        values, geotransform, dataset = read_raster(output)
        del dataset  # closed before the file system is unmounted
        assert geotransform[1] == 20 and values.max() > 0


def test_a_foreign_style_file_is_kept_with_a_warning(processing_run, longleaf_gpkg, tmp_path):
    roads_style = tmp_path / "roads.qml"
    roads_style.write_text("<!DOCTYPE qgis><qgis><renderer-v2 type='singleSymbol'/></qgis>\n")
    before = roads_style.read_bytes()
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 20,
            "PIXEL_SIZE": 5,
            "OUTPUT": str(tmp_path / "roads.tif"),
        },
    )
    assert roads_style.read_bytes() == before
    assert any("roads.qml" in warning and "was kept" in warning for warning in feedback.warnings)
    assert read_raster(str(tmp_path / "roads.tif"))[0].max() > 0


def test_our_own_style_file_is_replaced(processing_run, longleaf_gpkg, tmp_path):
    parameters = {
        "INPUT": longleaf_gpkg,
        "RADIUS": 20,
        "PIXEL_SIZE": 5,
        "OUTPUT": str(tmp_path / "heatmap.tif"),
    }
    processing_run(ALGORITHM, {**parameters, "COLOR_RAMP": "Magma"})
    _, feedback = processing_run(ALGORITHM, {**parameters, "COLOR_RAMP": "Reds"})
    qml = tmp_path / "heatmap.qml"
    assert style.is_plugin_style(str(qml))
    assert not [warning for warning in feedback.warnings if "was kept" in warning]
    first_color = "#fff5f0"  # the first stop of Reds, not of Magma
    assert first_color in qml.read_text().lower()


def test_a_read_only_output_is_refused_before_computing(processing_run, longleaf_gpkg, tmp_path):
    output = tmp_path / "heatmap.tif"
    parameters = {"INPUT": longleaf_gpkg, "RADIUS": 20, "PIXEL_SIZE": 5, "OUTPUT": str(output)}
    processing_run(ALGORITHM, parameters)
    output.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = snapshot(str(tmp_path))
    feedback_progress = []
    with pytest.raises(QgsProcessingException, match="is read-only, so it is not replaced"):
        _, feedback = processing_run(ALGORITHM, {**parameters, "PIXEL_SIZE": 2})
        feedback_progress = feedback.progress_values
    assert feedback_progress == []
    assert snapshot(str(tmp_path)) == before


def test_a_folder_as_output_is_refused_and_gets_no_projection_file(
    processing_run, longleaf_gpkg, tmp_path
):
    folder = tmp_path / "out.tif"
    folder.mkdir()
    with pytest.raises(QgsProcessingException, match="is a folder"):
        processing_run(
            ALGORITHM,
            {"INPUT": longleaf_gpkg, "RADIUS": 20, "PIXEL_SIZE": 5, "OUTPUT": str(folder)},
        )
    assert os.listdir(folder) == []
    assert sorted(os.listdir(tmp_path)) == ["out.tif"]


@pytest.mark.parametrize(
    "name, pattern",
    [
        ("heatmap.vrt", "would be a virtual raster"),
        ("heatmap", "has no file extension"),
        ("heatmap.xyz2", 'No raster format QGIS knows writes files ending in ".xyz2"'),
        ("heatmap.png", "Cannot write 32-bit floating point rasters"),
    ],
)
def test_unusable_formats_are_refused_for_their_reason(
    processing_run, longleaf_gpkg, tmp_path, name, pattern
):
    with pytest.raises(QgsProcessingException, match=pattern):
        processing_run(
            ALGORITHM,
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 20,
                "PIXEL_SIZE": 5,
                "OUTPUT": str(tmp_path / name),
            },
        )
    assert os.listdir(tmp_path) == []


def test_a_geopackage_holding_vector_layers_is_not_overwritten(processing_run, tmp_path):
    path = str(tmp_path / "city.gpkg")
    layer = make_gpkg(path, [PointFeature("POINT (0 0)"), PointFeature("POINT (50 50)")])
    make_gpkg(path, [PointFeature("POINT (9 9)")], layer_name="roads")
    before = snapshot(str(tmp_path))
    other = make_gpkg(str(tmp_path / "other.gpkg"), [PointFeature("POINT (1 1)")])
    with pytest.raises(QgsProcessingException, match="holds more than one dataset"):
        processing_run(ALGORITHM, {"INPUT": other, "RADIUS": 5, "PIXEL_SIZE": 1, "OUTPUT": path})
    assert snapshot(str(tmp_path))["city.gpkg"] == before["city.gpkg"]
    assert layer.endswith("layername=points")
