"""The core against a brute-force evaluation at true cell centres, for every kernel and output."""

from __future__ import annotations

import numpy as np
import pytest
from compare import evaluate_both
from reference import brute_force

from kde_heatmap_plugin.core import (
    Grid,
    Kernel,
    OutputValue,
    estimators,
    kernel_density,
    kernel_density_on_grid,
)

TOLERANCE = 1e-9  # relative to the largest absolute value of the reference


@pytest.fixture(autouse=True, params=["one band", "bands of 3 rows"])
def band_rows(request, monkeypatch):
    """Every case on the default bands (the test grids fit in one) and on many small ones.

    With bands of 3 rows (at least two halos), stamping tiles of 4 columns (likewise) and groups
    of 7 points, points near every band and tile edge have discs crossing several bands and
    tiles, and bands with many points are tiled a group at a time.
    """
    if request.param == "bands of 3 rows":
        monkeypatch.setattr(estimators, "BAND_ROWS", 3)
        monkeypatch.setattr(estimators, "BAND_CELLS", 0)
        monkeypatch.setattr(estimators, "STAMP_TILE_COLS", 4)
        monkeypatch.setattr(estimators, "GROUP_POINTS", 7)


def assert_matches(values: np.ndarray, reference: np.ndarray, unreached=None) -> None:
    assert values.shape == reference.shape
    scale = np.abs(reference).max()
    assert scale > 0, "the reference is empty: the case tests nothing"
    np.testing.assert_allclose(values, reference, rtol=0, atol=TOLERANCE * scale)
    if unreached is not None:
        assert unreached.any() and not unreached.all()
        assert (values[unreached] == 0).all(), "cells no point reaches must hold exactly 0"


def unreached_cells(x, y, grid: Grid, radius) -> np.ndarray:
    """Cells whose centre is farther than its radius (plus rounding) from every point."""
    centre_x = grid.x_min + (np.arange(grid.cols) + 0.5) * grid.cell_size
    centre_y = grid.y_max - (np.arange(grid.rows) + 0.5) * grid.cell_size
    radii = np.broadcast_to(np.asarray(radius, dtype=float), np.shape(x))
    far = np.ones(grid.shape, dtype=bool)
    for px, py, r in zip(x, y, radii):
        d_squared = (centre_x[None, :] - px) ** 2 + (centre_y[:, None] - py) ** 2
        far &= d_squared > r * r * (1 + 1e-9)
    return far


@pytest.mark.parametrize("output_value", list(OutputValue))
@pytest.mark.parametrize("kernel", list(Kernel))
@pytest.mark.parametrize("radius_cells", [0.6, 2.5, 7.3, 16.0])
def test_weighted_points_every_kernel_and_output(kernel, output_value, radius_cells):
    rng = np.random.default_rng(int(kernel) * 100 + int(output_value) * 10 + int(radius_cells))
    cell = 2.5
    x = rng.uniform(100, 160, 40)
    y = rng.uniform(-50, -10, 40)
    weight = rng.uniform(0.2, 5.0, 40)
    grid, values = kernel_density(
        x,
        y,
        radius=radius_cells * cell,
        cell_size=cell,
        kernel=kernel,
        decay=0.25,
        output_value=output_value,
        weight=weight,
    )
    reference = brute_force(
        x,
        y,
        grid.x_min,
        grid.y_max,
        cell,
        grid.rows,
        grid.cols,
        radius_cells * cell,
        int(kernel),
        0.25,
        int(output_value),
        weight,
    )
    assert_matches(values, reference, unreached_cells(x, y, grid, radius_cells * cell))


@pytest.mark.parametrize("kernel", list(Kernel))
def test_per_point_radii_including_radii_smaller_than_a_cell(kernel):
    rng = np.random.default_rng(int(kernel))
    x = rng.uniform(0, 50, 60)
    y = rng.uniform(0, 50, 60)
    radius = rng.choice([0.3, 0.9, 2.2, 6.5, 9.0, 14.0], size=60)
    grid = Grid(x_min=-5.0, y_max=55.0, cell_size=1.0, rows=60, cols=60)
    values, reference = evaluate_both(
        x, y, grid, radius, kernel, 0.5, OutputValue.DENSITY, rng.uniform(1, 2, 60)
    )
    assert_matches(values, reference, unreached_cells(x, y, grid, radius))


@pytest.mark.parametrize("kernel", list(Kernel))
def test_points_on_cell_edges_corners_and_centres(kernel):
    # The grid's cell edges are at multiples of 2; radii of whole cells put centres exactly on
    # the circle, where d <= r must include them (it matters for uniform and triangular).
    edges = np.array([10.0, 12.0, 14.0, 20.0])
    centres = edges + 1.0
    x = np.concatenate([edges, centres, edges, centres])
    y = np.concatenate([edges, centres, centres, edges])
    grid = Grid(x_min=0.0, y_max=34.0, cell_size=2.0, rows=17, cols=16)
    for radius in (2.0, 6.0, 10.0, 14.0):
        values, reference = evaluate_both(x, y, grid, radius, kernel, 0.1)
        assert_matches(values, reference)


@pytest.mark.parametrize("kernel", list(Kernel))
def test_points_near_and_beyond_the_raster_border(kernel):
    grid = Grid(x_min=0.0, y_max=30.0, cell_size=1.0, rows=30, cols=40)
    x = np.array([-3.0, 0.2, 39.9, 43.5, 20.0, 20.0, -50.0])
    y = np.array([15.0, 0.1, 29.7, 10.0, -4.0, 33.0, -50.0])
    values, reference = evaluate_both(x, y, grid, 9.0, kernel, 0.0)
    assert_matches(values, reference, unreached_cells(x, y, grid, 9.0))


@pytest.mark.parametrize("kernel", list(Kernel))
def test_multipoint_parts_and_repeated_points_add_up(kernel):
    # A multipoint is its parts: identical points add, and weight 3 equals three copies.
    grid = Grid(x_min=0.0, y_max=20.0, cell_size=0.5, rows=40, cols=40)
    x, y = np.array([7.3, 7.3, 7.3, 12.1]), np.array([8.8, 8.8, 8.8, 11.4])
    tripled = kernel_density_on_grid(x, y, grid, radius=6.0, kernel=kernel)
    weighted = kernel_density_on_grid(
        x[2:], y[2:], grid, radius=6.0, kernel=kernel, weight=np.array([3.0, 1.0])
    )
    np.testing.assert_allclose(tripled, weighted, rtol=1e-12, atol=1e-12 * tripled.max())
    reference = brute_force(x, y, 0.0, 20.0, 0.5, 40, 40, 6.0, int(kernel))
    assert_matches(tripled, reference)


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.EPANECHNIKOV, Kernel.TRIANGULAR])
def test_negative_and_zero_weights(kernel):
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 30, 30), rng.uniform(0, 30, 30)
    weight = rng.uniform(-2, 2, 30)
    weight[:5] = 0.0
    grid = Grid(x_min=-8.0, y_max=38.0, cell_size=1.0, rows=46, cols=46)
    values, reference = evaluate_both(x, y, grid, 8.0, kernel, -0.4, OutputValue.RAW, weight)
    scale = np.abs(reference).max()
    np.testing.assert_allclose(values, reference, rtol=0, atol=TOLERANCE * scale)
    assert values.min() < 0


def test_large_radius_on_a_large_grid_keeps_its_digits():
    # Row intervals expand polynomials about tile centres; far-away points must not cost digits.
    rng = np.random.default_rng(11)
    x, y = rng.uniform(0, 1000, 25), rng.uniform(0, 600, 25)
    grid = Grid(x_min=-150.0, y_max=750.0, cell_size=5.0, rows=180, cols=260)
    for kernel in (Kernel.QUARTIC, Kernel.TRIWEIGHT, Kernel.UNIFORM):
        values, reference = evaluate_both(x, y, grid, 140.0, kernel)
        assert_matches(values, reference)


def test_native_grid_matches_native_rules():
    x, y = np.array([0.0, 95.0]), np.array([0.0, 42.0])
    grid, values = kernel_density(x, y, radius=10.0, cell_size=4.0)
    # extent 95 x 42 grown by 10 each side: 115 x 62; cols = ceil(115/4)+1, rows = ceil(62/4)+1
    assert (grid.x_min, grid.y_max, grid.cols, grid.rows) == (-10.0, 52.0, 30, 17)
    assert values.shape == (17, 30)
    assert values.dtype == np.float64
