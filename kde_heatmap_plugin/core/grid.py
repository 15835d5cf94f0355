"""Raster grid geometry: where the cells are, in map units.

A :class:`Grid` is north-up with square cells. Row 0 is the top row, column 0 the left column,
and the centre of cell ``(row, col)`` is at::

    x = x_min + (col + 0.5) * cell_size
    y = y_max - (row + 0.5) * cell_size

Those two expressions are the definition the estimators and the tests share, so an exact
evaluation means an evaluation at exactly these coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid of square cells.

    Attributes:
        x_min: x of the left edge of the raster (map units).
        y_max: y of the top edge of the raster (map units).
        cell_size: side of a square cell (map units), > 0.
        rows: number of rows, >= 1.
        cols: number of columns, >= 1.
    """

    x_min: float
    y_max: float
    cell_size: float
    rows: int
    cols: int

    def __post_init__(self) -> None:
        if not (math.isfinite(self.cell_size) and self.cell_size > 0):
            raise ValueError(f"The cell size must be a positive number, not {self.cell_size}.")
        if not (math.isfinite(self.x_min) and math.isfinite(self.y_max)):
            raise ValueError("The grid origin must be finite.")
        if self.rows < 1 or self.cols < 1:
            raise ValueError(f"A grid needs at least one row and one column, not {self.shape}.")

    @property
    def x_max(self) -> float:
        """x of the right edge of the raster (map units)."""
        return self.x_min + self.cols * self.cell_size

    @property
    def y_min(self) -> float:
        """y of the bottom edge of the raster (map units)."""
        return self.y_max - self.rows * self.cell_size

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols), the shape of the array that holds the raster."""
        return (self.rows, self.cols)

    @property
    def cells(self) -> int:
        """Number of cells, rows * cols (a Python int: no overflow for huge requests)."""
        return self.rows * self.cols

    @property
    def geotransform(self) -> tuple[float, float, float, float, float, float]:
        """GDAL geotransform (x_min, cell_size, 0, y_max, 0, -cell_size)."""
        return (self.x_min, self.cell_size, 0.0, self.y_max, 0.0, -self.cell_size)


def native_grid(
    x_min: float, y_min: float, x_max: float, y_max: float, *, padding: float, cell_size: float
) -> Grid:
    """The grid QGIS's native heatmap builds for points spanning the given extent.

    The extent is grown by ``padding`` (the radius, or the largest per-point radius) on every
    side; ``rows = max(ceil(height / cell_size) + 1, 1)`` and likewise ``cols``; the origin is the
    grown extent's top-left corner (qgskde.cpp, ``QgsKernelDensityEstimation::prepare``).

    Args:
        x_min, y_min, x_max, y_max: extent of the points (map units).
        padding: distance added on every side (map units), >= 0.
        cell_size: side of a cell (map units), > 0.
    """
    if not (math.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"The cell size must be a positive number, not {cell_size}.")
    if not (math.isfinite(padding) and padding >= 0):
        raise ValueError(f"The padding must be a non-negative number, not {padding}.")
    width = (x_max - x_min) + 2 * padding
    height = (y_max - y_min) + 2 * padding
    rows = max(math.ceil(height / cell_size) + 1, 1)
    cols = max(math.ceil(width / cell_size) + 1, 1)
    return Grid(
        x_min=x_min - padding, y_max=y_max + padding, cell_size=cell_size, rows=rows, cols=cols
    )
