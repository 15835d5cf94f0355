"""The projected CRS chosen for longitude/latitude points (core/projection.py)."""

from __future__ import annotations

import numpy as np
import pytest

from kde_heatmap_plugin.core.projection import (
    UTM_MARGIN_DEGREES,
    largest_scale_error,
    local_projection,
    longitude_arc,
    utm_central_meridian,
    utm_zone,
    wrap_longitude,
)


def shortest_span_by_brute_force(longitudes: np.ndarray) -> float:
    """The shortest arc holding every longitude: try each point as the western end."""
    return min(float(np.max((longitudes - west) % 360.0)) for west in longitudes)


@pytest.mark.parametrize(
    "longitudes, west, span",
    [
        ([10.0, 20.0, 12.5], 10.0, 10.0),
        ([5.0], 5.0, 0.0),
        ([179.9, -179.9], 179.9, 0.2),  # across the antimeridian: 0.2 degrees, not 359.8
        ([170.0, -175.0, 178.0], 170.0, 15.0),
        ([-180.0, 180.0], -180.0, 0.0),  # one meridian, two names
        ([0.0, 90.0, 180.0, 270.0], 180.0, 270.0),  # even spacing: any gap may be left out
    ],
)
def test_longitude_arc_is_the_circle_less_its_widest_gap(longitudes, west, span):
    arc = longitude_arc(np.array(longitudes))
    assert arc.span == pytest.approx(span, abs=1e-9)
    if span < 270.0:
        assert arc.west == pytest.approx(west, abs=1e-9)


def test_longitude_arc_is_the_shortest_that_holds_every_point():
    rng = np.random.default_rng(11)
    for _ in range(300):
        centre = rng.uniform(-180, 180)
        longitudes = wrap_longitude(centre + rng.normal(0, rng.choice([0.5, 5, 60]), 20))
        arc = longitude_arc(longitudes)
        offsets = (longitudes - arc.west) % 360.0
        assert offsets.max() <= arc.span + 1e-9  # holds every point
        assert arc.span == pytest.approx(shortest_span_by_brute_force(longitudes), abs=1e-9)
        assert -180.0 <= arc.centre < 180.0


def test_antimeridian_arc_is_centred_on_180():
    arc = longitude_arc(np.array([179.5, -179.5, 179.9]))
    assert arc.crosses_antimeridian
    assert arc.centre == pytest.approx(-180.0)
    assert not longitude_arc(np.array([10.0, 11.0])).crosses_antimeridian


@pytest.mark.parametrize(
    "longitude, zone",
    [(13.4, 33), (-0.1, 30), (0.0, 31), (-180.0, 1), (180.0, 1), (179.99, 60), (-3.7, 30)],
)
def test_utm_zone_numbers(longitude, zone):
    assert utm_zone(longitude) == zone
    meridian = utm_central_meridian(zone)
    assert abs(wrap_longitude(longitude - meridian)) <= 3.0 + 1e-9


@pytest.mark.parametrize(
    "longitudes, latitudes, definition",
    [
        ([13.2, 13.6], [52.4, 52.6], "EPSG:32633"),  # Berlin
        ([151.0, 151.3], [-34.0, -33.7], "EPSG:32756"),  # Sydney, southern hemisphere
        ([10.6, 10.9], [59.8, 60.0], "EPSG:32632"),  # Oslo, 60 degrees north
        ([-0.3, 0.2], [51.4, 51.6], "EPSG:32630"),  # London across the prime meridian
        ([-74.1, -73.8], [40.6, 40.9], "EPSG:32618"),  # New York
    ],
)
def test_a_city_gets_its_utm_zone(longitudes, latitudes, definition):
    projection = local_projection(np.array(longitudes), np.array(latitudes))
    assert projection.definition == definition
    assert projection.utm_zone == int(definition[-2:])


def test_points_across_the_antimeridian_get_one_utm_zone():
    # Fiji's Taveuni and Vanua Levu lie on both sides of 180 degrees
    projection = local_projection(
        np.array([179.7, -179.8, 179.95]), np.array([-16.9, -16.7, -16.8])
    )
    assert projection.utm_zone in (1, 60)
    assert projection.definition == f"EPSG:{32700 + projection.utm_zone}"
    assert projection.arc.crosses_antimeridian and projection.arc.span == pytest.approx(0.5)


@pytest.mark.parametrize(
    "longitudes, latitudes",
    [
        ([0.0, 12.0], [45.0, 50.0]),  # wider than a zone and its margins
        ([20.0, 21.0], [84.5, 86.0]),  # north of UTM's 84 degrees
        ([100.0, 101.0], [-81.0, -80.5]),  # south of UTM's 80 degrees
        ([-170.0, 170.0, 0.0], [0.0, 10.0, 5.0]),  # round the world
    ],
)
def test_wide_or_polar_data_gets_an_equal_area_projection_centred_on_it(longitudes, latitudes):
    projection = local_projection(np.array(longitudes), np.array(latitudes))
    assert projection.utm_zone is None
    assert projection.definition.startswith("+proj=laea ")
    assert "+datum=WGS84 +units=m" in projection.definition
    lat_0 = float(projection.definition.split("+lat_0=")[1].split()[0])
    lon_0 = float(projection.definition.split("+lon_0=")[1].split()[0])
    assert lat_0 == pytest.approx((min(latitudes) + max(latitudes)) / 2, abs=1e-6)
    assert lon_0 == pytest.approx(projection.arc.centre, abs=1e-6)


def test_utm_is_chosen_up_to_the_margin_beyond_the_zone_and_not_further():
    meridian = utm_central_meridian(33)  # 15 degrees east
    reach = 3.0 + UTM_MARGIN_DEGREES
    inside = local_projection(np.array([meridian - 0.5, meridian + reach - 1e-6]), [50.0, 50.0])
    assert inside.utm_zone == 33
    beyond = local_projection(np.array([meridian - 0.5, meridian + reach + 0.6]), [50.0, 50.0])
    assert beyond.utm_zone != 33 or beyond.definition.startswith("+proj=laea")


@pytest.mark.parametrize("seed", range(5))
def test_the_chosen_utm_zone_distorts_distances_by_under_0_3_percent(seed):
    pyproj = pytest.importorskip("pyproj")
    rng = np.random.default_rng(seed)
    for half_width, always_utm in ((1.5, True), (2.5, False)):
        centre = rng.uniform(-180, 180)
        longitudes = wrap_longitude(centre + rng.uniform(-half_width, half_width, 50))
        latitudes = rng.uniform(-79, 83, 1) + rng.uniform(-1, 1, 50)
        projection = local_projection(longitudes, latitudes)
        # 3 degrees of longitude fit any zone with its margins; 5 degrees may not
        assert (projection.utm_zone is not None) or not always_utm
        factors = pyproj.Proj(projection.definition).get_factors(longitudes, latitudes)
        if projection.utm_zone is not None:
            assert np.all(np.abs(np.asarray(factors.meridional_scale) - 1) < 0.003)


def test_bad_coordinates_are_refused():
    with pytest.raises(ValueError, match="finite"):
        local_projection(np.array([0.0, np.inf]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="-90 to 90"):
        local_projection(np.array([0.0]), np.array([91.0]))
    with pytest.raises(ValueError, match="at least one"):
        local_projection(np.array([]), np.array([]))


@pytest.mark.parametrize(
    "longitudes, latitudes",
    [
        ([14.0, 16.5, 19.2], [59.0, 61.0, 60.2]),  # UTM 33, up to 4.2 degrees east of 15 E
        ([-3.0, -9.5, -4.0], [-30.0, -31.0, -29.0]),  # UTM 30 south, up to 6.5 degrees west
        ([2.0, 22.0, 12.0, 12.0], [45.0, 52.0, 45.0, 52.0]),  # Lambert azimuthal equal-area
        ([-120.0, -60.0, -90.0, -90.0], [30.0, 30.0, 10.0, 60.0]),  # continental LAEA
    ],
)
def test_largest_scale_error_matches_pyproj_factors(longitudes, latitudes):
    pyproj = pytest.importorskip("pyproj")
    lon, lat = np.array(longitudes), np.array(latitudes)
    projection = local_projection(lon, lat)
    crs = pyproj.CRS(projection.definition)
    factors = pyproj.Proj(crs).get_factors(lon, lat)
    # the worst of the largest and smallest scale at each point (Tissot's indicatrix)
    expected = np.max(
        np.maximum(
            np.abs(np.asarray(factors.tissot_semimajor) - 1),
            np.abs(np.asarray(factors.tissot_semiminor) - 1),
        )
    )
    # the sphere's formulas: within 1e-4 (UTM's ellipsoidal term) and 3 % of the ellipsoid's
    assert largest_scale_error(projection, lon, lat) == pytest.approx(expected, rel=0.03, abs=1e-4)
