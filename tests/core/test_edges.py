"""Study area geometry and edge factors against closed forms and independent references.

The reference for ``e(u) = ∫_W K_R(u - v) dv`` written here does not share the module's method:
it integrates in polar coordinates about ``u``, finding the inside stretches of each ray by the
parity of its crossings with every edge (not by orientation), with Gauss-Legendre on the
angular pieces between breakpoints (the angles of the vertices and of the edges' crossings with
the circle), graded towards their ends, so that the integrand is smooth on each: it agrees
with the module to 9e-16 at 24 nodes and 40 gradings (1e-12 asserted at 16 and 24). A plain 2-D
midpoint sum over the disc checks it in turn (1e-3).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from kde_heatmap_plugin.core import Cancelled, Grid, Kernel, OutputValue, kernel_density_on_grid
from kde_heatmap_plugin.core import edges as edges_module
from kde_heatmap_plugin.core.edges import (
    EdgeReason,
    InvalidStudyArea,
    Window,
    cell_centres_inside,
    edge_factor,
    edge_factor_at_points,
    jones_diggle_weights,
    points_inside,
)
from kde_heatmap_plugin.core.kernels import GAUSSIAN_EXPONENT, POLYNOMIAL_POWER

ALL_KERNELS = [(kernel, 0.0) for kernel in Kernel] + [(Kernel.TRIANGULAR, 0.4)]


# --- references written for the tests -----------------------------------------------------------


def radial_integral(kernel: Kernel, decay: float, rho: np.ndarray) -> np.ndarray:
    """F(ρ) = ∫_0^ρ profile(r) r dr (ρ in radii, at most 1)."""
    if kernel in POLYNOMIAL_POWER:
        power = POLYNOMIAL_POWER[kernel] + 1
        return (1 - (1 - rho**2) ** power) / (2 * power)
    if kernel == Kernel.TRIANGULAR:
        return rho**2 / 2 - (1 - decay) * rho**3 / 3
    return (1 - np.exp(-GAUSSIAN_EXPONENT * rho**2)) / (2 * GAUSSIAN_EXPONENT)


def ring_edges(rings):
    starts = np.concatenate([np.asarray(r, float) for r in rings])
    ends = np.concatenate([np.roll(np.asarray(r, float), -1, axis=0) for r in rings])
    return starts, ends


def polar_reference(u, rings, radius, kernel, decay, nodes=16, levels=24):
    """e(u) by rays: inside stretches from the parity of the crossings, Gauss-Legendre in θ.

    The pieces between breakpoints are graded geometrically towards both ends (``levels``
    halvings): near an edge at distance h the integrand's singularity (where the ray runs
    along the edge's line) lies within h of a breakpoint.
    """
    starts, ends = ring_edges(rings)
    u = np.asarray(u, float)
    a, b = (starts - u) / radius, (ends - u) / radius
    breaks = [np.arctan2(a[:, 1], a[:, 0])]
    d = b - a
    # crossings of each edge with the unit circle
    qa, qb, qc = (d * d).sum(1), 2 * (a * d).sum(1), (a * a).sum(1) - 1
    disc = qb * qb - 4 * qa * qc
    for sign in (-1, 1):
        t = (-qb + sign * np.sqrt(np.maximum(disc, 0))) / (2 * qa)
        ok = (disc > 0) & (t > 0) & (t < 1)
        p = a[ok] + t[ok, None] * d[ok]
        breaks.append(np.arctan2(p[:, 1], p[:, 0]))
    cuts = np.unique(np.concatenate(breaks + [np.array([-math.pi, math.pi])]))
    cuts = cuts[(cuts >= -math.pi) & (cuts <= math.pi)]
    fractions = 2.0 ** -np.arange(1, levels + 1)
    grading = np.unique(np.r_[0.0, fractions, 1 - fractions, 1.0])
    lo, hi = cuts[:-1], cuts[1:]
    pieces = lo[:, None] + (hi - lo)[:, None] * grading[None, :]
    lo, hi = pieces[:, :-1].ravel(), pieces[:, 1:].ravel()
    x, w = np.polynomial.legendre.leggauss(nodes)
    theta = ((lo + hi)[:, None] + (hi - lo)[:, None] * x[None, :]).ravel() / 2
    weight = ((hi - lo)[:, None] * w[None, :] / 2).ravel()
    direction = np.stack([np.cos(theta), np.sin(theta)], 1)
    # ray t·direction meets edge a + s d: t dir - s d = a
    det = direction[:, None, 0] * (-d[None, :, 1]) + d[None, :, 0] * direction[:, None, 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (a[None, :, 0] * (-d[None, :, 1]) + d[None, :, 0] * a[None, :, 1]) / det
        s = (direction[:, None, 0] * a[None, :, 1] - direction[:, None, 1] * a[None, :, 0]) / det
    hit = (det != 0) & (t > 0) & (s >= 0) & (s < 1)
    t = np.sort(np.where(hit, t, np.inf), axis=1)
    count = hit.sum(1)
    # a ray ends outside, so it starts inside when its count is odd; the stretch before
    # crossing j is inside when (start inside) XOR (j odd)
    clipped = np.minimum(t, 1.0)
    previous = np.hstack([np.zeros((theta.size, 1)), clipped[:, :-1]])
    j = np.arange(t.shape[1])[None, :]
    inside = ((count[:, None] % 2 == 1) ^ (j % 2 == 1)) & (j < count[:, None])
    gained = radial_integral(kernel, decay, clipped) - radial_integral(kernel, decay, previous)
    total = np.where(inside, gained, 0.0).sum(1)
    full = 2 * math.pi * radial_integral(kernel, decay, np.array(1.0))
    return float(weight @ total / full)


def point_in_rings(x, y, rings):
    """Even-odd, plain loops, the module's boundary rule written out."""
    inside = False
    for ring in rings:
        ring = np.asarray(ring, float)
        for (x1, y1), (x2, y2) in zip(ring, np.roll(ring, -1, axis=0)):
            if (y1 > y) != (y2 > y):
                cross = (x1 - x) * (y2 - y) - (y1 - y) * (x2 - x)
                if (cross > 0) if y2 > y1 else (cross < 0):
                    inside = not inside
    return inside


def regular_polygon(cx, cy, r, n, phase=0.0):
    t = phase + 2 * math.pi * np.arange(n) / n
    return np.c_[cx + r * np.cos(t), cy + r * np.sin(t)]


SQUARE = [np.array([[0, 0], [1000, 0], [1000, 1000], [0, 1000]], float)]
SQUARE_WITH_HOLE_AND_ISLAND = [
    np.array([[0, 0], [300, 0], [300, 260], [0, 260]], float),
    np.array([[60, 50], [60, 200], [240, 200], [240, 50]], float),  # hole
    regular_polygon(150, 125, 40, 7, 0.3),  # island in the hole
    np.array([[330, 10], [420, 40], [380, 140]], float),  # second polygon
]


# --- inside tests -------------------------------------------------------------------------------


def test_points_inside_matches_plain_loop_and_boundary_rule():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(-20, 440, 3000), rng.uniform(-20, 280, 3000)
    # points on edges and vertices, where the rule decides
    x = np.r_[x, 0, 300, 150, 150, 60, 240, 150, 0, 300, 300]
    y = np.r_[y, 100, 100, 0, 260, 100, 100, 50, 0, 0, 260]
    got = points_inside(x, y, SQUARE_WITH_HOLE_AND_ISLAND)
    expected = [point_in_rings(a, b, SQUARE_WITH_HOLE_AND_ISLAND) for a, b in zip(x, y)]
    np.testing.assert_array_equal(got, expected)
    # left and bottom edges in, right and top out; the hole's left edge is W's right boundary
    assert list(got[-10:]) == [True, False, True, False, False, True, False, True, False, False]


def test_cell_centres_match_points_inside_any_band():
    grid = Grid(x_min=-20.0, y_max=280.0, cell_size=2.5, rows=120, cols=180)
    window = Window.from_rings(SQUARE_WITH_HOLE_AND_ISLAND)
    whole = cell_centres_inside(grid, window)
    cols, rows = np.meshgrid(np.arange(grid.cols), np.arange(grid.rows))
    x = grid.x_min + (cols + 0.5) * grid.cell_size
    y = grid.y_max - (rows + 0.5) * grid.cell_size
    np.testing.assert_array_equal(
        whole, points_inside(x.ravel(), y.ravel(), window).reshape(x.shape)
    )
    band = cell_centres_inside(grid, window, rows=slice(37, 81))
    np.testing.assert_array_equal(band, whole[37:81])
    # centres on the square's edges (x = 0 and 300 are cell centres here? 0 = -20 + 8·2.5)
    assert whole[10, 8] and not whole[10, 128]


def test_polygons_that_tile_share_out_the_cells():
    """Two polygons with a slanted shared edge and a shared vertex on a cell centre: every
    centre of their union is in exactly one."""
    grid = Grid(x_min=0.0, y_max=10.0, cell_size=0.5, rows=20, cols=20)
    left = [np.array([[0.25, 0.25], [5.25, 0.25], [3.25, 9.75], [0.25, 9.75]])]
    right = [np.array([[5.25, 0.25], [9.75, 0.25], [9.75, 9.75], [3.25, 9.75]])]
    union = [np.array([[0.25, 0.25], [9.75, 0.25], [9.75, 9.75], [0.25, 9.75]])]
    a, b = cell_centres_inside(grid, left), cell_centres_inside(grid, right)
    assert not (a & b).any()
    np.testing.assert_array_equal(a | b, cell_centres_inside(grid, union))


def test_orientation_and_ring_order_do_not_matter():
    reversed_rings = [r[::-1] for r in SQUARE_WITH_HOLE_AND_ISLAND[::-1]]
    x = np.array([10.0, 100.0, 150.0, 350.0, 299.0])
    y = np.array([10.0, 100.0, 125.0, 40.0, 3.0])
    for kernel, decay in ALL_KERNELS:
        np.testing.assert_allclose(
            edge_factor_at_points(x, y, reversed_rings, radius=30, kernel=kernel, decay=decay),
            edge_factor_at_points(
                x, y, SQUARE_WITH_HOLE_AND_ISLAND, radius=30, kernel=kernel, decay=decay
            ),
            rtol=0,
            atol=1e-14,
        )


# --- edge factors against closed forms ---------------------------------------------------------


@pytest.mark.parametrize("kernel, decay", ALL_KERNELS)
def test_half_plane_and_corners(kernel, decay):
    # on the left, bottom (inside by the rule), right and top (outside) edges: 1/2; at the
    # corners 1/4; a 60-degree vertex 1/6; farther than R inside: exactly 1
    x = np.array([0.0, 500.0, 1000.0, 500.0, 0.0, 1000.0, 1000.0, 0.0, 500.0, 250.0])
    y = np.array([500.0, 0.0, 500.0, 1000.0, 0.0, 0.0, 1000.0, 1000.0, 500.0, 100.0])
    e = edge_factor_at_points(x, y, SQUARE, radius=100, kernel=kernel, decay=decay)
    np.testing.assert_allclose(e[:8], [0.5] * 4 + [0.25] * 4, rtol=0, atol=1e-15)
    assert e[8] == 1.0 and e[9] == 1.0
    triangle = [np.array([[0, 0], [1000, 0], [500, 500 * math.sqrt(3)]])]
    e = edge_factor_at_points(np.zeros(1), np.zeros(1), triangle, radius=100, kernel=kernel)
    assert abs(e[0] - 1 / 6) < 1e-15


def test_uniform_kernel_at_distance_d_is_one_minus_circular_segment():
    d = np.linspace(0.0, 1.0, 41)
    radius = 80.0
    e = edge_factor_at_points(
        d * radius, np.full(d.size, 500.0), SQUARE, radius=radius, kernel=Kernel.UNIFORM
    )
    segment = np.arccos(d) - d * np.sqrt(1 - d * d)  # area beyond the line, of π
    np.testing.assert_allclose(e, 1 - segment / math.pi, rtol=0, atol=4e-15)


@pytest.mark.parametrize("kernel, decay", ALL_KERNELS)
def test_disc_window_centre_is_radial_integral(kernel, decay):
    # a regular 2^14-gon of radius a about u: e = F(a/R)/F(1) up to the polygon's shortfall
    # (the area of the polygon is short by about (2π/n)²/6 of the disc's: 1e-8 here)
    radius = 50.0
    for a in (10.0, 30.0, 49.0):
        ring = regular_polygon(0.0, 0.0, a, 2**14)
        e = edge_factor_at_points(
            np.zeros(1), np.zeros(1), [ring], radius=radius, kernel=kernel, decay=decay
        )
        f = radial_integral(kernel, decay, np.array([a / radius, 1.0]))
        assert abs(e[0] - f[0] / f[1]) < 1e-7


@pytest.mark.parametrize("kernel, decay", ALL_KERNELS)
def test_against_polar_reference(kernel, decay):
    """Points near every kind of boundary: holes, an island in a hole, a second polygon,
    acute and reflex vertices, radius larger than the hole."""
    rng = np.random.default_rng(11)
    x = rng.uniform(-10, 430, 24)
    y = rng.uniform(-10, 270, 24)
    inside = points_inside(x, y, SQUARE_WITH_HOLE_AND_ISLAND)
    for radius in (25.0, 90.0):
        e = edge_factor_at_points(
            x, y, SQUARE_WITH_HOLE_AND_ISLAND, radius=radius, kernel=kernel, decay=decay
        )
        reference = [
            polar_reference((a, b), SQUARE_WITH_HOLE_AND_ISLAND, radius, kernel, decay)
            for a, b in zip(x, y)
        ]
        np.testing.assert_allclose(e, reference, rtol=0, atol=1e-12)
        assert ((e[inside] > 0) & (e[inside] <= 1 + 1e-14)).all()


def test_polar_reference_against_plain_disc_sum():
    """The reference itself against a 2-D midpoint sum over the disc (1e-3)."""
    u, radius = (290.0, 30.0), 60.0
    step = radius / 400
    offsets = (np.arange(-400, 400) + 0.5) * step
    dx, dy = np.meshgrid(offsets, offsets)
    q = (dx**2 + dy**2) / radius**2
    inside_disc = q <= 1
    px, py = u[0] + dx[inside_disc], u[1] + dy[inside_disc]
    kernel_values = (1 - q[inside_disc]) ** 2
    in_w = points_inside(px, py, SQUARE_WITH_HOLE_AND_ISLAND)
    brute = kernel_values[in_w].sum() / kernel_values.sum()
    reference = polar_reference(u, SQUARE_WITH_HOLE_AND_ISLAND, radius, Kernel.QUARTIC, 0.0)
    assert 0.05 < reference < 0.95
    assert abs(brute - reference) < 1e-3


def test_gaussian_quadrature_converged():
    x = np.array([5.0, 61.0, 140.0, 298.0])
    y = np.array([5.0, 120.0, 84.0, 259.0])
    base = edge_factor_at_points(
        x, y, SQUARE_WITH_HOLE_AND_ISLAND, radius=70, kernel=Kernel.GAUSSIAN
    )
    nodes = edges_module.GAUSS_LEGENDRE_NODES
    try:
        edges_module.GAUSS_LEGENDRE_NODES = 40
        edges_module._GAUSS_LEGENDRE.clear()
        finer = edge_factor_at_points(
            x, y, SQUARE_WITH_HOLE_AND_ISLAND, radius=70, kernel=Kernel.GAUSSIAN
        )
    finally:
        edges_module.GAUSS_LEGENDRE_NODES = nodes
        edges_module._GAUSS_LEGENDRE.clear()
    np.testing.assert_allclose(base, finer, rtol=0, atol=1e-14)


# --- the grid ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kernel, decay", [(Kernel.QUARTIC, 0.0), (Kernel.GAUSSIAN, 0.0)])
def test_grid_edge_factor_equals_points_and_is_banded(kernel, decay):
    grid = Grid(x_min=-12.0, y_max=275.0, cell_size=3.0, rows=95, cols=150)
    window = Window.from_rings(SQUARE_WITH_HOLE_AND_ISLAND)
    whole = edge_factor(grid, window, radius=20.0, kernel=kernel, decay=decay)
    inside = cell_centres_inside(grid, window)
    np.testing.assert_array_equal(np.isnan(whole), ~inside)
    cols, rows = np.meshgrid(np.arange(grid.cols), np.arange(grid.rows))
    x = grid.x_min + (cols + 0.5) * grid.cell_size
    y = grid.y_max - (rows + 0.5) * grid.cell_size
    at_points = edge_factor_at_points(
        x[inside], y[inside], window, radius=20.0, kernel=kernel, decay=decay
    )
    np.testing.assert_allclose(whole[inside], at_points, rtol=0, atol=1e-15)
    assert (whole[inside] < 1).sum() > 1000 and (whole[inside] == 1).sum() > 1000
    parts = [
        edge_factor(grid, window, radius=20.0, kernel=kernel, rows=slice(s, s + 17))
        for s in range(0, grid.rows, 17)
    ]
    np.testing.assert_allclose(np.vstack(parts), whole, rtol=0, atol=1e-15)  # summation order


def test_progress_and_cancel(monkeypatch):
    monkeypatch.setattr(edges_module, "CHUNK_PAIRS", 4096)
    grid = Grid(x_min=-12.0, y_max=275.0, cell_size=1.0, rows=290, cols=450)
    seen = []
    edge_factor(
        grid, SQUARE_WITH_HOLE_AND_ISLAND, radius=20.0, progress=lambda f: seen.append(f) or True
    )
    assert len(seen) > 5 and seen == sorted(seen) and seen[-1] == 1.0
    with pytest.raises(Cancelled):
        edge_factor(grid, SQUARE_WITH_HOLE_AND_ISLAND, radius=20.0, progress=lambda f: f < 0.3)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 300, 200_000), rng.uniform(0, 260, 200_000)
    with pytest.raises(Cancelled):
        jones_diggle_weights(
            x, y, SQUARE_WITH_HOLE_AND_ISLAND, radius=20.0, progress=lambda f: f < 0.5
        )


def test_refusals():
    with pytest.raises(InvalidStudyArea) as caught:
        Window.from_rings([np.array([[0, 0], [1, 1], [2, 2]]), np.array([[0, 0], [1, 0]])])
    assert caught.value.reason == EdgeReason.NO_AREA
    with pytest.raises(InvalidStudyArea) as caught:
        Window.from_rings([np.array([[0, 0], [1, np.nan], [2, 0]])])
    assert caught.value.reason == EdgeReason.NON_FINITE_VERTEX
    assert caught.value.facts == {"ring": 0, "vertex": 1}
    with pytest.raises(InvalidStudyArea) as caught:
        edge_factor_at_points([1.0], [1.0], SQUARE, radius=5, kernel=Kernel.TRIANGULAR, decay=-0.2)
    assert caught.value.reason == EdgeReason.NEGATIVE_KERNEL
    # a bow-tie crosses itself: its lobes are oriented alike, so e leaves [0, 1]
    bow_tie = [np.array([[0, 0], [100, 100], [100, 0], [0, 60]], float)]
    grid = Grid(x_min=0.0, y_max=100.0, cell_size=1.0, rows=100, cols=100)
    with pytest.raises(InvalidStudyArea) as caught:
        edge_factor(grid, bow_tie, radius=30)
    assert caught.value.reason == EdgeReason.EDGE_FACTOR_OUT_OF_RANGE


# --- the corrections ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rings, cell, tolerance",
    [
        # edges on cell edges: the midpoint sum's error is second order
        ([np.array([[0, 0], [200, 0], [200, 150], [0, 150]], float)], 0.5, 2e-5),
        (SQUARE_WITH_HOLE_AND_ISLAND, 0.5, 2e-3),
    ],
)
def test_jones_diggle_density_integrates_to_the_weights_inside(rings, cell, tolerance):
    """Σ_cells in W Density(w_i / e(x_i)) · cell² = Σ_{x_i in W} w_i (Jones-Diggle)."""
    rng = np.random.default_rng(5)
    x, y = rng.uniform(-30, 450, 400), rng.uniform(-30, 300, 400)
    weight = rng.uniform(0.5, 2.0, 400)
    window = Window.from_rings(rings)
    inside = points_inside(x, y, window)
    x, y, weight = x[inside], y[inside], weight[inside]
    corrected = weight * jones_diggle_weights(x, y, window, radius=25.0)
    assert (corrected > weight).any()
    grid = Grid(
        x_min=-40.0, y_max=300.0, cell_size=cell, rows=int(340 / cell), cols=int(500 / cell)
    )
    density = kernel_density_on_grid(
        x, y, grid, radius=25.0, output_value=OutputValue.DENSITY, weight=corrected
    )
    in_w = cell_centres_inside(grid, window)
    mass = density[in_w].sum() * cell * cell
    assert abs(mass - weight.sum()) < tolerance * weight.sum()
    uncorrected = kernel_density_on_grid(
        x, y, grid, radius=25.0, output_value=OutputValue.DENSITY, weight=weight
    )
    assert uncorrected[in_w].sum() * cell * cell < (1 - 20 * tolerance) * weight.sum()


def test_uniform_correction_makes_a_uniform_pattern_flat():
    """Points on a fine lattice filling W (weight = lattice cell area) have the density
    ∫_W K(u - v) dv = e(u) up to the lattice sum's error; divided by e it is 1."""
    ring = np.array([[0, 0], [120, 0], [120, 80], [0, 80]], float)
    spacing = 0.25
    lx, ly = np.meshgrid(
        np.arange(0, 120, spacing) + spacing / 2, np.arange(0, 80, spacing) + spacing / 2
    )
    grid = Grid(x_min=-10.0, y_max=90.0, cell_size=2.0, rows=50, cols=70)
    density = kernel_density_on_grid(
        lx.ravel(),
        ly.ravel(),
        grid,
        radius=20.0,
        output_value=OutputValue.DENSITY,
        weight=np.full(lx.size, spacing**2),
    )
    e = edge_factor(grid, [ring], radius=20.0)
    inside = ~np.isnan(e)
    np.testing.assert_allclose(density[inside], e[inside], rtol=0, atol=5e-4)
    corrected = density[inside] / e[inside]
    assert abs(corrected - 1).max() < 2e-3 and abs(density[inside] - 1).max() > 0.5


# --- cost ----------------------------------------------------------------------------------------


def test_timing_4000_grid():
    """4000 x 4000 cells, a 1,000-vertex polygon across them, radius 20 cells (quartic)."""
    rng = np.random.default_rng(1)
    t = np.sort(rng.uniform(0, 2 * np.pi, 1000))
    r = 1800 * (1 + 0.08 * np.sin(7 * t) + 0.01 * rng.uniform(-1, 1, 1000))
    window = Window.from_rings([np.c_[2000 + r * np.cos(t), 2000 + r * np.sin(t)]])
    grid = Grid(x_min=0.0, y_max=4000.0, cell_size=1.0, rows=4000, cols=4000)
    started = time.perf_counter()
    boundary_cells = 0
    for first in range(0, grid.rows, 128):
        band = edge_factor(grid, window, radius=20.0, rows=slice(first, first + 128))
        boundary_cells += int((band < 1).sum())
    seconds = time.perf_counter() - started
    print(f"edge factors of 4000 x 4000 cells: {seconds:.2f} s, {boundary_cells} below 1")
    assert boundary_cells > 300_000
    assert seconds < 15  # about 1 s here, alone
