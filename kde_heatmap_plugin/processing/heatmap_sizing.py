"""Whether a heatmap run can finish, before it starts: file limits, memory, time and disk.

The checks of one run, in the order they are made: a raster file holds at most
``MAX_RASTER_SIDE`` rows and columns; the core and the writer must fit in ``MEMORY_FRACTION``
of the available memory (``core.working_memory_bytes``, ``rasters.writer_memory_bytes``); the
run must be estimated to take at most ``LONGEST_RUN_SECONDS`` (``core.estimated_seconds``);
the folder must have room for the smallest file the format can write
(``rasters.disk_space_problem``). A refusal names its cause and a cell size that passes every
check within ``SLOW_RUN_SECONDS``, found by bisection: the extent, the memory and the free
space are measured once per run, not once per candidate.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING

import numpy as np
from qgis.core import QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication

from .. import rasters, sources
from ..core import (
    Grid,
    InvalidInput,
    estimated_seconds,
    geodesic_estimated_seconds,
    geodesic_grid,
    geodesic_working_memory_bytes,
    native_grid,
    working_memory_bytes,
)
from ..core.costs import SECONDS_PER_CELL_WRITTEN
from .localized import LocalizedText

if TYPE_CHECKING:
    from .heatmap_algorithm import HeatmapOptions

MEMORY_FRACTION = 0.8
"""Share of the machine's available memory a run may plan to use."""
MAX_RASTER_SIDE = 2**31 - 1
"""Most rows or columns a raster file can have (GDAL counts them in C ints)."""
OUTLIER_RADIUS_RATIO = 100
"""A radius field's largest value is named in size errors when it is this many times the
median."""
SLOW_RUN_SECONDS = 600.0
"""Runs estimated to take longer are warned about; suggested cell sizes stay within it."""
LONGEST_RUN_SECONDS = 2 * 3600.0
"""Runs estimated to take longer are refused, with a cell size that takes SLOW_RUN_SECONDS."""


def available_memory_bytes() -> int:
    """Memory the system can give a new allocation without swapping (bytes).

    ``MemAvailable`` of ``/proc/meminfo`` on Linux; elsewhere the free physical pages.
    """
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


class HeatmapSizing:
    """The size checks of one run: its points, validated options and largest radius."""

    def __init__(
        self, points: sources.PointArrays, options: HeatmapOptions, largest_radius: float
    ) -> None:
        self.points = points
        self.options = options
        self.largest_radius = largest_radius
        """The radius, or the largest value of the radius field (map units)."""
        # Measured once: the bisection of feasible_cell_size asks about a hundred grids.
        self.extent = (
            float(points.x.min()),
            float(points.y.min()),
            float(points.x.max()),
            float(points.y.max()),
        )
        """The points' bounding box (x_min, y_min, x_max, y_max), map units."""
        self.memory_limit = MEMORY_FRACTION * available_memory_bytes()
        """Bytes the run may plan to use."""
        self.free_disk_bytes = rasters.free_disk_bytes(options.output_path)
        """Free space in the output's folder."""

    def tr(self, text: str) -> str:
        """Translate ``text`` in the context of this class (what pylupdate5 extracts); its
        ``format`` writes numbers for the user's locale."""
        return LocalizedText(QCoreApplication.translate(type(self).__name__, text))

    def checked_grid(self) -> Grid:
        """The grid of this run, once it fits a raster file, the memory, the time and the disk.

        Raises ``QgsProcessingException`` naming the cause (a radius out of proportion with the
        points, or a cell size too small) and a cell size that makes the run feasible.
        """
        width, height = self._extent_size()
        padded_width, padded_height = self._padded_size()
        columns = padded_width / self.options.cell_size
        rows = padded_height / self.options.cell_size
        if not max(columns, rows) < MAX_RASTER_SIDE:  # also catches inf and NaN
            if self._radius_out_of_proportion():
                raise QgsProcessingException(
                    self.tr(
                        "The radius ({radius:g}) is {ratio:.3g} times the extent of the points "
                        "({width:g} x {height:g}): the raster would reach {cells:.3g} cells "
                        "beyond the points on every side, more than a raster file can hold. "
                        "Enter the radius in map units (metres for a layer in degrees), as a "
                        "distance comparable to the spacing of the points."
                    ).format(
                        radius=self.largest_radius,
                        ratio=self.largest_radius / max(width, height, self.options.cell_size),
                        width=width,
                        height=height,
                        cells=self.largest_radius / self.options.cell_size,
                    )
                    + self._radius_field_hint()
                )
            raise QgsProcessingException(
                self.tr(
                    "A cell size of {cell_size:g} makes the raster {rows:.3g} x {cols:.3g} cells, "
                    "more than a raster file can hold ({limit} rows or columns). Use a larger "
                    "output raster size (cell size), for example {suggested:g}."
                ).format(
                    cell_size=self.options.cell_size,
                    rows=rows,
                    cols=columns,
                    limit=MAX_RASTER_SIDE,
                    suggested=self.feasible_cell_size(),
                )
            )
        grid = self._run_grid()
        needed = self._memory_bytes(grid)
        if needed > self.memory_limit:
            raise QgsProcessingException(
                self.tr(
                    "The output would be {rows} x {cols} cells and needs about {needed:.1f} GB "
                    "of memory, but only {limit:.1f} GB may be used. Use a larger output raster "
                    "size (cell size), for example {suggested:g}."
                ).format(
                    rows=grid.rows,
                    cols=grid.cols,
                    needed=needed / 1e9,
                    limit=self.memory_limit / 1e9,
                    suggested=self.feasible_cell_size(),
                )
                + self._radius_field_hint()
            )
        seconds = self.estimated_seconds(grid)
        if seconds > LONGEST_RUN_SECONDS:
            raise QgsProcessingException(
                self.tr(
                    "The {rows} x {cols} raster would take about {hours:.1f} hours to compute "
                    "(estimated). Use a larger output raster size (cell size), for example "
                    "{suggested:g}, which takes at most a few minutes."
                ).format(
                    rows=grid.rows,
                    cols=grid.cols,
                    hours=seconds / 3600,
                    suggested=self.feasible_cell_size(),
                )
                + self._radius_field_hint()
            )
        shortage = self._disk_shortage(grid)
        if shortage is not None:
            raise QgsProcessingException(
                self.tr(
                    "The {rows} x {cols} raster needs at least {needed:.3g} GB on disk, but "
                    'only {free:.3g} GB are free in the folder of "{path}". Free some space, '
                    "choose another folder, or use a larger output raster size (cell size), "
                    "for example {suggested:g}."
                ).format(
                    rows=grid.rows,
                    cols=grid.cols,
                    needed=shortage[0] / 1e9,
                    free=shortage[1] / 1e9,
                    path=self.options.output_path,
                    suggested=self.feasible_cell_size(),
                )
            )
        return grid

    def _feasible(self, cell_size: float) -> bool:
        """Whether a run with ``cell_size`` passes every check of :meth:`checked_grid`."""
        side = max(self._padded_size()) / cell_size
        if not side < MAX_RASTER_SIDE:
            return False
        grid = self._grid_for(cell_size)
        if self._memory_bytes(grid) > self.memory_limit:
            return False
        if self.estimated_seconds(grid) > SLOW_RUN_SECONDS:
            return False
        return self._disk_shortage(grid) is None

    def feasible_cell_size(self) -> float:
        """The smallest round cell size (two significant digits) that makes the run feasible.

        Bisection on the logarithm of the cell size between the one asked for and one that
        spans the whole raster in a few cells.
        """
        low = math.log(self.options.cell_size)
        high = math.log(max(*self._padded_size(), self.options.cell_size))
        for _ in range(60):
            middle = (low + high) / 2
            if self._feasible(math.exp(middle)):
                high = middle
            else:
                low = middle
        suggested = round_up(math.exp(high))
        for _ in range(100):  # rounding may step back below the limit: a few percent more
            if self._feasible(suggested):
                break
            suggested = round_up(suggested * 1.01)
        return suggested

    def _radius_field_hint(self) -> str:
        """For a radius field: a sentence naming its largest value when it is an outlier."""
        if not self.options.radius_field:
            return ""
        largest = float(np.max(self.points.radius))
        typical = float(np.median(self.points.radius))
        if largest <= OUTLIER_RADIUS_RATIO * typical:
            return ""
        return " " + self.tr(
            "Feature {feature} has a radius ({field}) of {largest:g}, while half of the radii "
            "are at most {typical:g}: check that value, or filter it out."
        ).format(
            feature=self.points.largest_radius_feature,
            field=self.options.radius_field,
            largest=largest,
            typical=typical,
        )

    def estimated_seconds(self, grid: Grid) -> float:
        """Estimated seconds to compute and write the raster (the core's cost model)."""
        return estimated_seconds(
            grid,
            self.points.count,
            radius=self.largest_radius,
            kernel=self.options.kernel,
            per_point_radius=self.options.per_point_radius,
        )

    def _memory_bytes(self, grid: Grid) -> int:
        """Memory a run needs beyond the points: the core's bands and the raster writer's."""
        computing = working_memory_bytes(
            grid,
            self.points.count,
            radius=self.largest_radius,
            kernel=self.options.kernel,
            whole_output=False,
            per_point_radius=self.options.per_point_radius,
            sorted_in_place=True,
        )
        return computing + rasters.writer_memory_bytes(grid, self.options.driver_name)

    def _disk_shortage(self, grid: Grid) -> tuple[int, int] | None:
        """(needed, free) bytes when the output's folder cannot hold the raster, else None."""
        return rasters.disk_space_problem(grid, self.options.driver_name, self.free_disk_bytes)

    def _grid_for(self, cell_size: float) -> Grid:
        """The native heatmap's grid: the points' extent grown by the largest radius."""
        return native_grid(*self.extent, padding=self.largest_radius, cell_size=cell_size)

    def _run_grid(self) -> Grid:
        """The grid the run computes, at the cell size asked for."""
        return self._grid_for(self.options.cell_size)

    def _radius_out_of_proportion(self) -> bool:
        """Whether the radius, rather than the cell size, makes the raster too large."""
        width, height = self._extent_size()
        return self.largest_radius > max(width, height, self.options.cell_size) * 1000

    def _padded_size(self) -> tuple[float, float]:
        """Width and height the raster covers, whatever the cell size (grid units)."""
        width, height = self._extent_size()
        return width + 2 * self.largest_radius, height + 2 * self.largest_radius

    def _extent_size(self) -> tuple[float, float]:
        """Width and height of the points' bounding box (map units)."""
        x_min, y_min, x_max, y_max = self.extent
        return x_max - x_min, y_max - y_min


def round_up(value: float) -> float:
    """``value`` rounded up to two significant digits (a cell size a user can type)."""
    if value <= 0:
        return value
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return math.ceil(value / step - 1e-9) * step


class GridSizing(HeatmapSizing):
    """The size checks of a run on a grid decided beforehand (``EXTENT``, ``TEMPLATE``), whose
    extent other cell sizes are sized on."""

    def __init__(
        self,
        points: sources.PointArrays,
        options: HeatmapOptions,
        largest_radius: float,
        requested_grid: Grid | None,
    ) -> None:
        """``requested_grid`` None: more cells than any grid can count."""
        super().__init__(points, options, largest_radius)
        self.requested_grid = requested_grid

    def _padded_size(self) -> tuple[float, float]:
        """Width and height of the grid (infinite when no grid can hold it)."""
        grid = self.requested_grid
        if grid is None:
            return math.inf, math.inf
        return grid.cols * grid.cell_size, grid.rows * grid.cell_size

    def _grid_for(self, cell_size: float) -> Grid:
        """A grid of ``cell_size`` over the extent of the requested one."""
        width, height = self._padded_size()
        return Grid(
            self.requested_grid.x_min,
            self.requested_grid.y_max,
            cell_size,
            max(1, math.ceil(height / cell_size - 1e-9)),
            max(1, math.ceil(width / cell_size - 1e-9)),
        )

    def _run_grid(self) -> Grid:
        return self.requested_grid

    def _radius_out_of_proportion(self) -> bool:
        """Never: the grid does not grow with the radius."""
        return False


class GeodesicSizing(GridSizing):
    """The size checks of a geodesic run: a longitude/latitude grid (cell size in degrees)
    around points in degrees, radii in metres.

    Without a grid given, it is the one ``core.geodesic_grid`` makes at the cell size asked for
    (the points' discs, snapped to whole cells); other cell sizes are sized on its extent.
    """

    def __init__(
        self,
        points: sources.PointArrays,
        options: HeatmapOptions,
        largest_radius: float,
        requested_grid: Grid | None = None,
    ) -> None:
        if requested_grid is None:
            try:
                requested_grid = geodesic_grid(
                    points.x, points.y, largest_radius, options.cell_size
                )
            except InvalidInput:  # more cells than any grid can count
                requested_grid = None
        super().__init__(points, options, largest_radius, requested_grid)

    def estimated_seconds(self, grid: Grid) -> float:
        """Estimated seconds to compute (the geodesic cost model) and write the raster."""
        computing = geodesic_estimated_seconds(
            grid,
            self.points.count,
            radius_m=self.largest_radius,
            kernel=self.options.kernel,
            per_point_radius=self.options.per_point_radius,
        )
        return computing + grid.cells * SECONDS_PER_CELL_WRITTEN

    def _memory_bytes(self, grid: Grid) -> int:
        """Memory a run needs beyond the points: the geodesic core's and the raster writer's."""
        computing = geodesic_working_memory_bytes(
            grid,
            self.points.count,
            radius_m=self.largest_radius,
            kernel=self.options.kernel,
            per_point_radius=self.options.per_point_radius,
        )
        return computing + rasters.writer_memory_bytes(grid, self.options.driver_name)
