"""Ours against qgis:heatmapkerneldensityestimation (QGIS 3.22), compared honestly.

The native algorithm is not exact in general (qgskde.cpp, 3.22): for each point it reads a
block of ``2 b + 1`` cells through the raster provider over the extent point +- radius
(resampled, so the block is misaligned with the cell grid unless ``2 r = (2 b + 1) * cell``),
evaluates the kernel at cell centres counted from the bottom of the extent, and writes the
block back at a row offset counted from the top: each stamp is mirrored in Y and shifted by up
to a cell. ``b`` is ``int(r / cell)``, plus one when ``r - b * cell > 0.5`` (map units).

All three errors vanish when
  * every point sits exactly on a cell centre (the mirrored stamp is symmetric and lands
    where it belongs),
  * ``r = (b + 0.5) * cell`` and ``0.5 * cell <= 0.5`` (so ``b`` is not incremented and the
    read block is exactly the written block).
On such data the two must agree to float32 precision for every native kernel and for Raw and
Scaled, except that cells no point reaches are NoData (-9999) for native and 0 for us.
A second test shows that off this lattice native does deviate, so the first is not vacuous.
"""

from __future__ import annotations

import numpy as np
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer
from qgis_test_support import read_raster

from kde_heatmap_plugin.core import Kernel, OutputValue

NATIVE_KERNELS = [
    Kernel.QUARTIC,
    Kernel.TRIANGULAR,
    Kernel.UNIFORM,
    Kernel.TRIWEIGHT,
    Kernel.EPANECHNIKOV,
]
NATIVE_NO_DATA = -9999.0


def memory_points(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:32617&field=w:double", "points", "memory")
    features = []
    for point_x, point_y, point_weight in zip(x, y, weight):
        feature = QgsFeature(layer.fields())
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(point_x, point_y)))
        feature["w"] = float(point_weight)
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def run_both(processing_run, layer, tmp_path, **parameters) -> tuple[np.ndarray, np.ndarray]:
    rasters = []
    for algorithm in ("qgis:heatmapkerneldensityestimation", "kdeheatmap:heatmap"):
        output = str(tmp_path / f"{algorithm.split(':')[0]}.tif")
        processing_run(
            algorithm, {"INPUT": layer, "WEIGHT_FIELD": "w", "OUTPUT": output, **parameters}
        )
        values, geotransform, _ = read_raster(output)
        rasters.append((values, geotransform))
    (native, native_geotransform), (ours, our_geotransform) = rasters
    assert our_geotransform == native_geotransform
    assert ours.shape == native.shape
    return native, ours


@pytest.fixture(scope="module")
def lattice_points() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """40 weighted points on cell centres of a 1 m grid (duplicates included)."""
    rng = np.random.default_rng(2024)
    x = 500_000.0 + rng.integers(0, 60, 40)
    y = 4_000_000.0 + rng.integers(0, 45, 40)
    return x, y, rng.uniform(0.5, 3.0, 40).round(3)


@pytest.mark.parametrize("kernel", NATIVE_KERNELS)
@pytest.mark.parametrize("output_value", [OutputValue.RAW, OutputValue.SCALED])
def test_equal_to_native_where_native_is_exact(
    processing_run, tmp_path, lattice_points, kernel, output_value
):
    layer = memory_points(*lattice_points)
    native, ours = run_both(
        processing_run,
        layer,
        tmp_path,
        RADIUS=10.5,
        PIXEL_SIZE=1.0,
        KERNEL=int(kernel),
        OUTPUT_VALUE=int(output_value),
        DECAY=0.3,
    )
    no_data = native == NATIVE_NO_DATA
    assert no_data.any() and (~no_data).any()
    assert (ours[no_data] == 0).all()
    peak = np.abs(ours).max()
    np.testing.assert_allclose(ours[~no_data], native[~no_data], rtol=1e-6, atol=1e-6 * peak)


def test_native_deviates_off_the_cell_centres(processing_run, tmp_path, lattice_points):
    x, y, weight = lattice_points
    off_centre = np.arange(len(x)) % 2 == 1  # half of the points move off their centres...
    x = np.append(x + 0.3 * off_centre, [x.min() - 5, x.max() + 5])
    y = np.append(y - 0.2 * off_centre, [y.min() - 5, y.max() + 5])  # ...the extent does not
    layer = memory_points(x, y, np.append(weight, [1.0, 1.0]))
    native, ours = run_both(
        processing_run, layer, tmp_path, RADIUS=10.5, PIXEL_SIZE=1.0, KERNEL=int(Kernel.QUARTIC)
    )
    native = np.where(native == NATIVE_NO_DATA, 0.0, native)
    assert np.abs(native - ours).max() > 0.02 * ours.max()
