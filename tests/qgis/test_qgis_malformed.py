"""sources.py on hostile input: malformed WKB blobs and values that are not finite numbers.

The feature iterator sees what QGIS (through GDAL's ``createFromWkb``) makes of each blob; the
bulk reader decodes the same bytes itself. Both must keep the same points and give the same
counts. The blobs are written into GeoPackages directly with sqlite3.
"""

from __future__ import annotations

import math
import random
import sqlite3
import struct
import tracemalloc

import numpy as np
import pytest
from osgeo import gdal, ogr, osr
from qgis.core import QgsVectorLayer
from qgis_test_support import PROJECTED_EPSG, PointFeature, make_gpkg
from test_qgis_sources import assert_same_arrays, read_both

from kde_heatmap_plugin import sources

INF = math.inf
NAN = math.nan


def wkb_point(x: float, y: float, *extra: float, type_code: int = 1, order: int = 1) -> bytes:
    """A WKB point; ``order`` is the byte order byte (its low bit picks little-endian)."""
    endian = "<" if order & 1 else ">"
    coordinates = struct.pack(f"{endian}{2 + len(extra)}d", x, y, *extra)
    return bytes([order]) + struct.pack(endian + "I", type_code) + coordinates


def wkb_multipoint(parts: list[bytes], count: int | None = None, type_code: int = 4) -> bytes:
    """A little-endian WKB multipoint of ``parts``, claiming ``count`` parts (default: all)."""
    claimed = len(parts) if count is None else count
    return b"\x01" + struct.pack("<II", type_code, claimed) + b"".join(parts)


def gpkg_blob(wkb: bytes, flags: int = 0x01, envelope: bytes = b"") -> bytes:
    """GeoPackage geometry: 'GP', version 0, flags (bit 0: little-endian header, bits 1-3:
    envelope kind), srs_id, envelope, then the WKB."""
    return b"GP" + bytes([0, flags]) + struct.pack("<i", PROJECTED_EPSG) + envelope + wkb


def gpkg_with_blobs(path: str, rows: list[tuple[bytes | None, dict]]) -> QgsVectorLayer:
    """A GeoPackage layer (geometry type Unknown, no spatial index) whose geometry column holds
    the given raw GeoPackage blobs, with REAL fields ``w`` and ``r``."""
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    crs = osr.SpatialReference()
    crs.ImportFromEPSG(PROJECTED_EPSG)
    layer = dataset.CreateLayer("points", crs, ogr.wkbUnknown, ["SPATIAL_INDEX=NO"])
    for name in ("w", "r"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    for _ in rows:
        layer.CreateFeature(ogr.Feature(layer.GetLayerDefn()))
    dataset = None
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            "UPDATE points SET geom = ?, w = ?, r = ? WHERE fid = ?",
            [
                (blob, values.get("w"), values.get("r"), fid)
                for fid, (blob, values) in enumerate(rows, start=1)
            ],
        )
    connection.close()
    qgis_layer = QgsVectorLayer(f"{path}|layername=points", "crafted", "ogr")
    assert qgis_layer.isValid() and qgis_layer.featureCount() == len(rows)
    return qgis_layer


# What QGIS 3.22 / GDAL 3.6 make of each blob (checked by the feature iterator in the test):
# the points of the feature, [] when the geometry is NULL (GDAL: "Unable to read geometry"),
# empty, or has no point.
NAMED_BLOBS = {
    "valid point": (gpkg_blob(wkb_point(1, 2)), [(1, 2)]),
    "point cut to 20 bytes": (gpkg_blob(wkb_point(1, 2)[:20]), []),
    "point cut to 13 bytes": (gpkg_blob(wkb_point(1, 2)[:13]), []),
    "point cut to 9 bytes": (gpkg_blob(wkb_point(1, 2)[:9]), []),
    "point cut to 5 bytes": (gpkg_blob(wkb_point(1, 2)[:5]), []),
    "byte order only": (gpkg_blob(b"\x01"), []),
    "header without WKB": (gpkg_blob(b""), []),
    "point Z cut to 25 bytes": (gpkg_blob(wkb_point(1, 2, 3, type_code=1001)[:25]), []),
    "point Z cut to 21 bytes": (gpkg_blob(wkb_point(1, 2, 3, type_code=1001)[:21]), []),
    "point ZM cut to 29 bytes": (gpkg_blob(wkb_point(1, 2, 3, 4, type_code=3001)[:29]), []),
    "point with trailing bytes": (gpkg_blob(wkb_point(1, 2) + bytes(8)), [(1, 2)]),
    "byte order 2": (gpkg_blob(b"\x02" + wkb_point(1, 2)[1:]), []),
    "byte order 0x31 (DB2)": (gpkg_blob(b"\x31" + wkb_point(1, 2)[1:]), [(1, 2)]),
    "byte order 0x30, little-endian data": (gpkg_blob(b"\x30" + wkb_point(1, 2)[1:]), []),
    "big-endian point": (gpkg_blob(wkb_point(1, 2, order=0)), [(1, 2)]),
    "unknown type 99": (gpkg_blob(wkb_point(1, 2, type_code=99)), []),
    "type 4001": (gpkg_blob(wkb_point(1, 2, 3, 4, type_code=4001)), []),
    "EWKB SRID flag": (
        gpkg_blob(b"\x01" + struct.pack("<IIdd", 0x20000001, 4326, 1, 2)),
        [],
    ),
    "old-style Z flag": (gpkg_blob(wkb_point(1, 2, 3, type_code=0x80000001)), [(1, 2)]),
    "old-style Z flag on an ISO code": (
        gpkg_blob(wkb_point(1, 2, 3, type_code=0x800003E9)),
        [],
    ),
    "M flag": (gpkg_blob(wkb_point(1, 2, 3, type_code=0x40000001)), [(1, 2)]),
    "multipoint claiming 2^31 parts": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2)], count=2**31)),
        [],
    ),
    "multipoint claiming 2^31 - 1 parts": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2)], count=2**31 - 1)),
        [],
    ),
    "multipoint claiming 1e9 parts": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2)], count=10**9)),
        [],
    ),
    "multipoint claiming 2^32 - 1 parts": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2)], count=2**32 - 1)),
        [],
    ),
    "multipoint claiming 2 parts, holding 1": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2)], count=2)),
        [],
    ),
    "multipoint with a part's header cut": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), wkb_point(3, 4)[:3]])),
        [],
    ),
    "multipoint with a part's coordinates cut": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), wkb_point(3, 4)[:15]])),
        [],
    ),
    "multipoint cut in its count": (gpkg_blob(wkb_multipoint([])[:7]), []),
    "multipoint with a part in byte order 7": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), b"\x07" + wkb_point(3, 4)[1:]])),
        [],
    ),
    "multipoint with a linestring part": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), b"\x01" + struct.pack("<II2d", 2, 1, 5, 6)])),
        [],
    ),
    "multipoint inside a multipoint": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), wkb_multipoint([wkb_point(3, 4)])])),
        [],
    ),
    "multipoint with a big-endian part": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), wkb_point(3, 4, order=0)])),
        [(1, 2), (3, 4)],
    ),
    "2D multipoint whose first part has Z": (
        gpkg_blob(
            wkb_multipoint([wkb_point(1, 2, 9, type_code=1001), wkb_point(3, 4), wkb_point(5, 6)])
        ),
        [(1, 2), (3, 4), (5, 6)],
    ),
    "Z multipoint of 2D parts": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2), wkb_point(3, 4)], type_code=1004)),
        [(1, 2), (3, 4)],
    ),
    "Z multipoint claiming one part too many": (
        gpkg_blob(
            wkb_multipoint([wkb_point(1, 2, 3, type_code=1001)] * 2, count=3, type_code=1004)
        ),
        [],
    ),
    "multipoint with trailing bytes": (
        gpkg_blob(wkb_multipoint([wkb_point(1, 2)]) + b"junk"),
        [(1, 2)],
    ),
    "multipoint with an empty part": (
        gpkg_blob(wkb_multipoint([wkb_point(NAN, NAN), wkb_point(3, 4)])),
        [(3, 4)],
    ),
    "empty point": (gpkg_blob(wkb_point(NAN, NAN)), []),
    "GeoPackage envelope": (
        gpkg_blob(wkb_point(1, 2), flags=0x03, envelope=struct.pack("<4d", 1, 1, 2, 2)),
        [(1, 2)],
    ),
    "GeoPackage envelope kind 5": (
        gpkg_blob(wkb_point(1, 2), flags=0x0B, envelope=bytes(32)),
        [],
    ),
    "GeoPackage envelope cut": (gpkg_blob(b"", flags=0x03, envelope=bytes(10)), []),
    "GeoPackage empty flag on a point": (gpkg_blob(wkb_point(1, 2), flags=0x11), [(1, 2)]),
    "no GeoPackage header": (wkb_point(1, 2) + bytes(8), []),
    "text instead of a blob": (b"POINT(1 2)", []),
}


@pytest.fixture(autouse=True)
def quiet_gdal():
    """GDAL logs "Unable to read geometry" for every malformed blob the iterator meets."""
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    yield
    gdal.PopErrorHandler()


def expected_arrays(cases: list[list[tuple[float, float]]]) -> tuple[list, list, list]:
    """x, y and weight (the feature's index) of the points of ``cases`` in order."""
    points = [(x, y, index) for index, case in enumerate(cases) for x, y in case]
    return [p[0] for p in points], [p[1] for p in points], [float(p[2]) for p in points]


def test_malformed_blobs_are_skipped_as_the_iterator_skips_them(tmp_path, qgis_app):
    names = list(NAMED_BLOBS)
    layer = gpkg_with_blobs(
        str(tmp_path / "malformed.gpkg"),
        [(NAMED_BLOBS[name][0], {"w": float(index)}) for index, name in enumerate(names)],
    )
    bulk, iterated = read_both(layer, weight_field="w")
    assert_same_arrays(bulk, iterated)
    x, y, weight = expected_arrays([NAMED_BLOBS[name][1] for name in names])
    found = {name: [] for name in names}
    for point_x, point_y, index in zip(bulk.x, bulk.y, bulk.weight):
        found[names[int(index)]].append((point_x, point_y))
    assert found == {name: NAMED_BLOBS[name][1] for name in names}
    np.testing.assert_array_equal(bulk.x, x)
    np.testing.assert_array_equal(bulk.y, y)
    np.testing.assert_array_equal(bulk.weight, weight)
    unreadable = sum(1 for _, points in NAMED_BLOBS.values() if not points)
    assert bulk.skipped == sources.SkippedFeatures(no_point_geometry=unreadable)


@pytest.mark.parametrize("count", [2**31 - 1, 2**31, 10**9, 2**32 - 1])
def test_a_huge_part_count_allocates_nothing(count):
    blobs = np.array([wkb_multipoint([wkb_point(1, 2)], count=count), wkb_point(3, 4)], object)
    assert len(blobs[0]) == 30
    tracemalloc.start()
    try:
        x, y, owner = sources.points_from_wkb(blobs)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100_000
    assert (x.tolist(), y.tolist(), owner.tolist()) == ([3.0], [4.0], [1])


def single_point_batches(monkeypatch) -> list[bool]:
    """Record, for each batch, whether the fixed-width single-point fast path took it."""
    taken: list[bool] = []
    fast_path = sources._little_endian_single_points

    def recording(data, null):
        result = fast_path(data, null)
        taken.append(result is not None)
        return result

    monkeypatch.setattr(sources, "_little_endian_single_points", recording)
    return taken


FIXED_WIDTH_21 = [
    (wkb_point(1, 2), [(1, 2)]),
    (wkb_point(NAN, 5), []),
    (b"\x02" + wkb_point(9, 9)[1:], []),
    (wkb_point(9, 9, type_code=99), []),
    (wkb_point(9, 9, 9, type_code=1001)[:21], []),
    (wkb_point(9, 9, 9, type_code=0x40000001)[:21], []),
    (b"\x31" + wkb_point(3, 4)[1:], [(3, 4)]),
    (wkb_point(5, 6, order=0), [(5, 6)]),
    (wkb_multipoint([wkb_point(9, 9)[:12]]), []),
    (wkb_multipoint([]) + bytes(12), []),
    (wkb_point(7, 8), [(7, 8)]),
]


@pytest.mark.parametrize("batch_features", [4, 100])
def test_malformed_blobs_of_one_width_leave_the_fast_path(
    tmp_path, qgis_app, monkeypatch, batch_features
):
    """All blobs 21 bytes: GDAL hands a fixed-width column that looks like points."""
    layer = gpkg_with_blobs(
        str(tmp_path / "width21.gpkg"),
        [(gpkg_blob(wkb), {"w": float(index)}) for index, (wkb, _) in enumerate(FIXED_WIDTH_21)],
    )
    location = sources.bulk_location(layer, layer.source())
    dataset, ogr_layer, stream = sources._open_arrow_stream(location, [])
    geometries = next(iter(stream))[ogr_layer.GetGeometryColumn()]
    assert geometries.dtype == np.dtype("V21")  # the fixed-width column this test is about
    del stream, ogr_layer, dataset

    monkeypatch.setattr(sources, "BULK_BATCH_FEATURES", batch_features)
    taken = single_point_batches(monkeypatch)
    bulk, iterated = read_both(layer, weight_field="w")
    assert_same_arrays(bulk, iterated)
    assert not any(taken)
    x, y, weight = expected_arrays([points for _, points in FIXED_WIDTH_21])
    np.testing.assert_array_equal(bulk.x, x)
    np.testing.assert_array_equal(bulk.y, y)
    np.testing.assert_array_equal(bulk.weight, weight)
    assert bulk.skipped.no_point_geometry == 7


@pytest.mark.parametrize(
    ("rows", "fast", "points"),
    [
        # Z points of one width and type, one empty: the fast path, x and y only.
        (
            [wkb_point(i, -i, 7, type_code=1001) for i in range(5)]
            + [wkb_point(NAN, NAN, 1, type_code=1001)],
            True,
            5,
        ),
        # 29 bytes for padded 2D points and a Z point: two types, the general path, all read.
        (
            [wkb_point(i, -i) + bytes(8) for i in range(3)] + [wkb_point(1, 2, 3, type_code=1001)],
            False,
            4,
        ),
        # A ZM type in 29 bytes is too short for its type: not the fast path; GDAL drops them.
        ([wkb_point(i, -i, 7, type_code=3001) for i in range(3)], False, 0),
    ],
)
def test_fixed_width_points_take_the_fast_path_only_when_it_is_right(
    tmp_path, qgis_app, monkeypatch, rows, fast, points
):
    layer = gpkg_with_blobs(
        str(tmp_path / "width29.gpkg"),
        [(gpkg_blob(wkb), {"w": float(index)}) for index, wkb in enumerate(rows)],
    )
    taken = single_point_batches(monkeypatch)
    bulk, iterated = read_both(layer, weight_field="w")
    assert_same_arrays(bulk, iterated)
    assert taken == [fast]
    assert bulk.count == points
    assert bulk.skipped.no_point_geometry == len(rows) - points


def random_wkb(rng: random.Random) -> bytes | None:
    """A point or multipoint, often with odd byte orders, types or counts, often damaged."""
    byte_orders = [1, 1, 1, 0, 0x31, 0x30, 0x11, 0x20, 2, 0xFF]
    point_types = {1: 2, 1001: 3, 2001: 3, 3001: 4, 0x80000001: 3, 0x40000001: 3, 0x8001: 3}
    point_types |= {2000001: 4, 4000001: 3, 3000001: 2, 4001: 2, 0x20000001: 2, 2: 2}

    def point(type_code: int | None = None) -> bytes:
        type_code = rng.choice(list(point_types)) if type_code is None else type_code
        values = [rng.choice([rng.uniform(-1e3, 1e3), NAN, INF, 1e308]) for _ in range(4)]
        if rng.random() < 0.7:
            values[:2] = rng.uniform(-1e3, 1e3), rng.uniform(-1e3, 1e3)
        extra = values[2 : point_types[type_code]]
        return wkb_point(*values[:2], *extra, type_code=type_code, order=rng.choice(byte_orders))

    if rng.random() < 0.05:
        return None
    if rng.random() < 0.4:
        blob = point()
    else:
        type_code = rng.choice([4, 1004, 2004, 3004, 0x80000004, 2000007, 3000007, 7])
        part_type = {1004: 1001, 2004: 2001, 3004: 3001}.get(type_code, 1)
        same = rng.random() < 0.6
        parts = [point(part_type if same else None) for _ in range(rng.choice([0, 1, 2, 5]))]
        count = rng.choice([len(parts)] * 6 + [len(parts) + 1, 2**31, 10**9, 2**32 - 1])
        blob = wkb_multipoint(parts, count, type_code)
    damage = rng.random()
    if damage < 0.15:
        return blob[: rng.randrange(len(blob))]
    if damage < 0.25:
        flipped = bytearray(blob)
        flipped[rng.randrange(len(blob))] = rng.randrange(256)
        return bytes(flipped)
    if damage < 0.3:
        return blob + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 12)))
    return blob


def gdal_points(blob: bytes | None) -> list[tuple[float, float]]:
    """The points GDAL reads from a WKB blob, without those with a NaN coordinate."""
    geometry = ogr.CreateGeometryFromWkb(blob) if blob else None
    if geometry is None:
        return []
    flat_type = ogr.GT_Flatten(geometry.GetGeometryType())
    if flat_type == ogr.wkbPoint:
        points = [] if geometry.IsEmpty() else [(geometry.GetX(), geometry.GetY())]
    elif flat_type == ogr.wkbMultiPoint:
        parts = [geometry.GetGeometryRef(i) for i in range(geometry.GetGeometryCount())]
        points = [(part.GetX(), part.GetY()) for part in parts]
    else:
        points = []
    return [(x, y) for x, y in points if not (math.isnan(x) or math.isnan(y))]


@pytest.mark.parametrize("seed", range(4))
def test_decoder_reads_random_blobs_as_gdal_does(seed):
    rng = random.Random(seed)
    for _ in range(150):
        blobs = [random_wkb(rng) for _ in range(rng.choice([1, 2, 30]))]
        expected = [(row, *point) for row, blob in enumerate(blobs) for point in gdal_points(blob)]
        x, y, owner = sources.points_from_wkb(np.array(blobs, dtype=object))
        assert list(zip(owner.tolist(), x.tolist(), y.tolist())) == expected, blobs
        lengths = {len(blob) for blob in blobs if blob is not None}
        if None not in blobs and len(lengths) == 1 and lengths != {0}:
            fixed = np.frombuffer(b"".join(blobs), dtype=f"V{lengths.pop()}")
            x, y, owner = sources.points_from_wkb(fixed)
            assert list(zip(owner.tolist(), x.tolist(), y.tolist())) == expected, blobs


def test_bulk_and_iterator_agree_on_random_blobs(tmp_path, qgis_app, monkeypatch):
    rng = random.Random(11)
    blobs = [random_wkb(rng) for _ in range(400)]
    layer = gpkg_with_blobs(
        str(tmp_path / "random.gpkg"),
        [
            (None if blob is None else gpkg_blob(blob), {"w": float(index), "r": 1.0})
            for index, blob in enumerate(blobs)
        ],
    )
    monkeypatch.setattr(sources, "BULK_BATCH_FEATURES", 16)
    bulk, iterated = read_both(layer, weight_field="w", radius_field="r")
    assert_same_arrays(bulk, iterated)
    points = [point for blob in blobs for point in gdal_points(blob)]
    finite = [(x, y) for x, y in points if math.isfinite(x) and math.isfinite(y)]
    assert 0 < bulk.count <= len(finite)
    assert bulk.skipped.no_point_geometry > 50 and bulk.skipped.non_finite_coordinates > 5


# (weight, radius, reason the feature is skipped, or None when kept)
NON_FINITE_VALUES = [
    (1.0, 5.0, None),
    (NAN, 5.0, "non_finite_weight"),
    (INF, 5.0, "non_finite_weight"),
    (-INF, 5.0, "non_finite_weight"),
    (None, 5.0, "null_weight"),
    (2.0, NAN, "non_finite_radius"),
    (2.0, INF, "non_finite_radius"),
    (2.0, -INF, "non_finite_radius"),
    (2.0, None, "null_radius"),
    (2.0, -1.0, "non_positive_radius"),
    (NAN, None, "non_finite_weight"),
    (None, NAN, "null_weight"),
    (4.0, 7.0, None),
]


def test_nan_and_inf_values_are_not_counted_as_null(tmp_path, qgis_app):
    """A Shapefile keeps NaN and inf in its numeric fields (as text); NULL is an empty field."""
    path = str(tmp_path / "values.shp")
    dataset = ogr.GetDriverByName("ESRI Shapefile").CreateDataSource(path)
    crs = osr.SpatialReference()
    crs.ImportFromEPSG(PROJECTED_EPSG)
    ogr_layer = dataset.CreateLayer("values", crs, ogr.wkbPoint)
    for name in ("w", "r"):
        ogr_layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    for index, (weight, radius, _) in enumerate(NON_FINITE_VALUES):
        feature = ogr.Feature(ogr_layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({index} {-index})"))
        for name, value in (("w", weight), ("r", radius)):
            if value is not None:
                feature[name] = value
        ogr_layer.CreateFeature(feature)
    dataset = None
    layer = QgsVectorLayer(path, "values", "ogr")
    assert layer.isValid()

    bulk, iterated = read_both(layer, weight_field="w", radius_field="r")
    assert_same_arrays(bulk, iterated)
    reasons = [reason for _, _, reason in NON_FINITE_VALUES if reason is not None]
    assert bulk.skipped == sources.SkippedFeatures(
        **{reason: reasons.count(reason) for reason in set(reasons)}
    )
    np.testing.assert_array_equal(bulk.weight, [1.0, 4.0])
    np.testing.assert_array_equal(bulk.radius, [5.0, 7.0])
    assert bulk.largest_radius_feature == iterated.largest_radius_feature == 12  # 0-based FID

    bulk, iterated = read_both(layer, weight_field="w")
    assert_same_arrays(bulk, iterated)
    assert bulk.skipped == sources.SkippedFeatures(non_finite_weight=4, null_weight=2)
    assert bulk.largest_radius_feature is None


def test_iterator_reads_nan_and_inf_text_of_a_delimited_text_layer(tmp_path, qgis_app):
    """QGIS's delimited text provider parses 'nan', 'NaN', 'inf' and '-inf' as numbers."""
    path = tmp_path / "values.csv"
    path.write_text(
        "x,y,w\n1,2,1.5\n3,4,nan\n5,6,inf\n7,8,-inf\n9,10,\n"
        "inf,12,2\n13,-inf,2\nnan,14,2\n1e308,15,NaN\n16,17,2.5\n"
    )
    layer = QgsVectorLayer(
        f"{path.as_uri()}?type=csv&xField=x&yField=y&crs=EPSG:{PROJECTED_EPSG}",
        "values",
        "delimitedtext",
    )
    assert layer.isValid()
    assert sources.bulk_location(layer, layer.id()) is None
    points = sources.read_points_iterated(layer, weight_field="w")
    np.testing.assert_array_equal(points.x, [1, 16])
    np.testing.assert_array_equal(points.weight, [1.5, 2.5])
    assert points.skipped == sources.SkippedFeatures(
        no_point_geometry=1, non_finite_coordinates=2, null_weight=1, non_finite_weight=4
    )


INFINITE_COORDINATES = [
    (gpkg_blob(wkb_point(1, 2)), {"w": 1.0}, "kept"),
    (gpkg_blob(wkb_point(INF, 2)), {"w": 1.0}, "non_finite_coordinates"),
    (gpkg_blob(wkb_point(1, -INF)), {"w": 1.0}, "non_finite_coordinates"),
    (
        gpkg_blob(wkb_multipoint([wkb_point(3, 4), wkb_point(INF, 5)])),
        {"w": 1.0},
        "non_finite_coordinates",
    ),
    (
        gpkg_blob(wkb_multipoint([wkb_point(NAN, NAN), wkb_point(-INF, 1)])),
        {"w": 1.0},
        "non_finite_coordinates",
    ),
    (gpkg_blob(wkb_point(INF, 2)), {"w": None}, "non_finite_coordinates"),  # the first reason
    (gpkg_blob(wkb_point(NAN, INF)), {"w": 1.0}, "no_point_geometry"),  # NaN: an empty point
    (gpkg_blob(wkb_point(NAN, NAN)), {"w": 1.0}, "no_point_geometry"),
    (gpkg_blob(wkb_point(1e308, -1e308)), {"w": 1.0}, "kept"),  # huge but finite
    (gpkg_blob(wkb_point(5, 6)), {"w": INF}, "non_finite_weight"),
    (gpkg_blob(wkb_point(5, 6)), {"w": -INF}, "non_finite_weight"),
    (gpkg_blob(wkb_multipoint([wkb_point(7, 8), wkb_point(9, 10)])), {"w": 2.0}, "kept"),
]


@pytest.mark.parametrize("batch_features", [3, 1000])
def test_infinite_coordinates_are_counted_apart(tmp_path, qgis_app, monkeypatch, batch_features):
    monkeypatch.setattr(sources, "BULK_BATCH_FEATURES", batch_features)
    layer = gpkg_with_blobs(
        str(tmp_path / "infinite.gpkg"),
        [(blob, values) for blob, values, _ in INFINITE_COORDINATES],
    )
    bulk, iterated = read_both(layer, weight_field="w")
    assert_same_arrays(bulk, iterated)
    np.testing.assert_array_equal(bulk.x, [1, 1e308, 7, 9])
    np.testing.assert_array_equal(bulk.y, [2, -1e308, 8, 10])
    assert bulk.skipped == sources.SkippedFeatures(
        no_point_geometry=2, non_finite_coordinates=5, non_finite_weight=2
    )


def test_absurd_radii_pass_unchanged_and_the_largest_is_named(tmp_path, qgis_app, monkeypatch):
    """The readers do not judge radii beyond > 0; they say which feature has the largest."""
    radii = [5.0, 1e300, 7.0, 1e300, 5e-324, 1.7976931348623157e308, 3.0]
    uri = make_gpkg(
        str(tmp_path / "radii.gpkg"),
        [PointFeature(f"POINT ({i} {i})", {"r": radius}) for i, radius in enumerate(radii)],
        fields={"r": ogr.OFTReal},
    )
    layer = QgsVectorLayer(uri, "radii", "ogr")
    for batch_features in (2, 1000):
        monkeypatch.setattr(sources, "BULK_BATCH_FEATURES", batch_features)
        bulk, iterated = read_both(layer, radius_field="r")
        assert_same_arrays(bulk, iterated)
        np.testing.assert_array_equal(bulk.radius, radii)
        assert bulk.largest_radius_feature == iterated.largest_radius_feature == 6  # GPKG fid

    radii[5] = 2.0  # two equal largest radii: the first one read is named
    uri = make_gpkg(
        str(tmp_path / "ties.gpkg"),
        [PointFeature(f"POINT ({i} {i})", {"r": radius}) for i, radius in enumerate(radii)],
        fields={"r": ogr.OFTReal},
    )
    bulk, iterated = read_both(QgsVectorLayer(uri, "ties", "ogr"), radius_field="r")
    assert bulk.largest_radius_feature == iterated.largest_radius_feature == 2
