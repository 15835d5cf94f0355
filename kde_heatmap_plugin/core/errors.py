"""The core's refusals of inputs it cannot compute with, as facts a caller can word.

:class:`InvalidInput` is a ``ValueError`` (its text is a plain English message) that also
carries a :class:`Reason` and the values involved, so that a user interface can say what
happened and what to change in its own words and language.
"""

from __future__ import annotations

from enum import Enum

import numpy as np


class Reason(Enum):
    """Why an input was refused; the facts each reason carries are listed with it."""

    #: ``rows``, ``cols`` (floats: they may not be finite), ``largest`` (rows or columns allowed).
    GRID_TOO_LARGE = "grid too large"
    #: ``x_min``, ``y_max``, ``x_max``, ``y_min``: the grid's edges (map units).
    GRID_NOT_FINITE = "grid edges not finite"
    #: ``radius`` (map units), ``index`` (of the point, -1 when shared), ``smallest`` (allowed,
    #: map units) or ``cell_size``: its square is below the smallest normal float64 number.
    RADIUS_TOO_SMALL = "radius too small"
    #: ``radius``, ``index``, ``largest`` (allowed, map units), ``cell_size``: its square, or
    #: the square of the radius in cells, is not a finite float64 number.
    RADIUS_TOO_LARGE = "radius too large"
    #: ``radius``, ``index``, ``factor``, ``smallest``, ``largest``: the output's constant for
    #: that radius (see ``kernels.output_factor``) is not a normal float64 number, or larger
    #: than ``LARGEST_WEIGHT_SUM`` (a single point of weight 1 could overflow).
    OUTPUT_FACTOR_OUT_OF_RANGE = "output factor out of range"
    #: ``total`` (sum of |weight x output factor| times the kernel's largest value, which
    #: is ``largest_profile``: 1, or the triangular kernel's decay if larger; may be inf),
    #: ``largest`` (allowed), ``index`` and ``weight`` of the point with the largest product:
    #: cells, or the row-interval sums, could overflow float64.
    WEIGHTS_TOO_LARGE = "weights too large"


class InvalidInput(ValueError):  # noqa: N818 (a ValueError by another name: callers catch that)
    """An input the core refuses: ``reason`` says which rule it breaks, ``facts`` the values."""

    def __init__(self, reason: Reason, message: str, **facts: float | int) -> None:
        super().__init__(message)
        self.reason = reason
        self.facts = facts


#: Largest sum over the points of |weight x output factor| x the kernel's largest value. No cell
#: can exceed it, and the row-interval sums stay below 1e12 times it (the terms of a point's
#: expansion ``(a + b t + c t²)^p``, p <= 3, are below ``(2 + 4 (w / r)²)^3`` times its weight,
#: where a tile's window is w <= 47 r wide for r >= 6 cells): 1e290 leaves them well inside
#: float64 (1.8e308), which a cell would otherwise silently leave for inf or NaN.
LARGEST_WEIGHT_SUM = 1e290


def point_index(values: np.ndarray, value: float) -> int:
    """Where ``value`` first is among the points' ``values`` (the ``index`` fact of a refusal),
    or -1 if they all share it (one value broadcast to every point)."""
    return -1 if values.strides == (0,) else int(np.flatnonzero(values == value)[0])
