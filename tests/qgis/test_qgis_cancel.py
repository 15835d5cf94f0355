"""Cancelling or failing at any stage leaves no output and no temporary file behind."""

from __future__ import annotations

import os

import numpy as np
import pytest
from qgis.core import QgsCoordinateReferenceSystem, QgsProcessingException
from qgis_test_support import RecordingFeedback, read_raster

from kde_heatmap_plugin import rasters
from kde_heatmap_plugin.core import Cancelled, Grid, estimators, native_grid
from kde_heatmap_plugin.processing.heatmap_algorithm import COMPUTE_SHARE, READ_SHARE


class CancellingFeedback(RecordingFeedback):
    """Cancels as soon as the progress reaches ``threshold`` percent."""

    def __init__(self, threshold: float) -> None:
        super().__init__()
        self.threshold = threshold

    def setProgress(self, progress: float) -> None:  # noqa: N802 (QGIS API name)
        super().setProgress(progress)
        if progress >= self.threshold:
            self.cancel()


def shrink_blocks(monkeypatch) -> None:
    """Make the writer hand GDAL blocks of one row, to see them go (GeoTIFFs narrower than
    8192 columns are written in strips, one row each)."""
    monkeypatch.setattr(rasters, "CELLS_PER_BLOCK", 1)
    monkeypatch.setattr(rasters, "GTIFF_TILE", (4096, 16))


def write_previous_result(path) -> None:
    """A small complete GeoTIFF at ``path``, standing for an earlier run's output."""
    grid = native_grid(0, 0, 10, 10, padding=1, cell_size=1)
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    rasters.write_raster(str(path), [(0, np.full(grid.shape, 7.0))], grid, wkt)


@pytest.mark.parametrize(
    "stage, threshold",
    [
        ("reading", 0.0),
        ("computing", READ_SHARE + 1e-9),
        ("computing and writing", READ_SHARE + 0.6 * COMPUTE_SHARE),
    ],
)
def test_cancel_leaves_the_previous_output_untouched(
    processing_run, longleaf_gpkg, tmp_path, monkeypatch, stage, threshold
):
    # Small bands (two halos, 122 rows here), blocks of one row and a progress report per
    # tile: by 60 % of the computation some rows have gone to the temporary file.
    monkeypatch.setattr(estimators, "BAND_ROWS", 16)
    monkeypatch.setattr(estimators, "BAND_CELLS", 1, raising=False)  # bands of BAND_ROWS
    monkeypatch.setattr(estimators, "PROGRESS_INTERVAL", 0.0)
    shrink_blocks(monkeypatch)
    output = tmp_path / "heatmap.tif"
    write_previous_result(output)
    previous = output.read_bytes()
    written = []
    real_blocks = rasters._blocks

    def counting_blocks(*args):
        for first_row, block in real_blocks(*args):
            yield first_row, block
            written.append(len(block))  # asked for the next block: this one went to GDAL

    monkeypatch.setattr(rasters, "_blocks", counting_blocks)
    feedback = CancellingFeedback(threshold)
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 30.0,
                "PIXEL_SIZE": 0.5,
                "OUTPUT": str(output),
            },
            feedback,
        )
    assert output.read_bytes() == previous
    assert os.listdir(tmp_path) == ["heatmap.tif"]
    last = feedback.progress_values[-1]
    low, high = {
        "reading": (0, READ_SHARE),
        "computing": (READ_SHARE, READ_SHARE + COMPUTE_SHARE),
        "computing and writing": (READ_SHARE + 0.5 * COMPUTE_SHARE, READ_SHARE + COMPUTE_SHARE),
    }[stage]
    assert low < last <= high and last < 100, feedback.progress_values  # stopped in that stage
    if stage == "computing and writing":
        assert sum(written) > 0, "no rows had been written when it was cancelled"


def test_cancel_without_previous_output_leaves_nothing(processing_run, longleaf_gpkg, tmp_path):
    feedback = CancellingFeedback(READ_SHARE + 1e-9)
    with pytest.raises(QgsProcessingException, match="Cancelled"):
        processing_run(
            "kdeheatmap:heatmap",
            {
                "INPUT": longleaf_gpkg,
                "RADIUS": 30.0,
                "PIXEL_SIZE": 0.5,
                "OUTPUT": str(tmp_path / "heatmap.tif"),
            },
            feedback,
        )
    assert os.listdir(tmp_path) == []


def test_progress_rises_to_100(processing_run, longleaf_gpkg, tmp_path, monkeypatch):
    monkeypatch.setattr(estimators, "BAND_ROWS", 16)
    monkeypatch.setattr(estimators, "PROGRESS_INTERVAL", 0.0)
    _, feedback = processing_run(
        "kdeheatmap:heatmap",
        {
            "INPUT": longleaf_gpkg,
            "RADIUS": 30.0,
            "PIXEL_SIZE": 1.0,
            "OUTPUT": str(tmp_path / "heatmap.tif"),
        },
    )
    progress = feedback.progress_values
    assert progress == sorted(progress) and progress[-1] == pytest.approx(100)
    assert READ_SHARE in progress and READ_SHARE + COMPUTE_SHARE in progress
    assert len([value for value in progress if READ_SHARE < value < READ_SHARE + COMPUTE_SHARE]) > 5


@pytest.mark.parametrize("failure", [RuntimeError("disk on fire"), Cancelled()])
def test_failure_while_writing_removes_the_temporary_file(tmp_path, qgis_app, monkeypatch, failure):
    shrink_blocks(monkeypatch)
    grid = native_grid(0, 0, 50, 50, padding=5, cell_size=1)
    values = np.ones(grid.shape)
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    destination = tmp_path / "heatmap.tif"
    rasters.write_raster(str(destination), [(0, values * 2)], grid, wkt)
    reports = []

    def fail_half_way(fraction: float) -> bool:
        reports.append(fraction)
        if fraction > 0.5:
            raise failure
        return True

    with pytest.raises(type(failure)):
        rasters.write_raster(str(destination), [(0, values)], grid, wkt, progress=fail_half_way)
    assert 0.5 < reports[-1] < 1
    assert sorted(os.listdir(tmp_path)) == ["heatmap.tif"]
    written, _, _ = read_raster(str(destination))
    assert (written == 2).all()  # the previous, complete raster


def test_ascii_grid_failure_removes_every_temporary_file(tmp_path, qgis_app, monkeypatch):
    shrink_blocks(monkeypatch)
    grid = native_grid(0, 0, 20, 20, padding=1, cell_size=1)
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    with pytest.raises(Cancelled):
        rasters.write_raster(
            str(tmp_path / "heatmap.asc"),
            [(0, np.ones(grid.shape))],
            grid,
            wkt,
            driver_name="AAIGrid",
            progress=lambda fraction: fraction < 0.5,
        )
    assert os.listdir(tmp_path) == []
    rasters.write_raster(
        str(tmp_path / "heatmap.asc"), [(0, np.ones(grid.shape))], grid, wkt, driver_name="AAIGrid"
    )
    assert sorted(os.listdir(tmp_path)) == ["heatmap.asc", "heatmap.prj"]


@pytest.mark.parametrize("exceptions", [True, False])
def test_gdal_failure_is_an_oserror_and_leaves_nothing(tmp_path, qgis_app, exceptions):
    from osgeo import gdal

    was_on = gdal.GetUseExceptions()
    gdal.UseExceptions() if exceptions else gdal.DontUseExceptions()
    try:
        too_big = Grid(x_min=0.0, y_max=0.0, cell_size=1.0, rows=10**6, cols=10**6)
        with pytest.raises(OSError):
            rasters.write_raster(
                str(tmp_path / "huge.asc"),
                [(0, np.zeros((1, 1)))],
                too_big,
                "",
                driver_name="AAIGrid",
            )
    finally:
        gdal.UseExceptions() if was_on else gdal.DontUseExceptions()
    assert os.listdir(tmp_path) == []


def test_bands_are_written_as_they_come_and_must_cover_the_grid(tmp_path, qgis_app):
    grid = native_grid(0, 0, 50, 50, padding=5, cell_size=1)
    wkt = QgsCoordinateReferenceSystem("EPSG:32617").toWkt()
    rows = np.arange(grid.rows, dtype=np.float64)[:, None] * np.ones(grid.cols)
    bands = [(first, rows[first : first + 7]) for first in range(0, grid.rows, 7)]
    rasters.write_raster(str(tmp_path / "bands.tif"), iter(bands), grid, wkt)
    written, _, _ = read_raster(str(tmp_path / "bands.tif"))
    np.testing.assert_array_equal(written, rows)
    for broken in (bands[:-1], bands[1:], [bands[1], bands[0], *bands[2:]]):
        with pytest.raises(ValueError, match="[Rr]ows"):
            rasters.write_raster(str(tmp_path / "broken.tif"), broken, grid, wkt)
    assert sorted(os.listdir(tmp_path)) == ["bands.tif"]
