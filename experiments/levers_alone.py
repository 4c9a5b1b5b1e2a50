"""Every lever of the action plan alone against the baseline.

Runs ``scenarios/levers/<lever>.toml`` for the twelve levers and the baseline on common seeds and
reports, per lever, the effect at the horizon (2026-12) on digital talent, the high-level share and
the regional mismatch, the public cost to the horizon and the cost per additional digital talent.

Usage::

    .venv/bin/python experiments/levers_alone.py [--replicates N] [--scale K] [--seed S] [--workers W] [--out DIR]
"""

from __future__ import annotations

import pandas as pd
from common import (
    BASELINE,
    OUTCOMES,
    describe,
    effect_columns,
    interval_cells,
    lever_files,
    main,
    markdown_table,
    numbers,
    parse_args,
    run_comparison,
    write,
)

from talentsim.compare import HIGH_LEVEL_TALENT
from talentsim.plotting import FOREST_METRICS, plot_forest_panel


def levers_alone() -> int:
    """Run the experiment and write its folder."""
    args = parse_args("levers_alone", __doc__.splitlines()[0])
    comparison = run_comparison(BASELINE, lever_files(), args)
    cost = comparison.cost_effectiveness.set_index("scenario")
    table = effect_columns(comparison, [*OUTCOMES, HIGH_LEVEL_TALENT]).rename(columns={"scenario": "lever"})
    for col in (
        "cost_to_horizon",
        "cost_per_additional_talent",
        "cost_per_additional_high_level_talent",
    ):
        table[col] = table["lever"].map(cost[col]).to_numpy()

    end = f"{comparison.horizon_end:%Y-%m}"
    shown = pd.DataFrame({"lever": table["lever"]})
    shown["Δ digital talent (people)"] = interval_cells(table, "n_digital_talent")
    shown["Δ high-level share"] = interval_cells(table, "high_level_share")
    shown["Δ regional mismatch"] = interval_cells(table, "regional_mismatch")
    shown[f"cost to {end} (yuan)"] = numbers(table["cost_to_horizon"], "cost_to_horizon")
    shown["yuan per additional talent"] = numbers(table["cost_per_additional_talent"], "cost_per_additional_talent")
    markdown = "\n".join(
        [
            f"## Each lever alone against the baseline, at {end}",
            "",
            describe(comparison) + ". Cost per additional talent is nan where the lever adds none.",
            "",
            markdown_table(shown),
        ]
    )
    forest = plot_forest_panel(
        comparison.effects,
        FOREST_METRICS,
        title=f"Each lever alone at {end}: mean paired effect (lever − baseline), "
        f"{100 * comparison.level:g} % confidence interval",
        difference="lever − baseline",
        level=comparison.level,
    )
    write(
        args,
        markdown=markdown,
        tables={"levers_alone": table},
        figures={"levers_forest": forest},
        comparisons={"comparison": comparison},
    )
    return 0


if __name__ == "__main__":
    main(levers_alone)
