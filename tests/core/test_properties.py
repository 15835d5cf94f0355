"""Property-based: random and degenerate inputs against the brute-force reference."""

from __future__ import annotations

import numpy as np
from compare import evaluate_both
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kde_heatmap_plugin.core import Grid, Kernel, OutputValue

coordinates = st.floats(min_value=-20.0, max_value=60.0, allow_nan=False, width=32)


@st.composite
def layouts(draw):
    """Points as drawn, or degenerate: all identical, on cell edges, or collinear."""
    cell = draw(st.sampled_from([0.5, 1.0, 2.5, 3.0]))
    count = draw(st.integers(min_value=1, max_value=12))
    kind = draw(st.sampled_from(["random", "identical", "cell edges", "collinear"]))
    if kind == "random":
        x = draw(st.lists(coordinates, min_size=count, max_size=count))
        y = draw(st.lists(coordinates, min_size=count, max_size=count))
    elif kind == "identical":
        x, y = [draw(coordinates)] * count, [draw(coordinates)] * count
    elif kind == "cell edges":
        grid_steps = st.integers(min_value=-4, max_value=24)
        x = [draw(grid_steps) * cell for _ in range(count)]
        y = [draw(grid_steps) * cell for _ in range(count)]
    else:
        start, slope = draw(coordinates), draw(st.floats(-3, 3))
        x = [start + k * 1.7 for k in range(count)]
        y = [10.0 + slope * k * 1.7 for k in range(count)]
    return cell, np.array(x, dtype=float), np.array(y, dtype=float)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    layout=layouts(),
    kernel=st.sampled_from(list(Kernel)),
    output_value=st.sampled_from(list(OutputValue)),
    radius_cells=st.floats(min_value=0.3, max_value=14.0),
    per_point=st.booleans(),
    weighted=st.booleans(),
    origin=st.tuples(st.floats(-30, 0), st.floats(40, 70)),
    shape=st.tuples(st.integers(1, 40), st.integers(1, 40)),
    decay=st.floats(min_value=-0.4, max_value=2.0),
    seed=st.integers(0, 2**16),
)
def test_matches_brute_force(
    layout, kernel, output_value, radius_cells, per_point, weighted, origin, shape, decay, seed
):
    cell, x, y = layout
    rng = np.random.default_rng(seed)
    radius = radius_cells * cell
    if per_point:
        radius = radius * rng.uniform(0.2, 1.5, len(x))
    weight = rng.uniform(-1.0, 3.0, len(x)) if weighted else None
    grid = Grid(x_min=origin[0], y_max=origin[1], cell_size=cell, rows=shape[0], cols=shape[1])
    values, reference = evaluate_both(x, y, grid, radius, kernel, decay, output_value, weight)
    scale = max(np.abs(reference).max(), np.abs(values).max())
    np.testing.assert_allclose(values, reference, rtol=0, atol=1e-9 * scale)
