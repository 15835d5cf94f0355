"""Bands of density rows + grid + CRS -> a single-band Float32 raster file, written atomically.

The rows arrive band by band, top to bottom, as the core computes them, and go to GDAL at once:
the whole raster is never held in memory (except for formats GDAL can only copy from a finished
raster, such as the ASCII grid, which are filled in memory first).

The raster is first written under a temporary name in the destination folder and renamed over
the destination only once it is complete, so a cancelled or failed run leaves neither a partial
raster nor a temporary file, and an existing file is replaced only by a finished one.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np
from osgeo import gdal
from qgis.core import QgsRasterFileWriter

from .core import Cancelled, Grid

ProgressCallback = Callable[[float], bool]
"""Called with the fraction of rows written (0..1); returning False cancels the write."""

ROWS_PER_BLOCK = 128
"""Rows written at once: the height of the GeoTIFF tiles (256 x 128 cells), so that every tile
is written once, and half a megabyte per 1000 columns held for it."""

#: Floating-point predictor and fast DEFLATE: 4 times faster than the default level, for files
#: about 10 % larger. Compressed in the calling thread (no NUM_THREADS): the blocks come one at a
#: time while the core's threads compute the next band, and GDAL's own threads cost 2 MB more.
GTIFF_CREATION_OPTIONS = [
    "COMPRESS=DEFLATE",
    "PREDICTOR=3",
    "ZLEVEL=1",
    "TILED=YES",
    "BLOCKXSIZE=256",
    f"BLOCKYSIZE={ROWS_PER_BLOCK}",
    "BIGTIFF=IF_SAFER",
]


def float32_driver_for(path: str) -> str | None:
    """GDAL driver QGIS associates with the extension of ``path``, if it can write Float32.

    Returns None when no driver matches the extension or the driver cannot store 32-bit floats
    (PNG, JPEG, ...).
    """
    driver_name = QgsRasterFileWriter.driverForExtension(os.path.splitext(path)[1])
    driver = gdal.GetDriverByName(driver_name) if driver_name else None
    if driver is None:
        return None
    metadata = driver.GetMetadata() or {}
    can_write = "DCAP_CREATE" in metadata or "DCAP_CREATECOPY" in metadata
    if not can_write or "Float32" not in metadata.get("DMD_CREATIONDATATYPES", ""):
        return None
    return driver_name


def writer_memory_bytes(grid: Grid, driver_name: str) -> int:
    """Memory :func:`write_raster` holds (bytes).

    Formats GDAL creates directly hold a block of rows and its copy in GDAL's cache (each block
    is flushed once written); CreateCopy-only formats (e.g. the ASCII grid) hold the whole
    Float32 raster in memory until it is copied.
    """
    if _can_create(gdal.GetDriverByName(driver_name)):
        return 2 * ROWS_PER_BLOCK * grid.cols * 4
    return grid.cells * 4


def check_folder_writable(path: str) -> None:
    """Raise ``OSError`` unless a file can be created in the folder that will hold ``path``.

    Creates and removes an empty temporary file, which also catches read-only file systems and
    cases that ``os.access`` gets wrong (root, network shares).
    """
    handle, probe = tempfile.mkstemp(prefix=".kde-heatmap-", dir=_folder_of(path))
    os.close(handle)
    os.remove(probe)


Band = tuple[int, np.ndarray]
"""``(first_row, values)``: rows ``first_row ..`` of the grid (row 0 = north), all its columns."""


def write_raster(
    path: str,
    bands: Iterable[Band],
    grid: Grid,
    crs_wkt: str,
    *,
    driver_name: str = "GTiff",
    progress: ProgressCallback | None = None,
) -> None:
    """Write the ``bands`` (every row of ``grid`` once, in order) as Float32 band 1 of a raster.

    Each band is handed to GDAL as it comes (converted to Float32 by GDAL) and flushed, so
    memory holds about one band. ``bands`` may be a generator that computes them: its
    exceptions (including ``core.Cancelled``) abort the write like any other failure.

    The georeference is ``grid.geotransform`` (map units of ``crs_wkt``); no NoData value is set,
    zero density is stored as 0. GeoTIFFs are tiled and DEFLATE-compressed. Raises ``OSError``
    when GDAL fails and ``core.Cancelled`` when ``progress`` returns False; in both cases every
    temporary file is removed and an existing file at ``path`` is left untouched.
    """
    folder = _folder_of(path)
    stem, extension = os.path.splitext(os.path.basename(path))
    # A fresh unique name that GDAL creates itself, with the usual permissions (mkstemp's
    # files are private to the user, and the rename would keep that).
    temporary_path = os.path.join(folder, f".{stem}.{uuid.uuid4().hex}.partial{extension}")
    temporary_name = os.path.basename(temporary_path)
    temporary_stem = temporary_name[: len(temporary_name) - len(extension)]
    try:
        files = _write_dataset(temporary_path, bands, grid, crs_wkt, driver_name, progress)
        main_file, *sidecars = files
        for temporary_file in [*sidecars, main_file]:  # the raster itself appears last
            suffix = os.path.basename(temporary_file)[len(temporary_stem) :]
            os.replace(temporary_file, os.path.join(folder, stem + suffix))
    except BaseException:
        for name in os.listdir(folder):
            if name.startswith(temporary_stem):
                os.remove(os.path.join(folder, name))
        raise
    stale_statistics = os.path.abspath(path) + ".aux.xml"
    if not any(f.endswith(".aux.xml") for f in files) and os.path.exists(stale_statistics):
        os.remove(stale_statistics)  # statistics of a replaced raster would be wrong


def _write_dataset(
    temporary_path: str,
    bands: Iterable[Band],
    grid: Grid,
    crs_wkt: str,
    driver_name: str,
    progress: ProgressCallback | None,
) -> list[str]:
    """Write and close the raster at ``temporary_path``; return the files GDAL made for it."""
    driver = gdal.GetDriverByName(driver_name)
    can_create = _can_create(driver)
    options = GTIFF_CREATION_OPTIONS if driver_name == "GTiff" else []
    dataset = raster_band = None
    try:
        with _gdal_errors_as_oserror(f"GDAL could not create {temporary_path}"):
            if can_create:
                dataset = driver.Create(
                    temporary_path, grid.cols, grid.rows, 1, gdal.GDT_Float32, options
                )
            else:  # CreateCopy-only formats (e.g. ASCII grid): fill an in-memory raster first
                memory = gdal.GetDriverByName("MEM")
                dataset = memory.Create("", grid.cols, grid.rows, 1, gdal.GDT_Float32)
            if dataset is None:
                raise RuntimeError(gdal.GetLastErrorMsg())
            dataset.SetGeoTransform(grid.geotransform)
            dataset.SetProjection(crs_wkt)
            raster_band = dataset.GetRasterBand(1)
        # Rows are gathered into whole blocks of the file (a row of GeoTIFF tiles), each written
        # once and flushed: a tile written in two parts would be compressed and stored twice.
        block = np.empty((min(ROWS_PER_BLOCK, grid.rows), grid.cols), dtype=np.float32)
        block_row0 = filled = 0
        for first_row, values in bands:
            if first_row != block_row0 + filled or values.shape[1:] != (grid.cols,):
                raise ValueError(
                    f"Expected rows from {block_row0 + filled} of {grid.cols} columns."
                )
            taken = 0
            while taken < len(values):
                count = min(len(block) - filled, len(values) - taken)
                block[filled : filled + count] = values[taken : taken + count]
                filled, taken = filled + count, taken + count
                if filled == len(block) or block_row0 + filled == grid.rows:
                    _write_block(raster_band, dataset, block[:filled], block_row0, can_create)
                    block_row0, filled = block_row0 + filled, 0
                    if progress is not None and not progress(block_row0 / grid.rows):
                        raise Cancelled("writing the raster cancelled")
        if block_row0 + filled != grid.rows:
            raise ValueError(f"Rows {block_row0 + filled} to {grid.rows - 1} were not given.")
        raster_band = None
        with _gdal_errors_as_oserror(f"GDAL could not write {temporary_path}"):
            if not can_create:
                dataset = driver.CreateCopy(temporary_path, dataset, 0, options)
                if dataset is None:
                    raise RuntimeError(gdal.GetLastErrorMsg())
            dataset.FlushCache()
            files = list(dataset.GetFileList() or [temporary_path])
    finally:
        raster_band = None
        dataset = None  # closes the file; GDAL may add a .aux.xml sidecar here
    auxiliary = temporary_path + ".aux.xml"
    if os.path.exists(auxiliary) and auxiliary not in files:
        files.append(auxiliary)
    return files


def _write_block(
    raster_band: gdal.Band, dataset: gdal.Dataset, rows: np.ndarray, first_row: int, flush: bool
) -> None:
    """Write ``rows`` from ``first_row`` on; with ``flush``, send them to the file at once."""
    with _gdal_errors_as_oserror("GDAL could not write the raster"):
        if raster_band.WriteArray(rows, 0, first_row) != 0:
            raise RuntimeError(gdal.GetLastErrorMsg())
        if flush:  # finished blocks go to the file instead of staying in GDAL's cache
            dataset.FlushCache()


def _can_create(driver: gdal.Driver | None) -> bool:
    """Whether ``driver`` writes a raster directly (the others only copy a finished one)."""
    return driver is not None and "DCAP_CREATE" in (driver.GetMetadata() or {})


@contextmanager
def _gdal_errors_as_oserror(message: str) -> Iterator[None]:
    """Turn a GDAL failure into ``OSError``, with or without ``gdal.UseExceptions()``.

    With exceptions GDAL raises ``RuntimeError``; without, the block checks the return values
    and raises ``RuntimeError`` itself, the reason being in ``gdal.GetLastErrorMsg()``.
    """
    try:
        yield
    except RuntimeError as error:
        raise OSError(gdal.GetLastErrorMsg() or str(error) or message) from error


def _folder_of(path: str) -> str:
    """Absolute folder of ``path``."""
    return os.path.dirname(os.path.abspath(path))
