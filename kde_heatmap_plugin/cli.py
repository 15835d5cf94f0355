"""The heatmap outside QGIS: a command line and a Python API on GDAL/OGR and the NumPy core.

::

    python3 -m kde_heatmap_plugin points.gpkg heatmap.tif --radius 500 --cell-size 10
    scripts/kde-heatmap trips/ heatmap.tif --weight-field passengers   # a folder of partitions

Python::

    from kde_heatmap_plugin.cli import HeatmapJob, run_heatmap
    result = run_heatmap(HeatmapJob("points.gpkg", "heatmap.tif", radius=500.0, cell_size=10.0))

Points come from any OGR vector source (points and multipoints; every part counts), a CSV of
x and y columns, GeoParquet or a Parquet file of x and y columns (read with pyarrow, an
optional dependency imported only then, when GDAL has no Parquet driver: :mod:`.parquet`),
or several such files (a folder, or a glob pattern) read one after another
and concatenated. The raster is the core's (:func:`..core.kernel_density_bands`, the same
values as the plugin's on the same grid), written as a Float32 Cloud-Optimized GeoTIFF with
overviews, atomically: a tiled GeoTIFF and then the COG are written under temporary names in
the output's folder and the COG replaces the output only when complete.

The grid is the native heatmap's around the points (their extent grown by the largest radius),
or ``extent`` covered exactly. Radius and cell size left out come from the data by the
plugin's rules: ArcGIS's radius (``core.bandwidth.arcgis_radius``, rounded to two significant
digits), or the radius rule asked for; about 1000 cells on the longer side and at least 10 per
radius (``core.bandwidth.automatic_cell_size``). Lengths are in the units of the points' CRS,
which must be projected: a geographic CRS (degrees) is refused.

Features are skipped, and counted, as in the plugin: a NULL, empty or non-point geometry (or,
in a CSV, a coordinate that is not a number), an infinite coordinate, a NULL or non-finite
weight or radius, and a radius that is not positive.

This module imports nothing from QGIS.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import glob
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np
from osgeo import gdal, ogr, osr

from .core import (
    Cancelled,
    Grid,
    Kernel,
    OutputValue,
    bandwidth,
    extent_grid,
    kernel_density_bands,
    native_grid,
    sort_points_by_row,
)

#: File name endings read from a folder of partitions (sidecars such as .dbf, .shx, .prj are not).
PARTITION_SUFFIXES = (
    ".csv",
    ".fgb",
    ".geojson",
    ".geojsonl",
    ".geojsons",
    ".gml",
    ".gpkg",
    ".json",
    ".kml",
    ".parquet",
    ".geoparquet",
    ".shp",
    ".sqlite",
    ".tab",
)
#: Rows and columns of the output's tiles (and of the temporary GeoTIFF's).
TILE_SIDE = 512
#: Largest finite float32: values beyond it cannot be written to a Float32 raster.
FLOAT32_MAX = float(np.finfo(np.float32).max)
#: Radius rules by their command-line names (the plugin's RADIUS_RULE choices).
RADIUS_RULES = ("arcgis", "scott", "likelihood", "diggle")
#: Output values by their command-line names.
OUTPUT_VALUES = {
    "raw": OutputValue.RAW,
    "scaled": OutputValue.SCALED,
    "density": OutputValue.DENSITY,
    "expected-count": OutputValue.EXPECTED_COUNT,
}
#: Shares of the progress bar: reading, computing with writing the tiled GeoTIFF, the COG.
READ_SHARE, COMPUTE_SHARE, COG_SHARE = 0.1, 0.8, 0.1

ProgressCallback = Callable[[float, str], bool]
"""Called with the fraction of the whole run done (0..1, never decreasing) and the stage;
returning False stops the run with ``core.Cancelled``."""


class HeatmapError(Exception):
    """An input or output the run refuses; the message is one line for the user."""


@dataclasses.dataclass(frozen=True)
class HeatmapJob:
    """What to compute: the command line's arguments.

    Attributes:
        input: a vector file, a folder of files (``PARTITION_SUFFIXES``), or a glob pattern.
        output: the Cloud-Optimized GeoTIFF to write (replaced if it exists).
        radius: kernel radius (CRS units, > 0); None: ArcGIS's rule, or ``radius_rule``.
        cell_size: side of a cell (CRS units, > 0); None: automatic.
        kernel, decay, output_value: as the plugin's (``core.Kernel``, ``core.OutputValue``).
        weight_field: numeric field of per-point weights, or None for weight 1.
        radius_field: numeric field of per-point radii (CRS units), or None.
        radius_rule: one of ``RADIUS_RULES`` (replaces ``radius``), or None.
        extent: (x_min, y_min, x_max, y_max) of the raster (CRS units), or None for the
            points' extent grown by the largest radius.
        x_field, y_field: the coordinate columns of CSV and plain (not Geo) Parquet input.
        crs: the points' CRS (e.g. ``"EPSG:32633"``) for inputs that have none (CSV); an
            input with another CRS is refused (no reprojection).
        layer: the layer to read in every file (name), or None for the first.
        workers: run a local Dask cluster of this many worker processes (``distributed``).
        scheduler: the address of a running Dask scheduler (``tcp://host:port``).
    """

    input: str
    output: str
    radius: float | None = None
    cell_size: float | None = None
    kernel: Kernel = Kernel.QUARTIC
    decay: float = 0.0
    output_value: OutputValue = OutputValue.RAW
    weight_field: str | None = None
    radius_field: str | None = None
    radius_rule: str | None = None
    extent: tuple[float, float, float, float] | None = None
    x_field: str = "x"
    y_field: str = "y"
    crs: str | None = None
    layer: str | None = None
    workers: int | None = None
    scheduler: str | None = None

    @property
    def distributed(self) -> bool:
        """Whether a Dask cluster computes the raster (``--workers`` or ``--scheduler``)."""
        return self.workers is not None or self.scheduler is not None


@dataclasses.dataclass
class Points:
    """Points read from the input: float64 arrays of equal length, and what was left out.

    Attributes:
        x, y: coordinates (CRS units).
        weight: per-point weights, or None.
        radius: per-point radii, or None.
        crs_wkt: the CRS as WKT, or "" when unknown.
        geographic: whether the CRS is geographic (degrees).
        skipped: features left out, by reason.
    """

    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray | None
    radius: np.ndarray | None
    crs_wkt: str
    geographic: bool
    skipped: dict[str, int]


@dataclasses.dataclass(frozen=True)
class HeatmapResult:
    """What a run produced.

    Attributes:
        output: the path written.
        grid: the raster's grid.
        radius: the radius used (CRS units), or None with per-point radii.
        cell_size: the cell size used (CRS units).
        points: the number of points that counted.
        skipped: features left out, by reason.
        maximum, minimum: the raster's largest and smallest values.
    """

    output: str
    grid: Grid
    radius: float | None
    cell_size: float
    points: int
    skipped: dict[str, int]
    maximum: float
    minimum: float


def run_heatmap(job: HeatmapJob, progress: ProgressCallback | None = None) -> HeatmapResult:
    """Read the points, compute the heatmap and write it as a COG (see the module).

    Raises:
        HeatmapError: a missing or unreadable input, an unknown field, no points, a CRS in
            degrees, a radius or cell size that is not positive, an output that cannot be
            written.
        ValueError: the core's refusals (``core.InvalidInput``: radius, weights, grid size).
    """
    report = progress or (lambda _fraction, _stage: True)
    _check_job(job)
    if job.distributed:
        return _run_distributed(job, report)
    points = read_points(job, _stage(report, 0.0, READ_SHARE, "reading"))
    if points.geographic:
        raise HeatmapError(
            "The points' CRS is geographic (degrees): reproject them to a projected CRS "
            "(e.g. ogr2ogr -t_srs EPSG:<UTM zone>) first."
        )
    radius, cell_size = resolved_radius_and_cell_size(job, points)
    radii = points.radius if points.radius is not None else radius
    grid = _grid(job, points, radii, cell_size)
    # The arrays are ours: sorted in place, the core needs no index of the points.
    sort_points_by_row(points.x, points.y, grid, radius=radii, weight=points.weight)
    bands = kernel_density_bands(
        points.x,
        points.y,
        grid,
        radius=radii,
        kernel=job.kernel,
        decay=job.decay,
        output_value=job.output_value,
        weight=points.weight,
        progress=_stage(report, READ_SHARE, COMPUTE_SHARE, "computing"),
    )
    maximum, minimum = write_cog(
        job.output,
        grid,
        bands,
        points.crs_wkt,
        _stage(report, READ_SHARE + COMPUTE_SHARE, COG_SHARE, "writing the COG"),
    )
    report(1.0, "done")
    return HeatmapResult(
        output=job.output,
        grid=grid,
        radius=None if points.radius is not None else radius,
        cell_size=cell_size,
        points=len(points.x),
        skipped=points.skipped,
        maximum=maximum,
        minimum=minimum,
    )


def _run_distributed(job: HeatmapJob, report: ProgressCallback) -> HeatmapResult:
    """Compute on a Dask cluster (``kde_heatmap_plugin.distributed``): each input file is a
    partition read on a worker, so no process holds all points. The grid must be known
    without reading them: ``--radius`` (or ``--radius-field`` with ``--extent``) and
    ``--cell-size``; without ``--extent`` it is the files' extents grown by the radius."""
    if (
        job.cell_size is None
        or job.radius_rule is not None
        or (job.radius is None and job.radius_field is None)
    ):
        raise HeatmapError(
            "--workers and --scheduler need --radius (or --radius-field) and --cell-size: "
            "the automatic rules would read every point on one machine."
        )
    if job.radius_field is not None and job.extent is None:
        raise HeatmapError("--workers and --scheduler with --radius-field need --extent.")
    try:
        from distributed import Client, LocalCluster

        from . import distributed
    except ImportError as error:
        raise HeatmapError(
            f"--workers and --scheduler need Dask's distributed package ({error}); on Debian: "
            "apt install python3-distributed."
        ) from None
    files = input_files(job.input)
    extent, crs = _files_extent_and_crs(files, job)
    if crs is not None and crs.IsGeographic():
        raise HeatmapError(
            "The points' CRS is geographic (degrees): reproject them to a projected CRS "
            "(e.g. ogr2ogr -t_srs EPSG:<UTM zone>) first."
        )
    if job.extent is not None:
        grid = extent_grid(*job.extent, job.cell_size)
    else:
        grid = native_grid(*extent, padding=job.radius, cell_size=job.cell_size)
    partitions = [functools.partial(read_partition, path, job) for path in files]
    if job.scheduler is not None:
        client = Client(job.scheduler)
    else:
        client = Client(LocalCluster(n_workers=job.workers, threads_per_worker=1, processes=True))
    try:
        result = distributed.kernel_density_distributed(
            partitions,
            grid,
            job.output,
            client=client,
            radius=job.radius,
            kernel=job.kernel,
            decay=job.decay,
            output_value=job.output_value,
            crs_wkt=crs.ExportToWkt() if crs is not None else None,
            progress=lambda fraction: report(fraction, "computing on the cluster"),
        )
    finally:
        cluster = client.cluster
        client.close()
        if job.scheduler is None and cluster is not None:
            cluster.close()
    report(1.0, "done")
    return HeatmapResult(
        output=job.output,
        grid=grid,
        radius=job.radius if job.radius_field is None else None,
        cell_size=job.cell_size,
        points=result.points,
        skipped={},
        maximum=result.maximum,
        minimum=result.minimum,
    )


def read_partition(path: str, job: HeatmapJob):  # -> distributed.Points (Dask is optional)
    """One input file's points, on a worker: the partition of a distributed run."""
    from .distributed import Points as PartitionPoints

    columns, _ = _read_file(path, job, lambda _fraction: None, {})
    return PartitionPoints(columns["x"], columns["y"], columns.get("weight"), columns.get("radius"))


def _files_extent_and_crs(
    files: list[str], job: HeatmapJob
) -> tuple[tuple[float, float, float, float], osr.SpatialReference | None]:
    """The union of the files' layer extents (x_min, y_min, x_max, y_max; OGR's, without
    reading the points into memory) and their CRS (or ``--crs``)."""
    boxes = []
    crs = None
    for path in files:
        if _is_parquet_without_driver(path):
            dataset, layer = None, None
        else:
            dataset, layer = _open_layer(path, job)
        if layer is None or dataset.GetDriver().ShortName == "CSV":
            columns, file_crs = _read_file(path, job, lambda _fraction: None, {})
            if len(columns["x"]):
                boxes.append(
                    (columns["x"].min(), columns["y"].min(), columns["x"].max(), columns["y"].max())
                )
        else:
            file_crs = layer.GetSpatialRef()
            if layer.GetFeatureCount() > 0:
                x_min, x_max, y_min, y_max = layer.GetExtent()
                boxes.append((x_min, y_min, x_max, y_max))
        crs = crs or file_crs
    if not boxes:
        raise HeatmapError(f"No points to compute a heatmap from in {job.input}.")
    if crs is None and job.crs:
        crs = _srs_from_user(job.crs)
    corners = np.array(boxes, dtype=np.float64)
    extent = (
        float(corners[:, 0].min()),
        float(corners[:, 1].min()),
        float(corners[:, 2].max()),
        float(corners[:, 3].max()),
    )
    return extent, crs


def _stage(
    report: ProgressCallback, start: float, share: float, stage: str
) -> Callable[[float], bool]:
    """A stage's progress callback (its fraction 0..1) reporting ``start + share · fraction``."""
    return lambda fraction: report(start + share * fraction, stage)


def _check_job(job: HeatmapJob) -> None:
    for name in ("radius", "cell_size"):
        value = getattr(job, name)
        if value is not None and not (math.isfinite(value) and value > 0):
            raise HeatmapError(
                f"The {name.replace('_', ' ')} must be a positive number, not {value}."
            )
    if job.radius_rule is not None and job.radius_rule not in RADIUS_RULES:
        raise HeatmapError(
            f"Unknown radius rule {job.radius_rule!r}: one of {', '.join(RADIUS_RULES)}."
        )
    if job.radius_rule is not None and job.radius_field:
        raise HeatmapError(
            "A radius rule gives every point the same radius, a radius field one each: "
            "choose one of them."
        )
    if not (math.isfinite(job.decay)):
        raise HeatmapError(f"The decay must be a number, not {job.decay}.")
    if job.extent is not None:
        x_min, y_min, x_max, y_max = job.extent
        if not all(math.isfinite(v) for v in job.extent) or x_max <= x_min or y_max <= y_min:
            raise HeatmapError(
                f"The extent must be xmin,ymin,xmax,ymax with xmin < xmax and ymin < ymax, "
                f"not {','.join(f'{v:g}' for v in job.extent)}."
            )
    folder = os.path.dirname(os.path.abspath(job.output))
    if not os.path.isdir(folder):
        raise HeatmapError(f"The output's folder does not exist: {folder}")
    if os.path.isdir(job.output):
        raise HeatmapError(f"The output is a folder: {job.output}")


# Reading ------------------------------------------------------------------------------------


def input_files(source: str) -> list[str]:
    """The files ``source`` names: itself, a folder's files ending in one of
    ``PARTITION_SUFFIXES`` (sorted by name), or a glob pattern's matches (sorted).

    Raises:
        HeatmapError: nothing found.
    """
    if any(character in source for character in "*?["):
        files = sorted(path for path in glob.glob(source) if os.path.isfile(path))
        if not files:
            raise HeatmapError(f"No file matches {source}")
        return files
    if os.path.isdir(source) and not source.rstrip("/").lower().endswith(".gdb"):
        files = sorted(
            os.path.join(source, name)
            for name in os.listdir(source)
            if name.lower().endswith(PARTITION_SUFFIXES)
            and os.path.isfile(os.path.join(source, name))
        )
        if not files:
            raise HeatmapError(
                f"The folder {source} holds no vector files ({', '.join(PARTITION_SUFFIXES)})."
            )
        return files
    if not os.path.exists(source):
        raise HeatmapError(f"The input does not exist: {source}")
    return [source]


def read_points(job: HeatmapJob, progress: Callable[[float], bool] | None = None) -> Points:
    """The points of every file of ``job.input``, concatenated (see the module's rules).

    ``progress`` receives the fraction of files read (features within a file).

    Raises:
        HeatmapError: see :func:`run_heatmap`.
    """
    files = input_files(job.input)
    expected_crs = _srs_from_user(job.crs) if job.crs else None
    parts: list[dict[str, np.ndarray]] = []
    skipped: dict[str, int] = {}
    crs: osr.SpatialReference | None = None
    crs_from = ""
    for index, path in enumerate(files):

        def file_progress(fraction: float, index: int = index) -> None:
            if progress is not None and not progress((index + fraction) / len(files)):
                raise Cancelled()

        columns, file_crs = _read_file(path, job, file_progress, skipped)
        file_crs = file_crs or expected_crs
        if expected_crs is not None and file_crs is not None and not file_crs.IsSame(expected_crs):
            raise HeatmapError(
                f"{path} is in {_crs_name(file_crs)}, not --crs {job.crs} "
                "(reproject it with ogr2ogr -t_srs)."
            )
        if crs is None:
            crs, crs_from = file_crs, path
        elif file_crs is None or not file_crs.IsSame(crs):
            raise HeatmapError(
                f"The partitions' CRSs differ: {_crs_name(file_crs)} in {path}, "
                f"{_crs_name(crs)} in {crs_from}."
            )
        parts.append(columns)
    names = parts[0].keys()
    merged = {name: np.concatenate([part[name] for part in parts]) for name in names}
    if len(merged["x"]) == 0:
        detail = ", ".join(f"{count} {reason}" for reason, count in skipped.items())
        raise HeatmapError(
            f"No points to compute a heatmap from in {job.input}"
            + (f" (skipped: {detail})." if detail else ".")
        )
    return Points(
        x=merged["x"],
        y=merged["y"],
        weight=merged.get("weight"),
        radius=merged.get("radius"),
        crs_wkt=crs.ExportToWkt() if crs is not None else "",
        geographic=bool(crs is not None and crs.IsGeographic()),
        skipped=skipped,
    )


def _srs_from_user(text: str) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    with _quiet_gdal():
        if srs.SetFromUserInput(text) != 0:
            raise HeatmapError(f"Unknown CRS {text!r} (give e.g. EPSG:32633).")
    return srs


def _crs_name(srs: osr.SpatialReference | None) -> str:
    if srs is None:
        return "no CRS"
    authority = srs.GetAuthorityName(None)
    code = srs.GetAuthorityCode(None)
    return f"{authority}:{code}" if authority and code else (srs.GetName() or "an unnamed CRS")


def _open_layer(path: str, job: HeatmapJob) -> tuple[ogr.DataSource, ogr.Layer]:
    with _quiet_gdal():
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    if dataset is None:
        raise HeatmapError(f"Cannot read {path} as a vector data set: {_last_gdal_error()}")
    if job.layer:
        layer = dataset.GetLayerByName(job.layer)
        if layer is None:
            raise HeatmapError(f"{path} has no layer {job.layer!r}.")
    else:
        if dataset.GetLayerCount() == 0:
            raise HeatmapError(f"{path} has no layer.")
        layer = dataset.GetLayer(0)
    return dataset, layer


def _field_index(layer: ogr.Layer, name: str, path: str) -> int:
    index = layer.GetLayerDefn().GetFieldIndex(name)
    if index < 0:
        defn = layer.GetLayerDefn()
        known = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        raise HeatmapError(f"{path} has no field {name!r} (fields: {', '.join(known) or 'none'}).")
    return index


def _read_file(
    path: str,
    job: HeatmapJob,
    progress: Callable[[float], None],
    skipped: dict[str, int],
) -> tuple[dict[str, np.ndarray], osr.SpatialReference | None]:
    """Columns x, y (and weight, radius when asked for) of one file, and its CRS."""
    if _is_parquet_without_driver(path):
        return _read_parquet(path, job, progress, skipped)
    dataset, layer = _open_layer(path, job)
    is_csv = dataset.GetDriver().ShortName == "CSV"
    if is_csv:
        coordinates = (
            _field_index(layer, job.x_field, path),
            _field_index(layer, job.y_field, path),
        )
    wanted = {
        name: _field_index(layer, field, path)
        for name, field in (("weight", job.weight_field), ("radius", job.radius_field))
        if field
    }
    srs = layer.GetSpatialRef()
    if srs is not None:
        srs = srs.Clone()
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    columns: dict[str, list[float]] = {"x": [], "y": [], **{name: [] for name in wanted}}
    total = max(layer.GetFeatureCount(), 1)
    last_report = time.monotonic()

    def skip(reason: str) -> None:
        skipped[reason] = skipped.get(reason, 0) + 1

    layer.ResetReading()
    for number, feature in enumerate(layer, start=1):
        if time.monotonic() - last_report > 0.2:
            progress(min(number / total, 1.0))
            last_report = time.monotonic()
        if is_csv:
            parts = _csv_point(feature, *coordinates)
        else:
            parts = _geometry_points(feature.GetGeometryRef())
        if not parts:
            skip("without a point geometry")
            continue
        if not all(math.isfinite(v) for part in parts for v in part):
            skip("with an infinite coordinate")
            continue
        values = {name: _number(feature, index) for name, index in wanted.items()}
        if not math.isfinite(values.get("weight", 1.0)):
            skip("with a NULL or non-finite weight")
            continue
        if not math.isfinite(values.get("radius", 1.0)):
            skip("with a NULL or non-finite radius")
            continue
        if values.get("radius", 1.0) <= 0:
            skip("with a radius that is not positive")
            continue
        for x, y in parts:
            columns["x"].append(x)
            columns["y"].append(y)
            for name, value in values.items():
                columns[name].append(value)
    progress(1.0)
    del dataset
    return {name: np.asarray(values, dtype=np.float64) for name, values in columns.items()}, srs


def _is_parquet_without_driver(path: str) -> bool:
    """Whether ``path`` is a (Geo)Parquet file this GDAL cannot read (no Parquet driver)."""
    return path.lower().endswith((".parquet", ".geoparquet")) and (
        ogr.GetDriverByName("Parquet") is None
    )


def _read_parquet(
    path: str,
    job: HeatmapJob,
    progress: Callable[[float], None],
    skipped: dict[str, int],
) -> tuple[dict[str, np.ndarray], osr.SpatialReference | None]:
    """:func:`_read_file` for a Parquet file GDAL cannot read: with pyarrow
    (:mod:`.parquet`), imported only here."""
    try:
        from . import parquet
    except ImportError as error:
        raise HeatmapError(
            f"Cannot read {path}: this GDAL ({gdal.__version__}) has no Parquet driver and "
            f"pyarrow is not available ({error}): use a GDAL with the Parquet driver (3.5 or "
            'newer, built with Apache Arrow), or pip install "pyarrow<26".'
        ) from None
    try:
        columns, crs_wkt = parquet.read_parquet_columns(
            path,
            x_field=job.x_field,
            y_field=job.y_field,
            weight_field=job.weight_field,
            radius_field=job.radius_field,
            skipped=skipped,
            progress=progress,
        )
    except parquet.ParquetError as error:
        raise HeatmapError(
            f"Cannot read {path} (with pyarrow: this GDAL has no Parquet driver): {error}"
        ) from None
    if crs_wkt is None:
        return columns, None
    srs = osr.SpatialReference(wkt=crs_wkt)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return columns, srs


def _number(feature: ogr.Feature, index: int) -> float:
    """The field's value as a float; NaN when NULL, unset, or text that is no number (a
    CSV's fields are text: an empty cell is no weight, not 0)."""
    if not feature.IsFieldSetAndNotNull(index):
        return math.nan
    if feature.GetFieldType(index) != ogr.OFTString:
        return feature.GetFieldAsDouble(index)
    try:
        return float(feature.GetFieldAsString(index))
    except ValueError:
        return math.nan


def _csv_point(feature: ogr.Feature, x_index: int, y_index: int) -> list[tuple[float, float]]:
    """The CSV row's point, or [] when a coordinate is missing or not a number (NaN too)."""
    try:
        x = float(feature.GetFieldAsString(x_index))
        y = float(feature.GetFieldAsString(y_index))
    except ValueError:
        return []
    if math.isnan(x) or math.isnan(y):
        return []
    return [(x, y)]


def _geometry_points(geometry: ogr.Geometry | None) -> list[tuple[float, float]]:
    """The (x, y) of a point, or of each non-empty part of a multipoint; [] for others.

    Parts with a NaN coordinate are empty points (left out), as in the plugin."""
    if geometry is None or geometry.IsEmpty():
        return []
    flat = ogr.GT_Flatten(geometry.GetGeometryType())
    if flat == ogr.wkbPoint:
        members = [geometry]
    elif flat == ogr.wkbMultiPoint:
        members = [geometry.GetGeometryRef(i) for i in range(geometry.GetGeometryCount())]
    else:
        return []
    points = []
    for member in members:
        if member.IsEmpty():
            continue
        x, y = member.GetX(), member.GetY()
        if not (math.isnan(x) or math.isnan(y)):
            points.append((x, y))
    return points


# Radius, cell size and grid -----------------------------------------------------------------


def resolved_radius_and_cell_size(job: HeatmapJob, points: Points) -> tuple[float | None, float]:
    """The radius (None with per-point radii) and cell size of the run: the job's, or the
    plugin's automatic ones for the points (see the module).

    Raises:
        HeatmapError: all points at one place when a radius has to come from their spread.
    """
    radius = job.radius
    if job.radius_rule is not None:
        radius = _rule_radius(job, points)
    elif radius is None and points.radius is None:
        rule = bandwidth.arcgis_radius(
            points.x, points.y, points.weight, kernel=job.kernel, decay=job.decay
        )
        if not rule.radius > 0:
            raise HeatmapError(
                f"All {len(points.x)} points lie at the same place, so no radius can be "
                "derived from their spread: give --radius."
            )
        radius = bandwidth.round_significant(rule.radius)
    cell_size = job.cell_size
    if cell_size is None:
        radii = points.radius if points.radius is not None else np.array([radius])
        typical, largest = float(np.median(radii)), float(np.max(radii))
        if job.extent is not None:
            x_min, y_min, x_max, y_max = job.extent
            cell_size = bandwidth.automatic_cell_size(max(x_max - x_min, y_max - y_min), typical)
        else:
            cell_size = bandwidth.automatic_cell_size_planar(points.x, points.y, largest, typical)
    return radius, cell_size


def _rule_radius(job: HeatmapJob, points: Points) -> float:
    x, y = points.x, points.y
    if job.radius_rule == "arcgis":
        radius = bandwidth.arcgis_radius(
            x, y, points.weight, kernel=job.kernel, decay=job.decay
        ).radius
    elif job.radius_rule == "scott":
        radius = bandwidth.scott_rule(x, y, kernel=job.kernel, decay=job.decay).radius
    else:
        window = bandwidth.Window.around(x, y)
        if job.radius_rule == "likelihood":  # positions only, as in the plugin
            rule = bandwidth.likelihood_cross_validation(
                x, y, None, kernel=job.kernel, decay=job.decay, window=window
            )
        else:
            rule = bandwidth.diggle_rule(x, y, kernel=job.kernel, decay=job.decay, window=window)
        radius = rule.radius
    if not (math.isfinite(radius) and radius > 0):
        raise HeatmapError(
            f"The {job.radius_rule} rule gives no positive radius for these {len(x)} points: "
            "give --radius."
        )
    return radius


def _grid(job: HeatmapJob, points: Points, radii: float | np.ndarray, cell_size: float) -> Grid:
    """The extent's grid, or the native heatmap's around the points."""
    if job.extent is not None:
        return extent_grid(*job.extent, cell_size)
    return native_grid(
        float(points.x.min()),
        float(points.y.min()),
        float(points.x.max()),
        float(points.y.max()),
        padding=float(np.max(radii)),
        cell_size=cell_size,
    )


# Writing ------------------------------------------------------------------------------------

#: The temporary GeoTIFF: tiled like the COG, compressed fast (it is read once).
TEMPORARY_OPTIONS = [
    "TILED=YES",
    f"BLOCKXSIZE={TILE_SIDE}",
    f"BLOCKYSIZE={TILE_SIDE}",
    "COMPRESS=DEFLATE",
    "ZLEVEL=1",
    "PREDICTOR=3",
    "BIGTIFF=IF_SAFER",
]
#: The COG: DEFLATE with the floating-point predictor, overviews averaged down to one tile.
COG_OPTIONS = [
    f"BLOCKSIZE={TILE_SIDE}",
    "COMPRESS=DEFLATE",
    "PREDICTOR=YES",
    "OVERVIEWS=AUTO",
    "RESAMPLING=AVERAGE",
    "BIGTIFF=IF_SAFER",
    "NUM_THREADS=ALL_CPUS",
]


def write_cog(
    output: str,
    grid: Grid,
    bands: Iterator[tuple[int, np.ndarray]],
    crs_wkt: str,
    progress: Callable[[float], bool] | None = None,
) -> tuple[float, float]:
    """Write the bands of rows (top to bottom, as ``core.kernel_density_bands`` yields them)
    as a Float32 Cloud-Optimized GeoTIFF at ``output``, atomically.

    The rows go, ``TILE_SIDE`` at a time (``TILE_SIDE · cols · 4`` bytes held), into a tiled
    GeoTIFF under a temporary name in the output's folder; ``gdal.Translate`` copies it to a
    COG (with overviews) under another temporary name, which then replaces ``output``
    (``os.replace``). Temporary files are removed whatever happens. ``progress`` receives the
    fraction of the copy done (the computation reports its own).

    Returns:
        The largest and smallest values written.

    Raises:
        HeatmapError: a file GDAL cannot create or write, values beyond Float32's range.
        Cancelled: ``progress`` returned False.
    """
    folder = os.path.dirname(os.path.abspath(output))
    stem = os.path.basename(output)
    temporary = []
    try:
        for suffix in (".tiles.tif", ".cog.tif"):
            handle, path = tempfile.mkstemp(prefix=f".{stem}.", suffix=suffix, dir=folder)
            os.close(handle)
            temporary.append(path)
        tiles_path, cog_path = temporary
        maximum, minimum = _write_tiles(tiles_path, grid, bands, crs_wkt)
        cancelled = False

        def copy_progress(fraction: float, _message: object, _data: object) -> int:
            nonlocal cancelled
            cancelled = progress is not None and not progress(fraction)
            return 0 if cancelled else 1

        with _quiet_gdal():
            copied = gdal.Translate(
                cog_path,
                tiles_path,
                format="COG",
                creationOptions=COG_OPTIONS,
                callback=copy_progress,
            )
            error = _last_gdal_error()
        if cancelled:
            raise Cancelled()
        if copied is None:
            raise HeatmapError(f"Cannot write the COG {cog_path}: {error}")
        copied = None  # closes the file
        os.chmod(cog_path, 0o666 & ~_umask())  # as a file created by open(); mkstemp's is 0o600
        os.replace(cog_path, output)
        return maximum, minimum
    finally:
        for path in temporary:
            if os.path.exists(path):
                os.remove(path)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_tiles(
    path: str, grid: Grid, bands: Iterator[tuple[int, np.ndarray]], crs_wkt: str
) -> tuple[float, float]:
    """The bands into a tiled Float32 GeoTIFF at ``path``; (maximum, minimum)."""
    with _quiet_gdal():
        dataset = gdal.GetDriverByName("GTiff").Create(
            path, grid.cols, grid.rows, 1, gdal.GDT_Float32, TEMPORARY_OPTIONS
        )
        if dataset is None:
            raise HeatmapError(f"Cannot create {path}: {_last_gdal_error()}")
    dataset.SetGeoTransform(grid.geotransform)
    if crs_wkt:
        dataset.SetProjection(crs_wkt)
    band = dataset.GetRasterBand(1)
    block_rows = min(TILE_SIDE, grid.rows)
    block = np.empty((block_rows, grid.cols), dtype=np.float32)
    filled, block_start = 0, 0  # rows in the block, and the grid row of its first
    maximum, minimum = -math.inf, math.inf
    for _first_row, values in bands:
        if values.size:
            band_max, band_min = float(values.max()), float(values.min())
            if not (-FLOAT32_MAX <= band_min and band_max <= FLOAT32_MAX):
                raise HeatmapError(
                    f"Values up to {max(abs(band_min), abs(band_max)):.4g} do not fit a Float32 "
                    "raster: use smaller weights or another output value."
                )
            maximum, minimum = max(maximum, band_max), min(minimum, band_min)
        taken = 0
        while taken < len(values):
            count = min(block_rows - filled, len(values) - taken)
            block[filled : filled + count] = values[taken : taken + count]
            filled, taken = filled + count, taken + count
            if filled == block_rows or block_start + filled == grid.rows:
                if band.WriteArray(block[:filled], 0, block_start) != 0:
                    raise HeatmapError(f"Cannot write {path}: {_last_gdal_error()}")
                block_start, filled = block_start + filled, 0
    band.FlushCache()
    dataset.FlushCache()
    dataset = band = None  # closes the file
    return maximum, minimum


@contextmanager
def _quiet_gdal() -> Iterator[None]:
    """GDAL's errors kept for :func:`_last_gdal_error` instead of printed on stderr."""
    gdal.ErrorReset()
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        yield
    finally:
        gdal.PopErrorHandler()


def _last_gdal_error() -> str:
    return " ".join(gdal.GetLastErrorMsg().split()) or "GDAL gave no reason"


# Command line -------------------------------------------------------------------------------


class ProgressBar:
    """A text progress bar on a stream: redrawn in place on a terminal (at most every 0.1 s),
    a line per 10 % elsewhere (logs)."""

    WIDTH = 30

    def __init__(self, stream=sys.stderr) -> None:
        self._stream = stream
        self._interactive = stream.isatty()
        self._drawn_at = 0.0
        self._last_tenth = -1
        self._started = time.monotonic()

    def __call__(self, fraction: float, stage: str) -> bool:
        now = time.monotonic()
        fraction = min(max(fraction, 0.0), 1.0)
        if self._interactive:
            if now - self._drawn_at >= 0.1 or fraction >= 1.0:
                filled = int(round(self.WIDTH * fraction))
                bar = "#" * filled + "-" * (self.WIDTH - filled)
                elapsed = now - self._started
                self._stream.write(f"\r[{bar}] {fraction:4.0%} {elapsed:6.1f} s  {stage:<16}")
                if fraction >= 1.0:
                    self._stream.write("\n")
                self._stream.flush()
                self._drawn_at = now
        else:
            tenth = int(fraction * 10)
            if tenth > self._last_tenth:
                self._stream.write(f"{tenth * 10:3d}% {stage}\n")
                self._stream.flush()
                self._last_tenth = tenth
        return True


def argument_parser() -> argparse.ArgumentParser:
    """The command line's arguments (``python3 -m kde_heatmap_plugin --help``)."""
    parser = argparse.ArgumentParser(
        prog="kde-heatmap",
        description=(
            "Kernel density heatmap of points, written as a Float32 Cloud-Optimized GeoTIFF: "
            "the KDE Heatmap plugin's algorithm, without QGIS. Lengths are in the units of "
            "the points' (projected) CRS."
        ),
    )
    parser.add_argument(
        "input",
        help="points: a vector file (GeoPackage, Shapefile, CSV, ...), a folder of "
        "such files (partitions, concatenated), or a quoted glob pattern",
    )
    parser.add_argument("output", help="the GeoTIFF (COG) to write; replaced if it exists")
    parser.add_argument(
        "--radius", type=float, help="kernel radius; default: ArcGIS's rule from the points"
    )
    parser.add_argument(
        "--cell-size",
        type=float,
        help="cell side; default: about 1000 cells on the longer side, at least 10 per radius",
    )
    parser.add_argument(
        "--kernel", choices=[kernel.name.lower() for kernel in Kernel], default="quartic"
    )
    parser.add_argument(
        "--decay", type=float, default=0.0, help="the triangular kernel's value at the radius"
    )
    parser.add_argument("--output-value", choices=list(OUTPUT_VALUES), default="raw")
    parser.add_argument("--weight-field", help="numeric field of per-point weights")
    parser.add_argument("--radius-field", help="numeric field of per-point radii")
    parser.add_argument(
        "--radius-rule", choices=RADIUS_RULES, help="derive the radius by this rule"
    )
    parser.add_argument(
        "--extent",
        type=_extent,
        metavar="XMIN,YMIN,XMAX,YMAX",
        help="the raster's extent; default: the points' grown by the radius",
    )
    parser.add_argument("--x-field", default="x", help="CSV/Parquet column of x (default: x)")
    parser.add_argument("--y-field", default="y", help="CSV/Parquet column of y (default: y)")
    parser.add_argument("--crs", help="the points' CRS when the input has none, e.g. EPSG:32633")
    parser.add_argument("--layer", help="layer to read in each file (default: the first)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    cluster = parser.add_mutually_exclusive_group()
    cluster.add_argument(
        "--workers", type=int, help="compute on a local Dask cluster of N worker processes"
    )
    cluster.add_argument("--scheduler", help="compute on a running Dask cluster (tcp://host:port)")
    return parser


def _extent(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"expected xmin,ymin,xmax,ymax, not {text!r}")
    return values


def job_from_arguments(arguments: argparse.Namespace) -> HeatmapJob:
    """The :class:`HeatmapJob` the parsed command line asks for."""
    return HeatmapJob(
        input=arguments.input,
        output=arguments.output,
        radius=arguments.radius,
        cell_size=arguments.cell_size,
        kernel=Kernel[arguments.kernel.upper()],
        decay=arguments.decay,
        output_value=OUTPUT_VALUES[arguments.output_value],
        weight_field=arguments.weight_field,
        radius_field=arguments.radius_field,
        radius_rule=arguments.radius_rule,
        extent=arguments.extent,
        x_field=arguments.x_field,
        y_field=arguments.y_field,
        crs=arguments.crs,
        layer=arguments.layer,
        workers=arguments.workers,
        scheduler=arguments.scheduler,
    )


def main(argv: list[str] | None = None) -> int:
    """Run the command line; 0 on success, 1 with a one-line message on stderr on a refused
    input, 2 for arguments argparse rejects, 130 when interrupted."""
    arguments = argument_parser().parse_args(argv)
    job = job_from_arguments(arguments)
    progress = None if arguments.quiet else ProgressBar(sys.stderr)
    try:
        result = run_heatmap(job, progress)
    except (HeatmapError, ValueError) as error:
        message = " ".join(str(error).split())
        print(f"kde-heatmap: error: {message}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print("kde-heatmap: interrupted", file=sys.stderr)
        return 130
    skipped = "".join(f", {count} skipped {reason}" for reason, count in result.skipped.items())
    radius = f"radius {result.radius:g}" if result.radius is not None else "per-point radii"
    print(
        f"{result.output}: {result.grid.rows} x {result.grid.cols} cells of {result.cell_size:g}, "
        f"{radius}, {result.points} points{skipped}; values {result.minimum:.6g} to "
        f"{result.maximum:.6g}",
        file=sys.stderr,
    )
    return 0
