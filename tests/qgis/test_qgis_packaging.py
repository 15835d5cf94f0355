"""The plugin's own icon and local help page, as QGIS sees them (issue 14, point 5)."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QColor, QIcon, QImage, QPainter
from qgis.PyQt.QtSvg import QSvgRenderer

from kde_heatmap_plugin import plugin_files
from kde_heatmap_plugin.plugin_files import HELP_PATH, ICON_PATH, PLUGIN_FOLDER, help_url
from kde_heatmap_plugin.processing.heatmap_algorithm import KdeHeatmapAlgorithm
from kde_heatmap_plugin.processing.provider import KdeHeatmapProvider


class PageText(HTMLParser):
    """The visible text and the element ids of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id")

    def handle_data(self, data):
        self.text.append(data)


def help_page() -> PageText:
    page = PageText()
    with open(HELP_PATH, encoding="utf-8") as html:
        page.feed(html.read())
    return page


def rendered(icon_source, size: int) -> QImage:
    """``icon_source`` (an SVG path or a QIcon) drawn on a transparent ``size`` px square."""
    if isinstance(icon_source, QIcon):
        return icon_source.pixmap(size, size).toImage().convertToFormat(QImage.Format_ARGB32)
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    QSvgRenderer(icon_source).render(painter)
    painter.end()
    return image


def opaque_share_and_hues(image: QImage) -> tuple[float, set[int]]:
    """Share of (nearly) opaque pixels, and the distinct hues (30° bins) of saturated ones."""
    opaque, hues = 0, set()
    for y in range(image.height()):
        for x in range(image.width()):
            color = image.pixelColor(x, y)
            if color.alpha() > 200:
                opaque += 1
                if color.hsvSaturation() > 100 and color.value() > 60:
                    hues.add(color.hsvHue() // 30)
    return opaque / (image.width() * image.height()), hues


@pytest.mark.parametrize("size", [16, 64])
def test_icon_is_a_valid_svg_legible_at_16_and_64_px(qgis_app, size):
    assert QSvgRenderer(ICON_PATH).isValid()
    share, hues = opaque_share_and_hues(rendered(ICON_PATH, size))
    assert share > 0.8  # a filled tile, not a faint drawing
    assert len(hues) >= 3, hues  # the density levels stay distinct colours, even at 16 px


def test_provider_shows_the_plugin_icon_not_the_native_heatmap_icon(qgis_app):
    provider = KdeHeatmapProvider()
    ours = rendered(provider.icon(), 32)
    assert ours == rendered(QIcon(ICON_PATH), 32)
    assert ours != rendered(QgsApplication.getThemeIcon("/heatmap.svg"), 32)
    assert provider.svgIconPath() == ICON_PATH


def test_help_url_is_the_local_page_in_the_plugin_folder(qgis_app):
    url = QUrl(help_url())
    assert url.isLocalFile()
    path = url.toLocalFile()
    assert os.path.samefile(path, HELP_PATH)
    assert os.path.commonpath([os.path.realpath(path), os.path.realpath(PLUGIN_FOLDER)]) == (
        os.path.realpath(PLUGIN_FOLDER)
    )
    section = QUrl(help_url("parameters"))
    assert section.fragment() == "parameters"
    assert "parameters" in help_page().ids


def test_help_url_survives_unusual_folder_names(qgis_app, monkeypatch):
    odd_path = "/home/jo doe/Profil #2/plugins/kde_heatmap_ünï %20/docs/help/index.html"
    monkeypatch.setattr(plugin_files, "HELP_PATH", odd_path)
    url = QUrl(help_url("parameters"))
    assert (url.toLocalFile(), url.fragment()) == (odd_path, "parameters")
    assert " " not in help_url()


def test_help_page_documents_every_parameter_and_kernel(qgis_app):
    algorithm = KdeHeatmapAlgorithm()
    algorithm.initAlgorithm()
    text = " ".join(help_page().text)
    for parameter in algorithm.parameterDefinitions():
        assert parameter.name() in text, parameter.name()
    for kernel in ("Quartic", "Triangular", "Uniform", "Triweight", "Epanechnikov", "Gaussian"):
        assert kernel in text, kernel


def test_algorithm_uses_the_plugin_icon_help_page_and_a_toolbox_group(heatmap_plugin):
    """The lead's wiring in heatmap_algorithm.py (icon, svgIconPath, helpUrl, group)."""
    algorithm = QgsApplication.processingRegistry().algorithmById("kdeheatmap:heatmap")
    assert rendered(algorithm.icon(), 32) == rendered(QIcon(ICON_PATH), 32)
    assert algorithm.svgIconPath() == ICON_PATH
    assert QUrl(algorithm.helpUrl()).isLocalFile()
    assert os.path.samefile(QUrl(algorithm.helpUrl()).toLocalFile(), HELP_PATH)
    assert algorithm.group() and algorithm.groupId()
    assert algorithm.groupId() == algorithm.groupId().lower().replace(" ", "")
