"""Exact kernel density estimation on a raster grid, with NumPy only.

The public entry points take arrays of point coordinates (map units), optional weights and
either one radius or one radius per point, and return a float64 array of densities at the
centres of the cells of a north-up grid::

    grid, values = kernel_density(x, y, radius=200.0, cell_size=10.0)

:func:`kernel_density` builds the grid exactly as QGIS's native heatmap does (see
:func:`native_grid`); :func:`kernel_density_on_grid` evaluates on a grid you give;
:func:`kernel_density_bands` produces the same values as bands of rows, top to bottom, so that
a raster can be written while it is computed without ever holding it whole.

This package imports nothing but NumPy and the standard library.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator

import numpy as np

from . import costs, estimators
from .errors import LARGEST_WEIGHT_SUM, InvalidInput, Reason, point_index
from .estimators import (
    Cancelled,
    ProgressCallback,
    _largest,
    _smallest,
    evaluate,
    evaluate_bands,
)
from .geodesic_density import (
    LARGEST_RADIUS_M,
    geodesic_estimated_seconds,
    geodesic_grid,
    geodesic_working_memory_bytes,
    kernel_density_geodesic,
    kernel_density_geodesic_bands,
    row_cell_areas,
)
from .grid import LARGEST_SIDE, Grid, extent_grid, native_grid
from .kernels import Kernel, OutputValue, integral_over_unit_disc, output_factor, profile

__all__ = [
    "LARGEST_RADIUS_M",
    "LARGEST_SIDE",
    "LARGEST_WEIGHT_SUM",
    "SMALLEST_RADIUS",
    "Cancelled",
    "Grid",
    "InvalidInput",
    "Kernel",
    "OutputValue",
    "Reason",
    "cell_size_for_seconds",
    "estimated_seconds",
    "extent_grid",
    "geodesic_estimated_seconds",
    "geodesic_grid",
    "geodesic_working_memory_bytes",
    "integral_over_unit_disc",
    "kernel_density",
    "kernel_density_bands",
    "kernel_density_geodesic",
    "kernel_density_geodesic_bands",
    "kernel_density_on_grid",
    "native_grid",
    "profile",
    "row_cell_areas",
    "sort_points_by_row",
    "working_memory_bytes",
]

#: Smallest radius (map units) whose square is a normal float64 number (1.5e-154); the largest
#: is the square root of float64's largest (1.3e154), in map units and in cells.
SMALLEST_RADIUS = math.sqrt(sys.float_info.min)


def kernel_density(
    x: np.ndarray,
    y: np.ndarray,
    *,
    radius: float | np.ndarray,
    cell_size: float,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    output_value: OutputValue = OutputValue.RAW,
    weight: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> tuple[Grid, np.ndarray]:
    """Kernel density of the points on the native heatmap's grid for them.

    The grid covers the points' extent grown by the radius (the largest radius when radii are
    given per point), with square cells of ``cell_size`` (see :func:`native_grid`).

    Returns:
        The grid and a float64 array of ``grid.shape`` (row 0 at the top).

    See :func:`kernel_density_on_grid` for the arguments and the exceptions.
    """
    x, y, radii, weights = _checked_points(x, y, radius, weight)
    if len(x) == 0:
        raise ValueError("There are no points to estimate a density from.")
    grid = native_grid(
        float(x.min()),
        float(y.min()),
        float(x.max()),
        float(y.max()),
        padding=float(radii.max()),
        cell_size=cell_size,
    )
    values = kernel_density_on_grid(
        x,
        y,
        grid,
        radius=radius,
        kernel=kernel,
        decay=decay,
        output_value=output_value,
        weight=weights,
        progress=progress,
        workers=workers,
    )
    return grid, values


def kernel_density_on_grid(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    *,
    radius: float | np.ndarray,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    output_value: OutputValue = OutputValue.RAW,
    weight: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Kernel density of the points at the centres of the grid's cells.

    Each cell receives ``Σ_k w_k · factor(r_k) · profile(d_k / r_k)`` over the points ``k``
    whose distance ``d_k`` to the cell centre is at most their radius ``r_k``; ``profile`` and
    ``factor`` (Raw, Scaled, Density, Expected count) are documented in :mod:`.kernels`.

    Args:
        x, y: point coordinates (map units), arrays of length n. A multipoint is its parts.
        grid: where to evaluate; points outside it still count where their disc reaches in.
        radius: kernel radius (map units, > 0): one number, or an array of n per-point radii.
        kernel: kernel shape (:class:`Kernel` or its native index 0..5).
        decay: the triangular kernel's value at the radius (native ``DECAY``); others ignore it.
        output_value: :class:`OutputValue` or its index 0..3.
        weight: per-point weights (n floats; negative allowed), or None for weight 1.
        progress: called with the estimated fraction done (0..1, never decreasing: estimated
            seconds of work done over the total, see :func:`estimated_seconds`) at least every
            ~0.2 s in every stage; returning False stops the computation with
            :class:`Cancelled` within about a second.
        workers: threads to use; None for one per CPU.
        out: an array of ``grid.shape`` to fill instead of a new one: float64, or float32 to
            halve the memory (values are computed in float64 and rounded to float32, about
            1e-7 relative, as writing a Float32 raster would).

    Returns:
        ``out``, or a new float64 array of ``grid.shape``, north-up; exactly 0.0 where no
        point reaches.

    Raises:
        ValueError: invalid arguments, with a message for the user; an :class:`InvalidInput`
            (a ValueError carrying a :class:`Reason` and the values) for radii whose square, or
            whose output factor, is not a normal float64 number, weights whose products with
            the factor could overflow (more than ``LARGEST_WEIGHT_SUM`` in all), and grids
            too large (see :class:`Grid`). Checked before any value is computed: from finite
            inputs that pass, no cell is NaN or infinite.
        Cancelled: the progress callback returned False.
    """
    if out is not None and (out.shape != grid.shape or out.dtype not in (np.float32, np.float64)):
        raise ValueError(f"out must be a float32 or float64 array of shape {grid.shape}.")
    kernel, output_value = _checked_enum(Kernel, kernel), _checked_enum(OutputValue, output_value)
    counter = estimators._Progress(progress)
    x, y, radii, weights, factor = _prepared_points(
        x, y, grid, radius, weight, kernel, output_value, decay, counter
    )
    return evaluate(
        grid,
        x,
        y,
        radii,
        weights,
        kernel,
        decay,
        workers=workers,
        out=out,
        factor=factor,
        counter=counter,
    )


def kernel_density_bands(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    *,
    radius: float | np.ndarray,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    output_value: OutputValue = OutputValue.RAW,
    weight: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """The values of :func:`kernel_density_on_grid`, as bands of rows from top to bottom.

    Only one band and its halos are held at a time: a band has at least
    ``estimators.BAND_ROWS`` rows and two radii, and more when the grid is narrow, so that it
    holds about ``estimators.BAND_CELLS`` cells (``band_rows = max(BAND_ROWS, 2 h,
    BAND_CELLS // cols)``, ``h = ceil(radius in cells) + 1``; the whole grid when that covers
    it). The memory of a band is ``(band_rows + 2 h) · cols · 8`` bytes: 1 MB and
    the halos for narrow grids, 128 rows for grids of 1024 columns and more. Bands may have any
    height: consumers must take them as they come. The arguments are checked before the first
    band is asked for.

    Yields:
        ``(first_row, values)``: float64 rows ``first_row .. first_row + len(values) - 1`` of the
        grid, every row once, in order. ``values`` is overwritten by the next band: write or
        copy it before asking for the next one.

    Raises:
        ValueError: invalid arguments (at the call), with a message for the user; see
            :func:`kernel_density_on_grid` for the :class:`InvalidInput` cases.
        Cancelled: the progress callback returned False (while iterating, or at the call while
            many points' weights are checked).
    """
    kernel, output_value = _checked_enum(Kernel, kernel), _checked_enum(OutputValue, output_value)
    counter = estimators._Progress(progress)
    x, y, radii, weights, factor = _prepared_points(
        x, y, grid, radius, weight, kernel, output_value, decay, counter
    )
    return evaluate_bands(
        grid, x, y, radii, weights, kernel, decay, workers=workers, factor=factor, counter=counter
    )


def sort_points_by_row(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    *,
    radius: float | np.ndarray,
    weight: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
) -> None:
    """Reorder the points in place, top to bottom, into the order the evaluation takes them.

    :func:`kernel_density_bands` and :func:`kernel_density_on_grid` accept points in any order
    and index them by band of rows (4 bytes per point, held while they run). Points sorted by
    this function for the same grid, radius and weights (band by band; within a band in their
    original order) are used where they are, without that index. Sorting needs 12 bytes per
    point for a moment (the index and one reordered column), so it saves memory only when the
    evaluation's peak, not the sort's, is what limits a run (see :func:`working_memory_bytes`).
    The density does not depend on the order.

    Args:
        x, y: point coordinates (map units), writable float64 arrays of length n.
        grid: the grid the points will be evaluated on.
        radius: one radius, or a writable float64 array of n per-point radii (reordered too).
        weight: None, or a writable float64 array of n weights (reordered too).
        progress: called with the fraction done (0..1) at least every ~0.2 s; returning False
            stops with :class:`Cancelled` within about a second, after which the arrays may be
            partly reordered (no longer matching each other): discard them.

    Raises:
        ValueError: invalid arguments, or arrays that are not writable float64 arrays.
        Cancelled: the progress callback returned False.
    """
    arrays = [x, y] + [a for a in (radius, weight) if a is not None and np.ndim(a) > 0]
    for array in arrays:
        if not (
            isinstance(array, np.ndarray)
            and array.dtype == np.float64
            and array.ndim == 1
            and array.flags.c_contiguous
            and array.flags.writeable
        ):
            raise ValueError("Points are sorted in place: pass writable 1-D float64 arrays.")
    counter = estimators._Progress(progress)
    _checked_points(x, y, radius, weight, counter)  # the same checks as the evaluation
    radii = radius if np.ndim(radius) > 0 else np.broadcast_to(float(radius), x.shape)
    weights = weight if weight is not None else np.broadcast_to(1.0, x.shape)
    estimators.sort_by_row(grid, x, y, radii, weights, counter=counter)


def working_memory_bytes(
    grid: Grid,
    n_points: int,
    *,
    radius: float,
    kernel: Kernel | None = None,
    workers: int | None = None,
    whole_output: bool = True,
    per_point_radius: bool = False,
    sorted_in_place: bool = False,
) -> int:
    """Estimated peak memory (bytes) the core allocates to evaluate ``n_points`` on ``grid``.

    An upper bound of what :func:`kernel_density_bands` (and, with ``whole_output``,
    :func:`kernel_density_on_grid`) allocate beyond the caller's arrays, which are not counted
    (x, y, radius and weight: pass them as float64 arrays, or their float64 copies come on
    top). It counts everything that grows with the rows, the columns or the points:

    - the points' order by band (4 bytes per point, 8 from 2^31 points), unless they were
      sorted in place, and while it is made, per-band counts and a chunk's temporaries;
      with ``sorted_in_place``, the peak of :func:`sort_points_by_row` instead (the order and
      one reordered column, 12 bytes per point), if that is higher;
    - the band being computed with its halo rows (see :func:`kernel_density_bands`);
    - a group of points being split into tiles (see ``estimators.group_points``), and the
      sorted indices of the groups whose tiles are in flight;
    - per thread (at most one per point), the tile being computed at its peak (its window's
      coefficient planes or padded stamping window, and a chunk's temporaries), and the
      finished tiles waiting to be added (two per thread, at most one per point);
    - with ``whole_output``, the float64 array of the whole grid.

    Each part is counted at its worst (all threads at their peak, every window as tall as its
    band, every chunk full), so a given run peaks lower: on one thread, measured peaks
    (``tests/core/test_memory.py``, with tracemalloc) are 1/2.5 to 1 of the estimate. Pure
    integer arithmetic: instant even for 1e12 cells.

    Args:
        grid: the output grid.
        n_points: number of points (parts of multipoints counted).
        radius: the largest radius (map units).
        kernel: the kernel; None for the most demanding.
        workers: threads; None for one per CPU.
        whole_output: count the whole float64 output.
        per_point_radius: the points have radii of their own (radius is the largest).
        sorted_in_place: the caller sorts the points with :func:`sort_points_by_row` first.

    Raises:
        ValueError: a radius that is not a positive number, or too large in cells for the grid.
    """
    workers = workers or os.cpu_count() or 1
    kernels = tuple(Kernel) if kernel is None else (_checked_enum(Kernel, kernel),)
    core = estimators.working_memory_bytes(
        grid,
        n_points,
        _radius_cells(radius, grid),
        workers,
        kernels,
        per_point_radius,
        sorted_in_place,
    )
    return core + (grid.cells * 8 if whole_output else 0)


def estimated_seconds(
    grid: Grid,
    n_points: int,
    *,
    radius: float,
    kernel: Kernel,
    workers: int | None = None,
    per_point_radius: bool = False,
    with_writing: bool = True,
) -> float:
    """Estimated wall-clock seconds to evaluate ``n_points`` on ``grid`` and write the result.

    A cost model, with constants (seconds of one thread) measured on a 2-core machine (see
    :mod:`.costs`); it is meant to be right within a factor of about 2 to 3, and errs high
    where points are sparse. With ``h = ceil(r) + 1`` (``r`` the radius in cells), bands of
    ``B`` rows (see :func:`kernel_density_bands`) and windows of ``R = min(B + 2h, rows)``
    rows::

        seconds = serial + parallel / (1 + (threads - 1) · PARALLEL_EFFICIENCY)
                  + cells · SECONDS_PER_CELL_WRITTEN  (with_writing)
        serial = points · (2 · SECONDS_PER_POINT_SORT + SECONDS_PER_POINT_TILING
                           + SECONDS_PER_POINT_RADIUS)
                 + bands · SECONDS_PER_BAND + cells · SECONDS_PER_CELL
        parallel = points · per_point + tiles · (per_window + SECONDS_PER_TILE)
        tiles = min(points, tile_columns · (bands + floor(points / group)))

    Row intervals (polynomial kernels, r >= 6): ``per_point = min(2 ceil(r) + 1, R) ·
    SECONDS_PER_POINT_ROW`` and ``per_window = R · W · (2p + 2) ·
    SECONDS_PER_WINDOW_CELL_PLANE`` (p the kernel's power), windows ``W = min(tile + 2h, cols)
    + 1`` columns wide. Stamping: ``per_point = (2h + 1)² ·
    SECONDS_PER_STENCIL_CELL`` (the square cut to the window; the triangular and Gaussian
    kernels have their own constants) and ``per_window = padded window cells ·
    SECONDS_PER_STAMP_WINDOW_CELL``. Windows larger than the C allocator reuses add
    ``SECONDS_PER_FRESH_BYTE`` per byte (page faults). With ``per_point_radius``, each point
    costs the more expensive of its radius class's method and of stamping a radius just under
    the row-interval threshold (smaller radii may be stamped). The writing allowance is for a
    Float32 GeoTIFF with DEFLATE. Pure arithmetic: instant for any grid.

    Args:
        grid: the output grid.
        n_points: number of points.
        radius: the largest radius (map units); smaller radii cost less.
        kernel: the kernel (:class:`Kernel` or its index).
        workers: threads; None for one per CPU.
        per_point_radius: the points have radii of their own (radius is the largest).
        with_writing: add the allowance for writing the raster.

    Raises:
        ValueError: a radius that is not a positive number, or too large in cells for the grid.
    """
    kernel = _checked_enum(Kernel, kernel)
    radius_cells = _radius_cells(radius, grid)
    workers = workers or os.cpu_count() or 1
    seconds = estimators.estimated_seconds(
        grid, n_points, radius_cells, kernel, workers, per_point_radius
    )
    return seconds + (grid.cells * costs.SECONDS_PER_CELL_WRITTEN if with_writing else 0.0)


def cell_size_for_seconds(
    extent: tuple[float, float, float, float],
    n_points: int,
    *,
    radius: float,
    kernel: Kernel,
    seconds: float,
    workers: int | None = None,
) -> float | None:
    """About the smallest cell size whose native grid is estimated to take at most ``seconds``.

    For points spanning ``extent`` = (x_min, y_min, x_max, y_max) and the grid
    :func:`native_grid` builds for them with ``padding=radius``, by bisection (to 0.1 %) on
    :func:`estimated_seconds` (writing included) between a cell size so small that the grid is
    too large (2^64 cells a side) and one so large that it has two cells a side. The estimate
    falls as the cells grow except just where the method changes (6 cells a radius), so the
    size returned is always within the budget, and within a few percent of the smallest that
    is. The caller still checks the memory the grid needs (:func:`working_memory_bytes`).

    Returns:
        The cell size (map units), or None when even the coarsest grid would take longer (the
        points alone cost more than ``seconds``).

    Raises:
        ValueError: a non-finite extent, a radius that is not a positive number, or
            ``seconds`` not positive.
    """
    if not seconds > 0:
        raise ValueError(f"The time budget must be a positive number of seconds, not {seconds}.")
    if not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    x_min, y_min, x_max, y_max = extent

    def fits(cell_size: float) -> bool:
        try:
            grid = native_grid(x_min, y_min, x_max, y_max, padding=radius, cell_size=cell_size)
            needed = estimated_seconds(
                grid, n_points, radius=radius, kernel=kernel, workers=workers
            )
        except InvalidInput:  # the grid, or the radius in cells, is too large
            return False
        return needed <= seconds

    coarse = max(x_max - x_min, y_max - y_min) + 2 * radius
    if not math.isfinite(coarse):
        raise ValueError("The extent of the points must be finite.")
    if not fits(coarse):
        return None
    fine = coarse / 2.0**64  # more than LARGEST_SIDE cells a side: never fits
    while coarse / fine > 1.001:
        middle = math.sqrt(coarse * fine)
        if fits(middle):
            coarse = middle
        else:
            fine = middle
    return coarse


def _radius_cells(radius: float, grid: Grid) -> float:
    """The radius in cells, or a ValueError if it is not positive or not finite in cells."""
    if not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    radius_cells = radius / grid.cell_size
    if not math.isfinite(radius_cells * radius_cells):
        raise _radius_too_large(radius, -1, grid.cell_size)
    return radius_cells


def _checked_enum(enum_type: type, value: int) -> Kernel | OutputValue:
    try:
        return enum_type(int(value))
    except (ValueError, TypeError):
        choices = ", ".join(f"{member.value} {member.name.title()}" for member in enum_type)
        raise ValueError(
            f"{value!r} is not a valid {enum_type.__name__}; choose one of {choices}."
        ) from None


def _prepared_points(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    radius: float | np.ndarray,
    weight: np.ndarray | None,
    kernel: Kernel,
    output_value: OutputValue,
    decay: float,
    counter: estimators._Progress,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, Callable | None]:
    """Checked coordinates, radii and weights, and the output factor of a radius (or None).

    The factor is applied by the evaluation a chunk of points at a time (no array of weights
    times factors is made); with one radius and no weights, the weights are the factor. The
    points are checked a chunk at a time (2 s for 1e8 points with radii of their own), and
    ``counter`` reports 0 at least every ``PROGRESS_INTERVAL``: its callback may cancel.
    """
    if not math.isfinite(decay):
        raise ValueError(f"The decay must be a finite number, not {decay}.")
    x, y, radii, weights = _checked_points(x, y, radius, weight, counter)
    if not len(x):
        return x, y, radii, weights, None
    _check_radii(radii, grid.cell_size)
    factor = None
    if output_value != OutputValue.RAW:
        smallest, largest = _smallest(radii), _largest(radii)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):  # checked below
            largest_factor, smallest_factor = output_factor(
                kernel, output_value, np.array([smallest, largest]), grid.cell_size, decay
            )  # a factor falls as the radius grows (1 / r², or constant)
        for value, radius_value in ((largest_factor, smallest), (smallest_factor, largest)):
            if not sys.float_info.min <= value <= LARGEST_WEIGHT_SUM:  # NaN and inf included
                raise InvalidInput(
                    Reason.OUTPUT_FACTOR_OUT_OF_RANGE,
                    f"With a radius of {radius_value:g} the {output_value.name.lower()} output's"
                    f" factor is {value:g}, outside {sys.float_info.min:g} to "
                    f"{LARGEST_WEIGHT_SUM:g}: use a radius nearer 1 in map units (or another "
                    "unit), or the Raw output.",
                    radius=radius_value,
                    index=point_index(radii, radius_value),
                    factor=float(value),
                    smallest=sys.float_info.min,
                    largest=LARGEST_WEIGHT_SUM,
                )
        if radii.strides == (0,):  # one radius: one factor
            factor = _shared_factor(float(largest_factor))
        else:
            cell_size = grid.cell_size

            def factor(radius: np.ndarray) -> np.ndarray:
                return output_factor(kernel, output_value, radius, cell_size, decay)

    largest_profile = max(1.0, abs(decay)) if kernel == Kernel.TRIANGULAR else 1.0
    _check_weight_sum(weights, radii, factor, largest_profile, counter)
    if factor is not None and radii.strides == (0,) and weights.strides == (0,):
        return x, y, radii, np.broadcast_to(weights[0] * factor(radii[:1])[0], x.shape), None
    return x, y, radii, weights, factor


def _shared_factor(value: float) -> Callable[[np.ndarray], np.ndarray]:
    """The factor of a radius shared by all points: the same number for every chunk."""

    def factor(radius: np.ndarray) -> np.ndarray:
        return np.broadcast_to(value, radius.shape)

    return factor


def _check_radii(radii: np.ndarray, cell_size: float) -> None:
    """Radii whose squares, in map units and in cells, are normal float64 numbers."""
    smallest, largest = _smallest(radii), _largest(radii)
    if not smallest * smallest >= sys.float_info.min:
        raise InvalidInput(
            Reason.RADIUS_TOO_SMALL,
            f"A radius of {smallest:g} is too small to compute with (its square is below "
            f"{sys.float_info.min:g}): use at least {SMALLEST_RADIUS:g}, in larger map units.",
            radius=smallest,
            index=point_index(radii, smallest),
            smallest=SMALLEST_RADIUS,
            cell_size=cell_size,
        )
    largest_cells = largest / cell_size
    if not math.isfinite(largest * largest) or not math.isfinite(largest_cells * largest_cells):
        raise _radius_too_large(largest, point_index(radii, largest), cell_size)


def _radius_too_large(radius: float, index: int, cell_size: float) -> InvalidInput:
    largest = min(math.sqrt(sys.float_info.max), math.sqrt(sys.float_info.max) * cell_size)
    return InvalidInput(
        Reason.RADIUS_TOO_LARGE,
        f"A radius of {radius:g} ({radius / cell_size:g} cells of {cell_size:g}) is too large to "
        f"compute with (its square overflows): use at most {largest:g}.",
        radius=radius,
        index=index,
        largest=largest,
        cell_size=cell_size,
    )


def _check_weight_sum(
    weights: np.ndarray,
    radii: np.ndarray,
    factor: Callable[[np.ndarray], np.ndarray] | None,
    largest_profile: float,
    counter: estimators._Progress,
) -> None:
    """Σ |weight · factor| · largest profile must stay below LARGEST_WEIGHT_SUM (in chunks)."""
    total = 0.0
    shared = weights.strides == (0,) and radii.strides == (0,)
    for chunk in [slice(0, 1)] if shared else _slices(len(weights), estimators.CHUNK_ELEMENTS):
        products = _weight_products(weights, radii, factor, chunk)
        with np.errstate(over="ignore"):  # an overflowing sum is refused below
            total += float(products.sum()) * (len(weights) if shared else 1)
        counter.tick()
    total *= largest_profile
    if total <= LARGEST_WEIGHT_SUM:
        return
    largest, index = 0.0, 0
    for chunk in _slices(len(weights), estimators.CHUNK_ELEMENTS):
        products = _weight_products(weights, radii, factor, chunk)
        if products.max() > largest:
            largest, index = float(products.max()), chunk.start + int(products.argmax())
    raise InvalidInput(
        Reason.WEIGHTS_TOO_LARGE,
        f"The weights times the output's factor add up to {total / largest_profile:g} and the "
        f"kernel's largest value is {largest_profile:g}: their product, {total:g}, is more than "
        f"{LARGEST_WEIGHT_SUM:g}, so cells could overflow. The largest product is the point at "
        f"{index} (weight {float(weights[index]):g}); use smaller weights, another output or a "
        "smaller decay.",
        total=total,
        largest=LARGEST_WEIGHT_SUM,
        index=index,
        weight=float(weights[index]),
        largest_profile=largest_profile,
    )


def _weight_products(
    weights: np.ndarray,
    radii: np.ndarray,
    factor: Callable[[np.ndarray], np.ndarray] | None,
    chunk: slice,
) -> np.ndarray:
    """|weight · factor| of the points of a chunk (inf where the product overflows)."""
    if factor is None:
        return np.abs(weights[chunk])
    with np.errstate(over="ignore"):
        return np.abs(weights[chunk] * factor(radii[chunk]))


def _slices(length: int, size: int) -> Iterator[slice]:
    for start in range(0, length, size):
        yield slice(start, min(start + size, length))


def _checked_points(
    x: np.ndarray,
    y: np.ndarray,
    radius: float | np.ndarray,
    weight: np.ndarray | None,
    counter: estimators._Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates, radii and weights as float64 arrays of one length, or a ValueError.

    With ``counter``, its progress callback is given the chance to cancel between the pieces
    of the checks (a pass over 1e8 coordinates takes about 0.1 s).
    """
    x = np.ascontiguousarray(x, dtype=np.float64).ravel()
    y = np.ascontiguousarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length ({x.size} and {y.size}).")
    if len(x) and not (_finite_numbers(x, counter) and _finite_numbers(y, counter)):
        raise ValueError("Point coordinates must be finite numbers (found NaN or infinity).")
    # One radius or no weight: a shared value (0-stride view), not an array per point.
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), x.shape)
    if radii.size and not (_finite_numbers(radii, counter) and _smallest(radii) > 0):
        raise ValueError("The radius must be a positive number (per point, if given per point).")
    if np.ndim(radius) == 0 and not (math.isfinite(float(radius)) and float(radius) > 0):
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    if weight is None:
        weights = np.broadcast_to(1.0, x.shape)
    else:
        weights = np.ascontiguousarray(weight, dtype=np.float64).ravel()
        if weights.shape != x.shape:
            raise ValueError(f"There are {weights.size} weights for {x.size} points.")
        if len(weights) and not _finite_numbers(weights, counter):
            raise ValueError("Weights must be finite numbers (found NaN or infinity).")
    return x, y, radii, weights


def _finite_numbers(values: np.ndarray, counter: estimators._Progress | None = None) -> bool:
    """Whether a non-empty array holds no NaN or infinity (its extremes would), without copies;
    a piece of 2^20 values at a time, ticking ``counter`` between them."""
    if values.strides == (0,):
        return math.isfinite(float(values[0]))
    for piece in _slices(len(values), 1 << 20):
        if not (math.isfinite(values[piece].min()) and math.isfinite(values[piece].max())):
            return False
        if counter is not None:
            counter.tick()
    return True
