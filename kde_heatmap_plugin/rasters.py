"""Bands of density rows + grid + CRS -> a single-band Float32 raster file, written safely.

Before computing, :func:`check_destination` refuses a destination that cannot end well (no or an
unknown extension, a format that cannot hold the values, a missing or read-only folder, a
read-only output, an existing file that holds more than one raster...) and
:func:`disk_space_problem` one whose folder (:func:`free_disk_bytes`) cannot hold even the smallest
possible file.

:func:`write_raster` then:

- hands the rows to GDAL block by block as the core computes them, so memory holds about one
  block (formats GDAL can only copy from a finished raster, such as the ASCII grid or XYZ, are
  filled in memory first);
- writes under the final file name inside a private folder beside the output,
  ``.<name>.kde-heatmap-partial.<pid>.<random>/<name>``, so that names stored inside the files
  (GeoPackage table, SAGA header, ERS data file, HFA spill file; the netCDF history is written
  by us with the final path) are the final ones;
- treats every GDAL error as a failure (:class:`RasterWriteError`): errors are recorded by an
  error handler pushed for the whole write, with or without ``gdal.UseExceptions()``, and
  checked after every block, after flushing and after closing the dataset (some drivers report
  a full disk only then); the closed file is then reopened (size, georeference), its size
  checked, and, for drivers that drop write errors (PCRaster), its cells read back;
- moves the finished files over the previous output under a lock on the folder, removing the
  previous output's own sidecars (overviews, masks, statistics, world files: the files GDAL
  lists for it and those named after it) at the same time, so two runs to one output never
  mix their files, and restores the previous files if the move fails;
- leaves nothing behind on failure or cancellation. A run killed by SIGKILL leaves its private
  folder, which the next run to the same output removes once its owner process is gone (an
  exclusive lock held on a file inside it tells); SIGTERM is turned into a clean-up when the
  write runs in the main thread with the default handler.
"""

from __future__ import annotations

import enum
import hashlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from osgeo import gdal, osr
from qgis.core import QgsRasterFileWriter

from .core import Cancelled, Grid

try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None
try:  # Windows
    import msvcrt
except ImportError:  # POSIX
    msvcrt = None

ProgressCallback = Callable[[float], bool]
"""Called with the fraction of the writing done (0..1); returning False cancels the write."""

Band = tuple[int, np.ndarray]
"""``(first_row, values)``: rows ``first_row ..`` of the grid (row 0 = north), all its columns."""

CELLS_PER_BLOCK = 1 << 17
"""Cells handed to GDAL at once (512 KiB of Float32), at least one row of the file's blocks:
under 0.1 s of DEFLATE even for incompressible values (here), so the progress callback (and
cancelling) comes several times a second, and few calls for a tall raster (1526 blocks for
1e8 x 2 cells). Rows wider than this
are written in pieces of whole tiles where the format is tiled."""

GTIFF_TILE = (256, 128)
"""Width and height of GeoTIFF tiles (cells). Rasters narrower than two tiles are written in
strips of a block's height instead: a tile wider than the raster is mostly padding."""

#: Floating-point predictor and fast DEFLATE: 4 times faster than the default level, for files
#: about 10 % larger. Compressed in the calling thread (no NUM_THREADS): the blocks come one at a
#: time while the core's threads compute the next band, and GDAL's own threads cost 2 MB more.
#: The block layout (tiles or strips) is added per raster by :func:`raster_layout`.
GTIFF_CREATION_OPTIONS = ["COMPRESS=DEFLATE", "PREDICTOR=3", "ZLEVEL=1", "BIGTIFF=IF_SAFER"]

CREATION_OPTIONS: dict[str, list[str]] = {
    "GTiff": GTIFF_CREATION_OPTIONS,
    # 9 significant digits write every Float32 exactly (the default 20 only add noise digits).
    # Not for XYZ, where the option also rounds the coordinates.
    "AAIGrid": ["SIGNIFICANT_DIGITS=9"],
    # GDAL's history names the file it creates, which is the private one: we write our own.
    "netCDF": ["WRITE_GDAL_HISTORY=NO"],
    # Float32 needs a compression that stores floats (the default PNG does not).
    "MRF": ["COMPRESS=DEFLATE"],
    "PCRaster": ["PCRASTER_VALUESCALE=VS_SCALAR"],
}
"""Creation options per GDAL driver (others get GDAL's defaults)."""

NATIVE_BLOCKS: dict[str, tuple[int, int]] = {"HFA": (64, 64), "GPKG": (256, 256), "BAG": (100, 100)}
"""Width and height of the blocks of drivers that store tiles (the others store whole rows)."""

MEMORY_FIRST_DRIVERS = frozenset({"BT"})
"""Drivers that can create a file but store it column by column: rows written in blocks would
rewrite every column block each time, so they are filled in memory and copied like the
drivers that can only copy."""

READ_BACK_DRIVERS = frozenset({"PCRaster"})
"""Drivers that may lose write errors (PCRaster's library ignores a full disk, its file
already has its full size): the written raster is read back and compared by CRC-32."""

STRUCTURAL_LAYERS = {"BAG": {"tracking_list"}}
"""Vector layers some raster formats always hold (not user data)."""

VIRTUAL_DRIVERS = frozenset({"VRT"})
"""Formats that describe other files instead of holding values: GDAL's VRT writer would save a
raster that references nothing."""

TEXT_DRIVERS_ANY_TYPE = frozenset({"XYZ"})
"""Text formats that write any data type as decimals but do not declare
``DMD_CREATIONDATATYPES``."""

PARTIAL_MARK = ".kde-heatmap-partial."
"""Part of the private folder's name: ``.<name>PARTIAL_MARK<pid>.<random>``."""

NAME_CHARS_IN_PARTIAL = 100
"""Characters of the output's name kept in the private folder's name (file names are limited
to 255 bytes)."""

OWNER_LOCK_NAME = ".kde-heatmap-owner"
"""File inside the private folder that its owner keeps locked while it runs."""

PREVIOUS_FILES_NAME = ".kde-heatmap-previous"
"""Folder inside the private folder that keeps the previous output until the new one is in."""

DEFLATE_MAX_RATIO = 1032
"""Largest compression ratio of DEFLATE (RFC 1951: 258 bytes per 2-bit code at best)."""

TEXT_BYTES_PER_CELL = {"AAIGrid": (2, 16), "GSAG": (2, 22), "XYZ": (6, 80)}
"""Fewest and most bytes a cell takes in text formats: ``"0 "`` to ``"-1.23456789e-38 "`` (9
significant digits); 14 for GSAG; XYZ writes ``"x y value\\n"``, 18 digits each."""

OUTPUT_SIDECAR_SUFFIXES = (".aux.xml", ".ovr", ".msk")
"""Sidecars GDAL names after the whole output name (statistics, overviews, mask)."""

COMPRESSED_DRIVERS = frozenset({"GTiff", "GPKG", "MRF", "BAG"})
"""Drivers that compress the cells (DEFLATE or a similar coder) with our options."""


class DestinationProblem(enum.Enum):
    """Why :func:`check_destination` refused an output path."""

    NO_EXTENSION = "no_extension"  # the name has no extension, so no format can be chosen
    UNSUPPORTED_EXTENSION = "unsupported_extension"  # no GDAL driver writes rasters like this
    NO_FLOAT32 = "no_float32"  # the format cannot store 32-bit floating point values
    VIRTUAL_FORMAT = "virtual_format"  # e.g. .vrt: would reference other files, holds no values
    IS_DIRECTORY = "is_directory"  # the output path is a folder
    FOLDER_MISSING = "folder_missing"  # the folder that would hold the output does not exist
    FOLDER_NOT_WRITABLE = "folder_not_writable"  # no file can be created in it (detail: OS)
    OUTPUT_READ_ONLY = "output_read_only"  # the existing output file is read-only
    SAME_AS_INPUT = "same_as_input"  # the output is the input layer's file
    EXISTING_NOT_A_RASTER = "existing_not_a_raster"  # GDAL cannot open the existing file
    EXISTING_HOLDS_MORE = "existing_holds_more"  # it holds vector layers or several rasters
    SIDECAR_NOT_OURS = "sidecar_not_ours"  # the format's sidecar exists for another dataset
    PROBE_FAILED = "probe_failed"  # a small test raster could not be written (detail: GDAL)
    ROUND_TRIP_FAILED = "round_trip_failed"  # the test raster read back differs (detail: what)


class DestinationError(Exception):
    """An output path refused before (or, if it changed meanwhile, after) computing.

    Attributes:
        problem: the reason.
        path: the path concerned: the output, its folder (FOLDER_*) or the other file
            (SIDECAR_NOT_OURS).
        detail: facts for the message: GDAL's or the OS's message, the extension, the driver,
            the layers found (may be empty).
    """

    def __init__(self, problem: DestinationProblem, path: str, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {path}" + (f" ({detail})" if detail else ""))
        self.problem = problem
        self.path = path
        self.detail = detail


class RasterWriteError(OSError):
    """GDAL or the file system failed while writing the raster; nothing was replaced.

    ``str(error)`` is the cause (GDAL's first error message, or the OS's), with the private
    folder's path replaced by the output's folder. Attributes: ``path`` (the final output
    path), ``cause``.
    """

    def __init__(self, path: str, cause: str) -> None:
        super().__init__(cause)
        self.path = path
        self.cause = cause


@dataclass(frozen=True)
class RasterLayout:
    """How :func:`write_raster` hands a raster to GDAL.

    Attributes:
        block_rows: rows gathered before writing (each block of the file is written once).
        chunk_cols: columns written per call within a block (whole tiles), for progress.
        padded_cols: columns of the file's blocks that a row touches (cols rounded up to the
            tile width).
        streaming: True when rows go to the file as they come; False when the raster is
            filled in memory and copied at the end.
        options: GDAL creation options.
    """

    block_rows: int
    chunk_cols: int
    padded_cols: int
    streaming: bool
    options: list[str]


def raster_layout(grid: Grid, driver_name: str) -> RasterLayout:
    """Blocks, chunks and creation options for writing ``grid`` with ``driver_name``.

    ``block_rows = ceil(CELLS_PER_BLOCK / padded_cols)`` rounded up to the height of the
    file's blocks (tiles; 1 for formats that store rows) and capped at the grid's rows, so each
    block of the file is written once. Rows wider than CELLS_PER_BLOCK are written in chunks of
    whole tiles. GeoTIFFs at least two tiles wide are tiled (256 x 128); narrower ones are
    written in strips one block high.
    """
    options = list(CREATION_OPTIONS.get(driver_name, []))
    tile_width, tile_height = NATIVE_BLOCKS.get(driver_name, (grid.cols, 1))
    if driver_name == "GTiff":
        if grid.cols >= 2 * GTIFF_TILE[0]:
            tile_width, tile_height = GTIFF_TILE
            options += ["TILED=YES", f"BLOCKXSIZE={tile_width}", f"BLOCKYSIZE={tile_height}"]
        else:
            tile_width, tile_height = grid.cols, 1  # strip height set below, once known
    padded_cols = _round_up(grid.cols, tile_width)
    block_rows = min(grid.rows, _round_up(-(-CELLS_PER_BLOCK // padded_cols), tile_height))
    if driver_name == "GTiff" and tile_width == grid.cols:
        options += ["TILED=NO", f"BLOCKYSIZE={block_rows}"]
    chunk_cols = grid.cols
    if tile_width < grid.cols:  # whole tiles per call, about CELLS_PER_BLOCK cells each
        chunk_cols = max(tile_width, CELLS_PER_BLOCK // block_rows // tile_width * tile_width)
    driver = gdal.GetDriverByName(driver_name)
    streaming = _can_create(driver) and driver_name not in MEMORY_FIRST_DRIVERS
    return RasterLayout(block_rows, chunk_cols, padded_cols, streaming, options)


def writer_memory_bytes(grid: Grid, driver_name: str) -> int:
    """Memory :func:`write_raster` holds (bytes).

    Streaming formats: the Float32 block being gathered, plus the file blocks it covers in
    GDAL's cache (flushed after each chunk) and, for compressed formats, a compressed copy of
    at most the same size. Memory-first formats (ASCII grid, XYZ, ...): the whole Float32 raster
    plus the block being gathered.
    """
    layout = raster_layout(grid, driver_name)
    block = layout.block_rows * grid.cols * 4
    if not layout.streaming:
        return grid.cells * 4 + block
    cached_cols = layout.padded_cols if layout.chunk_cols == grid.cols else layout.chunk_cols
    cached = layout.block_rows * cached_cols * 4
    compressed = cached if driver_name in COMPRESSED_DRIVERS else 0
    return block + cached + compressed


def check_destination(path: str, *, input_paths: Iterable[str] = ()) -> str:
    """Check that a raster can be written at ``path``; return the GDAL driver name to use.

    Raises :class:`DestinationError` (see :class:`DestinationProblem`) when:

    - ``path`` is a folder, its folder is missing, or no file can be created in its folder;
    - its extension is missing, no GDAL driver writes rasters with it, the format cannot store
      Float32, or it is a virtual format (.vrt);
    - it is one of ``input_paths`` (the input layers' files);
    - a file exists at ``path`` that is read-only (no write permission bit, or not writable by
      this user) or that is not a raster we may replace. The rule: an existing file is replaced
      only when it is empty, or GDAL opens it as exactly one raster with no vector layer, no
      other table and no subdataset; anything else (a GeoPackage or netCDF holding vector
      layers, several rasters or other tables, a file GDAL cannot read) could be the user's
      data, which replacing the whole file would destroy;
    - a sidecar the format writes beside the raster (e.g. ``name.prj`` of an ASCII grid,
      ``name.hdr``) exists and belongs neither to the existing output nor to the output's
      name (``<name>.*``, e.g. ``heatmap.tif.aux.xml``): it is another dataset's file (e.g.
      ``roads.prj`` of ``roads.shp`` for ``roads.asc``);
    - a small test raster written with this format, in a private folder beside ``path`` under
      its final name, fails or reads back wrong (values, size or georeferencing).

    Also removes partial files left beside ``path`` by killed runs. Writes nothing that
    remains.
    """
    destination = os.path.abspath(path)
    folder, name = os.path.split(destination)
    if os.path.isdir(destination):
        raise DestinationError(DestinationProblem.IS_DIRECTORY, destination)
    if not os.path.isdir(folder):
        raise DestinationError(DestinationProblem.FOLDER_MISSING, folder)
    driver_name = _driver_for(destination)
    for input_path in input_paths:
        if os.path.exists(input_path) and _same_file(input_path, destination):
            raise DestinationError(DestinationProblem.SAME_AS_INPUT, destination)
    old_names, old_driver = _existing_output(destination)
    remove_stale_partials(destination)
    try:
        private = _PrivateFolder(destination)
    except OSError as error:
        raise DestinationError(
            DestinationProblem.FOLDER_NOT_WRITABLE, folder, error.strerror or str(error)
        ) from None
    try:
        made = _probe(private, name, driver_name)
        _check_no_foreign_sidecar(destination, made, old_names, old_driver == driver_name)
    finally:
        private.remove()
    return driver_name


def estimated_file_bytes(grid: Grid, driver_name: str) -> tuple[int, int]:
    """(smallest, largest) plausible size of the raster file (bytes).

    Binary uncompressed formats: exactly ``4 * cells`` both, with the cells of partial tiles
    for tiled formats (HFA: 64 x 64), headers ignored. Compressed
    formats (GeoTIFF DEFLATE, GeoPackage, MRF, BAG): ``ceil(4 * cells / 1032)`` (DEFLATE's
    largest ratio, reached by an all-zero raster) to ``4 * cells`` (incompressible values).
    Text formats: ``TEXT_BYTES_PER_CELL`` (2 to 16 bytes per cell for the ASCII grid).
    """
    block_width, block_height = NATIVE_BLOCKS.get(driver_name, (1, 1))
    raw = 4 * _round_up(grid.rows, block_height) * _round_up(grid.cols, block_width)
    if driver_name in TEXT_BYTES_PER_CELL:
        fewest, most = TEXT_BYTES_PER_CELL[driver_name]
        return fewest * grid.cells, most * grid.cells
    if driver_name in COMPRESSED_DRIVERS:
        return -(-raw // DEFLATE_MAX_RATIO), raw
    return raw, raw


def free_disk_bytes(path: str) -> int:
    """Bytes free for this user in the folder that will hold ``path``.

    The previous output stays until the new one is complete, so its space does not count.
    """
    return shutil.disk_usage(_folder_of(path)).free


def disk_space_problem(grid: Grid, driver_name: str, free: int) -> tuple[int, int] | None:
    """``(needed, free)`` bytes when ``free`` bytes (:func:`free_disk_bytes`) cannot hold even
    the smallest file the raster can make, else None.

    ``needed`` is the smallest plausible size (:func:`estimated_file_bytes`): exact for
    uncompressed formats, the all-zero size for compressed ones (an exact bound: no DEFLATE
    stream is smaller). Returns None when it may fit; the write still fails cleanly
    (:class:`RasterWriteError`) if the disk fills.
    """
    smallest, _ = estimated_file_bytes(grid, driver_name)
    return (smallest, free) if smallest > free else None


def write_raster(
    path: str,
    bands: Iterable[Band],
    grid: Grid,
    crs_wkt: str,
    *,
    driver_name: str = "GTiff",
    progress: ProgressCallback | None = None,
    sidecars: Callable[[str], object] | None = None,
    band_description: str = "",
    nodata: float | None = None,
) -> None:
    """Write the ``bands`` (every row of ``grid`` once, in order) as Float32 band 1 of a raster.

    Each band goes to GDAL as it comes (converted to Float32 by GDAL), block by block, so
    memory holds about one block (:func:`writer_memory_bytes`). ``bands`` may be a generator
    that computes them: its exceptions (including ``core.Cancelled``) abort the write like any
    other failure. The georeference is ``grid.geotransform`` (map units of ``crs_wkt``); no
    NoData value is set unless ``nodata`` is given (0 to make the cells no point reaches NoData,
    NaN for cells outside a study area). GeoTIFFs are DEFLATE-compressed.

    ``progress`` is called after every block (or every piece of whole tiles of a wide block)
    with the fraction written; for memory-first formats the first half is filling memory and
    the second half GDAL's copy to the file. ``sidecars``, if given, is called with the path of
    the complete new raster (in the private folder, under its final name) before it replaces
    the output: files it writes beside it (e.g. the ``.qml`` style) replace their namesakes
    with the raster. ``band_description``, if not empty, is GDAL's description of band 1 (what
    the values are; QGIS shows it in the band's name, "Band 1: <description>"): GeoTIFF, Erdas
    Imagine and PCIDSK keep it inside the file, most other formats in GDAL's ``.aux.xml``
    beside it (moved in with the raster); GeoPackage, netCDF and XYZ do not keep it.

    Raises :class:`RasterWriteError` when GDAL or the file system fails,
    :class:`DestinationError` when the output became a file we may not replace meanwhile,
    ``core.Cancelled`` when ``progress`` returns False, and whatever ``bands``, ``progress`` or
    ``sidecars`` raise. In every failure the previous output is left byte-identical and no
    temporary file remains.
    """
    destination = os.path.abspath(path)
    with _termination_as_exception():
        remove_stale_partials(destination)
        try:
            private = _PrivateFolder(destination)
        except OSError as error:
            raise RasterWriteError(destination, error.strerror or str(error)) from None
        try:
            raster_path = os.path.join(private.path, os.path.basename(destination))
            with _GdalErrors(destination, private.path) as errors:
                _write_dataset(
                    raster_path,
                    bands,
                    grid,
                    crs_wkt,
                    driver_name,
                    progress,
                    errors,
                    band_description,
                    nodata,
                )
            made_by_gdal = private.names()
            if sidecars is not None:
                sidecars(raster_path)
            made_beside = private.names() - made_by_gdal
            _move_in(private, destination, driver_name, made_by_gdal, made_beside)
        finally:
            private.remove()


def remove_stale_partials(path: str) -> list[str]:
    """Remove the private folders that killed runs left beside ``path``; return their paths.

    A folder is stale when the exclusive lock its owner held on the file inside is free (the
    system releases it when the process ends, even by SIGKILL), or, when it has no such file
    yet, when the process whose id is in its name is gone (POSIX only). A live run's folder is
    never touched.
    """
    destination = os.path.abspath(path)
    folder = os.path.dirname(destination)
    prefix = _partial_prefix(destination)
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for entry in names:
        candidate = os.path.join(folder, entry)
        if not entry.startswith(prefix) or not os.path.isdir(candidate):
            continue
        if _is_stale(candidate, entry[len(prefix) :]):
            shutil.rmtree(candidate, ignore_errors=True)
            removed.append(candidate)
    return removed


# --- destination checks ---------------------------------------------------------------------


def _driver_for(destination: str) -> str:
    """The GDAL driver for the extension of ``destination``; DestinationError if unusable."""
    extension = os.path.splitext(os.path.basename(destination))[1]
    if extension in ("", "."):
        raise DestinationError(DestinationProblem.NO_EXTENSION, destination)
    driver_name = QgsRasterFileWriter.driverForExtension(extension)
    driver = gdal.GetDriverByName(driver_name) if driver_name else None
    metadata = (driver.GetMetadata() or {}) if driver is not None else {}
    if not ({"DCAP_CREATE", "DCAP_CREATECOPY"} & set(metadata)) or "DCAP_RASTER" not in metadata:
        raise DestinationError(DestinationProblem.UNSUPPORTED_EXTENSION, destination, extension)
    if driver_name in VIRTUAL_DRIVERS:
        raise DestinationError(DestinationProblem.VIRTUAL_FORMAT, destination, driver_name)
    data_types = metadata.get("DMD_CREATIONDATATYPES", "").split()
    if "Float32" not in data_types and driver_name not in TEXT_DRIVERS_ANY_TYPE:
        raise DestinationError(DestinationProblem.NO_FLOAT32, destination, driver_name)
    return driver_name


def _existing_output(destination: str) -> tuple[set[str], str]:
    """The files of the existing output, if we may replace it, and its GDAL driver.

    The names (in the output's folder) of the files GDAL lists for it, plus the sidecars named
    for the output (:func:`_sidecars_named_for`); only those, and driver "", when nothing (or
    an empty file) exists at ``destination``. Raises DestinationError (OUTPUT_READ_ONLY,
    EXISTING_NOT_A_RASTER, EXISTING_HOLDS_MORE) when it may not be replaced; see
    :func:`check_destination`.
    """
    named_for_output = _sidecars_named_for(destination)
    if not os.path.lexists(destination):
        return named_for_output, ""
    status = os.stat(destination)
    if not stat.S_ISREG(status.st_mode):
        raise DestinationError(DestinationProblem.EXISTING_NOT_A_RASTER, destination)
    write_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    if not status.st_mode & write_bits or not os.access(destination, os.W_OK):
        raise DestinationError(DestinationProblem.OUTPUT_READ_ONLY, destination)
    name = os.path.basename(destination)
    if status.st_size == 0:
        return {name} | named_for_output, ""
    with _GdalErrors(destination, None) as errors:
        dataset = errors.call(gdal.OpenEx, destination, gdal.OF_RASTER | gdal.OF_VECTOR)
        if dataset is None:
            raise DestinationError(
                DestinationProblem.EXISTING_NOT_A_RASTER, destination, errors.cause()
            )
        contents = _other_contents(dataset, errors)
        files = dataset.GetFileList() or [destination]
        driver_name = dataset.GetDriver().ShortName
        dataset = None
    if contents:
        raise DestinationError(DestinationProblem.EXISTING_HOLDS_MORE, destination, contents)
    folder = os.path.dirname(destination)
    names = {os.path.basename(f) for f in files if _folder_of(f) == folder} | {name}
    return names | named_for_output, driver_name


def _sidecars_named_for(destination: str) -> set[str]:
    """Existing files that can only describe a raster at ``destination``, whatever GDAL lists:
    ``<name>.aux.xml``, ``<name>.ovr``, ``<name>.msk`` and its world files (``<stem>.tfw``
    and ``<stem>.tifw`` for ``<stem>.tif``). A stale one would describe the new raster wrongly."""
    folder, name = os.path.split(destination)
    stem, extension = os.path.splitext(name)
    candidates = {name + suffix for suffix in OUTPUT_SIDECAR_SUFFIXES}
    if len(extension) > 2:
        candidates |= {f"{stem}.{extension[1]}{extension[-1]}w", f"{stem}{extension}w"}
    return {c for c in candidates if os.path.lexists(os.path.join(folder, c))}


def _other_contents(dataset: gdal.Dataset, errors: _GdalErrors) -> str:
    """What ``dataset`` holds besides one raster, described for a message ('' if nothing)."""
    found = []
    driver = dataset.GetDriver().ShortName
    structural = STRUCTURAL_LAYERS.get(driver, set())
    names = [dataset.GetLayer(index).GetName() for index in range(dataset.GetLayerCount())]
    layers = len([layer for layer in names if layer not in structural])
    if driver == "GPKG":  # also count tables not registered as layers
        every_table = errors.call(
            gdal.OpenEx,
            dataset.GetDescription(),
            gdal.OF_VECTOR,
            open_options=["LIST_ALL_TABLES=YES"],
        )
        layers = every_table.GetLayerCount() if every_table is not None else layers
        every_table = None
    if layers:
        found.append(f"{layers} vector layers or tables")
    subdatasets = len(dataset.GetMetadata("SUBDATASETS") or {}) // 2
    if subdatasets:
        found.append(f"{subdatasets} rasters")
    elif dataset.RasterCount == 0:
        found.append("no raster")
    return ", ".join(found)


def _check_no_foreign_sidecar(
    destination: str, made: set[str], old_names: set[str], same_format: bool
) -> None:
    """Raise DestinationError(SIDECAR_NOT_OURS) if a file the new dataset would replace may
    belong to another dataset.

    ``made`` are the names of the new dataset's files. Ours are: the old output's files
    (``old_names``), files named after the output (``<name>``, ``<name>.*``), and, when the
    old output has the same format (``same_format``), every file this format makes for this
    name (GDAL does not list them all: the MRF data files, the .prj of a BT file).
    """
    folder, name = os.path.split(destination)
    for made_name in sorted(made):
        named_after_output = made_name == name or made_name.startswith(name + ".")
        if made_name in old_names or named_after_output or same_format:
            continue
        if os.path.lexists(os.path.join(folder, made_name)):
            raise DestinationError(
                DestinationProblem.SIDECAR_NOT_OURS, os.path.join(folder, made_name)
            )


def _same_file(first: str, second: str) -> bool:
    """Whether two existing paths are the same file (False when either is missing)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


PROBE_VALUES = np.array([[0.0, 0.5], [1.25, 3.0e-3], [7.125e4, 2.0]], dtype=np.float32)
"""Values of the test raster :func:`check_destination` writes (3 rows x 2 columns)."""

PROBE_GRID = Grid(x_min=500000.0, y_max=4000000.0, cell_size=10.0, rows=3, cols=2)
"""Where the test raster lies (projected metres; only its round trip matters)."""


def _probe(private: _PrivateFolder, name: str, driver_name: str) -> set[str]:
    """Write and read back the test raster as ``name`` in ``private``; return the files made."""
    raster_path = os.path.join(private.path, name)
    crs = osr.SpatialReference()
    crs.ImportFromEPSG(32617)
    destination = os.path.join(os.path.dirname(private.path), name)
    try:
        with _GdalErrors(destination, private.path) as errors:
            _write_dataset(
                raster_path,
                [(0, PROBE_VALUES)],
                PROBE_GRID,
                crs.ExportToWkt(),
                driver_name,
                None,
                errors,
                "",  # a description's .aux.xml is named after the output: nothing to check
            )
    except RasterWriteError as error:
        raise DestinationError(DestinationProblem.PROBE_FAILED, destination, error.cause) from None
    made = private.names()
    with _GdalErrors(destination, private.path) as errors:
        dataset = errors.call(gdal.OpenEx, raster_path, gdal.OF_RASTER)
        if dataset is None:
            raise DestinationError(
                DestinationProblem.ROUND_TRIP_FAILED, destination, errors.cause() or "unreadable"
            )
        size = (dataset.RasterYSize, dataset.RasterXSize)
        geotransform = dataset.GetGeoTransform()
        values = dataset.GetRasterBand(1).ReadAsArray() if size == PROBE_VALUES.shape else None
        dataset = None
    if values is None:
        wrong = f"size {size[0]} x {size[1]} instead of 3 x 2"
    elif not np.allclose(values, PROBE_VALUES, rtol=1e-6, atol=0):
        wrong = "values"
    elif not _same_georeference(geotransform, PROBE_GRID):
        wrong = "georeferencing"
    else:
        return made
    raise DestinationError(DestinationProblem.ROUND_TRIP_FAILED, destination, wrong)


# --- writing --------------------------------------------------------------------------------


def _write_dataset(
    raster_path: str,
    bands: Iterable[Band],
    grid: Grid,
    crs_wkt: str,
    driver_name: str,
    progress: ProgressCallback | None,
    errors: _GdalErrors,
    band_description: str,
    nodata: float | None = None,
) -> None:
    """Write, flush, close and reopen the raster at ``raster_path``; raise on any GDAL error."""
    layout = raster_layout(grid, driver_name)
    driver = gdal.GetDriverByName(driver_name)
    if layout.streaming:
        creator, target, options = driver, raster_path, layout.options
    else:  # filled in memory, copied to the file at the end
        creator, target, options = gdal.GetDriverByName("MEM"), "", []
    size = (grid.cols, grid.rows, 1, gdal.GDT_Float32)
    opened = [errors.call(creator.Create, target, *size, options)]
    try:
        errors.require(opened[0], "GDAL could not create the file")
        checksum = _fill(
            opened[0],
            bands,
            grid,
            crs_wkt,
            driver_name,
            layout,
            progress,
            errors,
            band_description,
            nodata,
        )
        if not layout.streaming:
            _copy(opened, driver, raster_path, layout.options, progress, errors)
        errors.call(opened[0].FlushCache)
        errors.check()
    finally:
        errors.close(opened)
    errors.check()
    _check_size(os.path.dirname(raster_path), grid, driver_name, errors)
    if driver_name in READ_BACK_DRIVERS:
        _check_read_back(raster_path, grid, layout.block_rows, checksum, errors)
    if driver_name not in TEXT_DRIVERS_ANY_TYPE:  # reopening an XYZ file reads it whole
        _check_written(raster_path, grid, errors)


def _check_read_back(
    raster_path: str, grid: Grid, block_rows: int, checksum: int, errors: _GdalErrors
) -> None:
    """Read the closed raster back: its cells must have the CRC-32 of those written."""
    opened = [errors.call(gdal.OpenEx, raster_path, gdal.OF_RASTER)]
    try:
        errors.require(opened[0], "GDAL cannot read the file it wrote")
        band = opened[0].GetRasterBand(1)
        read = 0
        for first_row in range(0, grid.rows, block_rows):
            rows = min(block_rows, grid.rows - first_row)
            values = errors.call(band.ReadAsArray, 0, first_row, grid.cols, rows)
            errors.require(values, "GDAL cannot read the file it wrote")
            read = zlib.crc32(np.ascontiguousarray(values, dtype=np.float32), read)
        band = None
    finally:
        errors.close(opened)
    if read != checksum:
        errors.fail("the file does not hold the values written (a write error went unreported)")
    errors.check()


def _check_size(folder: str, grid: Grid, driver_name: str, errors: _GdalErrors) -> None:
    """The files in ``folder`` must hold at least the smallest size of the raster
    (:func:`estimated_file_bytes`): catches drivers that ignore their write errors (PCRaster's
    library on a full disk)."""
    smallest, _ = estimated_file_bytes(grid, driver_name)
    written = sum(entry.stat().st_size for entry in os.scandir(folder) if entry.is_file())
    if written < smallest:
        errors.fail(f"{written} bytes were written, the raster needs at least {smallest}")
    errors.check()


def _fill(
    dataset: gdal.Dataset,
    bands: Iterable[Band],
    grid: Grid,
    crs_wkt: str,
    driver_name: str,
    layout: RasterLayout,
    progress: ProgressCallback | None,
    errors: _GdalErrors,
    band_description: str,
    nodata: float | None = None,
) -> int:
    """Georeference and describe ``dataset`` (and its NoData value, if any) and write the
    bands into it block by block.

    Streaming datasets are flushed after every chunk so each block reaches the file once;
    errors are checked and ``progress`` called after every chunk. Returns the CRC-32 of the
    Float32 cells, row by row, for drivers in READ_BACK_DRIVERS (0 for the others).
    """
    band = None
    try:
        errors.call(dataset.SetGeoTransform, grid.geotransform)
        if crs_wkt:
            errors.call(dataset.SetProjection, crs_wkt)
        if driver_name == "netCDF":
            _write_netcdf_history(dataset, errors)
        errors.check()
        band = dataset.GetRasterBand(1)
        if band_description:
            errors.call(band.SetDescription, band_description)
            errors.check()
        if nodata is not None:
            errors.call(band.SetNoDataValue, nodata)
            errors.check()
        share = 1.0 if layout.streaming else 0.5
        written = checksum = 0
        for first_row, block in _blocks(bands, grid, layout.block_rows):
            if driver_name in READ_BACK_DRIVERS:
                checksum = zlib.crc32(block, checksum)
            for first_col in range(0, grid.cols, layout.chunk_cols):
                chunk = block[:, first_col : first_col + layout.chunk_cols]
                status = errors.call(band.WriteArray, chunk, first_col, first_row)
                if status not in (0, None):
                    errors.fail(f"GDAL could not write rows from {first_row}")
                if layout.streaming:  # finished blocks go to the file, not GDAL's cache
                    errors.call(dataset.FlushCache)
                errors.check()
                written += chunk.size
                if progress is not None and not progress(share * written / grid.cells):
                    raise Cancelled("writing the raster cancelled")
        return checksum
    finally:
        band = dataset = None  # noqa: F841 (a traceback must not keep the file open)


def _blocks(bands: Iterable[Band], grid: Grid, block_rows: int) -> Iterator[tuple[int, np.ndarray]]:
    """Gather the rows of ``bands`` into Float32 blocks of ``block_rows`` rows.

    Yields ``(first_row, block)``, the last block possibly shorter; the block's memory is
    reused for the next one. Raises ValueError when the bands skip, repeat or miss rows.
    """
    block = np.empty((block_rows, grid.cols), dtype=np.float32)
    block_row0 = filled = 0
    for first_row, values in bands:
        if first_row != block_row0 + filled or values.shape[1:] != (grid.cols,):
            raise ValueError(f"Expected rows from {block_row0 + filled} of {grid.cols} columns.")
        if block_row0 + filled + len(values) > grid.rows:
            raise ValueError(f"Rows beyond the last, {grid.rows - 1}, were given.")
        taken = 0
        while taken < len(values):
            count = min(block_rows - filled, len(values) - taken)
            block[filled : filled + count] = values[taken : taken + count]
            filled, taken = filled + count, taken + count
            if filled == block_rows or block_row0 + filled == grid.rows:
                yield block_row0, block[:filled]
                block_row0, filled = block_row0 + filled, 0
    if block_row0 + filled != grid.rows:
        raise ValueError(f"Rows {block_row0 + filled} to {grid.rows - 1} were not given.")


def _copy(
    opened: list,
    driver: gdal.Driver,
    raster_path: str,
    options: list[str],
    progress: ProgressCallback | None,
    errors: _GdalErrors,
) -> None:
    """Replace the in-memory raster in ``opened`` by GDAL's copy of it at ``raster_path``.

    ``progress`` gets 0.5 + half of GDAL's fraction; its exceptions and a False (Cancelled)
    stop the copy and are raised once GDAL has returned.
    """
    raised: list[BaseException] = []

    def report(fraction: float, _message: object, _data: object) -> int:
        try:
            if progress is not None and not progress(0.5 + 0.5 * fraction):
                raised.append(Cancelled("writing the raster cancelled"))
        except BaseException as error:  # re-raised once GDAL has returned
            raised.append(error)
        return 0 if raised else 1

    memory = [opened.pop()]
    opened.append(
        errors.call(driver.CreateCopy, raster_path, memory[0], 0, options, callback=report)
    )
    errors.close(memory)
    if raised:
        raise raised[0]
    errors.require(opened[0], "GDAL could not copy the raster to the file")


def _write_netcdf_history(dataset: gdal.Dataset, errors: _GdalErrors) -> None:
    """Set the netCDF ``history`` attribute as GDAL writes it, naming the final file.

    GDAL 3.6 returns a failure code from this call even when it succeeds (it tests its
    attribute writer's status the wrong way round), so only GDAL's error messages count.
    """
    history = f"{time.ctime()}: GDAL Create( {errors.path}, ... )"
    try:
        dataset.SetMetadataItem("NC_GLOBAL#history", history)
    except RuntimeError as error:  # exception mode, on a real error message only
        if str(error):
            errors.fail(str(error))


def _check_written(raster_path: str, grid: Grid, errors: _GdalErrors) -> None:
    """Reopen the closed raster: it must open, with the grid's size and georeference."""
    opened = [errors.call(gdal.OpenEx, raster_path, gdal.OF_RASTER)]
    try:
        errors.require(opened[0], "GDAL cannot read the file it wrote")
        size = (opened[0].RasterYSize, opened[0].RasterXSize)
        geotransform = opened[0].GetGeoTransform()
    finally:
        errors.close(opened)
    if size != grid.shape:
        errors.fail(f"the file holds {size[0]} x {size[1]} cells, not {grid.rows} x {grid.cols}")
    elif not _same_georeference(geotransform, grid):
        errors.fail("the file's georeferencing differs from the grid's")
    errors.check()


def _same_georeference(geotransform: tuple, grid: Grid) -> bool:
    """Whether a geotransform read back is ``grid.geotransform`` up to rounding: within a
    millionth of a cell plus 1e-9 of each term (some formats store it as text or in parts)."""
    expected = np.array(grid.geotransform)
    tolerance = 1e-6 * grid.cell_size + 1e-9 * np.abs(expected)
    return bool(np.all(np.abs(np.array(geotransform) - expected) <= tolerance))


class _GdalErrors:
    """Records this thread's GDAL errors while active (``with``): a pushed error handler.

    Failures (CE_Failure, CE_Fatal, and the warning GDAL gives when it cannot save a
    ``.aux.xml``, which may hold the CRS) are kept; :meth:`check` raises RasterWriteError
    naming ``path``, the first failure being the cause. Works with and without
    ``gdal.UseExceptions()``: :meth:`call` records the RuntimeError GDAL raises in exception
    mode instead of letting it through, and :meth:`close` the one raised while closing.
    """

    def __init__(self, path: str, private_folder: str | None) -> None:
        self.path = path
        self.private_folder = private_folder
        self.failures: list[str] = []

    def __enter__(self) -> _GdalErrors:
        gdal.PushErrorHandler(self._handler)
        return self

    def __exit__(self, *exc_info: object) -> None:
        gdal.PopErrorHandler()

    def _handler(self, error_class: int, _error_number: int, message: str) -> None:
        lost_write = error_class == gdal.CE_Warning and "Unable to save auxiliary" in message
        if error_class in (gdal.CE_Failure, gdal.CE_Fatal) or lost_write:
            self.fail(message)

    def fail(self, message: str) -> None:
        """Record a failure: the first line of ``message``, the private folder's path in it
        replaced by the output's folder."""
        lines = message.strip().splitlines() or ["GDAL failed"]
        text = lines[0].strip()
        if self.private_folder:
            text = text.replace(self.private_folder, os.path.dirname(self.path))
        if not self.failures or self.failures[-1] != text:
            self.failures.append(text)

    def call(self, function: Callable, *args: object, **kwargs: object) -> object:
        """``function(*args, **kwargs)``, or None when it raised GDAL's RuntimeError."""
        try:
            return function(*args, **kwargs)
        except RuntimeError as error:
            self.fail(str(error) or gdal.GetLastErrorMsg())
            return None

    def cause(self) -> str:
        """The first failure recorded ('' if none)."""
        return self.failures[0] if self.failures else ""

    def check(self) -> None:
        """Raise RasterWriteError if a failure was recorded."""
        if self.failures:
            raise RasterWriteError(self.path, self.cause())

    def require(self, result: object, message: str) -> None:
        """Raise RasterWriteError if a failure was recorded or ``result`` is None (then with
        ``message`` unless GDAL said why)."""
        if result is None and not self.failures:
            self.fail(message)
        self.check()

    def close(self, opened: list) -> None:
        """Close and drop the datasets in ``opened``, recording GDAL's errors on closing.

        The caller must hold no other reference to them. GDAL < 3.7 (no ``Close``) raises
        errors on closing from the destructor in exception mode, where Python can only print
        them: an unraisable hook records them instead, for this thread only.
        """
        while opened:
            dataset = opened.pop()
            if dataset is None:
                continue
            if hasattr(dataset, "Close"):
                self.call(dataset.Close)
                continue
            previous = sys.unraisablehook
            sys.unraisablehook = self._unraisable_recorder(previous)
            try:
                del dataset  # the last reference: GDAL closes the file here
            finally:
                sys.unraisablehook = previous

    def _unraisable_recorder(self, previous: Callable) -> Callable:
        """An unraisable hook recording this thread's GDAL RuntimeErrors, passing on others."""
        this_thread = threading.current_thread()

        def record(unraisable: object) -> None:
            error = getattr(unraisable, "exc_value", None)
            if threading.current_thread() is this_thread and isinstance(error, RuntimeError):
                self.fail(str(error))
            else:
                previous(unraisable)

        return record


# --- replacing the output -------------------------------------------------------------------


def _move_in(
    private: _PrivateFolder,
    destination: str,
    driver_name: str,
    made_by_gdal: set[str],
    made_beside: set[str],
) -> None:
    """Move the new files from ``private`` over the output, replacing the old dataset's files.

    Under the folder lock: the existing output must still be replaceable and the new sidecars
    not another dataset's. The old files (those GDAL lists for the old output, and those the
    new files replace) are first kept in the private folder (hard links where possible);
    then the old files the new dataset does not have are removed and the new files moved in,
    the raster itself last (when the new dataset has several files, the old raster is removed
    first, so no reader sees an old raster with new sidecars). On failure everything moved in
    is removed and the old files are put back.
    """
    folder, name = os.path.split(destination)
    new_names = made_by_gdal | made_beside
    with _signals_deferred(), _folder_lock(folder):
        old_names, old_driver = _existing_output(destination)
        same_format = old_driver == driver_name
        _check_no_foreign_sidecar(destination, made_by_gdal, old_names, same_format)
        previous = os.path.join(private.path, PREVIOUS_FILES_NAME)
        moved_in: list[str] = []
        try:
            os.mkdir(previous)
            for old in sorted(old_names | new_names):
                if os.path.lexists(os.path.join(folder, old)):
                    _keep(os.path.join(folder, old), os.path.join(previous, old))
            first = [name] if len(made_by_gdal) > 1 else []
            for old in first + sorted(old_names - new_names):
                if os.path.lexists(os.path.join(folder, old)):
                    os.remove(os.path.join(folder, old))
            for new in [*sorted(new_names - {name}), name]:
                os.replace(os.path.join(private.path, new), os.path.join(folder, new))
                moved_in.append(new)
        except BaseException as error:
            for new in moved_in:
                os.remove(os.path.join(folder, new))
            for old in os.listdir(previous) if os.path.isdir(previous) else []:
                os.replace(os.path.join(previous, old), os.path.join(folder, old))
            if isinstance(error, OSError) and not isinstance(error, RasterWriteError):
                where = f" ({error.filename})" if error.filename else ""
                raise RasterWriteError(destination, f"{error.strerror or error}{where}") from None
            raise


def _keep(path: str, kept: str) -> None:
    """Keep the file at ``path`` as ``kept``: a hard link, or a move where links fail."""
    try:
        if os.path.islink(path):
            raise OSError("a symbolic link is moved, not linked")
        os.link(path, kept)
    except OSError:
        os.replace(path, kept)


class _PrivateFolder:
    """A folder beside the output, ``.<name>.kde-heatmap-partial.<pid>.<random>``, owned by
    this process (it holds a lock on a file inside) until :meth:`remove`."""

    def __init__(self, destination: str) -> None:
        prefix = f"{_partial_prefix(destination)}{os.getpid()}."
        self.path = tempfile.mkdtemp(prefix=prefix, dir=os.path.dirname(destination))
        lock_path = os.path.join(self.path, OWNER_LOCK_NAME)
        try:
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
            if os.name == "posix":  # the lock file appears already locked (the lock follows
                # the file when it is renamed); until then the process id in the name decides
                self._lock = os.open(lock_path + ".new", flags, 0o600)
                _try_lock(self._lock)
                os.rename(lock_path + ".new", lock_path)
            else:  # an open file cannot be renamed on Windows
                self._lock = os.open(lock_path, flags, 0o600)
                _try_lock(self._lock)
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise

    def names(self) -> set[str]:
        """Names of the files made in the folder (not the lock nor the previous files)."""
        return set(os.listdir(self.path)) - {OWNER_LOCK_NAME, PREVIOUS_FILES_NAME}

    def remove(self) -> None:
        """Release the folder and remove it with everything in it."""
        os.close(self._lock)
        shutil.rmtree(self.path, ignore_errors=True)


def _partial_prefix(destination: str) -> str:
    """Start of the names of the private folders of ``destination``."""
    return f".{os.path.basename(destination)[:NAME_CHARS_IN_PARTIAL]}{PARTIAL_MARK}"


def _is_stale(candidate: str, owner_and_random: str) -> bool:
    """Whether the private folder ``candidate`` was left by a process that is gone."""
    try:
        handle = os.open(os.path.join(candidate, OWNER_LOCK_NAME), os.O_RDWR)
    except FileNotFoundError:  # killed before it took its lock: judge by its process id
        owner = owner_and_random.split(".", 1)[0]
        return owner.isdigit() and _process_gone(int(owner))
    except OSError:
        return False
    try:
        return _try_lock(handle)
    finally:
        os.close(handle)


def _process_gone(pid: int) -> bool:
    """Whether no process ``pid`` runs (POSIX; False where it cannot be told)."""
    if os.name != "posix":
        return False  # os.kill would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _try_lock(handle: int) -> bool:
    """Take an exclusive lock on the open file ``handle`` if free; False if another holds it.

    Released when the handle is closed, including when the process dies.
    """
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


@contextmanager
def _folder_lock(folder: str) -> Iterator[None]:
    """Hold an exclusive lock for replacing outputs in ``folder`` (all processes and threads).

    POSIX: ``flock`` on the folder itself. Where that is not possible (Windows, file systems
    without ``flock`` on folders): a lock file named after the folder in the system's
    temporary folder.
    """
    handle = None
    if fcntl is not None:
        try:
            handle = os.open(folder, os.O_RDONLY)
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            if handle is not None:
                os.close(handle)
            handle = None
    if handle is None:
        key = os.path.normcase(os.path.realpath(folder)).encode("utf-8", "surrogateescape")
        digest = hashlib.sha1(key).hexdigest()[:16]
        lock_path = os.path.join(tempfile.gettempdir(), f"kde-heatmap-{digest}.lock")
        handle = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            while not _try_lock(handle):
                time.sleep(0.01)
    try:
        yield
    finally:
        os.close(handle)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back while files are being swapped (main thread, POSIX)."""
    if not hasattr(signal, "pthread_sigmask") or not _in_main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class _Terminated(BaseException):
    """SIGTERM arrived while writing."""


@contextmanager
def _termination_as_exception() -> Iterator[None]:
    """Turn SIGTERM into an exception (so the write cleans up), then terminate as SIGTERM does.

    Only in the main thread and when SIGTERM has its default action (QGIS may run the
    algorithm in another thread or handle signals itself: then a killed run's files are
    removed by the next run).
    """
    if not hasattr(signal, "SIGTERM") or not _in_main_thread():
        yield
        return
    if signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return
    received: list[int] = []

    def terminate(signal_number: int, _frame: object) -> None:
        received.append(signal_number)
        raise _Terminated()

    signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    except _Terminated:
        pass  # every temporary file has been removed on the way out
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if received:
            os.kill(os.getpid(), signal.SIGTERM)


def _in_main_thread() -> bool:
    """Whether this is the interpreter's main thread (the only one Python signals reach)."""
    return threading.current_thread() is threading.main_thread()


def _can_create(driver: gdal.Driver | None) -> bool:
    """Whether ``driver`` writes a raster directly (the others only copy a finished one)."""
    return driver is not None and "DCAP_CREATE" in (driver.GetMetadata() or {})


def _round_up(value: int, step: int) -> int:
    """``value`` rounded up to a multiple of ``step``."""
    return -(-value // step) * step


def _folder_of(path: str) -> str:
    """Absolute folder of ``path``."""
    return os.path.dirname(os.path.abspath(path))
