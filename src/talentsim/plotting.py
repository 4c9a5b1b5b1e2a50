"""Figures drawn from saved tidy tables, never from live models.

Importing this module leaves matplotlib's backend alone (a notebook keeps its inline figures);
the ``talentsim`` command selects the file-only Agg backend itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
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
# After the eight colours come round again, lines change style.
LINESTYLES = ("-", "--", ":", "-.")

# Horizon-end effects drawn in a comparison's forest plot.
FOREST_METRICS: tuple[str, ...] = ("n_digital_talent", "high_level_share", "regional_mismatch", "cum_policy_cost")

# What an effect is the difference of, as axis labels say.
DIFFERENCE = "scenario − baseline"

# Effects over time drawn for a comparison.
EFFECT_PANEL: tuple[str, ...] = (
    "n_digital_talent",
    "n_digital_gap",
    "high_level_share",
    "regional_mismatch",
    "n_digital_students",
    "new_digital_graduates",
    "new_trained",
    "mean_wage_digital",
    "cum_policy_cost",
)


def unit_of(metric: str) -> str:
    """The unit a metric is reported in."""
    for prefix, unit in UNITS.items():
        if metric == prefix or (prefix.endswith("_") and metric.startswith(prefix)):
            return unit
    return "share"


def _people(x: float, _pos: int) -> str:
    return f"{x:,.0f}"


def compact_number(x: float, _pos: int | None = None) -> str:
    """A count or an amount in yuan with a thousands, millions or billions suffix."""
    for threshold, size, suffix in ((1e9, 1e9, " bn"), (1e6, 1e6, " M"), (1e4, 1e3, " k")):
        if abs(x) >= threshold:
            return f"{x / size:,.4g}{suffix}"
    return f"{x:,.0f}"


def _style(i: int) -> dict[str, str]:
    """Colour and line style of the ``i``-th scenario of a figure."""
    return {"color": PALETTE[i % len(PALETTE)], "linestyle": LINESTYLES[(i // len(PALETTE)) % len(LINESTYLES)]}


Styles = Mapping[str, Mapping[str, str]]


def scenario_styles(names: Sequence[str]) -> dict[str, dict[str, str]]:
    """A colour and line style for each scenario, in order.

    Pass the result to every figure of a report so that a scenario keeps its colour throughout.
    """
    return {name: _style(i) for i, name in enumerate(dict.fromkeys(names))}


def _styles_for(names: Sequence[str], styles: Styles | None) -> dict[str, Mapping[str, str]]:
    """Styles of ``names``: those given, and the next unused ones in order for the rest."""
    given = dict(styles or {})
    out: dict[str, Mapping[str, str]] = {}
    spare = len(given)
    for name in names:
        if name in given:
            out[name] = given[name]
        else:
            out[name] = _style(spare)
            spare += 1
    return out


def _is_count(unit: str) -> bool:
    return unit not in ("share", "level (0-8)")


def _wan(x: float, _pos: int | None = None) -> str:
    return f"{x / 1e4:,.0f}"


def _cjk_font() -> str | None:
    """A font family with Chinese characters, if one is installed (for the 万 unit)."""
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        low = path.lower()
        if any(key in low for key in ("wqy", "notosanscjk", "notoserifcjk", "droidsansfallback")):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


def _count_axis(ax: Axes, unit: str, wan: bool) -> None:
    """Format a count axis with thousands separators, or in 万 (ten thousands) when asked."""
    if wan and unit.startswith("people"):
        ax.yaxis.set_major_formatter(FuncFormatter(_wan))
        font = _cjk_font()
        label = unit.replace("people", "万 people" if font else "wan (10,000) people")
        ax.set_ylabel(label, fontsize=8, fontfamily=[font, "DejaVu Sans"] if font else None)
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(_people))
        ax.set_ylabel(unit, fontsize=8)


def lever_windows(scenarios: Mapping[str, Mapping]) -> list[tuple[str, str]]:
    """The distinct (start, end) windows of the levers of scenario dumps (``Scenario.model_dump``)."""
    windows = {(p["start"], p["end"]) for spec in scenarios.values() for p in spec.get("policy", [])}
    return sorted(windows)


def plot_panel(
    ts: pd.DataFrame,
    metrics: list[str] | tuple[str, ...] | None = None,
    ncols: int = 3,
    *,
    axes: Sequence[Axes] | None = None,
    styles: Styles | None = None,
    windows: Sequence[tuple[str, str]] = (),
    wan: bool = False,
    title: str = "National outcomes by month",
) -> Figure:
    """Small multiples of national metrics over time.

    The median over replicates is a line and the 10-90 % band is shaded, one colour per scenario.
    Lever windows are shaded grey behind the lines.

    Args:
        ts: a tidy table (columns scenario, replicate, date, region, field, level, metric, value).
        metrics: which national metrics to draw (default :data:`DEFAULT_PANEL`).
        ncols: panels per row of a new figure.
        axes: Axes to draw on, one per metric (default a new figure).
        styles: colour and line style per scenario (see :func:`scenario_styles`).
        windows: (start, end) months, inclusive, to shade (see :func:`lever_windows`).
        wan: write counts of people in 万 (ten thousands) instead of people.
        title: the figure's title.
    """
    metrics = list(metrics or DEFAULT_PANEL)
    nat = ts[(ts["region"] == "all") & (ts["field"] == "all") & (ts["level"] == "all") & ts["metric"].isin(metrics)]
    if axes is None:
        nrows = -(-len(metrics) // ncols)
        fig, grid = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.0 * nrows), squeeze=False, layout="constrained")
        for extra in grid.ravel()[len(metrics) :]:
            extra.set_visible(False)
        axes = list(grid.ravel()[: len(metrics)])
    elif len(axes) < len(metrics):
        raise ValueError(f"expected {len(metrics)} Axes, one per metric, got {len(axes)}")
    fig = axes[0].figure
    scenarios = list(dict.fromkeys(nat["scenario"]))
    style_of = _styles_for(scenarios, styles)
    for ax, metric in zip(axes, metrics, strict=False):
        for k, (start, end) in enumerate(windows):
            ax.axvspan(
                pd.Timestamp(start),
                pd.Timestamp(end) + pd.offsets.MonthEnd(0),
                color="0.85",
                alpha=0.5,
                linewidth=0,
                label="lever window" if k == 0 else None,
            )
        sel = nat[nat["metric"] == metric]
        for name in scenarios:
            g = sel[sel["scenario"] == name].groupby("date")["value"]
            med, lo, hi = g.median(), g.quantile(0.1), g.quantile(0.9)
            style = dict(style_of[name])
            ax.plot(med.index, med.values, label=name, **style)
            ax.fill_between(med.index, lo.values, hi.values, color=style["color"], alpha=0.25, linewidth=0)
        ax.set_title(metric, fontsize=10)
        unit = unit_of(metric)
        if _is_count(unit):
            _count_axis(ax, unit, wan)
        else:
            ax.set_ylabel(unit, fontsize=8)
        ax.tick_params(labelsize=7)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
    handles, labels = axes[0].get_legend_handles_labels()
    if len(scenarios) > 4:
        fig.legend(
            handles, labels, loc="outside right upper", fontsize=7, title="median, 10-90 % band", title_fontsize=7
        )
    elif scenarios:
        axes[0].legend(fontsize=7, title="median, 10-90 % band", title_fontsize=7)
    fig.suptitle(title, fontsize=12)
    return fig


def _at_date(ts: pd.DataFrame, date: pd.Timestamp | str | None) -> tuple[pd.DataFrame, pd.Timestamp]:
    dates = pd.to_datetime(ts["date"])
    day = dates.max() if date is None else pd.Timestamp(date)
    return ts[dates == day], day


def _median_by(ts: pd.DataFrame, metric: str, by: str, **where: str) -> pd.DataFrame:
    """Median over replicates of ``metric`` by scenario and ``by`` (region, field or level)."""
    sel = ts[ts["metric"] == metric]
    for col, val in where.items():
        sel = sel[sel[col] == val]
    return sel.groupby(["scenario", by], sort=False)["value"].median().unstack(by)


def plot_regions(
    ts: pd.DataFrame,
    *,
    date: pd.Timestamp | str | None = None,
    ax: Axes | None = None,
    styles: Styles | None = None,
) -> Figure:
    """Each region's share of digital talent against its share of digital jobs, per scenario.

    Points on the diagonal are regions whose talent matches their jobs; below it, regions short of
    talent. Medians over replicates at ``date`` (default the last month).

    Args:
        ts: a tidy table of one or more scenarios.
        date: the month to draw.
        ax: the Axes to draw on (default a new figure).
        styles: colour per scenario (see :func:`scenario_styles`).
    """
    at, day = _at_date(ts, date)
    regional = at[(at["region"] != "all") & (at["field"] == "all") & (at["level"] == "all")]
    talent = _median_by(regional, "n_digital_talent", "region")
    jobs = _median_by(regional, "n_digital_jobs", "region")
    names = list(talent.index)
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (5.5, 5.0))
    top = 0.0
    for k, name in enumerate(names):
        t = talent.loc[name] / talent.loc[name].sum()
        j = jobs.loc[name, t.index] / jobs.loc[name].sum()
        ax.scatter(j.values, t.values, color=style_of[name]["color"], label=name, s=28, alpha=0.85)
        top = max(top, float(t.max()), float(j.max()))
        if k == 0:
            for region in t.index:
                ax.annotate(str(region), (j[region], t[region]), fontsize=7, xytext=(4, 2), textcoords="offset points")
    ax.plot(
        [0, top * 1.1], [0, top * 1.1], color="0.5", linewidth=0.8, linestyle="--", label="talent share = job share"
    )
    ax.set_xlabel("share of national digital jobs", fontsize=8)
    ax.set_ylabel("share of national digital talent", fontsize=8)
    ax.set_title(f"Regions: talent against jobs, {day:%Y-%m}", fontsize=10)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7)
    return ax.figure


def plot_structure(
    ts: pd.DataFrame,
    by: str = "level",
    *,
    date: pd.Timestamp | str | None = None,
    ax: Axes | None = None,
    wan: bool = False,
) -> Figure:
    """Stacked bars of digital talent by level or by field, one bar per scenario.

    Args:
        ts: a tidy table of one or more scenarios.
        by: ``"level"`` (1-8) or ``"field"``.
        date: the month to draw (default the last).
        ax: the Axes to draw on (default a new figure).
        wan: write counts in 万 (ten thousands).
    """
    if by not in ("level", "field"):
        raise ValueError(f"by: expected 'level' or 'field', got {by!r}")
    at, day = _at_date(ts, date)
    other = "field" if by == "level" else "level"
    sel = at[(at["region"] == "all") & (at[other] == "all") & (at[by] != "all")]
    table = _median_by(sel, "n_digital_talent", by)
    if by == "level":
        table = table[sorted(table.columns, key=int)]
    ax = _new_axes(ax, (1.6 + 1.1 * len(table), 4.5))
    bottom = np.zeros(len(table))
    levels = plt.get_cmap("viridis")  # ordered levels: a sequential, colour-blind-safe map
    for k, part in enumerate(table.columns):
        values = table[part].to_numpy(dtype=float)
        colour = levels(k / max(len(table.columns) - 1, 1)) if by == "level" else PALETTE[k % len(PALETTE)]
        label = f"level {part}" if by == "level" else str(part)
        ax.bar(range(len(table)), values, bottom=bottom, color=colour, label=label, width=0.6)
        bottom += values
    ax.set_xticks(range(len(table)), labels=list(table.index), fontsize=8, rotation=20)
    _count_axis(ax, "people", wan)
    ax.set_title(f"Digital talent by {by}, {day:%Y-%m}", fontsize=10)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax.figure


def plot_cost_effectiveness(
    cost: pd.DataFrame,
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
) -> Figure:
    """Public cost against additional digital talent at the horizon, one point per scenario.

    Bars show the 10-90 % range of the added talent over paired replicates.

    Args:
        cost: a cost-effectiveness table (columns scenario, cost_to_horizon,
            additional_digital_talent and its _low and _high), such as ``Comparison.cost_effectiveness``.
        ax: the Axes to draw on (default a new figure).
        styles: colour per scenario (see :func:`scenario_styles`).
    """
    names = list(cost["scenario"])
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (6.0, 4.5))
    for _, row in cost.iterrows():
        x = float(row["additional_digital_talent"])
        lo, hi = float(row["additional_digital_talent_low"]), float(row["additional_digital_talent_high"])
        err = np.array([[max(x - lo, 0.0)], [max(hi - x, 0.0)]])
        colour = style_of[row["scenario"]]["color"]
        ax.errorbar(x, float(row["cost_to_horizon"]), xerr=err, fmt="o", color=colour, capsize=3, label=row["scenario"])
        ax.annotate(
            str(row["scenario"]),
            (x, float(row["cost_to_horizon"])),
            fontsize=7,
            xytext=(4, 3),
            textcoords="offset points",
        )
    ax.axvline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_ylim(bottom=min(0.0, float(cost["cost_to_horizon"].min()) * 1.1))
    ax.xaxis.set_major_formatter(FuncFormatter(compact_number))
    ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
    ax.set_xlabel("additional digital talent at the horizon, people (scenario − baseline)", fontsize=8)
    ax.set_ylabel("public cost to the horizon, yuan", fontsize=8)
    ax.set_title("Cost against additional talent", fontsize=10)
    ax.tick_params(labelsize=7)
    return ax.figure


PIPELINE_FLOWS: tuple[str, ...] = (
    "new_graduates",
    "new_digital_graduates",
    "new_trained",
    "new_returnees",
    "new_foreign",
    "new_migrants",
    "new_emigrants",
    "new_retirements",
)


def plot_pipeline(
    ts: pd.DataFrame,
    *,
    flows: Sequence[str] = PIPELINE_FLOWS,
    ax: Axes | None = None,
    styles: Styles | None = None,
    wan: bool = False,
) -> Figure:
    """The flows of the period, summed over the whole table's months: grouped bars per scenario.

    Medians over replicates of each flow's total.

    Args:
        ts: a tidy table of one or more scenarios.
        flows: the ``new_`` metrics to draw.
        ax: the Axes to draw on (default a new figure).
        styles: colour per scenario (see :func:`scenario_styles`).
        wan: write counts in 万 (ten thousands).
    """
    flows = list(flows)
    nat = ts[(ts["region"] == "all") & (ts["field"] == "all") & (ts["level"] == "all") & ts["metric"].isin(flows)]
    totals = nat.groupby(["scenario", "replicate", "metric"], sort=False)["value"].sum()
    table = totals.groupby(["scenario", "metric"], sort=False).median().unstack("metric")[flows]
    names = list(table.index)
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (1.5 + 1.0 * len(flows), 4.5))
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        x = np.arange(len(flows)) + (i - (len(names) - 1) / 2) * width
        ax.bar(x, table.loc[name].to_numpy(dtype=float), width=width, color=style_of[name]["color"], label=name)
    ax.set_xticks(range(len(flows)), labels=[f.removeprefix("new_") for f in flows], fontsize=8, rotation=25)
    # flows differ by three orders of magnitude (retirements against foreign arrivals): a log axis
    ax.set_yscale("log")
    _count_axis(ax, "people (log scale)", wan)
    start, end = pd.to_datetime(nat["date"]).min(), pd.to_datetime(nat["date"]).max()
    ax.set_title(f"Flows of the pipeline, {start:%Y-%m} to {end:%Y-%m} (totals)", fontsize=10)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7)
    return ax.figure


# --- paired effects (tables from talentsim.compare) ---------------------------------------------


def _select(effects: pd.DataFrame, metric: str, region: str = "all") -> pd.DataFrame:
    sel = effects[effects["metric"] == metric]
    if "region" in sel.columns:
        sel = sel[sel["region"] == region]
    if sel.empty:
        raise KeyError(f"no effects on {metric!r} in region {region!r} in the table")
    return sel


def _new_axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is not None:
        return ax
    _fig, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _effect_axis(ax: Axes, metric: str, unit: str | None, axis: str, difference: str = DIFFERENCE) -> str:
    """Label an effect axis with its unit; counts and yuan get compact tick labels."""
    unit = unit or unit_of(metric)
    label = f"effect, {'share (0-1)' if unit == 'share' else unit} ({difference})"
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_label_text(label, fontsize=8)
    if _is_count(unit):
        target.set_major_formatter(FuncFormatter(compact_number))
    return unit


def plot_effect_forest(
    effects: pd.DataFrame,
    metric: str,
    *,
    date: pd.Timestamp | str | None = None,
    region: str = "all",
    ax: Axes | None = None,
    unit: str | None = None,
    difference: str = DIFFERENCE,
    styles: Styles | None = None,
) -> Figure:
    """A forest plot of one metric's effect per scenario at one date.

    Each scenario is a row: a dot at the median of the paired differences (scenario − baseline,
    replicate by replicate) and a bar from their 10th to 90th percentile.

    Args:
        effects: a table with columns scenario, metric, effect_median, effect_low, effect_high and,
            optionally, region and date (such as ``Comparison.effects``).
        metric: the metric to draw.
        date: the date to draw (default the last date in the table); ignored without a date column.
        region: the region to draw; ignored without a region column.
        ax: the Axes to draw on (default a new figure).
        unit: the unit of the effect (default :func:`unit_of` the metric).
        difference: what the effect is the difference of, for the axis label.
        styles: colour per scenario (see :func:`scenario_styles`).

    Returns:
        The Figure drawn on.
    """
    sel = _select(effects, metric, region)
    when = ""
    if "date" in sel.columns:
        dates = pd.to_datetime(sel["date"])
        day = dates.max() if date is None else pd.Timestamp(date)
        sel = sel[dates == day]
        when = f" at {day:%Y-%m}"
    names = list(dict.fromkeys(sel["scenario"]))
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (6.0, 1.2 + 0.35 * len(names)))
    for i, name in enumerate(names):
        row = sel[sel["scenario"] == name].iloc[0]
        med, lo, hi = (float(row[c]) for c in ("effect_median", "effect_low", "effect_high"))
        err = np.array([[max(med - lo, 0.0)], [max(hi - med, 0.0)]])
        ax.errorbar(med, i, xerr=err, fmt="o", color=style_of[name]["color"], capsize=3, markersize=5)
    ax.axvline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_yticks(range(len(names)), labels=names, fontsize=8)
    ax.set_ylim(len(names) - 0.5, -0.5)  # first scenario on top
    ax.tick_params(axis="x", labelsize=7)
    _effect_axis(ax, metric, unit, "x", difference)
    ax.set_title(f"{metric}{when}", fontsize=10)
    return ax.figure


def plot_forest_panel(
    effects: pd.DataFrame,
    metrics: Sequence[str] = FOREST_METRICS,
    *,
    date: pd.Timestamp | str | None = None,
    region: str = "all",
    ncols: int = 2,
    axes: Sequence[Axes] | None = None,
    difference: str = DIFFERENCE,
    title: str | None = None,
    styles: Styles | None = None,
) -> Figure:
    """Forest plots of several metrics' effects at one date (default the horizon's end), one panel each.

    Args:
        effects: a table of paired effects (see :func:`plot_effect_forest`).
        metrics: the metrics to draw, one panel each.
        date: the date to draw (default the last date in the table).
        region: the region to draw.
        ncols: panels per row of a new figure.
        axes: Axes to draw on, one per metric (default a new figure).
        difference: what the effect is the difference of, for the axis labels.
        title: the figure's title (default: effects at the horizon).
        styles: colour per scenario (see :func:`scenario_styles`).

    Returns:
        The Figure drawn on.
    """
    metrics = list(metrics)
    n_scen = effects["scenario"].nunique()
    own = axes is None
    if axes is None:
        nrows = -(-len(metrics) // ncols)
        height = nrows * (1.0 + 0.32 * n_scen)
        fig, grid = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, height), squeeze=False, layout="constrained")
        for extra in grid.ravel()[len(metrics) :]:
            extra.set_visible(False)
        axes = list(grid.ravel()[: len(metrics)])
    elif len(axes) < len(metrics):
        raise ValueError(f"expected {len(metrics)} Axes, one per metric, got {len(axes)}")
    for i, (ax, metric) in enumerate(zip(axes, metrics, strict=False)):
        plot_effect_forest(effects, metric, date=date, region=region, ax=ax, difference=difference, styles=styles)
        if own and i % ncols:  # the scenarios are named in the first column
            ax.tick_params(axis="y", labelleft=False)
    fig = axes[0].figure
    fig.suptitle(
        title or f"Effects at the horizon: median and 10-90 % of paired differences ({difference}) over replicates",
        fontsize=11,
    )
    return fig


def plot_effects_over_time(
    effects: pd.DataFrame,
    metric: str,
    *,
    scenarios: Sequence[str] | None = None,
    region: str = "all",
    ax: Axes | None = None,
    unit: str | None = None,
    styles: Styles | None = None,
) -> Figure:
    """One metric's effect by month: the median paired difference as a line, its 10-90 % band shaded.

    Args:
        effects: a table with columns scenario, metric, date, effect_median, effect_low, effect_high
            and, optionally, region (such as ``Comparison.effects``).
        metric: the metric to draw.
        scenarios: which scenarios to draw (default all, in table order).
        region: the region to draw; ignored without a region column.
        ax: the Axes to draw on (default a new figure).
        unit: the unit of the effect (default :func:`unit_of` the metric).
        styles: colour and line style per scenario (see :func:`scenario_styles`).

    Returns:
        The Figure drawn on.
    """
    sel = _select(effects, metric, region)
    names = list(scenarios) if scenarios is not None else list(dict.fromkeys(sel["scenario"]))
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (6.0, 3.5))
    for name in names:
        rows = sel[sel["scenario"] == name].sort_values("date")
        dates = pd.to_datetime(rows["date"])
        style = dict(style_of[name])
        ax.plot(dates, rows["effect_median"], label=name, **style)
        ax.fill_between(dates, rows["effect_low"], rows["effect_high"], color=style["color"], alpha=0.25, linewidth=0)
    ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    _effect_axis(ax, metric, unit, "y")
    ax.set_title(metric, fontsize=10)
    ax.tick_params(labelsize=7)
    for label in ax.get_xticklabels():
        label.set_rotation(30)
    return ax.figure


def plot_effects_panel(
    effects: pd.DataFrame,
    metrics: Sequence[str] = EFFECT_PANEL,
    *,
    scenarios: Sequence[str] | None = None,
    region: str = "all",
    ncols: int = 3,
    axes: Sequence[Axes] | None = None,
    styles: Styles | None = None,
) -> Figure:
    """Small multiples of effects by month (see :func:`plot_effects_over_time`), one panel per metric.

    Args:
        effects: a table of paired effects by date.
        metrics: the metrics to draw.
        scenarios: which scenarios to draw (default all).
        region: the region to draw.
        ncols: panels per row of a new figure.
        axes: Axes to draw on, one per metric (default a new figure).
        styles: colour and line style per scenario (see :func:`scenario_styles`).

    Returns:
        The Figure drawn on.
    """
    metrics = list(metrics)
    if axes is None:
        nrows = -(-len(metrics) // ncols)
        fig, grid = plt.subplots(nrows, ncols, figsize=(4.4 * ncols, 3.1 * nrows), squeeze=False, layout="constrained")
        for extra in grid.ravel()[len(metrics) :]:
            extra.set_visible(False)
        axes = list(grid.ravel()[: len(metrics)])
    elif len(axes) < len(metrics):
        raise ValueError(f"expected {len(metrics)} Axes, one per metric, got {len(axes)}")
    for ax, metric in zip(axes, metrics, strict=False):
        plot_effects_over_time(effects, metric, scenarios=scenarios, region=region, ax=ax, styles=styles)
    axes[0].legend(fontsize=7, title="median, 10-90 % band", title_fontsize=7)
    fig = axes[0].figure
    fig.suptitle("Effects by month: scenario − baseline, paired by replicate", fontsize=12)
    return fig


def plot_yearly_effects(
    yearly: pd.DataFrame,
    metric: str,
    *,
    scenarios: Sequence[str] | None = None,
    region: str = "all",
    ax: Axes | None = None,
) -> Figure:
    """One metric's effect by calendar year: a dot at the median paired difference and a 10-90 % bar.

    Flows (``new_``) are summed over each year, so their unit is people a year; other metrics are
    taken at the year's last simulated month.

    Args:
        yearly: a table with columns scenario, metric, year, effect_median, effect_low, effect_high and,
            optionally, region (such as ``Comparison.yearly_effects()``).
        metric: the metric to draw.
        scenarios: which scenarios to draw (default all).
        region: the region to draw; ignored without a region column.
        ax: the Axes to draw on (default a new figure).

    Returns:
        The Figure drawn on.
    """
    sel = _select(yearly, metric, region)
    names = list(scenarios) if scenarios is not None else list(dict.fromkeys(sel["scenario"]))
    ax = _new_axes(ax, (6.0, 3.5))
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        rows = sel[sel["scenario"] == name].sort_values("year")
        x = rows["year"].to_numpy(dtype=float) + (i - (len(names) - 1) / 2) * width
        med = rows["effect_median"].to_numpy(dtype=float)
        err = np.vstack(
            [
                np.clip(med - rows["effect_low"].to_numpy(dtype=float), 0, None),
                np.clip(rows["effect_high"] - med, 0, None),
            ]
        )
        ax.errorbar(x, med, yerr=err, fmt="o", color=PALETTE[i % len(PALETTE)], capsize=3, label=name, markersize=5)
    ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    years = sorted(set(sel["year"]))
    ax.set_xticks(years, labels=[str(y) for y in years])
    unit = "people a year" if metric.startswith("new_") else None
    _effect_axis(ax, metric, unit, "y")
    ax.set_title(
        f"{metric} by year" + (" (summed over the year)" if metric.startswith("new_") else " (year's end)"), fontsize=10
    )
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, title="median, 10-90 %", title_fontsize=7)
    return ax.figure
