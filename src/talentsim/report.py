"""Standard figures and a self-contained HTML report from saved result folders.

A result folder is what ``talentsim run`` writes (``timeseries.parquet`` and ``metadata.json``) or
what ``talentsim compare`` writes (``timeseries/<scenario>.parquet``, ``effects.csv``,
``cost_effectiveness.csv`` and ``metadata.json``). Everything here reads those files; nothing runs
the model.
"""

from __future__ import annotations

import base64
import html
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from talentsim import plotting
from talentsim.scenario import ScenarioError
from talentsim.summary import HEADLINE, summarise

QUESTION = (
    "Which measures of China's 2024–2026 digital-talent action plan add how much digital talent, of "
    "which level, in which regions, by when, at what public cost — and how sure are we?"
)

HOW_TO_READ = (
    "Every scenario was run several times (replicates) on different random seeds; a scenario and its "
    "baseline share the same seeds, so their replicates are paired (common random numbers). Lines and "
    "dots are medians over replicates; shaded bands and bars span the 10th to the 90th percentile, which "
    "shows the model's own randomness at this scale, not the uncertainty of its guessed parameters. An "
    "effect is the difference scenario − baseline taken replicate by replicate; its band excludes zero "
    "when the sign holds in at least 80 % of the pairs. Counts are real people, wages yuan a year at "
    "2023 prices, costs yuan of public money to the horizon. Grey spans mark the months in which levers act."
)

FORMATS = ("png", "svg", "pdf")

# The standard figures, by file stem; the last three need a comparison (effects and costs).
STANDARD_FIGURES: tuple[str, ...] = (
    "outcomes",
    "regions",
    "structure_level",
    "structure_field",
    "pipeline",
    "effects_forest",
    "effects_over_time",
    "cost_effectiveness",
)


@dataclass
class Results:
    """What saved result folders hold, gathered for figures and reports.

    Attributes:
        timeseries: the tidy tables of every scenario, concatenated.
        scenarios: scenario name -> the scenario as run (``Scenario.model_dump``).
        hashes: scenario name -> scenario hash.
        seeds: the seeds of the replicates (those of the first folder).
        version: the talentsim version that wrote the first folder.
        effects: paired effects, when a folder is a comparison.
        cost_effectiveness: cost-effectiveness rows, when a folder is a comparison.
        baseline: the name of the comparison's baseline, if any.
        sources: the folders read.
    """

    timeseries: pd.DataFrame
    scenarios: dict[str, dict[str, Any]] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)
    seeds: list[int] = field(default_factory=list)
    version: str = ""
    effects: pd.DataFrame | None = None
    cost_effectiveness: pd.DataFrame | None = None
    baseline: str | None = None
    sources: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Scenario names, baseline first."""
        names = list(dict.fromkeys(self.timeseries["scenario"]))
        if self.baseline in names:
            names.remove(self.baseline)
            names.insert(0, self.baseline)
        return names


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(path.parent, [("", "not a talentsim result folder: metadata.json is missing")]) from None
    except (OSError, ValueError) as exc:  # ValueError: bad JSON or bad UTF-8
        why = f"not a talentsim result folder: cannot read metadata.json: {exc}"
        raise ScenarioError(path.parent, [("", why)]) from None


TIDY_COLUMNS = ("scenario", "replicate", "date", "region", "field", "level", "metric", "value")


def _tidy(path: Path) -> pd.DataFrame:
    """A saved tidy table, checked to have the columns the figures use."""
    table = pd.read_parquet(path)
    missing = [c for c in TIDY_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path.name} has no column {missing[0]!r}")
    return table


def _read_folder(
    folder: Path, out: Results, frames: list[pd.DataFrame], effects: list[pd.DataFrame], costs: list[pd.DataFrame]
) -> None:
    """Add one result folder's tables to ``out``, ``frames``, ``effects`` and ``costs``."""
    meta = _read_json(folder / "metadata.json")
    if not isinstance(meta, dict):
        raise ValueError("metadata.json does not hold a table of fields")
    out.sources.append(str(folder))
    out.version = out.version or meta.get("talentsim_version", "")
    out.seeds = out.seeds or list(meta.get("seeds", []))
    if (folder / "timeseries.parquet").exists():  # talentsim run
        frames.append(_tidy(folder / "timeseries.parquet"))
        name = meta["scenario_name"]
        out.scenarios[name] = meta.get("scenario", {})
        out.hashes[name] = meta.get("scenario_hash", "")
    elif (folder / "effects.csv").exists():  # talentsim compare
        entries = [meta["baseline"], *meta.get("scenarios", [])]
        out.baseline = out.baseline or meta["baseline"]["label"]
        for entry in entries:
            table = _tidy(folder / entry["timeseries"])
            table["scenario"] = entry["label"]
            frames.append(table)
            out.scenarios[entry["label"]] = entry.get("scenario", {})
            out.hashes[entry["label"]] = entry.get("hash", "")
        effects.append(pd.read_csv(folder / "effects.csv", parse_dates=["date"]))
        costs.append(pd.read_csv(folder / "cost_effectiveness.csv"))
    else:
        why = "not a talentsim result folder: expected timeseries.parquet or effects.csv"
        raise ScenarioError(folder, [("", why)])


def load_results(folders: list[str | Path]) -> Results:
    """Read result folders of ``talentsim run`` or ``talentsim compare``.

    Raises:
        ScenarioError: a folder is missing or is not a result folder (so the command line exits 2).
    """
    frames: list[pd.DataFrame] = []
    out = Results(timeseries=pd.DataFrame())
    effects, costs = [], []
    for folder in map(Path, folders):
        if not folder.is_dir():
            raise ScenarioError(folder, [("", "no such result folder")])
        try:
            _read_folder(folder, out, frames, effects, costs)
        except ScenarioError:
            raise
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            # ValueError covers bad JSON, bad UTF-8 and pyarrow's ArrowInvalid (a damaged Parquet file)
            why = f"{type(exc).__name__}: {exc}" if not isinstance(exc, KeyError) else f"missing entry {exc}"
            raise ScenarioError(folder, [("", f"not a talentsim result folder: {why}")]) from None
    out.timeseries = pd.concat(frames, ignore_index=True).drop_duplicates(
        subset=["scenario", "replicate", "date", "region", "field", "level", "metric"]
    )
    if effects:
        out.effects = pd.concat(effects, ignore_index=True).drop_duplicates(
            subset=["scenario", "metric", "region", "date"]
        )
        out.cost_effectiveness = pd.concat(costs, ignore_index=True).drop_duplicates(subset=["scenario"])
    return out


def standard_figures(res: Results, wan: bool = False) -> dict[str, Figure]:
    """Every standard figure of the results, by file stem, with one colour per scenario throughout."""
    styles = plotting.scenario_styles(res.names)
    ts = res.timeseries
    figures = {
        "outcomes": plotting.plot_panel(ts, styles=styles, windows=plotting.lever_windows(res.scenarios), wan=wan),
        "regions": plotting.plot_regions(ts, styles=styles),
        "structure_level": plotting.plot_structure(ts, "level", wan=wan),
        "structure_field": plotting.plot_structure(ts, "field", wan=wan),
        "pipeline": plotting.plot_pipeline(ts, styles=styles, wan=wan),
    }
    if res.effects is not None and len(res.effects):
        figures["effects_forest"] = plotting.plot_forest_panel(res.effects, styles=styles)
        figures["effects_over_time"] = plotting.plot_effects_panel(res.effects, styles=styles)
    if res.cost_effectiveness is not None and len(res.cost_effectiveness):
        figures["cost_effectiveness"] = plotting.plot_cost_effectiveness(res.cost_effectiveness, styles=styles)
    return figures


def write_figures(res: Results, out: Path, fmt: str = "png", wan: bool = False) -> list[Path]:
    """Draw the standard figures into ``out`` as ``<name>.<fmt>``; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in standard_figures(res, wan=wan).items():
        path = out / f"{name}.{fmt}"
        try:
            fig.savefig(path, dpi=120, bbox_inches="tight")
        finally:
            plt.close(fig)
        written.append(path)
    return written


# --- the HTML report ---------------------------------------------------------------------------------


def _png_data_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    finally:
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, border=0, classes="data", escape=True, na_rep="–")


def _fmt(value: float) -> str:
    if pd.isna(value):
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.4f}"


def headline_rows(res: Results) -> pd.DataFrame:
    """Horizon-end headline outcomes per scenario: median [10th, 90th percentile]."""
    summary = summarise(res.timeseries)
    nat = summary[(summary["region"] == "all") & (summary["field"] == "all") & (summary["level"] == "all")]
    flows = nat["metric"].str.startswith("new_")
    last_month = nat["period"].str.len() == 7
    nat = nat[(flows & ~last_month) | (~flows & last_month)]
    rows = []
    for metric in HEADLINE:
        row = {"metric": metric}
        for name in res.names:
            hit = nat[(nat["metric"] == metric) & (nat["scenario"] == name)]
            if len(hit):
                h = hit.iloc[0]
                row[name] = f"{_fmt(h['median'])} [{_fmt(h['p10'])}, {_fmt(h['p90'])}]"
                row["period"] = h["period"]
        rows.append(row)
    table = pd.DataFrame(rows)
    return table[["metric", "period", *[n for n in res.names if n in table.columns]]]


def scenario_rows(res: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table of the scenarios and a table of their levers."""
    scen, levers = [], []
    for name in res.names:
        spec = res.scenarios.get(name, {})
        horizon = spec.get("horizon", {})
        scen.append(
            {
                "scenario": name,
                "description": spec.get("description", ""),
                "horizon": f"{horizon.get('start', '?')} to {horizon.get('end', '?')}",
                "scale (people per agent)": spec.get("scale", ""),
                "levers": len(spec.get("policy", [])),
                "hash (SHA-256, first 16)": res.hashes.get(name, "")[:16],
            }
        )
        for lever in spec.get("policy", []):
            params = {k: v for k, v in lever.items() if k not in ("type", "start", "end", "regions")}
            levers.append(
                {
                    "scenario": name,
                    "lever": lever["type"],
                    "window": f"{lever['start']} to {lever['end']}",
                    "regions": ", ".join(lever["regions"]) if lever.get("regions") else "all",
                    "parameters": "; ".join(f"{k} = {v}" for k, v in params.items()),
                }
            )
    return pd.DataFrame(scen), pd.DataFrame(levers, columns=["scenario", "lever", "window", "regions", "parameters"])


def effect_rows(res: Results) -> pd.DataFrame | None:
    """Horizon-end effects on the headline metrics per scenario, with their 10-90 % range."""
    if res.effects is None or not len(res.effects):
        return None
    eff = res.effects[res.effects["region"] == "all"]
    last = eff[eff["date"] == eff["date"].max()]
    rows = []
    for metric in (*plotting.FOREST_METRICS, "mean_level", "certified_share", "n_digital_gap"):
        for _, r in last[last["metric"] == metric].iterrows():
            rows.append(
                {
                    "scenario": r["scenario"],
                    "metric": metric,
                    "effect (median)": _fmt(r["effect_median"]),
                    "10 %": _fmt(r["effect_low"]),
                    "90 %": _fmt(r["effect_high"]),
                }
            )
    return pd.DataFrame(rows)


def cost_rows(cost: pd.DataFrame) -> pd.DataFrame:
    """The cost-effectiveness table, formatted: intervals in brackets, yuan with separators."""

    def band(row: pd.Series, col: str) -> str:
        return f"{_fmt(row[col])} [{_fmt(row[col + '_low'])}, {_fmt(row[col + '_high'])}]"

    return pd.DataFrame(
        {
            "scenario": cost["scenario"],
            "public cost to the horizon, yuan": cost["cost_to_horizon"].map(_fmt),
            "additional digital talent": [band(r, "additional_digital_talent") for _, r in cost.iterrows()],
            "additional high-level talent": [band(r, "additional_high_level_talent") for _, r in cost.iterrows()],
            "yuan per additional talent": cost["cost_per_additional_talent"].map(_fmt),
            "yuan per additional high-level talent": cost["cost_per_additional_high_level_talent"].map(_fmt),
        }
    )


CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px;
       color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table.data { border-collapse: collapse; font-size: .85em; margin: .5em 0 1em; }
table.data th, table.data td { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; }
table.data th { background: #f3f3f3; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #555; }
.note { background: #f6f8fa; border-left: 4px solid #0072B2; padding: .6em 1em; }
"""

CAPTIONS = {
    "outcomes": "National outcomes by month: median over replicates and 10–90 % band; grey spans are lever windows.",
    "regions": "Each region's share of digital talent against its share of digital jobs at the horizon.",
    "structure_level": "Digital talent by skill level at the horizon (median over replicates).",
    "structure_field": "Digital talent by field at the horizon (median over replicates).",
    "pipeline": "Flows of the pipeline summed over the horizon (median over replicates).",
    "effects_forest": "Effects at the horizon: median and 10–90 % of paired differences, scenario − baseline.",
    "effects_over_time": "Effects by month: median paired difference and its 10–90 % band.",
    "cost_effectiveness": "Public cost to the horizon against additional digital talent, one point per scenario.",
}


def render_report(res: Results, wan: bool = False) -> str:
    """The report as one self-contained HTML page (figures embedded as data URIs)."""
    scen, levers = scenario_rows(res)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>talentsim report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>talentsim report: digital-talent policy scenarios</h1>",
        '<section id="question"><h2>The question</h2>',
        f"<p>{html.escape(QUESTION)}</p></section>",
        '<section id="how-to-read"><h2>How to read this</h2>',
        f'<p class="note">{html.escape(HOW_TO_READ)}</p></section>',
        '<section id="scenarios"><h2>Scenarios and their levers</h2>',
        _table(scen),
        _table(levers) if len(levers) else "<p>No levers: every scenario is a baseline.</p>",
        "</section>",
        '<section id="headline"><h2>Outcomes at the horizon</h2>',
        "<p>Median [10th, 90th percentile] over replicates; stocks and rates at the last month, flows "
        "summed over the last 12 months.</p>",
        _table(headline_rows(res)),
        "</section>",
    ]
    eff = effect_rows(res)
    parts.append('<section id="effects"><h2>Effects and cost-effectiveness</h2>')
    if eff is None:
        parts.append("<p>These results hold no comparison: run <code>talentsim compare</code> for paired effects.</p>")
    else:
        parts.append(f"<p>Paired against the baseline <b>{html.escape(str(res.baseline))}</b> on the same seeds.</p>")
        parts.append(_table(eff))
        if res.cost_effectiveness is not None:
            parts.append(_table(cost_rows(res.cost_effectiveness)))
    parts.append("</section>")
    parts.append('<section id="figures"><h2>Figures</h2>')
    for name, fig in standard_figures(res, wan=wan).items():
        caption = html.escape(CAPTIONS.get(name, name))
        parts.append(
            f'<figure id="fig-{name}"><img alt="{html.escape(name)}" src="{_png_data_uri(fig)}">'
            f"<figcaption>{caption}</figcaption></figure>"
        )
    parts.append("</section>")
    meta = pd.DataFrame(
        [
            {"item": "talentsim version", "value": res.version},
            {"item": "seeds", "value": ", ".join(map(str, res.seeds))},
            {"item": "replicates", "value": len(res.seeds)},
            {"item": "result folders", "value": "; ".join(res.sources)},
            *({"item": f"hash of {name}", "value": h} for name, h in res.hashes.items()),
        ]
    )
    parts += ['<section id="provenance"><h2>Model version, seeds and scenario hashes</h2>', _table(meta), "</section>"]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(res: Results, out: Path, wan: bool = False) -> Path:
    """Write the report to ``out`` atomically (a temporary file, then a rename)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(render_report(res, wan=wan), encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
