"""A projected coordinate reference system in metres chosen for points in longitude/latitude.

The rule (issue 13, automatic local projection):

* the points' longitudes are covered by the shortest arc of the circle that holds them all
  (so points on both sides of the antimeridian make a short arc across it, not one round the
  world), and their latitudes by ``[lat_min, lat_max]``;
* when every point lies within ``UTM_MARGIN_DEGREES`` of the UTM zone of the arc's centre
  (zone ``floor((lon + 180) / 6) + 1``, 6 degrees wide, central meridian ``6 zone - 183``) and
  between 80 degrees south and 84 degrees north (where UTM is defined), that zone is chosen:
  WGS 84 / UTM, EPSG:326zz north of the equator, EPSG:327zz south of it (by the latitude
  centre). At ``UTM_MARGIN_DEGREES`` beyond a zone's edge, 4.5 degrees of longitude from its
  central meridian, the scale error of transverse Mercator is at most ``0.9996 (1 + q²/2) - 1``
  with ``q`` the angular distance from the central meridian in radians: under 0.3 %;
* otherwise a Lambert azimuthal equal-area projection centred on the data (the arc's centre,
  the middle of the latitude range) on the WGS 84 ellipsoid: areas, and so densities, are exact
  everywhere, and distances are right to a scale error that grows with the angular distance
  ``c`` from the centre: radial distances shrink by ``1 - cos(c/2)`` and those across grow by
  ``1/cos(c/2) - 1`` (0.3 % at 1,000 km, 1.2 % at 2,000 km, 5 % at 4,000 km).

Longitudes and latitudes are in degrees. Only NumPy and the standard library are used: the
caller turns :attr:`LocalProjection.definition` into a CRS (``EPSG:32633`` or a PROJ string).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

UTM_ZONE_WIDTH_DEGREES = 6.0
"""Width of a UTM zone (longitude)."""
UTM_MARGIN_DEGREES = 1.5
"""How far beyond its zone's edges points may lie for UTM to be chosen (longitude)."""
UTM_SOUTH_LIMIT, UTM_NORTH_LIMIT = -80.0, 84.0
"""Latitudes where UTM is defined (degrees)."""


@dataclass(frozen=True)
class LongitudeArc:
    """The shortest arc of longitudes holding a set of points.

    Attributes:
        west: the arc's western end, in [-180, 180) degrees.
        span: its length eastwards from ``west``, in [0, 360) degrees.
    """

    west: float
    span: float

    @property
    def centre(self) -> float:
        """The middle of the arc, in [-180, 180) degrees."""
        return wrap_longitude(self.west + self.span / 2)

    @property
    def crosses_antimeridian(self) -> bool:
        """Whether the arc runs across 180 degrees."""
        return self.west + self.span > 180.0


@dataclass(frozen=True)
class LocalProjection:
    """A projected CRS in metres for a set of longitude/latitude points, and why.

    Attributes:
        definition: ``EPSG:326zz`` / ``EPSG:327zz`` (UTM) or a PROJ string (Lambert azimuthal
            equal-area, ``+proj=laea ... +datum=WGS84 +units=m``).
        utm_zone: the zone number (1 to 60) when UTM was chosen, else None.
        north: for UTM, whether it is the northern-hemisphere zone.
        arc: the longitudes of the points.
        lat_min, lat_max: the latitudes of the points (degrees).
    """

    definition: str
    utm_zone: int | None
    north: bool
    arc: LongitudeArc
    lat_min: float
    lat_max: float


def wrap_longitude(longitude: float | np.ndarray) -> float | np.ndarray:
    """``longitude`` (degrees) moved by whole turns into [-180, 180)."""
    return (longitude + 180.0) % 360.0 - 180.0


def longitude_arc(longitudes: np.ndarray) -> LongitudeArc:
    """The shortest arc holding every longitude (degrees): the circle less its largest gap.

    The longitudes are wrapped into [-180, 180) and sorted; the largest gap between
    neighbours, the one from the last round to the first included (``first + 360 - last``),
    is the part of the circle the arc leaves out. O(n log n).

    Raises:
        ValueError: no longitude, or one that is not finite.
    """
    values = np.asarray(longitudes, dtype=np.float64).ravel()
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError("Longitudes must be finite numbers, at least one.")
    ordered = np.unique(wrap_longitude(values))
    gaps = np.diff(np.concatenate([ordered, [ordered[0] + 360.0]]))
    widest = int(np.argmax(gaps))
    west = float(ordered[(widest + 1) % len(ordered)])
    return LongitudeArc(west=west, span=float(360.0 - gaps[widest]))


def utm_zone(longitude: float) -> int:
    """UTM zone (1 to 60) of a longitude (degrees): ``floor((lon + 180) / 6) + 1``."""
    return int(math.floor((wrap_longitude(longitude) + 180.0) / UTM_ZONE_WIDTH_DEGREES)) % 60 + 1


def utm_central_meridian(zone: int) -> float:
    """Central meridian of a UTM zone (degrees): ``6 zone - 183``."""
    return UTM_ZONE_WIDTH_DEGREES * zone - 183.0


def local_projection(longitudes: np.ndarray, latitudes: np.ndarray) -> LocalProjection:
    """The projected CRS for points at ``longitudes``, ``latitudes`` (degrees; see the module).

    Raises:
        ValueError: no point, coordinates that are not finite, or latitudes beyond ±90.
    """
    latitudes = np.asarray(latitudes, dtype=np.float64).ravel()
    if latitudes.size == 0 or not np.isfinite(latitudes).all():
        raise ValueError("Latitudes must be finite numbers, at least one.")
    lat_min, lat_max = float(latitudes.min()), float(latitudes.max())
    if lat_min < -90.0 or lat_max > 90.0:
        raise ValueError(f"Latitudes must lie within -90 to 90 degrees, not {lat_min}..{lat_max}.")
    arc = longitude_arc(longitudes)
    lat_centre = (lat_min + lat_max) / 2
    zone = utm_zone(arc.centre)
    meridian = utm_central_meridian(zone)
    half_reach = UTM_ZONE_WIDTH_DEGREES / 2 + UTM_MARGIN_DEGREES
    west_offset = float(wrap_longitude(arc.west - meridian))
    east_offset = west_offset + arc.span
    fits_zone = -half_reach <= west_offset and east_offset <= half_reach
    if fits_zone and UTM_SOUTH_LIMIT <= lat_min and lat_max <= UTM_NORTH_LIMIT:
        north = lat_centre >= 0
        return LocalProjection(
            definition=f"EPSG:{(32600 if north else 32700) + zone}",
            utm_zone=zone,
            north=north,
            arc=arc,
            lat_min=lat_min,
            lat_max=lat_max,
        )
    definition = (
        f"+proj=laea +lat_0={lat_centre:.6f} +lon_0={arc.centre:.6f} +x_0=0 +y_0=0 "
        "+datum=WGS84 +units=m +no_defs +type=crs"
    )
    return LocalProjection(
        definition=definition,
        utm_zone=None,
        north=lat_centre >= 0,
        arc=arc,
        lat_min=lat_min,
        lat_max=lat_max,
    )


def largest_scale_error(
    projection: LocalProjection, longitudes: np.ndarray, latitudes: np.ndarray
) -> float:
    """The largest relative error of distances measured in ``projection`` near the points.

    On the sphere (the ellipsoid changes these by a fraction of a percent of themselves):

    * UTM: the point scale ``k = 0.9996 (1 + q²/2)``, ``q`` the angular distance from the
      central meridian (``sin q = cos(lat) sin(lon - lon_0)``); the error is ``|k - 1|``;
    * Lambert azimuthal equal-area: at angular distance ``c`` from the centre, radial
      distances are scaled by ``cos(c/2)`` and transverse ones by ``1 / cos(c/2)``; the error
      is ``1 / cos(c/2) - 1``.

    Args:
        projection: what :func:`local_projection` chose for these points.
        longitudes, latitudes: the points (degrees).

    Returns:
        The largest error over the points, as a fraction (0.003 is 0.3 %).
    """
    lon = np.radians(np.asarray(longitudes, dtype=np.float64))
    lat = np.radians(np.asarray(latitudes, dtype=np.float64))
    if projection.utm_zone is not None:
        meridian = math.radians(utm_central_meridian(projection.utm_zone))
        sin_q = np.cos(lat) * np.sin(lon - meridian)
        q_squared = np.arcsin(np.clip(sin_q, -1.0, 1.0)) ** 2
        scale = 0.9996 * (1.0 + q_squared / 2.0)
        return float(np.max(np.abs(scale - 1.0)))
    lon_0 = math.radians(projection.arc.centre)
    lat_0 = math.radians((projection.lat_min + projection.lat_max) / 2)
    cos_c = math.sin(lat_0) * np.sin(lat) + math.cos(lat_0) * np.cos(lat) * np.cos(lon - lon_0)
    half_angle = np.arccos(np.clip(cos_c, -1.0, 1.0)) / 2.0
    return float(np.max(1.0 / np.cos(half_angle) - 1.0))
