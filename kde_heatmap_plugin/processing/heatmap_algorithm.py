"""``kdeheatmap:heatmap``: point layer -> styled kernel density raster.

The run, as data: parameters -> ``HeatmapOptions`` (every parameter error raised here) ->
point arrays (``sources``) -> checks on the data (errors before any file exists, warnings) ->
grid and density (``core``) -> raster written atomically (``rasters``) -> style (``style``).
The parameters are a superset of ``qgis:heatmapkerneldensityestimation``: same names, types,
defaults and enum indices, plus the Gaussian kernel, two output values and ``COLOR_RAMP``.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass

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
    QgsProcessingParameterCrs,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsProviderRegistry,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QCoreApplication

from .. import crs, rasters, sources, study_area, style
from ..core import (
    LARGEST_RADIUS_M,
    Cancelled,
    Grid,
    InvalidInput,
    Kernel,
    OutputValue,
    Reason,
    bandwidth,
    edges,
    extent_grid,
    kernel_density_bands,
    kernel_density_geodesic_bands,
    sort_points_by_row,
)
from ..core.geodesic import METRES_PER_DEGREE
from . import heatmap_sizing
from .base import KdeAlgorithmBase, RadiusRuleChoice
from .heatmap_sizing import GeodesicSizing, GridSizing, HeatmapSizing
from .localized import LocalizedText

FLOAT32_MAX = float(np.finfo(np.float32).max)
"""Largest value a Float32 raster cell holds."""
SLOW_RADIUS_CELLS = 1000
"""Radii above this many cells trigger a warning about run time."""
FINE_RADIUS_CELLS = 200
"""Radii above this many cells trigger a warning that the cells are finer than needed."""
READ_SHARE, COMPUTE_SHARE, SORT_SHARE = 10.0, 85.0, 5.0
"""Percent of the progress bar for reading points (the last TRANSFORM_SHARE of it moving them to
another CRS, when they are), and for computing and writing the bands of rows (which go
together, the first SORT_SHARE of it ordering the points); closing the file and styling it get
the rest."""
TRANSFORM_SHARE = 2.0


@dataclass(frozen=True)
class HeatmapOptions:
    """Validated parameters of one run."""

    radius: float | None
    """Kernel radius, map units (ignored when ``radius_field`` is set); None until the run
    derives it from the points (``core.bandwidth``)."""
    radius_field: str
    """Numeric field with a radius per feature (map units), or ''."""
    weight_field: str
    """Numeric field with a weight per feature, or ''."""
    cell_size: float | None
    """Side of a square cell, map units (degrees for the geodesic method), > 0; None until the
    run derives it from the extent and the radius."""
    kernel: Kernel
    decay: float
    """Triangular kernel's value at the radius (ratio); other kernels ignore it."""
    output_value: OutputValue
    output_path: str
    driver_name: str
    """GDAL driver for the output file, from its extension."""
    color_ramp: str
    """Name of a color ramp of QGIS's default style, as the style spells it."""
    output_crs: QgsCoordinateReferenceSystem
    """The CRS to compute in, or an invalid CRS to let ``crs.computation_crs`` choose."""
    geodesic: bool
    """Geodesic distances on WGS 84 (radius in metres, cell size in degrees) instead of planar
    ones in the computation CRS."""
    extent: QgsReferencedRectangle | None = None
    """The extent the output must cover (in its own CRS), or None for the points' extent."""
    template: Grid | None = None
    """The grid of the TEMPLATE raster (in ``output_crs``), or None."""
    nodata_zero: bool = False
    """Write cells that no point reaches as NoData (value 0) instead of 0."""
    study_area: QgsFeatureSource | None = None
    """Polygons W: cells outside are NoData, points outside are ignored."""
    edge_correction: int = 0
    """0 none, ``EDGE_UNIFORM`` divide each cell by e(u), ``EDGE_JONES_DIGGLE`` weight each
    point by 1 / e(x_i) (``core.edges``)."""
    radius_rule: RadiusRuleChoice | None = None
    """The rule that gives the radius from the points, or None for RADIUS (or, left empty,
    ArcGIS's rule rounded to two digits)."""
    adaptive: bool = False
    """Abramson's adaptive radii about the radius (``core.bandwidth.abramson_radii``)."""

    @property
    def per_point_radius(self) -> bool:
        """Whether each point has a radius of its own (a radius field, or adaptive radii)."""
        return bool(self.radius_field) or self.adaptive


class KdeHeatmapAlgorithm(KdeAlgorithmBase):
    """Kernel density heatmap with exact evaluation at cell centres and a styled result."""

    RADIUS = "RADIUS"
    RADIUS_FIELD = "RADIUS_FIELD"
    PIXEL_SIZE = "PIXEL_SIZE"
    DECAY = "DECAY"
    OUTPUT_VALUE = "OUTPUT_VALUE"
    OUTPUT = "OUTPUT"
    COLOR_RAMP = "COLOR_RAMP"
    OUTPUT_CRS = "OUTPUT_CRS"
    DISTANCE_METHOD = "DISTANCE_METHOD"
    EXTENT = "EXTENT"
    TEMPLATE = "TEMPLATE"
    NODATA_ZERO = "NODATA_ZERO"
    STUDY_AREA = "STUDY_AREA"
    RADIUS_RULE = "RADIUS_RULE"
    ADAPTIVE = "ADAPTIVE"
    EDGE_CORRECTION = "EDGE_CORRECTION"
    EDGE_UNIFORM, EDGE_JONES_DIGGLE = 1, 2
    """The EDGE_CORRECTION choices that correct (0 is none)."""
    GEODESIC = 1
    """The DISTANCE_METHOD choice for geodesic distances."""

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts); its
        ``format`` writes numbers for the user's locale."""
        return LocalizedText(QCoreApplication.translate(type(self).__name__, text))

    def name(self) -> str:
        return "heatmap"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Kernel density heatmap")

    def tags(self) -> list[str]:
        return self.tr("heatmap,kde,kernel density,hotspot,density").split(",")

    def shortDescription(self) -> str:  # noqa: N802
        return self.tr(
            "Turns a point layer into a kernel density raster, computed exactly at the cell "
            "centres and styled on arrival."
        )

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Turns a point layer into a kernel density raster (a heatmap), styled with a "
            "color ramp. Each point spreads its weight over the cells whose centre lies within "
            "the radius; values are computed exactly at the cell centres.</p>"
            "<p><b>Point layer</b>: points or multipoints (every part counts). Radius and cell "
            "size are in the units of the CRS the heatmap is computed in: the layer's CRS when "
            "it is projected; for a layer in longitude/latitude, metres in a projected CRS "
            "chosen for the points (the UTM zone of their centre, or a Lambert azimuthal "
            "equal-area CRS centred on them when they spread wider than a zone); the output "
            "CRS when one is given; with the geodesic method, metres for the radius and degrees "
            "for the cell size. Features with a NULL or "
            "unreadable geometry, or a NULL or non-finite weight or radius, are skipped and "
            "counted.</p>"
            "<p><b>Radius</b>: how far a point's influence reaches (see above for its unit). "
            "Larger radii give smoother surfaces. Left empty, it is derived from the points by "
            "ArcGIS's rule, 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 (SD the standard distance and "
            "Dm the median distance to the mean centre, n the points or the sum of the "
            "weights), scaled to the kernel's spread; the log shows the numbers.</p>"
            "<p><b>Radius from the data (rule)</b>: instead of the radius given, the one a rule "
            "derives from the points: ArcGIS Pro's default, Scott's rule, likelihood "
            "cross-validation or Diggle's criterion (as spatstat's bw.scott, bw.ppl and "
            "bw.diggle); the log shows every number. The algorithm <i>Kernel radius from the "
            "data</i> gives the same radii as an output for models.</p>"
            "<p><b>Adaptive radii (Abramson)</b>: each point gets its own radius, smaller where "
            "points are dense: R_i = R0 min(5, (f(x_i) / G)^(-1/2)), with f the density of "
            "the radius R0 (given or from a rule) at the points and G its geometric mean "
            "(spatstat's bw.abram).</p>"
            "<p><b>Radius from field</b> (optional): a numeric field with a radius per feature; "
            "overrides Radius. Features with a radius of zero or less are skipped.</p>"
            "<p><b>Output raster size</b>: the side of a square cell, in the same unit. A radius "
            "of 10 to 100 cells is typical; smaller cells give larger files. Left empty, the "
            "raster gets about 1000 cells on its longer side, and at least 10 cells per "
            "radius.</p>"
            "<p><b>Weight from field</b> (optional): a numeric field multiplying each point's "
            "contribution. Zero weights contribute nothing; negative weights subtract.</p>"
            "<p><b>Kernel shape</b>: Quartic (default, smooth), Triangular, Uniform, Triweight, "
            "Epanechnikov or Gaussian (standard deviation = radius / 3, cut at the radius).</p>"
            "<p><b>Decay ratio (Triangular kernels only)</b>: the kernel's value at the radius, "
            "relative to "
            "the centre (0: falls to zero; 1: flat; negative: below zero near the edge).</p>"
            "<p><b>Output value scaling</b>: Raw (sum of weighted kernel values), Scaled (raw "
            "times the constants of the native QGIS heatmap), Density (weight per square layer "
            "unit; integrates to the total weight) or Expected count per cell (density times the "
            "cell area).</p>"
            "<p><b>Heatmap</b>: the output raster. GeoTIFF (Float32) by default; other GDAL "
            "formats by file extension. Cells no point reaches hold 0. A .qml style file with the "
            "same name is written beside it, unless a .qml of that name exists that this plugin "
            "did not write. An existing output is replaced only once the new raster is complete; "
            "a read-only file, the input layer's file and files holding other data are never "
            "overwritten.</p>"
            "<p><b>Output CRS (distances in its units)</b> (optional): a projected CRS to "
            "compute and write the heatmap in, for example EPSG:3857 for a web map or a "
            "national grid; the points are transformed to it first. Radius and cell size are "
            "then in its units. With the geodesic method: a geographic CRS for the grid (WGS 84 "
            "when empty).</p>"
            "<p><b>Distance method</b>: Planar (default) measures distances in the CRS above. "
            "Geodesic measures them on the WGS 84 ellipsoid, from each cell centre to each "
            "point, for data spread over large areas, near the poles or across the "
            "antimeridian, where any one projection distorts distances: the radius is in "
            "metres, the output raster size in degrees, and the raster is a regular "
            "longitude/latitude grid. Density is per square metre and Expected count uses each "
            "cell's true area, which shrinks away from the equator. A grid around the whole "
            "world has no seam when the cell size divides 360.</p>"
            "<p><b>Output extent</b> (optional): the area the raster covers exactly, its "
            "top-left corner the raster's origin (columns = ceil(width / cell size)); points "
            "outside still count where their radius reaches in.</p>"
            "<p><b>Grid of a raster (template)</b> (optional): the raster takes this layer's "
            "CRS, origin, cell size and number of rows and columns, so that the two can be "
            "overlaid or subtracted cell by cell; the points are transformed to its CRS. It "
            "replaces the output extent, cell size and output CRS.</p>"
            "<p><b>Cells no point reaches are NoData</b>: write them as NoData (value 0) "
            "instead of 0.</p>"
            "<p><b>Study area</b> (optional): polygons the points were collected in. Cells "
            "whose centre lies outside are NoData, points outside are ignored (and counted in "
            "the log), and the raster covers the area unless an extent or template is "
            "given.</p>"
            "<p><b>Edge correction (with a study area)</b>: near the area's boundary part of "
            "each kernel falls outside, where no point could be observed. Uniform divides each "
            "cell by e(u), the share of the kernel centred on it that lies inside; "
            "Jones-Diggle weights each point by 1 / e at the point, so that the density "
            "integrates over the area to the points' total weight. e is computed exactly "
            "(planar method only).</p>"
            "<p><b>Color ramp</b>: name of a color ramp of your QGIS style (for example Viridis, "
            "Magma, Inferno, Turbo, Reds), stretched from 0 (transparent) to the maximum.</p>"
        )

    def initAlgorithm(self, config: dict | None = None) -> None:  # noqa: N802
        self.addParameter(self.point_layer_parameter())
        # The dialog shows the unit of the CRS the run computes in (metres for a layer in
        # degrees), and passes the number on as typed (see processing/widgets.py).
        distance_widget = f"{__package__}.widgets.ComputationDistanceWidgetWrapper"
        # No default: left empty, the radius and the cell size come from the data.
        radius = QgsProcessingParameterDistance(
            self.RADIUS, self.tr("Radius"), None, self.INPUT, optional=True
        )
        radius.setMetadata({"widget_wrapper": {"class": distance_widget, "kind": "radius"}})
        self.addParameter(radius)
        self.add_advanced(
            QgsProcessingParameterField(
                self.RADIUS_FIELD,
                self.tr("Radius from field"),
                parentLayerParameterName=self.INPUT,
                type=QgsProcessingParameterField.Numeric,
                optional=True,
            )
        )
        self.add_advanced(
            QgsProcessingParameterEnum(
                self.RADIUS_RULE,
                self.tr("Radius from the data (rule)"),
                [self.tr("The radius given")] + self.rule_names(),
                defaultValue=0,
            )
        )
        self.add_advanced(
            QgsProcessingParameterBoolean(
                self.ADAPTIVE, self.tr("Adaptive radii (Abramson)"), False
            )
        )
        pixel_size = QgsProcessingParameterNumber(
            self.PIXEL_SIZE,
            self.tr("Output raster size"),
            QgsProcessingParameterNumber.Double,
            None,
            optional=True,
            minValue=0.0,
        )
        pixel_size.setMetadata({"widget_wrapper": {"class": distance_widget, "kind": "cell_size"}})
        self.addParameter(pixel_size)
        self.addParameter(self.weight_field_parameter())
        self.add_advanced(self.kernel_parameter())
        self.add_advanced(
            QgsProcessingParameterNumber(
                self.DECAY,
                self.tr("Decay ratio (Triangular kernels only)"),
                QgsProcessingParameterNumber.Double,
                0.0,
                True,
                -100.0,
                100.0,
            )
        )
        self.add_advanced(
            QgsProcessingParameterEnum(
                self.OUTPUT_VALUE,
                self.tr("Output value scaling"),
                self._output_value_names(),
                defaultValue=0,
            )
        )
        self.add_advanced(
            QgsProcessingParameterCrs(
                self.OUTPUT_CRS, self.tr("Output CRS (distances in its units)"), optional=True
            )
        )
        self.add_advanced(
            QgsProcessingParameterEnum(
                self.DISTANCE_METHOD,
                self.tr("Distance method"),
                self._distance_method_names(),
                defaultValue=0,
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
        self.add_advanced(
            QgsProcessingParameterBoolean(
                self.NODATA_ZERO, self.tr("Cells no point reaches are NoData"), False
            )
        )
        self.add_advanced(
            QgsProcessingParameterFeatureSource(
                self.STUDY_AREA,
                self.tr("Study area"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        self.add_advanced(
            QgsProcessingParameterEnum(
                self.EDGE_CORRECTION,
                self.tr("Edge correction (with a study area)"),
                self._edge_correction_names(),
                defaultValue=0,
            )
        )
        self.addParameter(QgsProcessingParameterRasterDestination(self.OUTPUT, self.tr("Heatmap")))
        color_ramp = QgsProcessingParameterString(
            self.COLOR_RAMP, self.tr("Color ramp"), style.DEFAULT_COLOR_RAMP
        )
        # a dropdown of the style's ramps with previews; the value stays the ramp's name
        color_ramp.setMetadata(
            {"widget_wrapper": {"class": f"{__package__}.widgets.ColorRampWidgetWrapper"}}
        )
        self.addParameter(color_ramp)

    def checkParameterValues(  # noqa: N802
        self, parameters: dict, context: QgsProcessingContext
    ) -> tuple[bool, str]:
        """Our own messages first (they name the fix), then QGIS's generic checks.

        The options are read in a scratch copy of ``context``: resolving OUTPUT registers the
        layer to load on completion, and a TEMPORARY_OUTPUT gets a new name at every call.
        """
        scratch = QgsProcessingContext()
        scratch.copyThreadSafeSettings(context)
        try:
            self.validated_options(parameters, scratch)
        except QgsProcessingException as error:
            return False, str(error)
        return super().checkParameterValues(parameters, context)

    def processAlgorithm(  # noqa: N802
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        """Run the heatmap; the points are transformed with ``context``'s datum transforms."""
        options = self.validated_options(parameters, context)
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(
                self.tr(
                    "Could not load the point layer ({value}). Check that it exists and is a "
                    "vector layer."
                ).format(value=parameters.get(self.INPUT))
            )
        location = sources.bulk_location(
            self.parameterAsVectorLayer(parameters, self.INPUT, context),
            parameters.get(self.INPUT),
        )
        try:
            result = self.run_heatmap(
                options, source, location, feedback, context.transformContext()
            )
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled: no output was written.")) from None
        if context.willLoadLayerOnCompletion(options.output_path):
            context.layerToLoadOnCompletionDetails(options.output_path).setPostProcessor(
                style.HeatmapStylePostProcessor.create(
                    options.output_path,
                    options.color_ramp,
                    result.maximum,
                    minimum=result.minimum,
                    layer_name=result.labels.layer_name,
                    legend_unit=result.labels.legend_unit,
                )
            )
        return {self.OUTPUT: options.output_path}

    def validated_options(self, parameters: dict, context: QgsProcessingContext) -> HeatmapOptions:
        """Read and check the parameters; raise ``QgsProcessingException`` naming the fix."""
        radius_field = self.parameterAsString(parameters, self.RADIUS_FIELD, context) or ""
        radius = self._optional_number(parameters, self.RADIUS, context)
        if not radius_field and radius is not None and not (math.isfinite(radius) and radius > 0):
            raise QgsProcessingException(
                self.tr(
                    "The radius must be greater than 0 (it is {radius}). Enter the distance "
                    "a point influences (in metres for a layer in degrees), or pick a radius field."
                ).format(radius=radius)
            )
        cell_size = self._optional_number(parameters, self.PIXEL_SIZE, context)
        if cell_size is not None and not (math.isfinite(cell_size) and cell_size > 0):
            raise QgsProcessingException(
                self.tr(
                    "The output raster size (cell size) must be greater than 0 (it is "
                    "{cell_size}). Enter the side of a cell in the radius's unit, for "
                    "example a tenth of the radius."
                ).format(cell_size=cell_size)
            )
        kernel = self._checked_choice(parameters, self.KERNEL, self.kernel_names())
        output_value = self._checked_choice(
            parameters, self.OUTPUT_VALUE, self._output_value_names()
        )
        decay = self.parameterAsDouble(parameters, self.DECAY, context)
        normalised = (OutputValue.DENSITY, OutputValue.EXPECTED_COUNT)
        if kernel == Kernel.TRIANGULAR and output_value in normalised and decay <= -0.5:
            raise QgsProcessingException(
                self.tr(
                    "With a decay of {decay} the triangular kernel does not integrate to a "
                    "positive number, so it cannot be turned into a density. Use a decay above "
                    "-0.5, or the Raw or Scaled output."
                ).format(decay=decay)
            )
        given_ramp = self.parameterAsString(parameters, self.COLOR_RAMP, context)
        ramps = {name.casefold(): name for name in style.color_ramp_names()}
        color_ramp = ramps.get(given_ramp.casefold())
        if color_ramp is None:
            raise QgsProcessingException(
                self.tr(
                    'There is no color ramp named "{name}" in your QGIS style. Use one of: {names}.'
                ).format(name=given_ramp, names=", ".join(style.color_ramp_names()))
            )
        output_crs = self.parameterAsCrs(parameters, self.OUTPUT_CRS, context)
        if parameters.get(self.OUTPUT_CRS) not in (None, "") and not output_crs.isValid():
            raise QgsProcessingException(
                self.tr(
                    'The output CRS "{crs}" is not a CRS QGIS knows. Give an authority code '
                    "such as EPSG:3857, or leave it empty."
                ).format(crs=parameters.get(self.OUTPUT_CRS))
            )
        geodesic = (
            self._checked_choice(parameters, self.DISTANCE_METHOD, self._distance_method_names())
            == self.GEODESIC
        )
        if geodesic and not radius_field and radius is not None and radius > LARGEST_RADIUS_M:
            raise QgsProcessingException(self._geodesic_radius_message(radius))
        extent = None
        if parameters.get(self.EXTENT) not in (None, ""):
            extent = QgsReferencedRectangle(
                self.parameterAsExtent(parameters, self.EXTENT, context),
                self.parameterAsExtentCrs(parameters, self.EXTENT, context),
            )
        template = None
        template_layer = self.parameterAsRasterLayer(parameters, self.TEMPLATE, context)
        if template_layer is not None:
            template = self._template_grid(template_layer)
            template_crs = template_layer.crs()
            conflicts = [
                name
                for name, given in (
                    (self.EXTENT, extent is not None),
                    (self.PIXEL_SIZE, cell_size is not None and cell_size != template.cell_size),
                    (
                        self.OUTPUT_CRS,
                        output_crs.isValid() and output_crs != template_crs,
                    ),
                )
                if given
            ]
            if conflicts:
                raise QgsProcessingException(
                    self.tr(
                        "The template raster decides the grid, so {parameters} cannot be given "
                        "too. Leave {parameters} empty, or the template."
                    ).format(parameters=", ".join(conflicts))
                )
            output_crs, cell_size = template_crs, template.cell_size
        try:
            crs.check_output_crs(output_crs, geodesic=geodesic)
        except crs.CrsError as error:
            if template is None:
                raise QgsProcessingException(self._crs_message(error)) from None
            raise QgsProcessingException(
                self.tr(
                    "The template raster's CRS {crs} does not suit the distance method: a "
                    "template in degrees needs the geodesic method, a projected one the planar "
                    "method."
                ).format(crs=self._crs_label(output_crs))
            ) from None
        rule = self._checked_choice(
            parameters, self.RADIUS_RULE, [self.tr("The radius given")] + self.rule_names()
        )
        radius_rule = RadiusRuleChoice(rule - 1) if rule else None
        if radius_rule is not None and radius_field:
            raise QgsProcessingException(
                self.tr(
                    "A radius rule gives every point the same radius, a radius field one each: "
                    "choose one of them."
                )
            )
        adaptive = self.parameterAsBool(parameters, self.ADAPTIVE, context)
        if adaptive and radius_field:
            raise QgsProcessingException(
                self.tr(
                    "Adaptive radii replace the radius field: choose one of them (the radius "
                    "field gives each point its radius; adaptive radii derive them)."
                )
            )
        if adaptive and geodesic:
            raise QgsProcessingException(
                self.tr(
                    "Adaptive radii are computed in a plane: use the planar distance method "
                    "(a layer in degrees is projected automatically)."
                )
            )
        study_area = self.parameterAsSource(parameters, self.STUDY_AREA, context)
        edge_correction = self._checked_choice(
            parameters, self.EDGE_CORRECTION, self._edge_correction_names()
        )
        self._check_edge_correction(
            edge_correction, study_area, geodesic=geodesic, per_point=bool(radius_field) or adaptive
        )
        output_path = self.parameterAsOutputLayer(parameters, self.OUTPUT, context)
        input_path = self._input_file(parameters, context)
        try:
            driver_name = rasters.check_destination(
                output_path, input_paths=[input_path] if input_path else []
            )
        except rasters.DestinationError as error:
            raise QgsProcessingException(self._destination_message(error)) from None
        return HeatmapOptions(
            radius=radius,
            radius_field=radius_field,
            weight_field=self.parameterAsString(parameters, self.WEIGHT_FIELD, context) or "",
            cell_size=cell_size,
            kernel=Kernel(kernel),
            decay=decay,
            output_value=OutputValue(output_value),
            output_path=output_path,
            driver_name=driver_name,
            color_ramp=color_ramp,
            output_crs=output_crs,
            geodesic=geodesic,
            extent=extent,
            template=template,
            nodata_zero=self.parameterAsBool(parameters, self.NODATA_ZERO, context),
            study_area=study_area,
            edge_correction=edge_correction,
            radius_rule=radius_rule,
            adaptive=adaptive,
        )

    def run_heatmap(
        self,
        options: HeatmapOptions,
        source: QgsFeatureSource,
        location: sources.OgrLayerLocation | None,
        feedback: QgsProcessingFeedback,
        transform_context: QgsCoordinateTransformContext,
    ) -> HeatmapResult:
        """Read, check, compute, write and style; return the raster's range and names.

        Raises ``QgsProcessingException`` for unusable data (before any file is written) and
        ``core.Cancelled`` when the user cancels (no file is left behind).
        """
        self._check_source(source, options)
        layer_crs = source.sourceCrs()
        transforms = crs.transforms_points(layer_crs, options.output_crs, geodesic=options.geodesic)
        read_share = READ_SHARE - (TRANSFORM_SHARE if transforms else 0.0)
        points, used_bulk = sources.read_points(
            source,
            location,
            weight_field=options.weight_field,
            radius_field=options.radius_field,
            progress=self._progress(feedback, 0.0, read_share),
        )
        feedback.pushInfo(
            self.tr("Read {points} points from {features} features ({method}).").format(
                points=points.count,
                features=points.features_read,
                method=self.tr("bulk GDAL read") if used_bulk else self.tr("feature iterator"),
            )
        )
        self._report_skipped(points, options, feedback)
        computation = self._computation_crs(
            points,
            layer_crs,
            options,
            transform_context,
            feedback,
            start=read_share,
            end=READ_SHARE,
        )
        window = None
        if options.study_area is not None:
            window, points = self._inside_study_area(
                options, points, computation, transform_context, feedback
            )
            if options.extent is None and options.template is None:  # the raster covers W
                options = dataclasses.replace(
                    options,
                    extent=QgsReferencedRectangle(
                        QgsRectangle(window.x_min, window.y_min, window.x_max, window.y_max),
                        computation.crs,
                    ),
                )
        options = self._with_automatic_sizes(
            options, points, computation, transform_context, feedback
        )
        if options.adaptive:
            points = self._with_adaptive_radii(points, options, feedback)
        radius = points.radius if options.per_point_radius else options.radius
        largest_radius = (
            float(np.max(points.radius)) if options.per_point_radius else options.radius
        )
        if options.edge_correction == self.EDGE_JONES_DIGGLE:
            points = self._jones_diggle_weighted(points, window, radius, options)
        requested_grid = self._requested_grid(options, computation, transform_context)
        if options.geodesic:
            sizing = GeodesicSizing(points, options, largest_radius, requested_grid)
        elif options.template is not None or options.extent is not None:
            sizing = GridSizing(points, options, largest_radius, requested_grid)
        else:
            sizing = HeatmapSizing(points, options, largest_radius)
        grid = sizing.checked_grid()
        self._warn_if_no_point_reaches(points, grid, largest_radius, options, feedback)
        if options.geodesic:
            self._report_geodesic_grid(grid, feedback)
        self._warn_about_radius(points, options, largest_radius, feedback)
        if points.weight is not None and (points.weight < 0).any():
            feedback.pushWarning(
                self.tr(
                    "{count} points have a negative weight: they lower the density around "
                    "them, and cells can end up below 0."
                ).format(count=int((points.weight < 0).sum()))
            )
        seconds = sizing.estimated_seconds(grid)
        feedback.pushInfo(
            self.tr(
                "Computing a {rows} x {cols} raster (cell size {cell_size}), estimated to take "
                "{seconds:.1f} s."
            ).format(rows=grid.rows, cols=grid.cols, cell_size=grid.cell_size, seconds=seconds)
        )
        if seconds > heatmap_sizing.SLOW_RUN_SECONDS:
            feedback.pushWarning(
                self.tr(
                    "This run is estimated to take {minutes:.0f} minutes. A cell size of "
                    "{suggested:g} would take at most about {limit:.0f}."
                ).format(
                    minutes=seconds / 60,
                    suggested=sizing.feasible_cell_size(),
                    limit=heatmap_sizing.SLOW_RUN_SECONDS / 60,
                )
            )
        # The core reports the rows computed and the writer the rows written (and, for formats
        # copied at the end, the copy): the bar shows whichever is further, never going back.
        sort_share = 0.0 if options.geodesic else SORT_SHARE  # the geodesic core needs no order
        computing_and_writing = self._progress(
            feedback, READ_SHARE + sort_share, COMPUTE_SHARE - sort_share, monotone=True
        )
        density_options = {
            "radius": radius,
            "kernel": options.kernel,
            "decay": options.decay,
            "output_value": options.output_value,
            "weight": points.weight,
            "progress": computing_and_writing,
        }
        try:
            if options.geodesic:
                bands = kernel_density_geodesic_bands(points.x, points.y, grid, **density_options)
            else:
                # The arrays are ours: sorted in place, the core needs no index of the points.
                sort_points_by_row(
                    points.x,
                    points.y,
                    grid,
                    radius=radius,
                    weight=points.weight,
                    progress=self._progress(feedback, READ_SHARE, SORT_SHARE),
                )
                bands = kernel_density_bands(points.x, points.y, grid, **density_options)
        except InvalidInput as error:
            raise QgsProcessingException(self._invalid_input_message(error, options)) from None
        del points, radius  # the bands hold them until the last is computed, then free them
        labels = self._labels(options, computation, weighted=bool(options.weight_field))
        maximum, minimum = -math.inf, math.inf
        outside_value = 0.0 if options.nodata_zero else math.nan  # cells outside W

        def bands_with_range() -> Iterator[rasters.Band]:
            nonlocal maximum, minimum
            for first_row, values in bands:
                if window is not None:
                    self._apply_study_area(values, first_row, grid, window, options)
                inside = values[np.isfinite(values)] if window is not None else values
                if inside.size == 0:  # a band wholly outside W
                    values[:] = outside_value
                    yield first_row, values
                    continue
                band_min, band_max = float(inside.min()), float(inside.max())
                if not (-FLOAT32_MAX <= band_min and band_max <= FLOAT32_MAX):  # NaN fails too
                    raise _OutOfFloat32RangeError(band_max if band_max > FLOAT32_MAX else band_min)
                maximum, minimum = max(maximum, band_max), min(minimum, band_min)
                if window is not None and options.nodata_zero:
                    values[np.isnan(values)] = 0.0
                yield first_row, values

        style_result: list[str | None | OSError] = []

        def write_style(raster_path: str) -> None:
            """Save the .qml beside the finished raster, to be moved in with it."""
            try:
                style_result.append(
                    style.write_style_sidecar(
                        raster_path,
                        options.color_ramp,
                        maximum,
                        minimum=min(minimum, 0.0),
                        legend_unit=labels.legend_unit,
                        destination=options.output_path,
                    )
                )
            except OSError as error:  # the raster is still worth having: warn below
                style_result.append(error)

        try:
            # Each band is written as soon as it is computed: the raster is never held whole.
            rasters.write_raster(
                options.output_path,
                bands_with_range(),
                grid,
                computation.crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED_GDAL),
                driver_name=options.driver_name,
                progress=computing_and_writing,
                sidecars=write_style,
                band_description=labels.band_description,
                nodata=0.0 if options.nodata_zero else (math.nan if window is not None else None),
            )
        except rasters.DestinationError as error:  # the output changed while we computed
            raise QgsProcessingException(self._destination_message(error)) from None
        except OSError as error:
            raise QgsProcessingException(
                self.tr(
                    'Could not write the raster "{path}": {reason}. The previous file, if any, '
                    "is unchanged."
                ).format(path=options.output_path, reason=error)
            ) from None
        except _OutOfFloat32RangeError as error:
            raise QgsProcessingException(
                self.tr(
                    "Some cells reach {value:g}, beyond the range of a 32-bit floating point "
                    "raster (about 3.4e38); nothing was written. Scale the weights down (for "
                    "example with the field calculator), use a larger radius, or another "
                    "output value scaling."
                ).format(value=error.value)
            ) from None
        self._report_style(style_result[0], options, feedback)  # write_raster called the hook
        feedback.setProgress(100.0)
        if maximum == -math.inf:  # every cell outside the study area
            maximum = minimum = 0.0
        return HeatmapResult(maximum, min(minimum, 0.0), labels)

    def _labels(
        self, options: HeatmapOptions, computation: crs.ComputationCrs, *, weighted: bool
    ) -> HeatmapLabels:
        """What the values are, for the band, the legend and the layer's name."""
        if options.geodesic:
            unit = QgsUnitTypes.DistanceMeters
        else:
            unit = computation.crs.mapUnits()
        length = QgsUnitTypes.toAbbreviatedString(unit)
        what = options.weight_field if weighted else self.tr("points")
        kernel = self.kernel_names()[options.kernel]
        if options.radius_field:
            layer_name = self.tr("Kernel density, {kernel}, radius from {field}").format(
                kernel=kernel, field=options.radius_field
            )
        elif options.adaptive:
            layer_name = self.tr(
                "Kernel density, {kernel}, adaptive, r0 = {radius:g} {unit}"
            ).format(kernel=kernel, radius=options.radius, unit=length)
        else:
            layer_name = self.tr("Kernel density, {kernel}, r = {radius:g} {unit}").format(
                kernel=kernel, radius=options.radius, unit=length
            )
        if options.output_value == OutputValue.DENSITY:
            legend_unit = self.tr("{what}/{unit}²").format(what=what, unit=length)
            description = self.tr("Density, {what} per {unit}²").format(what=what, unit=length)
        elif options.output_value == OutputValue.EXPECTED_COUNT:
            legend_unit = what
            description = self.tr("Expected {what} per cell").format(what=what)
        elif options.output_value == OutputValue.SCALED:
            legend_unit = ""
            description = self.tr("Scaled kernel sum (native heatmap constants)")
        else:
            legend_unit = ""
            description = self.tr("Raw kernel sum")
        return HeatmapLabels(description, legend_unit, layer_name)

    def _invalid_input_message(self, error: InvalidInput, options: HeatmapOptions) -> str:
        """The user's words for numbers the core cannot compute with (see ``core.Reason``)."""
        facts = error.facts
        if options.geodesic and error.reason == Reason.RADIUS_TOO_LARGE:
            return self._geodesic_radius_message(facts["radius"])
        if error.reason == Reason.RADIUS_TOO_SMALL:
            return self.tr(
                "A radius of {radius:g} is too small to compute with: its square is below the "
                "smallest double-precision number. Use a radius of at least {smallest:g} map "
                "units."
            ).format(radius=facts["radius"], smallest=facts["smallest"])
        if error.reason == Reason.RADIUS_TOO_LARGE:
            return self.tr(
                "A radius of {radius:g} is too large to compute with: its square overflows. "
                "Use a radius of at most {largest:g} map units."
            ).format(radius=facts["radius"], largest=facts["largest"])
        if error.reason == Reason.OUTPUT_FACTOR_OUT_OF_RANGE:
            return self.tr(
                "With a radius of {radius:g}, the {output} output multiplies the kernel by "
                "{factor:g}, a number too small or too large to compute with. Use a radius "
                "nearer 1 in map units (a CRS in other units), or the Raw output."
            ).format(
                radius=facts["radius"],
                output=self._output_value_names()[options.output_value],
                factor=facts["factor"],
            )
        if error.reason == Reason.WEIGHTS_TOO_LARGE:
            return self.tr(
                "The weights, times the output's scaling, add up to {total:g}: cells could "
                "overflow (at most {largest:g} can be computed). The largest weight is "
                "{weight:g}. Scale the weights down, or use another output value scaling."
            ).format(total=facts["total"], largest=facts["largest"], weight=facts["weight"])
        return str(error)  # grid limits, which HeatmapSizing refuses in its own words first

    def _report_style(
        self,
        result: str | None | OSError,
        options: HeatmapOptions,
        feedback: QgsProcessingFeedback,
    ) -> None:
        """Tell what became of the .qml style beside the raster."""
        if isinstance(result, OSError):
            feedback.pushWarning(
                self.tr(
                    "The raster was written but its style file could not be saved: {reason}"
                ).format(reason=result)
            )
        elif result is None:
            feedback.pushWarning(
                self.tr(
                    'The style file "{qml}" was kept: it was not written by this plugin (it may '
                    "be the style of another layer). The heatmap style is applied when "
                    "Processing loads the result; choose another output name to get a style "
                    "file too."
                ).format(qml=style.style_sidecar_path(options.output_path))
            )

    def _warn_about_radius(
        self,
        points: sources.PointArrays,
        options: HeatmapOptions,
        largest_radius: float,
        feedback: QgsProcessingFeedback,
    ) -> None:
        """Warn when radii are below one cell (empty surface) or above 1000 cells (slow).

        Geodesic cells (degrees) are compared with the radius (metres) by their height.
        """
        cell_units = METRES_PER_DEGREE if options.geodesic else 1.0  # radius units per cell unit
        smallest_radius = (
            float(np.min(points.radius)) if options.per_point_radius else options.radius
        )
        if smallest_radius < options.cell_size * cell_units:
            feedback.pushWarning(
                self.tr(
                    "The radius ({radius:g}) is smaller than the cell size ({cell_size:g}): "
                    "most points will not reach a cell centre and the surface will be mostly "
                    "empty. Use a smaller cell size or a larger radius."
                ).format(radius=smallest_radius, cell_size=options.cell_size)
            )
        radius_cells = largest_radius / (options.cell_size * cell_units)
        suggested = heatmap_sizing.round_up(largest_radius / 100 / cell_units)
        if radius_cells > SLOW_RADIUS_CELLS:
            feedback.pushWarning(
                self.tr(
                    "The radius ({radius:g}) spans {cells:.0f} cells: this will be slow. A "
                    "radius of 10 to 100 cells is usually enough; consider a cell size of "
                    "{suggested:g}."
                ).format(radius=largest_radius, cells=radius_cells, suggested=suggested)
            )
        elif radius_cells > FINE_RADIUS_CELLS:
            feedback.pushWarning(
                self.tr(
                    "The radius ({radius:g}) spans {cells:.0f} cells, finer than a heatmap "
                    "needs: a cell size of {suggested:g} (100 cells per radius) gives the same "
                    "surface in a fraction of the time and file size."
                ).format(radius=largest_radius, cells=radius_cells, suggested=suggested)
            )

    def _radius_by_rule(
        self,
        options: HeatmapOptions,
        points: sources.PointArrays,
        computation: crs.ComputationCrs,
        transform_context: QgsCoordinateTransformContext,
        feedback: QgsProcessingFeedback,
    ) -> float:
        """The radius of ``options.radius_rule`` for the points (metres for the geodesic
        method: the rule runs on the points in their local projection)."""
        x, y = points.x, points.y
        unit_crs = computation.crs
        if options.geodesic:
            local = crs.computation_crs(
                computation.crs,
                QgsCoordinateReferenceSystem(),
                geodesic=False,
                longitudes=x,
                latitudes=y,
            )
            x, y = crs.transform_points(x, y, computation.crs, local.crs, transform_context)
            unit_crs = local.crs
        # the window of the likelihood and Diggle rules: the study area's box, else the points'
        # (a point pattern's window, as spatstat's for points given by their coordinates)
        if options.study_area is not None and options.extent is not None and not options.geodesic:
            rectangle = self._extent_in(options.extent, computation.crs, transform_context)
            window = bandwidth.Window(
                rectangle.xMinimum(),
                rectangle.yMinimum(),
                rectangle.xMaximum(),
                rectangle.yMaximum(),
            )
        else:
            window = bandwidth.Window.around(x, y)
        return self.rule_radius(
            options.radius_rule,
            x,
            y,
            points.weight,
            kernel=options.kernel,
            decay=options.decay,
            unit=QgsUnitTypes.toString(unit_crs.mapUnits()),
            window=window,
            feedback=feedback,
            start=READ_SHARE,
            end=READ_SHARE,
        )

    def _with_adaptive_radii(
        self,
        points: sources.PointArrays,
        options: HeatmapOptions,
        feedback: QgsProcessingFeedback,
    ) -> sources.PointArrays:
        """The points with Abramson's radii about ``options.radius``, logged."""
        radii = bandwidth.abramson_radii(
            points.x,
            points.y,
            options.radius,
            kernel=options.kernel,
            decay=options.decay,
            weight=points.weight,
            progress=self._progress(feedback, READ_SHARE, 0.0),
        )
        feedback.pushInfo(
            self.tr(
                "Adaptive radii (Abramson, pilot radius {radius:g}): from {smallest:.4g} to "
                "{largest:.4g}, median {median:.4g}."
            ).format(
                radius=options.radius,
                smallest=float(radii.min()),
                largest=float(radii.max()),
                median=float(np.median(radii)),
            )
        )
        return dataclasses.replace(points, radius=radii)

    def _edge_correction_names(self) -> list[str]:
        """Labels of the EDGE_CORRECTION choices."""
        return [
            self.tr("None"),
            self.tr("Uniform: divide each cell by the kernel's share inside the area"),
            self.tr("Jones-Diggle: weight each point by its kernel's share inside"),
        ]

    def _check_edge_correction(
        self,
        edge_correction: int,
        study_area: QgsFeatureSource | None,
        *,
        geodesic: bool,
        per_point: bool,
    ) -> None:
        """Refuse the combinations edge correction is not defined for."""
        if edge_correction and study_area is None:
            raise QgsProcessingException(
                self.tr(
                    "Edge correction needs a study area: choose the polygon layer the points "
                    "were collected in, or no edge correction."
                )
            )
        if edge_correction and geodesic:
            raise QgsProcessingException(
                self.tr(
                    "Edge correction is computed in a plane: use the planar distance method "
                    "(a layer in degrees is projected automatically), or no edge correction."
                )
            )
        if edge_correction == self.EDGE_UNIFORM and per_point:
            raise QgsProcessingException(
                self.tr(
                    "The uniform edge correction needs one radius for every point. Use the "
                    "Jones-Diggle correction with a radius field or adaptive radii."
                )
            )

    def _inside_study_area(
        self,
        options: HeatmapOptions,
        points: sources.PointArrays,
        computation: crs.ComputationCrs,
        transform_context: QgsCoordinateTransformContext,
        feedback: QgsProcessingFeedback,
    ) -> tuple[edges.Window, sources.PointArrays]:
        """The study area in the computation CRS, and the points inside it (the others are
        ignored and counted)."""
        try:
            area = study_area.read_study_area(
                options.study_area, computation.crs, transform_context
            )
            window = edges.Window.from_rings(area.rings)
            inside = edges.points_inside(points.x, points.y, window)
        except study_area.StudyAreaRefused as refusal:
            raise QgsProcessingException(self._study_area_message(refusal)) from None
        except edges.InvalidStudyArea as error:
            raise QgsProcessingException(
                self.tr(
                    "The study area cannot be used: {reason}. Check that its polygons are "
                    "valid (Vector › Geometry Tools › Check Validity)."
                ).format(reason=str(error))
            ) from None
        if area.repaired:
            feedback.pushWarning(
                self.tr("{count} invalid study area polygons were repaired (made valid).").format(
                    count=area.repaired
                )
            )
        outside = int((~inside).sum())
        feedback.pushInfo(
            self.tr(
                "Study area: {area:.6g} square map units from {features} features; {outside} "
                "of {count} points lie outside it and are ignored."
            ).format(
                area=window.area, features=area.features_read, outside=outside, count=points.count
            )
        )
        if not inside.any():
            raise QgsProcessingException(
                self.tr(
                    "None of the {count} points lies inside the study area. Check that the "
                    "study area is the right layer, and both layers' CRS."
                ).format(count=points.count)
            )

        def kept(values: np.ndarray | None) -> np.ndarray | None:
            return None if values is None else values[inside]

        points = dataclasses.replace(
            points,
            x=points.x[inside],
            y=points.y[inside],
            weight=kept(points.weight),
            radius=kept(points.radius),
        )
        return window, points

    def _study_area_message(self, refusal: study_area.StudyAreaRefused) -> str:
        """The user's words for a study area layer that cannot be used."""
        facts = refusal.facts
        reason = refusal.reason
        if reason == study_area.StudyAreaReason.NOT_POLYGONS:
            return self.tr("The study area must be a polygon layer.")
        if reason == study_area.StudyAreaReason.INVALID_GEOMETRY:
            return self.tr(
                "Study area feature {feature} is not a valid polygon and could not be repaired "
                "({error}). Fix it (Vector › Geometry Tools › Fix Geometries)."
            ).format(feature=facts.get("feature_id"), error=facts.get("error"))
        if reason == study_area.StudyAreaReason.TRANSFORM_FAILED:
            return self.tr(
                "Study area feature {feature} could not be transformed to the computation CRS "
                "({error}). Check the study area's CRS."
            ).format(feature=facts.get("feature_id"), error=facts.get("error"))
        return self.tr(
            "The study area has no polygon with an area ({features} features read, {skipped} "
            "empty or NULL). Choose a layer with polygons."
        ).format(features=facts.get("features_read"), skipped=facts.get("skipped"))

    def _jones_diggle_weighted(
        self,
        points: sources.PointArrays,
        window: edges.Window,
        radius: float | np.ndarray,
        options: HeatmapOptions,
    ) -> sources.PointArrays:
        """The points with their weights divided by the share of their kernel inside W."""
        try:
            correction = edges.jones_diggle_weights(
                points.x,
                points.y,
                window,
                radius=radius,
                kernel=options.kernel,
                decay=options.decay,
            )
        except edges.InvalidStudyArea as error:
            raise QgsProcessingException(self._edge_message(error, options)) from None
        weight = correction if points.weight is None else points.weight * correction
        return dataclasses.replace(points, weight=weight)

    def _apply_study_area(
        self,
        values: np.ndarray,
        first_row: int,
        grid: Grid,
        window: edges.Window,
        options: HeatmapOptions,
    ) -> None:
        """Set the band's cells outside W to NaN, and divide the others by e(u) for the
        uniform edge correction (in place)."""
        rows = slice(first_row, first_row + len(values))
        if options.edge_correction == self.EDGE_UNIFORM:
            try:
                factor = edges.edge_factor(
                    grid,
                    window,
                    radius=options.radius,
                    kernel=options.kernel,
                    decay=options.decay,
                    rows=rows,
                )
            except edges.InvalidStudyArea as error:
                raise QgsProcessingException(self._edge_message(error, options)) from None
            values /= factor  # NaN outside W
        else:
            values[~edges.cell_centres_inside(grid, window, rows=rows)] = math.nan

    def _edge_message(self, error: edges.InvalidStudyArea, options: HeatmapOptions) -> str:
        """The user's words for an edge correction the core refused."""
        if error.reason == edges.EdgeReason.NEGATIVE_KERNEL:
            return self.tr(
                "With a decay of {decay} the triangular kernel is negative near its radius, "
                "so the share of it inside the study area is not defined. Use a decay of 0 or "
                "more, another kernel, or no edge correction."
            ).format(decay=options.decay)
        return self.tr(
            "The study area cannot be used for edge correction: {reason}. Check that its "
            "polygons are valid."
        ).format(reason=str(error))

    def _warn_if_no_point_reaches(
        self,
        points: sources.PointArrays,
        grid: Grid,
        largest_radius: float,
        options: HeatmapOptions,
        feedback: QgsProcessingFeedback,
    ) -> None:
        """Warn when a grid the user chose lies beyond every point's reach (an empty raster)."""
        if options.extent is None and options.template is None:
            return
        reach = largest_radius / (METRES_PER_DEGREE if options.geodesic else 1.0)
        near = (
            (points.x >= grid.x_min - reach)
            & (points.x <= grid.x_max + reach)
            & (points.y >= grid.y_min - reach)
            & (points.y <= grid.y_max + reach)
        )
        if not near.any():
            feedback.pushWarning(
                self.tr(
                    "No point lies within the radius of the output grid: every cell will be 0. "
                    "Check the output extent or template, and the points' CRS."
                )
            )

    def _requested_grid(
        self,
        options: HeatmapOptions,
        computation: crs.ComputationCrs,
        transform_context: QgsCoordinateTransformContext,
    ) -> Grid | None:
        """The grid the user decided (TEMPLATE, or EXTENT at the cell size), in the computation
        CRS, or None for the native grid around the points. None too when the extent holds
        more cells than any grid can count (the size checks then refuse the cell size)."""
        if options.template is not None:
            return options.template
        if options.extent is None:
            return None
        rectangle = self._extent_in(options.extent, computation.crs, transform_context)
        try:
            return extent_grid(
                rectangle.xMinimum(),
                rectangle.yMinimum(),
                rectangle.xMaximum(),
                rectangle.yMaximum(),
                options.cell_size,
            )
        except InvalidInput:
            return None

    def _extent_in(
        self,
        extent: QgsReferencedRectangle,
        target: QgsCoordinateReferenceSystem,
        transform_context: QgsCoordinateTransformContext,
    ) -> QgsRectangle:
        """``extent`` in ``target`` (its bounding box there); an extent without a CRS is taken
        to be in ``target``."""
        if not extent.crs().isValid() or extent.crs() == target:
            return QgsRectangle(extent)
        transform = QgsCoordinateTransform(extent.crs(), target, transform_context)
        try:
            return transform.transformBoundingBox(QgsRectangle(extent))
        except QgsCsException as error:
            raise QgsProcessingException(
                self.tr(
                    "The output extent could not be transformed to {crs}: {reason}. Give the "
                    "extent in that CRS."
                ).format(crs=self._crs_label(target), reason=str(error))
            ) from None

    def _optional_number(
        self, parameters: dict, name: str, context: QgsProcessingContext
    ) -> float | None:
        """The number given for ``name``, or None when it is left empty (automatic)."""
        if parameters.get(name) in (None, ""):
            return None
        return self.parameterAsDouble(parameters, name, context)

    def _with_automatic_sizes(
        self,
        options: HeatmapOptions,
        points: sources.PointArrays,
        computation: crs.ComputationCrs,
        transform_context: QgsCoordinateTransformContext,
        feedback: QgsProcessingFeedback,
    ) -> HeatmapOptions:
        """``options`` with the radius and cell size the user left empty derived from the
        points (``core.bandwidth``), each logged with what it comes from."""
        if options.geodesic:
            radius_unit = QgsUnitTypes.toString(QgsUnitTypes.DistanceMeters)
            cell_unit = QgsUnitTypes.toString(QgsUnitTypes.DistanceDegrees)
        else:
            radius_unit = cell_unit = QgsUnitTypes.toString(computation.crs.mapUnits())
        radius = options.radius
        if options.radius_rule is not None and not options.radius_field:
            if radius is not None:
                feedback.pushWarning(
                    self.tr("The radius given ({radius:g}) is replaced by the rule's.").format(
                        radius=radius
                    )
                )
            radius = self._radius_by_rule(options, points, computation, transform_context, feedback)
        elif radius is None and not options.radius_field:
            x, y = points.x, points.y
            if options.geodesic:  # the rule in metres: the points in their local projection
                local = crs.computation_crs(
                    computation.crs,
                    QgsCoordinateReferenceSystem(),
                    geodesic=False,
                    longitudes=x,
                    latitudes=y,
                )
                x, y = crs.transform_points(x, y, computation.crs, local.crs, transform_context)
            rule = bandwidth.arcgis_radius(
                x, y, points.weight, kernel=options.kernel, decay=options.decay
            )
            if not rule.radius > 0:
                raise QgsProcessingException(
                    self.tr(
                        "All {count} points lie at the same place, so no radius can be derived "
                        "from their spread. Enter a radius."
                    ).format(count=points.count)
                )
            radius = bandwidth.round_significant(rule.radius)
            feedback.pushInfo(
                self.tr(
                    "Radius {radius:g} {unit}, by ArcGIS's rule 0.9 min(SD, Dm / sqrt(ln 2)) "
                    "n^-0.2 (standard distance SD {sd:.4g}, median distance Dm {dm:.4g}, "
                    "n {n:.6g}{weights}){kernel}."
                ).format(
                    radius=radius,
                    unit=radius_unit,
                    sd=rule.standard_distance,
                    dm=rule.median_distance,
                    n=rule.count,
                    weights=self.tr(", the sum of the weights") if rule.weighted else "",
                    kernel=""
                    if options.kernel == Kernel.QUARTIC
                    else self.tr(
                        ", scaled from the quartic's {quartic:.4g} to the same spread"
                    ).format(quartic=rule.quartic_radius),
                )
            )
        cell_size = options.cell_size
        if cell_size is None:
            radii = points.radius if options.radius_field else np.array([radius])
            typical, largest = float(np.median(radii)), float(np.max(radii))
            if options.extent is not None:  # the extent's longer side, whatever the radius
                rectangle = self._extent_in(options.extent, computation.crs, transform_context)
                per_cell = METRES_PER_DEGREE if options.geodesic else 1.0
                cell_size = bandwidth.automatic_cell_size(
                    max(rectangle.width(), rectangle.height()), typical / per_cell
                )
            elif options.geodesic:
                cell_size = bandwidth.automatic_cell_size_geodesic(
                    points.x, points.y, largest, typical
                )
            else:
                cell_size = bandwidth.automatic_cell_size_planar(
                    points.x, points.y, largest, typical
                )
            feedback.pushInfo(
                self.tr(
                    "Cell size {cell_size:g} {unit}: about {target} cells on the raster's longer "
                    "side, and at least {per_radius} cells per radius."
                ).format(
                    cell_size=cell_size,
                    unit=cell_unit,
                    target=bandwidth.TARGET_CELLS,
                    per_radius=bandwidth.CELLS_PER_RADIUS,
                )
            )
        return dataclasses.replace(options, radius=radius, cell_size=cell_size)

    def _distance_method_names(self) -> list[str]:
        """Labels of the DISTANCE_METHOD choices (index ``GEODESIC`` is geodesic)."""
        return [
            self.tr("Planar (in the computation CRS)"),
            self.tr("Geodesic (on the WGS 84 ellipsoid)"),
        ]

    def _report_geodesic_grid(self, grid: Grid, feedback: QgsProcessingFeedback) -> None:
        """Log the geodesic grid's cells in degrees and in metres on the ground."""
        south = grid.y_max - grid.rows * grid.cell_size
        widest_latitude = 0.0 if south <= 0.0 <= grid.y_max else min(abs(south), abs(grid.y_max))
        feedback.pushInfo(
            self.tr(
                "Geodesic method: distances on the WGS 84 ellipsoid, radius in metres; the grid "
                "is regular in longitude and latitude, cells of {cell_size:g} degrees "
                "({height:.4g} m north to south, at most {width:.4g} m east to west, narrowing "
                "away from the equator). Densities are per square metre and expected counts "
                "use each cell's true area."
            ).format(
                cell_size=grid.cell_size,
                height=grid.cell_size * METRES_PER_DEGREE,
                width=grid.cell_size * METRES_PER_DEGREE * math.cos(math.radians(widest_latitude)),
            )
        )

    def _geodesic_radius_message(self, radius: float) -> str:
        """The refusal of a radius beyond what the geodesic method computes."""
        return self.tr(
            "A radius of {radius:g} m is too large for the geodesic method, which takes radii "
            "of at most {largest:g} m (a quarter of the way round the Earth). Use a smaller "
            "radius."
        ).format(radius=radius, largest=LARGEST_RADIUS_M)

    def _output_value_names(self) -> list[str]:
        """Labels of the OUTPUT_VALUE choices, in ``core.OutputValue`` order."""
        return [
            self.tr("Raw"),
            self.tr("Scaled"),
            self.tr("Density"),
            self.tr("Expected count per cell"),
        ]

    def _input_file(self, parameters: dict, context: QgsProcessingContext) -> str:
        """The file holding the INPUT layer, or '' for layers that are not files."""
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is None:
            return ""
        parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), layer.source())
        path = parts.get("path") or ""
        return path if os.path.isfile(path) else ""


@dataclass(frozen=True)
class HeatmapLabels:
    """What the raster's values are, in the user's words."""

    band_description: str
    """GDAL's description of band 1, e.g. "Density, points per m²" (QGIS's legend heading)."""
    legend_unit: str
    """Unit after the legend's labels ("points/m²"), or '' for unitless sums."""
    layer_name: str
    """Name of the loaded layer, e.g. "Kernel density, Quartic, r = 15 m"."""


@dataclass(frozen=True)
class HeatmapResult:
    """A finished run: the raster's range (minimum at most 0) and its labels."""

    maximum: float
    minimum: float
    labels: HeatmapLabels


class _OutOfFloat32RangeError(Exception):
    """A computed cell value that a Float32 raster cannot hold (infinite or NaN once stored)."""

    def __init__(self, value: float) -> None:
        super().__init__(value)
        self.value = value
