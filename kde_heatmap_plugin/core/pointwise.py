"""Exact kernel sums at arbitrary locations (not on a grid), by pairs of close points.

:func:`kernel_sum_at` evaluates, at each location ``a`` (map units)::

    S(a) = Σ_j w_j · c_j · profile(|a - p_j|² / r_j²),  over the points with |a - p_j|² <= r_j²

where ``profile`` is the kernel's shape (:func:`kernels.profile`), ``r_j`` the support radius
of point ``j`` (map units, one for all or one per point), ``w_j`` its weight (1 without weights)
and ``c_j`` the output constant (:func:`kernels.output_factor`): 1 for Raw, ``1 / (r_j² ·
integral over the unit disc)`` for Density (weight per map unit²). With ``leave_one_out`` the
locations are the points themselves and each point's own term is left out (``j != i``; other
points at the same position still count).

How: the points are put into square bins of side ``h = cutoff / 3`` (``cutoff`` = the largest
radius), sorted by bin (row-major), so that the points of a row of bins between two columns are
one contiguous run. For each location, the rows of bins within ``cutoff`` are visited and in each
only the columns that the disc of radius ``cutoff`` reaches; every candidate pair's squared
distance is then compared with ``r_j²`` exactly. Candidates are about ``π R² + 4 R h`` per
location instead of the ``9 R²`` of a 3 x 3 block of bins of side R. Work goes in chunks of at
most ``PAIRS_PER_CHUNK`` candidate pairs (bounded memory, about 60 bytes per candidate pair).
Per-point radii are grouped by powers of two (``r`` in ``[2^k, 2^(k+1))``, each group binned
with its own largest radius), so that a few large radii do not make every location look far.

This module imports nothing but NumPy and the standard library.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

import numpy as np

from .estimators import Cancelled, ProgressCallback
from .kernels import Kernel, OutputValue, output_factor, profile

#: Largest number of candidate pairs held at once (about 60 bytes each).
PAIRS_PER_CHUNK = 1 << 21
#: Bins per cutoff: bins of side cutoff / BINS_PER_CUTOFF.
BINS_PER_CUTOFF = 3
#: Locations per block whose bin ranges are looked up together.
LOCATIONS_PER_BLOCK = 1 << 15
#: Cells per block of the 1-D FFTs of :func:`binned_gaussian_leave_one_out`.
FFT_CHUNK_CELLS = 1 << 20


class Progress:
    """Fractions of the work done, passed to a :data:`ProgressCallback`.

    ``advance(amount)`` adds to the work done (out of ``total``) and calls the callback;
    :class:`Cancelled` is raised when it returns False.
    """

    def __init__(self, callback: ProgressCallback | None, total: float) -> None:
        self._callback = callback
        self.total = max(float(total), 1e-300)
        self.done = 0.0

    def advance(self, amount: float) -> None:
        self.done += amount
        if self._callback is not None and not self._callback(min(self.done / self.total, 1.0)):
            raise Cancelled()


class NeighbourIndex:
    """Points binned for finding, for any location, every point within ``cutoff`` of it.

    Args:
        x, y: the points (map units).
        cutoff: the largest distance asked for (map units, > 0).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, cutoff: float) -> None:
        if not (math.isfinite(cutoff) and cutoff > 0):
            raise ValueError(f"The neighbour distance must be a positive number, not {cutoff}.")
        self.cutoff = float(cutoff)
        self.bin = self.cutoff / BINS_PER_CUTOFF
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.x0 = float(x.min()) if x.size else 0.0
        self.y0 = float(y.min()) if y.size else 0.0
        columns = np.floor((x - self.x0) / self.bin).astype(np.int64)
        rows = np.floor((y - self.y0) / self.bin).astype(np.int64)
        self.columns = int(columns.max()) + 1 if x.size else 1
        if self.columns * (int(rows.max()) + 2 if x.size else 1) >= 2**62:
            raise ValueError("The points spread over too many neighbour distances to bin.")
        keys = rows * self.columns + columns
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]
        self.x = x[self.order]
        self.y = y[self.order]
        # where each bin's run starts, as a table when it is small (else searched)
        bins = self.columns * (int(rows.max()) + 1 if x.size else 1)
        self.bins = bins
        self.first_of_bin = (
            np.searchsorted(self.keys, np.arange(bins + 1), side="left")
            if bins <= 4 * x.size + (1 << 20)
            else None
        )

    def _run_bounds(self, first_key: np.ndarray, last_key: np.ndarray) -> tuple[np.ndarray, ...]:
        """Start and end (exclusive) of the sorted points with keys in each [first, last]."""
        if self.first_of_bin is None:
            return (
                np.searchsorted(self.keys, first_key, side="left"),
                np.searchsorted(self.keys, last_key, side="right"),
            )
        table = self.first_of_bin
        return (
            table[np.clip(first_key, 0, self.bins)],
            table[np.clip(last_key + 1, 0, self.bins)],
        )

    def candidate_ranges(self, at_x: np.ndarray, at_y: np.ndarray) -> tuple[np.ndarray, ...]:
        """For each location and each row of bins near it: the run of sorted points to test.

        Returns ``(start, count)``, each of shape ``(locations, 2 · BINS_PER_CUTOFF + 1)``.
        """
        h, cutoff = self.bin, self.cutoff
        u = (at_x - self.x0) / h
        v = (at_y - self.y0) / h
        row = np.floor(v)
        offsets = np.arange(-BINS_PER_CUTOFF, BINS_PER_CUTOFF + 1, dtype=np.float64)
        rows = row[:, None] + offsets[None, :]
        # distance (in bins) from the location to the nearest y of each row of bins
        gap = np.maximum(np.maximum(rows - v[:, None], v[:, None] - rows - 1.0), 0.0)
        half_squared = (cutoff / h) ** 2 - gap * gap
        reached = half_squared >= 0
        half = np.sqrt(np.where(reached, half_squared, 0.0))
        first = np.clip(np.floor(u[:, None] - half), 0, self.columns - 1).astype(np.int64)
        last = np.clip(np.floor(u[:, None] + half), -1, self.columns - 1).astype(np.int64)
        base = rows.astype(np.int64) * self.columns
        start, end = self._run_bounds(base + first, base + last)
        count = np.where(reached & (last >= first), end - start, 0)
        return start, count

    def pairs(
        self, at_x: np.ndarray, at_y: np.ndarray, progress: Progress | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Every (location, point) pair with squared distance ``d² <= cutoff²``, in chunks.

        Yields ``(location_index, point_index, d²)``: indices into ``at_x`` and into the
        points as given; each pair once. ``progress`` advances by one per location.
        """
        at_x = np.asarray(at_x, dtype=np.float64)
        at_y = np.asarray(at_y, dtype=np.float64)
        limit = self.cutoff * self.cutoff
        # locations in the order of their bins, for locality
        location_keys = np.floor((at_y - self.y0) / self.bin) * self.columns + np.floor(
            (at_x - self.x0) / self.bin
        )
        visit = np.argsort(location_keys, kind="stable")
        for block in range(0, at_x.size, LOCATIONS_PER_BLOCK):
            block_locations = visit[block : block + LOCATIONS_PER_BLOCK]
            ax = at_x[block_locations]
            ay = at_y[block_locations]
            start, count = self.candidate_ranges(ax, ay)
            per_location = np.cumsum(count.sum(axis=1))
            first = 0
            while first < ax.size:
                already = per_location[first - 1] if first else 0
                last = int(np.searchsorted(per_location, already + PAIRS_PER_CHUNK, "right"))
                last = max(last, first + 1)
                counts = count[first:last].ravel()
                total = int(counts.sum())
                if total:
                    begins = np.cumsum(counts) - counts
                    point = np.arange(total, dtype=np.int64) + np.repeat(
                        start[first:last].ravel() - begins, counts
                    )
                    location = np.repeat(np.repeat(np.arange(first, last), count.shape[1]), counts)
                    dx = self.x[point] - ax[location]
                    dy = self.y[point] - ay[location]
                    d2 = dx * dx + dy * dy
                    keep = d2 <= limit
                    yield block_locations[location[keep]], self.order[point[keep]], d2[keep]
                if progress is not None:
                    progress.advance(last - first)
                first = last


def _radius_groups(radius: np.ndarray) -> list[np.ndarray]:
    """Indices of the points grouped by ``floor(log2(radius))``."""
    exponent = np.frexp(radius)[1]
    order = np.argsort(exponent, kind="stable")
    bounds = np.flatnonzero(np.diff(exponent[order])) + 1
    return np.split(order, bounds)


def kernel_sum_at(
    x: np.ndarray,
    y: np.ndarray,
    at_x: np.ndarray,
    at_y: np.ndarray,
    *,
    radius: float | np.ndarray,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    weight: np.ndarray | None = None,
    output_value: OutputValue = OutputValue.RAW,
    leave_one_out: bool = False,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """``S(a)`` of the module at each location ``(at_x, at_y)``: a float64 array.

    Args:
        x, y: the points (map units).
        at_x, at_y: the locations (map units); with ``leave_one_out``, the points themselves
            (same length as ``x``; location ``i`` leaves out point ``i``).
        radius: support radius (map units, > 0), one or one per point.
        kernel, decay: the kernel (decay: the triangular kernel's value at the radius).
        weight: one per point (None: 1 each).
        output_value: RAW (``c = 1``), SCALED or DENSITY (per map unit²); EXPECTED_COUNT is
            refused (a location has no cell).
        progress: called with the fraction done; returning False raises :class:`Cancelled`.

    Raises:
        ValueError: arrays of different lengths, radii that are not positive and finite,
            EXPECTED_COUNT.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    at_x = np.asarray(at_x, dtype=np.float64).ravel()
    at_y = np.asarray(at_y, dtype=np.float64).ravel()
    if x.shape != y.shape or at_x.shape != at_y.shape:
        raise ValueError("x and y (and at_x and at_y) must have the same length.")
    if leave_one_out and at_x.shape != x.shape:
        raise ValueError("Leaving one out needs the locations to be the points themselves.")
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), x.shape)
    if radii.size and not (np.isfinite(radii).all() and (radii > 0).all()):
        raise ValueError("Radii must be positive finite numbers.")
    if OutputValue(output_value) == OutputValue.EXPECTED_COUNT:
        raise ValueError("An expected count per cell has no meaning at a location.")
    weights = np.ones_like(x) if weight is None else np.asarray(weight, dtype=np.float64).ravel()
    if weights.shape != x.shape:
        raise ValueError("Weights must be one per point.")
    factor = output_factor(kernel, output_value, radii, 1.0, decay) * weights
    result = np.zeros(at_x.size)
    if x.size == 0 or at_x.size == 0:
        return result
    groups = [np.arange(x.size)] if np.ndim(radius) == 0 else _radius_groups(radii)
    counter = Progress(progress, len(groups) * at_x.size)
    for members in groups:
        index = NeighbourIndex(x[members], y[members], float(radii[members].max()))
        member_radius_squared = radii[members] ** 2
        member_factor = factor[members]
        for location, point, d2 in index.pairs(at_x, at_y, counter):
            r2 = member_radius_squared[point]
            keep = d2 <= r2
            if leave_one_out:
                keep &= members[point] != location
            location, point = location[keep], point[keep]
            value = member_factor[point] * profile(kernel, d2[keep] / r2[keep], decay)
            result += np.bincount(location, weights=value, minlength=at_x.size)
    return result


def nearest_neighbour_distance(
    x: np.ndarray, y: np.ndarray, progress: ProgressCallback | None = None
) -> np.ndarray:
    """Distance from each point to the nearest other point (map units; 0 for a duplicate,
    inf when there is no other point).

    Searched within a cutoff ``c`` (first the mean spacing ``sqrt(area / n)``, doubled for the
    points not yet settled): a nearest distance found at or below ``c`` is exact, since every
    point within ``c`` is a candidate.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    result = np.full(x.size, np.inf)
    if x.size < 2:
        return result
    area = max(float(np.ptp(x)) * float(np.ptp(y)), float(np.ptp(x)) ** 2, float(np.ptp(y)) ** 2)
    if area == 0:
        return np.zeros(x.size)
    cutoff = math.sqrt(area / x.size)
    pending = np.arange(x.size)
    counter = Progress(progress, x.size)
    while pending.size:
        index = NeighbourIndex(x, y, cutoff)
        best = np.full(pending.size, np.inf)
        for location, point, d2 in index.pairs(x[pending], y[pending]):
            other = point != pending[location]
            location, d2 = location[other], d2[other]
            if location.size:  # a location's pairs come together, in one chunk
                starts = np.flatnonzero(np.diff(location, prepend=-1))
                best[location[starts]] = np.minimum.reduceat(d2, starts)
        settled = best <= cutoff * cutoff
        result[pending[settled]] = np.sqrt(best[settled])
        counter.advance(int(settled.sum()))
        pending = pending[~settled]
        cutoff *= 2.0
    return result


def pair_sum(
    x: np.ndarray,
    y: np.ndarray,
    cutoff: float,
    term: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    *,
    of: np.ndarray | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """``Σ_{j != i, d_ij <= cutoff} term(i, j, d_ij²)`` for each point ``i`` of ``of`` (indices;
    None: every point): a float64 array as long as ``of``.

    ``term`` gets arrays of point indices ``i``, ``j`` and the squared distances, and returns
    the terms (same length).
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    of = np.arange(x.size) if of is None else np.asarray(of, dtype=np.int64)
    result = np.zeros(of.size)
    if x.size < 2 or of.size == 0:
        return result
    for location, j, d2 in NeighbourIndex(x, y, cutoff).pairs(x[of], y[of], progress):
        i = of[location]
        other = i != j
        location, i, j, d2 = location[other], i[other], j[other], d2[other]
        result += np.bincount(location, weights=term(i, j, d2), minlength=of.size)
    return result


def pair_distance_histogram(
    x: np.ndarray,
    y: np.ndarray,
    cutoff: float,
    bins: int,
    weight: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray] | None = None,
    *,
    progress: Progress | None = None,
) -> np.ndarray:
    """Ordered pairs ``i != j`` by distance: element ``k`` sums ``weight(i, j, d²)`` (1 without)
    over the pairs with ``(k - 1) · step < d <= k · step``, ``step = cutoff / (bins - 1)``
    (element 0: ``d = 0``), ``d <= cutoff``; ``bins`` elements. Its cumulative sum at ``k`` is
    the sum over the pairs with ``d <= k · step``.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    result = np.zeros(bins)
    if x.size < 2:
        return result
    step = cutoff / (bins - 1)
    for i, j, d2 in NeighbourIndex(x, y, cutoff).pairs(x, y, progress):
        other = i != j
        i, j, d2 = i[other], j[other], d2[other]
        k = np.minimum(np.ceil(np.sqrt(d2) / step), bins - 1).astype(np.int64)
        values = None if weight is None else weight(i, j, d2)
        result += np.bincount(k, weights=values, minlength=bins)
    return result


def fast_fft_length(length: int) -> int:
    """The smallest ``2^a 3^b 5^c`` at or above ``length`` (a length NumPy's FFT does fast)."""
    best = 1 << max(0, (length - 1).bit_length())
    fives = 1
    while fives < best:
        threes = fives
        while threes < best:
            candidate = threes << max(0, (-(-length // threes) - 1).bit_length())
            best = min(best, candidate)
            threes *= 3
        fives *= 5
    return best


def binned_grid_cells(x: np.ndarray, y: np.ndarray, spacing: float, reach: float) -> int:
    """Cells of the FFT grid :func:`binned_gaussian_leave_one_out` uses for these points."""
    pad = 2 * math.ceil(reach / spacing)
    columns = int(float(np.ptp(x)) / spacing) + 2 + pad
    rows = int(float(np.ptp(y)) / spacing) + 2 + pad
    return fast_fft_length(rows) * fast_fft_length(columns)


def binned_gaussian_leave_one_out(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray,
    sigma: float,
    spacing: float,
    reach: float,
) -> np.ndarray:
    """``λ_-i(x_i) ≈ Σ_{j != i} w_j exp(-d_ij² / 2σ²) / (2π σ²)`` by linear binning and FFT.

    The points are spread over the nodes of a grid of ``spacing`` h (map units) with
    bilinear weights ``a_j(g)``; the node sums are convolved (NumPy's real FFT along rows,
    then along columns, as the Gaussian is a product; padded by ``reach`` so that nothing
    wraps around) with the Gaussian sampled at the node offsets,
    ``K(g) = exp(-|g|² / 2σ_e²) / (2π σ_e²)`` for ``|g_x|, |g_y| <= reach``, and read back
    at each point with the same bilinear weights. Each pair (i, j) thus gets
    ``Ĝ_ij = Σ_g Σ_g' a_i(g) a_j(g') K(g - g')``, and the point's own term
    ``w_i Σ_g Σ_g' a_i(g) a_i(g') K(g - g')`` (its four nodes) is removed exactly.

    ``σ_e² = σ² - h²/3``: binning and interpolation each smooth by a tent of variance
    ``h²/6`` per coordinate on average over the positions in a cell, so that ``Ĝ`` averages
    to the Gaussian of σ up to a relative ``-(h/σ)⁴ (H4(t_x) + H4(t_y)) / 720`` (H4 the
    Hermite polynomial, ``t = d/σ``). What remains is the dependence on where in its cell
    each point lies: linear interpolation errs by ``α(1 - α) h² / 2`` times the second
    derivative (α the offset in the cell, in cells), so that a term at ``t`` changes by at
    most ``(h/σ)² (|t_x² - 1| + |t_y² - 1|) / 4`` of itself (2.6 % at t = 0, h = σ/8), and
    these deviations, of mean 0, largely cancel in a sum over many neighbours. Terms
    beyond ``reach`` are left out (below ``exp(-reach² / 2σ²)`` of the peak).

    Roundoff of the FFT is about 1e-16 of the largest node value: a result below
    ``1e-10`` of it (or at or below 0) is not to be trusted; such points are the caller's
    to sum exactly. Memory: 8 bytes per cell of ``binned_grid_cells``, ``FFT_CHUNK_CELLS``
    blocks of 1-D transforms, and about 100 bytes per point.

    Args:
        x, y: the points (map units); weight: one per point (>= 0); sigma, spacing, reach:
            map units, ``spacing <= sigma / 2``.

    Returns:
        ``λ_-i(x_i)`` per point (per map unit², times the weights), NaN where untrustworthy.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    h = float(spacing)
    if not (0 < h <= sigma / 2):
        raise ValueError(f"The grid spacing {spacing} must be in (0, σ/2] (σ = {sigma}).")
    u = (x - float(x.min())) / h
    v = (y - float(y.min())) / h
    column = np.floor(u).astype(np.int64)
    row = np.floor(v).astype(np.int64)
    fu, fv = u - column, v - row
    columns, rows = int(column.max()) + 2, int(row.max()) + 2
    corners = (
        (0, 0, (1.0 - fu) * (1.0 - fv)),
        (1, 0, fu * (1.0 - fv)),
        (0, 1, (1.0 - fu) * fv),
        (1, 1, fu * fv),
    )
    half = math.ceil(reach / h)
    variance = sigma * sigma - h * h / 3.0
    # K(g) = k(g_x) k(g_y): two passes of 1-D convolutions, in place on the padded grid
    profile_1d = np.exp(-((np.arange(-half, half + 1) * h) ** 2) / (2.0 * variance))
    profile_1d /= math.sqrt(2.0 * math.pi * variance)
    shape = (fast_fft_length(rows + 2 * half), fast_fft_length(columns + 2 * half))
    nodes = np.bincount(
        np.concatenate([(row + dr) * shape[1] + column + dc for dc, dr, _ in corners]),
        weights=np.concatenate([weight * share for _, _, share in corners]),
        minlength=shape[0] * shape[1],
    ).reshape(shape)
    for axis, length in enumerate(shape):
        spectrum = np.fft.rfft(profile_1d, length)
        step = max(1, FFT_CHUNK_CELLS // length)
        for first in range(0, shape[1 - axis], step):
            part = (slice(None), slice(first, first + step))[:: 1 - 2 * axis]
            block = np.fft.rfft(nodes[part], axis=axis)
            block *= spectrum[:, None] if axis == 0 else spectrum[None, :]
            nodes[part] = np.fft.irfft(block, length, axis=axis)
    # the convolution of node m lands at m + half
    nodes = nodes[half : half + rows, half : half + columns]
    result = np.zeros(x.size)
    for dc, dr, share in corners:
        result += share * nodes[row + dr, column + dc]
    floor = 1e-10 * float(nodes.max())
    for dc, dr, share in corners:
        for ec, er, other in corners:
            own = profile_1d[half + dr - er] * profile_1d[half + dc - ec]
            result -= weight * share * other * own
    result[~(result > floor)] = np.nan
    return result
