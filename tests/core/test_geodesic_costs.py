"""The geodesic method's cost model (``geodesic_estimated_seconds``,
``geodesic_working_memory_bytes``) against real runs of ``kernel_density_geodesic_bands``.

Memory: the estimate is at least the peak NumPy allocations measured with tracemalloc (NumPy
reports its data buffers to it) and at most ``MOST_OVER`` times it. Time: the estimate for one
worker thread is within ``FACTOR`` of the measured wall-clock time (the model aims at 2).
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import pytest

from kde_heatmap_plugin.core.geodesic_density import (
    geodesic_estimated_seconds,
    geodesic_grid,
    geodesic_working_memory_bytes,
    kernel_density_geodesic_bands,
)
from kde_heatmap_plugin.core.grid import Grid
from kde_heatmap_plugin.core.kernels import Kernel

MOST_OVER = 3.0
FACTOR = 3.0


def clustered(count: int, lon0: float, lat0: float, spread: float, seed: int = 0):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-spread, spread, (6, 2))
    lonlat = centres[rng.integers(0, 6, count)] + rng.normal(0, spread / 8, (count, 2))
    return lon0 + lonlat[:, 0], np.clip(lat0 + lonlat[:, 1], -90.0, 90.0)


# name: (points, centre lon, lat, spread in degrees, radius m, cell degrees, kernel, per-point)
CASES = {
    "rows, 2 km, quartic": (40_000, 10.0, 50.0, 0.5, 2_000.0, 0.0009, Kernel.QUARTIC, False),
    "rows, first order in k, triweight, per-point radii": (
        20_000,
        -60.0,
        10.0,
        2.0,
        20_000.0,
        0.01,
        Kernel.TRIWEIGHT,
        True,
    ),
    "cells, Gaussian at 65 N": (3_000, 25.0, 65.0, 0.5, 2_000.0, 0.002, Kernel.GAUSSIAN, False),
    "few points, large grid": (20, 0.0, 0.0, 3.0, 5_000.0, 0.002, Kernel.EPANECHNIKOV, False),
    "series across the antimeridian": (
        500,
        179.0,
        -30.0,
        4.0,
        120_000.0,
        0.1,
        Kernel.UNIFORM,
        False,
    ),
}


def _run(name: str):
    points, lon0, lat0, spread, radius, cell, kernel, per_point = CASES[name]
    lon, lat = clustered(points, lon0, lat0, spread)
    radii = np.random.default_rng(1).uniform(0.3, 1.0, points) * radius if per_point else radius
    grid = geodesic_grid(lon, lat, radius, cell)
    options = dict(radius_m=radius, kernel=kernel, per_point_radius=per_point, workers=1)

    def run() -> None:
        for _ in kernel_density_geodesic_bands(
            lon, lat, grid, radius=radii, kernel=kernel, workers=1
        ):
            pass

    return grid, points, options, run


@pytest.mark.parametrize("name", list(CASES))
def test_memory_estimate_bounds_the_measured_peak(name):
    grid, points, options, run = _run(name)
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = geodesic_working_memory_bytes(grid, points, **options)
    assert peak <= estimate <= MOST_OVER * peak, f"peak {peak:,} B, estimate {estimate:,} B"


@pytest.mark.parametrize("name", ["rows, 2 km, quartic", "cells, Gaussian at 65 N"])
def test_time_estimate_within_a_factor_of_the_measured_time(name):
    grid, points, options, run = _run(name)
    start = time.perf_counter()
    run()
    measured = time.perf_counter() - start
    estimate = geodesic_estimated_seconds(grid, points, **options)
    assert measured / FACTOR <= estimate <= measured * FACTOR, (measured, estimate)


def test_estimates_grow_with_points_cells_and_radius_and_are_instant():
    grid = Grid(x_min=-180.0, y_max=90.0, cell_size=0.001, rows=180_000, cols=360_000)
    start = time.perf_counter()
    seconds = geodesic_estimated_seconds(grid, 10**7, radius_m=2_000.0, kernel=Kernel.QUARTIC)
    memory = geodesic_working_memory_bytes(grid, 10**7, radius_m=2_000.0, kernel=Kernel.QUARTIC)
    assert time.perf_counter() - start < 0.1
    assert seconds > 1800  # 6.5e10 cells: most of an hour at least
    assert memory > 10**7 * 100
    small = Grid(x_min=0.0, y_max=50.0, cell_size=0.001, rows=1000, cols=1000)
    options = dict(radius_m=2_000.0, kernel=Kernel.QUARTIC, workers=1)
    base = geodesic_estimated_seconds(small, 10_000, **options)
    assert geodesic_estimated_seconds(small, 20_000, **options) > base
    assert geodesic_estimated_seconds(grid, 10_000, **options) > base
    assert geodesic_estimated_seconds(small, 10_000, **{**options, "radius_m": 8_000.0}) > base
    assert geodesic_working_memory_bytes(small, 20_000, **options) > (
        geodesic_working_memory_bytes(small, 10_000, **options)
    )
    with pytest.raises(ValueError):
        geodesic_estimated_seconds(small, 10, radius_m=-1.0, kernel=Kernel.QUARTIC)
    with pytest.raises(ValueError):
        geodesic_working_memory_bytes(small, 10, radius_m=2e7, kernel=Kernel.QUARTIC)
