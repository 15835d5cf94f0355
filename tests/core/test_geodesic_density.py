"""Geodesic kernel density on longitude/latitude grids (core.geodesic_density), against a
brute-force sum over every cell and point with pyproj's ``Geod.inv`` (Karney's solver)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from kde_heatmap_plugin.core import geodesic_density
from kde_heatmap_plugin.core.errors import InvalidInput, Reason
from kde_heatmap_plugin.core.estimators import Cancelled
from kde_heatmap_plugin.core.geodesic_density import (
    FAST_LIMIT_M,
    SERIES_LIMIT_M,
    geodesic_grid,
    kernel_density_geodesic,
    kernel_density_geodesic_bands,
    point_cell_distance,
    row_cell_areas,
)
from kde_heatmap_plugin.core.grid import Grid
from kde_heatmap_plugin.core.kernels import Kernel, OutputValue, output_factor, profile

with warnings.catch_warnings():  # a missing PROJ data directory does not matter to Geod
    warnings.simplefilter("ignore")
    import pyproj

    GEOD = pyproj.Geod(ellps="WGS84")


def _centres(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    lat = grid.y_max - (np.arange(grid.rows) + 0.5) * grid.cell_size
    lon = grid.x_min + (np.arange(grid.cols) + 0.5) * grid.cell_size
    lon_grid, lat_grid = np.meshgrid(lon, lat)
    return lon_grid.ravel(), lat_grid.ravel()


_BRUTE_FORCE_CACHE: dict[tuple, tuple[np.ndarray, float]] = {}


def _brute_force(lon, lat, grid, radius, kernel, output_value, weight=None, decay=0.0):
    """Σ w · factor(R) · profile(d² / R²) over d² <= R², d from pyproj, per cell; and the
    smallest |d - R| / R of any cell and disc (how near a cell comes to an edge). Kept for the
    other method's run of the same case."""
    key = tuple(
        np.asarray(value, dtype=np.float64).tobytes()
        for value in (lon, lat, radius, 0 if weight is None else weight)
    ) + (grid, kernel, output_value, decay)
    if key not in _BRUTE_FORCE_CACHE:
        _BRUTE_FORCE_CACHE[key] = _brute_force_sum(
            lon, lat, grid, radius, kernel, output_value, weight, decay
        )
    return _BRUTE_FORCE_CACHE[key]


def _brute_force_sum(lon, lat, grid, radius, kernel, output_value, weight, decay):
    cell_lon, cell_lat = _centres(grid)
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), np.shape(lon))
    weights = np.ones(len(lon)) if weight is None else weight
    density = OutputValue.DENSITY if output_value == OutputValue.EXPECTED_COUNT else output_value
    total = np.zeros(cell_lon.size)
    nearest_edge = np.inf
    for x, y, r, w in zip(lon, lat, radii, weights):
        _, _, d = GEOD.inv(np.full(cell_lon.size, x), np.full(cell_lon.size, y), cell_lon, cell_lat)
        d = np.asarray(d)
        nearest_edge = min(nearest_edge, float(np.min(np.abs(d - r) / r)))
        factor = output_factor(kernel, density, np.array(r), 1.0, decay)
        u_squared = np.minimum(d * d / (r * r), 1.0)
        total += np.where(d * d <= r * r, w * factor * profile(kernel, u_squared, decay), 0.0)
    values = total.reshape(grid.shape)
    if output_value == OutputValue.EXPECTED_COUNT:
        values = values * row_cell_areas(grid)[:, None]
    return values, nearest_edge


def _assert_matches(lon, lat, grid, radius, kernel, output_value, **options):
    values = kernel_density_geodesic(
        lon, lat, grid, radius=radius, kernel=kernel, output_value=output_value, **options
    )
    reference, nearest_edge = _brute_force(
        lon,
        lat,
        grid,
        radius,
        kernel,
        output_value,
        options.get("weight"),
        options.get("decay", 0.0),
    )
    # no cell so near a disc's edge that a 1e-8 relative error could move it across
    assert nearest_edge > 1e-7
    scale = np.abs(reference).max()
    assert scale > 0
    error = np.abs(values - reference).max() / scale
    assert error <= 1e-6, f"{kernel.name} {output_value.name}: {error:.3g} of the maximum"
    return values


def _cluster(rng, lon0, lat0, count, spread_lon, spread_lat):
    lon = lon0 + rng.uniform(-spread_lon, spread_lon, count)
    lat = np.clip(lat0 + rng.uniform(-spread_lat, spread_lat, count), -90.0, 90.0)
    return lon, lat


@pytest.fixture(params=["rows", "cells"])
def method(request, monkeypatch):
    """Run each case by row intervals where they apply, and by cells one by one."""
    if request.param == "cells":
        monkeypatch.setattr(geodesic_density, "ROW_METHOD_MIN_RADIUS_CELLS", np.inf)
    return request.param


@pytest.mark.parametrize("kernel", list(Kernel))
@pytest.mark.parametrize("output_value", list(OutputValue))
def test_near_60_north_every_kernel_and_output(kernel, output_value, method):
    rng = np.random.default_rng(1)
    lon, lat = _cluster(rng, 10.0, 60.0, 12, 0.3, 0.15)
    weight = rng.uniform(0.5, 2.0, len(lon))
    grid = geodesic_grid(lon, lat, 20_000.0, 0.02)  # 9 cells of latitude a radius
    _assert_matches(lon, lat, grid, 20_000.0, kernel, output_value, weight=weight, decay=0.3)


#: The largest radius (metres) whose row intervals use the secant of e² (2p + 1 coefficients)
SECANT_RADIUS = math.sqrt(
    24.0 * geodesic_density.SMALLEST_RADII_PRODUCT * geodesic_density.SECANT_TOLERANCE
)
#: each approximation at the largest radius it is used for: (radius, the distances' tolerance)
APPROXIMATIONS = {
    "secant": (0.999 * SECANT_RADIUS, 1.01 * geodesic_density.SECANT_TOLERANCE),
    "first order": (FAST_LIMIT_M, 5e-8),
}


@pytest.mark.parametrize("latitude", [0.3, 71.0])
@pytest.mark.parametrize("approximation", list(APPROXIMATIONS))
@pytest.mark.parametrize(
    "kernel", [Kernel.UNIFORM, Kernel.EPANECHNIKOV, Kernel.QUARTIC, Kernel.TRIWEIGHT]
)
def test_row_approximations_at_their_largest_radius(latitude, approximation, kernel):
    """The row intervals' polynomial at the largest radius of each approximation, at the
    equator (where ``M N`` is smallest, the bounds' worst case) and at 71 N: the distances
    one point's values imply (the profile inverted, cells from 5 % to 95 % of the radius),
    and several points' values out to their discs' edges, against pyproj."""
    radius, tolerance = APPROXIMATIONS[approximation]
    cell = radius / 111_000.0 / 10.0  # 10 cells of latitude a radius: by rows
    lon0 = 30.0 + 0.37 * cell
    lat0 = latitude + 0.21 * cell
    grid = geodesic_grid(np.array([lon0]), np.array([lat0]), radius, cell)
    band = geodesic_density._Band(grid, 0, grid.rows, kernel, radius)
    assert band.secant == (approximation == "secant")
    values = kernel_density_geodesic([lon0], [lat0], grid, radius=radius, kernel=kernel)
    power = {Kernel.EPANECHNIKOV: 1, Kernel.QUARTIC: 2, Kernel.TRIWEIGHT: 3}.get(kernel)
    if power is not None:
        cell_lon, cell_lat = _centres(grid)
        _, _, reference = GEOD.inv(
            np.full(cell_lon.size, lon0), np.full(cell_lon.size, lat0), cell_lon, cell_lat
        )
        reference = np.asarray(reference)
        q = np.maximum(values.ravel(), 0.0) ** (1.0 / power)
        implied = radius * np.sqrt(np.maximum(1.0 - q, 0.0))
        inside = (reference > 0.05 * radius) & (reference < 0.95 * radius)
        assert inside.sum() > 200
        relative = np.abs(implied[inside] - reference[inside]) / reference[inside]
        assert relative.max() <= tolerance, f"{relative.max():.3g}"
    rng = np.random.default_rng(11)
    lon, lat = _cluster(rng, lon0, lat0, 6, 20 * cell, 5 * cell)
    grid = geodesic_grid(lon, lat, radius, cell)
    weight = rng.uniform(0.5, 2.0, len(lon))
    _assert_matches(lon, lat, grid, radius, kernel, OutputValue.RAW, weight=weight)


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.UNIFORM, Kernel.GAUSSIAN])
def test_per_point_radii_across_the_three_distance_formulas(kernel):
    rng = np.random.default_rng(2)
    lon, lat = _cluster(rng, -40.0, 35.0, 9, 3.0, 2.0)
    radius = np.array([5e3, 3e4, 4.9e4, 8e4, 2e5, 4.5e5, 6e5, 1.2e6, 2e4])
    assert radius.min() < FAST_LIMIT_M < np.median(radius) < SERIES_LIMIT_M < radius.max()
    grid = geodesic_grid(lon, lat, float(radius.max()), 0.5)
    _assert_matches(lon, lat, grid, radius, kernel, OutputValue.DENSITY)


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.TRIWEIGHT, Kernel.UNIFORM])
def test_across_the_antimeridian_no_seam_and_symmetric(kernel, method):
    # points mirrored about 180 degrees: the surface is mirrored about the grid's middle column
    rng = np.random.default_rng(3)
    east = rng.uniform(0.01, 0.4, 6)
    lat = rng.uniform(-0.3, 0.3, 6)
    lon = np.concatenate([180.0 - east, -180.0 + east])
    lat = np.concatenate([lat, lat])
    grid = Grid(x_min=179.0, y_max=1.0, cell_size=0.02, rows=100, cols=100)
    values = _assert_matches(lon, lat, grid, 25_000.0, kernel, OutputValue.RAW)
    np.testing.assert_allclose(values, values[:, ::-1], rtol=0, atol=1e-9 * values.max())
    assert (values[:, 49:51] > 0).any(axis=0).all()  # discs reach across 180 degrees


@pytest.mark.parametrize("latitude", [89.9, -89.7])
@pytest.mark.parametrize("kernel", [Kernel.EPANECHNIKOV, Kernel.TRIANGULAR, Kernel.UNIFORM])
def test_discs_over_a_pole(latitude, kernel, method):
    rng = np.random.default_rng(4)
    lon = rng.uniform(-180.0, 180.0, 5)
    lat = np.full(5, latitude) + rng.uniform(-0.05, 0.05, 5)
    grid = geodesic_grid(lon, lat, 60_000.0, 0.05)  # 10.8 cells of latitude a radius
    assert grid.cols * grid.cell_size == pytest.approx(360.0)
    values = _assert_matches(lon, lat, grid, 60_000.0, kernel, OutputValue.SCALED, decay=-0.2)
    pole_row = 0 if latitude > 0 else -1
    assert (values[pole_row] != 0).all()  # the row next to the pole is covered all round


@pytest.mark.parametrize("kernel", [Kernel.QUARTIC, Kernel.GAUSSIAN])
def test_global_grid_wraps_at_its_seam(kernel, method):
    # x_min = -30: the seam is at 330 = -30; points on both sides of it
    lon = np.array([-29.9, 329.5, -30.4, 100.0])
    lat = np.array([10.0, 12.0, 9.0, 11.0])
    grid = Grid(x_min=-30.0, y_max=12.5, cell_size=0.05, rows=70, cols=7200)
    values = _assert_matches(lon, lat, grid, 45_000.0, kernel, OutputValue.EXPECTED_COUNT)
    assert (values[:, 0] > 0).any() and (values[:, -1] > 0).any()


def test_expected_count_and_density_integrate_to_the_weights():
    rng = np.random.default_rng(5)
    lon, lat = _cluster(rng, 150.0, -70.0, 50, 2.0, 1.0)
    weight = rng.uniform(0.0, 3.0, len(lon))
    radius = 30_000.0
    grid = geodesic_grid(lon, lat, radius, 0.01)
    expected = kernel_density_geodesic(
        lon, lat, grid, radius=radius, weight=weight, output_value=OutputValue.EXPECTED_COUNT
    )
    density = kernel_density_geodesic(
        lon, lat, grid, radius=radius, weight=weight, output_value=OutputValue.DENSITY
    )
    # a geodesic disc's area is π R² (1 - K R² / 12 ...): 1e-6 here; the cell sums add ~1e-4
    assert expected.sum() == pytest.approx(weight.sum(), rel=1e-3)
    integral = (density * row_cell_areas(grid)[:, None]).sum()
    assert integral == pytest.approx(expected.sum(), rel=1e-12)


def test_distances_within_1e_8_of_pyproj_at_every_latitude_and_azimuth():
    rng = np.random.default_rng(6)
    count = 20_000
    lon1 = rng.uniform(-180.0, 180.0, count)
    lat1 = np.concatenate([rng.uniform(0.0, 90.0, count - 4), [0.0, 45.0, 89.99, 90.0]])
    azimuth = rng.uniform(-180.0, 180.0, count)
    for limit in (FAST_LIMIT_M, SERIES_LIMIT_M, 3 * SERIES_LIMIT_M):
        distance = limit * rng.uniform(1e-4, 1.0, count)
        lon2, lat2, _ = GEOD.fwd(lon1, lat1, azimuth, distance)
        _, _, reference = GEOD.inv(lon1, lat1, lon2, lat2)
        ours = point_cell_distance(lon1, lat1, lon2, lat2, limit)
        relative = np.abs(ours - reference) / np.asarray(reference)
        assert relative.max() < (2e-8 if limit == FAST_LIMIT_M else 1e-8), limit


def test_bands_come_in_order_and_progress_cancels():
    rng = np.random.default_rng(7)
    lon, lat = _cluster(rng, 5.0, 50.0, 2000, 1.0, 1.0)
    grid = geodesic_grid(lon, lat, 5_000.0, 0.005)
    bands = list(kernel_density_geodesic_bands(lon, lat, grid, radius=5_000.0))
    assert [first for first, _ in bands] == list(
        np.cumsum([0] + [len(values) for _, values in bands[:-1]])
    )
    assert sum(len(values) for _, values in bands) == grid.rows
    reports = []

    def stop_at_half(fraction):
        reports.append(fraction)
        return fraction < 0.5

    with pytest.raises(Cancelled):
        for _ in kernel_density_geodesic_bands(
            lon, lat, grid, radius=5_000.0, progress=stop_at_half
        ):
            pass
    assert reports == sorted(reports) and reports[-1] >= 0.5


def test_threads_do_not_change_the_result():
    rng = np.random.default_rng(8)
    lon, lat = _cluster(rng, 5.0, 50.0, 3000, 1.0, 1.0)
    grid = geodesic_grid(lon, lat, 8_000.0, 0.005)
    one = kernel_density_geodesic(lon, lat, grid, radius=8_000.0, workers=1)
    two = kernel_density_geodesic(lon, lat, grid, radius=8_000.0, workers=2)
    assert np.array_equal(one, two)


def test_grid_covers_the_discs_and_snaps_to_cells():
    lon = np.array([179.5, -179.0])
    lat = np.array([10.0, 11.0])
    grid = geodesic_grid(lon, lat, 100_000.0, 0.1)
    assert grid.x_min < 179.5 and grid.x_max > 181.0 and grid.x_max - grid.x_min < 10
    assert grid.y_max >= 11.9 and grid.y_min <= 9.1
    assert grid.x_min / 0.1 == pytest.approx(round(grid.x_min / 0.1))
    assert grid.y_max / 0.1 == pytest.approx(round(grid.y_max / 0.1))
    polar = geodesic_grid(np.array([0.0]), np.array([89.5]), 100_000.0, 0.5)
    assert polar.cols == 720 and polar.y_max == 90.0


def test_invalid_inputs():
    grid = Grid(x_min=0.0, y_max=10.0, cell_size=1.0, rows=10, cols=10)
    one = np.array([5.0])
    with pytest.raises(ValueError, match="Latitudes"):
        kernel_density_geodesic(one, np.array([91.0]), grid, radius=1e3)
    with pytest.raises(ValueError, match="360"):
        kernel_density_geodesic(one, one, Grid(0.0, 10.0, 1.0, 10, 361), radius=1e3)
    with pytest.raises(ValueError, match="-90"):
        kernel_density_geodesic(one, one, Grid(0.0, 95.0, 1.0, 10, 10), radius=1e3)
    with pytest.raises(InvalidInput) as refused:
        kernel_density_geodesic(one, one, grid, radius=2e7)
    assert refused.value.reason == Reason.RADIUS_TOO_LARGE
    with pytest.raises(ValueError, match="positive"):
        kernel_density_geodesic(one, one, grid, radius=-1.0)
    empty = kernel_density_geodesic(np.empty(0), np.empty(0), grid, radius=1e3)
    assert empty.shape == grid.shape and not empty.any()
