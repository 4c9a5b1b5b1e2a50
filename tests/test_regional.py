"""The published regional trends and the spatial-balance targets of the calibration file agree."""

from pathlib import Path

import pandas as pd
import pytest

from talentsim.calibrate import load_calibration
from talentsim.regional import REGIONAL_POPULATION, population_table, share_growth
from talentsim.scenario import default_scenario

ROOT = Path(__file__).resolve().parents[1]


def test_population_file_covers_every_region_with_a_publisher():
    data = pd.read_csv(REGIONAL_POPULATION)
    assert data["publisher"].notna().all()
    assert set(population_table().columns) == set(default_scenario().regions)


def test_share_growth_compounds_the_published_trend():
    pop = population_table()
    share = pop.div(pop.sum(axis=1), axis=0)
    two_years = share_growth(24)
    assert two_years["Northeast"] == pytest.approx(share.loc[2023, "Northeast"] / share.loc[2021, "Northeast"])
    assert share_growth(48)["Northeast"] == pytest.approx(two_years["Northeast"] ** 2)


def test_calibration_targets_are_the_published_trends():
    """Each labour-force target value is the data file's share trend over 2024-01..2026-12 (35 months)."""
    cal = load_calibration(ROOT / "calibrations" / "baseline.toml")
    trend = share_growth(35)
    growth = [(t, y) for t, y in zip(cal.spec.target, cal.observed, strict=True) if t.aggregate == "growth"]
    assert {t.region for t, _ in growth} == set(default_scenario().regions)
    for t, observed in growth:
        assert t.metric == "n_labour_force" and t.relative_to_national and t.year == 2026
        assert observed == pytest.approx(trend[t.region], abs=1e-5), t.region
