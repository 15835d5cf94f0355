"""Styles of the derived surfaces: a diverging ramp for ratios, a sequential one for values.

``ratio_renderer``: a density ratio (``kdeheatmap:relativerisk``) is read against its neutral
value, 1 (0 for the log ratio): the reversed RdBu ramp runs from blue (below) through white at
the neutral value to red (above). The ramp is symmetric around it: ``[-m, m]`` for the log
ratio, ``[1/k, k]`` for the ratio with geometric stops (so 1/2 and 2 are equally strong), where
``m`` and ``ln k`` are the largest magnitudes of the log ratio in the raster.
``sequential_renderer``: a smoothed field value (``kdeheatmap:smooth``) on Viridis from the
field's minimum to its maximum. NoData cells (NaN) stay transparent in both.

Either renderer is saved as a ``.qml`` sidecar beside the raster (``write_style_sidecar``, with
the heatmap's rule: only a ``.qml`` this plugin wrote is replaced) and applied by
``DerivedStylePostProcessor`` when Processing loads the result.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from qgis.core import (
    QgsColorRamp,
    QgsColorRampLegendNodeSettings,
    QgsColorRampShader,
    QgsMapLayer,
    QgsNumericFormatContext,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsRasterDataProvider,
    QgsRasterLayer,
    QgsRasterShader,
    QgsSingleBandPseudoColorRenderer,
    QgsStyle,
)
from qgis.PyQt.QtCore import Qt

from . import style

DIVERGING_RAMP = "RdBu"
"""Default-style ramp of the ratio (reversed: red above the neutral value)."""
SEQUENTIAL_RAMP = "Viridis"
"""Default-style ramp of the smoothed values."""
RAMP_STOPS = 11
"""Colour stops of either ramp (odd: the middle one is the neutral value of a ratio)."""
SMALLEST_LOG_SPAN = math.log(1.01)
"""Half-width of the log-ratio ramp when every cell is (nearly) 1: ratios 1/1.01 .. 1.01."""

RendererFactory = Callable[[QgsRasterDataProvider], QgsSingleBandPseudoColorRenderer]


def ratio_ramp_values(minimum: float, maximum: float, *, log_ratio: bool) -> np.ndarray:
    """The ``RAMP_STOPS`` stop values for a ratio raster ranging ``minimum..maximum``.

    Log ratio: ``linspace(-m, m)``, ``m = max(|minimum|, |maximum|, SMALLEST_LOG_SPAN)``.
    Ratio (both > 0): ``exp(linspace(-m, m))`` with ``m`` from ``ln minimum`` and
    ``ln maximum``; the middle stop is exactly 1.
    """
    if log_ratio:
        span = max(abs(minimum), abs(maximum), SMALLEST_LOG_SPAN)
    else:
        span = max(abs(math.log(minimum)), abs(math.log(maximum)), SMALLEST_LOG_SPAN)
    exponents = np.linspace(-span, span, RAMP_STOPS)
    exponents[RAMP_STOPS // 2] = 0.0
    return exponents if log_ratio else np.exp(exponents)


def ratio_renderer(
    provider: QgsRasterDataProvider, minimum: float, maximum: float, *, log_ratio: bool
) -> QgsSingleBandPseudoColorRenderer:
    """Band 1 of ``provider`` on the reversed RdBu ramp centred on 1 (0 for ``log_ratio``),
    stops as :func:`ratio_ramp_values`."""
    ramp = QgsStyle.defaultStyle().colorRamp(DIVERGING_RAMP)
    ramp.invert()
    return _renderer(provider, ramp, ratio_ramp_values(minimum, maximum, log_ratio=log_ratio))


def sequential_renderer(
    provider: QgsRasterDataProvider, minimum: float, maximum: float
) -> QgsSingleBandPseudoColorRenderer:
    """Band 1 of ``provider`` on Viridis from ``minimum`` to ``maximum`` (widened to a small
    interval around a single value)."""
    if not maximum > minimum:
        half = max(abs(minimum) * 1e-6, 1e-12)
        minimum, maximum = minimum - half, maximum + half
    ramp = QgsStyle.defaultStyle().colorRamp(SEQUENTIAL_RAMP)
    return _renderer(provider, ramp, np.linspace(minimum, maximum, RAMP_STOPS))


def _renderer(
    provider: QgsRasterDataProvider, ramp: QgsColorRamp, values: np.ndarray
) -> QgsSingleBandPseudoColorRenderer:
    """An interpolated pseudocolor renderer with stop ``i`` at ``values[i]`` in the ramp's
    colour at ``i / (len(values) - 1)``; values beyond the ends take the end colours."""
    low, high = float(values[0]), float(values[-1])
    number_format = style.legend_number_format(low, high)
    context = QgsNumericFormatContext()
    items = [
        QgsColorRampShader.ColorRampItem(
            float(value),
            ramp.color(position / (len(values) - 1)),
            number_format.formatDouble(float(value), context),
        )
        for position, value in enumerate(values)
    ]
    color_shader = QgsColorRampShader(low, high, ramp.clone(), QgsColorRampShader.Interpolated)
    color_shader.setColorRampItemList(items)
    color_shader.setClip(False)
    legend = QgsColorRampLegendNodeSettings()
    legend.setUseContinuousLegend(True)
    legend.setNumericFormat(number_format.clone())
    legend.setOrientation(Qt.Vertical)
    legend.setDirection(QgsColorRampLegendNodeSettings.MinimumToMaximum)
    color_shader.setLegendSettings(legend)
    shader = QgsRasterShader(low, high)
    shader.setRasterShaderFunction(color_shader)
    renderer = QgsSingleBandPseudoColorRenderer(provider, 1, shader)
    renderer.setClassificationMin(low)
    renderer.setClassificationMax(high)
    return renderer


def write_style_sidecar(
    raster_path: str, renderer_for: RendererFactory, *, destination: str | None = None
) -> str | None:
    """Save ``renderer_for(provider of raster_path)`` as the raster's ``.qml`` sidecar.

    As ``style.write_style_sidecar``: the ``.qml`` beside ``destination`` (default
    ``raster_path``) decides; one this plugin did not write is kept and None returned;
    otherwise the style, marked with ``style.GENERATED_PROPERTY``, is written beside
    ``raster_path`` through a temporary file and its path returned.

    Raises ``OSError`` when the raster cannot be opened or the style cannot be saved.
    """
    return style.save_style_sidecar(
        raster_path,
        lambda layer: layer.setRenderer(renderer_for(layer.dataProvider())),
        destination=destination,
    )


class DerivedStylePostProcessor(QgsProcessingLayerPostProcessorInterface):
    """Styles (``renderer_for``) and names the raster layer Processing loads from
    ``destination``; the name replaces only QGIS's generic one (as the heatmap's
    post-processor). Instances are kept alive in a class-level holder: create them with
    ``create``."""

    _alive: dict[str, DerivedStylePostProcessor] = {}

    def __init__(self, destination: str, renderer_for: RendererFactory, layer_name: str) -> None:
        super().__init__()
        self.destination = destination
        self.renderer_for = renderer_for
        self.layer_name = layer_name

    @classmethod
    def create(
        cls, destination: str, renderer_for: RendererFactory, layer_name: str
    ) -> DerivedStylePostProcessor:
        """A post-processor for the layer loaded from ``destination``, kept alive by the class."""
        processor = cls(destination, renderer_for, layer_name)
        cls._alive[destination] = processor
        return processor

    def postProcessLayer(  # noqa: N802 (QGIS API name)
        self, layer: QgsMapLayer, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> None:
        """Style and name ``layer`` if it is a raster layer."""
        if not isinstance(layer, QgsRasterLayer):
            return
        layer.setRenderer(self.renderer_for(layer.dataProvider()))
        layer.triggerRepaint()
        if self.layer_name and style.has_generic_name(layer, context, self.destination):
            layer.setName(self.layer_name)
