"""Kernel shapes and the constants that turn them into Raw, Scaled, Density or Expected count.

Every kernel is radially symmetric with support ``d <= r``: a point of weight ``w`` adds
``w * factor(r) * profile(u)`` to each cell whose centre lies at distance ``d <= r`` from it,
with ``u = d / r``. The profiles (indices as in QGIS's native heatmap, Gaussian added):

====  ============  ===========================  =================================
 #    kernel        profile(u)                   integral over the plane
====  ============  ===========================  =================================
 0    Quartic       (1 - u²)²                    π r² / 3
 1    Triangular    1 - (1 - decay) u            π r² (1 + 2 decay) / 3
 2    Uniform       1                            π r²
 3    Triweight     (1 - u²)³                    π r² / 4
 4    Epanechnikov  1 - u²                       π r² / 2
 5    Gaussian      exp(-9 u² / 2), σ = r / 3    2 π r² (1 - exp(-9/2)) / 9
====  ============  ===========================  =================================

The integrals follow from ``∫∫ profile = 2 π r² ∫₀¹ profile(u) u du``.
"""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np

#: exp(-GAUSSIAN_EXPONENT * u²) is the Gaussian profile: σ = r / 3, so u² / (2 σ²/r²) = 4.5 u².
GAUSSIAN_EXPONENT = 4.5


class Kernel(IntEnum):
    """Kernel shapes; the values are the native heatmap's ``KERNEL`` enum indices."""

    QUARTIC = 0
    TRIANGULAR = 1
    UNIFORM = 2
    TRIWEIGHT = 3
    EPANECHNIKOV = 4
    GAUSSIAN = 5


class OutputValue(IntEnum):
    """What a cell holds; the values are the native heatmap's ``OUTPUT_VALUE`` indices, extended.

    RAW: ``Σ w · profile(u)``, as the native heatmap's Raw.
    SCALED: Raw times the native heatmap's published constants (qgskde.cpp).
    DENSITY: Raw times ``1 / integral``: weight per map unit², integrates to ``Σ w``.
    EXPECTED_COUNT: Density times the cell area: weight per cell, sums to about ``Σ w``.
    """

    RAW = 0
    SCALED = 1
    DENSITY = 2
    EXPECTED_COUNT = 3


#: Kernels that are a power of q = 1 - u² (a polynomial in the column within a raster row):
#: profile(u) = q ** POLYNOMIAL_POWER[kernel].
POLYNOMIAL_POWER: dict[Kernel, int] = {
    Kernel.UNIFORM: 0,
    Kernel.EPANECHNIKOV: 1,
    Kernel.QUARTIC: 2,
    Kernel.TRIWEIGHT: 3,
}


def profile(kernel: Kernel, u_squared: np.ndarray, decay: float = 0.0) -> np.ndarray:
    """The kernel's shape at ``u² = d² / r²`` (dimensionless), for ``u² <= 1``.

    The caller applies the support ``d <= r``; values for ``u² > 1`` are not meaningful.

    Args:
        kernel: the kernel shape.
        u_squared: squared distance over squared radius, any shape.
        decay: the triangular kernel's value at ``u = 1`` (ignored by other kernels).
    """
    if kernel in POLYNOMIAL_POWER:
        return (1.0 - u_squared) ** POLYNOMIAL_POWER[kernel]
    if kernel == Kernel.TRIANGULAR:
        return 1.0 - (1.0 - decay) * np.sqrt(u_squared)
    if kernel == Kernel.GAUSSIAN:
        return np.exp(-GAUSSIAN_EXPONENT * u_squared)
    raise ValueError(f"Unknown kernel {kernel!r}.")


def integral_over_unit_disc(kernel: Kernel, decay: float = 0.0) -> float:
    """``∫∫ profile(|v|) dv`` over the unit disc; multiply by r² for the integral over the plane.

    Quartic π/3, triangular π(1 + 2·decay)/3, uniform π, triweight π/4, Epanechnikov π/2,
    Gaussian 2π(1 - e^(-9/2))/9 (the truncated mass).
    """
    if kernel in POLYNOMIAL_POWER:
        # 2π ∫₀¹ (1 - u²)^p u du = π / (p + 1)
        return math.pi / (POLYNOMIAL_POWER[kernel] + 1)
    if kernel == Kernel.TRIANGULAR:
        return math.pi * (1.0 + 2.0 * decay) / 3.0
    if kernel == Kernel.GAUSSIAN:
        return math.pi * (1.0 - math.exp(-GAUSSIAN_EXPONENT)) / GAUSSIAN_EXPONENT
    raise ValueError(f"Unknown kernel {kernel!r}.")


def _native_scale(kernel: Kernel, radius: np.ndarray, decay: float) -> np.ndarray:
    """The native heatmap's Scaled constants, as published in qgskde.cpp.

    Quartic 116/(5π r²)·15/16 (7.25 times the unit-integral constant 3/(π r²); kept so that
    thresholds chosen on native output keep working), triweight 128/(35π r²)·35/32 = 4/(π r²),
    Epanechnikov 8/(3π r²)·3/4 = 2/(π r²), uniform 2/(π r)·0.5/r = 1/(π r²), triangular
    3/((1 + 2·decay) π r²) when decay >= 0 and 1 (unscaled) when decay < 0. The Gaussian, which
    the native algorithm lacks, is scaled to unit integral (as Density).
    """
    area = math.pi * radius**2
    if kernel == Kernel.QUARTIC:
        return 116.0 / (5.0 * area) * (15.0 / 16.0)
    if kernel == Kernel.TRIWEIGHT:
        return 128.0 / (35.0 * area) * (35.0 / 32.0)
    if kernel == Kernel.EPANECHNIKOV:
        return 8.0 / (3.0 * area) * (3.0 / 4.0)
    if kernel == Kernel.UNIFORM:
        return 2.0 / (math.pi * radius) * (0.5 / radius)
    if kernel == Kernel.TRIANGULAR:
        if decay < 0:
            return np.ones_like(radius)
        return 3.0 / ((1.0 + 2.0 * decay) * area)
    return _unit_integral_scale(kernel, radius, decay)


def _unit_integral_scale(kernel: Kernel, radius: np.ndarray, decay: float) -> np.ndarray:
    """1 / (r² · integral over the unit disc): makes the kernel integrate to 1 (per map unit²)."""
    mass = integral_over_unit_disc(kernel, decay)
    if mass <= 0:
        raise ValueError(
            f"With a decay of {decay} the triangular kernel integrates to {mass * 3 / math.pi:.3g}"
            " π r² / 3, which is not positive, so it cannot be normalised to a density: use a"
            " decay above -0.5, or the Raw output."
        )
    return 1.0 / (mass * radius**2)


def output_factor(
    kernel: Kernel,
    output_value: OutputValue,
    radius: np.ndarray,
    cell_size: float,
    decay: float = 0.0,
) -> np.ndarray:
    """The factor multiplying ``w · profile(u)`` for each point, given its radius (map units).

    Raw: 1. Scaled: the native constants (see :func:`_native_scale`). Density:
    ``1 / (r² · integral_over_unit_disc)``, in 1 / map unit². Expected count per cell: Density
    times ``cell_size²``.
    """
    radius = np.asarray(radius, dtype=np.float64)
    output_value = OutputValue(output_value)
    if output_value == OutputValue.RAW:
        return np.ones_like(radius)
    if output_value == OutputValue.SCALED:
        return _native_scale(kernel, radius, decay)
    density = _unit_integral_scale(kernel, radius, decay)
    if output_value == OutputValue.DENSITY:
        return density
    return density * (cell_size * cell_size)  # inf, not OverflowError, if it overflows
