#!/usr/bin/env python3
"""Time the Dask engine (kde_heatmap_plugin/distributed.py) on a local cluster, without QGIS.

For each size (default 1e6 and 1e7 points; 1e8 with ``--with-1e8``) it starts a fresh
``LocalCluster`` of one single-threaded worker process per core, generates the points on the
workers in partitions of at most ``--partition`` points (80 % in 40 Gaussian clusters, 20 %
uniform, Gamma weights; never all in memory), computes the quartic raw density with a radius of
20 cells on a 4000 x 4000 grid (100 km at 25 m) in tiles of ``--tile-size`` cells, writes a COG,
and prints: the wall time, points per second, the peak resident memory of each worker
(``ru_maxrss`` through ``client.run``), the time of the COG assembly, and the per-tile cost
``seconds = a + b * points`` fitted over the tiles (least squares), from which it estimates
the wall time of 1e10 points on a 10-worker cluster. Then, unless ``--no-single``, the same
job on one process: the same partitions generated in the process and
``core.kernel_density_on_grid`` on every thread (evaluation only, no file).

    /usr/bin/python3 benchmarks/cluster.py [--sizes 1e6,1e7] [--with-1e8] [--workers N]
        [--tile-size 1024] [--partition 1000000] [--no-single]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kde_heatmap_plugin.core import Grid, Kernel, OutputValue, kernel_density_on_grid  # noqa: E402

#: 4000 x 4000 cells of 25 m: 100 km x 100 km (UTM-like metres).
GRID = Grid(x_min=500_000.0, y_max=5_100_000.0, cell_size=25.0, rows=4000, cols=4000)
RADIUS = 20 * GRID.cell_size
CENTRES = np.random.default_rng(0).uniform(0.1, 0.9, (40, 2))  # fractions of the extent
SIGMAS = np.random.default_rng(1).uniform(500.0, 5000.0, 40)  # metres


class GeneratedPartition:
    """``count`` deterministic points (seed ``seed``), made where it is called."""

    def __init__(self, seed: int, count: int) -> None:
        self.seed, self.count = seed, count

    def __call__(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, None]:
        rng = np.random.default_rng(1000 + self.seed)
        width, height = GRID.cols * GRID.cell_size, GRID.rows * GRID.cell_size
        clustered = int(self.count * 0.8)
        cluster = rng.integers(0, len(CENTRES), clustered)
        x = np.empty(self.count)
        y = np.empty(self.count)
        x[:clustered] = GRID.x_min + CENTRES[cluster, 0] * width
        x[:clustered] += rng.normal(0.0, SIGMAS[cluster])
        y[:clustered] = GRID.y_min + CENTRES[cluster, 1] * height
        y[:clustered] += rng.normal(0.0, SIGMAS[cluster])
        x[clustered:] = rng.uniform(GRID.x_min, GRID.x_max, self.count - clustered)
        y[clustered:] = rng.uniform(GRID.y_min, GRID.y_max, self.count - clustered)
        return x, y, rng.gamma(2.0, 1.0, self.count), None


def partitions_of(points: int, size: int) -> list[GeneratedPartition]:
    counts = [size] * (points // size) + ([points % size] if points % size else [])
    return [GeneratedPartition(seed, count) for seed, count in enumerate(counts)]


def peak_rss_mib() -> float:
    """This process's peak resident memory (MiB; Linux reports ``ru_maxrss`` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fitted_tile_cost(seconds: tuple[float, ...], points: tuple[int, ...]) -> tuple[float, float]:
    """``(a, b)`` of ``seconds = a + b * points`` over the tiles (least squares, a, b >= 0)."""
    design = np.column_stack([np.ones(len(points)), np.asarray(points, dtype=float)])
    (a, b), *_ = np.linalg.lstsq(design, np.asarray(seconds), rcond=None)
    if a < 0 or len(set(points)) < 2:
        a, b = 0.0, sum(seconds) / max(sum(points), 1)
    return float(a), float(b)


def run_cluster(points: int, args: argparse.Namespace) -> dict[str, float]:
    from distributed import Client, LocalCluster

    from kde_heatmap_plugin.distributed import kernel_density_distributed

    with (
        LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
        tempfile.TemporaryDirectory() as folder,
    ):
        start = time.perf_counter()
        result = kernel_density_distributed(
            partitions_of(points, args.partition),
            GRID,
            os.path.join(folder, "density.tif"),
            client=client,
            radius=RADIUS,
            kernel=Kernel.QUARTIC,
            output_value=OutputValue.RAW,
            tile_size=args.tile_size,
        )
        seconds = time.perf_counter() - start
        peaks = sorted(client.run(peak_rss_mib).values())
        size_mib = os.path.getsize(result.path) / 2**20
    a, b = fitted_tile_cost(result.tile_seconds, result.tile_points)
    return {
        "seconds": seconds,
        "assembly": result.assembly_seconds,
        "peaks": peaks,
        "tiles": result.tiles,
        "tile_points": sum(result.tile_points),
        "tile_seconds": sum(result.tile_seconds),
        "a": a,
        "b": b,
        "size_mib": size_mib,
        "maximum": result.maximum,
    }


def run_single(points: int, args: argparse.Namespace) -> tuple[float, float]:
    start = time.perf_counter()
    parts = [partition() for partition in partitions_of(points, args.partition)]
    x = np.concatenate([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    weight = np.concatenate([p[2] for p in parts])
    del parts
    generated = time.perf_counter() - start
    start = time.perf_counter()
    values = kernel_density_on_grid(x, y, GRID, radius=RADIUS, weight=weight)
    return generated, time.perf_counter() - start, float(values.max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,1e7")
    parser.add_argument("--with-1e8", action="store_true")
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--tile-size", type=int, default=1024)
    parser.add_argument("--partition", type=int, default=1_000_000)
    parser.add_argument("--no-single", action="store_true")
    args = parser.parse_args()
    sizes = [int(float(size)) for size in args.sizes.split(",")] + (
        [10**8] if args.with_1e8 else []
    )
    print(
        f"grid {GRID.rows} x {GRID.cols} cells of {GRID.cell_size:g} m, quartic, raw, weighted,"
        f" radius {RADIUS:g} m ({RADIUS / GRID.cell_size:g} cells), tiles of {args.tile_size},"
        f" {args.workers} worker processes x 1 thread, partitions of {args.partition:,}"
    )
    for points in sizes:
        run = run_cluster(points, args)
        duplication = run["tile_points"] / points
        per_worker_rate = 1.0 / run["b"] if run["b"] > 0 else float("inf")
        # 1e10 points on 10 workers: the same per-tile cost, the same duplication across
        # tile edges, the same number of tiles (the grid's cells bound the fixed cost).
        estimate = (run["tiles"] * run["a"] + run["b"] * 1e10 * duplication) / 10
        print(
            f"\n{points:.0e} points on the cluster: {run['seconds']:.1f} s, "
            f"{points / run['seconds']:,.0f} points/s (COG assembly {run['assembly']:.1f} s, "
            f"{run['size_mib']:.1f} MiB); peak memory per worker "
            + ", ".join(f"{peak:.0f}" for peak in run["peaks"])
            + " MiB"
        )
        print(
            f"  {run['tiles']} tiles, {duplication:.3f} copies per point (halos), "
            f"tile work {run['tile_seconds']:.1f} worker-s; per tile "
            f"{run['a']:.3f} s + {run['b'] * 1e6:.3f} s per 1e6 points "
            f"({per_worker_rate:,.0f} points/s per worker)"
        )
        print(f"  estimate: 1e10 such points on 10 workers ~ {estimate / 3600:.1f} h of tile work")
        if not args.no_single:
            generated, seconds, maximum = run_single(points, args)
            print(
                f"  one process (core, {os.cpu_count()} threads): {seconds:.1f} s "
                f"(+ {generated:.1f} s generating), {points / seconds:,.0f} points/s; "
                f"maximum {maximum:.6g} vs cluster {run['maximum']:.6g}"
            )


if __name__ == "__main__":
    main()
