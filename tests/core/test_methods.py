"""The estimation methods agree, threads change nothing, and progress and cancel work."""

from __future__ import annotations

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Cancelled,
    Grid,
    Kernel,
    estimators,
    kernel_density_bands,
    kernel_density_on_grid,
    sort_points_by_row,
)


@pytest.fixture
def clustered_points():
    rng = np.random.default_rng(2)
    centres = rng.uniform(0, 300, (6, 2))
    xy = centres[rng.integers(0, 6, 3000)] + rng.normal(0, 12, (3000, 2))
    return xy[:, 0], xy[:, 1], rng.uniform(0.5, 2.0, 3000)


@pytest.mark.parametrize(
    "kernel", [Kernel.QUARTIC, Kernel.TRIWEIGHT, Kernel.EPANECHNIKOV, Kernel.UNIFORM]
)
@pytest.mark.parametrize("radius", [5.0, 23.0])
def test_row_intervals_equal_stamping(kernel, radius, clustered_points):
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=2.0, rows=190, cols=190)
    radii = np.full(len(x), radius)
    by_rows = estimators.evaluate(grid, x, y, radii, weight, kernel, 0.0, method="rows")
    by_stamps = estimators.evaluate(grid, x, y, radii, weight, kernel, 0.0, method="stamp")
    np.testing.assert_allclose(by_rows, by_stamps, rtol=0, atol=1e-11 * by_stamps.max())
    np.testing.assert_array_equal(by_rows == 0, by_stamps == 0)


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.GAUSSIAN])
def test_small_bands_tiles_and_chunks_change_nothing(kernel, clustered_points, monkeypatch):
    x, y, weight = clustered_points
    radius = np.where(np.arange(len(x)) % 3, 30.0, 7.0)  # two radius classes: two passes
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=2.0, rows=190, cols=190)
    expected = kernel_density_on_grid(x, y, grid, radius=radius, kernel=kernel, weight=weight)
    monkeypatch.setattr(estimators, "BAND_ROWS", 5)
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    monkeypatch.setattr(estimators, "STAMP_TILE_COLS", 3)
    monkeypatch.setattr(estimators, "CHUNK_ELEMENTS", 256)  # squares of 33 x 33: slabs of rows
    monkeypatch.setattr(estimators, "GROUP_POINTS", 100)
    tiled = kernel_density_on_grid(x, y, grid, radius=radius, kernel=kernel, weight=weight)
    np.testing.assert_allclose(tiled, expected, rtol=0, atol=1e-11 * expected.max())


def test_bands_come_in_order_and_cover_every_row_once(clustered_points, monkeypatch):
    monkeypatch.setattr(estimators, "BAND_ROWS", 16)
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=1.0, rows=383, cols=380)
    expected = kernel_density_on_grid(x, y, grid, radius=6.0, weight=weight)
    rows_seen = []
    for first_row, values in kernel_density_bands(x, y, grid, radius=6.0, weight=weight):
        assert values.shape[1] == grid.cols and values.dtype == np.float64
        np.testing.assert_array_equal(values, expected[first_row : first_row + len(values)])
        rows_seen.extend(range(first_row, first_row + len(values)))
    assert rows_seen == list(range(grid.rows))


def test_bands_check_their_arguments_when_called():
    grid = Grid(x_min=0.0, y_max=10.0, cell_size=1.0, rows=10, cols=10)
    with pytest.raises(ValueError, match="radius must be a positive number"):
        kernel_density_bands(np.zeros(2), np.zeros(2), grid, radius=-1.0)


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.GAUSSIAN])
def test_threads_give_the_same_result(kernel, clustered_points):
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=1.0, rows=380, cols=380)
    one = kernel_density_on_grid(x, y, grid, radius=10.0, kernel=kernel, weight=weight, workers=1)
    four = kernel_density_on_grid(x, y, grid, radius=10.0, kernel=kernel, weight=weight, workers=4)
    np.testing.assert_array_equal(one, four)


def test_progress_is_reported_and_reaches_one(clustered_points, monkeypatch):
    monkeypatch.setattr(estimators, "BAND_ROWS", 40)
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=1.0, rows=380, cols=380)
    reported = []
    kernel_density_on_grid(
        x, y, grid, radius=15.0, weight=weight, progress=lambda f: reported.append(f) or True
    )
    assert reported[-1] == 1.0
    assert all(0.0 <= f <= 1.0 for f in reported)
    assert reported == sorted(reported)


def test_cancel_stops_with_cancelled(clustered_points, monkeypatch):
    monkeypatch.setattr(estimators, "PROGRESS_INTERVAL", 0.001)
    monkeypatch.setattr(estimators, "CHUNK_ELEMENTS", 256)
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=0.5, rows=760, cols=760)
    calls = []

    def stop_after_two(fraction: float) -> bool:
        calls.append(fraction)
        return len(calls) < 2

    with pytest.raises(Cancelled):
        kernel_density_on_grid(x, y, grid, radius=15.0, weight=weight, progress=stop_after_two)
    assert len(calls) == 2 and calls[-1] < 1.0


def test_a_failing_tile_raises_its_own_error(clustered_points, monkeypatch):
    def broken(*args, **kwargs):
        raise MemoryError("tile")

    monkeypatch.setattr(estimators, "_row_interval_tile", broken)
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=2.0, rows=190, cols=190)
    with pytest.raises(MemoryError, match="tile"):
        kernel_density_on_grid(x, y, grid, radius=30.0, weight=weight)


def test_float32_output_rounds_only_to_float32(clustered_points):
    x, y, weight = clustered_points
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=1.0, rows=380, cols=380)
    exact = kernel_density_on_grid(x, y, grid, radius=25.0, weight=weight)
    out = np.full(grid.shape, np.nan, dtype=np.float32)
    returned = kernel_density_on_grid(x, y, grid, radius=25.0, weight=weight, out=out)
    assert returned is out
    np.testing.assert_allclose(out, exact, rtol=0, atol=3e-7 * exact.max())
    np.testing.assert_array_equal(out == 0, exact == 0)
    with pytest.raises(ValueError, match="float32 or float64 array of shape"):
        kernel_density_on_grid(x, y, grid, radius=25.0, out=np.zeros((3, 3)))


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.GAUSSIAN])
@pytest.mark.parametrize("per_point_radius", [False, True])
def test_points_sorted_by_row_give_the_same_density_without_an_index(
    kernel, per_point_radius, clustered_points, monkeypatch
):
    monkeypatch.setattr(estimators, "BAND_ROWS", 16)
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    x, y, weight = (array.copy() for array in clustered_points)
    weight[::7] = 0.0  # points that do not count
    x[::11] += 1000.0  # far off the grid
    radius = np.where(np.arange(len(x)) % 3, 9.0, 4.0) if per_point_radius else 9.0
    grid = Grid(x_min=-40.0, y_max=340.0, cell_size=1.0, rows=380, cols=380)
    expected = kernel_density_on_grid(x, y, grid, radius=radius, kernel=kernel, weight=weight)
    before = sorted(zip(x, y, weight))
    sort_points_by_row(x, y, grid, radius=radius, weight=weight)
    assert sorted(zip(x, y, weight)) == before  # the same points, reordered together
    prepared = estimators._Points(grid, x, y, np.broadcast_to(radius, x.shape), weight)
    band_rows, _ = estimators.band_layout(grid, 10)  # radius 9: a halo of 10 cells
    order, _ = estimators._band_order(grid, prepared, band_rows, False, estimators._Progress(None))
    assert order is None  # used where they are
    sorted_result = kernel_density_on_grid(x, y, grid, radius=radius, kernel=kernel, weight=weight)
    np.testing.assert_array_equal(sorted_result, expected)


def test_sorting_in_place_needs_writable_float64_arrays():
    grid = Grid(x_min=0.0, y_max=10.0, cell_size=1.0, rows=10, cols=10)
    frozen = np.zeros(3)
    frozen.flags.writeable = False
    for x in (np.zeros(3, dtype=np.float32), frozen, [0.0, 1.0, 2.0], np.zeros(6)[::2]):
        with pytest.raises(ValueError, match="writable 1-D float64"):
            sort_points_by_row(x, np.zeros(3), grid, radius=1.0)
