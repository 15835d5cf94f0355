"""Issue 4: bad input is refused before any file exists; doubtful input runs with a warning."""

from __future__ import annotations

import os
import re
import time

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException, QgsStyle
from qgis_test_support import PointFeature, assert_float32_raster_of, make_gpkg, read_raster

from kde_heatmap_plugin import rasters
from kde_heatmap_plugin.core import kernel_density, native_grid, working_memory_bytes
from kde_heatmap_plugin.processing.heatmap_sizing import MEMORY_FRACTION, available_memory_bytes

ALGORITHM = "kdeheatmap:heatmap"


@pytest.fixture()
def output_folder(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def assert_refused(processing_run, parameters: dict, folder, pattern: str) -> str:
    """Run, expect a QgsProcessingException matching ``pattern``, and an untouched folder."""
    with pytest.raises(QgsProcessingException, match=pattern) as raised:
        processing_run(ALGORITHM, parameters)
    assert os.listdir(folder) == []
    return str(raised.value)


def test_polygon_layer_is_refused(processing_run, tmp_path, output_folder):
    polygons = make_gpkg(
        str(tmp_path / "polygons.gpkg"),
        [PointFeature("POLYGON ((0 0, 10 0, 10 10, 0 0))")],
        geometry_type=ogr.wkbPolygon,
    )
    message = assert_refused(
        processing_run,
        {"INPUT": polygons, "RADIUS": 10, "PIXEL_SIZE": 1, "OUTPUT": str(output_folder / "h.tif")},
        output_folder,
        "needs points",
    )
    assert "Polygon" in message and "Centroids" in message


def test_empty_layer_is_refused(processing_run, tmp_path, output_folder):
    empty = make_gpkg(str(tmp_path / "empty.gpkg"), [])
    assert_refused(
        processing_run,
        {"INPUT": empty, "RADIUS": 10, "PIXEL_SIZE": 1, "OUTPUT": str(output_folder / "h.tif")},
        output_folder,
        "has no features",
    )


def test_layer_without_a_usable_point_is_refused(processing_run, tmp_path, output_folder):
    layer = make_gpkg(
        str(tmp_path / "nulls.gpkg"),
        [
            PointFeature(None),
            PointFeature("POINT EMPTY"),
            PointFeature("POINT (1 1)", {"w": None}),
        ],
        fields={"w": ogr.OFTReal},
    )
    message = assert_refused(
        processing_run,
        {
            "INPUT": layer,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "WEIGHT_FIELD": "w",
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        "None of the 3 features",
    )
    assert "NULL" in message


def test_missing_input_is_refused(processing_run, tmp_path, output_folder):
    assert_refused(
        processing_run,
        {
            "INPUT": str(tmp_path / "no_such_layer.gpkg"),
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        "Could not load.*no_such_layer",
    )


@pytest.mark.parametrize("radius", [0, -5])
def test_radius_must_be_positive_without_a_radius_field(
    processing_run, longleaf_gpkg, output_folder, radius
):
    assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": radius,
            "PIXEL_SIZE": 1,
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        "radius must be greater than 0",
    )


def test_radius_field_without_positive_values_is_refused(processing_run, tmp_path, output_folder):
    layer = make_gpkg(
        str(tmp_path / "radii.gpkg"),
        [
            PointFeature("POINT (1 1)", {"r": 0.0}),
            PointFeature("POINT (5 5)", {"r": -3.0}),
            PointFeature("POINT (9 9)", {"r": None}),
        ],
        fields={"r": ogr.OFTReal},
    )
    assert_refused(
        processing_run,
        {
            "INPUT": layer,
            "RADIUS": 10,
            "RADIUS_FIELD": "r",
            "PIXEL_SIZE": 1,
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        'radius field "r" has no value greater than 0',
    )


@pytest.mark.parametrize("cell_size", [0, -1])
def test_cell_size_must_be_positive(processing_run, longleaf_gpkg, output_folder, cell_size):
    assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": cell_size,
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        "must be greater than 0",
    )


@pytest.mark.parametrize(
    "name, value", [("KERNEL", 9), ("KERNEL", -1), ("OUTPUT_VALUE", 4), ("OUTPUT_VALUE", "1.5")]
)
def test_unknown_kernel_or_output_value_is_refused(
    processing_run, longleaf_gpkg, output_folder, name, value
):
    message = assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            name: value,
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        f"not a valid {name}",
    )
    assert ("5 Gaussian" if name == "KERNEL" else "3 Expected count per cell") in message


def test_unknown_color_ramp_is_refused(processing_run, longleaf_gpkg, output_folder):
    message = assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "COLOR_RAMP": "NoSuchRamp",
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        "no color ramp named",
    )
    assert "Viridis" in message


def test_color_ramp_names_are_matched_ignoring_case(processing_run, longleaf_gpkg, tmp_path):
    output = tmp_path / "h.tif"
    processing_run(
        ALGORITHM,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "COLOR_RAMP": "viridis",
            "OUTPUT": str(output),
        },
    )
    style = (tmp_path / "h.qml").read_text()
    ramp = QgsStyle.defaultStyle().colorRamp("Viridis")
    assert ramp.color(1).name() in style and ramp.color(0).name() in style


def test_format_without_float32_is_refused(processing_run, longleaf_gpkg, output_folder):
    assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "OUTPUT": str(output_folder / "h.png"),
        },
        output_folder,
        "Use a .tif file",
    )


def test_missing_output_folder_is_refused(processing_run, longleaf_gpkg, output_folder):
    assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "OUTPUT": str(output_folder / "missing" / "h.tif"),
        },
        output_folder,
        "does not exist",
    )


def test_unwritable_output_folder_is_refused(processing_run, longleaf_gpkg, output_folder):
    if os.geteuid() == 0:
        unwritable = "/sys"  # even root cannot create files there
    else:
        unwritable = str(output_folder / "locked")
        os.mkdir(unwritable, 0o500)
    with pytest.raises(QgsProcessingException, match="write permission"):
        processing_run(
            ALGORITHM,
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 10,
                "PIXEL_SIZE": 1,
                "OUTPUT": os.path.join(unwritable, "h.tif"),
            },
        )
    assert not os.path.exists(os.path.join(unwritable, "h.tif"))


def test_too_large_output_is_refused_quickly_with_a_cell_size_that_fits(
    processing_run, longleaf_gpkg, longleaf, output_folder
):
    started = time.perf_counter()
    message = assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1e-4,  # about 2.2e12 cells
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        r"GB of memory",
    )
    assert time.perf_counter() - started < 2.0
    rows, cols = (int(number) for number in re.search(r"(\d+) x (\d+) cells", message).groups())
    assert rows * cols > 1e12
    suggested = float(re.search(r"for example ([0-9.e+-]+)\.", message).group(1))

    def memory(cell_size: float) -> int:
        grid = native_grid(
            longleaf["x"].min(),
            longleaf["y"].min(),
            longleaf["x"].max(),
            longleaf["y"].max(),
            padding=10,
            cell_size=cell_size,
        )
        streamed = working_memory_bytes(
            grid, 584, radius=10, kernel=0, whole_output=False, sorted_in_place=True
        )
        return streamed + rasters.writer_memory_bytes(grid, "GTiff")

    limit = MEMORY_FRACTION * available_memory_bytes()
    assert memory(suggested) <= limit < memory(suggested / 2)  # fits, and is not wasteful


def test_geographic_crs_is_projected_and_says_so(processing_run, tmp_path, output_folder):
    layer = make_gpkg(
        str(tmp_path / "wgs84.gpkg"),
        [PointFeature("POINT (10.0 50.0)"), PointFeature("POINT (10.2 50.1)")],
        epsg=4326,
    )
    _, feedback = processing_run(
        ALGORITHM,
        {"INPUT": layer, "RADIUS": 5000, "PIXEL_SIZE": 500, "OUTPUT": str(output_folder / "h.tif")},
    )
    [report] = [message for message in feedback.infos if "EPSG:4326" in message]
    assert "EPSG:32632" in report and "metres" in report
    assert feedback.warnings == []


def test_projected_crs_gets_no_degree_warning(processing_run, longleaf_gpkg, output_folder):
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 2,
            "OUTPUT": str(output_folder / "h.tif"),
        },
    )
    assert feedback.warnings == []


def test_radius_smaller_than_a_cell_is_warned(processing_run, longleaf_gpkg, output_folder):
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 3,
            "PIXEL_SIZE": 5,
            "OUTPUT": str(output_folder / "h.tif"),
        },
    )
    assert any("(3) is smaller than the cell size (5)" in w for w in feedback.warnings)


def test_radius_over_1000_cells_is_warned(processing_run, tmp_path, output_folder):
    layer = make_gpkg(str(tmp_path / "one.gpkg"), [PointFeature("POINT (0 0)")])
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": layer,
            "RADIUS": 100.5,
            "PIXEL_SIZE": 0.1,
            "OUTPUT": str(output_folder / "h.tif"),
        },
    )
    assert any("spans 1005 cells" in w and "slow" in w for w in feedback.warnings)


def test_skipped_features_are_counted_and_the_rest_is_used(processing_run, tmp_path, output_folder):
    layer = make_gpkg(
        str(tmp_path / "nulls.gpkg"),
        [
            PointFeature(None, {"w": 1.0}),
            PointFeature(None, {"w": 1.0}),
            PointFeature("POINT EMPTY", {"w": 1.0}),
            PointFeature("POINT (5 5)", {"w": None}),
            PointFeature("POINT (10 10)", {"w": 2.0}),
            PointFeature("POINT (20 12)", {"w": 1.0}),
        ],
        fields={"w": ogr.OFTReal},
    )
    output = str(output_folder / "h.tif")
    _, feedback = processing_run(
        ALGORITHM,
        {"INPUT": layer, "RADIUS": 6, "PIXEL_SIZE": 1, "WEIGHT_FIELD": "w", "OUTPUT": output},
    )
    assert (
        "3 features skipped because their geometry is NULL, empty, unreadable or not a point."
        in feedback.warnings
    )
    assert "1 features skipped because their weight (w) is NULL." in feedback.warnings
    values, _, _ = read_raster(output)
    _, expected = kernel_density(
        np.array([10.0, 20.0]),
        np.array([10.0, 12.0]),
        radius=6,
        cell_size=1,
        weight=np.array([2.0, 1.0]),
    )
    assert_float32_raster_of(values, expected)


def test_negative_weights_are_warned_and_zero_weights_add_nothing(
    processing_run, tmp_path, output_folder
):
    layer = make_gpkg(
        str(tmp_path / "weights.gpkg"),
        [
            PointFeature("POINT (10 10)", {"w": 2.0}),
            PointFeature("POINT (14 10)", {"w": -1.0}),
            PointFeature("POINT (30 30)", {"w": 0.0}),
            PointFeature("POINT (0 0)", {"w": 0.0}),
        ],
        fields={"w": ogr.OFTReal},
    )
    output = str(output_folder / "h.tif")
    _, feedback = processing_run(
        ALGORITHM,
        {"INPUT": layer, "RADIUS": 5, "PIXEL_SIZE": 1, "WEIGHT_FIELD": "w", "OUTPUT": output},
    )
    assert any(w.startswith("1 points have a negative weight") for w in feedback.warnings)
    values, _, _ = read_raster(output)
    assert values.min() < 0
    # The zero-weight points still shape the grid (as in the native algorithm) but add nothing.
    _, expected = kernel_density(
        np.array([10.0, 14.0, 30.0, 0.0]),
        np.array([10.0, 10.0, 30.0, 0.0]),
        radius=5,
        cell_size=1,
        weight=np.array([2.0, -1.0, 0.0, 0.0]),
    )
    assert_float32_raster_of(values, expected)
    assert values[-6:, :6].max() == 0 and values[:6, -6:].max() == 0  # around the zero weights


def test_density_of_a_triangle_that_integrates_to_zero_is_refused(
    processing_run, longleaf_gpkg, output_folder
):
    assert_refused(
        processing_run,
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 10,
            "PIXEL_SIZE": 1,
            "KERNEL": 1,
            "DECAY": -0.6,
            "OUTPUT_VALUE": 2,
            "OUTPUT": str(output_folder / "h.tif"),
        },
        output_folder,
        "cannot be turned into a density",
    )
