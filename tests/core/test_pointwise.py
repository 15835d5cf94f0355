"""Exact kernel sums at arbitrary locations, against brute-force double loops written here."""

from __future__ import annotations

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Cancelled,
    Kernel,
    OutputValue,
    integral_over_unit_disc,
    pointwise,
)
from kde_heatmap_plugin.core.pointwise import (
    binned_gaussian_leave_one_out,
    fast_fft_length,
    kernel_sum_at,
    nearest_neighbour_distance,
    pair_distance_histogram,
)

PROFILES = {
    Kernel.QUARTIC: lambda u2, decay: (1 - u2) ** 2,
    Kernel.TRIANGULAR: lambda u2, decay: 1 - (1 - decay) * np.sqrt(u2),
    Kernel.UNIFORM: lambda u2, decay: np.ones_like(u2),
    Kernel.TRIWEIGHT: lambda u2, decay: (1 - u2) ** 3,
    Kernel.EPANECHNIKOV: lambda u2, decay: 1 - u2,
    Kernel.GAUSSIAN: lambda u2, decay: np.exp(-4.5 * u2),
}


def brute_force(x, y, at_x, at_y, radius, kernel, decay, weight, leave_one_out=False):
    """Σ_j w_j profile(d²/r_j²) over d² <= r_j², one location and one point at a time."""
    radius = np.broadcast_to(radius, x.shape)
    result = np.zeros(len(at_x))
    for i in range(len(at_x)):
        for j in range(len(x)):
            if leave_one_out and i == j:
                continue
            d2 = (at_x[i] - x[j]) ** 2 + (at_y[i] - y[j]) ** 2
            if d2 <= radius[j] ** 2:
                result[i] += weight[j] * PROFILES[kernel](d2 / radius[j] ** 2, decay)
    return result


def scattered(count, seed):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 100, count), rng.uniform(0, 60, count), rng.uniform(-1, 2, count)


@pytest.mark.parametrize("kernel", list(Kernel))
def test_sums_at_locations_equal_the_double_loop(kernel):
    x, y, weight = scattered(150, 1)
    rng = np.random.default_rng(2)
    at_x, at_y = rng.uniform(-20, 120, 90), rng.uniform(-20, 80, 90)
    got = kernel_sum_at(x, y, at_x, at_y, radius=12.5, kernel=kernel, decay=0.3, weight=weight)
    expected = brute_force(x, y, at_x, at_y, 12.5, kernel, 0.3, weight)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_per_point_radii_over_many_scales_and_leave_one_out():
    x, y, weight = scattered(200, 3)
    radius = np.exp(np.random.default_rng(4).uniform(np.log(0.5), np.log(60), 200))
    got = kernel_sum_at(x, y, x, y, radius=radius, weight=weight, leave_one_out=True)
    expected = brute_force(x, y, x, y, radius, Kernel.QUARTIC, 0, weight, leave_one_out=True)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_points_exactly_at_the_radius_count_and_duplicates_are_not_left_out():
    # integer coordinates: distances 3, 4, 5 exactly; radius 5 includes the point at 5
    x = np.array([0.0, 3.0, 0.0, 3.0, 3.0])
    y = np.array([0.0, 0.0, 4.0, 4.0, 4.0])
    got = kernel_sum_at(x, y, x, y, radius=5.0, kernel=Kernel.UNIFORM, leave_one_out=True)
    np.testing.assert_array_equal(got, [4, 4, 4, 4, 4])
    expected = brute_force(x, y, x, y, 5.0, Kernel.EPANECHNIKOV, 0, np.ones(5), True)
    got = kernel_sum_at(x, y, x, y, radius=5.0, kernel=Kernel.EPANECHNIKOV, leave_one_out=True)
    np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_density_constant_and_small_chunks(monkeypatch):
    x, y, weight = scattered(120, 5)
    whole = kernel_sum_at(x, y, x, y, radius=9.0, weight=weight, output_value=OutputValue.DENSITY)
    monkeypatch.setattr(pointwise, "PAIRS_PER_CHUNK", 7)
    monkeypatch.setattr(pointwise, "LOCATIONS_PER_BLOCK", 5)
    chunked = kernel_sum_at(x, y, x, y, radius=9.0, weight=weight, output_value=OutputValue.DENSITY)
    expected = brute_force(x, y, x, y, 9.0, Kernel.QUARTIC, 0, weight)
    expected /= integral_over_unit_disc(Kernel.QUARTIC) * 81.0
    np.testing.assert_allclose(whole, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(chunked, expected, rtol=1e-12, atol=1e-15)


def test_nearest_neighbour_distances_of_clusters_and_outliers():
    rng = np.random.default_rng(6)
    x = np.concatenate([rng.normal(0, 1, 300), [1e4, -3e3, 0.5]])
    y = np.concatenate([rng.normal(0, 1, 300), [2e4, 1.0, 0.5]])
    x[5], y[5] = x[6], y[6]  # a duplicate: distance 0
    d2 = (x[:, None] - x[None]) ** 2 + (y[:, None] - y[None]) ** 2
    np.fill_diagonal(d2, np.inf)
    np.testing.assert_allclose(nearest_neighbour_distance(x, y), np.sqrt(d2.min(axis=1)))
    assert nearest_neighbour_distance(x[5:7], y[5:7]).tolist() == [0.0, 0.0]


def test_pair_distance_histogram_counts_pairs_up_to_each_distance():
    x, y, _ = scattered(150, 7)
    counts = np.cumsum(pair_distance_histogram(x, y, 20.0, 41))
    d = np.hypot(x[:, None] - x[None], y[:, None] - y[None])
    off = ~np.eye(150, dtype=bool)
    expected = [np.count_nonzero((d <= k * 0.5) & off) for k in range(41)]
    np.testing.assert_array_equal(counts, expected)


def test_cancelling_stops_the_sums(monkeypatch):
    monkeypatch.setattr(pointwise, "LOCATIONS_PER_BLOCK", 10)
    x, y, _ = scattered(100, 8)
    seen = []
    with pytest.raises(Cancelled):
        kernel_sum_at(x, y, x, y, radius=5.0, progress=lambda f: seen.append(f) or f < 0.3)
    assert 0 < seen[-1] < 1


def test_refuses_bad_radii_and_mismatched_locations():
    x, y, _ = scattered(10, 9)
    with pytest.raises(ValueError):
        kernel_sum_at(x, y, x, y, radius=0.0)
    with pytest.raises(ValueError):
        kernel_sum_at(x, y, x[:5], y[:5], radius=1.0, leave_one_out=True)
    with pytest.raises(ValueError):
        kernel_sum_at(x, y, x, y, radius=1.0, output_value=OutputValue.EXPECTED_COUNT)


def gaussian_leave_one_out(x, y, weight, sigma):
    """Σ_{j != i} w_j exp(-d²/2σ²) / (2π σ²), all pairs."""
    d2 = (x[:, None] - x[None]) ** 2 + (y[:, None] - y[None]) ** 2
    terms = weight[None] * np.exp(-d2 / (2 * sigma**2)) / (2 * np.pi * sigma**2)
    np.fill_diagonal(terms, 0.0)
    return terms.sum(axis=1)


@pytest.mark.parametrize("sigma", [3.0, 8.0, 25.0])
def test_binned_gaussian_sums_within_the_bound_of_binning(sigma):
    rng = np.random.default_rng(14)
    x = np.concatenate([rng.uniform(0, 100, 300), rng.normal(30, 4, 300)])
    y = np.concatenate([rng.uniform(0, 60, 300), rng.normal(40, 4, 300)])
    weight = rng.uniform(0.5, 2.0, 600)
    exact = gaussian_leave_one_out(x, y, weight, sigma)
    d2 = (x[:, None] - x[None]) ** 2 + (y[:, None] - y[None]) ** 2
    np.fill_diagonal(d2, np.inf)
    close = d2.min(axis=1) <= (2 * sigma) ** 2  # the points the binned sums are used for
    errors = []
    for cells_per_sigma in (4, 8):
        h = sigma / cells_per_sigma
        binned = binned_gaussian_leave_one_out(x, y, weight, sigma, h, 8 * sigma)
        error = np.abs(binned[close] / exact[close] - 1)
        # a term is off by at most (h/σ)² (|t_x² - 1| + |t_y² - 1|) / 4 of itself: 2 (h/σ)²
        # at the neighbours within 2σ that dominate these sums (t² <= 4)
        assert error.max() < 2 * (h / sigma) ** 2
        # on average the kernel of σ_e² = σ² - h²/3 removes the smoothing by the grid (without
        # it the sums would be about (h/σ)² / 6 too small)
        assert error.mean() < (h / sigma) ** 2 / 10
        errors.append(error.mean())
    assert errors[1] < errors[0] / 3  # second order in h


def test_binned_gaussian_sums_the_same_in_small_blocks(monkeypatch):
    x, y, weight = scattered(300, 16)
    weight = np.abs(weight)
    whole = binned_gaussian_leave_one_out(x, y, weight, 4.0, 0.5, 32.0)
    monkeypatch.setattr(pointwise, "FFT_CHUNK_CELLS", 7)
    blocks = binned_gaussian_leave_one_out(x, y, weight, 4.0, 0.5, 32.0)
    np.testing.assert_allclose(blocks, whole, rtol=1e-12)


def test_binned_gaussian_leaves_out_the_own_term_and_marks_isolated_points():
    x = np.array([0.0, 1.3, 0.4, 500.0])
    y = np.array([0.0, 0.2, -0.9, 500.0])
    weight = np.array([1.0, 2.0, 0.5, 1.0])
    binned = binned_gaussian_leave_one_out(x, y, weight, 1.0, 0.125, 8.0)
    exact = gaussian_leave_one_out(x, y, weight, 1.0)
    np.testing.assert_allclose(binned[:3], exact[:3], rtol=0.02)
    assert np.isnan(binned[3])  # nothing within 8σ: not computable by the grid
    with pytest.raises(ValueError):
        binned_gaussian_leave_one_out(x, y, weight, 1.0, 0.6, 8.0)


def test_fast_fft_lengths_are_the_next_5_smooth_numbers():
    def smooth(n):
        for p in (2, 3, 5):
            while n % p == 0:
                n //= p
        return n == 1

    for length in range(1, 2000):
        found = fast_fft_length(length)
        assert found >= length and smooth(found)
        assert not any(smooth(m) for m in range(length, found))
