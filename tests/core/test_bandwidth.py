"""The automatic radius (ArcGIS's rule) and cell size, against formulas written here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kde_heatmap_plugin.core import Kernel, integral_over_unit_disc, profile
from kde_heatmap_plugin.core.bandwidth import (
    arcgis_radius,
    automatic_cell_size,
    kernel_standard_deviation,
    radius_for_kernel,
)


def rule_by_hand(x: np.ndarray, y: np.ndarray) -> float:
    """ArcGIS's formula, unweighted, with NumPy's median (an even count: the lower middle)."""
    mx, my = x.mean(), y.mean()
    distance = np.hypot(x - mx, y - my)
    sd = math.sqrt(np.mean((x - mx) ** 2) + np.mean((y - my) ** 2))
    dm = np.sort(distance)[(len(x) - 1) // 2]
    return 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * len(x) ** -0.2


def test_unweighted_rule_matches_the_formula():
    rng = np.random.default_rng(3)
    x, y = rng.normal(500_000, 300, 501), rng.normal(6_650_000, 120, 501)
    rule = arcgis_radius(x, y)
    assert rule.quartic_radius == pytest.approx(rule_by_hand(x, y), rel=1e-12)
    assert rule.count == 501 and not rule.weighted
    assert rule.mean_x == pytest.approx(x.mean()) and rule.mean_y == pytest.approx(y.mean())


def test_median_term_wins_for_a_long_tail():
    rng = np.random.default_rng(4)
    x = np.concatenate([rng.normal(0, 10, 990), rng.normal(5000, 10, 10)])
    y = rng.normal(0, 10, 1000)
    rule = arcgis_radius(x, y)
    assert math.sqrt(1 / math.log(2)) * rule.median_distance < rule.standard_distance
    assert rule.quartic_radius == pytest.approx(rule_by_hand(x, y), rel=1e-12)


def test_integer_weights_equal_repeated_points():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 1000, 200), rng.uniform(0, 500, 200)
    weight = rng.integers(1, 5, 200).astype(float)
    weighted = arcgis_radius(x, y, weight)
    repeated = arcgis_radius(np.repeat(x, weight.astype(int)), np.repeat(y, weight.astype(int)))
    assert weighted.weighted and weighted.count == weight.sum()
    assert weighted.standard_distance == pytest.approx(repeated.standard_distance, rel=1e-12)
    assert weighted.median_distance == pytest.approx(repeated.median_distance, rel=1e-12)
    assert weighted.quartic_radius == pytest.approx(repeated.quartic_radius, rel=1e-12)


def test_negative_weights_count_every_point_once():
    rng = np.random.default_rng(6)
    x, y = rng.uniform(0, 1000, 100), rng.uniform(0, 1000, 100)
    weight = rng.normal(0, 1, 100)
    rule = arcgis_radius(x, y, weight)
    assert not rule.weighted and rule.radius == arcgis_radius(x, y).radius


def test_coincident_points_have_no_spread():
    rule = arcgis_radius(np.full(5, 3.0), np.full(5, 4.0))
    assert rule.radius == 0.0


def numeric_standard_deviation(kernel: Kernel, decay: float = 0.0) -> float:
    """s² = ∫∫ x² k dA / ∫∫ k dA over the unit disc, by the midpoint rule in r."""
    r = (np.arange(200_000) + 0.5) / 200_000
    k = profile(kernel, r * r, decay)
    return math.sqrt(0.5 * np.sum(r**3 * k) / np.sum(r * k))


@pytest.mark.parametrize(
    "kernel, decay, expected",
    [
        (Kernel.QUARTIC, 0.0, 1 / math.sqrt(8)),
        (Kernel.EPANECHNIKOV, 0.0, 1 / math.sqrt(6)),
        (Kernel.UNIFORM, 0.0, 1 / 2),
        (Kernel.TRIWEIGHT, 0.0, 1 / math.sqrt(10)),
        (Kernel.TRIANGULAR, 0.0, None),
        (Kernel.TRIANGULAR, 0.5, None),
        (Kernel.TRIANGULAR, -0.2, None),
    ],
)
def test_kernel_standard_deviation_is_the_kernels_spread(kernel, decay, expected):
    numeric = numeric_standard_deviation(kernel, decay)
    assert kernel_standard_deviation(kernel, decay) == pytest.approx(numeric, rel=1e-6)
    if expected is not None:
        assert kernel_standard_deviation(kernel, decay) == pytest.approx(expected, rel=1e-12)
    assert integral_over_unit_disc(kernel, decay) > 0


def test_gaussian_spread_is_its_sigma():
    assert kernel_standard_deviation(Kernel.GAUSSIAN) == pytest.approx(1 / 3)
    # the cut at 3 sigma makes the true spread a little smaller
    assert numeric_standard_deviation(Kernel.GAUSSIAN) == pytest.approx(1 / 3, rel=0.03)


def test_radius_for_kernel_keeps_the_spread():
    for kernel in Kernel:
        radius = radius_for_kernel(100.0, kernel)
        spread = radius * kernel_standard_deviation(kernel)
        assert spread == pytest.approx(100.0 / math.sqrt(8), rel=1e-12), kernel
    assert radius_for_kernel(100.0, Kernel.EPANECHNIKOV) == pytest.approx(100 * math.sqrt(6 / 8))
    assert radius_for_kernel(100.0, Kernel.GAUSSIAN) == pytest.approx(300 / math.sqrt(8))


@pytest.mark.parametrize("decay", [-0.25, -0.3, -0.5])
def test_triangular_without_spread_is_refused(decay):
    # below -0.25 the kernel's second moment, 1/4 - (1 - decay)/5, is not positive
    with pytest.raises(ValueError, match="no positive spread"):
        kernel_standard_deviation(Kernel.TRIANGULAR, decay)


@pytest.mark.parametrize(
    "longer_side, radius, expected",
    [
        (200_000.0, 5_000.0, 200.0),  # 1000 cells on the longer side
        (200_000.0, 1_500.0, 150.0),  # 10 cells per radius wins
        (3_456.0, 789.0, 3.4),  # rounded down to two digits
    ],
)
def test_automatic_cell_size(longer_side, radius, expected):
    cell = automatic_cell_size(longer_side, radius)
    assert cell == pytest.approx(expected)
    assert longer_side / cell >= 1000 or radius / cell >= 10
    assert radius / cell >= 10


@pytest.mark.parametrize(
    "value, expected", [(18.95, 19.0), (20.1, 20.0), (0.0123456, 0.012), (98_765.0, 99_000.0)]
)
def test_round_significant(value, expected):
    from kde_heatmap_plugin.core.bandwidth import round_significant

    assert round_significant(value) == pytest.approx(expected)
