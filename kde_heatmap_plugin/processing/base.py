"""What the provider's algorithms share: parameter definitions, reading the points, the CRS
they are computed in, and the words for what goes wrong there.

Each algorithm is a thin module over ``core``; this base class holds the steps two of them
take alike. Its strings are translated in the context ``KdeAlgorithmBase`` (called as
``KdeAlgorithmBase.tr``, which is what pylupdate5 files them under), whatever the subclass.
"""

from __future__ import annotations

import enum
import math
import os
from collections.abc import Callable
from typing import Protocol

import numpy as np
from osgeo import gdal
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeatureSource,
    QgsFields,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsRasterLayer,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .. import crs, rasters, sources
from ..core import Cancelled, Grid, Kernel, bandwidth
from ..core.projection import UTM_MARGIN_DEGREES, UTM_NORTH_LIMIT, UTM_SOUTH_LIMIT
from ..plugin_files import ICON_PATH, help_url, plugin_icon
from .localized import LocalizedText


class PointOptions(Protocol):
    """The options of an algorithm that reads points (see ``KdeAlgorithmBase``)."""

    weight_field: str
    radius_field: str
    output_crs: QgsCoordinateReferenceSystem
    geodesic: bool


class RadiusRuleChoice(enum.IntEnum):
    """The data-driven radius rules, in the order of ``kdeheatmap:radius``'s RULE (and of the
    heatmap's RADIUS_RULE after its 0, the radius given)."""

    ARCGIS = 0
    SCOTT = 1
    LIKELIHOOD = 2
    DIGGLE = 3


class KdeAlgorithmBase(QgsProcessingAlgorithm):
    """Shared parameter definitions and steps of the provider's algorithms."""

    INPUT = "INPUT"
    WEIGHT_FIELD = "WEIGHT_FIELD"
    KERNEL = "KERNEL"

    @staticmethod
    def tr(text: str) -> str:
        """Translate ``text`` in this class's context; its ``format`` follows the locale."""
        return LocalizedText(QCoreApplication.translate("KdeAlgorithmBase", text))

    def createInstance(self) -> KdeAlgorithmBase:  # noqa: N802 (QGIS API name)
        return type(self)()

    def icon(self) -> QIcon:
        return plugin_icon()

    def svgIconPath(self) -> str:  # noqa: N802
        """The icon as an SVG file, which the modeler draws sharp at any zoom."""
        return ICON_PATH

    def helpUrl(self) -> str:  # noqa: N802
        """The plugin's manual, shipped in the zip, opened locally by the Help button."""
        return help_url()

    def group(self) -> str:
        return KdeAlgorithmBase.tr("Density surfaces")

    def groupId(self) -> str:  # noqa: N802 (QGIS API name)
        return "densitysurfaces"

    def point_layer_parameter(self) -> QgsProcessingParameterFeatureSource:
        """INPUT: a point layer."""
        return QgsProcessingParameterFeatureSource(
            self.INPUT, KdeAlgorithmBase.tr("Point layer"), [QgsProcessing.TypeVectorPoint]
        )

    def weight_field_parameter(self) -> QgsProcessingParameterField:
        """WEIGHT_FIELD: an optional numeric field of INPUT (advanced)."""
        parameter = QgsProcessingParameterField(
            self.WEIGHT_FIELD,
            KdeAlgorithmBase.tr("Weight from field"),
            parentLayerParameterName=self.INPUT,
            type=QgsProcessingParameterField.Numeric,
            optional=True,
        )
        parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        return parameter

    def kernel_parameter(self) -> QgsProcessingParameterEnum:
        """KERNEL: the native heatmap's kernels and the Gaussian, in ``core.Kernel`` order."""
        return QgsProcessingParameterEnum(
            self.KERNEL, KdeAlgorithmBase.tr("Kernel shape"), self.kernel_names(), defaultValue=0
        )

    def _check_source(self, source: QgsFeatureSource, options: PointOptions) -> None:
        """Raise unless ``source`` is a point layer that has the chosen numeric fields."""
        if QgsWkbTypes.geometryType(source.wkbType()) != QgsWkbTypes.PointGeometry:
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    '"{layer}" is a {geometry} layer, but a heatmap needs points. Choose a '
                    "point layer, or turn polygons or lines into points first (for example "
                    'with "Centroids").'
                ).format(
                    layer=source.sourceName(), geometry=QgsWkbTypes.displayString(source.wkbType())
                )
            )
        fields: QgsFields = source.fields()
        for field_name in filter(None, (options.weight_field, options.radius_field)):
            index = fields.lookupField(field_name)
            if index < 0 or not fields.at(index).isNumeric():
                raise QgsProcessingException(
                    KdeAlgorithmBase.tr(
                        'The layer has no numeric field "{field}". Choose a numeric field '
                        "or leave the parameter empty."
                    ).format(field=field_name)
                )

    def _report_skipped(
        self,
        points: sources.PointArrays,
        options: PointOptions,
        feedback: QgsProcessingFeedback,
    ) -> None:
        """Warn about skipped features; raise when no point is left."""
        skipped = points.skipped
        if skipped.non_finite_coordinates:
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    "{count} features have an infinite x or y coordinate, which usually comes "
                    "from a failed reprojection or a broken import. Fix those geometries, or "
                    "leave them out with a filter such as "
                    "abs(x($geometry)) < 1e300 AND abs(y($geometry)) < 1e300."
                ).format(count=skipped.non_finite_coordinates)
            )
        reasons = [
            (
                skipped.no_point_geometry,
                KdeAlgorithmBase.tr(
                    "{count} features skipped because their geometry is NULL, empty, unreadable "
                    "or not a point."
                ),
                None,
            ),
            (
                skipped.null_weight,
                KdeAlgorithmBase.tr(
                    "{count} features skipped because their weight ({field}) is NULL."
                ),
                options.weight_field,
            ),
            (
                skipped.non_finite_weight,
                KdeAlgorithmBase.tr(
                    "{count} features skipped because their weight ({field}) is not a finite "
                    "number (NaN or infinity)."
                ),
                options.weight_field,
            ),
            (
                skipped.null_radius,
                KdeAlgorithmBase.tr(
                    "{count} features skipped because their radius ({field}) is NULL."
                ),
                options.radius_field,
            ),
            (
                skipped.non_finite_radius,
                KdeAlgorithmBase.tr(
                    "{count} features skipped because their radius ({field}) is not a finite "
                    "number (NaN or infinity)."
                ),
                options.radius_field,
            ),
            (
                skipped.non_positive_radius,
                KdeAlgorithmBase.tr(
                    "{count} features skipped because their radius ({field}) is 0 or negative."
                ),
                options.radius_field,
            ),
        ]
        for count, message, field in reasons:
            if count:
                feedback.pushWarning(message.format(count=count, field=field))
        if points.count:
            return
        if points.features_read == 0:
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    "The point layer has no features (or none is selected / passes the "
                    "filter). Choose a layer with points."
                )
            )
        if skipped.non_positive_radius and options.radius_field:
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    'The radius field "{field}" has no value greater than 0. Choose a field '
                    "holding positive distances, or use a fixed radius."
                ).format(field=options.radius_field)
            )
        raise QgsProcessingException(
            KdeAlgorithmBase.tr(
                "None of the {count} features has a usable point (see the warnings above). "
                "Fix the NULL or non-finite geometries or values, or choose other fields."
            ).format(count=points.features_read)
        )

    def _checked_choice(self, parameters: dict, name: str, choices: list[str]) -> int:
        """The index given for enum parameter ``name``; raise unless it is one of ``choices``."""
        value = parameters.get(name)
        if value is None:
            value = self.parameterDefinition(name).defaultValue()
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        index = int(number) if number.is_integer() else -1
        if not 0 <= index < len(choices):
            listing = ", ".join(f"{position} {label}" for position, label in enumerate(choices))
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    "{value} is not a valid {parameter}. Use one of: {choices}."
                ).format(value=value, parameter=name, choices=listing)
            )
        return index

    @staticmethod
    def kernel_names() -> list[str]:
        """Labels of the KERNEL choices, in ``core.Kernel`` order."""
        return [
            KdeAlgorithmBase.tr("Quartic"),
            KdeAlgorithmBase.tr("Triangular"),
            KdeAlgorithmBase.tr("Uniform"),
            KdeAlgorithmBase.tr("Triweight"),
            KdeAlgorithmBase.tr("Epanechnikov"),
            KdeAlgorithmBase.tr("Gaussian"),
        ]

    def add_advanced(self, parameter: QgsProcessingParameterDefinition) -> None:
        """Add ``parameter`` under "Advanced parameters", as the native algorithm does."""
        parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(parameter)

    @staticmethod
    def _crs_label(reference_system: QgsCoordinateReferenceSystem) -> str:
        """``EPSG:4326 (WGS 84)``-style name of a CRS."""
        authid, description = reference_system.authid(), reference_system.description()
        if authid and description:
            return f"{authid} ({description})"
        return authid or description or reference_system.toProj()

    def _computation_crs(
        self,
        points: sources.PointArrays,
        layer_crs: QgsCoordinateReferenceSystem,
        options: PointOptions,
        transform_context: QgsCoordinateTransformContext,
        feedback: QgsProcessingFeedback,
        *,
        start: float,
        end: float,
    ) -> crs.ComputationCrs:
        """Choose the CRS to compute in, move the points into it (in place) and say why.

        Progress goes from ``start`` to ``end`` percent.
        """
        geodesic = options.geodesic
        longitudes = latitudes = None
        try:
            if crs.needs_choice(layer_crs, options.output_crs, geodesic=geodesic):
                wgs84 = QgsCoordinateReferenceSystem(crs.WGS84)
                longitudes, latitudes = (
                    (points.x, points.y)
                    if layer_crs == wgs84
                    else crs.transform_points(
                        points.x, points.y, layer_crs, wgs84, transform_context
                    )
                )
            computation = crs.computation_crs(
                layer_crs,
                options.output_crs,
                geodesic=geodesic,
                longitudes=longitudes,
                latitudes=latitudes,
            )
            if computation.transforms_points:
                crs.transform_points(
                    points.x,
                    points.y,
                    layer_crs,
                    computation.crs,
                    transform_context,
                    out=(points.x, points.y),
                    progress=self._progress(feedback, start, end - start),
                )
        except crs.CrsError as error:
            raise QgsProcessingException(self._crs_message(error, layer_crs)) from None
        feedback.pushInfo(self._crs_report(computation, layer_crs, geodesic=geodesic))
        if computation.scale_error > crs.SCALE_ERROR_WARNING:
            feedback.pushWarning(
                KdeAlgorithmBase.tr(
                    "The points spread so far that distances in {crs} are off by up to "
                    "{percent:.1f} % at the farthest points. Use the geodesic distance method, "
                    "or an output CRS suited to the area."
                ).format(
                    crs=self._crs_label(computation.crs), percent=100 * computation.scale_error
                )
            )
        return computation

    def _crs_report(
        self,
        computation: crs.ComputationCrs,
        layer_crs: QgsCoordinateReferenceSystem,
        *,
        geodesic: bool,
    ) -> str:
        """The log line saying which CRS the heatmap is computed in, and why."""
        units = QgsUnitTypes.toString(computation.crs.mapUnits())
        layer, target = self._crs_label(layer_crs), self._crs_label(computation.crs)
        projection = computation.projection
        if geodesic and computation.choice == crs.Choice.LAYER:
            return KdeAlgorithmBase.tr(
                "The points' longitudes and latitudes in {crs} are used as they are by the "
                "geodesic method."
            ).format(crs=layer)
        if geodesic:
            return KdeAlgorithmBase.tr(
                "The points were transformed from {layer} to longitude and latitude in {crs} "
                "for the geodesic method."
            ).format(layer=layer, crs=target)
        if computation.choice == crs.Choice.LAYER:
            return KdeAlgorithmBase.tr(
                "Computing in the layer's CRS {crs}: the radius and the cell size are in {units}."
            ).format(crs=layer, units=units)
        if computation.choice == crs.Choice.OUTPUT_CRS:
            return KdeAlgorithmBase.tr(
                "The points were transformed from {layer} to the output CRS {crs}: the radius, "
                "the cell size and the raster are in {units}."
            ).format(layer=layer, crs=target, units=units)
        if computation.choice == crs.Choice.UTM:
            return KdeAlgorithmBase.tr(
                "The layer's CRS {layer} is in degrees, so the points were projected to {crs}, "
                "the UTM zone of their centre: they span {span:.2f} degrees of longitude, "
                "within the zone and its margin of {margin:g} degrees. The radius, the cell "
                "size and the raster are in metres; distances are right within {error:.2f} %."
            ).format(
                layer=layer,
                crs=target,
                span=projection.arc.span,
                margin=UTM_MARGIN_DEGREES,
                error=100 * computation.scale_error,
            )
        if projection.lat_min < UTM_SOUTH_LIMIT or projection.lat_max > UTM_NORTH_LIMIT:
            why = KdeAlgorithmBase.tr(
                "they reach latitude {latitude:.1f}, beyond UTM's 80 degrees south to 84 "
                "degrees north"
            ).format(
                latitude=projection.lat_max
                if projection.lat_max > UTM_NORTH_LIMIT
                else projection.lat_min
            )
        else:
            why = KdeAlgorithmBase.tr(
                "they span {span:.2f} degrees of longitude, more than a UTM zone and its margin "
                "({limit:g} degrees)"
            ).format(span=projection.arc.span, limit=6 + 2 * UTM_MARGIN_DEGREES)
        return KdeAlgorithmBase.tr(
            "The layer's CRS {layer} is in degrees, so the points were projected to a Lambert "
            "azimuthal equal-area CRS centred on longitude {longitude:.4f}, latitude "
            "{latitude:.4f} (WGS 84), because {why}. The radius, the cell size and the raster "
            "are in metres; areas are exact and distances right within {error:.2f} %."
        ).format(
            layer=layer,
            longitude=projection.arc.centre,
            latitude=(projection.lat_min + projection.lat_max) / 2,
            why=why,
            error=100 * computation.scale_error,
        )

    def _crs_message(
        self, error: crs.CrsError, layer_crs: QgsCoordinateReferenceSystem | None = None
    ) -> str:
        """The user's words for a CRS that cannot be used (see ``crs.CrsProblem``)."""
        detail = f" ({error.detail})" if error.detail else ""
        layer = self._crs_label(layer_crs) if layer_crs is not None else ""
        messages = {
            crs.CrsProblem.GEOGRAPHIC_OUTPUT_CRS: KdeAlgorithmBase.tr(
                "The output CRS{detail} is in degrees: a planar heatmap needs a projected CRS, "
                "whose units (usually metres) the radius and cell size are given in. Choose a "
                "projected CRS (for example EPSG:3857 or your national grid), or leave it empty "
                "to have a local projection chosen."
            ),
            crs.CrsProblem.PROJECTED_OUTPUT_CRS_FOR_GEODESIC: KdeAlgorithmBase.tr(
                "The geodesic method computes on a longitude/latitude grid, but the output "
                "CRS{detail} is projected. Leave the output CRS empty (WGS 84 is used) or choose "
                "a geographic CRS."
            ),
            crs.CrsProblem.INVALID_OUTPUT_CRS: KdeAlgorithmBase.tr(
                "The output CRS{detail} is not valid. Choose another one, or leave it empty."
            ),
            crs.CrsProblem.INVALID_LAYER_CRS: KdeAlgorithmBase.tr(
                "The point layer has no valid CRS{detail}, so its points cannot be "
                "transformed. Set the layer's CRS (Layer Properties > Source), or leave the "
                "output CRS empty."
            ),
            crs.CrsProblem.TRANSFORM_FAILED: KdeAlgorithmBase.tr(
                "The points could not be transformed from {layer}: PROJ failed for the point "
                "at{detail}. Check the layer's CRS and its coordinates."
            ),
            crs.CrsProblem.LATITUDE_OUT_OF_RANGE: KdeAlgorithmBase.tr(
                "The layer {layer} is in degrees but has latitudes beyond 90 degrees{detail}. "
                "Check that the layer's CRS is right (the coordinates may be in metres, or "
                "longitude and latitude swapped)."
            ),
        }
        return messages[error.problem].format(detail=detail, layer=layer)

    @staticmethod
    def _progress(
        feedback: QgsProcessingFeedback, start: float, share: float, *, monotone: bool = False
    ) -> Callable[[float], bool]:
        """A core/sources/rasters progress callback filling ``share`` percent from ``start``.

        With ``monotone``, the callback may be shared by several reporters: the bar shows the
        largest fraction reported so far.
        """
        furthest = 0.0

        def report(fraction: float) -> bool:
            nonlocal furthest
            furthest = max(furthest, fraction) if monotone else fraction
            feedback.setProgress(start + share * furthest)
            return not feedback.isCanceled()

        return report

    @staticmethod
    def rule_names() -> list[str]:
        """Labels of the radius rules, in ``RadiusRuleChoice`` order."""
        return [
            KdeAlgorithmBase.tr("ArcGIS Pro's default (spatial Silverman rule)"),
            KdeAlgorithmBase.tr("Scott's rule (spatstat bw.scott)"),
            KdeAlgorithmBase.tr("Likelihood cross-validation (spatstat bw.ppl)"),
            KdeAlgorithmBase.tr("Diggle's mean-square error (spatstat bw.diggle)"),
        ]

    def rule_radius(
        self,
        rule: RadiusRuleChoice,
        x: np.ndarray,
        y: np.ndarray,
        weight: np.ndarray | None,
        *,
        kernel: Kernel,
        decay: float,
        unit: str,
        window: bandwidth.Window | None,
        feedback: QgsProcessingFeedback,
        start: float,
        end: float,
    ) -> float:
        """The radius ``rule`` gives for points ``x``, ``y`` (computation CRS), logged with the
        numbers it comes from; ``window`` (the study area's or the points' bounding box) is
        the likelihood and Diggle rules' window. Progress goes from ``start`` to ``end``.

        Raises ``QgsProcessingException`` when the rule cannot give a radius, and
        ``core.Cancelled``.
        """
        progress = self._progress(feedback, start, end - start)
        try:
            if rule == RadiusRuleChoice.ARCGIS:
                result = bandwidth.arcgis_radius(x, y, weight, kernel=kernel, decay=decay)
                radius = result.radius
                feedback.pushInfo(
                    KdeAlgorithmBase.tr(
                        "ArcGIS rule: 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 = {quartic:.6g} {unit} "
                        "for the quartic kernel (SD {sd:.6g}, Dm {dm:.6g}, n {n:.6g}); "
                        "radius {radius:.6g} {unit}."
                    ).format(
                        quartic=result.quartic_radius,
                        sd=result.standard_distance,
                        dm=result.median_distance,
                        n=result.count,
                        radius=radius,
                        unit=unit,
                    )
                )
            elif rule == RadiusRuleChoice.SCOTT:
                result = bandwidth.scott_rule(x, y, kernel=kernel, decay=decay)
                radius = result.radius
                feedback.pushInfo(
                    KdeAlgorithmBase.tr(
                        "Scott's rule: sigma = sqrt(sd_x sd_y) n^(-1/6) = {sigma:.6g} {unit} "
                        "(sd_x {sd_x:.6g}, sd_y {sd_y:.6g}, n {n}); radius {radius:.6g} {unit}."
                    ).format(
                        sigma=result.sigma,
                        sd_x=result.sd_x,
                        sd_y=result.sd_y,
                        n=result.count,
                        radius=radius,
                        unit=unit,
                    )
                )
            else:
                if rule == RadiusRuleChoice.LIKELIHOOD:
                    # the points' positions only, as Scott's and Diggle's rules: with weights
                    # (a population, not an intensity) its integral term outgrows its sum of
                    # logarithms and the largest candidate always wins
                    result = bandwidth.likelihood_cross_validation(
                        x, y, None, kernel=kernel, decay=decay, window=window, progress=progress
                    )
                else:
                    result = bandwidth.diggle_rule(
                        x, y, kernel=kernel, decay=decay, window=window, progress=progress
                    )
                radius = result.radius
                feedback.pushInfo(
                    KdeAlgorithmBase.tr(
                        "{rule}: sigma {sigma:.6g} {unit}, the best of {evaluated} candidates "
                        "from {low:.4g} to {high:.4g}; radius {radius:.6g} {unit}."
                    ).format(
                        rule=self.rule_names()[rule],
                        sigma=result.sigma,
                        evaluated=result.evaluated,
                        low=float(result.candidates[0]),
                        high=float(result.candidates[-1]),
                        radius=radius,
                        unit=unit,
                    )
                )
                if result.at_end:
                    feedback.pushWarning(
                        KdeAlgorithmBase.tr(
                            "{rule} chose the first or last candidate it evaluated: the best "
                            "radius may lie outside the range searched. Check the result, or "
                            "try another rule."
                        ).format(rule=self.rule_names()[rule])
                    )
        except Cancelled:
            raise
        except ValueError as error:
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    "{rule} cannot give a radius for these points: {reason}. Enter a radius, "
                    "or choose another rule."
                ).format(rule=self.rule_names()[rule], reason=str(error))
            ) from None
        if not (np.isfinite(radius) and radius > 0):
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    "{rule} gives no usable radius for these points (all at one place?). "
                    "Enter a radius."
                ).format(rule=self.rule_names()[rule])
            )
        return float(radius)

    def _destination_message(self, error: rasters.DestinationError) -> str:
        """The user's words for an output path that ``rasters.check_destination`` refused."""
        problem, path, detail = error.problem, error.path, error.detail
        extension = os.path.splitext(path)[1]
        messages = {
            rasters.DestinationProblem.NO_EXTENSION: KdeAlgorithmBase.tr(
                'The output "{path}" has no file extension, so no raster format can be chosen. '
                "Add one, for example .tif for a GeoTIFF."
            ),
            rasters.DestinationProblem.UNSUPPORTED_EXTENSION: KdeAlgorithmBase.tr(
                'No raster format QGIS knows writes files ending in "{extension}" ({path}). Use '
                ".tif (GeoTIFF) or another GDAL raster format."
            ),
            rasters.DestinationProblem.NO_FLOAT32: KdeAlgorithmBase.tr(
                'Cannot write 32-bit floating point rasters to "{path}". Use a .tif file '
                "(GeoTIFF) or another raster format that stores decimals."
            ),
            rasters.DestinationProblem.VIRTUAL_FORMAT: KdeAlgorithmBase.tr(
                '"{path}" would be a virtual raster, which only points to other files and '
                "cannot hold the computed values. Write a .tif (GeoTIFF), and build a virtual "
                "raster from it if you need one."
            ),
            rasters.DestinationProblem.IS_DIRECTORY: KdeAlgorithmBase.tr(
                'The output "{path}" is a folder. Give the name of a file inside it, for example '
                "heatmap.tif."
            ),
            rasters.DestinationProblem.FOLDER_MISSING: KdeAlgorithmBase.tr(
                'The output folder "{path}" does not exist. Create it or choose another output '
                "file."
            ),
            rasters.DestinationProblem.FOLDER_NOT_WRITABLE: KdeAlgorithmBase.tr(
                'Cannot write in the output folder "{path}"{detail}. Choose a folder where '
                "you have write permission."
            ),
            rasters.DestinationProblem.OUTPUT_READ_ONLY: KdeAlgorithmBase.tr(
                'The existing file "{path}" is read-only, so it is not replaced. Make it '
                "writable or choose another output file."
            ),
            rasters.DestinationProblem.SAME_AS_INPUT: KdeAlgorithmBase.tr(
                'The output "{path}" is the input layer\'s file: writing the heatmap there '
                "would destroy the points. Choose another output file."
            ),
            rasters.DestinationProblem.EXISTING_NOT_A_RASTER: KdeAlgorithmBase.tr(
                'A file "{path}" exists and is not a raster that can be replaced{detail}; '
                "overwriting it could destroy your data. Choose another output file, or "
                "delete that file yourself."
            ),
            rasters.DestinationProblem.EXISTING_HOLDS_MORE: KdeAlgorithmBase.tr(
                'The existing file "{path}" holds more than one dataset{detail}; writing the '
                "heatmap would replace all of them. Choose another output file."
            ),
            rasters.DestinationProblem.SIDECAR_NOT_OURS: KdeAlgorithmBase.tr(
                'Writing this format would overwrite "{path}", a file of another dataset. '
                "Choose another output name or format."
            ),
            rasters.DestinationProblem.PROBE_FAILED: KdeAlgorithmBase.tr(
                'GDAL could not write a test raster in the format of "{path}"{detail}. '
                "Choose another format, such as .tif (GeoTIFF)."
            ),
            rasters.DestinationProblem.ROUND_TRIP_FAILED: KdeAlgorithmBase.tr(
                'The format of "{path}" does not keep the values: a test raster read back '
                "differs{detail}. Choose another format, such as .tif (GeoTIFF)."
            ),
        }
        detail = f" ({detail})" if detail else ""
        return messages[problem].format(path=path, detail=detail, extension=extension)

    def _template_grid(self, layer: QgsRasterLayer) -> Grid:
        """The grid of a template raster: north-up, square cells (else a refusal)."""
        extent = layer.extent()
        width, height = layer.width(), layer.height()
        cell_x, cell_y = layer.rasterUnitsPerPixelX(), layer.rasterUnitsPerPixelY()
        dataset = gdal.Open(layer.source()) if layer.providerType() == "gdal" else None
        geotransform = dataset.GetGeoTransform() if dataset is not None else None
        rotated = geotransform is not None and (geotransform[2] != 0 or geotransform[4] != 0)
        if (
            rotated
            or not (width > 0 and height > 0)
            or not math.isclose(cell_x, cell_y, rel_tol=1e-9)
        ):
            raise QgsProcessingException(
                KdeAlgorithmBase.tr(
                    'The template raster "{name}" does not have square cells on a north-up '
                    "grid (cells of {cell_x:g} x {cell_y:g}{rotated}). Use a template with "
                    "square cells, or an output extent and cell size instead."
                ).format(
                    name=layer.name(),
                    cell_x=cell_x,
                    cell_y=cell_y,
                    rotated=KdeAlgorithmBase.tr(", rotated") if rotated else "",
                )
            )
        return Grid(extent.xMinimum(), extent.yMaximum(), cell_x, height, width)
