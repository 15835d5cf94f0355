"""kdeheatmap:heatmap through processing.run: parameters, values against the core, formats."""

from __future__ import annotations

import os

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)
from qgis_test_support import PointFeature, assert_float32_raster_of, make_gpkg, read_raster

from kde_heatmap_plugin.core import Kernel, OutputValue, kernel_density

NATIVE_ID = "qgis:heatmapkerneldensityestimation"
AUTOMATIC = ("RADIUS", "PIXEL_SIZE")
"""Native parameters with a default there, and none here: explicit values mean the same."""


def algorithm(algorithm_id: str):
    found = QgsApplication.processingRegistry().algorithmById(algorithm_id)
    assert found is not None, algorithm_id
    return found


def test_ids_and_display_name(heatmap_plugin):
    ours = algorithm("kdeheatmap:heatmap")
    assert ours.provider().id() == "kdeheatmap"
    assert ours.displayName() == "Kernel density heatmap"


def test_parameters_are_a_superset_of_the_native_ones(heatmap_plugin):
    ours, native = algorithm("kdeheatmap:heatmap"), algorithm(NATIVE_ID)
    for native_parameter in native.parameterDefinitions():
        name = native_parameter.name()
        our_parameter = ours.parameterDefinition(name)
        assert our_parameter is not None, name
        assert our_parameter.type() == native_parameter.type(), name
        if name in AUTOMATIC:  # left empty, they come from the data (issue 14)
            assert native_parameter.defaultValue() is not None, name
            assert our_parameter.defaultValue() is None, name
            assert our_parameter.flags() & our_parameter.FlagOptional, name
            continue
        assert our_parameter.defaultValue() == native_parameter.defaultValue(), name
        assert bool(our_parameter.flags() & our_parameter.FlagOptional) == bool(
            native_parameter.flags() & native_parameter.FlagOptional
        ), name
        if isinstance(native_parameter, QgsProcessingParameterEnum):
            native_options = native_parameter.options()
            assert our_parameter.options()[: len(native_options)] == native_options, name
    extra = {p.name() for p in ours.parameterDefinitions()} - {
        p.name() for p in native.parameterDefinitions()
    }
    assert extra == {
        "COLOR_RAMP",
        "OUTPUT_CRS",
        "DISTANCE_METHOD",
        "EXTENT",
        "TEMPLATE",
        "NODATA_ZERO",
        "STUDY_AREA",
        "EDGE_CORRECTION",
        "RADIUS_RULE",
        "ADAPTIVE",
    }
    assert ours.parameterDefinition("KERNEL").options()[5] == "Gaussian"
    assert ours.parameterDefinition("OUTPUT_VALUE").options()[2:] == [
        "Density",
        "Expected count per cell",
    ]


def test_parameters_use_standard_types_only(heatmap_plugin):
    standard = (
        QgsProcessingParameterBoolean,
        QgsProcessingParameterCrs,
        QgsProcessingParameterExtent,
        QgsProcessingParameterRasterLayer,
        QgsProcessingParameterFeatureSource,
        QgsProcessingParameterDistance,
        QgsProcessingParameterField,
        QgsProcessingParameterNumber,
        QgsProcessingParameterEnum,
        QgsProcessingParameterRasterDestination,
        QgsProcessingParameterString,
    )
    distance_widget = "kde_heatmap_plugin.processing.widgets.ComputationDistanceWidgetWrapper"
    ramp_widget = "kde_heatmap_plugin.processing.widgets.ColorRampWidgetWrapper"
    for parameter in algorithm("kdeheatmap:heatmap").parameterDefinitions():
        assert type(parameter) in standard, parameter.name()
        wrapper = parameter.metadata().get("widget_wrapper")
        if parameter.name() in ("RADIUS", "PIXEL_SIZE"):  # a dialog widget; the value stays
            assert wrapper["class"] == distance_widget, parameter.name()
        elif parameter.name() == "COLOR_RAMP":  # a dropdown; the value stays a string
            assert wrapper["class"] == ramp_widget, parameter.name()
        else:
            assert not wrapper, parameter.name()


def test_help_mentions_every_parameter(heatmap_plugin):
    ours = algorithm("kdeheatmap:heatmap")
    help_text = ours.shortHelpString()
    for parameter in ours.parameterDefinitions():
        assert f"<b>{parameter.description()}</b>" in help_text, parameter.name()


def test_output_equals_the_core_on_the_same_points(
    processing_run, longleaf_gpkg, longleaf, tmp_path
):
    output = str(tmp_path / "heatmap.tif")
    results, feedback = processing_run(
        "kdeheatmap:heatmap",
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 15.0,
            "PIXEL_SIZE": 2.0,
            "WEIGHT_FIELD": "mark",
            "OUTPUT": output,
        },
    )
    assert results["OUTPUT"] == output
    values, geotransform, dataset = read_raster(output)
    grid, expected = kernel_density(
        longleaf["x"], longleaf["y"], radius=15.0, cell_size=2.0, weight=longleaf["mark"]
    )
    assert geotransform == pytest.approx(grid.geotransform)
    assert values.shape == grid.shape
    assert_float32_raster_of(values, expected)
    assert dataset.GetRasterBand(1).DataType == 6  # GDT_Float32
    assert dataset.GetRasterBand(1).GetNoDataValue() is None  # zero is a value, not NoData
    assert (values == 0).any() and values.max() > 0
    crs = QgsCoordinateReferenceSystem.fromWkt(dataset.GetProjection())
    assert crs.authid() == "EPSG:32617"
    assert any("bulk" in message for message in feedback.infos)


@pytest.mark.parametrize("kernel", list(Kernel))
@pytest.mark.parametrize("output_value", list(OutputValue))
def test_every_kernel_and_output_value_match_the_core(
    processing_run, longleaf_gpkg, longleaf, tmp_path, kernel, output_value
):
    output = str(tmp_path / "heatmap.tif")
    processing_run(
        "kdeheatmap:heatmap",
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 12.0,
            "PIXEL_SIZE": 4.0,
            "KERNEL": int(kernel),
            "DECAY": 0.25,
            "OUTPUT_VALUE": int(output_value),
            "OUTPUT": output,
        },
    )
    values, _, _ = read_raster(output)
    _, expected = kernel_density(
        longleaf["x"],
        longleaf["y"],
        radius=12.0,
        cell_size=4.0,
        kernel=kernel,
        decay=0.25,
        output_value=output_value,
    )
    assert_float32_raster_of(values, expected)


def test_radius_field_gives_per_point_radii(processing_run, tmp_path):
    layer = make_gpkg(
        str(tmp_path / "radii.gpkg"),
        [
            PointFeature("POINT (100 100)", {"r": 10.0}),
            PointFeature("POINT (130 100)", {"r": 25.0}),
            PointFeature("POINT (100 160)", {"r": 5.0}),
        ],
        fields={"r": ogr.OFTReal},
    )
    output = str(tmp_path / "radii.tif")
    processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": layer, "RADIUS": 0, "RADIUS_FIELD": "r", "PIXEL_SIZE": 1.0, "OUTPUT": output},
    )
    values, geotransform, _ = read_raster(output)
    grid, expected = kernel_density(
        np.array([100.0, 130.0, 100.0]),
        np.array([100.0, 100.0, 160.0]),
        radius=np.array([10.0, 25.0, 5.0]),
        cell_size=1.0,
    )
    assert geotransform == pytest.approx(grid.geotransform)  # padded by the largest radius
    assert_float32_raster_of(values, expected)


@pytest.mark.parametrize("extension, driver", [(".asc", "AAIGrid"), (".img", "HFA")])
def test_other_formats_by_extension(
    processing_run, longleaf_gpkg, longleaf, tmp_path, extension, driver
):
    output = str(tmp_path / f"heatmap{extension}")
    processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": longleaf_gpkg, "RADIUS": 20.0, "PIXEL_SIZE": 5.0, "OUTPUT": output},
    )
    values, _, dataset = read_raster(output)
    assert dataset.GetDriver().ShortName == driver
    _, expected = kernel_density(longleaf["x"], longleaf["y"], radius=20.0, cell_size=5.0)
    np.testing.assert_allclose(values, expected, rtol=1e-6, atol=1e-6)
    leftovers = [name for name in os.listdir(tmp_path) if ".partial" in name]
    assert leftovers == []


def test_existing_output_is_replaced(processing_run, longleaf_gpkg, tmp_path):
    output = tmp_path / "heatmap.tif"
    parameters = {"INPUT": longleaf_gpkg, "RADIUS": 20.0, "PIXEL_SIZE": 5.0, "OUTPUT": str(output)}
    processing_run("kdeheatmap:heatmap", {**parameters, "PIXEL_SIZE": 10.0})
    assert read_raster(str(output))[1][1] == 10.0
    processing_run("kdeheatmap:heatmap", parameters)
    values, geotransform, _ = read_raster(str(output))
    assert values.max() > 0 and geotransform[1] == 5.0
    names = set(os.listdir(tmp_path))
    assert {"heatmap.tif", "heatmap.qml"} <= names
    assert not [name for name in names if ".partial" in name or name.startswith(".")]


def test_existing_file_that_is_not_a_raster_is_not_replaced(
    processing_run, longleaf_gpkg, tmp_path
):
    output = tmp_path / "heatmap.tif"
    output.write_bytes(b"not a raster")
    with pytest.raises(QgsProcessingException, match="exists and is not a raster"):
        processing_run(
            "kdeheatmap:heatmap",
            {"INPUT": longleaf_gpkg, "RADIUS": 20.0, "PIXEL_SIZE": 5.0, "OUTPUT": str(output)},
        )
    assert output.read_bytes() == b"not a raster"
    assert os.listdir(tmp_path) == ["heatmap.tif"]


def test_multipoints_contribute_every_part_and_z_is_ignored(processing_run, tmp_path):
    layer = make_gpkg(
        str(tmp_path / "multi.gpkg"),
        [
            PointFeature("MULTIPOINT Z ((10 10 5), (30 10 7))"),
            PointFeature("MULTIPOINT Z ((20 40 1))"),
        ],
        geometry_type=ogr.wkbMultiPoint25D,
    )
    output = str(tmp_path / "multi.tif")
    processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": layer, "RADIUS": 8.0, "PIXEL_SIZE": 1.0, "KERNEL": 2, "OUTPUT": output},
    )
    values, _, _ = read_raster(output)
    _, expected = kernel_density(
        np.array([10.0, 30.0, 20.0]),
        np.array([10.0, 10.0, 40.0]),
        radius=8.0,
        cell_size=1.0,
        kernel=Kernel.UNIFORM,
    )
    assert_float32_raster_of(values, expected)
    assert set(np.unique(values)) == {0.0, 1.0}  # three discs that do not overlap


def test_output_has_the_usual_file_permissions(processing_run, longleaf_gpkg, tmp_path):
    output = tmp_path / "heatmap.tif"
    processing_run(
        "kdeheatmap:heatmap",
        {"INPUT": longleaf_gpkg, "RADIUS": 20.0, "PIXEL_SIZE": 5.0, "OUTPUT": str(output)},
    )
    reference = tmp_path / "made_by_open.txt"
    reference.write_text("")
    assert output.stat().st_mode & 0o777 == reference.stat().st_mode & 0o777
