"""The rules that choose σ, against spatstat's numbers (recorded here) and formulas written here.

The reference numbers were computed once with R 4.2 and spatstat.explore 3.0-6 (the tests do
not call R). For each pattern (sample/longleaf.csv, sample/bei.csv, and the random pattern of
:func:`random_pattern` written with ``%.2f``) in R::

    d <- read.csv(path); X <- ppp(d$x, d$y, window=owin(range(d$x), range(d$y)))
    bw.scott(X, isotropic=TRUE)                                  # scott
    b <- bw.ppl(X, edge=FALSE); attr(b, "h"); attr(b, "cv")      # ppl, ppl_h, ppl_cv
    sapply(attr(b, "h"), function(s) sum(log(density(X, sigma=s, at="points",
        leaveoneout=TRUE, edge=FALSE))))                         # ppl_sumlog
    g <- bw.diggle(X, correction=corr)                           # diggle[corr]
    attr(g, "cv")[c(2, 10, 50, 100, 200, 256)]                   # diggle_M[corr]
    f <- density(X, sigma=10, kernel="quartic", at="points", leaveoneout=FALSE, edge=FALSE)
    gam <- exp(mean(log(f[f > 0])))^(-0.5); bw <- 10 * pmin(f^(-0.5) / gam, 5)
    bw[1:6]; range(bw)                                           # abram_first6, abram_range
    range(bw.abram(X, 10, kernel="quartic"))                     # abram_pixels_range

(17 significant digits, ``options(digits=17)``; -Inf where spatstat's sums underflow.)
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from kde_heatmap_plugin.core import Cancelled, Kernel, bandwidth
from kde_heatmap_plugin.core.bandwidth import (
    Window,
    abramson_radii,
    diggle_rule,
    gaussian_window_mass,
    kernel_standard_deviation,
    likelihood_cross_validation,
    radius_from_sigma,
    scott_rule,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample"
CORRECTIONS = ["good", "isotropic", "translate", "border", "none"]
#: 0-based indices of the Diggle criterion values recorded (R's 2, 10, 50, 100, 200, 256)
DIGGLE_INDICES = [1, 9, 49, 99, 199, 255]

SPATSTAT = {
    "longleaf": {
        "scott": 18.352947238370145,
        "ppl_h": [
            0.19999999999998863,
            0.30973883638337424,
            0.47969073382066046,
            0.7428942485875335,
            1.150516000567084,
            1.7817974362806113,
            2.759459322922337,
            4.273558598646334,
            6.618435337804768,
            10.249932301051842,
            15.874010519681693,
            24.58398773551964,
            38.07307877431717,
            58.96355558545105,
            91.31651548032522,
            141.4213562373095,
        ],
        "ppl_sumlog": [
            -math.inf,
            -math.inf,
            -24083.80789239999,
            -10614.06508055251,
            -5239.825580842546,
            -3210.8186390074306,
            -2526.737477746358,
            -2353.242330964439,
            -2354.3183947710922,
            -2403.8795997920033,
            -2462.6744733298237,
            -2522.6495540523706,
            -2599.946881087329,
            -2727.929018235188,
            -2950.409776385489,
            -3289.4763936334784,
        ],
        "ppl_cv": [
            -math.inf,
            -math.inf,
            -24667.734126463634,
            -11196.714115066763,
            -5820.140341899459,
            -3788.1695641763863,
            -3099.8442126110886,
            -2920.6279008989986,
            -2913.641015264845,
            -2950.5217555517243,
            -2989.139400430953,
            -3016.5001488144617,
            -3040.2053198080566,
            -3085.698804905982,
            -3212.185534072932,
            -3487.073138932606,
        ],
        "ppl": 6.618435337804768,
        "diggle": {
            "good": 2.495107632093933,
            "isotropic": 2.495107632093933,
            "translate": 2.495107632093933,
            "border": 3.37573385518591,
            "none": 2.495107632093933,
        },
        "diggle_M": {
            "good": [
                2277.188925758839,
                24.00837486713241,
                -1.9867431084949487,
                -1.7776538940564484,
                -1.2441035848773898,
                -1.2111364031885734,
            ],
            "isotropic": [
                2277.188925758839,
                24.00837486713241,
                -1.9867431084949487,
                -1.7776538940564484,
                -1.2441035848773898,
                -1.2111364031885734,
            ],
            "translate": [
                2277.188925758839,
                24.064180048285895,
                -1.9941030477123265,
                -1.795653653298753,
                -1.2731826261659882,
                -1.2587999116958828,
            ],
            "border": [
                2277.188925758839,
                24.15151971993758,
                -2.021931481125588,
                -1.8484977637886075,
                -1.3457715880121828,
                -1.3702806149331708,
            ],
            "none": [
                2277.188925758839,
                24.074190417764836,
                -1.952267254663976,
                -1.7392488869809175,
                -1.2103946106230268,
                -1.1757735732908272,
            ],
        },
        "abram_first6": [
            24.06871214263657,
            23.72330195585542,
            25.95592078129461,
            12.890577863290833,
            18.81482470455196,
            18.03260944575368,
        ],
        "abram_range": [6.1908048556166, 25.95592078129461],
        "abram_pixels_range": [6.442706019340818, 23.437094089682446],
    },
    "bei": {
        "scott": 56.12534958727436,
        "ppl_h": [
            0.0999999999999659,
            0.17774533396698147,
            0.3159340374704455,
            0.5615580100174034,
            0.9981431603241094,
            1.774152893787277,
            3.1534739861481365,
            5.605152868242802,
            9.962897685021408,
            17.708585763036012,
            31.476184905348436,
            55.94744998009528,
            99.44398181316411,
            176.7570375839332,
            314.17738676381225,
            558.4356453522644,
        ],
        "ppl_sumlog": [
            -math.inf,
            -math.inf,
            -math.inf,
            -math.inf,
            -math.inf,
            -math.inf,
            -18509.0686413732,
            -15693.105594979714,
            -15424.806575571745,
            -15785.0692615604,
            -16354.02838085051,
            -17146.45391521437,
            -18238.98306365437,
            -19645.260255258978,
            -21386.49171371469,
            -23870.213224835526,
        ],
        "ppl_cv": [
            -math.inf,
            -math.inf,
            -math.inf,
            -math.inf,
            -math.inf,
            -math.inf,
            -22091.01437931735,
            -19245.5058358183,
            -18931.323605112037,
            -19205.698383116258,
            -19618.889585365243,
            -20152.19160711782,
            -20848.38708651148,
            -21719.44791198519,
            -22914.926857716317,
            -25025.055245704483,
        ],
        "ppl": 9.962897685021408,
        "diggle": {
            "good": 2.8119863013698625,
            "isotropic": 2.8119863013698625,
            "translate": 2.8119863013698625,
            "border": 2.8119863013698625,
            "none": 2.8119863013698625,
        },
        "diggle_M": {
            "good": [
                736.4380145381987,
                0.14257049393514265,
                -4.16618569619086,
                -3.0109934932529603,
                -1.8455235015333138,
                -1.6863509075762946,
            ],
            "isotropic": [
                736.4234114233246,
                0.13668654988387807,
                -4.042883592990689,
                -2.905643417627664,
                -2.235436131284425,
                -1.9905772517184193,
            ],
            "translate": [
                736.4275780030133,
                0.1462314158836211,
                -4.06176301180321,
                -2.905957202007925,
                -2.193301705620585,
                -1.9296733577370595,
            ],
            "border": [
                736.4380145381987,
                0.14257049393514265,
                -4.16618569619086,
                -3.0109934932529603,
                -1.8455235015333138,
                -1.6863509075762946,
            ],
            "none": [
                736.4234114233246,
                0.16231862887365622,
                -4.015552737390772,
                -2.8455970091436633,
                -2.099751849004969,
                -1.8260286493633184,
            ],
        },
        "abram_first6": [
            8.797928789360343,
            14.864379770421642,
            10.141473953369932,
            10.85939876041187,
            9.556318896143308,
            9.32573607940818,
        ],
        "abram_range": [3.566933445780439, 36.42597490091007],
        "abram_pixels_range": [3.6086932423978455, 36.97581841404165],
    },
    "random": {
        "scott": 21.185533530575952,
        "ppl_h": [
            0.167630546142398,
            0.2668044627398573,
            0.42465184881897555,
            0.675885218911052,
            1.0757537743281518,
            1.71219335857907,
            2.7251645935364466,
            4.3374318821256574,
            6.903551945706913,
            10.987845057227112,
            17.488495770167972,
            27.835074367199617,
            44.30291634053389,
            70.51349568475433,
            112.23083003081474,
            178.62905656695386,
        ],
        "ppl_sumlog": [
            -math.inf,
            -math.inf,
            -math.inf,
            -20834.120983828056,
            -9000.179616655627,
            -4549.404602420626,
            -2976.8936392782684,
            -2496.228118626147,
            -2392.951058791251,
            -2418.7654021712237,
            -2506.7967848578883,
            -2630.4386219446706,
            -2775.0532011737523,
            -2967.307684513911,
            -3244.281031006527,
            -3631.307725992449,
        ],
        "ppl_cv": [
            -math.inf,
            -math.inf,
            -math.inf,
            -21433.655552992077,
            -9597.821078722984,
            -5144.273050983854,
            -3568.6398836685594,
            -3083.792449997818,
            -2973.9550677316593,
            -2988.9844071864345,
            -3059.69702141312,
            -3155.5367225896207,
            -3246.212636338532,
            -3342.619822292139,
            -3515.047400225003,
            -3833.95735317815,
        ],
        "ppl": 6.903551945706913,
        "diggle": {
            "good": 3.9866682974559686,
            "isotropic": 3.9866682974559686,
            "translate": 3.9866682974559686,
            "border": 5.785530821917808,
            "none": 3.9866682974559686,
        },
        "diggle_M": {
            "good": [
                3319.344394736356,
                33.73888702891198,
                -8.112496809906355,
                -8.795887066156222,
                -6.279450818434948,
                -4.761597077324902,
            ],
            "isotropic": [
                3319.344394736356,
                33.73888702891198,
                -8.112496809906355,
                -8.795887066156222,
                -6.279450818434948,
                -4.761597077324902,
            ],
            "translate": [
                3319.3532539656626,
                33.72924720933102,
                -8.21555760185028,
                -9.040746422322435,
                -6.632811286211548,
                -5.075648768038022,
            ],
            "border": [
                3319.3879065535243,
                33.72476694010632,
                -8.445953601870828,
                -9.213027547698362,
                -7.579186733897673,
                -6.035310868955692,
            ],
            "none": [
                3319.344394736356,
                33.73888702891198,
                -8.104556523242449,
                -8.790663316502197,
                -6.264061064102879,
                -4.73813437891817,
            ],
        },
        "abram_first6": [
            15.30718905534916,
            17.52628154632306,
            15.682704373046633,
            4.452936605239378,
            14.134034323696651,
            14.328511710713574,
        ],
        "abram_range": [3.321849980204412, 33.00268368310705],
        "abram_pixels_range": [3.418222212674382, 28.97223908211048],
    },
}


def random_pattern() -> tuple[np.ndarray, np.ndarray]:
    """400 uniform points in 300 x 200 and a cluster of 200 (σ 8) at (80, 120), to 0.01."""
    rng = np.random.default_rng(20261126)
    x = rng.uniform(0, 300, 400)
    y = rng.uniform(0, 200, 400)
    cluster = rng.normal(0, 8, (200, 2)) + np.array([80.0, 120.0])
    x = np.concatenate([x, cluster[:, 0]])
    y = np.concatenate([y, cluster[:, 1]])
    as_written = np.vectorize(lambda v: float(f"{v:.2f}"))
    return as_written(x), as_written(y)


def pattern(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "random":
        return random_pattern()
    data = np.genfromtxt(SAMPLE / f"{name}.csv", delimiter=",", skip_header=1)
    return data[:, 0], data[:, 1]


@pytest.mark.parametrize("name", SPATSTAT)
def test_scott_equals_spatstat(name):
    x, y = pattern(name)
    rule = scott_rule(x, y)
    assert rule.sigma == pytest.approx(SPATSTAT[name]["scott"], rel=1e-12)
    assert rule.sigma == pytest.approx(
        math.sqrt(np.std(x, ddof=1) * np.std(y, ddof=1)) * len(x) ** (-1 / 6), rel=1e-12
    )
    assert rule.radius == pytest.approx(rule.sigma * math.sqrt(8), rel=1e-12)


@pytest.mark.parametrize("name", SPATSTAT)
def test_likelihood_cross_validation_equals_spatstat(name):
    x, y = pattern(name)
    reference = SPATSTAT[name]
    window = Window.around(x, y)
    rule = likelihood_cross_validation(x, y, window=window, kernel=Kernel.EPANECHNIKOV)
    np.testing.assert_allclose(rule.candidates, reference["ppl_h"], rtol=1e-12)
    assert rule.sigma == pytest.approx(reference["ppl"], rel=1e-12)
    assert rule.radius == pytest.approx(rule.sigma * math.sqrt(6), rel=1e-12)
    assert not rule.at_end
    evaluated = slice(0, rule.evaluated)
    integral = np.array(
        [gaussian_window_mass(x, y, s, window).sum() for s in rule.candidates[evaluated]]
    )
    sum_log = rule.values[evaluated] + integral
    recorded = np.array(reference["ppl_sumlog"])[evaluated]
    finite = np.isfinite(recorded)
    np.testing.assert_allclose(sum_log[finite], recorded[finite], rtol=1e-9)
    # where spatstat's sums underflow to 0 ours stay finite and far below the best
    assert np.isfinite(sum_log).all() and (sum_log[~finite] < recorded[finite].min()).all()
    # spatstat integrates a 128 x 128 pixel image: off by up to 11 where σ is below a pixel
    pixels = np.array(reference["ppl_cv"])[evaluated]
    np.testing.assert_allclose(rule.values[evaluated][finite], pixels[finite], rtol=1e-3)


def test_likelihood_criterion_equals_the_double_loop_with_weights():
    rng = np.random.default_rng(11)
    x, y = rng.uniform(0, 50, 80), rng.uniform(0, 30, 80)
    x[3], y[3] = 400.0, 400.0  # far from every other point: its sum underflows at small σ
    weight = rng.uniform(0.5, 3.0, 80)
    sigmas = np.array([0.8, 2.0, 5.0, 9.0])
    rule = likelihood_cross_validation(x, y, weight, candidates=sigmas)
    for k, sigma in enumerate(sigmas[: rule.evaluated]):
        expected = -weight.sum()
        for i in range(80):
            d2 = (x - x[i]) ** 2 + (y - y[i]) ** 2
            exponent = -d2 / (2 * sigma**2)
            exponent[i] = -np.inf
            top = exponent.max()  # log-sum-exp, as the sums underflow for the far point
            total = np.sum(weight * np.exp(exponent - top))
            expected += math.log(total) + top - math.log(2 * math.pi * sigma**2)
        assert rule.values[k] == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("name", SPATSTAT)
def test_binned_likelihood_chooses_as_spatstat(name, monkeypatch):
    x, y = pattern(name)
    reference = SPATSTAT[name]
    window = Window.around(x, y)
    exact = likelihood_cross_validation(x, y, window=window)
    evaluated = exact.candidates[: exact.evaluated]
    # these patterns are small: summed exactly (as the test above checks) where evaluated
    assert all(bandwidth._binned_spacing(x, y, s) is None for s in evaluated)

    def grid_fits(x, y, sigma):
        spacing = sigma / 8
        cells = bandwidth.binned_grid_cells(x, y, spacing, 8 * sigma)
        return spacing if cells <= bandwidth.BINNED_GRID_CELLS else None

    monkeypatch.setattr(bandwidth, "_binned_spacing", grid_fits)
    monkeypatch.setattr(bandwidth, "FALLING_CANDIDATES", 16)  # every candidate
    binned = likelihood_cross_validation(x, y, window=window)
    assert binned.sigma == pytest.approx(reference["ppl"], rel=1e-12)
    assert binned.evaluated == 16
    is_binned = np.array([grid_fits(x, y, s) is not None for s in binned.candidates])
    assert is_binned[exact.index - 1 : exact.index + 2].all()
    # the values spatstat recorded (edge=FALSE), integral as ours
    integral = np.array([gaussian_window_mass(x, y, s, window).sum() for s in binned.candidates])
    recorded = np.array(reference["ppl_sumlog"]) - integral
    compared = is_binned & np.isfinite(recorded)
    difference = np.abs(binned.values[compared] - recorded[compared])
    ordered = np.sort(np.array(reference["ppl_cv"]))
    gap = ordered[-1] - ordered[-2]  # between the best two candidates (7 to 274 here)
    assert difference.max() < gap / 20


def test_binned_likelihood_criterion_close_to_exact_at_every_candidate(monkeypatch):
    rng = np.random.default_rng(15)
    centres = rng.uniform(100, 900, (8, 2))
    which = rng.integers(0, 8, 1500)
    x = np.concatenate([rng.uniform(0, 1000, 1500), centres[which, 0] + rng.normal(0, 30, 1500)])
    y = np.concatenate([rng.uniform(0, 1000, 1500), centres[which, 1] + rng.normal(0, 30, 1500)])
    weight = rng.uniform(0.5, 2.0, 3000)
    monkeypatch.setattr(bandwidth, "FALLING_CANDIDATES", 16)
    exact = likelihood_cross_validation(x, y, weight)
    used = exact.candidates > 3.0
    assert used.sum() >= 8
    ordered = np.sort(exact.values)
    for bins in (8, 4):  # both spacings the rule uses

        def spacing(x, y, sigma, bins=bins):
            return sigma / bins if sigma > 3.0 else None

        monkeypatch.setattr(bandwidth, "_binned_spacing", spacing)
        binned = likelihood_cross_validation(x, y, weight)
        assert binned.index == exact.index
        difference = np.abs(binned.values - exact.values)
        np.testing.assert_array_equal(difference[~used], 0.0)
        # Σ_i log λ_-i over 3000 points within 3000 (h/σ)² / 100 (0.47 at h = σ/8, 1.9 at
        # σ/4): deviations of 1e-4 to 1e-3 per point that cancel in part; far below the gap
        # between the best two candidates (91)
        assert difference[used].max() < 3000 / bins**2 / 100
        assert difference[used].max() < (ordered[-1] - ordered[-2]) / 20


@pytest.mark.parametrize("name", SPATSTAT)
@pytest.mark.parametrize("correction", CORRECTIONS)
def test_diggle_equals_spatstat(name, correction):
    x, y = pattern(name)
    reference = SPATSTAT[name]
    rule = diggle_rule(x, y, correction=correction, kernel=Kernel.UNIFORM)
    assert rule.sigma == pytest.approx(reference["diggle"][correction], rel=1e-12)
    assert rule.radius == pytest.approx(2 * rule.sigma, rel=1e-12)
    assert len(rule.candidates) == 256
    # border: spatstat's count differs by about one pair at a few distances (2e-6)
    tolerance = 1e-5 if rule.correction == "border" else 1e-9
    np.testing.assert_allclose(
        rule.values[DIGGLE_INDICES], reference["diggle_M"][correction], rtol=tolerance
    )


def test_diggle_k_function_by_hand_without_correction():
    rng = np.random.default_rng(12)
    x, y = rng.uniform(0, 100, 300), rng.uniform(0, 100, 300)
    rule = diggle_rule(x, y, correction="none")
    window = Window.around(x, y)
    lam = 300 / window.area
    largest = min(min(window.width, window.height) / 4, math.sqrt(1000 / (math.pi * lam)))
    r = np.linspace(0, largest, 512)
    d = np.hypot(x[:, None] - x[None], y[:, None] - y[None])[~np.eye(300, dtype=bool)]
    k = np.array([np.count_nonzero(d <= value) for value in r]) * window.area / (300 * 299)
    i = 100
    t = r[:-1] / (2 * r[i])
    inside = t < 1
    phi = np.arccos(t[inside]) - t[inside] * np.sqrt(1 - t[inside] ** 2)
    j = 2 * r[i] ** 2 * np.sum(phi * np.diff(k)[inside])
    area = math.pi * r[i] ** 2
    expected = (1 / lam - 2 * k[i]) / area + j / area**2
    assert rule.values[i] == pytest.approx(expected, rel=1e-9)
    assert rule.candidates[i] == pytest.approx(r[i] / 2, rel=1e-12)


@pytest.mark.parametrize("name", SPATSTAT)
def test_abramson_equals_spatstat_formula_at_the_points(name):
    x, y = pattern(name)
    reference = SPATSTAT[name]
    sigma = 10.0
    radii = abramson_radii(x, y, radius_from_sigma(sigma, Kernel.QUARTIC))
    as_sigma = radii * kernel_standard_deviation(Kernel.QUARTIC)
    np.testing.assert_allclose(as_sigma[:6], reference["abram_first6"], rtol=1e-9)
    np.testing.assert_allclose(
        [as_sigma.min(), as_sigma.max()], reference["abram_range"], rtol=1e-9
    )
    # spatstat's default looks the pilot up in a pixel image: same range within 16 %
    np.testing.assert_allclose(
        [as_sigma.min(), as_sigma.max()], reference["abram_pixels_range"], rtol=0.16
    )


def test_abramson_by_hand_with_weights_and_trim():
    rng = np.random.default_rng(13)
    x = np.concatenate([rng.normal(0, 2, 60), rng.uniform(-40, 40, 30), [500.0]])
    y = np.concatenate([rng.normal(0, 2, 60), rng.uniform(-40, 40, 30), [500.0]])
    weight = rng.uniform(0.2, 2.0, 91)
    r0, trim = 8.0, 3.0
    radii = abramson_radii(x, y, r0, kernel=Kernel.TRIWEIGHT, weight=weight, trim=trim)
    d2 = (x[:, None] - x[None]) ** 2 + (y[:, None] - y[None]) ** 2
    pilot = np.sum(np.where(d2 <= r0**2, weight * (1 - d2 / r0**2) ** 3, 0), axis=1)
    pilot /= math.pi / 4 * r0**2
    geometric_mean = math.exp(np.mean(np.log(pilot)))
    expected = r0 * np.minimum(trim, (pilot / geometric_mean) ** -0.5)
    np.testing.assert_allclose(radii, expected, rtol=1e-12)
    assert radii[-1] == r0 * trim  # the isolated point is trimmed


def test_rules_can_be_cancelled():
    x, y = pattern("bei")
    with pytest.raises(Cancelled):
        likelihood_cross_validation(x, y, progress=lambda fraction: fraction < 0.2)
    with pytest.raises(Cancelled):
        diggle_rule(x, y, progress=lambda fraction: False)
    with pytest.raises(Cancelled):
        abramson_radii(x, y, 20.0, progress=lambda fraction: False)
