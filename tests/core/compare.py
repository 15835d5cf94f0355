"""The core and the brute-force reference evaluated on the same points and grid."""

from __future__ import annotations

from reference import brute_force

from kde_heatmap_plugin.core import kernel_density_on_grid


def evaluate_both(x, y, grid, radius, kernel, decay=0.0, output_value=0, weight=None):
    values = kernel_density_on_grid(
        x,
        y,
        grid,
        radius=radius,
        kernel=kernel,
        decay=decay,
        output_value=output_value,
        weight=weight,
    )
    reference = brute_force(
        x,
        y,
        grid.x_min,
        grid.y_max,
        grid.cell_size,
        grid.rows,
        grid.cols,
        radius,
        int(kernel),
        decay,
        int(output_value),
        weight,
    )
    return values, reference
