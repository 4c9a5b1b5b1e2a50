"""Figures drawn from saved tidy tables, never from live models.

Importing this module leaves matplotlib's backend alone (a notebook keeps its inline figures);
the ``talentsim`` command selects the file-only Agg backend itself.
Titles, axis labels, units, region, field and lever names come from the metric catalogue
(:mod:`talentsim.catalogue`) and the phrases of :mod:`talentsim.phrases`, in English (``lang="en"``)
or Chinese (``lang="zh"``); tick labels from :mod:`talentsim.formatting`, one scale per axis.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from talentsim import catalogue, tidy
from talentsim.catalogue import Lang
from talentsim.fonts import use_cjk_font
from talentsim.formatting import EN_SCALES, AxisFormatter, LogCountFormatter, is_count
from talentsim.phrases import say

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

# Okabe-Ito: readable by colour-blind readers.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
# After the eight colours come round again, lines change style.
LINESTYLES = ("-", "--", ":", "-.")

# Horizon-end effects drawn in a comparison's forest plot.
FOREST_METRICS: tuple[str, ...] = catalogue.HEADLINE_EFFECTS

# What an effect is the difference of, as axis labels say.

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


def unit_of(metric: str, lang: Lang = "en") -> str:
    """The unit a metric is reported in, in words (from the catalogue)."""
    return catalogue.metric_unit(metric, lang)


def compact_number(x: float, _pos: int | None = None) -> str:
    """A count or an amount in yuan with a thousands, millions or billions suffix.

    For one number on its own (a printed table); an axis uses :class:`~talentsim.formatting.AxisFormatter`,
    which writes all its ticks at one scale.
    """
    for threshold, size, suffix in EN_SCALES:
        if abs(x) >= threshold:
            return f"{x / size:,.4g}{suffix}"
    return f"{x:,.0f}"


def _prepare(lang: Lang, wan: bool = False) -> None:
    """Check ``lang`` and let text fall back to a CJK font (Chinese names, 万, scenario labels in Chinese)."""
    catalogue.check_lang(lang)
    use_cjk_font()


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


def _count_axis(axis: Axis, unit: str, lang: Lang = "en", wan: bool = False, label: str | None = None) -> None:
    """Label an axis in ``unit`` (a catalogue unit key) and write its ticks at one scale.

    Counts and yuan get an :class:`~talentsim.formatting.AxisFormatter` (k, M, bn or 万, 亿 on every
    tick alike; in 万 without suffix when ``wan``, the label then says 万); other units keep
    matplotlib's plain ticks. ``label`` replaces the unit as the axis label (use ``{unit}`` in it).
    """
    text = catalogue.unit_text(unit, lang, wan=wan)
    axis.set_label_text(label.format(unit=text) if label else text, fontsize=8)
    if is_count(unit):
        axis.set_major_formatter(AxisFormatter(unit, lang, wan=wan))


def _shade_windows(
    ax: Axes, windows: Sequence[tuple[str, str]], lang: Lang, dates: pd.Series | pd.DatetimeIndex | None = None
) -> None:
    """Grey spans behind the lines for lever windows (inclusive months); the first one is labelled.

    With ``dates`` (the months drawn), windows are clipped to them, so a window reaching past the
    horizon does not stretch the axis.
    """
    first = last = None
    if dates is not None and len(dates):
        dates = pd.to_datetime(pd.Series(dates))
        first, last = dates.min(), dates.max() + pd.offsets.MonthEnd(0)
    k = 0
    for start, end in windows:
        lo, hi = pd.Timestamp(start), pd.Timestamp(end) + pd.offsets.MonthEnd(0)
        if first is not None:
            lo, hi = max(lo, first), min(hi, last)
            if hi <= lo:
                continue
        ax.axvspan(lo, hi, color="0.85", alpha=0.5, linewidth=0, label=say("lever_window", lang) if k == 0 else None)
        k += 1


def _band_title(banded: bool, lang: Lang) -> str:
    """The legend's title: a 10-90 % band only when there is one (more than one replicate)."""
    return say("band_legend" if banded else "one_replicate_legend", lang)


def lever_windows(scenarios: Mapping[str, Mapping]) -> list[tuple[str, str]]:
    """The distinct (start, end) windows of the levers of scenario dumps (``Scenario.model_dump``)."""
    windows = {(p["start"], p["end"]) for spec in scenarios.values() for p in spec.get("policy", [])}
    return sorted(windows)


def _replicates(ts: pd.DataFrame) -> int:
    return int(ts["replicate"].nunique()) if "replicate" in ts.columns and len(ts) else 1


def plot_panel(
    ts: pd.DataFrame,
    metrics: list[str] | tuple[str, ...] | None = None,
    ncols: int = 3,
    *,
    axes: Sequence[Axes] | None = None,
    styles: Styles | None = None,
    windows: Sequence[tuple[str, str]] = (),
    wan: bool = False,
    title: str | None = None,
    lang: Lang = "en",
) -> Figure:
    """Small multiples of national metrics over time.

    The median over replicates is a line and, with more than one replicate, the 10-90 % band is
    shaded, one colour per scenario. Lever windows are shaded grey behind the lines.

    Args:
        ts: a tidy table (columns scenario, replicate, date, region, field, level, metric, value).
        metrics: which national metrics to draw (default :data:`DEFAULT_PANEL`).
        ncols: panels per row of a new figure.
        axes: Axes to draw on, one per metric (default a new figure).
        styles: colour and line style per scenario (see :func:`scenario_styles`).
        windows: (start, end) months, inclusive, to shade (see :func:`lever_windows`).
        wan: write counts of people in 万 (ten thousands) instead of people.
        title: the figure's title (default: national outcomes by month, in ``lang``).
        lang: ``en`` or ``zh`` for titles, labels and numbers.
    """
    _prepare(lang, wan)
    metrics = list(metrics or DEFAULT_PANEL)
    nat = tidy.totals(ts)
    nat = nat[nat["metric"].isin(metrics)]
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
    banded = _replicates(nat) > 1
    for ax, metric in zip(axes, metrics, strict=False):
        _shade_windows(ax, windows, lang, nat["date"])
        sel = nat[nat["metric"] == metric]
        for name in scenarios:
            g = sel[sel["scenario"] == name].groupby("date")["value"]
            med = g.median()
            style = dict(style_of[name])
            ax.plot(med.index, med.values, label=name, **style)
            if banded:
                lo, hi = g.quantile(0.1), g.quantile(0.9)
                ax.fill_between(med.index, lo.values, hi.values, color=style["color"], alpha=0.25, linewidth=0)
        ax.set_title(catalogue.label(metric, lang), fontsize=10)
        _count_axis(ax.yaxis, catalogue.unit_key(metric), lang, wan)
        ax.tick_params(labelsize=7)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
    handles, labels = axes[0].get_legend_handles_labels()
    legend_title = _band_title(banded, lang)
    if len(scenarios) > 4:
        fig.legend(handles, labels, loc="outside right upper", fontsize=7, title=legend_title, title_fontsize=7)
    elif scenarios:
        axes[0].legend(fontsize=7, title=legend_title, title_fontsize=7)
    fig.suptitle(title or say("panel_title", lang), fontsize=12)
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


def place_labels(ax: Axes, texts: Sequence[matplotlib.text.Text]) -> None:
    """Move point labels apart so that no two overlap, with a thin leader to the point.

    adjustText lays the labels out, iterated a fixed number of times (not for a fixed time), so a
    figure is the same on every machine. Should two labels still overlap after it, the later ones (in
    order of height) are lifted just above those they overlap, which ends with no overlap since a
    label only ever moves up past the finitely many labels below it.
    """
    from adjustText import adjust_text

    if len(texts) < 2:
        return
    ax.figure.canvas.draw()  # settle the layout first: labels are placed in display space
    adjust_text(
        list(texts),
        ax=ax,
        iter_lim=500,
        expand=(1.15, 1.35),
        force_text=(0.3, 0.5),
        arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.5},
    )
    _lift_overlapping(ax, texts)


def _lift_overlapping(ax: Axes, texts: Sequence[matplotlib.text.Text]) -> None:
    """Lift labels, lowest first, above any already placed label they overlap (display space)."""
    renderer = ax.figure.canvas.get_renderer()
    placed: list = []
    for text in sorted(texts, key=lambda t: t.get_window_extent(renderer).y0):
        box = text.get_window_extent(renderer)
        while hits := [b for b in placed if b.overlaps(box)]:
            rise = max(b.y1 for b in hits) + 1.0 - box.y0
            x, y = ax.transData.transform(text.get_position())
            text.set_position(ax.transData.inverted().transform((x, y + rise)))
            box = text.get_window_extent(renderer)
        placed.append(box)


def plot_regions(
    ts: pd.DataFrame,
    *,
    date: pd.Timestamp | str | None = None,
    ax: Axes | None = None,
    styles: Styles | None = None,
    lang: Lang = "en",
) -> Figure:
    """Each region's share of digital talent against its share of digital jobs, per scenario.

    Points on the diagonal are regions whose talent matches their jobs; below it, regions short of
    talent. Medians over replicates at ``date`` (default the last month). The first scenario's
    points carry the region names, moved apart so that none overlaps another (:func:`place_labels`).

    Args:
        ts: a tidy table of one or more scenarios.
        date: the month to draw.
        ax: the Axes to draw on (default a new figure).
        styles: colour per scenario (see :func:`scenario_styles`).
        lang: ``en`` or ``zh`` for labels and region names.
    """
    _prepare(lang)
    at, day = _at_date(ts, date)
    regional = at[(at["region"] != "all") & (at["field"] == "all") & (at["level"] == "all")]
    talent = _median_by(regional, "n_digital_talent", "region")
    jobs = _median_by(regional, "n_digital_jobs", "region")
    names = list(talent.index)
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (5.5, 5.0))
    top = 0.0
    texts = []
    for k, name in enumerate(names):
        t = talent.loc[name] / talent.loc[name].sum()
        j = jobs.loc[name, t.index] / jobs.loc[name].sum()
        ax.scatter(j.values, t.values, color=style_of[name]["color"], label=name, s=28, alpha=0.85)
        top = max(top, float(t.max()), float(j.max()))
        if k == 0:
            texts = [
                ax.text(float(j[region]), float(t[region]), catalogue.region_label(str(region), lang), fontsize=7)
                for region in t.index
            ]
    ax.plot(
        [0, top * 1.1],
        [0, top * 1.1],
        color="0.5",
        linewidth=0.8,
        linestyle="--",
        label=say("regions_diagonal", lang),
    )
    ax.set_xlabel(say("regions_x", lang), fontsize=8)
    ax.set_ylabel(say("regions_y", lang), fontsize=8)
    ax.set_title(say("regions_title", lang, date=f"{day:%Y-%m}"), fontsize=10)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=7, loc="upper left")
    place_labels(ax, texts)
    return ax.figure


def plot_structure(
    ts: pd.DataFrame,
    by: str = "level",
    *,
    date: pd.Timestamp | str | None = None,
    ax: Axes | None = None,
    wan: bool = False,
    lang: Lang = "en",
) -> Figure:
    """Stacked bars of digital talent by level or by field, one bar per scenario.

    Args:
        ts: a tidy table of one or more scenarios.
        by: ``"level"`` (1-8) or ``"field"``.
        date: the month to draw (default the last).
        ax: the Axes to draw on (default a new figure).
        wan: write counts in 万 (ten thousands).
        lang: ``en`` or ``zh`` for labels, field names and numbers.
    """
    if by not in ("level", "field"):
        raise ValueError(f"by: expected 'level' or 'field', got {by!r}")
    _prepare(lang, wan)
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
        label = say("level_n", lang, n=part) if by == "level" else catalogue.field_label(str(part), lang)
        ax.bar(range(len(table)), values, bottom=bottom, color=colour, label=label, width=0.6)
        bottom += values
    ax.set_xticks(range(len(table)), labels=list(table.index), fontsize=8, rotation=20)
    _count_axis(ax.yaxis, "people", lang, wan)
    ax.set_title(say(f"structure_title_{by}", lang, date=f"{day:%Y-%m}"), fontsize=10)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return ax.figure


def plot_cost_effectiveness(
    cost: pd.DataFrame,
    *,
    ax: Axes | None = None,
    styles: Styles | None = None,
    wan: bool = False,
    lang: Lang = "en",
    interval: str = "ci",
    level: float | None = None,
) -> Figure:
    """Public cost against additional digital talent at the horizon, one point per scenario.

    With ``interval="ci"`` (the default) a point is at the mean paired cost and the mean paired
    gain, and its bar is the gain's confidence interval (``additional_digital_talent_ci_low`` to
    ``_ci_high``); with ``interval="spread"`` at the medians, with the gain's 10-90 % spread over
    paired replicates. The legend says which.

    Args:
        cost: a cost-effectiveness table (columns scenario, cost_to_horizon_mean,
            additional_digital_talent_mean and its _ci_low and _ci_high; or cost_to_horizon,
            additional_digital_talent and its _low and _high), such as ``Comparison.cost_effectiveness``.
        ax: the Axes to draw on (default a new figure).
        styles: colour per scenario (see :func:`scenario_styles`).
        wan: write counts of people in 万 (ten thousands).
        lang: ``en`` or ``zh`` for labels and numbers.
        interval: ``"ci"`` or ``"spread"`` (see :data:`INTERVALS`).
        level: the confidence level of the table's intervals, for the legend.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval: expected one of {', '.join(INTERVALS)}, got {interval!r}")
    gain = "additional_digital_talent"
    ci = {"cost_to_horizon_mean", f"{gain}_mean", f"{gain}_ci_low", f"{gain}_ci_high"}
    kind = "ci" if interval == "ci" and ci <= set(cost.columns) else "spread"
    if kind == "ci":
        y_col, x_col, low, high = "cost_to_horizon_mean", f"{gain}_mean", f"{gain}_ci_low", f"{gain}_ci_high"
    else:
        y_col, x_col, low, high = "cost_to_horizon", gain, f"{gain}_low", f"{gain}_high"
    _prepare(lang, wan)
    names = list(cost["scenario"])
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (6.0, 4.5))
    texts = []
    for _, row in cost.iterrows():
        x, y = float(row[x_col]), float(row[y_col])
        lo, hi = float(row[low]), float(row[high])
        err = np.array([[max(x - lo, 0.0)], [max(hi - x, 0.0)]]) if np.isfinite(lo) and np.isfinite(hi) else None
        colour = style_of[row["scenario"]]["color"]
        ax.errorbar(x, y, xerr=err, fmt="o", color=colour, capsize=3, label=row["scenario"])
        texts.append(ax.text(x, y, str(row["scenario"]), fontsize=7))
    ax.axvline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_ylim(bottom=min(0.0, float(cost[y_col].min()) * 1.1))
    ax.legend(fontsize=7, title=interval_label(kind, level, lang, banded=_has_band(cost, low, high)), title_fontsize=7)
    difference = say("difference", lang)
    _count_axis(ax.xaxis, "people", lang, wan, label=say("cost_x", lang, unit="{unit}", difference=difference))
    _count_axis(ax.yaxis, "yuan", lang, label=say("cost_y", lang, unit="{unit}"))
    ax.set_title(say("cost_title", lang), fontsize=10)
    ax.tick_params(labelsize=7)
    place_labels(ax, texts)
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
    lang: Lang = "en",
) -> Figure:
    """The flows of the period, summed over the whole table's months: grouped bars per scenario.

    Medians over replicates of each flow's total.

    Args:
        ts: a tidy table of one or more scenarios.
        flows: the ``new_`` metrics to draw.
        ax: the Axes to draw on (default a new figure).
        styles: colour per scenario (see :func:`scenario_styles`).
        wan: write counts in 万 (ten thousands).
        lang: ``en`` or ``zh`` for labels and numbers.
    """
    _prepare(lang, wan)
    flows = list(flows)
    nat = tidy.totals(ts)
    nat = nat[nat["metric"].isin(flows)]
    totals = nat.groupby(["scenario", "replicate", "metric"], sort=False)["value"].sum()
    table = totals.groupby(["scenario", "metric"], sort=False).median().unstack("metric")[flows]
    names = list(table.index)
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (1.5 + 1.0 * len(flows), 4.5))
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        x = np.arange(len(flows)) + (i - (len(names) - 1) / 2) * width
        ax.bar(x, table.loc[name].to_numpy(dtype=float), width=width, color=style_of[name]["color"], label=name)
    ax.set_xticks(
        range(len(flows)),
        labels=[catalogue.label(f, lang) for f in flows],
        fontsize=7,
        rotation=30,
        ha="right",
        rotation_mode="anchor",
    )
    # flows differ by three orders of magnitude (retirements against foreign arrivals): a log axis
    ax.set_yscale("log")
    unit = catalogue.unit_text("people", lang, wan=wan or lang == "zh")
    ax.set_ylabel(say("log_scale", lang, unit=unit), fontsize=8)
    ax.yaxis.set_major_formatter(LogCountFormatter(lang, wan=wan))
    start, end = pd.to_datetime(nat["date"]).min(), pd.to_datetime(nat["date"]).max()
    ax.set_title(say("pipeline_title", lang, start=f"{start:%Y-%m}", end=f"{end:%Y-%m}"), fontsize=10)
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


def _has_band(effects: pd.DataFrame, low: str = "effect_low", high: str = "effect_high") -> bool:
    """Whether effects have a band (more than one replicate).

    A confidence interval exists from two replicates on (it is NaN with one; a quantity equal in
    every replicate, such as a fixed cost, has a zero-width interval, which is still one); a 10-90 %
    spread is told from one replicate's by some low differing from its high.
    """
    lo, hi = effects[low].to_numpy(dtype=float), effects[high].to_numpy(dtype=float)
    both = np.isfinite(lo) & np.isfinite(hi)
    if low.endswith("_ci_low"):
        return bool(np.any(both))
    return bool(np.any(lo[both] != hi[both]))


#: What the effect figures draw: ``"ci"``, the mean paired effect with its confidence interval (the
#: numbers of effects.csv's ``effect_mean``, ``effect_mean_ci_low``/``_high``); ``"spread"``, the
#: median paired effect with the 10-90 % spread of the replicates' effects.
INTERVALS: tuple[str, ...] = ("ci", "spread")
_CI_COLUMNS = ("effect_mean", "effect_mean_ci_low", "effect_mean_ci_high")
_SPREAD_COLUMNS = ("effect_median", "effect_low", "effect_high")


def effect_interval(effects: pd.DataFrame, interval: str = "ci") -> tuple[str, tuple[str, str, str]]:
    """Which interval an effect figure draws, and the (point, low, high) columns it reads.

    ``"ci"`` falls back to ``"spread"`` for a table without confidence columns (a folder written
    before they were recorded), so that the figure's label says what is drawn.

    Raises:
        ValueError: ``interval`` is not one of :data:`INTERVALS`.
    """
    if interval not in INTERVALS:
        raise ValueError(f"interval: expected one of {', '.join(INTERVALS)}, got {interval!r}")
    if interval == "ci" and set(_CI_COLUMNS) <= set(effects.columns):
        return "ci", _CI_COLUMNS
    return "spread", _SPREAD_COLUMNS


def interval_label(kind: str, level: float | None, lang: Lang = "en", banded: bool = True) -> str:
    """The legend words of an effect figure: "mean effect, 95 % CI" or "median, 10-90 % spread".

    Args:
        kind: ``"ci"`` or ``"spread"`` (see :func:`effect_interval`).
        level: the confidence level (a fraction), or None/0 when it is not known.
        lang: ``en`` or ``zh``.
        banded: whether an interval is drawn at all (not with one replicate).
    """
    if kind == "ci":
        if not banded:
            return say("mean_no_ci_legend", lang)
        return say("ci_legend", lang, pct=f"{100 * level:g} %") if level else say("ci_legend_unknown", lang)
    return say("median_interval_legend" if banded else "one_replicate_legend", lang)


def _effect_axis(
    ax: Axes,
    metric: str,
    unit: str | None,
    axis: str,
    difference: str | None = None,
    lang: Lang = "en",
    wan: bool = False,
) -> str:
    """Label an effect axis with its unit; counts and yuan get one scale for all ticks.

    Args:
        ax: the Axes.
        metric: the metric whose effect is drawn.
        unit: the unit key (default the metric's, from the catalogue).
        axis: ``"x"`` or ``"y"``.
        difference: what the effect is the difference of (default scenario − baseline in ``lang``).
        lang: ``en`` or ``zh``.
        wan: counts of people in 万.

    Returns:
        The unit key.
    """
    unit = unit or catalogue.unit_key(metric)
    label = say("effect_axis", lang, unit="{unit}", difference=difference or say("difference", lang))
    _count_axis(ax.xaxis if axis == "x" else ax.yaxis, unit, lang, wan, label=label)
    return unit


def plot_effect_forest(
    effects: pd.DataFrame,
    metric: str,
    *,
    date: pd.Timestamp | str | None = None,
    region: str = "all",
    ax: Axes | None = None,
    unit: str | None = None,
    difference: str | None = None,
    styles: Styles | None = None,
    wan: bool = False,
    lang: Lang = "en",
    interval: str = "ci",
    level: float | None = None,
) -> Figure:
    """A forest plot of one metric's effect per scenario at one date.

    Each scenario is a row. With ``interval="ci"`` (the default): a dot at the mean of the paired
    differences (scenario − baseline, replicate by replicate) and a bar over its confidence
    interval, ``effect_mean_ci_low`` to ``effect_mean_ci_high``. With ``interval="spread"``: a dot
    at their median and a bar from their 10th to 90th percentile (how one replicate's effect
    varies). The axes' legend says which.

    Args:
        effects: a table with columns scenario, metric, effect_mean, effect_mean_ci_low,
            effect_mean_ci_high (or effect_median, effect_low, effect_high for the spread) and,
            optionally, region and date (such as ``Comparison.effects``).
        metric: the metric to draw.
        date: the date to draw (default the last date in the table); ignored without a date column.
        region: the region to draw; ignored without a region column.
        ax: the Axes to draw on (default a new figure).
        unit: the unit key of the effect (default the metric's, from the catalogue).
        difference: what the effect is the difference of, for the axis label.
        styles: colour per scenario (see :func:`scenario_styles`).
        wan: counts of people in 万.
        lang: ``en`` or ``zh`` for labels and numbers.
        interval: ``"ci"`` or ``"spread"`` (see :data:`INTERVALS`).
        level: the confidence level of the table's intervals, for the label (``Comparison.level``).

    Returns:
        The Figure drawn on.
    """
    _prepare(lang, wan)
    sel = _select(effects, metric, region)
    kind, (point, low, high) = effect_interval(sel, interval)
    title = catalogue.label(metric, lang)
    if "date" in sel.columns:
        dates = pd.to_datetime(sel["date"])
        day = dates.max() if date is None else pd.Timestamp(date)
        sel = sel[dates == day]
        title = say("at_date", lang, label=title, date=f"{day:%Y-%m}")
    names = list(dict.fromkeys(sel["scenario"]))
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (6.0, 1.2 + 0.35 * len(names)))
    label = interval_label(kind, level, lang, banded=_has_band(sel, low, high))
    for i, name in enumerate(names):
        row = sel[sel["scenario"] == name].iloc[0]
        mid, lo, hi = (float(row[c]) for c in (point, low, high))
        err = np.array([[max(mid - lo, 0.0)], [max(hi - mid, 0.0)]]) if np.isfinite(lo) and np.isfinite(hi) else None
        ax.errorbar(mid, i, xerr=err, fmt="o", color=style_of[name]["color"], capsize=3, markersize=5)
    ax.axvline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    key = Line2D([], [], color="0.3", marker="o", markersize=5)
    ax.legend([key], [label], fontsize=7, loc="best")  # what every row's dot and bar are
    ax.set_yticks(range(len(names)), labels=names, fontsize=8)
    ax.set_ylim(len(names) - 0.5, -0.5)  # first scenario on top
    ax.tick_params(axis="x", labelsize=7)
    _effect_axis(ax, metric, unit, "x", difference, lang, wan)
    ax.set_title(title, fontsize=10)
    return ax.figure


def plot_forest_panel(
    effects: pd.DataFrame,
    metrics: Sequence[str] = FOREST_METRICS,
    *,
    date: pd.Timestamp | str | None = None,
    region: str = "all",
    ncols: int = 2,
    axes: Sequence[Axes] | None = None,
    difference: str | None = None,
    title: str | None = None,
    styles: Styles | None = None,
    wan: bool = False,
    lang: Lang = "en",
    interval: str = "ci",
    level: float | None = None,
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
        wan: counts of people in 万.
        lang: ``en`` or ``zh`` for labels and numbers.
        interval: ``"ci"`` (mean effect and confidence interval) or ``"spread"`` (median and 10-90 %).
        level: the confidence level of the table's intervals, for the labels.

    Returns:
        The Figure drawn on.
    """
    metrics = list(metrics)
    difference = difference or say("difference", lang)
    kind, _ = effect_interval(effects, interval)
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
        plot_effect_forest(
            effects,
            metric,
            date=date,
            region=region,
            ax=ax,
            difference=difference,
            styles=styles,
            wan=wan,
            lang=lang,
            interval=kind,
            level=level,
        )
        if own and i % ncols:  # the scenarios are named in the first column
            ax.tick_params(axis="y", labelleft=False)
    fig = axes[0].figure
    if title is None:  # the title says what the dots and bars are: no legend in each panel
        what = interval_label(kind, level, lang, banded=_has_band(effects, *effect_interval(effects, kind)[1][1:]))
        title = say("forest_title_ci" if kind == "ci" else "forest_title", lang, difference=difference, what=what)
        for ax in axes[: len(metrics)]:
            if ax.get_legend() is not None:
                ax.get_legend().remove()
    fig.suptitle(title, fontsize=11)
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
    windows: Sequence[tuple[str, str]] = (),
    wan: bool = False,
    lang: Lang = "en",
    interval: str = "ci",
    level: float | None = None,
) -> Figure:
    """One metric's effect by month: a line and a shaded band.

    With ``interval="ci"`` (the default) the line is the mean paired difference and the band its
    confidence interval (``effect_mean_ci_low``/``_high``); with ``interval="spread"`` the median
    paired difference and the 10-90 % spread of the replicates' differences. With one replicate
    there is no band and none is drawn. The legend of :func:`plot_effects_panel` says which.

    Args:
        effects: a table with columns scenario, metric, date and the columns of the interval (see
            :func:`plot_effect_forest`) and, optionally, region (such as ``Comparison.effects``).
        metric: the metric to draw.
        scenarios: which scenarios to draw (default all, in table order).
        region: the region to draw; ignored without a region column.
        ax: the Axes to draw on (default a new figure).
        unit: the unit key of the effect (default the metric's, from the catalogue).
        styles: colour and line style per scenario (see :func:`scenario_styles`).
        windows: (start, end) months of lever windows, inclusive, shaded grey (see :func:`lever_windows`).
        wan: counts of people in 万.
        lang: ``en`` or ``zh`` for labels and numbers.
        interval: ``"ci"`` or ``"spread"`` (see :data:`INTERVALS`).
        level: the confidence level of the table's intervals (unused here; the panel's legend says it).

    Returns:
        The Figure drawn on.
    """
    _prepare(lang, wan)
    sel = _select(effects, metric, region)
    _kind, (point, low, high) = effect_interval(sel, interval)
    names = list(scenarios) if scenarios is not None else list(dict.fromkeys(sel["scenario"]))
    style_of = _styles_for(names, styles)
    ax = _new_axes(ax, (6.0, 3.5))
    _shade_windows(ax, windows, lang, sel["date"])
    banded = _has_band(sel, low, high)
    for name in names:
        rows = sel[sel["scenario"] == name].sort_values("date")
        dates = pd.to_datetime(rows["date"])
        style = dict(style_of[name])
        ax.plot(dates, rows[point], label=name, **style)
        if banded:
            ax.fill_between(dates, rows[low], rows[high], color=style["color"], alpha=0.25, linewidth=0)
    ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    _effect_axis(ax, metric, unit, "y", lang=lang, wan=wan)
    ax.set_title(catalogue.label(metric, lang), fontsize=10)
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
    windows: Sequence[tuple[str, str]] = (),
    wan: bool = False,
    lang: Lang = "en",
    interval: str = "ci",
    level: float | None = None,
) -> Figure:
    """Small multiples of effects by month (see :func:`plot_effects_over_time`), one panel per metric.

    The legend's title says what the lines and bands are ("mean effect, 95 % CI" by default).

    Args:
        effects: a table of paired effects by date.
        metrics: the metrics to draw.
        scenarios: which scenarios to draw (default all).
        region: the region to draw.
        ncols: panels per row of a new figure.
        axes: Axes to draw on, one per metric (default a new figure).
        styles: colour and line style per scenario (see :func:`scenario_styles`).
        windows: (start, end) months of lever windows, inclusive, shaded grey.
        wan: counts of people in 万.
        lang: ``en`` or ``zh`` for labels and numbers.
        interval: ``"ci"`` (mean effect and confidence interval) or ``"spread"`` (median and 10-90 %).
        level: the confidence level of the table's intervals, for the legend.

    Returns:
        The Figure drawn on.
    """
    metrics = list(metrics)
    kind, (_point, low, high) = effect_interval(effects, interval)
    if axes is None:
        nrows = -(-len(metrics) // ncols)
        fig, grid = plt.subplots(nrows, ncols, figsize=(4.4 * ncols, 3.1 * nrows), squeeze=False, layout="constrained")
        for extra in grid.ravel()[len(metrics) :]:
            extra.set_visible(False)
        axes = list(grid.ravel()[: len(metrics)])
    elif len(axes) < len(metrics):
        raise ValueError(f"expected {len(metrics)} Axes, one per metric, got {len(axes)}")
    for ax, metric in zip(axes, metrics, strict=False):
        plot_effects_over_time(
            effects,
            metric,
            scenarios=scenarios,
            region=region,
            ax=ax,
            styles=styles,
            windows=windows,
            wan=wan,
            lang=lang,
            interval=kind,
        )
    legend = interval_label(kind, level, lang, banded=_has_band(effects, low, high))
    axes[0].legend(fontsize=7, title=legend, title_fontsize=7)
    fig = axes[0].figure
    fig.suptitle(say("effects_title", lang), fontsize=12)
    return fig


def plot_yearly_effects(
    yearly: pd.DataFrame,
    metric: str,
    *,
    scenarios: Sequence[str] | None = None,
    region: str = "all",
    ax: Axes | None = None,
    wan: bool = False,
    lang: Lang = "en",
    interval: str = "ci",
    level: float | None = None,
) -> Figure:
    """One metric's effect by calendar year: a dot and a bar per scenario and year.

    With ``interval="ci"`` (the default) the mean paired difference and its confidence interval;
    with ``interval="spread"`` the median and the 10-90 % spread. The legend says which.

    Flows (``new_``) are summed over each year, so their unit is people a year; other metrics are
    taken at the year's last simulated month.

    Args:
        yearly: a table with columns scenario, metric, year, the columns of the interval (see
            :func:`plot_effect_forest`) and, optionally, region (such as ``Comparison.yearly_effects()``).
        metric: the metric to draw.
        scenarios: which scenarios to draw (default all).
        region: the region to draw; ignored without a region column.
        ax: the Axes to draw on (default a new figure).
        wan: counts of people in 万.
        lang: ``en`` or ``zh`` for labels and numbers.
        interval: ``"ci"`` or ``"spread"`` (see :data:`INTERVALS`).
        level: the confidence level of the table's intervals, for the legend.

    Returns:
        The Figure drawn on.
    """
    _prepare(lang, wan)
    sel = _select(yearly, metric, region)
    kind, (point, low, high) = effect_interval(sel, interval)
    names = list(scenarios) if scenarios is not None else list(dict.fromkeys(sel["scenario"]))
    ax = _new_axes(ax, (6.0, 3.5))
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        rows = sel[sel["scenario"] == name].sort_values("year")
        x = rows["year"].to_numpy(dtype=float) + (i - (len(names) - 1) / 2) * width
        mid = rows[point].to_numpy(dtype=float)
        err = np.vstack(
            [
                np.nan_to_num(np.clip(mid - rows[low].to_numpy(dtype=float), 0, None)),  # no interval: no bar
                np.nan_to_num(np.clip(rows[high].to_numpy(dtype=float) - mid, 0, None)),
            ]
        )
        ax.errorbar(x, mid, yerr=err, fmt="o", color=PALETTE[i % len(PALETTE)], capsize=3, label=name, markersize=5)
    ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    years = sorted(set(sel["year"]))
    ax.set_xticks(years, labels=[str(y) for y in years])
    flow = catalogue.is_flow(metric)
    _effect_axis(ax, metric, "people_year" if flow else None, "y", lang=lang, wan=wan)
    phrase = "yearly_title_flow" if flow else "yearly_title_stock"
    ax.set_title(say(phrase, lang, label=catalogue.label(metric, lang)), fontsize=10)
    ax.tick_params(labelsize=7)
    legend = interval_label(kind, level, lang, banded=_has_band(sel, low, high))
    ax.legend(fontsize=7, title=legend, title_fontsize=7)
    return ax.figure
