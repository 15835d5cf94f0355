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

Rules giving σ, the standard deviation of one coordinate under the kernel (spatstat's
``sigma``), each as its spatstat function (spatstat.explore 3.0-6, read and run):

* :func:`scott_rule`, ``bw.scott(X, isotropic=TRUE)``: ``σ = sqrt(sd_x · sd_y) · n^(-1/6)``,
  sample standard deviations (divisor n - 1), no weights.
* :func:`likelihood_cross_validation`, ``bw.ppl``: the σ among 16 candidates that maximises
  ``Σ_i log λ_-i(x_i) - ∫ λ`` with the Gaussian kernel, leave-one-out sums exact at the points.
* :func:`diggle_rule`, ``bw.diggle``: the σ = r / 2 minimising Berman and Diggle's estimate
  of the mean square error, from the K function on 512 distances.

A σ becomes the support radius of a kernel by matching the standard deviation:
``R = σ / s`` (:func:`radius_from_sigma`; quartic ``R = σ · sqrt(8)``, Epanechnikov
``sqrt(6)``, uniform 2, triweight ``sqrt(10)``, Gaussian 3).

:func:`abramson_radii` gives one radius per point by Abramson's square-root law
(spatstat's ``bw.abram``).

Lengths are in the units of the coordinates (metres in a projected CRS); densities per
unit². Long computations take a progress callback (fraction done; returning False raises
``Cancelled``).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from .estimators import ProgressCallback
from .geodesic import METRES_PER_DEGREE
from .geodesic_density import geodesic_grid
from .kernels import GAUSSIAN_EXPONENT, Kernel, OutputValue
from .pointwise import (
    NeighbourIndex,
    Progress,
    binned_gaussian_leave_one_out,
    binned_grid_cells,
    kernel_sum_at,
    nearest_neighbour_distance,
    pair_distance_histogram,
    pair_sum,
)

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


# ---------------------------------------------------------------------------------------------
# Rules giving σ, the standard deviation of one coordinate (spatstat's ``sigma``)
# ---------------------------------------------------------------------------------------------

#: spatstat's Gaussian is summed out to this many σ (its ``cutoff2Dkernel``): the terms left
#: out are below e^(-32) = 1.3e-14 of the kernel's peak.
GAUSSIAN_HALF_WIDTH = 8.0
#: spatstat's ``bw.ppl`` default number of candidate σ (``ns``).
CROSS_VALIDATION_CANDIDATES = 16
#: spatstat's ``bw.diggle`` default number of distances at which K is estimated (``nr``).
DIGGLE_DISTANCES = 512
#: spatstat's largest edge-correction weight of a pair (``spatstat.options("maxedgewt")``).
LARGEST_EDGE_WEIGHT = 100.0
#: A candidate σ is evaluated binned (:func:`pointwise.binned_gaussian_leave_one_out`) only
#: when its pairs within 8 σ may exceed this number (below, exact sums take under a second).
BINNED_ABOVE_PAIRS = 1e7
#: Grid spacings of the binned evaluation, finest first: h = σ / 8, else σ / 4 where the finer
#: grid would exceed ``BINNED_GRID_CELLS``.
BINS_PER_SIGMA = (8, 4)
#: Largest FFT grid of the binned evaluation (cells, padding included; 8 bytes each).
BINNED_GRID_CELLS = 1 << 24
#: In a binned evaluation, points whose nearest neighbour is farther than this many σ are
#: still summed exactly (their few far terms are the ones binning gets least right).
EXACT_BEYOND_SIGMAS = 2.0
#: The likelihood scan stops once the criterion falls below its best value (the criterion has
#: one maximum in practice, and each larger σ costs (ratio of candidates)² more pairs).
FALLING_CANDIDATES = 1


@dataclass(frozen=True)
class Window:
    """A rectangular study window (map units), as spatstat's ``owin(xrange, yrange)``."""

    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @classmethod
    def around(cls, x: np.ndarray, y: np.ndarray) -> Window:
        """The points' bounding box (spatstat's window for ``ppp(x, y, range(x), range(y))``)."""
        return cls(float(x.min()), float(y.min()), float(x.max()), float(y.max()))

    @property
    def width(self) -> float:
        return self.x_max - self.x_min

    @property
    def height(self) -> float:
        return self.y_max - self.y_min

    @property
    def area(self) -> float:
        return self.width * self.height

    @property
    def diameter(self) -> float:
        return math.hypot(self.width, self.height)


@dataclass(frozen=True)
class ScottRule:
    """Scott's rule as spatstat's ``bw.scott(X, isotropic=TRUE)``.

    Attributes:
        sigma: ``sqrt(sd_x · sd_y) · n^(-1/6)`` (coordinate units).
        radius: the support radius of the kernel asked for with that σ.
        sd_x, sd_y: the sample standard deviations of x and y (divisor n - 1).
        count: n, the number of points (weights are not used, as in spatstat).
    """

    sigma: float
    radius: float
    sd_x: float
    sd_y: float
    count: int


@dataclass(frozen=True)
class CriterionRule:
    """σ chosen among candidates by a criterion, and the numbers a log should state.

    Attributes:
        rule: ``"likelihood cross-validation"`` (maximised) or ``"Diggle"`` (minimised).
        sigma: the chosen σ (coordinate units).
        radius: the support radius of the kernel asked for with that σ.
        candidates: the candidate σ, ascending.
        values: the criterion at each candidate (NaN where not evaluated or undefined).
        index: the chosen candidate's index.
        at_end: the choice is the first or last candidate evaluated (spatstat warns: the
            optimum may lie outside the range).
        evaluated: how many candidates (from the smallest) were evaluated.
        window: the window used (None: the whole plane).
        correction: the edge correction of Diggle's K estimate (``""`` for the likelihood).
        count: n, the number of points.
    """

    rule: str
    sigma: float
    radius: float
    candidates: np.ndarray
    values: np.ndarray
    index: int
    at_end: bool
    evaluated: int
    window: Window | None
    correction: str
    count: int


def radius_from_sigma(sigma: float, kernel: Kernel, decay: float = 0.0) -> float:
    """The support radius ``R = σ / s`` of ``kernel`` whose per-coordinate standard deviation
    is ``σ`` (``s``: :func:`kernel_standard_deviation`; quartic R = σ·sqrt(8))."""
    return sigma / kernel_standard_deviation(kernel, decay)


def _coordinates(x: np.ndarray, y: np.ndarray, fewest: int = 2) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape or x.size < fewest:
        raise ValueError(f"The rule needs at least {fewest} points (x and y of the same length).")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("Coordinates must be finite numbers.")
    return x, y


def scott_rule(
    x: np.ndarray, y: np.ndarray, *, kernel: Kernel = Kernel.QUARTIC, decay: float = 0.0
) -> ScottRule:
    """Scott's rule (see :class:`ScottRule`); spatstat takes ``max(sd, machine epsilon)``.

    Raises:
        ValueError: fewer than two points, coordinates that are not finite.
    """
    x, y = _coordinates(x, y)
    sd_x = float(np.std(x, ddof=1))
    sd_y = float(np.std(y, ddof=1))
    epsilon = sys.float_info.epsilon
    spread = math.exp((math.log(max(sd_x, epsilon)) + math.log(max(sd_y, epsilon))) / 2.0)
    sigma = spread * x.size ** (-1.0 / 6.0)
    return ScottRule(sigma, radius_from_sigma(sigma, kernel, decay), sd_x, sd_y, x.size)


def _usable_weights(weight: np.ndarray | None, count: int) -> np.ndarray:
    """The weights when all are non-negative with a positive sum, else 1 each (as the ArcGIS
    rule: a difference of two surfaces has no likelihood)."""
    if weight is None:
        return np.ones(count)
    given = np.asarray(weight, dtype=np.float64).ravel()
    if given.shape != (count,) or not np.isfinite(given).all():
        raise ValueError("Weights must be finite numbers, one per point.")
    if (given >= 0).all() and given.sum() > 0:
        return given
    return np.ones(count)


def _normal_mass(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """``Φ(high) - Φ(low)`` for standard normal Φ, elementwise."""
    erf = np.vectorize(math.erf, otypes=[np.float64])
    return 0.5 * (erf(high / math.sqrt(2.0)) - erf(low / math.sqrt(2.0)))


def gaussian_window_mass(x: np.ndarray, y: np.ndarray, sigma: float, window: Window) -> np.ndarray:
    """``e(p)``: the mass inside ``window`` of the Gaussian of ``σ`` centred at each point,
    ``[Φ((x_max - x)/σ) - Φ((x_min - x)/σ)] · [Φ((y_max - y)/σ) - Φ((y_min - y)/σ)]``;
    exactly 1 for points farther than 8 σ from every side (the rest is below 1e-15)."""
    mass = np.ones(x.size)
    reach = GAUSSIAN_HALF_WIDTH * sigma
    for values, low, high in ((x, window.x_min, window.x_max), (y, window.y_min, window.y_max)):
        near = (values - low < reach) | (high - values < reach)
        mass[near] *= _normal_mass((low - values[near]) / sigma, (high - values[near]) / sigma)
    return mass


def _leave_one_out_log_intensity(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    nearest: np.ndarray,
    sigma: float,
    counter: Progress,
    of: np.ndarray | None = None,
) -> np.ndarray:
    """``log λ_-i(x_i)``, ``λ_-i(p) = Σ_{j != i} w_j exp(-|p - x_j|² / 2σ²) / (2π σ²)``, for
    the points ``of`` (indices; None: all), exactly.

    Computed as ``log Σ_j w_j exp(-(d_ij² - m_i²) / 2σ²) - m_i² / 2σ² - log(2π σ²)`` with
    ``m_i`` the nearest-neighbour distance, so that a point far from all others gets its
    (very negative) value instead of log(0). Terms beyond ``max(8σ, 2 m_i)`` are left out
    (spatstat: beyond ``max(8σ, 2 max_i m_i)``); each is below ``e^(-24)`` times the nearest
    point's term.
    """
    of = np.arange(x.size) if of is None else of
    two_variance = 2.0 * sigma * sigma
    shift = nearest * nearest

    def term(i: np.ndarray, j: np.ndarray, d2: np.ndarray) -> np.ndarray:
        return weights[j] * np.exp(-(d2 - shift[i]) / two_variance)

    sums = np.zeros(of.size)
    reach = GAUSSIAN_HALF_WIDTH * sigma
    near = np.flatnonzero(nearest[of] <= reach / 2.0)
    if near.size:
        sums[near] = pair_sum(x, y, reach, term, of=of[near], progress=counter)
    far = np.flatnonzero(nearest[of] > reach / 2.0)
    if far.size:  # grouped by powers of two of their reach 2 m_i
        exponent = np.frexp(nearest[of[far]])[1]
        for group in np.unique(exponent):
            members = far[exponent == group]
            cutoff = 2.0 * float(nearest[of[members]].max())
            sums[members] = pair_sum(x, y, cutoff, term, of=of[members], progress=counter)
    with np.errstate(divide="ignore"):
        return np.log(sums) - shift[of] / two_variance - math.log(math.pi * two_variance)


def _binned_log_intensity(
    x: np.ndarray,
    y: np.ndarray,
    weights: np.ndarray,
    nearest: np.ndarray,
    sigma: float,
    spacing: float,
    counter: Progress,
) -> np.ndarray:
    """``log λ_-i(x_i)`` as :func:`_leave_one_out_log_intensity`, binned on a grid of
    ``spacing`` (:func:`pointwise.binned_gaussian_leave_one_out`), except at the points whose
    nearest neighbour is beyond ``EXACT_BEYOND_SIGMAS`` σ or whose binned value is not
    trustworthy, which are summed exactly."""
    reach = GAUSSIAN_HALF_WIDTH * sigma
    intensity = binned_gaussian_leave_one_out(x, y, weights, sigma, spacing, reach)
    counter.advance(x.size)
    exact = np.flatnonzero(~(nearest <= EXACT_BEYOND_SIGMAS * sigma) | np.isnan(intensity))
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.log(intensity)
    if exact.size:
        result[exact] = _leave_one_out_log_intensity(
            x, y, weights, nearest, sigma, Progress(None, 1.0), of=exact
        )
    return result


def _binned_spacing(x: np.ndarray, y: np.ndarray, sigma: float) -> float | None:
    """The grid spacing at which to evaluate σ binned, or None for exact sums.

    Binned when there may be more than ``BINNED_ABOVE_PAIRS`` pairs within 8 σ (the bound of
    :func:`_pairs_within`) and more such pairs than cells of the FFT grid (a pair and a cell
    cost about the same, 5e-8 to 1e-7 s), the grid of the finest ``σ / BINS_PER_SIGMA``
    having at most ``BINNED_GRID_CELLS`` cells."""
    reach = GAUSSIAN_HALF_WIDTH * sigma
    for bins in BINS_PER_SIGMA:
        spacing = sigma / bins
        cells = binned_grid_cells(x, y, spacing, reach)
        if cells <= BINNED_GRID_CELLS:
            return spacing if _pairs_within(x, y, reach) > max(BINNED_ABOVE_PAIRS, cells) else None
    return None


def _pairs_within(x: np.ndarray, y: np.ndarray, cutoff: float) -> float:
    """A bound on the number of ordered pairs (self pairs included) closer than ``cutoff``.

    With the points in square bins of side ``cutoff``, ``c_b`` points in bin ``b`` and
    ``N_b`` in the 3 x 3 bins about it, ``Σ_b c_b N_b`` counts every pair closer than
    ``cutoff`` and others (about 9 / π times as many for points spread evenly). O(n log n).
    """
    column = np.floor((x - float(x.min())) / cutoff).astype(np.int64)
    row = np.floor((y - float(y.min())) / cutoff).astype(np.int64)
    width = int(column.max()) + 3
    keys, counts = np.unique((row + 1) * width + column + 1, return_counts=True)
    around = np.zeros(keys.size)
    for dr in (-1, 0, 1):
        for dc in (-1, 0, 1):
            other = keys + dr * width + dc
            at = np.minimum(np.searchsorted(keys, other), keys.size - 1)
            around += np.where(keys[at] == other, counts[at], 0)
    return float(counts @ around)


def likelihood_cross_validation(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray | None = None,
    *,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    window: Window | None = None,
    candidates: np.ndarray | None = None,
    progress: ProgressCallback | None = None,
) -> CriterionRule:
    """σ maximising the likelihood cross-validation criterion, as spatstat's ``bw.ppl``.

    ``CV(σ) = Σ_i log λ_-i(x_i) - ∫_W λ(u) du`` with the Gaussian kernel of σ (see
    :func:`_leave_one_out_log_intensity`, weights as spatstat's ``weights``), over the
    candidates ``σ_k = exp(log a + k (log b - log a) / 15)``, k = 0..15, ``a`` the smallest
    positive nearest-neighbour distance, ``b`` half the window's diameter (spatstat's
    ``srange`` and ``ns = 16``). The window:

    * None (the default): the whole plane, as the heatmap's grid, which holds every kernel
      whole: ``∫ λ = Σ w`` and no edge correction.
    * a :class:`Window`: ``∫_W λ = Σ_j w_j e(x_j)`` (:func:`gaussian_window_mass`), exactly
      what spatstat's ``bw.ppl(X, edge=FALSE)`` approximates on pixels.

    spatstat's default ``edge=TRUE`` also divides each ``λ_-i(x_i)`` by ``e(x_i)``; that is
    not done here. The criterion uses the Gaussian whatever the kernel (a kernel with a
    bounded support gives ``log 0`` at a point with no other point within the radius, and
    the most isolated point would decide σ); the chosen σ is then converted to the kernel's
    radius by :func:`radius_from_sigma`.

    Candidates are evaluated from the smallest; the scan stops after ``FALLING_CANDIDATES``
    values in a row below the best (``evaluated`` says how far it went; values not
    evaluated are NaN; ``at_end`` when the best is the first or the last evaluated).

    Exact sums cost one step per pair within 8 σ, which explodes for the larger σ of a
    large pattern. A candidate with more than ``BINNED_ABOVE_PAIRS`` such pairs (bounded by
    :func:`_pairs_within`), more than the cells of its FFT grid, and a grid of at most
    ``BINNED_GRID_CELLS`` cells at spacing ``h = σ / 8`` (else ``σ / 4``) is evaluated binned
    (:func:`pointwise.binned_gaussian_leave_one_out`: linear binning, FFT convolution with
    the Gaussian of ``σ_e² = σ² - h²/3``, bilinear reading, own term removed), except at the
    points whose nearest neighbour is beyond 2 σ, summed exactly. Error: a pair's term is off
    by at most ``(h/σ)² (|t_x² - 1| + |t_y² - 1|) / 4`` of itself (``t = d/σ``; the part that
    depends on where the two points lie in their cells, of mean 0), and by
    ``(h/σ)⁴ |H4(t_x) + H4(t_y)| / 720`` on average over those positions (H4 the Hermite
    polynomial). Measured on the clustered points of ``benchmarks/bandwidth.py``: at 1e4
    points, σ = 43 to 7069 m, h = σ/8, ``log λ_-i`` within 0.64 % of the exact value at
    every point and ``Σ_i log λ_-i`` within 0.17 of the exact sum (the deviations cancel),
    against 39 between the best two candidates; at 1e5 points, σ = 17 to 96 m, within 0.2
    (h = σ/8) and 1.2 (h = σ/4) against 387. The tests check the same on smaller patterns
    with every candidate binned, and spatstat's choice on the recorded patterns.

    Times (``benchmarks/bandwidth.py``: clustered points over 10 km, 2-core machine shared
    with other jobs, two runs): 0.5 to 0.9 s at 1e4 points, 3.5 to 3.6 s at 1e5 and 33 s at
    1e6 (σ 27.9 m, the 10th of 16 candidates, binned at h = σ/4; before binning 25 s at 1e5
    and a wrong σ at 1e6). At 1e6 most of the time goes to the exact sums of the nine smaller
    candidates (about 3 s each, 38 s for σ = 11 m before its grid fitted in 2^24 cells).

    Raises:
        ValueError: fewer than two points at distinct positions, coordinates or weights
            that are not finite.
        Cancelled: the progress callback returned False.
    """
    x, y = _coordinates(x, y)
    weights = _usable_weights(weight, x.size)
    counter = Progress(progress, 1.0)
    nearest = nearest_neighbour_distance(x, y)
    if candidates is None:
        positive = nearest[nearest > 0]
        if positive.size == 0:
            raise ValueError("All points are at the same position: there is no spread.")
        diameter = (window or Window.around(x, y)).diameter
        candidates = np.exp(
            np.linspace(
                math.log(positive.min()), math.log(diameter / 2), CROSS_VALIDATION_CANDIDATES
            )
        )
    candidates = np.asarray(candidates, dtype=np.float64)
    values = np.full(candidates.size, np.nan)
    counter.total = float(candidates.size * x.size)
    evaluated, falls = 0, 0
    for k, sigma in enumerate(candidates):
        spacing = _binned_spacing(x, y, float(sigma))
        if spacing is not None:
            log_intensity = _binned_log_intensity(x, y, weights, nearest, sigma, spacing, counter)
        else:
            log_intensity = _leave_one_out_log_intensity(x, y, weights, nearest, sigma, counter)
        if window is None:
            integral = float(weights.sum())
        else:
            integral = float(weights @ gaussian_window_mass(x, y, sigma, window))
        values[k] = float(log_intensity.sum()) - integral
        evaluated = k + 1
        falls = falls + 1 if k and values[k] < np.nanmax(values[:k]) else 0
        if falls >= FALLING_CANDIDATES:
            break
    scored = np.where(np.isnan(values[:evaluated]), -np.inf, values[:evaluated])
    index = int(np.argmax(scored))
    sigma = float(candidates[index])
    return CriterionRule(
        rule="likelihood cross-validation",
        sigma=sigma,
        radius=radius_from_sigma(sigma, kernel, decay),
        candidates=candidates,
        values=values,
        index=index,
        at_end=index in (0, evaluated - 1),
        evaluated=evaluated,
        window=window,
        correction="",
        count=x.size,
    )


def _good_correction(count: int) -> str:
    """spatstat's ``correction="good"`` for K in a rectangle (``good.correction.K``)."""
    if count < 1000:
        return "isotropic"
    if count < 3000:
        return "translate"
    return "border" if count < 100_000 else "none"


def _ripley_weight(
    x: np.ndarray, y: np.ndarray, i: np.ndarray, d2: np.ndarray, window: Window
) -> np.ndarray:
    """Ripley's isotropic weight of pairs (i, j) at distance d: 2π over the angle of the
    circle about x_i of radius d that lies inside the rectangle, at most ``LARGEST_EDGE_WEIGHT``.

    With distances a_k from x_i to the sides, each side cut by the circle (a_k < d) removes
    the angle 2 acos(a_k / d); at a corner whose two sides are both cut and which lies
    inside the circle (a_k² + a_l² < d²), the two removed arcs overlap by
    ``acos(a_k/d) + acos(a_l/d) - π/2``, which is given back.
    """
    d = np.sqrt(d2)
    safe = np.where(d > 0, d, 1.0)
    sides = (
        x[i] - window.x_min,
        y[i] - window.y_min,
        window.x_max - x[i],
        window.y_max - y[i],
    )
    half_angles = [np.arccos(np.minimum(side / safe, 1.0)) for side in sides]
    outside = 2.0 * sum(half_angles)
    for k in range(4):
        first, second = sides[k], sides[(k + 1) % 4]
        corner = first * first + second * second < d2
        outside = outside - np.where(
            corner, half_angles[k] + half_angles[(k + 1) % 4] - math.pi / 2, 0.0
        )
    inside = 2.0 * math.pi - outside
    weight = np.where(inside > 0, 2.0 * math.pi / np.where(inside > 0, inside, 1.0), np.inf)
    return np.where(d > 0, np.minimum(weight, LARGEST_EDGE_WEIGHT), 1.0)


def _k_function(
    x: np.ndarray,
    y: np.ndarray,
    window: Window,
    largest: float,
    distances: int,
    correction: str,
    counter: Progress,
) -> np.ndarray:
    """spatstat's ``Kest`` at ``r_k = k · largest / (distances - 1)`` in a rectangle.

    With ``λ = n / |W|`` and ``1{d_ij <= r}`` over ordered pairs i != j:

    * none: ``|W| / (n (n - 1)) · Σ 1``;
    * translate: ``|W| / (n (n - 1)) · Σ 1 · min(100, |W| / ((width - |dx|)(height - |dy|)))``;
    * isotropic: ``|W| / (n (n - 1)) · Σ 1 · (Ripley's weight of the pair, see
      :func:`_ripley_weight`)``;
    * border: ``Σ_{b_i >= r} Σ_j 1 / (λ · #{i : b_i >= r})``, ``b_i`` the distance from x_i to
      the window's boundary.
    """
    n = x.size
    scale = window.area / (n * (n - 1.0))
    if correction == "none":
        return (
            np.cumsum(pair_distance_histogram(x, y, largest, distances, progress=counter)) * scale
        )
    if correction == "translate":

        def weight(i: np.ndarray, j: np.ndarray, d2: np.ndarray) -> np.ndarray:
            overlap = (window.width - np.abs(x[i] - x[j])) * (window.height - np.abs(y[i] - y[j]))
            return np.minimum(window.area / overlap, LARGEST_EDGE_WEIGHT)

        counts = pair_distance_histogram(x, y, largest, distances, weight, progress=counter)
        return np.cumsum(counts) * scale
    if correction == "isotropic":

        def weight(i: np.ndarray, j: np.ndarray, d2: np.ndarray) -> np.ndarray:
            return _ripley_weight(x, y, i, d2, window)

        counts = pair_distance_histogram(x, y, largest, distances, weight, progress=counter)
        return np.cumsum(counts) * scale
    if correction != "border":
        raise ValueError(f"Unknown edge correction {correction!r}.")
    step = largest / (distances - 1)
    border = np.minimum(
        np.minimum(x - window.x_min, window.x_max - x),
        np.minimum(y - window.y_min, window.y_max - y),
    )
    # point i counts at r_k <= b_i: up to index floor(b_i / step)
    last = np.minimum(np.floor(border / step), distances - 1).astype(np.int64)
    stops = np.zeros(distances + 1)
    np.add.at(stops, last + 1, 1.0)
    denominator = n - np.cumsum(stops)[:distances]
    numerator = np.zeros(distances + 1)
    for i, j, d2 in NeighbourIndex(x, y, largest).pairs(x, y, counter):
        other = i != j
        i, d2 = i[other], d2[other]
        first = np.minimum(np.ceil(np.sqrt(d2) / step), distances - 1).astype(np.int64)
        counted = first <= last[i]  # the pair counts from r = d to r = b_i
        numerator += np.bincount(first[counted], minlength=distances + 1)
        numerator -= np.bincount(last[i][counted] + 1, minlength=distances + 1)
    numerator = np.cumsum(numerator)[:distances]
    lam = n / window.area
    with np.errstate(divide="ignore", invalid="ignore"):
        return numerator / (lam * denominator)


def diggle_rule(
    x: np.ndarray,
    y: np.ndarray,
    *,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    window: Window | None = None,
    correction: str = "good",
    progress: ProgressCallback | None = None,
) -> CriterionRule:
    """σ minimising Diggle's (Berman-Diggle) mean-square-error criterion, as spatstat's
    ``bw.diggle``.

    With ``W`` the window (default: the points' bounding box), ``λ = n / |W|``, K estimated
    by :func:`_k_function` at ``r_k = k · r_max / 511``, k = 0..511, ``r_max = min(|W|'s
    shorter side / 4, sqrt(1000 / (π λ)))`` (spatstat's ``rmax.rule``), ``dK_k = K(r_{k+1}) -
    K(r_k)``::

        J(r_i) = 2 r_i² Σ_{k: r_k < 2 r_i} φ(r_k / (2 r_i)) dK_k,  φ(t) = acos t - t sqrt(1 - t²)
        M(r_i) = (1/λ - 2 K(r_i)) / (π r_i²) + J(r_i) / (π r_i²)²

    over ``r_i <= r_max / 2`` (i >= 1), and σ = r / 2 at the smallest M. ``correction``:
    "good" (spatstat's choice by n: isotropic below 1000 points, translate below 3000,
    border below 100,000, none above), or one of them. Weights are not used (nor by spatstat).
    The σ is converted to the kernel's radius by :func:`radius_from_sigma`.

    Raises:
        ValueError: fewer than two points, a window of no area, an unknown correction.
        Cancelled: the progress callback returned False.
    """
    x, y = _coordinates(x, y)
    window = window or Window.around(x, y)
    if not window.area > 0:
        raise ValueError("Diggle's rule needs a window of positive area.")
    if correction == "good":
        correction = _good_correction(x.size)
    lam = x.size / window.area
    largest = min(min(window.width, window.height) / 4.0, math.sqrt(1000.0 / (math.pi * lam)))
    counter = Progress(progress, x.size)
    k_values = _k_function(x, y, window, largest, DIGGLE_DISTANCES, correction, counter)
    r = np.arange(DIGGLE_DISTANCES) * (largest / (DIGGLE_DISTANCES - 1))
    finite = np.isfinite(k_values)
    if not finite.all():  # spatstat keeps the distances before the first undefined K
        usable = int(np.argmin(finite))
        if usable < 2:
            raise ValueError("The K function is undefined at too many distances.")
        r, k_values = r[:usable], k_values[:usable]
    used = r <= r[-1] / 2.0
    increments = np.diff(k_values)
    j_values = np.zeros(int(used.sum()))
    for i in range(1, j_values.size):
        t = r[:-1] / (2.0 * r[i])
        inside = t < 1.0
        t = t[inside]
        phi = np.arccos(t) - t * np.sqrt(1.0 - t * t)
        j_values[i] = 2.0 * r[i] ** 2 * float(phi @ increments[inside])
    area = math.pi * r[used] ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (1.0 / lam - 2.0 * k_values[used]) / area + j_values / area**2
    values[0] = np.nan
    candidates = r[used] / 2.0
    index = int(np.nanargmin(values))
    sigma = float(candidates[index])
    return CriterionRule(
        rule="Diggle",
        sigma=sigma,
        radius=radius_from_sigma(sigma, kernel, decay),
        candidates=candidates,
        values=values,
        index=index,
        at_end=index in (1, candidates.size - 1),
        evaluated=candidates.size,
        window=window,
        correction=correction,
        count=x.size,
    )


#: Abramson's largest factor on the pilot radius (spatstat's ``trim``).
ABRAMSON_TRIM = 5.0


def abramson_radii(
    x: np.ndarray,
    y: np.ndarray,
    radius: float,
    *,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    weight: np.ndarray | None = None,
    trim: float = ABRAMSON_TRIM,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """Abramson's square-root law, as spatstat's ``bw.abram``: one radius per point.

    The pilot ``f(x_i) = Σ_j w_j K_R0(x_i - x_j)`` is the density (per map unit²) of
    ``kernel`` with support radius ``R0 = radius``, evaluated exactly at the points, each
    point's own term included (:func:`pointwise.kernel_sum_at`); ``G`` is the geometric mean
    of the positive pilot values, and::

        R_i = R0 · min(trim, (f(x_i) / G)^(-1/2))

    A point where ``f <= 0`` (only with zero weights around it) gets ``R0 · trim``. Weights
    count when all are non-negative with a positive sum (otherwise every point counts once).
    The radii are in the units of ``radius``.

    Raises:
        ValueError: no points, a radius or trim that is not a positive finite number.
        Cancelled: the progress callback returned False.
    """
    x, y = _coordinates(x, y, fewest=1)
    if not (math.isfinite(radius) and radius > 0 and math.isfinite(trim) and trim > 0):
        raise ValueError(f"The pilot radius ({radius}) and trim ({trim}) must be positive.")
    weights = _usable_weights(weight, x.size)
    pilot = kernel_sum_at(
        x,
        y,
        x,
        y,
        radius=radius,
        kernel=kernel,
        decay=decay,
        weight=weights,
        output_value=OutputValue.DENSITY,
        progress=progress,
    )
    positive = pilot > 0
    if not positive.any():
        return np.full(x.size, radius * trim)
    log_mean = float(np.mean(np.log(pilot[positive])))
    factor = np.full(x.size, trim)
    factor[positive] = np.minimum(trim, np.exp(-0.5 * (np.log(pilot[positive]) - log_mean)))
    return radius * factor
