"""The figure of a sweep folder: each outcome against each input, with a binned-mean smoother.

Each dot is a design point, its outcome averaged over the point's replicates, at one region
(default ``all``, the national value) and one month (default the last stored). The smoother is the
mean of the outcome in bins of the input holding equal numbers of points
(``scipy.stats.binned_statistic`` on the input's quantiles), drawn through the bins' mean input: a
simple, assumption-free trend line (statsmodels' lowess would be smoother but is not a dependency).
Levers are drawn in blue, uncertainties in orange (Okabe-Ito colours).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from talentsim.sweep.sensitivity import OKABE_ITO, SensitivityError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KIND_COLOURS = {"lever": OKABE_ITO[0], "uncertainty": OKABE_ITO[1]}
SMOOTHER_COLOUR = OKABE_ITO[7]
# Points per smoother bin, at least; and at most this many bins.
POINTS_PER_BIN = 5
MAX_BINS = 10


def is_sweep_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds a sweep (``talentsim sweep`` wrote ``design.parquet`` into it)."""
    return (Path(folder) / "design.parquet").is_file()


def binned_mean(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The smoother: mean input and mean outcome in up to ``MAX_BINS`` equal-count bins of ``x``.

    Bins hold at least ``POINTS_PER_BIN`` points; with fewer than two bins' worth (or an input that
    takes one value) the smoother is empty.
    """
    from scipy.stats import binned_statistic

    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    bins = min(MAX_BINS, len(x) // POINTS_PER_BIN)
    edges = np.unique(np.quantile(x, np.linspace(0.0, 1.0, bins + 1))) if bins >= 2 else np.empty(0)
    if len(edges) < 3:
        return np.empty(0), np.empty(0)
    mean_y = binned_statistic(x, y, "mean", bins=edges).statistic
    mean_x = binned_statistic(x, x, "mean", bins=edges).statistic
    keep = np.isfinite(mean_y) & np.isfinite(mean_x)
    return mean_x[keep], mean_y[keep]


def sweep_points(
    outcomes: pd.DataFrame, inputs: list[str], region: str | None = "all", date: str | None = None
) -> tuple[pd.DataFrame, str | None, str | None]:
    """One row per design point: the inputs and every outcome (a column each), averaged over replicates.

    Returns:
        The table, the region and the month it is at (None where the outcomes have no such column).

    Raises:
        SensitivityError: no finished runs, or no outcome at that region or month.
    """
    if outcomes.empty or "metric" not in outcomes.columns:
        raise SensitivityError("no finished runs with outcomes to draw")
    sel = outcomes
    reg = dt = None
    if "region" in sel.columns:
        present = list(dict.fromkeys(sel["region"].astype(str)))
        reg = region if region in present else present[0]
        sel = sel[sel["region"].astype(str) == reg]
    if "date" in sel.columns:
        dates = sorted(set(sel["date"].astype(str)))
        if date is not None and date not in dates:
            raise SensitivityError(f"no outcome for date {date!r}; the sweep has {', '.join(dates)}")
        dt = date or dates[-1]
        sel = sel[sel["date"].astype(str) == dt]
    table = sel.pivot_table(index=["point", *inputs], columns="metric", values="value", aggfunc="mean")
    table.columns = [str(c) for c in table.columns]
    return table.reset_index(), reg, dt


def plot_sweep(folder: str | Path, region: str | None = "all", date: str | None = None) -> Figure:
    """Each outcome of a stored sweep (rows) against each input (columns), with a binned-mean smoother.

    Args:
        folder: the sweep folder.
        region: region of the outcomes (default ``all``; the first stored if absent).
        date: month of the outcomes (default the last stored).

    Raises:
        SensitivityError: the folder holds no sweep or no finished run.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from talentsim.catalogue import unit_key
    from talentsim.formatting import is_count
    from talentsim.plotting import compact_number
    from talentsim.sweep.store import Store, load_outcomes

    store = Store(folder)
    if not store.exists:
        raise SensitivityError(f"{folder} holds no sweep (no design.parquet)")
    problem = store.problem()
    inputs = list(problem["names"])
    kinds = dict(zip(inputs, problem.get("kinds", ["lever"] * len(inputs)), strict=True))
    points, reg, dt = sweep_points(load_outcomes(folder), inputs, region, date)
    metrics = [c for c in points.columns if c not in ("point", *inputs)]
    fig, axes = plt.subplots(
        len(metrics),
        len(inputs),
        figsize=(2.8 * len(inputs) + 0.8, 2.3 * len(metrics) + 0.9),
        sharey="row",
        squeeze=False,
        layout="constrained",
    )
    for r, metric in enumerate(metrics):
        for c, name in enumerate(inputs):
            ax = axes[r, c]
            x = pd.to_numeric(points[name], errors="coerce").to_numpy(dtype=np.float64)
            categories = None
            if np.isnan(x).all():  # an input of listed non-numeric values: one position per value
                codes = pd.Categorical(points[name].astype(str))
                x, categories = codes.codes.astype(np.float64), list(codes.categories)
            y = points[metric].to_numpy(dtype=np.float64)
            ax.scatter(x, y, s=12, color=KIND_COLOURS.get(kinds[name], OKABE_ITO[2]), alpha=0.8, label=kinds[name])
            sx, sy = binned_mean(x, y)
            if len(sx):
                ax.plot(sx, sy, color=SMOOTHER_COLOUR, linewidth=1.5, label="binned mean")
            if categories is not None:
                ax.set_xticks(range(len(categories)), categories)
            else:
                ax.xaxis.set_major_locator(MaxNLocator(4))  # narrow panels: few ticks, no overlap
                if np.nanmax(np.abs(x), initial=0.0) >= 1e4:
                    ax.xaxis.set_major_formatter(compact_number)
            if is_count(unit_key(metric)):  # counts and yuan; shares, rates and levels keep decimals
                ax.yaxis.set_major_formatter(compact_number)
            ax.tick_params(labelsize=7)
            if r == len(metrics) - 1:
                ax.set_xlabel(f"{name}\n({kinds[name]})", fontsize=8)
            if c == 0:
                ax.set_ylabel(metric, fontsize=8)
    where = ", ".join(x for x in (reg, dt) if x)
    reps = int(problem.get("replicates", 1))
    fig.suptitle(
        f"{store.meta().get('name', Path(folder).name)}: {len(points)} {problem.get('method', '')} points"
        f"{f' ({where})' if where else ''}, mean of {reps} replicate(s) per point",
        fontsize=10,
    )
    handles = {}
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels(), strict=True):
            handles.setdefault(label, h)
    fig.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=len(handles), frameon=False)
    return fig


def write_sweep_figure(folder: str | Path, out: str | Path, fmt: str = "png") -> Path:
    """Draw :func:`plot_sweep` of ``folder`` into ``out/sweep_<folder name>.<fmt>``; return the file."""
    import matplotlib.pyplot as plt

    out = Path(out)
    fig = plot_sweep(folder)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"sweep_{Path(folder).resolve().name}.{fmt}"
    try:
        fig.savefig(path, dpi=120)
    finally:
        plt.close(fig)
    return path
