"""Run inside the QGIS desktop by scripts/screenshots.sh (``qgis --code``): take the screenshots.

QGIS executes this file's text (no ``__file__``); scripts/screenshots.sh passes everything
through the environment: KDE_SHOTS_DIR (pictures), KDE_SHOTS_WORK (scratch folder),
KDE_SHOTS_PLUGIN (the installed plugin folder), KDE_SHOTS_SAMPLE (the sample GeoPackage),
KDE_SHOTS_STATUS (gets "ok" or the reason of a failure), KDE_SHOTS_LOG (one line per step),
KDE_SHOTS_TIMEOUT (seconds; the session gives up and quits 20 s before the shell's timeout).

The steps are chained through Qt's event loop (QTimer, signals), never by sleeping, so QGIS
keeps painting; each waits for what it needs (the run's end, the canvas's rendering, the
plugin manager's window) with a deadline, and any failure ends the session with its reason.
"""

import os
import time
import traceback

import processing
import qgis.utils
from qgis.core import QgsApplication, QgsMarkerSymbol, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QObject, QTimer, QUrl, pyqtSlot
from qgis.PyQt.QtGui import QDesktopServices, QPainter, QPixmap
from qgis.PyQt.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QDockWidget,
    QLineEdit,
    QListView,
)
from qgis.utils import iface

ALGORITHM_ID = "kdeheatmap:heatmap"
SAMPLE_PARAMETERS = {"RADIUS": 15.0, "PIXEL_SIZE": 0.5, "WEIGHT_FIELD": "mark", "OUTPUT_VALUE": 2}
"""The README's sample run: longleaf pines weighted by trunk diameter, Density."""
WINDOW_SIZE = (1600, 1000)
DIALOG_SIZE = (1100, 820)


class OpenedUrls(QObject):
    """Receives the URLs QGIS asks the desktop to open (instead of starting a browser)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @pyqtSlot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


class Session:
    """The screenshot steps, one after another, each with a deadline."""

    def __init__(self) -> None:
        self.out_dir = os.environ["KDE_SHOTS_DIR"]
        self.work_dir = os.environ["KDE_SHOTS_WORK"]
        self.plugin_dir = os.path.realpath(os.environ["KDE_SHOTS_PLUGIN"])
        self.sample = os.environ["KDE_SHOTS_SAMPLE"]
        self.status_path = os.environ["KDE_SHOTS_STATUS"]
        self.log_file = open(os.environ["KDE_SHOTS_LOG"], "a", encoding="utf-8")  # noqa: SIM115
        self.started = time.monotonic()
        self.finished = False
        self.points = None
        self.heatmap = None
        self.dialog = None
        self.timers = []
        deadline_s = max(int(os.environ.get("KDE_SHOTS_TIMEOUT", "240")) - 20, 30)
        self.later(deadline_s * 1000, lambda: self.fail(f"gave up after {deadline_s} s"))

    # -- plumbing ------------------------------------------------------------------------------

    def log(self, message: str) -> None:
        self.log_file.write(f"{time.monotonic() - self.started:7.1f} s  {message}\n")
        self.log_file.flush()

    def later(self, milliseconds: int, step) -> None:
        """Run ``step`` after ``milliseconds``; an exception in it ends the session."""
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(lambda: self.guarded(step))
        timer.start(milliseconds)
        self.timers.append(timer)

    def guarded(self, step) -> None:
        if self.finished:
            return
        try:
            step()
        except Exception:  # noqa: BLE001 (any failure ends the session with its traceback)
            self.fail(traceback.format_exc())

    def wait_for(self, what: str, ready, then, timeout_s: float = 60.0, poll_ms: int = 250):
        """Call ``then`` once ``ready()`` is true; fail after ``timeout_s``."""
        deadline = time.monotonic() + timeout_s

        def poll():
            if ready():
                then()
            elif time.monotonic() > deadline:
                self.fail(f"timed out waiting for {what}")
            else:
                self.later(poll_ms, poll)

        poll()

    def save(self, widget, name: str) -> None:
        path = os.path.join(self.out_dir, name + ".png")
        if not widget.grab().save(path):
            raise RuntimeError(f"could not save {path}")
        self.log(f"saved {path} ({widget.width()} x {widget.height()})")

    def fail(self, reason: str) -> None:
        self.log("FAILED: " + reason)
        self.finish(reason.strip().splitlines()[-1] or "failed")

    def finish(self, status: str) -> None:
        if self.finished:
            return
        self.finished = True
        with open(self.status_path, "w", encoding="utf-8") as status_file:
            status_file.write(status)
        self.log(f"finished: {status}")
        for widget in QApplication.topLevelWidgets():
            if widget is not iface.mainWindow() and widget.isVisible():
                widget.close()
        QgsProject.instance().clear()  # or QGIS may abort tearing down a project
        QgsApplication.exit(0 if status == "ok" else 1)

    # -- the steps -----------------------------------------------------------------------------

    def start(self) -> None:
        """Check the plugin came from the zip, load the sample, lay out the window."""
        module = qgis.utils.plugins.get("kde_heatmap")
        if module is None:
            raise RuntimeError("the plugin kde_heatmap is not loaded")
        loaded_from = os.path.realpath(os.path.dirname(__import__("kde_heatmap").__file__))
        if loaded_from != self.plugin_dir:
            raise RuntimeError(f"kde_heatmap loaded from {loaded_from}, not {self.plugin_dir}")
        if QgsApplication.processingRegistry().algorithmById(ALGORITHM_ID) is None:
            raise RuntimeError(f"{ALGORITHM_ID} is not registered")
        self.log(f"plugin loaded from {loaded_from}")

        window = iface.mainWindow()
        window.resize(*WINDOW_SIZE)
        window.move(0, 0)
        self.points = QgsVectorLayer(f"{self.sample}|layername=longleaf", "longleaf", "ogr")
        if not self.points.isValid():
            raise RuntimeError(f"cannot open the layer longleaf of {self.sample}")
        self.points.renderer().setSymbol(
            QgsMarkerSymbol.createSimple(
                {
                    "name": "circle",
                    "color": "255,255,255,220",
                    "size": "1.4",
                    "outline_color": "30,30,30,255",
                    "outline_width": "0.15",
                }
            )
        )
        QgsProject.instance().addMapLayer(self.points)
        self.log(f"sample: {self.points.featureCount()} points, {self.points.crs().authid()}")
        self.later(1500, self.open_dialog)

    def open_dialog(self) -> None:
        parameters = dict(SAMPLE_PARAMETERS, INPUT=self.points.id())
        parameters["OUTPUT"] = os.path.join(self.work_dir, "longleaf_heatmap.tif")
        self.dialog = processing.createAlgorithmDialog(ALGORITHM_ID, parameters)
        self.dialog.resize(*DIALOG_SIZE)
        self.dialog.move(250, 80)
        self.dialog.show()
        self.later(2500, self.shoot_dialog)

    def shoot_dialog(self) -> None:
        self.save(self.dialog, "dialog")
        self.check_help_button()
        self.dialog.algorithmFinished.connect(self.on_run_finished)
        self.log("run started from the dialog")
        self.dialog.runButton().click()
        self.wait_for("the run to finish", lambda: self.heatmap is not None, self.after_run, 120)

    def check_help_button(self) -> None:
        """The Help button must open the help page shipped in the installed plugin."""
        button = self.dialog.buttonBox().button(QDialogButtonBox.Help)
        if button is None:
            self.log("WARNING: the dialog has no Help button (the algorithm has no helpUrl)")
            return
        opened = OpenedUrls()
        QDesktopServices.setUrlHandler("file", opened, "open")
        try:
            button.click()
        finally:
            QDesktopServices.unsetUrlHandler("file")
        expected = os.path.join(self.plugin_dir, "docs", "help", "index.html")
        paths = [os.path.realpath(url.toLocalFile()) for url in opened.urls]
        if paths != [expected] or not os.path.isfile(expected):
            raise RuntimeError(f"Help opened {opened.urls}, not {expected}")
        self.log(f"Help button opens {opened.urls[0].toString()}")

    def on_run_finished(self, successful: bool, results: dict) -> None:
        self.log(f"run finished: successful={successful}, results={results}")
        if not successful:
            self.fail("the run failed (see the dialog's log)")
            return
        layers = [
            layer
            for layer in QgsProject.instance().mapLayers().values()
            if layer.type() == layer.RasterLayer
        ]
        if not layers:
            self.fail("the run finished but no raster was loaded")
            return
        self.heatmap = layers[0]

    def after_run(self) -> None:
        self.later(1000, self.shoot_log)

    def shoot_log(self) -> None:
        self.save(self.dialog, "dialog_log")
        self.dialog.close()
        self.log(f"loaded: {self.heatmap.name()!r}, renderer {self.heatmap.renderer().type()}")
        root = QgsProject.instance().layerTreeRoot()
        node = root.findLayer(self.heatmap.id())
        root.addChildNode(node.clone())  # the heatmap below the points
        root.removeChildNode(node)
        browser = iface.mainWindow().findChild(QDockWidget, "Browser")
        if browser is not None:
            browser.hide()  # the Layers panel and its legend get the height
        toolbox = iface.mainWindow().findChild(QDockWidget, "ProcessingToolbox")
        if toolbox is not None:
            toolbox.show()
            search = toolbox.findChild(QLineEdit)
            if search is not None:
                search.setText("heatmap")
        canvas = iface.mapCanvas()
        canvas.setExtent(self.heatmap.extent())
        canvas.refresh()
        self.later(
            1000,
            lambda: self.wait_for(
                "the map",
                lambda: not canvas.isDrawing(),
                lambda: self.later(1500, self.shoot_window),
            ),
        )

    def shoot_window(self) -> None:
        self.save(iface.mainWindow(), "qgis_window")
        layers_dock = iface.mainWindow().findChild(QDockWidget, "Layers")
        canvas = iface.mapCanvas()
        self.save_side_by_side(layers_dock.grab(), canvas.grab(), "map_legend")
        self.open_plugin_manager()

    def save_side_by_side(self, left, right, name: str) -> None:
        height = max(left.height(), right.height())
        picture = QPixmap(left.width() + right.width(), height)
        picture.fill(iface.mainWindow().palette().window().color())
        painter = QPainter(picture)
        painter.drawPixmap(0, 0, left)
        painter.drawPixmap(left.width(), 0, right)
        painter.end()
        path = os.path.join(self.out_dir, name + ".png")
        if not picture.save(path):
            raise RuntimeError(f"could not save {path}")
        self.log(f"saved {path} ({picture.width()} x {picture.height()})")

    def open_plugin_manager(self) -> None:
        """The plugin manager runs modally (exec): its steps are queued before it opens."""
        self.wait_for(
            "the plugin manager",
            lambda: self.plugin_manager() is not None,
            lambda: self.later(1500, self.select_plugin),
            30,
        )
        self.log("opening the plugin manager")
        iface.actionManagePlugins().trigger()  # returns when the manager is closed

    @staticmethod
    def plugin_manager():
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget.metaObject().className() == "QgsPluginManager":
                return widget
        return None

    def select_plugin(self) -> None:
        manager = self.plugin_manager()
        manager.resize(1100, 700)
        search = manager.findChild(QLineEdit, "leFilter")
        search.setText("KDE Heatmap")
        plugins = manager.findChild(QListView, "vwPlugins")
        model = plugins.model()
        names = [model.index(row, 0).data() for row in range(model.rowCount())]
        self.log(f"plugin manager lists {names}")
        if "KDE Heatmap" not in names:
            raise RuntimeError(f"KDE Heatmap is not in the plugin manager: {names}")
        plugins.setCurrentIndex(model.index(names.index("KDE Heatmap"), 0))
        self.later(3000, self.shoot_plugin_manager)

    def shoot_plugin_manager(self) -> None:
        manager = self.plugin_manager()
        self.save(manager, "plugin_manager")
        manager.close()
        self.later(500, lambda: self.finish("ok"))


session = Session()
session.later(3000, session.start)
