"""Seconds taken by each radius rule of core/bandwidth.py at 1e4, 1e5 and 1e6 points.

Points: half uniform over a 10 km square, half in 50 Gaussian clusters (σ 150 m), as towns in
a region. Run: ``python benchmarks/bandwidth.py [largest count]``. Times are wall-clock on
one core of this machine (NumPy only), each rule once per count.

Measured (two runs, 2-core machine shared with other jobs)::

    points      ArcGIS   Scott   likelihood CV   Diggle      Abramson
    10,000      0.00 s   0.00 s  0.5-0.9 s       0.5 s       0.05 s
    100,000     0.02 s   0.00 s  3.5-3.6 s       6.5 s       1.2 s
    1,000,000   0.17 s   0.01 s  33 s            103-106 s   54 s

Quartic radii chosen: likelihood CV 438, 272 and 79 m; Diggle 272, 167 and 115 m.
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
            result = rule(x, y)
            radius = result.radius
            chosen = (
                f"  σ {result.sigma:.4g} m, candidate {result.index + 1} of {result.evaluated}"
                f" evaluated{' (at the end)' if result.at_end else ''}"
                if hasattr(result, "evaluated")
                else ""
            )
            print(
                f"{count:>9,} points  {name:<14} {time.perf_counter() - start:7.2f} s"
                f"  quartic radius {radius:9.2f} m{chosen}",
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
