"""qgis_process as a subprocess, with the plugin enabled from a temporary profile.

This is how headless users run it: QGIS_PLUGINPATH points at a folder holding the plugin as
``kde_heatmap`` (a symlink to this repository), ``plugins enable kde_heatmap`` writes the
temporary profile, and the algorithm runs with exit code 0, or non-zero for bad input.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest
from osgeo import ogr, osr
from qgis.core import QgsStyle
from qgis_test_support import (
    REPOSITORY,
    SAMPLE_GPKG,
    PointFeature,
    assert_float32_raster_of,
    make_gpkg,
    read_raster,
)

from kde_heatmap_plugin.core import kernel_density


def find_qgis_process() -> str | None:
    """Debian's /usr/bin/qgis_process wrapper passes a flag 3.22 rejects; prefer the binary."""
    for candidate in (
        "/usr/bin/qgis_process.bin",
        shutil.which("qgis_process.bin"),
        shutil.which("qgis_process"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


QGIS_PROCESS = find_qgis_process()
pytestmark = pytest.mark.skipif(QGIS_PROCESS is None, reason="qgis_process is not installed")


@pytest.fixture(scope="module")
def qgis_process(tmp_path_factory):
    """Run qgis_process in a temporary profile where only kde_heatmap is enabled."""
    root = tmp_path_factory.mktemp("qgis_process")
    plugins = root / "plugins"
    plugins.mkdir()
    os.symlink(REPOSITORY, plugins / "kde_heatmap")
    environment = {
        **os.environ,
        "QGIS_CUSTOM_CONFIG_PATH": str(root / "profile"),
        "QGIS_PLUGINPATH": str(plugins),
        "QT_QPA_PLATFORM": "offscreen",
    }

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [QGIS_PROCESS, *arguments], env=environment, capture_output=True, text=True, timeout=120
        )

    enabled = run("plugins", "enable", "kde_heatmap")
    assert enabled.returncode == 0, enabled.stdout + enabled.stderr
    return run


def test_plugin_is_enabled_and_lists_the_algorithm(qgis_process):
    listing = qgis_process("list")
    assert listing.returncode == 0
    assert "kdeheatmap:heatmap" in listing.stdout
    assert "Kernel density heatmap" in listing.stdout
    described = qgis_process("help", "kdeheatmap:heatmap")
    assert described.returncode == 0 and "COLOR_RAMP" in described.stdout


def test_sample_heatmap_with_style(qgis_process, tmp_path):
    output = tmp_path / "longleaf_heatmap.tif"
    finished = qgis_process(
        "run",
        "kdeheatmap:heatmap",
        "--json",
        "--",
        f"INPUT={SAMPLE_GPKG}|layername=longleaf",
        "RADIUS=15",
        "PIXEL_SIZE=1",
        "WEIGHT_FIELD=mark",
        "KERNEL=5",
        "OUTPUT_VALUE=2",
        "COLOR_RAMP=Magma",
        f"OUTPUT={output}",
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    results = json.loads(finished.stdout[finished.stdout.index("{") :])["results"]
    assert results["OUTPUT"] == str(output)
    assert (tmp_path / "longleaf_heatmap.qml").exists()
    style = (tmp_path / "longleaf_heatmap.qml").read_text()
    assert "singlebandpseudocolor" in style and 'percentTransparent="100"' in style
    assert QgsStyle.defaultStyle().colorRamp("Magma").color(1).name() in style

    dataset = ogr.Open(SAMPLE_GPKG)  # keep a reference: the layer dies with its dataset
    layer = dataset.GetLayerByName("longleaf")
    x, y, mark = np.array(
        [(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY(), f["mark"]) for f in layer]
    ).T
    _, expected = kernel_density(
        x, y, radius=15.0, cell_size=1.0, weight=mark, kernel=5, output_value=2
    )
    values, _, _ = read_raster(str(output))
    assert_float32_raster_of(values, expected)
    assert sorted(path.name for path in tmp_path.iterdir()) in (
        ["longleaf_heatmap.qml", "longleaf_heatmap.tif"],
        ["longleaf_heatmap.qml", "longleaf_heatmap.tif", "longleaf_heatmap.tif.aux.xml"],
    )


@pytest.mark.parametrize(
    "extra, epsg",
    [
        (["PIXEL_SIZE=50"], 32630),
        (["PIXEL_SIZE=50", "OUTPUT_CRS=EPSG:3857"], 3857),
        (["PIXEL_SIZE=0.001", "DISTANCE_METHOD=1"], 4326),
    ],
)
def test_lon_lat_layer_in_metres_headless(qgis_process, tmp_path, extra, epsg):
    layer = make_gpkg(
        str(tmp_path / "madrid.gpkg"),
        [PointFeature(f"POINT ({-3.70 + d} {40.42 - d})") for d in (0.0, 0.004, 0.01)],
        epsg=4326,
    )
    output = tmp_path / "h.tif"
    finished = qgis_process(
        "run",
        "kdeheatmap:heatmap",
        "--",
        f"INPUT={layer}",
        "RADIUS=500",
        f"OUTPUT={output}",
        *extra,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    _, _, dataset = read_raster(str(output))
    reference = osr.SpatialReference(wkt=dataset.GetProjection())
    assert reference.GetAuthorityCode(None) == str(epsg)
    assert "metres" in finished.stdout or "Geodesic method" in finished.stdout


@pytest.mark.parametrize(
    "bad, message",
    [
        ("RADIUS=0", "radius must be greater than 0"),
        ("PIXEL_SIZE=-1", "must be greater than 0"),
        ("KERNEL=9", "not a valid KERNEL"),
        ("polygons", "needs points"),
    ],
)
def test_bad_input_exits_non_zero_without_output(qgis_process, tmp_path, bad, message):
    source = f"{SAMPLE_GPKG}|layername=bei"
    arguments = ["RADIUS=20", "PIXEL_SIZE=5"]
    if bad == "polygons":
        source = make_gpkg(
            str(tmp_path / "polygons.gpkg"),
            [PointFeature("POLYGON ((0 0, 10 0, 10 10, 0 0))")],
            geometry_type=ogr.wkbPolygon,
        )
    else:
        arguments = [
            argument for argument in arguments if argument.split("=")[0] != bad.split("=")[0]
        ] + [bad]
    output = tmp_path / "heatmap.tif"
    finished = qgis_process(
        "run", "kdeheatmap:heatmap", "--", f"INPUT={source}", *arguments, f"OUTPUT={output}"
    )
    assert finished.returncode != 0
    assert message in finished.stdout + finished.stderr
    assert not output.exists() and not (tmp_path / "heatmap.qml").exists()


def test_a_full_disk_is_a_failure_that_keeps_the_previous_output(qgis_process, tmp_path):
    from write_safety_support import small_filesystem, snapshot

    rng = np.random.default_rng(3)
    features = [PointFeature(f"POINT ({x!r} {y!r})") for x, y in rng.uniform(0, 1000, (2000, 2))]
    layer = make_gpkg(str(tmp_path / "scattered.gpkg"), features)
    with small_filesystem(str(tmp_path / "small"), "600k") as folder:
        output = os.path.join(folder, "heatmap.tif")

        def run(cell_size: float) -> subprocess.CompletedProcess:
            return qgis_process(
                "run",
                "kdeheatmap:heatmap",
                "--",
                f"INPUT={layer}",
                "RADIUS=50",
                f"PIXEL_SIZE={cell_size}",
                f"OUTPUT={output}",
            )

        assert run(20).returncode == 0
        before = snapshot(folder)
        failed = run(1)
        assert failed.returncode != 0
        assert "No space left on device" in failed.stdout + failed.stderr
        assert snapshot(folder) == before


def test_the_other_algorithms_run_headless(qgis_process, tmp_path):
    longleaf = f"{SAMPLE_GPKG}|layername=longleaf"
    runs = {
        "radius": ["kdeheatmap:radius", f"INPUT={longleaf}", "RULE=1"],
        "heatmap": [
            "kdeheatmap:heatmap",
            f"INPUT={longleaf}",
            "RADIUS=20",
            "PIXEL_SIZE=2",
            "OUTPUT_VALUE=2",
            f"OUTPUT={tmp_path / 'density.tif'}",
        ],
        "contours": [
            "kdeheatmap:volumecontours",
            f"INPUT={tmp_path / 'density.tif'}",
            "PERCENTAGES=50,95",
            f"OUTPUT={tmp_path / 'contours.gpkg'}",
        ],
        "ratio": [
            "kdeheatmap:relativerisk",
            f"CASES={longleaf}",
            f"CONTROLS={longleaf}",
            "RADIUS=20",
            "PIXEL_SIZE=4",
            f"OUTPUT={tmp_path / 'ratio.tif'}",
        ],
        "smooth": [
            "kdeheatmap:smooth",
            f"INPUT={longleaf}",
            "FIELD=mark",
            "RADIUS=20",
            "PIXEL_SIZE=4",
            f"OUTPUT={tmp_path / 'smooth.tif'}",
        ],
    }
    for name, (algorithm, *parameters) in runs.items():
        finished = qgis_process("run", algorithm, "--json", "--", *parameters)
        assert finished.returncode == 0, name + finished.stdout + finished.stderr
        results = json.loads(finished.stdout[finished.stdout.index("{") :])["results"]
        assert results, name
    contours = ogr.Open(str(tmp_path / "contours.gpkg"))
    assert contours.GetLayer(0).GetFeatureCount() == 2
    ratio, _, _ = read_raster(str(tmp_path / "ratio.tif"))
    assert np.nanmax(np.abs(ratio - 1)) < 1e-4  # the same layer twice: ratio 1 where defined
    smoothed, _, _ = read_raster(str(tmp_path / "smooth.tif"))
    assert np.nanmin(smoothed) >= 2 and np.nanmax(smoothed) <= 76  # within the marks' range
