"""Mesa's own batch_run still works on TalentModel, as docs/sweeps.md says."""

from __future__ import annotations

import mesa
import pandas as pd

from talentsim.model import TalentModel


def test_mesa_batch_run_varies_scenario_fields_by_keyword_overrides():
    params = {"scale": 20000.0, "horizon__end": "2024-03", "processes__matching__alpha": [0.4, 0.6]}
    rows = mesa.batch_run(TalentModel, params, rng=[1, 2], max_steps=100, display_progress=False)
    df = pd.DataFrame(rows)
    assert len(df) == 4 and set(df["Step"]) == {3}
    assert sorted(df["processes__matching__alpha"].unique()) == [0.4, 0.6]
    assert df["n_digital_talent"].gt(0).all() and df["n_digital_talent"].nunique() > 1
