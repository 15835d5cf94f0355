"""Issue 9: absurd values get a message that names the problem and the fix, never a traceback,
and a raster that reports success holds no infinity or NaN."""

from __future__ import annotations

import hashlib
import math
import re
import shutil

import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException
from qgis_test_support import PointFeature, make_gpkg, read_raster

ALGORITHM = "kdeheatmap:heatmap"


def digest(path) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def refused(processing_run, parameters: dict, pattern: str) -> str:
    """Run and expect a QgsProcessingException matching ``pattern`` (no Python traceback)."""
    with pytest.raises(QgsProcessingException, match=pattern) as raised:
        processing_run(ALGORITHM, parameters)
    message = str(raised.value)
    assert "Traceback" not in message and "Error:" not in message
    return message


@pytest.mark.parametrize("layer_suffix", ["", "|layername=points"])
def test_output_equal_to_the_input_file_is_refused(processing_run, tmp_path, layer_suffix):
    path = str(tmp_path / "points.gpkg")
    make_gpkg(path, [PointFeature("POINT (0 0)"), PointFeature("POINT (5 5)")])
    before = digest(path)
    refused(
        processing_run,
        {"INPUT": path + layer_suffix, "RADIUS": 10, "PIXEL_SIZE": 1, "OUTPUT": path},
        "is the input layer's file",
    )
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["points.gpkg"]


def test_output_equal_to_the_input_file_through_a_link_is_refused(processing_run, tmp_path):
    path = str(tmp_path / "points.gpkg")
    make_gpkg(path, [PointFeature("POINT (0 0)")])
    link = tmp_path / "link.gpkg"
    link.symlink_to(path)
    refused(
        processing_run,
        {"INPUT": path, "RADIUS": 10, "PIXEL_SIZE": 1, "OUTPUT": str(link)},
        "is the input layer's file",
    )


@pytest.mark.parametrize("radius", [1e300, 1e308])
def test_absurd_radius_names_the_radius(processing_run, longleaf_gpkg, tmp_path, radius):
    message = refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": radius,
            "PIXEL_SIZE": 1,
            "OUTPUT": str(tmp_path / "h.tif"),
        },
        r"The radius \(1e\+30\d\) is .* times the extent of the points",
    )
    assert "inf" not in message and "map units" in message
    assert list(tmp_path.iterdir()) == []


def test_absurd_cell_size_suggests_a_feasible_one(processing_run, longleaf_gpkg, tmp_path):
    message = refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1e-300,
            "OUTPUT": str(tmp_path / "h.tif"),
        },
        r"A cell size of 1e-300 makes the raster .* more than a raster file can hold",
    )
    suggested = float(re.search(r"for example ([0-9.e+-]+)\.", message).group(1))
    assert 1e-4 < suggested < 1  # the longleaf plot is 200 m wide: a fine but workable grid
    assert list(tmp_path.iterdir()) == []


def test_radius_field_outlier_is_named(processing_run, tmp_path):
    features = [PointFeature(f"POINT ({i} {i})", {"r": 5.0}) for i in range(20)]
    features.append(PointFeature("POINT (3 7)", {"r": 1e300}))
    layer = make_gpkg(str(tmp_path / "radii.gpkg"), features, fields={"r": ogr.OFTReal})
    output = tmp_path / "out"
    output.mkdir()
    message = refused(
        processing_run,
        {
            "INPUT": layer,
            "RADIUS": 10,
            "RADIUS_FIELD": "r",
            "PIXEL_SIZE": 1,
            "OUTPUT": str(output / "h.tif"),
        },
        r"Feature 21 has a radius \(r\) of 1e\+300, while half of the radii are at most 5",
    )
    assert "Traceback" not in message
    assert list(output.iterdir()) == []


def test_values_beyond_float32_are_refused_and_keep_the_previous_output(processing_run, tmp_path):
    layer = make_gpkg(
        str(tmp_path / "heavy.gpkg"),
        [PointFeature(f"POINT ({i} {i})", {"w": 2e38}) for i in range(3)],
        fields={"w": ogr.OFTReal},
    )
    output = tmp_path / "out"
    output.mkdir()
    target = output / "h.tif"
    shutil.copy(read_sample_raster(processing_run, tmp_path), target)
    before = digest(target)
    refused(
        processing_run,
        {
            "INPUT": layer,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "WEIGHT_FIELD": "w",
            "OUTPUT": str(target),
        },
        r"Some cells reach \d\.\d+e\+38, beyond the range of a 32-bit",
    )
    assert digest(target) == before
    assert sorted(p.name for p in output.iterdir()) == ["h.tif"]


def test_large_but_representable_weights_give_finite_cells(processing_run, tmp_path):
    layer = make_gpkg(
        str(tmp_path / "heavy.gpkg"),
        [PointFeature("POINT (0 0)", {"w": 1e38}), PointFeature("POINT (30 30)", {"w": 3e38})],
        fields={"w": ogr.OFTReal},
    )
    target = tmp_path / "h.tif"
    processing_run(
        ALGORITHM,
        {"INPUT": layer, "RADIUS": 10, "PIXEL_SIZE": 1, "WEIGHT_FIELD": "w", "OUTPUT": str(target)},
    )
    values, _, _ = read_raster(str(target))
    assert all(math.isfinite(v) for v in values.ravel())
    # the nearest cell centre is half a cell away in x and y from (30, 30): u² = 0.5 / 100
    assert values.max() == pytest.approx(3e38 * (1 - 0.005) ** 2, rel=1e-6)


def read_sample_raster(processing_run, tmp_path) -> str:
    """A small valid heatmap to stand for a user's previous output."""
    layer = make_gpkg(str(tmp_path / "light.gpkg"), [PointFeature("POINT (0 0)")])
    path = str(tmp_path / "previous.tif")
    processing_run(ALGORITHM, {"INPUT": layer, "RADIUS": 5, "PIXEL_SIZE": 1, "OUTPUT": path})
    return path


def test_infinite_coordinates_are_refused_with_a_filter_to_use(processing_run, tmp_path):
    layer = make_gpkg(
        str(tmp_path / "inf.gpkg"),
        [PointFeature("POINT (0 0)"), PointFeature("POINT (5 5)")],
    )
    dataset = ogr.Open(layer.split("|")[0], 1)
    feature = dataset.GetLayer(0).GetFeature(2)
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(math.inf, 5.0)
    feature.SetGeometry(point)
    dataset.GetLayer(0).SetFeature(feature)
    dataset = None
    output = tmp_path / "out"
    output.mkdir()
    refused(
        processing_run,
        {"INPUT": layer, "RADIUS": 10, "PIXEL_SIZE": 1, "OUTPUT": str(output / "h.tif")},
        r"1 features have an infinite x or y coordinate.*abs\(x\(\$geometry\)\) < 1e300",
    )
    assert list(output.iterdir()) == []


def test_non_finite_weights_are_reported_as_such_not_as_null(processing_run, tmp_path):
    path = str(tmp_path / "weights.shp")
    dataset = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    layer = dataset.CreateLayer("weights", None, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("w", ogr.OFTReal))
    for index, weight in enumerate([1.0, math.nan, math.inf, -math.inf, None, 2.0]):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({index} 0)"))
        if weight is not None:
            feature["w"] = weight
        layer.CreateFeature(feature)
    dataset = None
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": path,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "WEIGHT_FIELD": "w",
            "OUTPUT": str(tmp_path / "h.tif"),
        },
    )
    assert (
        "3 features skipped because their weight (w) is not a finite number (NaN or infinity)."
        in feedback.warnings
    )
    assert "1 features skipped because their weight (w) is NULL." in feedback.warnings


@pytest.mark.parametrize(
    "radius, output_value, pattern",
    [
        (1e-300, 0, r"A radius of 1e-300 is too small to compute with.*at least 1\.\d+e-154"),
        (1e-150, 2, r"With a radius of 1e-150, the Density output multiplies the kernel by"),
    ],
)
def test_radii_whose_numbers_overflow_are_refused_before_any_file(
    processing_run, longleaf_gpkg, tmp_path, radius, output_value, pattern
):
    refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": radius,
            "PIXEL_SIZE": 1,
            "OUTPUT_VALUE": output_value,
            "OUTPUT": str(tmp_path / "h.tif"),
        },
        pattern,
    )
    assert list(tmp_path.iterdir()) == []


def test_weights_that_could_overflow_the_sums_are_refused(processing_run, tmp_path):
    layer = make_gpkg(
        str(tmp_path / "heavy.gpkg"),
        [PointFeature(f"POINT ({i} 0)", {"w": 1e289}) for i in range(30)],
        fields={"w": ogr.OFTReal},
    )
    output = tmp_path / "out"
    output.mkdir()
    refused(
        processing_run,
        {
            "INPUT": layer,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "WEIGHT_FIELD": "w",
            "OUTPUT": str(output / "h.tif"),
        },
        r"The weights, times the output's scaling, add up to 3e\+290.*largest weight is 1e\+289",
    )
    assert list(output.iterdir()) == []


def test_a_run_of_hours_is_refused_with_a_cell_size_of_minutes(
    processing_run, longleaf_gpkg, longleaf, tmp_path, monkeypatch
):
    from kde_heatmap_plugin.core import Kernel, estimated_seconds, native_grid
    from kde_heatmap_plugin.processing import heatmap_sizing

    # A budget of seconds instead of hours keeps the test quick; the rule is the same.
    monkeypatch.setattr(heatmap_sizing, "LONGEST_RUN_SECONDS", 20.0)
    monkeypatch.setattr(heatmap_sizing, "SLOW_RUN_SECONDS", 1.0)
    message = refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 0.01,  # 22,000 x 22,000 cells
            "OUTPUT": str(tmp_path / "h.tif"),
        },
        r"The 22001 x 22001 raster would take about \d+\.\d hours to compute \(estimated\)",
    )
    suggested = float(re.search(r"for example ([0-9.e+-]+),", message).group(1))

    def seconds(cell_size: float) -> float:
        x, y = longleaf["x"], longleaf["y"]
        grid = native_grid(x.min(), y.min(), x.max(), y.max(), padding=10.0, cell_size=cell_size)
        return estimated_seconds(grid, 584, radius=10.0, kernel=Kernel.QUARTIC)

    assert seconds(suggested) <= 1.0 < seconds(suggested / 1.5)
    assert list(tmp_path.iterdir()) == []


def test_a_slow_run_is_warned_with_its_estimate(
    processing_run, longleaf_gpkg, tmp_path, monkeypatch
):
    from kde_heatmap_plugin.processing import heatmap_sizing

    monkeypatch.setattr(heatmap_sizing, "SLOW_RUN_SECONDS", 1e-6)
    _, feedback = processing_run(
        ALGORITHM,
        {"INPUT": longleaf_gpkg, "RADIUS": 10, "PIXEL_SIZE": 2, "OUTPUT": str(tmp_path / "h.tif")},
    )
    assert any("estimated to take" in info for info in feedback.infos)
    assert any("This run is estimated to take" in warning for warning in feedback.warnings)
