"""The memory estimate against the peak NumPy allocations measured with tracemalloc.

NumPy reports its data buffers to tracemalloc, so the traced peak of a run is what the core
allocated beyond the caller's arrays, which is what ``working_memory_bytes`` estimates.

The bound checked: the estimate is at least the measured peak, and at most 2.5 times it. The
estimate adds up each part's worst case (a group as large as groups may get, every chunk full,
every tile's window as tall as its band, every thread at its peak while all tiles in flight wait
with their values), and a given layout of points realises most of those but seldom all: the
cases below, from a handful of points to a million, dense and sparse, measure 1.3 to 2.3. They
run on one thread, so that the peak does not depend on how the threads happen to overlap (the
estimate for two threads counts both at their peak; one case checks it is still an upper bound).
"""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Grid,
    Kernel,
    OutputValue,
    kernel_density_bands,
    kernel_density_on_grid,
    sort_points_by_row,
    working_memory_bytes,
)

MOST_OVER = 2.5


def grid_of(rows: int, cols: int) -> Grid:
    return Grid(x_min=0.0, y_max=float(rows), cell_size=1.0, rows=rows, cols=cols)


@dataclass(frozen=True)
class Case:
    grid: Grid
    points: int
    radius_cells: float
    kernel: Kernel
    layout: str = "uniform"  # or "clusters"
    per_point_radius: bool = False
    sorted_in_place: bool = False
    whole_output: bool = False
    weighted: bool = False
    output_value: OutputValue = OutputValue.RAW

    def arrays(self, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | float, np.ndarray]:
        rng = np.random.default_rng(seed)
        width, height = float(self.grid.cols), float(self.grid.rows)
        if self.layout == "uniform":
            x, y = rng.uniform(0, width, self.points), rng.uniform(0, height, self.points)
        else:
            centres = rng.uniform(0.2, 0.8, (5, 2)) * [width, height]
            xy = centres[rng.integers(0, 5, self.points)]
            xy += rng.normal(0, 0.05 * min(width, height), (self.points, 2))
            x, y = xy[:, 0].copy(), xy[:, 1].copy()
        radius = self.radius_cells
        if self.per_point_radius:
            radius = rng.uniform(0.3, 1.0, self.points) * self.radius_cells
        weight = rng.uniform(0.5, 2.0, self.points) if self.weighted else None
        return x, y, radius, weight

    def estimate(self, workers: int) -> int:
        return working_memory_bytes(
            self.grid,
            self.points,
            radius=self.radius_cells,
            kernel=self.kernel,
            workers=workers,
            whole_output=self.whole_output,
            per_point_radius=self.per_point_radius,
            sorted_in_place=self.sorted_in_place,
        )

    def measured_peak(self, workers: int, seed: int = 0) -> int:
        x, y, radius, weight = self.arrays(seed)
        arguments = {
            "radius": radius,
            "kernel": self.kernel,
            "weight": weight,
            "workers": workers,
            "output_value": self.output_value,
        }
        tracemalloc.start()
        try:
            if self.sorted_in_place:
                sort_points_by_row(x, y, self.grid, radius=radius, weight=weight)
            if self.whole_output:
                kernel_density_on_grid(x, y, self.grid, **arguments)
            else:
                for _ in kernel_density_bands(x, y, self.grid, **arguments):
                    pass
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


CASES = {
    "few points, small radius": Case(grid_of(300, 400), 5, 3.0, Kernel.QUARTIC),
    "many points, stamping": Case(grid_of(600, 800), 200_000, 2.5, Kernel.QUARTIC),
    "many points, row intervals": Case(
        grid_of(600, 800), 200_000, 12.0, Kernel.QUARTIC, layout="clusters"
    ),
    "few points, large radius": Case(grid_of(800, 800), 10, 150.0, Kernel.TRIWEIGHT),
    "Gaussian, large radius": Case(grid_of(400, 400), 50, 40.0, Kernel.GAUSSIAN),
    "tall and narrow, stamping": Case(grid_of(200_000, 3), 1000, 1.5, Kernel.EPANECHNIKOV),
    "tall and narrow, row intervals": Case(grid_of(200_000, 3), 1000, 30.0, Kernel.QUARTIC),
    "wide and short": Case(grid_of(20, 20_000), 5000, 4.0, Kernel.QUARTIC),
    "per-point radii, weights, density": Case(
        grid_of(600, 600),
        50_000,
        20.0,
        Kernel.QUARTIC,
        per_point_radius=True,
        weighted=True,
        output_value=OutputValue.DENSITY,
    ),
    "sorted in place first": Case(
        grid_of(600, 800), 300_000, 12.0, Kernel.QUARTIC, layout="clusters", sorted_in_place=True
    ),
    "uniform kernel": Case(grid_of(500, 500), 20_000, 25.0, Kernel.UNIFORM),
    "triangular, whole output": Case(
        grid_of(500, 700), 20_000, 8.0, Kernel.TRIANGULAR, whole_output=True
    ),
    "a million points on a small grid": Case(grid_of(100, 100), 1_000_000, 3.0, Kernel.QUARTIC),
}


@pytest.mark.parametrize("name", list(CASES))
def test_estimate_bounds_the_measured_peak_within_a_factor(name):
    case = CASES[name]
    peak, estimate = case.measured_peak(workers=1), case.estimate(workers=1)
    assert peak <= estimate <= MOST_OVER * peak, f"peak {peak:,} B, estimate {estimate:,} B"


def test_estimate_for_two_threads_bounds_their_peak():
    case = CASES["many points, row intervals"]
    assert case.measured_peak(workers=2) <= case.estimate(workers=2)


def test_per_row_arrays_do_not_grow_with_the_rows():
    # 10 million rows, 2 columns, two points: the bands' and the sort's per-band arrays are
    # small, and nothing is as long as the rows (a per-row count alone would be 80 MB).
    case = Case(grid_of(10_000_000, 2), 2, 0.5, Kernel.QUARTIC)
    peak = case.measured_peak(workers=1)
    assert peak <= case.estimate(workers=1) < 8 * 10**6


def test_a_large_radius_on_a_large_grid_is_sized_as_the_core_runs_it():
    # 10,000 x 10,000 cells and a radius of 5000 cells, 3 points: the whole grid is one band and
    # one tile, whose window holds the quartic's 5 coefficient planes (5.3 GB) beside the band
    # (0.8 GB); measured here, 5.1 GB resident. Not the 48.5 GB of two threads' full windows.
    grid = grid_of(10_000, 10_000)
    estimate = working_memory_bytes(grid, 3, radius=5000.0, kernel=Kernel.QUARTIC, workers=2)
    streamed = estimate - grid.cells * 8
    assert 5e9 < streamed < 8e9


def test_estimate_grows_with_the_points_and_the_rows():
    def streamed(grid: Grid, points: int) -> int:
        return working_memory_bytes(grid, points, radius=10.0, workers=1, whole_output=False)

    grid = grid_of(1000, 1000)
    assert streamed(grid, 10**8) - streamed(grid, 10) >= 4 * (10**8 - 10)  # the points' order
    assert streamed(grid_of(10**9, 1000), 10) - streamed(grid, 10) >= 8 * 10**9 // 128
