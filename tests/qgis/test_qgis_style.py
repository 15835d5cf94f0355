"""The output arrives styled: .qml sidecar and Toolbox post-processor, ramp 0..max, 0 clear."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree

import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRasterLayer,
    QgsStyle,
)
from qgis.PyQt.QtGui import QColor
from qgis_test_support import RecordingFeedback, read_raster

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
