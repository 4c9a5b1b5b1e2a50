"""With no levers the regions are in spatial balance (issue 11).

Baseline, seeds 1-5, default scale 2000: every region's labour force at 2026-12 within ±5 % of
2024-01, and every region's unemployment rate within 2 points of the national rate in every month
after the first year (mean over the five replicates). Tolerances are written here, not read from
the calibration file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import talentsim
from talentsim.constants import EMPLOYED
from talentsim.regional import regional_series
from talentsim.scenario import default_scenario

SEED = 1
REPLICATES = 5
LABOUR_FORCE_TOLERANCE = 0.05
UNEMPLOYMENT_GAP_POINTS = 2.0


@pytest.fixture(scope="module")
def baseline_runs() -> pd.DataFrame:
    spec = default_scenario()
    assert spec.scale == 2000.0 and spec.horizon.end == "2026-12"
    return talentsim.run(spec, seed=SEED, replicates=REPLICATES).timeseries


def test_every_region_keeps_its_labour_force(baseline_runs):
    lf = regional_series(baseline_runs, "n_labour_force").drop(columns="all")
    dates = lf.index.get_level_values("date")
    change = lf.xs(dates.max(), level="date") / lf.xs(dates.min(), level="date") - 1.0
    assert (change.abs() <= LABOUR_FORCE_TOLERANCE).all().all(), change.round(3).to_dict()


def test_regional_unemployment_stays_near_the_national_rate(baseline_runs):
    u = regional_series(baseline_runs, "unemployment_rate").groupby(level="date").mean()
    gap = u.drop(columns="all").sub(u["all"], axis=0) * 100.0
    after = gap[gap.index >= gap.index.min() + pd.DateOffset(years=1)]
    worst = after.abs().max()
    assert (worst <= UNEMPLOYMENT_GAP_POINTS).all(), worst.round(2).to_dict()


def test_moves_between_regions_happen_with_jobs():
    """With background and event-prompted moves off, people still change region: hired elsewhere."""
    spec = default_scenario().with_updates(
        scale=20000.0,
        horizon__end="2024-06",
        processes__migration__reconsider_rate=0.0,
        processes__migration__event_moves=False,
        processes__education__enabled=False,  # no graduates choosing a region
        processes__entrepreneurship__enabled=False,  # nor anything that changes a mover's status after the hire
        processes__demography__enabled=False,
        processes__international__enabled=False,
    )
    model = talentsim.TalentModel(spec, rng=3)
    model.step()  # rows are compacted in January only; within 2024 a row index stays one person
    moved_with_a_job = 0
    for _ in range(6):
        before = model.pop.region[: model.pop.n].copy()
        model.step()
        moved = np.flatnonzero(model.pop.region[: len(before)] != before)
        assert (model.pop.status[moved] == EMPLOYED).all()  # every move is a hire elsewhere
        moved_with_a_job += len(moved)
    assert moved_with_a_job > 0
