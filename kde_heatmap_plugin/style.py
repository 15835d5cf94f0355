"""The heatmap look: single-band pseudocolor from 0 to the maximum, 0 fully transparent.

The same renderer is saved as a ``.qml`` sidecar beside the raster (QGIS applies it when a user
adds the file) and applied by ``HeatmapStylePostProcessor`` when Processing loads the result
(Processing's own loading ignores sidecars).

A ``.qml`` is only ever replaced when this plugin wrote it: ours carry the layer custom property
``GENERATED_PROPERTY``, which QGIS keeps when it loads the style and when a user saves it again
from the layer's properties (so a heatmap style the user adjusted and saved still counts as the
plugin's). Any other ``.qml`` (e.g. ``roads.qml`` of ``roads.shp`` when the output is
``roads.tif``) is left as it is.
"""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ElementTree

from qgis.core import (
    QgsColorRampShader,
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRasterTransparency,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
)
from qgis.PyQt.QtXml import QDomDocument

DEFAULT_COLOR_RAMP = "Viridis"
"""A perceptually uniform ramp of QGIS's default style."""

GENERATED_PROPERTY = "kde_heatmap/generated"
"""Layer custom property saved in the ``.qml`` files this plugin writes (value "1")."""


def color_ramp_names() -> list[str]:
    """Names of the colour ramps of QGIS's default style (the user's style database)."""
    return list(QgsStyle.defaultStyle().colorRampNames())


def apply_heatmap_style(layer: QgsRasterLayer, color_ramp: str, maximum: float) -> None:
    """Render band 1 of ``layer`` with ``color_ramp`` stretched over 0..``maximum``.

    ``maximum`` is in the raster's value units; when it is not positive (an all-zero surface)
    the ramp spans 0..1. Cells equal to 0 are fully transparent; values outside the range take
    the colour of the nearest end. Raises ``KeyError`` for a ramp name the default style lacks.
    """
    ramp = QgsStyle.defaultStyle().colorRamp(color_ramp)
    if ramp is None:
        raise KeyError(color_ramp)
    upper = maximum if maximum > 0 else 1.0
    color_shader = QgsColorRampShader(0.0, upper, ramp, QgsColorRampShader.Interpolated)
    color_shader.classifyColorRamp(classes=0, band=-1)
    color_shader.setClip(False)
    shader = QgsRasterShader(0.0, upper)
    shader.setRasterShaderFunction(color_shader)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(upper)

    zero = QgsRasterTransparency.TransparentSingleValuePixel()
    zero.min = 0.0
    zero.max = 0.0
    zero.percentTransparent = 100.0
    transparency = QgsRasterTransparency()
    transparency.setTransparentSingleValuePixelList([zero])
    renderer.setRasterTransparency(transparency)
    layer.setRenderer(renderer)
    layer.triggerRepaint()


def style_sidecar_path(raster_path: str) -> str:
    """The ``.qml`` QGIS applies to ``raster_path``: the raster's path without extension."""
    return os.path.splitext(raster_path)[0] + ".qml"


def is_plugin_style(qml_path: str) -> bool:
    """Whether the ``.qml`` at ``qml_path`` was written by this plugin (carries the marker).

    False for a file that is missing, unreadable or not XML.
    """
    try:
        root = ElementTree.parse(qml_path).getroot()
    except (OSError, ElementTree.ParseError):
        return False
    properties = root.find("customproperties")
    if properties is None:
        return False
    for option in properties.iter("Option"):  # QGIS >= 3.20
        if option.get("name") == GENERATED_PROPERTY:
            return True
    return any(item.get("key") == GENERATED_PROPERTY for item in properties.iter("property"))


def write_style_sidecar(
    raster_path: str, color_ramp: str, maximum: float, *, destination: str | None = None
) -> str | None:
    """Save the heatmap style of ``raster_path`` as ``<raster without extension>.qml``.

    ``destination`` is where the raster will be (default: ``raster_path``), for a raster written
    elsewhere first (``rasters.write_raster``'s ``sidecars`` hook gets the new raster in its
    private folder): the ``.qml`` beside ``destination`` decides. When it exists and this plugin
    did not write it, nothing is written and None is returned (the caller should warn that the
    existing style was kept). Otherwise the style, marked with ``GENERATED_PROPERTY``, is
    written to a temporary file beside the ``.qml`` and renamed over it, and its path returned.

    Raises ``OSError`` when the raster cannot be opened or the style cannot be saved (nothing
    is left behind), ``KeyError`` for an unknown ramp.
    """
    existing = style_sidecar_path(destination or raster_path)
    if os.path.lexists(existing) and not is_plugin_style(existing):
        return None
    layer = QgsRasterLayer(raster_path, os.path.basename(raster_path), "gdal")
    if not layer.isValid():
        raise OSError(f"cannot open {raster_path}")
    apply_heatmap_style(layer, color_ramp, maximum)
    layer.setCustomProperty(GENERATED_PROPERTY, "1")
    document = QDomDocument()
    message = layer.exportNamedStyle(document)
    del layer  # releases the raster file
    if message:
        raise OSError(message)
    style_path = style_sidecar_path(raster_path)
    folder, name = os.path.split(style_path)
    temporary = os.path.join(folder, f".{name}.{uuid.uuid4().hex}.kde-heatmap-partial")
    try:
        with open(temporary, "x", encoding="utf-8") as file:  # the user's usual permissions
            file.write(document.toString(2))
        os.replace(temporary, style_path)
    except BaseException:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise
    return style_path


class HeatmapStylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Applies the heatmap style to the output layer that the Toolbox or a model loads.

    QGIS does not own post-processors, so instances live in a class-level holder (one per
    output destination) until replaced; otherwise Python could free them before QGIS calls them.
    Create them with ``create``.
    """

    _alive: dict[str, HeatmapStylePostProcessor] = {}

    def __init__(self, color_ramp: str, maximum: float) -> None:
        super().__init__()
        self.color_ramp = color_ramp
        self.maximum = maximum

    @classmethod
    def create(cls, destination: str, color_ramp: str, maximum: float) -> HeatmapStylePostProcessor:
        """A post-processor for the layer loaded from ``destination``, kept alive by the class."""
        processor = cls(color_ramp, maximum)
        cls._alive[destination] = processor
        return processor

    def postProcessLayer(  # noqa: N802 (QGIS API name)
        self, layer: QgsMapLayer, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> None:
        """Style ``layer`` if it is a raster layer (QGIS calls this on the main thread)."""
        if isinstance(layer, QgsRasterLayer):
            apply_heatmap_style(layer, self.color_ramp, self.maximum)
