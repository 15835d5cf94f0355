"""Radius and cell size from the data, for runs where the user gives neither.

ArcGIS Pro's default search radius ("a spatial variant of Silverman's rule of thumb", Kernel
Density tool documentation)::

    R = 0.9 · min(SD, sqrt(1 / ln 2) · Dm) · n^(-1/5)

with, about the (weighted) mean centre ``(x̄, ȳ)`` of the points:

* ``SD`` the standard distance, ``sqrt(Σ w (x - x̄)² / Σ w + Σ w (y - ȳ)² / Σ w)``;
* ``Dm`` the (weighted) median distance to the mean centre: the smallest distance ``d`` such
  that the points at most ``d`` away carry at least half the total weight;
* ``n`` the number of points, or the sum of the weights when a weight field is used.

Weights count only when they are all non-negative with a positive sum (a population field);
otherwise (negative weights, as in a difference of two surfaces) every point counts once.

The rule gives the support radius of ArcGIS's kernel, the quartic. For another kernel the
radius is scaled so that the kernel has the same standard deviation per coordinate:
``R_kernel = R_quartic · s_quartic / s_kernel``, where ``s`` is the standard deviation of one
coordinate under the kernel of support radius 1 (:func:`kernel_standard_deviation`).

Lengths are in the units of the coordinates (metres in a projected CRS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .geodesic import METRES_PER_DEGREE
from .geodesic_density import geodesic_grid
from .kernels import GAUSSIAN_EXPONENT, Kernel

SILVERMAN_FACTOR = 0.9
"""The 0.9 of Silverman's rule of thumb."""
MEDIAN_FACTOR = math.sqrt(1.0 / math.log(2.0))
"""sqrt(1 / ln 2): makes the median distance comparable with the standard distance."""
TARGET_CELLS = 1000
"""Cells on the longer side of a raster whose cell size is chosen automatically."""
CELLS_PER_RADIUS = 10
"""Fewest cells per radius of an automatic cell size."""


@dataclass(frozen=True)
class RadiusRule:
    """The default radius and the numbers it comes from.

    Attributes:
        radius: the radius for the kernel asked for (coordinate units); 0 when every point
            has the same position (there is no spread to measure).
        quartic_radius: the rule's radius for the quartic kernel.
        standard_distance: SD about the mean centre.
        median_distance: Dm, the median distance to the mean centre.
        count: n, the number of points or the sum of the weights.
        weighted: whether the weights were used.
        mean_x, mean_y: the mean centre.
    """

    radius: float
    quartic_radius: float
    standard_distance: float
    median_distance: float
    count: float
    weighted: bool
    mean_x: float
    mean_y: float


def arcgis_radius(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray | None = None,
    *,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
) -> RadiusRule:
    """ArcGIS Pro's default radius for points ``x``, ``y`` (see the module), for ``kernel``.

    Raises:
        ValueError: no points, or coordinates or weights that are not finite.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.size == 0 or x.shape != y.shape:
        raise ValueError("The rule needs at least one point (x and y of the same length).")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("Coordinates must be finite numbers.")
    weighted = False
    weights = np.ones_like(x)
    if weight is not None:
        given = np.asarray(weight, dtype=np.float64).ravel()
        if given.shape != x.shape or not np.isfinite(given).all():
            raise ValueError("Weights must be finite numbers, one per point.")
        if (given >= 0).all() and given.sum() > 0:
            weights, weighted = given, True
    total = float(weights.sum())
    # about a point of the data, so that large coordinates do not cost digits
    origin_x, origin_y = float(x[0]), float(y[0])
    dx, dy = x - origin_x, y - origin_y
    mean_dx, mean_dy = float(weights @ dx) / total, float(weights @ dy) / total
    dx -= mean_dx
    dy -= mean_dy
    distance_squared = dx * dx + dy * dy
    standard_distance = math.sqrt(float(weights @ distance_squared) / total)
    median_distance = _weighted_median(np.sqrt(distance_squared), weights)
    quartic = (
        SILVERMAN_FACTOR
        * min(standard_distance, MEDIAN_FACTOR * median_distance)
        * total ** (-1.0 / 5.0)
    )
    return RadiusRule(
        radius=radius_for_kernel(quartic, kernel, decay),
        quartic_radius=quartic,
        standard_distance=standard_distance,
        median_distance=median_distance,
        count=total,
        weighted=weighted,
        mean_x=origin_x + mean_dx,
        mean_y=origin_y + mean_dy,
    )


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The smallest value whose points, with all smaller ones, carry half the weight or more."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    index = int(np.searchsorted(cumulative, cumulative[-1] / 2.0, side="left"))
    return float(values[order][min(index, len(values) - 1)])


def kernel_standard_deviation(kernel: Kernel, decay: float = 0.0) -> float:
    """Standard deviation of one coordinate under ``kernel`` with support radius 1.

    For a radial profile ``k(r)`` on the unit disc, ``s² = E[r²] / 2`` with
    ``E[r²] = ∫ r³ k(r) dr / ∫ r k(r) dr``:

    * ``(1 - r²)^p`` (uniform p = 0, Epanechnikov 1, quartic 2, triweight 3):
      ``s² = 1 / (2 (p + 2))``: 1/4, 1/6, 1/8, 1/10;
    * triangular ``1 - (1 - decay) r``:
      ``s² = (1/4 - (1 - decay)/5) / (2 (1/2 - (1 - decay)/3))``, 0.15 for decay 0;
    * Gaussian ``exp(-4.5 r²)``: its σ, 1/3, as the kernel is defined (σ = radius / 3, as
      spatstat's and every sigma-based rule's Gaussian); the cut at ``r = 1`` makes the spread
      2.6 % smaller (``E[r²] = 2σ² - e^(-4.5) / (1 - e^(-4.5))``), which is left out so that a
      rule's σ and the Gaussian's σ are the same number.

    Raises:
        ValueError: a triangular decay whose kernel does not have a positive mass and
            variance (decay at or below -0.5).
    """
    kernel = Kernel(kernel)
    powers = {Kernel.UNIFORM: 0, Kernel.EPANECHNIKOV: 1, Kernel.QUARTIC: 2, Kernel.TRIWEIGHT: 3}
    if kernel in powers:
        return math.sqrt(1.0 / (2.0 * (powers[kernel] + 2)))
    if kernel == Kernel.TRIANGULAR:
        slope = 1.0 - decay
        mass = 0.5 - slope / 3.0
        second_moment = 0.25 - slope / 5.0
        if not (mass > 0 and second_moment > 0):
            raise ValueError(f"A triangular kernel with decay {decay} has no positive spread.")
        return math.sqrt(second_moment / mass / 2.0)
    return math.sqrt(1.0 / (2.0 * GAUSSIAN_EXPONENT))


def radius_for_kernel(quartic_radius: float, kernel: Kernel, decay: float = 0.0) -> float:
    """The radius giving ``kernel`` the spread of a quartic kernel of ``quartic_radius``."""
    return (
        quartic_radius
        * kernel_standard_deviation(Kernel.QUARTIC)
        / kernel_standard_deviation(kernel, decay)
    )


def automatic_cell_size(longer_side: float, radius: float) -> float:
    """A cell size for a raster ``longer_side`` long (radius included) and a ``radius``.

    About ``TARGET_CELLS`` cells on the longer side, but at least ``CELLS_PER_RADIUS`` cells
    per radius: ``min(longer_side / TARGET_CELLS, radius / CELLS_PER_RADIUS)``, rounded down
    to two significant digits (a number a user can type; never fewer cells than asked).

    Raises:
        ValueError: sizes that are not positive finite numbers.
    """
    if not (math.isfinite(longer_side) and longer_side > 0 and math.isfinite(radius)):
        raise ValueError(f"The raster side must be a positive number, not {longer_side}.")
    if not radius > 0:
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    return round_down(min(longer_side / TARGET_CELLS, radius / CELLS_PER_RADIUS))


def automatic_cell_size_planar(
    x: np.ndarray, y: np.ndarray, largest_radius: float, typical_radius: float
) -> float:
    """:func:`automatic_cell_size` for points ``x``, ``y`` whose raster is grown by
    ``largest_radius`` on every side (the native grid), ``typical_radius`` per radius."""
    longer_side = max(float(np.ptp(x)), float(np.ptp(y))) + 2 * largest_radius
    return automatic_cell_size(longer_side, typical_radius)


def automatic_cell_size_geodesic(
    longitudes: np.ndarray, latitudes: np.ndarray, largest_radius: float, typical_radius: float
) -> float:
    """:func:`automatic_cell_size` in degrees for the geodesic method: the longer side of the
    grid ``geodesic_grid`` makes for the points (degrees), and the radii (metres) converted
    at ``METRES_PER_DEGREE`` (a degree of latitude, near enough)."""
    provisional = geodesic_grid(
        longitudes, latitudes, largest_radius, largest_radius / METRES_PER_DEGREE / 10
    )
    longer_side = max(provisional.rows, provisional.cols) * provisional.cell_size
    return automatic_cell_size(longer_side, typical_radius / METRES_PER_DEGREE)


def round_significant(value: float, digits: int = 2) -> float:
    """``value`` (> 0) rounded to the nearest number of ``digits`` significant digits."""
    step = 10.0 ** (math.floor(math.log10(value)) - digits + 1)
    return _decimal(round(value / step) * step)


def round_down(value: float) -> float:
    """``value`` (> 0) rounded down to two significant digits."""
    step = 10.0 ** (math.floor(math.log10(value)) - 1)
    return _decimal(math.floor(value / step + 1e-9) * step)


def _decimal(value: float) -> float:
    """The shortest decimal near ``value`` (0.00012, not 0.00012000000000000002)."""
    return float(f"{value:.12g}")
