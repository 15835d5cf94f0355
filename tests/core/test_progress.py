"""Progress keeps moving in every stage, and cancelling stops every stage within a chunk."""

from __future__ import annotations

import time

import numpy as np
import pytest

from kde_heatmap_plugin.core import (
    Cancelled,
    Grid,
    OutputValue,
    estimators,
    kernel_density_bands,
    sort_points_by_row,
)


@pytest.fixture
def report_every_step(monkeypatch):
    """Report progress at every step, and make the stages' chunks small (many steps)."""
    monkeypatch.setattr(estimators, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(estimators, "CHUNK_ELEMENTS", 256)


def counting(monkeypatch, name: str) -> list[int]:
    """Wrap ``estimators.<name>`` so that the returned list counts its calls."""
    calls = [0]
    original = getattr(estimators, name)

    def wrapped(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(estimators, name, wrapped)
    return calls


def scattered_points(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 400, count), rng.uniform(0, 400, count)


GRID = Grid(x_min=0.0, y_max=400.0, cell_size=1.0, rows=400, cols=400)


def test_progress_moves_while_bands_without_points_are_produced(monkeypatch):
    # Two points, at the top and at the bottom of 391 bands: the work is the rows in between.
    monkeypatch.setattr(estimators, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    grid = Grid(x_min=0.0, y_max=50_000.0, cell_size=1.0, rows=50_000, cols=40)
    reported = []
    at_half = None
    bands = kernel_density_bands(
        np.array([20.0, 20.0]),
        np.array([49_990.0, 10.0]),
        grid,
        radius=3.0,
        progress=lambda fraction: reported.append(fraction) or True,
    )
    for first_row, values in bands:
        if at_half is None and first_row + len(values) >= grid.rows // 2:
            at_half = reported[-1]
    assert 0.3 < at_half < 0.7
    assert len(set(reported)) > 100 and reported == sorted(reported) and reported[-1] == 1.0


def test_progress_is_reported_while_the_points_are_ordered(report_every_step, monkeypatch):
    keys = counting(monkeypatch, "_band_keys")
    seen = []
    x, y = scattered_points(20_000)  # 79 chunks of 256, counted then placed
    for _ in kernel_density_bands(
        x, y, GRID, radius=2.0, progress=lambda f: seen.append(keys[0]) or True
    ):
        pass
    assert keys[0] == 2 * 79
    during = [calls for calls in seen if 0 < calls < keys[0]]
    assert len(during) > 100


def test_progress_is_reported_while_per_point_radii_are_classified(report_every_step, monkeypatch):
    codes = counting(monkeypatch, "_pass_codes")
    seen = []
    x, y = scattered_points(5000)
    radius = np.random.default_rng(1).uniform(1.0, 9.0, len(x))
    progress = lambda fraction: seen.append(codes[0]) or True  # noqa: E731
    for _ in kernel_density_bands(x, y, GRID, radius=radius, progress=progress):
        pass
    planned = -(-len(x) // 256)  # the first chunks classify the radii before any band
    assert len([calls for calls in seen if 0 < calls < planned]) >= planned - 2


def test_sorting_in_place_reports_progress_and_can_be_cancelled(report_every_step):
    x, y = scattered_points(20_000)
    reported = []
    sort_points_by_row(x, y, GRID, radius=2.0, progress=lambda f: reported.append(f) or True)
    assert len(reported) > 100 and reported == sorted(reported) and reported[-1] == 1.0
    x, y = scattered_points(20_000, seed=5)
    calls = []
    with pytest.raises(Cancelled):
        sort_points_by_row(
            x, y, GRID, radius=2.0, progress=lambda f: calls.append(f) or len(calls) < 3
        )
    assert len(calls) == 3


@pytest.mark.parametrize(
    "stage, function",
    [
        ("classifying the radii", "_pass_codes"),
        ("ordering the points", "_band_keys"),
        ("splitting bands into tiles", "_pass_tiles"),
        ("computing tiles", "_tile_values"),
    ],
)
def test_cancelling_stops_each_stage_within_a_step(report_every_step, monkeypatch, stage, function):
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    monkeypatch.setattr(estimators, "BAND_ROWS", 8)
    steps = counting(monkeypatch, function)
    x, y = scattered_points(20_000)
    radius = np.random.default_rng(1).uniform(1.0, 9.0, len(x))
    cancelled_at = []

    def stop_in_stage(fraction: float) -> bool:
        if steps[0] >= 3 and not cancelled_at:
            cancelled_at.append(steps[0])
        return not cancelled_at

    with pytest.raises(Cancelled):
        for _ in kernel_density_bands(x, y, GRID, radius=radius, progress=stop_in_stage, workers=2):
            pass
    # stopped at the next step of that stage (tiles already handed to threads may finish)
    most_after = 2 * estimators.TILES_IN_FLIGHT_PER_THREAD if function == "_tile_values" else 1
    assert steps[0] <= cancelled_at[0] + most_after


def test_cancelling_stops_while_the_weights_are_checked(report_every_step):
    # The weights times the output factors are checked a chunk at a time before any band.
    x, y = scattered_points(20_000)
    weight = np.ones(len(x))
    calls = []
    with pytest.raises(Cancelled):
        kernel_density_bands(
            x,
            y,
            GRID,
            radius=np.full(len(x), 3.0),
            weight=weight,
            output_value=OutputValue.DENSITY,
            progress=lambda fraction: calls.append(fraction) or len(calls) < 3,
        )
    assert calls == [0.0, 0.0, 0.0]


def test_cancelling_stops_while_bands_without_points_are_produced(monkeypatch):
    monkeypatch.setattr(estimators, "PROGRESS_INTERVAL", 0.0)
    monkeypatch.setattr(estimators, "BAND_CELLS", 0)
    grid = Grid(x_min=0.0, y_max=50_000.0, cell_size=1.0, rows=50_000, cols=40)
    received = []
    bands = kernel_density_bands(
        np.array([20.0, 20.0]),
        np.array([49_990.0, 10.0]),
        grid,
        radius=3.0,
        progress=lambda fraction: len(received) < 10,
    )
    with pytest.raises(Cancelled):
        for first_row, _ in bands:
            received.append(first_row)
    assert len(received) <= 11


def test_progress_comes_at_least_every_few_tenths_of_a_second():
    # 1.5 million points in any order on a grid of 10 million rows (about 2 s): ordering them,
    # tiling and computing their bands and the rows without points all report within
    # PROGRESS_INTERVAL (0.2 s) and one step; 0.6 s leaves room for a loaded machine. (Before
    # bands were sized by the columns and the points ordered by band, this ran for 30 s with
    # gaps of 7 s.)
    rng = np.random.default_rng(3)
    grid = Grid(x_min=0.0, y_max=1e7, cell_size=1.0, rows=10_000_000, cols=3)
    x, y = rng.uniform(0, 3, 1_500_000), rng.uniform(0, 1e7, 1_500_000)
    times = [time.monotonic()]

    def progress(fraction: float) -> bool:
        times.append(time.monotonic())
        return True

    for _ in kernel_density_bands(x, y, grid, radius=1.5, progress=progress):
        pass
    times.append(time.monotonic())
    assert max(np.diff(times)) < 0.6
