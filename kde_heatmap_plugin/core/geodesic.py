"""Distances and cell areas on the WGS84 ellipsoid, vectorised with NumPy.

Angles are in degrees (longitude east, latitude north), lengths in metres, areas in square
metres. The ellipsoid is WGS84: semi-major axis ``a = WGS84_A``, flattening ``f = WGS84_F``,
semi-minor axis ``b = a (1 - f)``, eccentricity squared ``e^2 = f (2 - f)``.

:func:`geodesic_distance` solves the inverse geodesic problem with Vincenty's iteration on
the longitude on the auxiliary sphere (T. Vincenty, "Direct and inverse solutions of geodesics
on the ellipsoid with application of nested equations", Survey Review 23 (176), 1975), which
agrees with an exact solver (Karney's, as in pyproj's ``Geod.inv``) to about 0.1 mm at any
distance where it converges: every pair of points except nearly antipodal ones (random pairs
up to 19,000 km apart all converge; two points on the equator 179.9 degrees apart do not:
see :class:`GeodesicNotConverged`).

:func:`cell_areas` is the closed-form area of an ellipsoidal zone bounded by two parallels and
two meridians (the authalic-latitude formula).

Accuracy, measured against pyproj 3.4 ``Geod(ellps="WGS84").inv``: worst relative error
1.3e-11 over 200,000 random pairs up to 5,000 km apart (worst absolute 3.5e-5 m, at
thousands of km), under 1e-8 m for pairs a millimetre to a metre apart, and within 1e-6
relative for the antimeridian, poles, equator, coincident points and pairs up to 19,000 km.

Speed, measured on one core of a shared 2-core x86-64 machine (NumPy 1.24): 1e7 distances in
about 3.7 s, whether the pairs are 30 km or 3,000 km apart (6 iterations each). The cost is
mostly NumPy passes over chunks of ``CHUNK`` pairs: about 10 transcendental functions for the
set-up and one arctangent plus ~50 arithmetic passes per iteration.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

#: WGS84 semi-major axis (metres).
WGS84_A = 6378137.0
#: WGS84 flattening.
WGS84_F = 1 / 298.257223563
#: WGS84 semi-minor axis (metres).
WGS84_B = WGS84_A * (1 - WGS84_F)
#: WGS84 first eccentricity squared.
WGS84_E2 = WGS84_F * (2 - WGS84_F)
#: Metres in a degree of a great circle on a sphere of the Earth's mean radius (6371 km): the
#: size of a degree of latitude within 0.6 %, to speak of cells in degrees in metres.
METRES_PER_DEGREE = 111_195.0

#: Vincenty's iteration stops for a pair when the longitude on the auxiliary sphere changes by at
#: most ``LAMBDA_TOLERANCE + LAMBDA_RELATIVE_TOLERANCE * sigma`` (radians; sigma is the arc on
#: the auxiliary sphere). The distance is computed from the iterate before that change, and
#: d(sigma)/d(lambda) = sin(alpha) is at most 1, so its error is at most about ``a`` times
#: that change: under 1e-8 m plus 1e-11 relative.
LAMBDA_TOLERANCE = 1e-15
LAMBDA_RELATIVE_TOLERANCE = 1e-11
#: Iterations of a whole chunk; the pairs not converged by then (nearly antipodal) are
#: iterated on their own, up to ``MAX_ITERATIONS``.
FAST_ITERATIONS = 10
#: Most iterations for a pair before it is declared not converged. Pairs up to 5,000 km apart
#: need at most 5, a pair 19,000 km apart about 25.
MAX_ITERATIONS = 200
#: Pairs are computed in chunks of this many, so that the temporaries stay in the CPU cache.
CHUNK = 1 << 14


class GeodesicNotConverged(ValueError):  # noqa: N818 (a ValueError by another name)
    """Vincenty's iteration did not converge: the two points are nearly antipodal.

    Attributes:
        count: how many pairs did not converge.
        example: ``(lon1, lat1, lon2, lat2)`` of one of them (degrees).
    """

    def __init__(self, count: int, example: tuple[float, float, float, float]) -> None:
        super().__init__(
            f"The geodesic distance of {count} pair(s) of nearly antipodal points could not be "
            f"computed (for example lon/lat {example[0]}, {example[1]} to "
            f"{example[2]}, {example[3]})."
        )
        self.count = count
        self.example = example


def _reduced_latitude(lat_degrees: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sine and cosine of the reduced latitude ``U``, where ``tan U = (1 - f) tan(lat)``.

    Computed as ``((1 - f) sin(lat), cos(lat)) / hypot((1 - f) sin(lat), cos(lat))``, which is
    finite at the poles.
    """
    lat = np.radians(lat_degrees)
    sin_u = (1 - WGS84_F) * np.sin(lat)
    cos_u = np.cos(lat)
    norm = np.hypot(sin_u, cos_u)
    return sin_u / norm, cos_u / norm


def _vincenty_chunk(
    lon1: np.ndarray,
    lat1: np.ndarray,
    lon2: np.ndarray,
    lat2: np.ndarray,
    iterations: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Distances (metres) of 1-D arrays of pairs, and a mask of the pairs that converged.

    Every pair is iterated until all have converged or ``iterations`` were made (whole-array
    operations: no gathering of the pairs still iterating).
    """
    sin_u1, cos_u1 = _reduced_latitude(lat1)
    sin_u2, cos_u2 = _reduced_latitude(lat2)
    # longitude difference wrapped to [-180, 180) in degrees (exact for nearby longitudes
    # either side of the antimeridian), then radians
    lon_difference = np.radians((lon2 - lon1 + 180.0) % 360.0 - 180.0)
    sin_l = np.sin(lon_difference)
    cos_l = np.cos(lon_difference)
    s1s2 = sin_u1 * sin_u2
    c1c2 = cos_u1 * cos_u2
    c1s2 = cos_u1 * sin_u2
    s1c2 = sin_u1 * cos_u2

    # lambda = L + delta, where |delta| <= f (pi + 0.01) < 0.011 at every iterate, so that
    # sin(delta) and cos(delta) are their Taylor polynomials (truncation below 1e-23)
    delta = np.zeros_like(lon_difference)
    converged = np.zeros(delta.shape, dtype=bool)
    for _ in range(iterations):
        d2 = delta * delta
        sin_d = delta * (1.0 - d2 / 6.0 * (1.0 - d2 / 20.0 * (1.0 - d2 / 42.0)))
        cos_d = 1.0 - d2 / 2.0 * (1.0 - d2 / 12.0 * (1.0 - d2 / 30.0 * (1.0 - d2 / 56.0)))
        sin_lam = sin_l * cos_d + cos_l * sin_d
        cos_lam = cos_l * cos_d - sin_l * sin_d
        t1 = cos_u2 * sin_lam
        t2 = c1s2 - s1c2 * cos_lam
        sin_sigma = np.sqrt(t1 * t1 + t2 * t2)
        cos_sigma = s1s2 + c1c2 * cos_lam
        sigma = np.arctan2(sin_sigma, cos_sigma)
        # sin(alpha) = cos U1 cos U2 sin(lambda) / sin(sigma), 0 for coincident points
        # (|cos U1 cos U2 sin(lambda)| <= cos U1 sin(sigma), so the floor changes nothing else)
        sin_alpha = c1c2 * sin_lam / np.maximum(sin_sigma, 1e-300)
        cos2_alpha = 1.0 - sin_alpha * sin_alpha
        # cos(2 sigma_m) = cos(sigma) - 2 sin U1 sin U2 / cos^2(alpha); along the equator
        # (cos^2(alpha) = 0) any bounded value will do: it is multiplied by C and B, both 0
        cos_2sigma_m = np.clip(cos_sigma - 2.0 * s1s2 / np.maximum(cos2_alpha, 1e-300), -1.0, 1.0)
        c = WGS84_F / 16.0 * cos2_alpha * (4.0 + WGS84_F * (4.0 - 3.0 * cos2_alpha))
        new_delta = (
            (1.0 - c)
            * WGS84_F
            * sin_alpha
            * (
                sigma
                + c * sin_sigma * (cos_2sigma_m + c * cos_sigma * (2.0 * cos_2sigma_m**2 - 1.0))
            )
        )
        step = np.abs(new_delta - delta)
        delta = new_delta
        converged |= step <= LAMBDA_TOLERANCE + LAMBDA_RELATIVE_TOLERANCE * sigma
        if converged.all():
            break

    u2 = cos2_alpha * (WGS84_A * WGS84_A - WGS84_B * WGS84_B) / (WGS84_B * WGS84_B)
    big_a = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)))
    big_b = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)))
    c2sm2 = cos_2sigma_m * cos_2sigma_m
    delta_sigma = (
        big_b
        * sin_sigma
        * (
            cos_2sigma_m
            + big_b
            / 4.0
            * (
                cos_sigma * (2.0 * c2sm2 - 1.0)
                - big_b
                / 6.0
                * cos_2sigma_m
                * (4.0 * sin_sigma * sin_sigma - 3.0)
                * (4.0 * c2sm2 - 3.0)
            )
        )
    )
    return WGS84_B * big_a * (sigma - delta_sigma), converged


def geodesic_distance(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> np.ndarray:
    """Length in metres of the shortest geodesic on the WGS84 ellipsoid between two points.

    Vincenty's inverse method: with reduced latitudes ``tan U = (1 - f) tan(lat)`` and
    ``L = lon2 - lon1``, iterate on ``lambda`` (starting at ``L``)::

        sin(sigma) = sqrt((cos U2 sin(lambda))^2
                          + (cos U1 sin U2 - sin U1 cos U2 cos(lambda))^2)
        cos(sigma) = sin U1 sin U2 + cos U1 cos U2 cos(lambda)
        sin(alpha) = cos U1 cos U2 sin(lambda) / sin(sigma)
        cos(2 sigma_m) = cos(sigma) - 2 sin U1 sin U2 / cos^2(alpha)
        C = f / 16 cos^2(alpha) (4 + f (4 - 3 cos^2(alpha)))
        lambda = L + (1 - C) f sin(alpha) (sigma + C sin(sigma) (cos(2 sigma_m)
                 + C cos(sigma) (2 cos^2(2 sigma_m) - 1)))

    until ``lambda`` changes by at most ``LAMBDA_TOLERANCE`` (plus a relative part); then, with
    ``u^2 = cos^2(alpha) (a^2 - b^2) / b^2``::

        A = 1 + u^2 / 16384 (4096 + u^2 (-768 + u^2 (320 - 175 u^2)))
        B = u^2 / 1024 (256 + u^2 (-128 + u^2 (74 - 47 u^2)))
        delta_sigma = B sin(sigma) (cos(2 sigma_m) + B / 4 (cos(sigma) (2 cos^2(2 sigma_m) - 1)
                      - B / 6 cos(2 sigma_m) (4 sin^2(sigma) - 3) (4 cos^2(2 sigma_m) - 3)))
        s = b A (sigma - delta_sigma)

    Coincident points give 0, points at a pole are fine (all longitudes of a pole are the
    same point), and longitudes are taken modulo 360 (pairs across the antimeridian are near).
    Agrees with pyproj's ``Geod(ellps="WGS84").inv`` within 1e-10 relative up to 5,000 km and
    within ~0.1 mm beyond.

    Args:
        lon1, lat1: first points (degrees), arrays broadcastable with the others.
        lon2, lat2: second points (degrees). Latitudes must lie in [-90, 90].

    Returns:
        A float64 array of the broadcast shape (metres).

    Raises:
        GeodesicNotConverged: some pairs are nearly antipodal (about 20,000 km apart),
            where the iteration does not converge within ``MAX_ITERATIONS``.
    """
    arrays = np.broadcast_arrays(
        *(np.asarray(value, dtype=np.float64) for value in (lon1, lat1, lon2, lat2))
    )
    shape = arrays[0].shape
    flat = [np.ravel(array) for array in arrays]
    distances = np.empty(flat[0].size, dtype=np.float64)
    for start in range(0, distances.size, CHUNK):
        part = slice(start, start + CHUNK)
        chunk = [array[part] for array in flat]
        chunk_distances, converged = _vincenty_chunk(*chunk, FAST_ITERATIONS)
        if not converged.all():  # nearly antipodal pairs: iterate those alone, longer
            slow = np.flatnonzero(~converged)
            slow_distances, converged = _vincenty_chunk(
                *(array[slow] for array in chunk), MAX_ITERATIONS
            )
            if not converged.all():
                first = start + int(slow[np.flatnonzero(~converged)[0]])
                example = tuple(float(array[first]) for array in flat)
                count = int(np.count_nonzero(~converged))
                raise GeodesicNotConverged(count, example)  # type: ignore[arg-type]
            chunk_distances[slow] = slow_distances
        distances[part] = chunk_distances
    return distances.reshape(shape)


def _authalic_primitive(lat_degrees: np.ndarray) -> np.ndarray:
    """``q(lat) / 2`` on WGS84: ``sin / (2 (1 - e^2 sin^2)) + atanh(e sin) / (2 e)`` of lat.

    The area between the equator and the parallel ``lat`` over a longitude span ``dlon``
    (radians) is ``b^2 dlon (q(lat) / 2)``; ``q(90)`` gives the authalic radius.
    """
    e = np.sqrt(WGS84_E2)
    sin_lat = np.sin(np.radians(lat_degrees))
    return sin_lat / (2.0 * (1.0 - WGS84_E2 * sin_lat * sin_lat)) + np.arctanh(e * sin_lat) / (
        2.0 * e
    )


def cell_areas(
    lat_south_edges: ArrayLike, lat_north_edges: ArrayLike, dlon_degrees: ArrayLike
) -> np.ndarray:
    """Area in m^2 of the WGS84 cells between two parallels and spanning ``dlon_degrees``.

    The closed form for an ellipsoidal zone::

        area = b^2 dlon (Q(lat_north) - Q(lat_south)),
        Q(lat) = sin(lat) / (2 (1 - e^2 sin^2(lat))) + atanh(e sin(lat)) / (2 e)

    with ``dlon`` in radians (``b^2 Q`` is the authalic formula: the total area is
    ``4 pi b^2 Q(90) = 5.10065621724e14`` m^2). The area is signed: negative when the
    "north" edge is south of the "south" one or the span is negative.

    Args:
        lat_south_edges, lat_north_edges: latitudes of the cells' edges (degrees, in
            [-90, 90]), broadcastable.
        dlon_degrees: the cells' width in longitude (degrees), broadcastable.

    Returns:
        A float64 array of the broadcast shape (m^2).
    """
    south = np.asarray(lat_south_edges, dtype=np.float64)
    north = np.asarray(lat_north_edges, dtype=np.float64)
    dlon = np.radians(np.asarray(dlon_degrees, dtype=np.float64))
    return WGS84_B * WGS84_B * dlon * (_authalic_primitive(north) - _authalic_primitive(south))
