"""Translations: German strings load with a German QGIS locale; the .ts covers every tr()."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import pytest
from qgis.core import QgsApplication, QgsProcessingException, QgsSettings
from qgis_test_support import REPOSITORY

from kde_heatmap_plugin.plugin import KdeHeatmapPlugin
from kde_heatmap_plugin.processing.heatmap_algorithm import KdeHeatmapAlgorithm
from kde_heatmap_plugin.processing.provider import KdeHeatmapProvider

TS_FILE = os.path.join(REPOSITORY, "i18n", "kde_heatmap_de.ts")
TRANSLATED_SOURCES = sorted(  # as scripts/translations.sh: every module but the pure core
    os.path.join(folder, name)
    for folder, _, names in os.walk(os.path.join(REPOSITORY, "kde_heatmap_plugin"))
    if os.sep + "core" not in folder and "__pycache__" not in folder
    for name in names
    if name.endswith(".py")
)
TRANSLATED_CONTEXTS = (
    "KdeHeatmapAlgorithm",
    "KdeHeatmapProvider",
    "HeatmapSizing",
    "ComputationDistanceWidgetWrapper",
    "ColorRampWidgetWrapper",
    "KdeAlgorithmBase",
    "KdeRadiusAlgorithm",
    "RelativeRiskAlgorithm",
    "SmoothAlgorithm",
    "KdeVolumeContoursAlgorithm",
)


@pytest.fixture()
def german_plugin(qgis_app):
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "de_DE")
    plugin = KdeHeatmapPlugin(None)
    yield plugin
    plugin.unload()
    settings.setValue("locale/userLocale", previous)


def test_german_locale_translates_the_display_strings(german_plugin):
    assert german_plugin.translator is not None
    algorithm = KdeHeatmapAlgorithm()
    algorithm.initAlgorithm()
    assert algorithm.displayName() == "Kerndichte-Heatmap"
    assert algorithm.parameterDefinition("PIXEL_SIZE").description() == "Ausgaberastergröße"
    assert algorithm.parameterDefinition("KERNEL").options()[5] == "Gauß"
    assert "<b>Punktlayer</b>" in algorithm.shortHelpString()
    assert KdeHeatmapProvider().longName().startswith("KDE-Heatmap")


def test_german_error_messages(german_plugin, processing_run, longleaf_gpkg, tmp_path):
    with pytest.raises(QgsProcessingException, match="Der Radius muss größer als 0 sein"):
        processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 0,
                "PIXEL_SIZE": 1,
                "OUTPUT": str(tmp_path / "h.tif"),
            },
        )


def test_unload_removes_the_translator(qgis_app):
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "de")
    try:
        plugin = KdeHeatmapPlugin(None)
        assert KdeHeatmapAlgorithm().displayName() == "Kerndichte-Heatmap"
        plugin.unload()
        plugin.unload()  # twice is harmless
        assert KdeHeatmapAlgorithm().displayName() == "Kernel density heatmap"
    finally:
        settings.setValue("locale/userLocale", previous)


def test_no_translation_for_an_unshipped_language(qgis_app):
    settings = QgsSettings()
    previous = settings.value("locale/userLocale", "")
    settings.setValue("locale/userLocale", "ja_JP")
    try:
        plugin = KdeHeatmapPlugin(None)
        assert plugin.translator is None
        assert KdeHeatmapAlgorithm().displayName() == "Kernel density heatmap"
    finally:
        settings.setValue("locale/userLocale", previous)


@pytest.mark.skipif(shutil.which("pylupdate5") is None, reason="pylupdate5 not installed")
def test_ts_file_is_up_to_date_and_fully_translated(tmp_path):
    fresh = str(tmp_path / "fresh.ts")
    subprocess.run(
        ["pylupdate5", "-noobsolete", *TRANSLATED_SOURCES, "-ts", fresh],
        check=True,
        capture_output=True,
    )

    def messages(path: str) -> dict[tuple[str, str], ElementTree.Element]:
        root = ElementTree.parse(path).getroot()
        return {
            (context.findtext("name"), message.findtext("source")): message.find("translation")
            for context in root.iter("context")
            for message in context.iter("message")
        }

    committed = messages(TS_FILE)
    assert set(committed) == set(messages(fresh))
    for (context, source), translation in committed.items():
        assert translation.text and translation.get("type") is None, source
        assert context in TRANSLATED_CONTEXTS
    assert os.path.getsize(os.path.join(REPOSITORY, "i18n", "kde_heatmap_de.qm")) > 0


def test_initprocessing_is_idempotent_and_unload_is_defensive(qgis_processing):
    registry = QgsApplication.processingRegistry()
    had_provider = registry.providerById("kdeheatmap") is not None
    plugin = KdeHeatmapPlugin(None)
    plugin.initProcessing()
    plugin.initGui()
    assert registry.providerById("kdeheatmap") is not None
    assert (plugin.provider is None) == had_provider  # never registers a second copy
    plugin.unload()
    plugin.unload()
    assert (registry.providerById("kdeheatmap") is not None) == had_provider


def test_numbers_in_messages_follow_the_locale(qgis_app):
    from qgis.PyQt.QtCore import QLocale

    from kde_heatmap_plugin.processing.localized import LocalizedText

    text = LocalizedText("{cell_size:g} m, {cells:,} cells, {name}, EPSG:{code}")
    values = {"cell_size": 0.25, "cells": 1234567, "name": "a.b,c", "code": 32633}
    previous = QLocale()
    try:
        QLocale.setDefault(QLocale(QLocale.German, QLocale.Germany))
        assert text.format(**values) == "0,25 m, 1.234.567 cells, a.b,c, EPSG:32633"
        QLocale.setDefault(QLocale(QLocale.English, QLocale.UnitedStates))
        assert text.format(**values) == "0.25 m, 1,234,567 cells, a.b,c, EPSG:32633"
    finally:
        QLocale.setDefault(previous)
