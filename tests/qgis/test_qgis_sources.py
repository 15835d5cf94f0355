"""sources.py: the bulk GDAL reader and the feature iterator give the same arrays."""

from __future__ import annotations

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import (
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorLayer,
)
from qgis_test_support import PointFeature, assert_float32_raster_of, make_gpkg, read_raster

from kde_heatmap_plugin import sources
from kde_heatmap_plugin.core import Cancelled, kernel_density

MESSY_FEATURES = [
    PointFeature("POINT (1 2)", {"w": 1.5, "r": 3.0}),
    PointFeature("POINT Z (3 4 5)", {"w": 2.0, "r": 4.0}),
    PointFeature("POINT M (5 6 7)", {"w": -1.0, "r": 5.0}),
    PointFeature("POINT ZM (7 8 9 10)", {"w": 0.0, "r": 6.0}),
    PointFeature("MULTIPOINT ((10 11), (12 13), (14 15))", {"w": 3.0, "r": 7.0}),
    PointFeature("MULTIPOINT Z ((20 21 1), (22 23 2))", {"w": 4.0, "r": 8.0}),
    PointFeature(None, {"w": 1.0, "r": 1.0}),  # NULL geometry
    PointFeature("POINT EMPTY", {"w": 1.0, "r": 1.0}),
    PointFeature("MULTIPOINT EMPTY", {"w": 1.0, "r": 1.0}),
    PointFeature("LINESTRING (0 0, 1 1)", {"w": 1.0, "r": 1.0}),  # not a point
    PointFeature("POINT (30 31)", {"w": None, "r": 2.0}),  # NULL weight
    PointFeature("POINT (32 33)", {"w": 1.0, "r": None}),  # NULL radius
    PointFeature("POINT (34 35)", {"w": 1.0, "r": 0.0}),  # radius not positive
    PointFeature("POINT (36 37)", {"w": 1.0, "r": -2.0}),
    PointFeature("POINT (38 39)", {"w": None, "r": None}),  # counted once, as NULL weight
    PointFeature("POINT (40.25 41.75)", {"w": 2.5, "r": 9.0}),
]
EXPECTED_X = [1, 3, 5, 7, 10, 12, 14, 20, 22, 40.25]
EXPECTED_Y = [2, 4, 6, 8, 11, 13, 15, 21, 23, 41.75]
EXPECTED_WEIGHT = [1.5, 2, -1, 0, 3, 3, 3, 4, 4, 2.5]
EXPECTED_RADIUS = [3, 4, 5, 6, 7, 7, 7, 8, 8, 9]


@pytest.fixture()
def messy_layer(tmp_path, qgis_app) -> QgsVectorLayer:
    uri = make_gpkg(
        str(tmp_path / "messy.gpkg"),
        MESSY_FEATURES,
        geometry_type=ogr.wkbUnknown,
        fields={"w": ogr.OFTReal, "r": ogr.OFTReal},
    )
    layer = QgsVectorLayer(uri, "messy", "ogr")
    assert layer.isValid() and layer.featureCount() == len(MESSY_FEATURES)
    return layer


def read_both(layer: QgsVectorLayer, **fields) -> tuple[sources.PointArrays, sources.PointArrays]:
    location = sources.bulk_location(layer, layer.source())
    assert location is not None
    bulk = sources.read_points_bulk(location, **fields)
    assert bulk is not None
    return bulk, sources.read_points_iterated(layer, **fields)


def assert_same_arrays(first: sources.PointArrays, second: sources.PointArrays) -> None:
    np.testing.assert_array_equal(first.x, second.x)
    np.testing.assert_array_equal(first.y, second.y)
    for name in ("weight", "radius"):
        first_values, second_values = getattr(first, name), getattr(second, name)
        assert (first_values is None) == (second_values is None), name
        if first_values is not None:
            np.testing.assert_array_equal(first_values, second_values)
    assert first.skipped == second.skipped
    assert first.features_read == second.features_read
    assert first.largest_radius_feature == second.largest_radius_feature


def test_bulk_and_iterator_agree_on_messy_features(messy_layer):
    bulk, iterated = read_both(messy_layer, weight_field="w", radius_field="r")
    assert_same_arrays(bulk, iterated)
    np.testing.assert_array_equal(bulk.x, EXPECTED_X)
    np.testing.assert_array_equal(bulk.y, EXPECTED_Y)
    np.testing.assert_array_equal(bulk.weight, EXPECTED_WEIGHT)
    np.testing.assert_array_equal(bulk.radius, EXPECTED_RADIUS)
    assert bulk.skipped == sources.SkippedFeatures(
        no_point_geometry=4, null_weight=2, null_radius=1, non_positive_radius=2
    )
    assert bulk.features_read == len(MESSY_FEATURES)
    assert bulk.largest_radius_feature == len(MESSY_FEATURES)  # the last one, radius 9


def test_bulk_and_iterator_agree_without_fields(messy_layer):
    bulk, iterated = read_both(messy_layer)
    assert_same_arrays(bulk, iterated)
    assert bulk.weight is None and bulk.radius is None
    assert bulk.count == len(EXPECTED_X) + 5  # the NULL-value features now count
    assert bulk.skipped == sources.SkippedFeatures(no_point_geometry=4)


def test_bulk_and_iterator_agree_on_a_shapefile(tmp_path, longleaf_gpkg, qgis_app):
    shapefile = str(tmp_path / "longleaf.shp")
    gpkg_path, layer_name = longleaf_gpkg.split("|layername=")
    ogr.GetDriverByName("ESRI Shapefile").CopyDataSource(ogr.Open(gpkg_path), str(tmp_path))
    layer = QgsVectorLayer(str(tmp_path / f"{layer_name}.shp"), "longleaf", "ogr")
    assert layer.isValid(), shapefile
    bulk, iterated = read_both(layer, weight_field="mark")
    assert_same_arrays(bulk, iterated)
    assert bulk.count == 584


def test_bulk_and_iterator_agree_across_batches(tmp_path, qgis_app, monkeypatch):
    rng = np.random.default_rng(7)
    features = [
        PointFeature(f"POINT ({x!r} {y!r})", {"w": float(w)})
        for x, y, w in rng.uniform(0, 1000, (2500, 3))
    ]
    layer = QgsVectorLayer(
        make_gpkg(str(tmp_path / "many.gpkg"), features, fields={"w": ogr.OFTReal}), "many", "ogr"
    )
    monkeypatch.setattr(sources, "BULK_BATCH_FEATURES", 1000)
    bulk, iterated = read_both(layer, weight_field="w")
    assert_same_arrays(bulk, iterated)
    assert bulk.count == 2500


@pytest.mark.parametrize("export", ["iso little", "iso big", "25D big", "25D little"])
def test_wkb_decoder_handles_byte_orders_and_z_flags(export):
    wkts = [
        "POINT Z (1.5 -2.25 3)",
        "MULTIPOINT Z ((4 5 6), (7 8 9))",
        "POINT (10 11)",
        "MULTIPOINT ((12 13))",
        "POINT EMPTY",
        "LINESTRING Z (0 0 0, 1 1 1)",
    ]
    kind, order = export.split()
    byte_order = ogr.wkbXDR if order == "big" else ogr.wkbNDR
    blobs = []
    for wkt in wkts:
        geometry = ogr.CreateGeometryFromWkt(wkt)
        iso = kind == "iso" or geometry.IsEmpty()  # GDAL's old-style WKB writes POINT(0 0)
        blobs.append(
            bytes(geometry.ExportToIsoWkb(byte_order) if iso else geometry.ExportToWkb(byte_order))
        )
    blobs.insert(2, None)
    x, y, owner = sources.points_from_wkb(np.array(blobs + [b""], dtype=object))
    np.testing.assert_array_equal(x, [1.5, 4, 7, 10, 12])
    np.testing.assert_array_equal(y, [-2.25, 5, 8, 11, 13])
    np.testing.assert_array_equal(owner, [0, 1, 1, 3, 4])


def test_bulk_read_is_cancellable(messy_layer):
    location = sources.bulk_location(messy_layer, messy_layer.source())
    with pytest.raises(Cancelled):
        sources.read_points_bulk(location, progress=lambda fraction: False)
    with pytest.raises(Cancelled):
        sources.read_points_iterated(messy_layer, progress=lambda fraction: False)


def test_bulk_path_only_for_whole_file_layers(messy_layer, tmp_path):
    assert sources.bulk_location(messy_layer, messy_layer.id()) is not None
    selection = QgsProcessingFeatureSourceDefinition(messy_layer.id(), True)
    assert sources.bulk_location(messy_layer, selection) is None
    limited = QgsProcessingFeatureSourceDefinition(messy_layer.id(), False, 3)
    assert sources.bulk_location(messy_layer, limited) is None
    whole = QgsProcessingFeatureSourceDefinition(messy_layer.id(), False)
    assert sources.bulk_location(messy_layer, whole) is not None

    filtered = QgsVectorLayer(messy_layer.source(), "filtered", "ogr")
    filtered.setSubsetString('"w" > 1')
    assert sources.bulk_location(filtered, filtered.id()) is None

    memory = QgsVectorLayer("Point?crs=EPSG:32617", "memory", "memory")
    assert sources.bulk_location(memory, memory.id()) is None
    assert sources.bulk_location(None, "anything") is None

    edited = QgsVectorLayer(messy_layer.source(), "edited", "ogr")
    edited.startEditing()
    edited.deleteFeature(next(edited.getFeatures()).id())
    assert sources.bulk_location(edited, edited.id()) is None
    edited.rollBack()


def test_selected_features_only_and_feature_limit_are_honoured(
    processing_run, longleaf_gpkg, longleaf, tmp_path
):
    layer = QgsVectorLayer(longleaf_gpkg, "longleaf", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        selected_ids = [feature.id() for feature in layer.getFeatures() if feature["mark"] > 50]
        layer.selectByIds(selected_ids)
        chosen = longleaf["mark"] > 50
        output = str(tmp_path / "selected.tif")
        _, feedback = processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), True),
                "RADIUS": 10.0,
                "PIXEL_SIZE": 2.0,
                "OUTPUT": output,
            },
        )
        values, geotransform, _ = read_raster(output)
        grid, expected = kernel_density(
            longleaf["x"][chosen], longleaf["y"][chosen], radius=10.0, cell_size=2.0
        )
        assert geotransform == pytest.approx(grid.geotransform)
        assert_float32_raster_of(values, expected)
        assert any("feature iterator" in message for message in feedback.infos)

        output = str(tmp_path / "limited.tif")
        processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": QgsProcessingFeatureSourceDefinition(layer.id(), False, 25),
                "RADIUS": 10.0,
                "PIXEL_SIZE": 2.0,
                "OUTPUT": output,
            },
        )
        values, _, _ = read_raster(output)
        _, expected = kernel_density(
            longleaf["x"][:25], longleaf["y"][:25], radius=10.0, cell_size=2.0
        )
        assert_float32_raster_of(values, expected)
    finally:
        QgsProject.instance().removeMapLayer(layer.id())


@pytest.mark.parametrize("exceptions", [True, False])
def test_bulk_reader_works_whether_or_not_ogr_raises(messy_layer, exceptions):
    """QGIS and other plugins may switch ogr.UseExceptions() on; both modes must work."""
    was_on = ogr.GetUseExceptions()
    ogr.UseExceptions() if exceptions else ogr.DontUseExceptions()
    try:
        location = sources.bulk_location(messy_layer, messy_layer.source())
        assert sources.read_points_bulk(location, weight_field="w").count == len(EXPECTED_X) + 3
        missing_layer = sources.OgrLayerLocation(location.path, "no_such_layer", 0)
        assert sources.read_points_bulk(missing_layer) is None
        missing_file = sources.OgrLayerLocation(location.path + ".missing", None, 0)
        assert sources.read_points_bulk(missing_file) is None
    finally:
        ogr.UseExceptions() if was_on else ogr.DontUseExceptions()
