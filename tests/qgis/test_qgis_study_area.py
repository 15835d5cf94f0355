"""Reading a study area layer: reprojected, multipart with holes, repaired, dissolved, counted."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest
from osgeo import ogr
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsVectorLayer,
)
from qgis_test_support import PointFeature, make_gpkg

from kde_heatmap_plugin.core import Cancelled
from kde_heatmap_plugin.core.edges import Window, points_inside
from kde_heatmap_plugin.study_area import StudyAreaReason, StudyAreaRefused, read_study_area

UTM = QgsCoordinateReferenceSystem("EPSG:32617")
TO_UTM = pyproj.Transformer.from_crs(4326, 32617, always_xy=True)


def layer_of(tmp_path, wkts, *, geometry_type=ogr.wkbMultiPolygon, epsg=4326, name="area"):
    path = make_gpkg(
        str(tmp_path / f"{name}.gpkg"),
        [PointFeature(wkt) for wkt in wkts],
        geometry_type=geometry_type,
        epsg=epsg,
        layer_name=name,
    )
    layer = QgsVectorLayer(path, name, "ogr")
    assert layer.isValid()
    return layer


def read(layer, **options):
    return read_study_area(layer, UTM, QgsCoordinateTransformContext(), **options)


def lon_lat_ring(lon, lat, half_width, half_height):
    return [
        (lon - half_width, lat - half_height),
        (lon + half_width, lat - half_height),
        (lon + half_width, lat + half_height),
        (lon - half_width, lat + half_height),
    ]


def wkt_ring(points):
    return "(" + ", ".join(f"{x!r} {y!r}" for x, y in points + points[:1]) + ")"


def utm(points):
    x, y = TO_UTM.transform(*np.array(points).T)
    return np.c_[x, y]


def shoelace(ring):
    x, y = ring[:, 0], ring[:, 1]
    return abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def test_multipart_with_hole_reprojected(tmp_path):
    outer = lon_lat_ring(-81.0, 35.0, 0.02, 0.015)
    hole = lon_lat_ring(-81.0, 35.0, 0.008, 0.005)
    island = lon_lat_ring(-80.94, 35.0, 0.01, 0.01)
    layer = layer_of(
        tmp_path,
        [f"MULTIPOLYGON(({wkt_ring(outer)}, {wkt_ring(hole)}), ({wkt_ring(island)}))"],
    )
    area = read(layer)
    assert (area.features_read, area.skipped, area.repaired) == (1, 0, 0)
    assert len(area.rings) == 3
    # every vertex is PROJ's transform of an input vertex (the union may start rings elsewhere)
    expected = utm(outer + hole + island)
    got = np.concatenate([ring[:-1] for ring in area.rings])
    assert got.shape == expected.shape
    distance = np.hypot(*(got[:, None, :] - expected[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    assert distance.max() < 1e-6
    for ring in area.rings:
        np.testing.assert_array_equal(ring[0], ring[-1])
    expected_area = shoelace(utm(outer)) - shoelace(utm(hole)) + shoelace(utm(island))
    assert area.area == pytest.approx(expected_area, rel=1e-9)
    window = Window.from_rings(area.rings)
    assert window.area == pytest.approx(expected_area, rel=1e-9)
    centre, in_ring, in_island = utm([(-81.0, 35.0), (-81.015, 35.0), (-80.94, 35.005)])
    inside = points_inside(*np.array([centre, in_ring, in_island]).T, window)
    assert list(inside) == [False, True, True]


def test_null_and_empty_skipped_overlaps_dissolved(tmp_path):
    first = lon_lat_ring(-81.0, 35.0, 0.01, 0.01)
    second = lon_lat_ring(-80.99, 35.0, 0.01, 0.01)  # overlaps the first by half
    layer = layer_of(
        tmp_path,
        [f"POLYGON({wkt_ring(first)})", None, "POLYGON EMPTY", f"POLYGON({wkt_ring(second)})"],
        geometry_type=ogr.wkbPolygon,
    )
    area = read(layer)
    assert (area.features_read, area.skipped) == (4, 2)
    assert len(area.rings) == 1  # one polygon, not two overlapping ones (even-odd would cut)
    overlap = utm([(-80.995, 35.0)])
    assert points_inside(overlap[:, 0], overlap[:, 1], area.rings)[0]
    union = lon_lat_ring(-80.995, 35.0, 0.015, 0.01)
    assert area.area == pytest.approx(shoelace(utm(union)), rel=1e-4)  # edges bend in UTM


def test_invalid_made_valid_or_refused(tmp_path):
    bow_tie = "POLYGON((-81 35, -80.98 35.02, -80.98 35, -81 35.02, -81 35))"
    layer = layer_of(tmp_path, [bow_tie], geometry_type=ogr.wkbPolygon)
    area = read(layer)
    assert area.repaired == 1 and len(area.rings) == 2
    two_triangles = sum(
        shoelace(utm(t))
        for t in (
            [(-81, 35), (-80.99, 35.01), (-81, 35.02)],
            [(-80.98, 35), (-80.98, 35.02), (-80.99, 35.01)],
        )
    )
    assert area.area == pytest.approx(two_triangles, rel=1e-4)
    with pytest.raises(StudyAreaRefused) as caught:
        read(layer, make_valid=False)
    assert caught.value.reason == StudyAreaReason.INVALID_GEOMETRY
    assert caught.value.facts["feature_id"] == 1


def test_refusals_and_cancel(tmp_path):
    points = layer_of(tmp_path, ["POINT(-81 35)"], geometry_type=ogr.wkbPoint, name="points")
    with pytest.raises(StudyAreaRefused) as caught:
        read(points)
    assert caught.value.reason == StudyAreaReason.NOT_POLYGONS
    empty = layer_of(tmp_path, [None, "POLYGON EMPTY"], geometry_type=ogr.wkbPolygon, name="e")
    with pytest.raises(StudyAreaRefused) as caught:
        read(empty)
    assert caught.value.reason == StudyAreaReason.NO_AREA
    assert caught.value.facts == {"features_read": 2, "skipped": 2}
    square = f"POLYGON({wkt_ring(lon_lat_ring(-81.0, 35.0, 0.01, 0.01))})"
    many = layer_of(tmp_path, [square] * 2500, geometry_type=ogr.wkbPolygon, name="many")
    with pytest.raises(Cancelled):
        read(many, progress=lambda fraction: fraction < 0.5)


def test_same_crs_read_as_is(tmp_path):
    ring = [(500000.0, 3900000.0), (501000.0, 3900000.0), (501000.0, 3900500.0)]
    layer = layer_of(tmp_path, [f"POLYGON({wkt_ring(ring)})"], epsg=32617, name="utm")
    area = read(layer)
    got = area.rings[0][:-1]
    assert sorted(map(tuple, got)) == sorted(ring)
    assert area.area == 250000.0
