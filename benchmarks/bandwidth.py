"""Seconds taken by each radius rule of core/bandwidth.py at 1e4, 1e5 and 1e6 points.

Points: half uniform over a 10 km square, half in 50 Gaussian clusters (σ 150 m), as towns in
a region. Run: ``python benchmarks/bandwidth.py [largest count]``. Times are wall-clock on
one core of this machine (NumPy only), each rule once per count.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kde_heatmap_plugin.core.bandwidth import (  # noqa: E402
    abramson_radii,
    arcgis_radius,
    diggle_rule,
    likelihood_cross_validation,
    scott_rule,
)


def clustered_points(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    half = count // 2
    centres = rng.uniform(1000, 9000, (50, 2))
    which = rng.integers(0, 50, count - half)
    x = np.concatenate([rng.uniform(0, 10_000, half), centres[which, 0]])
    y = np.concatenate([rng.uniform(0, 10_000, half), centres[which, 1]])
    x[half:] += rng.normal(0, 150, count - half)
    y[half:] += rng.normal(0, 150, count - half)
    return x, y


def main() -> None:
    largest = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000
    for count in (10_000, 100_000, 1_000_000):
        if count > largest:
            break
        x, y = clustered_points(count)
        rules = {
            "ArcGIS": arcgis_radius,
            "Scott": scott_rule,
            "likelihood CV": likelihood_cross_validation,
            "Diggle": diggle_rule,
        }
        radius = None
        for name, rule in rules.items():
            start = time.perf_counter()
            radius = rule(x, y).radius
            print(
                f"{count:>9,} points  {name:<14} {time.perf_counter() - start:7.2f} s"
                f"  quartic radius {radius:9.2f} m",
                flush=True,
            )
        start = time.perf_counter()
        radii = abramson_radii(x, y, radius)
        print(
            f"{count:>9,} points  {'Abramson':<14} {time.perf_counter() - start:7.2f} s"
            f"  radii {radii.min():.2f} to {radii.max():.2f} m",
            flush=True,
        )


if __name__ == "__main__":
    main()
