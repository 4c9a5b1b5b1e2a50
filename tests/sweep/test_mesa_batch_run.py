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


def test_mesa_batch_run_varies_a_lever_parameter_by_the_same_path_grammar():
    """``policy__<type>__<param>`` reaches the scenario's [[policy]] table of that type."""
    from pathlib import Path

    plan = Path(__file__).resolve().parents[2] / "scenarios" / "action_plan.toml"
    params = {
        "scenario": str(plan),
        "scale": 20000.0,
        "horizon__end": "2024-05",
        "policy__funding__coverage": [0.0, 1.0],
    }
    rows = mesa.batch_run(TalentModel, params, rng=[1], max_steps=100, display_progress=False)
    df = pd.DataFrame(rows).set_index("policy__funding__coverage")
    assert sorted(df.index) == [0.0, 1.0]
    # funding pays subsidies from 2024-04 in proportion to its coverage: none at coverage 0
    assert df.loc[0.0, "cum_policy_cost_funding"] == 0.0 < df.loc[1.0, "cum_policy_cost_funding"]
    assert df.loc[1.0, "cum_policy_cost"] > df.loc[0.0, "cum_policy_cost"]
