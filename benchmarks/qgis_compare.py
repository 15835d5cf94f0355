#!/usr/bin/python3
"""Benchmark KDE Heatmap against QGIS's native heatmap (and SAGA) through their command lines.

Usage (from the repository root, with the system interpreter that has GDAL's Python bindings)::

    /usr/bin/python3 benchmarks/qgis_compare.py [--sizes 1e4,1e5,1e6] [--with-1e7] [--repeat 3]
        [--tools ours,native,saga] [--workdir /tmp/kde_bench] [--markdown FILE]

What it does:

1. Generates clustered points with a weight field (fixed seed, EPSG:32633, 20 km x 20 km), writes
   them as GeoPackage through a CSV and ``gdal.VectorTranslate``, and caches them in the work
   directory under a name keyed by the generator's parameters. Beside each data set it writes a
   10-point layer with the same extent (its points include the extreme ones), hence the same
   output grid: a tool's *algorithm time* is its median wall time on the case minus its median wall
   time on the 10-point layer with the same parameters, both measured in the same run.
2. Runs the cases: quartic, raw, weighted, radius 200 m (20 cells) at every size of ``--sizes``
   (1e6 is case (a); with ``--with-1e7`` 1e7 is case (d), run by ours only); (b) 1e5 points,
   quartic, scaled, radius 1000 m; (c) 1e6 points, Gaussian, radius 200 m (ours and SAGA; the
   native algorithm has no Gaussian). The cell size is 10 m throughout.
3. Runs the tools alternately (the order flips every repetition), each run under
   ``/usr/bin/time -v`` for wall time and peak resident memory: ours (``kdeheatmap:heatmap``,
   loaded from this repository through a temporary plugin folder and profile) and the native
   ``qgis:heatmapkerneldensityestimation`` through ``qgis_process``, and SAGA's
   ``grid_gridding 6`` (Kernel Density Estimation) when ``saga_cmd`` is installed.
4. Checks each tool's last output: about 200 random cells (and the maximum cell) against a
   brute-force sum over all points at the true cell centres, with the formula that the tool
   documents, reported as the largest absolute difference over the raster's maximum.
5. Prints the table and writes it as Markdown with the machine it was measured on.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

REPO_ROOT = Path(__file__).resolve().parents[1]
PLUGIN_FOLDER = "kde_heatmap"
OURS_ID = "kdeheatmap:heatmap"
NATIVE_ID = "qgis:heatmapkerneldensityestimation"
TOOLS = ("ours", "native", "saga")

EPSG = 32633
EXTENT = (500_000.0, 5_000_000.0, 520_000.0, 5_020_000.0)  # x_min, y_min, x_max, y_max (m)
SEED = 20_240_605
CELL_SIZE = 10.0
WEIGHT_FIELD = "weight"
SAMPLE_CELLS = 200
BASELINE_POINTS = 10

#: Parameters of the point generator; their hash names the cached files.
GENERATOR = {
    "seed": SEED,
    "epsg": EPSG,
    "extent": EXTENT,
    "clusters": 40,
    "background_fraction": 0.2,
    "sigma_range_m": (50.0, 1500.0),
    "weight_gamma": (2.0, 1.0),
    "version": 1,
}

#: Issue 5: ours at least this many times faster than native in algorithm time.
SPEED_TARGET = 10.0
TARGET_CASES = ("(a)", "(b)")
NO_NATIVE_1E7 = "not run: about 10x case (a), some minutes a run"


@dataclass(frozen=True)
class Case:
    """One benchmark case: a data set size and the heatmap parameters."""

    name: str
    n_points: int
    radius: float
    kernel: str  # "quartic" or "gaussian"
    output: str  # "raw" or "scaled"
    weighted: bool
    tools: tuple[str, ...]
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def description(self) -> str:
        """A one-line summary for the table."""
        weight = ", weighted" if self.weighted else ""
        return (
            f"{self.name}: {short_count(self.n_points)} pts, r {self.radius:g} m "
            f"({self.radius / CELL_SIZE:g} cells), {self.kernel}, {self.output}{weight}"
        )


@dataclass(frozen=True)
class Dataset:
    """A cached point data set and its 10-point twin with the same extent."""

    path: Path
    baseline_path: Path


@dataclass(frozen=True)
class Measurement:
    """One run under ``/usr/bin/time -v``."""

    wall_s: float
    cpu_s: float
    peak_mb: float


@dataclass
class ToolResult:
    """All runs of one tool on one case, and the exactness of its last output."""

    case_runs: list[Measurement] = field(default_factory=list)
    baseline_runs: list[Measurement] = field(default_factory=list)
    max_rel_diff: float = math.nan

    @property
    def wall_s(self) -> float:
        """Median end-to-end wall time on the case."""
        return statistics.median(run.wall_s for run in self.case_runs)

    @property
    def baseline_s(self) -> float:
        """Median wall time on the 10-point layer."""
        return statistics.median(run.wall_s for run in self.baseline_runs)

    @property
    def algorithm_s(self) -> float:
        """Median wall time on the case minus median wall time on the 10-point layer."""
        return self.wall_s - self.baseline_s

    @property
    def cpu_s(self) -> float:
        """Median CPU time (user + system) on the case: above wall time when threads help."""
        return statistics.median(run.cpu_s for run in self.case_runs)

    @property
    def peak_mb(self) -> float:
        """Largest peak resident memory over the runs on the case."""
        return max(run.peak_mb for run in self.case_runs)


@dataclass(frozen=True)
class Environment:
    """Executables and per-tool process environments."""

    qgis_process: str
    saga_cmd: str | None
    envs: dict[str, dict[str, str]]


# --------------------------------------------------------------------------- data generation


def generator_key() -> str:
    """A short hash of the generator's parameters, so that changing them invalidates the cache."""
    text = json.dumps(GENERATOR, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def clustered_points(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n`` points: Gaussian clusters plus a uniform background inside EXTENT, and weights.

    Deterministic for a given ``n``: the cluster layout depends on the seed only, the draws on
    the seed and ``n``. Cluster points falling outside the extent are drawn again.
    """
    x_min, y_min, x_max, y_max = EXTENT
    layout = np.random.default_rng(SEED)
    k = GENERATOR["clusters"]
    centres = layout.uniform((x_min, y_min), (x_max, y_max), size=(k, 2))
    low, high = GENERATOR["sigma_range_m"]
    sigmas = np.exp(layout.uniform(math.log(low), math.log(high), size=k))
    shares = layout.dirichlet(np.ones(k))

    rng = np.random.default_rng([SEED, n])
    n_background = int(n * GENERATOR["background_fraction"])
    parts = [rng.uniform((x_min, y_min), (x_max, y_max), size=(n_background, 2))]
    missing = n - n_background
    while missing:
        member = rng.choice(k, size=missing, p=shares)
        xy = centres[member] + rng.standard_normal((missing, 2)) * sigmas[member, None]
        inside = (xy[:, 0] >= x_min) & (xy[:, 0] <= x_max) & (xy[:, 1] >= y_min)
        inside &= xy[:, 1] <= y_max
        parts.append(xy[inside])
        missing -= int(inside.sum())
    xy = np.concatenate(parts)
    xy = xy[rng.permutation(n)]
    weight = rng.gamma(*GENERATOR["weight_gamma"], size=n)
    return xy[:, 0], xy[:, 1], weight


def write_csv(path: Path, x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> None:
    """Write x, y (mm precision) and weight as CSV, with a ``.csvt`` file declaring Real types."""
    chunk = 500_000
    with path.open("w", encoding="ascii") as out:
        out.write(f"x,y,{WEIGHT_FIELD}\n")
        for start in range(0, len(x), chunk):
            rows = np.column_stack(
                (x[start : start + chunk], y[start : start + chunk], weight[start : start + chunk])
            )
            out.write(("%.3f,%.3f,%.4f\n" * len(rows)) % tuple(rows.ravel()))
    path.with_suffix(".csvt").write_text("Real,Real,Real\n", encoding="ascii")


def csv_to_gpkg(csv_path: Path, gpkg_path: Path) -> None:
    """Convert the CSV to a GeoPackage point layer in EPSG:32633 (no spatial index: README)."""
    source = gdal.OpenEx(
        str(csv_path),
        gdal.OF_VECTOR,
        open_options=["X_POSSIBLE_NAMES=x", "Y_POSSIBLE_NAMES=y", "KEEP_GEOM_COLUMNS=NO"],
    )
    options = gdal.VectorTranslateOptions(
        format="GPKG",
        layerName="points",
        dstSRS=f"EPSG:{EPSG}",
        reproject=False,
        geometryType="POINT",
        layerCreationOptions=["SPATIAL_INDEX=NO"],
        options=["-gt", "unlimited"],
    )
    gdal.VectorTranslate(str(gpkg_path), source, options=options)


def write_small_gpkg(path: Path, x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> None:
    """Write a few points feature by feature (for the 10-point baseline layer)."""
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(EPSG)
    dataset = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = dataset.CreateLayer("points", srs, ogr.wkbPoint, ["SPATIAL_INDEX=NO"])
    layer.CreateField(ogr.FieldDefn(WEIGHT_FIELD, ogr.OFTReal))
    for xi, yi, wi in zip(x, y, weight):
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({xi!r} {yi!r})"))
        feature.SetField(WEIGHT_FIELD, float(wi))
        layer.CreateFeature(feature)
    dataset = None


def baseline_indices(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of BASELINE_POINTS points: the four extreme ones (same extent) and random others."""
    extremes = {int(np.argmin(x)), int(np.argmax(x)), int(np.argmin(y)), int(np.argmax(y))}
    rng = np.random.default_rng([SEED, len(x), BASELINE_POINTS])
    others = rng.choice(len(x), size=BASELINE_POINTS, replace=False)
    chosen = list(extremes) + [int(i) for i in others if int(i) not in extremes]
    return np.array(chosen[:BASELINE_POINTS])


def load_dataset(workdir: Path, n: int) -> Dataset:
    """The cached data set of ``n`` points, generated (about 5 s per million points) if missing."""
    stem = f"points_{n}_{generator_key()}"
    result = Dataset(workdir / f"{stem}.gpkg", workdir / f"{stem}_baseline.gpkg")
    if result.path.exists() and result.baseline_path.exists():
        return result
    log(f"generating {n:,} points -> {result.path}")
    x, y, weight = clustered_points(n)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        csv_path, gpkg_tmp = Path(tmp) / "points.csv", Path(tmp) / "points.gpkg"
        write_csv(csv_path, x, y, weight)
        csv_to_gpkg(csv_path, gpkg_tmp)
        written_x, written_y, written_w = read_points(gpkg_tmp)
        keep = baseline_indices(written_x, written_y)
        small_tmp = Path(tmp) / "baseline.gpkg"
        write_small_gpkg(small_tmp, written_x[keep], written_y[keep], written_w[keep])
        os.replace(small_tmp, result.baseline_path)
        os.replace(gpkg_tmp, result.path)
    return result


def read_points(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and weight of every point of the layer, as the tools read them (Arrow, WKB decoded)."""
    wkb_point = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])
    layer_ds = ogr.Open(str(path))
    xs, ys, ws = [], [], []
    for batch in layer_ds.GetLayer(0).GetArrowStreamAsNumPy(options=["INCLUDE_FID=NO"]):
        points = np.frombuffer(b"".join(batch["geom"]), dtype=wkb_point)
        bad = np.any(points["order"] != 1) or np.any(points["type"] != 1)
        if bad or len(points) != len(batch["geom"]):
            raise RuntimeError(f"{path}: expected little-endian 2D points")
        xs.append(points["x"])
        ys.append(points["y"])
        ws.append(np.asarray(batch[WEIGHT_FIELD], dtype=np.float64))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ws)


# --------------------------------------------------------------------------- cases


def build_cases(sizes: Sequence[int], tools: Sequence[str]) -> list[Case]:
    """The cases to run for the given sizes, each with the subset of ``tools`` that can run it."""
    cases = []
    for n in sizes:
        name = {10**6: "(a)", 10**7: "(d)"}.get(n, f"(a) at {short_count(n)}")
        reasons = {"native": NO_NATIVE_1E7, "saga": NO_NATIVE_1E7} if n >= 10**7 else {}
        cases.append(Case(name, n, 200.0, "quartic", "raw", True, *split_tools(tools, reasons)))
    if 10**5 in sizes:
        cases.append(Case("(b)", 10**5, 1000.0, "quartic", "scaled", False, tuple(tools)))
    if 10**6 in sizes:
        reasons = {"native": "has no Gaussian kernel"}
        cases.append(
            Case("(c)", 10**6, 200.0, "gaussian", "raw", False, *split_tools(tools, reasons))
        )
    return sorted(cases, key=lambda case: case.n_points >= 10**7)  # (d) last, order kept


def short_count(n: int) -> str:
    """``1000000`` -> ``"1e6"`` (one significant digit, for labels)."""
    mantissa, exponent = f"{n:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def split_tools(
    tools: Sequence[str], reasons: dict[str, str]
) -> tuple[tuple[str, ...], dict[str, str]]:
    """The tools that run a case, and the reasons of those of ``tools`` that do not."""
    runnable = tuple(tool for tool in tools if tool not in reasons)
    return runnable, {tool: reason for tool, reason in reasons.items() if tool in tools}


# --------------------------------------------------------------------------- tools


def find_qgis_process() -> str:
    """The first qgis_process executable that answers ``--version`` (Debian's wrapper fails)."""
    candidates = [shutil.which("qgis_process"), "/usr/bin/qgis_process.bin"]
    candidates.append(shutil.which("qgis_process.bin"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for exe in filter(None, candidates):
        try:
            done = subprocess.run(
                [exe, "--version"], capture_output=True, text=True, env=env, timeout=120
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and "QGIS" in done.stdout:
            return exe
    sys.exit("No working qgis_process found (tried qgis_process and /usr/bin/qgis_process.bin).")


def make_environment(tmp: Path, tools: Sequence[str]) -> Environment:
    """Profiles for the QGIS tools: ours with this repository enabled as a plugin, native clean."""
    qgis_process = find_qgis_process()
    base = {k: v for k, v in os.environ.items() if k != "QGIS_PLUGINPATH"}
    base["QT_QPA_PLATFORM"] = "offscreen"
    base.setdefault("XDG_RUNTIME_DIR", str(tmp))
    envs = {"native": dict(base, QGIS_CUSTOM_CONFIG_PATH=str(tmp / "profile_native"))}
    if "ours" in tools:
        plugins = tmp / "plugins"
        plugins.mkdir()
        (plugins / PLUGIN_FOLDER).symlink_to(REPO_ROOT, target_is_directory=True)
        envs["ours"] = dict(
            base, QGIS_CUSTOM_CONFIG_PATH=str(tmp / "profile_ours"), QGIS_PLUGINPATH=str(plugins)
        )
        enable_plugin(qgis_process, envs["ours"])
    envs["saga"] = base
    saga_cmd = shutil.which("saga_cmd") if "saga" in tools else None
    return Environment(qgis_process, saga_cmd, envs)


def enable_plugin(qgis_process: str, env: dict[str, str]) -> None:
    """Enable our plugin in the temporary profile and check that its algorithm is listed."""
    subprocess.run(
        [qgis_process, "plugins", "enable", PLUGIN_FOLDER],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    listing = subprocess.run(
        [qgis_process, "list"], capture_output=True, text=True, env=env, check=False
    )
    if OURS_ID not in listing.stdout:
        tail = "\n".join(listing.stderr.strip().splitlines()[-15:])
        sys.exit(
            f"KDE Heatmap's algorithm {OURS_ID} is not listed by `{qgis_process} list` with "
            f"QGIS_PLUGINPATH={env['QGIS_PLUGINPATH']} (a folder holding {PLUGIN_FOLDER} -> "
            f"{REPO_ROOT}). The plugin is missing or failed to load; run with --tools native,saga "
            f"meanwhile.\nqgis_process stderr (last lines):\n{tail}"
        )


def qgis_command(
    qgis_process: str, algorithm: str, case: Case, source: Path, out: Path
) -> list[str]:
    """``qgis_process run`` for ours or the native heatmap (same parameter names)."""
    params = {
        "INPUT": str(source),
        "RADIUS": f"{case.radius:g}",
        "PIXEL_SIZE": f"{CELL_SIZE:g}",
        "KERNEL": {"quartic": "0", "gaussian": "5"}[case.kernel],
        "DECAY": "0",
        "OUTPUT_VALUE": {"raw": "0", "scaled": "1"}[case.output],
        "OUTPUT": str(out),
    }
    if case.weighted:
        params["WEIGHT_FIELD"] = WEIGHT_FIELD
    return [qgis_process, "run", algorithm, "--", *(f"{k}={v}" for k, v in params.items())]


def saga_command(saga_cmd: str, case: Case, source: Path, out: Path) -> list[str]:
    """SAGA's Kernel Density Estimation on the native heatmap's grid (nodes = cell centres)."""
    x_min, y_max, rows, cols = native_grid(source, case.radius)
    half = CELL_SIZE / 2
    options = {
        "POINTS": str(source),
        "RADIUS": f"{case.radius:g}",
        "KERNEL": {"quartic": "0", "gaussian": "1"}[case.kernel],
        "TARGET_DEFINITION": "0",
        "TARGET_USER_SIZE": f"{CELL_SIZE:g}",
        "TARGET_USER_FITS": "0",
        "TARGET_USER_XMIN": repr(x_min + half),
        "TARGET_USER_XMAX": repr(x_min + (cols - 1) * CELL_SIZE + half),
        "TARGET_USER_YMIN": repr(y_max - (rows - 1) * CELL_SIZE - half),
        "TARGET_USER_YMAX": repr(y_max - half),
        "TARGET_OUT_GRID": str(out),
    }
    if case.weighted:
        options["POPULATION"] = WEIGHT_FIELD
    command = [saga_cmd, "grid_gridding", "6"]
    for key, value in options.items():
        command += [f"-{key}", value]
    return command


def native_grid(source: Path, radius: float) -> tuple[float, float, int, int]:
    """The native heatmap's grid for a layer: (x_min, y_max, rows, cols) of the grown extent."""
    layer_ds = ogr.Open(str(source))
    x_min, x_max, y_min, y_max = layer_ds.GetLayer(0).GetExtent()
    x_min, y_min, x_max, y_max = x_min - radius, y_min - radius, x_max + radius, y_max + radius
    rows = max(math.ceil((y_max - y_min) / CELL_SIZE) + 1, 1)
    cols = max(math.ceil((x_max - x_min) / CELL_SIZE) + 1, 1)
    return x_min, y_max, rows, cols


def tool_command(env: Environment, tool: str, case: Case, source: Path, out: Path) -> list[str]:
    """The command line that runs ``tool`` on ``case`` with ``source`` as input."""
    if tool == "saga":
        return saga_command(str(env.saga_cmd), case, source, out)
    algorithm = OURS_ID if tool == "ours" else NATIVE_ID
    return qgis_command(env.qgis_process, algorithm, case, source, out)


def timed_run(command: list[str], env: dict[str, str], time_file: Path) -> Measurement:
    """Run ``command`` under ``/usr/bin/time -v``; wall time and peak RSS, or exit on failure."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", "-o", str(time_file), *command],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        sys.exit(f"Failed ({done.returncode}): {' '.join(command)}\n{tail}")
    report = time_file.read_text(encoding="utf-8")
    elapsed = re.search(r"Elapsed \(wall clock\) time .*: ([\d:.]+)", report)
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    cpu = re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report)
    if not elapsed or not peak or len(cpu) != 2:
        sys.exit(f"Unexpected /usr/bin/time output:\n{report}")
    seconds = sum(
        float(part) * 60**power for power, part in enumerate(reversed(elapsed.group(1).split(":")))
    )
    return Measurement(seconds, sum(map(float, cpu)), int(peak.group(1)) / 1024)


# --------------------------------------------------------------------------- running


def output_path(outdir: Path, case: Case, tool: str, kind: str) -> Path:
    """Where a run writes its raster (SAGA's native format for SAGA, GeoTIFF otherwise)."""
    slug = re.sub(r"[^a-z0-9]+", "_", case.name.lower()).strip("_")
    suffix = ".sdat" if tool == "saga" else ".tif"
    return outdir / f"{slug}_{tool}_{kind}{suffix}"


def remove_raster(path: Path) -> None:
    """Delete a raster and its sidecars (.qml, .aux.xml, SAGA's .sgrd/.prj/.mshp)."""
    for sidecar in path.parent.glob(path.stem + ".*"):
        sidecar.unlink()


def warm_up(env: Environment, case: Case, data: Dataset, outdir: Path) -> None:
    """One untimed run of each tool on the baseline layer, so that no timed run starts cold."""
    for tool in case.tools:
        out = output_path(outdir, case, tool, "warm_up")
        remove_raster(out)
        timed_run(
            tool_command(env, tool, case, data.baseline_path, out),
            env.envs[tool],
            outdir / "time.txt",
        )
        remove_raster(out)


def run_case(
    env: Environment, data: Dataset, case: Case, repeat: int, outdir: Path
) -> dict[str, ToolResult]:
    """Run every tool of ``case`` ``repeat`` times, alternately, each on the case and baseline."""
    results = {tool: ToolResult() for tool in case.tools}
    for rep in range(repeat):
        order = case.tools if rep % 2 == 0 else case.tools[::-1]
        for tool in order:
            for kind, source in (("baseline", data.baseline_path), ("case", data.path)):
                out = output_path(outdir, case, tool, kind)
                remove_raster(out)
                command = tool_command(env, tool, case, source, out)
                run = timed_run(command, env.envs[tool], outdir / "time.txt")
                runs = results[tool].case_runs if kind == "case" else results[tool].baseline_runs
                runs.append(run)
                log(
                    f"{case.name} {tool} {kind} rep {rep + 1}/{repeat}: "
                    f"{run.wall_s:.2f} s, {run.peak_mb:.0f} MB"
                )
    return results


# --------------------------------------------------------------------------- exactness


def kernel_formula(tool: str, case: Case) -> Callable[[np.ndarray], np.ndarray]:
    """The value a point of weight 1 adds at ``u² = d²/r²`` (``u² <= 1``), as the tool documents.

    Ours and native: quartic ``(1-u²)²``, Gaussian (ours) ``exp(-4.5 u²)`` (σ = r/3); Scaled
    multiplies the quartic by ``116/(5π r²) · 15/16`` (qgskde.cpp). SAGA (kernel_density.cpp):
    quartic ``3/(π R²) (1-u²)²`` with R the radius in cells, Gaussian ``exp(-2 u²)``, zero at
    ``u = 1``.
    """
    if tool == "saga":
        if case.kernel == "gaussian":
            return lambda u2: np.exp(-2.0 * u2)
        factor = 3.0 / (math.pi * (case.radius / CELL_SIZE) ** 2)
        return lambda u2: factor * (1.0 - u2) ** 2
    if case.kernel == "gaussian":
        return lambda u2: np.exp(-4.5 * u2)
    factor = 1.0
    if case.output == "scaled":
        factor = 116.0 / (5.0 * math.pi * case.radius**2) * (15.0 / 16.0)
    return lambda u2: factor * (1.0 - u2) ** 2


def brute_force(
    points: tuple[np.ndarray, np.ndarray, np.ndarray],
    cx: np.ndarray,
    cy: np.ndarray,
    radius: float,
    formula: Callable[[np.ndarray], np.ndarray],
) -> np.ndarray:
    """Sum over all points within ``radius`` of each centre; points sorted by x, one band a cell."""
    x, y, weight = points
    values = np.zeros(len(cx))
    for i, (px, py) in enumerate(zip(cx, cy)):
        lo = np.searchsorted(x, px - radius, side="left")
        hi = np.searchsorted(x, px + radius, side="right")
        u2 = ((x[lo:hi] - px) ** 2 + (y[lo:hi] - py) ** 2) / radius**2
        near = u2 <= 1.0
        values[i] = np.sum(weight[lo:hi][near] * formula(u2[near]))
    return values


def max_relative_difference(
    raster: Path, points: tuple[np.ndarray, np.ndarray, np.ndarray], case: Case, tool: str
) -> float:
    """Largest |raster - brute force| over SAMPLE_CELLS cells (max cell included) / raster max."""
    raster_ds = gdal.Open(str(raster))
    band = raster_ds.GetRasterBand(1)
    values = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    if nodata is not None:
        values[values == nodata] = 0.0
    x0, dx, _, y0, _, dy = raster_ds.GetGeoTransform()
    rng = np.random.default_rng([SEED, case.n_points, SAMPLE_CELLS])
    cells = rng.choice(values.size, size=SAMPLE_CELLS - 1, replace=False)
    cells = np.append(cells, np.argmax(values))
    rows, cols = np.unravel_index(cells, values.shape)
    cx, cy = x0 + (cols + 0.5) * dx, y0 + (rows + 0.5) * dy
    weights = points[2] if case.weighted else np.ones_like(points[2])
    exact = brute_force(
        (points[0], points[1], weights), cx, cy, case.radius, kernel_formula(tool, case)
    )
    return float(np.max(np.abs(values[rows, cols] - exact)) / np.max(values))


def sorted_points(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The layer's points sorted by x, for the brute-force bands."""
    x, y, weight = read_points(path)
    order = np.argsort(x, kind="stable")
    return x[order], y[order], weight[order]


# --------------------------------------------------------------------------- reporting


HEADER = (
    "case",
    "tool",
    "wall s",
    "10-pt s",
    "algorithm s",
    "CPU s",
    "peak MB",
    "x native (alg)",
    "x native (e2e)",
    "max rel diff",
)


def table_rows(
    cases: Iterable[Case], results: dict[str, dict[str, ToolResult]]
) -> list[tuple[str, ...]]:
    """One row a (case, tool): medians, memory, speed-ups against native, exactness."""
    rows = []
    for case in cases:
        native = results[case.name].get("native")
        for tool, res in results[case.name].items():
            rows.append(
                (
                    case.description,
                    tool,
                    f"{res.wall_s:.2f}",
                    f"{res.baseline_s:.2f}",
                    f"{res.algorithm_s:.2f}",
                    f"{res.cpu_s:.2f}",
                    f"{res.peak_mb:.0f}",
                    speedup(native.algorithm_s, res.algorithm_s) if native else "-",
                    speedup(native.wall_s, res.wall_s) if native else "-",
                    f"{res.max_rel_diff:.1e}",
                )
            )
        for tool, reason in case.skipped.items():
            rows.append((case.description, tool, *(["-"] * 7), reason))
    return rows


def speedup(native_s: float, tool_s: float) -> str:
    """native / tool as ``12.3``, or ``-`` when a time is not positive (below the noise)."""
    return f"{native_s / tool_s:.1f}" if native_s > 0 and tool_s > 0 else "-"


def text_table(rows: Sequence[Sequence[str]]) -> str:
    """A fixed-width table for the terminal."""
    widths = [max(len(row[i]) for row in (HEADER, *rows)) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) for row in (HEADER, *rows)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """The same table in Markdown."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def target_notes(
    cases: Iterable[Case], results: dict[str, dict[str, ToolResult]], outdir: Path
) -> list[str]:
    """Issue 5's targets per case: 10x native in algorithm time, memory within native + float64."""
    notes = []
    for case in cases:
        res = results[case.name]
        if "ours" not in res or "native" not in res:
            continue
        ours, native = res["ours"], res["native"]
        raster_ds = gdal.Open(str(output_path(outdir, case, "native", "case")))
        raster_mb = raster_ds.RasterXSize * raster_ds.RasterYSize * 8 / 2**20
        budget = native.peak_mb + raster_mb
        ratio = speedup(native.algorithm_s, ours.algorithm_s)
        if ratio == "-":
            speed = "ratio not measurable (a time within the noise)"
        else:
            verdict = "met" if float(ratio) >= SPEED_TARGET else "NOT met"
            target = f" (target {SPEED_TARGET:g}x: {verdict})" if case.name in TARGET_CASES else ""
            speed = f"{ratio}x{target}"
        notes.append(
            f"{case.name}: algorithm time ours {ours.algorithm_s:.2f} s, native "
            f"{native.algorithm_s:.2f} s: {speed}; "
            f"end to end {speedup(native.wall_s, ours.wall_s)}x. Peak memory ours "
            f"{ours.peak_mb:.0f} MB, budget {budget:.0f} MB (native {native.peak_mb:.0f} + "
            f"float64 raster {raster_mb:.0f}): {'within' if ours.peak_mb <= budget else 'OVER'}."
        )
    return notes


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: other processes on the machine skew timings."""
    return " ".join(Path("/proc/loadavg").read_text(encoding="utf-8").split()[:3])


def repository_state() -> str:
    """The commit measured, and whether the work tree differed from it (read-only git calls)."""
    git = ["git", "--no-optional-locks", "-C", str(REPO_ROOT)]
    head = subprocess.run(
        [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    status = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    )
    if head.returncode != 0:
        return "unknown (no git commit)"
    dirty = " with uncommitted changes" if status.stdout.strip() else ""
    return head.stdout.strip() + dirty


def machine_info(env: Environment, load_at_start: str) -> dict[str, str]:
    """CPU, cores, RAM, load and the versions of the tools, for the Markdown header."""
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    mem_kb = int(re.search(r"^MemTotal:\s*(\d+)", meminfo, re.MULTILINE).group(1))
    version = subprocess.run(
        [env.qgis_process, "--version"],
        capture_output=True,
        text=True,
        env=env.envs["native"],
        check=False,
    ).stdout
    qgis = re.search(r"^QGIS (\S+)", version, re.MULTILINE)
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": model.group(1).strip() if model else platform.processor(),
        "cores": str(os.cpu_count()),
        "RAM": f"{mem_kb / 2**20:.1f} GiB",
        "OS": platform.platform(),
        "QGIS": qgis.group(1) if qgis else "unknown",
        "GDAL": gdal.__version__,
        "NumPy": np.__version__,
        "Python": platform.python_version(),
        "load average at start / end": f"{load_at_start} / {load_average()}",
        "KDE Heatmap commit": repository_state(),
    }
    if env.saga_cmd:
        saga = subprocess.run(
            [env.saga_cmd, "--version"], capture_output=True, text=True, check=False
        ).stdout
        info["SAGA"] = saga.strip().split()[-1] if saga.strip() else "unknown"
    return info


def markdown_report(
    info: dict[str, str],
    rows: Sequence[Sequence[str]],
    notes: Sequence[str],
    argv: Sequence[str],
    repeat: int,
) -> str:
    """The whole Markdown document: machine, command, method, table, target notes."""
    machine = ", ".join(f"{key} {value}" for key, value in info.items() if key != "date")
    command = "/usr/bin/python3 benchmarks/qgis_compare.py " + " ".join(argv)
    method = (
        f"Each tool ran {repeat} times per case, alternately (order flipped every repetition), "
        "through its command line (`qgis_process run`, `saga_cmd`) under `/usr/bin/time -v`. "
        "*wall s*: median end-to-end wall time; *10-pt s*: median wall time on a 10-point layer "
        "with the same extent and parameters (start-up, reading the layer, creating and writing "
        "the same-size raster); *algorithm s*: their difference; *CPU s*: median user + system "
        "time on the case (above the wall time when threads help); *peak MB*: the largest peak "
        "resident memory on the case; *x native*: native's time over the tool's (higher is "
        "faster). *max rel diff*: on the last output, the largest |value - brute force| over "
        f"{SAMPLE_CELLS} cells (random, plus the maximum), over the raster's maximum, the brute "
        "force summing every point at the true cell centre with the formula the tool documents "
        "(NoData read as 0)."
    )
    parts = [
        "## Results: KDE Heatmap vs QGIS's native heatmap"
        + (" and SAGA" if "SAGA" in info else ""),
        f"Measured {info['date']} on: {machine}.",
        f"Command: `{command}`",
        method,
        markdown_table(rows),
        "\n".join(f"- {note}" for note in notes),
    ]
    return "\n\n".join(part for part in parts if part) + "\n"


# --------------------------------------------------------------------------- main


def measure_case(
    env: Environment, case: Case, args: argparse.Namespace, warm: bool
) -> dict[str, ToolResult]:
    """Run one case (after a warm-up when ``warm``) and check the last outputs' exactness."""
    if not case.tools:
        return {}
    outdir = args.workdir / "out"
    data = load_dataset(args.workdir, case.n_points)
    if warm:
        warm_up(env, case, data, outdir)
    results = run_case(env, data, case, args.repeat, outdir)
    points = sorted_points(data.path)
    for tool, result in results.items():
        raster = output_path(outdir, case, tool, "case")
        result.max_rel_diff = max_relative_difference(raster, points, case, tool)
    return results


def parse_sizes(text: str) -> list[int]:
    """``"1e4,1e5"`` -> ``[10000, 100000]``."""
    try:
        return [int(float(item)) for item in text.split(",") if item.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"bad --sizes {text!r}: {error}") from error


def parse_tools(text: str) -> list[str]:
    """``"ours,native"`` -> ``["ours", "native"]``, checked against TOOLS."""
    tools = [item.strip() for item in text.split(",") if item.strip()]
    unknown = set(tools) - set(TOOLS)
    if unknown or not tools:
        raise argparse.ArgumentTypeError(f"--tools takes some of {', '.join(TOOLS)}")
    return tools


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[10**4, 10**5, 10**6],
        help="point counts of the quartic radius-20-cells series (default "
        "1e4,1e5,1e6; 1e6 is case (a), and also enables (c); 1e5 enables (b))",
    )
    parser.add_argument(
        "--with-1e7", action="store_true", help="add case (d): 1e7 points (ours only)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and case (>= 1)")
    parser.add_argument(
        "--tools",
        type=parse_tools,
        default=list(TOOLS),
        help="comma-separated subset of ours,native,saga (saga is skipped "
        "when saga_cmd is not installed)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/kde_bench"),
        help="data cache and outputs (default /tmp/kde_bench)",
    )
    parser.add_argument(
        "--markdown", type=Path, help="also write the report here (default: WORKDIR/results.md)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.with_1e7 and 10**7 not in args.sizes:
        args.sizes.append(10**7)
    return args


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str]) -> None:
    """Generate or reuse the data, run the cases, check the outputs, print and write the table."""
    args = parse_args(argv)
    load_at_start = load_average()
    outdir = args.workdir / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kde_bench_qgis_") as tmp:
        env = make_environment(Path(tmp), args.tools)
        tools = [tool for tool in args.tools if tool != "saga" or env.saga_cmd]
        if "saga" in args.tools and not env.saga_cmd:
            log("saga_cmd not found: SAGA skipped")
        cases = build_cases(sorted(args.sizes), tools)
        results: dict[str, dict[str, ToolResult]] = {}
        for case in cases:
            results[case.name] = measure_case(env, case, args, warm=not any(results.values()))
        info = machine_info(env, load_at_start)
    rows = table_rows(cases, results)
    notes = target_notes(cases, results, outdir)
    print(text_table(rows))
    print("\n".join(notes))
    markdown = args.markdown or args.workdir / "results.md"
    markdown.write_text(markdown_report(info, rows, notes, argv, args.repeat), encoding="utf-8")
    log(f"Markdown written to {markdown}")


if __name__ == "__main__":
    main(sys.argv[1:])
