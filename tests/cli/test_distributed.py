"""The Dask engine gives the core's numbers: a LocalCluster of 2 worker processes, several
partitions, tiles smaller than the grid (discs crossing tile edges, some wider than a tile)."""

from __future__ import annotations

import os

import dask
import numpy as np
import pytest
from distributed import Client, LocalCluster
from osgeo import gdal

from kde_heatmap_plugin.core import Grid, Kernel, OutputValue, kernel_density_on_grid
from kde_heatmap_plugin.distributed import (
    Points,
    kernel_density_distributed,
    split_by_tile,
    tiles_of,
)

gdal.UseExceptions()

#: 37 rows × 53 columns of 2 m; tiles of 16 cells: 3 × 4 tiles, the last ones partial.
GRID = Grid(x_min=1000.0, y_max=5000.0, cell_size=2.0, rows=37, cols=53)
TILE_SIZE = 16


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        Client(cluster) as connected,
    ):
        yield connected


class Generated:
    """A partition made on the worker: points in and around the grid (some outside whose
    discs reach in, some far away), weights or none, radii per point or none."""

    def __init__(self, seed: int, count: int, weighted: bool, per_point_radius: bool) -> None:
        self.seed, self.count = seed, count
        self.weighted, self.per_point_radius = weighted, per_point_radius

    def __call__(self) -> Points:
        return _points(self.seed, self.count, self.weighted, self.per_point_radius)


def _points(seed: int, count: int, weighted: bool, per_point_radius: bool) -> Points:
    rng = np.random.default_rng(seed)
    x = rng.uniform(GRID.x_min - 12.0, GRID.x_max + 12.0, count)
    y = rng.uniform(GRID.y_min - 12.0, GRID.y_max + 12.0, count)
    x[:3] = [GRID.x_min - 500.0, GRID.x_min + 32.0, GRID.x_min + 31.0]  # far; on tile edges
    y[:3] = [GRID.y_max, GRID.y_max - 32.0, GRID.y_max - 33.0]
    weight = rng.uniform(-0.5, 3.0, count) if weighted else None
    radius = rng.uniform(3.0, 40.0, count) if per_point_radius else None  # up to 20 cells
    return Points(x, y, weight, radius)


PARTITIONS = [(11, 150, True), (12, 90, False), (13, 120, True)]


def _read(path: str) -> np.ndarray:
    dataset = gdal.Open(path)
    assert dataset.GetGeoTransform() == pytest.approx(GRID.geotransform)
    assert dataset.GetMetadataItem("LAYOUT", "IMAGE_STRUCTURE") == "COG"
    return dataset.GetRasterBand(1).ReadAsArray().astype(np.float64)


def _reference(per_point_radius: bool, **options) -> np.ndarray:
    parts = [_points(seed, n, weighted, per_point_radius) for seed, n, weighted in PARTITIONS]
    x = np.concatenate([p.x for p in parts])
    y = np.concatenate([p.y for p in parts])
    weight = np.concatenate([np.ones(len(p.x)) if p.weight is None else p.weight for p in parts])
    radius = np.concatenate([p.radius for p in parts]) if per_point_radius else 9.0
    return kernel_density_on_grid(x, y, GRID, radius=radius, weight=weight, **options)


@pytest.mark.parametrize("per_point_radius", [False, True], ids=["fixed", "per-point"])
@pytest.mark.parametrize("output_value", list(OutputValue), ids=lambda o: o.name.lower())
@pytest.mark.parametrize("kernel", list(Kernel), ids=lambda k: k.name.lower())
def test_cluster_equals_core(client, tmp_path, kernel, output_value, per_point_radius):
    options = dict(kernel=kernel, decay=0.4, output_value=output_value)
    partitions = [Generated(seed, n, w, per_point_radius) for seed, n, w in PARTITIONS]
    output = tmp_path / "density.tif"
    result = kernel_density_distributed(
        partitions,
        GRID,
        output,
        client=client,
        radius=9.0,
        tile_size=TILE_SIZE,
        **options,
    )
    expected = _reference(per_point_radius, **options)
    scale = np.abs(expected).max()
    assert scale > 0
    np.testing.assert_allclose(_read(str(output)), expected, rtol=0, atol=1e-6 * scale)
    assert result.maximum == pytest.approx(expected.max(), rel=1e-12, abs=1e-12 * scale)
    assert result.minimum == pytest.approx(expected.min(), rel=1e-12, abs=1e-12 * scale)
    assert result.total == pytest.approx(expected.sum(), rel=1e-9, abs=1e-9 * scale)
    assert result.tiles > 1
    assert os.listdir(tmp_path) == ["density.tif"]  # no tiles or temporary file left


def test_delayed_partitions_and_replacing(client, tmp_path):
    """Dask Delayed partitions work too; an existing output is replaced whole."""
    output = tmp_path / "density.tif"
    output.write_bytes(b"old")
    partitions = [dask.delayed(_points)(seed, n, w, False) for seed, n, w in PARTITIONS]
    progress = []
    kernel_density_distributed(
        partitions,
        GRID,
        output,
        client=client,
        radius=9.0,
        tile_size=TILE_SIZE,
        progress=progress.append,
    )
    expected = _reference(False)
    np.testing.assert_allclose(_read(str(output)), expected, rtol=0, atol=1e-6 * expected.max())
    assert progress[0] == 0.0 and progress[-1] == 1.0 and progress == sorted(progress)


def test_a_failing_partition_writes_nothing(client, tmp_path):
    output = tmp_path / "density.tif"
    bad = Points(np.array([1010.0]), np.array([4990.0]), None, np.array([-1.0]))
    with pytest.raises(ValueError, match="radius"):
        kernel_density_distributed(
            [lambda: bad], GRID, output, client=client, tile_size=TILE_SIZE, retries=0
        )
    assert os.listdir(tmp_path) == []


def test_each_point_goes_to_the_tiles_its_disc_reaches():
    """Against brute force: a tile gets a point iff some cell centre of it is within the
    point's radius (it may also get points just beyond, by a cell)."""
    points = _points(5, 300, True, True)
    pieces = split_by_tile(points, GRID, TILE_SIZE, None)
    for tile in tiles_of(GRID, TILE_SIZE):
        g = tile.grid
        cx = g.x_min + (np.arange(g.cols) + 0.5) * g.cell_size
        cy = g.y_max - (np.arange(g.rows) + 0.5) * g.cell_size
        dx = np.maximum(0, np.maximum(cx[0] - points.x, points.x - cx[-1]))
        dy = np.maximum(0, np.maximum(cy[-1] - points.y, points.y - cy[0]))
        reaching = np.flatnonzero(dx**2 + dy**2 <= points.radius**2)
        got = pieces.get(tile.index, Points(np.empty(0), np.empty(0)))
        assert set(zip(points.x[reaching], points.y[reaching])) <= set(zip(got.x, got.y))
        if len(got.x):
            assert got.radius is not None


def test_a_shared_radius_stays_shared():
    """Without radii per point the pieces carry none (the core's one-radius path)."""
    pieces = split_by_tile(_points(6, 200, False, False), GRID, TILE_SIZE, 9.0)
    assert len(pieces) > 1
    assert all(piece.radius is None and piece.weight is None for piece in pieces.values())
