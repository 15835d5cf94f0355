"""Dialog widgets for the distances of ``kdeheatmap:heatmap``, in the units they are used in.

The radius and the cell size are taken in the units of the *computation CRS* (issue 13):

- projected layer, no output CRS: the layer's units;
- geographic layer, no output CRS: a local UTM or Lambert azimuthal equal-area CRS, metres;
- an output CRS: its units;
- geodesic method: radius in metres (on the WGS84 ellipsoid), cell size in degrees (the grid is
  regular in longitude/latitude).

QGIS's own distance widget (``QgsProcessingDistanceWidgetWrapper``, 3.22) shows the parent
layer's map units, so "degrees" with a warning for a longitude/latitude layer, and converts a
value typed in another unit to the layer's units. ``ComputationDistanceWidgetWrapper`` shows
the computation CRS's unit instead and returns the number as typed. It is attached through a
parameter's metadata ``{"widget_wrapper": {"class": "<package>.widgets.Computation...",
"kind": "radius" | "cell_size"}}``, which Processing's ``WidgetWrapperFactory`` resolves in the
standard, batch and modeler dialogs alike. In the modeler it hands over to QGIS's own modeler
widget (see ``ComputationDistanceWidgetWrapper.__new__``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from processing.gui.wrappers import DIALOG_BATCH, DIALOG_MODELER, WidgetWrapper, dialogTypes
from processing.tools import dataobjects
from qgis.core import (
    NULL,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProcessingParameters,
    QgsUnitTypes,
)
from qgis.gui import QgsAbstractProcessingParameterWidgetWrapper, QgsDoubleSpinBox, QgsGui
from qgis.PyQt.QtCore import QCoreApplication, QSize
from qgis.PyQt.QtWidgets import QHBoxLayout, QLabel, QWidget

GEODESIC_METHOD = 1
"""``DISTANCE_METHOD``'s index of the geodesic method (0 is planar), as in heatmap_algorithm."""
SPIN_BOX_LIMIT = 999_999_999.0
"""Largest magnitude the spin box offers when the parameter has no tighter bound (as QGIS's
own number widgets: the parameters' default bounds, +-1.8e308, would make it unusably wide)."""
SPIN_BOX_DECIMALS = 6
"""Decimals shown, as QGIS's number widgets (a cell of 1e-6 degrees is 0.1 m)."""


class DistanceKind(enum.Enum):
    """Which of the algorithm's distances a widget edits (the metadata's ``kind``)."""

    RADIUS = "radius"
    CELL_SIZE = "cell_size"


class UnitSource(enum.Enum):
    """Why a distance has the unit it has."""

    LAYER = "layer"
    """Projected layer, no output CRS: the layer's CRS."""
    AUTOMATIC_PROJECTION = "automatic_projection"
    """Geographic layer, no output CRS: a local projected CRS in metres."""
    OUTPUT_CRS = "output_crs"
    """The output CRS given by the user."""
    GEODESIC = "geodesic"
    """Geodesic method: radius in metres on the ellipsoid, cell size in degrees."""
    UNKNOWN = "unknown"
    """No layer (or one without a valid CRS) and no output CRS."""


@dataclass(frozen=True)
class ComputationUnits:
    """Units of the radius and of the cell size for one choice of layer, CRS and method."""

    radius: QgsUnitTypes.DistanceUnit
    cell_size: QgsUnitTypes.DistanceUnit
    source: UnitSource

    def unit(self, kind: DistanceKind) -> QgsUnitTypes.DistanceUnit:
        """The unit of the distance ``kind``."""
        return self.radius if kind == DistanceKind.RADIUS else self.cell_size

    def is_questionable(self, kind: DistanceKind) -> bool:
        """Whether a planar distance in ``kind`` would be in degrees (the algorithm refuses a
        geographic output CRS without the geodesic method)."""
        return (
            self.source != UnitSource.GEODESIC and self.unit(kind) == QgsUnitTypes.DistanceDegrees
        )


def computation_units(
    layer_crs: QgsCoordinateReferenceSystem | None,
    output_crs: QgsCoordinateReferenceSystem | None,
    geodesic: bool,
) -> ComputationUnits:
    """Units of the radius and the cell size given the input layer's CRS, the optional output
    CRS (None or invalid: not set) and whether the geodesic method is chosen."""
    if geodesic:
        return ComputationUnits(
            QgsUnitTypes.DistanceMeters, QgsUnitTypes.DistanceDegrees, UnitSource.GEODESIC
        )
    if output_crs is not None and output_crs.isValid():
        units = output_crs.mapUnits()
        return ComputationUnits(units, units, UnitSource.OUTPUT_CRS)
    if layer_crs is None or not layer_crs.isValid():
        unknown = QgsUnitTypes.DistanceUnknownUnit
        return ComputationUnits(unknown, unknown, UnitSource.UNKNOWN)
    if layer_crs.isGeographic():
        metres = QgsUnitTypes.DistanceMeters
        return ComputationUnits(metres, metres, UnitSource.AUTOMATIC_PROJECTION)
    units = layer_crs.mapUnits()
    return ComputationUnits(units, units, UnitSource.LAYER)


def distance_unit_label(
    layer_crs: QgsCoordinateReferenceSystem | None,
    output_crs: QgsCoordinateReferenceSystem | None,
    geodesic: bool,
    kind: DistanceKind = DistanceKind.RADIUS,
) -> str:
    """Name of the unit of the distance ``kind`` (QGIS's translated unit names: "meters",
    "feet", "degrees"; "<unknown>" without a layer), as the dialog shows it."""
    units = computation_units(layer_crs, output_crs, geodesic)
    return QgsUnitTypes.toString(units.unit(kind))


class ComputationDistanceWidgetWrapper(WidgetWrapper):
    """A number in the computation CRS's units, with that unit's name beside it.

    Standard dialog: a spin box (expressions allowed), the unit's name and, when the distances
    would be planar degrees, a warning icon; tooltips say why the unit is what it is. Batch
    dialog: a spin box per row with the unit of that row's layer as a suffix. Both follow the
    parameters ``input_parameter``, ``output_crs_parameter`` and ``distance_method_parameter``
    (metadata keys; defaults are the algorithm's names) as the user changes them. The value is
    the number as typed: nothing is converted. Modeler: QGIS's own modeler widget.
    """

    def __new__(cls, param, dialog, row=0, col=0, **kwargs):
        """In the modeler, QGIS's own widget (``QgsProcessingModelerParameterWidget``) instead.

        It keeps what a Python wrapper cannot offer there: choosing a model input, another
        algorithm's output or an expression from the standard source menu. The modeler calls no
        ``postInitialize``, and the layer usually is a model input, so the unit could not be
        known there anyway (QGIS's distance widget shows none in the modeler either).
        """
        if dialogTypes.get(type(dialog).__name__) == DIALOG_MODELER:
            widget = QgsGui.processingGuiRegistry().createModelerParameterWidget(
                dialog.model, dialog.childId, param, dialog.context
            )
            widget.setDialog(dialog)
            return widget
        return super().__new__(cls)

    def createWidget(  # noqa: N802 (Processing API name)
        self,
        kind: str = DistanceKind.RADIUS.value,
        input_parameter: str = "INPUT",
        output_crs_parameter: str = "OUTPUT_CRS",
        distance_method_parameter: str = "DISTANCE_METHOD",
    ) -> QWidget:
        self.kind = DistanceKind(kind)
        self._watched_names = {
            "input": input_parameter,
            "output_crs": output_crs_parameter,
            "distance_method": distance_method_parameter,
        }
        self._watched: dict[str, QgsAbstractProcessingParameterWidgetWrapper] = {}
        self.units = computation_units(None, None, geodesic=False)
        self.spin_box = self._new_spin_box()
        self.unit_label = QLabel()
        self.warning_icon = QLabel()
        icon = QgsApplication.getThemeIcon("mIconWarning.svg")
        self.warning_icon.setPixmap(icon.pixmap(icon.actualSize(QSize(24, 24))))
        if self.dialogType == DIALOG_BATCH:
            widget = self.spin_box
        else:
            widget = QWidget()
            layout = QHBoxLayout(widget)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(self.spin_box, 1)
            layout.addWidget(self.unit_label)
            layout.addWidget(self.warning_icon)
        self._show_units()
        return widget

    def _new_spin_box(self) -> QgsDoubleSpinBox:
        parameter = self.parameterDefinition()
        spin_box = QgsDoubleSpinBox()
        spin_box.setExpressionsEnabled(True)
        spin_box.setDecimals(SPIN_BOX_DECIMALS)
        spin_box.setMinimum(max(parameter.minimum(), -SPIN_BOX_LIMIT))
        spin_box.setMaximum(min(parameter.maximum(), SPIN_BOX_LIMIT))
        if parameter.defaultValue() is not None:
            spin_box.setClearValue(float(parameter.defaultValue()))
        spin_box.valueChanged.connect(lambda: self.widgetValueHasChanged.emit(self))
        return spin_box

    def setValue(self, value) -> None:  # noqa: N802 (Processing API name)
        """Show ``value`` (a number, or text of one); leave the box as it is for anything else
        (None, NULL, an expression the caller did not evaluate)."""
        if value is None or value == NULL:
            return
        try:
            number = float(value)
        except (TypeError, ValueError):
            return
        self.spin_box.setValue(number)

    def value(self) -> float:
        """The number shown, in the computation CRS's units (never converted)."""
        return self.spin_box.value()

    def postInitialize(self, wrappers) -> None:  # noqa: N802 (Processing API name)
        """Follow the layer, output CRS and method widgets of the same dialog (or batch row)."""
        by_name = {wrapper.parameterDefinition().name(): wrapper for wrapper in wrappers}
        for role, name in self._watched_names.items():
            if name in by_name:
                self._watched[role] = by_name[name]
                by_name[name].widgetValueHasChanged.connect(self._follow_parameters)
        self._follow_parameters()

    def _follow_parameters(self, *_changed) -> None:
        context = dataobjects.createContext()
        layer_crs = self._watched_crs("input", context)
        output_crs = self._watched_crs("output_crs", context)
        method = self._watched.get("distance_method")
        geodesic = (
            method is not None
            and QgsProcessingParameters.parameterAsEnum(
                method.parameterDefinition(), method.parameterValue(), context
            )
            == GEODESIC_METHOD
        )
        self.units = computation_units(layer_crs, output_crs, geodesic)
        self._show_units()

    def _watched_crs(self, role: str, context) -> QgsCoordinateReferenceSystem | None:
        wrapper = self._watched.get(role)
        if wrapper is None:
            return None
        return QgsProcessingParameters.parameterAsCrs(
            wrapper.parameterDefinition(), wrapper.parameterValue(), context
        )

    def _show_units(self) -> None:
        unit = self.units.unit(self.kind)
        explanation = self.explanation(self.units, self.kind)
        self.unit_label.setText(QgsUnitTypes.toString(unit))
        self.unit_label.setToolTip(explanation)
        self.warning_icon.setToolTip(explanation)
        self.warning_icon.setVisible(self.units.is_questionable(self.kind))
        abbreviation = QgsUnitTypes.toAbbreviatedString(unit)
        self.spin_box.setSuffix(
            f" {abbreviation}" if self.dialogType == DIALOG_BATCH and abbreviation else ""
        )
        if self.dialogType == DIALOG_BATCH:
            self.spin_box.setToolTip(explanation)

    @staticmethod
    def tr(text: str) -> str:
        """Translate ``text`` in the context of this class (pylupdate5 files
        ``ComputationDistanceWidgetWrapper.tr`` strings under it)."""
        return QCoreApplication.translate("ComputationDistanceWidgetWrapper", text)

    @staticmethod
    def explanation(units: ComputationUnits, kind: DistanceKind) -> str:
        """Tooltip saying why the distance ``kind`` has its unit (translated)."""
        unit = QgsUnitTypes.toString(units.unit(kind))
        if units.source == UnitSource.GEODESIC:
            if kind == DistanceKind.RADIUS:
                return ComputationDistanceWidgetWrapper.tr(
                    "Geodesic method: the radius is a distance on the WGS84 ellipsoid, in meters."
                )
            return ComputationDistanceWidgetWrapper.tr(
                "Geodesic method: the raster is a regular longitude/latitude grid, so the "
                "cell size is in degrees."
            )
        if units.source == UnitSource.AUTOMATIC_PROJECTION:
            return ComputationDistanceWidgetWrapper.tr(
                "The layer is in longitude/latitude: its points are projected to a local CRS "
                "in meters (the UTM zone of the data, or a Lambert azimuthal equal-area CRS), "
                "so this distance is in meters."
            )
        if units.source == UnitSource.OUTPUT_CRS:
            if units.is_questionable(kind):
                return ComputationDistanceWidgetWrapper.tr(
                    "The output CRS is in longitude/latitude: choose a projected output CRS, "
                    "or the geodesic distance method."
                )
            return ComputationDistanceWidgetWrapper.tr(
                "In the units of the output CRS ({unit})."
            ).format(unit=unit)
        if units.source == UnitSource.LAYER:
            return ComputationDistanceWidgetWrapper.tr(
                "In the units of the layer's CRS ({unit})."
            ).format(unit=unit)
        return ComputationDistanceWidgetWrapper.tr(
            "Choose a point layer: distances are in the units of its CRS."
        )
