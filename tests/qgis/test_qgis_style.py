"""The output arrives styled and named: .qml sidecar and Toolbox post-processor, ramp 0..max
fading in from transparent at 0, legend labels with 3 significant digits and the unit."""

from __future__ import annotations

import os
import shutil
import tempfile
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import (
    QgsApplication,
    QgsColorRampLegendNodeSettings,
    QgsCoordinateReferenceSystem,
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsNumericFormatContext,
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
    QgsProject,
    QgsRasterLayer,
    QgsReadWriteContext,
    QgsStyle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDir, QLocale, QSize, Qt
from qgis.PyQt.QtGui import QColor, QImage, QPainter
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


# --- the fade-in from transparent at 0 -------------------------------------------------------


def ramp_items(layer: QgsRasterLayer) -> list:
    """The ramp shader's items of ``layer`` as (value, (r, g, b, a), label)."""
    shader = layer.renderer().shader().rasterShaderFunction()
    return [(item.value, item.color.getRgb(), item.label) for item in shader.colorRampItemList()]


def styled(path: str, ramp: str, maximum: float, **options) -> QgsRasterLayer:
    """The raster at ``path`` with the heatmap style applied directly."""
    layer = QgsRasterLayer(path, "styled")
    style.apply_heatmap_style(layer, ramp, maximum, **options)
    return layer


@pytest.mark.parametrize("ramp", ["Viridis", "Magma", "Blues"])
@pytest.mark.parametrize("maximum", [1.362849, 1.27e-10, 12345.6])
def test_the_stops_fade_in_from_transparent_at_zero(tmp_path, qgis_app, ramp, maximum):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster, maximum)
    items = ramp_items(styled(raster, ramp, maximum))
    fade_end = style.FADE_FRACTION * maximum
    values = [value for value, _, _ in items]
    assert values == sorted(values) and values[0] == 0
    assert values[-1] == pytest.approx(maximum, rel=1e-12)
    assert fade_end in values  # the opacity's kink is a stop: interpolation is exact
    colours = QgsStyle.defaultStyle().colorRamp(ramp)
    for value, (red, green, blue, alpha), _ in items:
        assert alpha == round(255 * min(1.0, value / fade_end))
        expected = colours.color(value / maximum)  # the ramp's own colours, everywhere
        assert (red, green, blue) == (expected.red(), expected.green(), expected.blue())
    fade_stop = values.index(fade_end)
    assert [alpha for _, (*_, alpha), _ in items[: fade_stop + 2]][-2:] == [255, 255]
    assert all(0 < alpha < 255 for _, (*_, alpha), _ in items[1:fade_stop])


def test_negative_values_take_the_low_colours_and_fade_towards_zero(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster)
    layer = styled(raster, "Viridis", 2.0, minimum=-0.5)
    renderer = layer.renderer()
    assert (renderer.classificationMin(), renderer.classificationMax()) == (-0.5, 2.0)
    items = {value: rgba for value, rgba, _ in ramp_items(layer)}
    fade_end = style.FADE_FRACTION * 2.0
    assert items[-0.5][3] == 255 and items[-fade_end][3] == 255  # opaque beyond the fade
    assert items[0.0][3] == 0 and items[fade_end][3] == 255
    viridis = QgsStyle.defaultStyle().colorRamp("Viridis")
    assert QColor(*items[-0.5]) == viridis.color(0)  # the most negative: the ramp's start
    shader = renderer.shader()
    for value, alpha in [(-0.5, 255), (-fade_end / 2, 128), (-1e-6, 0), (fade_end / 2, 128)]:
        ok, *_, shaded_alpha = shader.shade(value)
        assert ok and abs(shaded_alpha - alpha) <= 1, value


def test_an_all_negative_raster_spans_minimum_to_zero(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster, -3.0)
    layer = styled(raster, "Viridis", 0.0, minimum=-3.0)
    renderer = layer.renderer()
    assert (renderer.classificationMin(), renderer.classificationMax()) == (-3.0, 0.0)
    assert ramp_items(layer)[-1][1][3] == 0  # the top of the ramp, 0, is clear
    assert ramp_items(layer)[0][1][3] == 255


def test_an_all_zero_raster_spans_zero_to_one(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster, 0.0)
    layer = styled(raster, "Viridis", 0.0)
    renderer = layer.renderer()
    assert (renderer.classificationMin(), renderer.classificationMax()) == (0.0, 1.0)
    assert ramp_items(layer)[0][:2] == (0.0, (68, 1, 84, 0))


# --- legend labels --------------------------------------------------------------------------


@pytest.fixture()
def locale():
    """Set QLocale's default for the test (``locale("de_DE")``); restore it afterwards."""
    previous = QLocale()
    yield lambda name: QLocale.setDefault(QLocale(name))
    QLocale.setDefault(previous)


def legend_labels(layer: QgsRasterLayer) -> tuple[str, str]:
    """(minimum, maximum) labels of the continuous legend of ``layer``, as QGIS draws them:
    prefix, the value in the legend's numeric format, suffix."""
    shader = layer.renderer().shader().rasterShaderFunction()
    settings = shader.legendSettings()
    context = QgsNumericFormatContext()

    def label(value: float) -> str:
        text = settings.numericFormat().formatDouble(value, context)
        return settings.prefix() + text + settings.suffix()

    return label(shader.minimumValue()), label(shader.maximumValue())


@pytest.mark.parametrize(
    ("minimum", "maximum", "english", "german"),
    [
        (0.0, 1.362849, ("0", "1.36"), ("0", "1,36")),
        (0.0, 0.000123456, ("0", "0.000123"), ("0", "0,000123")),
        (0.0, 12345.6, ("0", "12,300"), ("0", "12.300")),
        (0.0, 123.0, ("0", "123"), ("0", "123")),
        (0.0, 1.27e-10, ("0e+00", "1.27e-10"), ("0e+00", "1,27e-10")),
        (0.0, 3.4e12, ("0e+00", "3.4e+12"), ("0e+00", "3,4e+12")),
        (-0.0456, 2.0, ("-0.0456", "2"), ("-0,0456", "2")),
    ],
)
def test_legend_labels_have_three_significant_digits_in_the_users_locale(
    tmp_path, qgis_app, locale, minimum, maximum, english, german
):
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster, maximum)
    layer = styled(raster, "Viridis", maximum, minimum=minimum)
    for name, expected in [("en_US", english), ("de_DE", german)]:
        locale(name)
        assert legend_labels(layer) == expected


def test_the_unit_follows_the_labels_of_the_legend_and_the_items(tmp_path, qgis_app, locale):
    locale("en_US")
    raster = str(tmp_path / "heatmap.tif")
    write_heatmap(raster, 1.362849)
    layer = styled(raster, "Viridis", 1.362849, legend_unit="points per m²")
    assert legend_labels(layer) == ("0 points per m²", "1.36 points per m²")
    labels = [label for _, _, label in ramp_items(layer)]
    assert labels[0] == "0 points per m²" and labels[-1] == "1.36 points per m²"
    fade_end = style.FADE_FRACTION * 1.362849
    [fade_label] = [label for value, _, label in ramp_items(layer) if value == fade_end]
    assert fade_label == "0.0681 points per m²"
    settings = layer.renderer().shader().rasterShaderFunction().legendSettings()
    assert settings.useContinuousLegend() and settings.orientation() == Qt.Vertical
    assert settings.direction() == QgsColorRampLegendNodeSettings.MinimumToMaximum  # max on top
    assert legend_labels(styled(raster, "Viridis", 1.362849)) == ("0", "1.36")  # no unit


# --- the .qml round trip and what QGIS renders -----------------------------------------------


def quartic_bump(path: str, peak: float, radius_cells: int = 15) -> np.ndarray:
    """A GeoTIFF at ``path`` of one quartic kernel of ``radius_cells`` in the middle of a
    square grid of ``2 * radius_cells + 11`` cells, its peak ``peak``; return the Float32 cells."""
    size = 2 * radius_cells + 11
    rows, cols = np.mgrid[0:size, 0:size] - size // 2
    distance = np.hypot(rows, cols) / radius_cells
    values = np.where(distance < 1, (1 - distance**2) ** 2, 0.0) * peak
    grid = Grid(x_min=0.0, y_max=10.0 * size, cell_size=10.0, rows=size, cols=size)
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    rasters.write_raster(path, [(0, values)], grid, wkt)
    return values.astype(np.float32)


def rendered_alpha(layer: QgsRasterLayer) -> np.ndarray:
    """Alpha (0..255) of each pixel of ``layer`` rendered by a map renderer job onto a
    transparent image, one pixel per cell (rows x columns of the raster)."""
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(layer.extent())
    settings.setOutputSize(QSize(layer.width(), layer.height()))
    settings.setBackgroundColor(QColor(0, 0, 0, 0))
    image = QImage(settings.outputSize(), QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    job = QgsMapRendererCustomPainterJob(settings, painter)
    job.renderSynchronously()
    painter.end()
    return np.array(
        [
            [image.pixelColor(col, row).alpha() for col in range(image.width())]
            for row in range(image.height())
        ]
    )


def assert_the_edge_fades_and_the_peak_is_opaque(values: np.ndarray, alpha: np.ndarray) -> None:
    """Cells of 0 are clear, the peak opaque, and the cells near 0 partly transparent (with
    the opacity ``255 * value / fade end``, so the edge is a gradient, not an outline)."""
    assert alpha.shape == values.shape
    assert (alpha[values == 0] == 0).all()
    assert alpha.flat[values.argmax()] == 255
    fade_end = style.FADE_FRACTION * float(values.max())
    edge = (values > 0) & (values < fade_end)
    visible_edge = (values > fade_end / 100) & (values < 0.99 * fade_end)
    assert visible_edge.sum() >= 20  # a ring of cells around the bump
    assert ((alpha[visible_edge] > 0) & (alpha[visible_edge] < 255)).all()
    assert len(np.unique(alpha[visible_edge])) >= 5  # several steps: a gradient
    np.testing.assert_allclose(alpha[edge], 255 * values[edge] / fade_end, atol=2)
    assert (alpha[values >= fade_end] == 255).all()


def test_the_qml_round_trip_keeps_the_stops_legend_and_fade(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    values = quartic_bump(raster, 1.362849)
    maximum = float(values.max())
    style.write_style_sidecar(raster, "Viridis", maximum, legend_unit="points per m²")
    loaded = QgsRasterLayer(raster, "added by hand")  # QGIS applies the sidecar
    direct = styled(raster, "Viridis", maximum, legend_unit="points per m²")
    saved_items, made_items = ramp_items(loaded), ramp_items(direct)
    assert [(rgba, label) for _, rgba, label in saved_items] == [
        (rgba, label) for _, rgba, label in made_items
    ]
    assert [value for value, _, _ in saved_items] == pytest.approx(
        [value for value, _, _ in made_items], rel=1e-9
    )
    saved, made = (
        layer.renderer().shader().rasterShaderFunction().legendSettings()
        for layer in (loaded, direct)
    )
    assert (saved.suffix(), saved.direction(), saved.orientation()) == (
        made.suffix(),
        made.direction(),
        made.orientation(),
    )
    read_write = QgsReadWriteContext()
    assert saved.numericFormat().id() == "basic"
    assert saved.numericFormat().configuration(read_write) == made.numericFormat().configuration(
        read_write
    )
    assert_the_edge_fades_and_the_peak_is_opaque(values, rendered_alpha(loaded))


def test_a_negative_bump_renders_opaque_and_fades_towards_zero(tmp_path, qgis_app):
    raster = str(tmp_path / "heatmap.tif")
    values = quartic_bump(raster, -2.0)
    alpha = rendered_alpha(styled(raster, "Viridis", 0.0, minimum=float(values.min())))
    assert_the_edge_fades_and_the_peak_is_opaque(-values, alpha)


# --- the layer the Toolbox loads: styled with a soft edge, and named ------------------------


def run_and_load(
    input_layer: str, output: str, name_it: str = "", *, unnamed: bool = False, **context_options
) -> tuple[QgsRasterLayer, str]:
    """Run the algorithm with ``output`` loaded on completion, as the Toolbox does, and load the
    result (without its .qml, so only the post-processor styles it). With ``name_it``, the
    algorithm's post-processor is replaced by one that names the layer so (``unnamed``: by one
    that gives no name).
    ``context_options`` set attributes of the output's loading details (``forceName``, ``name``)
    before the load. Returns (the loaded layer, the name QGIS's details had)."""
    import processing
    from processing.gui.Postprocessing import handleAlgorithmResults

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = RecordingFeedback()
    results = processing.run(
        "kdeheatmap:heatmap",
        {
            "INPUT": input_layer,
            "RADIUS": 15.0,
            "PIXEL_SIZE": 2.0,
            "COLOR_RAMP": "Magma",
            "OUTPUT": QgsProcessingOutputLayerDefinition(output, project),
        },
        context=context,
        feedback=feedback,
    )
    path = results["OUTPUT"]
    details = context.layerToLoadOnCompletionDetails(path)
    processor = details.postProcessor()
    assert isinstance(processor, HeatmapStylePostProcessor)
    if name_it or unnamed:  # the algorithm's post-processor, named otherwise (or not at all)
        details.setPostProcessor(
            HeatmapStylePostProcessor.create(
                path, processor.color_ramp, processor.maximum, layer_name=name_it
            )
        )
    for attribute, value in context_options.items():
        setattr(details, attribute, value)
    generic_name = details.name
    qml = os.path.splitext(path)[0] + ".qml"
    if os.path.exists(qml):
        os.remove(qml)
    algorithm = QgsApplication.processingRegistry().algorithmById("kdeheatmap:heatmap")
    assert handleAlgorithmResults(algorithm, context, feedback)
    [loaded] = [layer for layer in project.mapLayers().values() if layer.source() == path]
    return loaded, generic_name


def test_the_loaded_result_renders_with_a_soft_edge(longleaf_gpkg, tmp_path, heatmap_plugin):
    loaded, _ = run_and_load(longleaf_gpkg, str(tmp_path / "heatmap.tif"))
    try:
        values, _, _ = read_raster(loaded.source())
        assert_the_edge_fades_and_the_peak_is_opaque(values, rendered_alpha(loaded))
    finally:
        QgsProject.instance().removeMapLayer(loaded.id())


NAME = "Kernel density, quartic, r = 15 m"


def test_a_temporary_result_is_loaded_under_the_descriptive_name(longleaf_gpkg, heatmap_plugin):
    loaded, generic_name = run_and_load(longleaf_gpkg, "TEMPORARY_OUTPUT", NAME)
    try:
        assert generic_name and generic_name != NAME  # QGIS's name: the output's description
        assert loaded.name() == NAME
        assert loaded.renderer().type() == "singlebandpseudocolor"
    finally:
        QgsProject.instance().removeMapLayer(loaded.id())


@pytest.fixture()
def folder_outside_temp():
    """A new folder outside the system's temporary folder (QGIS counts a file in the latter as
    a temporary layer, named like a temporary output); removed afterwards."""
    parents = [
        folder
        for folder in ("/var/tmp", os.path.expanduser("~"))
        if os.path.isdir(folder) and os.access(folder, os.W_OK)
    ]
    folder = tempfile.mkdtemp(prefix="kde-heatmap-style-test-", dir=parents[0])
    assert not QDir(folder).absolutePath().startswith(QDir.tempPath())
    yield folder
    shutil.rmtree(folder)


def test_a_file_keeps_its_name_and_a_models_output_its_own(
    longleaf_gpkg, folder_outside_temp, heatmap_plugin
):
    loaded, _ = run_and_load(longleaf_gpkg, os.path.join(folder_outside_temp, "pines.tif"), NAME)
    try:
        assert loaded.name() == "pines"  # QGIS's default: prefer the file name
    finally:
        QgsProject.instance().removeMapLayer(loaded.id())
    loaded, _ = run_and_load(
        longleaf_gpkg, "TEMPORARY_OUTPUT", NAME, name="Pines of my model", forceName=True
    )
    try:
        assert loaded.name() == "Pines of my model"
    finally:
        QgsProject.instance().removeMapLayer(loaded.id())


def test_the_algorithm_names_a_temporary_output_for_its_values(longleaf_gpkg, heatmap_plugin):
    loaded, generic_name = run_and_load(longleaf_gpkg, "TEMPORARY_OUTPUT")
    try:
        assert generic_name == "Heatmap"  # QGIS's name: the output's description
        assert loaded.name() == "Kernel density, Quartic, r = 15 m"
        assert loaded.bandName(1) == "Band 1: Raw kernel sum"
    finally:
        QgsProject.instance().removeMapLayer(loaded.id())


def test_without_a_name_the_post_processor_keeps_qgiss(longleaf_gpkg, heatmap_plugin):
    loaded, generic_name = run_and_load(longleaf_gpkg, "TEMPORARY_OUTPUT", unnamed=True)
    try:
        assert loaded.name() == generic_name
    finally:
        QgsProject.instance().removeMapLayer(loaded.id())
