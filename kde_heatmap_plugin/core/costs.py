"""Seconds each kind of work costs the core: the constants of its run-time model.

The core's work is counted in *terms*: how many times each kind of step is done (a point's
row of a disc, a cell of a tile's window, a band, ...). Each term costs ``SECONDS_PER_<TERM>``
seconds of one thread, and :func:`wall_seconds` adds them up, the terms done by the worker
threads divided among them. :func:`.estimators.estimated_seconds` counts the terms of a
request, and a run's progress counts the seconds of the terms done, so that the fraction
reported is the estimated share of the time spent.

Calibrated on the development machine (AMD EPYC, 2 cores, NumPy 1.24, a Firecracker virtual
machine) with ``benchmarks/core.py --calibrate``: the per-point stages of the caller's thread,
fresh memory, a band and the writer are timed on their own; the other constants are fitted by
non-negative least squares, on relative errors, to the CPU seconds of 18 varied runs on one
thread (the fit is within 0.84 to 1.13 of each; a 19th run, 4 points with a radius of 1000
cells, is overestimated 2.9 times: the model takes every window as tall as its band).
``PARALLEL_EFFICIENCY`` compares runs on two threads with the model; it needs an otherwise idle
machine (see its comment). The model is meant to be right within a factor of about 2, not to
the percent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: Row intervals, per point and raster row of its disc: the interval's ends and the kernel's
#: polynomial coefficients added at both (the number of coefficients, 1 to 7, made no
#: difference the fit could tell from noise).
SECONDS_PER_POINT_ROW = 3.5e-8
#: Row intervals, per cell of a tile's window and plane (the coefficient planes and the count
#: of intervals): one cumulative sum and one step of the Horner evaluation.
SECONDS_PER_WINDOW_CELL_PLANE = 6.9e-9
#: Stamping, per cell of a point's square of candidate cells (distances, kernel,
#: accumulation): polynomial kernels, ...
SECONDS_PER_STENCIL_CELL = 1.0e-8
#: ... the triangular kernel (a square root per cell), ...
SECONDS_PER_STENCIL_CELL_TRIANGULAR = 9.1e-9
#: ... the Gaussian (its exponentials per row and per column only).
SECONDS_PER_STENCIL_CELL_GAUSSIAN = 7.1e-9
#: Stamping, per cell of a tile's padded window (zeroed, accumulated into, cut out).
SECONDS_PER_STAMP_WINDOW_CELL = 3.7e-9
#: Per byte of a tile's arrays larger than the C allocator reuses (glibc maps blocks over
#: ``FRESH_ALLOCATION_BYTES`` afresh every time): page faults and unmapping, timed on an array
#: of 64 MB to 1 GB zeroed, written and freed (0.85 ns a byte; 0.07 to write a mapped byte).
SECONDS_PER_FRESH_BYTE = 1.1e-9
FRESH_ALLOCATION_BYTES = 32 * 2**20
#: Per tile: handing it to a thread, gathering its points, allocating and collecting its window.
SECONDS_PER_TILE = 3.6e-4
#: Per point and pass over the points while ordering them by band (the pass that counts the
#: points of each band and, unless they are in order already, the pass that places them).
SECONDS_PER_POINT_SORT = 4.6e-8
#: Per point, while a band's points are split into tiles (sorted by tile and row).
SECONDS_PER_POINT_TILING = 1.0e-7
#: Per point given its own radius: classifying the radii before the first band.
SECONDS_PER_POINT_RADIUS = 3.2e-8
#: Per band of rows: the fixed cost of finishing it and handing it on (5 us a band of 2 columns).
SECONDS_PER_BAND = 4.5e-6
#: Per cell of the grid: the band buffer zeroed, added to, clamped and handed on.
SECONDS_PER_CELL = 6.9e-10
#: Per cell: an allowance for the caller writing the raster, timed with the plugin's writer
#: (``rasters.write_raster``, a Float32 GeoTIFF with DEFLATE) on smooth values. Not part of the
#: core's work.
SECONDS_PER_CELL_WRITTEN = 6.5e-8
#: How much each thread beyond the first adds to the speed of the worker threads' terms (NumPy
#: releases the GIL in its array loops, but not in ``np.bincount``): 0.4, from case (a) of
#: benchmarks/README.md (1e6 points, radius 20 cells: about 1.7 s of the core on two threads,
#: 2.3 s measured on one) and a moment when the second core was free (1e5 points, radius 100
#: cells: 1.49 s on one thread, 1.04 s on two, 0.44); other processes kept that core busy for
#: most of the calibration, whose own figure is then meaningless.
PARALLEL_EFFICIENCY = 0.4

#: The terms done by the worker threads (the others are done by the caller's thread).
PARALLEL_TERMS = frozenset(
    {
        "POINT_ROW",
        "WINDOW_CELL_PLANE",
        "STENCIL_CELL",
        "STENCIL_CELL_TRIANGULAR",
        "STENCIL_CELL_GAUSSIAN",
        "STAMP_WINDOW_CELL",
        "FRESH_BYTE",
        "TILE",
    }
)


def seconds(terms: Mapping[str, float]) -> float:
    """Seconds of one thread for ``terms`` (how many of each ``SECONDS_PER_<TERM>``)."""
    return sum(count * globals()[f"SECONDS_PER_{term}"] for term, count in terms.items())


def wall_seconds(terms: Mapping[str, float], workers: int) -> float:
    """Seconds on ``workers`` threads (no more than the CPUs count) for ``terms``."""
    threads = max(1, min(workers, os.cpu_count() or 1))
    parallel = seconds({t: c for t, c in terms.items() if t in PARALLEL_TERMS})
    serial = seconds({t: c for t, c in terms.items() if t not in PARALLEL_TERMS})
    return serial + parallel / (1 + (threads - 1) * PARALLEL_EFFICIENCY)
