"""What the app shows of a result folder: tables, the standard figures and a tile map of the regions.

Everything reads saved folders (:func:`talentsim.report.load_results`), the same ones
``talentsim compare`` writes, so a run just made and any folder on disk are shown alike. Tables and
figures are the report's own (:mod:`talentsim.report`), in ``en`` or ``zh`` and with people in 万
on request.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
from matplotlib.cm import ScalarMappable
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from talentsim import catalogue
from talentsim.formatting import format_value
from talentsim.report import Results

# A schematic map: each region one tile at (column, row), row 0 at the top, roughly where it lies.
TILES: dict[str, tuple[int, int]] = {
    "Northeast": (3, 0),
    "Beijing": (2, 1),
    "Rest_of_East": (3, 1),
    "West": (0, 2),
    "Central": (1, 2),
    "Jiangsu_Zhejiang": (2, 2),
    "Shanghai": (3, 2),
    "Guangdong": (2, 3),
}
MAP_METRICS: tuple[str, ...] = ("n_digital_talent", "n_high_level_talent", "n_digital_jobs", "cum_policy_cost")


def regional_effects(effects: pd.DataFrame, metric: str, scenario: str | None = None) -> pd.Series:
    """A metric's median paired effect by region at the last month (national row left out).

    Args:
        effects: the ``effects`` table of a comparison (``effects.csv``).
        metric: the metric.
        scenario: the scenario (default: the first).
    """
    rows = effects[(effects["metric"] == metric) & (effects["region"] != "all")]
    if scenario is None and len(rows):
        scenario = str(rows["scenario"].iloc[0])
    rows = rows[rows["scenario"] == scenario]
    last = rows[rows["date"] == rows["date"].max()]
    return last.set_index("region")["effect_median"].astype(float)


def tile_map(values: pd.Series, metric: str, title: str, *, lang: str = "en", wan: bool = False) -> Figure:
    """The regions as tiles coloured by ``values`` (a diverging scale centred on zero), each labelled.

    Regions without a tile of :data:`TILES` are placed in a row below.
    """
    from talentsim.fonts import use_cjk_font

    use_cjk_font()
    unit = catalogue.unit_key(metric)
    fig = Figure(figsize=(6.4, 5.0), dpi=100)
    ax = fig.add_subplot()
    spread = float(values.abs().max()) if len(values) and values.notna().any() else 0.0
    norm = mcolors.Normalize(vmin=-spread or -1.0, vmax=spread or 1.0)
    cmap = mcolors.LinearSegmentedColormap.from_list("effect", ["#b2182b", "#f7f7f7", "#2166ac"])
    extra = 0
    for region, value in values.items():
        if region in TILES:
            col, row = TILES[str(region)]
        else:
            col, row, extra = extra % 4, 4 + extra // 4, extra + 1
        colour = cmap(norm(value)) if pd.notna(value) else (0.85, 0.85, 0.85, 1.0)
        ax.add_patch(
            FancyBboxPatch(
                (col + 0.04, -row + 0.04), 0.92, 0.92, boxstyle="round,pad=0,rounding_size=0.08", fc=colour, ec="#555"
            )
        )
        text = format_value(value, unit, lang, wan=wan, signed=True)  # type: ignore[arg-type]
        name = textwrap.fill(catalogue.region_label(str(region), lang), 11)
        ax.text(col + 0.5, -row + 0.64, name, ha="center", va="center", fontsize=8.5, linespacing=0.9)
        ax.text(col + 0.5, -row + 0.3, text, ha="center", va="center", fontsize=10, fontweight="bold")
    rows = max([r for c, r in TILES.values()] + [4 + (extra - 1) // 4 if extra else 0])
    ax.set_xlim(-0.1, 4.1)
    ax.set_ylim(-rows - 0.1, 1.1)
    ax.set_aspect("equal")
    ax.axis("off")
    mappable = ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, ax=ax, shrink=0.7)
    bar.set_label(catalogue.metric_unit(metric, lang, wan=wan))  # type: ignore[arg-type]
    if wan and unit in catalogue.PEOPLE_UNITS:
        bar.ax.yaxis.set_major_formatter(lambda x, _pos: f"{x / 1e4:,.1f}")
    ax.set_title(title, fontsize=11)
    return fig


def result_folders(root: str | Path) -> list[Path]:
    """The comparison folders directly in ``root`` (those with ``effects.csv`` and ``metadata.json``), newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if (p / "effects.csv").is_file() and (p / "metadata.json").is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


def load(folders: Sequence[str | Path]) -> Results:
    """The results of ``folders`` (see :func:`talentsim.report.load_results`)."""
    from talentsim.report import load_results

    return load_results(list(folders))


def draw_standard_figures(folders: Sequence[str], lang: str, wan: bool) -> dict[str, bytes]:
    """The standard figures of result folders (:func:`talentsim.report.standard_figures`) as PNG bytes."""
    import io

    import matplotlib.pyplot as plt

    from talentsim.report import standard_figures

    out = {}
    for name, fig in standard_figures(load(list(folders)), wan=wan, lang=lang).items():  # type: ignore[arg-type]
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
        plt.close(fig)
        out[name] = buf.getvalue()
    return out


def report_html(folders: Sequence[str], lang: str, wan: bool) -> bytes:
    """The report of result folders, as ``talentsim report`` writes it (:func:`talentsim.report.render_report`)."""
    from talentsim.report import render_report

    return render_report(load(list(folders)), wan=wan, lang=lang).encode("utf-8")  # type: ignore[arg-type]
