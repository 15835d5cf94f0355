"""The CRS a heatmap is computed in, and the points moved into it.

Distances (radius, cell size) are taken in the *computation CRS*:

* ``OUTPUT_CRS`` when the user gave one (``Choice.OUTPUT_CRS``);
* otherwise the layer's CRS when it is projected (``Choice.LAYER``: the native tool's rule);
* otherwise, for a layer in longitude/latitude, a projected CRS in metres chosen for the points
  by :func:`core.projection.local_projection` (``Choice.UTM`` or ``Choice.LAEA``);
* with the geodesic method, longitude/latitude: ``OUTPUT_CRS`` if given (it must then be
  geographic), else WGS 84 (``Choice.GEODESIC``); distances are then metres on the ellipsoid.

Points are transformed with QGIS's own coordinate transform (the project's datum
transformations apply), a chunk of ``TRANSFORM_CHUNK`` points at a time, through one
``QgsGeometry`` line string per chunk: its ``transform`` runs PROJ over the whole array in C++
(1e6 points in about 0.35 s here), with no Python loop over points.
"""

from __future__ import annotations

import enum
import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsGeometry,
    QgsPointXY,
)

from .core import Cancelled
from .core.projection import LocalProjection, largest_scale_error, local_projection

TRANSFORM_CHUNK = 1 << 18
"""Points transformed at a time (bounds the temporary WKB to 4 MB)."""
SCALE_ERROR_WARNING = 0.01
"""Automatic projections whose distances are off by more than this near the points (as a
fraction) are warned about."""
WGS84 = "EPSG:4326"
"""Longitude/latitude on WGS 84: where points go to choose a projection, and the geodesic
method's CRS when no OUTPUT_CRS is given."""


class Choice(enum.Enum):
    """Why a computation CRS was chosen."""

    LAYER = "layer"
    """The layer's own projected CRS."""
    OUTPUT_CRS = "output_crs"
    """The OUTPUT_CRS parameter."""
    UTM = "utm"
    """The UTM zone of a longitude/latitude layer's points."""
    LAEA = "laea"
    """A Lambert azimuthal equal-area CRS centred on a longitude/latitude layer's points."""
    GEODESIC = "geodesic"
    """Longitude/latitude on WGS 84, for the geodesic method."""


class CrsProblem(enum.Enum):
    """Why a CRS cannot be used; the algorithm words the message."""

    INVALID_OUTPUT_CRS = "invalid_output_crs"
    GEOGRAPHIC_OUTPUT_CRS = "geographic_output_crs"
    """A planar computation asked for in longitude/latitude."""
    PROJECTED_OUTPUT_CRS_FOR_GEODESIC = "projected_output_crs_for_geodesic"
    """The geodesic method's grid is regular in longitude/latitude."""
    INVALID_LAYER_CRS = "invalid_layer_crs"
    """The layer has no (valid) CRS but the computation needs to transform its points."""
    TRANSFORM_FAILED = "transform_failed"
    LATITUDE_OUT_OF_RANGE = "latitude_out_of_range"


class CrsError(ValueError):
    """A CRS that cannot be used, or points that cannot be transformed.

    Attributes:
        problem: the reason.
        detail: PROJ's message or the offending values, for the log ('' when none).
    """

    def __init__(self, problem: CrsProblem, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {detail}" if detail else problem.value)
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class ComputationCrs:
    """The CRS of the computation and of the raster, and why it was chosen."""

    crs: QgsCoordinateReferenceSystem
    choice: Choice
    projection: LocalProjection | None = None
    """The automatic projection's reasons (``Choice.UTM`` / ``Choice.LAEA`` only)."""
    scale_error: float = 0.0
    """With an automatic projection, the largest relative error of distances near the points
    (``core.projection.largest_scale_error``)."""

    @property
    def transforms_points(self) -> bool:
        """Whether the points must be moved out of the layer's CRS."""
        return self.choice != Choice.LAYER


def check_output_crs(output_crs: QgsCoordinateReferenceSystem, *, geodesic: bool) -> None:
    """Raise ``CrsError`` unless ``output_crs`` (valid or not set) suits the method.

    An unset CRS (``QgsCoordinateReferenceSystem()``, not valid) passes: it means "choose".
    """
    if not output_crs.isValid():
        return
    if geodesic and not output_crs.isGeographic():
        raise CrsError(CrsProblem.PROJECTED_OUTPUT_CRS_FOR_GEODESIC, output_crs.authid())
    if not geodesic and output_crs.isGeographic():
        raise CrsError(CrsProblem.GEOGRAPHIC_OUTPUT_CRS, output_crs.authid())


def transforms_points(
    layer_crs: QgsCoordinateReferenceSystem,
    output_crs: QgsCoordinateReferenceSystem,
    *,
    geodesic: bool,
) -> bool:
    """Whether :func:`computation_crs` will choose another CRS than the layer's (known before
    the points are read)."""
    if output_crs.isValid():
        return output_crs != layer_crs
    if geodesic:
        return layer_crs != QgsCoordinateReferenceSystem(WGS84)
    return layer_crs.isGeographic()


def needs_choice(
    layer_crs: QgsCoordinateReferenceSystem,
    output_crs: QgsCoordinateReferenceSystem,
    *,
    geodesic: bool,
) -> bool:
    """Whether the computation CRS depends on the points (an automatic projection)."""
    return not geodesic and not output_crs.isValid() and layer_crs.isGeographic()


def computation_crs(
    layer_crs: QgsCoordinateReferenceSystem,
    output_crs: QgsCoordinateReferenceSystem,
    *,
    geodesic: bool,
    longitudes: np.ndarray | None = None,
    latitudes: np.ndarray | None = None,
) -> ComputationCrs:
    """The CRS to compute in (see the module); ``longitudes``/``latitudes`` (degrees, WGS 84)
    are needed when :func:`needs_choice` is true.

    Raises:
        CrsError: ``INVALID_OUTPUT_CRS`` for a set but unusable OUTPUT_CRS, the problems of
            :func:`check_output_crs`, ``LATITUDE_OUT_OF_RANGE`` for latitudes beyond ±90.
    """
    check_output_crs(output_crs, geodesic=geodesic)
    if output_crs.isValid():
        same = output_crs == layer_crs
        return ComputationCrs(output_crs, Choice.LAYER if same else Choice.OUTPUT_CRS)
    if geodesic:
        wgs84 = QgsCoordinateReferenceSystem(WGS84)
        return ComputationCrs(wgs84, Choice.LAYER if layer_crs == wgs84 else Choice.GEODESIC)
    if not layer_crs.isGeographic():
        return ComputationCrs(layer_crs, Choice.LAYER)
    if longitudes is None or latitudes is None:
        raise ValueError("A geographic layer's points are needed to choose its projection.")
    try:
        projection = local_projection(longitudes, latitudes)
    except ValueError as error:
        raise CrsError(CrsProblem.LATITUDE_OUT_OF_RANGE, str(error)) from None
    if projection.utm_zone is not None:
        crs = QgsCoordinateReferenceSystem(projection.definition)
        choice = Choice.UTM
    else:
        crs = QgsCoordinateReferenceSystem.fromProj(projection.definition)
        choice = Choice.LAEA
    if not crs.isValid():  # the PROJ database is missing: nothing else would work either
        raise CrsError(CrsProblem.TRANSFORM_FAILED, projection.definition)
    return ComputationCrs(
        crs, choice, projection, largest_scale_error(projection, longitudes, latitudes)
    )


def transform_points(
    x: np.ndarray,
    y: np.ndarray,
    source_crs: QgsCoordinateReferenceSystem,
    destination_crs: QgsCoordinateReferenceSystem,
    transform_context: QgsCoordinateTransformContext,
    *,
    out: tuple[np.ndarray, np.ndarray] | None = None,
    progress: Callable[[float], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``x``, ``y`` (float64, ``source_crs`` units) in ``destination_crs``.

    Written into ``out`` (which may be ``(x, y)`` themselves: the points are transformed in
    place) or new arrays. ``progress`` gets the fraction done after each chunk; returning False
    raises ``Cancelled``.

    Raises:
        CrsError: ``INVALID_LAYER_CRS`` when either CRS is not valid, ``TRANSFORM_FAILED`` when
            PROJ fails for a point or returns a non-finite coordinate (``detail`` says which).
    """
    if not (source_crs.isValid() and destination_crs.isValid()):
        raise CrsError(CrsProblem.INVALID_LAYER_CRS)
    if out is None:
        out = (np.empty_like(x, dtype=np.float64), np.empty_like(y, dtype=np.float64))
    transform = QgsCoordinateTransform(source_crs, destination_crs, transform_context)
    count = len(x)
    chunk_xy = np.empty((min(count, TRANSFORM_CHUNK), 2), dtype="<f8")
    for start in range(0, count, TRANSFORM_CHUNK):
        part = slice(start, min(start + TRANSFORM_CHUNK, count))
        size = part.stop - part.start
        chunk_xy[:size, 0] = x[part]
        chunk_xy[:size, 1] = y[part]
        transformed = _transformed_line(chunk_xy[:size], transform)
        if not np.isfinite(transformed).all():
            bad = start + int(np.flatnonzero(~np.isfinite(transformed).all(axis=1))[0])
            raise CrsError(CrsProblem.TRANSFORM_FAILED, f"{x[bad]!r}, {y[bad]!r}")
        out[0][part] = transformed[:, 0]
        out[1][part] = transformed[:, 1]
        if progress is not None and not progress(part.stop / count):
            raise Cancelled()
    return out


def _transformed_line(xy: np.ndarray, transform: QgsCoordinateTransform) -> np.ndarray:
    """The (n, 2) coordinates ``xy`` transformed, as one line string (a point for n = 1).

    Raises ``CrsError(TRANSFORM_FAILED)`` naming the first point PROJ refuses.
    """
    if len(xy) == 1:  # a line string needs two vertices: repeat the point
        return _transformed_line(np.repeat(xy, 2, axis=0), transform)[:1]
    wkb_line_string = 2
    header = struct.pack("<BII", 1, wkb_line_string, len(xy))
    geometry = QgsGeometry()
    geometry.fromWkb(header + xy.tobytes())
    try:
        geometry.transform(transform)
    except QgsCsException as error:
        detail = _first_failure(xy, transform, str(error))
        raise CrsError(CrsProblem.TRANSFORM_FAILED, detail) from None
    return np.frombuffer(geometry.asWkb(), dtype="<f8", offset=len(header)).reshape(-1, 2)


def _first_failure(xy: np.ndarray, transform: QgsCoordinateTransform, message: str) -> str:
    """The first point of ``xy`` that ``transform`` refuses, with PROJ's ``message``."""
    for x, y in xy:
        try:
            transform.transform(QgsPointXY(float(x), float(y)))
        except QgsCsException:
            return f"{x!r}, {y!r} ({message})"
    return message
