"""The ``kdeheatmap`` Processing provider: lists the plugin's algorithms, nothing else."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from ..plugin_files import ICON_PATH, plugin_icon
from .heatmap_algorithm import KdeHeatmapAlgorithm
from .radius_algorithm import KdeRadiusAlgorithm
from .relative_risk_algorithm import RelativeRiskAlgorithm
from .smooth_algorithm import SmoothAlgorithm
from .volume_contours_algorithm import KdeVolumeContoursAlgorithm


class KdeHeatmapProvider(QgsProcessingProvider):
    """Provider ``kdeheatmap`` (public id: models and scripts store ``kdeheatmap:heatmap``)."""

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts)."""
        return QCoreApplication.translate(type(self).__name__, text)

    def id(self) -> str:
        return "kdeheatmap"

    def name(self) -> str:
        return self.tr("KDE Heatmap")

    def longName(self) -> str:  # noqa: N802 (QGIS API name)
        return self.tr("KDE Heatmap: styled kernel density rasters")

    def icon(self) -> QIcon:
        return plugin_icon()

    def svgIconPath(self) -> str:  # noqa: N802
        """The icon as an SVG file, which the modeler draws sharp at any zoom."""
        return ICON_PATH

    def loadAlgorithms(self) -> None:  # noqa: N802
        self.addAlgorithm(KdeHeatmapAlgorithm())
        self.addAlgorithm(KdeRadiusAlgorithm())
        self.addAlgorithm(RelativeRiskAlgorithm())
        self.addAlgorithm(SmoothAlgorithm())
        self.addAlgorithm(KdeVolumeContoursAlgorithm())
