"""Fixtures for the QGIS-side tests (pytest-qgis provides ``qgis_app`` and ``qgis_processing``).

The plugin is registered the way QGIS does it (``KdeHeatmapPlugin(None).initProcessing()``),
since pytest-qgis starts every session with a fresh, empty profile.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

import numpy as np
import pytest
from osgeo import ogr
from qgis_test_support import PointFeature, RecordingFeedback, make_gpkg, read_csv_points


@pytest.fixture(autouse=True)
def release_failed_test_objects():
    """Free a failed test's QGIS objects while QGIS still runs.

    pytest keeps the last failure's traceback (``sys.last_traceback``) for post-mortem
    debugging; the layers and contexts in its frames would otherwise be deleted after QGIS has
    exited, which aborts the interpreter instead of reporting the failure.
    """
    yield
    sys.last_type = sys.last_value = sys.last_traceback = None
    gc.collect()


@pytest.fixture(scope="session")
def heatmap_plugin(qgis_processing):
    """The plugin object with its provider registered for the whole session."""
    from kde_heatmap_plugin.plugin import KdeHeatmapPlugin

    plugin = KdeHeatmapPlugin(None)
    plugin.initProcessing()
    yield plugin
    plugin.unload()


@pytest.fixture()
def processing_run(heatmap_plugin) -> Callable:
    """``processing.run`` with a recording feedback: returns (results, feedback)."""
    import processing

    def run(algorithm_id: str, parameters: dict, feedback: RecordingFeedback | None = None):
        feedback = feedback or RecordingFeedback()
        results = processing.run(algorithm_id, parameters, feedback=feedback)
        return results, feedback

    return run


@pytest.fixture(scope="session")
def longleaf() -> dict[str, np.ndarray]:
    """The longleaf pines: x, y (metres) and mark (trunk diameter, cm)."""
    return read_csv_points("longleaf.csv")


@pytest.fixture(scope="session")
def longleaf_gpkg(tmp_path_factory, longleaf) -> str:
    """The longleaf pines as a GeoPackage point layer in UTM 17N, with field ``mark``."""
    path = str(tmp_path_factory.mktemp("longleaf") / "longleaf.gpkg")
    features = [
        PointFeature(f"POINT ({x!r} {y!r})", {"mark": mark})
        for x, y, mark in zip(longleaf["x"], longleaf["y"], longleaf["mark"])
    ]
    return make_gpkg(path, features, fields={"mark": ogr.OFTReal})
