"""Kernel density on a longitude/latitude grid with geodesic distances on WGS84.

The grid (:class:`.grid.Grid`) is regular in degrees: ``x`` is the longitude (it may run past
180 for a grid across the antimeridian, e.g. 170 to 190) and ``y`` the latitude, within
[-90, 90]. A point of weight ``w`` and radius ``R`` (metres) adds
``w · factor(R) · profile(d² / R²)`` to every cell whose centre lies at geodesic distance
``d <= R`` from it (the kernels and factors of :mod:`.kernels`, with ``R`` in metres), so
Density is per square metre and Expected count is Density times each cell's true area on the
ellipsoid (:func:`.geodesic.cell_areas`, which shrinks with the latitude). Points' longitudes
are taken modulo 360; a grid exactly 360 degrees wide wraps (a disc crossing its seam goes on
from the other side), and discs over a pole cover whole rows near it.

Distances
    With ECEF coordinates of the cell centre and the point, the chord ``c`` between them is,
    along a row of latitude ``φc`` and for the longitude difference ``τ``::

        c² = (ρc - ρp)² + (Zc - Zp)² + 2 ρc ρp vers(τ),   vers(τ) = 1 - cos(τ) = 2 sin²(τ/2)

    where ``ρ = N cos φ`` is the distance from the axis, ``Z = N (1 - e²) sin φ`` and ``N``, ``M``
    are the radii of curvature (prime vertical, meridian). A curve of curvature ``κ`` has arc
    ``d = (2 / κ) asin(κ c / 2)`` to leading order; a geodesic's curvature is the normal
    curvature, ``κ = cos²α / M + sin²α / N`` in the chord's direction ``α`` (Euler). Three
    formulas, by the point's radius, all checked against pyproj's ``Geod.inv`` (Karney):

    * ``R <= FAST_LIMIT_M``: ``d² = c² + c⁴ / (12 M N)`` with ``M``, ``N`` at the point (the
      series' first term with the Gaussian curvature): relative error below
      ``2.8e-4 (R / 6371 km)²``, 1.7e-8 at 50 km. ``d²`` is then a quadratic in ``vers(τ)``,
      which the row intervals below rely on.
    * ``R <= SERIES_LIMIT_M``: ``d = (2 / κ) asin(κ c / 2)`` with ``κ`` the mean of the normal
      curvatures at both ends in the chord's direction: relative error below 1e-9 up to 300 km
      and 1e-7 at 1,000 km.
    * beyond: Vincenty's iteration (:func:`.geodesic.geodesic_distance`, about 1e-11).

Evaluation
    A disc of radius ``R`` lies within the spherical cap of angle ``σ = R / (a (1 - e²))``
    around the point in geodetic coordinates (along any curve the surface normal turns at most
    at ``1 / min(M, N)`` per metre), which bounds the rows it reaches and how far in longitude.
    Within a row the distance grows with ``|τ|``, so the cells inside form one interval of
    columns, found from the closed-form inverse of the fast formula (refined with the exact
    distance for the others) and settled at both ends with the predicate ``d² <= R²``.

    Cells are then either evaluated one by one (every kernel), or, for the polynomial kernels
    with ``R <= FAST_LIMIT_M`` and at least ``ROW_METHOD_MIN_RADIUS_CELLS`` cells of latitude,
    by row intervals as in the planar core (:mod:`.estimators`): around a reference longitude
    ``λ0`` (the middle of a tile of columns), with ``θ = λc - λ0`` and ``δ = λp - λ0``,
    ``vers(λc - λp) = vers(δ) + cos(δ) vers(θ) - sin(δ) sin(θ)``, so ``e = c² / R²`` is linear
    in ``(V, S) = (vers θ, sin θ)``, ``q = 1 - d²/R² = 1 - e - κ e²`` with ``κ = R² / (12 M N)``
    is quadratic, and a polynomial of degree ``D`` in ``(V, S)`` is, with ``S² = V (2 - V)``,
    ``P(V) + S Q(V)`` of degrees ``D`` and ``D - 1``: ``2D + 1`` coefficients. Each point-row
    interval adds its coefficients at its first column and subtracts them after its last in
    difference arrays (with a count of intervals begun minus ended, to leave cells outside
    every interval exactly 0); a cumulative sum along the row and a Horner evaluation in ``V``
    give every cell. ``δ``'s functions come from per-point and per-tile sines and cosines of
    half longitudes (``sin(δ/2) = sin(λp/2) cos(λ0/2) - cos(λp/2) sin(λ0/2)``, ``vers δ = 2
    sin²(δ/2)``), with no trigonometry per point-row. Tiles are about four radii wide, in two
    tilings, the second offset by half a tile (its references are the first's tile edges): an
    interval goes to the first if it lies within one of its tiles, else to the second (always,
    when it is at most half a tile wide; wider ones, near a pole, are cut along the first),
    and each band sums both tilings' planes, evaluated with their own ``θ``.

    ``q^p`` itself has degree ``2p`` (``4p + 1`` coefficients); two approximations keep fewer.
    Along the row's interval ``e`` lies in ``[e_A, e_L]``: ``e_A = A / R²`` (the row's nearest
    chord, ``τ = 0``) and ``e_L = c_L² / R²`` (the chord at the radius, ``1 - e_L - κ e_L² =
    0``, ``e_L <= 1``).

    * Secant, when ``R² / (24 M N) <= SECANT_TOLERANCE`` with the smallest ``M N`` (radii up
      to 9.8 km): ``e² ≈ (e_A + e_L) e - e_A e_L``, exact at both ends, so ``q ≈ γ (e_L - e)``
      with ``γ = 1 + κ (e_A + e_L)`` (zero exactly at the radius); ``γ^p`` goes into the
      weight and ``(e_L - e)^p`` has ``2p + 1`` coefficients, as many as the planar core's.
      The ``d²`` this implies exceeds the fast formula's by ``κ R² (e - e_A)(e_L - e) >= 0``,
      at most ``κ (√e_L - √e_A)² <= κ`` of ``d²``: distances within ``κ / 2 = R² / (24 M N)
      <= SECANT_TOLERANCE`` (1e-7) relative of the fast formula's (9.9e-8 at 9.8 km on the
      equator, where ``M N`` is smallest; 9.1e-8 measured against pyproj), ``u²`` within
      ``κ / 4`` and values within ``p κ / 4 <= 1.5e-7`` of a point's peak ``w · factor``.
    * First order in ``κ`` beyond (up to ``FAST_LIMIT_M``): with ``L = 1 - e``, ``q^p = (L -
      κ e²)^p ≈ L^(p-1) (L - p κ e²)``, of degree ``p + 1`` (``2p + 3`` coefficients; exact
      for ``p = 1``). The terms dropped, ``Σ_{j>=2} C(p, j) L^(p-j) (-κ e²)^j`` with ``0 <= L
      <= 1`` and ``0 <= κ e² <= κ``, add up to at most ``(1 + κ)^p - 1 - p κ <= 3 κ² + κ³``
      of a point's peak: 8e-11 at 50 km (``κ <= 5.2e-6``). The distances they imply are the
      fast formula's within ``(p - 1) κ² / (2 q^(p-1))`` in ``u²``: 2e-9 relative out to
      0.95 R at 50 km (measured against pyproj: 1.5e-8, the fast formula's own error).

Work
    The (disc, row) pairs of a band go to worker threads in chunks of a few consecutive rows
    (about ``CHUNK_ELEMENTS`` pairs), so that each chunk's ``np.bincount`` covers only the
    window of the band those rows make. Cost model: :func:`geodesic_estimated_seconds`,
    :func:`geodesic_working_memory_bytes`.

    Measured with ``benchmarks/geodesic.py --sizes 1e6 --repeat 4 --cell C`` (2-core machine
    shared with other processes; planar and geodesic runs alternating; 1e6 clustered points
    around 50 N, radius 20 cells, quartic; fastest of each, then the range of each pair's
    ratio; two such runs per radius, the times from one of them):

    ============  =========  =====================  ===============  ===========
    radius        ``C`` (m)  row method             planar, geodesic ratios (pairs)
    ============  =========  =====================  ===============  ===========
    2 km          100        secant, 6 planes       2.22 s, 6.95 s   3.03, 3.13
                                                                     (2.91-3.34)
    5 km          250        secant, 6 planes       1.59 s, 5.86 s   3.69, 3.67
                                                                     (3.55-3.80)
    20 km         1,000      first order, 8 planes  1.37 s, 5.74 s   4.17, 4.18
                                                                     (3.68-4.48)
    50 km         2,500      first order, 8 planes  1.36 s, 5.80 s   4.43, 4.26
                                                                     (3.95-4.69)
    ============  =========  =====================  ===============  ===========

    Before the two tilings and the approximations (intervals cut at tile edges, 1.5 pieces per
    interval; ``4p + 1`` coefficients above 3.1 km): 5 km 5.88, 20 km 7.26, 50 km 6.75.
"""

from __future__ import annotations

import math
import os
import sys
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from . import costs, estimators
from .errors import LARGEST_WEIGHT_SUM, InvalidInput, Reason, point_index
from .estimators import Cancelled, ProgressCallback
from .geodesic import WGS84_A, WGS84_E2, cell_areas, geodesic_distance
from .grid import Grid
from .kernels import (
    POLYNOMIAL_POWER,
    Kernel,
    OutputValue,
    output_factor,
    profile,
)
from .projection import longitude_arc

__all__ = [
    "FAST_LIMIT_M",
    "SERIES_LIMIT_M",
    "Cancelled",
    "geodesic_estimated_seconds",
    "geodesic_grid",
    "geodesic_working_memory_bytes",
    "kernel_density_geodesic",
    "kernel_density_geodesic_bands",
    "point_cell_distance",
]

#: Largest radius (metres) whose distances use ``d² = c² + c⁴ / (12 M N)`` (and may be summed by
#: row intervals): relative error under 1.7e-8.
FAST_LIMIT_M = 50_000.0
#: Largest radius (metres) whose distances use the chord and the mean normal curvature: relative
#: error under 1e-8 (measured 8.4e-10 at 300 km and 1.0e-7 at 1,000 km); Vincenty beyond.
SERIES_LIMIT_M = 500_000.0
#: Smallest product of the radii of curvature ``M N`` on WGS84 (m², at the equator).
SMALLEST_RADII_PRODUCT = WGS84_A * WGS84_A * (1.0 - WGS84_E2)
#: Row intervals replace ``e²`` by its secant (``q`` linear in ``V`` and ``S``: ``2p + 1``
#: coefficients) when the distances this implies are within this, relative, everywhere:
#: ``R² / (24 M N) <= SECANT_TOLERANCE`` (radii up to 9.8 km; see the module docstring).
SECANT_TOLERANCE = 1e-7
#: Smallest radius of curvature of WGS84 (metres), the meridian's at the equator: the surface
#: normal turns at most ``1 / SMALLEST_CURVATURE_RADIUS`` radians per metre along any curve.
SMALLEST_CURVATURE_RADIUS = WGS84_A * (1.0 - WGS84_E2)
#: Below this radius in cells (of latitude) cells are evaluated one by one.
ROW_METHOD_MIN_RADIUS_CELLS = 6.0
#: Rows of output finished at a time, at least; and cells of a band, at least.
BAND_ROWS = 64
BAND_CELLS = 1 << 17
#: Cells (one by one) or point-rows (row intervals) handled in one vectorised chunk.
CHUNK_ELEMENTS = 1 << 15
#: Columns of a row-interval tile (its reference longitude is its middle column).
TILE_COLS = 256
#: Newton steps refining a row's half-width in longitude for the series and Vincenty distances.
REFINE_STEPS = 3

_FAST, _SERIES, _VINCENTY = 0, 1, 2


# ---- distances ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Latitudes:
    """Per latitude (radians): sin, cos, radii of curvature M, N, and ECEF ``ρ = N cos φ``,
    ``Z = N (1 - e²) sin φ`` (metres)."""

    sin: np.ndarray
    cos: np.ndarray
    m: np.ndarray
    n: np.ndarray
    rho: np.ndarray
    z: np.ndarray

    @staticmethod
    def of(lat_degrees: np.ndarray) -> _Latitudes:
        phi = np.radians(np.asarray(lat_degrees, dtype=np.float64))
        sin, cos = np.sin(phi), np.cos(phi)
        w = 1.0 - WGS84_E2 * sin * sin
        n = WGS84_A / np.sqrt(w)
        m = WGS84_A * (1.0 - WGS84_E2) / (w * np.sqrt(w))
        return _Latitudes(sin, cos, m, n, n * cos, n * (1.0 - WGS84_E2) * sin)

    def take(self, index: np.ndarray) -> _Latitudes:
        """The latitudes at ``index``; each field is gathered when first read."""
        return _Gathered(self, index)  # type: ignore[return-value]


class _Gathered:
    """``source``'s fields at ``index``, each gathered when first read (most uses need only
    a few of them) and kept."""

    def __init__(self, source: _Latitudes, index: np.ndarray) -> None:
        self._source, self._index = source, index

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_"):
            raise AttributeError(name)
        value = getattr(self._source, name)[self._index]
        setattr(self, name, value)
        return value

    def take(self, index: np.ndarray) -> _Gathered:
        return _Gathered(self._source, self._index[index])


def _chord_parts(point: _Latitudes, cell: _Latitudes) -> tuple[np.ndarray, np.ndarray]:
    """``A = (ρc - ρp)² + (Zc - Zp)²`` and ``B = 2 ρc ρp``: ``c² = A + B vers(τ)`` (m²)."""
    return (cell.rho - point.rho) ** 2 + (cell.z - point.z) ** 2, 2.0 * cell.rho * point.rho


def _fast_curvature_term(point: _Latitudes) -> np.ndarray:
    """``k = 1 / (12 M N)`` at the point (1/m²): the fast distance is ``d² = c² + k c⁴``."""
    return 1.0 / (12.0 * point.m * point.n)


def _series_distance(
    point: _Latitudes, cell: _Latitudes, tau: np.ndarray, chord_squared: np.ndarray
) -> np.ndarray:
    """``(2 / κ) asin(κ c / 2)`` with ``κ`` the mean of the normal curvatures at both ends.

    In the frame of the point's meridian, the chord is ``(ρc cos τ - ρp, ρc sin τ, Zc - Zp)``;
    its east and north components at the point are ``ρc sin τ`` and
    ``-sin φp (ρc - ρp - ρc vers τ) + cos φp (Zc - Zp)``, and at the cell (towards the point)
    ``-ρp sin τ`` and ``-sin φc (ρp - ρc - ρp vers τ) + cos φc (Zp - Zc)``.
    """
    sin_tau = np.sin(tau)
    vers = 2.0 * np.sin(0.5 * tau) ** 2
    d_rho, d_z = cell.rho - point.rho, cell.z - point.z
    east = cell.rho * sin_tau
    north = -point.sin * (d_rho - cell.rho * vers) + point.cos * d_z
    curvature = _normal_curvature(east, north, point)
    east = point.rho * sin_tau
    north = cell.sin * (d_rho + point.rho * vers) - cell.cos * d_z
    curvature += _normal_curvature(east, north, cell)
    curvature *= 0.5
    chord = np.sqrt(chord_squared)
    half = np.minimum(curvature * chord * 0.5, 1.0)
    # asin(x) / x, exact as x -> 0 (coincident points)
    ratio = np.where(half > 1e-8, np.arcsin(half) / np.maximum(half, 1e-300), 1.0)
    return chord * ratio


def _normal_curvature(east: np.ndarray, north: np.ndarray, at: _Latitudes) -> np.ndarray:
    """Euler's ``cos²α / M + sin²α / N`` in the direction (east, north); 1/sqrt(MN) if none."""
    east2, north2 = east * east, north * north
    horizontal = east2 + north2
    gaussian = 1.0 / np.sqrt(at.m * at.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        curvature = (north2 / at.m + east2 / at.n) / horizontal
    return np.where(horizontal > 0, curvature, gaussian)


def _distance_squared(
    method: np.ndarray,
    point: _Latitudes,
    point_lon: np.ndarray,
    cell: _Latitudes,
    cell_lat: np.ndarray,
    cell_lon: np.ndarray,
    radius: np.ndarray | None = None,
) -> np.ndarray:
    """Squared geodesic distance (m²) of each pair by its point's method (degrees in).

    With ``radius``, pairs by Vincenty's method farther apart than the cap that holds the disc
    (angle between the normals above ``R / SMALLEST_CURVATURE_RADIUS``) are given ``inf``
    without iterating, so that no nearly antipodal pair is ever iterated on.
    """
    tau = np.radians(cell_lon - point_lon)
    a, b = _chord_parts(point, cell)
    chord_squared = a + b * (2.0 * np.sin(0.5 * tau) ** 2)
    result = chord_squared + _fast_curvature_term(point) * chord_squared * chord_squared
    series = method == _SERIES
    if series.any():
        result[series] = (
            _series_distance(
                point.take(series), cell.take(series), tau[series], chord_squared[series]
            )
            ** 2
        )
    vincenty = method == _VINCENTY
    if radius is not None and vincenty.any():
        cos_angle = point.sin * cell.sin + point.cos * cell.cos * np.cos(tau)
        far = vincenty & (
            cos_angle < np.cos(np.minimum(radius / SMALLEST_CURVATURE_RADIUS, math.pi))
        )
        result[far] = np.inf
        vincenty &= ~far
    if vincenty.any():
        point_lat = np.degrees(np.arctan2(point.sin[vincenty], point.cos[vincenty]))
        result[vincenty] = (
            geodesic_distance(
                point_lon[vincenty], point_lat, cell_lon[vincenty], cell_lat[vincenty]
            )
            ** 2
        )
    return result


def _method_of(radius: np.ndarray) -> np.ndarray:
    return np.where(
        radius <= FAST_LIMIT_M, _FAST, np.where(radius <= SERIES_LIMIT_M, _SERIES, _VINCENTY)
    )


def point_cell_distance(
    lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray, radius: float
) -> np.ndarray:
    """The geodesic distance (metres) the evaluation uses between points 1 and cells 2.

    The formula depends on the radius (see the module docstring): ``radius <= FAST_LIMIT_M``
    the fast chord formula, up to ``SERIES_LIMIT_M`` the chord with the mean normal curvature,
    beyond Vincenty's. Degrees in, arrays broadcastable; for tests and estimates of accuracy.
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(v, dtype=np.float64) for v in (lon1, lat1, lon2, lat2))
    )
    lon1, lat1, lon2, lat2 = (np.ravel(array) for array in arrays)
    method = np.broadcast_to(_method_of(np.asarray(float(radius))), lon1.shape)
    squared = _distance_squared(method, _Latitudes.of(lat1), lon1, _Latitudes.of(lat2), lat2, lon2)
    return np.sqrt(squared).reshape(arrays[0].shape)


# ---- the grid -------------------------------------------------------------------------------


def _reach_degrees(lat: np.ndarray, radius: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How far (degrees) a disc can reach in latitude and in longitude from its point.

    Within geodesic distance ``R`` the normal's direction turns by at most
    ``σ = R / SMALLEST_CURVATURE_RADIUS``, so the disc lies in the spherical cap of angle ``σ``
    around the point in geodetic coordinates: latitude within ``σ``, longitude within
    ``asin(sin σ / cos φ)``, or anything when the cap holds a pole (``|φ| + σ >= 90``). Both
    are grown by a relative 1e-9 and 1e-9 degrees against rounding.
    """
    sigma = np.minimum(radius / SMALLEST_CURVATURE_RADIUS, math.pi)
    latitude_reach = np.degrees(sigma) * (1 + 1e-9) + 1e-9
    cos_lat = np.cos(np.radians(lat))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.sin(np.minimum(sigma, 0.5 * math.pi)) / cos_lat
    pole = (np.abs(lat) + latitude_reach >= 90.0) | ~(ratio < 1.0)
    longitude_reach = np.where(
        pole, 180.0, np.degrees(np.arcsin(np.minimum(ratio, 1.0))) * (1 + 1e-9) + 1e-9
    )
    return latitude_reach, np.minimum(longitude_reach, 180.0)


def geodesic_grid(lon: np.ndarray, lat: np.ndarray, radius_m: float, cell_size_deg: float) -> Grid:
    """A longitude/latitude grid covering every point's disc of geodesic radius ``radius_m``.

    The latitudes span the points' grown by the disc's reach (``R / (a (1 - e²))`` radians, a
    safe bound), clipped at ±90; the longitudes span the shortest arc holding the points
    (:func:`.projection.longitude_arc`, across the antimeridian if that is shorter) grown by the
    widest reach in longitude of any disc. The edges are snapped outwards to multiples of the
    cell size (the top clipped at 90, the last row kept only if its centre is north of -90).
    When a disc holds a pole, or the span would reach 360 degrees, the grid is the whole circle:
    ``x_min`` is the arc's west end snapped, ``round(360 / cell)`` columns (only a cell size
    dividing 360 makes a seamless circle; otherwise the grid is narrower by less than a cell).

    Args:
        lon, lat: the points (degrees), finite, latitudes within [-90, 90].
        radius_m: the largest radius (metres), > 0.
        cell_size_deg: the cell size (degrees), > 0.

    Raises:
        ValueError: no points, coordinates or sizes that are not valid numbers.
    """
    lon = np.asarray(lon, dtype=np.float64).ravel()
    lat = np.asarray(lat, dtype=np.float64).ravel()
    if lon.size == 0 or lon.shape != lat.shape:
        raise ValueError("There are no points, or longitudes and latitudes differ in number.")
    if not (math.isfinite(cell_size_deg) and 0 < cell_size_deg <= 180):
        raise ValueError(
            f"The cell size must be a number of degrees in (0, 180], not {cell_size_deg}."
        )
    if not (math.isfinite(radius_m) and radius_m > 0):
        raise ValueError(f"The radius must be a positive number of metres, not {radius_m}.")
    _check_coordinates(lon, lat)
    cell = float(cell_size_deg)
    radii = np.full(2, float(radius_m))
    extreme = np.array([lat.min(), lat.max()])
    lat_reach, lon_reach = _reach_degrees(extreme, radii)
    north = min(float(extreme[1] + lat_reach[1]), 90.0)
    south = max(float(extreme[0] - lat_reach[0]), -90.0)
    y_max = min(math.ceil(north / cell) * cell, 90.0)
    rows = max(math.ceil((y_max - math.floor(south / cell) * cell) / cell - 1e-9), 1)
    while rows > 1 and y_max - (rows - 0.5) * cell < -90.0:
        rows -= 1
    arc = longitude_arc(lon)
    widest = float(lon_reach.max())
    west = math.floor((arc.west - widest) / cell) * cell
    east = arc.west + arc.span + widest
    cols = max(math.ceil((east - west) / cell - 1e-9), 1)
    full = round(360.0 / cell)
    if widest >= 180.0 or cols >= full:
        west, cols = math.floor(arc.west / cell) * cell, full
    return Grid(x_min=float(west), y_max=float(y_max), cell_size=cell, rows=rows, cols=cols)


def _check_coordinates(lon: np.ndarray, lat: np.ndarray) -> None:
    if lon.size and not (np.isfinite(lon).all() and np.isfinite(lat).all()):
        raise ValueError("Point coordinates must be finite numbers (found NaN or infinity).")
    if lat.size and not (lat.min() >= -90.0 and lat.max() <= 90.0):
        raise ValueError(
            f"Latitudes must lie within [-90, 90] degrees (found {lat.min():g} to {lat.max():g})."
        )


def _check_grid(grid: Grid) -> None:
    if grid.cols * grid.cell_size > 360.0 * (1 + 1e-12):
        raise ValueError(
            "A longitude/latitude grid spans at most 360 degrees, not "
            f"{grid.cols * grid.cell_size:g}."
        )
    top, bottom = grid.y_max - 0.5 * grid.cell_size, grid.y_min + 0.5 * grid.cell_size
    if not (top <= 90.0 and bottom >= -90.0):
        raise ValueError(
            f"The grid's cell centres must lie within latitudes [-90, 90] (found {bottom:g} to "
            f"{top:g})."
        )


def row_latitudes(grid: Grid) -> np.ndarray:
    """Latitude (degrees) of the cell centres of each row, top to bottom."""
    return grid.y_max - (np.arange(grid.rows) + 0.5) * grid.cell_size


def row_cell_areas(grid: Grid) -> np.ndarray:
    """True area (m²) of one cell of each row on WGS84, top to bottom (edges clipped to ±90)."""
    north = grid.y_max - np.arange(grid.rows) * grid.cell_size
    south = north - grid.cell_size
    return cell_areas(np.clip(south, -90.0, 90.0), np.clip(north, -90.0, 90.0), grid.cell_size)


# ---- the points -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Discs:
    """The points' discs as the grid sees them, sorted by the first row they reach.

    A point whose disc may reach the grid from both sides of the circle (a grid 360 degrees
    wide, or a disc wider than the gap) appears once per copy of its longitude, moved by a
    whole turn, that may reach it: ``lon`` is in the grid's frame (degrees), so that the
    columns of a copy's cells follow from it directly. ``weight`` is the weight times the
    output factor; ``rows`` the first and last row each may reach; ``col`` the point's column
    (fractional, ``(lon - x_min) / cell - 0.5``); ``chord_limit`` the squared chord at which
    the fast distance reaches the radius, ``c² = 2 R² / (1 + sqrt(1 + 4 k R²))``; ``half_sin``
    and ``half_cos`` those of half of ``lon``.
    """

    lon: np.ndarray
    lat: np.ndarray
    radius: np.ndarray
    weight: np.ndarray
    method: np.ndarray
    first_row: np.ndarray
    last_row: np.ndarray
    latitudes: _Latitudes
    col: np.ndarray
    chord_limit: np.ndarray
    half_sin: np.ndarray
    half_cos: np.ndarray

    def __len__(self) -> int:
        return len(self.lon)


def _discs(
    grid: Grid, lon: np.ndarray, lat: np.ndarray, radius: np.ndarray, weight: np.ndarray
) -> _Discs:
    """The copies of the points that may reach the grid, sorted by first row (see _Discs)."""
    lat_reach, lon_reach = _reach_degrees(lat, radius)
    centre = grid.x_min + 0.5 * grid.cols * grid.cell_size
    home = centre + ((lon - centre + 180.0) % 360.0 - 180.0)
    first_row = np.ceil((grid.y_max - (lat + lat_reach)) / grid.cell_size - 0.5)
    last_row = np.floor((grid.y_max - (lat - lat_reach)) / grid.cell_size - 0.5)
    np.maximum(first_row, 0, out=first_row)
    np.minimum(last_row, grid.rows - 1, out=last_row)
    reaches_rows = first_row <= last_row
    copies, shifted = [], []
    for turn in (-360.0, 0.0, 360.0):
        copy_lon = home + turn
        keep = (
            reaches_rows
            & (copy_lon - lon_reach <= grid.x_max)
            & (copy_lon + lon_reach >= grid.x_min)
        )
        copies.append(np.flatnonzero(keep))
        shifted.append(copy_lon[keep])
    index = np.concatenate(copies)
    copy_lon = np.concatenate(shifted)
    order = np.argsort(first_row[index], kind="stable")
    index, copy_lon = index[order], copy_lon[order]
    latitudes = _Latitudes.of(lat[index])
    r2 = np.square(radius[index])
    half_sin, half_cos = _half_angle(copy_lon)
    return _Discs(
        lon=copy_lon,
        lat=lat[index],
        radius=radius[index],
        weight=weight[index],
        method=_method_of(radius[index]).astype(np.int8),
        first_row=first_row[index].astype(np.int64),
        last_row=last_row[index].astype(np.int64),
        latitudes=latitudes,
        col=(copy_lon - grid.x_min) / grid.cell_size - 0.5,
        chord_limit=2.0 * r2 / (1.0 + np.sqrt(1.0 + 4.0 * _fast_curvature_term(latitudes) * r2)),
        half_sin=half_sin,
        half_cos=half_cos,
    )


# ---- intervals of columns -------------------------------------------------------------------


@dataclass(frozen=True)
class _Pairs:
    """A chunk of (disc, row) pairs: the disc's copy index, the row, and what both need (the
    disc's fields, see :class:`_Discs`)."""

    disc: np.ndarray
    row: np.ndarray
    point: _Latitudes
    cell: _Latitudes
    cell_lat: np.ndarray
    lon: np.ndarray
    radius: np.ndarray
    method: np.ndarray
    col: np.ndarray
    chord_limit: np.ndarray
    half_sin: np.ndarray
    half_cos: np.ndarray

    def take(self, index: np.ndarray) -> _Pairs:
        return _Pairs(
            self.disc[index],
            self.row[index],
            self.point.take(index),
            self.cell.take(index),
            self.cell_lat[index],
            self.lon[index],
            self.radius[index],
            self.method[index],
            self.col[index],
            self.chord_limit[index],
            self.half_sin[index],
            self.half_cos[index],
        )

    def inside(self, grid: Grid, col: np.ndarray) -> np.ndarray:
        """The support predicate ``d² <= R²`` at the cell centres of columns ``col``."""
        cell_lon = grid.x_min + (col + 0.5) * grid.cell_size
        squared = _distance_squared(
            self.method, self.point, self.lon, self.cell, self.cell_lat, cell_lon, self.radius
        )
        return squared <= self.radius * self.radius


def _intervals(
    grid: Grid, pairs: _Pairs, settle: np.ndarray, a: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The columns of each pair's row inside its disc: ``(first, last, valid)`` (int64, in
    [0, cols) where valid).

    From the closed-form inverse of the fast distance along the row, ``c² = 2 R² / (1 +
    sqrt(1 + 4 k R²))``, ``vers(τ) = (c² - A) / B``; the pairs in ``settle`` (other distances,
    or kernels that do not vanish at the radius) then have both ends settled with their exact
    predicate (:func:`_settle`): the nearest column decides whether the row is reached at all,
    the farthest ones (half a turn away) whether all of it is. ``a``, ``b``: the pairs'
    :func:`_chord_parts`.
    """
    cell = grid.cell_size
    vers = pairs.chord_limit - a
    vers /= np.maximum(b, sys.float_info.min)
    whole = vers >= 2.0
    valid = vers >= 0.0
    half_cols = np.clip(vers, 0.0, 2.0, out=vers)
    half_cols *= 0.5
    np.sqrt(half_cols, out=half_cols)
    np.arcsin(half_cols, out=half_cols)
    half_cols *= 2.0 / math.radians(cell)
    col = pairs.col
    first = np.ceil(col - half_cols)
    last = np.floor(col + half_cols)
    if not (whole.any() or settle.any()):
        np.maximum(first, 0.0, out=first)
        np.minimum(last, grid.cols - 1.0, out=last)
        valid &= first <= last
        return first.astype(np.int64), last.astype(np.int64), valid
    row_first = np.ceil(col - 180.0 / cell)  # the columns less than half a turn away
    row_last = np.ceil(col + 180.0 / cell) - 1.0
    if settle.any():
        chosen = np.flatnonzero(settle)
        subset = pairs.take(chosen)
        sub_first, sub_last = row_first[chosen], row_last[chosen]
        nearest = np.floor(col[chosen] + 0.5)
        reached = subset.inside(grid, nearest)
        sub_whole = subset.inside(grid, sub_first) & subset.inside(grid, sub_last)
        partial = np.flatnonzero(reached & ~sub_whole)
        part = subset.take(partial)
        estimate_last = np.clip(last[chosen][partial], nearest[partial], sub_last[partial])
        estimate_first = np.clip(first[chosen][partial], sub_first[partial], nearest[partial])
        settled_last = _settle(grid, part, nearest[partial], estimate_last, sub_last[partial], 1)
        settled_first = _settle(
            grid, part, nearest[partial], estimate_first, sub_first[partial], -1
        )
        whole[chosen] = sub_whole
        valid[chosen] = reached
        first[chosen[partial]] = settled_first
        last[chosen[partial]] = settled_last
    first = np.where(whole, row_first, first)
    last = np.where(whole, row_last, last)
    np.maximum(first, 0.0, out=first)
    np.minimum(last, grid.cols - 1.0, out=last)
    valid &= first <= last
    return first.astype(np.int64), last.astype(np.int64), valid


def _settle(
    grid: Grid,
    pairs: _Pairs,
    known: np.ndarray,
    estimate: np.ndarray,
    bound: np.ndarray,
    direction: int,
) -> np.ndarray:
    """The farthest column from ``known`` (inside) towards ``bound`` (``direction`` +1 or -1,
    ``bound`` included) that is inside, given that the cells inside are contiguous.

    Offsets ``t = (col - known) · direction`` in ``[0, T]``: ``lo`` is inside, ``hi`` outside
    (``T + 1`` stands for beyond the bound). The estimate is tested first; from there the search
    gallops (steps 1, 2, 4, ...) away from the side it fell on, then bisects: two predicates
    per end when the estimate is right, O(log error) otherwise.
    """
    span = (bound - known) * direction
    guess = np.clip((estimate - known) * direction, 0.0, span)
    inside = pairs.inside(grid, known + direction * guess)
    lo = np.where(inside, guess, 0.0)
    hi = np.where(inside, span + 1.0, guess)
    upwards = inside.copy()
    step = np.ones_like(lo)
    while True:
        active = np.flatnonzero(hi - lo > 1.0)
        if not active.size:
            return known + direction * lo
        offset = np.minimum(step[active], np.floor((hi[active] - lo[active]) * 0.5))
        probe = np.where(upwards[active], lo[active] + offset, hi[active] - offset)
        inside = pairs.take(active).inside(grid, known[active] + direction * probe)
        lo[active] = np.where(inside, probe, lo[active])
        hi[active] = np.where(inside, hi[active], probe)
        step[active] *= 2.0


# ---- evaluation -----------------------------------------------------------------------------

#: Largest radius (metres): a quarter meridian, about; the discs then never reach a point's
#: antipode, where distances are ill-conditioned (and Vincenty's iteration may not converge).
LARGEST_RADIUS_M = 10_000_000.0


def kernel_density_geodesic_bands(
    lon: np.ndarray,
    lat: np.ndarray,
    grid: Grid,
    *,
    radius: float | np.ndarray,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    output_value: OutputValue = OutputValue.RAW,
    weight: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> Iterator[tuple[int, np.ndarray]]:
    """Kernel density with geodesic distances on a longitude/latitude grid, as bands of rows.

    Each cell receives ``Σ_k w_k · factor(R_k) · profile(d_k² / R_k²)`` over the points whose
    geodesic distance on WGS84 ``d_k`` (metres) to the cell centre is at most their radius
    ``R_k`` (metres). Raw and Scaled are as in the planar core with ``R`` in metres; Density
    is ``1 / (R² ∫ unit disc)`` per square metre, the planar normalisation, which on the
    ellipsoid integrates to the weight within ``O((R / 6371 km)²)`` (a geodesic disc's area
    is ``π R² (1 - R² K / 12 + ...)``, ``K`` the Gaussian curvature); Expected count is
    Density times each cell's true area (:func:`row_cell_areas`).

    Args:
        lon, lat: the points (degrees; latitudes within [-90, 90], longitudes any, taken modulo
            360 into the grid's frame), arrays of length n.
        grid: a longitude/latitude grid (degrees; see :func:`geodesic_grid`): at most 360
            degrees wide, cell centres within [-90, 90]. A grid exactly 360 degrees wide wraps.
        radius: kernel radius (metres, > 0, at most ``LARGEST_RADIUS_M``): one number, or n.
        kernel, decay, output_value: as :func:`kernel_density_bands`.
        weight: per-point weights (n floats), or None for weight 1.
        progress: called with the fraction done (0..1) between chunks of work (every few
            milliseconds to a second); returning False stops with :class:`Cancelled`.
        workers: threads; None for one per CPU. The result does not depend on it.

    Yields:
        ``(first_row, values)``: float64 rows of the grid from the top, every row once, in
        order; exactly 0 where no point reaches. ``values`` is a new array each time.

    Raises:
        ValueError: invalid arguments (at the call), with a message for the user;
            :class:`InvalidInput` (a ValueError) with ``RADIUS_TOO_SMALL`` (square not a normal
            float64), ``RADIUS_TOO_LARGE`` (above ``LARGEST_RADIUS_M``; its ``largest`` fact),
            ``OUTPUT_FACTOR_OUT_OF_RANGE`` or ``WEIGHTS_TOO_LARGE``, as the planar core.
        Cancelled: the progress callback returned False (at the call or while iterating).
    """
    kernel, output_value = Kernel(int(kernel)), OutputValue(int(output_value))
    if not math.isfinite(decay):
        raise ValueError(f"The decay must be a finite number, not {decay}.")
    _check_grid(grid)
    counter = estimators._Progress(progress)
    lon = np.ascontiguousarray(lon, dtype=np.float64).ravel()
    lat = np.ascontiguousarray(lat, dtype=np.float64).ravel()
    if lon.shape != lat.shape:
        raise ValueError(f"lon and lat differ in length ({lon.size} and {lat.size}).")
    _check_coordinates(lon, lat)
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), lon.shape)
    if np.ndim(radius) == 0 and not (math.isfinite(float(radius)) and float(radius) > 0):
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    if radii.size and not (np.isfinite(radii).all() and radii.min() > 0):
        raise ValueError("The radius must be a positive number (per point, if given per point).")
    if weight is None:
        weights = np.broadcast_to(1.0, lon.shape)
    else:
        weights = np.ascontiguousarray(weight, dtype=np.float64).ravel()
        if weights.shape != lon.shape:
            raise ValueError(f"There are {weights.size} weights for {lon.size} points.")
        if weights.size and not np.isfinite(weights).all():
            raise ValueError("Weights must be finite numbers (found NaN or infinity).")
    counter.tick()
    scaled = _scaled_weights(radii, weights, kernel, output_value, decay, grid.cell_size)
    counter.tick()
    return _bands(grid, lon, lat, radii, scaled, kernel, decay, output_value, counter, workers)


def kernel_density_geodesic(
    lon: np.ndarray, lat: np.ndarray, grid: Grid, **options: object
) -> np.ndarray:
    """:func:`kernel_density_geodesic_bands` assembled into one float64 array of
    ``grid.shape`` (row 0 at the top); same arguments and exceptions."""
    out = np.empty(grid.shape)
    for first_row, values in kernel_density_geodesic_bands(lon, lat, grid, **options):
        out[first_row : first_row + len(values)] = values
    return out


def _scaled_weights(
    radii: np.ndarray,
    weights: np.ndarray,
    kernel: Kernel,
    output_value: OutputValue,
    decay: float,
    cell_size: float,
) -> np.ndarray:
    """Each point's weight times its output factor (Density's for Expected count: the row's
    cell area is applied per row), after the planar core's checks of radii and products."""
    if not radii.size:
        return weights
    smallest, largest = float(radii.min()), float(radii.max())
    if not smallest * smallest >= sys.float_info.min:
        raise InvalidInput(
            Reason.RADIUS_TOO_SMALL,
            f"A radius of {smallest:g} m is too small to compute with.",
            radius=smallest,
            index=point_index(radii, smallest),
            smallest=math.sqrt(sys.float_info.min),
            cell_size=cell_size,
        )
    if largest > LARGEST_RADIUS_M:
        raise InvalidInput(
            Reason.RADIUS_TOO_LARGE,
            f"A radius of {largest:g} m is too large for geodesic distances: use at most "
            f"{LARGEST_RADIUS_M:g} m.",
            radius=largest,
            index=point_index(radii, largest),
            largest=LARGEST_RADIUS_M,
            cell_size=cell_size,
        )
    factor_output = (
        OutputValue.DENSITY if output_value == OutputValue.EXPECTED_COUNT else output_value
    )
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        factors = output_factor(kernel, factor_output, radii, cell_size, decay)
        extremes = output_factor(
            kernel, factor_output, np.array([smallest, largest]), cell_size, decay
        )
    for value, radius_value in zip(extremes, (smallest, largest)):
        if not sys.float_info.min <= value <= LARGEST_WEIGHT_SUM:
            raise InvalidInput(
                Reason.OUTPUT_FACTOR_OUT_OF_RANGE,
                f"With a radius of {radius_value:g} m the {output_value.name.lower()} output's "
                f"factor is {value:g}, outside {sys.float_info.min:g} to {LARGEST_WEIGHT_SUM:g}.",
                radius=radius_value,
                index=point_index(radii, radius_value),
                factor=float(value),
                smallest=sys.float_info.min,
                largest=LARGEST_WEIGHT_SUM,
            )
    with np.errstate(over="ignore"):
        scaled = weights * factors
        largest_profile = max(1.0, abs(decay)) if kernel == Kernel.TRIANGULAR else 1.0
        total = float(np.abs(scaled).sum()) * largest_profile
    if not total <= LARGEST_WEIGHT_SUM:
        index = int(np.argmax(np.abs(scaled)))
        raise InvalidInput(
            Reason.WEIGHTS_TOO_LARGE,
            f"The weights times the output's factor add up to more than {LARGEST_WEIGHT_SUM:g}.",
            total=total,
            largest=LARGEST_WEIGHT_SUM,
            index=index,
            weight=float(weights[index]),
            largest_profile=largest_profile,
        )
    return np.ascontiguousarray(scaled)


def _band_rows(grid: Grid) -> int:
    return min(grid.rows, max(BAND_ROWS, BAND_CELLS // grid.cols))


def _bands(
    grid: Grid,
    lon: np.ndarray,
    lat: np.ndarray,
    radii: np.ndarray,
    weights: np.ndarray,
    kernel: Kernel,
    decay: float,
    output_value: OutputValue,
    counter: estimators._Progress,
    workers: int | None,
) -> Iterator[tuple[int, np.ndarray]]:
    """The bands (a generator: the checks ran at the call). Chunks of (disc, row) pairs are
    worked on by a thread pool, a few ahead, and added to the band in order."""
    discs = _discs(grid, lon, lat, radii, weights)
    del lon, lat, radii, weights
    row_lat = row_latitudes(grid)
    rows = _Latitudes.of(row_lat)
    areas = row_cell_areas(grid) if output_value == OutputValue.EXPECTED_COUNT else None
    non_negative = (not len(discs) or discs.weight.min() >= 0) and not (
        kernel == Kernel.TRIANGULAR and decay < 0
    )
    band_rows = _band_rows(grid)
    span = int((discs.last_row - discs.first_row).max()) if len(discs) else 0
    counter.total = float((discs.last_row - discs.first_row + 1).sum()) + grid.cells * CELL_WORK
    fast = discs.radius[discs.method == _FAST]
    fast_radius = float(fast.max()) if fast.size else 0.0
    workers = workers or os.cpu_count() or 1
    in_flight: deque[tuple[Future, int]] = deque()
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        for band_row0 in range(0, grid.rows, band_rows):
            band_stop = min(band_row0 + band_rows, grid.rows)
            band = _Band(grid, band_row0, band_stop, kernel, fast_radius)
            start = int(np.searchsorted(discs.first_row, band_row0 - span, side="left"))
            stop = int(np.searchsorted(discs.first_row, band_stop - 1, side="right"))
            members = np.arange(start, stop)
            members = members[discs.last_row[members] >= band_row0]
            first = np.maximum(discs.first_row[members], band_row0)
            last = np.minimum(discs.last_row[members], band_stop - 1)
            for group in _row_groups(first, last, members, band_row0, band_stop, span):
                future = pool.submit(_chunk_terms, band, discs, rows, row_lat, group, decay)
                in_flight.append((future, int(group[2].sum())))
                while len(in_flight) >= 2 * workers:
                    _apply_oldest(band, in_flight, counter)
            while in_flight:
                _apply_oldest(band, in_flight, counter)
            values = band.values()
            if areas is not None:
                values *= areas[band_row0:band_stop, None]
            if non_negative:
                np.maximum(values, 0.0, out=values)
            counter.add(values.size * CELL_WORK)
            counter.tick()
            yield band_row0, values
    finally:  # done, cancelled, failed, or the caller stopped early
        counter.cancelled.set()
        pool.shutdown(wait=True, cancel_futures=True)
    counter.report(1.0)


def _apply_oldest(
    band: _Band, in_flight: deque[tuple[Future, int]], counter: estimators._Progress
) -> None:
    """Wait for the oldest chunk (reporting progress meanwhile) and add it to the band."""
    future, pairs = in_flight.popleft()
    band.apply(counter.result(future))
    counter.add(pairs)
    counter.tick()


#: Work of a cell (finishing it) in units of the work of one point-row pair, for progress.
CELL_WORK = 0.05


def _chunk_terms(
    band: _Band,
    discs: _Discs,
    rows: _Latitudes,
    row_lat: np.ndarray,
    group: tuple[np.ndarray, np.ndarray, np.ndarray],
    decay: float,
) -> list[tuple]:
    """The terms (:meth:`_Band.terms`) of a chunk of :func:`_row_groups`: its discs, each
    disc's first row and count of rows, expanded to (disc, row) pairs here, in a worker."""
    members, first, counts = group
    disc = np.repeat(members, counts)
    row = np.arange(len(disc)) - np.repeat(np.cumsum(counts) - counts, counts)
    row += np.repeat(first, counts)
    pairs = _Pairs(
        disc,
        row,
        discs.latitudes.take(disc),
        rows.take(row),
        row_lat[row],
        discs.lon[disc],
        discs.radius[disc],
        discs.method[disc],
        discs.col[disc],
        discs.chord_limit[disc],
        discs.half_sin[disc],
        discs.half_cos[disc],
    )
    return band.terms(pairs, discs.weight[disc], decay)


def _row_groups(
    first: np.ndarray,
    last: np.ndarray,
    members: np.ndarray,
    band_row0: int,
    band_stop: int,
    span: int,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """A band's (disc, row) pairs, as chunks ``(discs, first rows, counts of rows)`` of about
    ``CHUNK_ELEMENTS`` pairs covering a few consecutive rows each (a group of rows, then disc
    by disc within it).

    ``members`` are the discs reaching the band, sorted by first row; ``first`` and ``last``
    their rows within it; ``span`` bounds ``last - first`` for every disc. Chunks of few rows
    keep what each adds to the band within a narrow window of it (see :meth:`_Band.apply`).
    """
    rows = band_stop - band_row0
    # pairs per row: discs begun minus discs ended
    per_row = np.cumsum(
        np.bincount(first - band_row0, minlength=rows + 1)
        - np.bincount(last + 1 - band_row0, minlength=rows + 1)
    )[:rows]
    ends = np.cumsum(per_row)
    group_start = 0
    while group_start < rows:
        base = int(ends[group_start - 1]) if group_start else 0
        group_stop = int(np.searchsorted(ends, base + CHUNK_ELEMENTS, side="right"))
        group_stop = min(max(group_start + 1, group_stop), rows)
        row0, row1 = band_row0 + group_start, band_row0 + group_stop - 1
        lo = int(np.searchsorted(first, row0 - span, side="left"))
        hi = int(np.searchsorted(first, row1, side="right"))
        chosen = lo + np.flatnonzero(last[lo:hi] >= row0)
        group_first = np.maximum(first[chosen], row0)
        counts = np.minimum(last[chosen], row1) - group_first + 1
        for chunk in _pair_chunks(counts):
            yield members[chosen[chunk]], group_first[chunk], counts[chunk]
        group_start = group_stop


def _pair_chunks(counts: np.ndarray) -> Iterator[slice]:
    """Consecutive slices of the discs whose pairs add up to about ``CHUNK_ELEMENTS``."""
    ends = np.cumsum(counts)
    start, per_chunk = 0, CHUNK_ELEMENTS
    while start < len(counts):
        base = int(ends[start - 1]) if start else 0
        stop = max(start + 1, int(np.searchsorted(ends, base + per_chunk, side="right")))
        yield slice(start, stop)
        start = stop


#: Kernels that do not vanish at the radius: their intervals' ends are settled exactly.
_EXACT_ENDS = (Kernel.UNIFORM, Kernel.TRIANGULAR, Kernel.GAUSSIAN)


class _Band:
    """A band of rows being summed: cells evaluated one by one, and for row intervals the
    difference arrays of the polynomial's coefficients (see the module docstring), in two
    tilings of the columns (the second offset by half a tile)."""

    def __init__(
        self, grid: Grid, row0: int, stop: int, kernel: Kernel, fast_radius: float
    ) -> None:
        self.grid, self.row0, self.rows, self.kernel = grid, row0, stop - row0, kernel
        self.values_direct = np.zeros(self.rows * grid.cols)
        self.power = POLYNOMIAL_POWER.get(kernel)
        self.fast_radius = fast_radius
        self.planes: np.ndarray | None = None
        if self.power is not None and fast_radius > 0:
            # tiles about four radii wide at the band's widest row (in columns)
            rho = _Latitudes.of(row_latitudes(grid)[row0:stop]).rho.min()
            radius_cols = fast_radius / max(rho * math.radians(grid.cell_size), 1e-300)
            self.tile_cols = int(min(max(2 * math.ceil(2.0 * radius_cols), 16), grid.cols))
            #: the second tiling's offset (columns): its tiles' references are the first's edges
            self.offset = self.tile_cols // 2
            references = [self._tile_references(tiling) for tiling in (0, 1)]
            #: how many tiles the first tiling has (the second's are numbered after them)
            self.tiles0 = len(references[0])
            #: sin and cos of half of each tile's reference longitude, both tilings
            self.reference_halves = _half_angle(
                grid.x_min + (np.concatenate(references) + 0.5) * grid.cell_size
            )
            self.secant = fast_radius**2 <= 24.0 * SMALLEST_RADII_PRODUCT * SECANT_TOLERANCE
            #: degree in (V, S) of the polynomial: p with the secant (or p = 0), else p + 1
            self.degree = self.power if self.secant or self.power == 0 else self.power + 1

    def _tile_references(self, tiling: int) -> np.ndarray:
        """The reference column of each tile of ``tiling`` (0, or 1 offset by half a tile):
        tile ``t`` holds columns ``[t T - o, (t + 1) T - o)``, ``o`` the offset, and its
        reference is its middle column, within the grid."""
        tile, offset, cols = self.tile_cols, tiling * self.offset, self.grid.cols
        tiles = (cols - 1 + offset) // tile + 1
        return np.clip(np.arange(tiles) * tile + tile // 2 - offset, 0, cols - 1)

    def terms(self, pairs: _Pairs, weight: np.ndarray, decay: float) -> list[tuple]:
        """What a chunk of pairs adds to the band, for :meth:`apply` (run by a worker thread:
        NumPy's array loops release the GIL, ``np.bincount`` does not, so it is left to
        :meth:`apply`, which adds chunks in a fixed order: the sums do not depend on threads).
        """
        grid, kernel = self.grid, self.kernel
        terms: list[tuple] = []
        fast = pairs.method == _FAST
        settle = ~fast | (kernel in _EXACT_ENDS)
        a, b = _chord_parts(pairs.point, pairs.cell)
        first, last, valid = _intervals(grid, pairs, settle, a, b)
        by_rows = np.zeros(len(weight), dtype=bool)
        if self.power is not None and self.fast_radius > 0:
            radius_rows = pairs.radius / (pairs.point.m * math.radians(grid.cell_size))
            by_rows = (
                valid
                & fast
                & (radius_rows >= ROW_METHOD_MIN_RADIUS_CELLS)
                & (pairs.radius >= 0.25 * self.fast_radius)
            )
            chosen = np.flatnonzero(by_rows)
            if chosen.size:
                terms.append(
                    self._row_terms(
                        pairs.take(chosen),
                        weight[chosen],
                        first[chosen],
                        last[chosen],
                        a[chosen],
                        b[chosen],
                    )
                )
        chosen = np.flatnonzero(valid & ~by_rows)
        if chosen.size:
            terms.extend(
                self._cell_terms(
                    pairs.take(chosen), weight[chosen], first[chosen], last[chosen], decay
                )
            )
        return terms

    def apply(self, terms: list[tuple]) -> None:
        """Add a chunk's terms (see :meth:`terms`): each term's bincount covers only the window
        of the band its entries reach (a chunk covers a few rows)."""
        for term in terms:
            if term[0] == "cells":
                _, index, values = term
                low, high = int(index.min()), int(index.max()) + 1
                self.values_direct[low:high] += np.bincount(index - low, values, high - low)
                continue
            _, begin, end, coefficients = term
            if self.planes is None:
                size = self.rows * 2 * (self.grid.cols + 1)
                self.planes = np.zeros((len(coefficients) + 1, size))
            low, high = int(begin.min()), int(end.max()) + 1
            begin, end = begin - low, end - low
            for plane, values in zip(self.planes, coefficients):
                window = plane[low:high]
                window += np.bincount(begin, values, high - low)
                window -= np.bincount(end, values, high - low)
            count = self.planes[-1, low:high]
            count += np.bincount(begin, minlength=high - low)
            count -= np.bincount(end, minlength=high - low)

    def _cell_terms(
        self, pairs: _Pairs, weight: np.ndarray, first: np.ndarray, last: np.ndarray, decay: float
    ) -> Iterator[tuple]:
        """Evaluate every cell of the intervals, a chunk of cells at a time: ``("cells", index
        in the band, value)``."""
        grid = self.grid
        counts = last - first + 1
        ends = np.cumsum(counts)
        start = 0
        while start < len(counts):
            base = int(ends[start - 1]) if start else 0
            stop = max(start + 1, int(np.searchsorted(ends, base + CHUNK_ELEMENTS, side="right")))
            part = slice(start, stop)
            pair = np.repeat(np.arange(start, stop), counts[part])
            col = np.arange(len(pair)) - np.repeat(ends[part] - counts[part] - base, counts[part])
            col += first[pair]
            chunk = pairs.take(pair)
            cell_lon = grid.x_min + (col + 0.5) * grid.cell_size
            squared = _distance_squared(
                chunk.method, chunk.point, chunk.lon, chunk.cell, chunk.cell_lat, cell_lon
            )
            u_squared = np.minimum(squared / (chunk.radius * chunk.radius), 1.0)
            contribution = weight[pair] * profile(self.kernel, u_squared, decay)
            index = (chunk.row - self.row0) * grid.cols + col
            yield "cells", index, contribution
            start = stop

    def _pieces(
        self, first: np.ndarray, last: np.ndarray
    ) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, np.ndarray]:
        """Each interval's tile: in the first tiling if it fits in one of its tiles, else in the
        second if it fits there (always, up to half a tile wide), else it is cut into pieces
        along the first tiling. Returns the pair of each piece (None: one piece per pair), its
        tile (the second tiling's numbered after the first's), first and last column."""
        cols, offset = self.tile_cols, self.offset
        tile_first, tile_last = first // cols, last // cols
        second_first, second_last = (first + offset) // cols, (last + offset) // cols
        fits_first = tile_first == tile_last
        tile = np.where(fits_first, tile_first, self.tiles0 + second_first)
        cut = ~fits_first & (second_first != second_last)
        if not cut.any():
            return None, tile, first, last
        pieces = np.where(cut, tile_last - tile_first + 1, 1)
        pair = np.repeat(np.arange(len(first)), pieces)
        step = np.arange(len(pair)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        cut, tile, first, last = cut[pair], tile[pair], first[pair], last[pair]
        piece_tile = tile_first[pair] + step
        tile = np.where(cut, piece_tile, tile)
        first = np.where(cut, np.maximum(first, piece_tile * cols), first)
        last = np.where(cut, np.minimum(last, piece_tile * cols + cols - 1), last)
        return pair, tile, first, last

    def _row_terms(
        self,
        pairs: _Pairs,
        weight: np.ndarray,
        first: np.ndarray,
        last: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
    ) -> tuple:
        """``("rows", begin, end, coefficients)``: the pieces' weighted polynomial coefficients
        (``2 degree + 1`` of them), added at the first column of the piece (``begin``, an index
        into a plane of the band) and taken off after its last (``end``); a piece is the part
        of an interval within one tile, whose middle column is the reference. ``a``, ``b``:
        the pairs' :func:`_chord_parts`."""
        grid, power = self.grid, self.power
        width = grid.cols + 1
        # per pair: e_A = A / R², B / R², e_L = c_L² / R² (the chord at the radius) and
        # κ = R² / (12 M N); then per piece
        inverse_r2 = np.square(pairs.radius)
        np.reciprocal(inverse_r2, out=inverse_r2)
        kappa = pairs.point.m * pairs.point.n
        kappa *= 12.0 * inverse_r2
        np.reciprocal(kappa, out=kappa)
        a = a * inverse_r2
        b = b * inverse_r2
        limit = pairs.chord_limit * inverse_r2
        if self.secant and power:  # q ≈ γ (e_L - e), γ = 1 + κ (e_A + e_L): γ^p into the weight
            gamma = a + limit
            gamma *= kappa
            gamma += 1.0
            weight = weight * gamma**power
        row = pairs.row
        half_sin, half_cos = pairs.half_sin, pairs.half_cos
        pair, tile_index, first, last = self._pieces(first, last)
        if pair is not None:
            b, kappa, limit, half_sin, half_cos, row, weight = (
                values[pair] for values in (b, kappa, limit, half_sin, half_cos, row, weight)
            )
            a = a[pair]
        # e0 + e_v V + e_s S = c² / R², with c² = A + B (vers δ + cos δ V - sin δ S), δ the
        # point's longitude λ from the reference λr; from the halves' sines and cosines,
        # s = sin(δ/2) = sin(λ/2) cos(λr/2) - cos(λ/2) sin(λr/2), c = cos(δ/2) likewise:
        # vers δ = 2 s², cos δ = 1 - 2 s², sin δ = 2 s c (no cancellation for small δ)
        reference_sin, reference_cos = self.reference_halves
        reference_sin, reference_cos = reference_sin[tile_index], reference_cos[tile_index]
        s = half_sin * reference_cos
        s -= half_cos * reference_sin
        half_cos *= reference_cos
        half_sin *= reference_sin
        half_cos += half_sin  # c
        e_s = np.multiply(s, half_cos, out=half_cos)
        e_s *= b
        e_s *= -2.0
        e0 = np.square(s, out=s)
        e0 *= 2.0
        e0 *= b  # B vers δ
        e_v = b - e0
        e0 += a
        del a, b, half_sin, half_cos, reference_sin, reference_cos
        if power == 0:  # q^0 = 1 (the uniform kernel)
            coefficients = [np.ones(len(row))]
        elif self.secant:  # (q / γ)^p = (e_L - e)^p: P of degree p, Q of degree p - 1
            coefficients = _power([limit - e0, np.negative(e_v)], [np.negative(e_s)], power)
        else:
            # q^p ≈ L^(p-1) (L - p κ e²), L = 1 - e; e² = E_P + S E_Q with S² = 2V - V²
            e_s2 = np.square(e_s)
            linear_p, linear_q = [1.0 - e0, np.negative(e_v)], [np.negative(e_s)]
            kappa *= power
            e_p = [
                np.square(e0) * kappa,
                2.0 * (e0 * e_v + e_s2) * kappa,
                (np.square(e_v) - e_s2) * kappa,
            ]
            kappa *= 2.0
            e_q = [e0 * e_s * kappa, e_v * e_s * kappa]
            factor_p = [linear_p[0] - e_p[0], linear_p[1] - e_p[1], np.negative(e_p[2])]
            factor_q = [linear_q[0] - e_q[0], np.negative(e_q[1])]
            if power == 1:
                coefficients = factor_p + factor_q
            else:
                lower_p, lower_q = _power(linear_p, linear_q, power - 1, split=True)
                product_p, product_q = _multiply(lower_p, lower_q, factor_p, factor_q)
                coefficients = product_p + product_q
        del e0, e_v, e_s, kappa
        planes = np.empty((len(coefficients), len(row)))
        for plane, coefficient in zip(planes, coefficients):
            np.multiply(coefficient, weight, out=plane)
        # the first tiling's planes, then the second's, row by row
        tiling = tile_index >= self.tiles0
        begin = row - self.row0
        begin *= 2
        begin += tiling
        begin *= width
        end = begin + last
        end += 1
        begin += first
        return "rows", begin, end, planes

    def values(self) -> np.ndarray:
        """The band's values, (rows, cols) float64."""
        grid = self.grid
        values = self.values_direct.reshape(self.rows, grid.cols)
        if self.planes is None:
            return values
        width = grid.cols + 1
        planes = self.planes.reshape(-1, self.rows, 2, width)
        np.cumsum(planes, axis=-1, out=planes)
        covering = planes[-1, :, 0, :-1] + planes[-1, :, 1, :-1]
        col = np.arange(grid.cols)
        polynomial = np.zeros_like(values)
        p_count = self.degree + 1
        for tiling in (0, 1):
            references = self._tile_references(tiling)
            reference_col = references[(col + tiling * self.offset) // self.tile_cols]
            theta = np.radians((col - reference_col) * grid.cell_size)
            vers, sin = 2.0 * np.sin(0.5 * theta) ** 2, np.sin(theta)
            polynomial += _horner(planes[:p_count, :, tiling, :-1], vers)
            if self.degree:
                polynomial += sin * _horner(planes[p_count:-1, :, tiling, :-1], vers)
        polynomial[covering < 0.5] = 0.0  # no interval here: only the sums' rounding
        values += polynomial
        return values


def _power(
    p: list[np.ndarray], q: list[np.ndarray], power: int, split: bool = False
) -> list[np.ndarray] | tuple[list[np.ndarray], list[np.ndarray]]:
    """``(P + S Q)^power`` for ``power`` 1 to 3 (see :func:`_multiply`): the coefficients of
    its P then of its Q, as one list, or as the pair (P, Q) with ``split``."""
    result_p, result_q = p, q
    if power >= 2:
        result_p, result_q = _square(p, q)
    if power == 3:
        result_p, result_q = _multiply(result_p, result_q, p, q)
    return (result_p, result_q) if split else result_p + result_q


def _half_angle(lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sin(λ / 2)`` and ``cos(λ / 2)`` of longitudes ``λ`` (degrees)."""
    half = np.radians(lon)
    half *= 0.5
    return np.sin(half), np.cos(half)


def _horner(coefficients: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``Σ_i coefficients[i] x^i`` (coefficients along the first axis)."""
    result = coefficients[-1].copy()
    for coefficient in coefficients[-2::-1]:
        result *= x
        result += coefficient
    return result


def _multiply(
    p1: list[np.ndarray], q1: list[np.ndarray], p2: list[np.ndarray], q2: list[np.ndarray]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``(P1 + S Q1)(P2 + S Q2) = P1 P2 + S² Q1 Q2 + S (P1 Q2 + Q1 P2)`` with
    ``S² = 2V - V²``: polynomials in V as lists of coefficient arrays, lowest degree first."""
    p = _convolve(p1, p2, len(p1) + len(p2) - 1)
    for degree, coefficient in enumerate(_convolve(q1, q2, len(q1) + len(q2) - 1)):
        p[degree + 1] += 2.0 * coefficient
        p[degree + 2] -= coefficient
    q = _convolve(p1, q2, len(p1) + len(q2) - 1)
    for i, x in enumerate(q1):
        for j, y in enumerate(p2):
            q[i + j] += x * y
    return p, q


def _square(p: list[np.ndarray], q: list[np.ndarray]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """``(P + S Q)² = P² + S² Q² + 2 S P Q`` with ``S² = 2V - V²`` (see :func:`_multiply`),
    each cross product of ``P²`` and ``Q²`` computed once."""
    squared_p = _square_polynomial(p)
    for degree, coefficient in enumerate(_square_polynomial(q)):
        squared_p[degree + 1] += 2.0 * coefficient
        squared_p[degree + 2] -= coefficient
    doubled = [2.0 * x for x in p]
    return squared_p, _convolve(doubled, q, len(p) + len(q) - 1)


def _square_polynomial(a: list[np.ndarray]) -> list[np.ndarray]:
    """The coefficients of the square of a polynomial (lowest degree first), ``2 len(a) - 1``
    of them: ``Σ_i a_i² V^2i + Σ_{i<j} 2 a_i a_j V^(i+j)``."""
    result: list[np.ndarray | None] = [None] * (2 * len(a) - 1)
    for i, x in enumerate(a):
        term = np.square(x)
        result[2 * i] = term if result[2 * i] is None else result[2 * i] + term
        doubled = 2.0 * x
        for j in range(i + 1, len(a)):
            term = doubled * a[j]
            if result[i + j] is None:
                result[i + j] = term
            else:
                result[i + j] += term
    return result  # type: ignore[return-value]  # every degree has a term


def _convolve(a: list[np.ndarray], b: list[np.ndarray], length: int) -> list[np.ndarray]:
    """The coefficients of the product of two polynomials, padded with zeros to ``length``."""
    result: list[np.ndarray | None] = [None] * length
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if result[i + j] is None:
                result[i + j] = x * y
            else:
                result[i + j] += x * y
    template = a[0] if a else b[0]
    return [np.zeros_like(template) if term is None else term for term in result]


# ---- cost model -----------------------------------------------------------------------------

#: Seconds of one thread (calibrated with ``benchmarks/geodesic.py --calibrate`` on the 2-core
#: development machine, see :func:`geodesic_estimated_seconds`): per point (its discs, sorted),
SECONDS_PER_POINT = 6.0e-7
#: per (disc, row) pair (its interval of columns, the chunk's gathers and bookkeeping),
SECONDS_PER_PAIR = 6.0e-8
#: per pair and coefficient plane of the row intervals (coefficients, their sum into the band),
SECONDS_PER_PAIR_PLANE = 1.5e-8
#: per cell of the grid and plane (cumulative sums, Horner's evaluation),
SECONDS_PER_CELL_PLANE = 5.0e-9
#: per cell of the grid (the band zeroed, clamped, handed on),
SECONDS_PER_CELL = 1.0e-8
#: per cell evaluated one by one, by distance formula (fast, series, Vincenty).
SECONDS_PER_PAIR_CELL = (5.5e-8, 1.5e-7, 4.0e-7)
#: Bytes per point while its discs are made and held (the copies' fields and the sort).
BYTES_PER_POINT = 260
#: Bytes per pair of a chunk at its peak in a worker (its gathered fields and temporaries),
#: and per pair and plane of its terms (held until added).
BYTES_PER_PAIR = 400
BYTES_PER_PAIR_PLANE = 24
#: Bytes per cell evaluated one by one: held with a chunk's terms (its index and value), and
#: while a sub-chunk of ``CHUNK_ELEMENTS`` of them is evaluated (the series' temporaries).
BYTES_PER_HELD_CELL = 16
BYTES_PER_PAIR_CELL = 250


@dataclass(frozen=True)
class _Plan:
    """What a run does, for the cost model: pairs per point, planes (0 for cells one by one),
    cells evaluated per pair, the distance formula, the band's rows and the largest chunk."""

    pairs_per_point: float
    planes: int
    cells_per_pair: float
    method: int
    band_rows: int
    chunk_pairs: int


def _plan(grid: Grid, radius_m: float, kernel: Kernel, per_point_radius: bool) -> _Plan:
    """The run's layout from the grid, the largest radius and the kernel (see the estimates):
    rows a disc reaches from the cap that bounds it, columns per row from the mean over the
    grid's rows (points taken spread over its latitudes) of ``R / (ρ · cell)``, cut to the
    grid's width."""
    if not (math.isfinite(radius_m) and 0 < radius_m <= LARGEST_RADIUS_M):
        raise ValueError(f"The radius must be a number of metres in (0, {LARGEST_RADIUS_M:g}].")
    kernel = Kernel(int(kernel))
    cell = grid.cell_size
    reach, _ = _reach_degrees(np.zeros(1), np.array([radius_m]))
    pairs_per_point = float(min(2.0 * math.ceil(float(reach[0]) / cell) + 1.0, grid.rows))
    sample = row_latitudes(grid)[:: max(1, grid.rows // 1000)]
    rho = np.maximum(_Latitudes.of(sample).rho, 1e-300)
    method = int(_method_of(np.asarray(radius_m)))
    meridian = float(np.mean(_Latitudes.of(sample).m))
    rows_in_radius = radius_m / (meridian * math.radians(cell))
    power = POLYNOMIAL_POWER.get(kernel)
    by_rows = (
        power is not None and method == _FAST and rows_in_radius >= ROW_METHOD_MIN_RADIUS_CELLS
    )
    cell_radius = radius_m
    if by_rows and per_point_radius:  # smaller radii may go one by one
        cell_radius = ROW_METHOD_MIN_RADIUS_CELLS * meridian * math.radians(cell)
    cells_per_pair = 0.0
    if not by_rows or per_point_radius:
        radius_cols = cell_radius / (rho * math.radians(cell))
        cells_per_pair = float(np.mean(np.minimum(0.5 * math.pi * radius_cols + 1, grid.cols)))
    planes = 0
    if by_rows:
        secant = radius_m**2 <= 24.0 * SMALLEST_RADII_PRODUCT * SECANT_TOLERANCE
        degree = power if secant or power == 0 else power + 1
        planes = 2 * degree + 2  # the coefficients and the count
    band_rows = _band_rows(grid)
    return _Plan(
        pairs_per_point,
        planes,
        cells_per_pair,
        method,
        band_rows,
        max(CHUNK_ELEMENTS, min(band_rows, int(pairs_per_point))),
    )


def geodesic_estimated_seconds(
    grid: Grid,
    points: int,
    *,
    radius_m: float,
    kernel: Kernel,
    per_point_radius: bool = False,
    workers: int | None = None,
) -> float:
    """Estimated wall-clock seconds of :func:`kernel_density_geodesic_bands` (not writing).

    With ``n`` points, ``r`` rows reached per disc (``2 ceil(σ / cell) + 1``, ``σ`` the cap's
    angle in degrees, cut to the grid's rows), ``P`` coefficient planes of the row intervals
    (``2 degree + 2``: ``2p + 2`` with the secant, ``2p + 4`` with the first-order term, 0 when
    cells go one by one; each band holds them twice, one set per tiling) and ``C``
    cells evaluated per pair one by one (the mean over the grid's rows of ``π/2 · R / (ρ ·
    cell) + 1``, cut to its width)::

        parallel = n r (SECONDS_PER_PAIR + P · SECONDS_PER_PAIR_PLANE
                        + C · SECONDS_PER_PAIR_CELL[formula])
        serial = n · SECONDS_PER_POINT + cells · (SECONDS_PER_CELL + 2 P · SECONDS_PER_CELL_PLANE)
        seconds = serial + parallel / (1 + (threads - 1) · costs.PARALLEL_EFFICIENCY)

    With ``per_point_radius`` (``radius_m`` the largest), pairs go both ways: by rows at the
    largest radius and one by one at the largest radius that is (``ROW_METHOD_MIN_RADIUS_CELLS``
    rows). Points are taken spread over the grid's latitudes (columns per disc grow as
    ``1 / cos φ``). Meant to be right within a factor of about 2 to 3; pure arithmetic over at
    most a thousand rows.

    Raises:
        ValueError: a radius that is not a number of metres in (0, ``LARGEST_RADIUS_M``].
    """
    plan = _plan(grid, radius_m, kernel, per_point_radius)
    pairs = max(int(points), 0) * plan.pairs_per_point
    parallel = pairs * (
        SECONDS_PER_PAIR
        + plan.planes * SECONDS_PER_PAIR_PLANE
        + plan.cells_per_pair * SECONDS_PER_PAIR_CELL[plan.method]
    )
    serial = points * SECONDS_PER_POINT + grid.cells * (
        SECONDS_PER_CELL + 2 * plan.planes * SECONDS_PER_CELL_PLANE
    )
    threads = max(1, min(workers or os.cpu_count() or 1, os.cpu_count() or 1))
    return serial + parallel / (1 + (threads - 1) * costs.PARALLEL_EFFICIENCY)


def geodesic_working_memory_bytes(
    grid: Grid,
    points: int,
    *,
    radius_m: float,
    kernel: Kernel,
    per_point_radius: bool = False,
    workers: int | None = None,
) -> int:
    """Estimated peak memory (bytes) :func:`kernel_density_geodesic_bands` allocates beyond
    the caller's float64 arrays (lon, lat, radius and weight), streaming the bands.

    An upper bound adding each part at its worst: the points' discs (``BYTES_PER_POINT``
    each, a point counted twice when its disc may be copied a turn away on a grid 360 degrees
    wide); the band (``B`` rows of :func:`_band_rows`: its direct values, ``P`` coefficient
    planes ``cols + 1`` wide for each of the two tilings, four band-sized temporaries while it
    is finished, and the band handed on before); and the chunks (``c`` pairs, at most
    ``max(CHUNK_ELEMENTS, B)``): ``2 · workers + 1`` held with their terms (``1.5 c P ·
    BYTES_PER_PAIR_PLANE``, room for intervals cut into pieces, and ``c C ·
    BYTES_PER_HELD_CELL`` for the ``C`` cells per pair evaluated one by one) and ``workers``
    at their peak (``c (BYTES_PER_PAIR + 2 P · BYTES_PER_PAIR_PLANE)``, plus ``CHUNK_ELEMENTS ·
    BYTES_PER_PAIR_CELL`` when cells go one by one)::

        bytes = n · BYTES_PER_POINT · copies + 8 B (6 cols + 2 (cols + 1) P)
                + (2 workers + 1) · held chunk + workers · peak chunk

    Raises:
        ValueError: a radius that is not a number of metres in (0, ``LARGEST_RADIUS_M``].
    """
    plan = _plan(grid, radius_m, kernel, per_point_radius)
    workers = max(1, workers or os.cpu_count() or 1)
    points = max(int(points), 0)
    copies = 2 if grid.cols * grid.cell_size >= 360.0 * (1 - 1e-12) else 1
    discs = points * BYTES_PER_POINT * copies
    band = 8 * plan.band_rows * (grid.cols * 6 + 2 * (grid.cols + 1) * plan.planes)
    chunk_pairs = min(plan.chunk_pairs, int(points * plan.pairs_per_point) + 1)
    held = chunk_pairs * (
        1.5 * plan.planes * BYTES_PER_PAIR_PLANE + plan.cells_per_pair * BYTES_PER_HELD_CELL
    )
    peak = chunk_pairs * (BYTES_PER_PAIR + 2 * plan.planes * BYTES_PER_PAIR_PLANE)
    if plan.cells_per_pair:
        peak += CHUNK_ELEMENTS * BYTES_PER_PAIR_CELL
    return int(discs + band + (2 * workers + 1) * held + workers * peak)
