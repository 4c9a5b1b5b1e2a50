"""Runs are bit-identical to the stored regression tables: optimisations must not change results.

A change that is meant to change results regenerates the tables with
``python tests/data/make_regression.py`` and says so in its commit.
"""

import pandas as pd
import pytest

from .data.make_regression import CASES, HERE, regression_run


@pytest.mark.parametrize("name", list(CASES))
def test_run_matches_stored_table(name):
    stored = pd.read_parquet(HERE / f"regression_{name}.parquet")
    pd.testing.assert_frame_equal(regression_run(name), stored, check_exact=True)
