"""The radius and cell-size widgets show the computation CRS's unit and return the number typed.

Units: ``widgets.computation_units`` / ``distance_unit_label`` (no GUI). Widgets: our wrapper
following real QGIS widgets of the layer, output CRS and method parameters, and the real
Processing dialogs (standard, batch, modeler) built for the registered algorithm with the
widget metadata of ``WIDGET_METADATA`` on RADIUS and PIXEL_SIZE.
"""

from __future__ import annotations

import importlib
from math import ceil

import numpy as np
import pytest
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingModelAlgorithm,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDistance,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import (
    QgsDoubleSpinBox,
    QgsGui,
    QgsProcessingGui,
    QgsProcessingModelerParameterWidget,
)
from qgis.PyQt.QtWidgets import QDialog, QWidget
from qgis_test_support import PointFeature, make_gpkg

WRAPPER_CLASS = "kde_heatmap_plugin.processing.widgets.ComputationDistanceWidgetWrapper"
WIDGET_METADATA = {
    "RADIUS": {"widget_wrapper": {"class": WRAPPER_CLASS, "kind": "radius"}},
    "PIXEL_SIZE": {"widget_wrapper": {"class": WRAPPER_CLASS, "kind": "cell_size"}},
}
"""What heatmap_algorithm.py sets on its parameters (the class path from its own package)."""

UTM_17N = QgsCoordinateReferenceSystem("EPSG:32617")
PENNSYLVANIA_FEET = QgsCoordinateReferenceSystem("EPSG:2272")
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
NO_CRS = QgsCoordinateReferenceSystem()


@pytest.fixture(scope="module")
def widgets(qgis_processing):
    """The module under test: it imports QGIS's Processing plugin, importable only once
    ``qgis_processing`` has put it on the path (as QGIS does at start-up)."""
    return importlib.import_module("kde_heatmap_plugin.processing.widgets")


@pytest.mark.parametrize(
    ("layer_crs", "output_crs", "geodesic", "radius", "cell_size", "source"),
    [
        (UTM_17N, None, False, "meters", "meters", "layer"),
        (PENNSYLVANIA_FEET, None, False, "feet", "feet", "layer"),
        (WGS84, None, False, "meters", "meters", "automatic_projection"),
        (WGS84, NO_CRS, False, "meters", "meters", "automatic_projection"),
        (WGS84, PENNSYLVANIA_FEET, False, "feet", "feet", "output_crs"),
        (UTM_17N, PENNSYLVANIA_FEET, False, "feet", "feet", "output_crs"),
        (PENNSYLVANIA_FEET, WGS84, False, "degrees", "degrees", "output_crs"),
        (WGS84, None, True, "meters", "degrees", "geodesic"),
        (PENNSYLVANIA_FEET, UTM_17N, True, "meters", "degrees", "geodesic"),
        (None, None, True, "meters", "degrees", "geodesic"),
        (None, None, False, "<unknown>", "<unknown>", "unknown"),
        (NO_CRS, None, False, "<unknown>", "<unknown>", "unknown"),
    ],
)
def test_unit_of_each_distance(widgets, layer_crs, output_crs, geodesic, radius, cell_size, source):
    units = widgets.computation_units(layer_crs, output_crs, geodesic)
    assert units.source == widgets.UnitSource(source)
    label = widgets.distance_unit_label
    assert label(layer_crs, output_crs, geodesic) == radius
    assert label(layer_crs, output_crs, geodesic, widgets.DistanceKind.CELL_SIZE) == cell_size


def test_only_planar_degrees_are_questionable(widgets):
    computation_units, DistanceKind = widgets.computation_units, widgets.DistanceKind  # noqa: N806
    geographic_output = computation_units(UTM_17N, WGS84, geodesic=False)
    assert geographic_output.is_questionable(DistanceKind.RADIUS)
    geodesic = computation_units(WGS84, None, geodesic=True)
    assert not geodesic.is_questionable(DistanceKind.CELL_SIZE)
    assert not computation_units(WGS84, None, geodesic=False).is_questionable(DistanceKind.RADIUS)


def test_explanations_name_the_reason(widgets):
    explain = widgets.ComputationDistanceWidgetWrapper.explanation
    computation_units, DistanceKind = widgets.computation_units, widgets.DistanceKind  # noqa: N806
    automatic = computation_units(WGS84, None, geodesic=False)
    assert "UTM zone" in explain(automatic, DistanceKind.RADIUS)
    geodesic = computation_units(WGS84, None, geodesic=True)
    assert "ellipsoid" in explain(geodesic, DistanceKind.RADIUS)
    assert "longitude/latitude grid" in explain(geodesic, DistanceKind.CELL_SIZE)
    feet = computation_units(PENNSYLVANIA_FEET, None, False)
    assert "(feet)" in explain(feet, DistanceKind.RADIUS)


@pytest.fixture()
def layers(qgis_app, tmp_path):
    """Point layers in UTM 17N (m), Pennsylvania State Plane (ft) and EPSG:4326, in the
    project (as the dialogs list them)."""
    points = [PointFeature("POINT (1 2)", {})]
    found = {
        name: QgsVectorLayer(make_gpkg(str(tmp_path / f"{name}.gpkg"), points, epsg=epsg), name)
        for name, epsg in (("utm", 32617), ("feet", 2272), ("latlon", 4326))
    }
    assert all(layer.isValid() for layer in found.values())
    QgsProject.instance().addMapLayers(list(found.values()))
    yield found
    QgsProject.instance().removeAllMapLayers()


def project_context() -> QgsProcessingContext:
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return context


class BatchAlgorithmDialog(QWidget):
    """Processing tells dialogs apart by their class name only."""


def sibling_wrappers(dialog_type: QgsProcessingGui.WidgetType) -> dict:
    """QGIS's own wrappers, with their definitions and widgets, for parameters named as the
    algorithm's INPUT, OUTPUT_CRS and DISTANCE_METHOD (the ones the unit depends on)."""
    definitions = [
        QgsProcessingParameterFeatureSource("INPUT", "Point layer"),
        QgsProcessingParameterCrs("OUTPUT_CRS", "Output CRS", optional=True),
        QgsProcessingParameterEnum("DISTANCE_METHOD", "Method", ["Planar", "Geodesic"], False, 0),
    ]
    found = {}
    for definition in definitions:
        wrapper = QgsGui.processingGuiRegistry().createParameterWidgetWrapper(
            definition, dialog_type
        )
        widget = wrapper.createWrappedWidget(project_context())
        found[definition.name()] = (wrapper, definition, widget)  # the wrapper owns neither
    return found


def radius_wrapper(widgets, dialog: QWidget):
    definition = QgsProcessingParameterDistance("RADIUS", "Radius", 100.0, "INPUT", False, 0.0)
    wrapper = widgets.ComputationDistanceWidgetWrapper(definition, dialog)
    wrapper.definition = definition  # keep it alive as long as the wrapper
    return wrapper


def test_standard_widget_follows_layer_output_crs_and_method(widgets, layers):
    dialog = QWidget()
    siblings = sibling_wrappers(QgsProcessingGui.Standard)
    radius = radius_wrapper(widgets, dialog)
    radius.postInitialize([wrapper for wrapper, *_ in siblings.values()] + [radius])
    context = project_context()
    layer_widget, crs_widget, method_widget = (siblings[n][0] for n in siblings)
    shown = []
    for step in (
        lambda: layer_widget.setParameterValue(layers["utm"].id(), context),
        lambda: layer_widget.setParameterValue(layers["feet"].id(), context),
        lambda: layer_widget.setParameterValue(layers["latlon"].id(), context),
        lambda: crs_widget.setParameterValue(PENNSYLVANIA_FEET, context),
        lambda: crs_widget.setParameterValue(WGS84, context),
        lambda: method_widget.setParameterValue(1, context),
    ):
        step()
        shown.append((radius.unit_label.text(), radius.warning_icon.isVisibleTo(radius.widget)))
    assert shown == [
        ("meters", False),
        ("feet", False),
        ("meters", False),
        ("feet", False),
        ("degrees", True),
        ("meters", False),
    ]
    assert "ellipsoid" in radius.unit_label.toolTip()


def test_value_is_returned_as_typed(widgets, layers):
    dialog = QWidget()
    siblings = sibling_wrappers(QgsProcessingGui.Standard)
    radius = radius_wrapper(widgets, dialog)
    radius.postInitialize([wrapper for wrapper, *_ in siblings.values()])
    context = project_context()
    for layer in ("latlon", "feet"):
        siblings["INPUT"][0].setParameterValue(layers[layer].id(), context)
        for value in (250.0, 0.125, "1500"):
            radius.setParameterValue(value, context)
            assert radius.parameterValue() == float(value)
    radius.setParameterValue(None, context)  # ignored: keeps the last number
    assert radius.parameterValue() == 1500.0
    radius.spin_box.lineEdit().setText("2 * 21")  # the spin box evaluates expressions
    radius.spin_box.interpretText()
    assert radius.parameterValue() == 42.0


def test_batch_rows_show_their_own_unit_as_a_suffix(widgets, layers):
    siblings = sibling_wrappers(QgsProcessingGui.Batch)
    cell_size = widgets.ComputationDistanceWidgetWrapper(
        QgsProcessingParameterDistance("PIXEL_SIZE", "Cell", 0.1),
        BatchAlgorithmDialog(),
        1,
        3,
        kind="cell_size",
    )
    assert cell_size.widget is cell_size.spin_box and cell_size.label is None
    cell_size.postInitialize([wrapper for wrapper, *_ in siblings.values()])
    context = project_context()
    siblings["INPUT"][0].setParameterValue(layers["feet"].id(), context)
    assert cell_size.spin_box.suffix() == " ft"
    siblings["DISTANCE_METHOD"][0].setParameterValue(1, context)
    assert cell_size.spin_box.suffix() == " deg"
    assert cell_size.parameterValue() == pytest.approx(0.1)


def test_the_algorithm_attaches_the_widgets(heatmap_plugin):
    algorithm = QgsApplication.processingRegistry().algorithmById("kdeheatmap:heatmap")
    for name, metadata in WIDGET_METADATA.items():
        wrapper = algorithm.parameterDefinition(name).metadata()["widget_wrapper"]
        assert wrapper["kind"] == metadata["widget_wrapper"]["kind"]
        assert wrapper["class"].endswith(".processing.widgets.ComputationDistanceWidgetWrapper")


@pytest.fixture()
def wired_algorithm(heatmap_plugin):
    """A fresh instance of the registered algorithm with the widget metadata."""
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("kdeheatmap:heatmap")
    for name, metadata in WIDGET_METADATA.items():
        algorithm.parameterDefinition(name).setMetadata(metadata)
    return algorithm


def test_algorithm_dialog_shows_meters_for_a_latlon_layer(
    widgets, layers, wired_algorithm, monkeypatch
):
    from processing.gui import ParametersPanel
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    # pytest-qgis's stand-in iface has no browserModel(), which the panel asks the real one for
    monkeypatch.setattr(ParametersPanel, "iface", None)
    dialog = AlgorithmDialog(wired_algorithm)
    dialog.setParameters({"INPUT": layers["utm"].id(), "RADIUS": 15.0, "PIXEL_SIZE": 0.5})
    wrappers = dialog.mainWidget().wrappers
    radius, cell_size = wrappers["RADIUS"], wrappers["PIXEL_SIZE"]
    assert isinstance(radius, widgets.ComputationDistanceWidgetWrapper)
    assert (radius.unit_label.text(), cell_size.unit_label.text()) == ("meters", "meters")
    wrappers["INPUT"].setParameterValue(layers["latlon"].id(), project_context())
    assert (radius.unit_label.text(), cell_size.unit_label.text()) == ("meters", "meters")
    assert not radius.warning_icon.isVisibleTo(radius.widget)
    parameters = dialog.mainWidget().createProcessingParameters()
    assert (parameters["RADIUS"], parameters["PIXEL_SIZE"]) == (15.0, 0.5)
    dialog.close()


def test_batch_dialog_uses_the_widget_per_row(layers, wired_algorithm):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog as QgisBatchDialog

    dialog = QgisBatchDialog(wired_algorithm)
    panel = dialog.mainWidget()
    while panel.batchRowCount() < 2:
        panel.addRow()
    context = project_context()
    for row, layer in enumerate(("feet", "latlon")):
        panel.wrappers[row][panel.parameter_to_column["INPUT"]].setParameterValue(
            layers[layer].id(), context
        )
    column = panel.parameter_to_column["RADIUS"]
    assert [panel.wrappers[row][column].spin_box.suffix() for row in (0, 1)] == [" ft", " m"]
    dialog.close()


def test_modeler_keeps_qgis_own_widget(heatmap_plugin, wired_algorithm):
    from processing.modeler.ModelerParametersDialog import ModelerParametersDialog

    model = QgsProcessingModelAlgorithm("widgets", "tests")
    dialog = ModelerParametersDialog(wired_algorithm, model)
    radius = dialog.widget.widget.wrappers["RADIUS"]
    assert isinstance(radius, QgsProcessingModelerParameterWidget)  # inputs, expressions
    child = dialog.createAlgorithm()
    default = wired_algorithm.parameterDefinition("RADIUS").defaultValue()
    assert [source.staticValue() for source in child.parameterSources()["RADIUS"]] == [default]
    dialog.close()


# ---- "Automatic": an optional distance left empty -------------------------------------------


def optional_wrapper(widgets, dialog: QWidget, name: str = "RADIUS", kind: str = "radius"):
    """Our wrapper on an optional distance without a default (the algorithm's RADIUS and
    PIXEL_SIZE: left empty, the run chooses them)."""
    definition = QgsProcessingParameterDistance(name, name, None, "INPUT", True, 0.0)
    wrapper = widgets.ComputationDistanceWidgetWrapper(definition, dialog, kind=kind)
    wrapper.definition = definition
    return wrapper


@pytest.mark.parametrize("dialog_class", [QWidget, BatchAlgorithmDialog])
def test_automatic_is_none_and_numbers_come_back_as_typed(widgets, dialog_class):
    wrapper = optional_wrapper(widgets, dialog_class())
    context = project_context()
    spin_box = wrapper.spin_box
    assert wrapper.parameterValue() is None
    assert spin_box.text() == "Automatic"
    assert spin_box.lineEdit().placeholderText() == "Automatic"  # shown when emptied
    for value, expected in ((250.0, 250.0), ("0.125", 0.125), (None, None), (7, 7.0), ("", None)):
        wrapper.setParameterValue(value, context)
        assert wrapper.parameterValue() == expected
    wrapper.setParameterValue(12.5, context)
    spin_box.clear()  # the clear button: an empty box, "Automatic" as its placeholder
    assert wrapper.parameterValue() is None and spin_box.text() == ""
    wrapper.setParameterValue(12.5, context)
    spin_box.lineEdit().setText("")  # the text deleted by hand
    spin_box.interpretText()
    assert wrapper.parameterValue() is None
    spin_box.lineEdit().setText("0")  # the smallest number allowed is a number, not Automatic
    spin_box.interpretText()
    assert wrapper.parameterValue() == 0.0


def test_a_required_distance_never_becomes_automatic(widgets):
    wrapper = radius_wrapper(widgets, QWidget())
    wrapper.spin_box.clear()
    assert wrapper.parameterValue() == 100.0  # the clear button restores the default
    wrapper.setParameterValue(None, project_context())
    assert wrapper.parameterValue() == 100.0


# ---- rows and columns of the raster ---------------------------------------------------------


@pytest.fixture()
def extent_layers(qgis_app, tmp_path):
    """Layers whose extents are known: ``utm`` from (0, 0) to (1000, 500) m in UTM 17N (with
    a field ``r`` of radii 5 and 30), ``latlon`` from 10 E 50 N to 11 E 50.5 N in EPSG:4326,
    ``empty`` without points."""
    from osgeo import ogr

    found = {}
    for name, epsg, corners in (
        ("utm", 32617, ((0, 0), (1000, 500))),
        ("latlon", 4326, ((10, 50), (11, 50.5))),
        ("empty", 32617, ()),
    ):
        points = [
            PointFeature(f"POINT ({x} {y})", {"r": radius})
            for (x, y), radius in zip(corners, (5.0, 30.0))
        ]
        uri = make_gpkg(
            str(tmp_path / f"{name}.gpkg"), points, epsg=epsg, fields={"r": ogr.OFTReal}
        )
        found[name] = QgsVectorLayer(uri, name)
    assert all(layer.isValid() for layer in found.values())
    QgsProject.instance().addMapLayers(list(found.values()))
    yield found
    QgsProject.instance().removeAllMapLayers()


class CellSizeForm:
    """Our radius and cell-size wrappers (optional, no default) with QGIS's own wrappers of
    INPUT, OUTPUT_CRS, DISTANCE_METHOD and RADIUS_FIELD, as in the standard dialog."""

    def __init__(self, widgets, layer_id: str) -> None:
        self.dialog = QWidget()
        self.siblings = sibling_wrappers(QgsProcessingGui.Standard)
        field = QgsProcessingParameterField(
            "RADIUS_FIELD", "Radius field", parentLayerParameterName="INPUT", optional=True
        )
        field_wrapper = QgsGui.processingGuiRegistry().createParameterWidgetWrapper(
            field, QgsProcessingGui.Standard
        )
        self.siblings["RADIUS_FIELD"] = (
            field_wrapper,
            field,
            field_wrapper.createWrappedWidget(project_context()),
        )
        self.radius = optional_wrapper(widgets, self.dialog)
        self.cell = optional_wrapper(widgets, self.dialog, "PIXEL_SIZE", "cell_size")
        wrappers = [wrapper for wrapper, *_ in self.siblings.values()]
        field_wrapper.postInitialize(wrappers)
        self.radius.postInitialize([*wrappers, self.cell])
        self.cell.postInitialize([*wrappers, self.radius])
        self.set("INPUT", layer_id)

    def set(self, name: str, value) -> None:
        wrapper = {"RADIUS": self.radius, "PIXEL_SIZE": self.cell}.get(name)
        wrapper = wrapper or self.siblings[name][0]
        wrapper.setParameterValue(value, project_context())

    @property
    def counts(self) -> tuple[int, int]:
        return self.cell.rows_box.value(), self.cell.cols_box.value()


def outline_in(source: str, target: str, extent: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The outline of ``extent`` (x_min, y_min, x_max, y_max in ``source``), 200 points a side,
    transformed to ``target`` by pyproj (longitude, latitude order)."""
    from pyproj import Transformer

    x_min, y_min, x_max, y_max = extent
    steps = np.linspace(0.0, 1.0, 201)
    across = x_min + steps * (x_max - x_min)
    up = y_min + steps * (y_max - y_min)
    xs = np.concatenate([across, across, np.full(201, x_min), np.full(201, x_max)])
    ys = np.concatenate([np.full(201, y_min), np.full(201, y_max), up, up])
    return Transformer.from_crs(source, target, always_xy=True).transform(xs, ys)


def test_rows_and_columns_of_a_projected_layer(widgets, extent_layers):
    form = CellSizeForm(widgets, extent_layers["utm"].id())
    form.set("RADIUS", 40.0)
    form.set("PIXEL_SIZE", 10.0)
    # QGIS's rule: ceil((extent + 2 radius) / cell) + 1
    assert form.counts == (ceil(580 / 10) + 1, ceil(1080 / 10) + 1) == (59, 109)
    assert form.cell.raster_note.text() == ""
    assert form.cell.unit_label.text() == "meters"
    form.set("RADIUS", 90.0)
    assert form.counts == (69, 119)
    form.set("OUTPUT_CRS", PENNSYLVANIA_FEET)  # radius and cell now in feet
    assert form.cell.unit_label.text() == "feet"
    x, y = outline_in("EPSG:32617", "EPSG:2272", (0, 0, 1000, 500))
    expected = (ceil((np.ptp(y) + 180) / 10) + 1, ceil((np.ptp(x) + 180) / 10) + 1)
    assert np.abs(np.subtract(form.counts, expected)).max() <= 1


def test_typing_rows_or_columns_sets_the_cell_size(widgets, extent_layers):
    form = CellSizeForm(widgets, extent_layers["utm"].id())
    form.set("RADIUS", 40.0)
    form.set("PIXEL_SIZE", 10.0)
    form.cell.rows_box.setValue(30)  # 580 / 29 = 20
    assert form.cell.parameterValue() == pytest.approx(20.0)
    assert form.counts == (30, 55)
    form.cell.cols_box.setValue(1081)  # 1080 / 1080 = 1
    assert form.cell.parameterValue() == pytest.approx(1.0)
    assert form.counts == (581, 1081)


def test_automatic_cell_size_shows_the_rule_result(widgets, extent_layers):
    form = CellSizeForm(widgets, extent_layers["utm"].id())
    form.set("RADIUS", 40.0)
    # min(1080 / 1000, 40 / 10) = 1.08, rounded down to two digits: 1.0
    assert form.cell.parameterValue() is None
    assert form.counts == (581, 1081)
    assert form.cell.raster_note.text() == "Automatic: 1 m"
    form.set("RADIUS", None)  # both automatic: the radius is only known when the run reads
    assert form.counts == (0, 0) and not form.cell.rows_box.isEnabled()
    assert "Automatic: chosen when the algorithm runs" in form.cell.raster_note.text()
    form.set("PIXEL_SIZE", 10.0)  # the points' extent without the radius
    assert form.counts == (51, 101)
    assert "automatic radius" in form.cell.raster_note.text()


def test_rows_and_columns_of_a_latlon_layer_in_its_utm_zone(widgets, extent_layers):
    form = CellSizeForm(widgets, extent_layers["latlon"].id())
    form.set("RADIUS", 500.0)
    form.set("PIXEL_SIZE", 100.0)
    assert form.cell.unit_label.text() == "meters"
    x, y = outline_in("EPSG:4326", "EPSG:32632", (10, 50, 11, 50.5))  # its UTM zone
    expected_rows = ceil((np.ptp(y) + 1000) / 100) + 1
    expected_cols = ceil((np.ptp(x) + 1000) / 100) + 1
    rows, cols = form.counts
    assert abs(rows - expected_rows) <= 1 and abs(cols - expected_cols) <= 1
    # 0.5 degree of latitude: 55.6 km (the top edge curves: 56.9 km); 1 degree at 50 N: 71.6
    assert 570 < rows < 600 and 720 < cols < 760


def test_rows_and_columns_of_the_geodesic_grid(widgets, extent_layers):
    form = CellSizeForm(widgets, extent_layers["latlon"].id())
    form.set("DISTANCE_METHOD", 1)
    form.set("RADIUS", 1000.0)
    form.set("PIXEL_SIZE", 0.01)
    assert form.cell.unit_label.text() == "degrees"
    # By hand: 1000 m reach 0.00904 degrees of latitude, 0.0142 of longitude at 50.5 N; edges
    # snapped outwards to 0.01: latitudes 49.99..50.51 (52 rows), longitudes 9.98..11.02 (104)
    assert form.counts == (52, 104)
    form.set("PIXEL_SIZE", None)
    # automatic: min(1.04 degrees / 1000, 1000 m / 111195 m per degree / 10 = 0.000899),
    # rounded down to two digits: 0.00089; 0.518 x 1.028 degrees with the reach of the radius
    assert form.cell.raster_note.text() == "Automatic: 0.00089 deg"
    rows, cols = form.counts
    assert 580 <= rows <= 585 and 1154 <= cols <= 1159


def test_no_layer_no_rows_and_columns(widgets, extent_layers):
    form = CellSizeForm(widgets, extent_layers["utm"].id())
    form.set("RADIUS", 40.0)
    form.set("PIXEL_SIZE", 10.0)
    form.set("INPUT", extent_layers["empty"].id())  # no extent
    assert form.counts == (0, 0)
    assert form.cell.rows_box.text() == "\u2013"
    form.set("INPUT", extent_layers["utm"].id())
    form.set("RADIUS", 1e4)
    form.set("PIXEL_SIZE", 1e-6)  # 2.1e10 columns: more than a raster file holds (2^31 - 1)
    assert form.counts == (0, 0)
    assert form.cell.raster_note.text() == "Too many cells for a raster file"


def test_algorithm_dialog_automatic_values(widgets, extent_layers, wired_algorithm, monkeypatch):
    from processing.gui import ParametersPanel
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    monkeypatch.setattr(ParametersPanel, "iface", None)
    dialog = AlgorithmDialog(wired_algorithm)
    dialog.setParameters({"INPUT": extent_layers["utm"].id(), "RADIUS": 40.0})
    wrappers = dialog.mainWidget().wrappers
    cell_size = wrappers["PIXEL_SIZE"]
    assert (cell_size.rows_box.value(), cell_size.cols_box.value()) == (581, 1081)
    wrappers["RADIUS_FIELD"].setParameterValue("r", project_context())  # largest radius 30
    assert "chosen when the algorithm runs" in cell_size.raster_note.text()  # the field's median
    cell_size.setParameterValue(10.0, project_context())
    assert (cell_size.rows_box.value(), cell_size.cols_box.value()) == (57, 107)
    wrappers["RADIUS_FIELD"].setParameterValue(None, project_context())
    cell_size.setParameterValue(None, project_context())
    parameters = dialog.mainWidget().createProcessingParameters()
    assert (parameters["RADIUS"], parameters["PIXEL_SIZE"]) == (40.0, None)
    wrappers["RADIUS"].spin_box.clear()
    parameters = dialog.mainWidget().createProcessingParameters()
    assert (parameters["RADIUS"], parameters["PIXEL_SIZE"]) == (None, None)
    dialog.close()


def test_modeler_calls_an_empty_optional_distance_automatic(widgets, heatmap_plugin):
    from processing.modeler.ModelerParametersDialog import ModelerParametersDialog as QgisDialog

    class ModelerParametersDialog(QDialog):  # what the factory passes: model, child, context
        model = QgsProcessingModelAlgorithm("widgets", "tests")
        childId = "heatmap"  # noqa: N815 (Processing's name)
        context = project_context()

    assert QgisDialog.__name__ == ModelerParametersDialog.__name__
    dialog = ModelerParametersDialog()
    definition = QgsProcessingParameterDistance("RADIUS", "Radius", None, "INPUT", True, 0.0)
    radius = widgets.ComputationDistanceWidgetWrapper(definition, dialog, kind="radius")
    assert isinstance(radius, QgsProcessingModelerParameterWidget)
    spin_boxes = radius.findChildren(QgsDoubleSpinBox)
    assert [box.text() for box in spin_boxes if box.isVisibleTo(radius)] == ["Automatic"]
    assert radius.value().staticValue() is None
