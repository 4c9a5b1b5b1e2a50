"""Counterfactual versions of the action plan, each against the reference it must be paired with.

* **Late**: the whole plan a year late (``plan_one_year_late``, 2025-04 to 2027-12) against
  ``baseline_to_2027``; beside it, the plan on time with the horizon extended to 2027-12
  (``action_plan_to_2027``, built from ``action_plan.toml``), so the cost of the delay shows.
* **Incentives in the West only** and **without international measures**, each against the
  baseline and against the whole plan (the same runs, paired with either reference).
* **To 2030**: the whole plan (levers to 2026-12) against ``baseline_to_2030``, showing the lagged
  effect of education: effects on digital talent, students and graduates by year.

Usage::

    .venv/bin/python experiments/counterfactuals.py [--replicates N] [--scale K] [--seed S] [--workers W] [--out DIR]
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from common import (
    ACTION_PLAN,
    BASELINE,
    COUNTERFACTUALS,
    OUTCOMES,
    describe,
    effect_columns,
    interval_cells,
    main,
    markdown_table,
    numbers,
    parse_args,
    run_comparison,
    write,
)

from talentsim.compare import HIGH_LEVEL_TALENT, Comparison, format_interval, format_number
from talentsim.plotting import plot_effects_panel, plot_forest_panel, plot_yearly_effects
from talentsim.scenario import load_scenario

YEARLY_METRICS = ("n_digital_talent", "new_digital_graduates", "n_digital_students", "high_level_share")


def summary_rows(comparison: Comparison, reference: str) -> pd.DataFrame:
    """One row per scenario: horizon-end effects, cost and cost per additional talent."""
    table = effect_columns(comparison, [*OUTCOMES, HIGH_LEVEL_TALENT])
    cost = comparison.cost_effectiveness.set_index("scenario")
    table.insert(0, "reference", reference)
    table.insert(2, "horizon_end", f"{comparison.horizon_end:%Y-%m}")
    for col in ("cost_to_horizon", "cost_per_additional_talent", "cost_per_additional_high_level_talent"):
        table[col] = table["scenario"].map(cost[col]).to_numpy()
    return table


def counterfactuals() -> int:
    """Run the experiment and write its folder."""
    args = parse_args("counterfactuals", __doc__.splitlines()[0])

    # A year late, with the plan on time over the same horizon.
    late_ref = COUNTERFACTUALS / "baseline_to_2027.toml"
    on_time = load_scenario(ACTION_PLAN).with_updates(name="action_plan_to_2027", horizon__end="2027-12")
    late = run_comparison(late_ref, [COUNTERFACTUALS / "plan_one_year_late.toml", on_time], args)

    # Variants of the plan against the baseline, then the same runs against the plan.
    variant_files = [COUNTERFACTUALS / f"{n}.toml" for n in ("incentives_west_only", "plan_without_international")]
    variants = run_comparison(BASELINE, [ACTION_PLAN, *variant_files], args)
    plan, *others = variants.results.values()
    against_plan = Comparison.from_results(plan, others)

    # To 2030.
    to_2030 = run_comparison(
        COUNTERFACTUALS / "baseline_to_2030.toml", [COUNTERFACTUALS / "action_plan_to_2030.toml"], args
    )
    yearly = to_2030.yearly_effects(YEARLY_METRICS)

    summary = pd.concat(
        [
            summary_rows(late, late.baseline_name),
            summary_rows(variants, variants.baseline_name),
            summary_rows(against_plan, against_plan.baseline_name),
            summary_rows(to_2030, to_2030.baseline_name),
        ],
        ignore_index=True,
    )
    shown = summary[["reference", "scenario", "horizon_end"]].copy()
    shown["Δ digital talent (people)"] = interval_cells(summary, "n_digital_talent")
    shown["Δ high-level talent (people)"] = interval_cells(summary, HIGH_LEVEL_TALENT)
    shown["Δ high-level share"] = interval_cells(summary, "high_level_share")
    shown["Δ regional mismatch"] = interval_cells(summary, "regional_mismatch")
    shown["Δ cost (yuan)"] = numbers(summary["cost_to_horizon"], "cost_to_horizon")
    shown["yuan per additional talent"] = numbers(summary["cost_per_additional_talent"], "cost_per_additional_talent")

    by_year = yearly[["metric", "year", "months"]].copy()
    by_year["baseline"] = [format_number(r.baseline_median, r.metric) for r in yearly.itertuples()]
    by_year["effect"] = [
        format_interval(r.effect_median, r.effect_low, r.effect_high, r.metric) for r in yearly.itertuples()
    ]
    markdown = "\n".join(
        [
            "## Counterfactuals, each paired with its reference at the reference's horizon",
            "",
            describe(variants) + ". Δ cost and yuan per additional talent are against the reference; "
            "nan where the scenario adds no talent or saves money.",
            "",
            markdown_table(shown),
            "",
            f"## The whole plan to 2030 against {to_2030.baseline_name}: effects by year",
            "",
            "Flows (new_) are summed over the year (people a year); stocks and shares at the year's last month. "
            "The levers end in 2026-12.",
            "",
            markdown_table(by_year),
        ]
    )

    figures = {
        "forest_late": plot_forest_panel(
            late.effects,
            title=f"Plan a year late and on time, against {late.baseline_name}, at 2027-12",
            level=late.level,
        ),
        "forest_vs_baseline": plot_forest_panel(
            variants.effects,
            title=f"Variants of the plan against {variants.baseline_name}, at 2026-12",
            level=variants.level,
        ),
        "forest_vs_action_plan": plot_forest_panel(
            against_plan.effects,
            title=f"Variants of the plan against the whole plan ({against_plan.baseline_name}), at 2026-12",
            difference="variant − whole plan",
            level=against_plan.level,
        ),
        "effects_2030": plot_effects_panel(
            to_2030.effects,
            ("n_digital_talent", "n_digital_students", "new_digital_graduates", "high_level_share"),
            level=to_2030.level,
        ),
    }
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    plot_yearly_effects(yearly, "n_digital_talent", ax=axes[0], level=to_2030.level)
    plot_yearly_effects(yearly, "new_digital_graduates", ax=axes[1], level=to_2030.level)
    fig.suptitle(f"The whole plan to 2030 against {to_2030.baseline_name}: effects by year (levers end 2026-12)")
    figures["yearly_2030"] = fig

    write(
        args,
        markdown=markdown,
        tables={"counterfactuals": summary, "yearly_2030": yearly},
        figures=figures,
        comparisons={
            "late": late,
            "variants_vs_baseline": variants,
            "variants_vs_action_plan": against_plan,
            "to_2030": to_2030,
        },
    )
    return 0


if __name__ == "__main__":
    main(counterfactuals)
