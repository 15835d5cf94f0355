"""The heatmap look: single-band pseudocolor over the values, fading in from transparent at 0.

The colour ramp spans 0..maximum (minimum..maximum when there are negative values) with the
ramp's own colours; the opacity rises linearly from 0 at value 0 to full at ``FADE_FRACTION`` of
the largest magnitude, so the surface's outer edge (where the kernel reaches 0 at the radius)
fades out smoothly instead of ending in a hard, jagged outline. Cells equal to 0 are fully
transparent (also through a transparency entry, which survives a user reclassifying the ramp).

Negative values (negative weights) are shown, not hidden: the ramp then starts at the minimum,
so they take its lower colours, and they fade to transparent towards 0 like positive ones
(opacity ``|value| / fade width``). A sequential ramp is therefore read as "low to high" across
0; a diverging ramp (RdBu, ...) centred by the user shows the sign better.

The legend is QGIS's continuous ramp legend, its two labels with ``LEGEND_SIGNIFICANT_DIGITS``
significant digits (1.36, 0.000123, 12,300; scientific notation outside ``PLAIN_NOTATION``) in
the user's locale, followed by the unit when one is given; the ramp items carry the same labels.

The same renderer (:func:`heatmap_renderer`) is saved as a ``.qml`` sidecar beside the raster
(QGIS applies it when a user adds the file) and applied by ``HeatmapStylePostProcessor`` when
Processing loads the result (Processing's own loading ignores sidecars); the post-processor
also gives the layer a name that says what it is.

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
from collections.abc import Callable

from qgis.core import (
    QgsBasicNumericFormat,
    QgsCategorizedSymbolRenderer,
    QgsColorRamp,
    QgsColorRampLegendNodeSettings,
    QgsColorRampShader,
    QgsFillSymbol,
    QgsMapLayer,
    QgsNumericFormat,
    QgsNumericFormatContext,
    QgsPalLayerSettings,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterDataProvider,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRasterTransparency,
    QgsRendererCategory,
    QgsScientificNumericFormat,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsStyle,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtXml import QDomDocument

DEFAULT_COLOR_RAMP = "Viridis"
"""A perceptually uniform ramp of QGIS's default style."""

GENERATED_PROPERTY = "kde_heatmap/generated"
"""Layer custom property saved in the ``.qml`` files this plugin writes (value "1")."""

FADE_FRACTION = 0.05
"""Width of the fade-in, as a fraction of the largest magnitude of the ramp's range: opacity is
``min(1, |value| / (FADE_FRACTION * max(maximum, -minimum)))``."""

LEGEND_SIGNIFICANT_DIGITS = 3
"""Significant digits of the legend's and the ramp items' labels."""

PLAIN_NOTATION = (1e-4, 1e9)
"""Largest magnitudes of the range labelled in plain notation (0.000123 .. 123,000,000);
others in scientific notation (1.27e-10)."""


def color_ramp_names() -> list[str]:
    """Names of the colour ramps of QGIS's default style (the user's style database)."""
    return list(QgsStyle.defaultStyle().colorRampNames())


def ramp_range(minimum: float, maximum: float) -> tuple[float, float]:
    """The values ``(low, high)`` the ramp spans for a raster whose values lie in
    ``minimum..maximum``: ``low = min(minimum, 0)``; ``high = maximum`` when positive, else 0
    for an all-negative raster and 1 for an all-zero one (so the range is never empty)."""
    low = min(minimum, 0.0)
    if maximum > 0:
        return low, maximum
    return low, (0.0 if low < 0 else 1.0)


def fade_width(low: float, high: float) -> float:
    """Values within this distance of 0 are partly transparent: ``FADE_FRACTION`` of the
    largest magnitude of ``low..high``."""
    return FADE_FRACTION * max(high, -low)


def legend_number_format(low: float, high: float) -> QgsNumericFormat:
    """The format of labels for values in ``low..high``: ``LEGEND_SIGNIFICANT_DIGITS``
    significant digits, thousands separated, no trailing zeros, in plain notation when the
    largest magnitude is within ``PLAIN_NOTATION``, else scientific."""
    largest = max(abs(low), abs(high))
    if PLAIN_NOTATION[0] <= largest < PLAIN_NOTATION[1]:
        number_format = QgsBasicNumericFormat()
        number_format.setRoundingType(QgsBasicNumericFormat.SignificantFigures)
        number_format.setNumberDecimalPlaces(LEGEND_SIGNIFICANT_DIGITS)
        number_format.setShowThousandsSeparator(True)
    else:
        number_format = QgsScientificNumericFormat()
        number_format.setNumberDecimalPlaces(LEGEND_SIGNIFICANT_DIGITS - 1)
    number_format.setShowTrailingZeros(False)
    return number_format


def fading_ramp_items(
    ramp: QgsColorRamp, low: float, high: float, label: Callable[[float], str]
) -> list[QgsColorRampShader.ColorRampItem]:
    """Stops of an interpolated ramp shader over ``low..high`` with the colours of ``ramp``
    (its own stops, so its colours are kept exactly) and alpha ``255 * min(1, |v| / w)``,
    ``w = fade_width(low, high)``; stops are added at ``-w``, 0 and ``w`` where they fall
    inside the range, so the shader's linear interpolation reproduces that opacity exactly.
    ``label`` gives each stop's label from its value."""
    shader = QgsColorRampShader(low, high, ramp.clone(), QgsColorRampShader.Interpolated)
    shader.classifyColorRamp(classes=0, band=-1)
    values = {item.value for item in shader.colorRampItemList()}
    width = fade_width(low, high)
    values.update(value for value in (-width, 0.0, width) if low <= value <= high)
    items = []
    for value in sorted(values):
        colour = QColor(ramp.color((value - low) / (high - low)))
        colour.setAlphaF(min(1.0, abs(value) / width))
        items.append(QgsColorRampShader.ColorRampItem(value, colour, label(value)))
    return items


def heatmap_renderer(
    provider: QgsRasterDataProvider,
    color_ramp: str,
    maximum: float,
    *,
    minimum: float = 0.0,
    legend_unit: str = "",
) -> QgsSingleBandPseudoColorRenderer:
    """The heatmap renderer of band 1 of ``provider`` for values in ``minimum..maximum``
    (raster value units): ramp ``color_ramp`` over :func:`ramp_range`, fading in around 0
    (:func:`fading_ramp_items`), 0 fully transparent, values outside the range in the colour
    of the nearest end; legend labels as :func:`legend_number_format`, followed by
    ``" " + legend_unit`` when given. Raises ``KeyError`` for a ramp name the default style
    lacks."""
    ramp = QgsStyle.defaultStyle().colorRamp(color_ramp)
    if ramp is None:
        raise KeyError(color_ramp)
    low, high = ramp_range(minimum, maximum)
    number_format = legend_number_format(low, high)
    suffix = f" {legend_unit}" if legend_unit else ""
    context = QgsNumericFormatContext()

    def label(value: float) -> str:
        return number_format.formatDouble(value, context) + suffix

    color_shader = QgsColorRampShader(low, high, ramp.clone(), QgsColorRampShader.Interpolated)
    color_shader.setColorRampItemList(fading_ramp_items(ramp, low, high, label))
    color_shader.setClip(False)
    legend = QgsColorRampLegendNodeSettings()
    legend.setUseContinuousLegend(True)
    legend.setNumericFormat(number_format.clone())
    legend.setSuffix(suffix)
    legend.setOrientation(Qt.Vertical)
    legend.setDirection(QgsColorRampLegendNodeSettings.MinimumToMaximum)  # max on top
    color_shader.setLegendSettings(legend)
    shader = QgsRasterShader(low, high)
    shader.setRasterShaderFunction(color_shader)
    renderer = QgsSingleBandPseudoColorRenderer(provider, 1, shader)
    renderer.setClassificationMin(low)
    renderer.setClassificationMax(high)

    zero = QgsRasterTransparency.TransparentSingleValuePixel()
    zero.min = 0.0
    zero.max = 0.0
    zero.percentTransparent = 100.0
    transparency = QgsRasterTransparency()
    transparency.setTransparentSingleValuePixelList([zero])
    renderer.setRasterTransparency(transparency)
    return renderer


def apply_heatmap_style(
    layer: QgsRasterLayer,
    color_ramp: str,
    maximum: float,
    *,
    minimum: float = 0.0,
    legend_unit: str = "",
) -> None:
    """Render band 1 of ``layer`` with :func:`heatmap_renderer` (same arguments) and repaint.

    Raises ``KeyError`` for a ramp name the default style lacks.
    """
    layer.setRenderer(
        heatmap_renderer(
            layer.dataProvider(), color_ramp, maximum, minimum=minimum, legend_unit=legend_unit
        )
    )
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
    raster_path: str,
    color_ramp: str,
    maximum: float,
    *,
    minimum: float = 0.0,
    legend_unit: str = "",
    destination: str | None = None,
) -> str | None:
    """Save the heatmap style of ``raster_path`` as ``<raster without extension>.qml``.

    The style is :func:`heatmap_renderer`'s for ``color_ramp``, ``maximum``, ``minimum`` and
    ``legend_unit``.

    ``destination`` is where the raster will be (default: ``raster_path``), for a raster written
    elsewhere first (``rasters.write_raster``'s ``sidecars`` hook gets the new raster in its
    private folder): the ``.qml`` beside ``destination`` decides. When it exists and this plugin
    did not write it, nothing is written and None is returned (the caller should warn that the
    existing style was kept). Otherwise the style, marked with ``GENERATED_PROPERTY``, is
    written to a temporary file beside the ``.qml`` and renamed over it, and its path returned.

    Raises ``OSError`` when the raster cannot be opened or the style cannot be saved (nothing
    is left behind), ``KeyError`` for an unknown ramp.
    """
    return save_style_sidecar(
        raster_path,
        lambda layer: apply_heatmap_style(
            layer, color_ramp, maximum, minimum=minimum, legend_unit=legend_unit
        ),
        destination=destination,
    )


def save_style_sidecar(
    raster_path: str,
    apply_style: Callable[[QgsRasterLayer], None],
    *,
    destination: str | None = None,
) -> str | None:
    """Save the style ``apply_style`` gives a layer of ``raster_path`` as its ``.qml``, with
    the rules of :func:`write_style_sidecar` (a foreign ``.qml`` beside ``destination`` is
    kept and None returned; ours is replaced atomically). Raises ``OSError`` as it does."""
    existing = style_sidecar_path(destination or raster_path)
    if os.path.lexists(existing) and not is_plugin_style(existing):
        return None
    layer = QgsRasterLayer(raster_path, os.path.basename(raster_path), "gdal")
    if not layer.isValid():
        raise OSError(f"cannot open {raster_path}")
    apply_style(layer)
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
    """Styles and names the output layer that the Toolbox or a model loads.

    The style is :func:`heatmap_renderer`'s. The name ``layer_name`` replaces only the generic
    name QGIS gives from the output's description (a temporary output, or a file when the
    Processing option "prefer filename as layer name" is off): a file's own name (that option
    on, QGIS's default) and a name a model gives its output are kept.

    QGIS does not own post-processors, so instances live in a class-level holder (one per
    output destination) until replaced; otherwise Python could free them before QGIS calls them.
    Create them with ``create``.
    """

    _alive: dict[str, HeatmapStylePostProcessor] = {}

    def __init__(
        self,
        destination: str,
        color_ramp: str,
        maximum: float,
        *,
        minimum: float = 0.0,
        layer_name: str = "",
        legend_unit: str = "",
    ) -> None:
        super().__init__()
        self.destination = destination
        self.color_ramp = color_ramp
        self.maximum = maximum
        self.minimum = minimum
        self.layer_name = layer_name
        self.legend_unit = legend_unit

    @classmethod
    def create(
        cls,
        destination: str,
        color_ramp: str,
        maximum: float,
        *,
        minimum: float = 0.0,
        layer_name: str = "",
        legend_unit: str = "",
    ) -> HeatmapStylePostProcessor:
        """A post-processor for the layer loaded from ``destination``, kept alive by the class."""
        processor = cls(
            destination,
            color_ramp,
            maximum,
            minimum=minimum,
            layer_name=layer_name,
            legend_unit=legend_unit,
        )
        cls._alive[destination] = processor
        return processor

    def postProcessLayer(  # noqa: N802 (QGIS API name)
        self, layer: QgsMapLayer, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> None:
        """Style and name ``layer`` if it is a raster layer (QGIS calls this on the main
        thread, after it named the layer)."""
        if not isinstance(layer, QgsRasterLayer):
            return
        apply_heatmap_style(
            layer,
            self.color_ramp,
            self.maximum,
            minimum=self.minimum,
            legend_unit=self.legend_unit,
        )
        if self.layer_name and has_generic_name(layer, context, self.destination):
            layer.setName(self.layer_name)


def has_generic_name(layer: QgsMapLayer, context: QgsProcessingContext, destination: str) -> bool:
    """Whether QGIS named the ``layer`` it loads from ``destination`` after the output's
    description (a name to replace), rather than its file's name or a name it was forced to."""
    if not context.willLoadLayerOnCompletion(destination):
        return False
    details = context.layerToLoadOnCompletionDetails(destination)
    return not details.forceName and layer.name() == details.name


# ---- percent volume contours ----------------------------------------------------------------

CONTOUR_COLOR = "235,50,40"
"""Outline and label colour of the percent volume contours: a red that stands out on a white
canvas, a dark background and every colour of the Viridis ramp."""

CONTOUR_WIDTHS_MM = (0.8, 0.4)
"""Outline widths (mm) of the smallest percentage's contour and of the others: the core of a
home range drawn bolder than its outer rings."""


def apply_volume_contour_style(layer: QgsVectorLayer, percentages: list[float]) -> None:
    """Draw ``layer``'s polygons as outlines only (nested, none hides another), the smallest
    of ``percentages`` bolder, each labelled along its outline with ``"<percent> %"`` (the
    ``percent`` field); then repaint."""
    smallest = min(percentages) if percentages else None
    categories = []
    for percent in sorted(set(percentages)):
        width = CONTOUR_WIDTHS_MM[0] if percent == smallest else CONTOUR_WIDTHS_MM[1]
        symbol = QgsFillSymbol.createSimple(
            {
                "style": "no",
                "outline_color": CONTOUR_COLOR,
                "outline_width": str(width),
                "outline_width_unit": "MM",
            }
        )
        categories.append(QgsRendererCategory(percent, symbol, f"{percent:g} %"))
    if categories:
        renderer = QgsCategorizedSymbolRenderer("percent", categories)
    else:
        renderer = QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple({"style": "no", "outline_color": CONTOUR_COLOR})
        )
    layer.setRenderer(renderer)
    settings = QgsPalLayerSettings()
    settings.fieldName = "\"percent\" || ' %'"
    settings.isExpression = True
    settings.placement = QgsPalLayerSettings.Line
    text = QgsTextFormat()
    text.setSize(9)
    text.setColor(QColor(*(int(part) for part in CONTOUR_COLOR.split(","))))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setColor(QColor(255, 255, 255))
    buffer.setSize(0.8)
    text.setBuffer(buffer)
    settings.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
    layer.triggerRepaint()


class VolumeContourStylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles the percent volume contours that the Toolbox or a model loads
    (:func:`apply_volume_contour_style`). Kept alive like ``HeatmapStylePostProcessor``:
    create them with ``create``."""

    _alive: dict[str, VolumeContourStylePostProcessor] = {}

    def __init__(self, destination: str, percentages: list[float]) -> None:
        super().__init__()
        self.destination = destination
        self.percentages = list(percentages)

    @classmethod
    def create(cls, destination: str, percentages: list[float]) -> VolumeContourStylePostProcessor:
        """A post-processor for the layer loaded from ``destination``, kept alive by the class."""
        processor = cls(destination, percentages)
        cls._alive[destination] = processor
        return processor

    def postProcessLayer(  # noqa: N802 (QGIS API name)
        self, layer: QgsMapLayer, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> None:
        """Style ``layer`` if it is a vector layer."""
        if isinstance(layer, QgsVectorLayer):
            apply_volume_contour_style(layer, self.percentages)
