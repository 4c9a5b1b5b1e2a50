"""The scenario model as a function from inputs to outcomes, and the outcomes kept from a run.

A run's tidy table (:func:`talentsim.experiment.run_one`) is cut down to the selected metrics,
regions and months:

- stocks (``n_``), rates and shares, and cumulative values (``cum_``) are taken at the month;
- monthly flows (``new_``) are summed over the ``flow_months`` months ending at the month (12 by
  default, or from the horizon's start if that is shorter); ``period`` says which months.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from talentsim import tidy
from talentsim.overrides import PathParts, set_at
from talentsim.scenario import Scenario, validate_scenario

OUTCOME_COLUMNS: tuple[str, ...] = ("metric", "region", "date", "period", "value")

def _month(ts: pd.Series) -> pd.Series:
    """``YYYY-MM`` of each date, formatted once per distinct date (a run has one per month)."""
    codes, uniques = pd.factorize(ts, sort=True)
    return pd.Series(pd.DatetimeIndex(uniques).strftime("%Y-%m").to_numpy()[codes], index=ts.index)


def extract_outcomes(
    ts: pd.DataFrame,
    metrics: Sequence[str],
    regions: Sequence[str] = ("all",),
    dates: Sequence[str] = (),
    flow_months: int = 12,
) -> pd.DataFrame:
    """The selected outcomes of one run's tidy table.

    Args:
        ts: a run's tidy table (columns date, region, field, level, metric, value).
        metrics: metrics to keep.
        regions: ``"all"`` for national values and/or region names.
        dates: months as ``YYYY-MM``; empty for the last month of the run.
        flow_months: months a ``new_`` flow is summed over, ending at each date.

    Returns:
        Columns metric, region, date, period, value; rows in the order of ``metrics``,
        ``regions`` and ``dates``. Combinations the run does not record are left out.

    Raises:
        ValueError: a date outside the run's horizon.
    """
    sel = tidy.totals(ts, national=False)
    sel = sel[sel["metric"].isin(metrics) & sel["region"].isin(regions)]
    months = sorted(_month(ts["date"]).unique())
    first, last = months[0], months[-1]
    want = list(dates) or [last]
    for d in want:
        if d not in months:
            raise ValueError(f"outcome date {d} is outside the run's horizon {first} to {last}")
    sel = sel.assign(month=_month(sel["date"]))
    pos = {m: i for i, m in enumerate(months)}
    rows = []
    for d in want:
        end = pos[d]
        start = max(0, end - flow_months + 1)
        window = set(months[start : end + 1])
        stock = sel[~sel["metric"].str.startswith("new_") & (sel["month"] == d)]
        stock = stock[["metric", "region", "value"]].assign(date=d, period=d)
        flow = sel[sel["metric"].str.startswith("new_") & sel["month"].isin(window)]
        flow = flow.groupby(["metric", "region"], sort=False, observed=True)["value"].sum().reset_index()
        flow = flow.assign(date=d, period=f"{months[start]} to {d}")
        rows += [stock, flow]
    out = pd.concat(rows, ignore_index=True)
    order = {
        "metric": {m: i for i, m in enumerate(metrics)},
        "region": {r: i for i, r in enumerate(regions)},
        "date": {d: i for i, d in enumerate(want)},
    }
    key = pd.DataFrame({c: out[c].map(order[c]) for c in order})
    out = out.iloc[key.sort_values(["metric", "region", "date"], kind="stable").index]
    out = out[list(OUTCOME_COLUMNS)].reset_index(drop=True)
    for c in ("metric", "region", "date", "period"):
        out[c] = out[c].astype(str)
    out["value"] = out["value"].astype("float64")
    return out


@dataclass(frozen=True)
class ScenarioModel:
    """The simulator as a function of a sweep's inputs: ``model(seed=1, **inputs)`` -> outcomes.

    Picklable (plain data only), so the same object runs in local processes and on Dask workers.

    Attributes:
        base: the base scenario, as ``Scenario.model_dump(mode="python")``, with fixed values set.
        paths: for each input name, its resolved location in ``base``.
        metrics: metrics to keep.
        regions: ``"all"`` and/or region names.
        dates: months to keep (empty: the last month).
        flow_months: months a ``new_`` flow is summed over.
        label: what validation errors name.
    """

    base: dict[str, Any]
    paths: Mapping[str, PathParts]
    metrics: tuple[str, ...]
    regions: tuple[str, ...] = ("all",)
    dates: tuple[str, ...] = ()
    flow_months: int = 12
    label: str = "<sweep>"

    def scenario(self, inputs: Mapping[str, Any]) -> Scenario:
        """The validated scenario of one point.

        Raises:
            ScenarioError: the inputs together make an invalid scenario.
        """
        data = copy.deepcopy(self.base)
        for name, value in inputs.items():
            set_at(data, self.paths[name], value)
        return validate_scenario(data, f"{self.label} (inputs {dict(inputs)})")

    def __call__(self, /, *, seed: int = 1, **inputs: Any) -> pd.DataFrame:
        """Run the scenario of ``inputs`` on ``seed`` and return its selected outcomes."""
        from talentsim.model import TalentModel

        model = TalentModel(self.scenario(inputs), rng=seed).run()
        ts = model.metrics.to_frame(metrics=self.metrics)  # only the rows the outcomes are cut from
        return extract_outcomes(ts, self.metrics, self.regions, self.dates, self.flow_months)

    def fingerprint(self) -> dict[str, Any]:
        """What makes two models the same: base scenario, paths and outcome selection."""
        from talentsim import __version__

        return {
            "base": validate_scenario(copy.deepcopy(self.base)).digest(),
            "paths": {k: list(v) for k, v in self.paths.items()},
            "metrics": list(self.metrics),
            "regions": list(self.regions),
            "dates": list(self.dates),
            "flow_months": self.flow_months,
            "talentsim_version": __version__,
        }
