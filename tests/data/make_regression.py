"""Write the stored regression tables that tests/test_regression.py compares runs against.

Run it only when a change is meant to alter results (a model change, not an optimisation), and
say so in the commit: ``python tests/data/make_regression.py``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from talentsim.experiment import run_one
from talentsim.scenario import load_scenario

HERE = Path(__file__).parent
SCENARIOS = HERE.parents[1] / "scenarios"
CASES = {"baseline": "baseline.toml", "action_plan": "action_plan.toml"}
SCALE, END, SEED = 20000.0, "2024-12", 7


def regression_run(name: str) -> pd.DataFrame:
    """The run that is stored for one case."""
    spec = load_scenario(SCENARIOS / CASES[name]).with_updates(scale=SCALE, horizon__end=END)
    return run_one(spec, SEED)


if __name__ == "__main__":
    for name in CASES:
        path = HERE / f"regression_{name}.parquet"
        regression_run(name).to_parquet(path, index=False)
        print("wrote", path)
