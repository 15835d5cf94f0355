"""The heatmap look: single-band pseudocolor from 0 to the maximum, 0 fully transparent.

The same renderer is saved as a ``.qml`` sidecar beside the raster (QGIS applies it when a user
adds the file) and applied by ``HeatmapStylePostProcessor`` when Processing loads the result
(Processing's own loading ignores sidecars).
"""

from __future__ import annotations

import os

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

DEFAULT_COLOR_RAMP = "Viridis"
"""A perceptually uniform ramp of QGIS's default style."""


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


def write_style_sidecar(raster_path: str, color_ramp: str, maximum: float) -> str:
    """Save the heatmap style of ``raster_path`` as ``<raster without extension>.qml``.

    Returns the ``.qml`` path. Raises ``OSError`` when the raster cannot be opened or the style
    cannot be saved, ``KeyError`` for an unknown ramp.
    """
    layer = QgsRasterLayer(raster_path, os.path.basename(raster_path), "gdal")
    if not layer.isValid():
        raise OSError(f"cannot open {raster_path}")
    apply_heatmap_style(layer, color_ramp, maximum)
    style_path = os.path.splitext(raster_path)[0] + ".qml"
    message, saved = layer.saveNamedStyle(style_path)
    if not saved:
        raise OSError(message)
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
