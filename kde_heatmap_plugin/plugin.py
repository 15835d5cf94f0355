"""The QGIS plugin object: translator, Processing provider registration, unloading."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from qgis.core import QgsApplication, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from .processing.provider import KdeHeatmapProvider

if TYPE_CHECKING:
    from qgis.gui import QgisInterface

I18N_FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
"""``i18n/`` at the plugin root, holding ``kde_heatmap_<locale>.qm``."""


def user_locale() -> str:
    """QGIS's user interface locale, e.g. ``de`` or ``pt_BR`` (works headless too)."""
    return str(QgsSettings().value("locale/userLocale", "") or "") or QgsApplication.locale()


class KdeHeatmapPlugin:
    """Registers the ``kdeheatmap`` provider; ``iface`` is None under qgis_process."""

    def __init__(self, iface: QgisInterface | None) -> None:
        self.iface = iface
        self.provider: KdeHeatmapProvider | None = None
        self.translator: QTranslator | None = self._install_translator(user_locale())

    @staticmethod
    def _install_translator(locale: str) -> QTranslator | None:
        """Install the translation for ``locale`` (then its language alone), if one ships."""
        translator = QTranslator()
        for name in (locale, locale[:2]):
            path = os.path.join(I18N_FOLDER, f"kde_heatmap_{name}.qm")
            if name and os.path.isfile(path) and translator.load(path):
                QCoreApplication.installTranslator(translator)
                return translator
        return None

    def initProcessing(self) -> None:  # noqa: N802 (QGIS API name)
        """Register the provider once; calling again (initGui after initProcessing) is a no-op."""
        if self.provider is not None:
            return
        registry = QgsApplication.processingRegistry()
        if registry.providerById("kdeheatmap") is not None:
            return  # registered by another instance of the plugin
        provider = KdeHeatmapProvider()
        if registry.addProvider(provider):
            self.provider = provider

    def initGui(self) -> None:  # noqa: N802
        """Desktop start-up: the plugin only contributes to the Processing Toolbox."""
        self.initProcessing()

    def unload(self) -> None:
        """Remove the provider and the translator; safe to call twice or after a failed init."""
        if self.provider is not None:
            try:
                QgsApplication.processingRegistry().removeProvider(self.provider)
            except RuntimeError:  # the C++ object is already gone
                pass
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
