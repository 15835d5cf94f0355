"""Files shipped at the plugin's root: the icon and the user's help page, wherever installed."""

from __future__ import annotations

import os

from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QIcon

PLUGIN_FOLDER = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The installed plugin folder (``.../python/plugins/kde_heatmap``, or the source tree)."""
ICON_PATH = os.path.join(PLUGIN_FOLDER, "icon.svg")
"""The plugin's icon (also named by ``icon=`` in metadata.txt for the plugin manager)."""
HELP_PATH = os.path.join(PLUGIN_FOLDER, "docs", "help", "index.html")
"""The user's help page, made from README.md by scripts/make_help.py."""


def plugin_icon() -> QIcon:
    """The plugin's icon, for the provider and its algorithms in the Processing Toolbox."""
    return QIcon(ICON_PATH)


def help_url(section: str = "") -> str:
    """``file://`` URL of the local help page, or of its ``section`` (an HTML id) if given.

    QGIS's Help button opens it with the desktop's browser; it needs no network. Fully encoded,
    so a plugin folder with spaces, ``#`` or non-ASCII letters gives a valid URL.
    """
    url = QUrl.fromLocalFile(HELP_PATH)
    if section:
        url.setFragment(section)
    return url.toString(QUrl.FullyEncoded)
