"""Polygon layer -> the rings of a study area, in the CRS of the output grid.

Every feature's geometry is transformed to the destination CRS (``QgsCoordinateTransform`` with
the Processing context's transform context), curves made straight segments, Z and M dropped;
then checked with GEOS and, when invalid, made valid (``QgsGeometry.makeValid``: the parts
that are not polygons, such as collapsed lines, are dropped) or refused; then all features are
dissolved into one (multi)polygon (``QgsGeometry.unaryUnion``), so that overlapping features
count once. Its exterior rings and holes are the rings ``core.edges`` takes (even-odd rule:
valid, dissolved polygons are exactly that). A feature whose geometry is NULL, empty, or has no
polygon left after repair is skipped and counted.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsCsException,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsGeometry,
    QgsWkbTypes,
)

from .core import Cancelled

ProgressCallback = Callable[[float], bool]
"""Called with the fraction of features read (0..1); returning False cancels the read."""


class StudyAreaReason(Enum):
    """Why a study area layer was refused; the facts each reason carries are listed with it."""

    #: ``geometry_type`` (QgsWkbTypes.GeometryType of the layer, an int): not polygons.
    NOT_POLYGONS = "not a polygon layer"
    #: ``feature_id``, ``error`` (GEOS's or makeValid's message, a str): an invalid geometry
    #: with ``make_valid`` off, or one that makeValid could not repair.
    INVALID_GEOMETRY = "invalid geometry"
    #: ``feature_id``, ``error`` (PROJ's message): the geometry could not be transformed.
    TRANSFORM_FAILED = "transform failed"
    #: ``features_read``, ``skipped``: no feature left an area.
    NO_AREA = "no area"


class StudyAreaRefused(Exception):  # noqa: N818 (a refusal with facts, worded by the caller)
    """A study area layer that cannot be used: ``reason`` and the ``facts`` listed with it."""

    def __init__(self, reason: StudyAreaReason, message: str, **facts: object) -> None:
        super().__init__(message)
        self.reason = reason
        self.facts = facts


@dataclass(frozen=True)
class StudyArea:
    """The dissolved polygons of a layer, as rings in the destination CRS."""

    rings: list[np.ndarray]
    """float64 ``(n, 2)`` arrays of x, y (destination map units): exterior rings and holes,
    closed (last vertex = first)."""
    features_read: int
    """Features the reader saw, skipped ones included."""
    skipped: int
    """Features with a NULL or empty geometry, or nothing polygonal left after repair."""
    repaired: int
    """Invalid geometries made valid (and used)."""
    area: float
    """Area of the dissolved polygons (destination map units², planar)."""


def read_study_area(
    source: QgsFeatureSource,
    destination_crs: QgsCoordinateReferenceSystem,
    transform_context: QgsCoordinateTransformContext,
    *,
    make_valid: bool = True,
    progress: ProgressCallback | None = None,
) -> StudyArea:
    """Read ``source``'s polygons into rings in ``destination_crs``.

    Args:
        source: a polygon feature source (any CRS; one without a valid CRS, or with the
            destination's, is taken as it is).
        destination_crs: the CRS of the output grid.
        transform_context: the Processing context's ``transformContext()``.
        make_valid: repair invalid geometries (True) or refuse them (False).
        progress: called with the fraction of features read at least every 1000 features;
            returning False raises ``core.Cancelled``.

    Raises:
        StudyAreaRefused: see :class:`StudyAreaReason`.
        Cancelled: the progress callback returned False.
    """
    geometry_type = QgsWkbTypes.geometryType(source.wkbType())
    if geometry_type != QgsWkbTypes.PolygonGeometry:
        raise StudyAreaRefused(
            StudyAreaReason.NOT_POLYGONS,
            "The study area layer does not hold polygons.",
            geometry_type=int(geometry_type),
        )
    source_crs = source.sourceCrs()
    transform = None
    if source_crs.isValid() and destination_crs.isValid() and source_crs != destination_crs:
        transform = QgsCoordinateTransform(source_crs, destination_crs, transform_context)
    request = QgsFeatureRequest().setNoAttributes()
    total = max(source.featureCount(), 1)
    parts: list[QgsGeometry] = []
    features_read = skipped = repaired = 0
    for feature in source.getFeatures(request):
        features_read += 1
        if progress is not None and features_read % 1000 == 0:
            if not progress(min(features_read / total, 1.0)):
                raise Cancelled("reading the study area cancelled")
        geometry = QgsGeometry(feature.geometry())
        if geometry.isNull() or geometry.isEmpty():
            skipped += 1
            continue
        if transform is not None:
            try:
                geometry.transform(transform)
            except QgsCsException as error:
                raise StudyAreaRefused(
                    StudyAreaReason.TRANSFORM_FAILED,
                    f"Feature {feature.id()} of the study area could not be transformed: {error}",
                    feature_id=feature.id(),
                    error=str(error),
                ) from error
        geometry = _straight_two_dimensional(geometry)
        if not geometry.isGeosValid():
            if not make_valid:
                raise _invalid(feature.id(), geometry.lastError() or "not valid")
            geometry = geometry.makeValid()
            if geometry.isNull() or not geometry.isGeosValid():
                raise _invalid(feature.id(), geometry.lastError() or "could not be made valid")
            repaired += 1
        geometry = _polygonal_part(geometry)
        if geometry is None:
            skipped += 1
            continue
        parts.append(geometry)
    if progress is not None and not progress(1.0):
        raise Cancelled("reading the study area cancelled")
    dissolved = QgsGeometry.unaryUnion(parts) if parts else QgsGeometry()
    rings = [] if dissolved.isNull() or dissolved.isEmpty() else _rings_of(dissolved)
    area = dissolved.area() if rings else 0.0
    if not area > 0:
        raise StudyAreaRefused(
            StudyAreaReason.NO_AREA,
            f"None of the {features_read} features of the study area has an area "
            f"({skipped} without a polygon).",
            features_read=features_read,
            skipped=skipped,
        )
    return StudyArea(
        rings=rings, features_read=features_read, skipped=skipped, repaired=repaired, area=area
    )


def _invalid(feature_id: int, error: str) -> StudyAreaRefused:
    return StudyAreaRefused(
        StudyAreaReason.INVALID_GEOMETRY,
        f"Feature {feature_id} of the study area is not a valid polygon: {error}",
        feature_id=feature_id,
        error=error,
    )


def _straight_two_dimensional(geometry: QgsGeometry) -> QgsGeometry:
    """The geometry with curves as straight segments, without Z and M."""
    geometry = QgsGeometry(geometry)
    geometry.convertToStraightSegment()
    geometry.get().dropZValue()
    geometry.get().dropMValue()
    return geometry


def _polygonal_part(geometry: QgsGeometry) -> QgsGeometry | None:
    """The polygons of a geometry (makeValid may add lines or points); None if there are none."""
    if QgsWkbTypes.geometryType(geometry.wkbType()) == QgsWkbTypes.PolygonGeometry:
        return None if geometry.isEmpty() else geometry
    polygons = [
        QgsGeometry(part.clone())
        for part in geometry.constParts()
        if QgsWkbTypes.geometryType(part.wkbType()) == QgsWkbTypes.PolygonGeometry
        and not part.isEmpty()
    ]
    if not polygons:
        return None
    return QgsGeometry.collectGeometry(polygons)


def _rings_of(geometry: QgsGeometry) -> list[np.ndarray]:
    """Rings of a 2-D Polygon or MultiPolygon, decoded from its WKB (ISO, 2-D)."""
    blob = bytes(geometry.asWkb())
    rings: list[np.ndarray] = []
    offset = _read_polygons(blob, 0, rings)
    if offset != len(blob):
        raise ValueError(f"Unexpected WKB: {len(blob) - offset} bytes left.")
    return rings


def _read_polygons(blob: bytes, offset: int, rings: list[np.ndarray]) -> int:
    """Append the rings of the (Multi)Polygon at ``offset``; return the offset after it."""
    order = "<" if blob[offset] == 1 else ">"
    (wkb_type,) = struct.unpack_from(order + "I", blob, offset + 1)
    offset += 5
    if wkb_type == 6:  # MultiPolygon
        (count,) = struct.unpack_from(order + "I", blob, offset)
        offset += 4
        for _ in range(count):
            offset = _read_polygons(blob, offset, rings)
        return offset
    if wkb_type != 3:
        raise ValueError(f"Expected a 2-D Polygon or MultiPolygon, not WKB type {wkb_type}.")
    (ring_count,) = struct.unpack_from(order + "I", blob, offset)
    offset += 4
    for _ in range(ring_count):
        (points,) = struct.unpack_from(order + "I", blob, offset)
        offset += 4
        coordinates = np.frombuffer(blob, dtype=order + "f8", count=2 * points, offset=offset)
        rings.append(coordinates.astype(np.float64).reshape(points, 2))
        offset += 16 * points
    return offset
