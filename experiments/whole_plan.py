"""The whole action plan against the baseline: effects over time and at the horizon.

Runs ``scenarios/action_plan.toml`` (all twelve levers, 2024-04 to 2026-12) and the baseline on
common seeds. Writes the effects by month of the main outcomes (table and figure) and a horizon
table: stocks, shares and costs at the last month, flows summed over the last calendar year.

Usage::

    .venv/bin/python experiments/whole_plan.py [--replicates N] [--scale K] [--seed S] [--workers W] [--out DIR]
"""

from __future__ import annotations

import pandas as pd
from common import ACTION_PLAN, BASELINE, describe, main, markdown_table, parse_args, run_comparison, write

from talentsim.compare import HIGH_LEVEL_TALENT, format_interval, format_number
from talentsim.plotting import EFFECT_PANEL, plot_effects_panel

# At the horizon's last month.
END_METRICS = (
    "n_digital_talent",
    HIGH_LEVEL_TALENT,
    "n_digital_jobs",
    "n_digital_gap",
    "n_digital_students",
    "high_level_share",
    "mean_level",
    "certified_share",
    "regional_mismatch",
    "unemployment_rate",
    "vacancy_fill_rate",
    "mean_wage_digital",
    "digital_wage_premium",
    "cum_policy_cost",
)
# Summed over the horizon's last calendar year.
FLOW_METRICS = (
    "new_digital_graduates",
    "new_trained",
    "new_certified",
    "new_returnees",
    "new_foreign",
    "new_emigrants",
    "new_startups",
)


def whole_plan() -> int:
    """Run the experiment and write its folder."""
    args = parse_args("whole_plan", __doc__.splitlines()[0])
    comparison = run_comparison(BASELINE, [ACTION_PLAN], args)
    name = comparison.names[0]
    end = f"{comparison.horizon_end:%Y-%m}"

    at_end = comparison.horizon_effects(END_METRICS)
    at_end.insert(1, "period", end)
    yearly = comparison.yearly_effects(FLOW_METRICS)
    last_year = yearly[yearly["year"] == yearly["year"].max()].copy()
    last_year.insert(
        1, "period", [f"{y} ({m} months)" for y, m in zip(last_year["year"], last_year["months"], strict=True)]
    )
    cols = [
        "scenario",
        "period",
        "metric",
        "baseline_median",
        "scenario_median",
        "effect_median",
        "effect_low",
        "effect_high",
    ]
    horizon = pd.concat([at_end[cols], last_year[cols]], ignore_index=True)

    shown = pd.DataFrame(
        {
            "outcome": horizon["metric"],
            "period": horizon["period"],
            "baseline": [
                format_number(v, m) for v, m in zip(horizon["baseline_median"], horizon["metric"], strict=True)
            ],
            "action plan": [
                format_number(v, m) for v, m in zip(horizon["scenario_median"], horizon["metric"], strict=True)
            ],
            "effect": [
                format_interval(r.effect_median, r.effect_low, r.effect_high, r.metric) for r in horizon.itertuples()
            ],
        }
    )
    cost = comparison.cost_effectiveness.iloc[0]
    markdown = "\n".join(
        [
            f"## The whole action plan against the baseline, at {end}",
            "",
            describe(comparison) + ". Baseline and action plan columns are medians over replicates; flows are "
            "people a year, costs yuan.",
            "",
            markdown_table(shown),
            "",
            f"Cost to {end}: {format_number(cost['cost_to_horizon'], 'cost_to_horizon')} yuan; "
            f"yuan per additional digital talent: "
            f"{format_number(cost['cost_per_additional_talent'], 'cost_per_additional_talent')}; "
            f"per additional high-level talent: "
            f"{format_number(cost['cost_per_additional_high_level_talent'], 'cost_per_additional_high_level_talent')}.",
        ]
    )
    effects = comparison.effects
    over_time = effects[(effects["region"] == "all") & effects["metric"].isin(EFFECT_PANEL)]
    figure = plot_effects_panel(effects, EFFECT_PANEL, scenarios=[name], level=comparison.level)
    figure.suptitle(f"Effects of the whole action plan by month ({name} − baseline, paired by replicate)", fontsize=12)
    write(
        args,
        markdown=markdown,
        tables={
            "horizon": horizon,
            "effects_over_time": over_time,
            "cost_effectiveness": comparison.cost_effectiveness,
        },
        figures={"effects_over_time": figure},
        comparisons={"comparison": comparison},
    )
    return 0


if __name__ == "__main__":
    main(whole_plan)
