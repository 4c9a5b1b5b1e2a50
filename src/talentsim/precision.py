"""Replicates added in batches until the headline effects are known to a given precision.

:func:`compare_to_precision` calls :func:`talentsim.compare.compare` once per batch, each batch on
the next unused seeds (``seed, seed + 1, ...`` continue across batches, the same for every scenario,
so pairs stay on common random numbers), joins the batches (:func:`talentsim.combine.concat_comparisons`)
and stops when, for every scenario and every metric of :data:`PRECISION_METRICS`, the half-width
of the confidence interval of the mean paired effect at the horizon is at most ``precision`` times
the baseline's value (in absolute terms), or when the next batch would pass the replicate cap.
It says which in ``Comparison.extra["precision"]`` (written to ``metadata.json``).

``cum_policy_cost`` is not among the metrics: the baseline spends nothing, so a precision relative
to the baseline's value is not defined for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from talentsim.compare import Comparison, ScenarioLike, compare
from talentsim.inference import DEFAULT_LEVEL, check_level
from talentsim.limits import check_replicates
from talentsim.scenario import Scenario, load_scenario

#: Horizon effects whose precision is checked (the three of the printed table).
PRECISION_METRICS: tuple[str, ...] = ("n_digital_talent", "high_level_share", "regional_mismatch")
#: Default replicate cap: 200 replicates of a baseline and one scenario at the shipped scale take about
#: 17 minutes of CPU time (measured: 80 runs of baseline and action plan to 2026-12 in 3.5 min of CPU).
DEFAULT_MAX_REPLICATES = 200
REACHED = "precision reached"
CAPPED = "replicate cap reached"

Runner = Callable[..., Comparison]


def precision_table(
    comparison: Comparison, precision: float, metrics: Sequence[str] = PRECISION_METRICS
) -> pd.DataFrame:
    """For each scenario and metric at the horizon: the interval's half-width against the target.

    Returns:
        Columns scenario, metric, baseline_median, effect_mean, half_width, target
        (``precision`` x |baseline_median|), relative (half_width / |baseline_median|), met, replicates.
    """
    eff = comparison.horizon_effects(list(metrics))
    base = eff["baseline_median"].abs()
    half = (eff["effect_mean_ci_high"] - eff["effect_mean_ci_low"]) / 2
    out = pd.DataFrame(
        {
            "scenario": eff["scenario"],
            "metric": eff["metric"],
            "baseline_median": eff["baseline_median"],
            "effect_mean": eff["effect_mean"],
            "half_width": half,
            "target": precision * base,
            "relative": half / base.where(base > 0),
            "paired_replicates": eff["paired_replicates"],
        }
    )
    out["met"] = (out["half_width"] <= out["target"]).fillna(False).astype(bool)
    return out.reset_index(drop=True)


def _check(precision: float, batch: int, max_replicates: int) -> None:
    if not (isinstance(precision, int | float) and 0 < precision < math.inf):
        raise ValueError(
            f"precision: expected a fraction of the baseline value above 0 (such as 0.01), got {precision!r}"
        )
    if batch < 2:
        raise ValueError(f"batch: expected at least 2 replicates (an interval needs two), got {batch}")
    if max_replicates < batch:
        raise ValueError(f"max_replicates: expected at least the batch ({batch}), got {max_replicates}")


def compare_to_precision(
    baseline: ScenarioLike,
    scenarios: Sequence[ScenarioLike],
    *,
    precision: float,
    seed: int = 1,
    batch: int = 5,
    max_replicates: int = DEFAULT_MAX_REPLICATES,
    level: float = DEFAULT_LEVEL,
    metrics: Sequence[str] = PRECISION_METRICS,
    runner: Runner = compare,
    on_batch: Callable[[pd.DataFrame], None] | None = None,
    **kwargs: Any,
) -> Comparison:
    """Compare in batches of replicates until the headline effects are precise enough or the cap is hit.

    Args:
        baseline: the reference scenario (as for :func:`talentsim.compare.compare`).
        scenarios: the scenarios to compare with it.
        precision: the largest half-width of each interval, as a fraction of the baseline's value
            at the horizon (0.01: within ±1 % of the baseline's digital talent, and so on).
        seed: the first replicate's seed; batches continue on the next unused seeds.
        batch: replicates per batch (at least 2).
        max_replicates: the most replicates to run, within :data:`talentsim.limits.MAX_REPLICATES`
            (a multiple of ``batch`` is not required: the last batch is cut to fit).
        level: the confidence level of the intervals.
        metrics: the horizon metrics to check.
        runner: the function run per batch, with :func:`talentsim.compare.compare`'s signature.
        on_batch: called with :func:`precision_table` after each batch (for progress messages).
        **kwargs: passed to ``runner`` (``workers``, ``progress``, scenario overrides such as ``scale``).

    Returns:
        The joined comparison; ``extra["precision"]`` holds the target, the level, why it stopped
        (:data:`REACHED` or :data:`CAPPED`), the replicates, the batch sizes and the last check.

    Raises:
        ValueError: a bad precision, batch or cap.
        ScenarioError: as :func:`talentsim.compare.compare`, or the cap's tables would exceed the limits.
    """
    level = check_level(level)
    _check_cap(baseline, len(scenarios), seed, max_replicates, kwargs)  # the limits first: ScenarioError, exit 2
    _check(precision, batch, max_replicates)
    parts: list[Comparison] = []
    done = 0
    while True:
        size = min(batch, max_replicates - done)
        parts.append(runner(baseline, scenarios, seed=seed + done, replicates=size, **kwargs))
        done += size
        joined = Comparison.concat(parts).with_level(level)
        table = precision_table(joined, precision, metrics)
        if on_batch is not None:
            on_batch(table)
        if bool(table["met"].all()):
            stopped = REACHED
            break
        if done >= max_replicates:
            stopped = CAPPED
            break
    joined.extra["precision"] = {
        "target": precision,
        "level": level,
        "metrics": list(metrics),
        "stopped": stopped,
        "replicates": done,
        "max_replicates": max_replicates,
        "batches": [len(p.seeds) for p in parts],
        "check": table.to_dict(orient="records"),
    }
    return joined


def _check_cap(baseline: ScenarioLike, n_scenarios: int, seed: int, cap: int, kwargs: dict[str, Any]) -> None:
    """Refuse a cap whose seeds or tables exceed :mod:`talentsim.limits` before anything runs."""
    if isinstance(baseline, Scenario):
        spec, source = baseline, f"<scenario {baseline.name!r}>"
    else:
        spec, source = load_scenario(Path(baseline)), str(baseline)
    runner_keys = ("workers", "progress", "executor", "scheduler", "dask_local", "runs_dir", "resume")
    # a policy.<type> path applies only to the scenarios with that lever (compare's rule), so not to the baseline
    overrides = {
        k: v for k, v in kwargs.items() if k not in runner_keys and not k.replace("__", ".").startswith("policy")
    }
    if overrides:
        spec = spec.with_updates(**overrides)
    check_replicates(cap, seed, f"{source} (max_replicates)", spec, scenarios=n_scenarios + 1)


def describe_stop(comparison: Comparison) -> str:
    """One sentence: whether the precision was reached, after how many replicates, and the widest interval."""
    info = comparison.extra.get("precision")
    if not info:
        return ""
    table = pd.DataFrame(info["check"])
    widest = table.loc[table["relative"].fillna(math.inf).idxmax()]
    pct = f"{100 * info['level']:g} %"
    worst = (
        f"widest: {widest['scenario']} {widest['metric']}, half-width {100 * widest['relative']:.2f} % of the baseline"
        if math.isfinite(widest["relative"])
        else f"widest: {widest['scenario']} {widest['metric']} (baseline value 0 or no interval)"
    )
    if info["stopped"] == REACHED:
        return (
            f"{REACHED}: every headline effect's {pct} interval is within ±{100 * info['target']:g} % of the "
            f"baseline value after {info['replicates']} replicates (batches {info['batches']}); {worst}"
        )
    return (
        f"{CAPPED} ({info['max_replicates']}) before the precision ±{100 * info['target']:g} % of the baseline "
        f"value; {worst}"
    )
