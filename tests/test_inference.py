"""Confidence intervals of mean paired effects and of cost ratios (:mod:`talentsim.inference`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from talentsim.inference import check_level, excludes_zero, mean_interval, ratio_interval

DRAWS = 2000


def binomial_band(p: float, draws: int, z: float = 3.5) -> tuple[float, float]:
    """The range a coverage rate of ``p`` falls in over ``draws`` draws, but for a 1-in-4,000 chance."""
    half = z * math.sqrt(p * (1 - p) / draws)
    return p - half, p + half


@pytest.mark.parametrize(("level", "replicates"), [(0.95, 5), (0.9, 5), (0.95, 20)])
def test_interval_covers_the_true_mean_at_the_nominal_rate(level, replicates):
    rng = np.random.default_rng(11)
    true_mean = 24_000.0
    diffs = pd.DataFrame(rng.normal(true_mean, 30_000.0, size=(DRAWS, replicates)))
    ci = mean_interval(diffs, level)
    covered = ((ci["low"] <= true_mean) & (true_mean <= ci["high"])).mean()
    low, high = binomial_band(level, DRAWS)
    assert low <= covered <= high, f"coverage {covered:.4f} outside [{low:.4f}, {high:.4f}]"


def test_interval_is_the_t_interval():
    x = np.array([3.0, 5.0, 4.0, 9.0, 1.0])
    ci = mean_interval(x[None, :], 0.95).iloc[0]
    want = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert ci["low"] == pytest.approx(want[0]) and ci["high"] == pytest.approx(want[1])
    assert ci["mean"] == pytest.approx(x.mean()) and ci["n"] == 5


def test_interval_narrows_with_replicates():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, size=400)
    few, many = mean_interval(x[None, :10]).iloc[0], mean_interval(x[None, :]).iloc[0]
    assert (many["high"] - many["low"]) < (few["high"] - few["low"]) / 4


def test_missing_values_single_values_and_constants():
    table = pd.DataFrame([[1.0, np.nan, 3.0], [2.0, np.nan, np.nan], [7.0, 7.0, 7.0]])
    ci = mean_interval(table)
    assert list(ci["n"]) == [2, 1, 3]
    assert np.isfinite(ci.loc[0, "low"]) and ci.loc[0, "mean"] == 2.0
    assert math.isnan(ci.loc[1, "low"]) and math.isnan(ci.loc[1, "high"]) and ci.loc[1, "mean"] == 2.0
    assert ci.loc[2, "low"] == ci.loc[2, "high"] == 7.0


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.2, "0.9", float("nan")])
def test_bad_level_is_refused(bad):
    with pytest.raises(ValueError, match="level"):
        check_level(bad)


def test_excludes_zero():
    assert excludes_zero(1.0, 2.0) and excludes_zero(-3.0, -1.0)
    assert not excludes_zero(-1.0, 2.0) and not excludes_zero(0.0, 2.0)
    assert not excludes_zero(float("nan"), 2.0)


def test_ratio_interval_brackets_a_clear_ratio_and_is_reproducible():
    rng = np.random.default_rng(5)
    gain = rng.normal(1000.0, 100.0, size=30)
    cost = 50.0 * gain + rng.normal(0, 500.0, size=30)
    low, high = ratio_interval(cost, gain)
    assert low < 50.0 < high and high - low < 5.0
    assert ratio_interval(cost, gain) == (low, high)


def test_ratio_interval_of_a_gain_around_zero_is_wide_or_unbounded():
    rng = np.random.default_rng(8)
    gain = rng.normal(0.0, 1000.0, size=8)
    cost = np.full(8, 1e9) + rng.normal(0, 1e6, size=8)
    low, high = ratio_interval(cost, gain)
    assert math.isnan(low) or (low < 0 < high) or high - low > 1e6


def test_ratio_interval_needs_two_pairs():
    assert all(math.isnan(v) for v in ratio_interval([1.0], [2.0]))
    assert ratio_interval([4.0, 4.0], [2.0, 2.0]) == (2.0, 2.0)


@pytest.mark.slow
def test_ratio_interval_covers_the_true_ratio_near_the_nominal_rate():
    """The percentile bootstrap over 30 paired replicates covers a ratio of means at close to 95 %."""
    rng = np.random.default_rng(21)
    draws, n, hits = 400, 30, 0
    for _ in range(draws):
        gain = rng.normal(1000.0, 300.0, size=n)
        cost = 50.0 * 1000.0 + rng.normal(0, 5000.0, size=n)
        low, high = ratio_interval(cost, gain, resamples=999)
        hits += low <= 50.0 <= high
    low, high = binomial_band(0.95, draws)
    assert low - 0.03 <= hits / draws <= high  # percentile intervals run a little short at this n
