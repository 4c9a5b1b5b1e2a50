"""The default (calibrated) baseline reproduces the published figures it was fitted to.

Runs at the default scale (2000 real people per person-agent) and seeds 1-3, as ``talentsim run
--replicates 3`` does. Tolerances are the issue's and are written here, not read from the
calibration file, so that loosening the file cannot loosen the test.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import talentsim
from talentsim.calibrate import load_calibration, moments_of, published_value, target_table
from talentsim.scenario import default_scenario, default_scenario_path, load_scenario
from talentsim.summary import national_series

ROOT = Path(__file__).resolve().parents[1]
SEEDS = 1
REPLICATES = 3

REGIONS = ("Beijing", "Shanghai", "Guangdong", "Jiangsu_Zhejiang", "Rest_of_East", "Central", "West", "Northeast")
# (target name in calibrations/baseline.toml, year) -> largest relative error accepted
TOLERANCE = {
    ("college graduates", 2024): 0.03,
    ("college graduates", 2025): 0.03,
    ("digital talent stock", 2024): 0.10,
    ("ICT / all-sector wage (model: digital jobs / all jobs)", 2024): 0.10,
    ("urban unemployment", 2024): 0.10,
    # spatial balance (issue 11): labour-force share growth 2024-01..2026-12 against the published trend
    # (a ratio near 1: the published values lie between 0.981 and 1.014, so the calibration's 0.02
    # would accept a flat share everywhere; 0.01 rejects a flat share where the trends are largest,
    # Northeast -1.9 % and Jiangsu_Zhejiang +1.4 %, and stays above the spread between seed sets:
    # Beijing's 10-90 % range over seeds 1-5 is about ±0.6 %), and the highest monthly regional
    # unemployment of 2025 over the national rate (0.3 of a rate near 5 % is 1.5 points)
    **{(f"labour force share growth, {r}", 2026): 0.01 for r in REGIONS},
    **{(f"highest unemployment rate / national, {r}", 2025): 0.3 for r in REGIONS},
}


@pytest.fixture(scope="module")
def baseline_runs() -> pd.DataFrame:
    spec = default_scenario()
    assert spec.scale == 2000.0
    return talentsim.run(spec, seed=SEEDS, replicates=REPLICATES).timeseries


def test_calibration_targets_are_met(baseline_runs):
    cal = load_calibration(ROOT / "calibrations" / "baseline.toml")
    tables = [g for _, g in baseline_runs.groupby("replicate")]
    table = target_table(cal, moments_of(cal, tables))
    assert set(zip(table["target"], table["year"], strict=True)) == set(TOLERANCE)
    for row in table.itertuples():
        tol = TOLERANCE[(row.target, row.year)]
        assert abs(row.relative_error) <= tol, f"{row.target} {row.year}: {row.model:,.3f} vs {row.observed:,.3f}"


def test_graduates_match_the_published_counts(baseline_runs):
    grads = national_series(baseline_runs, "new_graduates")
    mean = grads.groupby(pd.to_datetime(grads.index).year).sum().mean(axis=1)
    for year in (2024, 2025):
        assert mean[year] == pytest.approx(published_value("college_graduates", year), rel=0.03)


def test_initial_gap_lies_in_the_published_range(baseline_runs):
    # The model starts in January 2024 from the state at the end of 2023: the 2023 gap.
    first = national_series(baseline_runs, "n_digital_gap").iloc[0]
    low, high = published_value("digital_talent_gap_low", 2023), published_value("digital_talent_gap_high", 2023)
    assert ((first >= low) & (first <= high)).all(), first.tolist()


def test_regional_split_of_digital_jobs(baseline_runs):
    spec = default_scenario()
    group_of = {name: r.group for name, r in spec.regions.items()}
    jobs = baseline_runs[
        (baseline_runs["metric"] == "n_digital_jobs")
        & (baseline_runs["region"] != "all")
        & (baseline_runs["field"] == "all")
        & (baseline_runs["level"] == "all")
        & (pd.to_datetime(baseline_runs["date"]).dt.year == 2024)
    ]
    by_group = jobs.groupby(jobs["region"].map(group_of))["value"].sum()
    share = by_group / by_group.sum()
    for group in ("east", "central", "west", "northeast"):
        target = published_value(f"software_revenue_share_{group}", 2024)
        # MIIT shares sum to 0.999; 0.02 absolute is well under the smallest group's distance to its neighbour
        assert share[group] == pytest.approx(target, abs=0.02), (group, share.to_dict())


def test_engineer_training_near_80000_a_year():
    spec = load_scenario(default_scenario_path().parent / "action_plan.toml")
    runs = talentsim.run(spec, seed=1, replicates=5).timeseries
    trainees = national_series(runs, "new_trainees_engineer")
    per_year = trainees.groupby(pd.to_datetime(trainees.index).year).sum().loc[[2025, 2026]]  # window starts 2024-04
    target = published_value("digital_engineer_training_target", 2024)
    # 40 person-agents a year at the default scale: 5 replicates x 2 years give a s.e. of ~5 %
    assert float(per_year.to_numpy().mean()) == pytest.approx(target, rel=0.15), per_year.to_dict()
