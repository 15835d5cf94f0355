#!/usr/bin/env python3
"""Time the core's two methods on clustered points, without QGIS.

For N in {1e4, 1e5, 1e6} points and radii of {5, 20, 100} cells on a 2000 x 2000 grid, runs
the automatic choice, the row-interval method and stamping (quartic, raw) and prints
the time of each, the points x rows (row intervals) or points x cells (stamping) handled per
second, and the threads used.
Stamping runs whose estimated time exceeds --max-seconds are skipped and say so.

    /usr/bin/python3 benchmarks/core.py [--sizes 1e4,1e5,1e6] [--radii 5,20,100] [--workers N]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kde_heatmap_plugin.core import Grid, Kernel  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1e4,1e5,1e6")
    parser.add_argument("--radii", default="5,20,100", help="radii in cells")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--max-seconds", type=float, default=120.0)
    arguments = parser.parse_args()
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
