"""GeoParquet and plain Parquet inputs of the command line: read with pyarrow when GDAL has no
Parquet driver, the same raster as the same points in a GeoPackage."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from osgeo import ogr, osr
from test_cli import EPSG, REPOSITORY, read_raster, run, write_gpkg

from kde_heatmap_plugin import cli, parquet

COMMON = ["--radius", 200, "--cell-size", 12, "--weight-field", "w"]


@pytest.fixture(scope="module")
def points() -> dict[str, np.ndarray]:
    """500 clustered points in UTM 33N with weights (some negative) and radii (metres)."""
    rng = np.random.default_rng(21)
    count = 500
    return {
        "x": np.r_[rng.normal(500_000, 400, count // 2), rng.normal(501_500, 250, count // 2)],
        "y": np.r_[rng.normal(4_000_000, 300, count // 2), rng.normal(4_000_800, 200, count // 2)],
        "w": rng.uniform(-0.5, 3.0, count),
        "r": rng.uniform(80.0, 200.0, count),
    }


def projjson(epsg: int) -> dict:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    return json.loads(srs.ExportToPROJJSON())


def wkb_point(x: float, y: float) -> bytes:
    return struct.pack("<BIdd", 1, 1, x, y)


def write_geoparquet(
    path: Path,
    geometries: list[bytes | None],
    columns: dict[str, list],
    *,
    row_group_size: int | None = None,
    crs: dict | None = None,
) -> Path:
    """A GeoParquet file: WKB ``geometries`` in column "geom" (CRS EPSG:32633 unless ``crs``)
    and the other ``columns``."""
    table = pa.table({"geom": pa.array(geometries, type=pa.binary()), **columns})
    geo = {
        "version": "1.0.0",
        "primary_column": "geom",
        "columns": {
            "geom": {
                "encoding": "WKB",
                "geometry_types": ["Point"],
                "crs": crs or projjson(EPSG),
            }
        },
    }
    table = table.replace_schema_metadata({b"geo": json.dumps(geo).encode()})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def geoparquet_of(path: Path, points: dict[str, np.ndarray], rows: slice = slice(None)) -> Path:
    geometries = [wkb_point(x, y) for x, y in zip(points["x"][rows], points["y"][rows])]
    columns = {"w": points["w"][rows], "r": points["r"][rows]}
    return write_geoparquet(path, geometries, columns, row_group_size=100)


def assert_same_raster(path: Path, reference: Path) -> None:
    values, transform, srs = read_raster(path)
    expected, expected_transform, _ = read_raster(reference)
    assert transform == expected_transform
    assert srs.GetAuthorityCode(None) == str(EPSG)
    np.testing.assert_allclose(values, expected, rtol=0, atol=1e-6 * np.abs(expected).max())


def test_geoparquet_equals_the_geopackage(tmp_path, points):
    reference = write_gpkg(tmp_path / "points.gpkg", points)
    source = geoparquet_of(tmp_path / "points.parquet", points)
    assert run(reference, tmp_path / "gpkg.tif", *COMMON, "--radius-field", "r") == 0
    assert run(source, tmp_path / "parquet.tif", *COMMON, "--radius-field", "r") == 0
    assert_same_raster(tmp_path / "parquet.tif", tmp_path / "gpkg.tif")


def test_plain_parquet_with_x_y_columns_and_crs(tmp_path, points):
    reference = write_gpkg(tmp_path / "points.gpkg", points)
    table = pa.table({k: points[k] for k in ("x", "y", "w")}).rename_columns(["e", "n", "w"])
    source = tmp_path / "points.parquet"
    pq.write_table(table, source, row_group_size=128)
    assert run(reference, tmp_path / "gpkg.tif", *COMMON) == 0
    arguments = ["--x-field", "e", "--y-field", "n", "--crs", f"EPSG:{EPSG}"]
    assert run(source, tmp_path / "parquet.tif", *COMMON, *arguments) == 0
    assert_same_raster(tmp_path / "parquet.tif", tmp_path / "gpkg.tif")


def test_nulls_and_other_geometries_are_skipped_and_counted(tmp_path):
    multipoint = ogr.CreateGeometryFromWkt("MULTIPOINT ((500100 4000100), (500200 4000200))")
    geometries = [
        wkb_point(500000.0, 4000000.0),  # counts
        None,  # NULL geometry
        wkb_point(float("nan"), float("nan")),  # POINT EMPTY
        bytes(ogr.CreateGeometryFromWkt("LINESTRING (0 0, 1 1)").ExportToWkb()),
        wkb_point(float("inf"), 4000000.0),
        wkb_point(500010.0, 4000010.0),  # NULL weight
        wkb_point(500020.0, 4000020.0),  # radius 0
        wkb_point(500030.0, 4000030.0),  # NULL radius
        bytes(multipoint.ExportToWkb(ogr.wkbXDR)),  # big-endian multipoint: two points
        bytes(ogr.CreateGeometryFromWkt("POINT Z (500050 4000050 7)").ExportToIsoWkb()),
    ]
    weights = [1.0, 1.0, 1.0, 1.0, 1.0, None, 1.0, 1.0, 2.0, 3.0]
    radii = [50.0, 50.0, 50.0, 50.0, 50.0, 50.0, 0.0, None, 60.0, 70.0]
    source = write_geoparquet(
        tmp_path / "points.geoparquet", geometries, {"w": weights, "r": radii}, row_group_size=4
    )
    skipped: dict[str, int] = {}
    columns, crs_wkt = parquet.read_parquet_columns(
        str(source),
        x_field="x",
        y_field="y",
        weight_field="w",
        radius_field="r",
        skipped=skipped,
    )
    np.testing.assert_array_equal(columns["x"], [500000, 500100, 500200, 500050])
    np.testing.assert_array_equal(columns["y"], [4000000, 4000100, 4000200, 4000050])
    np.testing.assert_array_equal(columns["weight"], [1, 2, 2, 3])
    np.testing.assert_array_equal(columns["radius"], [50, 60, 60, 70])
    assert skipped == {
        "without a point geometry": 3,
        "with an infinite coordinate": 1,
        "with a NULL or non-finite weight": 1,
        "with a NULL or non-finite radius": 1,
        "with a radius that is not positive": 1,
    }
    assert osr.SpatialReference(wkt=crs_wkt).GetAuthorityCode(None) == str(EPSG)
    result = cli.run_heatmap(
        cli.HeatmapJob(
            str(source),
            str(tmp_path / "heat.tif"),
            radius_field="r",
            weight_field="w",
            cell_size=5.0,
        )
    )
    assert result.points == 4 and result.skipped == skipped


def test_plain_parquet_nulls_are_skipped(tmp_path):
    table = pa.table(
        {
            "x": pa.array([500000.0, None, 500100.0, float("nan")]),
            "y": pa.array([4000000.0, 4000000.0, 4000100.0, 4000000.0]),
            "w": pa.array([1, 2, None, 4], type=pa.int32()),
        }
    )
    source = tmp_path / "points.parquet"
    pq.write_table(table, source)
    skipped: dict[str, int] = {}
    columns, crs_wkt = parquet.read_parquet_columns(
        str(source), x_field="x", y_field="y", weight_field="w", radius_field=None, skipped=skipped
    )
    assert crs_wkt is None
    np.testing.assert_array_equal(columns["x"], [500000.0])
    np.testing.assert_array_equal(columns["weight"], [1.0])
    assert skipped == {"without a point geometry": 2, "with a NULL or non-finite weight": 1}


def test_a_folder_of_parquet_partitions_and_workers(tmp_path, points):
    reference = write_gpkg(tmp_path / "points.gpkg", points)
    folder = tmp_path / "parts"
    folder.mkdir()
    geoparquet_of(folder / "part-1.parquet", points, slice(0, 250))
    geoparquet_of(folder / "part-2.parquet", points, slice(250, None))
    assert run(reference, tmp_path / "gpkg.tif", *COMMON) == 0
    assert run(folder, tmp_path / "folder.tif", *COMMON) == 0
    assert_same_raster(tmp_path / "folder.tif", tmp_path / "gpkg.tif")
    assert run(folder, tmp_path / "cluster.tif", *COMMON, "--workers", 2) == 0
    cluster, cluster_transform, _ = read_raster(tmp_path / "cluster.tif")
    one, one_transform, _ = read_raster(tmp_path / "folder.tif")
    np.testing.assert_allclose(cluster_transform, one_transform)
    np.testing.assert_allclose(cluster, one, rtol=0, atol=1e-6 * one.max())


@pytest.mark.skipif(ogr.GetDriverByName("Parquet") is not None, reason="GDAL reads Parquet")
def test_without_pyarrow_the_error_names_both_ways_out(tmp_path, points):
    source = geoparquet_of(tmp_path / "points.parquet", points)
    code = (
        "import sys\n"
        "sys.modules['pyarrow'] = None\n"
        "from kde_heatmap_plugin import cli\n"
        "status = cli.main(sys.argv[1:])\n"
        "assert not [m for m in sys.modules if m.startswith('pyarrow') and sys.modules[m]]\n"
        "sys.exit(status)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    completed = subprocess.run(
        [sys.executable, "-c", code, str(source), str(tmp_path / "heat.tif"), "--quiet"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in completed.stderr, completed.stderr
    assert "no Parquet driver" in lines[0] and 'pip install "pyarrow<26"' in lines[0], lines[0]
    assert not (tmp_path / "heat.tif").exists()


def test_the_cli_does_not_import_pyarrow_for_other_inputs(tmp_path, points):
    source = write_gpkg(tmp_path / "points.gpkg", points)
    code = (
        "import sys\n"
        "from kde_heatmap_plugin import cli\n"
        "assert cli.main(sys.argv[1:]) == 0\n"
        "assert 'pyarrow' not in sys.modules\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(REPOSITORY)}
    arguments = [str(source), str(tmp_path / "heat.tif"), "--quiet", "--radius", "200"]
    completed = subprocess.run(
        [sys.executable, "-c", code, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
