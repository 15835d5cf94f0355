"""QGIS plugin entry point for KDE Heatmap (installed as the ``kde_heatmap`` folder)."""


def classFactory(iface):  # noqa: N802 (name required by QGIS)
    """Return the plugin object; QGIS calls this with ``iface=None`` under qgis_process.

    The import is deferred so that merely scanning the plugin folder loads no plugin code.
    """
    from .kde_heatmap_plugin.plugin import KdeHeatmapPlugin

    return KdeHeatmapPlugin(iface)
