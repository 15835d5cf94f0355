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
the point is never copied and its whole disc is evaluated at once. Tiles are computed by a
thread pool a few at a time ahead (NumPy releases the GIL in its array loops, though not in
``np.bincount``) and added to the band in a fixed order, so the result does not depend on the
number of threads. Distances are taken between true cell centres (see :mod:`.grid`) and the
points, in map units.
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

from .grid import Grid
from .kernels import GAUSSIAN_EXPONENT, POLYNOMIAL_POWER, Kernel, profile

#: Below this radius (in cells) stamping does less work than row intervals.
ROW_METHOD_MIN_RADIUS_CELLS = 6.0
#: Rows of output finished at a time (at least two radii): only one band and its halos are held.
#: 128 rather than 256 holds 25 % less on case (a) of the benchmarks, at about the same speed.
BAND_ROWS = 128
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
#: Tiles computed ahead of the one being added up, per thread.
TILES_IN_FLIGHT_PER_THREAD = 2
#: Seconds between two progress reports.
PROGRESS_INTERVAL = 0.2
#: Bytes of NumPy temporaries per chunk element (measured upper bound, both methods).
BYTES_PER_CHUNK_ELEMENT = 160

ProgressCallback = Callable[[float], bool]


class Cancelled(Exception):  # noqa: N818 (it is not an error: the user asked for it)
    """Raised when the progress callback asked to stop."""


@dataclass(frozen=True)
class _Points:
    """Points in map units, seen in the grid's continuous cell coordinates.

    ``col``/``row`` are continuous: the centre of cell (i, j) is at col = j, row = i. They are
    computed when asked (for a chunk of points, that is cheap), so only four arrays are kept.
    """

    grid: Grid
    x: np.ndarray
    y: np.ndarray
    radius: np.ndarray
    weight: np.ndarray

    @property
    def col(self) -> np.ndarray:
        return self.col_of(slice(None))

    def col_of(self, index: np.ndarray | slice) -> np.ndarray:
        """``col`` of the points at ``index`` only, without gathering their other arrays."""
        return (self.x[index] - self.grid.x_min) / self.grid.cell_size - 0.5

    @property
    def row(self) -> np.ndarray:
        return (self.grid.y_max - self.y) / self.grid.cell_size - 0.5

    @property
    def radius_cells(self) -> np.ndarray:
        if self.radius.strides == (0,) and len(self.radius):  # one radius for all: keep it so
            return np.broadcast_to(self.radius[0] / self.grid.cell_size, len(self.radius))
        return self.radius / self.grid.cell_size

    def take(self, index: np.ndarray | slice) -> _Points:
        x = self.x[index]
        return _Points(
            self.grid,
            x,
            self.y[index],
            _take(self.radius, index, len(x)),
            _take(self.weight, index, len(x)),
        )

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


@dataclass(frozen=True)
class _Plan:
    """How the points are split into passes, and the work they cost (for progress)."""

    passes: dict[int, _Pass]  # by pass code
    pass_code: np.ndarray | None  # per point (int8), None when there is one pass
    total_work: float  # chunk elements over all points: rows of discs, cells of stencils


class _Progress:
    """Work done by the worker threads, reported from the caller's thread.

    Workers :meth:`add` their work and raise :class:`Cancelled` once ``cancelled`` is set; the
    caller's thread waits for tiles with :meth:`result`, which calls the progress callback at
    least every ``PROGRESS_INTERVAL`` seconds.
    """

    def __init__(self, total: float, callback: ProgressCallback | None) -> None:
        self.total = max(total, 1.0)
        self.done = 0.0
        self._lock = threading.Lock()
        self.cancelled = threading.Event()
        self._callback = callback
        self._reported_at = time.monotonic()

    def add(self, work: float) -> None:
        if self.cancelled.is_set():
            raise Cancelled()
        with self._lock:
            self.done += work

    def report(self, fraction: float) -> None:
        """Call the progress callback; raise :class:`Cancelled` if it returns False."""
        self._reported_at = time.monotonic()
        if self._callback is not None and not self._callback(fraction):
            raise Cancelled()

    def result(self, future: Future) -> np.ndarray:
        """The tile's values once computed (its error if it failed), reporting progress."""
        while True:
            if time.monotonic() - self._reported_at >= PROGRESS_INTERVAL:
                self.report(min(self.done / self.total, 1.0))
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
) -> np.ndarray:
    """``Σ weight_k · profile(d_k / radius_k)`` over points with ``d_k <= radius_k``, per cell.

    The whole grid at once: :func:`evaluate_bands` assembled into ``out`` (a new float64 array
    if None; float32 halves the memory, the values being rounded once from float64). Returns
    ``out``, row 0 at the top. See :func:`evaluate_bands` for the other arguments.
    """
    if out is None:
        out = np.empty(grid.shape, dtype=np.float64)
    bands = evaluate_bands(grid, x, y, radius, weight, kernel, decay, progress, workers, method)
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
) -> Iterator[tuple[int, np.ndarray]]:
    """``Σ weight_k · profile(d_k / radius_k)`` over points with ``d_k <= radius_k``, per cell,
    produced as bands of finished rows, from the top of the grid to the bottom.

    Only one band of the output and its halos is held at a time (about ``BAND_ROWS`` rows plus
    two radii), so a caller writing each band as it comes never holds the whole raster.

    Args:
        grid: where to evaluate (cell centres, see :mod:`.grid`).
        x, y: point coordinates (map units), float64 arrays of one length.
        radius: per-point radius (map units, > 0), same length.
        weight: per-point multiplier (weight times the output factor), same length.
        kernel, decay: the kernel shape (see :mod:`.kernels`).
        progress: called with the fraction done at least every ~0.2 s while points are being
            evaluated; return False to cancel.
        workers: threads; None for one per CPU.
        method: "rows" or "stamp" to force one (for benchmarks and tests; "rows" needs a
            polynomial kernel); None chooses per point.

    Yields:
        ``(first_row, values)``: float64 rows ``first_row ..`` of the grid, every row exactly
        once, in order; exactly 0 where no point reaches. ``values`` is reused for the next
        band: copy or write it before asking for the next.

    Raises:
        Cancelled: when ``progress`` returned False.
    """
    points = _Points(grid, x, y, radius, weight)
    plan = _plan(points, kernel, method)
    halo = max((p.halo for p in plan.passes.values()), default=0)
    band_rows = max(BAND_ROWS, 2 * halo)
    order, band_starts = _band_order(grid, points, band_rows)
    non_negative = bool(np.all(weight >= 0)) and not (kernel == Kernel.TRIANGULAR and decay < 0)
    counter = _Progress(plan.total_work, progress)
    workers = workers or os.cpu_count() or 1
    most_in_flight = TILES_IN_FLIGHT_PER_THREAD * workers
    band_row0s = range(0, grid.rows, band_rows)
    tiles = (
        (band, tile_and_points)
        for band, band_row0 in enumerate(band_row0s)
        for tile_and_points in _band_tiles(
            grid,
            points,
            plan,
            _band_points(order, band_starts, band),
            band_row0,
            band_rows,
        )
    )
    # Rows band_row0 - halo .. band_row0 + band_rows + halo - 1 of the grid, in float64.
    buffer = np.zeros((band_rows + 2 * halo, grid.cols))
    band = 0  # the band being added up
    # Tiles are computed ahead (into the next bands too), a few per thread so that a slow tile
    # does not stall the others, and added up in a fixed order, so that the sums do not depend
    # on the threads.
    in_flight: deque[tuple[int, _Tile, Future]] = deque()
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
                            buffer, band_row0s[band], band_rows, halo, grid.rows, non_negative
                        )
                        band += 1
                    values = counter.result(future)
                    in_flight.popleft()
                    first = tile.row0 - (band_row0s[band] - halo)
                    buffer[first : first + tile.rows, tile.col0 : tile.col0 + tile.cols] += values
        finally:  # cancelled, failed, or the caller stopped early: drop the tiles not started
            counter.cancelled.set()
            for _, _, future in in_flight:
                future.cancel()
    del points, x, y, radius, weight, order, plan  # all computed: free what the caller let go
    while band < len(band_row0s):
        yield from _finish_band(buffer, band_row0s[band], band_rows, halo, grid.rows, non_negative)
        band += 1
    counter.report(1.0)
    last_row0 = len(band_row0s) * band_rows - halo
    yield from _finished_rows(buffer, last_row0, 2 * halo, grid.rows, non_negative)


def _band_points(order: np.ndarray | None, band_starts: np.ndarray, band: int) -> np.ndarray:
    """Indices of the points of a band (see :func:`_band_order`)."""
    if order is None:
        return np.arange(band_starts[band], band_starts[band + 1])
    return order[band_starts[band] : band_starts[band + 1]]


def _finish_band(
    buffer: np.ndarray,
    band_row0: int,
    band_rows: int,
    halo: int,
    grid_rows: int,
    non_negative: bool,
) -> Iterator[tuple[int, np.ndarray]]:
    """Yield the band's finished rows, then move the buffer on to the next band.

    The buffer holds grid rows ``band_row0 - halo ..``; the first ``band_rows`` of them are
    final once the band's tiles are added (the next band's windows start below them).
    """
    yield from _finished_rows(buffer, band_row0 - halo, band_rows, grid_rows, non_negative)
    buffer[: 2 * halo] = buffer[band_rows:]
    buffer[2 * halo :] = 0.0


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


def _plan(points: _Points, kernel: Kernel, method: str | None) -> _Plan:
    """Split the points by method and radius class, and size each pass's tiles.

    A point's pass code is ``2 · (floor(log2(radius in cells)) + 2) + (1 if rows)``; with one
    radius for all points there is one pass and no per-point code.
    """
    if method == "rows" and kernel not in POLYNOMIAL_POWER:
        raise ValueError(f"Row intervals need a polynomial kernel, not {kernel.name}.")
    shared_radius = points.radius.strides == (0,)
    radius_cells = points.radius_cells
    pass_code = None if shared_radius else np.empty(len(points), dtype=np.int8)
    # With one radius for all points, the first point stands for all of them.
    represented = len(points) if shared_radius else 1
    largest: dict[int, float] = {}
    row_work: dict[int, float] = {}
    counts: dict[int, int] = {}
    for chunk in _slices(1 if shared_radius else len(points), CHUNK_ELEMENTS):
        chunk_radius = radius_cells[chunk]
        if method is None:
            use_rows = (kernel in POLYNOMIAL_POWER) & (chunk_radius >= ROW_METHOD_MIN_RADIUS_CELLS)
        else:
            use_rows = np.full(len(chunk_radius), method == "rows")
        size_class = np.floor(np.log2(np.maximum(chunk_radius, 0.5))).astype(np.int64)
        codes = 2 * (size_class + 2) + use_rows
        if pass_code is not None:
            pass_code[chunk] = codes
        for code in np.unique(codes):
            members = chunk_radius[codes == code]
            code = int(code)
            largest[code] = max(largest.get(code, 0.0), float(members.max()))
            rows = represented * float((2 * np.ceil(members) + 1).sum())
            row_work[code] = row_work.get(code, 0.0) + rows
            counts[code] = counts.get(code, 0) + represented * len(members)
    passes = {}
    total_work = 0.0
    for code, largest_radius in largest.items():
        halo = math.ceil(largest_radius) + 1
        if code % 2:  # rows: narrow tiles, so the polynomial expansion keeps its digits
            tile_cols = _row_tile_cols(largest_radius)
            passes[code] = _Pass("rows", tile_cols, halo)
            total_work += row_work[code]
        else:
            passes[code] = _Pass("stamp", max(STAMP_TILE_COLS, 2 * halo), halo)
            total_work += counts[code] * float((2 * halo + 1) ** 2)
    return _Plan(passes, pass_code, total_work)


def _row_tile_cols(radius_cells: float) -> int:
    """Width of the row-interval tiles for radii up to ``radius_cells`` (see ROW_TILE_RADII)."""
    halo = math.ceil(radius_cells) + 1
    return max(2 * halo, min(math.ceil(ROW_TILE_RADII * radius_cells), ROW_TILE_MAX_COLS))


def _slices(length: int, size: int) -> Iterator[slice]:
    """``slice(0, size), slice(size, 2 size), ...`` covering ``range(length)``."""
    for start in range(0, length, size):
        yield slice(start, min(start + size, length))


def sort_by_row(
    grid: Grid, x: np.ndarray, y: np.ndarray, radius: np.ndarray, weight: np.ndarray
) -> None:
    """Reorder the points in place into the order :func:`evaluate_bands` takes them.

    Points that do not count first, then by nearest row and in their original order within a
    row. Arrays shared by all points (0-stride views) are left alone. Peak memory: the order
    (4 bytes per point) and one reordered copy of a column at a time (8 bytes per point).
    """
    order, _ = _row_order(grid, _Points(grid, x, y, radius, weight), with_left_out=True)
    if order is None:
        return
    reordered = np.empty_like(x)
    for column in (x, y, radius, weight):
        if column.strides != (0,):
            for part in _slices(len(order), CHUNK_ELEMENTS):  # a chunk of int64 indices at most
                reordered[part] = column[order[part]]
            column[:] = reordered


def _band_order(
    grid: Grid, points: _Points, band_rows: int
) -> tuple[np.ndarray | None, np.ndarray]:
    """The points that count, top to bottom, and where each band of rows starts among them.

    A point counts when its weight is not 0 and its disc reaches the grid. It belongs to the band
    holding its nearest row (clamped into the grid), and the band's windows reach a halo beyond
    it, so the point's whole disc is evaluated in one band. Returns ``(order, starts)``: the
    indices of the points of band ``k`` are ``order[starts[k] : starts[k + 1]]``, by row and
    then in their original order; or, when the points are in that order already (see
    :func:`sort_by_row`), ``order`` is None and they are ``starts[k] .. starts[k + 1] - 1``.
    """
    order, per_row = _row_order(grid, points, with_left_out=False)
    per_band = np.add.reduceat(per_row[1:], np.arange(0, grid.rows, band_rows))
    first = per_row[0] if order is None else 0  # the points that do not count come first
    return order, np.r_[0, np.cumsum(per_band)] + first


def _row_order(
    grid: Grid, points: _Points, with_left_out: bool
) -> tuple[np.ndarray | None, np.ndarray]:
    """The points by nearest row (a stable counting sort), and how many each row has.

    Returns ``(order, counts)``: ``counts[0]`` points do not count (see :func:`_nearest_rows`)
    and ``counts[1 + i]`` have row i nearest. ``order`` lists the points that count, by row, or
    all of them, those that do not count first, ``with_left_out``; it is None when they are in
    that order already. Two passes over chunks of points: the only array as long as the points
    is ``order`` (int32 when there are fewer than 2^31 points).
    """
    counts = np.zeros(grid.rows + 1, dtype=np.int64)
    in_order = True
    previous_row = -1
    for chunk in _slices(len(points), CHUNK_ELEMENTS):
        rows = _nearest_rows(grid, points.take(chunk))
        in_order = in_order and previous_row <= rows[0] and bool(np.all(rows[1:] >= rows[:-1]))
        previous_row = int(rows[-1])
        counts += np.bincount(rows + 1, minlength=grid.rows + 1)
    if in_order:
        return None, counts
    skipped = 0 if with_left_out else int(counts[0])
    order = np.empty(len(points) - skipped, dtype=np.int32 if len(points) < 2**31 else np.int64)
    next_free = np.r_[0, np.cumsum(counts)[:-1]] - skipped  # where each row's points go
    for chunk in _slices(len(points), CHUNK_ELEMENTS):
        rows = _nearest_rows(grid, points.take(chunk)) + 1  # 0 for the points that do not count
        by_row = np.argsort(rows, kind="stable")
        rows = rows[by_row]
        if not with_left_out:
            kept = np.searchsorted(rows, 1)
            by_row, rows = by_row[kept:], rows[kept:]
        run_starts = np.searchsorted(rows, rows)  # first entry of each entry's row
        order[next_free[rows] + (np.arange(len(rows)) - run_starts)] = by_row + chunk.start
        next_free += np.bincount(rows, minlength=grid.rows + 1)
    return order, counts


def _nearest_rows(grid: Grid, points: _Points) -> np.ndarray:
    """Each point's nearest row, clamped into the grid, or -1 if the point does not count."""
    row, col, radius_cells = points.row, points.col, points.radius_cells
    counts = points.weight != 0
    counts &= np.abs(row - (grid.rows - 1) / 2) <= radius_cells + (grid.rows + 1) / 2
    counts &= np.abs(col - (grid.cols - 1) / 2) <= radius_cells + (grid.cols + 1) / 2
    nearest = np.clip(np.rint(row), 0, grid.rows - 1).astype(np.int64)
    nearest[~counts] = -1
    return nearest


def _band_tiles(
    grid: Grid,
    points: _Points,
    plan: _Plan,
    indices: np.ndarray,
    band_row0: int,
    band_rows: int,
) -> list[tuple[_Tile, np.ndarray, _Pass]]:
    """The band's tiles, each with the indices of its points and its pass.

    Per pass, each point belongs to the tile holding its nearest column (clamped into the grid),
    whose window, grown by the pass's halo, holds the point's whole disc.
    """
    if not len(indices):
        return []
    if plan.pass_code is None:
        members_by_pass = [(evaluation_pass, indices) for evaluation_pass in plan.passes.values()]
    else:
        codes = plan.pass_code[indices]
        members_by_pass = [(p, indices[codes == code]) for code, p in plan.passes.items()]
    tiles = []
    for evaluation_pass, members in members_by_pass:
        if not len(members):
            continue
        tile_cols, halo = evaluation_pass.tile_cols, evaluation_pass.halo
        col = points.col_of(members)
        nearest_col = np.clip(np.rint(col, out=col), 0, grid.cols - 1, out=col)
        tile_col = (nearest_col // tile_cols).astype(np.int64)
        by_tile = np.argsort(tile_col, kind="stable")  # stable: top to bottom within a tile
        members, tile_col = members[by_tile], tile_col[by_tile]
        row0 = max(band_row0 - halo, 0)
        row_stop = min(band_row0 + band_rows + halo, grid.rows)
        boundaries = np.flatnonzero(np.diff(tile_col)) + 1
        for start, stop in zip(np.r_[0, boundaries], np.r_[boundaries, len(tile_col)]):
            column = int(tile_col[start])
            col0 = max(column * tile_cols - halo, 0)
            col_stop = min((column + 1) * tile_cols + halo, grid.cols)
            window = _Tile(row0, col0, row_stop - row0, col_stop - col0)
            tiles.append((window, members[start:stop], evaluation_pass))
    return tiles


def _tile_values(
    tile: _Tile,
    all_points: _Points,
    point_indices: np.ndarray,
    evaluation_pass: _Pass,
    kernel: Kernel,
    decay: float,
    counter: _Progress,
) -> np.ndarray:
    """The values the tile's points give its window (float64, ``tile.rows x tile.cols``)."""
    if counter.cancelled.is_set():
        raise Cancelled()
    points = all_points.take(point_indices)
    if evaluation_pass.method == "rows":
        return _row_interval_tile(points.grid, tile, points, kernel, counter)
    return _stamp_tile(points.grid, tile, points, kernel, decay, counter)


def _chunks(work_per_point: np.ndarray) -> Iterator[slice]:
    """Consecutive slices of points whose total work is about CHUNK_ELEMENTS."""
    cumulative = np.cumsum(work_per_point)
    start = 0
    while start < len(work_per_point):
        done_before = cumulative[start - 1] if start else 0.0
        stop = int(np.searchsorted(cumulative, done_before + CHUNK_ELEMENTS, side="right"))
        stop = max(stop, start + 1)
        yield slice(start, stop)
        start = stop


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
    largest disc + 1): a candidate row of each point, its squared distance from the point in
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
    if (point_col - radius_cells).min() < tile.col0:
        np.maximum(start, tile.col0, out=start)
    if (point_col + radius_cells).max() > tile.col0 + tile.cols - 1:
        np.minimum(stop, tile.col0 + tile.cols - 1, out=stop)
    valid &= start <= stop
    return row, dy_squared, start, stop, valid


def _row_interval_tile(
    grid: Grid, tile: _Tile, points: _Points, kernel: Kernel, counter: _Progress
) -> np.ndarray:
    """The tile's values by row intervals (see the module docstring)."""
    power = POLYNOMIAL_POWER[kernel]
    width = tile.cols + 1  # a spare column receives the ends of intervals reaching the edge
    difference = np.zeros((2 * power + 1, tile.rows * width))  # coefficients of t**0 .. t**2p
    covering = np.zeros(tile.rows * width, dtype=np.int32)  # intervals starting minus ending
    reference_col = tile.col0 + tile.cols // 2
    work = 2 * np.ceil(points.radius_cells) + 1
    for chunk in _chunks(work):
        _add_row_intervals(
            grid, tile, points.take(chunk), kernel, reference_col, difference, covering
        )
        counter.add(float(work[chunk].sum()))
    cumulative = difference.reshape(-1, tile.rows, width)
    np.cumsum(cumulative, axis=2, out=cumulative)
    t = np.arange(width, dtype=np.float64) + (tile.col0 - reference_col)
    values = cumulative[-1]
    for degree in range(2 * power - 1, -1, -1):
        values *= t
        values += cumulative[degree]
    covering = covering.reshape(tile.rows, width)
    values[np.cumsum(covering, axis=1, out=covering) == 0] = 0.0
    return values[:, : tile.cols].copy()  # a copy: the other planes are freed now


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
    first_index, after_index = first_index.ravel(), after_index.ravel()
    cells = band * width + 1
    weight = points.weight[:, None]
    shape = a.shape
    coefficients = _weighted_power_coefficients(weight, a, b, c, POLYNOMIAL_POWER[kernel])
    del a  # held by the coefficients until its powers are computed
    for plane, coefficient in zip(difference, coefficients):
        coefficient = np.broadcast_to(coefficient, shape).ravel()
        plane[band_start:band_stop] += np.bincount(first_index, coefficient, cells)[:-1]
        plane[band_start:band_stop] -= np.bincount(after_index, coefficient, cells)[:-1]
        del coefficient
    covering[band_start:band_stop] += np.bincount(first_index, minlength=cells)[:-1]
    covering[band_start:band_stop] -= np.bincount(after_index, minlength=cells)[:-1]


def _stencil_half_side(points: _Points) -> int:
    """Half side (cells) of a square of cells around a point's nearest cell covering its disc."""
    return int(math.ceil(float(points.radius_cells.max()))) + 1


def _stamp_tile(
    grid: Grid, tile: _Tile, points: _Points, kernel: Kernel, decay: float, counter: _Progress
) -> np.ndarray:
    """The tile's values by evaluating every cell of a square around each point's nearest cell.

    Values are gathered in the window padded by the square's side, so that every cell of every
    square has a place (points beyond the raster's edge included) and none needs a mask.
    """
    half_side = _stencil_half_side(points)
    offsets = np.arange(-half_side, half_side + 1)
    pad = 2 * half_side + 1
    width = tile.cols + 2 * pad
    square_flat = (offsets[:, None] * width + offsets[None, :]).ravel()
    values = np.zeros((tile.rows + 2 * pad) * width, dtype=np.float64)
    for chunk in _chunks(np.full(len(points), float(square_flat.size))):
        p = points.take(chunk)
        nearest_row = np.rint(p.row).astype(np.int64)
        nearest_col = np.rint(p.col).astype(np.int64)
        rows = nearest_row[:, None] + offsets
        cols = nearest_col[:, None] + offsets
        # Distances in map units between true cell centres and the points (see grid.py).
        dy_squared = ((grid.y_max - (rows + 0.5) * grid.cell_size) - p.y[:, None]) ** 2
        dx_squared = ((grid.x_min + (cols + 0.5) * grid.cell_size) - p.x[:, None]) ** 2
        r_squared = (p.radius**2)[:, None, None]
        d_squared = dy_squared[:, :, None] + dx_squared[:, None, :]
        if kernel == Kernel.GAUSSIAN:
            row_factor = np.exp(-GAUSSIAN_EXPONENT * dy_squared / r_squared[:, 0])
            col_factor = np.exp(-GAUSSIAN_EXPONENT * dx_squared / r_squared[:, 0])
            contribution = (row_factor * p.weight[:, None])[:, :, None] * col_factor[:, None, :]
        else:
            contribution = profile(kernel, d_squared / r_squared, decay)
            contribution *= p.weight[:, None, None]
        contribution[d_squared > r_squared] = 0.0
        # The points are sorted by row: accumulate over the band of rows they reach only.
        band_start = (int(nearest_row.min()) - half_side - tile.row0 + pad) * width
        band_stop = (int(nearest_row.max()) + half_side + 1 - tile.row0 + pad) * width
        base = (nearest_row - tile.row0 + pad) * width + (nearest_col - tile.col0 + pad)
        index = (base - band_start)[:, None] + square_flat
        values[band_start:band_stop] += np.bincount(
            index.ravel(), contribution.ravel(), minlength=band_stop - band_start
        )
        counter.add(float(square_flat.size * len(p)))
    return values.reshape(tile.rows + 2 * pad, width)[pad:-pad, pad:-pad].copy()  # unpadded


def working_memory_bytes(grid: Grid, n_points: int, radius_cells: float, workers: int) -> int:
    """Estimated peak bytes of :func:`evaluate_bands`: band, per-thread windows and chunks, points.

    Pure arithmetic on Python ints, so a request for 1e12 cells is sized in microseconds.
    """
    halo = math.ceil(radius_cells) + 1
    band_rows = max(BAND_ROWS, 2 * halo)
    band = (band_rows + 2 * halo) * grid.cols * 8
    window_rows = min(band_rows + 2 * halo, grid.rows)
    row_window_cols = min(_row_tile_cols(radius_cells) + 2 * halo, grid.cols) + 1
    row_window = window_rows * row_window_cols
    pad = 2 * halo + 1
    stamp_window = (window_rows + 2 * pad) * (min(STAMP_TILE_COLS, grid.cols) + 2 * halo + 2 * pad)
    # While a tile is computed: its difference planes (up to 7, for the triweight), the count
    # plane, the mask and the result (11 values per cell), or its padded stamping window; and
    # each thread's finished tiles waiting to be added (one value per cell each).
    per_thread = (
        max(row_window * 11, stamp_window) * 8
        + CHUNK_ELEMENTS * BYTES_PER_CHUNK_ELEMENT
        + TILES_IN_FLIGHT_PER_THREAD * max(row_window, stamp_window) * 8
    )
    # points: x, y, weight and radius, a copy of the weights times the output factor, the order
    # (int32) and a pass code per point (int8): 48 bytes covers them
    points = n_points * 48
    return band + workers * per_thread + points
