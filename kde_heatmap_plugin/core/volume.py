"""Percent volume contours of a density surface (home ranges, hotspots), with NumPy only.

Definition (ArcGIS Pro's Volume Percentile Contours, adehabitatHR's ``getverticeshr``):

- the mass of a cell is ``max(value, 0) x cell area`` (value units x map units²); NoData cells
  (NaN, or masked) have none; ``M`` is the total mass;
- the cells taken in descending order of value, the threshold ``t_p`` of a percentage ``p`` is
  the value of the first cell at which the cumulative mass reaches ``p / 100 x M``;
- the region of ``p`` is ``{value >= t_p}``: it includes every cell tied with ``t_p``, so its
  share of ``M`` (``mass_share``) is never below ``p / 100``;
- a cell's cumulative percentage is ``100 x mass{value >= its value} / M`` (tied cells share
  it; 100 for cells of value 0 or less), so the region of ``p`` is the set of cells whose
  cumulative percentage is at most ``100 x mass_share``.

One sort of the positive cells gives every threshold (``np.sort``); the cumulative
percentages also need their order (``np.argsort``). Measured on 4,000,000 Float32 cells on
this machine (3 million of them positive, 2 shared cores): 0.35 s for the thresholds, 0.45 to
0.65 s with the cumulative percentages.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np


class VolumeProblem(enum.Enum):
    """Why :func:`percent_volume` or :func:`parse_percentages` refused its input."""

    #: ``text``: an item of the list that is not a number.
    NOT_A_NUMBER = "not a number"
    #: ``percent``: a percentage that is not in (0, 100].
    PERCENT_OUT_OF_RANGE = "percentage out of range"
    #: no percentage given.
    NO_PERCENTAGE = "no percentage"
    #: ``valid_cells``: no cell has a positive value (all zero, negative or NoData).
    NO_MASS = "no mass"
    #: ``cell_area``: a cell area that is not a positive finite number.
    BAD_CELL_AREA = "bad cell area"


class VolumeError(ValueError):
    """A refused input: ``problem`` says which, ``facts`` the values involved."""

    def __init__(self, problem: VolumeProblem, **facts: object) -> None:
        super().__init__(f"{problem.value}: {facts}" if facts else problem.value)
        self.problem = problem
        self.facts = facts


@dataclass(frozen=True)
class PercentVolume:
    """The percent volume levels of a surface.

    Attributes:
        percent: the percentages asked for, in the order given (float64).
        threshold: ``t_p`` per percentage (value units).
        mass_share: mass of ``{value >= t_p}`` / ``M``, per percentage (0..1, >= p / 100).
        cells: number of cells in ``{value >= t_p}``.
        touches_edge: whether ``{value >= t_p}`` holds a cell of the first or last row or
            column.
        total_mass: ``M`` (value units x map units²).
        cumulative: each cell's cumulative percentage (0..100, float32, NaN at NoData), or
            None when not asked for.
    """

    percent: np.ndarray
    threshold: np.ndarray
    mass_share: np.ndarray
    cells: np.ndarray
    touches_edge: np.ndarray
    total_mass: float
    cumulative: np.ndarray | None


def parse_percentages(text: str) -> list[float]:
    """The percentages of a comma- (or semicolon-) separated list such as ``"50, 95"``.

    Raises :class:`VolumeError`: ``NOT_A_NUMBER`` (``text``), ``PERCENT_OUT_OF_RANGE``
    (``percent``) for one not in (0, 100], ``NO_PERCENTAGE`` for an empty list.
    """
    percentages = []
    for item in str(text).replace(";", ",").split(","):
        item = item.strip()
        if not item:
            continue
        try:
            percent = float(item)
        except ValueError:
            raise VolumeError(VolumeProblem.NOT_A_NUMBER, text=item) from None
        percentages.append(checked_percent(percent))
    if not percentages:
        raise VolumeError(VolumeProblem.NO_PERCENTAGE)
    return percentages


def checked_percent(percent: float) -> float:
    """``percent`` as a float; raises ``VolumeError(PERCENT_OUT_OF_RANGE)`` unless in (0, 100]."""
    percent = float(percent)
    if not (0.0 < percent <= 100.0):  # also refuses NaN
        raise VolumeError(VolumeProblem.PERCENT_OUT_OF_RANGE, percent=percent)
    return percent


def percent_volume(
    values: np.ndarray,
    cell_area: float,
    percentages: list[float],
    *,
    cumulative: bool = False,
) -> PercentVolume:
    """The thresholds, enclosed shares and (with ``cumulative``) cumulative percentages.

    Args:
        values: the surface, 2-D (row 0 at the top); NaN and masked cells are NoData.
        cell_area: area of one cell (map units²), > 0.
        percentages: each in (0, 100].
        cumulative: also compute :attr:`PercentVolume.cumulative`.

    Raises :class:`VolumeError`: ``PERCENT_OUT_OF_RANGE``, ``NO_PERCENTAGE``,
    ``BAD_CELL_AREA``, ``NO_MASS`` (``valid_cells``) when no cell is positive.
    """
    percent = np.array([checked_percent(p) for p in percentages], dtype=np.float64)
    if not len(percent):
        raise VolumeError(VolumeProblem.NO_PERCENTAGE)
    area = float(cell_area)
    if not (math.isfinite(area) and area > 0):
        raise VolumeError(VolumeProblem.BAD_CELL_AREA, cell_area=area)
    if np.ma.isMaskedArray(values):
        values = np.ma.filled(values.astype(np.result_type(values.dtype, np.float32)), np.nan)
    values = np.asarray(values)
    if values.dtype not in (np.float32, np.float64):
        values = values.astype(np.float64)
    flat = values.ravel()
    positive_index = np.flatnonzero(flat > 0)  # NaN compares False
    if not len(positive_index):
        raise VolumeError(VolumeProblem.NO_MASS, valid_cells=int(np.count_nonzero(~np.isnan(flat))))
    positive = flat[positive_index]
    if cumulative:
        # positive IEEE floats sort like their bit patterns as unsigned integers, which NumPy
        # sorts faster (measured: 0.32 s against 0.44 s for 3 million float32)
        unsigned = np.uint32 if positive.dtype == np.float32 else np.uint64
        order = np.argsort(positive.view(unsigned), kind="stable")[::-1]  # descending
        descending = positive[order]
    else:
        order = None
        descending = np.sort(positive)[::-1]
    # cumulative mass / area, in float64 (the area cancels in every share)
    running = np.cumsum(descending, dtype=np.float64)
    total = running[-1]
    # index of the last cell of each run of tied values, for every position
    last_of_tie = _last_of_tie(descending)
    first = np.searchsorted(running, percent / 100.0 * total, side="left")
    first = np.minimum(first, len(running) - 1)
    threshold = descending[first].astype(np.float64)
    enclosed = last_of_tie[first]
    mass_share = running[enclosed] / total
    cells = enclosed + 1
    touches_edge = np.array([_touches_edge(values, t) for t in threshold], dtype=bool)
    cumulative_percent = None
    if cumulative:
        cumulative_percent = np.full(flat.shape, 100.0, dtype=np.float32)
        cumulative_percent[np.isnan(flat)] = np.nan
        cumulative_percent[positive_index[order]] = 100.0 * running[last_of_tie] / total
        cumulative_percent = cumulative_percent.reshape(values.shape)
    return PercentVolume(
        percent=percent,
        threshold=threshold,
        mass_share=mass_share,
        cells=cells.astype(np.int64),
        touches_edge=touches_edge,
        total_mass=float(total) * area,
        cumulative=cumulative_percent,
    )


def _last_of_tie(descending: np.ndarray) -> np.ndarray:
    """For each position of a sorted array, the position of the last element equal to it."""
    count = len(descending)
    ends = np.flatnonzero(np.append(descending[1:] != descending[:-1], True))
    starts = np.empty(count, dtype=bool)
    starts[0] = True
    starts[1:] = descending[1:] != descending[:-1]
    return ends[np.cumsum(starts) - 1]


def _touches_edge(values: np.ndarray, threshold: float) -> bool:
    """Whether a cell of the outer rows or columns of ``values`` is ``>= threshold``."""
    if values.ndim != 2:
        return False
    border = (values[0, :], values[-1, :], values[:, 0], values[:, -1])
    return any(bool(np.any(line >= threshold)) for line in border)
