"""COLOR_RAMP's dropdown: the user's style ramps with previews, the value a ramp name.

The wrapper on its own, and in the real Processing dialogs (standard, batch, modeler) built for
the registered algorithm with the widget metadata of ``RAMP_METADATA`` on COLOR_RAMP.
"""

from __future__ import annotations

import importlib

import pytest
from qgis.core import (
    QgsApplication,
    QgsGradientColorRamp,
    QgsProcessingModelAlgorithm,
    QgsProcessingModelChildParameterSource,
    QgsProcessingModelParameter,
    QgsProcessingParameterString,
    QgsProject,
    QgsStyle,
    QgsVectorLayer,
)
from qgis.gui import QgsProcessingModelerParameterWidget
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import QLineEdit, QStackedWidget, QWidget
from qgis_test_support import PointFeature, make_gpkg

RAMP_METADATA = {
    "widget_wrapper": {"class": "kde_heatmap_plugin.processing.widgets.ColorRampWidgetWrapper"}
}
"""What heatmap_algorithm.py sets on COLOR_RAMP."""


@pytest.fixture(scope="module")
def widgets(qgis_processing):
    return importlib.import_module("kde_heatmap_plugin.processing.widgets")


def ramp_wrapper(widgets, dialog: QWidget):
    """Our wrapper on a string parameter like COLOR_RAMP (kept alive with the wrapper: the
    wrapper does not own its definition)."""
    definition = QgsProcessingParameterString("COLOR_RAMP", "Color ramp", "Viridis")
    wrapper = widgets.ColorRampWidgetWrapper(definition, dialog)
    wrapper.definition = definition
    return wrapper


def test_dropdown_lists_the_style_ramps_with_previews(widgets):
    combo = widgets.ColorRampComboBox()
    names = [combo.itemText(index) for index in range(combo.count())]
    assert names == list(QgsStyle.defaultStyle().colorRampNames())
    assert {"Viridis", "Magma", "Reds", "Turbo"} <= set(names)
    for index in range(combo.count()):
        preview = combo.itemIcon(index).pixmap(widgets.RAMP_PREVIEW_SIZE).toImage()
        assert not preview.isNull()
    viridis = combo.itemIcon(names.index("Viridis")).pixmap(widgets.RAMP_PREVIEW_SIZE).toImage()
    left, right = viridis.pixelColor(2, 8), viridis.pixelColor(61, 8)
    assert (
        left.blue() > left.green() and right.red() > 150 and right.green() > 150
    )  # purple..yellow


def test_a_ramp_added_to_the_style_is_offered(widgets):
    style = QgsStyle.defaultStyle()
    ramp = QgsGradientColorRamp(QColor("white"), QColor("darkred"))
    assert style.addColorRamp("kde test ramp", ramp, True)
    try:
        combo = widgets.ColorRampComboBox()
        assert combo.findText("kde test ramp") >= 0
    finally:
        style.removeColorRamp("kde test ramp")


@pytest.mark.parametrize("dialog_class_name", ["AlgorithmDialog", "BatchAlgorithmDialog"])
def test_value_is_the_ramp_name(widgets, dialog_class_name):
    dialog = type(dialog_class_name, (QWidget,), {})()
    wrapper = ramp_wrapper(widgets, dialog)
    assert wrapper.parameterValue() == "Viridis"  # the parameter's default
    for given, shown in (("Magma", "Magma"), ("inferno", "Inferno"), ("TURBO", "Turbo")):
        wrapper.setValue(given)
        assert wrapper.parameterValue() == shown
    wrapper.setValue(None)
    assert wrapper.parameterValue() == "Viridis"
    count = wrapper.widget.count()
    wrapper.setValue("From another machine")  # kept, not replaced by another ramp
    assert wrapper.parameterValue() == "From another machine"
    assert wrapper.widget.count() == count + 1
    wrapper.widget.setCurrentIndex(wrapper.widget.findText("Reds"))
    assert wrapper.parameterValue() == "Reds"


def test_changes_are_signalled(widgets):
    wrapper = ramp_wrapper(widgets, QWidget())
    seen = []
    wrapper.widgetValueHasChanged.connect(lambda changed: seen.append(changed.parameterValue()))
    wrapper.widget.setCurrentIndex(wrapper.widget.findText("Blues"))
    assert seen == ["Blues"]


@pytest.fixture()
def wired_algorithm(heatmap_plugin):
    algorithm = QgsApplication.processingRegistry().createAlgorithmById("kdeheatmap:heatmap")
    algorithm.parameterDefinition("COLOR_RAMP").setMetadata(RAMP_METADATA)
    return algorithm


def test_algorithm_dialog_passes_the_name(widgets, wired_algorithm, monkeypatch, tmp_path):
    from processing.gui import ParametersPanel
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    layer = QgsVectorLayer(make_gpkg(str(tmp_path / "p.gpkg"), [PointFeature("POINT (1 2)", {})]))
    QgsProject.instance().addMapLayer(layer)
    monkeypatch.setattr(ParametersPanel, "iface", None)
    dialog = AlgorithmDialog(wired_algorithm)
    ramp = dialog.mainWidget().wrappers["COLOR_RAMP"]
    assert isinstance(ramp, widgets.ColorRampWidgetWrapper)
    assert ramp.parameterValue() == "Viridis"
    dialog.setParameters({"INPUT": layer.id(), "COLOR_RAMP": "magma"})
    assert dialog.mainWidget().createProcessingParameters()["COLOR_RAMP"] == "Magma"
    dialog.close()
    QgsProject.instance().removeAllMapLayers()


def test_batch_dialog_has_a_dropdown_per_row(widgets, wired_algorithm):
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog

    dialog = BatchAlgorithmDialog(wired_algorithm)
    panel = dialog.mainWidget()
    while panel.batchRowCount() < 2:
        panel.addRow()
    column = panel.parameter_to_column["COLOR_RAMP"]
    rows = [panel.wrappers[row][column] for row in (0, 1)]
    assert all(isinstance(wrapper.widget, widgets.ColorRampComboBox) for wrapper in rows)
    rows[1].widget.setCurrentIndex(rows[1].widget.findText("Greens"))
    assert [wrapper.parameterValue() for wrapper in rows] == ["Viridis", "Greens"]
    dialog.close()


def modeler_dialog(algorithm):
    from processing.modeler.ModelerParametersDialog import ModelerParametersDialog

    model = QgsProcessingModelAlgorithm("ramps", "tests")
    model.addModelParameter(
        QgsProcessingParameterString("ramp_input", "Ramp"),
        QgsProcessingModelParameter("ramp_input"),
    )
    return ModelerParametersDialog(algorithm, model)


def static_combo(widgets, modeler_widget):
    stack = modeler_widget.findChild(QStackedWidget)
    return stack.widget(0).findChild(widgets.ColorRampComboBox), stack


def test_modeler_static_value_is_chosen_from_the_ramps(widgets, wired_algorithm):
    dialog = modeler_dialog(wired_algorithm)
    ramp = dialog.widget.widget.wrappers["COLOR_RAMP"]
    assert isinstance(ramp, QgsProcessingModelerParameterWidget)  # inputs, expressions
    combo, stack = static_combo(widgets, ramp)
    assert combo is not None and combo.isVisibleTo(stack.widget(0))
    assert not stack.widget(0).findChild(QLineEdit).isVisibleTo(stack.widget(0))
    assert combo.ramp_name() == "Viridis"
    combo.setCurrentIndex(combo.findText("Plasma"))
    child = dialog.createAlgorithm()
    sources = child.parameterSources()["COLOR_RAMP"]
    assert [(source.source(), source.staticValue()) for source in sources] == [
        (QgsProcessingModelChildParameterSource.StaticValue, "Plasma")
    ]
    dialog.close()


def test_modeler_keeps_model_inputs_and_expressions(widgets, wired_algorithm):
    dialog = modeler_dialog(wired_algorithm)
    ramp = dialog.widget.widget.wrappers["COLOR_RAMP"]
    ramp.setWidgetValue(QgsProcessingModelChildParameterSource.fromModelParameter("ramp_input"))
    sources = dialog.createAlgorithm().parameterSources()["COLOR_RAMP"]
    assert [(s.source(), s.parameterName()) for s in sources] == [
        (QgsProcessingModelChildParameterSource.ModelParameter, "ramp_input")
    ]
    ramp.setWidgetValue(QgsProcessingModelChildParameterSource.fromExpression("'Mag' || 'ma'"))
    sources = dialog.createAlgorithm().parameterSources()["COLOR_RAMP"]
    assert [(s.source(), s.expression()) for s in sources] == [
        (QgsProcessingModelChildParameterSource.Expression, "'Mag' || 'ma'")
    ]
    ramp.setWidgetValue(QgsProcessingModelChildParameterSource.fromStaticValue("cividis"))
    combo, _ = static_combo(widgets, ramp)
    assert combo.ramp_name() == "Cividis"  # a child opened again shows its ramp
    sources = dialog.createAlgorithm().parameterSources()["COLOR_RAMP"]
    assert [s.staticValue() for s in sources] == ["Cividis"]
    dialog.close()


def test_the_algorithm_attaches_the_ramp_widget(heatmap_plugin):
    algorithm = QgsApplication.processingRegistry().algorithmById("kdeheatmap:heatmap")
    wrapper = algorithm.parameterDefinition("COLOR_RAMP").metadata()["widget_wrapper"]
    assert wrapper["class"].endswith(".processing.widgets.ColorRampWidgetWrapper")
