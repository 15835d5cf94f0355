"""Exact evaluation of a kernel density at the cell centres of a grid.

Two methods share one tiled, threaded driver (:func:`evaluate`):

Row intervals (quartic, triweight, Epanechnikov, uniform; radius >= 6 cells)
    In one raster row at vertical offset ``dy`` from a point, the cells inside the disc form
    the column interval ``|x - px| <= sqrt(r² - dy²)``, and along the row the kernel is a
    polynomial in the column: with ``q = 1 - d²/r² = A + B t + C t²`` (``t`` the column relative
    to a reference column), the profile ``q**p`` has ``2p + 1`` coefficients. Each point adds its
    coefficients at the interval's first column and subtracts them after its last, in per-row
    difference arrays; one cumulative sum along the rows and a Horner evaluation give every
    cell. Work: O(points x rows in the disc + cells), instead of O(points x cells in the disc).
    The reference column is the centre of a tile about four radii wide, so ``|t|`` and the point
    offsets stay within a few radii and the expansion loses at most a few digits.

Stamping (triangular, Gaussian, and any kernel with a radius under 6 cells)
    Each point's square of candidate cells is evaluated directly with the exact predicate
    ``d² <= r²`` and accumulated with ``np.bincount``. The Gaussian is evaluated in separable
    form, ``exp(-4.5 dy²/r²) · exp(-4.5 dx²/r²)``, one exponential per row and column.

Both work on tiles of the output. Each point belongs to the tile holding its nearest cell, and
a tile works on a window grown by a halo of one radius, so the point is never copied; memory is
bounded by the output, a few window-sized arrays per thread, and the points. Tiles whose windows
do not overlap are computed by a thread pool (NumPy releases the GIL in its array loops, though
not in ``np.bincount``). Distances are taken between true cell centres (see :mod:`.grid`) and
the points, in map units.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from .grid import Grid
from .kernels import GAUSSIAN_EXPONENT, POLYNOMIAL_POWER, Kernel, profile

#: Below this radius (in cells) stamping does less work than row intervals.
ROW_METHOD_MIN_RADIUS_CELLS = 6.0
#: Cells in one row-interval tile; its difference arrays hold (2p + 2) values per cell.
ROW_TILE_CELLS = 1 << 16
#: Side of a stamping tile, in cells.
STAMP_TILE_SIDE = 256
#: Point-row pairs (row method) or stencil cells (stamping) handled in one vectorised chunk:
#: small enough for the temporaries to stay in the CPU cache (large ones cost page faults), large
#: enough that threads seldom wait for the GIL (2^16 was 22 % faster than 2^15 on 2 threads).
CHUNK_ELEMENTS = 1 << 16
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
        return (self.x - self.grid.x_min) / self.grid.cell_size - 0.5

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
    """Points evaluated by one method on one tile layout (own cells per tile, and halo)."""

    points: _Points
    method: str  # "rows" or "stamp"
    tile_rows: int
    tile_cols: int
    halo: int

    def work_per_point(self) -> np.ndarray:
        """Chunk elements each point costs: rows of its disc, or cells of its stencil."""
        if self.method == "rows":
            return 2 * np.ceil(self.points.radius_cells) + 1
        side = 2 * _stencil_half_side(self.points) + 1
        return np.full(len(self.points), side * side, dtype=np.float64)


class _Progress:
    """Work counter shared by the worker threads; raises :class:`Cancelled` once cancelled."""

    def __init__(self, total: float) -> None:
        self.total = max(total, 1.0)
        self.done = 0.0
        self._lock = threading.Lock()
        self.cancelled = threading.Event()

    def add(self, work: float) -> None:
        if self.cancelled.is_set():
            raise Cancelled()
        with self._lock:
            self.done += work

    def fraction(self) -> float:
        return min(self.done / self.total, 1.0)


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

    Args:
        grid: where to evaluate (cell centres, see :mod:`.grid`).
        x, y: point coordinates (map units), float64 arrays of one length.
        radius: per-point radius (map units, > 0), same length.
        weight: per-point multiplier (weight times the output factor), same length.
        kernel, decay: the kernel shape (see :mod:`.kernels`).
        progress: called with the fraction done at least every ~0.2 s; return False to cancel.
        workers: threads; None for one per CPU.
        method: "rows" or "stamp" to force one (for benchmarks and tests; "rows" needs a
            polynomial kernel); None chooses per point.
        out: array of ``grid.shape`` to fill (float64, or float32 to halve the memory: tiles
            are computed in float64 and rounded once more where their halos overlap).

    Returns:
        ``out`` (a new float64 array if None), row 0 at the top; exactly 0 where no point
        reaches.

    Raises:
        Cancelled: when ``progress`` returned False.
    """
    if out is None:
        out = np.zeros(grid.shape, dtype=np.float64)
    else:
        out[...] = 0.0
    points = _Points(grid, x, y, radius, weight)
    if not np.all(weight != 0):
        points = points.take(np.flatnonzero(weight != 0))
    passes = list(_passes(grid, points, kernel, method))
    total = sum(float(p.work_per_point().sum()) for p in passes)
    counter = _Progress(total)
    workers = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for evaluation_pass in passes:
            for group in _tile_groups(grid, evaluation_pass):
                futures = [
                    pool.submit(
                        _evaluate_tile,
                        out,
                        grid,
                        tile,
                        point_indices,
                        evaluation_pass,
                        kernel,
                        decay,
                        counter,
                    )
                    for tile, point_indices in group
                ]
                _wait_reporting(futures, counter, progress)
    if progress is not None and not progress(1.0):
        raise Cancelled()
    if np.all(points.weight >= 0) and not (kernel == Kernel.TRIANGULAR and decay < 0):
        # The kernel is non-negative: remove the -1e-17 left where an expansion cancels.
        np.maximum(out, 0.0, out=out)
    return out


def _wait_reporting(
    futures: list[Future], counter: _Progress, progress: ProgressCallback | None
) -> None:
    """Wait for the tiles, reporting progress; cancel them all if asked to or if one fails."""
    pending = set(futures)
    while pending:
        finished, pending = wait(pending, timeout=PROGRESS_INTERVAL, return_when=FIRST_EXCEPTION)
        failed = any(f.exception() is not None for f in finished)
        if failed or (progress is not None and not progress(counter.fraction())):
            counter.cancelled.set()
            for future in pending:
                future.cancel()
            wait(pending)
            for future in finished:
                future.result()  # re-raises the worker's exception
            raise Cancelled()


def _passes(grid: Grid, points: _Points, kernel: Kernel, method: str | None) -> Iterator[_Pass]:
    """Split the points by method and by radius class (radii within a factor of 2)."""
    if method == "rows" and kernel not in POLYNOMIAL_POWER:
        raise ValueError(f"Row intervals need a polynomial kernel, not {kernel.name}.")
    if method is None:
        use_rows = (kernel in POLYNOMIAL_POWER) & (
            points.radius_cells >= ROW_METHOD_MIN_RADIUS_CELLS
        )
    else:
        use_rows = np.full(len(points), method == "rows")
    radius_class = np.floor(np.log2(np.maximum(points.radius_cells, 0.5))).astype(np.int64)
    for method, in_method in (("rows", use_rows), ("stamp", ~use_rows)):
        for size_class in np.unique(radius_class[in_method]):
            selected = in_method & (radius_class == size_class)
            members = points if selected.all() else points.take(np.flatnonzero(selected))
            largest = float(members.radius_cells.max())
            halo = math.ceil(largest) + 1
            if method == "rows":
                # About four radii wide: the polynomial expansion keeps its digits.
                tile_cols = max(2 * halo, math.ceil(4 * largest))
                tile_rows = max(2 * halo, ROW_TILE_CELLS // (tile_cols + 2 * halo))
            else:
                tile_cols = tile_rows = max(STAMP_TILE_SIDE, 2 * halo)
            yield _Pass(members, method, tile_rows, tile_cols, halo)


def _tile_groups(grid: Grid, evaluation_pass: _Pass) -> list[list[tuple[_Tile, np.ndarray]]]:
    """The pass's tiles with the indices of their points, in groups whose windows don't overlap.

    Each point belongs to the one tile that holds its nearest cell (clamped into the raster),
    whose window, grown by the halo, holds the point's whole disc: no point is copied to two
    tiles, and a tile gathers its points (top to bottom) only when it is computed. Tiles are at
    least two halos wide, so the windows of tiles whose row and column indices have the same
    parities never meet, and a group of them can be computed in parallel.
    """
    points = evaluation_pass.points
    tile_rows, tile_cols, halo = (
        evaluation_pass.tile_rows,
        evaluation_pass.tile_cols,
        evaluation_pass.halo,
    )
    tiles_across = -(-grid.cols // tile_cols)
    # One point-sized array at a time: this runs on all the points at once.
    reaches = np.ones(len(points), dtype=bool)
    nearest = []
    for axis, cells in (("row", grid.rows), ("col", grid.cols)):
        position = getattr(points, axis)
        reaches &= np.abs(position - (cells - 1) / 2) <= points.radius_cells + (cells + 1) / 2
        np.rint(position, out=position)
        nearest.append(np.clip(position, 0, cells - 1, out=position).astype(np.int32))
        del position
    nearest_row, nearest_col = nearest
    del nearest
    # By tile, then top to bottom: a chunk of a tile's points reaches a narrow band of rows.
    sort_key = (nearest_row // tile_rows).astype(np.int64)
    sort_key *= tiles_across
    sort_key += nearest_col // tile_cols
    del nearest_col
    sort_key *= grid.rows
    sort_key += nearest_row
    del nearest_row
    if not reaches.all():
        sort_key[~reaches] = -1  # discs entirely off the grid: sorted first, then dropped
    order = np.argsort(sort_key)
    order = order[np.count_nonzero(~reaches) :]
    tile_id = sort_key[order] // grid.rows
    del sort_key, reaches
    groups: dict[tuple[int, int], list[tuple[_Tile, np.ndarray]]] = {}
    boundaries = np.flatnonzero(np.diff(tile_id)) + 1
    for start, stop in zip(np.r_[0, boundaries], np.r_[boundaries, len(tile_id)]):
        if start == stop:
            continue
        tile_row, tile_col = divmod(int(tile_id[start]), tiles_across)
        row0 = max(tile_row * tile_rows - halo, 0)
        col0 = max(tile_col * tile_cols - halo, 0)
        row_end = min((tile_row + 1) * tile_rows + halo, grid.rows)
        col_end = min((tile_col + 1) * tile_cols + halo, grid.cols)
        window = _Tile(row0, col0, row_end - row0, col_end - col0)
        group = groups.setdefault((tile_row % 2, tile_col % 2), [])
        group.append((window, order[start:stop]))
    return list(groups.values())


def _evaluate_tile(
    out: np.ndarray,
    grid: Grid,
    tile: _Tile,
    point_indices: np.ndarray,
    evaluation_pass: _Pass,
    kernel: Kernel,
    decay: float,
    counter: _Progress,
) -> None:
    """Add the tile's values into ``out`` (windows of one group never overlap)."""
    if counter.cancelled.is_set():
        raise Cancelled()
    points = evaluation_pass.points.take(point_indices)
    if evaluation_pass.method == "rows":
        values = _row_interval_tile(grid, tile, points, kernel, counter)
    else:
        values = _stamp_tile(grid, tile, points, kernel, decay, counter)
    window = out[tile.row0 : tile.row0 + tile.rows, tile.col0 : tile.col0 + tile.cols]
    window += values


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
) -> list[np.ndarray]:
    """Coefficients of ``weight · (a + b t + c t²) ** power``, increasing powers of t.

    With ``(a + s)^p = Σ_k C(p,k) a^(p-k) s^k`` and ``s^k = t^k (b + c t)^k``, the coefficient
    of ``t^d`` is ``w Σ_k C(p,k) C(k,d-k) a^(p-k) b^(2k-d) c^(d-k)``. ``a`` varies along the
    rows of a disc while ``b``, ``c`` and ``w`` are per point, so the powers of ``a`` are the
    only large products.
    """
    weighted_a_powers = [weight]
    for _ in range(power):
        weighted_a_powers.append(weighted_a_powers[-1] * a)
    coefficients = []
    for degree in range(2 * power + 1):
        terms = [
            weighted_a_powers[power - k]
            * (
                math.comb(power, k)
                * math.comb(k, degree - k)
                * b ** (2 * k - degree)
                * c ** (degree - k)
            )
            for k in range((degree + 1) // 2, min(degree, power) + 1)
        ]
        coefficients.append(sum(terms[1:], terms[0]))
    return coefficients


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
    cells, the first and last column of the disc in it (clipped to the tile) and whether that
    interval exists. With ``exact_ends`` the ends are settled with the exact predicate
    ``d² <= r²`` in map units (needed where the kernel does not vanish at the radius);
    otherwise a cell centre within rounding of the circle may fall either side, where the
    kernel is zero to that rounding.
    """
    point_row, point_col = points.row[:, None], points.col[:, None]
    radius_cells = points.radius_cells[:, None]
    rows_spanned = 2 * math.ceil(float(radius_cells.max())) + 2
    first_row = np.floor(point_row - radius_cells)
    dy_squared = ((first_row - point_row) + np.arange(rows_spanned)) ** 2
    row = first_row.astype(np.int64) + np.arange(rows_spanned)
    half_squared = radius_cells**2 - dy_squared
    valid = half_squared >= (-1e-9 * radius_cells**2 if exact_ends else 0.0)
    if first_row.min() < tile.row0 or first_row.max() + rows_spanned > tile.row0 + tile.rows:
        valid &= (row >= tile.row0) & (row < tile.row0 + tile.rows)
    half = np.sqrt(np.maximum(half_squared, 0.0))
    start, stop = np.ceil(point_col - half), np.floor(point_col + half)
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
    return row, dy_squared, start.astype(np.int64), stop.astype(np.int64), valid


def _row_interval_tile(
    grid: Grid, tile: _Tile, points: _Points, kernel: Kernel, counter: _Progress
) -> np.ndarray:
    """The tile's values by row intervals (see the module docstring)."""
    power = POLYNOMIAL_POWER[kernel]
    width = tile.cols + 1  # a spare column receives the ends of intervals reaching the edge
    difference = np.zeros((2 * power + 1, tile.rows * width))  # coefficients of t**0 .. t**2p
    covering = np.zeros(tile.rows * width, dtype=np.int64)  # intervals starting minus ending
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
    values[np.cumsum(covering.reshape(tile.rows, width), axis=1) == 0] = 0.0
    return values[:, : tile.cols]


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
    a = (1.0 + offset**2 * c) + dy_squared * c
    b = -2.0 * offset * c
    weight = points.weight[:, None]
    coefficients = _weighted_power_coefficients(weight, a, b, c, POLYNOMIAL_POWER[kernel])
    # The points are sorted by row, so they reach a narrow band of the tile's rows; entries
    # without an interval go to one spare cell past the band.
    width = tile.cols + 1
    last_row = tile.row0 + tile.rows - 1
    band_row0 = min(max(int(row[:, 0].min()), tile.row0), last_row)
    band = min(max(int(row[:, -1].max()), band_row0), last_row) + 1 - band_row0
    band_start = (band_row0 - tile.row0) * width
    band_stop = band_start + band * width
    row_base = (row - band_row0) * width - tile.col0
    first_index = row_base + start
    after_index = row_base + stop
    after_index += 1
    invalid = ~valid
    first_index[invalid] = band * width
    after_index[invalid] = band * width
    first_index, after_index = first_index.ravel(), after_index.ravel()
    cells = band * width + 1
    for plane, coefficient in zip(difference, coefficients):
        coefficient = np.broadcast_to(coefficient, row.shape).ravel()
        plane[band_start:band_stop] += np.bincount(first_index, coefficient, cells)[:-1]
        plane[band_start:band_stop] -= np.bincount(after_index, coefficient, cells)[:-1]
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
    return values.reshape(tile.rows + 2 * pad, width)[pad:-pad, pad:-pad]


def working_memory_bytes(grid: Grid, n_points: int, radius_cells: float, workers: int) -> int:
    """Estimated peak bytes of :func:`evaluate`: output, per-thread windows and chunks, points.

    Pure arithmetic on Python ints, so a request for 1e12 cells is sized in microseconds.
    """
    output = grid.cells * 8
    halo = math.ceil(radius_cells) + 1
    row_window = ROW_TILE_CELLS + 2 * halo * (4 * halo + 2 * halo)
    stamp_window = (max(STAMP_TILE_SIDE, 2 * halo) + 2 * halo) ** 2
    # difference planes (up to 7 for the triweight), the count plane and its cumulative sum,
    # the result, and the stamping window's padding: 16 values per cell covers them all
    window_bytes = min(max(row_window * 16, stamp_window), grid.cells) * 8
    per_thread = window_bytes + CHUNK_ELEMENTS * BYTES_PER_CHUNK_ELEMENT
    # points: x, y, weight, radius (the caller's and a filtered copy), the cell coordinates and
    # sort keys computed over all of them, and each tile's gathered points: 168 bytes covers them
    points = n_points * 7 * 8 * 3
    return output + workers * per_thread + points
