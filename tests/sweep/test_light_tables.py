"""A sweep run builds only its outcome metrics' rows; its outcomes equal those cut from the whole table."""

from __future__ import annotations

import pandas as pd

from talentsim.model import TalentModel
from talentsim.scenario import default_scenario
from talentsim.sweep.outcomes import extract_outcomes

METRICS = ["n_digital_talent", "new_hires", "unemployment_rate"]


def test_outcomes_from_the_light_table_equal_those_from_the_whole_table():
    model = TalentModel(default_scenario().with_updates(scale=40000.0, horizon__end="2024-08"), rng=2).run()
    whole, light = model.metrics.to_frame(), model.metrics.to_frame(metrics=METRICS)
    expected = whole[whole["metric"].isin(METRICS)].reset_index(drop=True)
    pd.testing.assert_frame_equal(light, expected, check_exact=True)
    assert len(light) < len(whole) / 10
    for args in ((["all", "West"], ["2024-03", "2024-08"], 3), (["all"], [], 12)):
        pd.testing.assert_frame_equal(
            extract_outcomes(light, METRICS, *args), extract_outcomes(whole, METRICS, *args), check_exact=True
        )
