"""Bad arguments raise ValueError with a message a user can act on; sizing is instant."""

from __future__ import annotations

import time

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Grid,
    kernel_density,
    kernel_density_on_grid,
    native_grid,
    working_memory_bytes,
)

ONE = np.array([1.0])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"radius": 0.0}, "radius must be a positive"),
        ({"radius": -3.0}, "radius must be a positive"),
        ({"radius": np.array([float("nan")])}, "radius must be a positive"),
        ({"cell_size": 0.0}, "cell size must be a positive"),
        ({"kernel": 9}, "not a valid Kernel"),
        ({"output_value": 4}, "not a valid OutputValue"),
        ({"weight": np.array([1.0, 2.0])}, "2 weights for 1 points"),
        ({"weight": np.array([np.nan])}, "Weights must be finite"),
        ({"decay": float("inf")}, "decay must be a finite"),
    ],
)
def test_invalid_arguments(arguments, message):
    call = {"radius": 5.0, "cell_size": 1.0} | arguments
    with pytest.raises(ValueError, match=message):
        kernel_density(ONE, ONE, **call)


def test_invalid_points():
    with pytest.raises(ValueError, match="no points"):
        kernel_density(np.array([]), np.array([]), radius=5.0, cell_size=1.0)
    with pytest.raises(ValueError, match="differ in length"):
        kernel_density(np.array([1.0, 2.0]), ONE, radius=5.0, cell_size=1.0)
    with pytest.raises(ValueError, match="finite"):
        kernel_density(np.array([np.nan]), ONE, radius=5.0, cell_size=1.0)


def test_invalid_grid():
    with pytest.raises(ValueError, match="at least one row"):
        Grid(x_min=0.0, y_max=0.0, cell_size=1.0, rows=0, cols=3)
    with pytest.raises(ValueError, match="cell size"):
        native_grid(0, 0, 1, 1, padding=1.0, cell_size=-1.0)


def test_single_point_without_extent_gets_a_grid():
    grid, values = kernel_density(ONE, ONE, radius=2.0, cell_size=1.0)
    # extent 0 x 0 grown by 2: cols = rows = ceil(4 / 1) + 1, the point on a cell corner
    assert grid.shape == (5, 5)
    np.testing.assert_allclose(values[1:3, 1:3], (1 - 0.5 / 4) ** 2, rtol=1e-14)


def test_memory_estimate_is_instant_for_a_trillion_cells():
    grid = Grid(x_min=0.0, y_max=0.0, cell_size=1e-3, rows=1_000_000, cols=1_000_000)
    start = time.perf_counter()
    needed = working_memory_bytes(grid, 10_000_000, radius=1.0)
    assert time.perf_counter() - start < 0.01
    assert needed >= 8 * 10**12


def test_points_outside_the_grid_contribute_only_where_they_reach():
    grid = Grid(x_min=0.0, y_max=10.0, cell_size=1.0, rows=10, cols=10)
    far = kernel_density_on_grid(np.array([100.0]), np.array([100.0]), grid, radius=5.0)
    assert not far.any()
    near = kernel_density_on_grid(np.array([-2.0]), np.array([5.0]), grid, radius=5.0)
    assert near[:, 0].any() and not near[:, 3:].any()


def test_peak_memory_stays_within_the_estimate_and_three_outputs():
    import tracemalloc

    rng = np.random.default_rng(9)
    x, y = rng.uniform(0, 800, 200_000), rng.uniform(0, 600, 200_000)
    grid = Grid(x_min=0.0, y_max=600.0, cell_size=1.0, rows=600, cols=800)
    points_bytes = 3 * x.nbytes
    tracemalloc.start()
    try:
        kernel_density_on_grid(x, y, grid, radius=12.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak <= working_memory_bytes(grid, len(x), radius=12.0)
    assert peak <= 3 * grid.cells * 8 + 10 * points_bytes
