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
import numbers
from dataclasses import dataclass

from .errors import InvalidInput, Reason

#: Most rows or columns a grid may have: 2^53, the largest count whose every cell index is an
#: exact float64 (cell centres are computed as ``(index + 0.5) * cell_size``).
LARGEST_SIDE = 2**53


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid of square cells.

    Attributes:
        x_min: x of the left edge of the raster (map units).
        y_max: y of the top edge of the raster (map units).
        cell_size: side of a square cell (map units), > 0.
        rows: number of rows, an int from 1 to ``LARGEST_SIDE``.
        cols: number of columns, likewise.

    Raises:
        ValueError: a cell size or origin that is not a finite number, or rows or columns that
            are not whole numbers from 1 up; :class:`InvalidInput` (a ValueError) when there are
            more than ``LARGEST_SIDE`` rows or columns (``GRID_TOO_LARGE``) or the far edges
            are not finite numbers (``GRID_NOT_FINITE``).
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
        for count in (self.rows, self.cols):
            if not isinstance(count, numbers.Integral) or isinstance(count, bool):
                raise ValueError(f"Rows and columns must be whole numbers, not {count!r}.")
        # Python ints (a NumPy int's products overflow at 2^63)
        object.__setattr__(self, "rows", int(self.rows))
        object.__setattr__(self, "cols", int(self.cols))
        if self.rows < 1 or self.cols < 1:
            raise ValueError(f"A grid needs at least one row and one column, not {self.shape}.")
        if max(self.rows, self.cols) > LARGEST_SIDE:
            raise _too_large(self.rows, self.cols)
        if not (math.isfinite(self.x_max) and math.isfinite(self.y_min)):
            raise InvalidInput(
                Reason.GRID_NOT_FINITE,
                f"The grid's far edges are not finite numbers (x from {self.x_min} to "
                f"{self.x_max}, y from {self.y_min} to {self.y_max}).",
                x_min=self.x_min,
                y_max=self.y_max,
                x_max=self.x_max,
                y_min=self.y_min,
            )

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
        x_min, y_min, x_max, y_max: extent of the points (map units), finite.
        padding: distance added on every side (map units), >= 0.
        cell_size: side of a cell (map units), > 0.

    Raises:
        ValueError: a non-finite extent, cell size or padding; :class:`InvalidInput` (a
            ValueError, ``GRID_TOO_LARGE``) when the grid would have more than
            ``LARGEST_SIDE`` rows or columns, or its height or width in cells is not finite.
    """
    if not (math.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"The cell size must be a positive number, not {cell_size}.")
    if not (math.isfinite(padding) and padding >= 0):
        raise ValueError(f"The padding must be a non-negative number, not {padding}.")
    if not all(math.isfinite(edge) for edge in (x_min, y_min, x_max, y_max)):
        raise ValueError("The extent of the points must be finite.")
    width = (x_max - x_min) + 2 * padding
    height = (y_max - y_min) + 2 * padding
    rows_float, cols_float = height / cell_size + 1, width / cell_size + 1
    if not rows_float <= LARGEST_SIDE or not cols_float <= LARGEST_SIDE:  # inf included
        raise _too_large(rows_float, cols_float)
    rows = max(math.ceil(height / cell_size) + 1, 1)
    cols = max(math.ceil(width / cell_size) + 1, 1)
    return Grid(
        x_min=x_min - padding, y_max=y_max + padding, cell_size=cell_size, rows=rows, cols=cols
    )


def _too_large(rows: float, cols: float) -> InvalidInput:
    return InvalidInput(
        Reason.GRID_TOO_LARGE,
        f"A grid of {float(rows):.4g} x {float(cols):.4g} cells is too large: at most "
        f"{LARGEST_SIDE} rows and columns (use a larger cell size).",
        rows=float(rows),
        cols=float(cols),
        largest=LARGEST_SIDE,
    )


def extent_grid(x_min: float, y_min: float, x_max: float, y_max: float, cell_size: float) -> Grid:
    """The grid covering an extent exactly: origin at its top-left corner ``(x_min, y_max)``,
    ``cols = max(ceil(width / cell_size), 1)`` and ``rows`` likewise (the last column and row
    reach past the extent by less than a cell when the sides are not whole multiples).

    Raises:
        ValueError: a non-finite or inverted extent, or a cell size that is not a positive
            number; :class:`InvalidInput` (``GRID_TOO_LARGE``) for more than ``LARGEST_SIDE``
            rows or columns.
    """
    if not (math.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"The cell size must be a positive number, not {cell_size}.")
    if not all(math.isfinite(edge) for edge in (x_min, y_min, x_max, y_max)):
        raise ValueError("The extent must be finite.")
    if x_max < x_min or y_max < y_min:
        raise ValueError("The extent's maximum is below its minimum.")
    rows_float, cols_float = (y_max - y_min) / cell_size, (x_max - x_min) / cell_size
    if not rows_float <= LARGEST_SIDE or not cols_float <= LARGEST_SIDE:
        raise _too_large(rows_float, cols_float)
    rows = max(math.ceil(rows_float - 1e-9), 1)
    cols = max(math.ceil(cols_float - 1e-9), 1)
    return Grid(x_min=x_min, y_max=y_max, cell_size=cell_size, rows=rows, cols=cols)
