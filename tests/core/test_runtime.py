"""The run-time estimate: close to measured times, monotonic, instant, and the cell-size advice."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Grid,
    Kernel,
    cell_size_for_seconds,
    estimated_seconds,
    kernel_density_bands,
    native_grid,
)

#: The estimate must be within this factor of the measured time (the model aims at 2).
FACTOR = 3.0


def grid_of(rows: int, cols: int) -> Grid:
    return Grid(x_min=0.0, y_max=float(rows), cell_size=1.0, rows=rows, cols=cols)


def clustered(count: int, grid: Grid, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0.2, 0.8, (8, 2)) * [grid.cols, grid.rows]
    xy = centres[rng.integers(0, 8, count)] + rng.normal(0, grid.cols / 20, (count, 2))
    return xy[:, 0].copy(), xy[:, 1].copy()


QUICK_CASES = {
    # name: (grid, points, radius in cells, kernel); each takes well under a second
    "row intervals, clustered": (grid_of(1000, 1000), 100_000, 15.0, Kernel.QUARTIC),
    "stamping, Gaussian": (grid_of(800, 800), 20_000, 6.0, Kernel.GAUSSIAN),
    "tall and narrow, points in a column": (grid_of(4_000_000, 2), 20_000, 0.6, Kernel.QUARTIC),
}


@pytest.mark.parametrize("name", list(QUICK_CASES))
def test_estimate_is_within_a_factor_of_the_measured_time(name):
    # On one thread and in CPU seconds, which other processes on the machine disturb less than
    # wall time; the estimate for one thread without the writing allowance is the same quantity.
    grid, points, radius, kernel = QUICK_CASES[name]
    if grid.cols == 2:
        x, y = np.full(points, 0.5), np.linspace(0.5, grid.rows - 0.5, points)
    else:
        x, y = clustered(points, grid)
    start = time.process_time()
    for _ in kernel_density_bands(x, y, grid, radius=radius, kernel=kernel, workers=1):
        pass
    measured = time.process_time() - start
    estimate = estimated_seconds(
        grid, points, radius=radius, kernel=kernel, workers=1, with_writing=False
    )
    assert measured / FACTOR <= estimate <= measured * FACTOR, (measured, estimate)


def test_estimate_rises_with_cells_points_and_radius():
    def seconds(rows=1000, cols=1000, points=10_000, radius=10.0):
        return estimated_seconds(grid_of(rows, cols), points, radius=radius, kernel=Kernel.QUARTIC)

    by_rows = [seconds(rows=rows) for rows in (10, 100, 1000, 10**4, 10**6, 10**9)]
    by_cols = [seconds(cols=cols) for cols in (1, 10, 1000, 10**5, 10**7)]
    by_points = [seconds(points=points) for points in (1, 100, 10**4, 10**6, 10**9)]
    by_radius = [seconds(radius=radius) for radius in (0.5, 2.0, 5.0, 20.0, 100.0, 400.0)]
    for series in (by_rows, by_cols, by_points, by_radius):
        assert series == sorted(series) and series[0] < series[-1]


def test_a_trillion_cells_is_estimated_at_hours_instantly():
    grid = grid_of(10**6, 10**6)
    start = time.perf_counter()
    seconds = estimated_seconds(grid, 10**6, radius=20.0, kernel=Kernel.QUARTIC)
    assert time.perf_counter() - start < 0.01
    assert seconds > 3 * 3600


def test_estimate_refuses_what_it_cannot_size():
    grid = grid_of(10, 10)
    for radius in (0.0, -1.0, math.inf, math.nan):
        with pytest.raises(ValueError, match="radius"):
            estimated_seconds(grid, 10, radius=radius, kernel=Kernel.QUARTIC)
    with pytest.raises(ValueError, match="too large"):
        estimated_seconds(grid, 10, radius=1e160, kernel=Kernel.QUARTIC)


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.GAUSSIAN])
def test_cell_size_for_seconds_is_about_the_smallest_within_the_budget(kernel):
    extent, points, radius, budget = (0.0, 0.0, 50_000.0, 30_000.0), 10**6, 500.0, 60.0

    def seconds(cell_size: float) -> float:
        grid = native_grid(*extent, padding=radius, cell_size=cell_size)
        return estimated_seconds(grid, points, radius=radius, kernel=kernel)

    assert seconds(1.0) > budget  # 2 billion cells: the request the advice is for
    cell_size = cell_size_for_seconds(extent, points, radius=radius, kernel=kernel, seconds=budget)
    assert seconds(cell_size) <= budget < seconds(cell_size / 1.05)


def test_cell_size_for_seconds_gives_up_when_the_points_alone_take_longer():
    extent = (0.0, 0.0, 1000.0, 1000.0)
    advice = cell_size_for_seconds(extent, 10**12, radius=5.0, kernel=Kernel.QUARTIC, seconds=60)
    assert advice is None
    with pytest.raises(ValueError, match="budget"):
        cell_size_for_seconds(extent, 10, radius=5.0, kernel=Kernel.QUARTIC, seconds=0)
