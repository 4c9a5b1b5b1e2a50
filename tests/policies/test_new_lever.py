"""Adding a lever is one module and one scenario table: nothing else changes, and the new lever
validates, runs, costs, appears in docs/levers.md and goes through the lever tests."""

from __future__ import annotations

import importlib
import sys

import pytest

from talentsim import catalogue, lever_docs
from talentsim.cli import main
from talentsim.experiment import run_one
from talentsim.policies import LEVER_NAMES, LEVERS, lever_names, unregister_lever
from talentsim.scenario import ScenarioError, load_scenario

from .test_levers import check_first_outcome, check_window_outside_the_horizon, check_zero_intensity, national

MODULE = '''
"""A study's own measure: job fairs that make hiring in covered regions more efficient."""

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies import FirstOutcome, Lever, LeverSpec, UnitCost, register_lever


class JobFairsSpec(LeverSpec):
    """Job fairs in covered regions."""

    type: Literal["job_fairs"]
    efficiency_increase: float = Field(0.3, ge=0.0, le=5.0, description="relative rise of matching efficiency")
    cost_per_month: float = Field(1_000_000, ge=0.0, description="public cost of the fairs a month, yuan")


class JobFairs(Lever):
    """Job fairs.

    Plan clause: none; a measure of a study's own.

    Units: a relative rise of the matching efficiency. Mechanism: hires rise in covered regions.
    Cost: ``cost_per_month`` a month, spread over the covered regions.
    """

    name = "job_fairs"
    spec_class = JobFairsSpec
    clause = "study 1"
    title_zh = "招聘会"
    title_en = "Job fairs"
    neutral: ClassVar[Mapping[str, Any]] = {"efficiency_increase": 0.0}
    first_outcome = FirstOutcome("new_hires", "sum", scale=20000.0, note="hires in a year and a half")
    unit_costs = (UnitCost("cost_per_month", "guess", "100,000-2,000,000", "hall, staff and publicity"),)

    def apply(self, fx: Effects) -> None:
        s = self.spec
        fx.matching_factor *= self.factor(1.0 + s.efficiency_increase)
        if s.efficiency_increase > 0 and s.cost_per_month > 0:
            self.charge(s.cost_per_month)


register_lever(JobFairs)
'''

TABLE = """\
base = "baseline"
name = "job_fairs"
scale = 20000.0

[horizon]
end = "2024-12"

[[policy]]
type = "job_fairs"
regions = ["West", "Central"]
cost_per_month = 2000000
"""


@pytest.fixture
def job_fairs(tmp_path, monkeypatch):
    """The new lever's module, written to a folder of its own and imported; removed afterwards."""
    (tmp_path / "job_fairs_lever.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("job_fairs_lever")
    yield tmp_path
    unregister_lever("job_fairs")
    sys.modules.pop("job_fairs_lever", None)


def test_a_lever_unknown_before_it_is_registered(tmp_path):
    path = tmp_path / "fairs.toml"
    path.write_text(TABLE, encoding="utf-8")
    with pytest.raises(ScenarioError, match="unknown lever type 'job_fairs'"):
        load_scenario(path)


def test_a_new_lever_is_one_module_and_one_table(job_fairs, capsys):
    assert "job_fairs" in LEVERS and "job_fairs" in lever_names()
    path = job_fairs / "fairs.toml"
    path.write_text(TABLE, encoding="utf-8")

    # validates, from Python and from the command line
    spec = load_scenario(path)
    assert spec.policy[0].cost_per_month == 2_000_000
    assert main(["validate", str(path)]) == 0
    bad = job_fairs / "bad.toml"
    bad.write_text(TABLE.replace("cost_per_month = 2000000", "cost_per_month = -1"), encoding="utf-8")
    assert main(["validate", str(bad)]) == 2
    assert "policy[0].cost_per_month" in capsys.readouterr().err

    # runs and costs: 2 M yuan a month from April to December, split over the covered regions
    table = run_one(spec, 1)
    cost = national(table, "cum_policy_cost_job_fairs")
    assert cost.iloc[2] == 0 and cost.iloc[-1] == 9 * 2_000_000
    by_region = table[(table["metric"] == "cum_policy_cost_job_fairs") & (table["date"] == table["date"].max())]
    spent = by_region.set_index("region")["value"]
    assert spent["West"] > 0 and spent["Central"] > 0 and spent["Beijing"] == 0
    assert (national(table, "cum_policy_cost") == cost).all()
    assert catalogue.label("cum_policy_cost_job_fairs", "zh") == "累计公共支出：招聘会"

    # appears in docs/levers.md as generated
    text = lever_docs.render()
    assert "## `job_fairs`" in text and "study 1 招聘会: Job fairs." in text
    assert "| `job_fairs` | `cost_per_month` | 1,000,000 | guess | 100,000-2,000,000 |" in text
    assert "| `job_fairs` | `new_hires` (hires in a year and a half) |" in text


def test_a_new_lever_goes_through_the_lever_tests(job_fairs):
    check_zero_intensity("job_fairs")
    check_window_outside_the_horizon("job_fairs")
    check_first_outcome("job_fairs")


def test_registering_the_same_lever_again_changes_nothing(job_fairs):
    before = list(LEVERS)
    module = sys.modules["job_fairs_lever"]
    module.register_lever(module.JobFairs)
    assert list(LEVERS) == before == [*LEVER_NAMES, "job_fairs"]  # after the plan's measures


def test_a_new_lever_is_in_mesas_datacollector(job_fairs):
    """The DataCollector's reporters follow the registry at model construction, like the tidy table."""
    from talentsim.metrics import all_metrics
    from talentsim.model import TalentModel
    from talentsim.sweep.spec import OutcomeSettings

    path = job_fairs / "fairs.toml"
    path.write_text(TABLE.replace("scale = 20000.0", "scale = 50000.0").replace("2024-12", "2024-05"), encoding="utf-8")
    model = TalentModel(load_scenario(path), rng=1).run()
    collected = model.datacollector.get_model_vars_dataframe()
    assert "cum_policy_cost_job_fairs" in collected.columns
    table = model.metrics.to_frame()
    assert collected["cum_policy_cost_job_fairs"].tolist() == national(table, "cum_policy_cost_job_fairs").tolist()
    assert collected["cum_policy_cost_job_fairs"].iloc[-1] == 2 * 2_000_000  # April and May
    # the other readers of the metric list know it too
    assert "cum_policy_cost_job_fairs" in all_metrics()
    assert OutcomeSettings(metrics=["cum_policy_cost_job_fairs"]).metrics == ["cum_policy_cost_job_fairs"]
