"""Runs reproduce the stored regression tables: optimisations must not change results.

A change that is meant to change results regenerates the tables with
``python tests/data/make_regression.py`` and says so in its commit.

What "reproduce" means: the keys (scenario, replicate, seed, date, region, field, level, metric)
and every person count are exactly equal. Floating values (wages, shares, job targets, costs with
fractional parts) are compared with a relative tolerance of 1e-12: numpy, scipy and pandas
releases may change the order of floating-point reductions (pairwise sums, SIMD kernels), which
moves results in the last bits (seen: 8e-16 relative on 16 of 6,516 wage values with numpy 2.5);
a model change moves them by many orders of magnitude more. On one set of library versions the
same seed still gives bit-identical results (tests/test_model.py, tests/sweep/test_execute.py).
"""

import numpy as np
import pandas as pd
import pytest

from .data.make_regression import CASES, HERE, regression_run

KEYS = ["scenario", "replicate", "seed", "date", "region", "field", "level", "metric"]
FLOAT_RTOL = 1e-12


def whole_number_metrics(table: pd.DataFrame) -> set[str]:
    """Metrics whose stored values are all whole numbers: person counts and whole-yuan costs."""
    whole = table.groupby("metric")["value"].agg(lambda v: bool(np.all(v == np.round(v))))
    return set(whole[whole].index)


def assert_reproduces(run: pd.DataFrame, stored: pd.DataFrame) -> None:
    """Keys and whole-number metrics exactly; the other values within ``FLOAT_RTOL``."""
    assert list(run.columns) == list(stored.columns)
    pd.testing.assert_frame_equal(run[KEYS], stored[KEYS], check_exact=True)
    exact = stored["metric"].isin(whole_number_metrics(stored)).to_numpy()
    got, want = run["value"].to_numpy(), stored["value"].to_numpy()
    differs = got[exact] != want[exact]
    assert not differs.any(), (
        f"{differs.sum()} whole-number values differ, e.g.\n{stored[exact][differs].head().to_string()}"
    )
    np.testing.assert_allclose(got[~exact], want[~exact], rtol=FLOAT_RTOL, atol=0)


@pytest.mark.parametrize("name", list(CASES))
def test_run_matches_stored_table(name):
    stored = pd.read_parquet(HERE / f"regression_{name}.parquet")
    assert_reproduces(regression_run(name), stored)


def test_comparison_catches_a_change_in_the_last_counted_person():
    stored = pd.read_parquet(HERE / "regression_baseline.parquet")
    changed = stored.copy()
    row = changed.index[changed["metric"] == "n_employed"][0]
    changed.loc[row, "value"] += 1.0
    with pytest.raises(AssertionError, match="whole-number values differ"):
        assert_reproduces(changed, stored)


def test_comparison_catches_a_wage_change_beyond_rounding():
    stored = pd.read_parquet(HERE / "regression_baseline.parquet")
    changed = stored.copy()
    row = changed.index[changed["metric"] == "mean_wage_digital"][0]
    changed.loc[row, "value"] *= 1 + 1e-9
    with pytest.raises(AssertionError):
        assert_reproduces(changed, stored)
    changed.loc[row, "value"] = stored.loc[row, "value"] * (1 + 1e-15)
    assert_reproduces(changed, stored)
