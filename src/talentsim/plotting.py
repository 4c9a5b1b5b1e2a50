"""Figures drawn from saved tidy tables, never from live models."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

DEFAULT_PANEL: tuple[str, ...] = (
    "n_digital_talent",
    "n_digital_gap",
    "n_digital_students",
    "high_level_share",
    "regional_mismatch",
    "unemployment_rate",
    "mean_wage_digital",
    "new_digital_graduates",
    "new_trained",
)

UNITS = {
    "n_": "people",
    "new_": "people a month",
    "cum_policy_cost": "yuan",
    "mean_wage_digital": "yuan a year",
    "mean_level": "level (0-8)",
}

# Okabe-Ito: readable by colour-blind readers.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def unit_of(metric: str) -> str:
    """The unit a metric is reported in."""
    for prefix, unit in UNITS.items():
        if metric == prefix or (prefix.endswith("_") and metric.startswith(prefix)):
            return unit
    return "share"


def _people(x: float, _pos: int) -> str:
    return f"{x:,.0f}"


def plot_panel(ts: pd.DataFrame, metrics: list[str] | tuple[str, ...] | None = None, ncols: int = 3) -> Figure:
    """Small multiples of national metrics over time.

    The median over replicates is a line and the 10-90 % band is shaded, one colour per scenario.

    Args:
        ts: a tidy table (columns scenario, replicate, date, region, field, level, metric, value).
        metrics: which national metrics to draw (default :data:`DEFAULT_PANEL`).
        ncols: panels per row.
    """
    metrics = list(metrics or DEFAULT_PANEL)
    nat = ts[(ts["region"] == "all") & (ts["field"] == "all") & (ts["level"] == "all") & ts["metric"].isin(metrics)]
    nrows = -(-len(metrics) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows), squeeze=False, layout="constrained")
    scenarios = list(dict.fromkeys(nat["scenario"]))
    for ax, metric in zip(axes.ravel(), metrics, strict=False):
        sel = nat[nat["metric"] == metric]
        for i, name in enumerate(scenarios):
            g = sel[sel["scenario"] == name].groupby("date")["value"]
            med, lo, hi = g.median(), g.quantile(0.1), g.quantile(0.9)
            colour = PALETTE[i % len(PALETTE)]
            ax.plot(med.index, med.values, color=colour, label=name)
            ax.fill_between(med.index, lo.values, hi.values, color=colour, alpha=0.25, linewidth=0)
        ax.set_title(metric, fontsize=10)
        ax.set_ylabel(unit_of(metric), fontsize=8)
        if unit_of(metric) not in ("share", "level (0-8)"):
            ax.yaxis.set_major_formatter(FuncFormatter(_people))
        ax.tick_params(labelsize=7)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
    for ax in axes.ravel()[len(metrics) :]:
        ax.set_visible(False)
    if scenarios:
        axes.ravel()[0].legend(fontsize=7, title="median, 10-90 % band", title_fontsize=7)
    fig.suptitle("National outcomes by month", fontsize=12)
    return fig
