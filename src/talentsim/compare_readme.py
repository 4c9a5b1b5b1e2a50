"""The README.md written next to a comparison's ``effects.csv``: what the files hold and how to read them.

Readers of ``effects.csv`` see ``baseline_median`` 5,412,000 and ``scenario_median`` 5,392,000
beside ``effect_median`` +24,000 and suspect an error. The README says why this is right (effects
are medians of paired differences), with the most striking such row of the comparison itself as
the example, and lists every column with its unit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from talentsim import catalogue
from talentsim.formatting import format_value

if TYPE_CHECKING:
    from talentsim.compare import Comparison

EXAMPLE_METRIC = "n_digital_talent"


def _example(effects: pd.DataFrame) -> pd.Series | None:
    """The horizon-end row on digital talent where the median difference and the difference of medians differ most."""
    end = effects[(effects["metric"] == EXAMPLE_METRIC) & (effects["date"] == effects["date"].max())]
    end = end.dropna(subset=["baseline_median", "scenario_median", "effect_median"])
    if end.empty:
        return None
    gap = (end["effect_median"] - (end["scenario_median"] - end["baseline_median"])).abs()
    return end.loc[gap.idxmax()]


def folder_readme(comparison: Comparison, figures: bool = True) -> str:
    """The README of a comparison folder, in Markdown.

    Args:
        comparison: the comparison being saved.
        figures: the folder holds ``figures/`` (``Comparison.save(figures=False)`` leaves them out).
    """
    effects = comparison.effects
    n = len(comparison.seeds)
    pct = f"{100 * comparison.level:g} %"
    lines = [
        "# A comparison of scenarios against a baseline",
        "",
        f"Baseline `{comparison.baseline_name}`; scenarios {', '.join(f'`{s}`' for s in comparison.names)}; "
        f"{n} replicate(s) on seeds {', '.join(map(str, comparison.seeds))}, the same for every scenario "
        "(common random numbers), so replicate *i* of a scenario is paired with replicate *i* of the baseline.",
        "",
        "## effects.csv: medians of paired differences",
        "",
        "For every scenario, metric, region and month, the effect is computed replicate by replicate: "
        "difference_i = scenario_i − baseline_i, on the same seed. `effect_median` is the median of these "
        "differences, `effect_mean` their mean, `effect_low` and `effect_high` their 10th and 90th "
        "percentiles. `baseline_median` and `scenario_median` are the medians of each run's own values, "
        "given for scale.",
        "",
        "**The median of the differences is not the difference of the medians**: the median replicate of the "
        "scenario and the median replicate of the baseline are in general different replicates, so "
        "`scenario_median − baseline_median` need not equal `effect_median`, and need not even have its sign. "
        "The paired `effect_median` is the effect to read: each pair shares its random draws except where "
        "the levers act, so its noise is far smaller.",
    ]
    row = _example(effects)
    if row is not None:
        unit = catalogue.unit_key(EXAMPLE_METRIC)

        def people(value: float, signed: bool = False) -> str:
            return format_value(value, unit, signed=signed)

        where = "nationally" if row["region"] == "all" else f"in {catalogue.region_label(str(row['region']))}"
        of_medians = row["scenario_median"] - row["baseline_median"]
        agree = abs(of_medians - row["effect_median"]) < 0.5
        lines += [
            "",
            f"Example from this comparison (the horizon-end row on `{EXAMPLE_METRIC}`, people, where the two "
            f"differ most): {catalogue.label(EXAMPLE_METRIC).lower()} {where}, {pd.Timestamp(row['date']):%Y-%m}, "
            f"scenario `{row['scenario']}`: baseline_median {people(row['baseline_median'])}, scenario_median "
            f"{people(row['scenario_median'])} (a difference of {people(of_medians, True)}), while effect_median "
            f"is {people(row['effect_median'], True)} and effect_mean {people(row['effect_mean'], True)}"
            + (" (with so few replicates they agree here)." if agree else "."),
        ]
    lines += [
        "",
        "| column | meaning |",
        "|---|---|",
        "| `scenario` | the scenario compared with the baseline |",
        "| `metric` | the metric (see talentsim's docs/model.md; units below) |",
        "| `region` | `all` for the national value, or a region |",
        "| `date` | the month (its first day) |",
        "| `baseline_median`, `scenario_median` | median over replicates of each run's value |",
        "| `effect_median` | median over replicates of scenario − baseline, paired by seed |",
        "| `effect_mean` | mean over replicates of scenario − baseline, paired by seed |",
        "| `effect_low`, `effect_high` | 10th and 90th percentiles of the paired differences |",
        f"| `effect_mean_ci_low`, `effect_mean_ci_high` | {pct} confidence interval of the mean paired difference "
        "(Student's t over the replicates) |",
        "| `paired_replicates` | the paired replicates behind the row (both values present) |",
        "",
        "## Spread and confidence: two different intervals",
        "",
        "`effect_low`..`effect_high` is the **spread**: how much the effect of one replicate varies with the "
        "model's own randomness (who happens to train, move, find a job). It does not narrow with more replicates. "
        f"`effect_mean_ci_low`..`effect_mean_ci_high` is the **{pct} confidence interval of the mean effect**: "
        "the range that, computed this way, holds the mean effect the model would give over endless replicates "
        f"in {pct} of comparisons. It narrows roughly as 1/√replicates. An interval that contains 0 means the "
        "replicates run cannot tell the effect from no effect; run more (`talentsim compare --precision P`) "
        "or read it as small. Neither interval covers the guesses in the scenario's parameters (see "
        "docs/levers.md): they are about the model's randomness only.",
        "",
        "Units follow the metric: `n_` stocks and `new_` monthly flows in people (real people, not agents), "
        "wages (`mean_wage_*`) in yuan a year, `cum_policy_cost*` in yuan spent to date, shares and rates "
        "between 0 and 1, `mean_level` in skill levels (0-8).",
        "",
        "## The other files",
        "",
        "- `cost_effectiveness.csv`: per scenario, the public cost to the horizon (yuan), the additional "
        "digital talent and high-level digital talent at the horizon (people, median paired difference with "
        "its 10th and 90th percentiles) and the cost per additional person (yuan a person: the mean paired cost "
        "over the mean paired gain, the ratio whose interval is given below; empty where there is no mean gain "
        f"or the mean cost is a saving). Confidence columns at {pct}: `paired_replicates`; "
        "`cost_to_horizon_mean`, `additional_*_mean` with `*_ci_low`/`*_ci_high` (t interval of the mean "
        "paired difference); `digital_talent_distinguishable` and `high_level_talent_distinguishable` (true "
        "when the gain's interval excludes 0: only then is a cost per additional person worth quoting); "
        "`cost_per_additional_*_ci_low`/`_ci_high`, a bootstrap interval (replicates resampled in pairs, "
        "percentile method) of mean cost / mean gain, empty when it is unbounded (the gain can be 0).",
        "- `timeseries/<scenario>.parquet`: every run's tidy table, one row per replicate, month, region, "
        "field, level and metric.",
        "- `metadata.json`: the scenarios as run, their hashes, seeds, the confidence level, library versions, "
        "the command line and the git commit of talentsim's source (when it is in a git repository); with "
        "`--precision`, under `precision`, the target, why the replicates stopped (`precision reached` or "
        "`replicate cap reached`), the batches and each headline effect's half-width.",
        "- `figures/`: the standard figures."
        if figures
        else "- No `figures/`: saved without figures; `talentsim plot <this folder>` draws the standard figures.",
        "",
    ]
    return "\n".join(lines)
