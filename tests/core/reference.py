"""Independent references for the core: brute force and the published constants.

Nothing here imports the core's kernels: the formulas are written out again from their
definitions (qgskde.cpp for Raw and Scaled; unit integrals for Density), so a mistake in the
core cannot hide in its own reference.
"""

from __future__ import annotations

import math

import numpy as np


def raw_kernel(kernel: int, u: float, decay: float) -> float:
    """The kernel's shape at u = d / r (0 <= u <= 1), by its index 0..5."""
    if kernel == 0:
        return (1 - u * u) ** 2
    if kernel == 1:
        return 1 - (1 - decay) * u
    if kernel == 2:
        return 1.0
    if kernel == 3:
        return (1 - u * u) ** 3
    if kernel == 4:
        return 1 - u * u
    return math.exp(-4.5 * u * u)


def output_factor(kernel: int, output_value: int, r: float, decay: float, cell: float) -> float:
    """The multiplier of w · kernel(u) for one point of radius r."""
    if output_value == 0:
        return 1.0
    if output_value == 1:
        scaled = {
            0: 116 / (5 * math.pi * r * r) * 15 / 16,
            1: 3 / ((1 + 2 * decay) * math.pi * r * r) if decay >= 0 else 1.0,
            2: 2 / (math.pi * r) * 0.5 / r,
            3: 128 / (35 * math.pi * r * r) * 35 / 32,
            4: 8 / (3 * math.pi * r * r) * 3 / 4,
        }
        if kernel in scaled:
            return scaled[kernel]
    density = {
        0: 3 / (math.pi * r * r),
        1: 3 / ((1 + 2 * decay) * math.pi * r * r),
        2: 1 / (math.pi * r * r),
        3: 4 / (math.pi * r * r),
        4: 2 / (math.pi * r * r),
        5: 9 / (2 * math.pi * r * r * (1 - math.exp(-4.5))),
    }[kernel]
    return density * (cell * cell if output_value == 3 else 1.0)


def brute_force(
    x, y, x_min, y_max, cell, rows, cols, radius, kernel, decay=0.0, output_value=0, weight=None
) -> np.ndarray:
    """Σ w·factor·kernel(d/r) over points with d <= r, cell by cell, point by point.

    Cell centres: x_min + (col + 0.5)·cell, y_max - (row + 0.5)·cell. Plain loops over points
    and rows; only the columns of one row are a NumPy vector.
    """
    radii = np.broadcast_to(np.asarray(radius, dtype=float), np.shape(x))
    weights = np.ones(np.shape(x)) if weight is None else np.asarray(weight, dtype=float)
    centres_x = x_min + (np.arange(cols) + 0.5) * cell
    out = np.zeros((rows, cols))
    for px, py, r, w in zip(x, y, radii, weights):
        factor = w * output_factor(kernel, output_value, r, decay, cell)
        for row in range(rows):
            dy = (y_max - (row + 0.5) * cell) - py
            dx = centres_x - px
            d_squared = dx**2 + dy**2
            for col in np.flatnonzero(d_squared <= r**2):
                out[row, col] += factor * raw_kernel(kernel, math.sqrt(d_squared[col]) / r, decay)
    return out
