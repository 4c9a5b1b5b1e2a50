"""The whole plan against the sum of its parts: do the twelve levers add up?

Runs the baseline, the whole plan and each of the twelve levers alone on common seeds. For each
outcome at the horizon and each replicate ``r`` (the same seed in every run)::

    whole_r = plan_r - baseline_r
    sum_r   = sum over levers of (lever_r - baseline_r)
    difference_r = whole_r - sum_r

and reports the median and the 10th-90th percentiles of each over replicates. Where the interval
of the difference excludes zero, the levers interact: *synergy* when the whole goes further than
the sum in the direction of the whole's effect (whatever that direction's merit), *interference*
when it falls short; for costs, whether the whole costs more or less than the levers alone.

Usage::

    .venv/bin/python experiments/interactions.py [--replicates N] [--scale K] [--seed S] [--workers W] [--out DIR]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from common import ACTION_PLAN, BASELINE, describe, lever_files, main, markdown_table, parse_args, run_comparison, write

from talentsim.compare import HIGH_LEVEL_TALENT, QUANTILES, format_interval
from talentsim.plotting import plot_forest_panel

OUTCOMES = (
    "n_digital_talent",
    HIGH_LEVEL_TALENT,
    "high_level_share",
    "regional_mismatch",
    "n_digital_gap",
    "n_digital_students",
    "unemployment_rate",
    "mean_wage_digital",
    "cum_policy_cost",
)
FIGURE_OUTCOMES = (
    "n_digital_talent",
    HIGH_LEVEL_TALENT,
    "high_level_share",
    "regional_mismatch",
    "n_digital_students",
    "cum_policy_cost",
)
ROWS = {"whole": "whole plan", "sum_of_levers": "sum of the 12 levers alone", "difference": "whole − sum"}


def reading(metric: str, whole: float, low: float, high: float) -> str:
    """What the difference's 10-90 % interval says about the levers' interaction."""
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0 <= high:
        return "additive (interval spans 0)"
    direction = np.sign(high if low > 0 else low)
    if metric.startswith("cum_policy_cost"):
        return "costs more than the levers alone" if direction > 0 else "costs less than the levers alone"
    if whole == 0:
        return "whole − sum ≠ 0"
    return "synergy (whole beyond the sum)" if np.sign(whole) == direction else "interference (whole short of the sum)"


def interactions() -> int:
    """Run the experiment and write its folder."""
    args = parse_args("interactions", __doc__.splitlines()[0])
    levers = lever_files()
    comparison = run_comparison(BASELINE, [ACTION_PLAN, *levers], args)
    plan, *lever_names = comparison.names

    diffs = comparison.horizon_differences(OUTCOMES)
    wide = diffs.set_index(["metric", "replicate", "scenario"])["difference"].unstack("scenario")
    per_replicate = pd.DataFrame(
        {
            "whole": wide[plan],
            "sum_of_levers": wide[lever_names].sum(axis=1, min_count=len(lever_names)),
        }
    )
    per_replicate["difference"] = per_replicate["whole"] - per_replicate["sum_of_levers"]
    per_replicate = per_replicate.reset_index()
    per_replicate.insert(2, "seed", per_replicate["replicate"].map(dict(enumerate(comparison.seeds))))

    lo, hi = QUANTILES
    g = per_replicate.groupby("metric", sort=False)
    rows = []
    for metric in OUTCOMES:
        d = g.get_group(metric)
        row: dict[str, object] = {"metric": metric}
        for col in ROWS:
            row[f"{col}_median"] = d[col].median()
            row[f"{col}_low"] = d[col].quantile(lo)
            row[f"{col}_high"] = d[col].quantile(hi)
        row["reading"] = reading(metric, row["whole_median"], row["difference_low"], row["difference_high"])
        rows.append(row)
    table = pd.DataFrame(rows)

    shown = pd.DataFrame({"outcome": table["metric"]})
    for col, title in ROWS.items():
        shown[title] = [
            format_interval(r[f"{col}_median"], r[f"{col}_low"], r[f"{col}_high"], r["metric"])
            for _, r in table.iterrows()
        ]
    shown["reading"] = table["reading"]
    end = f"{comparison.horizon_end:%Y-%m}"
    markdown = "\n".join(
        [
            f"## The whole plan against the sum of its twelve levers, at {end}",
            "",
            describe(comparison) + f". Every quantity is computed replicate by replicate (seed by seed) against "
            f"the baseline, then summarised; {len(comparison.seeds)} replicate(s) give a coarse interval.",
            "",
            markdown_table(shown),
        ]
    )
    forest_rows = [
        {
            "scenario": title,
            "metric": r["metric"],
            "effect_median": r[f"{col}_median"],
            "effect_low": r[f"{col}_low"],
            "effect_high": r[f"{col}_high"],
        }
        for _, r in table.iterrows()
        for col, title in ROWS.items()
    ]
    figure = plot_forest_panel(
        pd.DataFrame(forest_rows),
        FIGURE_OUTCOMES,
        difference="paired, against the baseline",
        title=f"The whole plan against the sum of its levers at {end}: median and 10-90 % over replicates",
    )
    write(
        args,
        markdown=markdown,
        tables={"interactions": table, "interactions_by_replicate": per_replicate},
        figures={"interactions": figure},
        comparisons={"comparison": comparison},
    )
    return 0


if __name__ == "__main__":
    main(interactions)
