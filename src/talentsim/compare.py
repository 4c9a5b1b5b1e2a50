"""Scenarios against a baseline on common random numbers, and their paired effects.

:func:`compare` runs a baseline and each scenario on the same seeds: replicate ``i`` of every
scenario uses seed ``seed + i``. Each process draws from its own stream derived from (seed,
process name), so a lever perturbs only the draws it touches, and the difference between a
scenario's replicate and the baseline's replicate on the same seed (a *paired difference*) has
far less noise than the difference of two independent runs.

An *effect* is summarised over replicates as the median and the mean of the paired differences
and their 10th and 90th percentiles. The median of the differences is in general not the difference
of the medians; both medians are given beside it, and the folder's README.md says so with an
example from the comparison itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from talentsim import catalogue, tidy
from talentsim.experiment import Result, replicate_seeds
from talentsim.inference import DEFAULT_LEVEL, check_level, excludes_zero, mean_interval, ratio_interval
from talentsim.limits import check_replicates, check_scenario
from talentsim.scenario import Scenario, ScenarioError, load_scenario

QUANTILES = (0.1, 0.9)
# Derived national metric: high-level digital talent, n_digital_talent x high_level_share.
HIGH_LEVEL_TALENT = "n_high_level_talent"
# Outcomes of the printed table and of the forest plot.
HEADLINE_EFFECTS: tuple[str, ...] = catalogue.HEADLINE_EFFECTS
EFFECT_COLUMNS: tuple[str, ...] = (
    "scenario",
    "metric",
    "region",
    "date",
    "baseline_median",
    "scenario_median",
    "effect_median",
    "effect_mean",
    "effect_low",
    "effect_high",
    "effect_mean_ci_low",
    "effect_mean_ci_high",
    "paired_replicates",
)
COST_COLUMNS: tuple[str, ...] = (
    "scenario",
    "horizon_end",
    "cost_to_horizon",
    "additional_digital_talent",
    "additional_digital_talent_low",
    "additional_digital_talent_high",
    "additional_high_level_talent",
    "additional_high_level_talent_low",
    "additional_high_level_talent_high",
    "cost_per_additional_talent",
    "cost_per_additional_high_level_talent",
    "deadweight_share",
    "deadweight_by_lever",
    # confidence (level in metadata.json): mean paired effects with t intervals, ratio intervals by bootstrap
    "paired_replicates",
    "cost_to_horizon_mean",
    "cost_to_horizon_ci_low",
    "cost_to_horizon_ci_high",
    "additional_digital_talent_mean",
    "additional_digital_talent_ci_low",
    "additional_digital_talent_ci_high",
    "additional_high_level_talent_mean",
    "additional_high_level_talent_ci_low",
    "additional_high_level_talent_ci_high",
    "digital_talent_distinguishable",
    "high_level_talent_distinguishable",
    "cost_per_additional_talent_ci_low",
    "cost_per_additional_talent_ci_high",
    "cost_per_additional_high_level_talent_ci_low",
    "cost_per_additional_high_level_talent_ci_high",
)

# Units (catalogue unit keys) of the cost-effectiveness columns.
COLUMN_UNITS: dict[str, str] = {
    "cost_to_horizon": "yuan",
    "additional_digital_talent": "people",
    "additional_digital_talent_low": "people",
    "additional_digital_talent_high": "people",
    "additional_high_level_talent": "people",
    "additional_high_level_talent_low": "people",
    "additional_high_level_talent_high": "people",
    "cost_per_additional_talent": "yuan_person",
    "cost_per_additional_high_level_talent": "yuan_person",
    "cost_to_horizon_mean": "yuan",
    "cost_to_horizon_ci_low": "yuan",
    "cost_to_horizon_ci_high": "yuan",
    "additional_digital_talent_mean": "people",
    "additional_digital_talent_ci_low": "people",
    "additional_digital_talent_ci_high": "people",
    "additional_high_level_talent_mean": "people",
    "additional_high_level_talent_ci_low": "people",
    "additional_high_level_talent_ci_high": "people",
    "cost_per_additional_talent_ci_low": "yuan_person",
    "cost_per_additional_talent_ci_high": "yuan_person",
    "cost_per_additional_high_level_talent_ci_low": "yuan_person",
    "cost_per_additional_high_level_talent_ci_high": "yuan_person",
}

ScenarioLike = Scenario | str | Path


def cost_per_gain(cost: float, gain: float) -> float:
    """Cost per unit of gain, or NaN where the ratio would mislead.

    The ratio is NaN when the gain is not above zero (no gain to pay for: a negative or infinite
    ratio would read as a bargain), when the cost is negative (a saving, whose ratio would read as a
    negative price) or when either is missing.
    """
    if not (np.isfinite(cost) and np.isfinite(gain)) or gain <= 0 or cost < 0:
        return float("nan")
    return float(cost / gain)


def deadweight_shares(baseline_ts: pd.DataFrame, scenario_ts: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per lever, the share of its paid units that would have happened without it.

    For each lever of ``scenario`` that pays for units of a flow that also happens in the baseline
    (``Lever.paid_flow``: returnees supported, packages for high-level arrivals, subsidised
    enrolments, founders supported, certificates evaluated), the flow is summed over the lever's
    window (within the horizon) and covered regions in each replicate, in the scenario and in the
    baseline on the same seed; the share is min(baseline, scenario) / scenario, the units paid for
    that the baseline had too. *Simplification:* the comparison is of counts, not persons: it
    assumes the lever adds to the flow without preventing units that would have happened, which
    makes it the share of paid units that would have happened anyway.

    Returns:
        One row per such lever: ``lever``, ``paid_units`` (median over replicates, people),
        ``deadweight_share`` (median over replicates) and its 10th and 90th percentiles.
    """
    from talentsim.policies import LEVERS

    lo, hi = QUANTILES
    rows = []
    for spec in scenario.policy:
        flow = LEVERS[spec.type][1].paid_flow
        if flow is None:
            continue
        start, end = pd.Timestamp(f"{spec.start}-01"), pd.Timestamp(f"{spec.end}-01")

        def total(
            ts: pd.DataFrame, flow: str = flow, spec: Any = spec, start: Any = start, end: Any = end
        ) -> pd.Series:
            sel = tidy.totals(ts, national=False)
            sel = sel[sel["metric"] == flow]
            sel = sel[(pd.to_datetime(sel["date"]) >= start) & (pd.to_datetime(sel["date"]) <= end)]
            regions = sel["region"] != "all" if spec.regions is None else sel["region"].isin(spec.regions)
            return sel[regions].groupby("replicate")["value"].sum()

        paid, base = total(scenario_ts), total(baseline_ts)
        paid, base = paid.align(base, join="inner")
        share = (np.minimum(base, paid) / paid.where(paid > 0)).dropna()
        rows.append(
            {
                "lever": spec.type,
                "paid_units": float(paid.median()) if len(paid) else float("nan"),
                "deadweight_share": float(share.median()) if len(share) else float("nan"),
                "deadweight_share_low": float(share.quantile(lo)) if len(share) else float("nan"),
                "deadweight_share_high": float(share.quantile(hi)) if len(share) else float("nan"),
            }
        )
    return pd.DataFrame(
        rows, columns=["lever", "paid_units", "deadweight_share", "deadweight_share_low", "deadweight_share_high"]
    )


def _stats(base: pd.DataFrame, scen: pd.DataFrame, level: float = DEFAULT_LEVEL) -> pd.DataFrame:
    """Medians, paired-difference bands and the interval of the mean effect of two (key x replicate) tables.

    ``effect_mean_ci_low``/``_high`` are the t interval of the mean paired difference at ``level``
    (:func:`talentsim.inference.mean_interval`); ``paired_replicates`` counts the pairs with both values.
    """
    base, scen = base.align(scen, join="outer")
    diff = scen - base
    lo, hi = QUANTILES
    ci = mean_interval(diff, level)
    return pd.DataFrame(
        {
            "baseline_median": base.median(axis=1),
            "scenario_median": scen.median(axis=1),
            "effect_median": diff.median(axis=1),
            "effect_mean": diff.mean(axis=1),
            "effect_low": diff.quantile(lo, axis=1),
            "effect_high": diff.quantile(hi, axis=1),
            "effect_mean_ci_low": ci["low"],
            "effect_mean_ci_high": ci["high"],
            "paired_replicates": ci["n"],
        }
    )


def _totals(ts: pd.DataFrame) -> pd.DataFrame:
    """Rows that are totals over fields and levels (national and regional)."""
    return tidy.totals(ts, national=False)


def _wide(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Values as a table with ``keys`` as rows and replicates as columns."""
    return rows.set_index([*keys, "replicate"])["value"].unstack("replicate")


def _sort(table: pd.DataFrame, orders: dict[str, list[str] | None]) -> pd.DataFrame:
    """Rows sorted by the given columns, each in the listed order of its values (None: natural order)."""

    def key(col: pd.Series) -> pd.Series:
        order = orders[str(col.name)]
        return col if order is None else col.map({v: i for i, v in enumerate(order)})

    return table.sort_values(list(orders), key=key, kind="stable").reset_index(drop=True)


def _file_name(label: str) -> str:
    """A file-name-safe form of a scenario label."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", label).strip("._") or "scenario"


def _unique_labels(names: Iterable[str]) -> list[str]:
    """Names made unique by a suffix ``_2``, ``_3``, ... on repeats (first one kept as is)."""
    seen: set[str] = set()
    out = []
    for name in names:
        label, k = name, 1
        while label in seen or _file_name(label).lower() in {_file_name(s).lower() for s in seen}:
            k += 1
            label = f"{name}_{k}"
        seen.add(label)
        out.append(label)
    return out


def _relabel(result: Result, label: str) -> Result:
    if set(result.timeseries["scenario"].unique()) == {label}:
        return result
    table = result.timeseries.copy()
    table["scenario"] = pd.array([label] * len(table), dtype="string")
    return Result(result.scenario, list(result.seeds), table, result.wall_seconds, dict(result.extra))


def _source(result: Result) -> str:
    return str(result.extra.get("source", f"<scenario {result.scenario.name!r}>"))


def check_comparable(baseline: Scenario, scenario: Scenario, *, source: str, baseline_source: str) -> None:
    """Refuse a scenario that cannot be paired month by month with the baseline.

    They must share the horizon (so every month has a pair), the regions in the same order (so
    regional rows pair up) and the scale (so both simulate the same population).

    Raises:
        ScenarioError: naming the scenario's file, the field and what was expected.
    """
    b, s = baseline.horizon, scenario.horizon
    if (s.start, s.end) != (b.start, b.end):
        raise ScenarioError(
            source,
            [
                (
                    "horizon",
                    f"runs {s.start} to {s.end}; expected the baseline's horizon {b.start} to {b.end} "
                    f"({baseline_source}), since effects pair the two month by month; "
                    "compare it with a baseline over the same months",
                )
            ],
        )
    if scenario.region_names != baseline.region_names:
        raise ScenarioError(
            source,
            [("regions", f"expected the baseline's regions in its order: {', '.join(baseline.region_names)}")],
        )
    if scenario.scale != baseline.scale:
        raise ScenarioError(
            source,
            [
                (
                    "scale",
                    f"expected the baseline's scale {baseline.scale:g} ({baseline_source}), got {scenario.scale:g}",
                )
            ],
        )


@dataclass
class Comparison:
    """Scenarios run against a baseline on the same seeds, and their paired effects.

    Attributes:
        baseline: the baseline's result.
        results: each scenario's result by name (names made unique, with ``_2``... on repeats).
        extra: more entries for ``metadata.json`` (such as the overrides applied).
        level: the confidence level of the intervals of mean effects and cost ratios (a fraction;
            see :mod:`talentsim.inference`); change it with :meth:`with_level`.
    """

    baseline: Result
    results: dict[str, Result]
    extra: dict[str, Any] = field(default_factory=dict)
    level: float = DEFAULT_LEVEL

    def __post_init__(self) -> None:
        check_level(self.level)

    def with_level(self, level: float) -> Comparison:
        """The same comparison with intervals at another confidence level (nothing is rerun)."""
        return Comparison(self.baseline, dict(self.results), dict(self.extra), check_level(level))

    @classmethod
    def concat(cls, parts: Sequence[Comparison]) -> Comparison:
        """Comparisons of the same scenarios on successive seeds, as one.

        See :func:`talentsim.combine.concat_comparisons`.
        """
        from talentsim.combine import concat_comparisons

        return concat_comparisons(parts)

    @classmethod
    def from_results(cls, baseline: Result, results: Sequence[Result] | Mapping[str, Result]) -> Comparison:
        """Pair results already run (for instance, one scenario against two references).

        Raises:
            ValueError: the results were not run on the baseline's seeds.
            ScenarioError: a scenario does not share the baseline's horizon, regions or scale.
        """
        items = list(results.values()) if isinstance(results, Mapping) else list(results)
        base_label = str(baseline.timeseries["scenario"].iloc[0]) if len(baseline.timeseries) else "baseline"
        labels = _unique_labels([base_label, *(r.scenario.name for r in items)])
        out: dict[str, Result] = {}
        for label, res in zip(labels[1:], items, strict=True):
            if list(res.seeds) != list(baseline.seeds):
                raise ValueError(
                    f"{_source(res)}: run on seeds {res.seeds}; expected the baseline's seeds {baseline.seeds} "
                    "(paired differences need common seeds)"
                )
            check_comparable(baseline.scenario, res.scenario, source=_source(res), baseline_source=_source(baseline))
            out[label] = _relabel(res, label)
        return cls(_relabel(baseline, labels[0]), out)

    # --- what was run ---------------------------------------------------------------------

    @property
    def baseline_name(self) -> str:
        """The baseline's label in the tables."""
        return str(self.baseline.timeseries["scenario"].iloc[0])

    @property
    def names(self) -> list[str]:
        """The scenarios' labels, in the order given (baseline not included)."""
        return list(self.results)

    @property
    def seeds(self) -> list[int]:
        """The seed of each replicate, shared by all scenarios."""
        return list(self.baseline.seeds)

    @property
    def horizon_end(self) -> pd.Timestamp:
        """The last simulated month."""
        return pd.Timestamp(self.baseline.timeseries["date"].max())

    @property
    def timeseries(self) -> pd.DataFrame:
        """The baseline's and every scenario's tidy tables, concatenated."""
        return pd.concat([self.baseline.timeseries, *(r.timeseries for r in self.results.values())], ignore_index=True)

    # --- effects --------------------------------------------------------------------------

    @cached_property
    def effects(self) -> pd.DataFrame:
        """Paired effects for every metric, region and month (totals over fields and levels).

        Columns: scenario, metric, region, date, baseline_median, scenario_median, effect_median,
        effect_mean, effect_low, effect_high, effect_mean_ci_low, effect_mean_ci_high, replicates.
        ``effect_*`` are the median, the mean and the 10th and 90th percentiles of scenario −
        baseline over replicates, the two taken on the same seed; the median of the differences is
        in general not scenario_median − baseline_median. ``effect_mean_ci_*`` is the t interval of
        the mean paired difference at :attr:`level`; ``paired_replicates`` the pairs behind the row.
        """
        keys = ["metric", "region", "date"]
        base_rows = _totals(self.baseline.timeseries)
        base = _wide(base_rows, keys)
        metric_order = dict.fromkeys(base_rows["metric"])
        region_order = dict.fromkeys(base_rows["region"])
        frames = []
        for label, res in self.results.items():
            stats = _stats(base, _wide(_totals(res.timeseries), keys), self.level).reset_index()
            stats.insert(0, "scenario", label)
            frames.append(stats)
        if not frames:
            return pd.DataFrame({c: [] for c in EFFECT_COLUMNS})
        out = _sort(
            pd.concat(frames, ignore_index=True),
            {"scenario": list(self.results), "metric": list(metric_order), "region": list(region_order), "date": None},
        )
        for col in ("scenario", "metric", "region"):
            out[col] = out[col].astype("string")
        return out[list(EFFECT_COLUMNS)].reset_index(drop=True)

    def _end_values(self, result: Result, region: str) -> pd.DataFrame:
        """Each metric at the last month as a (metric x replicate) table, with the derived high-level count."""
        ts = _totals(result.timeseries)
        rows = ts[(ts["date"] == self.horizon_end) & (ts["region"] == region)]
        wide = _wide(rows, ["metric"])
        if {"n_digital_talent", "high_level_share"} <= set(wide.index):
            wide.loc[HIGH_LEVEL_TALENT] = wide.loc["n_digital_talent"] * wide.loc["high_level_share"]
        return wide

    def horizon_differences(self, metrics: Sequence[str] | None = None, region: str = "all") -> pd.DataFrame:
        """Replicate by replicate values at the last month and their paired differences.

        Args:
            metrics: which metrics (default all); ``n_high_level_talent`` is n_digital_talent x
                high_level_share.
            region: ``"all"`` for national values, or a region's name.

        Returns:
            Columns scenario, replicate, seed, metric, baseline_value, scenario_value, difference.
        """
        base = self._select_end(self.baseline, metrics, region)
        cols = ["scenario", "replicate", "seed", "metric", "baseline_value", "scenario_value", "difference"]
        frames = []
        for label, res in self.results.items():
            scen = self._end_values(res, region).reindex(index=base.index, columns=base.columns)
            long = pd.DataFrame(
                {"baseline_value": base.stack(future_stack=True), "scenario_value": scen.stack(future_stack=True)}
            ).reset_index()
            long["difference"] = long["scenario_value"] - long["baseline_value"]
            long["scenario"] = label
            frames.append(long)
        if not frames:
            return pd.DataFrame({c: [] for c in cols})
        out = pd.concat(frames, ignore_index=True)
        out["seed"] = out["replicate"].map(dict(enumerate(self.seeds)))
        return out[cols]

    def _select_end(self, result: Result, metrics: Sequence[str] | None, region: str) -> pd.DataFrame:
        values = self._end_values(result, region)
        if metrics is None:
            return values
        missing = [m for m in metrics if m not in values.index]
        if missing:
            raise KeyError(f"no metric {missing[0]!r} at the horizon in region {region!r}")
        return values.loc[list(metrics)]

    def horizon_effects(self, metrics: Sequence[str] | None = None, region: str = "all") -> pd.DataFrame:
        """Paired effects at the last month, in the columns of :attr:`effects`.

        Unlike :attr:`effects` this also offers ``n_high_level_talent`` (see
        :meth:`horizon_differences`).
        """
        base = self._select_end(self.baseline, metrics, region)
        frames = []
        for label, res in self.results.items():
            stats = _stats(base, self._end_values(res, region).reindex(index=base.index), self.level).reset_index()
            stats = stats.set_index("metric").loc[base.index].reset_index()
            stats.insert(0, "scenario", label)
            stats.insert(2, "region", region)
            stats.insert(3, "date", self.horizon_end)
            frames.append(stats)
        if not frames:
            return pd.DataFrame({c: [] for c in EFFECT_COLUMNS})
        return pd.concat(frames, ignore_index=True)[list(EFFECT_COLUMNS)]

    def yearly_effects(self, metrics: Sequence[str], region: str = "all") -> pd.DataFrame:
        """Paired effects by calendar year.

        Flows (``new_``) are summed over the year's simulated months; every other metric is taken
        at the year's last simulated month.

        Returns:
            Columns scenario, metric, region, year, months (simulated months in the year),
            baseline_median, scenario_median, effect_median, effect_mean, effect_low, effect_high,
            effect_mean_ci_low, effect_mean_ci_high, replicates.
        """

        def yearly(ts: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
            rows = _totals(ts)
            rows = rows[rows["metric"].isin(list(metrics)) & (rows["region"] == region)].sort_values("date")
            rows = rows.assign(year=rows["date"].dt.year)
            keys = ["metric", "year", "replicate"]
            last = rows.drop_duplicates(keys, keep="last").set_index(keys)["value"].sort_index()
            summed = rows.groupby(keys)["value"].sum(min_count=1).reindex(last.index)
            names = last.index.get_level_values("metric")
            is_flow = np.asarray(names.isin(catalogue.flow_names(names.unique())), dtype=bool)
            values = last.where(~is_flow, summed)
            return values.unstack("replicate"), rows.groupby("year")["date"].nunique()

        base, months = yearly(self.baseline.timeseries)
        missing = [m for m in metrics if m not in set(base.index.get_level_values("metric"))]
        if missing:
            raise KeyError(f"no metric {missing[0]!r} in region {region!r}")
        frames = []
        for label, res in self.results.items():
            stats = _stats(base, yearly(res.timeseries)[0], self.level).reset_index()
            stats.insert(0, "scenario", label)
            stats.insert(2, "region", region)
            stats.insert(4, "months", stats["year"].map(months).astype("int64"))
            frames.append(stats)
        out = pd.concat(frames, ignore_index=True)
        return _sort(out, {"scenario": list(self.results), "metric": list(metrics), "year": None})

    @cached_property
    def cost_effectiveness(self) -> pd.DataFrame:
        """One row per scenario: public cost to the horizon and the digital talent it adds.

        ``cost_to_horizon`` is the median over replicates of the national ``cum_policy_cost`` at the
        last month minus the baseline's (yuan). ``additional_*`` are the median paired differences
        at the last month (people) with their 10th and 90th percentiles; high-level talent is
        n_digital_talent x high_level_share. ``cost_per_*`` is the ratio of the means: the mean
        paired cost over the mean paired gain (``cost_to_horizon_mean / additional_*_mean``, yuan a
        person), the quantity whose interval ``cost_per_*_ci_*`` gives; NaN when that mean gain is
        not above zero or the mean cost is negative.
        ``deadweight_share`` is the share of the scenario's paid units (returnees supported,
        packages, subsidised enrolments, founders supported, certificates) that would have happened
        without it, over its levers weighted by paid units (NaN when no lever pays for such units);
        ``deadweight_by_lever`` gives each lever's share (:func:`deadweight_shares`).

        Confidence at :attr:`level` (see :mod:`talentsim.inference`): ``*_mean`` are mean paired
        differences with their t intervals ``*_ci_low``/``*_ci_high``; ``*_distinguishable`` says
        whether the gain's interval excludes 0; ``cost_per_*_ci_*`` is a bootstrap interval (over
        replicates, in pairs) of mean cost / mean gain. ``paired_replicates`` counts the pairs.
        """
        metrics = ["cum_policy_cost", "n_digital_talent", HIGH_LEVEL_TALENT]
        diffs = self.horizon_differences(metrics)
        lo, hi = QUANTILES
        rows = []
        for label in self.results:
            d = diffs[diffs["scenario"] == label]

            def of(metric: str, col: str, d: pd.DataFrame = d) -> pd.Series:
                return d.loc[d["metric"] == metric, col]

            cost = float(
                of("cum_policy_cost", "scenario_value").median() - of("cum_policy_cost", "baseline_value").median()
            )
            row: dict[str, Any] = {
                "scenario": label,
                "horizon_end": f"{self.horizon_end:%Y-%m}",
                "cost_to_horizon": cost,
            }
            for name, metric in (("digital_talent", "n_digital_talent"), ("high_level_talent", HIGH_LEVEL_TALENT)):
                gain = of(metric, "difference")
                row[f"additional_{name}"] = float(gain.median())
                row[f"additional_{name}_low"] = float(gain.quantile(lo))
                row[f"additional_{name}_high"] = float(gain.quantile(hi))
            row.update(self._confidence(d))
            # the ratio of the means, as its bootstrap interval (not the medians' ratio)
            mean_cost = row["cost_to_horizon_mean"]
            row["cost_per_additional_talent"] = cost_per_gain(mean_cost, row["additional_digital_talent_mean"])
            row["cost_per_additional_high_level_talent"] = cost_per_gain(
                mean_cost, row["additional_high_level_talent_mean"]
            )
            result = self.results[label]
            dead = deadweight_shares(self.baseline.timeseries, result.timeseries, result.scenario)
            dead = dead[dead["paid_units"] > 0]
            weights = dead["paid_units"]
            row["deadweight_share"] = (
                float((dead["deadweight_share"] * weights).sum() / weights.sum()) if len(dead) else float("nan")
            )
            row["deadweight_by_lever"] = "; ".join(
                f"{r.lever}: {r.deadweight_share:.2f}" for r in dead.itertuples() if np.isfinite(r.deadweight_share)
            )
            rows.append(row)
        return pd.DataFrame(rows, columns=list(COST_COLUMNS))

    def _confidence(self, d: pd.DataFrame) -> dict[str, Any]:
        """The confidence columns of :attr:`cost_effectiveness` from one scenario's horizon differences."""

        def diffs(metric: str) -> pd.Series:
            return d[d["metric"] == metric].set_index("replicate")["difference"].sort_index()

        cost = diffs("cum_policy_cost")
        row: dict[str, Any] = {"paired_replicates": int(cost.notna().sum())}
        for name, metric in (
            ("cost_to_horizon", "cum_policy_cost"),
            ("additional_digital_talent", "n_digital_talent"),
            ("additional_high_level_talent", HIGH_LEVEL_TALENT),
        ):
            ci = mean_interval(diffs(metric).to_frame().T, self.level).iloc[0]
            row[f"{name}_mean"] = float(ci["mean"])
            row[f"{name}_ci_low"], row[f"{name}_ci_high"] = float(ci["low"]), float(ci["high"])
        for name, metric, per in (
            ("digital_talent", "n_digital_talent", "cost_per_additional_talent"),
            ("high_level_talent", HIGH_LEVEL_TALENT, "cost_per_additional_high_level_talent"),
        ):
            row[f"{name}_distinguishable"] = excludes_zero(
                row[f"additional_{name}_ci_low"], row[f"additional_{name}_ci_high"]
            )
            gain = diffs(metric).reindex(cost.index)
            row[f"{per}_ci_low"], row[f"{per}_ci_high"] = ratio_interval(cost, gain, self.level)
        return row

    # --- output ---------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """What was compared: scenario names, sources and hashes, seeds and version."""
        from talentsim import __version__
        from talentsim.provenance import git_commit, library_versions

        def entry(label: str, res: Result) -> dict[str, Any]:
            return {
                "label": label,
                "name": res.scenario.name,
                "source": res.extra.get("source"),
                "hash": res.scenario.digest(),
                "scenario": res.scenario.model_dump(mode="json"),
                "timeseries": f"timeseries/{_file_name(label)}.parquet",
                "wall_seconds": round(res.wall_seconds, 3),
            }

        return {
            "baseline": entry(self.baseline_name, self.baseline),
            "scenarios": [entry(label, res) for label, res in self.results.items()],
            "seeds": self.seeds,
            "replicates": len(self.seeds),
            "horizon": {"start": self.baseline.scenario.horizon.start, "end": self.baseline.scenario.horizon.end},
            "scale": self.baseline.scenario.scale,
            "quantiles": list(QUANTILES),
            "confidence_level": self.level,
            "talentsim_version": __version__,
            "versions": library_versions(),
            **({"git_commit": commit} if (commit := git_commit()) else {}),
            **self.extra,
        }

    def save(
        self,
        out: str | Path,
        overwrite: bool = True,
        *,
        lang: str = "en",
        wan: bool = False,
        xlsx: bool = False,
        figures: bool = True,
    ) -> Path:
        """Write the comparison folder, atomically (see :func:`talentsim.results.atomic_folder`).

        Writes ``effects.csv``, ``README.md`` (what the files hold, and why an effect is not the
        difference of the two medians), ``cost_effectiveness.csv``, ``timeseries/<scenario>.parquet``
        (the baseline's too), ``metadata.json`` and ``figures/``: the standard figures of
        :func:`talentsim.report.standard_figures` (outcomes with lever windows, regions, structure,
        pipeline, effects at the horizon and over time, cost-effectiveness).

        Args:
            out: the folder to write.
            overwrite: replace an existing folder.
            lang: the language of the figures and the workbook, ``en`` or ``zh``.
            wan: counts of people in 万 in the figures and the workbook.
            xlsx: also write ``comparison.xlsx``, the headline tables in one workbook
                (see :mod:`talentsim.workbook`).
            figures: draw ``figures/`` (the default). ``False`` writes the tables only, without
                ``figures/`` (drawing them takes most of the time of a small comparison's save);
                ``talentsim plot`` draws them from the folder later.
        """
        catalogue.check_lang(lang)
        from talentsim.compare_readme import folder_readme
        from talentsim.report import Results, write_figures
        from talentsim.results import atomic_folder

        out = Path(out)
        with atomic_folder(out, overwrite) as tmp:
            self.effects.to_csv(tmp / "effects.csv", index=False)
            (tmp / "README.md").write_text(folder_readme(self, figures), encoding="utf-8")
            if xlsx:
                from talentsim.workbook import write_workbook

                write_workbook(self, tmp / "comparison.xlsx", lang=lang, wan=wan)
            self.cost_effectiveness.to_csv(tmp / "cost_effectiveness.csv", index=False)
            (tmp / "timeseries").mkdir()
            for label, res in {self.baseline_name: self.baseline, **self.results}.items():
                res.timeseries.to_parquet(tmp / "timeseries" / f"{_file_name(label)}.parquet", index=False)
            meta = self.metadata()
            (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
            entries = [meta["baseline"], *meta["scenarios"]]
            results = Results(
                timeseries=self.timeseries,
                scenarios={e["label"]: e["scenario"] for e in entries},
                hashes={e["label"]: e["hash"] for e in entries},
                seeds=list(self.seeds),
                effects=self.effects,
                cost_effectiveness=self.cost_effectiveness,
                baseline=self.baseline_name,
                level=self.level,
            )
            if figures:
                write_figures(results, tmp / "figures", wan=wan, lang=lang)
        return out

    def format_table(self) -> str:
        """A printable summary: spreads, mean effects with confidence intervals, and cost per additional talent.

        Three blocks: the median paired effect at the horizon with its 10-90 % spread and the cost
        to the horizon; the mean paired effect with its confidence interval at :attr:`level`; and the
        cost per additional (high-level) talent, printed only where the gain is distinguishable from
        0 at that level, elsewhere "not distinguishable from 0" with the bootstrap interval of the ratio.
        """
        metrics = HEADLINE_EFFECTS[:3]
        eff = self.horizon_effects(metrics).set_index(["scenario", "metric"])
        cost = self.cost_effectiveness.set_index("scenario")
        pct = f"{100 * self.level:g} %"
        n = len(self.seeds)
        width = max([len("scenario"), *(len(name) for name in self.results)]) + 2
        spread = {
            (name, m): format_interval(*eff.loc[(name, m), ["effect_median", "effect_low", "effect_high"]], m)
            for name in self.results
            for m in metrics
        }
        means = {
            (name, m): format_interval(
                *eff.loc[(name, m), ["effect_mean", "effect_mean_ci_low", "effect_mean_ci_high"]], m
            )
            for name in self.results
            for m in metrics
        }
        means |= {
            (name, "cost"): format_interval(
                *cost.loc[name, ["cost_to_horizon_mean", "cost_to_horizon_ci_low", "cost_to_horizon_ci_high"]],
                "cost_to_horizon",
            )
            for name in self.results
        }
        col = max([34, *(len(c) + 2 for c in (*spread.values(), *means.values()))])
        header = f"{'scenario':<{width}}" + "".join(f"{m:>{col}}" for m in metrics)
        lines = [
            f"Effects at {self.horizon_end:%Y-%m} against {self.baseline_name!r}: median [10 %, 90 %] of "
            f"scenario − baseline over {n} paired replicate(s) (the spread of one replicate's effect); "
            "cost in yuan to the horizon",
            header + f"{'cost':>14}",
        ]
        for name in self.results:
            lines.append(
                f"{name:<{width}}"
                + "".join(f"{spread[(name, m)]:>{col}}" for m in metrics)
                + f"{format_number(cost.loc[name, 'cost_to_horizon'], 'cost_to_horizon'):>14}"
            )
        lines += [
            "",
            f"Mean effects with {pct} confidence intervals (t interval over {n} paired replicate(s): "
            "how well the mean effect is known; it narrows as replicates are added)",
            header + f"{'cost':>{col}}",
        ]
        for name in self.results:
            lines.append(f"{name:<{width}}" + "".join(f"{means[(name, m)]:>{col}}" for m in (*metrics, "cost")))
        lines += [
            "",
            f"Cost per additional talent, yuan a person (mean cost / mean gain, with its {pct} bootstrap interval "
            "over replicates), only where the gain is distinguishable from 0:",
        ]
        for name in self.results:
            c = cost.loc[name]
            cells = [
                f"{what}: {_cost_cell(c, per, gain)}"
                for what, per, gain in (
                    ("digital talent", "cost_per_additional_talent", "digital_talent"),
                    ("high-level talent", "cost_per_additional_high_level_talent", "high_level_talent"),
                )
            ]
            lines.append(f"{name:<{width}}" + "; ".join(cells))
        return "\n".join(lines)


def _cost_cell(row: pd.Series, per: str, gain: str) -> str:
    """A cost-per-talent cell: the ratio with its interval, or "not distinguishable from 0" and the interval."""
    low, high = row[f"{per}_ci_low"], row[f"{per}_ci_high"]
    interval = (
        f"[{format_number(low, per)}, {format_number(high, per)}]"
        if np.isfinite(low) and np.isfinite(high)
        else "unbounded"
    )
    if not bool(row[f"{gain}_distinguishable"]):
        return f"not distinguishable from 0 (ratio interval {interval})"
    value = row[per]
    if not np.isfinite(value):
        return f"nan (no mean gain or a saving; ratio interval {interval})"
    return f"{format_number(value, per)} {interval}"


def format_number(value: float, metric: str, *, signed: bool = False) -> str:
    """A value for printing in the unit of its metric (from :mod:`talentsim.catalogue`).

    Costs (``cum_policy_cost*``, ``cost_to_horizon``) in yuan with a k, M or bn suffix; shares and
    rates to four decimals, levels to two; people, wages and ``cost_per_*`` ratios as whole numbers.

    Args:
        value: the number.
        metric: the metric or column it belongs to.
        signed: write a plus sign on positive values (for effects).
    """
    from talentsim.formatting import format_value

    if value is None or not np.isfinite(value):
        return "nan"
    unit = COLUMN_UNITS.get(metric) or catalogue.unit_key(metric)
    return format_value(value, unit, signed=signed)


def format_interval(median: float, low: float, high: float, metric: str) -> str:
    """An effect as ``median [low, high]`` in the unit of its metric."""
    return (
        f"{format_number(median, metric, signed=True)} "
        f"[{format_number(low, metric, signed=True)}, {format_number(high, metric, signed=True)}]"
    )


def _load(item: ScenarioLike) -> tuple[Scenario, str]:
    if isinstance(item, Scenario):
        return item, f"<scenario {item.name!r}>"
    return load_scenario(item), str(item)


def _apply(loaded: list[tuple[Scenario, str]], overrides: dict[str, Any]) -> list[tuple[Scenario, str]]:
    """Set the overrides in every scenario; a ``policy...`` path in those where it resolves.

    Raises:
        ScenarioError: a ``policy...`` path resolves in none of them (the first one's error), or
            another path does not resolve or the result does not validate (naming the scenario).
    """
    from talentsim.overrides import resolve_path

    lever_paths = [k for k in overrides if k.replace("__", ".").startswith(("policy.", "policy["))]
    out = []
    applies = dict.fromkeys(lever_paths, 0)
    first_error: dict[str, str] = {}
    for spec, src in loaded:
        data = spec.model_dump(mode="python")
        mine = {k: v for k, v in overrides.items() if k not in applies}
        for k in lever_paths:
            try:
                resolve_path(data, k)
            except ValueError as exc:
                first_error.setdefault(k, f"{src}: {exc}")
                continue
            mine[k] = overrides[k]
            applies[k] += 1
        try:
            out.append((spec.with_updates(**mine) if mine else spec, src))
        except ScenarioError as exc:
            raise ScenarioError(src, exc.problems) from None
    for k, n in applies.items():
        if n == 0:
            raise ScenarioError("<override>", [(k, f"applies to none of the scenarios ({first_error[k]})")])
    return out


def compare(
    baseline: ScenarioLike,
    scenarios: Sequence[ScenarioLike],
    *,
    seed: int = 1,
    replicates: int = 5,
    workers: int = 1,
    progress: bool = False,
    executor: Executor | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    runs_dir: str | Path | None = None,
    resume: bool = False,
    **overrides: Any,
) -> Comparison:
    """Run a baseline and scenarios on common seeds and pair them replicate by replicate.

    Every scenario is loaded and checked before anything runs, so a bad file fails fast. The runs
    (every scenario on every seed) go through the sweep executor
    (:func:`talentsim.experiment.run_scenarios`): the result does not depend on where they run.

    Args:
        baseline: the reference: a Scenario or a path to a scenario file.
        scenarios: the scenarios to compare with it (Scenario objects or paths).
        seed: the first replicate's seed; replicate ``i`` of every scenario uses ``seed + i``.
        replicates: how many replicates of each.
        workers: processes to run the runs in; the result does not depend on it.
        progress: show a progress bar.
        executor: a :class:`concurrent.futures.Executor` to run the runs in.
        scheduler: address of a Dask scheduler to send runs to.
        dask_local: start a Dask LocalCluster of this many workers.
        runs_dir: a folder to keep each finished run in, so an interrupted comparison can be
            resumed (``resume=True``) with only the missing runs done.
        resume: finish the runs kept in ``runs_dir``.
        **overrides: values to set in every scenario, baseline included, by path
            (:mod:`talentsim.overrides`): ``scale=20000``; a ``policy.<type>.<param>`` path
            (``policy__funding__coverage=0.5``) is set in the scenarios that have that lever.

    Returns:
        A :class:`Comparison`.

    Raises:
        ScenarioError: a file does not load or validate, an override does not apply, or a
            scenario's horizon, regions or scale differ from the baseline's (the message names its
            file and the field).
        RunsFailed: a run raised an error.
    """
    from talentsim.experiment import run_scenarios

    if replicates < 1:
        raise ValueError(f"replicates: expected at least 1, got {replicates}")
    if isinstance(scenarios, Scenario | str | Path):
        scenarios = [scenarios]
    if not scenarios:
        raise ValueError("scenarios: expected at least one scenario to compare with the baseline")
    specs = _apply([_load(baseline), *(_load(s) for s in scenarios)], overrides)
    base_spec, base_src = specs[0]
    for spec, src in specs[1:]:
        check_comparable(base_spec, spec, source=src, baseline_source=base_src)
    for spec, src in specs:
        check_scenario(spec, src)
    check_replicates(replicates, seed, "arguments", base_spec, scenarios=len(specs))
    seeds = replicate_seeds(seed, replicates)
    runs = run_scenarios(
        [spec for spec, _ in specs],
        seed,
        replicates,
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        dask_local=dask_local,
        runs_dir=runs_dir,
        resume=resume,
        progress=progress,
        name="compare",
    )
    results = [
        Result(spec, list(seeds), table, sec, {"source": src})
        for (spec, src), table, sec in zip(specs, runs.tables, runs.seconds, strict=True)
    ]
    comparison = Comparison.from_results(results[0], results[1:])
    comparison.extra["overrides"] = dict(overrides)
    return comparison
