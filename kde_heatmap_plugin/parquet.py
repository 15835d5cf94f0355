"""Points from GeoParquet or plain Parquet with pyarrow, for a GDAL without a Parquet driver.

Importing this module imports pyarrow (an optional dependency of the command line): import it
only to read a Parquet file, and treat an ``ImportError`` as "pyarrow is not installed".

- GeoParquet: the ``geo`` key of the file's metadata names the primary geometry column, WKB
  encoded. Points and multipoints count (every part), other geometries are skipped. 2-D
  little-endian points (21 bytes) and ISO or EWKB Z points without an SRID (29 bytes, the Z
  ignored) are decoded with NumPy for a whole batch at once; every other value (multipoints,
  big-endian, M, EWKB with an SRID) through ``ogr.CreateGeometryFromWkb``. The CRS is the
  column's ``crs`` (PROJJSON); a column without the key is in OGC:CRS84 (the GeoParquet
  specification's default), one with ``"crs": null`` in an unknown CRS.
- Plain Parquet: numeric x and y columns; the CRS is unknown (the caller's ``--crs``).

Features are skipped and counted as by the command line's OGR reader (same reasons, same order
of checks): a NULL, empty or non-point geometry (a NULL or NaN coordinate), an infinite
coordinate, a NULL or non-finite weight or radius, a radius that is not positive. The file is
read ``BATCH_ROWS`` rows at a time, the columns asked for only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from osgeo import ogr, osr

#: Rows decoded at a time: bounds the memory of a read (a few tens of bytes per row).
BATCH_ROWS = 65_536
#: WKB geometry type codes of a point: 2-D, ISO Z, EWKB Z (without SRID).
WKB_POINT, WKB_POINT_Z_ISO, WKB_POINT_Z_EWKB = 1, 1001, 0x80000001


class ParquetError(Exception):
    """A Parquet file the reader refuses; the message is one line for the user."""


def read_parquet_columns(
    path: str,
    *,
    x_field: str,
    y_field: str,
    weight_field: str | None,
    radius_field: str | None,
    skipped: dict[str, int],
    geometry_column: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> tuple[dict[str, np.ndarray], str | None]:
    """The points of one Parquet file as float64 columns, and its CRS as WKT (None: unknown).

    Args:
        path: a GeoParquet file (``geo`` metadata) or a Parquet file with ``x_field`` and
            ``y_field`` columns.
        x_field, y_field: the coordinate columns of a plain Parquet file (CRS units).
        weight_field, radius_field: numeric columns of weights and radii, or None.
        skipped: counts of features left out, by reason; updated in place.
        geometry_column: a GeoParquet's geometry column; None for its primary column.
        progress: receives the fraction of rows read.

    Returns:
        Columns ``x``, ``y`` (and ``weight``, ``radius`` when asked for), one value per point,
        and the CRS's WKT.

    Raises:
        ParquetError: an unreadable file, a missing or non-numeric column, a geometry encoding
            other than WKB, a CRS GDAL does not understand.
    """
    try:
        parquet = pq.ParquetFile(path)
        schema = parquet.schema_arrow
    except (OSError, pa.ArrowException) as error:
        raise ParquetError(" ".join(str(error).split())) from None
    geo = _geo_metadata(schema, path)
    if geo is not None:
        geometry_column = geometry_column or geo.get("primary_column")
        columns_metadata = geo.get("columns", {})
        if geometry_column not in columns_metadata:
            raise ParquetError(f"{path}'s geo metadata has no geometry column {geometry_column!r}.")
        column_metadata = columns_metadata[geometry_column]
        encoding = str(column_metadata.get("encoding", "WKB"))
        if encoding.upper() != "WKB":
            raise ParquetError(
                f"{path}'s geometry column {geometry_column!r} is encoded as {encoding}: "
                "only WKB is read."
            )
        crs_wkt = _crs_wkt(column_metadata, path)
        coordinate_columns = [geometry_column]
    else:
        crs_wkt = None
        coordinate_columns = [x_field, y_field]
    value_columns = {
        name: field for name, field in (("weight", weight_field), ("radius", radius_field)) if field
    }
    wanted = coordinate_columns + [f for f in value_columns.values() if f not in coordinate_columns]
    for field in wanted:
        if schema.get_field_index(field) < 0:
            plain = geo is None and field in (x_field, y_field)
            raise ParquetError(
                f"{path} has no field {field!r}{' and no geo metadata' if plain else ''} "
                f"(fields: {', '.join(schema.names) or 'none'})."
            )
    parts: dict[str, list[np.ndarray]] = {"x": [], "y": [], **{name: [] for name in value_columns}}
    total, done = max(parquet.metadata.num_rows, 1), 0
    try:
        batches = parquet.iter_batches(batch_size=BATCH_ROWS, columns=wanted)
        for batch in batches:
            if geo is not None:
                rows, x, y = _wkb_points(batch.column(geometry_column))
            else:
                rows = np.arange(batch.num_rows)
                x = _floats(batch.column(x_field), x_field, path)
                y = _floats(batch.column(y_field), y_field, path)
                present = ~(np.isnan(x) | np.isnan(y))
                rows, x, y = rows[present], x[present], y[present]
            values = {
                name: _floats(batch.column(field), field, path)
                for name, field in value_columns.items()
            }
            kept = _kept_features(batch.num_rows, rows, x, y, values, skipped)
            points = kept[rows]
            parts["x"].append(x[points])
            parts["y"].append(y[points])
            for name, column in values.items():
                parts[name].append(column[rows[points]])
            done += batch.num_rows
            if progress is not None:
                progress(min(done / total, 1.0))
    except pa.ArrowException as error:
        raise ParquetError(" ".join(str(error).split())) from None
    columns = {
        name: np.concatenate(chunks) if chunks else np.empty(0, dtype=np.float64)
        for name, chunks in parts.items()
    }
    return columns, crs_wkt


def _geo_metadata(schema: pa.Schema, path: str) -> dict | None:
    """The file's GeoParquet metadata (the ``geo`` key's JSON), or None."""
    raw = (schema.metadata or {}).get(b"geo")
    if raw is None:
        return None
    try:
        geo = json.loads(raw)
    except ValueError as error:
        raise ParquetError(f"{path}'s geo metadata is not JSON: {error}") from None
    if not isinstance(geo, dict):
        raise ParquetError(f"{path}'s geo metadata is not a JSON object.")
    return geo


def _crs_wkt(column_metadata: dict, path: str) -> str | None:
    """The geometry column's CRS as WKT: its PROJJSON (or any text GDAL understands), OGC:CRS84
    when the key is absent, None when it is null."""
    if "crs" not in column_metadata:
        definition = "OGC:CRS84"
    elif column_metadata["crs"] is None:
        return None
    elif isinstance(column_metadata["crs"], str):
        definition = column_metadata["crs"]
    else:
        definition = json.dumps(column_metadata["crs"])
    srs = osr.SpatialReference()
    if srs.SetFromUserInput(definition) != 0:
        raise ParquetError(f"{path}'s geometry CRS is not understood by GDAL: {definition[:80]}")
    return srs.ExportToWkt()


def _floats(array: pa.Array, field: str, path: str) -> np.ndarray:
    """A numeric column as float64, NULL as NaN."""
    kind = array.type
    if isinstance(kind, pa.ExtensionType):
        array, kind = array.storage, kind.storage_type
    numeric = (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_boolean(kind)
    )
    if not numeric:
        raise ParquetError(f"{path}'s field {field!r} is not numeric ({kind}).")
    floats = pc.cast(array, pa.float64(), safe=False)
    return pc.fill_null(floats, math.nan).to_numpy(zero_copy_only=False)


def _wkb_points(array: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The points of a column of WKB geometries: (row of each point, x, y), in row order and,
    within a row, in part order. NULL, empty and non-point geometries give no point; nor do
    parts with a NaN coordinate (empty points)."""
    if isinstance(array.type, pa.ExtensionType):
        array = array.storage
    if not (pa.types.is_binary(array.type) or pa.types.is_large_binary(array.type)):
        raise ParquetError(f"The geometry column holds {array.type}, not WKB bytes.")
    _validity, offsets_buffer, data_buffer = array.buffers()
    offset_type = np.int64 if pa.types.is_large_binary(array.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type)
    offsets = offsets[array.offset : array.offset + len(array) + 1].astype(np.int64)
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.empty(0, dtype=np.uint8)
    )
    starts, lengths = offsets[:-1], np.diff(offsets)
    valid = ~array.is_null().to_numpy(zero_copy_only=False)
    # Fast path: little-endian points of 21 bytes (2-D) or 29 bytes (Z, without an SRID).
    candidates = np.flatnonzero(valid & ((lengths == 21) | (lengths == 29)))
    header = data[starts[candidates, None] + np.arange(5)]
    codes = np.ascontiguousarray(header[:, 1:5]).view("<u4").ravel()
    little = header[:, 0] == 1
    fast_mask = little & (
        ((lengths[candidates] == 21) & (codes == WKB_POINT))
        | ((lengths[candidates] == 29) & ((codes == WKB_POINT_Z_ISO) | (codes == WKB_POINT_Z_EWKB)))
    )
    fast = candidates[fast_mask]
    coordinates = data[starts[fast, None] + 5 + np.arange(16)].view("<f8")
    fast_x, fast_y = coordinates[:, 0], coordinates[:, 1]
    present = ~(np.isnan(fast_x) | np.isnan(fast_y))
    rows, xs, ys = [fast[present]], [fast_x[present]], [fast_y[present]]
    # Every other non-NULL value through OGR.
    slow = np.ones(len(array), dtype=bool)
    slow[fast] = False
    slow &= valid
    slow_rows, slow_x, slow_y = [], [], []
    for row in np.flatnonzero(slow):
        start = int(starts[row])
        geometry = ogr.CreateGeometryFromWkb(data[start : start + int(lengths[row])].tobytes())
        for x, y in _geometry_points(geometry):
            slow_rows.append(row)
            slow_x.append(x)
            slow_y.append(y)
    rows.append(np.asarray(slow_rows, dtype=np.int64))
    xs.append(np.asarray(slow_x, dtype=np.float64))
    ys.append(np.asarray(slow_y, dtype=np.float64))
    row, x, y = np.concatenate(rows), np.concatenate(xs), np.concatenate(ys)
    order = np.argsort(row, kind="stable")
    return row[order], x[order], y[order]


def _geometry_points(geometry: ogr.Geometry | None) -> list[tuple[float, float]]:
    """The (x, y) of a point or of each non-empty part of a multipoint (the command line's
    rule, ``cli._geometry_points``)."""
    from .cli import _geometry_points as geometry_points  # cli imports this module lazily

    return geometry_points(geometry)


def _kept_features(
    count: int,
    rows: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    values: dict[str, np.ndarray],
    skipped: dict[str, int],
) -> np.ndarray:
    """Which of ``count`` features count (bool per feature), adding the others to ``skipped``
    by the first reason that applies, in the OGR reader's order."""
    kept = np.zeros(count, dtype=bool)
    kept[rows] = True
    _skip(skipped, "without a point geometry", count - int(kept.sum()))
    infinite = np.zeros(count, dtype=bool)
    infinite[rows[~(np.isfinite(x) & np.isfinite(y))]] = True
    checks = [("with an infinite coordinate", infinite)]
    if "weight" in values:
        checks.append(("with a NULL or non-finite weight", ~np.isfinite(values["weight"])))
    if "radius" in values:
        radius = values["radius"]
        checks.append(("with a NULL or non-finite radius", ~np.isfinite(radius)))
        with np.errstate(invalid="ignore"):
            checks.append(("with a radius that is not positive", ~(radius > 0)))
    for reason, refused in checks:
        _skip(skipped, reason, int((kept & refused).sum()))
        kept &= ~refused
    return kept


def _skip(skipped: dict[str, int], reason: str, count: int) -> None:
    if count:
        skipped[reason] = skipped.get(reason, 0) + count
