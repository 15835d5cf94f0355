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
from collections.abc import Iterator

import numpy as np

from .estimators import Cancelled, ProgressCallback, evaluate, evaluate_bands, sort_by_row
from .estimators import working_memory_bytes as _estimator_memory
from .grid import Grid, native_grid
from .kernels import Kernel, OutputValue, integral_over_unit_disc, output_factor, profile

__all__ = [
    "Cancelled",
    "Grid",
    "Kernel",
    "OutputValue",
    "integral_over_unit_disc",
    "kernel_density",
    "kernel_density_bands",
    "kernel_density_on_grid",
    "native_grid",
    "profile",
    "sort_points_by_row",
    "working_memory_bytes",
]


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
        progress: called with the fraction done (0..1) at least every ~0.5 s; returning False
            stops the computation with :class:`Cancelled`.
        workers: threads to use; None for one per CPU.
        out: an array of ``grid.shape`` to fill instead of a new one: float64, or float32 to
            halve the memory (values are computed in float64 and rounded to float32, about
            1e-7 relative, as writing a Float32 raster would).

    Returns:
        ``out``, or a new float64 array of ``grid.shape``, north-up; exactly 0.0 where no
        point reaches.

    Raises:
        ValueError: invalid arguments, with a message for the user.
        Cancelled: the progress callback returned False.
    """
    if out is not None and (out.shape != grid.shape or out.dtype not in (np.float32, np.float64)):
        raise ValueError(f"out must be a float32 or float64 array of shape {grid.shape}.")
    kernel, output_value = _checked_enum(Kernel, kernel), _checked_enum(OutputValue, output_value)
    x, y, radii, weights = _prepared_points(x, y, grid, radius, weight, kernel, output_value, decay)
    return evaluate(grid, x, y, radii, weights, kernel, decay, progress, workers, out=out)


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

    Only one band and its halos (``estimators.BAND_ROWS`` rows plus two radii) are held at a
    time. The arguments are checked before the first band is asked for.

    Yields:
        ``(first_row, values)``: float64 rows ``first_row .. first_row + len(values) - 1`` of the
        grid, every row once, in order. ``values`` is overwritten by the next band: write or
        copy it before asking for the next one.

    Raises:
        ValueError: invalid arguments (at the call), with a message for the user.
        Cancelled: the progress callback returned False (while iterating).
    """
    kernel, output_value = _checked_enum(Kernel, kernel), _checked_enum(OutputValue, output_value)
    x, y, radii, weights = _prepared_points(x, y, grid, radius, weight, kernel, output_value, decay)
    return evaluate_bands(grid, x, y, radii, weights, kernel, decay, progress, workers)


def sort_points_by_row(
    x: np.ndarray,
    y: np.ndarray,
    grid: Grid,
    *,
    radius: float | np.ndarray,
    weight: np.ndarray | None = None,
) -> None:
    """Reorder the points in place, top to bottom, into the order the evaluation takes them.

    :func:`kernel_density_bands` and :func:`kernel_density_on_grid` accept points in any order
    and index them by row (4 bytes per point). Points sorted by this function for the same grid,
    radius and weights are used where they are, without that index: a caller that owns its
    arrays and is short of memory sorts them first. The density does not depend on the order.

    Args:
        x, y: point coordinates (map units), writable float64 arrays of length n.
        grid: the grid the points will be evaluated on.
        radius: one radius, or a writable float64 array of n per-point radii (reordered too).
        weight: None, or a writable float64 array of n weights (reordered too).

    Raises:
        ValueError: invalid arguments, or arrays that are not writable float64 arrays.
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
    _checked_points(x, y, radius, weight)  # the same checks as the evaluation
    radii = radius if np.ndim(radius) > 0 else np.broadcast_to(float(radius), x.shape)
    weights = weight if weight is not None else np.broadcast_to(1.0, x.shape)
    sort_by_row(grid, x, y, radii, weights)


def working_memory_bytes(
    grid: Grid,
    n_points: int,
    *,
    radius: float,
    workers: int | None = None,
    whole_output: bool = True,
) -> int:
    """Estimated peak memory (bytes) of evaluating ``n_points`` points on ``grid``.

    Counts the band of rows being computed, each thread's tile work arrays and chunk
    temporaries, the point ordering and, with ``whole_output``, the float64 array
    :func:`kernel_density_on_grid` returns (leave it out for :func:`kernel_density_bands`).
    Pure integer arithmetic: instant even for a request of 1e12 cells.

    Args:
        grid: the output grid.
        n_points: number of points (parts of multipoints counted).
        radius: the largest radius (map units).
        workers: threads; None for one per CPU.
        whole_output: count the whole float64 output.
    """
    workers = workers or os.cpu_count() or 1
    bands = _estimator_memory(grid, n_points, radius / grid.cell_size, workers)
    return bands + (grid.cells * 8 if whole_output else 0)


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
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Checked coordinates and radii, and the weights times the output factor."""
    if not math.isfinite(decay):
        raise ValueError(f"The decay must be a finite number, not {decay}.")
    x, y, radii, weights = _checked_points(x, y, radius, weight)
    if np.ndim(radius) == 0:
        radius = float(radius)
    factor = output_factor(kernel, output_value, radius, grid.cell_size, decay)
    if weights.strides == (0,) and factor.ndim == 0:  # one weight, one radius: still shared
        weights = np.broadcast_to(weights[0] * float(factor), x.shape) if len(x) else weights
    elif not (factor.ndim == 0 and factor == 1.0):
        weights = weights * factor
    return x, y, radii, weights


def _checked_points(
    x: np.ndarray, y: np.ndarray, radius: float | np.ndarray, weight: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Coordinates, radii and weights as float64 arrays of one length, or a ValueError."""
    x = np.ascontiguousarray(x, dtype=np.float64).ravel()
    y = np.ascontiguousarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length ({x.size} and {y.size}).")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("Point coordinates must be finite numbers (found NaN or infinity).")
    # One radius or no weight: a shared value (0-stride view), not an array per point.
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), x.shape)
    if radii.size and not (np.isfinite(radii).all() and (radii > 0).all()):
        raise ValueError("The radius must be a positive number (per point, if given per point).")
    if np.ndim(radius) == 0 and not (math.isfinite(float(radius)) and float(radius) > 0):
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    if weight is None:
        weights = np.broadcast_to(1.0, x.shape)
    else:
        weights = np.ascontiguousarray(weight, dtype=np.float64).ravel()
        if weights.shape != x.shape:
            raise ValueError(f"There are {weights.size} weights for {x.size} points.")
        if not np.isfinite(weights).all():
            raise ValueError("Weights must be finite numbers (found NaN or infinity).")
    return x, y, radii, weights
