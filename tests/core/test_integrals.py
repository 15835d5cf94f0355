"""Density integrates to the sum of the weights; the unit-disc integrals are the analytic ones."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Grid,
    Kernel,
    OutputValue,
    integral_over_unit_disc,
    kernel_density,
    kernel_density_on_grid,
)

# ∫∫ over the unit disc of each profile, worked out by hand: 2π ∫₀¹ k(u) u du.
ANALYTIC_UNIT_DISC_INTEGRALS = {
    Kernel.QUARTIC: math.pi / 3,
    Kernel.UNIFORM: math.pi,
    Kernel.TRIWEIGHT: math.pi / 4,
    Kernel.EPANECHNIKOV: math.pi / 2,
    Kernel.GAUSSIAN: 2 * math.pi * (1 - math.exp(-4.5)) / 9,
}


@pytest.mark.parametrize("kernel", list(ANALYTIC_UNIT_DISC_INTEGRALS))
def test_unit_disc_integrals_are_the_analytic_values(kernel):
    assert integral_over_unit_disc(kernel) == pytest.approx(
        ANALYTIC_UNIT_DISC_INTEGRALS[kernel], rel=1e-15
    )


@pytest.mark.parametrize("decay", [-0.3, 0.0, 0.5, 1.0, 2.0])
def test_triangular_integral_with_decay(decay):
    # 2π ∫₀¹ (1 - (1 - decay) u) u du = 2π (1/2 - (1 - decay)/3) = π (1 + 2 decay) / 3
    assert integral_over_unit_disc(Kernel.TRIANGULAR, decay) == pytest.approx(
        math.pi * (1 + 2 * decay) / 3, rel=1e-15
    )


@pytest.mark.parametrize("kernel", list(Kernel))
def test_density_integrates_to_the_sum_of_weights(kernel):
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 100, 30), rng.uniform(0, 100, 30)
    weight = rng.uniform(0.5, 3.0, 30)
    cell = 0.5  # radius 12 = 24 cells: the midpoint rule is accurate to about 1e-4
    grid, density = kernel_density(
        x,
        y,
        radius=12.0,
        cell_size=cell,
        kernel=kernel,
        decay=0.3,
        output_value=OutputValue.DENSITY,
        weight=weight,
    )
    assert density.sum() * cell**2 == pytest.approx(weight.sum(), rel=1e-3)
    counts = kernel_density_on_grid(
        x,
        y,
        grid,
        radius=12.0,
        kernel=kernel,
        decay=0.3,
        output_value=OutputValue.EXPECTED_COUNT,
        weight=weight,
    )
    np.testing.assert_allclose(counts, density * cell**2, rtol=1e-12)
    assert counts.sum() == pytest.approx(weight.sum(), rel=1e-3)


def test_per_point_radii_integrate_to_the_sum_of_weights():
    rng = np.random.default_rng(6)
    x, y = rng.uniform(0, 50, 20), rng.uniform(0, 50, 20)
    radius = rng.uniform(8.0, 20.0, 20)
    grid, density = kernel_density(
        x, y, radius=radius, cell_size=0.4, output_value=OutputValue.DENSITY
    )
    assert density.sum() * 0.4**2 == pytest.approx(20.0, rel=1e-3)


def test_scaled_quartic_is_seven_and_a_quarter_times_density():
    # The native constant 116/(5π r²)·15/16 is kept on purpose (existing thresholds).
    grid = Grid(x_min=0.0, y_max=40.0, cell_size=1.0, rows=40, cols=40)
    x, y = np.array([20.3]), np.array([19.6])
    scaled = kernel_density_on_grid(x, y, grid, radius=15.0, output_value=OutputValue.SCALED)
    density = kernel_density_on_grid(x, y, grid, radius=15.0, output_value=OutputValue.DENSITY)
    np.testing.assert_allclose(scaled, 7.25 * density, rtol=0, atol=1e-12 * scaled.max())


def test_triangular_density_is_undefined_for_decay_at_or_below_minus_half():
    with pytest.raises(ValueError, match="decay"):
        kernel_density(
            np.array([0.0]),
            np.array([0.0]),
            radius=5.0,
            cell_size=1.0,
            kernel=Kernel.TRIANGULAR,
            decay=-0.5,
            output_value=OutputValue.DENSITY,
        )
