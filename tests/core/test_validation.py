"""Bad arguments raise ValueError with a message a user can act on; sizing is instant."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reference import brute_force

from kde_heatmap_plugin.core import (
    SMALLEST_RADIUS,
    Grid,
    InvalidInput,
    Kernel,
    OutputValue,
    Reason,
    kernel_density,
    kernel_density_bands,
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


ON_A_SMALL_GRID = Grid(x_min=0.0, y_max=4.0, cell_size=1.0, rows=4, cols=4)


@pytest.mark.parametrize(
    ("arguments", "reason", "facts"),
    [
        # r² underflows: 0/0 gave a NaN cell
        ({"radius": 1e-300}, Reason.RADIUS_TOO_SMALL, {"radius": 1e-300, "index": -1}),
        ({"radius": np.array([1.0, 1e-160, 2.0])}, Reason.RADIUS_TOO_SMALL, {"index": 1}),
        ({"radius": 1e200}, Reason.RADIUS_TOO_LARGE, {"radius": 1e200}),
        # in cells: 1e160, whose square overflows
        ({"radius": 1e150, "grid": Grid(0.0, 4e-10, 1e-10, 4, 4)}, Reason.RADIUS_TOO_LARGE, {}),
        # Density's 1 / (r² π/3) is 9.5e299: gave inf cells
        (
            {"radius": 1e-150, "output_value": OutputValue.DENSITY},
            Reason.OUTPUT_FACTOR_OUT_OF_RANGE,
            {"radius": 1e-150},
        ),
        # Expected count's cell² overflows
        (
            {"radius": 1e150, "output_value": 3, "grid": Grid(0.0, 4e200, 1e200, 4, 4)},
            Reason.OUTPUT_FACTOR_OUT_OF_RANGE,
            {},
        ),
        # Density's 1 / (r² π/3) underflows to a subnormal number
        (
            {"radius": 1.3e154, "output_value": 2, "grid": Grid(0.0, 4e150, 1e150, 4, 4)},
            Reason.OUTPUT_FACTOR_OUT_OF_RANGE,
            {},
        ),  # fmt: skip
        ({"weight": np.array([1e300])}, Reason.WEIGHTS_TOO_LARGE, {"index": 0, "weight": 1e300}),
        (
            {"weight": np.array([1.0, 1e289, 9.5e289])},
            Reason.WEIGHTS_TOO_LARGE,
            {"index": 2, "weight": 9.5e289},
        ),
        ({"kernel": Kernel.TRIANGULAR, "decay": 1e300}, Reason.WEIGHTS_TOO_LARGE, {}),
    ],
)
def test_values_out_of_float64_range_are_refused_before_any_band(arguments, reason, facts):
    call = {"radius": 1.0, "grid": ON_A_SMALL_GRID} | arguments
    size = np.size(call["weight"]) if "weight" in call else np.size(call["radius"])
    x = y = np.full(size, 2.0) * call["grid"].cell_size
    with pytest.raises(InvalidInput) as raised:
        kernel_density_bands(x, y, **call)  # raised at the call, before the first band
    assert raised.value.reason == reason
    assert isinstance(raised.value, ValueError)
    assert {name: raised.value.facts[name] for name in facts} == facts


def test_just_inside_the_range_computes_finite_values():
    x = y = np.array([2.0])
    smallest = SMALLEST_RADIUS * 1.0001
    grid = Grid(x_min=2.0 - 2 * smallest, y_max=2.0 + 2 * smallest, cell_size=smallest, rows=4,
                cols=4)  # fmt: skip
    values = kernel_density_on_grid(x, y, grid, radius=2 * smallest)
    assert np.isfinite(values).all() and values.max() > 0
    heavy = kernel_density_on_grid(x, y, ON_A_SMALL_GRID, radius=1.5, weight=np.array([1e289]))
    assert np.isfinite(heavy).all() and heavy.max() > 1e288


def test_native_grids_too_large_for_float64_are_refused():
    for padding, cell_size in ((1.0, 1e-300), (1e300, 1.0), (1e308, 1.0), (1.0, 1e-16)):
        with pytest.raises(InvalidInput) as raised:
            native_grid(0.0, 0.0, 1e2, 1e2, padding=padding, cell_size=cell_size)
        assert raised.value.reason == Reason.GRID_TOO_LARGE
    with pytest.raises(ValueError, match="extent"):
        native_grid(0.0, 0.0, math.inf, 1.0, padding=1.0, cell_size=1.0)
    grid = native_grid(0.0, 0.0, 1.0, 1e15, padding=0.5, cell_size=1.0)  # allowed, just
    assert grid.rows == 10**15 + 2 and grid.cols == 3


def test_grid_rows_and_columns_are_whole_numbers_in_range():
    for rows in (2.5, math.inf, math.nan, True, "3"):
        with pytest.raises(ValueError):
            Grid(x_min=0.0, y_max=0.0, cell_size=1.0, rows=rows, cols=3)
    with pytest.raises(InvalidInput) as raised:
        Grid(x_min=0.0, y_max=0.0, cell_size=1.0, rows=2**60, cols=3)
    assert raised.value.reason == Reason.GRID_TOO_LARGE
    with pytest.raises(InvalidInput) as raised:
        Grid(x_min=1e308, y_max=0.0, cell_size=1e307, rows=3, cols=100)
    assert raised.value.reason == Reason.GRID_NOT_FINITE
    grid = Grid(x_min=0.0, y_max=0.0, cell_size=1.0, rows=np.int64(3 * 10**9), cols=np.int32(4))
    assert type(grid.rows) is int and grid.cells == 12 * 10**9  # no int64 overflow downstream


def test_a_radius_far_larger_than_the_grid_costs_only_the_grid():
    # 10^7 cells of radius on a 20 x 30 grid: discs and squares are cut to the tiles' windows
    # (before, each point's 2 x 10^7 rows were listed, or its square of 4 x 10^14 cells).
    rng = np.random.default_rng(4)
    x, y = rng.uniform(-1e6, 1e6, 7), rng.uniform(-1e6, 1e6, 7)
    grid = Grid(x_min=0.0, y_max=20.0, cell_size=1.0, rows=20, cols=30)
    for kernel in (Kernel.QUARTIC, Kernel.UNIFORM, Kernel.GAUSSIAN, Kernel.TRIANGULAR):
        values = kernel_density_on_grid(x, y, grid, radius=1e7, kernel=kernel, decay=0.5)
        reference = brute_force(x, y, 0.0, 20.0, 1.0, 20, 30, 1e7, int(kernel), 0.5)
        np.testing.assert_allclose(values, reference, rtol=1e-9)


@pytest.mark.filterwarnings("error::RuntimeWarning")  # no overflow, even in temporaries
@settings(max_examples=200, deadline=None)
@given(
    radius_exponent=st.integers(-170, 170),
    cell_exponent=st.integers(-170, 170),
    weight_exponent=st.integers(-300, 300),
    kernel=st.sampled_from(list(Kernel)),
    output_value=st.sampled_from(list(OutputValue)),
    decay=st.sampled_from([-0.4, 0.0, 0.5, 1e10, 1e300]),
    offsets=st.lists(st.floats(-3.0, 3.0), min_size=2, max_size=6),
)
def test_finite_inputs_give_finite_cells_or_a_refusal(
    radius_exponent, cell_exponent, weight_exponent, kernel, output_value, decay, offsets
):
    radius, cell = 10.0**radius_exponent, 10.0**cell_exponent
    points = np.array(offsets) * radius
    x, y = points, points[::-1].copy()
    weight = np.full(len(x), 10.0**weight_exponent)
    try:
        grid = Grid(x_min=-4 * cell, y_max=4 * cell, cell_size=cell, rows=8, cols=8)
        values = kernel_density_on_grid(
            x, y, grid, radius=radius, kernel=kernel, decay=decay, output_value=output_value,
            weight=weight,
        )  # fmt: skip
    except ValueError:
        return
    assert np.isfinite(values).all()


def test_extent_grid_covers_the_extent_from_its_top_left_corner():
    from kde_heatmap_plugin.core import extent_grid

    grid = extent_grid(100.0, 200.0, 350.0, 260.0, 10.0)
    assert (grid.x_min, grid.y_max, grid.rows, grid.cols) == (100.0, 260.0, 6, 25)
    grid = extent_grid(100.0, 200.0, 351.0, 260.5, 10.0)  # not whole cells: one more each
    assert (grid.rows, grid.cols) == (7, 26)
    assert extent_grid(5.0, 5.0, 5.0, 5.0, 1.0).shape == (1, 1)
    with pytest.raises(ValueError, match="below its minimum"):
        extent_grid(1.0, 0.0, 0.0, 1.0, 1.0)
