"""``kdeheatmap:smooth``: points with a numeric field -> the kernel-smoothed field value.

Nadaraya-Watson: ``m(u) = Σ w_i v_i K(u − x_i) / Σ w_i K(u − x_i)`` at each cell centre ``u``,
for the values ``v_i`` of FIELD and weights ``w_i`` (WEIGHT_FIELD, or 1). Both sums are the
core's exact kernel sums (``kernel_density_bands`` with weights ``w v`` and ``w``, Raw output:
the kernel's normalising factor cancels), computed band by band in lockstep on one grid.
NoData where the denominator is 0 (no point within the radius). The grid is the native
heatmap's around the points (grown by the radius), in the CRS the heatmap would compute in.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from functools import partial

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDistance,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
)
from qgis.PyQt.QtCore import QCoreApplication

from .. import rasters, sources, style_ratio
from ..core import Cancelled, Kernel, OutputValue, kernel_density_bands, native_grid
from .base import KdeAlgorithmBase
from .localized import LocalizedText
from .relative_risk_algorithm import LayerOptions, lockstep, shared_progress

READ_SHARE = 10.0
"""Percent of the progress bar for reading the points; the two sums and writing get the rest."""


class SmoothAlgorithm(KdeAlgorithmBase):
    """Kernel-smoothed value of a numeric field (Nadaraya-Watson)."""

    FIELD = "FIELD"
    RADIUS = "RADIUS"
    PIXEL_SIZE = "PIXEL_SIZE"
    DECAY = "DECAY"
    OUTPUT = "OUTPUT"

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts)."""
        return LocalizedText(QCoreApplication.translate(type(self).__name__, text))

    def name(self) -> str:
        return "smooth"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Kernel-smoothed field value")

    def tags(self) -> list[str]:
        return self.tr("smooth,nadaraya-watson,kernel regression,value,average,kde").split(",")

    def shortDescription(self) -> str:  # noqa: N802
        return self.tr("A heatmap by value: the kernel-weighted average of a field.")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Each cell holds the kernel-weighted average of a field of the points around "
            "it (Nadaraya-Watson, spatstat's Smooth.ppp): m(u) = sum w_i v_i K(u - x_i) / "
            "sum w_i K(u - x_i), where v_i is the field value and w_i the weight of point i. "
            "Cells that no point reaches (the denominator is 0) are NoData. The values stay "
            "between the field's smallest and largest values.</p>"
            "<p><b>Point layer</b>: points or multipoints, in any CRS (a layer in degrees is "
            "projected to metres, as in the heatmap).</p>"
            "<p><b>Field to smooth</b>: a numeric field; features where it is NULL or not a "
            "finite number are skipped and counted in the log.</p>"
            "<p><b>Radius</b>: kernel radius, greater than 0, in the units of the computation "
            "CRS.</p>"
            "<p><b>Output raster size</b>: side of a cell, greater than 0, in the same units."
            "</p>"
            "<p><b>Weight from field</b> (optional): a numeric field of weights, 0 or more "
            "(NULL values skipped).</p>"
            "<p><b>Kernel shape</b> and <b>Decay ratio (Triangular kernels only)</b> (0 or "
            "more): as in the heatmap.</p>"
            "<p><b>Smoothed value</b>: the output raster, styled from the field's minimum to "
            "its maximum.</p>"
        )

    def initAlgorithm(self, config: dict | None = None) -> None:  # noqa: N802
        self.addParameter(self.point_layer_parameter())
        self.addParameter(
            QgsProcessingParameterField(
                self.FIELD,
                self.tr("Field to smooth"),
                parentLayerParameterName=self.INPUT,
                type=QgsProcessingParameterField.Numeric,
            )
        )
        self.addParameter(
            QgsProcessingParameterDistance(self.RADIUS, self.tr("Radius"), 100.0, self.INPUT)
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
        self.addParameter(self.weight_field_parameter())
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
        self.addParameter(
            QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Smoothed value"))
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
        kernel = Kernel(self._checked_choice(parameters, self.KERNEL, self.kernel_names()))
        decay = self.parameterAsDouble(parameters, self.DECAY, context)
        if kernel == Kernel.TRIANGULAR and decay < 0:
            raise QgsProcessingException(
                self.tr(
                    "With a negative decay ({decay}) the triangular kernel is negative near "
                    "the radius, and a weighted average needs a kernel that never is. Use a "
                    "decay of 0 or more."
                ).format(decay=decay)
            )
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(
                self.tr("Could not load the point layer ({value}).").format(
                    value=parameters.get(self.INPUT)
                )
            )
        value_field = self.parameterAsString(parameters, self.FIELD, context) or ""
        options = LayerOptions(self.parameterAsString(parameters, self.WEIGHT_FIELD, context) or "")
        self._check_source(source, options)
        index = source.fields().lookupField(value_field)
        if index < 0 or not source.fields().at(index).isNumeric():
            raise QgsProcessingException(
                self.tr(
                    'The layer has no numeric field "{field}". Choose a numeric field to smooth.'
                ).format(field=value_field)
            )
        output_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        try:
            driver_name = rasters.check_destination(output_path)
        except rasters.DestinationError as error:
            raise QgsProcessingException(self._destination_message(error)) from None
        try:
            points, values = self._read(source, value_field, options, feedback)
            computation = self._computation_crs(
                points,
                source.sourceCrs(),
                options,
                context.transformContext(),
                feedback,
                start=READ_SHARE / 2,
                end=READ_SHARE,
            )
            low, high = float(values.min()), float(values.max())
            self._write(
                points,
                values,
                radius,
                cell_size,
                kernel,
                decay,
                computation.crs,
                output_path,
                driver_name,
                (low, high),
                value_field,
                feedback,
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled: no output was written.")) from None
        if context.willLoadLayerOnCompletion(output_path):
            context.layerToLoadOnCompletionDetails(output_path).setPostProcessor(
                style_ratio.DerivedStylePostProcessor.create(
                    output_path,
                    partial(style_ratio.sequential_renderer, minimum=low, maximum=high),
                    self._band_description(value_field),
                )
            )
        return {self.OUTPUT: output_path}

    def _band_description(self, value_field: str) -> str:
        return self.tr("Kernel-smoothed {field}").format(field=value_field)

    def _read(
        self,
        source: QgsFeatureSource,
        value_field: str,
        options: LayerOptions,
        feedback: QgsProcessingFeedback,
    ) -> tuple[sources.PointArrays, np.ndarray]:
        """The points (weights in ``weight``) and their field values, NULL ones skipped."""
        fields = source.fields()
        value_index = fields.lookupField(value_field)
        weight_index = fields.lookupField(options.weight_field) if options.weight_field else -1
        request = QgsFeatureRequest().setSubsetOfAttributes(
            [index for index in (value_index, weight_index) if index >= 0]
        )
        progress = self._progress(feedback, 0.0, READ_SHARE / 2)
        total = max(source.featureCount(), 1)
        x: list[float] = []
        y: list[float] = []
        values: list[float] = []
        weights: list[float] = []
        skipped = {"geometry": 0, "value": 0, "weight": 0}
        negative_weights = features_read = 0
        for feature in source.getFeatures(request):
            features_read += 1
            if features_read % 10000 == 0 and not progress(min(features_read / total, 1.0)):
                raise Cancelled("reading points cancelled")
            parts = sources.point_parts(feature.geometry())
            if not parts or not all(map(math.isfinite, (c for part in parts for c in part))):
                skipped["geometry"] += 1
                continue
            value = sources.attribute_number(feature.attribute(value_index))
            if value is None or not math.isfinite(value):
                skipped["value"] += 1
                continue
            weight = (
                sources.attribute_number(feature.attribute(weight_index))
                if weight_index >= 0
                else 1.0
            )
            if weight is None or not math.isfinite(weight):
                skipped["weight"] += 1
                continue
            negative_weights += weight < 0
            for part_x, part_y in parts:
                x.append(part_x)
                y.append(part_y)
                values.append(value)
                weights.append(weight)
        if features_read == 0:
            raise QgsProcessingException(
                self.tr(
                    "The point layer has no features (or none is selected / passes the "
                    "filter). Choose a layer with points."
                )
            )
        reasons = (
            (
                skipped["geometry"],
                self.tr(
                    "{count} features skipped because their geometry is NULL, empty, not a "
                    "point or not finite."
                ),
                "",
            ),
            (
                skipped["value"],
                self.tr(
                    "{count} features skipped because their value ({field}) is NULL or not a "
                    "finite number."
                ),
                value_field,
            ),
            (
                skipped["weight"],
                self.tr(
                    "{count} features skipped because their weight ({field}) is NULL or not a "
                    "finite number."
                ),
                options.weight_field,
            ),
        )
        for count, message, field_name in reasons:
            if count:
                feedback.pushWarning(message.format(count=count, field=field_name))
        if negative_weights:
            raise QgsProcessingException(
                self.tr(
                    "{count} features have a negative weight ({field}): a weighted average "
                    "needs weights of 0 or more."
                ).format(count=int(negative_weights), field=options.weight_field)
            )
        if not x:
            raise QgsProcessingException(
                self.tr(
                    "None of the {count} features has a point and a value (see the warnings above)."
                ).format(count=features_read)
            )
        weight_array = np.asarray(weights, dtype=np.float64)
        if not weight_array.sum() > 0:
            raise QgsProcessingException(
                self.tr("The weights ({field}) are all 0.").format(field=options.weight_field)
            )
        points = sources.PointArrays(
            x=np.asarray(x, dtype=np.float64),
            y=np.asarray(y, dtype=np.float64),
            weight=weight_array,
            radius=None,
            features_read=features_read,
            skipped=sources.SkippedFeatures(),
        )
        feedback.pushInfo(
            self.tr("Read {points} points with a value from {features} features.").format(
                points=points.count, features=features_read
            )
        )
        return points, np.asarray(values, dtype=np.float64)

    def _write(
        self,
        points: sources.PointArrays,
        values: np.ndarray,
        radius: float,
        cell_size: float,
        kernel: Kernel,
        decay: float,
        target: QgsCoordinateReferenceSystem,
        output_path: str,
        driver_name: str,
        value_range: tuple[float, float],
        value_field: str,
        feedback: QgsProcessingFeedback,
    ) -> None:
        """Compute both sums band by band, divide, and write the raster with its style."""
        try:
            grid = native_grid(
                float(points.x.min()),
                float(points.y.min()),
                float(points.x.max()),
                float(points.y.max()),
                padding=radius,
                cell_size=cell_size,
            )
            feedback.pushInfo(
                self.tr("Computing a {rows} x {cols} raster (cell size {cell_size:g}).").format(
                    rows=grid.rows, cols=grid.cols, cell_size=grid.cell_size
                )
            )
            sums = {
                "radius": radius,
                "kernel": kernel,
                "decay": decay,
                "output_value": OutputValue.RAW,
            }
            computing = self._progress(feedback, READ_SHARE, 100 - READ_SHARE, monotone=True)
            numerator_progress, denominator_progress = shared_progress(computing, 2)
            numerators = kernel_density_bands(
                points.x,
                points.y,
                grid,
                weight=points.weight * values,
                progress=numerator_progress,
                **sums,
            )
            denominators = kernel_density_bands(
                points.x,
                points.y,
                grid,
                weight=points.weight,
                progress=denominator_progress,
                **sums,
            )
        except ValueError as error:
            raise QgsProcessingException(
                self.tr("The kernel sums cannot be computed: {reason}").format(reason=error)
            ) from None
        unreached = [0]

        def smoothed_bands() -> Iterator[rasters.Band]:
            for first_row, numerator, denominator in lockstep(numerators, denominators):
                reached = denominator > 0
                unreached[0] += int(reached.size - reached.sum())
                smoothed = np.full(numerator.shape, np.nan)
                np.divide(numerator, denominator, out=smoothed, where=reached)
                # rounding can step a hair outside the values' range: the average cannot
                np.clip(smoothed, *value_range, out=smoothed)
                yield first_row, smoothed

        style_result: list[str | None | OSError] = []

        def write_style(raster_path: str) -> None:
            try:
                style_result.append(
                    style_ratio.write_style_sidecar(
                        raster_path,
                        partial(
                            style_ratio.sequential_renderer,
                            minimum=value_range[0],
                            maximum=value_range[1],
                        ),
                        destination=output_path,
                    )
                )
            except OSError as error:
                style_result.append(error)

        try:
            rasters.write_raster(
                output_path,
                smoothed_bands(),
                grid,
                target.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL),
                driver_name=driver_name,
                progress=computing,
                sidecars=write_style,
                band_description=self._band_description(value_field),
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
            self.tr("{count} of {cells} cells are NoData: no point reaches them.").format(
                count=unreached[0], cells=grid.cells
            )
        )
        feedback.setProgress(100.0)
