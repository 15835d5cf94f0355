"""The ``kdeheatmap`` Processing provider: lists the plugin's algorithms, nothing else."""

from __future__ import annotations

from qgis.core import QgsApplication, QgsProcessingProvider
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtGui import QIcon

from .heatmap_algorithm import KdeHeatmapAlgorithm


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
        return QgsApplication.getThemeIcon("/heatmap.svg")

    def loadAlgorithms(self) -> None:  # noqa: N802
        self.addAlgorithm(KdeHeatmapAlgorithm())
