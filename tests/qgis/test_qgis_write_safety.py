"""The raster writer never reports a broken file as done and never clobbers a file not its own.

Destination checks before computing, GDAL errors (a really full disk) as failures, final names
inside every format, the old output's sidecars replaced with it, serialized swaps, killed
runs cleaned up, block layout and disk space estimates.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from osgeo import gdal, ogr, osr
from qgis_test_support import REPOSITORY, PointFeature, make_gpkg, read_raster
from write_safety_support import (
    ALL_DRIVERS,
    DRIVERS,
    WKT,
    grid_of,
    random_values,
    small_filesystem,
    snapshot,
    utm_wkt,
)

from kde_heatmap_plugin import rasters
from kde_heatmap_plugin.rasters import DestinationError, DestinationProblem, RasterWriteError

pytestmark = pytest.mark.usefixtures("qgis_app")


@pytest.fixture(params=[False, True], ids=["plain", "gdal-exceptions"])
def gdal_exceptions(request):
    """Run the test without and with ``gdal.UseExceptions()``; restore the mode afterwards."""
    was_on = gdal.GetUseExceptions()
    gdal.UseExceptions() if request.param else gdal.DontUseExceptions()
    yield request.param
    gdal.UseExceptions() if was_on else gdal.DontUseExceptions()


def write(path, values, *, driver_name="GTiff", crs_wkt=WKT, cell_size=10.0, **options):
    """Write ``values`` as a raster at ``path`` (the grid of ``grid_of``)."""
    grid = grid_of(*values.shape, cell_size=cell_size)
    rasters.write_raster(
        str(path), [(0, values)], grid, crs_wkt, driver_name=driver_name, **options
    )


def values_of(path) -> np.ndarray:
    """Band 1 of the raster at ``path`` (the file is closed on return)."""
    return read_raster(str(path))[0]


def partial_folders(folder) -> list[str]:
    """Names of the private folders in ``folder``."""
    return [name for name in os.listdir(folder) if rasters.PARTIAL_MARK in name]


def refused(path, **options) -> DestinationError:
    """The DestinationError ``check_destination(path)`` raises."""
    with pytest.raises(DestinationError) as caught:
        rasters.check_destination(str(path), **options)
    return caught.value


# --- destination checks ---------------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(ALL_DRIVERS))
def test_each_format_is_accepted_and_the_check_leaves_nothing(tmp_path, extension):
    (tmp_path / "other.txt").write_text("kept")
    before = snapshot(tmp_path)
    output = tmp_path / f"heatmap.{extension}"
    assert rasters.check_destination(str(output)) == ALL_DRIVERS[extension]
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "name, problem, detail",
    [
        ("heatmap", DestinationProblem.NO_EXTENSION, ""),
        ("heatmap.", DestinationProblem.NO_EXTENSION, ""),
        ("heatmap.foo", DestinationProblem.UNSUPPORTED_EXTENSION, ".foo"),
        ("heatmap.shp", DestinationProblem.UNSUPPORTED_EXTENSION, ".shp"),
        ("heatmap.hdr", DestinationProblem.UNSUPPORTED_EXTENSION, ".hdr"),  # read-only driver
        ("heatmap.png", DestinationProblem.NO_FLOAT32, "PNG"),
        ("heatmap.jpg", DestinationProblem.NO_FLOAT32, "JPEG"),
        ("heatmap.vrt", DestinationProblem.VIRTUAL_FORMAT, "VRT"),
    ],
)
def test_unusable_formats_are_refused_for_their_reason(tmp_path, name, problem, detail):
    error = refused(tmp_path / name)
    assert (error.problem, error.path, error.detail) == (problem, str(tmp_path / name), detail)
    assert os.listdir(tmp_path) == []


def test_a_format_gdal_cannot_write_this_raster_in_is_refused_with_gdals_reason(tmp_path):
    error = refused(tmp_path / "heatmap.gsb")  # NTv2 grids need 4 bands
    assert error.problem == DestinationProblem.PROBE_FAILED
    assert "band" in error.detail
    assert os.listdir(tmp_path) == []


def test_xyz_is_written_through_gdals_copy_with_exact_float32_values(tmp_path):
    values = random_values(40, 30) * 1000
    output = tmp_path / "heatmap.xyz"
    assert rasters.check_destination(str(output)) == "XYZ"
    write(output, values, driver_name="XYZ")
    written, geotransform, _ = read_raster(str(output))
    np.testing.assert_array_equal(written, values.astype(np.float32))
    assert geotransform == grid_of(40, 30).geotransform
    assert os.listdir(tmp_path) == ["heatmap.xyz"]


def test_an_output_that_is_a_folder_is_refused_and_nothing_is_written(tmp_path):
    output = tmp_path / "heatmap.asc"
    output.mkdir()
    error = refused(output)
    assert (error.problem, error.path) == (DestinationProblem.IS_DIRECTORY, str(output))
    with pytest.raises(DestinationError):  # the writer refuses it too
        write(output, np.ones((5, 4)), driver_name="AAIGrid")
    assert os.listdir(tmp_path) == ["heatmap.asc"] and os.listdir(output) == []  # no .prj


def test_a_missing_folder_is_refused(tmp_path):
    error = refused(tmp_path / "missing" / "heatmap.tif")
    assert (error.problem, error.path) == (
        DestinationProblem.FOLDER_MISSING,
        str(tmp_path / "missing"),
    )


def test_a_read_only_folder_is_refused(tmp_path):
    with small_filesystem(str(tmp_path / "read_only"), "1m", read_only=True) as folder:
        error = refused(os.path.join(folder, "heatmap.tif"))
        assert (error.problem, error.path) == (DestinationProblem.FOLDER_NOT_WRITABLE, folder)
        assert "Read-only" in error.detail


def test_a_read_only_output_is_refused_before_and_while_writing(tmp_path):
    output = tmp_path / "heatmap.tif"
    write(output, np.ones((5, 4)))
    output.chmod(0o444)
    before = snapshot(tmp_path)
    error = refused(output)
    assert (error.problem, error.path) == (DestinationProblem.OUTPUT_READ_ONLY, str(output))
    with pytest.raises(DestinationError, match="output_read_only"):
        write(output, np.zeros((5, 4)))
    assert snapshot(tmp_path) == before


def test_the_input_file_is_refused_as_output(tmp_path):
    source = make_gpkg(str(tmp_path / "points.gpkg"), [PointFeature("POINT (1 2)")])
    path = source.split("|")[0]
    error = refused(path, input_paths=[path])
    assert (error.problem, error.path) == (DestinationProblem.SAME_AS_INPUT, path)


def add_vector_layer(path):
    """Add a point layer ``points`` to the existing GeoPackage at ``path``."""
    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_UPDATE)
    dataset.CreateLayer("points", osr.SpatialReference(WKT), ogr.wkbPoint)
    dataset = None


def add_second_raster(path):
    """Add a raster table ``other`` to the existing GeoPackage at ``path``."""
    source = gdal.GetDriverByName("MEM").Create("", 4, 3, 1, gdal.GDT_Float32)
    source.SetGeoTransform(grid_of(3, 4).geotransform)
    options = ["RASTER_TABLE=other", "APPEND_SUBDATASET=YES"]
    assert gdal.GetDriverByName("GPKG").CreateCopy(path, source, options=options) is not None


def add_plain_table(path):
    """Add a table the GeoPackage does not register (made with SQL)."""
    database = sqlite3.connect(path)
    with database:
        database.execute("CREATE TABLE user_notes (text TEXT)")
    database.close()


def two_variable_netcdf(path):
    """A netCDF file holding two 2D variables."""
    dataset = gdal.GetDriverByName("netCDF").CreateMultiDimensional(path)
    group = dataset.GetRootGroup()
    dims = [group.CreateDimension(name, None, None, 3) for name in ("y", "x")]
    for name in ("temperature", "rain"):
        group.CreateMDArray(name, dims, gdal.ExtendedDataType.Create(gdal.GDT_Float32))
    dataset = group = None


@pytest.mark.parametrize(
    "name, make, holds",
    [
        ("points.gpkg", lambda p: make_gpkg(p, [PointFeature("POINT (1 2)")]), "vector"),
        ("both.gpkg", add_vector_layer, "vector"),
        ("two.gpkg", add_second_raster, "2 rasters"),
        ("notes.gpkg", add_plain_table, "vector layers or tables"),
        ("two.nc", two_variable_netcdf, "2 rasters"),
    ],
)
def test_an_existing_file_holding_more_than_one_raster_is_refused(tmp_path, name, make, holds):
    path = str(tmp_path / name)
    if name != "points.gpkg" and name != "two.nc":
        write(path, np.ones((3, 4)), driver_name="GPKG")  # our raster, then the user's data
    make(path)
    before = snapshot(tmp_path)
    error = refused(path)
    assert (error.problem, error.path) == (DestinationProblem.EXISTING_HOLDS_MORE, path)
    assert holds in error.detail
    with pytest.raises(DestinationError, match="existing_holds_more"):
        write(path, np.zeros((3, 4)), driver_name=DRIVERS[name.rsplit(".", 1)[1]])
    assert snapshot(tmp_path) == before


def test_a_previous_single_raster_geopackage_is_replaced(tmp_path):
    path = tmp_path / "heatmap.gpkg"
    write(path, np.ones((3, 4)), driver_name="GPKG")
    assert rasters.check_destination(str(path)) == "GPKG"
    write(path, np.full((6, 5), 2.0), driver_name="GPKG")
    written, _, _ = read_raster(str(path))
    assert written.shape == (6, 5) and (written == 2).all()


def test_an_existing_file_gdal_cannot_read_is_refused_and_an_empty_one_replaced(tmp_path):
    notes = tmp_path / "notes.asc"
    notes.write_text("my notes, not a grid\n")
    error = refused(notes)
    assert (error.problem, error.path) == (DestinationProblem.EXISTING_NOT_A_RASTER, str(notes))
    empty = tmp_path / "empty.asc"
    empty.write_bytes(b"")
    assert rasters.check_destination(str(empty)) == "AAIGrid"
    write(empty, np.ones((3, 4)), driver_name="AAIGrid")
    assert read_raster(str(empty))[0].shape == (3, 4)


def shapefile_with_projection(folder, name="roads"):
    """A line shapefile ``name`` in UTM 17N (so with ``name.prj``); returns the .prj path."""
    driver = ogr.GetDriverByName("ESRI Shapefile")
    dataset = driver.CreateDataSource(str(folder / f"{name}.shp"))
    dataset.CreateLayer(name, osr.SpatialReference(WKT), ogr.wkbLineString)
    dataset = None
    return folder / f"{name}.prj"


def test_a_sidecar_of_another_dataset_is_not_replaced(tmp_path):
    projection = shapefile_with_projection(tmp_path)
    output = tmp_path / "roads.asc"  # an ASCII grid writes roads.prj
    before = snapshot(tmp_path)
    error = refused(output)
    assert (error.problem, error.path) == (DestinationProblem.SIDECAR_NOT_OURS, str(projection))
    with pytest.raises(DestinationError, match="sidecar_not_ours"):
        write(output, np.ones((3, 4)), driver_name="AAIGrid")
    assert snapshot(tmp_path) == before
    write(tmp_path / "roads.tif", np.ones((3, 4)))  # a GeoTIFF needs no roads.prj
    assert (tmp_path / "roads.prj").read_bytes() == before["roads.prj"]


def test_the_previous_outputs_own_projection_file_is_replaced(tmp_path):
    output = tmp_path / "heatmap.asc"
    write(output, np.ones((3, 4)), driver_name="AAIGrid", crs_wkt=utm_wkt(10))
    assert rasters.check_destination(str(output)) == "AAIGrid"
    write(output, np.ones((3, 4)), driver_name="AAIGrid", crs_wkt=utm_wkt(20))
    assert read_raster(str(output))[2].GetSpatialRef().GetUTMZone() == 20
    write(output, np.ones((3, 4)), driver_name="AAIGrid", crs_wkt="")  # no CRS: no .prj
    assert sorted(os.listdir(tmp_path)) == ["heatmap.asc"]


# --- GDAL errors: a full disk ---------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(ALL_DRIVERS))
def test_a_full_disk_fails_and_keeps_the_previous_output(tmp_path, extension, gdal_exceptions):
    with small_filesystem(str(tmp_path / "small"), "1m") as folder:
        output = os.path.join(folder, f"heatmap.{extension}")
        write(output, np.full((10, 10), 2.0), driver_name=ALL_DRIVERS[extension])
        before = snapshot(folder)
        with pytest.raises(RasterWriteError) as caught:  # 4 MB of noise on 1 MB
            write(output, random_values(1000, 1000), driver_name=ALL_DRIVERS[extension])
        error = caught.value
        assert isinstance(error, OSError) and error.path == output
        message = str(error)
        assert message and "No such file" not in message
        assert rasters.PARTIAL_MARK not in message and "partial" not in message
        assert snapshot(folder) == before  # byte-identical, nothing left beside it
        assert (values_of(output) == 2).all()


def test_the_netcdf_disk_full_message_names_the_disk(tmp_path):
    with small_filesystem(str(tmp_path / "small"), "1m") as folder:
        output = os.path.join(folder, "heatmap.nc")
        with pytest.raises(RasterWriteError, match="No space left on device"):
            write(output, random_values(1000, 1000), driver_name="netCDF")
        assert os.listdir(folder) == []


def test_errors_gdal_reports_only_when_closing_are_failures(tmp_path, gdal_exceptions):
    # The rows stay in GDAL's cache until the file is closed, where the disk turns out full.
    with small_filesystem(str(tmp_path / "small"), "1m") as folder:
        path = os.path.join(folder, "deferred.tif")
        with rasters._GdalErrors(path, None) as errors:
            opened = [gdal.GetDriverByName("GTiff").Create(path, 1000, 1000, 1, gdal.GDT_Float32)]
            opened[0].GetRasterBand(1).WriteArray(random_values(1000, 1000))
            assert errors.failures == []
            errors.close(opened)
        assert "No space left on device" in errors.cause()
        with pytest.raises(RasterWriteError):
            errors.check()


def test_files_smaller_than_the_cells_need_are_a_failure(tmp_path, monkeypatch):
    # As if a driver had dropped rows without saying so: the size is checked after closing.
    output = tmp_path / "heatmap.bil"
    write(output, np.ones((5, 4)), driver_name="EHdr")
    before = snapshot(tmp_path)
    monkeypatch.setattr(rasters, "estimated_file_bytes", lambda grid, driver: (10**9, 10**9))
    with pytest.raises(RasterWriteError, match="bytes were written"):
        write(output, np.zeros((5, 4)), driver_name="EHdr")
    assert snapshot(tmp_path) == before


# --- names inside the files -----------------------------------------------------------------


@pytest.mark.parametrize("extension", sorted(ALL_DRIVERS))
def test_no_file_mentions_the_temporary_folder(tmp_path, extension):
    values = random_values(20, 30)
    write(tmp_path / f"heatmap.{extension}", values, driver_name=ALL_DRIVERS[extension])
    for name, contents in snapshot(tmp_path).items():
        assert name.startswith("heatmap")
        assert b"partial" not in contents and b"kde-heatmap" not in contents, name


def test_geopackage_raster_table_has_the_final_name(tmp_path):
    write(tmp_path / "heatmap.gpkg", random_values(20, 30), driver_name="GPKG")
    database = sqlite3.connect(str(tmp_path / "heatmap.gpkg"))
    tables = database.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall()
    database.close()
    assert tables == [("heatmap", "2d-gridded-coverage")]


def test_saga_header_has_the_final_name(tmp_path):
    write(tmp_path / "heatmap.sdat", random_values(20, 30), driver_name="SAGA")
    header = (tmp_path / "heatmap.sgrd").read_text()
    assert "NAME\t= heatmap\n" in header
    assert sorted(os.listdir(tmp_path)) == ["heatmap.prj", "heatmap.sdat", "heatmap.sgrd"]


def test_netcdf_history_names_the_final_file(tmp_path):
    output = tmp_path / "heatmap.nc"
    write(output, random_values(20, 30), driver_name="netCDF")
    history = gdal.Open(str(output)).GetMetadataItem("NC_GLOBAL#history")
    assert history.endswith(f": GDAL Create( {output}, ... )")


def test_ers_header_names_its_final_data_file(tmp_path):
    write(tmp_path / "heatmap.ers", random_values(20, 30), driver_name="ERS")
    header = (tmp_path / "heatmap.ers").read_text()
    assert 'Name\t= "heatmap.ers"' in header
    assert "DataFile" not in header  # the default: the header's name without .ers
    assert sorted(os.listdir(tmp_path)) == ["heatmap", "heatmap.ers"]
    assert read_raster(str(tmp_path / "heatmap.ers"))[0].shape == (20, 30)


def test_hfa_spill_file_has_the_final_name(tmp_path, monkeypatch):
    monkeypatch.setitem(rasters.CREATION_OPTIONS, "HFA", ["USE_SPILL=YES"])  # as beyond 2 GB
    values = random_values(20, 30)
    write(tmp_path / "heatmap.img", values, driver_name="HFA")
    assert sorted(os.listdir(tmp_path)) == ["heatmap.ige", "heatmap.img"]
    assert b"heatmap.ige" in (tmp_path / "heatmap.img").read_bytes()
    np.testing.assert_array_equal(
        read_raster(str(tmp_path / "heatmap.img"))[0], values.astype(np.float32)
    )


# --- replacing the previous output ----------------------------------------------------------


def add_gtiff_sidecars(path):
    """Give the GeoTIFF at ``path`` external overviews, a mask, statistics and a world file."""
    dataset = gdal.Open(path)
    dataset.BuildOverviews("AVERAGE", [2])
    dataset = None
    gdal.SetConfigOption("GDAL_TIFF_INTERNAL_MASK", "NO")
    try:
        dataset = gdal.Open(path, gdal.GA_Update)
        dataset.CreateMaskBand(gdal.GMF_PER_DATASET)
        dataset = None
    finally:
        gdal.SetConfigOption("GDAL_TIFF_INTERNAL_MASK", None)
    dataset = gdal.Open(path)
    dataset.GetRasterBand(1).ComputeStatistics(False)
    dataset = None
    with open(os.path.splitext(path)[0] + ".tfw", "w") as world:
        world.write("1\n0\n0\n-1\n0.5\n0.5\n")


@pytest.mark.parametrize("extension", sorted(ALL_DRIVERS))
def test_each_format_replaces_its_previous_output(tmp_path, extension):
    output = tmp_path / f"heatmap.{extension}"
    write(output, random_values(30, 20), driver_name=ALL_DRIVERS[extension])
    first = sorted(os.listdir(tmp_path))
    assert rasters.check_destination(str(output)) == ALL_DRIVERS[extension]
    write(output, np.full((12, 9), 4.0), driver_name=ALL_DRIVERS[extension])
    assert sorted(os.listdir(tmp_path)) == first
    written = values_of(output)
    assert written.shape == (12, 9) and (written == 4).all()


def test_a_failing_sidecars_hook_leaves_the_previous_output(tmp_path):
    output = tmp_path / "heatmap.tif"
    write(output, np.ones((5, 4)))
    before = snapshot(tmp_path)

    def failing_style(raster_path):
        open(os.path.splitext(raster_path)[0] + ".qml", "w").close()
        raise RuntimeError("style failed")

    with pytest.raises(RuntimeError, match="style failed"):
        write(output, np.zeros((5, 4)), sidecars=failing_style)
    assert snapshot(tmp_path) == before


def test_replacing_a_geotiff_removes_its_overviews_mask_statistics_and_world_file(tmp_path):
    output = tmp_path / "heatmap.tif"
    write(output, random_values(40, 30))
    add_gtiff_sidecars(str(output))
    (tmp_path / "heatmap.prj").write_text("of another dataset")
    assert sorted(os.listdir(tmp_path)) == [
        "heatmap.prj",
        "heatmap.tfw",
        "heatmap.tif",
        "heatmap.tif.aux.xml",
        "heatmap.tif.msk",
        "heatmap.tif.ovr",
    ]
    write(output, np.full((20, 10), 3.0))
    assert sorted(os.listdir(tmp_path)) == ["heatmap.prj", "heatmap.tif"]
    assert (tmp_path / "heatmap.prj").read_text() == "of another dataset"
    written, _, dataset = read_raster(str(output))
    assert written.shape == (20, 10) and (written == 3).all()
    assert dataset.GetRasterBand(1).GetOverviewCount() == 0


def test_a_failed_swap_puts_every_old_file_back(tmp_path, monkeypatch):
    output = tmp_path / "heatmap.bil"
    write(output, np.ones((30, 20)), driver_name="EHdr")
    before = snapshot(tmp_path)
    real_replace = os.replace

    def replace_failing_on_the_raster(source, target):
        moving_in = rasters.PARTIAL_MARK in source and rasters.PREVIOUS_FILES_NAME not in source
        if moving_in and target == str(output):
            raise PermissionError(13, "Permission denied", str(target))
        return real_replace(source, target)

    monkeypatch.setattr(rasters.os, "replace", replace_failing_on_the_raster)
    with pytest.raises(RasterWriteError, match="Permission denied") as caught:
        write(output, np.full((10, 5), 2.0), driver_name="EHdr", crs_wkt="")
    assert caught.value.path == str(output)
    assert snapshot(tmp_path) == before


def test_sidecars_hook_files_move_in_with_the_raster(tmp_path):
    output = tmp_path / "heatmap.tif"
    seen = []

    def add_style(raster_path):
        seen.append(sorted(os.listdir(os.path.dirname(raster_path))))
        with open(os.path.splitext(raster_path)[0] + ".qml", "w") as style:
            style.write("<qgis/>")

    write(output, np.ones((3, 4)), sidecars=add_style)
    assert seen == [[rasters.OWNER_LOCK_NAME, "heatmap.tif"]]
    assert sorted(os.listdir(tmp_path)) == ["heatmap.qml", "heatmap.tif"]


def read_run(folder):
    """(value of the raster, UTM zone of its .prj, content of the .qml) of heatmap.asc."""
    values, _, dataset = read_raster(os.path.join(folder, "heatmap.asc"))
    zone = dataset.GetSpatialRef().GetUTMZone()
    with open(os.path.join(folder, "heatmap.qml")) as style:
        return float(values[0, 0]), zone, float(style.read())


def test_concurrent_runs_never_mix_their_files(tmp_path, monkeypatch):
    # Each run writes value k, UTM zone k (.prj) and a "style" saying k; swaps are slowed down
    # so that unserialized ones would interleave.
    real_keep = rasters._keep

    def slow_keep(path, kept):
        time.sleep(0.01)
        real_keep(path, kept)

    monkeypatch.setattr(rasters, "_keep", slow_keep)
    output = tmp_path / "heatmap.asc"
    failures = []

    def run(k, barrier):
        def style(raster_path):
            with open(os.path.splitext(raster_path)[0] + ".qml", "w") as file:
                file.write(str(k))

        try:
            barrier.wait()
            values = np.full((6, 5), float(k))
            write(output, values, driver_name="AAIGrid", crs_wkt=utm_wkt(k), sidecars=style)
        except BaseException as error:
            failures.append(error)

    for _ in range(4):
        barrier = threading.Barrier(5)
        threads = [threading.Thread(target=run, args=(k, barrier)) for k in range(1, 6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert failures == []
        value, zone, style = read_run(str(tmp_path))
        assert value == zone == style
        assert sorted(os.listdir(tmp_path)) == ["heatmap.asc", "heatmap.prj", "heatmap.qml"]


TESTS = os.path.dirname(os.path.abspath(__file__))
CHILD_ENVIRONMENT = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join([REPOSITORY, TESTS]),
    "QT_QPA_PLATFORM": "offscreen",
}

CONCURRENT_WRITER = """
import sys
import numpy as np
from write_safety_support import grid_of, utm_wkt
from kde_heatmap_plugin import rasters

folder, k = sys.argv[1], int(sys.argv[2])

def style(raster_path):
    with open(raster_path[: -len(".asc")] + ".qml", "w") as file:
        file.write(str(k))

for _ in range(5):
    rasters.write_raster(
        folder + "/heatmap.asc", [(0, np.full((6, 5), float(k)))], grid_of(6, 5), utm_wkt(k),
        driver_name="AAIGrid", sidecars=style,
    )
"""


def test_concurrent_processes_never_mix_their_files(tmp_path):
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT_WRITER, str(tmp_path), str(k)], env=CHILD_ENVIRONMENT
        )
        for k in range(1, 4)
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0, 0]
    value, zone, style = read_run(str(tmp_path))
    assert value == zone == style
    assert sorted(os.listdir(tmp_path)) == ["heatmap.asc", "heatmap.prj", "heatmap.qml"]


# --- killed runs ----------------------------------------------------------------------------

SLOW_WRITER = """
import sys, time
import numpy as np
from write_safety_support import WKT, grid_of
from kde_heatmap_plugin import rasters

rasters.CELLS_PER_BLOCK = 8 * 50
grid = grid_of(4000, 50)

def bands():
    for first_row in range(0, grid.rows, 8):
        yield first_row, np.full((8, grid.cols), 5.0)
        time.sleep(0.01)

def progress(fraction):
    print("writing", flush=True)
    return True

rasters.write_raster(sys.argv[1], bands(), grid, WKT, progress=progress)
print("done", flush=True)
"""


def start_slow_writer(output):
    """A process writing ``output`` slowly (about 5 s), once it has written some rows."""
    child = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(output)],
        env=CHILD_ENVIRONMENT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline() == "writing\n"
    return child


def test_a_killed_runs_files_are_removed_by_the_next_run_only(tmp_path):
    output = tmp_path / "heatmap.tif"
    write(output, np.ones((5, 4)))
    previous = output.read_bytes()
    child = start_slow_writer(output)
    try:
        [partial] = partial_folders(tmp_path)
        assert partial.startswith(f".heatmap.tif{rasters.PARTIAL_MARK}{child.pid}.")
        assert rasters.remove_stale_partials(str(output)) == []  # its owner still runs
        assert rasters.check_destination(str(output)) == "GTiff"
        assert partial_folders(tmp_path) == [partial]
    finally:
        child.kill()
        child.wait()
    assert partial_folders(tmp_path) == [partial]  # SIGKILL leaves it behind
    assert output.read_bytes() == previous
    write(output, np.full((6, 7), 2.0))
    assert os.listdir(tmp_path) == ["heatmap.tif"]
    assert (read_raster(str(output))[0] == 2).all()


def test_sigterm_cleans_up_and_terminates(tmp_path):
    output = tmp_path / "heatmap.tif"
    write(output, np.ones((5, 4)))
    previous = output.read_bytes()
    child = start_slow_writer(output)
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == -signal.SIGTERM
    assert os.listdir(tmp_path) == ["heatmap.tif"]
    assert output.read_bytes() == previous


def test_stale_folders_without_a_lock_file_go_only_when_their_process_is_gone(tmp_path):
    output = tmp_path / "heatmap.tif"
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    gone = int(finished.stdout)
    prefix = f".heatmap.tif{rasters.PARTIAL_MARK}"
    (tmp_path / f"{prefix}{gone}.abc").mkdir()
    (tmp_path / f"{prefix}{os.getpid()}.def").mkdir()
    (tmp_path / f".other.tif{rasters.PARTIAL_MARK}{gone}.ghi").mkdir()
    removed = rasters.remove_stale_partials(str(output))
    assert removed == [str(tmp_path / f"{prefix}{gone}.abc")]
    assert sorted(partial_folders(tmp_path)) == [
        f"{prefix}{os.getpid()}.def",
        f".other.tif{rasters.PARTIAL_MARK}{gone}.ghi",
    ]


# --- blocks, memory, speed ------------------------------------------------------------------


def test_tall_thin_rasters_are_written_in_strips_of_large_blocks():
    layout = rasters.raster_layout(grid_of(10**8, 2), "GTiff")
    assert layout.block_rows == rasters.CELLS_PER_BLOCK // 2
    assert layout.chunk_cols == 2 and layout.streaming
    assert "TILED=NO" in layout.options and f"BLOCKYSIZE={layout.block_rows}" in layout.options
    assert rasters.writer_memory_bytes(grid_of(10**8, 2), "GTiff") <= 4 * 2**20


def test_wide_rasters_are_tiled_and_written_in_pieces_of_whole_tiles():
    layout = rasters.raster_layout(grid_of(4000, 4000), "GTiff")
    assert "TILED=YES" in layout.options and layout.block_rows == rasters.GTIFF_TILE[1]
    assert layout.chunk_cols % rasters.GTIFF_TILE[0] == 0
    assert layout.block_rows * layout.chunk_cols <= rasters.CELLS_PER_BLOCK
    gpkg = rasters.raster_layout(grid_of(10**8, 2), "GPKG")
    assert gpkg.block_rows % 256 == 0 and gpkg.block_rows * 256 <= rasters.CELLS_PER_BLOCK


def recorded_writes(monkeypatch):
    """Record (first_col, first_row, rows, cols) of every WriteArray call."""
    writes = []
    real_write = gdal.Band.WriteArray

    def recording_write(band, array, first_col=0, first_row=0, *args, **kwargs):
        writes.append((first_col, first_row, *array.shape))
        return real_write(band, array, first_col, first_row, *args, **kwargs)

    monkeypatch.setattr(gdal.Band, "WriteArray", recording_write)
    return writes


@pytest.mark.parametrize("shape", [(300_000, 2), (300, 3000)])
def test_every_cell_is_written_once_in_few_calls_with_progress_after_each(
    tmp_path, monkeypatch, shape
):
    writes = recorded_writes(monkeypatch)
    fractions = []
    values = np.ones(shape)
    bands = [(row, values[row : row + 1000]) for row in range(0, shape[0], 1000)]
    grid = grid_of(*shape)
    rasters.write_raster(
        str(tmp_path / "h.tif"), bands, grid, WKT, progress=lambda f: fractions.append(f) or True
    )
    covered = np.zeros(shape, dtype=int)
    for first_col, first_row, rows, cols in writes:
        covered[first_row : first_row + rows, first_col : first_col + cols] += 1
        assert first_col % rasters.GTIFF_TILE[0] == 0
    assert (covered == 1).all()
    assert len(writes) == len(fractions) <= 2 * shape[0] * shape[1] / rasters.CELLS_PER_BLOCK + 2
    assert fractions == sorted(fractions) and fractions[-1] == 1


def test_a_tall_thin_raster_is_written_quickly(tmp_path):
    grid = grid_of(2_000_000, 2)
    zeros = np.zeros((100_000, 2))
    bands = ((row, zeros) for row in range(0, grid.rows, len(zeros)))
    start = time.perf_counter()
    rasters.write_raster(str(tmp_path / "thin.tif"), bands, grid, WKT)
    assert time.perf_counter() - start < 5  # 11 s with 128-row blocks of 256-wide tiles
    assert read_raster(str(tmp_path / "thin.tif"))[0].shape == (2_000_000, 2)


# --- disk space -----------------------------------------------------------------------------


def test_disk_space_problem_refuses_only_what_cannot_fit(tmp_path):
    with small_filesystem(str(tmp_path / "small"), "1m") as folder:
        path = os.path.join(folder, "heatmap.gtx")
        free = os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize
        assert rasters.free_disk_bytes(path) == free
        assert rasters.disk_space_problem(grid_of(1000, 1000), "GTX", free) == (4_000_000, free)
        assert rasters.disk_space_problem(grid_of(500, 500), "GTX", free) is None
        assert rasters.disk_space_problem(grid_of(1000, 1000), "AAIGrid", free) == (
            2_000_000,
            free,
        )
        # An all-zero GeoTIFF can be 1032 times smaller than its cells: 3.9 kB for 1000 x 1000.
        assert rasters.disk_space_problem(grid_of(1000, 1000), "GTiff", free) is None
        needed, _ = rasters.disk_space_problem(grid_of(20000, 20000), "GTiff", free)
        assert needed == -(-4 * 20000 * 20000 // 1032)


def test_estimated_sizes_bound_real_files(tmp_path):
    grid = grid_of(200, 300)
    for extension, driver_name in ALL_DRIVERS.items():
        for values in (np.zeros(grid.shape), random_values(*grid.shape)):
            folder = tmp_path / extension  # h.bil's h.prj is not h.sdat's
            folder.mkdir(exist_ok=True)
            write(folder / f"h.{extension}", values, driver_name=driver_name)
            size = sum(len(contents) for contents in snapshot(folder).values())
            smallest, largest = rasters.estimated_file_bytes(grid, driver_name)
            assert smallest <= size, extension
            assert size <= largest * 1.05 + 70_000, extension  # + headers (ISIS3: 64 kB)
