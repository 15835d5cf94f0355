"""The exact kernel density of points too many for one machine, on a Dask cluster.

The output grid is cut into square tiles of ``tile_size`` cells. Each partition of points is
read on a worker and split by tile: a point goes to every tile its disc touches (the halo is
its radius, plus a cell for rounding), so a tile's points are all those that reach its cells.
Each tile then gathers its pieces from the partitions that touch it (the shuffle), is
evaluated with :func:`core.kernel_density_on_grid` on its own sub-grid (the same cell centres,
the same numbers as one machine), and is written by its worker as a Float32 GeoTIFF into a
folder next to the output. The client assembles the tiles, through a VRT that places each one
at its exact row and column offsets, into one Cloud-Optimized GeoTIFF (GDAL's COG driver,
DEFLATE, with overviews), written under a temporary name in the output's folder and moved
into place with :func:`os.replace`: the output is whole or absent.

No worker holds the whole raster: a tile task holds its tile (``tile_size²`` float64 cells,
32 MiB at 2048) and the points that reach it; a split task holds one partition. Global
quantities (maximum, minimum, sum of the cells, points per tile) are reduced from the tiles'
small summaries. Lost workers are handled by Dask: their tasks are recomputed from lineage,
and a task that fails is retried ``retries`` times.

The tile folder must be visible to the workers and the client under the same path (any
``LocalCluster``; a shared file system on a real cluster).

This module imports Dask and distributed; nothing in the core or the QGIS plugin imports it.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, Union

import numpy as np
from dask.delayed import Delayed
from distributed import Client, Future, as_completed

from .core import Grid, Kernel, OutputValue, kernel_density_on_grid

#: Creation options of the assembled Cloud-Optimized GeoTIFF.
COG_CREATION_OPTIONS = [
    "COMPRESS=DEFLATE",
    "PREDICTOR=FLOATING_POINT",
    "LEVEL=1",
    "BLOCKSIZE=512",
    "BIGTIFF=IF_SAFER",
    "NUM_THREADS=ALL_CPUS",
    "OVERVIEW_RESAMPLING=AVERAGE",
]
#: Creation options of the per-tile GeoTIFFs (fast to write, read once).
TILE_CREATION_OPTIONS = ["COMPRESS=DEFLATE", "PREDICTOR=3", "ZLEVEL=1", "TILED=YES"]


class Points(NamedTuple):
    """One partition's points: coordinates (map units), optional weights and radii.

    ``weight`` None means weight 1; ``radius`` None means the job's shared radius.
    """

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray | None = None
    radius: np.ndarray | None = None


#: A partition: a Dask Delayed, or a picklable callable without arguments (called on a
#: worker), producing :class:`Points` or a tuple ``(x, y, weight, radius)``.
Partition = Union[Delayed, Callable[[], Any]]


@dataclass(frozen=True)
class Tile:
    """A tile of the output grid: its offsets (cells) and its own sub-grid."""

    index: int
    row: int
    col: int
    grid: Grid


@dataclass(frozen=True)
class TileSummary:
    """What a tile task reports: where it wrote, its extremes and sum, its cost."""

    index: int
    path: str
    points: int
    maximum: float
    minimum: float
    total: float
    seconds: float


@dataclass(frozen=True)
class DistributedResult:
    """The written raster's grid and path, and the global quantities of its cells.

    ``maximum``, ``minimum`` and ``total`` are over the float64 cells before rounding to
    Float32; ``tile_seconds`` is each evaluated tile's compute time (evaluation + write),
    ``tile_points`` its number of points (halos included); ``seconds`` the wall time of the
    whole job, ``assembly_seconds`` that of the COG assembly on the client.
    """

    path: str
    grid: Grid
    maximum: float
    minimum: float
    total: float
    points: int
    tiles: int
    tile_seconds: tuple[float, ...]
    tile_points: tuple[int, ...]
    seconds: float
    assembly_seconds: float


def tiles_of(grid: Grid, tile_size: int) -> list[Tile]:
    """The grid cut into tiles of ``tile_size`` × ``tile_size`` cells (smaller at the right
    and bottom edges), row by row; tile ``(i, j)`` has index ``i · tile_cols + j``."""
    tile_cols = math.ceil(grid.cols / tile_size)
    tiles = []
    for row in range(0, grid.rows, tile_size):
        for col in range(0, grid.cols, tile_size):
            sub_grid = Grid(
                grid.x_min + col * grid.cell_size,
                grid.y_max - row * grid.cell_size,
                grid.cell_size,
                min(tile_size, grid.rows - row),
                min(tile_size, grid.cols - col),
            )
            index = (row // tile_size) * tile_cols + col // tile_size
            tiles.append(Tile(index, row, col, sub_grid))
    return tiles


def split_by_tile(
    points: Points | tuple, grid: Grid, tile_size: int, radius: float | None
) -> dict[int, Points]:
    """One partition's points grouped by the tiles their discs touch (a point in several).

    The disc of radius ``r`` around ``(x, y)`` can reach the cells whose columns lie in
    ``floor((x - r - x_min) / c) - 1 .. floor((x + r - x_min) / c) + 1`` (one cell more on each
    side than needed, against rounding; an extra point adds nothing), and likewise rows; the
    point goes to every tile overlapping that range within the grid. Points whose discs miss
    the grid go nowhere. The returned :class:`Points` have radii of their own only if the
    partition had (None: the job's ``radius``).
    """
    x, y, weight, radii = _arrays(points, radius)
    shared_radius = radii.strides == (0,)
    cell = grid.cell_size
    tile_cols = math.ceil(grid.cols / tile_size)
    col_low = np.floor((x - radii - grid.x_min) / cell) - 1
    col_high = np.floor((x + radii - grid.x_min) / cell) + 1
    row_low = np.floor((grid.y_max - (y + radii)) / cell) - 1
    row_high = np.floor((grid.y_max - (y - radii)) / cell) + 1
    reaches = (col_high >= 0) & (col_low < grid.cols) & (row_high >= 0) & (row_low < grid.rows)
    first_col = (np.clip(col_low[reaches], 0, grid.cols - 1) // tile_size).astype(np.int64)
    last_col = (np.clip(col_high[reaches], 0, grid.cols - 1) // tile_size).astype(np.int64)
    first_row = (np.clip(row_low[reaches], 0, grid.rows - 1) // tile_size).astype(np.int64)
    last_row = (np.clip(row_high[reaches], 0, grid.rows - 1) // tile_size).astype(np.int64)
    source = np.flatnonzero(reaches)
    width = last_col - first_col + 1
    copies = width * (last_row - first_row + 1)
    owner = np.repeat(np.arange(len(source)), copies)  # position in `source` of each copy
    starts = np.cumsum(copies) - copies
    offset = np.arange(len(owner)) - np.repeat(starts, copies)
    tile_row = first_row[owner] + offset // width[owner]
    tile_col = first_col[owner] + offset % width[owner]
    tile_index = tile_row * tile_cols + tile_col
    order = np.argsort(tile_index, kind="stable")
    tile_index, point_index = tile_index[order], source[owner[order]]
    bounds = np.flatnonzero(np.diff(tile_index)) + 1
    pieces = {}
    for group in np.split(np.arange(len(tile_index)), bounds) if len(tile_index) else []:
        chosen = point_index[group]
        pieces[int(tile_index[group[0]])] = Points(
            x[chosen],
            y[chosen],
            None if weight is None else weight[chosen],
            None if shared_radius else radii[chosen],
        )
    return pieces


def kernel_density_distributed(
    partitions: Sequence[Partition],
    grid: Grid,
    output: str | os.PathLike,
    *,
    client: Client,
    radius: float | None = None,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    output_value: OutputValue = OutputValue.RAW,
    crs_wkt: str | None = None,
    tile_size: int = 2048,
    retries: int = 2,
    progress: Callable[[float], object] | None = None,
) -> DistributedResult:
    """Kernel density of partitioned points on ``grid``, computed on a Dask cluster, written to
    ``output`` as a Cloud-Optimized GeoTIFF (Float32 band 1, no NoData: 0 where no point
    reaches).

    Every cell holds ``Σ_k w_k · factor(r_k) · profile(d_k / r_k)`` exactly as
    :func:`core.kernel_density_on_grid` computes it on the same grid (rounded to Float32).

    Args:
        partitions: the points, a partition at a time (see :data:`Partition`); a partition
            is read on one worker, never on the client.
        grid: the output grid (map units).
        output: the COG to write; replaced atomically if it exists.
        client: a connected :class:`distributed.Client`.
        radius: the kernel radius (map units) of points whose partition gives no radii.
        kernel, decay, output_value: as for :func:`core.kernel_density_on_grid`.
        crs_wkt: the output's coordinate reference system, or None.
        tile_size: side of a tile in cells (its float64 array is ``8 · tile_size²`` bytes).
        retries: how many times Dask retries a failed task.
        progress: called with the fraction of tiles done (0..1) as they finish.

    Returns:
        A :class:`DistributedResult`.

    Raises:
        ValueError: ``tile_size`` below 1, no ``radius`` for a partition without radii, or
            what :func:`core.kernel_density_on_grid` raises for a tile's points (raised here,
            from the task that failed).
        RuntimeError: GDAL failed to write or assemble the raster.
    """
    from osgeo import gdal

    if tile_size < 1:
        raise ValueError(f"The tile size must be at least 1 cell, not {tile_size}.")
    kernel, output_value = Kernel(int(kernel)), OutputValue(int(output_value))
    started = time.perf_counter()
    output = os.path.abspath(os.fspath(output))
    folder = os.path.dirname(output)
    job = uuid.uuid4().hex[:12]
    tile_folder = tempfile.mkdtemp(prefix=f".{os.path.basename(output)}.tiles-", dir=folder)
    try:
        tiles = tiles_of(grid, tile_size)
        splits = []
        for number, partition in enumerate(partitions):
            loaded = (
                client.compute(partition, retries=retries)
                if isinstance(partition, Delayed)
                else client.submit(
                    _call, partition, key=f"kde-read-{job}-{number}", retries=retries
                )
            )
            splits.append(
                client.submit(
                    split_by_tile,
                    loaded,
                    grid,
                    tile_size,
                    radius,
                    key=f"kde-split-{job}-{number}",
                    retries=retries,
                )
            )
        touched = client.gather(
            client.map(
                _tile_indexes, splits, key=[f"kde-touched-{job}-{n}" for n in range(len(splits))]
            )
        )
        tile_futures = []
        for tile in tiles:
            pieces = [
                client.submit(
                    _piece, split, tile.index, key=f"kde-piece-{job}-{number}-{tile.index}"
                )
                for number, split in enumerate(splits)
                if tile.index in touched[number]
            ]
            if not pieces:
                continue  # no point reaches the tile: the VRT leaves it 0
            tile_futures.append(
                client.submit(
                    _evaluate_tile,
                    tile,
                    os.path.join(tile_folder, f"tile_{tile.row}_{tile.col}.tif"),
                    radius,
                    kernel,
                    decay,
                    output_value,
                    *pieces,
                    key=f"kde-tile-{job}-{tile.index}",
                    retries=retries,
                )
            )
        del splits  # each split is freed once its pieces are taken
        summaries = _summaries(tile_futures, progress)
        assembly_started = time.perf_counter()
        _assemble(gdal, grid, tiles, summaries, tile_folder, output, crs_wkt)
        assembly_seconds = time.perf_counter() - assembly_started
    finally:
        shutil.rmtree(tile_folder, ignore_errors=True)
    return DistributedResult(
        path=output,
        grid=grid,
        maximum=max((s.maximum for s in summaries), default=0.0),
        minimum=min(
            [s.minimum for s in summaries] + ([0.0] if len(summaries) < len(tiles) else [])
        ),
        total=math.fsum(s.total for s in summaries),
        points=sum(s.points for s in summaries),
        tiles=len(summaries),
        tile_seconds=tuple(s.seconds for s in summaries),
        tile_points=tuple(s.points for s in summaries),
        seconds=time.perf_counter() - started,
        assembly_seconds=assembly_seconds,
    )


def _call(partition: Callable[[], Any]) -> Any:
    return partition()


def _arrays(
    points: Points | tuple, radius: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray]:
    """Float64 coordinates, weights (or None) and radii of a partition (a 0-stride view of
    the job's radius when the partition has none)."""
    x, y, weight, radii = (tuple(points) + (None, None))[:4]
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if radii is None:
        if radius is None:
            raise ValueError("A partition without radii needs the job's radius.")
        radii = np.broadcast_to(float(radius), x.shape)  # shared: kept as one number
    else:
        radii = np.asarray(radii, dtype=np.float64).ravel()
    if weight is not None:
        weight = np.asarray(weight, dtype=np.float64).ravel()
    if not len(x) == len(y) == len(radii) == (len(x) if weight is None else len(weight)):
        raise ValueError(
            f"A partition's columns differ in length: {len(x)} x, {len(y)} y, "
            f"{len(radii)} radii, {'no' if weight is None else len(weight)} weights."
        )
    return x, y, weight, radii


def _tile_indexes(pieces: dict[int, Points]) -> frozenset[int]:
    return frozenset(pieces)


def _piece(pieces: dict[int, Points], index: int) -> Points:
    return pieces[index]


def _evaluate_tile(
    tile: Tile,
    path: str,
    radius: float | None,
    kernel: Kernel,
    decay: float,
    output_value: OutputValue,
    *pieces: Points,
) -> TileSummary:
    """Evaluate one tile on its sub-grid with the core (one thread) and write it as GeoTIFF."""
    from osgeo import gdal

    started = time.perf_counter()
    x = np.concatenate([piece.x for piece in pieces])
    y = np.concatenate([piece.y for piece in pieces])
    if all(piece.radius is None for piece in pieces):
        radii = radius  # one radius: the core's faster shared-radius path
    else:
        radii = np.concatenate(
            [np.full(len(p.x), radius) if p.radius is None else p.radius for p in pieces]
        )
    weighted = any(piece.weight is not None for piece in pieces)
    weight = (
        np.concatenate([np.ones(len(p.x)) if p.weight is None else p.weight for p in pieces])
        if weighted
        else None
    )
    values = kernel_density_on_grid(
        x,
        y,
        tile.grid,
        radius=radii,
        kernel=kernel,
        decay=decay,
        output_value=output_value,
        weight=weight,
        workers=1,
    )
    driver = gdal.GetDriverByName("GTiff")
    dataset = driver.Create(
        path, tile.grid.cols, tile.grid.rows, 1, gdal.GDT_Float32, TILE_CREATION_OPTIONS
    )
    if dataset is None:
        raise RuntimeError(f"GDAL could not create the tile {path}: {gdal.GetLastErrorMsg()}")
    dataset.SetGeoTransform(tile.grid.geotransform)
    if dataset.GetRasterBand(1).WriteArray(values) != 0:
        raise RuntimeError(f"GDAL could not write the tile {path}: {gdal.GetLastErrorMsg()}")
    dataset.FlushCache()
    dataset = None
    if gdal.GetLastErrorType() >= gdal.CE_Failure:
        raise RuntimeError(f"GDAL failed writing the tile {path}: {gdal.GetLastErrorMsg()}")
    return TileSummary(
        index=tile.index,
        path=path,
        points=len(x),
        maximum=float(values.max()),
        minimum=float(values.min()),
        total=math.fsum(values.sum(axis=1)),
        seconds=time.perf_counter() - started,
    )


def _summaries(
    futures: list[Future], progress: Callable[[float], object] | None
) -> list[TileSummary]:
    """The tiles' summaries as they finish (the reduction is on the client: a few numbers
    per tile), reporting the fraction done; a failed tile's exception is raised here."""
    summaries = []
    if progress is not None:
        progress(0.0)
    for done, future in enumerate(as_completed(futures), start=1):
        summaries.append(future.result())
        future.release()
        if progress is not None:
            progress(done / len(futures))
    return sorted(summaries, key=lambda s: s.index)


def _assemble(
    gdal: Any,
    grid: Grid,
    tiles: list[Tile],
    summaries: list[TileSummary],
    tile_folder: str,
    output: str,
    crs_wkt: str | None,
) -> None:
    """Place the tiles at their exact offsets in a VRT, translate it to a COG under a
    temporary name in the output's folder, and move it over ``output``."""
    by_index = {tile.index: tile for tile in tiles}
    sources = []
    for summary in summaries:
        tile = by_index[summary.index]
        rows, cols = tile.grid.shape
        sources.append(
            "    <SimpleSource>\n"
            f'      <SourceFilename relativeToVRT="0">{summary.path}</SourceFilename>\n'
            "      <SourceBand>1</SourceBand>\n"
            f'      <SrcRect xOff="0" yOff="0" xSize="{cols}" ySize="{rows}"/>\n'
            f'      <DstRect xOff="{tile.col}" yOff="{tile.row}" xSize="{cols}" ySize="{rows}"/>\n'
            "    </SimpleSource>\n"
        )
    srs = "" if not crs_wkt else f"  <SRS>{_xml_text(crs_wkt)}</SRS>\n"
    geotransform = ", ".join(repr(value) for value in grid.geotransform)
    vrt_path = os.path.join(tile_folder, "tiles.vrt")
    with open(vrt_path, "w", encoding="utf-8") as vrt:
        vrt.write(
            f'<VRTDataset rasterXSize="{grid.cols}" rasterYSize="{grid.rows}">\n{srs}'
            f"  <GeoTransform>{geotransform}</GeoTransform>\n"
            '  <VRTRasterBand dataType="Float32" band="1">\n'
            + "".join(sources)
            + "  </VRTRasterBand>\n</VRTDataset>\n"
        )
    temporary = os.path.join(
        os.path.dirname(output), f".{os.path.basename(output)}.{uuid.uuid4().hex[:8]}.tmp.tif"
    )
    try:
        gdal.ErrorReset()
        translated = gdal.Translate(
            temporary, vrt_path, format="COG", creationOptions=COG_CREATION_OPTIONS
        )
        if translated is None:
            raise RuntimeError(f"GDAL could not write {output}: {gdal.GetLastErrorMsg()}")
        translated.FlushCache()
        translated = None
        if gdal.GetLastErrorType() >= gdal.CE_Failure:
            raise RuntimeError(f"GDAL failed writing {output}: {gdal.GetLastErrorMsg()}")
        os.replace(temporary, output)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
