"""Exact evaluation of a kernel density at the cell centres of a grid.

Two methods share one tiled, threaded driver (:func:`evaluate_bands`):

Row intervals (quartic, triweight, Epanechnikov, uniform; radius >= 6 cells)
    In one raster row at vertical offset ``dy`` from a point, the cells inside the disc form
    the column interval ``|x - px| <= sqrt(r² - dy²)``, and along the row the kernel is a
    polynomial in the column: with ``q = 1 - d²/r² = A + B t + C t²`` (``t`` the column relative
    to a reference column), the profile ``q**p`` has ``2p + 1`` coefficients. Each point adds its
    coefficients at the interval's first column and subtracts them after its last, in per-row
    difference arrays; one cumulative sum along the rows and a Horner evaluation give every
    cell. Work: O(points x rows in the disc + cells), instead of O(points x cells in the disc).
    The reference column is the centre of a tile about two radii wide, so ``|t|`` and the point
    offsets stay within a few radii and the expansion loses at most a few digits.

Stamping (triangular, Gaussian, and any kernel with a radius under 6 cells)
    Each point's square of candidate cells is evaluated directly with the exact predicate
    ``d² <= r²`` and accumulated with ``np.bincount``. The Gaussian is evaluated in separable
    form, ``exp(-4.5 dy²/r²) · exp(-4.5 dx²/r²)``, one exponential per row and column.

Both work band by band (:func:`evaluate_bands`): the output is produced as bands of rows, top
to bottom, and only one band and its halos is held, so a raster can be written while it is
computed. Each point belongs to the band holding its nearest row, and within it to the tile
holding its nearest column; a tile works on a private window grown by a halo of one radius, so
the point is never copied and its whole disc is evaluated at once. A band's points are split
into tiles a group at a time (see :func:`group_points`), so that the memory this takes does not
grow with the points. Tiles are computed by a thread pool a few at a time ahead (NumPy releases
the GIL in its array loops, though not in ``np.bincount``) and added to the band in a fixed
order, so the result does not depend on the number of threads. Distances are taken between true
cell centres (see :mod:`.grid`) and the points, in map units.

Run time and memory are modelled by :func:`estimated_seconds` and :func:`working_memory_bytes`,
and progress is reported in the model's units (estimated seconds of work done over the total),
counting every stage: ordering the points, classifying their radii, their discs, the tiles'
windows and every band of rows, those without points included.
"""

from __future__ import annotations

import itertools
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

import numpy as np

from . import costs
from .grid import Grid
from .kernels import GAUSSIAN_EXPONENT, POLYNOMIAL_POWER, Kernel, profile

#: Below this radius (in cells) stamping does less work than row intervals.
ROW_METHOD_MIN_RADIUS_CELLS = 6.0
#: Rows of output finished at a time, at least (and at least two radii): only one band and its
#: halos are held. 128 rather than 256 holds 25 % less on case (a) of the benchmarks, at about
#: the same speed.
BAND_ROWS = 128
#: Cells of a band, at least: narrow grids get taller bands, so that a raster 2 cells wide is not
#: produced 128 rows at a time, each band's fixed costs dwarfing its 256 cells (a band of 1 MB in
#: float64; grids of 1024 columns and more keep bands of BAND_ROWS rows).
BAND_CELLS = 128 * 1024
#: Width of a row-interval tile, in radii (at least two halos), and at most (unless two halos are
#: more) in cells: wide tiles have fewer points at their edges, narrow ones smaller windows.
ROW_TILE_RADII = 4
ROW_TILE_MAX_COLS = 256
#: Width of a stamping tile, in cells.
STAMP_TILE_COLS = 256
#: Point-row pairs (row method) or stencil cells (stamping) handled in one vectorised chunk:
#: small enough for the temporaries to stay in the CPU cache (large ones cost page faults), large
#: enough that threads seldom wait for the GIL (2^16 was 22 % faster than 2^15 on 2 threads).
CHUNK_ELEMENTS = 1 << 16
#: Most points of a band split into tiles at a time (sorting them by tile takes
#: GROUP_BYTES_PER_POINT each): a band holding millions of points costs a few more tiles, not
#: memory per point. Groups are smaller when bands have fewer points (see :func:`group_points`).
GROUP_POINTS = 1 << 18
#: Tiles computed ahead of the one being added up, per thread.
TILES_IN_FLIGHT_PER_THREAD = 2
#: Seconds between two progress reports.
PROGRESS_INTERVAL = 0.2
#: Bytes of NumPy temporaries per chunk element, measured (with tracemalloc) and rounded up:
#: stamping (44 to 52 measured), row intervals per coefficient plane and in all (the uniform
#: kernel, which settles its intervals' ends exactly, 93 measured; quartic 62, triweight 77).
STAMP_BYTES_PER_CHUNK_ELEMENT = 56
ROW_BYTES_PER_CHUNK_ELEMENT_PLANE = 8
ROW_BYTES_PER_CHUNK_ELEMENT = 32
UNIFORM_BYTES_PER_CHUNK_ELEMENT = 96
#: Bytes per point of a chunk being ordered by band: rows, columns, radii, keys, their order
#: and places.
SORT_BYTES_PER_CHUNK_ELEMENT = 72
#: Bytes per point of a group being split into tiles (the nearest column and row, the sort key,
#: its order, the tile of each and the sorted indices, and with per-point radii the pass of each
#: and the pass's members: 25 to 40 measured with tracemalloc), rounded up.
GROUP_BYTES_PER_POINT = 48

ProgressCallback = Callable[[float], bool]


class Cancelled(Exception):  # noqa: N818 (it is not an error: the user asked for it)
    """Raised when the progress callback asked to stop."""


@dataclass(frozen=True)
class _Points:
    """Points in map units, seen in the grid's continuous cell coordinates.

    ``col``/``row`` are continuous: the centre of cell (i, j) is at col = j, row = i. They are
    computed when asked (for a chunk of points, that is cheap), so only the given arrays are
    kept. ``factor``, when given, maps radii (map units) to the output factor that multiplies
    the weights; it is applied to the points taken with :meth:`take`, a chunk at a time, so that
    no array of weights times factors is ever made for all points.
    """

    grid: Grid
    x: np.ndarray
    y: np.ndarray
    radius: np.ndarray
    weight: np.ndarray
    factor: Callable[[np.ndarray], np.ndarray] | None = None

    @property
    def col(self) -> np.ndarray:
        return self.col_of(slice(None))

    def col_of(self, index: np.ndarray | slice) -> np.ndarray:
        """``col`` of the points at ``index`` only, without gathering their other arrays."""
        return (self.x[index] - self.grid.x_min) / self.grid.cell_size - 0.5

    @property
    def row(self) -> np.ndarray:
        return self.row_of(slice(None))

    def row_of(self, index: np.ndarray | slice) -> np.ndarray:
        """``row`` of the points at ``index`` only."""
        return (self.grid.y_max - self.y[index]) / self.grid.cell_size - 0.5

    @property
    def radius_cells(self) -> np.ndarray:
        return self.radius_cells_of(slice(None))

    def radius_cells_of(self, index: np.ndarray | slice) -> np.ndarray:
        """Radii in cells of the points at ``index``; a radius shared by all stays shared."""
        radius = _take(self.radius, index, len(self.x[index]))
        if radius.strides == (0,) and len(radius):
            return np.broadcast_to(radius[0] / self.grid.cell_size, len(radius))
        return radius / self.grid.cell_size

    def take(self, index: np.ndarray | slice) -> _Points:
        """The points at ``index``, their weights multiplied by their output factor."""
        x = self.x[index]
        radius = _take(self.radius, index, len(x))
        weight = _take(self.weight, index, len(x))
        if self.factor is not None:
            weight = weight * self.factor(radius)
        return _Points(self.grid, x, self.y[index], radius, weight)

    def __len__(self) -> int:
        return len(self.x)


def _take(values: np.ndarray, index: np.ndarray | slice, length: int) -> np.ndarray:
    """``values[index]``, keeping a value shared by all points (a 0-stride view) uncopied."""
    if values.strides == (0,) and len(values):
        return np.broadcast_to(values[0], length)
    return values[index]


@dataclass(frozen=True)
class _Tile:
    """A window of the output: rows ``row0 .. row0 + rows - 1``, likewise columns.

    The window is a tile's own cells grown by a halo wide enough to hold its points' discs.
    """

    row0: int
    col0: int
    rows: int
    cols: int


@dataclass(frozen=True)
class _Pass:
    """Points of one method and one radius class (radii within a factor of 2 of each other)."""

    method: str  # "rows" or "stamp"
    tile_cols: int  # width of a tile's own cells: at least two halos
    halo: int  # cells around a tile's own cells that its points' discs may reach
    largest_radius_cells: float  # the largest radius of the class, in cells
    points: int  # how many points the pass has


@dataclass(frozen=True)
class _Plan:
    """How the points are split into passes (see :func:`_pass_codes`)."""

    passes: dict[int, _Pass]  # by pass code, in the order tiles are made
    shared: bool  # one radius for all points: one pass, no code per point
    kernel: Kernel
    method: str | None
    halo: int  # the largest halo of the passes


class _Progress:
    """Work done, in estimated seconds (see :mod:`.costs`), reported from the caller's thread.

    Workers :meth:`add` their work and raise :class:`Cancelled` once ``cancelled`` is set; the
    caller's thread adds its own, calls :meth:`tick` between steps and waits for tiles with
    :meth:`result`, so that the progress callback is called at least every
    ``PROGRESS_INTERVAL`` seconds in every stage. The fractions reported never decrease.
    """

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.total = 0.0
        self.done = 0.0
        self._lock = threading.Lock()
        self.cancelled = threading.Event()
        self._callback = callback
        self._reported_at = time.monotonic()
        self._reported = 0.0

    def add(self, seconds: float) -> None:
        if self.cancelled.is_set():
            raise Cancelled()
        with self._lock:
            self.done += seconds

    def tick(self) -> None:
        """Report the fraction done if ``PROGRESS_INTERVAL`` has passed since the last report."""
        if time.monotonic() - self._reported_at >= PROGRESS_INTERVAL:
            self.report(min(self.done / self.total, 1.0) if self.total > 0 else 0.0)

    def report(self, fraction: float) -> None:
        """Call the progress callback; raise :class:`Cancelled` if it returns False."""
        self._reported = max(self._reported, fraction)
        self._reported_at = time.monotonic()
        if self._callback is not None and not self._callback(self._reported):
            self.cancelled.set()
            raise Cancelled()

    def result(self, future: Future) -> np.ndarray:
        """The tile's values once computed (its error if it failed), reporting progress."""
        while True:
            self.tick()
            try:
                return future.result(timeout=PROGRESS_INTERVAL)
            except FutureTimeout:
                continue


def evaluate(
    grid: Grid,
    x: np.ndarray,
    y: np.ndarray,
    radius: np.ndarray,
    weight: np.ndarray,
    kernel: Kernel,
    decay: float,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    method: str | None = None,
    out: np.ndarray | None = None,
    factor: Callable[[np.ndarray], np.ndarray] | None = None,
    counter: _Progress | None = None,
) -> np.ndarray:
    """``Σ weight_k · factor(radius_k) · profile(d_k / radius_k)`` over points with
    ``d_k <= radius_k``, per cell, for the whole grid at once.

    :func:`evaluate_bands` assembled into ``out`` (a new float64 array if None; float32 halves
    the memory, the values being rounded once from float64). Returns ``out``, row 0 at the top.
    See :func:`evaluate_bands` for the other arguments.
    """
    if out is None:
        out = np.empty(grid.shape, dtype=np.float64)
    bands = evaluate_bands(
        grid, x, y, radius, weight, kernel, decay, progress, workers, method, factor, counter
    )
    for first_row, values in bands:
        out[first_row : first_row + len(values)] = values
    return out


def evaluate_bands(
    grid: Grid,
    x: np.ndarray,
    y: np.ndarray,
    radius: np.ndarray,
    weight: np.ndarray,
    kernel: Kernel,
    decay: float,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    method: str | None = None,
    factor: Callable[[np.ndarray], np.ndarray] | None = None,
    counter: _Progress | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """``Σ weight_k · factor(radius_k) · profile(d_k / radius_k)`` over points with
    ``d_k <= radius_k``, per cell, produced as bands of finished rows, from the top of the grid
    to the bottom.

    Only one band of the output and its halos is held at a time (see :func:`band_layout`), so a
    caller writing each band as it comes never holds the whole raster.

    Args:
        grid: where to evaluate (cell centres, see :mod:`.grid`).
        x, y: point coordinates (map units), float64 arrays of one length.
        radius: per-point radius (map units, > 0), same length.
        weight: per-point weight, same length.
        kernel, decay: the kernel shape (see :mod:`.kernels`).
        progress: called with the estimated fraction done (see :class:`_Progress`) at least
            every ~0.2 s in every stage; return False to cancel.
        workers: threads; None for one per CPU.
        method: "rows" or "stamp" to force one (for benchmarks and tests; "rows" needs a
            polynomial kernel); None chooses per point.
        factor: maps radii (map units, an array) to the factor multiplying their points'
            weights (the output value's constant, see :func:`.kernels.output_factor`), applied
            to a chunk of points at a time; None for 1. It must be positive.
        counter: the progress of the caller's checks of these points, to carry on with (so
            that reports keep their pace), instead of a new one for ``progress``.

    Yields:
        ``(first_row, values)``: float64 rows ``first_row ..`` of the grid, every row exactly
        once, in order; exactly 0 where no point reaches. ``values`` is reused for the next
        band: copy or write it before asking for the next.

    Raises:
        Cancelled: when ``progress`` returned False.
    """
    points = _Points(grid, x, y, radius, weight, factor)
    counter = counter or _Progress(progress)
    workers = workers or os.cpu_count() or 1
    largest_radius_cells = _largest(points.radius) / grid.cell_size if len(x) else 0.0
    counter.total = costs.seconds(_terms(grid, len(points), largest_radius_cells, kernel))
    plan = _plan(points, kernel, method, counter)
    band_rows, halo_rows = band_layout(grid, plan.halo)
    counter.total = counter.done + costs.seconds(_plan_terms(grid, plan, band_rows, len(points)))
    order, band_starts = _band_order(grid, points, band_rows, False, counter)
    if order is None:  # in order already: the pass that places them was not needed
        counter.total -= len(points) * costs.SECONDS_PER_POINT_SORT
    non_negative = (not len(weight) or _smallest(weight) >= 0) and not (
        kernel == Kernel.TRIANGULAR and decay < 0
    )
    most_in_flight = TILES_IN_FLIGHT_PER_THREAD * workers
    band_row0s = range(0, grid.rows, band_rows)
    group = group_points(len(points), len(band_row0s))
    tiles = (
        (band, tile_and_points)
        for band, band_row0 in enumerate(band_row0s)
        for tile_and_points in _band_tiles(
            grid,
            points,
            plan,
            order,
            (int(band_starts[band]), int(band_starts[band + 1])),
            (band_row0, band_rows),
            group,
            counter,
        )
    )
    # Rows band_row0 - halo_rows .. band_row0 + band_rows + halo_rows - 1 of the grid, float64.
    buffer = np.zeros((band_rows + 2 * halo_rows, grid.cols))
    band = 0  # the band being added up
    # Tiles are computed ahead (into the next bands too), a few per thread so that a slow tile
    # does not stall the others, and added up in a fixed order, so that the sums do not depend
    # on the threads.
    in_flight: deque[tuple[int, _Tile, Future]] = deque()
    completed = False
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            for item in itertools.chain(tiles, [None]):
                if item is not None:
                    tile_band, (tile, members, evaluation_pass) = item
                    future = pool.submit(
                        _tile_values, tile, points, members, evaluation_pass, kernel, decay, counter
                    )
                    in_flight.append((tile_band, tile, future))
                while in_flight and (item is None or len(in_flight) >= most_in_flight):
                    tile_band, tile, future = in_flight[0]
                    while band < tile_band:  # the bands before this tile's are complete
                        yield from _finish_band(
                            buffer, band_row0s[band], band_rows, halo_rows, grid, non_negative
                        )
                        _count_band(counter, band_rows, grid)
                        band += 1
                    values = counter.result(future)
                    in_flight.popleft()
                    first = tile.row0 - (band_row0s[band] - halo_rows)
                    buffer[first : first + tile.rows, tile.col0 : tile.col0 + tile.cols] += values
                    del values
            completed = True
        finally:  # cancelled, failed, or the caller stopped early: drop the tiles not started
            if not completed:
                counter.cancelled.set()
                for _, _, future in in_flight:
                    future.cancel()
    del points, x, y, radius, weight, order, plan  # all computed: free what the caller let go
    while band < len(band_row0s):
        yield from _finish_band(buffer, band_row0s[band], band_rows, halo_rows, grid, non_negative)
        _count_band(counter, band_rows, grid)
        band += 1
    counter.report(1.0)
    last_row0 = len(band_row0s) * band_rows - halo_rows
    yield from _finished_rows(buffer, last_row0, 2 * halo_rows, grid.rows, non_negative)


def band_layout(grid: Grid, halo: int) -> tuple[int, int]:
    """Rows of a band, and the rows of halo held above and below it, for a grid and a halo.

    A band has ``max(BAND_ROWS, 2 · halo, BAND_CELLS // grid.cols)`` rows (at least two halos,
    and at least ``BAND_CELLS`` cells), so that it holds about ``BAND_CELLS`` float64 values
    plus its halos: ``(band_rows + 2 · halo) · grid.cols · 8`` bytes. When that covers the whole
    grid, the grid is one band of ``grid.rows`` rows with no halo rows (none lie beyond it).
    The tiles' windows are at most as tall as a band and its halos, and their width does not
    depend on the band's (see :func:`working_memory_bytes`).

    Args:
        grid: the output grid.
        halo: cells a point's disc reaches beyond its nearest cell (``ceil(radius) + 1``).
    """
    rows = max(BAND_ROWS, 2 * halo, BAND_CELLS // grid.cols)
    if grid.rows <= rows + 2 * halo:
        return grid.rows, 0
    return rows, halo


def group_points(points: int, bands: int) -> int:
    """Points of a band split into tiles at a time: twice a band's share of the points.

    From CHUNK_ELEMENTS up to GROUP_POINTS: a band with more points than that makes a few more
    tiles, and the memory for tiling stays near what the average band needs.
    """
    return min(GROUP_POINTS, max(CHUNK_ELEMENTS, 2 * -(-points // max(bands, 1))))


def _count_band(counter: _Progress, band_rows: int, grid: Grid) -> None:
    """Count a finished band's work and report progress if it is time."""
    counter.add(costs.SECONDS_PER_BAND + band_rows * grid.cols * costs.SECONDS_PER_CELL)
    counter.tick()


def _largest(values: np.ndarray) -> float:
    """The largest of non-empty values, read once when shared by all (a 0-stride view); NaN if
    any is NaN."""
    return float(values[0] if values.strides == (0,) else values.max())


def _smallest(values: np.ndarray) -> float:
    """The smallest of non-empty values, read once when shared by all; NaN if any is NaN."""
    return float(values[0] if values.strides == (0,) else values.min())


def _finish_band(
    buffer: np.ndarray,
    band_row0: int,
    band_rows: int,
    halo_rows: int,
    grid: Grid,
    non_negative: bool,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield the band's finished rows, then move the buffer on to the next band.

    The buffer holds grid rows ``band_row0 - halo_rows ..``; the first ``band_rows`` of them are
    final once the band's tiles are added (the next band's windows start below them).
    """
    yield from _finished_rows(buffer, band_row0 - halo_rows, band_rows, grid.rows, non_negative)
    buffer[: 2 * halo_rows] = buffer[band_rows:]
    buffer[2 * halo_rows :] = 0.0


def _finished_rows(
    buffer: np.ndarray, buffer_row0: int, count: int, grid_rows: int, non_negative: bool
) -> Iterator[tuple[int, np.ndarray]]:
    """The grid rows among the buffer's first ``count`` rows, clamped at 0 if the kernel is."""
    first, stop = max(buffer_row0, 0), min(buffer_row0 + count, grid_rows)
    if stop <= first:
        return
    values = buffer[first - buffer_row0 : stop - buffer_row0]
    if non_negative:  # remove the -1e-17 left where an expansion cancels
        np.maximum(values, 0.0, out=values)
    yield first, values


def _pass_codes(radius_cells: np.ndarray, kernel: Kernel, method: str | None) -> np.ndarray:
    """Each point's pass: ``2 · (floor(log2(radius in cells)) + 2) + (1 if rows)``."""
    if method is None:
        use_rows = (kernel in POLYNOMIAL_POWER) & (radius_cells >= ROW_METHOD_MIN_RADIUS_CELLS)
    else:
        use_rows = np.full(len(radius_cells), method == "rows")
    size_class = np.floor(np.log2(np.maximum(radius_cells, 0.5))).astype(np.int64)
    return 2 * (size_class + 2) + use_rows


def _plan(points: _Points, kernel: Kernel, method: str | None, counter: _Progress) -> _Plan:
    """Split the points by method and radius class, and size each pass's tiles.

    With one radius for all points there is one pass (the first point stands for all);
    otherwise the radii are read a chunk at a time and each point's pass is computed again
    when its band is tiled (see :func:`_pass_codes`), so that no array per point is kept.
    """
    if method == "rows" and kernel not in POLYNOMIAL_POWER:
        raise ValueError(f"Row intervals need a polynomial kernel, not {kernel.name}.")
    shared = points.radius.strides == (0,)
    largest: dict[int, float] = {}
    counts: dict[int, int] = {}
    for chunk in _slices(min(len(points), 1) if shared else len(points), CHUNK_ELEMENTS):
        chunk_radius = np.asarray(points.radius_cells_of(chunk))
        codes = _pass_codes(chunk_radius, kernel, method)
        for code in np.unique(codes):
            members = chunk_radius[codes == code]
            code = int(code)
            largest[code] = max(largest.get(code, 0.0), float(members.max()))
            counts[code] = counts.get(code, 0) + (len(points) if shared else len(members))
        if not shared:
            counter.add(len(chunk_radius) * costs.SECONDS_PER_POINT_RADIUS)
            counter.tick()
    passes = {}
    for code, largest_radius in largest.items():
        halo = math.ceil(largest_radius) + 1
        # a tile as wide as the grid is the whole grid (and its width stays a NumPy integer)
        if code % 2:  # rows: narrow tiles, so the polynomial expansion keeps its digits
            tile_cols = min(_row_tile_cols(largest_radius), points.grid.cols)
            passes[code] = _Pass("rows", tile_cols, halo, largest_radius, counts[code])
        else:
            tile_cols = min(max(STAMP_TILE_COLS, 2 * halo), points.grid.cols)
            passes[code] = _Pass("stamp", tile_cols, halo, largest_radius, counts[code])
    halo = max((p.halo for p in passes.values()), default=0)
    return _Plan(passes, shared, kernel, method, halo)


def _row_tile_cols(radius_cells: float) -> int:
    """Width of the row-interval tiles for radii up to ``radius_cells`` (see ROW_TILE_RADII)."""
    halo = math.ceil(radius_cells) + 1
    return max(2 * halo, min(math.ceil(ROW_TILE_RADII * radius_cells), ROW_TILE_MAX_COLS))


def _slices(length: int, size: int) -> Iterator[slice]:
    """``slice(0, size), slice(size, 2 size), ...`` covering ``range(length)``."""
    for start in range(0, length, size):
        yield slice(start, min(start + size, length))


def sort_by_row(
    grid: Grid,
    x: np.ndarray,
    y: np.ndarray,
    radius: np.ndarray,
    weight: np.ndarray,
    progress: ProgressCallback | None = None,
    counter: _Progress | None = None,
) -> None:
    """Reorder the points in place into the order :func:`evaluate_bands` takes them.

    Points that do not count first, then band by band (bands of :func:`band_layout`, top to
    bottom), in their original order within a band. Arrays shared by all points (0-stride views)
    are left alone. Peak memory: the order (4 bytes per point, 8 from 2^31 points) and one
    reordered copy of a column at a time (8 bytes per point). ``progress`` is called with the
    fraction done at least every ``PROGRESS_INTERVAL`` seconds; returning False raises
    :class:`Cancelled`, after which the arrays may be partly reordered (x, y, radius and
    weight are reordered one after the other, so they may no longer match): discard them.
    """
    points = _Points(grid, x, y, radius, weight)
    counter = counter or _Progress(progress)  # (the caller's, to carry on with)
    halo = math.ceil(_largest(radius) / grid.cell_size) + 1 if len(x) else 0
    band_rows, _ = band_layout(grid, halo)
    columns = [column for column in (x, y, radius, weight) if column.strides != (0,)]
    counter.total = len(x) * costs.SECONDS_PER_POINT_SORT * (2 + len(columns))
    order, _ = _band_order(grid, points, band_rows, True, counter)
    if order is None:
        counter.report(1.0)
        return
    reordered = np.empty_like(x)
    for column in columns:
        for part in _slices(len(order), CHUNK_ELEMENTS):  # a chunk of int64 indices at most
            reordered[part] = column[order[part]]
            counter.add((part.stop - part.start) * costs.SECONDS_PER_POINT_SORT)
            counter.tick()
        for part in _slices(len(order), 1 << 20):  # 0.4 s for 1e8 points: in pieces
            column[part] = reordered[part]
            counter.tick()
    counter.report(1.0)


def _band_order(
    grid: Grid, points: _Points, band_rows: int, with_left_out: bool, counter: _Progress
) -> tuple[np.ndarray | None, np.ndarray]:
    """The points that count, band by band (a stable counting sort), and where each band starts.

    A point counts when its weight is not 0 and its disc reaches the grid. It belongs to the band
    holding its nearest row (clamped into the grid), and the band's windows reach a halo beyond
    it, so the point's whole disc is evaluated in one band. Returns ``(order, starts)``: the
    indices of the points of band ``k`` are ``order[starts[k] : starts[k + 1]]``, in their
    original order; or, when the points are in that order already (see :func:`sort_by_row`),
    ``order`` is None and they are ``starts[k] .. starts[k + 1] - 1``. With ``with_left_out``,
    ``order`` lists all points, those that do not count first, and ``starts`` count them too.

    Two passes over chunks of points (one if they are in order): the arrays as long as the
    points are ``order`` (int32 when there are fewer than 2^31 points); the others are as long
    as the bands (``key_count``), and a chunk is at least that long, so that no pass costs more
    than O(points + bands).
    """
    key_count = -(-grid.rows // band_rows) + 1  # key 0: the points that do not count
    chunk_length = max(CHUNK_ELEMENTS, key_count)
    counts = np.zeros(key_count, dtype=np.int64)
    in_order = True
    previous_key = 0
    for chunk in _slices(len(points), chunk_length):
        keys = _band_keys(grid, points, chunk, band_rows)
        in_order = in_order and previous_key <= keys[0] and bool(np.all(keys[1:] >= keys[:-1]))
        previous_key = int(keys[-1])
        counts += np.bincount(keys, minlength=key_count)
        counter.add((chunk.stop - chunk.start) * costs.SECONDS_PER_POINT_SORT)
        counter.tick()
    skipped = 0 if with_left_out else int(counts[0])
    starts = np.zeros(key_count, dtype=np.int64)
    np.cumsum(counts[1:], out=starts[1:])
    if with_left_out or in_order:  # the points that do not count come first
        starts += int(counts[0])
    if in_order:
        return None, starts
    order = np.empty(len(points) - skipped, dtype=np.int32 if len(points) < 2**31 else np.int64)
    for piece in _slices(len(order), 1 << 22):  # mapped a piece at a time: filled by band, its
        order[piece] = 0  # pages would all be first touched at once (0.5 s for 1e8 points)
        counter.tick()
    next_free = np.cumsum(counts)
    next_free -= counts
    next_free -= skipped  # where each band's next point goes
    del counts
    for chunk in _slices(len(points), chunk_length):
        keys = _band_keys(grid, points, chunk, band_rows)
        by_key = np.argsort(keys, kind="stable")
        keys = keys[by_key]
        if not with_left_out:
            kept = np.searchsorted(keys, 1)
            by_key, keys = by_key[kept:], keys[kept:]
        run_starts = np.searchsorted(keys, keys)  # first entry of each entry's key
        order[next_free[keys] + (np.arange(len(keys)) - run_starts)] = by_key + chunk.start
        next_free += np.bincount(keys, minlength=key_count)
        counter.add((chunk.stop - chunk.start) * costs.SECONDS_PER_POINT_SORT)
        counter.tick()
    return order, starts


def _band_keys(grid: Grid, points: _Points, index: slice, band_rows: int) -> np.ndarray:
    """1 + the band of each point's nearest row (clamped into the grid), 0 if it does not count.

    A point counts when its weight is not 0 (the output factor is positive) and its disc
    reaches the grid.
    """
    row, col = points.row_of(index), points.col_of(index)
    radius_cells = points.radius_cells_of(index)
    counts = _take(points.weight, index, len(row)) != 0
    counts &= np.abs(row - (grid.rows - 1) / 2) <= radius_cells + (grid.rows + 1) / 2
    counts &= np.abs(col - (grid.cols - 1) / 2) <= radius_cells + (grid.cols + 1) / 2
    keys = np.clip(np.rint(row, out=row), 0, grid.rows - 1, out=row).astype(np.int64)
    keys //= band_rows
    keys += 1
    keys[~counts] = 0
    return keys


def _band_tiles(
    grid: Grid,
    points: _Points,
    plan: _Plan,
    order: np.ndarray | None,
    members: tuple[int, int],
    band: tuple[int, int],
    group: int,
    counter: _Progress,
) -> Iterator[tuple[_Tile, np.ndarray, _Pass]]:
    """The band's tiles, each with the indices of its points and its pass.

    ``members`` is the band's ``(start, stop)`` in ``order`` (or among the points, when
    ``order`` is None), ``band`` its ``(first row, rows)``. The points are taken a group of at
    most ``group`` at a time; per group and pass, each point belongs to the tile holding
    its nearest column (clamped into the grid), whose window, grown by the pass's halo, holds
    the point's whole disc, and a tile's points are by row, then in their order in the band.
    """
    counter.tick()
    start, stop = members
    for group_start in range(start, stop, group):
        group_stop = min(group_start + group, stop)
        if order is None:
            indices = np.arange(group_start, group_stop)
        else:
            indices = order[group_start:group_stop]
        if plan.shared:
            by_pass = [(evaluation_pass, indices) for evaluation_pass in plan.passes.values()]
        else:
            codes = _pass_codes(points.radius_cells_of(indices), plan.kernel, plan.method)
            by_pass = [(p, indices[codes == code]) for code, p in plan.passes.items()]
            del codes
        del indices
        for evaluation_pass, pass_members in by_pass:
            if len(pass_members):
                yield from _pass_tiles(grid, points, evaluation_pass, pass_members, band)
        del by_pass
        counter.add((group_stop - group_start) * costs.SECONDS_PER_POINT_TILING)
        counter.tick()


def _pass_tiles(
    grid: Grid, points: _Points, evaluation_pass: _Pass, members: np.ndarray, band: tuple[int, int]
) -> Iterator[tuple[_Tile, np.ndarray, _Pass]]:
    """The tiles of one pass's points of a group (see :func:`_band_tiles`).

    A tile's window spans the rows its points' discs reach (within the band and its halos),
    and its columns grown by the pass's halo.
    """
    band_row0, band_rows = band
    tile_cols, halo = evaluation_pass.tile_cols, evaluation_pass.halo
    col = points.col_of(members)
    np.clip(np.rint(col, out=col), 0, grid.cols - 1, out=col)
    col //= tile_cols
    key = col.astype(np.int64)
    del col
    key *= band_rows  # by tile, then by nearest row in the band
    row = points.row_of(members)
    np.clip(np.rint(row, out=row), 0, grid.rows - 1, out=row)
    row -= band_row0
    key += row.astype(np.int64)
    del row
    # stable: a row's points in their band order; 16-bit keys take NumPy's radix sort (5x)
    small = -(-grid.cols // tile_cols) * band_rows <= 1 << 16
    by_key = np.argsort(key.astype(np.uint16) if small else key, kind="stable")
    members, key = members[by_key], key[by_key]
    del by_key
    tile_col = key // band_rows
    boundaries = np.flatnonzero(np.diff(tile_col)) + 1
    for start, stop in zip(np.r_[0, boundaries], np.r_[boundaries, len(tile_col)]):
        column = int(tile_col[start])
        first_row = band_row0 + int(key[start]) - column * band_rows
        last_row = band_row0 + int(key[stop - 1]) - column * band_rows
        row0 = max(first_row - halo, 0)
        row_stop = min(last_row + halo + 1, grid.rows)
        col0 = max(column * tile_cols - halo, 0)
        col_stop = min((column + 1) * tile_cols + halo, grid.cols)
        window = _Tile(row0, col0, row_stop - row0, col_stop - col0)
        yield window, members[start:stop], evaluation_pass


def _tile_values(
    tile: _Tile,
    points: _Points,
    members: np.ndarray,
    evaluation_pass: _Pass,
    kernel: Kernel,
    decay: float,
    counter: _Progress,
) -> np.ndarray:
    """The values the tile's points give its window (float64, ``tile.rows x tile.cols``)."""
    counter.add(costs.SECONDS_PER_TILE)  # raises Cancelled once cancelled
    if evaluation_pass.method == "rows":
        return _row_interval_tile(tile, points, members, evaluation_pass, kernel, counter)
    return _stamp_tile(tile, points, members, evaluation_pass, kernel, decay, counter)


def _chunks(
    points: _Points, members: np.ndarray, per_chunk: int, width: int, disc_rows: int
) -> Iterator[slice]:
    """Consecutive slices of a tile's points (``members``, by row) to take at a time.

    At most ``per_chunk`` points, whose nearest rows span at most ``CHUNK_ELEMENTS // width``
    rows or ``disc_rows`` (the rows a disc spans), whichever is more, unless one point is
    alone: a chunk accumulates into the window's rows it reaches only, so points spread thinly
    over a tall window do not each cost the whole window, and a chunk reaches at most about
    twice the rows its discs would anyway.
    """
    if len(members) <= 1:
        yield slice(0, len(members))
        return
    rows = points.row_of(members)
    np.clip(np.rint(rows, out=rows), 0, points.grid.rows - 1, out=rows)
    span = max(1, CHUNK_ELEMENTS // width, disc_rows)
    start = 0
    while start < len(rows):
        stop = min(start + per_chunk, len(rows))
        if rows[stop - 1] - rows[start] > span:
            stop = max(start + 1, int(np.searchsorted(rows, rows[start] + span, side="right")))
        yield slice(start, stop)
        start = stop


def _cumulate_along_rows(values: np.ndarray) -> None:
    """``np.cumsum`` along the last axis, in place; for windows a few cells wide, one
    vectorised addition per column (``np.cumsum`` pays about 20 ns per row, which dominates
    when rows have 3 cells), the same sums in the same order."""
    if values.shape[-1] > 16:
        np.cumsum(values, axis=-1, out=values)
        return
    for col in range(1, values.shape[-1]):
        values[..., col] += values[..., col - 1]


def _rows_per_point(radius_cells: float, window_rows: int) -> int:
    """Rows a point's disc spans (``2 ceil(r) + 1``, cut to its window): its chunk elements."""
    return min(2 * math.ceil(radius_cells) + 1, window_rows)


def _row_interval_tile(
    tile: _Tile,
    all_points: _Points,
    members: np.ndarray,
    evaluation_pass: _Pass,
    kernel: Kernel,
    counter: _Progress,
) -> np.ndarray:
    """The tile's values by row intervals (see the module docstring)."""
    grid = all_points.grid
    power = POLYNOMIAL_POWER[kernel]
    width = tile.cols + 1  # a spare column receives the ends of intervals reaching the edge
    difference = np.zeros((2 * power + 1, tile.rows * width))  # coefficients of t**0 .. t**2p
    covering = np.zeros(tile.rows * width, dtype=np.int32)  # intervals starting minus ending
    reference_col = tile.col0 + tile.cols // 2
    rows_per_point = _rows_per_point(evaluation_pass.largest_radius_cells, tile.rows)
    planes = 2 * power + 1
    seconds_per_point = costs.seconds({"POINT_ROW": rows_per_point})
    per_chunk = max(1, CHUNK_ELEMENTS // rows_per_point)
    for chunk in _chunks(all_points, members, per_chunk, width, rows_per_point):
        points = all_points.take(members[chunk])
        _add_row_intervals(grid, tile, points, kernel, reference_col, difference, covering)
        counter.add(len(points) * seconds_per_point)
    cumulative = difference.reshape(-1, tile.rows, width)
    _cumulate_along_rows(cumulative)
    t = np.arange(width, dtype=np.float64) + (tile.col0 - reference_col)
    values = cumulative[-1]
    for degree in range(2 * power - 1, -1, -1):
        values *= t
        values += cumulative[degree]
    covering = covering.reshape(tile.rows, width)
    _cumulate_along_rows(covering)
    values[covering == 0] = 0.0
    cells = tile.rows * width
    counter.add(
        costs.seconds(
            {
                "WINDOW_CELL_PLANE": cells * (planes + 1),
                "FRESH_BYTE": _fresh_bytes(cells * 8, planes + 2),
            }
        )
    )
    return values[:, : tile.cols].copy()  # a copy: the other planes are freed now


def _weighted_power_coefficients(
    weight: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, power: int
) -> Iterator[np.ndarray]:
    """Coefficients of ``weight · (a + b t + c t²) ** power``, increasing powers of t.

    With ``(a + s)^p = Σ_k C(p,k) a^(p-k) s^k`` and ``s^k = t^k (b + c t)^k``, the coefficient
    of ``t^d`` is ``w Σ_k C(p,k) C(k,d-k) a^(p-k) b^(2k-d) c^(d-k)``. ``a`` varies along the
    rows of a disc while ``b``, ``c`` and ``w`` are per point, so the powers of ``a`` are the
    only large products. The coefficients are produced one at a time, and each power of ``a`` is
    let go once no later coefficient needs it (degree ``d`` needs powers up to ``p - ceil(d/2)``),
    so that few arrays of the size of ``a`` are held at once; ``a`` itself is let go as soon as
    its powers are computed, when the caller holds no other reference to it.
    """
    weighted_a_powers: list[np.ndarray | None] = [weight]
    for _ in range(power):
        weighted_a_powers.append(weighted_a_powers[-1] * a)
    del a
    for degree in range(2 * power + 1):
        if degree == 0:  # w a^p itself: no copy
            coefficient = weighted_a_powers[power]
        else:
            coefficient = None
            for k in range((degree + 1) // 2, min(degree, power) + 1):
                factor = math.comb(power, k) * math.comb(k, degree - k)
                factor = factor * b ** (2 * k - degree) * c ** (degree - k)  # per point
                if coefficient is None:
                    coefficient = weighted_a_powers[power - k] * factor
                else:
                    coefficient += weighted_a_powers[power - k] * factor
        for index in range(power - (degree + 2) // 2 + 1, power + 1):
            weighted_a_powers[index] = None  # no later degree needs these powers
        yield coefficient
        del coefficient


def _inside(
    grid: Grid, rows: np.ndarray, cols: np.ndarray, x: np.ndarray, y: np.ndarray, r: np.ndarray
) -> np.ndarray:
    """The exact support predicate ``dx² + dy² <= r²`` between cell centres and points."""
    dx = (grid.x_min + (cols + 0.5) * grid.cell_size) - x
    dy = (grid.y_max - (rows + 0.5) * grid.cell_size) - y
    return dx**2 + dy**2 <= r**2


def _row_intervals(
    grid: Grid, tile: _Tile, points: _Points, exact_ends: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The columns of the tile's rows inside each point's disc, one row of arrays per point.

    Returns ``(row, dy², first, last, valid)``, arrays of shape (points, rows spanned by the
    largest disc + 1, or the tile's rows if fewer: a disc taller than the window is cut to it):
    a candidate row of each point, its squared distance from the point in
    cells, the first and last column of the disc in it (clipped to the tile, as floats holding
    integers) and whether that interval exists. With ``exact_ends`` the ends are settled with
    the exact predicate ``d² <= r²`` in map units (needed where the kernel does not vanish at
    the radius); otherwise a cell centre within rounding of the circle may fall either side,
    where the kernel is zero to that rounding. Computed in place where possible: this runs on
    every point-row pair.
    """
    point_row, point_col = points.row[:, None], points.col[:, None]
    radius_cells = points.radius_cells[:, None]
    rows_spanned = 2 * math.ceil(float(radius_cells.max())) + 2
    first_row = np.floor(point_row - radius_cells)
    if rows_spanned > tile.rows:  # only the disc's rows in the window, whatever its size
        rows_spanned = tile.rows
        np.maximum(first_row, tile.row0, out=first_row)
    dy_squared = (first_row - point_row) + np.arange(rows_spanned)
    np.square(dy_squared, out=dy_squared)
    row = first_row.astype(np.int64) + np.arange(rows_spanned)
    half = radius_cells**2 - dy_squared  # the squared half width, then the half width
    valid = half >= (-1e-9 * radius_cells**2 if exact_ends else 0.0)
    if first_row.min() < tile.row0 or first_row.max() + rows_spanned > tile.row0 + tile.rows:
        valid &= row >= tile.row0
        valid &= row < tile.row0 + tile.rows
    np.maximum(half, 0.0, out=half)
    np.sqrt(half, out=half)
    start = np.subtract(point_col, half)
    np.ceil(start, out=start)
    stop = np.add(point_col, half, out=half)
    np.floor(stop, out=stop)
    if exact_ends:
        x, y, r = points.x[:, None], points.y[:, None], points.radius[:, None]
        start -= _inside(grid, row, start - 1, x, y, r)
        start += ~_inside(grid, row, start, x, y, r)
        stop += _inside(grid, row, stop + 1, x, y, r)
        stop -= ~_inside(grid, row, stop, x, y, r)
    # Clipped to the tile: ends beyond it on the far side (no interval there) just past it, so
    # that even a disc far larger than the tile has ends that are int64 numbers.
    if (point_col - radius_cells).min() < tile.col0:
        np.maximum(start, tile.col0, out=start)
        np.maximum(stop, tile.col0 - 1, out=stop)
    if (point_col + radius_cells).max() > tile.col0 + tile.cols - 1:
        np.minimum(stop, tile.col0 + tile.cols - 1, out=stop)
        np.minimum(start, tile.col0 + tile.cols, out=start)
    valid &= start <= stop
    return row, dy_squared, start, stop, valid


def _add_row_intervals(
    grid: Grid,
    tile: _Tile,
    points: _Points,
    kernel: Kernel,
    reference_col: int,
    difference: np.ndarray,
    covering: np.ndarray,
) -> None:
    """Add the points' polynomial coefficients at their intervals' ends (difference arrays)."""
    row, dy_squared, start, stop, valid = _row_intervals(
        grid, tile, points, kernel == Kernel.UNIFORM
    )
    # q = 1 - ((t - offset)² + dy²) / r² = a + b t + c t², with t = column - reference_col
    offset = (points.col - reference_col)[:, None]
    c = (-1.0 / points.radius_cells**2)[:, None]
    a = np.multiply(dy_squared, c, out=dy_squared)
    a += 1.0 + offset**2 * c
    b = -2.0 * offset * c
    del dy_squared  # it is ``a`` now
    # The points are sorted by row, so they reach a narrow band of the tile's rows; entries
    # without an interval go to one spare cell past the band.
    width = tile.cols + 1
    last_row = tile.row0 + tile.rows - 1
    band_row0 = min(max(int(row[:, 0].min()), tile.row0), last_row)
    band = min(max(int(row[:, -1].max()), band_row0), last_row) + 1 - band_row0
    band_start = (band_row0 - tile.row0) * width
    band_stop = band_start + band * width
    row -= band_row0
    row *= width
    row -= tile.col0  # now the index of column 0 of the point's row in the band
    first_index = start.astype(np.int64)
    first_index += row
    del start
    after_index = stop.astype(np.int64)
    after_index += row
    after_index += 1
    del row, stop
    invalid = ~valid
    first_index[invalid] = band * width
    after_index[invalid] = band * width
    del valid, invalid
    first, after = (_Ends(index.ravel(), band * width) for index in (first_index, after_index))
    del first_index, after_index
    weight = points.weight[:, None]
    shape = a.shape
    coefficients = _weighted_power_coefficients(weight, a, b, c, POLYNOMIAL_POWER[kernel])
    del a  # held by the coefficients until its powers are computed
    for plane, coefficient in zip(difference, coefficients):
        coefficient = np.broadcast_to(coefficient, shape).ravel()
        first.add_to(plane[band_start:band_stop], coefficient, 1)
        after.add_to(plane[band_start:band_stop], coefficient, -1)
        del coefficient
    first.add_to(covering[band_start:band_stop], None, 1)
    after.add_to(covering[band_start:band_stop], None, -1)


class _Ends:
    """Where a chunk's intervals start (or end), as indices into the ``cells`` cells of the rows
    they reach; ``cells`` itself marks entries without an interval.

    :meth:`add_to` adds, per cell, the sum of the values of the entries there, in their order:
    with ``np.bincount`` over all the cells, or, when the entries are far fewer than the cells
    (a few large discs in a large window), with ``np.bincount`` over the distinct cells they
    reach only, which adds the same sums without a temporary the size of the window.
    """

    def __init__(self, index: np.ndarray, cells: int) -> None:
        self.cells = cells
        self.sparse = 8 * index.size < cells
        if self.sparse:
            self.distinct, self.index = np.unique(index, return_inverse=True)
            self.kept = int(np.searchsorted(self.distinct, cells))  # without the spare cell
        else:
            self.index = index

    def add_to(self, target: np.ndarray, values: np.ndarray | None, sign: int) -> None:
        """``target += sign ·`` the sums of ``values`` (or the counts of entries) per cell."""
        if self.sparse:
            sums = np.bincount(self.index, values)[: self.kept]
            cells = self.distinct[: self.kept]
            if sign > 0:
                target[cells] += sums.astype(target.dtype, copy=False)
            else:
                target[cells] -= sums.astype(target.dtype, copy=False)
            return
        sums = np.bincount(self.index, values, self.cells + 1)[:-1]
        if sign > 0:
            target += sums
        else:
            target -= sums


@dataclass(frozen=True)
class _Square:
    """The candidate cells of a stamping tile's points, and the window's padding for them.

    Each point's square has sides of ``2 h + 1`` cells about its nearest cell (``h`` the pass's
    halo); along a dimension where that is at least the window's size, it is cut to the
    window: every point takes all the window's rows (or columns), and that dimension needs no
    padding. The window is padded by the square's side in the other dimensions, so that every
    cell of every square has a place and none needs a mask.
    """

    half_side: int
    rows: int  # rows of a square: 2 h + 1, or the window's rows when cut
    cols: int
    pad_rows: int  # rows of padding above and below the window
    pad_cols: int

    @staticmethod
    def of(halo: int, window_rows: int, window_cols: int) -> _Square:
        side = 2 * halo + 1
        rows_cut, cols_cut = side >= window_rows, side >= window_cols
        return _Square(
            halo,
            window_rows if rows_cut else side,
            window_cols if cols_cut else side,
            0 if rows_cut else side,
            0 if cols_cut else side,
        )

    def padded_cells(self, window_rows: int, window_cols: int) -> int:
        return (window_rows + 2 * self.pad_rows) * (window_cols + 2 * self.pad_cols)

    @property
    def slab_rows(self) -> int:
        """Rows of the square taken at a time: all, unless it has over CHUNK_ELEMENTS cells."""
        return max(1, min(self.rows, CHUNK_ELEMENTS // self.cols))


def _stamp_tile(
    tile: _Tile,
    all_points: _Points,
    members: np.ndarray,
    evaluation_pass: _Pass,
    kernel: Kernel,
    decay: float,
    counter: _Progress,
) -> np.ndarray:
    """The tile's values by evaluating every cell of a square around each point's nearest cell.

    See :class:`_Square`; a square of more than CHUNK_ELEMENTS cells is taken a slab of rows at
    a time. Cells of a square far outside its point's disc (possible when the square is cut to
    a window much smaller than the disc) may overflow to inf or NaN before they are set to 0.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return _stamp_values(tile, all_points, members, evaluation_pass, kernel, decay, counter)


def _stamp_values(
    tile: _Tile,
    all_points: _Points,
    members: np.ndarray,
    evaluation_pass: _Pass,
    kernel: Kernel,
    decay: float,
    counter: _Progress,
) -> np.ndarray:
    """:func:`_stamp_tile`, without the floating-point warnings' settings."""
    grid = all_points.grid
    square = _Square.of(evaluation_pass.halo, tile.rows, tile.cols)
    if square.pad_rows or square.pad_cols:  # a square smaller than the window somewhere
        offsets = np.arange(-square.half_side, square.half_side + 1)
    width = tile.cols + 2 * square.pad_cols
    values = np.zeros(square.padded_cells(tile.rows, tile.cols), dtype=np.float64)
    slab_rows = square.slab_rows
    seconds_per_cell = costs.seconds({_stencil_term(kernel): 1})
    per_chunk = max(1, CHUNK_ELEMENTS // (slab_rows * square.cols))
    # A cell's index in the padded window is a point's base (its nearest cell's, along the
    # dimensions not cut) plus the offset of the cell in the square, flattened.
    if square.pad_cols:
        col_offsets = offsets
    else:  # every point takes the window's columns
        col_offsets = np.arange(tile.cols)
        cols = tile.col0 + col_offsets[None, :]
    for chunk in _chunks(all_points, members, per_chunk, width, square.rows):
        p = all_points.take(members[chunk])
        base = np.zeros(len(p), dtype=np.int64)
        if square.pad_cols:
            nearest_col = np.rint(p.col).astype(np.int64)
            cols = nearest_col[:, None] + offsets
            base += nearest_col - (tile.col0 - square.pad_cols)
        # Distances in map units between true cell centres and the points (see grid.py).
        dx_squared = ((grid.x_min + (cols + 0.5) * grid.cell_size) - p.x[:, None]) ** 2
        if square.pad_rows:  # (a point of a cut square may be too far for an int64 row)
            nearest_row = np.rint(p.row).astype(np.int64)
            row_base = nearest_row - (tile.row0 - square.pad_rows)
            base += row_base * width
        r_squared = (p.radius**2)[:, None, None]
        for slab in _slices(square.rows, slab_rows):
            if square.pad_rows:
                row_offsets = offsets[slab]
                rows = nearest_row[:, None] + row_offsets
                first_row = int(row_base.min()) + int(row_offsets[0])
                last_row = int(row_base.max()) + int(row_offsets[-1])
            else:  # every point takes the slab's rows of the window
                row_offsets = np.arange(slab.start, slab.stop)
                rows = tile.row0 + row_offsets[None, :]
                first_row, last_row = slab.start, slab.stop - 1
            dy_squared = ((grid.y_max - (rows + 0.5) * grid.cell_size) - p.y[:, None]) ** 2
            d_squared = dy_squared[:, :, None] + dx_squared[:, None, :]
            if kernel == Kernel.GAUSSIAN:
                row_factor = np.exp(-GAUSSIAN_EXPONENT * dy_squared / r_squared[:, 0])
                col_factor = np.exp(-GAUSSIAN_EXPONENT * dx_squared / r_squared[:, 0])
                contribution = (row_factor * p.weight[:, None])[:, :, None] * col_factor[:, None, :]
            else:
                contribution = profile(kernel, d_squared / r_squared, decay)
                contribution *= p.weight[:, None, None]
            contribution[d_squared > r_squared] = 0.0
            del d_squared
            # The points are sorted by row: accumulate over the band of rows they reach only.
            band_start, band_stop = first_row * width, (last_row + 1) * width
            square_flat = (row_offsets[:, None] * width + col_offsets[None, :]).ravel()
            index = (base - band_start)[:, None] + square_flat
            values[band_start:band_stop] += np.bincount(
                index.ravel(), contribution.ravel(), minlength=band_stop - band_start
            )
            counter.add(contribution.size * seconds_per_cell)
            del contribution, index
    padded = square.padded_cells(tile.rows, tile.cols)
    counter.add(
        costs.seconds({"STAMP_WINDOW_CELL": padded, "FRESH_BYTE": _fresh_bytes(padded * 8, 2)})
    )
    unpadded = values.reshape(-1, width)[
        square.pad_rows : square.pad_rows + tile.rows, square.pad_cols : square.pad_cols + tile.cols
    ]
    # a copy frees the padding, unless it is only rows above and below (a contiguous view)
    return unpadded.copy() if square.pad_cols else unpadded


def _stencil_term(kernel: Kernel) -> str:
    """The cost term of a stencil cell: the Gaussian takes its exponentials per row and column,
    the triangular kernel a square root per cell, the polynomial ones a power."""
    if kernel == Kernel.GAUSSIAN:
        return "STENCIL_CELL_GAUSSIAN"
    if kernel == Kernel.TRIANGULAR:
        return "STENCIL_CELL_TRIANGULAR"
    return "STENCIL_CELL"


def _method(kernel: Kernel, radius_cells: float) -> str:
    """The method the automatic choice takes for a radius (see ROW_METHOD_MIN_RADIUS_CELLS)."""
    rows = kernel in POLYNOMIAL_POWER and radius_cells >= ROW_METHOD_MIN_RADIUS_CELLS
    return "rows" if rows else "stamp"


Terms = dict[str, float]
"""How many times each kind of step is done: ``{term: count}`` (see :mod:`.costs`)."""


def _add_terms(terms: Terms, more: Terms) -> Terms:
    for term, count in more.items():
        terms[term] = terms.get(term, 0.0) + count
    return terms


def _pass_terms(
    grid: Grid, method: str, kernel: Kernel, radius_cells: float, points: int, band_rows: int
) -> Terms:
    """The terms of a pass's discs and windows (see :func:`estimated_seconds`)."""
    halo = math.ceil(radius_cells) + 1
    window_rows = min(band_rows + 2 * halo, grid.rows)
    if method == "rows":
        tile_cols = _row_tile_cols(radius_cells)
        planes = 2 * POLYNOMIAL_POWER[kernel] + 1
        window_cols = min(tile_cols + 2 * halo, grid.cols) + 1
        point_rows = points * _rows_per_point(radius_cells, window_rows)
        cells = window_rows * window_cols
        per_tile = {
            "WINDOW_CELL_PLANE": cells * (planes + 1),
            "FRESH_BYTE": _fresh_bytes(cells * 8, planes + 2),  # the planes, count and values
            "TILE": 1,
        }
        terms = {"POINT_ROW": point_rows}
    else:
        tile_cols = max(STAMP_TILE_COLS, 2 * halo)
        window_cols = min(tile_cols + 2 * halo, grid.cols)
        square = _Square.of(halo, window_rows, window_cols)
        terms = {_stencil_term(kernel): points * square.rows * square.cols}
        padded = square.padded_cells(window_rows, window_cols)
        per_tile = {
            "STAMP_WINDOW_CELL": padded,
            "FRESH_BYTE": _fresh_bytes(padded * 8, 2),  # the padded window and the values
            "TILE": 1,
        }
    tiles = _tiles(grid, method, radius_cells, points, band_rows)
    return _add_terms(terms, {term: tiles * count for term, count in per_tile.items()})


def _fresh_bytes(array_bytes: int, arrays: int) -> int:
    """Bytes of ``arrays`` arrays of ``array_bytes`` that the allocator maps afresh each time."""
    return arrays * array_bytes if array_bytes > costs.FRESH_ALLOCATION_BYTES else 0


def _tiles(grid: Grid, method: str, radius_cells: float, points: int, band_rows: int) -> int:
    """Most tiles a pass makes: one per point, and per tile column one per band and per
    further group of points (a band of ``k`` points has ``ceil(k / group)`` groups, and those
    add up to at most the bands plus ``floor(points / group)``)."""
    halo = math.ceil(radius_cells) + 1
    tile_cols = _row_tile_cols(radius_cells) if method == "rows" else max(STAMP_TILE_COLS, 2 * halo)
    bands = -(-grid.rows // band_rows)
    groups = points // group_points(points, bands)
    return min(points, -(-grid.cols // tile_cols) * (bands + groups))


def _serial_terms(grid: Grid, points: int, band_rows: int, sort_passes: int) -> Terms:
    """The terms of the caller's thread: ordering, classifying and tiling points, the bands."""
    return {
        "POINT_SORT": sort_passes * points,
        "POINT_TILING": points,
        "POINT_RADIUS": points,
        "BAND": -(-grid.rows // band_rows),
        "CELL": grid.cells,
    }


def _terms(
    grid: Grid, points: int, radius_cells: float, kernel: Kernel, per_point_radius: bool = False
) -> Terms:
    """The terms of ``points`` points of radius ``radius_cells``, in any order, on ``grid``.

    With ``per_point_radius`` (radii up to ``radius_cells``), the terms of the costlier of the
    passes the points could be in (see :func:`_passes_possible`).
    """
    band_rows, _ = band_layout(grid, math.ceil(radius_cells) + 1 if points else 0)
    passes = [
        _pass_terms(grid, method, kernel, radius, points, band_rows)
        for method, radius in _passes_possible(kernel, radius_cells, per_point_radius)
    ]
    terms = max(passes, key=costs.seconds)
    return _add_terms(terms, _serial_terms(grid, points, band_rows, 2))


def _plan_terms(grid: Grid, plan: _Plan, band_rows: int, points: int) -> Terms:
    """The terms left once the points are planned: ordering, discs, windows and bands."""
    terms = _serial_terms(grid, points, band_rows, 2)
    del terms["POINT_RADIUS"]
    for p in plan.passes.values():
        more = _pass_terms(grid, p.method, plan.kernel, p.largest_radius_cells, p.points, band_rows)
        _add_terms(terms, more)
    return terms


def estimated_seconds(
    grid: Grid,
    n_points: int,
    radius_cells: float,
    kernel: Kernel,
    workers: int,
    per_point_radius: bool,
) -> float:
    """Estimated wall seconds of :func:`evaluate_bands`.

    See ``core.estimated_seconds`` for the model; pure arithmetic on Python numbers.
    """
    terms = _terms(grid, n_points, radius_cells, kernel, per_point_radius)
    return costs.wall_seconds(terms, workers)


def working_memory_bytes(
    grid: Grid,
    n_points: int,
    radius_cells: float,
    workers: int,
    kernels: tuple[Kernel, ...],
    per_point_radius: bool,
    sorted_in_place: bool,
) -> int:
    """Estimated peak bytes of :func:`evaluate_bands` (and of :func:`sort_by_row` before it).

    See ``core.working_memory_bytes`` for what is counted; pure arithmetic on Python ints.
    """
    halo = math.ceil(radius_cells) + 1 if n_points else 0
    band_rows, halo_rows = band_layout(grid, halo)
    key_count = -(-grid.rows // band_rows) + 1
    index_bytes = 4 if n_points < 2**31 else 8
    # Ordering the points: the order, the counts, starts and next free place of each band, and
    # a chunk's temporaries.
    sort_chunk = min(n_points, max(CHUNK_ELEMENTS, key_count)) * SORT_BYTES_PER_CHUNK_ELEMENT
    sorting = 3 * key_count * 8 + sort_chunk
    order = 0 if sorted_in_place else n_points * index_bytes
    if sorted_in_place:  # sort_by_row: its order and one reordered column
        sorting += n_points * (index_bytes + 8)
    # The bands: the band buffer with its halo rows, the bands' starts, a group being tiled and
    # the sorted indices of the groups whose tiles are in flight.
    most_in_flight = min(TILES_IN_FLIGHT_PER_THREAD * workers, n_points)
    bands = (band_rows + 2 * halo_rows) * grid.cols * 8 + key_count * 8
    group = group_points(n_points, key_count - 1)
    bands += min(n_points, group) * GROUP_BYTES_PER_POINT
    bands += min(n_points, most_in_flight * group) * (8 if sorted_in_place else index_bytes)
    # The tiles: those being computed (one per thread, each with at least one point) at their
    # peak, and the other tiles in flight finished, their values waiting to be added.
    computing, finished, most_tiles = 0, 0, 0
    for kernel in kernels:
        tiles_of_kernel = 0
        for method, radius in _passes_possible(kernel, radius_cells, per_point_radius):
            peak, result = _tile_bytes(grid, method, kernel, radius, band_rows, n_points)
            computing, finished = max(computing, peak), max(finished, result)
            tiles_of_kernel += _tiles(grid, method, radius, n_points, band_rows)
        most_tiles = max(most_tiles, tiles_of_kernel)
    most_in_flight = min(most_in_flight, most_tiles)
    threads = min(workers, most_in_flight)
    tiles = threads * computing + (most_in_flight - threads) * finished
    return order + max(sorting, bands + tiles)


def _passes_possible(
    kernel: Kernel, radius_cells: float, per_point_radius: bool
) -> Iterator[tuple[str, float]]:
    """The (method, largest radius) of every pass a run of the kernel could have."""
    method = _method(kernel, radius_cells)
    yield method, radius_cells
    if method == "rows" and per_point_radius:  # radii under the threshold are stamped
        yield "stamp", min(radius_cells, ROW_METHOD_MIN_RADIUS_CELLS)


def _tile_bytes(
    grid: Grid, method: str, kernel: Kernel, radius_cells: float, band_rows: int, points: int
) -> tuple[int, int]:
    """Peak bytes of computing one tile of a pass, and the bytes of its finished values."""
    halo = math.ceil(radius_cells) + 1
    window_rows = min(band_rows + 2 * halo, grid.rows)
    if method == "rows":
        # (2p + 1) coefficient planes, the int32 count, one bincount or the mask (8 + 1 bytes
        # each), then the values (8 bytes); a chunk of point-rows
        window_cols = min(_row_tile_cols(radius_cells) + 2 * halo, grid.cols) + 1
        planes = 2 * POLYNOMIAL_POWER[kernel] + 1
        window = window_rows * window_cols * (8 * planes + 4 + 9)
        rows_per_point = _rows_per_point(radius_cells, window_rows)
        rows_spanned = min(2 * math.ceil(radius_cells) + 2, window_rows)
        chunk = min(points, max(1, CHUNK_ELEMENTS // rows_per_point)) * rows_spanned
        chunk *= (
            UNIFORM_BYTES_PER_CHUNK_ELEMENT
            if kernel == Kernel.UNIFORM
            else ROW_BYTES_PER_CHUNK_ELEMENT + planes * ROW_BYTES_PER_CHUNK_ELEMENT_PLANE
        )
        result = window_rows * (window_cols - 1) * 8
    else:
        # the padded window; then a chunk of squares' cells and its accumulation (the rows its
        # points reach: see _chunks), or the values cut out of the window
        window_cols = min(max(STAMP_TILE_COLS, 2 * halo) + 2 * halo, grid.cols)
        square = _Square.of(halo, window_rows, window_cols)
        padded = square.padded_cells(window_rows, window_cols)
        width = window_cols + 2 * square.pad_cols
        reached = min(padded, (CHUNK_ELEMENTS // width + 1 + square.rows) * width)
        slab = square.slab_rows * square.cols
        chunk = min(points, max(1, CHUNK_ELEMENTS // slab)) * slab
        chunk = chunk * STAMP_BYTES_PER_CHUNK_ELEMENT + reached * 8
        window = padded * 8 + max(0, window_rows * window_cols * 8 - chunk)
        # the values, or, when only rows are padded, the padded window they are a view of
        result_cells = window_rows * window_cols
        if not square.pad_cols:
            result_cells = square.padded_cells(window_rows, window_cols)
        result = result_cells * 8
    return window + chunk, result
