"""Helpers for the raster-writer tests: a small real file system, folder snapshots, a CRS."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import pytest
from osgeo import osr

from kde_heatmap_plugin.core import Grid


def utm_wkt(zone: int = 17) -> str:
    """WKT of WGS 84 / UTM zone ``zone`` N (EPSG 32600 + zone)."""
    crs = osr.SpatialReference()
    crs.ImportFromEPSG(32600 + zone)
    return crs.ExportToWkt()


WKT = utm_wkt()

#: Format of each extension the writer is tested with (GDAL driver names).
DRIVERS = {
    "tif": "GTiff",
    "gtx": "GTX",
    "bil": "EHdr",
    "rst": "RST",
    "img": "HFA",
    "sdat": "SAGA",
    "nc": "netCDF",
    "gpkg": "GPKG",
    "asc": "AAIGrid",
    "ers": "ERS",
    "xyz": "XYZ",
}

#: The other formats QGIS offers that can hold Float32 (checked like those above).
OTHER_DRIVERS = {
    "bag": "BAG",
    "bt": "BT",
    "fits": "FITS",
    "grd": "GSAG",
    "kro": "KRO",
    "lbl": "ISIS3",
    "map": "PCRaster",
    "mrf": "MRF",
    "pix": "PCIDSK",
}

ALL_DRIVERS = {**DRIVERS, **OTHER_DRIVERS}


def grid_of(rows: int, cols: int, cell_size: float = 10.0) -> Grid:
    """A grid of ``rows`` x ``cols`` cells with its top-left corner at (500000, 4000000)."""
    return Grid(x_min=500000.0, y_max=4000000.0, cell_size=cell_size, rows=rows, cols=cols)


def random_values(rows: int, cols: int, seed: int = 0) -> np.ndarray:
    """Values in [0, 1) that DEFLATE cannot shrink much."""
    return np.random.default_rng(seed).random((rows, cols))


def snapshot(folder: str) -> dict[str, bytes]:
    """Name -> bytes of every file in ``folder`` (folders as None, so they count too)."""
    contents = {}
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        contents[name] = None if os.path.isdir(path) else open(path, "rb").read()
    return contents


@contextmanager
def small_filesystem(path: str, size: str, *, read_only: bool = False) -> Iterator[str]:
    """Mount a ``size`` tmpfs (e.g. "1m") on the new folder ``path``; unmount afterwards.

    Skips the test, saying why, where mounting is not permitted (not root, no mount rights).
    """
    os.makedirs(path, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", path]
    try:
        mounted = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        pytest.skip(f"cannot mount a small tmpfs here ({error})")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip() or 'no rights'})")
    try:
        yield path
    finally:
        unmounted = subprocess.run(["umount", path], capture_output=True, text=True)
        if unmounted.returncode != 0:  # a file still open there: detach it, then fail
            subprocess.run(["umount", "--lazy", path], check=True)
            raise AssertionError(f"{path} was still in use: {unmounted.stderr.strip()}")
