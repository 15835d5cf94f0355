"""The output arrives styled: .qml sidecar and Toolbox post-processor, ramp 0..max, 0 clear."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRasterLayer,
    QgsStyle,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor
from qgis_test_support import RecordingFeedback, read_raster
from write_safety_support import snapshot

from kde_heatmap_plugin import rasters, style
from kde_heatmap_plugin.core import Grid
from kde_heatmap_plugin.style import HeatmapStylePostProcessor


def rendered_colours(layer: QgsRasterLayer) -> tuple:
    """(colours of the zero cells, colour of the maximum cell), as QColor lists."""
    values, _, _ = read_raster(layer.source())
    block = layer.renderer().block(1, layer.extent(), layer.width(), layer.height())
    zero_cells = list(zip(*(values == 0).nonzero()))[:50]
    row, col = divmod(int(values.argmax()), values.shape[1])
    zero_colours = [QColor.fromRgba(block.color(r, c)) for r, c in zero_cells]
    return zero_colours, QColor.fromRgba(block.color(row, col))


def assert_colour_close(colour: QColor, expected: QColor) -> None:
    """Equal within 2 of 255 per channel (the float32 maximum sits a hair below the ramp end)."""
    assert colour.alpha() == 255
    for channel in ("red", "green", "blue"):
        assert abs(getattr(colour, channel)() - getattr(expected, channel)()) <= 2, (
            colour.name(),
            expected.name(),
        )


@pytest.mark.parametrize("ramp", ["Viridis", "Magma"])
def test_sidecar_qml_holds_the_heatmap_style(processing_run, longleaf_gpkg, tmp_path, ramp):
    output = str(tmp_path / "heatmap.tif")
    processing_run(
        "kdeheatmap:heatmap",
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 15.0,
            "PIXEL_SIZE": 2.0,
            "COLOR_RAMP": ramp,
            "OUTPUT": output,
        },
    )
    values, _, _ = read_raster(output)
    qml = ElementTree.parse(str(tmp_path / "heatmap.qml")).getroot()
    renderer = qml.find(".//rasterrenderer")
    assert renderer.get("type") == "singlebandpseudocolor" and renderer.get("band") == "1"
    assert float(renderer.get("classificationMin")) == 0
    assert float(renderer.get("classificationMax")) == pytest.approx(values.max(), rel=1e-6)
    [transparent] = qml.findall(".//singleValuePixelList/pixelListEntry")
    assert (
        float(transparent.get("min")),
        float(transparent.get("max")),
        float(transparent.get("percentTransparent")),
    ) == (0, 0, 100)
    items = qml.findall(".//colorrampshader/item")
    ramp_colours = QgsStyle.defaultStyle().colorRamp(ramp)
    assert items[0].get("color") == ramp_colours.color(0).name()
    assert items[-1].get("color") == ramp_colours.color(1).name()
    assert float(items[-1].get("value")) == pytest.approx(values.max(), rel=1e-6)

    layer = QgsRasterLayer(output, "added by hand")  # QGIS applies the sidecar
    assert layer.renderer().type() == "singlebandpseudocolor"
    zero_colours, peak_colour = rendered_colours(layer)
    assert zero_colours and all(colour.alpha() == 0 for colour in zero_colours)
    assert_colour_close(peak_colour, ramp_colours.color(1))


def test_post_processor_styles_the_layer_the_toolbox_loads(
    processing_run, longleaf_gpkg, tmp_path, heatmap_plugin
):
    import processing
    from processing.gui.Postprocessing import handleAlgorithmResults

    output = str(tmp_path / "heatmap.tif")
    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = RecordingFeedback()
    processing.run(
        "kdeheatmap:heatmap",
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 15.0,
            "PIXEL_SIZE": 2.0,
            "COLOR_RAMP": "Magma",
            "OUTPUT": QgsProcessingOutputLayerDefinition(output, project),
        },
        context=context,
        feedback=feedback,
    )
    assert context.willLoadLayerOnCompletion(output)
    processor = context.layerToLoadOnCompletionDetails(output).postProcessor()
    assert isinstance(processor, HeatmapStylePostProcessor)
    os.remove(str(tmp_path / "heatmap.qml"))  # so only the post-processor can style it

    algorithm = QgsApplication.processingRegistry().algorithmById("kdeheatmap:heatmap")
    assert handleAlgorithmResults(algorithm, context, feedback)
    [loaded] = [layer for layer in project.mapLayers().values() if layer.source() == output]
    try:
        assert loaded.renderer().type() == "singlebandpseudocolor"
        zero_colours, peak_colour = rendered_colours(loaded)
        assert all(colour.alpha() == 0 for colour in zero_colours)
        assert_colour_close(peak_colour, QgsStyle.defaultStyle().colorRamp("Magma").color(1))
    finally:
        project.removeMapLayer(loaded.id())


def test_post_processors_stay_alive_until_used():
    first = HeatmapStylePostProcessor.create("/a.tif", "Viridis", 1.0)
    second = HeatmapStylePostProcessor.create("/b.tif", "Magma", 2.0)
    assert HeatmapStylePostProcessor._alive["/a.tif"] is first
    assert HeatmapStylePostProcessor._alive["/b.tif"] is second


def test_temporary_output_is_loaded_once_and_styled(longleaf_gpkg, heatmap_plugin):
    import processing

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    results = processing.run(
        "kdeheatmap:heatmap",
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 15.0,
            "PIXEL_SIZE": 2.0,
            "OUTPUT": QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project),
        },
        context=context,
        feedback=RecordingFeedback(),
    )
    to_load = context.layersToLoadOnCompletion()
    assert list(to_load) == [results["OUTPUT"]]  # checking parameters registered nothing else
    assert os.path.exists(results["OUTPUT"])
    assert isinstance(to_load[results["OUTPUT"]].postProcessor(), HeatmapStylePostProcessor)


# --- the .qml sidecar: only ours is replaced, atomically ------------------------------------


def write_heatmap(path: str, value: float = 1.0) -> None:
    """A small Float32 GeoTIFF at ``path`` whose cells are 0 and ``value``."""
    grid = Grid(x_min=0.0, y_max=40.0, cell_size=10.0, rows=4, cols=4)
    values = np.zeros(grid.shape)
    values[1:3, 1:3] = value
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    rasters.write_raster(path, [(0, values)], grid, wkt)


def files_besides_statistics(folder) -> list[str]:
    """Files in ``folder`` but the ``.aux.xml`` statistics QGIS saves when it opens a raster."""
    return sorted(name for name in os.listdir(folder) if not name.endswith(".aux.xml"))


def classification_max(qml_path: str) -> float:
    """The upper end of the ramp saved in ``qml_path``."""
    renderer = ElementTree.parse(qml_path).getroot().find(".//rasterrenderer")
    return float(renderer.get("classificationMax"))


def test_sidecar_is_marked_as_ours_and_qgis_keeps_the_mark(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster)
    assert style.write_style_sidecar(raster, "Viridis", 1.0) == str(tmp_path / "heatmap.qml")
    assert style.is_plugin_style(str(tmp_path / "heatmap.qml"))
    assert files_besides_statistics(tmp_path) == ["heatmap.qml", "heatmap.tif"]  # no temporary
    layer = QgsRasterLayer(raster, "added by hand")  # QGIS applies the sidecar with the mark
    assert layer.customProperty(style.GENERATED_PROPERTY) == "1"
    resaved = str(tmp_path / "resaved.qml")
    assert layer.saveNamedStyle(resaved)[1]  # a user saving the style again keeps it ours
    assert style.is_plugin_style(resaved)


def test_our_sidecar_is_replaced_by_the_next_run(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster, 1.0)
    style.write_style_sidecar(raster, "Viridis", 1.0)
    write_heatmap(raster, 5.0)
    assert style.write_style_sidecar(raster, "Viridis", 5.0) == str(tmp_path / "heatmap.qml")
    assert classification_max(str(tmp_path / "heatmap.qml")) == 5.0


def test_the_style_of_a_shapefile_with_the_rasters_name_is_kept(tmp_path, qgis_app):
    # OUTPUT=roads.tif beside roads.shp and its style roads.qml.
    roads = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(str(tmp_path / "roads.shp"))
    roads.CreateLayer("roads", None, ogr.wkbLineString)
    roads = None
    vector = QgsVectorLayer(str(tmp_path / "roads.shp"), "roads", "ogr")
    assert vector.isValid() and vector.saveNamedStyle(str(tmp_path / "roads.qml"))[1]
    users_style = (tmp_path / "roads.qml").read_bytes()
    raster = str(tmp_path / "roads.tif")
    write_heatmap(raster)
    assert style.write_style_sidecar(raster, "Viridis", 1.0) is None
    assert (tmp_path / "roads.qml").read_bytes() == users_style
    assert not style.is_plugin_style(str(tmp_path / "roads.qml"))


def test_a_qml_that_is_not_readable_xml_is_not_ours(tmp_path):
    broken = tmp_path / "broken.qml"
    broken.write_text("<qgis><customproperties>")
    assert not style.is_plugin_style(str(broken))
    assert not style.is_plugin_style(str(tmp_path / "missing.qml"))


def test_a_failed_save_keeps_the_previous_sidecar_whole(tmp_path, qgis_app, monkeypatch):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster)
    style.write_style_sidecar(raster, "Viridis", 1.0)
    before = (tmp_path / "heatmap.qml").read_bytes()

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(style.os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        style.write_style_sidecar(raster, "Magma", 2.0)
    assert (tmp_path / "heatmap.qml").read_bytes() == before
    assert files_besides_statistics(tmp_path) == ["heatmap.qml", "heatmap.tif"]


@pytest.mark.parametrize("existing", [None, "ours", "the user's"])
def test_the_sidecar_moves_in_with_the_raster(tmp_path, qgis_app, existing):
    output = str(tmp_path / "heatmap.tif")
    if existing == "ours":
        write_heatmap(output, 9.0)
        style.write_style_sidecar(output, "Viridis", 9.0)
    elif existing == "the user's":
        (tmp_path / "heatmap.qml").write_text("<qgis/>")
    before = snapshot(tmp_path)
    written = []

    def add_style(new_raster: str) -> None:
        assert os.path.dirname(new_raster) != str(tmp_path)  # the new raster, not yet moved in
        written.append(style.write_style_sidecar(new_raster, "Viridis", 1.0, destination=output))

    grid = Grid(x_min=0.0, y_max=40.0, cell_size=10.0, rows=4, cols=4)
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    rasters.write_raster(output, [(0, np.ones(grid.shape))], grid, wkt, sidecars=add_style)
    assert files_besides_statistics(tmp_path) == ["heatmap.qml", "heatmap.tif"]
    if existing == "the user's":
        assert written == [None]
        assert (tmp_path / "heatmap.qml").read_bytes() == before["heatmap.qml"]
    else:
        assert written[0].endswith(os.sep + "heatmap.qml")
        assert classification_max(str(tmp_path / "heatmap.qml")) == 1.0
        statistics = tmp_path / "heatmap.tif.aux.xml"  # QGIS's, of the new raster, if any
        assert not statistics.exists() or ">1</MDI>" in statistics.read_text()
        assert QgsRasterLayer(output, "added").renderer().type() == "singlebandpseudocolor"
