"""Point layer -> NumPy arrays of coordinates, weights and radii.

Two readers give identical arrays:

* ``read_points_bulk`` reads a file-based OGR layer through GDAL's Arrow stream
  (``ogr.Layer.GetArrowStreamAsNumPy``) and decodes the WKB geometries with NumPy. It is
  used only when the Processing source is the whole file layer: no selection, no subset
  string, no feature limit, no filter, no unsaved edits (see ``bulk_location``).
* ``read_points_iterated`` walks ``QgsFeatureSource.getFeatures`` fetching only the needed
  attributes, and so honours everything Processing puts between the layer and the algorithm.

Rules shared by both: multipoints contribute every part; Z and M are ignored; a part with a
NaN coordinate is an empty point and left out. A feature is skipped, and counted under the first
reason that applies (the order of ``SkippedFeatures``), when its geometry is NULL, empty, not a
point or a WKB blob GDAL cannot read; when one of its points has an infinite coordinate; when its
weight is NULL, or NaN or infinite; when its radius is NULL, or NaN or infinite; or when its
radius is zero or negative. Coordinates are in the layer's CRS units.

Malformed WKB (truncated blobs, part counts larger than the blob, unknown byte orders or types)
reaches the bulk reader as raw bytes: it decodes them the way GDAL's ``createFromWkb`` does for
the feature iterator, so both readers keep the same points.
"""

from __future__ import annotations

import math
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
from osgeo import ogr
from qgis.core import (
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsGeometry,
    QgsProcessingFeatureSourceDefinition,
    QgsProviderRegistry,
    QgsVectorLayer,
    QgsWkbTypes,
)

from .core import Cancelled

ProgressCallback = Callable[[float], bool]
"""Called with the fraction of features read (0..1); returning False cancels the read."""

BULK_BATCH_FEATURES = 16384
"""Features per Arrow batch: bounds the temporary WKB decoding arrays to a few MB."""


@dataclass(frozen=True)
class SkippedFeatures:
    """Counts of features left out of the density, by the first reason that applies.

    The reasons are tested in the order of the fields.
    """

    no_point_geometry: int = 0
    """Geometry NULL, empty (or only empty parts), not a point / multipoint, or unreadable WKB."""
    non_finite_coordinates: int = 0
    """A point (or a part of a multipoint) with an infinite x or y."""
    null_weight: int = 0
    """Weight field NULL (or a value that is not a number)."""
    non_finite_weight: int = 0
    """Weight field NaN, +inf or -inf."""
    null_radius: int = 0
    """Radius field NULL (or a value that is not a number)."""
    non_finite_radius: int = 0
    """Radius field NaN, +inf or -inf."""
    non_positive_radius: int = 0
    """Radius field zero or negative."""

    @property
    def total(self) -> int:
        """All skipped features."""
        return sum(getattr(self, field.name) for field in fields(self))


@dataclass(frozen=True)
class PointArrays:
    """The points of a layer as flat arrays, one entry per point (per part of a multipoint)."""

    x: np.ndarray
    """float64 (n,), map units of the layer's CRS."""
    y: np.ndarray
    """float64 (n,), map units of the layer's CRS."""
    weight: np.ndarray | None
    """float64 (n,) values of the weight field, or None when no weight field is used."""
    radius: np.ndarray | None
    """float64 (n,) values of the radius field in map units (all > 0), or None without one."""
    features_read: int
    """Features the reader saw, skipped ones included."""
    skipped: SkippedFeatures
    largest_radius_feature: int | None = None
    """Feature ID (QGIS's, which is GDAL's FID for OGR layers) of the first feature read whose
    radius is the largest of the kept points; None without a radius field or without points."""

    @property
    def count(self) -> int:
        """Number of points (multipoint parts count one each)."""
        return int(self.x.size)


@dataclass(frozen=True)
class OgrLayerLocation:
    """Where GDAL finds a layer: a file path and a layer name (or index when unnamed)."""

    path: str
    layer_name: str | None
    layer_index: int


def bulk_location(layer: QgsVectorLayer | None, parameter_value: object) -> OgrLayerLocation | None:
    """Return the OGR file of ``layer`` when the bulk reader sees exactly what Processing would.

    ``parameter_value`` is the raw INPUT parameter value; a ``QgsProcessingFeatureSourceDefinition``
    asking for selected features only, a feature limit or a filter expression rules the bulk
    reader out, as do a non-OGR provider, a subset string, unsaved edits or a non-file source.
    """
    if layer is None or layer.providerType() != "ogr" or layer.subsetString():
        return None
    if layer.isModified():
        return None
    if isinstance(parameter_value, QgsProcessingFeatureSourceDefinition):
        if parameter_value.selectedFeaturesOnly or parameter_value.featureLimit not in (-1, None):
            return None
        if getattr(parameter_value, "filterExpression", ""):  # QGIS >= 3.32
            return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source())
    path = parts.get("path") or ""
    if parts.get("subset") or not os.path.isfile(path):
        return None
    layer_id = parts.get("layerId")
    return OgrLayerLocation(
        path=path,
        layer_name=parts.get("layerName") or None,
        layer_index=int(layer_id) if layer_id not in (None, "") else 0,
    )


def read_points(
    source: QgsFeatureSource,
    location: OgrLayerLocation | None,
    *,
    weight_field: str = "",
    radius_field: str = "",
    progress: ProgressCallback | None = None,
) -> tuple[PointArrays, bool]:
    """Read ``source`` in bulk from ``location`` when possible, else through its iterator.

    Returns the arrays and whether the bulk reader was used. The bulk reader falls back to the
    iterator when GDAL cannot open the layer or lacks one of the fields.
    """
    if location is not None:
        points = read_points_bulk(
            location, weight_field=weight_field, radius_field=radius_field, progress=progress
        )
        if points is not None:
            return points, True
    points = read_points_iterated(
        source, weight_field=weight_field, radius_field=radius_field, progress=progress
    )
    return points, False


def read_points_iterated(
    source: QgsFeatureSource,
    *,
    weight_field: str = "",
    radius_field: str = "",
    progress: ProgressCallback | None = None,
) -> PointArrays:
    """Read points through ``source.getFeatures``, fetching only the weight and radius fields.

    Raises ``core.Cancelled`` when ``progress`` returns False.
    """
    source_fields = source.fields()
    wanted = [name for name in (weight_field, radius_field) if name]
    request = QgsFeatureRequest().setSubsetOfAttributes(
        [source_fields.lookupField(name) for name in wanted]
    )
    weight_index = source_fields.lookupField(weight_field) if weight_field else -1
    radius_index = source_fields.lookupField(radius_field) if radius_field else -1
    total = max(source.featureCount(), 1)

    x: list[float] = []
    y: list[float] = []
    weight: list[float] = []
    radius: list[float] = []
    counts = dict.fromkeys((field.name for field in fields(SkippedFeatures)), 0)
    largest_radius = -math.inf
    largest_radius_feature = None
    features_read = 0
    for feature in source.getFeatures(request):
        features_read += 1
        if progress is not None and features_read % 10000 == 0:
            if not progress(min(features_read / total, 1.0)):
                raise Cancelled("reading points cancelled")
        parts = point_parts(feature.geometry())
        if not parts:
            counts["no_point_geometry"] += 1
            continue
        if any(math.isinf(part_x) or math.isinf(part_y) for part_x, part_y in parts):
            counts["non_finite_coordinates"] += 1
            continue
        feature_weight = (
            attribute_number(feature.attribute(weight_index)) if weight_index >= 0 else 1.0
        )
        if feature_weight is None:
            counts["null_weight"] += 1
            continue
        if not math.isfinite(feature_weight):
            counts["non_finite_weight"] += 1
            continue
        feature_radius = (
            attribute_number(feature.attribute(radius_index)) if radius_index >= 0 else 1.0
        )
        if feature_radius is None:
            counts["null_radius"] += 1
            continue
        if not math.isfinite(feature_radius):
            counts["non_finite_radius"] += 1
            continue
        if feature_radius <= 0:
            counts["non_positive_radius"] += 1
            continue
        if radius_index >= 0 and feature_radius > largest_radius:
            largest_radius, largest_radius_feature = feature_radius, feature.id()
        for part_x, part_y in parts:
            x.append(part_x)
            y.append(part_y)
            weight.append(feature_weight)
            radius.append(feature_radius)
    if progress is not None and not progress(1.0):
        raise Cancelled("reading points cancelled")
    return PointArrays(
        x=np.asarray(x, dtype=np.float64),
        y=np.asarray(y, dtype=np.float64),
        weight=np.asarray(weight, dtype=np.float64) if weight_field else None,
        radius=np.asarray(radius, dtype=np.float64) if radius_field else None,
        features_read=features_read,
        skipped=SkippedFeatures(**counts),
        largest_radius_feature=largest_radius_feature,
    )


def read_points_bulk(
    location: OgrLayerLocation,
    *,
    weight_field: str = "",
    radius_field: str = "",
    progress: ProgressCallback | None = None,
) -> PointArrays | None:
    """Read points with GDAL's Arrow stream; None when GDAL cannot serve this layer/fields.

    Raises ``core.Cancelled`` when ``progress`` returns False (checked after every batch).
    """
    wanted = [name for name in (weight_field, radius_field) if name]
    try:  # GDAL returns None or raises RuntimeError, depending on ogr.UseExceptions()
        opened = _open_arrow_stream(location, wanted)
    except RuntimeError:
        opened = None
    if opened is None:
        return None
    dataset, ogr_layer, stream = opened  # holding the dataset keeps ogr_layer valid
    geometry_key = ogr_layer.GetGeometryColumn() or "wkb_geometry"
    fid_key = ogr_layer.GetFIDColumn() or "OGC_FID"
    total = max(ogr_layer.GetFeatureCount(), 1)

    names = ["x", "y"] + (["weight"] if weight_field else []) + (["radius"] if radius_field else [])
    columns = _Columns(names, capacity=max(ogr_layer.GetFeatureCount(), 0))
    reasons = [field.name for field in fields(SkippedFeatures)]
    counts = np.zeros(len(reasons), dtype=np.int64)
    largest_radius = -np.inf
    largest_radius_feature = None
    features_read = 0
    for batch in stream:
        if geometry_key not in batch or (radius_field and fid_key not in batch):
            return None  # a driver naming its columns differently: use the iterator
        geometries = batch[geometry_key]
        n_features = len(geometries)
        features_read += n_features
        x, y, owner = points_from_wkb(geometries)

        has_point = np.zeros(n_features, dtype=bool)
        has_point[owner] = True
        has_infinite_point = np.zeros(n_features, dtype=bool)
        has_infinite_point[owner[np.isinf(x) | np.isinf(y)]] = True
        weight, weight_null = _field_as_float(batch, weight_field, n_features)
        radius, radius_null = _field_as_float(batch, radius_field, n_features)
        conditions = {"no_point_geometry": ~has_point, "non_finite_coordinates": has_infinite_point}
        if weight_field:
            conditions["null_weight"] = weight_null
            conditions["non_finite_weight"] = ~np.isfinite(weight)
        if radius_field:
            conditions["null_radius"] = radius_null
            conditions["non_finite_radius"] = ~np.isfinite(radius)
            conditions["non_positive_radius"] = radius <= 0
        reason = np.select(
            list(conditions.values()), [1 + reasons.index(name) for name in conditions], default=0
        )
        counts += np.bincount(reason, minlength=len(reasons) + 1)[1:]
        feature_kept = reason == 0
        if radius_field:
            kept_radius = np.where(feature_kept, radius, -np.inf)
            batch_largest = int(np.argmax(kept_radius))
            if kept_radius[batch_largest] > largest_radius:
                largest_radius = kept_radius[batch_largest]
                largest_radius_feature = int(batch[fid_key][batch_largest])
        kept = feature_kept[owner]
        columns.append(x=x[kept], y=y[kept], weight=weight[owner][kept], radius=radius[owner][kept])
        if progress is not None and not progress(min(features_read / total, 1.0)):
            raise Cancelled("reading points cancelled")
    return PointArrays(
        x=columns["x"],
        y=columns["y"],
        weight=columns["weight"] if weight_field else None,
        radius=columns["radius"] if radius_field else None,
        features_read=features_read,
        skipped=SkippedFeatures(**{name: int(count) for name, count in zip(reasons, counts)}),
        largest_radius_feature=largest_radius_feature,
    )


def _open_arrow_stream(location: OgrLayerLocation, wanted: list[str]) -> tuple | None:
    """(dataset, layer, Arrow-as-NumPy stream) reading only the ``wanted`` fields, or None.

    The dataset is returned too: an OGR layer must not outlive its dataset.
    """
    dataset = ogr.Open(location.path, 0)
    if dataset is None:
        return None
    if location.layer_name:
        ogr_layer = dataset.GetLayerByName(location.layer_name)
    else:
        ogr_layer = dataset.GetLayer(location.layer_index)
    if ogr_layer is None:
        return None
    definition = ogr_layer.GetLayerDefn()
    field_names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    if any(name not in field_names for name in wanted):
        return None  # e.g. the GeoPackage 'fid' column, a QGIS field but no OGR field
    if ogr_layer.SetIgnoredFields([name for name in field_names if name not in wanted]) != 0:
        return None
    # Keep the FID column: GDAL 3.6's GeoPackage reader returns empty geometries when every
    # attribute field is ignored and the FID is left out.
    stream = ogr_layer.GetArrowStreamAsNumPy(
        options=[f"MAX_FEATURES_IN_BATCH={BULK_BATCH_FEATURES}"]
    )
    return None if stream is None else (dataset, ogr_layer, stream)


_WKB_POINT = 1
"""Flat geometry type of a WKB point."""
_WKB_MULTIPOINT = 4
"""Flat geometry type of a WKB multipoint."""
_SMALLEST_WKB_POINT = 21
"""Bytes of a 2D WKB point: byte order (1), type (4), x and y (8 each)."""


def points_from_wkb(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode a column of ISO / extended WKB points and multipoints without a per-feature loop.

    ``geometries`` is a geometry column of GDAL's Arrow-as-NumPy stream: an object array of
    ``bytes`` (None for NULL), or a fixed-width ``void`` array when all blobs have one length,
    either possibly masked (masked = NULL). Returns ``x``, ``y`` (float64, one entry per
    non-empty point, map units) and ``owner``, the row each point came from, in row order.
    Z and M are skipped; NULL rows, empty points (a NaN coordinate), empty multipoints, other
    geometry types and every blob GDAL's ``OGRGeometryFactory::createFromWkb`` refuses yield no
    point: too short for its type, an unknown byte order or type, a multipoint claiming more parts
    than its bytes hold or holding a part that is not a complete point. Like GDAL, bytes after
    the geometry are ignored and each part of a multipoint has its own byte order and Z / M.
    """
    data = np.ma.getdata(geometries)
    null = np.ma.getmaskarray(geometries)
    single_points = _little_endian_single_points(data, null)
    if single_points is not None:
        return single_points
    buffer, starts, lengths = _concatenated_blobs(data, null)
    rows = np.flatnonzero(lengths >= 9)  # GDAL reads 9 bytes before knowing the type
    kind, dimensions, little_endian = _wkb_headers(buffer, starts[rows])
    is_point = (kind == _WKB_POINT) & (lengths[rows] >= 5 + 8 * dimensions)
    is_multi = kind == _WKB_MULTIPOINT
    part_offsets, part_little, part_owner = _multipoint_parts(
        buffer, starts, lengths, rows[is_multi], dimensions[is_multi], little_endian[is_multi]
    )
    offsets = np.concatenate([starts[rows[is_point]] + 5, part_offsets])
    little = np.concatenate([little_endian[is_point], part_little])
    owner = np.concatenate([rows[is_point], part_owner])
    order = np.argsort(owner, kind="stable")  # keep feature order, parts in sequence
    offsets, little, owner = offsets[order], little[order], owner[order]
    x = _read(buffer, offsets, little, np.float64)
    y = _read(buffer, offsets + 8, little, np.float64)
    non_empty = ~(np.isnan(x) | np.isnan(y))
    return x[non_empty], y[non_empty], owner[non_empty]


def _multipoint_parts(
    buffer: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    rows: np.ndarray,
    dimensions: np.ndarray,
    little_endian: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the parts of the WKB multipoints in ``rows`` keep their x and y.

    ``starts`` and ``lengths`` locate every row's blob in ``buffer``; ``dimensions`` and
    ``little_endian`` describe each multipoint of ``rows``. Returns the byte offset of each
    part's x (y follows), its byte order and its row, parts of a multipoint in sequence; a
    multipoint GDAL refuses has no part. The part count is checked against the blob's length
    before anything is allocated for the parts.
    """
    multi_starts = starts[rows]
    room = lengths[rows] - 9
    claimed = _read(buffer, multi_starts + 5, little_endian, np.int32).astype(np.int64)
    # Each part takes at least _SMALLEST_WKB_POINT bytes: a larger count is corrupt (GDAL agrees).
    possible = (claimed >= 0) & (claimed * _SMALLEST_WKB_POINT <= room)
    # Regular: every part has the multipoint's Z / M, so part i starts at 9 + i * part_size.
    part_size = 5 + 8 * dimensions
    regular = possible & (claimed * part_size <= room)
    part_counts = np.where(regular, claimed, 0)  # at most len(buffer) / 21 parts in all
    part_multi = np.repeat(np.arange(len(rows)), part_counts)
    part_number = np.arange(part_counts.sum()) - np.repeat(
        np.cumsum(part_counts) - part_counts, part_counts
    )
    part_starts = multi_starts[part_multi] + 9 + part_number * part_size[part_multi]
    part_kind, part_dimensions, part_little = _wkb_headers(buffer, part_starts)
    part_ok = (part_kind == _WKB_POINT) & (part_dimensions == dimensions[part_multi])
    has_odd_part = np.bincount(part_multi[~part_ok], minlength=len(rows)) > 0
    part_kept = ~has_odd_part[part_multi]
    # The rest, parts with other Z / M than their multipoint or corrupt ones, part by part.
    odd_parts = np.array(
        [
            (row, starts[row] + offset, little)
            for row in rows[possible & (~regular | has_odd_part)]
            for offset, little in _multipoint_parts_one_by_one(
                buffer[starts[row] : starts[row] + lengths[row]].tobytes()
            )
        ],
        dtype=np.int64,
    ).reshape(-1, 3)  # row, offset of x, little-endian
    return (
        np.concatenate([part_starts[part_kept] + 5, odd_parts[:, 1]]),
        np.concatenate([part_little[part_kept], odd_parts[:, 2] == 1]),
        np.concatenate([rows[part_multi[part_kept]], odd_parts[:, 0]]),
    )


def _little_endian_single_points(
    data: np.ndarray, null: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The common case in one pass: blobs of one width, all little-endian points of one type.

    Then x and y sit at bytes 5 and 13 of every record, whatever Z or M follow. Returns None
    for anything else (multipoints, other byte orders, mixed or unknown types, records too short
    for their type), which the general path decodes.
    """
    if data.dtype.kind != "V" or data.dtype.itemsize < _SMALLEST_WKB_POINT or len(data) == 0:
        return None
    width = data.dtype.itemsize
    records = np.ascontiguousarray(data).view(np.uint8).reshape(len(data), width)
    raw_types = np.ascontiguousarray(records[:, 1:5]).view("<u4").ravel()
    kind, dimensions = _wkb_type(int(raw_types[0]))
    if kind != _WKB_POINT or width < 5 + 8 * dimensions:
        return None
    if not ((records[:, 0] == 1).all() and (raw_types == raw_types[0]).all()):
        return None
    x = np.ascontiguousarray(records[:, 5:13]).view("<f8").ravel()
    y = np.ascontiguousarray(records[:, 13:21]).view("<f8").ravel()
    owner = np.flatnonzero(~(null | np.isnan(x) | np.isnan(y)))
    return x[owner], y[owner], owner


def _concatenated_blobs(
    data: np.ndarray, null: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All blobs of a geometry column in one uint8 buffer, with each row's start and length.

    NULL rows have length 0.
    """
    if data.dtype.kind == "V":
        width = data.dtype.itemsize
        buffer = np.frombuffer(data.tobytes(), dtype=np.uint8)
        return buffer, np.arange(len(data), dtype=np.int64) * width, np.where(null, 0, width)
    blobs = [None if is_null else blob for blob, is_null in zip(data, null)]
    lengths = np.fromiter(
        (len(blob) if blob else 0 for blob in blobs), dtype=np.int64, count=len(blobs)
    )
    buffer = np.frombuffer(b"".join(blob for blob in blobs if blob), dtype=np.uint8)
    return buffer, np.cumsum(lengths) - lengths, lengths


def _wkb_headers(
    buffer: np.ndarray, offsets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kind, dimensions and byte order of the WKB geometries at ``offsets`` (5 bytes each).

    Returns int64 ``kind`` (``_WKB_POINT``, ``_WKB_MULTIPOINT``, 0 for anything else, a byte
    order GDAL refuses included), int64 ``dimensions`` (2 to 4) and bool ``little_endian``.
    """
    byte_order = buffer[offsets]
    little_endian = (byte_order & 1) == 1
    raw_types = _read(buffer, offsets + 1, little_endian, np.uint32)
    if len(raw_types) and (raw_types == raw_types[0]).all():  # the usual case: one type
        kind, dimensions = _wkb_type(int(raw_types[0]))
        kinds = np.full(len(raw_types), kind, dtype=np.int64)
        dimension_counts = np.full(len(raw_types), dimensions, dtype=np.int64)
    else:
        distinct, index = np.unique(raw_types, return_inverse=True)
        decoded = np.array([_wkb_type(int(code)) for code in distinct], dtype=np.int64)
        decoded = decoded.reshape(-1, 2)
        kinds, dimension_counts = decoded[index, 0], decoded[index, 1]
    kinds[~_valid_byte_order(byte_order)] = 0
    return kinds, dimension_counts, little_endian


def _valid_byte_order(byte_order: int | np.ndarray) -> bool | np.ndarray:
    """Whether GDAL accepts a WKB byte order byte; the low bit then tells little-endian.

    Besides 0 and 1, GDAL accepts the bytes DB2 7.2 wrote (0x10, 0x11, 0x20, 0x21, 0x30, 0x31).
    """
    return (byte_order & 0x31) == byte_order


_DRAFT_SQL_MM_POINT_TYPES = {
    2000001: 3001,
    2000007: 3004,
    3000001: -1,
    3000007: -1,
    4000001: 2001,
    4000007: 2004,
}
"""The point and multipoint codes of the ISO SQL/MM Part 3 draft, as GDAL maps them: to PointZM,
MultiPointZM, PointM and MultiPointM, and to its 2.5D codes, which it then refuses (-1 here)."""


def _wkb_type(raw_type: int) -> tuple[int, int]:
    """(kind, dimensions) of a WKB type code the way GDAL's ``OGRReadWKBGeometryType`` reads it.

    ``kind`` is ``_WKB_POINT``, ``_WKB_MULTIPOINT`` or 0 (another or an unsupported type);
    ``dimensions`` is 2 plus one for Z and one for M. GDAL takes the M flag 0x40000000, the Z
    flag 0x80000000 (keeping only the low byte), the draft SQL/MM codes, a Z flag 0x8000 in the
    second byte (keeping the low byte), then the ISO codes 1-17, 1001-1017, 2001-2017, 3001-3017.
    """
    has_m = bool(raw_type & 0x40000000)
    code = raw_type & ~0x40000000
    has_z = bool(code & 0x80000000)
    if has_z:
        code &= 0xFF
    code = _DRAFT_SQL_MM_POINT_TYPES.get(code, code)
    if code >= 0 and code & 0x8000:
        code &= 0xFF
        has_z = True
    code += 1000 * has_z + 2000 * has_m
    if code % 1000 not in (_WKB_POINT, _WKB_MULTIPOINT) or not 0 <= code // 1000 <= 3:
        return 0, 2
    return code % 1000, 2 + int(code // 1000 in (1, 3)) + int(code // 1000 in (2, 3))


def _multipoint_parts_one_by_one(blob: bytes) -> list[tuple[int, bool]]:
    """(offset of x, little-endian) of each part of one WKB multipoint, read as GDAL does.

    For the rare multipoints whose parts differ from the multipoint in Z / M (GDAL reads each
    part with its own type) and for corrupt ones, which give []. The part count is known to fit
    the blob.
    """
    (count,) = struct.unpack_from("<i" if blob[0] & 1 else ">i", blob, 5)
    parts = []
    offset = 9
    for _ in range(count):
        if len(blob) - offset < 9 or not _valid_byte_order(blob[offset]):
            return []
        little = bool(blob[offset] & 1)
        raw_type = struct.unpack_from("<I" if little else ">I", blob, offset + 1)[0]
        kind, dimensions = _wkb_type(raw_type)
        if kind != _WKB_POINT or len(blob) - offset < 5 + 8 * dimensions:
            return []
        parts.append((offset + 5, little))
        offset += 5 + 8 * dimensions
    return parts


def _read(
    buffer: np.ndarray, offsets: np.ndarray, little_endian: np.ndarray, dtype: type
) -> np.ndarray:
    """Values of ``dtype`` stored at byte ``offsets`` of ``buffer`` in the given byte orders.

    Reads through views of ``buffer`` with a stride of one byte (one value starting at every
    byte), so each value is one gather.
    """
    value_type = np.dtype(dtype)
    starts = max(len(buffer) - value_type.itemsize + 1, 0)

    def view(order: str) -> np.ndarray:
        return np.ndarray(
            (starts,), dtype=value_type.newbyteorder(order), buffer=buffer, strides=(1,)
        )

    values = view("<")[offsets]
    big_endian = ~little_endian
    if big_endian.any():
        values[big_endian] = view(">")[offsets[big_endian]]
    return values


def _field_as_float(batch: dict, field_name: str, n_features: int) -> tuple[np.ndarray, np.ndarray]:
    """A batch column as float64 values (NaN where NULL) and its NULL mask; ones without a field."""
    if not field_name:
        return np.ones(n_features, dtype=np.float64), np.zeros(n_features, dtype=bool)
    column = batch[field_name]
    if not np.ma.isMaskedArray(column):
        return np.asarray(column, dtype=np.float64), np.zeros(n_features, dtype=bool)
    return np.ma.filled(column.astype(np.float64), np.nan), np.ma.getmaskarray(column)


class _Columns:
    """Float64 columns filled batch after batch into arrays sized for the layer.

    Multipoints can bring more points than features: the arrays then grow (doubling).
    """

    def __init__(self, names: list[str], capacity: int) -> None:
        self._arrays = {name: np.empty(capacity, dtype=np.float64) for name in names}
        self._filled = 0

    def append(self, **batch: np.ndarray) -> None:
        """Add a batch of each column (columns not kept are ignored)."""
        end = self._filled + len(batch["x"])
        for name, array in self._arrays.items():
            if end > len(array):
                grown = np.empty(max(end, 2 * len(array)), dtype=np.float64)
                grown[: self._filled] = array[: self._filled]
                self._arrays[name] = array = grown
            array[self._filled : end] = batch[name]
        self._filled = end

    def __getitem__(self, name: str) -> np.ndarray:
        return self._arrays[name][: self._filled]


def point_parts(geometry: QgsGeometry) -> list[tuple[float, float]]:
    """(x, y) of every non-empty point of a point or multipoint geometry; [] for anything else."""
    if geometry.isNull() or geometry.type() != QgsWkbTypes.PointGeometry:
        return []
    if not geometry.isMultipart():  # the common case, without a vertex iterator
        point = geometry.constGet()
        vertices = [point]
    else:
        vertices = geometry.vertices()
    return [
        (vertex.x(), vertex.y())
        for vertex in vertices
        if not (math.isnan(vertex.x()) or math.isnan(vertex.y()))
    ]


def attribute_number(value: object) -> float | None:
    """``value`` as a float (NaN and infinities kept), or None for NULL and non-numbers."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
