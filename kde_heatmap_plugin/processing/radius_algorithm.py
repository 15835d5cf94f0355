"""``kdeheatmap:radius``: a kernel radius from the points, as a number a model can pass on.

The run: parameters -> points (``sources``, the heatmap's reader) -> the CRS they are measured
in (metres for a layer in degrees: the heatmap's automatic projection) -> every rule of
``core.bandwidth`` logged with its numbers -> the chosen rule's radius as the RADIUS output.
Feeding RADIUS into ``kdeheatmap:heatmap`` (same INPUT, KERNEL, WEIGHT_FIELD) gives the
heatmap the rule would give it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QCoreApplication

from .. import sources
from ..core import Cancelled, Kernel, bandwidth
from .base import KdeAlgorithmBase, RadiusRuleChoice
from .localized import LocalizedText

READ_SHARE = 20.0
"""Percent of the progress bar for reading the points; the rules get the rest."""


@dataclass(frozen=True)
class RadiusOptions:
    """Validated parameters of one run (the fields ``KdeAlgorithmBase``'s steps read)."""

    weight_field: str
    kernel: Kernel
    rule: RadiusRuleChoice
    radius_field: str = ""
    output_crs: QgsCoordinateReferenceSystem = field(default_factory=QgsCoordinateReferenceSystem)
    geodesic: bool = False


class KdeRadiusAlgorithm(KdeAlgorithmBase):
    """The radius a rule gives for a point layer (all rules in the log)."""

    RULE = "RULE"
    RADIUS = "RADIUS"

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts)."""
        return LocalizedText(QCoreApplication.translate(type(self).__name__, text))

    def name(self) -> str:
        return "radius"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Kernel radius from the data")

    def tags(self) -> list[str]:
        return self.tr("bandwidth,radius,kde,silverman,scott,cross-validation,diggle").split(",")

    def shortDescription(self) -> str:  # noqa: N802
        return self.tr("The kernel radius a rule derives from a point layer, for the heatmap.")

    def shortHelpString(self) -> str:  # noqa: N802
        return self.tr(
            "<p>Derives a kernel radius from the points, for "
            "<i>Kernel density heatmap</i> (connect its output to the heatmap's Radius in a "
            "model). Distances are in the layer's units, or in metres for a layer in "
            "longitude/latitude (the heatmap's automatic projection). Every rule's radius is "
            "written to the log; the output is the chosen one's.</p>"
            "<p><b>Point layer</b>: points or multipoints.</p>"
            "<p><b>Weight from field</b> (optional): weights count in ArcGIS's rule (n is their "
            "sum, the centre and distances weighted), when all are zero or more; the other "
            "rules use the points' positions only.</p>"
            "<p><b>Kernel shape</b>: the radius is the support radius of this kernel with the "
            "rule's spread (sigma-based rules: quartic R = sigma sqrt(8), Epanechnikov "
            "sqrt(6), uniform 2, triweight sqrt(10), Gaussian 3).</p>"
            "<p><b>Rule</b>: ArcGIS Pro's default, 0.9 min(SD, Dm / sqrt(ln 2)) n^-0.2 for the "
            "quartic kernel; Scott's rule, sigma = sqrt(sd_x sd_y) n^(-1/6); likelihood "
            "cross-validation (spatstat's bw.ppl: the sigma maximising the leave-one-out "
            "log-likelihood); Diggle's mean-square-error criterion (spatstat's bw.diggle). The "
            "last two search 16 candidates between the nearest-neighbour distance and half "
            "the points' bounding box.</p>"
        )

    def initAlgorithm(self, config: dict | None = None) -> None:  # noqa: N802
        self.addParameter(self.point_layer_parameter())
        self.addParameter(self.weight_field_parameter())
        self.addParameter(self.kernel_parameter())
        self.addParameter(
            QgsProcessingParameterEnum(
                self.RULE, self.tr("Rule"), self.rule_names(), defaultValue=0
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.RADIUS, self.tr("Radius")))

    def processAlgorithm(  # noqa: N802
        self, parameters: dict, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> dict:
        options = RadiusOptions(
            weight_field=self.parameterAsString(parameters, self.WEIGHT_FIELD, context) or "",
            kernel=Kernel(self._checked_choice(parameters, self.KERNEL, self.kernel_names())),
            rule=RadiusRuleChoice(self._checked_choice(parameters, self.RULE, self.rule_names())),
        )
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise QgsProcessingException(
                self.tr("Could not load the point layer ({value}).").format(
                    value=parameters.get(self.INPUT)
                )
            )
        try:
            return {self.RADIUS: self._radius(options, parameters, source, context, feedback)}
        except Cancelled:
            raise QgsProcessingException(self.tr("Cancelled.")) from None

    def _radius(self, options, parameters, source, context, feedback) -> float:
        """Read the points, log every rule, return the chosen rule's radius."""
        self._check_source(source, options)
        location = sources.bulk_location(
            self.parameterAsVectorLayer(parameters, self.INPUT, context),
            parameters.get(self.INPUT),
        )
        points, _ = sources.read_points(
            source,
            location,
            weight_field=options.weight_field,
            radius_field="",
            progress=self._progress(feedback, 0.0, READ_SHARE * 0.8),
        )
        self._report_skipped(points, options, feedback)
        computation = self._computation_crs(
            points,
            source.sourceCrs(),
            options,
            context.transformContext(),
            feedback,
            start=READ_SHARE * 0.8,
            end=READ_SHARE,
        )
        unit = QgsUnitTypes.toString(computation.crs.mapUnits())
        window = bandwidth.Window.around(points.x, points.y)
        rules = list(RadiusRuleChoice)
        share = (100.0 - READ_SHARE) / len(rules)
        chosen = None
        for position, rule in enumerate(rules):
            try:
                radius = self.rule_radius(
                    rule,
                    points.x,
                    points.y,
                    points.weight,
                    kernel=options.kernel,
                    decay=0.0,
                    unit=unit,
                    window=window,
                    feedback=feedback,
                    start=READ_SHARE + position * share,
                    end=READ_SHARE + (position + 1) * share,
                )
            except QgsProcessingException as error:
                if rule == options.rule:
                    raise
                feedback.pushWarning(str(error))
                continue
            if rule == options.rule:
                chosen = radius
        feedback.pushInfo(
            self.tr("Radius by {rule}: {radius:.6g} {unit}.").format(
                rule=self.rule_names()[options.rule], radius=chosen, unit=unit
            )
        )
        return chosen
