"""The radius and cell-size widgets show the computation CRS's unit and return the number typed.

Units: ``widgets.computation_units`` / ``distance_unit_label`` (no GUI). Widgets: our wrapper
following real QGIS widgets of the layer, output CRS and method parameters, and the real
Processing dialogs (standard, batch, modeler) built for the registered algorithm with the
widget metadata of ``WIDGET_METADATA`` on RADIUS and PIXEL_SIZE.
"""

from __future__ import annotations

import importlib

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
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import QgsGui, QgsProcessingGui, QgsProcessingModelerParameterWidget
from qgis.PyQt.QtWidgets import QWidget
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
    assert [source.staticValue() for source in child.parameterSources()["RADIUS"]] == [100.0]
    dialog.close()
