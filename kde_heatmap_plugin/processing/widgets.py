"""Dialog widgets of ``kdeheatmap:heatmap``: distances in the units they are used in, the raster's
rows and columns, and a colour ramp picker.

The radius and the cell size are taken in the units of the *computation CRS* (issue 13):

- projected layer, no output CRS: the layer's units;
- geographic layer, no output CRS: a local UTM or Lambert azimuthal equal-area CRS, metres;
- an output CRS: its units;
- geodesic method: radius in metres (on the WGS84 ellipsoid), cell size in degrees (the grid is
  regular in longitude/latitude).

QGIS's own distance widget (``QgsProcessingDistanceWidgetWrapper``, 3.22) shows the parent
layer's map units, so "degrees" with a warning for a longitude/latitude layer, and converts a
value typed in another unit to the layer's units. ``ComputationDistanceWidgetWrapper`` shows
the computation CRS's unit instead and returns the number as typed; for an optional parameter
an empty box shows "Automatic" and means None (the algorithm then chooses). For the cell size
the standard dialog also shows the raster's rows and columns, as QGIS's own heatmap dialog
does (``HeatmapPixelSizeWidgetWrapper``), but computed in the computation CRS; see
:func:`computation_extent` and :func:`raster_shape`.

``ColorRampWidgetWrapper`` offers the colour ramps of the user's style, with their previews;
its value is the ramp's name, so the parameter stays a string for qgis_process and models.

The wrappers are attached through a parameter's metadata ``{"widget_wrapper": {"class":
"<package>.widgets.<Wrapper>", ...}}``, which Processing's ``WidgetWrapperFactory`` resolves in
the standard, batch and modeler dialogs alike. In the modeler both hand over to QGIS's own
modeler widget (``QgsProcessingModelerParameterWidget``: model inputs, other algorithms'
outputs and expressions); the colour ramp's static value there is our dropdown (see
``ColorRampWidgetWrapper.__new__``).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
from processing.gui.wrappers import (
    DIALOG_BATCH,
    DIALOG_MODELER,
    DIALOG_STANDARD,
    WidgetWrapper,
    dialogTypes,
)
from processing.tools import dataobjects
from qgis.core import (
    NULL,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsProcessingParameterDefinition,
    QgsProcessingParameters,
    QgsRectangle,
    QgsStyle,
    QgsSymbolLayerUtils,
    QgsUnitTypes,
)
from qgis.gui import (
    QgsAbstractProcessingParameterWidgetWrapper,
    QgsDoubleSpinBox,
    QgsGui,
    QgsSpinBox,
)
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSize
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QWidget,
)

from ..core import bandwidth
from ..core.geodesic_density import geodesic_grid
from ..core.grid import native_grid
from ..crs import WGS84, CrsError, CrsProblem, computation_crs, needs_choice

GEODESIC_METHOD = 1
"""``DISTANCE_METHOD``'s index of the geodesic method (0 is planar), as in heatmap_algorithm."""
SPIN_BOX_LIMIT = 999_999_999.0
"""Largest magnitude the spin box offers when the parameter has no tighter bound (as QGIS's
own number widgets: the parameters' default bounds, +-1.8e308, would make it unusably wide)."""
SPIN_BOX_DECIMALS = 6
"""Decimals shown, as QGIS's number widgets (a cell of 1e-6 degrees is 0.1 m)."""
AUTOMATIC_STEP = 10.0**-SPIN_BOX_DECIMALS
"""How far below the parameter's minimum the spin box's "Automatic" value lies: one step of
the last decimal shown, so no number the parameter accepts is mistaken for it."""
LARGEST_COUNT = 2**31 - 1
"""Most rows or columns the rows/columns boxes show (a raster file's limit, and QSpinBox's)."""
GEODESIC_RADIUS_UNKNOWN_M = 1.0
"""Radius (metres) the geodesic grid is sized with while the radius is automatic: the points'
extent alone, snapped to whole cells."""
LONGITUDE_SAMPLE_DEGREES = 1.0
"""Spacing (degrees) of the longitudes that stand in for the points of an extent (see
:func:`extent_samples`)."""
RAMP_PREVIEW_SIZE = QSize(64, 16)
"""Size (pixels) of a colour ramp's preview in the dropdown, as QGIS's own ramp buttons."""


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


def extent_samples(extent: QgsRectangle) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (degrees) standing for points that fill ``extent`` (a
    longitude/latitude rectangle): longitudes from its west to its east edge at most
    ``LONGITUDE_SAMPLE_DEGREES`` apart, so the shortest arc holding them is the extent's own
    (two corners alone, over 180 degrees apart, would make the arc the other way round), and
    latitudes from its south to its north edge alongside.

    Raises:
        ValueError: an extent whose edges are not finite.
    """
    edges = (extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum())
    if not all(math.isfinite(edge) for edge in edges):
        raise ValueError(f"The extent's edges must be finite, not {edges}.")
    count = max(2, math.ceil(extent.width() / LONGITUDE_SAMPLE_DEGREES) + 1)
    return np.linspace(edges[0], edges[2], count), np.linspace(edges[1], edges[3], count)


def computation_extent(
    layer_extent: QgsRectangle,
    layer_crs: QgsCoordinateReferenceSystem,
    output_crs: QgsCoordinateReferenceSystem,
    *,
    geodesic: bool,
    transform_context: QgsCoordinateTransformContext,
) -> QgsRectangle:
    """The extent of a layer's points in the computation CRS (degrees for the geodesic method).

    Made from the layer's extent, without reading its points, so cheap enough for a dialog:

    - the CRS is :func:`crs.computation_crs`'s; for a longitude/latitude layer the automatic
      projection is chosen for points filling the extent (:func:`extent_samples`, in WGS 84),
      which is the algorithm's choice unless the points leave a gap of longitudes wider than
      the rest (data on both sides of the antimeridian in a -180..180 extent);
    - the rectangle is transformed with ``QgsCoordinateTransform.transformBoundingBox`` (edges
      densified): its bounding box holds the points' and is larger when the rectangle turns or
      curves in the computation CRS and the points do not reach its corners (30 points at
      60 N, 0.29 by 0.145 degrees, 2 degrees from their UTM zone's central meridian: 1038
      rows shown against the run's 982; the columns and the cell size agree).

    Raises:
        CrsError: the problems of :func:`crs.computation_crs`, or ``INVALID_LAYER_CRS`` when the
            layer's CRS is not valid and another one is asked for.
        QgsCsException: PROJ cannot transform the extent.
        ValueError: an extent whose edges are not finite.
    """
    if needs_choice(layer_crs, output_crs, geodesic=geodesic):
        wgs84 = QgsCoordinateReferenceSystem(WGS84)
        in_wgs84 = _transformed(layer_extent, layer_crs, wgs84, transform_context)
        longitudes, latitudes = extent_samples(in_wgs84)
        target = computation_crs(
            layer_crs, output_crs, geodesic=False, longitudes=longitudes, latitudes=latitudes
        ).crs
    else:
        target = computation_crs(layer_crs, output_crs, geodesic=geodesic).crs
    return _transformed(layer_extent, layer_crs, target, transform_context)


def _transformed(
    extent: QgsRectangle,
    source: QgsCoordinateReferenceSystem,
    destination: QgsCoordinateReferenceSystem,
    transform_context: QgsCoordinateTransformContext,
) -> QgsRectangle:
    if source == destination:
        return QgsRectangle(extent)
    if not (source.isValid() and destination.isValid()):
        raise CrsError(CrsProblem.INVALID_LAYER_CRS)
    transform = QgsCoordinateTransform(source, destination, transform_context)
    return transform.transformBoundingBox(extent)


@dataclass(frozen=True)
class RasterSize:
    """The shape of the raster a run would write, and the spans its cells divide.

    Attributes:
        rows, cols: the raster's rows and columns.
        span_x, span_y: width and height (computation CRS units) that ``cols`` and ``rows``
            cells divide: the extent grown by the radius on each side for the planar grid
            (QGIS's rule: ``ceil(span / cell) + 1`` cells), the grid itself for the geodesic one
            (``ceil(span / cell)``, edges snapped to whole cells).
        extra_cells: 1 for the planar grid, 0 for the geodesic one (the ``+ 1`` above).
    """

    rows: int
    cols: int
    span_x: float
    span_y: float
    extra_cells: int

    def cell_size_for_rows(self, rows: int) -> float | None:
        """The cell size that gives about ``rows`` rows (None when no cell size can)."""
        return self._cell_size_for(rows, self.span_y)

    def cell_size_for_cols(self, cols: int) -> float | None:
        """The cell size that gives about ``cols`` columns (None when no cell size can)."""
        return self._cell_size_for(cols, self.span_x)

    def _cell_size_for(self, count: int, span: float) -> float | None:
        divisions = count - self.extra_cells
        if divisions < 1 or not span > 0:
            return None
        return span / divisions


def raster_size(
    extent: QgsRectangle, cell_size: float, radius: float | None, *, geodesic: bool
) -> RasterSize:
    """The raster of ``cell_size`` cells around points spanning ``extent`` (computation CRS).

    Planar: :func:`core.grid.native_grid`, the extent grown by ``radius`` on each side. Geodesic
    (``extent`` in degrees, ``radius`` in metres, ``cell_size`` in degrees):
    :func:`core.geodesic_density.geodesic_grid` for points filling the extent
    (:func:`extent_samples`). A ``radius`` of None (automatic, not known yet) grows nothing
    (geodesic: ``GEODESIC_RADIUS_UNKNOWN_M``).

    Raises:
        ValueError: a cell size or radius that is not a positive number, a non-finite extent;
            ``InvalidInput`` (``GRID_TOO_LARGE``, a ValueError) beyond ``LARGEST_SIDE`` cells.
    """
    if geodesic:
        longitudes, latitudes = extent_samples(extent)
        reach = GEODESIC_RADIUS_UNKNOWN_M if radius is None else radius
        grid = geodesic_grid(longitudes, latitudes, reach, cell_size)
        width, height = grid.cols * grid.cell_size, grid.rows * grid.cell_size
        return RasterSize(grid.rows, grid.cols, width, height, extra_cells=0)
    padding = 0.0 if radius is None else radius
    grid = native_grid(
        extent.xMinimum(),
        extent.yMinimum(),
        extent.xMaximum(),
        extent.yMaximum(),
        padding=padding,
        cell_size=cell_size,
    )
    width, height = extent.width() + 2 * padding, extent.height() + 2 * padding
    return RasterSize(grid.rows, grid.cols, width, height, extra_cells=1)


def automatic_cell_size(extent: QgsRectangle, radius: float | None, *, geodesic: bool) -> float:
    """The cell size the algorithm chooses when none is given, for points spanning ``extent``
    (computation CRS) and a radius given by the user: ``core.bandwidth.automatic_cell_size``
    of the raster's longer side (the extent grown by the radius on each side; geodesic: the
    grid's longer side in degrees, the radius converted at ``METRES_PER_DEGREE``), as the
    algorithm computes it from the points.

    Raises:
        ValueError: an automatic radius (None: the algorithm derives it from the points, too
            costly here), or sizes that are not positive numbers.
    """
    if radius is None:
        raise ValueError("The automatic cell size depends on the radius, which is automatic.")
    if geodesic:
        longitudes, latitudes = extent_samples(extent)
        return bandwidth.automatic_cell_size_geodesic(longitudes, latitudes, radius, radius)
    corners_x = np.array([extent.xMinimum(), extent.xMaximum()])
    corners_y = np.array([extent.yMinimum(), extent.yMaximum()])
    return bandwidth.automatic_cell_size_planar(corners_x, corners_y, radius, radius)


@dataclass(frozen=True)
class _LayerFacts:
    """What the raster size needs of the input layer, read once per layer (and radius field)."""

    extent: QgsRectangle
    crs: QgsCoordinateReferenceSystem
    largest_field_radius: float | None
    """Largest value of the radius field (None: no field, or no number in it)."""


class ComputationDistanceWidgetWrapper(WidgetWrapper):
    """A number in the computation CRS's units, with that unit's name beside it.

    Standard dialog: a spin box (expressions allowed), the unit's name and, when the distances
    would be planar degrees, a warning icon; tooltips say why the unit is what it is. For the
    cell size, also the raster's rows and columns (typing one sets the cell size). Batch dialog:
    a spin box per row with the unit of that row's layer as a suffix. Both follow the
    parameters ``input_parameter``, ``output_crs_parameter`` and ``distance_method_parameter``
    (the cell size also ``radius_parameter`` and ``radius_field_parameter``; metadata keys,
    defaults are the algorithm's names) as the user changes them. The value is the number as
    typed: nothing is converted. For an optional parameter the box can be cleared: it shows
    "Automatic" and the value is None. Modeler: QGIS's own modeler widget (its "Not set"
    called "Automatic" too).
    """

    def __new__(cls, param, dialog, row=0, col=0, **kwargs):
        """In the modeler, QGIS's own widget (``QgsProcessingModelerParameterWidget``) instead.

        It keeps what a Python wrapper cannot offer there: choosing a model input, another
        algorithm's output or an expression from the standard source menu. The modeler calls no
        ``postInitialize``, and the layer usually is a model input, so the unit could not be
        known there anyway (QGIS's distance widget shows none in the modeler either).
        """
        if dialogTypes.get(type(dialog).__name__) == DIALOG_MODELER:
            widget = _qgis_modeler_widget(param, dialog)
            _name_unset_automatic(widget)
            return widget
        return super().__new__(cls)

    def createWidget(  # noqa: N802 (Processing API name)
        self,
        kind: str = DistanceKind.RADIUS.value,
        input_parameter: str = "INPUT",
        output_crs_parameter: str = "OUTPUT_CRS",
        distance_method_parameter: str = "DISTANCE_METHOD",
        radius_parameter: str = "RADIUS",
        radius_field_parameter: str = "RADIUS_FIELD",
    ) -> QWidget:
        self.kind = DistanceKind(kind)
        self.shows_raster_size = (
            self.kind == DistanceKind.CELL_SIZE and self.dialogType == DIALOG_STANDARD
        )
        self._watched_names = {
            "input": input_parameter,
            "output_crs": output_crs_parameter,
            "distance_method": distance_method_parameter,
        }
        if self.shows_raster_size:
            self._watched_names.update(radius=radius_parameter, radius_field=radius_field_parameter)
        self._watched: dict[str, QgsAbstractProcessingParameterWidgetWrapper] = {}
        self._layer_facts: tuple[str, _LayerFacts | None] | None = None
        self.units = computation_units(None, None, geodesic=False)
        self.geodesic = False
        self.extent: QgsRectangle | None = None
        """The points' extent in the computation CRS (None: unknown)."""
        self.radius: float | None = None
        """The radius (or largest field radius) the raster is grown by; None: automatic."""
        self.radius_from_field = False
        """Whether ``radius`` is the radius field's largest value."""
        self.raster: RasterSize | None = None
        """The raster the rows and columns show (None: unknown)."""
        self.allows_automatic = bool(
            self.parameterDefinition().flags() & QgsProcessingParameterDefinition.FlagOptional
        )
        self.spin_box = self._new_spin_box()
        self.unit_label = QLabel()
        self.warning_icon = QLabel()
        icon = QgsApplication.getThemeIcon("mIconWarning.svg")
        self.warning_icon.setPixmap(icon.pixmap(icon.actualSize(QSize(24, 24))))
        if self.dialogType == DIALOG_BATCH:
            widget = self.spin_box
        else:
            widget = QWidget()
            layout = QGridLayout(widget)
            layout.setContentsMargins(0, 0, 0, 0)
            distance = QHBoxLayout()
            distance.addWidget(self.spin_box, 1)
            distance.addWidget(self.unit_label)
            distance.addWidget(self.warning_icon)
            layout.addLayout(distance, 0, 0)
            if self.shows_raster_size:
                layout.addLayout(self._new_raster_size_row(), 1, 0)
        self.spin_box.valueChanged.connect(self._spin_box_changed)
        self._show_units()
        return widget

    def _new_spin_box(self) -> QgsDoubleSpinBox:
        parameter = self.parameterDefinition()
        spin_box = QgsDoubleSpinBox()
        spin_box.setExpressionsEnabled(True)
        spin_box.setDecimals(SPIN_BOX_DECIMALS)
        minimum = max(parameter.minimum(), -SPIN_BOX_LIMIT)
        spin_box.setMaximum(min(parameter.maximum(), SPIN_BOX_LIMIT))
        if self.allows_automatic:
            spin_box.setMinimum(minimum - AUTOMATIC_STEP)
            spin_box.setClearValue(spin_box.minimum(), self.tr("Automatic"))
            spin_box.lineEdit().setPlaceholderText(self.tr("Automatic"))  # once emptied
            spin_box.setValue(spin_box.minimum())
            spin_box.setToolTip(
                self.tr("Empty (Automatic): the algorithm chooses a value from the data.")
            )
        else:
            spin_box.setMinimum(minimum)
            if parameter.defaultValue() is not None:
                spin_box.setClearValue(float(parameter.defaultValue()))
        return spin_box

    def _new_raster_size_row(self) -> QHBoxLayout:
        """Rows and columns boxes (editable, as in QGIS's own heatmap dialog) and a note."""
        row = QHBoxLayout()
        self.rows_box = self._new_count_box(self.tr("Rows of the raster"))
        self.cols_box = self._new_count_box(self.tr("Columns of the raster"))
        self.rows_box.valueChanged.connect(lambda rows: self._count_typed(rows, by_rows=True))
        self.cols_box.valueChanged.connect(lambda cols: self._count_typed(cols, by_rows=False))
        self.raster_note = QLabel()
        self.raster_note.setWordWrap(True)
        for label, box in ((self.tr("Rows"), self.rows_box), (self.tr("Columns"), self.cols_box)):
            buddy = QLabel(label)
            buddy.setBuddy(box)
            row.addWidget(buddy)
            row.addWidget(box)
        row.addWidget(self.raster_note, 1)
        return row

    def _new_count_box(self, tooltip: str) -> QgsSpinBox:
        box = QgsSpinBox()
        box.setShowClearButton(False)
        box.setKeyboardTracking(False)  # counts apply when typed, not at each digit
        box.setRange(0, LARGEST_COUNT)
        box.setSpecialValueText("\u2013")  # 0: unknown
        box.setToolTip(tooltip + "\n" + self.tr("Typing a number sets the cell size."))
        return box

    def setValue(self, value) -> None:  # noqa: N802 (Processing API name)
        """Show ``value`` (a number, or text of one); None, NULL or "" show "Automatic" when
        the parameter is optional. Anything else (an expression the caller did not evaluate)
        leaves the box as it is."""
        if value is None or value == NULL or value == "":
            if self.allows_automatic:
                self.spin_box.setValue(self.spin_box.minimum())
            return
        try:
            number = float(value)
        except (TypeError, ValueError):
            return
        self.spin_box.setValue(number)

    def value(self) -> float | None:
        """The number shown, in the computation CRS's units (never converted); None for
        "Automatic"."""
        number = self.spin_box.value()
        if self.allows_automatic and number <= self.spin_box.minimum():
            return None
        return number

    def postInitialize(self, wrappers) -> None:  # noqa: N802 (Processing API name)
        """Follow the layer, output CRS and method widgets of the same dialog (or batch row),
        and for the raster size the radius widgets."""
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
        self.geodesic = (
            method is not None
            and QgsProcessingParameters.parameterAsEnum(
                method.parameterDefinition(), method.parameterValue(), context
            )
            == GEODESIC_METHOD
        )
        self.units = computation_units(layer_crs, output_crs, self.geodesic)
        self._show_units()
        if self.shows_raster_size:
            self._follow_extent(context, output_crs)
            self._show_raster_size()

    def _watched_crs(self, role: str, context) -> QgsCoordinateReferenceSystem | None:
        wrapper = self._watched.get(role)
        if wrapper is None:
            return None
        return QgsProcessingParameters.parameterAsCrs(
            wrapper.parameterDefinition(), wrapper.parameterValue(), context
        )

    def _follow_extent(self, context, output_crs: QgsCoordinateReferenceSystem | None) -> None:
        """The points' extent in the computation CRS and the radius, from the watched widgets."""
        facts = self._read_layer(context)
        radius = self._watched_value("radius")
        self.radius_from_field = facts is not None and facts.largest_field_radius is not None
        if self.radius_from_field:
            radius = facts.largest_field_radius
        self.radius = float(radius) if isinstance(radius, (int, float)) and radius > 0 else None
        self.extent = None
        if facts is None:
            return
        try:
            self.extent = computation_extent(
                facts.extent,
                facts.crs,
                output_crs or QgsCoordinateReferenceSystem(),
                geodesic=self.geodesic,
                transform_context=context.transformContext(),
            )
        except (CrsError, QgsCsException, ValueError):
            self.extent = None  # the algorithm says why when it runs

    def _watched_value(self, role: str):
        wrapper = self._watched.get(role)
        return None if wrapper is None else wrapper.parameterValue()

    def _read_layer(self, context) -> _LayerFacts | None:
        """The input layer's extent, CRS and largest radius field value, read again only when
        the layer or the field changes (a file path would be opened at each reading, and the
        field's maximum may scan the table)."""
        wrapper = self._watched.get("input")
        if wrapper is None:
            return None
        value = wrapper.parameterValue()
        field = self._watched_value("radius_field") or ""
        key = f"{value!r}|{field}"
        if self._layer_facts is None or self._layer_facts[0] != key:
            source = QgsProcessingParameters.parameterAsSource(
                wrapper.parameterDefinition(), value, context
            )
            self._layer_facts = (key, _layer_facts(source, field))
        return self._layer_facts[1]

    def _spin_box_changed(self) -> None:
        self.widgetValueHasChanged.emit(self)
        if self.shows_raster_size:
            self._show_raster_size()

    def _show_raster_size(self) -> None:
        """Rows, columns and a note for the cell size shown (or the automatic one)."""
        cell_size = self.value()
        note = ""
        self.raster = None
        if self.extent is not None:
            unit = QgsUnitTypes.toAbbreviatedString(self.units.cell_size)
            if cell_size is None:
                try:
                    if self.radius_from_field:  # the algorithm takes the field's median
                        raise ValueError("The radii of the field are not read here.")
                    cell_size = automatic_cell_size(
                        self.extent, self.radius, geodesic=self.geodesic
                    )
                    note = self.tr("Automatic: {size} {unit}").format(
                        size=QLocale().toString(cell_size, "g", 3), unit=unit
                    )
                except ValueError:
                    note = self.tr(
                        "Automatic: chosen when the algorithm runs (about {cells} cells on the "
                        "longer side)"
                    ).format(cells=QLocale().toString(bandwidth.TARGET_CELLS))
                    cell_size = None
            elif self.radius is None:
                note = self.tr("Without the margin of the automatic radius")
            if cell_size is not None and cell_size > 0:
                try:
                    raster = raster_size(
                        self.extent, cell_size, self.radius, geodesic=self.geodesic
                    )
                except ValueError:
                    raster = None
                if raster is None or max(raster.rows, raster.cols) > LARGEST_COUNT:
                    note = self.tr("Too many cells for a raster file")
                else:
                    self.raster = raster
        self._show_counts()
        self.raster_note.setText(note)

    def _show_counts(self) -> None:
        rows, cols = (self.raster.rows, self.raster.cols) if self.raster else (0, 0)
        for box, count in ((self.rows_box, rows), (self.cols_box, cols)):
            box.blockSignals(True)
            box.setValue(count)
            box.blockSignals(False)
            box.setEnabled(self.raster is not None)

    def _count_typed(self, count: int, *, by_rows: bool) -> None:
        """Set the cell size that gives ``count`` rows (or columns); the boxes then show what
        that cell size gives, which may differ by one (the spin box rounds it)."""
        if self.raster is None:
            return
        raster = self.raster
        cell_size = (
            raster.cell_size_for_rows(count) if by_rows else raster.cell_size_for_cols(count)
        )
        if cell_size is None:
            self._show_counts()
            return
        self.spin_box.setValue(cell_size)
        self._show_raster_size()

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


def _layer_facts(source, radius_field: str) -> _LayerFacts | None:
    """The extent and CRS of ``source`` (a QgsProcessingFeatureSource, or None) and the largest
    value of its field ``radius_field`` ("" for none); None without a source or an extent."""
    if source is None:
        return None
    extent = source.sourceExtent()
    if extent.isNull():
        return None
    largest = None
    index = source.fields().lookupField(radius_field) if radius_field else -1
    if index >= 0:
        try:
            largest = float(source.maximumValue(index))
        except (TypeError, ValueError):
            largest = None
    return _LayerFacts(QgsRectangle(extent), source.sourceCrs(), largest)


def _qgis_modeler_widget(param, dialog):
    """QGIS's own modeler widget for ``param`` (static value, model input, algorithm output or
    expression), as Processing's factory makes it for a parameter without widget metadata."""
    widget = QgsGui.processingGuiRegistry().createModelerParameterWidget(
        dialog.model, dialog.childId, param, dialog.context
    )
    widget.setDialog(dialog)
    return widget


def _name_unset_automatic(widget) -> None:
    """Call an optional number left empty "Automatic" in QGIS's modeler widget, as the dialog
    does, instead of "Not set": for RADIUS and PIXEL_SIZE it means the algorithm chooses.

    QGIS 3.22 shows the static value's editor as the first page of the widget's
    ``QStackedWidget``; its spin box shows the special value text when not set. Nothing is
    changed when there is no such spin box (another QGIS version, a required parameter).
    """
    stack = widget.findChild(QStackedWidget)
    if stack is None or stack.count() == 0:
        return
    page = stack.widget(0)
    boxes = [page] if isinstance(page, QgsDoubleSpinBox) else page.findChildren(QgsDoubleSpinBox)
    for box in boxes:
        if box.specialValueText():
            box.setClearValue(box.clearValue(), ComputationDistanceWidgetWrapper.tr("Automatic"))


class ColorRampComboBox(QComboBox):
    """The colour ramps of the user's style (``QgsStyle.defaultStyle()``), each with its
    preview; a name the style lacks is kept as an entry of its own, without a preview, so a
    value from another machine or an older model is shown, not silently replaced."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIconSize(RAMP_PREVIEW_SIZE)
        style = QgsStyle.defaultStyle()
        for name in style.colorRampNames():
            icon = QgsSymbolLayerUtils.colorRampPreviewIcon(
                style.colorRamp(name), RAMP_PREVIEW_SIZE
            )
            self.addItem(icon, name)

    def ramp_name(self) -> str:
        """The name chosen."""
        return self.currentText()

    def set_ramp_name(self, name: str) -> None:
        """Choose the ramp ``name`` (case-insensitively, as the algorithm matches names)."""
        if self.currentText().casefold() == name.casefold():
            return
        wanted = name.casefold()
        for index in range(self.count()):
            if self.itemText(index).casefold() == wanted:
                self.setCurrentIndex(index)
                return
        self.addItem(name)
        self.setCurrentIndex(self.count() - 1)


class ColorRampWidgetWrapper(WidgetWrapper):
    """A dropdown of the user's colour ramps, with previews; the value is the ramp's name.

    Standard and batch dialogs: a :class:`ColorRampComboBox`. Modeler: QGIS's own modeler
    widget (model inputs, algorithm outputs, expressions), whose static value is chosen in a
    :class:`ColorRampComboBox` too (see :meth:`__new__`).
    """

    def __new__(cls, param, dialog, row=0, col=0, **kwargs):
        """In the modeler, QGIS's own widget, with the ramp dropdown as its static value's
        editor when :func:`offer_ramps_in_modeler_widget` finds where it goes."""
        if dialogTypes.get(type(dialog).__name__) == DIALOG_MODELER:
            widget = _qgis_modeler_widget(param, dialog)
            offer_ramps_in_modeler_widget(widget, param.defaultValue())
            return widget
        return super().__new__(cls)

    def createWidget(self) -> ColorRampComboBox:  # noqa: N802 (Processing API name)
        combo = ColorRampComboBox()
        combo.setToolTip(self.tr("Color ramps of your QGIS style"))
        combo.currentIndexChanged.connect(lambda: self.widgetValueHasChanged.emit(self))
        return combo

    def setValue(self, value) -> None:  # noqa: N802 (Processing API name)
        """Choose the ramp named ``value``; None, NULL or "" choose the parameter's default."""
        if value is None or value == NULL or value == "":
            value = self.parameterDefinition().defaultValue()
            if value is None:
                return
        self.widget.set_ramp_name(str(value))

    def value(self) -> str:
        """The name of the ramp chosen."""
        return self.widget.ramp_name()

    @staticmethod
    def tr(text: str) -> str:
        """Translate ``text`` in the context of this class."""
        return QCoreApplication.translate("ColorRampWidgetWrapper", text)


def offer_ramps_in_modeler_widget(widget, default: str | None) -> ColorRampComboBox | None:
    """Put a ramp dropdown in place of the static value's text box of QGIS's modeler widget.

    QGIS 3.22 stacks the static value's editor as the first page of the modeler widget's only
    ``QStackedWidget`` (a ``QLineEdit`` for a string parameter), and reads the value from it.
    The text box stays there, hidden: the dropdown writes the chosen name into it, and follows
    it when QGIS sets it (a child algorithm opened again). Returns the dropdown, or None when
    the widget is not built that way (another QGIS version): it is then left as QGIS made it, a
    text box, which still accepts any ramp name.
    """
    stack = widget.findChild(QStackedWidget)
    if stack is None or stack.count() == 0 or not isinstance(stack.widget(0), QLineEdit):
        return None
    text_box = stack.widget(0)
    shown = stack.currentIndex()
    page = QWidget()
    layout = QHBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    combo = ColorRampComboBox(page)
    combo.setToolTip(ColorRampWidgetWrapper.tr("Color ramps of your QGIS style"))
    layout.addWidget(combo, 1)
    stack.removeWidget(text_box)
    layout.addWidget(text_box)
    text_box.hide()
    stack.insertWidget(0, page)
    stack.setCurrentIndex(shown)
    combo.set_ramp_name(text_box.text() or default or combo.ramp_name())
    text_box.setText(combo.ramp_name())
    combo.currentTextChanged.connect(text_box.setText)
    text_box.textChanged.connect(lambda text: text and combo.set_ramp_name(text))
    return combo
