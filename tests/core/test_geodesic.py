"""Geodesic distances and cell areas on WGS84 (kde_heatmap_plugin.core.geodesic).

The comparisons with pyproj (Karney's exact solver) are skipped when pyproj is not installed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from kde_heatmap_plugin.core.geodesic import (
    WGS84_A,
    WGS84_F,
    GeodesicNotConverged,
    cell_areas,
    geodesic_distance,
)

#: Total area of the WGS84 ellipsoid (m^2).
WGS84_TOTAL_AREA = 5.10065621724e14
#: Quarter meridian and one degree of equator of WGS84 (m).
QUARTER_MERIDIAN = 10_001_965.729
EQUATOR_DEGREE = 111_319.49


def _geod():
    pyproj = pytest.importorskip("pyproj")
    with warnings.catch_warnings():  # a missing PROJ data directory does not matter to Geod
        warnings.simplefilter("ignore")
        return pyproj.Geod(ellps="WGS84")


def _assert_close_to_reference(distances, reference):
    reference = np.asarray(reference, dtype=np.float64)
    error = np.abs(np.asarray(distances) - reference)
    assert np.all(error <= np.maximum(1e-6 * reference, 1e-6)), (
        f"worst relative error {np.max(error / np.maximum(reference, 1e-300))}, "
        f"worst absolute {np.max(error)} m"
    )


def _random_pairs(rng, count, longest):
    """Points spread over the sphere and partners up to ``longest`` metres away (pyproj fwd)."""
    geod = _geod()
    lon1 = rng.uniform(-180.0, 180.0, count)
    lat1 = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, count)))
    azimuth = rng.uniform(-180.0, 180.0, count)
    distance = longest * rng.uniform(0.0, 1.0, count) ** 2  # many short pairs too
    lon2, lat2, _ = geod.fwd(lon1, lat1, azimuth, distance)
    return lon1, lat1, np.asarray(lon2), np.asarray(lat2)


# ---- no pyproj needed -----------------------------------------------------------------------


def test_constants():
    assert WGS84_A == 6378137.0
    assert WGS84_F == 1 / 298.257223563


def test_known_values():
    assert geodesic_distance(0.0, 0.0, 0.0, 90.0) == pytest.approx(QUARTER_MERIDIAN, abs=1e-3)
    assert geodesic_distance(0.0, -90.0, 0.0, 0.0) == pytest.approx(QUARTER_MERIDIAN, abs=1e-3)
    assert geodesic_distance(0.0, 0.0, 1.0, 0.0) == pytest.approx(EQUATOR_DEGREE, abs=5e-3)
    assert geodesic_distance(179.5, 0.0, -179.5, 0.0) == pytest.approx(EQUATOR_DEGREE, abs=5e-3)
    # along the equator, exactly a times the longitude difference (radians)
    lon = np.array([1e-9, 1e-5, 0.01, 1.0, 10.0, 45.0, 120.0, 179.0])
    assert np.allclose(geodesic_distance(0.0, 0.0, lon, 0.0), WGS84_A * np.radians(lon), 1e-12)


def test_zero_distance_and_no_nan():
    rng = np.random.default_rng(1)
    lon = rng.uniform(-180.0, 180.0, 1000)
    lat = rng.uniform(-90.0, 90.0, 1000)
    lat[:10] = 90.0
    lat[10:20] = -90.0
    lat[20:30] = 0.0
    assert np.array_equal(geodesic_distance(lon, lat, lon, lat), np.zeros(1000))
    # a pole is one point whatever its longitude; 360 degrees apart is the same point
    poles = geodesic_distance(lon, 90.0, -lon, 90.0)
    assert np.all(poles < 1e-6)
    assert np.all(geodesic_distance(lon, lat, lon + 360.0, lat) < 1e-6)
    assert np.all(geodesic_distance(-180.0, lat, 180.0, lat) < 1e-6)
    both = geodesic_distance(lon, 90.0, lon[::-1], -90.0)
    assert np.allclose(both, 2 * QUARTER_MERIDIAN, atol=2e-3)


def test_broadcasting_and_shapes():
    lon = np.linspace(-10.0, 10.0, 5)
    lat = np.linspace(40.0, 50.0, 3)[:, None]
    result = geodesic_distance(lon, lat, 0.0, 45.0)
    assert result.shape == (3, 5)
    assert result.dtype == np.float64
    for i in range(3):
        for j in range(5):
            single = geodesic_distance(lon[j], lat[i, 0], 0.0, 45.0)
            assert result[i, j] == pytest.approx(single, rel=1e-10)
    assert geodesic_distance(0.0, 0.0, 1.0, 1.0).shape == ()
    assert geodesic_distance([], [], [], []).shape == (0,)


def test_symmetry():
    rng = np.random.default_rng(2)
    lon1, lon2 = rng.uniform(-180.0, 180.0, (2, 20000))
    lat1, lat2 = rng.uniform(-90.0, 90.0, (2, 20000))
    lon2 = lon1 + rng.uniform(-40.0, 40.0, 20000)
    forward = geodesic_distance(lon1, lat1, lon2, lat2)
    backward = geodesic_distance(lon2, lat2, lon1, lat1)
    assert np.allclose(forward, backward, rtol=1e-10, atol=1e-8)
    # mirror images: east-west, north-south, shifted in longitude
    assert np.allclose(forward, geodesic_distance(-lon1, lat1, -lon2, lat2), 1e-10, 1e-8)
    assert np.allclose(forward, geodesic_distance(lon1, -lat1, lon2, -lat2), 1e-10, 1e-8)
    assert np.allclose(forward, geodesic_distance(lon1 + 77, lat1, lon2 + 77, lat2), 1e-9, 1e-6)


def test_triangle_inequality():
    rng = np.random.default_rng(3)
    count = 20000
    lon = rng.uniform(-180.0, 180.0, (3, count))
    lat = np.degrees(np.arcsin(rng.uniform(-1.0, 1.0, (3, count))))
    lon[1:] = lon[0] + rng.uniform(-60.0, 60.0, (2, count))  # pairs under 20,000 km apart
    lat[1:] = np.clip(lat[0] + rng.uniform(-60.0, 60.0, (2, count)), -90.0, 90.0)
    ab = geodesic_distance(lon[0], lat[0], lon[1], lat[1])
    bc = geodesic_distance(lon[1], lat[1], lon[2], lat[2])
    ac = geodesic_distance(lon[0], lat[0], lon[2], lat[2])
    assert np.all(ac <= ab + bc + 1e-6)


def test_nearly_antipodal_points_are_refused():
    with pytest.raises(GeodesicNotConverged) as raised:
        geodesic_distance([0.0, 0.0], [0.0, 0.0], [1.0, 179.9], [0.0, 0.0])
    assert raised.value.count == 1
    assert raised.value.example == (0.0, 0.0, 179.9, 0.0)
    assert isinstance(raised.value, ValueError)


def test_cell_areas_total_and_symmetry():
    for step in (0.25, 1.0, 7.5):
        edges = np.arange(-90.0, 90.0 + step / 2, step)
        zones = cell_areas(edges[:-1], edges[1:], step)
        total = zones.sum() * (360.0 / step)
        assert total == pytest.approx(WGS84_TOTAL_AREA, rel=1e-10)
        assert np.allclose(zones, zones[::-1], rtol=1e-9)  # north-south symmetric
        assert np.all(zones > 0)
        # cells shrink towards the poles
        half = zones[len(zones) // 2 :]
        assert np.all(np.diff(half) < 0)
    assert float(cell_areas(-90.0, 90.0, 360.0)) == pytest.approx(WGS84_TOTAL_AREA, rel=1e-12)
    # additive and broadcast
    whole = cell_areas(10.0, 30.0, 2.0)
    assert float(cell_areas(10.0, 20.0, 2.0) + cell_areas(20.0, 30.0, 2.0)) == pytest.approx(
        float(whole), rel=1e-13
    )
    assert cell_areas(np.zeros((2, 1)), np.ones(3), 1.0).shape == (2, 3)
    assert cell_areas(0.0, 0.0, 1.0) == 0.0


def test_cell_area_near_the_equator():
    # a small cell on the equator: the local radii of curvature are a (east) and a (1 - e^2)
    e2 = WGS84_F * (2 - WGS84_F)
    d = 1e-3
    expected = np.radians(d) ** 2 * WGS84_A * WGS84_A * (1 - e2)
    assert float(cell_areas(-d / 2, d / 2, d)) == pytest.approx(expected, rel=1e-9)


# ---- against pyproj -------------------------------------------------------------------------


def test_random_pairs_against_pyproj():
    geod = _geod()
    rng = np.random.default_rng(4)
    lon1, lat1, lon2, lat2 = _random_pairs(rng, 200_000, 5_000_000.0)
    reference = geod.inv(lon1, lat1, lon2, lat2)[2]
    _assert_close_to_reference(geodesic_distance(lon1, lat1, lon2, lat2), reference)


def test_long_pairs_against_pyproj():
    geod = _geod()
    rng = np.random.default_rng(5)
    lon1, lat1, lon2, lat2 = _random_pairs(rng, 50_000, 19_000_000.0)
    reference = geod.inv(lon1, lat1, lon2, lat2)[2]
    _assert_close_to_reference(geodesic_distance(lon1, lat1, lon2, lat2), reference)


@pytest.mark.parametrize(
    "pair",
    [
        (179.9, 10.0, -179.9, 10.0),  # across the antimeridian
        (-179.9, -45.0, 179.9, -45.5),
        (180.0, 0.0, -180.0, 0.0),
        (179.9, 89.999, -179.9, 89.999),  # near the poles
        (0.0, 89.999, 180.0, 89.999),
        (10.0, -90.0, 170.0, -89.999),
        (0.0, 90.0, 45.0, 90.0),  # at the poles
        (0.0, -90.0, 0.0, -89.0),
        (0.0, 90.0, 0.0, 45.0),
        (0.0, 90.0, 0.0, -90.0),
        (0.0, 0.0, 0.0, 0.0),  # coincident
        (12.5, 47.0, 12.5, 47.0),
        (0.0, 0.0, 10.0, 0.0),  # equator
        (0.0, 0.0, 40.0, 0.0),
        (0.0, 0.0, 1e-7, 0.0),
        (1.0, 2.0, 1.000000001, 2.0),  # a millimetre or less
        (30.0, 60.0, 30.00001, 60.00001),
        (0.0, 0.0, 0.0, 90.0),  # meridian
        (100.0, -30.0, 100.0, 10.0),
        (-70.0, -40.0, 30.0, 40.0),  # long
    ],
)
def test_special_cases_against_pyproj(pair):
    geod = _geod()
    reference = geod.inv(*pair)[2]
    _assert_close_to_reference(geodesic_distance(*pair), reference)


def test_grid_near_poles_and_antimeridian_against_pyproj():
    geod = _geod()
    lon = np.array([-180.0, -179.99, -179.9, -90.0, 0.0, 90.0, 179.9, 179.99, 180.0])
    lat = np.array([-90.0, -89.999, -89.9, -60.0, 0.0, 60.0, 89.9, 89.999, 90.0])
    grid_lon, grid_lat = (a.ravel() for a in np.meshgrid(lon, lat))
    lon1, lon2 = np.meshgrid(grid_lon, grid_lon)
    lat1, lat2 = np.meshgrid(grid_lat, grid_lat)
    reference = np.asarray(geod.inv(lon1.ravel(), lat1.ravel(), lon2.ravel(), lat2.ravel())[2])
    near = reference <= 5_000_000.0
    _assert_close_to_reference(
        geodesic_distance(
            lon1.ravel()[near], lat1.ravel()[near], lon2.ravel()[near], lat2.ravel()[near]
        ),
        reference[near],
    )


def _cell_area_pyproj(geod, south, north, dlon, vertices_per_edge=2000):
    """pyproj's area of the cell, its parallels densified (pyproj's edges are geodesics)."""
    east = np.linspace(0.0, dlon, vertices_per_edge)
    lons = np.concatenate([east, east[::-1]])
    lats = np.concatenate([np.full(vertices_per_edge, south), np.full(vertices_per_edge, north)])
    area, _ = geod.polygon_area_perimeter(lons, lats)
    return abs(area)


@pytest.mark.parametrize(
    ("south", "north", "dlon"),
    [
        (0.0, 1.0, 1.0),
        (-0.5, 0.5, 0.5),
        (45.0, 45.1, 0.1),
        (59.99, 60.0, 0.01),
        (-80.0, -79.0, 2.0),
        (89.0, 90.0, 1.0),
        (-90.0, -89.9, 0.1),
        (30.0, 31.0, 0.001),
    ],
)
def test_cell_areas_against_pyproj(south, north, dlon):
    geod = _geod()
    reference = _cell_area_pyproj(geod, south, north, dlon)
    assert float(cell_areas(south, north, dlon)) == pytest.approx(reference, rel=1e-6)
