"""STUDY_AREA and EDGE_CORRECTION through processing.run.

The reference for the edge factor e(u) is an independent integral written here (the kernel's
mass along rays from the cell centre, between the ray's crossings with the polygon), and
the reference for the sums is the core's brute-force-tested evaluation on the raster's grid.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from osgeo import ogr
from qgis.core import QgsProcessingException
from qgis_test_support import PointFeature, make_gpkg
from test_qgis_crs import point_layer, raster_grid_and_crs

from kde_heatmap_plugin.core import kernel_density_on_grid

ALGORITHM = "kdeheatmap:heatmap"
SQUARE_WITH_HOLE = (
    "POLYGON ((1000 1000, 1600 1000, 1600 1500, 1000 1500, 1000 1000), "
    "(1250 1200, 1350 1200, 1350 1300, 1250 1300, 1250 1200))"
)


def inside_by_ray_casting(px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Even-odd rule for SQUARE_WITH_HOLE, written out."""
    outer = (px >= 1000) & (px < 1600) & (py >= 1000) & (py < 1500)
    hole = (px >= 1250) & (px < 1350) & (py >= 1200) & (py < 1300)
    return outer & ~hole


EDGES = [  # the polygon's segments: (x0, y0, x1, y1)
    (1000, 1000, 1600, 1000), (1600, 1000, 1600, 1500),
    (1600, 1500, 1000, 1500), (1000, 1500, 1000, 1000),
    (1250, 1200, 1350, 1200), (1350, 1200, 1350, 1300),
    (1350, 1300, 1250, 1300), (1250, 1300, 1250, 1200),
]  # fmt: skip


def quartic_share_inside(ux: float, uy: float, radius: float, rays: int = 20_000) -> float:
    """∫_W K(u - v) dv for the unit-mass quartic kernel, in polar coordinates about u.

    Along a ray at angle θ the inside stretches [a, b] come from its crossings with the
    polygon's segments (even-odd, starting inside); each adds F(min(b, R)) - F(min(a, R)) with
    F(ρ) = ∫_0^ρ K(r) r dr = (1 - (1 - ρ²/R²)³) / (2π); the midpoint rule in θ is smooth
    between the corners' angles.
    """
    theta = (np.arange(rays) + 0.5) / rays * 2 * math.pi
    dx, dy = np.cos(theta), np.sin(theta)
    crossings = []
    for x0, y0, x1, y1 in EDGES:
        ex, ey = x1 - x0, y1 - y0
        denominator = dx * ey - dy * ex
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((x0 - ux) * ey - (y0 - uy) * ex) / denominator  # along the ray
            s = ((x0 - ux) * dy - (y0 - uy) * dx) / denominator  # along the segment
        crossings.append(np.where((denominator != 0) & (t > 0) & (s >= 0) & (s < 1), t, np.inf))
    distances = np.sort(np.array(crossings), axis=0)

    def mass(rho: np.ndarray) -> np.ndarray:
        rho = np.minimum(rho, radius)
        return (1 - (1 - rho**2 / radius**2) ** 3) / (2 * math.pi)

    starts = np.vstack([np.zeros(rays), distances[1::2]])  # inside from 0, then after exits
    ends = distances[0::2]
    total = sum(mass(ends[i]) - mass(starts[i]) for i in range(min(len(starts), len(ends))))
    return float(np.sum(total) * 2 * math.pi / rays)


@pytest.fixture()
def layers(tmp_path):
    rng = np.random.default_rng(4)
    x, y = rng.uniform(950, 1650, 500), rng.uniform(950, 1550, 500)
    points = point_layer(tmp_path / "points.gpkg", x, y, 32617)
    area = make_gpkg(
        str(tmp_path / "area.gpkg"),
        [PointFeature(SQUARE_WITH_HOLE)],
        geometry_type=ogr.wkbPolygon,
        layer_name="area",
    )
    return x, y, points, area


def run(processing_run, points, area, output, **extra):
    _, feedback = processing_run(
        ALGORITHM,
        {
            "INPUT": points,
            "RADIUS": 60,
            "PIXEL_SIZE": 10,
            "STUDY_AREA": area,
            "OUTPUT_VALUE": 2,
            "OUTPUT": str(output),
            **extra,
        },
    )
    return feedback


def test_study_area_masks_cells_and_ignores_points_outside(processing_run, layers, tmp_path):
    x, y, points, area = layers
    feedback = run(processing_run, points, area, tmp_path / "h.tif")
    values, grid, _ = raster_grid_and_crs(str(tmp_path / "h.tif"))
    assert (grid.x_min, grid.y_max, grid.rows, grid.cols) == (1000.0, 1500.0, 50, 60)
    cx = grid.x_min + (np.arange(grid.cols) + 0.5) * grid.cell_size
    cy = grid.y_max - (np.arange(grid.rows) + 0.5) * grid.cell_size
    inside_cells = inside_by_ray_casting(*np.meshgrid(cx, cy))
    assert np.isnan(values[~inside_cells]).all()
    kept = inside_by_ray_casting(x, y)
    expected = kernel_density_on_grid(x[kept], y[kept], grid, radius=60.0, output_value=2)
    np.testing.assert_allclose(
        values[inside_cells], expected[inside_cells], rtol=0, atol=1e-6 * expected.max()
    )
    outside = int((~kept).sum())
    assert any(f"{outside} of 500 points lie outside" in info for info in feedback.infos)


def test_uniform_correction_divides_by_the_kernels_share_inside(processing_run, layers, tmp_path):
    x, y, points, area = layers
    run(processing_run, points, area, tmp_path / "u.tif", EDGE_CORRECTION=1)
    corrected, grid, _ = raster_grid_and_crs(str(tmp_path / "u.tif"))
    kept = inside_by_ray_casting(x, y)
    plain = kernel_density_on_grid(x[kept], y[kept], grid, radius=60.0, output_value=2)
    # a corner cell, one by the hole, one on an edge and one far from the boundary
    for row, col in [(0, 0), (29, 24), (25, 0), (25, 12)]:
        ux = grid.x_min + (col + 0.5) * grid.cell_size
        uy = grid.y_max - (row + 0.5) * grid.cell_size
        share = quartic_share_inside(ux, uy, 60.0)
        assert corrected[row, col] == pytest.approx(plain[row, col] / share, rel=1e-5)


def test_jones_diggle_keeps_the_weight_inside_the_area(processing_run, layers, tmp_path):
    x, y, points, area = layers
    run(processing_run, points, area, tmp_path / "jd.tif", EDGE_CORRECTION=2, PIXEL_SIZE=2)
    corrected, grid, _ = raster_grid_and_crs(str(tmp_path / "jd.tif"))
    run(processing_run, points, area, tmp_path / "p.tif", PIXEL_SIZE=2)
    plain, _, _ = raster_grid_and_crs(str(tmp_path / "p.tif"))
    inside_points = int(inside_by_ray_casting(x, y).sum())
    cell_area = grid.cell_size**2
    assert np.nansum(corrected) * cell_area == pytest.approx(inside_points, rel=5e-3)
    assert np.nansum(plain) * cell_area < 0.97 * inside_points  # mass lost over the edges


def test_nodata_zero_with_a_study_area(processing_run, layers, tmp_path):
    _, _, points, area = layers
    run(processing_run, points, area, tmp_path / "z.tif", NODATA_ZERO=True)
    values, _, _ = raster_grid_and_crs(str(tmp_path / "z.tif"))
    assert not np.isnan(values).any() and (values == 0).any()


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"EDGE_CORRECTION": 1, "STUDY_AREA": None}, "Edge correction needs a study area"),
        ({"EDGE_CORRECTION": 2, "DISTANCE_METHOD": 1}, "computed in a plane"),
        ({"EDGE_CORRECTION": 1, "RADIUS_FIELD": "w"}, "one radius for every point"),
    ],
)
def test_edge_correction_is_refused_where_undefined(
    processing_run, layers, tmp_path, extra, message
):
    x, y, _, area = layers
    points = point_layer(tmp_path / "weighted.gpkg", x, y, 32617, np.full(len(x), 50.0))
    with pytest.raises(QgsProcessingException, match=message):
        run(processing_run, points, area, tmp_path / "h.tif", **extra)
    assert not (tmp_path / "h.tif").exists()
