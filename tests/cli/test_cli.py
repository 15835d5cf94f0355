"""The command line outside QGIS: the same numbers as the core, its inputs, the COG, refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from osgeo import gdal, ogr, osr

from kde_heatmap_plugin import cli
from kde_heatmap_plugin.core import (
    Kernel,
    OutputValue,
    bandwidth,
    extent_grid,
    kernel_density_on_grid,
    native_grid,
)

REPOSITORY = Path(__file__).resolve().parents[2]
EPSG = 32633


@pytest.fixture(scope="module")
def points() -> dict[str, np.ndarray]:
    """600 clustered points in UTM 33N with weights (some negative) and radii (metres)."""
    rng = np.random.default_rng(12)
    count = 600
    return {
        "x": np.r_[rng.normal(500_000, 400, count // 2), rng.normal(501_500, 250, count // 2)],
        "y": np.r_[rng.normal(4_000_000, 300, count // 2), rng.normal(4_000_800, 200, count // 2)],
        "w": rng.uniform(-0.5, 3.0, count),
        "r": rng.uniform(80.0, 200.0, count),
    }


def write_gpkg(path: Path, points: dict[str, np.ndarray], rows: slice = slice(None)) -> Path:
    """The points ``rows`` as a GeoPackage point layer in EPSG:32633 with fields w and r."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("points", srs, ogr.wkbPoint)
    for name in ("w", "r"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    layer.StartTransaction()
    for x, y, w, r in zip(*(points[key][rows] for key in ("x", "y", "w", "r"))):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x!r} {y!r})"))
        feature.SetField("w", float(w))
        feature.SetField("r", float(r))
        layer.CreateFeature(feature)
    layer.CommitTransaction()
    dataset = None
    return path


def write_csv(
    path: Path, points: dict[str, np.ndarray], names: str = "easting,northing,w,r"
) -> Path:
    columns = np.c_[points["x"], points["y"], points["w"], points["r"]]
    np.savetxt(path, columns, delimiter=",", header=names, comments="", fmt="%.17g")
    return path


def read_raster(path: Path) -> tuple[np.ndarray, tuple, osr.SpatialReference]:
    dataset = gdal.Open(str(path))
    values = dataset.GetRasterBand(1).ReadAsArray()
    srs = osr.SpatialReference(wkt=dataset.GetProjection())
    return values, dataset.GetGeoTransform(), srs


def assert_float32_of(written: np.ndarray, expected: np.ndarray) -> None:
    """The written Float32 values are the float64 ones rounded (within 1e-6 of the maximum:
    the core's bands and whole-grid evaluation may sum in another order)."""
    assert written.dtype == np.float32 and written.shape == expected.shape
    scale = float(np.abs(expected).max())
    assert scale > 0
    np.testing.assert_allclose(written, expected, rtol=0, atol=1e-6 * scale)


def run(*arguments: str | Path) -> int:
    return cli.main([str(argument) for argument in arguments] + ["--quiet"])


def run_module(*arguments: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    return subprocess.run(
        [sys.executable, "-m", "kde_heatmap_plugin", *map(str, arguments)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=120,
    )


def test_geopackage_equals_the_core_on_the_same_grid(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    output = tmp_path / "heat.tif"
    code = run(
        source,
        output,
        "--radius",
        300,
        "--cell-size",
        7.5,
        "--kernel",
        "epanechnikov",
        "--output-value",
        "density",
        "--weight-field",
        "w",
    )
    assert code == 0
    grid = native_grid(
        points["x"].min(),
        points["y"].min(),
        points["x"].max(),
        points["y"].max(),
        padding=300.0,
        cell_size=7.5,
    )
    expected = kernel_density_on_grid(
        points["x"],
        points["y"],
        grid,
        radius=300.0,
        kernel=Kernel.EPANECHNIKOV,
        output_value=OutputValue.DENSITY,
        weight=points["w"],
    )
    values, geotransform, srs = read_raster(output)
    assert geotransform == pytest.approx(grid.geotransform, abs=1e-9)
    assert srs.GetAuthorityCode(None) == str(EPSG)
    assert_float32_of(values, expected)


def test_csv_with_per_point_radii_equals_the_core(tmp_path, points):
    source = write_csv(tmp_path / "points.csv", points)
    output = tmp_path / "heat.tif"
    code = run(
        source,
        output,
        "--x-field",
        "easting",
        "--y-field",
        "northing",
        "--crs",
        f"EPSG:{EPSG}",
        "--radius-field",
        "r",
        "--cell-size",
        10,
        "--kernel",
        "triangular",
        "--decay",
        "0.25",
        "--output-value",
        "scaled",
    )
    assert code == 0
    grid = native_grid(
        points["x"].min(),
        points["y"].min(),
        points["x"].max(),
        points["y"].max(),
        padding=float(points["r"].max()),
        cell_size=10.0,
    )
    expected = kernel_density_on_grid(
        points["x"],
        points["y"],
        grid,
        radius=points["r"],
        kernel=Kernel.TRIANGULAR,
        decay=0.25,
        output_value=OutputValue.SCALED,
    )
    values, geotransform, srs = read_raster(output)
    assert geotransform == pytest.approx(grid.geotransform, abs=1e-9)
    assert srs.GetAuthorityCode(None) == str(EPSG)
    assert_float32_of(values, expected)


def test_extent_gives_the_extent_grid(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    output = tmp_path / "heat.tif"
    extent = (499_000.0, 3_999_000.0, 502_000.0, 4_001_500.0)
    code = run(
        source,
        output,
        "--radius",
        250,
        "--cell-size",
        20,
        "--kernel",
        "gaussian",
        "--extent",
        ",".join(map(str, extent)),
        "--output-value",
        "expected-count",
    )
    assert code == 0
    grid = extent_grid(*extent, 20.0)
    expected = kernel_density_on_grid(
        points["x"],
        points["y"],
        grid,
        radius=250.0,
        kernel=Kernel.GAUSSIAN,
        output_value=OutputValue.EXPECTED_COUNT,
    )
    values, geotransform, _ = read_raster(output)
    assert geotransform == pytest.approx(grid.geotransform, abs=1e-9)
    assert_float32_of(values, expected)


def test_a_folder_or_glob_of_partitions_equals_one_file(tmp_path, points):
    whole = write_gpkg(tmp_path / "whole.gpkg", points)
    folder = tmp_path / "parts"
    folder.mkdir()
    write_gpkg(folder / "part-1.gpkg", points, slice(0, 250))
    write_gpkg(folder / "part-2.gpkg", points, slice(250, None))
    common = ["--radius", 200, "--cell-size", 12, "--weight-field", "w"]
    assert run(whole, tmp_path / "whole.tif", *common) == 0
    assert run(folder, tmp_path / "folder.tif", *common) == 0
    assert run(folder / "part-*.gpkg", tmp_path / "glob.tif", *common) == 0
    whole_values, whole_transform, _ = read_raster(tmp_path / "whole.tif")
    for name in ("folder.tif", "glob.tif"):
        values, transform, _ = read_raster(tmp_path / name)
        assert transform == whole_transform
        np.testing.assert_allclose(values, whole_values, rtol=0, atol=1e-6 * whole_values.max())


def test_workers_compute_the_same_raster_on_a_dask_cluster(tmp_path, points):
    folder = tmp_path / "parts"
    folder.mkdir()
    write_gpkg(folder / "part-1.gpkg", points, slice(0, 250))
    write_gpkg(folder / "part-2.gpkg", points, slice(250, None))
    common = ["--radius", 200, "--cell-size", 12, "--weight-field", "w", "--quiet"]
    assert run(folder, tmp_path / "one.tif", *common) == 0
    assert run(folder, tmp_path / "cluster.tif", *common, "--workers", 2) == 0
    one, one_transform, _ = read_raster(tmp_path / "one.tif")
    cluster, cluster_transform, crs = read_raster(tmp_path / "cluster.tif")
    assert cluster_transform == pytest.approx(one_transform)
    assert crs.GetAuthorityCode(None) == "32633"
    np.testing.assert_allclose(cluster, one, rtol=0, atol=1e-6 * one.max())
    info = gdal.Info(str(tmp_path / "cluster.tif"), format="json")
    assert info["metadata"]["IMAGE_STRUCTURE"]["LAYOUT"] == "COG"


def test_workers_need_an_explicit_radius_and_cell_size(tmp_path, points, capsys):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    assert run(source, tmp_path / "heat.tif", "--workers", 2) == 1
    assert "need --radius" in capsys.readouterr().err


def test_automatic_radius_and_cell_size_are_the_plugins(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    output = tmp_path / "heat.tif"
    assert run(source, output, "--kernel", "triweight") == 0
    rule = bandwidth.arcgis_radius(points["x"], points["y"], kernel=Kernel.TRIWEIGHT)
    radius = bandwidth.round_significant(rule.radius)
    cell_size = bandwidth.automatic_cell_size_planar(points["x"], points["y"], radius, radius)
    grid = native_grid(
        points["x"].min(),
        points["y"].min(),
        points["x"].max(),
        points["y"].max(),
        padding=radius,
        cell_size=cell_size,
    )
    values, geotransform, _ = read_raster(output)
    assert geotransform == pytest.approx(grid.geotransform, abs=1e-9)
    expected = kernel_density_on_grid(
        points["x"], points["y"], grid, radius=radius, kernel=Kernel.TRIWEIGHT
    )
    assert_float32_of(values, expected)


def test_radius_rule_gives_the_rules_radius(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    job = cli.HeatmapJob(
        str(source), str(tmp_path / "heat.tif"), radius_rule="scott", cell_size=15.0
    )
    result = cli.run_heatmap(job)
    assert result.radius == bandwidth.scott_rule(points["x"], points["y"]).radius
    assert result.points == len(points["x"]) and result.skipped == {}


def test_output_is_a_cloud_optimized_geotiff_with_overviews(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    output = tmp_path / "heat.tif"
    assert run(source, output, "--radius", 300, "--cell-size", 3) == 0  # 1000 x 1300 cells
    info = gdal.Info(str(output), format="json")
    assert info["metadata"]["IMAGE_STRUCTURE"]["LAYOUT"] == "COG"
    assert info["metadata"]["IMAGE_STRUCTURE"]["COMPRESSION"] == "DEFLATE"
    band = info["bands"][0]
    assert band["type"] == "Float32"
    assert band["block"] == [cli.TILE_SIDE, cli.TILE_SIDE]
    assert len(band["overviews"]) >= 1
    assert sorted(os.listdir(tmp_path)) == ["heat.tif", "points.gpkg"]  # no temporary left


def test_an_existing_output_is_replaced_only_by_a_complete_run(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    output = tmp_path / "heat.tif"
    output.write_bytes(b"old")
    assert run(source, output, "--radius", 0) == 1
    assert output.read_bytes() == b"old"
    assert run(source, output, "--radius", 300, "--cell-size", 25) == 0
    assert read_raster(output)[0].max() > 0
    assert sorted(os.listdir(tmp_path)) == ["heat.tif", "points.gpkg"]


def null_geometries(path: Path) -> Path:
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    layer = dataset.CreateLayer("points", srs, ogr.wkbPoint)
    for _ in range(3):
        layer.CreateFeature(ogr.Feature(layer.GetLayerDefn()))
    dataset = None
    return path


def assert_one_error_line(stderr: str, words: str) -> None:
    """One error line holding ``words`` after the progress lines (a line per 10 %), and no
    traceback."""
    lines = stderr.strip().splitlines()
    assert "Traceback" not in stderr
    assert lines[-1].startswith("kde-heatmap: error: ") and words in lines[-1], stderr
    assert all(line[:4].strip().rstrip("%").isdigit() for line in lines[:-1]), stderr


def test_refusals_exit_non_zero_with_one_line(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    empty = null_geometries(tmp_path / "empty.gpkg")
    output = tmp_path / "heat.tif"
    cases = {
        "does not exist": [tmp_path / "missing.gpkg", output, "--radius", 100],
        "no field 'nope'": [source, output, "--radius", 100, "--weight-field", "nope"],
        "radius must be a positive": [source, output, "--radius", -5],
        "cell size must be a positive": [source, output, "--cell-size", 0],
        "No points": [empty, output, "--radius", 100],
        "choose one of them": [source, output, "--radius-rule", "scott", "--radius-field", "r"],
    }
    if ogr.GetDriverByName("Parquet") is None:
        (tmp_path / "points.parquet").write_bytes(b"PAR1")
        cases["no Parquet driver"] = [tmp_path / "points.parquet", output]
    for words, arguments in cases.items():
        completed = run_module(*arguments)
        assert completed.returncode == 1, (words, completed.stderr)
        assert_one_error_line(completed.stderr, words)
        assert not output.exists()


def test_a_geographic_crs_is_refused(tmp_path):
    source = tmp_path / "lonlat.csv"
    source.write_text("x,y\n10.0,50.0\n10.1,50.1\n")
    completed = run_module(source, tmp_path / "heat.tif", "--crs", "EPSG:4326")
    assert completed.returncode == 1
    assert_one_error_line(completed.stderr, "geographic")


def test_skipped_features_are_counted(tmp_path):
    source = tmp_path / "points.csv"
    source.write_text("x,y,w\n500000,4000000,1\n500100,4000050,\nabc,4000000,1\n500050,4000020,2\n")
    job = cli.HeatmapJob(
        str(source),
        str(tmp_path / "heat.tif"),
        radius=100.0,
        cell_size=5.0,
        weight_field="w",
        crs=f"EPSG:{EPSG}",
    )
    result = cli.run_heatmap(job)
    assert result.points == 2
    assert result.skipped == {"without a point geometry": 1, "with a NULL or non-finite weight": 1}


def test_the_cli_imports_no_qgis():
    code = (
        "import sys, kde_heatmap_plugin.cli\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'qgis')\n"
        "assert not loaded, loaded\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, timeout=60
    )
    assert completed.returncode == 0, completed.stderr


def test_the_wrapper_runs_from_any_folder(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    completed = subprocess.run(
        [
            str(REPOSITORY / "scripts" / "kde-heatmap"),
            str(source),
            "heat.tif",
            "--radius",
            "300",
            "--cell-size",
            "25",
        ],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert "100%" in completed.stderr  # the progress, a line per 10 % when not on a terminal
    values, _, _ = read_raster(elsewhere / "heat.tif")
    assert values.max() > 0
