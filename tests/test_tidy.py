"""Selections of total rows, and the headline lists, come from one place each."""

from __future__ import annotations

import pandas as pd

from talentsim import catalogue, compare, plotting, summary
from talentsim.experiment import run_one
from talentsim.tidy import TOTAL, national, totals

from .conftest import small


def _table() -> pd.DataFrame:
    rows = [
        ("all", "all", "all", "n_digital_talent", 10.0),
        ("West", "all", "all", "n_digital_talent", 4.0),
        ("all", "ai", "all", "n_digital_talent", 3.0),
        ("all", "all", "5", "n_digital_talent", 2.0),
        ("West", "ai", "all", "n_digital_talent", 1.0),
        ("all", "all", "all", "unemployment_rate", 0.05),
    ]
    return pd.DataFrame(rows, columns=["region", "field", "level", "metric", "value"])


def test_totals_keep_rows_that_total_over_fields_and_levels():
    table = _table()
    assert national(table)["value"].tolist() == [10.0, 0.05]
    assert national(table, "n_digital_talent")["value"].tolist() == [10.0]
    assert totals(table, national=False)["value"].tolist() == [10.0, 4.0, 0.05]
    assert (totals(table)[["region", "field", "level"]] == TOTAL).all().all()


def test_totals_of_a_real_run_are_one_row_per_month_and_metric():
    tiny_table = run_one(small(horizon__end="2024-02"), 1)
    nat = national(tiny_table)
    assert not nat.duplicated(["date", "metric"]).any()
    assert set(nat["region"]) == {"all"}
    regional = totals(tiny_table, national=False)
    assert set(regional["region"]) > {"all"} and set(regional["field"]) == {"all"}


def test_headline_lists_are_the_catalogue_s():
    assert summary.HEADLINE is catalogue.HEADLINE_OUTCOMES
    assert compare.HEADLINE_EFFECTS is catalogue.HEADLINE_EFFECTS
    assert plotting.FOREST_METRICS is catalogue.HEADLINE_EFFECTS
    assert all(catalogue.is_known(m) for m in catalogue.HEADLINE_OUTCOMES + catalogue.HEADLINE_EFFECTS)
