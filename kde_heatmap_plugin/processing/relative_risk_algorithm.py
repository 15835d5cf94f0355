"""``kdeheatmap:relativerisk``: two point layers -> the ratio of their kernel densities.

The run: parameters -> case points (``sources``) in the CRS the heatmap would compute them in
(``KdeAlgorithmBase._computation_crs``) -> control points transformed to that CRS -> one grid
covering both layers' points grown by the radius (the native heatmap's grid), or the EXTENT ->
the controls' density held whole (its maximum sets the threshold) -> the cases' density band
by band, divided cell by cell -> raster written atomically (``rasters``), styled with a
diverging ramp (``style_ratio``).

The ratio is of densities normalised by their totals (Kelsall & Diggle's relative risk):
``r(u) = (λ_cases(u) / W_cases) / (λ_controls(u) / W_controls)``, where ``λ`` is the Density
output of the heatmap (integrating to the total weight ``W``). ``r = 1`` where cases are as
common relative to controls as overall; the ratio of intensities (spatstat's
``relrisk(relative=TRUE)``) is ``r · W_cases / W_controls``, logged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsFeatureSource,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDistance,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QCoreApplication

from .. import crs, rasters, sources, style_ratio
from ..core import (
    Cancelled,
    Grid,
    Kernel,
    OutputValue,
    extent_grid,
    kernel_density_bands,
    kernel_density_on_grid,
    native_grid,
)
from .base import KdeAlgorithmBase
from .heatmap_sizing import MEMORY_FRACTION, available_memory_bytes
from .localized import LocalizedText

READ_SHARE = 10.0
"""Percent of the progress bar for reading and transforming both layers."""
CONTROLS_SHARE = 40.0
"""Percent for the controls' density (held whole); the cases' bands and writing get the rest."""
DEFAULT_THRESHOLD = 0.01
"""Default THRESHOLD: cells whose control density is below 1 % of its maximum are NoData."""


@dataclass(frozen=True)
class LayerOptions:
    """What ``KdeAlgorithmBase``'s reading steps need of one layer."""

    weight_field: str
    radius_field: str = ""
    output_crs: QgsCoordinateReferenceSystem = field(default_factory=QgsCoordinateReferenceSystem)
    geodesic: bool = False


@dataclass(frozen=True)
class RatioCells:
    """Counts and range of a finished ratio raster."""

    below_threshold: int
    """Cells whose control density is below the threshold (NoData)."""
    no_case: int
    """Cells above the threshold without any case density (log ratio only: NoData)."""
    minimum: float
    maximum: float


def lockstep(
    first: Iterator[tuple[int, np.ndarray]], second: Iterator[tuple[int, np.ndarray]]
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """``(first_row, a, b)`` from two ``kernel_density_bands`` iterators on the same grid and
    radius (whose bands therefore cover the same rows). Raises ``RuntimeError`` if they do not
    cover the same rows."""
    for (row_a, band_a), (row_b, band_b) in zip(first, second, strict=True):
        if row_a != row_b or band_a.shape != band_b.shape:
            raise RuntimeError(f"bands differ: rows {row_a} and {row_b}")
        yield row_a, band_a, band_b


def shared_progress(report: Callable[[float], bool], parts: int) -> list[Callable[[float], bool]]:
    """``parts`` progress callbacks whose mean fraction goes to ``report``."""
    fractions = [0.0] * parts

    def part(index: int, fraction: float) -> bool:
        fractions[index] = fraction
        return report(sum(fractions) / parts)

    return [partial(part, index) for index in range(parts)]


class RelativeRiskAlgorithm(KdeAlgorithmBase):
    """Kernel density ratio of cases to controls (relative risk), optionally its logarithm."""

    CASES = "CASES"
    CONTROLS = "CONTROLS"
    CASES_WEIGHT_FIELD = "CASES_WEIGHT_FIELD"
    CONTROLS_WEIGHT_FIELD = "CONTROLS_WEIGHT_FIELD"
    RADIUS = "RADIUS"
    PIXEL_SIZE = "PIXEL_SIZE"
    DECAY = "DECAY"
    EXTENT = "EXTENT"
    TEMPLATE = "TEMPLATE"
    LOG_RATIO = "LOG_RATIO"
    THRESHOLD = "THRESHOLD"
    OUTPUT = "OUTPUT"

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts)."""
        return LocalizedText(QCoreApplication.translate(type(self).__name__, text))

    def name(self) -> str:
        return "relativerisk"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Kernel density ratio / relative risk")

    def tags(self) -> list[str]:
        return self.tr("relative risk,ratio,cases,controls,relrisk,kde,density").split(",")

    def shortDescription(self) -> str:  # noqa: N802
        return self.tr("The ratio of the kernel densities of cases and controls (relative risk).")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Divides the kernel density of the cases by that of the controls (for example "
            "disease cases by the population at risk). Both densities are the heatmap's "
            "Density, with the same kernel and radius, on one grid, and each is divided by "
            "its total weight before the ratio is taken (Kelsall and Diggle's relative risk): "
            "1 means cases are as common relative to controls as in the whole data, 2 twice "
            "as common. The ratio of the intensities themselves (spatstat's relrisk with "
            "relative=TRUE) is this value times the total case weight over the total control "
            "weight, which the log gives.</p>"
            "<p><b>Cases</b>, <b>Controls</b>: point layers, in any CRS; the controls are "
            "transformed to the CRS the cases are computed in (the cases' CRS, or a local "
            "projection in metres for a layer in degrees).</p>"
            "<p><b>Radius</b>: kernel radius, in the units of that CRS (metres for a layer in "
            "degrees); greater than 0.</p>"
            "<p><b>Output raster size</b>: side of a cell, in the same units; greater than 0."
            "</p>"
            "<p><b>Kernel shape</b> and <b>Decay ratio (Triangular kernels only)</b> (0 or "
            "more): as in the heatmap.</p>"
            "<p><b>Case weight from field</b>, <b>Control weight from field</b> (optional): "
            "numeric fields whose values (0 or more) weight the points; NULL values are "
            "skipped.</p>"
            "<p><b>Grid of a raster (template)</b> (optional): the raster takes this layer's "
            "CRS, origin, cell size, rows and columns (square north-up cells), so that the "
            "ratio can be compared cell by cell with it; it replaces the output extent and "
            "cell size.</p>"
            "<p><b>Output extent</b> (optional): the raster's extent; by default it covers "
            "the points of both layers grown by the radius.</p>"
            "<p><b>Log ratio</b>: write the natural logarithm of the ratio (0 for no "
            "difference); cells without any case density are then NoData.</p>"
            "<p><b>Control density threshold</b>: a fraction of the controls' largest density, "
            "between 0 and 1; cells whose control density is below it are NoData (a ratio "
            "over almost no controls is noise). The log says how many.</p>"
            "<p><b>Relative risk</b>: the output raster, styled with a diverging ramp centred "
            "on 1 (0 for the log ratio).</p>"
        )

    def initAlgorithm(self, config: dict | None = None) -> None:  # noqa: N802
        for name, label in (
            (self.CASES, self.tr("Cases")),
            (self.CONTROLS, self.tr("Controls")),
        ):
            self.addParameter(
                QgsProcessingParameterFeatureSource(name, label, [QgsProcessing.TypeVectorPoint])
            )
        self.addParameter(
            QgsProcessingParameterDistance(self.RADIUS, self.tr("Radius"), 100.0, self.CASES)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.PIXEL_SIZE,
                self.tr("Output raster size"),
                QgsProcessingParameterNumber.Double,
                10.0,
                minValue=0.0,
            )
        )
        for name, label, parent in (
            (self.CASES_WEIGHT_FIELD, self.tr("Case weight from field"), self.CASES),
            (self.CONTROLS_WEIGHT_FIELD, self.tr("Control weight from field"), self.CONTROLS),
        ):
            self.add_advanced(
                QgsProcessingParameterField(
                    name,
                    label,
                    parentLayerParameterName=parent,
                    type=QgsProcessingParameterField.Numeric,
                    optional=True,
                )
            )
        self.add_advanced(self.kernel_parameter())
        self.add_advanced(
            QgsProcessingParameterNumber(
                self.DECAY,
                self.tr("Decay ratio (Triangular kernels only)"),
                QgsProcessingParameterNumber.Double,
                0.0,
                True,
                0.0,
                100.0,
            )
        )
        self.add_advanced(
            QgsProcessingParameterExtent(self.EXTENT, self.tr("Output extent"), optional=True)
        )
        self.add_advanced(
            QgsProcessingParameterRasterLayer(
                self.TEMPLATE, self.tr("Grid of a raster (template)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.LOG_RATIO, self.tr("Log ratio"), False)
        )
        self.addParameter(
            QgsProcessingParameterNumber(
                self.THRESHOLD,
                self.tr("Control density threshold"),
                QgsProcessingParameterNumber.Double,
                DEFAULT_THRESHOLD,
                minValue=0.0,
                maxValue=1.0,
            )
        )
        self.addParameter(
            QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Relative risk"))
        )

    def processAlgorithm(  # noqa: N802
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        radius = self.parameterAsDouble(parameters, self.RADIUS, context)
        if not (math.isfinite(radius) and radius > 0):
            raise QgsProcessingException(
                self.tr("The radius must be greater than 0 (it is {radius}).").format(radius=radius)
            )
        cell_size = self.parameterAsDouble(parameters, self.PIXEL_SIZE, context)
        if not (math.isfinite(cell_size) and cell_size > 0):
            raise QgsProcessingException(
                self.tr("The output raster size must be greater than 0 (it is {size}).").format(
                    size=cell_size
                )
            )
        threshold = self.parameterAsDouble(parameters, self.THRESHOLD, context)
        if not 0 < threshold < 1:
            raise QgsProcessingException(
                self.tr(
                    "The control density threshold must be between 0 and 1, exclusive (it is "
                    "{threshold}): it is a fraction of the largest control density."
                ).format(threshold=threshold)
            )
        kernel = Kernel(self._checked_choice(parameters, self.KERNEL, self.kernel_names()))
        decay = self.parameterAsDouble(parameters, self.DECAY, context)
        if kernel == Kernel.TRIANGULAR and decay < 0:
            raise QgsProcessingException(
                self.tr(
                    "With a negative decay ({decay}) the triangular kernel is negative near "
                    "the radius, and a ratio of densities needs a kernel that never is. Use a "
                    "decay of 0 or more."
                ).format(decay=decay)
            )
        output_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        try:
            driver_name = rasters.check_destination(output_path)
        except rasters.DestinationError as error:
            raise QgsProcessingException(self._destination_message(error)) from None
        log_ratio = self.parameterAsBool(parameters, self.LOG_RATIO, context)
        layers = []
        for name, weight_name in (
            (self.CASES, self.CASES_WEIGHT_FIELD),
            (self.CONTROLS, self.CONTROLS_WEIGHT_FIELD),
        ):
            source = self.parameterAsSource(parameters, name, context)
            if source is None:
                raise QgsProcessingException(
                    self.tr("Could not load the layer {parameter} ({value}).").format(
                        parameter=name, value=parameters.get(name)
                    )
                )
            options = LayerOptions(self.parameterAsString(parameters, weight_name, context) or "")
            layers.append((name, source, options))
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            extent = (
                self.parameterAsExtent(parameters, self.EXTENT, context),
                self.parameterAsExtentCrs(parameters, self.EXTENT, context),
            )
        template = None
        template_layer = self.parameterAsRasterLayer(parameters, self.TEMPLATE, context)
        if template_layer is not None:
            if extent is not None:
                raise QgsProcessingException(
                    self.tr(
                        "The template raster decides the grid: leave the output extent empty, "
                        "or the template."
                    )
                )
            template = self._template_grid(template_layer)
            cell_size = template.cell_size
            name, source, options = layers[0]  # the cases are computed in the template's CRS
            layers[0] = (
                name,
                source,
                LayerOptions(options.weight_field, output_crs=template_layer.crs()),
            )
        try:
            cells = self._run(
                layers,
                radius=radius,
                cell_size=cell_size,
                kernel=kernel,
                decay=decay,
                extent=extent,
                template=template,
                threshold=threshold,
                log_ratio=log_ratio,
                output_path=output_path,
                driver_name=driver_name,
                transform_context=context.transformContext(),
                feedback=feedback,
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled: no output was written.")) from None
        if context.willLoadLayerOnCompletion(output_path):
            context.layerToLoadOnCompletionDetails(output_path).setPostProcessor(
                style_ratio.DerivedStylePostProcessor.create(
                    output_path,
                    partial(
                        style_ratio.ratio_renderer,
                        minimum=cells.minimum,
                        maximum=cells.maximum,
                        log_ratio=log_ratio,
                    ),
                    self._band_description(log_ratio),
                )
            )
        return {self.OUTPUT: output_path}

    def _band_description(self, log_ratio: bool) -> str:
        if log_ratio:
            return self.tr("Log relative risk (cases / controls)")
        return self.tr("Relative risk (cases / controls)")

    def _read(
        self,
        name: str,
        source: QgsFeatureSource,
        options: LayerOptions,
        feedback: QgsProcessingFeedback,
        start: float,
    ) -> sources.PointArrays:
        """The points of one layer, checked: none empty, weights 0 or more, total above 0."""
        self._check_source(source, options)
        points, _ = sources.read_points(
            source,
            None,
            weight_field=options.weight_field,
            progress=self._progress(feedback, start, READ_SHARE / 3),
        )
        if points.features_read == 0:
            raise QgsProcessingException(
                self.tr(
                    "The layer {parameter} has no features (or none is selected / passes the "
                    "filter)."
                ).format(parameter=name)
            )
        self._report_skipped(points, options, feedback)
        if points.weight is not None:
            negative = int((points.weight < 0).sum())
            if negative:
                raise QgsProcessingException(
                    self.tr(
                        "{count} points of {parameter} have a negative weight ({field}): a "
                        "density ratio needs weights of 0 or more."
                    ).format(count=negative, parameter=name, field=options.weight_field)
                )
            if not points.weight.sum() > 0:
                raise QgsProcessingException(
                    self.tr("The weights ({field}) of {parameter} are all 0.").format(
                        field=options.weight_field, parameter=name
                    )
                )
        return points

    def _run(
        self,
        layers: list,
        *,
        radius: float,
        cell_size: float,
        kernel: Kernel,
        decay: float,
        extent: tuple[QgsRectangle, QgsCoordinateReferenceSystem] | None,
        template: Grid | None,
        threshold: float,
        log_ratio: bool,
        output_path: str,
        driver_name: str,
        transform_context: QgsCoordinateTransformContext,
        feedback: QgsProcessingFeedback,
    ) -> RatioCells:
        (
            (cases_name, cases_source, cases_options),
            (controls_name, controls_source, controls_options),
        ) = layers
        cases = self._read(cases_name, cases_source, cases_options, feedback, 0.0)
        computation = self._computation_crs(
            cases,
            cases_source.sourceCrs(),
            cases_options,
            transform_context,
            feedback,
            start=READ_SHARE / 3,
            end=READ_SHARE / 2,
        )
        controls = self._read(
            controls_name, controls_source, controls_options, feedback, READ_SHARE / 2
        )
        try:
            crs.transform_points(
                controls.x,
                controls.y,
                controls_source.sourceCrs(),
                computation.crs,
                transform_context,
                out=(controls.x, controls.y),
            )
        except crs.CrsError as error:
            raise QgsProcessingException(
                self._crs_message(error, controls_source.sourceCrs())
            ) from None
        grid = template or self._grid(
            cases, controls, radius, cell_size, extent, computation.crs, transform_context
        )
        needed = grid.cells * 8
        if needed > MEMORY_FRACTION * available_memory_bytes():
            raise QgsProcessingException(
                self.tr(
                    "A {rows} x {cols} raster needs {megabytes:.0f} MB for the control density, "
                    "more than the memory available. Use a larger cell size or a smaller extent."
                ).format(rows=grid.rows, cols=grid.cols, megabytes=needed / 2**20)
            )
        feedback.pushInfo(
            self.tr("Computing a {rows} x {cols} raster (cell size {cell_size:g}).").format(
                rows=grid.rows, cols=grid.cols, cell_size=grid.cell_size
            )
        )
        density = {
            "radius": radius,
            "kernel": kernel,
            "decay": decay,
            "output_value": OutputValue.DENSITY,
        }
        cases_total = float(cases.weight.sum()) if cases.weight is not None else float(cases.count)
        controls_total = (
            float(controls.weight.sum()) if controls.weight is not None else float(controls.count)
        )
        try:
            control_density = kernel_density_on_grid(
                controls.x,
                controls.y,
                grid,
                weight=controls.weight,
                progress=self._progress(feedback, READ_SHARE, CONTROLS_SHARE),
                **density,
            )
            case_bands = kernel_density_bands(
                cases.x,
                cases.y,
                grid,
                weight=cases.weight,
                progress=self._progress(
                    feedback,
                    READ_SHARE + CONTROLS_SHARE,
                    100 - READ_SHARE - CONTROLS_SHARE,
                    monotone=True,
                ),
                **density,
            )
        except ValueError as error:
            raise QgsProcessingException(
                self.tr("The densities cannot be computed: {reason}").format(reason=error)
            ) from None
        largest = float(control_density.max())
        if not largest > 0:
            raise QgsProcessingException(
                self.tr(
                    "No control point reaches the raster: the control density is 0 everywhere. "
                    "Check the extent, or use a larger radius."
                )
            )
        cutoff = threshold * largest
        scale = controls_total / cases_total
        feedback.pushInfo(
            self.tr(
                "Total weights: cases {cases:g}, controls {controls:g}. The ratio is of the "
                "densities divided by these totals; times {factor:g} it is the ratio of the "
                "densities themselves. Cells whose control density is below {cutoff:.6g} "
                "({percent:g} % of its maximum {largest:.6g}) are NoData."
            ).format(
                cases=cases_total,
                controls=controls_total,
                factor=1 / scale,
                cutoff=cutoff,
                percent=100 * threshold,
                largest=largest,
            )
        )
        counts = {"below": 0, "no_case": 0}
        extremes = [math.inf, -math.inf]

        def ratio_bands() -> Iterator[rasters.Band]:
            for first_row, values in case_bands:
                controls_band = control_density[first_row : first_row + len(values)]
                below = controls_band < cutoff
                with np.errstate(divide="ignore", invalid="ignore"):
                    ratio = values * scale / controls_band
                ratio[below] = np.nan
                counts["below"] += int(below.sum())
                if log_ratio:
                    no_case = ~below & (values <= 0)
                    counts["no_case"] += int(no_case.sum())
                    ratio[no_case] = np.nan
                    with np.errstate(divide="ignore", invalid="ignore"):
                        np.log(ratio, out=ratio)
                finite = ratio[np.isfinite(ratio)]
                if finite.size:
                    extremes[0] = min(extremes[0], float(finite.min()))
                    extremes[1] = max(extremes[1], float(finite.max()))
                yield first_row, ratio

        style_result: list[str | None | OSError] = []

        def write_style(raster_path: str) -> None:
            if not math.isfinite(extremes[0]):  # every cell NoData: nothing to style
                return
            low = extremes[0] if log_ratio else max(extremes[0], np.finfo(np.float32).tiny)
            try:
                style_result.append(
                    style_ratio.write_style_sidecar(
                        raster_path,
                        partial(
                            style_ratio.ratio_renderer,
                            minimum=low,
                            maximum=extremes[1],
                            log_ratio=log_ratio,
                        ),
                        destination=output_path,
                    )
                )
            except OSError as error:
                style_result.append(error)

        try:
            rasters.write_raster(
                output_path,
                ratio_bands(),
                grid,
                computation.crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL),
                driver_name=driver_name,
                progress=self._progress(
                    feedback,
                    READ_SHARE + CONTROLS_SHARE,
                    100 - READ_SHARE - CONTROLS_SHARE,
                    monotone=True,
                ),
                sidecars=write_style,
                band_description=self._band_description(log_ratio),
                nodata=math.nan,
            )
        except rasters.DestinationError as error:
            raise QgsProcessingException(self._destination_message(error)) from None
        except OSError as error:
            raise QgsProcessingException(
                self.tr('Could not write the raster "{path}": {reason}.').format(
                    path=output_path, reason=error
                )
            ) from None
        if style_result and isinstance(style_result[0], OSError):
            feedback.pushWarning(
                self.tr("The style could not be saved beside the raster: {reason}").format(
                    reason=style_result[0]
                )
            )
        feedback.pushInfo(
            self.tr(
                "{count} of {cells} cells are NoData because their control density is below "
                "the threshold."
            ).format(count=counts["below"], cells=grid.cells)
        )
        if counts["no_case"]:
            feedback.pushInfo(
                self.tr(
                    "{count} more cells are NoData because no case reaches them: their log "
                    "ratio would be minus infinity."
                ).format(count=counts["no_case"])
            )
        if not math.isfinite(extremes[0]):
            feedback.pushWarning(self.tr("Every cell is NoData: lower the threshold."))
            extremes = [1.0, 1.0] if not log_ratio else [0.0, 0.0]
        feedback.setProgress(100.0)
        minimum = extremes[0] if log_ratio else max(extremes[0], np.finfo(np.float32).tiny)
        return RatioCells(counts["below"], counts["no_case"], minimum, extremes[1])

    def _grid(
        self,
        cases: sources.PointArrays,
        controls: sources.PointArrays,
        radius: float,
        cell_size: float,
        extent: tuple[QgsRectangle, QgsCoordinateReferenceSystem] | None,
        target: QgsCoordinateReferenceSystem,
        transform_context: QgsCoordinateTransformContext,
    ) -> Grid:
        """The EXTENT's grid in ``target``, or the native grid around both layers' points."""
        try:
            if extent is None:
                x = np.concatenate((cases.x, controls.x))
                y = np.concatenate((cases.y, controls.y))
                return native_grid(
                    float(x.min()),
                    float(y.min()),
                    float(x.max()),
                    float(y.max()),
                    padding=radius,
                    cell_size=cell_size,
                )
            rectangle, rectangle_crs = extent
            if rectangle_crs.isValid() and rectangle_crs != target:
                try:
                    rectangle = QgsCoordinateTransform(
                        rectangle_crs, target, transform_context
                    ).transformBoundingBox(rectangle)
                except QgsCsException as error:
                    raise QgsProcessingException(
                        self.tr("The output extent could not be transformed: {reason}").format(
                            reason=error
                        )
                    ) from None
            return extent_grid(
                rectangle.xMinimum(),
                rectangle.yMinimum(),
                rectangle.xMaximum(),
                rectangle.yMaximum(),
                cell_size,
            )
        except ValueError as error:
            raise QgsProcessingException(
                self.tr("No raster grid fits these parameters: {reason}").format(reason=error)
            ) from None
