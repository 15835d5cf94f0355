"""Point layer -> NumPy arrays of coordinates, weights and radii.

Two readers give identical arrays:

* ``read_points_bulk`` reads a file-based OGR layer through GDAL's Arrow stream
  (``ogr.Layer.GetArrowStreamAsNumPy``) and decodes the WKB geometries with NumPy. It is
  used only when the Processing source is the whole file layer: no selection, no subset
  string, no feature limit, no filter, no unsaved edits (see ``bulk_location``).
* ``read_points_iterated`` walks ``QgsFeatureSource.getFeatures`` fetching only the needed
  attributes, and so honours everything Processing puts between the layer and the algorithm.

Rules shared by both: multipoints contribute every part; Z and M are ignored; a feature is
skipped, and counted under the first reason that applies, when its geometry is NULL, empty or
not a point, when its weight is NULL (or not finite), when its radius is NULL (or not finite),
or when its radius is zero or negative. Coordinates are in the layer's CRS units.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass

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
    """Counts of features left out of the density, by the first reason that applies."""

    no_point_geometry: int = 0
    """Geometry NULL, empty (or only empty parts) or not a point / multipoint."""
    null_weight: int = 0
    """Weight field NULL or not a finite number."""
    null_radius: int = 0
    """Radius field NULL or not a finite number."""
    non_positive_radius: int = 0
    """Radius field zero or negative."""

    @property
    def total(self) -> int:
        """All skipped features."""
        return (
            self.no_point_geometry + self.null_weight + self.null_radius + self.non_positive_radius
        )


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
    fields = source.fields()
    wanted = [name for name in (weight_field, radius_field) if name]
    request = QgsFeatureRequest().setSubsetOfAttributes(
        [fields.lookupField(name) for name in wanted]
    )
    weight_index = fields.lookupField(weight_field) if weight_field else -1
    radius_index = fields.lookupField(radius_field) if radius_field else -1
    total = max(source.featureCount(), 1)

    x: list[float] = []
    y: list[float] = []
    weight: list[float] = []
    radius: list[float] = []
    counts = {"geometry": 0, "weight": 0, "radius": 0, "non_positive": 0}
    features_read = 0
    for feature in source.getFeatures(request):
        features_read += 1
        if progress is not None and features_read % 10000 == 0:
            if not progress(min(features_read / total, 1.0)):
                raise Cancelled("reading points cancelled")
        parts = _point_parts(feature.geometry())
        if not parts:
            counts["geometry"] += 1
            continue
        feature_weight = _finite(feature.attribute(weight_index)) if weight_index >= 0 else 1.0
        if feature_weight is None:
            counts["weight"] += 1
            continue
        feature_radius = _finite(feature.attribute(radius_index)) if radius_index >= 0 else 1.0
        if feature_radius is None:
            counts["radius"] += 1
            continue
        if feature_radius <= 0:
            counts["non_positive"] += 1
            continue
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
        skipped=SkippedFeatures(
            counts["geometry"], counts["weight"], counts["radius"], counts["non_positive"]
        ),
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
    total = max(ogr_layer.GetFeatureCount(), 1)

    names = ["x", "y"] + (["weight"] if weight_field else []) + (["radius"] if radius_field else [])
    columns = _Columns(names, capacity=max(ogr_layer.GetFeatureCount(), 0))
    counts = np.zeros(4, dtype=np.int64)
    features_read = 0
    for batch in stream:
        if geometry_key not in batch:
            return None  # a driver naming its geometry column differently: use the iterator
        geometries = batch[geometry_key]
        n_features = len(geometries)
        features_read += n_features
        x, y, owner = points_from_wkb(geometries)

        has_point = np.zeros(n_features, dtype=bool)
        has_point[owner] = True
        weight = _field_as_float(batch, weight_field, n_features)
        radius = _field_as_float(batch, radius_field, n_features)
        reason = np.select(
            [~has_point, ~np.isfinite(weight), ~np.isfinite(radius), radius <= 0],
            [1, 2, 3, 4],
            default=0,
        )
        counts += np.bincount(reason, minlength=5)[1:]
        kept = reason[owner] == 0
        columns.append(x=x[kept], y=y[kept], weight=weight[owner][kept], radius=radius[owner][kept])
        if progress is not None and not progress(min(features_read / total, 1.0)):
            raise Cancelled("reading points cancelled")
    return PointArrays(
        x=columns["x"],
        y=columns["y"],
        weight=columns["weight"] if weight_field else None,
        radius=columns["radius"] if radius_field else None,
        features_read=features_read,
        skipped=SkippedFeatures(*(int(count) for count in counts)),
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


def points_from_wkb(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decode a column of ISO / extended WKB points and multipoints without a per-feature loop.

    ``geometries`` is a geometry column of GDAL's Arrow-as-NumPy stream: an object array of
    ``bytes`` (None for NULL), or a fixed-width ``void`` array when all blobs have one length,
    either possibly masked (masked = NULL). Returns ``x``, ``y`` (float64, one entry per
    non-empty point, map units) and ``owner``, the row each point came from. Z and M are
    skipped; NULL rows, empty points (NaN coordinates), empty multipoints and other geometry
    types yield no point.
    """
    data = np.ma.getdata(geometries)
    null = np.ma.getmaskarray(geometries)
    single_points = _little_endian_single_points(data, null)
    if single_points is not None:
        return single_points
    if data.dtype.kind == "V":
        width = data.dtype.itemsize
        buffer = np.frombuffer(data.tobytes(), dtype=np.uint8)
        starts = np.arange(len(data), dtype=np.int64) * width
        lengths = np.where(null, 0, width)
    else:
        blobs = [None if is_null else blob for blob, is_null in zip(data, null)]
        lengths = np.fromiter(
            (len(blob) if blob else 0 for blob in blobs), dtype=np.int64, count=len(blobs)
        )
        buffer = np.frombuffer(b"".join(blob for blob in blobs if blob), dtype=np.uint8)
        starts = np.cumsum(lengths) - lengths
    candidates = np.flatnonzero(lengths >= 9)
    little_endian = buffer[starts[candidates]] == 1
    type_code = _read(buffer, starts[candidates] + 1, little_endian, np.uint32).astype(np.int64)
    has_z = ((type_code & 0x80000000) != 0) | np.isin((type_code & 0xFFFFFFF) // 1000, (1, 3))
    has_m = ((type_code & 0x40000000) != 0) | np.isin((type_code & 0xFFFFFFF) // 1000, (2, 3))
    dimensions = 2 + has_z.astype(np.int64) + has_m.astype(np.int64)
    geometry_kind = (type_code & 0xFFFFFFF) % 1000

    is_point = geometry_kind == 1
    point_offsets = starts[candidates[is_point]] + 5
    point_little = little_endian[is_point]
    point_owner = candidates[is_point]

    is_multi = geometry_kind == 4
    multi_starts = starts[candidates[is_multi]]
    part_counts = _read(buffer, multi_starts + 5, little_endian[is_multi], np.uint32)
    part_counts = part_counts.astype(np.int64)
    part_number = np.arange(part_counts.sum()) - np.repeat(
        np.cumsum(part_counts) - part_counts, part_counts
    )
    part_starts = np.repeat(multi_starts + 9, part_counts) + part_number * (
        5 + 8 * np.repeat(dimensions[is_multi], part_counts)
    )
    part_little = buffer[part_starts] == 1

    offsets = np.concatenate([point_offsets, part_starts + 5])
    little = np.concatenate([point_little, part_little])
    owner = np.concatenate([point_owner, np.repeat(candidates[is_multi], part_counts)])
    x = _read(buffer, offsets, little, np.float64)
    y = _read(buffer, offsets + 8, little, np.float64)
    order = np.argsort(owner, kind="stable")  # keep feature order, parts in sequence
    x, y, owner = x[order], y[order], owner[order]
    non_empty = ~(np.isnan(x) | np.isnan(y))
    return x[non_empty], y[non_empty], owner[non_empty]


def _little_endian_single_points(
    data: np.ndarray, null: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The common case in one pass: blobs of one width, all little-endian single points.

    Then x and y sit at bytes 5 and 13 of every record, whatever Z or M follow. Returns None
    for anything else (multipoints, big-endian, mixed types), which the general path decodes.
    """
    if data.dtype.kind != "V" or data.dtype.itemsize < 21 or len(data) == 0:
        return None
    records = np.ascontiguousarray(data).view(np.uint8).reshape(len(data), data.dtype.itemsize)
    type_code = np.ascontiguousarray(records[:, 1:5]).view("<u4").ravel().astype(np.int64)
    if not ((records[:, 0] == 1).all() and ((type_code & 0xFFFFFFF) % 1000 == 1).all()):
        return None
    x = np.ascontiguousarray(records[:, 5:13]).view("<f8").ravel()
    y = np.ascontiguousarray(records[:, 13:21]).view("<f8").ravel()
    owner = np.flatnonzero(~(null | np.isnan(x) | np.isnan(y)))
    return x[owner], y[owner], owner


def _read(
    buffer: np.ndarray, offsets: np.ndarray, little_endian: np.ndarray, dtype: type
) -> np.ndarray:
    """Values of ``dtype`` stored at byte ``offsets`` of ``buffer`` in the given byte orders."""
    size = np.dtype(dtype).itemsize
    raw = buffer[offsets[:, None] + np.arange(size)]
    raw[~little_endian] = raw[~little_endian, ::-1]
    return np.ascontiguousarray(raw).view(np.dtype(dtype).newbyteorder("<")).reshape(-1)


def _field_as_float(batch: dict, field_name: str, n_features: int) -> np.ndarray:
    """A batch column as float64 with NULL -> NaN, or ones when no field is asked for."""
    if not field_name:
        return np.ones(n_features, dtype=np.float64)
    column = batch[field_name]
    if np.ma.isMaskedArray(column):
        return np.ma.filled(column.astype(np.float64), np.nan)
    return np.asarray(column, dtype=np.float64)


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


def _point_parts(geometry: QgsGeometry) -> list[tuple[float, float]]:
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


def _finite(value: object) -> float | None:
    """``value`` as a finite float, or None for NULL, NaN, infinities and non-numbers."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
