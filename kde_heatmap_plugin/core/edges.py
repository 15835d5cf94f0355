"""Study area (window) geometry and edge correction, with NumPy only.

A study area ``W`` is given as rings: ``(n, 2)`` float arrays of vertices (map units), exterior
rings and holes of one or more polygons, in any order and orientation, closed or not. A point
is in ``W`` by the **even-odd rule**: a horizontal ray from it to the east crosses the rings an
odd number of times. The rings must be simple and must not cross one another (they may touch at
points), as the rings of a valid (multi)polygon whose parts do not overlap; then the even-odd
set is that (multi)polygon. ``kde_heatmap_plugin.study_area`` makes such rings from a layer
(made valid and dissolved).

**A point exactly on the boundary** is in ``W`` when ``W`` lies on its east side, and on a
horizontal edge when ``W`` lies above it: it belongs where the point moved by ``(ε, ε²)``,
``ε -> 0+``, belongs (so a centre on a left or bottom edge of a square is inside, on a right or
top edge outside, and polygons that tile the plane share out the cells without gap or overlap).
Decided with the predicate ``sign(y2 - y1) · ((x1 - x)(y2 - y) - (y1 - y)(x2 - x)) > 0`` ("the
edge crosses the row east of the point") for each edge with ``(y1 > y) != (y2 > y)``: exact
for points on axis-parallel edges, and within float64 rounding of the products elsewhere.

**Edge factor.** With the kernel ``K_R`` normalised to integrate to 1 over the plane,
``e(u) = ∫_W K_R(u - v) dv``: 1 farther than ``R`` inside ``W``, in (0, 1] inside, 1/2 on a
straight stretch of boundary, α/2π at a corner of interior angle α. It is computed exactly, by
the divergence theorem rather than by quadrature: with ``F(ρ) = ∫_0^ρ k(r) r dr`` (``k`` the
profile of :mod:`.kernels`, ``ρ`` in radii), ``K = div Φ`` for ``Φ(w) = F(|w|) w / |w|²``, and
over each edge ``Φ · n ds = F(ρ(θ)) dθ``. With the rings oriented so that ``W`` lies on their
left, this gives::

    e(u) = 1_W(u) + Σ_edges [ -Δθ / 2π + (h / M) ∫_{s0}^{s1} G(h² + s²) ds ]

summed over the edges nearer than ``R`` to ``u`` only (farther ones contribute nothing), where,
in radii, ``h`` is the signed distance from ``u`` to the edge's line, ``[s0, s1]`` the part of
the edge inside the unit circle about ``u`` (positions along the line from the foot of the
perpendicular), ``Δθ`` the signed angle that part subtends at ``u``, ``G(q) = F(√q) / q`` and
``M = 2π F(1)`` = ``integral_over_unit_disc``. ``G`` is a polynomial of degree p for the
kernels ``(1 - q)^p`` (quartic, triweight, Epanechnikov, uniform), ``1/2 - (1 - decay) √q / 3``
for the triangular: both integrate in closed form (powers of s; ``asinh``); for the Gaussian,
``G(q) = (1 - exp(-4.5 q)) / 9q`` is entire and integrated by 16-point Gauss-Legendre
(quadrature error 1.4e-15, see the tests). Every edge near a cell contributes on its own,
so the work is vectorised over (cell, edge) pairs: the cells within ``R`` of each edge, row by
row (the slice of the edge's capsule in a row is an interval). A centre exactly on an edge or
at a vertex takes ``Δθ`` in the limit ``u + (ε, ε²)``, matching the inside rule, so ``e`` is
continuous (the integral is) and 1/2 on the line of a half-plane. Accuracy: float64 rounding,
measured within 4e-15 of the closed forms (half-plane, corners, the uniform kernel's circular
segment) and 9e-16 of an independent polar-quadrature reference, all kernels, a polygon with a
hole, an island and a second part (``tests/core/test_edges.py``).

**Cost.** Proportional to the (cell or point, edge) pairs nearer than ``R``: the cells
within ``R`` of the boundary times the edges within ``R`` of each. 4000 x 4000 cells, a
1,000-vertex polygon across the grid (400,000 cells within the radius of its boundary), radius
20 cells, one thread on this 2-core machine: the inside mask of all cells 0.1 s; the edge
factors of all cells, in bands of 128 rows, 0.4 to 1.0 s (quartic; triangular 0.4 s,
Gaussian 1.2 to 1.5 s; ``tests/core/test_edges.py::test_timing_4000_grid``). The same polygon
with 100,000 vertices (edges of 0.1 cell, 360 within the radius of a boundary cell): 10 s.
Jones-Diggle weights of 1e6 points: 0.3 s (1,000 vertices), 2.2 s (100,000). Memory: a band's
values, an int64 count per cell of a sub-band of ``INSIDE_BAND_CELLS``, chunks of
``CHUNK_PAIRS`` pairs, the window's edges (five arrays of the vertex count); for points, about
60 bytes per point (peak 57 MB for 1e6 points, measured with tracemalloc; bands of 4000 x 128
cells 22 to 33 MB).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Union

import numpy as np

from .errors import InvalidInput
from .estimators import Cancelled, ProgressCallback
from .grid import Grid
from .kernels import GAUSSIAN_EXPONENT, POLYNOMIAL_POWER, Kernel, integral_over_unit_disc

__all__ = [
    "CHUNK_PAIRS",
    "EdgeReason",
    "InvalidStudyArea",
    "Window",
    "as_window",
    "cell_centres_inside",
    "edge_factor",
    "edge_factor_at_points",
    "jones_diggle_weights",
    "points_inside",
]

#: (cell or point, edge) pairs computed at a time: bounds the temporaries to a few MB.
CHUNK_PAIRS = 1 << 16
#: Cells of a sub-band of rows made at a time by the inside test (an int64 count per cell).
INSIDE_BAND_CELLS = 1 << 20
#: Gauss-Legendre nodes for the Gaussian kernel's smooth part: errors of 4e-7, 2.5e-11 and 1.4e-15
#: with 8, 12 and 16 nodes (against 60, at 400 points; see the tests).
GAUSS_LEGENDRE_NODES = 16
#: Largest tolerated rounding excess of an edge factor outside [0, 1] before it is refused.
EDGE_FACTOR_TOLERANCE = 1e-9


class EdgeReason(Enum):
    """Why a study area or an edge correction was refused; the facts are listed with each."""

    #: ``rings`` (given), ``kept`` (with 3 distinct vertices and a non-zero area: 0).
    NO_AREA = "study area without area"
    #: ``ring``, ``vertex``: the index of a vertex that is NaN or infinite.
    NON_FINITE_VERTEX = "study area vertex not finite"
    #: ``decay``: the triangular kernel is negative near its radius (decay < 0), so ``e`` may be
    #: zero or negative: edge correction needs a kernel that is nowhere negative.
    NEGATIVE_KERNEL = "kernel negative"
    #: ``row``, ``col`` (of the cell; -1 for a point), ``index`` (of the point; -1 for a
    #: cell), ``value``: an edge factor outside [0, 1]: the rings cross each other or
    #: themselves (not a valid polygon), or a centre lies within rounding of an edge.
    EDGE_FACTOR_OUT_OF_RANGE = "edge factor out of range"


class InvalidStudyArea(InvalidInput):
    """A study area or edge correction the core refuses: ``reason`` is an :class:`EdgeReason`."""

    def __init__(self, reason: EdgeReason, message: str, **facts: float | int) -> None:
        ValueError.__init__(self, message)
        self.reason = reason  # type: ignore[assignment]
        self.facts = facts


@dataclass(frozen=True, eq=False)
class Window:
    """A study area prepared for the tests: its edges, oriented with the area on their left.

    Attributes:
        x1, y1, x2, y2: float64 arrays, the edges' start and end (map units).
        ring: int32 array, the ring of each edge (index among the kept rings).
        area: the area of ``W`` (map units²), by the shoelace formula.
        x_min, y_min, x_max, y_max: the rings' bounding box.
    """

    x1: np.ndarray
    y1: np.ndarray
    x2: np.ndarray
    y2: np.ndarray
    ring: np.ndarray
    area: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @classmethod
    def from_rings(cls, rings: Sequence[np.ndarray]) -> Window:
        """Prepare rings: drop closing and repeated vertices, rings of fewer than 3 distinct
        vertices or of zero area, and orient each ring by its depth (even: exterior,
        counter-clockwise; odd: hole, clockwise), found by testing the midpoint of its longest
        edge against the other rings.

        Raises:
            InvalidStudyArea: ``NON_FINITE_VERTEX``, or ``NO_AREA`` when no ring is kept.
        """
        kept: list[np.ndarray] = []
        for ring_index, ring in enumerate(rings):
            vertices = np.asarray(ring, dtype=np.float64).reshape(-1, 2)
            bad = np.flatnonzero(~np.isfinite(vertices).all(axis=1))
            if bad.size:
                raise InvalidStudyArea(
                    EdgeReason.NON_FINITE_VERTEX,
                    f"Vertex {int(bad[0])} of ring {ring_index} of the study area is not finite.",
                    ring=ring_index,
                    vertex=int(bad[0]),
                )
            following = np.roll(vertices, -1, axis=0)
            vertices = vertices[(vertices != following).any(axis=1)]  # closing, repeated
            if len(vertices) >= 3 and _signed_area(vertices) != 0.0:
                kept.append(vertices)
        if not kept:
            raise InvalidStudyArea(
                EdgeReason.NO_AREA,
                f"None of the {len(rings)} rings of the study area encloses an area.",
                rings=len(rings),
                kept=0,
            )
        starts = [v for v in kept]
        x1 = np.concatenate([v[:, 0] for v in starts])
        y1 = np.concatenate([v[:, 1] for v in starts])
        x2 = np.concatenate([np.roll(v[:, 0], -1) for v in starts])
        y2 = np.concatenate([np.roll(v[:, 1], -1) for v in starts])
        ring_of_edge = np.repeat(np.arange(len(kept), dtype=np.int32), [len(v) for v in kept])
        # A test point per ring: the midpoint of its longest edge (on no other ring, since the
        # rings do not cross or overlap); its parity against the other rings is its depth.
        length = np.hypot(x2 - x1, y2 - y1)
        longest = np.array([np.argmax(length[ring_of_edge == r]) for r in range(len(kept))])
        first = np.concatenate([[0], np.cumsum([len(v) for v in kept])[:-1]])
        index = first + longest
        test_x = (x1[index] + x2[index]) / 2
        test_y = (y1[index] + y2[index]) / 2
        depth_odd = _crossing_parity(
            test_x, test_y, x1, y1, x2, y2, ring_of_edge, np.arange(len(kept)), None
        )
        oriented = []
        area = 0.0
        for r, vertices in enumerate(kept):
            signed = _signed_area(vertices)
            hole = bool(depth_odd[r])
            if (signed > 0) == hole:
                vertices = vertices[::-1]
            area += -abs(signed) if hole else abs(signed)
            oriented.append(vertices)
        all_vertices = np.concatenate(oriented)
        return cls(
            x1=np.concatenate([v[:, 0] for v in oriented]),
            y1=np.concatenate([v[:, 1] for v in oriented]),
            x2=np.concatenate([np.roll(v[:, 0], -1) for v in oriented]),
            y2=np.concatenate([np.roll(v[:, 1], -1) for v in oriented]),
            ring=ring_of_edge,
            area=area,
            x_min=float(all_vertices[:, 0].min()),
            y_min=float(all_vertices[:, 1].min()),
            x_max=float(all_vertices[:, 0].max()),
            y_max=float(all_vertices[:, 1].max()),
        )

    @property
    def edges(self) -> int:
        """Number of edges (= vertices kept)."""
        return int(self.x1.size)


Rings = Union[Window, Sequence[np.ndarray]]


def as_window(rings: Rings) -> Window:
    """``rings`` prepared (see :meth:`Window.from_rings`); a :class:`Window` as it is."""
    return rings if isinstance(rings, Window) else Window.from_rings(rings)


def points_inside(
    x: np.ndarray, y: np.ndarray, rings: Rings, *, progress: ProgressCallback | None = None
) -> np.ndarray:
    """Whether each point is in ``W`` (even-odd rule; boundary rule in the module docstring).

    Args:
        x, y: coordinates (map units), arrays of one length n.
        rings: the study area (rings or a prepared :class:`Window`).
        progress: called with the fraction done (0..1) after each chunk of pairs; returning
            False raises :class:`Cancelled`.

    Returns:
        A bool array of n. Work: the pairs of a point and an edge whose y-range holds it.
    """
    window = as_window(rings)
    x = np.ascontiguousarray(x, dtype=np.float64).ravel()
    y = np.ascontiguousarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length ({x.size} and {y.size}).")
    return _crossing_parity(
        x, y, window.x1, window.y1, window.x2, window.y2, None, None, progress
    ).astype(bool)


def cell_centres_inside(grid: Grid, rings: Rings, rows: slice = slice(None)) -> np.ndarray:
    """Whether the centre of each cell of ``rows`` is in ``W`` (rule in the module docstring).

    A scanline: each edge crossing a row's y toggles the cells west of its crossing (the
    crossing's column found from its x, then checked with the exact predicate at the cell
    centres on either side), a sub-band of rows at a time.

    Args:
        grid: the grid.
        rings: the study area (rings or a prepared :class:`Window`).
        rows: the rows (a slice with step 1; default all).

    Returns:
        A bool array of ``(rows, grid.cols)``.
    """
    window = as_window(rings)
    first, stop = _row_range(grid, rows)
    inside = np.zeros((stop - first, grid.cols), dtype=bool)
    step = max(1, INSIDE_BAND_CELLS // (grid.cols + 1))
    for start in range(first, stop, step):
        end = min(start + step, stop)
        inside[start - first : end - first] = _inside_rows(grid, window, start, end)
    return inside


def edge_factor(
    grid: Grid,
    rings: Rings,
    *,
    radius: float,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    rows: slice = slice(None),
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """``e(u) = ∫_W K_R(u - v) dv`` at the centres of the cells of ``rows`` (see the module).

    Cells whose centre is in ``W`` get ``e`` in (0, 1]: exactly 1.0 farther than ``R`` from
    every edge, the closed form elsewhere (rounding error only; the Gaussian's quadrature
    below 1e-14). Cells whose centre is outside ``W`` get NaN (not computed): dividing a band
    of densities by this array leaves NaN exactly where the output is NoData.

    Args:
        grid: the grid.
        rings: the study area (rings or, to prepare them once, a :class:`Window`).
        radius: the kernel's support radius (map units, > 0).
        kernel: the kernel (:class:`Kernel` or its index).
        decay: the triangular kernel's value at the radius, >= 0 here.
        rows: the rows (a slice with step 1; default all): one band of
            ``kernel_density_bands`` at a time keeps the memory bounded.
        progress: called with the fraction of these rows done (0..1) after each chunk of
            pairs; returning False raises :class:`Cancelled`.

    Returns:
        float64 array of ``(rows, grid.cols)``.

    Raises:
        ValueError: a radius that is not a positive number; :class:`InvalidStudyArea`
            (``NEGATIVE_KERNEL``) for a triangular kernel with decay < 0,
            (``EDGE_FACTOR_OUT_OF_RANGE``) when a value leaves [0, 1] by more than rounding
            (rings that cross), and for the rings (see :meth:`Window.from_rings`).
        Cancelled: the progress callback returned False.
    """
    window = as_window(rings)
    kernel = Kernel(kernel)
    _check_kernel(kernel, decay)
    radius = _checked_radius(radius)
    first, stop = _row_range(grid, rows)
    factor = np.full((stop - first, grid.cols), np.nan)
    step = max(1, INSIDE_BAND_CELLS // (grid.cols + 1))
    bands = list(range(first, stop, step))
    for band_index, start in enumerate(bands):
        end = min(start + step, stop)
        inside = _inside_rows(grid, window, start, end)
        band = factor[start - first : end - first]
        band[inside] = 1.0
        report = _band_progress(progress, band_index, len(bands))
        _add_edge_contributions(
            grid, window, start, end, inside, band, radius, kernel, decay, report
        )
        _check_range(band, inside, start)
    if progress is not None and not progress(1.0):
        raise Cancelled()
    return factor


def edge_factor_at_points(
    x: np.ndarray,
    y: np.ndarray,
    rings: Rings,
    *,
    radius: float | np.ndarray,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """``e(x_i) = ∫_W K_{R_i}(x_i - v) dv`` at each point, inside ``W`` or not (0 far outside).

    The points are bucketed in squares of the largest radius; each edge visits the buckets its
    capsule (its points within the radius plus half a bucket's diagonal) covers, row by row.

    Args:
        x, y: coordinates (map units), arrays of one length n.
        rings: the study area (rings or a prepared :class:`Window`).
        radius: one radius or n per-point radii (map units, > 0).
        kernel, decay, progress: as :func:`edge_factor`.

    Returns:
        float64 array of n.

    Raises:
        As :func:`edge_factor`; ``EDGE_FACTOR_OUT_OF_RANGE`` for a point inside ``W``.
    """
    return _factor_at_points(x, y, as_window(rings), radius, kernel, decay, progress)[0]


def _factor_at_points(
    x: np.ndarray,
    y: np.ndarray,
    window: Window,
    radius: float | np.ndarray,
    kernel: Kernel,
    decay: float,
    progress: ProgressCallback | None,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`edge_factor_at_points` and whether each point is inside."""
    kernel = Kernel(kernel)
    _check_kernel(kernel, decay)
    x = np.ascontiguousarray(x, dtype=np.float64).ravel()
    y = np.ascontiguousarray(y, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError(f"x and y differ in length ({x.size} and {y.size}).")
    radii = np.broadcast_to(np.asarray(radius, dtype=np.float64), x.shape)
    if radii.size and not (np.isfinite(radii).all() and radii.min() > 0):
        raise ValueError("The radius must be a positive number (per point, if given per point).")
    inside = _crossing_parity(
        x, y, window.x1, window.y1, window.x2, window.y2, None, None, None
    ).astype(bool)
    factor = inside.astype(np.float64)
    if not x.size:
        return factor, inside
    largest = float(radii.max())
    # buckets of side `largest` from the top-left of the window grown by it (farther points
    # have no edge within their radius); at most 2^26 a side, so keys fit an int64
    side = max(
        largest,
        (window.x_max - window.x_min + 2 * largest) / 2**26,
        (window.y_max - window.y_min + 2 * largest) / 2**26,
    )
    left, top = window.x_min - largest, window.y_max + largest
    columns = int(math.ceil((window.x_max + largest - left) / side)) + 1
    bucket_rows = int(math.ceil((top - (window.y_min - largest)) / side)) + 1
    near = (x >= left) & (x <= window.x_max + largest) & (y <= top) & (y >= window.y_min - largest)
    candidates = np.flatnonzero(near)
    key = np.floor((top - y[candidates]) / side).astype(np.int64) * columns + np.floor(
        (x[candidates] - left) / side
    ).astype(np.int64)
    order = np.argsort(key, kind="stable")
    candidates, key = candidates[order], key[order]
    bucket_ys = top - (np.arange(bucket_rows, dtype=np.float64) + 0.5) * side
    reach = largest + side * math.sqrt(0.5)
    sums = np.zeros(candidates.size)  # by position among the sorted candidates
    for edges_done, runs in _run_groups(window, np.arange(window.edges), bucket_ys, reach):
        edge, bucket_row, col_lo, count = _capsule_runs(
            window, runs, bucket_ys, reach, left, side, columns
        )
        begin = np.searchsorted(key, bucket_row * columns + col_lo, side="left")
        end = np.searchsorted(key, bucket_row * columns + col_lo + count - 1, side="right")
        for owner, offset in _expanded(end - begin, CHUNK_PAIRS):
            position = begin[owner] + offset
            point = candidates[position]
            pair_edge = edge[owner]
            contribution = _contributions(
                window.x1[pair_edge] - x[point],
                window.y1[pair_edge] - y[point],
                window.x2[pair_edge] - x[point],
                window.y2[pair_edge] - y[point],
                radii[point],
                kernel,
                decay,
            )
            _accumulate(sums, position, contribution)
            if progress is not None and not progress(edges_done / window.edges * 0.999):
                raise Cancelled()
    factor[candidates] += sums
    bad = np.flatnonzero(
        inside & ~((factor >= -EDGE_FACTOR_TOLERANCE) & (factor <= 1 + EDGE_FACTOR_TOLERANCE))
    )
    if bad.size:
        raise _out_of_range(-1, -1, int(bad[0]), float(factor[bad[0]]))
    if progress is not None and not progress(1.0):
        raise Cancelled()
    return factor, inside


def jones_diggle_weights(
    x: np.ndarray,
    y: np.ndarray,
    rings: Rings,
    *,
    radius: float | np.ndarray,
    kernel: Kernel = Kernel.QUARTIC,
    decay: float = 0.0,
    progress: ProgressCallback | None = None,
) -> np.ndarray:
    """``1 / e(x_i)`` for the points in ``W``; NaN for the others (drop them first).

    Multiply each point's weight by it (Jones 1993; spatstat's ``diggle=TRUE``): the Density
    then integrates over ``W`` to the sum of the weights of the points in ``W``.

    Arguments and exceptions as :func:`edge_factor_at_points`.
    """
    factor, inside = _factor_at_points(x, y, as_window(rings), radius, kernel, decay, progress)
    weights = np.full(factor.shape, np.nan)
    weights[inside] = 1.0 / factor[inside]
    return weights


# --- the contribution of one edge --------------------------------------------------------------


def _contributions(
    ax: np.ndarray,
    ay: np.ndarray,
    bx: np.ndarray,
    by: np.ndarray,
    radius: float | np.ndarray,
    kernel: Kernel,
    decay: float,
) -> np.ndarray:
    """``-Δθ/2π + (h/M) ∫ G(h² + s²) ds`` of each edge A->B seen from a point u (see module).

    ``ax, ay, bx, by`` are A - u and B - u in map units, computed as the inside test computes
    them, so that the sign of ``Δθ`` and the point's side of the edge agree.
    """
    cross = ax * by - ay * bx  # the inside predicate's expression
    dot = ax * bx + ay * by
    scale = 1.0 / np.asarray(radius, dtype=np.float64)
    a_x, a_y, b_x, b_y = ax * scale, ay * scale, bx * scale, by * scale
    d_x, d_y = b_x - a_x, b_y - a_y
    length = np.hypot(d_x, d_y)
    d_x, d_y = d_x / length, d_y / length
    h = a_x * d_y - a_y * d_x  # signed distance to the line, in radii
    s_a = a_x * d_x + a_y * d_y
    s_b = b_x * d_x + b_y * d_y
    with np.errstate(invalid="ignore"):
        half = np.sqrt(np.maximum(1.0 - h * h, 0.0))  # the chord of the unit circle
    s0 = np.maximum(s_a, -half)
    s1 = np.minimum(s_b, half)
    meets = (h * h < 1.0) & (s1 > s0)
    s0 = np.where(meets, s0, 0.0)
    s1 = np.where(meets, s1, 0.0)
    h = np.where(meets, h, 0.0)
    # Δθ: the unsigned angle from the clipped ends, the sign from the exact cross product;
    # a point on the segment takes the limit u + (ε, ε²).
    angle = np.copysign(np.arctan2(np.abs(h) * (s1 - s0), h * h + s0 * s1), cross)
    on_segment = (cross == 0) & (dot <= 0) & meets
    if on_segment.any():
        at_a = (ax == 0) & (ay == 0)
        at_b = (bx == 0) & (by == 0)
        from_a = _limit_angle(np.arctan2(ay, ax))
        to_b = _limit_angle(np.arctan2(by, bx))
        limit = np.where(at_a, to_b, np.where(at_b, -from_a, to_b - from_a))
        angle = np.where(on_segment, limit, angle)
    smooth = h * _integral_of_g(h, s0, s1, kernel, decay)
    return -angle / (2 * math.pi) + smooth / integral_over_unit_disc(kernel, decay)


def _limit_angle(theta: np.ndarray) -> np.ndarray:
    """The angle from the direction of ``u - (u + (ε, ε²))`` (west, just south) to ``theta``."""
    return np.where(theta <= 0, theta + math.pi, theta - math.pi)


def _integral_of_g(
    h: np.ndarray, s0: np.ndarray, s1: np.ndarray, kernel: Kernel, decay: float
) -> np.ndarray:
    """``∫_{s0}^{s1} G(h² + s²) ds`` with ``G(q) = F(√q) / q`` (lengths in radii)."""
    if kernel in POLYNOMIAL_POWER:
        # G(q) = Σ_k (-1)^k C(p+1, k+1) q^k / (2 (p+1)); ∫ (h² + s²)^k ds by the binomial
        power = POLYNOMIAL_POWER[kernel]
        h2 = h * h
        odd_powers = [s1 - s0]  # Δ s^(2j+1) / (2j+1), j = 0..p
        s0_power, s1_power = s0.copy(), s1.copy()
        for j in range(1, power + 1):
            s0_power *= s0 * s0
            s1_power *= s1 * s1
            odd_powers.append((s1_power - s0_power) / (2 * j + 1))
        total = np.zeros_like(h)
        for k in range(power + 1):
            term = np.zeros_like(h)
            for j in range(k + 1):
                term += math.comb(k, j) * h2 ** (k - j) * odd_powers[j]
            total += (-1) ** k * math.comb(power + 1, k + 1) * term
        return total / (2 * (power + 1))
    if kernel == Kernel.TRIANGULAR:
        # G(q) = 1/2 - (1 - decay) √q / 3; ∫ √(h² + s²) ds = (s √(h² + s²) + h² asinh(s/|h|)) / 2
        magnitude = np.abs(h)
        regular = magnitude > 1e-150
        safe = np.where(regular, magnitude, 1.0)

        def root_integral(s: np.ndarray) -> np.ndarray:
            log_part = np.where(regular, h * h * np.arcsinh(s / safe), 0.0)
            return (s * np.sqrt(h * h + s * s) + log_part) / 2

        return (s1 - s0) / 2 - (1.0 - decay) / 3 * (root_integral(s1) - root_integral(s0))
    if kernel == Kernel.GAUSSIAN:
        nodes, weights = _gauss_legendre()
        middle, half = (s0 + s1) / 2, (s1 - s0) / 2
        s = middle[:, None] + half[:, None] * nodes[None, :]
        q = h[:, None] ** 2 + s * s
        with np.errstate(invalid="ignore", divide="ignore"):
            g = np.where(
                q > 0, -np.expm1(-GAUSSIAN_EXPONENT * q) / (2 * GAUSSIAN_EXPONENT * q), 0.5
            )
        return half * (g @ weights)
    raise ValueError(f"Unknown kernel {kernel!r}.")


_GAUSS_LEGENDRE: list[tuple[np.ndarray, np.ndarray]] = []


def _gauss_legendre() -> tuple[np.ndarray, np.ndarray]:
    if not _GAUSS_LEGENDRE:
        _GAUSS_LEGENDRE.append(np.polynomial.legendre.leggauss(GAUSS_LEGENDRE_NODES))
    return _GAUSS_LEGENDRE[0]


# --- pairs of a cell and an edge -----------------------------------------------------------------


def _add_edge_contributions(
    grid: Grid,
    window: Window,
    start: int,
    end: int,
    inside: np.ndarray,
    band: np.ndarray,
    radius: float,
    kernel: Kernel,
    decay: float,
    report: Callable[[float], None],
) -> None:
    """Add the contributions of the edges within ``radius`` of the inside cells of the band."""
    ys = _row_centres(grid, start, end)
    near = np.flatnonzero(
        (np.maximum(window.y1, window.y2) >= ys[-1] - radius)
        & (np.minimum(window.y1, window.y2) <= ys[0] + radius)
    )
    if not near.size:
        return
    flat_inside = inside.ravel()
    sums = np.zeros(inside.size)
    cols = grid.cols
    for edges_done, group in _run_groups(window, near, ys, radius):
        edge, row, col_lo, count = _capsule_runs(
            window, group, ys, radius, grid.x_min, grid.cell_size, grid.cols
        )
        for owner, offset in _expanded(count, CHUNK_PAIRS):
            pair_row = row[owner]
            pair_col = col_lo[owner] + offset
            cell = pair_row * cols + pair_col
            keep = flat_inside[cell]
            owner, pair_row, pair_col, cell = (
                owner[keep],
                pair_row[keep],
                pair_col[keep],
                cell[keep],
            )
            pair_edge = edge[owner]
            x = _column_centres(grid, pair_col)
            y = ys[pair_row]
            contribution = _contributions(
                window.x1[pair_edge] - x,
                window.y1[pair_edge] - y,
                window.x2[pair_edge] - x,
                window.y2[pair_edge] - y,
                radius,
                kernel,
                decay,
            )
            _accumulate(sums, cell, contribution)
            report(edges_done / near.size)
    band[inside] += sums.reshape(inside.shape)[inside]


def _run_groups(
    window: Window, edges: np.ndarray, row_ys: np.ndarray, reach: float
) -> Iterator[tuple[int, np.ndarray]]:
    """Groups of ``edges`` reaching at most about ``CHUNK_PAIRS`` rows in all (an edge reaching
    more makes a group of its own), with the count of edges before the group's end."""
    descending = -row_ys
    y_top = np.maximum(window.y1[edges], window.y2[edges]) + reach
    y_bottom = np.minimum(window.y1[edges], window.y2[edges]) - reach
    span = np.searchsorted(descending, -y_bottom, side="right") - np.searchsorted(
        descending, -y_top, side="left"
    )
    ends = np.cumsum(np.maximum(span, 1))
    start = 0
    while start < edges.size:
        stop = int(np.searchsorted(ends, ends[start] - max(span[start], 1) + CHUNK_PAIRS, "right"))
        stop = max(stop, start + 1)
        yield stop, edges[start:stop]
        start = stop


def _accumulate(sums: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    """``sums[index] += values`` with repeated indices, over the range the indices span."""
    if not index.size:
        return
    low, high = int(index.min()), int(index.max()) + 1
    sums[low:high] += np.bincount(index - low, weights=values, minlength=high - low)


def _capsule_runs(
    window: Window,
    edges: np.ndarray,
    row_ys: np.ndarray,
    reach: float,
    x_origin: float,
    spacing: float,
    columns: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Runs of columns whose centres are within ``reach`` of an edge, row by row.

    ``row_ys`` are the rows' centres (descending), column j's centre is at
    ``x_origin + (j + 0.5) spacing``. A run is (edge, row index, first column, count > 0); the
    slice of an edge's capsule in a row is an interval: the hull of the slices of the discs at
    its ends and of the band along it, padded by 1e-7 of the reach (the pairs' own test is
    exact, so a run may be a little long, never short).
    """
    x1, y1, x2, y2 = window.x1[edges], window.y1[edges], window.x2[edges], window.y2[edges]
    descending = -row_ys
    first = np.searchsorted(descending, -(np.maximum(y1, y2) + reach), side="left")
    last = np.searchsorted(descending, -(np.minimum(y1, y2) - reach), side="right")
    span = np.maximum(last - first, 0)
    owner = np.repeat(np.arange(edges.size), span)
    row = (np.arange(owner.size) - np.repeat(np.cumsum(span) - span, span)) + first[owner]
    x1, y1, x2, y2 = x1[owner], y1[owner], x2[owner], y2[owner]
    y = row_ys[row] - y1  # relative to A
    bx, by = x2 - x1, y2 - y1
    lo = np.full(owner.size, np.inf)
    hi = np.full(owner.size, -np.inf)
    with np.errstate(invalid="ignore", divide="ignore"):
        for end_x, end_y in ((0.0, 0.0), (bx, by)):
            width = np.sqrt(reach * reach - (y - end_y) ** 2)
            has = np.isfinite(width)
            lo = np.where(has, np.minimum(lo, end_x - width), lo)
            hi = np.where(has, np.maximum(hi, end_x + width), hi)
        length = np.hypot(bx, by)
        # along: 0 <= x bx + y by <= length²; across: |x by - y bx| <= reach length
        along = _linear_interval(bx, y * by, 0.0, length * length)
        across = _linear_interval(by, -y * bx, -reach * length, reach * length)
        band_lo = np.maximum(along[0], across[0])
        band_hi = np.minimum(along[1], across[1])
        has = band_lo <= band_hi
        lo = np.where(has, np.minimum(lo, band_lo), lo)
        hi = np.where(has, np.maximum(hi, band_hi), hi)
    pad = 1e-7 * reach
    lo = np.clip((x1 + lo - pad - x_origin) / spacing - 0.5, -1.0, columns + 1.0)
    hi = np.clip((x1 + hi + pad - x_origin) / spacing - 0.5, -1.0, columns + 1.0)
    col_lo = np.maximum(np.ceil(lo), 0).astype(np.int64)
    col_hi = np.minimum(np.floor(hi), columns - 1).astype(np.int64)
    count = col_hi - col_lo + 1
    keep = count > 0
    return edges[owner[keep]], row[keep].astype(np.int64), col_lo[keep], count[keep]


def _linear_interval(
    slope: np.ndarray, offset: np.ndarray, low: float | np.ndarray, high: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The x with ``low <= slope x + offset <= high``: an interval, everything, or nothing."""
    zero = slope == 0
    safe = np.where(zero, 1.0, slope)
    ends_a = (low - offset) / safe
    ends_b = (high - offset) / safe
    inside_all = (low <= offset) & (offset <= high)
    lo = np.where(zero, np.where(inside_all, -np.inf, np.inf), np.minimum(ends_a, ends_b))
    hi = np.where(zero, np.where(inside_all, np.inf, -np.inf), np.maximum(ends_a, ends_b))
    return lo, hi


# --- inside tests -------------------------------------------------------------------------------


def _inside_rows(grid: Grid, window: Window, start: int, end: int) -> np.ndarray:
    """Inside mask of rows ``start..end-1`` by the scanline (see :func:`cell_centres_inside`)."""
    ys = _row_centres(grid, start, end)
    columns = grid.cols
    counts = np.zeros((end - start) * (columns + 1), dtype=np.int64)
    ylo = np.minimum(window.y1, window.y2)
    yhi = np.maximum(window.y1, window.y2)
    near = np.flatnonzero((yhi > ys[-1]) & (ylo <= ys[0]))
    if near.size:
        descending = -ys
        # rows with ylo <= y < yhi
        first = np.searchsorted(descending, -yhi[near], side="right")
        last = np.searchsorted(descending, -ylo[near], side="right")
        for owner, offset in _expanded(np.maximum(last - first, 0), CHUNK_PAIRS):
            edge = near[owner]
            row = first[owner] + offset
            x1, y1, x2, y2 = window.x1[edge], window.y1[edge], window.x2[edge], window.y2[edge]
            y = ys[row]
            with np.errstate(over="ignore", invalid="ignore"):
                crossing = x1 + (y - y1) * ((x2 - x1) / (y2 - y1))
                estimate = np.clip((crossing - grid.x_min) / grid.cell_size - 0.5, -1, columns)
            column = np.clip(np.ceil(np.nan_to_num(estimate)), 0, columns).astype(np.int64)
            for _ in range(8):  # a column or two off at most, from the rounding of `crossing`
                up = (column < columns) & _east_of(
                    x1, y1, x2, y2, _column_centres(grid, np.minimum(column, columns - 1)), y
                )
                down = ~up & (column > 0)
                down &= ~_east_of(
                    x1, y1, x2, y2, _column_centres(grid, np.maximum(column - 1, 0)), y
                )
                if not (up.any() or down.any()):
                    break
                column += up.astype(np.int64) - down.astype(np.int64)
            counts += np.bincount(row * (columns + 1) + column, minlength=counts.size)
    toggles = (counts.reshape(end - start, columns + 1)[:, :0:-1] & 1).astype(np.uint8)
    return np.bitwise_xor.accumulate(toggles, axis=1)[:, ::-1].astype(bool)


def _crossing_parity(
    px: np.ndarray,
    py: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    x2: np.ndarray,
    y2: np.ndarray,
    edge_ring: np.ndarray | None,
    point_ring: np.ndarray | None,
    progress: ProgressCallback | None,
) -> np.ndarray:
    """Parity (0/1, int64) of the edges crossing each point's row east of it.

    With ``edge_ring`` and ``point_ring``, an edge of the point's own ring is not counted.
    """
    parity = np.zeros(px.size, dtype=np.int64)
    if not px.size:
        return parity
    order = np.argsort(py, kind="stable")
    sorted_y = py[order]
    ylo, yhi = np.minimum(y1, y2), np.maximum(y1, y2)
    first = np.searchsorted(sorted_y, ylo, side="left")  # ylo <= y < yhi
    last = np.searchsorted(sorted_y, yhi, side="left")
    span = np.maximum(last - first, 0)
    total = int(span.sum())
    done = 0
    for owner, offset in _expanded(span, CHUNK_PAIRS):
        point = order[first[owner] + offset]
        east = _east_of(x1[owner], y1[owner], x2[owner], y2[owner], px[point], py[point])
        if edge_ring is not None and point_ring is not None:
            east &= edge_ring[owner] != point_ring[point]
        parity += np.bincount(point[east], minlength=px.size)
        done += owner.size
        if progress is not None and not progress(done / total):
            raise Cancelled()
    return parity & 1


# --- helpers ------------------------------------------------------------------------------------


def _expanded(counts: np.ndarray, chunk: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """``(owner, offset)`` of the pairs (i, j), j < counts[i], at most ``chunk`` at a time."""
    ends = np.cumsum(counts)
    total = int(ends[-1]) if ends.size else 0
    for start in range(0, total, chunk):
        position = np.arange(start, min(start + chunk, total), dtype=np.int64)
        owner = np.searchsorted(ends, position, side="right")
        yield owner, position - (ends[owner] - counts[owner])


def _east_of(
    x1: np.ndarray, y1: np.ndarray, x2: np.ndarray, y2: np.ndarray, x: np.ndarray, y: np.ndarray
) -> np.ndarray:
    """The inside predicate: an edge with ``(y1 > y) != (y2 > y)`` crosses the row east of
    (x, y). The same expression as the edge factor's cross product (see :func:`_contributions`).
    """
    cross = (x1 - x) * (y2 - y) - (y1 - y) * (x2 - x)
    return np.where(y2 > y1, cross > 0, cross < 0)


def _column_centres(grid: Grid, columns: np.ndarray) -> np.ndarray:
    """x of the centres of the given columns, as :mod:`.grid` defines them."""
    return grid.x_min + (columns + 0.5) * grid.cell_size


def _row_centres(grid: Grid, start: int, end: int) -> np.ndarray:
    """y of the centres of rows ``start..end-1``, as :mod:`.grid` defines them."""
    return grid.y_max - (np.arange(start, end, dtype=np.float64) + 0.5) * grid.cell_size


def _row_range(grid: Grid, rows: slice) -> tuple[int, int]:
    first, stop, step = rows.indices(grid.rows)
    if step != 1 or stop <= first:
        raise ValueError(f"rows must be a non-empty slice with step 1, not {rows}.")
    return first, stop


def _signed_area(vertices: np.ndarray) -> float:
    """Shoelace area, positive for a counter-clockwise ring (about its first vertex)."""
    x = vertices[:, 0] - vertices[0, 0]
    y = vertices[:, 1] - vertices[0, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)) / 2


def _check_kernel(kernel: Kernel, decay: float) -> None:
    if kernel == Kernel.TRIANGULAR and not decay >= 0:
        raise InvalidStudyArea(
            EdgeReason.NEGATIVE_KERNEL,
            f"With a decay of {decay} the triangular kernel is negative near its radius: edge "
            "correction needs a decay of 0 or more.",
            decay=decay,
        )


def _checked_radius(radius: float) -> float:
    radius = float(radius)
    if not (math.isfinite(radius) and radius > 0):
        raise ValueError(f"The radius must be a positive number, not {radius}.")
    return radius


def _band_progress(
    progress: ProgressCallback | None, band: int, bands: int
) -> Callable[[float], None]:
    def report(fraction: float) -> None:
        if progress is not None and not progress(min((band + fraction) / bands, 1.0) * 0.999):
            raise Cancelled()

    return report


def _check_range(band: np.ndarray, inside: np.ndarray, start: int) -> None:
    bad = np.argwhere(
        inside & ~((band >= -EDGE_FACTOR_TOLERANCE) & (band <= 1 + EDGE_FACTOR_TOLERANCE))
    )
    if bad.size:
        row, col = int(bad[0, 0]), int(bad[0, 1])
        raise _out_of_range(start + row, col, -1, float(band[row, col]))


def _out_of_range(row: int, col: int, index: int, value: float) -> InvalidStudyArea:
    return InvalidStudyArea(
        EdgeReason.EDGE_FACTOR_OUT_OF_RANGE,
        f"An edge factor of {value:g} (at cell {row}, {col} / point {index}) is outside 0 to 1: "
        "the study area's rings cross each other or themselves.",
        row=row,
        col=col,
        index=index,
        value=value,
    )
