"""Confidence intervals for paired effects and for cost ratios, over replicates.

The 10-90 % spread of the paired differences says how much one replicate's effect varies (the
model's own randomness); it does not shrink with more replicates. The intervals here say how well
the *mean* paired effect is known from the replicates run, and shrink as replicates are added:

- :func:`mean_interval`: Student's t interval of the mean of paired differences,
  ``mean ± t(1 − (1 − level)/2, n − 1) × sd / √n``, row by row (the differences of one row are
  independent draws, one per seed, so the t interval is exact for normal differences and close for
  others at the sample sizes used; ``tests/test_inference.py`` checks its coverage).
- :func:`ratio_interval`: a bootstrap interval (:func:`scipy.stats.bootstrap`, paired resampling of
  replicates, percentile method) of a ratio of two means, such as yuan spent per additional
  person, where no closed form exists.

Both take the confidence ``level`` as a fraction; :data:`DEFAULT_LEVEL` is 0.95.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

#: Default confidence level of the intervals (a fraction): the conventional 95 %.
DEFAULT_LEVEL = 0.95
#: Bootstrap resamples of :func:`ratio_interval` and the seed that makes it reproducible.
BOOTSTRAP_RESAMPLES = 4999
BOOTSTRAP_SEED = 20240402


def check_level(level: float) -> float:
    """Return ``level`` if it is a confidence level strictly between 0 and 1.

    Raises:
        ValueError: naming the level and what was expected.
    """
    if not (isinstance(level, int | float) and 0 < float(level) < 1):
        raise ValueError(f"level: expected a confidence level between 0 and 1 (such as 0.95), got {level!r}")
    return float(level)


def mean_interval(diffs: pd.DataFrame | np.ndarray, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
    """The t confidence interval of the mean of each row of paired differences.

    Missing values (NaN) are left out row by row. A row with fewer than two values has no interval
    (NaN); a row whose values are all equal has the interval ``[mean, mean]``.

    Args:
        diffs: one row per quantity, one column per replicate.
        level: the confidence level, a fraction.

    Returns:
        Columns ``mean``, ``low``, ``high`` and ``n`` (values used), indexed like ``diffs``.
    """
    level = check_level(level)
    frame = pd.DataFrame(diffs)
    n = frame.notna().sum(axis=1)
    mean = frame.mean(axis=1)
    sd = frame.std(axis=1, ddof=1)
    dof = (n - 1).where(n >= 2)
    t = pd.Series(stats.t.ppf(0.5 + level / 2, dof.to_numpy(dtype=float)), index=frame.index)
    half = t * sd / np.sqrt(n.where(n >= 2))
    half = half.where(~((sd == 0) & (n >= 2)), 0.0)
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half, "n": n.astype("int64")})


def excludes_zero(low: float, high: float) -> bool:
    """Whether an interval lies wholly above or wholly below 0 (the effect is distinguishable from 0)."""
    return bool(np.isfinite(low) and np.isfinite(high) and (low > 0 or high < 0))


def _ratio_of_means(num: np.ndarray, den: np.ndarray, axis: int = -1) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(num, axis=axis) / np.mean(den, axis=axis)


def ratio_interval(
    numerator: Sequence[float] | np.ndarray,
    denominator: Sequence[float] | np.ndarray,
    level: float = DEFAULT_LEVEL,
    *,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[float, float]:
    """A bootstrap interval of mean(numerator) / mean(denominator), resampling replicates in pairs.

    For yuan per additional person: ``numerator`` is each replicate's paired cost difference and
    ``denominator`` its paired gain. Where the gain's interval includes 0 the ratio is unbounded
    in principle; the bootstrap interval is then very wide and may include negative values, which
    is the honest answer ("not distinguishable from 0").

    Args:
        numerator: one value per replicate.
        denominator: one value per replicate, paired with ``numerator``.
        level: the confidence level, a fraction.
        resamples: bootstrap resamples.
        seed: the bootstrap's seed (the interval is reproducible).

    Returns:
        ``(low, high)``, NaN when fewer than two replicates have both values or the interval is
        not finite.
    """
    level = check_level(level)
    num, den = np.asarray(numerator, dtype=float), np.asarray(denominator, dtype=float)
    keep = np.isfinite(num) & np.isfinite(den)
    num, den = num[keep], den[keep]
    if len(num) < 2:
        return float("nan"), float("nan")
    if np.ptp(num) == 0 and np.ptp(den) == 0:
        value = float(_ratio_of_means(num, den))
        return (value, value) if np.isfinite(value) else (float("nan"), float("nan"))
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # resamples whose mean gain is 0 give inf
        res = stats.bootstrap(
            (num, den),
            _ratio_of_means,
            paired=True,
            vectorized=True,
            confidence_level=level,
            n_resamples=resamples,
            method="percentile",
            rng=np.random.default_rng(seed),
        )
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):
        return float("nan"), float("nan")
    return low, high
