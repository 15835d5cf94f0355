"""Percent volume levels (core/volume.py) against a cell-by-cell computation written here."""

from __future__ import annotations

import time

import numpy as np
import pytest

from kde_heatmap_plugin.core.volume import (
    VolumeError,
    VolumeProblem,
    parse_percentages,
    percent_volume,
)


def brute_force(values: np.ndarray, cell_area: float, percent: float):
    """(threshold, enclosed share, cells) by walking the cells one by one, highest first."""
    cells = [
        (float(value), max(float(value), 0.0) * cell_area)
        for value in values.ravel()
        if not np.isnan(value)
    ]
    cells.sort(key=lambda cell: -cell[0])
    total = sum(mass for _, mass in cells)
    running = 0.0
    for value, mass in cells:
        running += mass
        if running >= percent / 100.0 * total * (1 - 1e-12):
            threshold = value
            break
    enclosed = sum(mass for value, mass in cells if value >= threshold)
    count = sum(1 for value, _ in cells if value >= threshold)
    return threshold, enclosed / total, count


def brute_cumulative(values: np.ndarray) -> np.ndarray:
    """Each cell's 100 x mass{value >= its value} / M, by a loop (NaN at NoData)."""
    flat = values.ravel()
    mass = np.where(np.isnan(flat), 0.0, np.maximum(flat, 0.0))
    total = mass.sum()
    out = np.full(flat.shape, np.nan)
    for index, value in enumerate(flat):
        if not np.isnan(value):
            out[index] = 100.0 * mass[flat >= value].sum() / total
    return out.reshape(values.shape)


@pytest.mark.parametrize("seed", range(5))
def test_thresholds_shares_and_cumulative_match_the_cell_by_cell_walk(seed):
    rng = np.random.default_rng(seed)
    values = rng.gamma(1.0, size=(13, 17))
    values[rng.random(values.shape) < 0.2] = 0.0
    values[rng.random(values.shape) < 0.1] = -0.5
    values[rng.random(values.shape) < 0.1] = np.nan
    percentages = [1, 25, 50, 95, 99.9, 100]
    result = percent_volume(values, 4.0, percentages, cumulative=True)
    for position, percent in enumerate(percentages):
        threshold, share, count = brute_force(values, 4.0, percent)
        assert result.threshold[position] == threshold
        assert result.mass_share[position] == pytest.approx(share, rel=1e-12)
        assert result.mass_share[position] >= percent / 100 - 1e-12
        assert result.cells[position] == count
    assert result.total_mass == pytest.approx(4.0 * np.nansum(np.maximum(values, 0)))
    np.testing.assert_allclose(result.cumulative, brute_cumulative(values), rtol=1e-6)


def test_ties_are_all_inside_so_the_share_can_exceed_p():
    values = np.array([[4.0, 2.0, 2.0], [2.0, 1.0, 0.0]])  # M = 11
    result = percent_volume(values, 1.0, [40, 50, 100], cumulative=True)
    # 40 % of 11 = 4.4: 4 alone is 36 %, so t = 2 and all three 2s come in
    assert list(result.threshold) == [2.0, 2.0, 1.0]
    assert result.mass_share[0] == pytest.approx(10 / 11)
    assert list(result.cells) == [4, 4, 5]
    expected = 100 * np.array([[4 / 11, 10 / 11, 10 / 11], [10 / 11, 1.0, 1.0]])
    np.testing.assert_allclose(result.cumulative, expected, rtol=1e-6)


def test_nodata_as_nan_or_masked_is_left_out():
    values = np.array([[5.0, 3.0], [1.0, 1.0]])
    masked = np.ma.masked_array(values, mask=[[True, False], [False, False]])
    with_nan = np.array([[np.nan, 3.0], [1.0, 1.0]])
    for surface in (masked, with_nan):
        result = percent_volume(surface, 1.0, [50], cumulative=True)
        assert result.threshold[0] == 3.0
        assert result.mass_share[0] == pytest.approx(0.6)
        assert np.isnan(result.cumulative[0, 0])


def test_edge_touching_is_reported():
    values = np.zeros((5, 5))
    values[2, 2] = 10.0
    values[2, 1] = 1.0
    values[0, 4] = 0.5
    result = percent_volume(values, 1.0, [50, 100])
    assert list(result.touches_edge) == [False, True]


def test_all_zero_raster_is_refused_with_its_cell_count():
    values = np.zeros((3, 4))
    values[0, 0] = np.nan
    with pytest.raises(VolumeError) as caught:
        percent_volume(values, 1.0, [50])
    assert caught.value.problem == VolumeProblem.NO_MASS
    assert caught.value.facts == {"valid_cells": 11}


@pytest.mark.parametrize("percent", [0, -5, 100.5, float("nan")])
def test_percentages_outside_0_100_are_refused(percent):
    with pytest.raises(VolumeError) as caught:
        percent_volume(np.ones((2, 2)), 1.0, [percent])
    assert caught.value.problem == VolumeProblem.PERCENT_OUT_OF_RANGE


def test_parse_percentages():
    assert parse_percentages("50,95") == [50.0, 95.0]
    assert parse_percentages(" 50 ; 99.5,100 ") == [50.0, 99.5, 100.0]
    for text, problem in [
        ("50,abc", VolumeProblem.NOT_A_NUMBER),
        ("0,50", VolumeProblem.PERCENT_OUT_OF_RANGE),
        ("120", VolumeProblem.PERCENT_OUT_OF_RANGE),
        (" , ", VolumeProblem.NO_PERCENTAGE),
    ]:
        with pytest.raises(VolumeError) as caught:
            parse_percentages(text)
        assert caught.value.problem == problem


def test_four_million_cells_sort_well_under_a_second():
    rng = np.random.default_rng(0)
    values = rng.gamma(0.5, size=(2000, 2000)).astype(np.float32)
    best = min(
        _timed(lambda: percent_volume(values, 1.0, [50, 95], cumulative=True)) for _ in range(2)
    )
    assert best < 1.0, best


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start
