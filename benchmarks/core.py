#!/usr/bin/env python3
"""Time the core's two methods on clustered points, without QGIS.

For N in {1e4, 1e5, 1e6} points and radii of {5, 20, 100} cells on a 2000 x 2000 grid, runs
the automatic choice, the row-interval method and stamping (quartic, raw) and prints
the time of each, the points x rows (row intervals) or points x cells (stamping) handled per
second, and the threads used.
Stamping runs whose estimated time exceeds --max-seconds are skipped and say so.

    /usr/bin/python3 benchmarks/core.py [--sizes 1e4,1e5,1e6] [--radii 5,20,100] [--workers N]

With ``--calibrate`` it fits instead the constants of the core's run-time model
(``kde_heatmap_plugin/core/costs.py``): it runs varied cases on one thread (CPU seconds, which
other processes on the machine disturb less than wall time), counts each case's terms with the
model, fits one constant per term by non-negative least squares on relative errors (SciPy), then
times some cases on every thread for ``PARALLEL_EFFICIENCY``, and prints the constants, each
case's measured and estimated seconds, and their ratio.

    /usr/bin/python3 benchmarks/core.py --calibrate

With ``--tall 1e6,1e7,1e8`` it times instead ``kernel_density_bands`` on rasters of that many
rows and 2 columns (two points at the ends, then 100,000 points along the column; radius half a
cell, cell size 1, the native grid), consuming the bands without writing them, and prints the
seconds, the longest wait between two progress reports and the peak memory traced.

    /usr/bin/python3 benchmarks/core.py --tall 1e6,1e7,1e8
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kde_heatmap_plugin.core import (  # noqa: E402
    Grid,
    Kernel,
    costs,
    estimators,
    kernel_density_bands,
    native_grid,
)
from kde_heatmap_plugin.core.estimators import evaluate  # noqa: E402

GRID = Grid(x_min=0.0, y_max=2000.0, cell_size=1.0, rows=2000, cols=2000)
#: Stamping throughput assumed when deciding to skip a run (cells per second, measured here).
STAMP_CELLS_PER_SECOND_GUESS = 1.5e8


def clustered_points(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian clusters (80 %) over a uniform background (20 %), inside the grid."""
    rng = np.random.default_rng(seed)
    centres = rng.uniform(200, 1800, (40, 2))
    clustered = int(count * 0.8)
    xy = centres[rng.integers(0, len(centres), clustered)] + rng.normal(0, 60, (clustered, 2))
    background = rng.uniform(0, 2000, (count - clustered, 2))
    xy = np.clip(np.concatenate([xy, background]), 0, 2000)
    return xy[:, 0], xy[:, 1]


def time_method(x, y, radius_cells: float, method: str | None, workers: int) -> float:
    radii = np.full(len(x), radius_cells * GRID.cell_size)
    start = time.perf_counter()
    evaluate(
        GRID, x, y, radii, np.ones(len(x)), Kernel.QUARTIC, 0.0, workers=workers, method=method
    )
    return time.perf_counter() - start


@dataclass(frozen=True)
class CalibrationCase:
    """A run of the core: points laid out on a grid, one radius (cells), one kernel."""

    name: str
    grid: Grid
    layout: str  # "clusters" (benchmark points scaled to the grid), "uniform", "column", "two"
    points: int
    radius_cells: float
    kernel: Kernel
    per_point_radius: bool = False
    fitted: bool = True  # False: only checked (the model is an upper bound for sparse points)

    def arrays(self) -> tuple[np.ndarray, ...]:
        rng = np.random.default_rng(1)
        width, height = self.grid.cols * self.grid.cell_size, self.grid.rows * self.grid.cell_size
        if self.layout == "clusters":
            x, y = clustered_points(self.points)
            x, y = x / 2000 * width, y / 2000 * height
        elif self.layout == "uniform":
            x, y = rng.uniform(0, width, self.points), rng.uniform(0, height, self.points)
        elif self.layout == "column":
            x, y = np.full(self.points, 0.5), np.linspace(0.5, height - 0.5, self.points)
        else:
            x, y = np.array([0.5, width - 0.5]), np.array([0.5, height - 0.5])
        x, y = x + self.grid.x_min, y + (self.grid.y_max - height)
        radius = np.full(len(x), self.radius_cells * self.grid.cell_size)
        if self.per_point_radius:
            radius *= rng.uniform(0.5, 1.0, len(x))
        return x, y, radius

    def terms(self) -> dict[str, float]:
        return estimators._terms(
            self.grid, self.points, self.radius_cells, self.kernel, self.per_point_radius
        )


def calibration_cases() -> list[CalibrationCase]:
    square = Grid(x_min=0.0, y_max=2000.0, cell_size=1.0, rows=2000, cols=2000)
    small = Grid(x_min=0.0, y_max=500.0, cell_size=1.0, rows=500, cols=500)
    wide = Grid(x_min=0.0, y_max=4000.0, cell_size=1.0, rows=4000, cols=4000)
    tall = Grid(x_min=0.0, y_max=2e7, cell_size=1.0, rows=20_000_000, cols=2)
    quartic, gaussian = Kernel.QUARTIC, Kernel.GAUSSIAN
    return [
        CalibrationCase("rows 1e5 r20", square, "clusters", 100_000, 20, quartic),
        CalibrationCase("rows 1e6 r20", square, "clusters", 1_000_000, 20, quartic),
        CalibrationCase("rows 1e5 r100", square, "clusters", 100_000, 100, quartic),
        CalibrationCase("rows 3e3 r300", square, "uniform", 3_000, 300, quartic),
        CalibrationCase("uniform 1e5 r20", square, "clusters", 100_000, 20, Kernel.UNIFORM),
        CalibrationCase("triweight 1e5 r20", square, "clusters", 100_000, 20, Kernel.TRIWEIGHT),
        CalibrationCase("epan. 1e5 r40", square, "clusters", 100_000, 40, Kernel.EPANECHNIKOV),
        CalibrationCase("stamp 1e6 r3", square, "clusters", 1_000_000, 3, quartic),
        CalibrationCase("stamp 1e5 r5", square, "uniform", 100_000, 5, quartic),
        CalibrationCase("gaussian 1e5 r10", square, "clusters", 100_000, 10, gaussian),
        CalibrationCase("gaussian 3e4 r30", square, "uniform", 30_000, 30, gaussian),
        CalibrationCase("triangular 1e5 r8", square, "clusters", 100_000, 8, Kernel.TRIANGULAR),
        CalibrationCase("sort 2e6 r0.6", small, "uniform", 2_000_000, 0.6, quartic),
        CalibrationCase("per-point 1e6 r10", square, "clusters", 1_000_000, 10, quartic, True),
        CalibrationCase("empty 4000^2", wide, "two", 2, 1, quartic),
        CalibrationCase("tall two 2e7x2", tall, "two", 2, 0.5, quartic),
        CalibrationCase("tall column 2e7x2", tall, "column", 100_000, 0.5, quartic),
        CalibrationCase("tall column r20", tall, "column", 100_000, 20, quartic),
        # windows of 300 MB, which the C allocator maps afresh each time (page faults); the
        # model takes each as tall as its band (two radii more), the 4 points' are one radius
        CalibrationCase("rows 4 pts r1000", wide, "uniform", 4, 1000, quartic, fitted=False),
    ]


def cpu_seconds(case: CalibrationCase, workers: int) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of evaluating the case on ``workers`` threads."""
    x, y, radius = case.arrays()
    weight = np.ones(len(x))
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in estimators.evaluate_bands(
        case.grid, x, y, radius, weight, case.kernel, 0.0, workers=workers
    ):
        pass
    return time.process_time() - cpu, time.perf_counter() - wall


def point_seconds(points: int = 2_000_000) -> dict[str, float]:
    """CPU seconds per point of the caller thread's per-point stages, timed on their own.

    Ordering by band (two passes), classifying per-point radii and splitting bands into tiles
    all take the same points, so a fit over whole runs could not tell them apart.
    """
    case = CalibrationCase("points", Grid(0.0, 2000.0, 1.0, 2000, 2000), "uniform", points, 5.0,
                           Kernel.QUARTIC, per_point_radius=True)  # fmt: skip
    x, y, radius = case.arrays()
    points_ = estimators._Points(case.grid, x, y, radius, np.ones(len(x)))
    counter = estimators._Progress(None)
    start = time.process_time()
    plan = estimators._plan(points_, case.kernel, None, counter)
    radius_seconds = time.process_time() - start
    band_rows, _ = estimators.band_layout(case.grid, plan.halo)
    start = time.process_time()
    order, starts = estimators._band_order(case.grid, points_, band_rows, False, counter)
    sort_seconds = time.process_time() - start
    start = time.process_time()
    for band, band_row0 in enumerate(range(0, case.grid.rows, band_rows)):
        members = (int(starts[band]), int(starts[band + 1]))
        band = (band_row0, band_rows)
        group = estimators.group_points(points, -(-case.grid.rows // band_rows))
        for _ in estimators._band_tiles(
            case.grid, points_, plan, order, members, band, group, counter
        ):
            pass
    tiling_seconds = time.process_time() - start
    return {
        "POINT_RADIUS": radius_seconds / points,
        "POINT_SORT": sort_seconds / (2 * points),
        "POINT_TILING": tiling_seconds / points,
    }


def fresh_byte_seconds() -> float:
    """Seconds per byte of an array too large for the allocator to reuse: zeroed (mapped
    lazily), written once and freed, less the time of writing it once more mapped."""
    values = np.zeros(2**27 // 8)  # 128 MB
    values += 1.0
    start = time.perf_counter()
    values += 1.0
    mapped = time.perf_counter() - start
    del values
    fresh = []
    for _ in range(3):
        start = time.perf_counter()
        values = np.zeros(2**27 // 8)
        values += 1.0
        del values
        fresh.append(time.perf_counter() - start)
    return (min(fresh) - mapped) / 2**27


def band_seconds() -> float:
    """CPU seconds of a band of 128 rows of 2 columns (bands of BAND_ROWS rows, no points)."""
    grid = Grid(x_min=0.0, y_max=2e6, cell_size=1.0, rows=2_000_000, cols=2)
    x, y = np.array([0.5, 0.5]), np.array([0.5, grid.rows - 0.5])
    cells, estimators.BAND_CELLS = estimators.BAND_CELLS, 0
    try:
        start, bands = time.process_time(), 0
        for _ in estimators.evaluate_bands(
            grid, x, y, np.full(2, 0.5), np.ones(2), Kernel.QUARTIC, 0.0, workers=1
        ):
            bands += 1
        seconds = time.process_time() - start
    finally:
        estimators.BAND_CELLS = cells
    return (seconds - grid.cells * costs.SECONDS_PER_CELL) / bands


def writing_seconds_per_cell() -> float:
    """Wall seconds per cell of writing a smooth 2000 x 2000 raster as a GeoTIFF with the
    plugin's writer (``rasters.write_raster``), or 0 where it cannot be imported (no QGIS)."""
    try:
        from kde_heatmap_plugin.rasters import write_raster
    except ImportError:
        return 0.0
    grid = Grid(x_min=0.0, y_max=2000.0, cell_size=1.0, rows=2000, cols=2000)
    columns = np.sin(np.linspace(0, 20, grid.cols))[None, :]
    bands = (
        (row0, (columns * np.cos(np.arange(row0, min(row0 + 128, 2000))[:, None] / 100) + 1) ** 2)
        for row0 in range(0, grid.rows, 128)
    )
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_raster(os.path.join(folder, "calibration.tif"), bands, grid, "EPSG:3857")
        return (time.perf_counter() - start) / grid.cells


def calibrate() -> None:
    from scipy.optimize import nnls

    print(f"SECONDS_PER_CELL_WRITTEN = {writing_seconds_per_cell():.2g} (GeoTIFF, smooth values)")
    measured_directly = point_seconds()
    measured_directly["FRESH_BYTE"] = fresh_byte_seconds()
    measured_directly["BAND"] = band_seconds()
    for name, value in measured_directly.items():
        setattr(costs, f"SECONDS_PER_{name}", float(f"{value:.2g}"))
    cases = calibration_cases()
    names = sorted({term for case in cases for term in case.terms()} - set(measured_directly))
    matrix = np.array([[case.terms().get(name, 0.0) for name in names] for case in cases])
    measured = []
    for case in cases:
        seconds = min(cpu_seconds(case, 1)[0] for _ in range(2))
        measured.append(seconds)
        print(f"  {case.name:<22} {seconds:7.3f} s on one thread", flush=True)
    measured = np.array(measured)
    known = np.array(
        [
            costs.seconds({n: case.terms()[n] for n in measured_directly if n in case.terms()})
            for case in cases
        ]
    )
    fitted = np.array([case.fitted for case in cases])
    constants, _ = nnls((matrix / measured[:, None])[fitted], (1 - known / measured)[fitted])
    print("\nConstants (seconds of one thread), the first five timed on their own:")
    for name, value in [*measured_directly.items(), *zip(names, constants)]:
        print(f"SECONDS_PER_{name} = {value:.2g}")
        setattr(costs, f"SECONDS_PER_{name}", float(f"{value:.2g}"))
    print(f"\n{'case':<22} {'measured':>9} {'model':>9} {'ratio':>6}")
    for case, seconds in zip(cases, measured):
        model = costs.seconds(case.terms())
        note = "" if case.fitted else "  (not fitted: an upper bound)"
        print(f"{case.name:<22} {seconds:9.3f} {model:9.3f} {model / seconds:6.2f}{note}")
    workers = os.cpu_count() or 1
    if workers > 1:
        efficiencies = []
        for case in cases[:3] + cases[7:10]:
            wall = min(cpu_seconds(case, workers)[1] for _ in range(2))
            terms = case.terms()
            parallel = costs.seconds({t: c for t, c in terms.items() if t in costs.PARALLEL_TERMS})
            serial = costs.seconds(terms) - parallel
            efficiency = (parallel / max(wall - serial, 1e-9) - 1) / (workers - 1)
            efficiencies.append(efficiency)
            print(f"  {case.name:<22} {wall:.3f} s, {workers} threads: efficiency {efficiency:.2f}")
        print(f"PARALLEL_EFFICIENCY = {float(np.median(efficiencies)):.2g} (median)")


def time_tall(rows: int) -> None:
    """Time the bands of a raster ``rows`` x 2 cells (see the module docstring)."""
    for name, count in (("two points", 2), ("1e5 points", 100_000)):
        y = np.linspace(0.0, rows - 2.0, count)
        x = np.zeros_like(y)
        grid = native_grid(0.0, 0.0, 0.0, rows - 2.0, padding=0.5, cell_size=1.0)
        reports = [time.monotonic()]

        def progress(_: float, reports: list[float] = reports) -> bool:
            reports.append(time.monotonic())
            return True

        tracemalloc.start()
        start = time.perf_counter()
        for _ in kernel_density_bands(x, y, grid, radius=0.5, progress=progress):
            pass
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        reports.append(time.monotonic())
        print(
            f"{grid.rows:.0e} x {grid.cols}, {name}: {seconds:.2f} s, longest wait for progress "
            f"{max(np.diff(reports)):.2f} s, peak {peak / 1e6:.1f} MB traced",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6")
    parser.add_argument("--radii", default="5,20,100", help="radii in cells")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--calibrate", action="store_true", help="fit the run-time model")
    parser.add_argument("--tall", help="rows of tall rasters 2 cells wide to time, e.g. 1e6,1e8")
    arguments = parser.parse_args()
    if arguments.calibrate:
        calibrate()
        return
    if arguments.tall:
        for rows in arguments.tall.split(","):
            time_tall(int(float(rows)))
        return
    print(f"grid {GRID.rows} x {GRID.cols}, quartic, raw, {arguments.workers} threads\n")
    header = (
        f"{'points':>9} {'radius':>7} {'auto s':>7} {'rows s':>8} {'stamp s':>9} {'stamp/rows':>10}"
        f" {'points*rows/s':>14} {'points*cells/s':>15}"
    )
    print(header)
    print("-" * len(header))
    for size in (int(float(text)) for text in arguments.sizes.split(",")):
        x, y = clustered_points(size)
        for radius_cells in (float(text) for text in arguments.radii.split(",")):
            rows_per_point = 2 * math.ceil(radius_cells) + 1
            cells_per_point = math.pi * radius_cells**2
            auto_time = time_method(x, y, radius_cells, None, arguments.workers)
            rows_time = time_method(x, y, radius_cells, "rows", arguments.workers)
            guess = size * cells_per_point / STAMP_CELLS_PER_SECOND_GUESS
            if guess <= arguments.max_seconds:
                stamp_time = time_method(x, y, radius_cells, "stamp", arguments.workers)
                stamp = f"{stamp_time:9.2f} {stamp_time / rows_time:10.1f}"
                stamp_rate = f"{size * cells_per_point / stamp_time:15.3g}"
            else:
                stamp = f"{'skipped':>9} {'(~' + format(guess, '.0f') + ' s)':>10}"
                stamp_rate = f"{'':>15}"
            print(
                f"{size:9.0e} {radius_cells:7.0f} {auto_time:7.2f} {rows_time:8.2f} {stamp}"
                f" {size * rows_per_point / rows_time:14.3g}{stamp_rate}"
            )


if __name__ == "__main__":
    main()
