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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from talentsim import catalogue, plotting
from talentsim.catalogue import Lang
from talentsim.fonts import cjk_family, quiet_missing_glyphs
from talentsim.formatting import format_value
from talentsim.phrases import say
from talentsim.scenario import ScenarioError
from talentsim.summary import HEADLINE, summarise
from talentsim.tidy import totals

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
        level: the confidence level of the comparison's intervals (0 when none was recorded).
        metadata: each folder's ``metadata.json``, by folder.
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
    level: float = 0.0
    metadata: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        """Scenario names, baseline first."""
        names = list(self.timeseries["scenario"].unique())  # in order of appearance, as dict.fromkeys but fast
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
    out.metadata[str(folder)] = meta
    out.level = out.level or float(meta.get("confidence_level") or 0.0)
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


def standard_figures(res: Results, wan: bool = False, lang: Lang = "en") -> dict[str, Figure]:
    """Every standard figure of the results, by file stem, with one colour per scenario throughout.

    Args:
        res: the results.
        wan: counts of people in 万 (ten thousands).
        lang: ``en`` or ``zh`` for titles, labels, names and numbers.
    """
    catalogue.check_lang(lang)
    styles = plotting.scenario_styles(res.names)
    windows = plotting.lever_windows(res.scenarios)
    ts = res.timeseries
    figures = {
        "outcomes": plotting.plot_panel(ts, styles=styles, windows=windows, wan=wan, lang=lang),
        "regions": plotting.plot_regions(ts, styles=styles, lang=lang),
        "structure_level": plotting.plot_structure(ts, "level", wan=wan, lang=lang),
        "structure_field": plotting.plot_structure(ts, "field", wan=wan, lang=lang),
        "pipeline": plotting.plot_pipeline(ts, styles=styles, wan=wan, lang=lang),
    }
    if res.effects is not None and len(res.effects):
        figures["effects_forest"] = plotting.plot_forest_panel(
            res.effects, styles=styles, wan=wan, lang=lang, level=res.level
        )
        figures["effects_over_time"] = plotting.plot_effects_panel(
            res.effects, styles=styles, windows=windows, wan=wan, lang=lang, level=res.level
        )
    if res.cost_effectiveness is not None and len(res.cost_effectiveness):
        figures["cost_effectiveness"] = plotting.plot_cost_effectiveness(
            res.cost_effectiveness, styles=styles, wan=wan, lang=lang, level=res.level
        )
    return figures


def _save(fig: Figure, target: Path | io.BytesIO, **kwargs: Any) -> None:
    """Save and close a figure; without a CJK font, missing glyphs are drawn as boxes without warnings."""
    try:
        if cjk_family() is None:
            with quiet_missing_glyphs():
                fig.savefig(target, bbox_inches="tight", **kwargs)
        else:
            fig.savefig(target, bbox_inches="tight", **kwargs)
    finally:
        plt.close(fig)


def write_figures(res: Results, out: Path, fmt: str = "png", wan: bool = False, lang: Lang = "en") -> list[Path]:
    """Draw the standard figures into ``out`` as ``<name>.<fmt>``; return the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {fmt!r}")
    figures = standard_figures(res, wan=wan, lang=lang)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, fig in figures.items():
        path = out / f"{name}.{fmt}"
        _save(fig, path, dpi=120)
        written.append(path)
    return written


# --- the HTML report ---------------------------------------------------------------------------------


def _png_data_uri(fig: Figure) -> str:
    buf = io.BytesIO()
    _save(fig, buf, format="png", dpi=110)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def html_table(df: pd.DataFrame) -> str:
    """A table of the report (escaped, no index, dashes for missing values)."""
    return df.to_html(index=False, border=0, classes="data", escape=True, na_rep="–")


def _fmt(value: float, unit: str = "share", lang: Lang = "en", wan: bool = False, signed: bool = False) -> str:
    """A table cell in the unit of its metric (see :func:`talentsim.formatting.format_value`)."""
    return format_value(value, unit, lang, wan=wan, signed=signed)


def _period_unit(metric: str) -> str:
    """The unit of a headline row: flows are summed over the period, so they are people, not people a month."""
    unit = catalogue.unit_key(metric)
    return "people" if unit == "people_month" else unit


def headline_rows(res: Results, lang: Lang = "en", wan: bool = False) -> pd.DataFrame:
    """Horizon-end headline outcomes per scenario: median [10th, 90th percentile], labelled in ``lang``."""
    summary = summarise(res.timeseries)
    nat = totals(summary)
    flows = nat["metric"].map(catalogue.is_flow).astype(bool)
    last_month = nat["period"].str.len() == 7
    nat = nat[(flows & ~last_month) | (~flows & last_month)]
    col_metric, col_unit, col_period = (say(k, lang) for k in ("col_metric", "col_unit", "col_period"))
    rows = []
    for metric in HEADLINE:
        unit = _period_unit(metric)
        row = {col_metric: catalogue.label(metric, lang), col_unit: catalogue.unit_text(unit, lang, wan=wan)}
        for name in res.names:
            hit = nat[(nat["metric"] == metric) & (nat["scenario"] == name)]
            if len(hit):
                h = hit.iloc[0]
                cells = [_fmt(h[c], unit, lang, wan) for c in ("median", "p10", "p90")]
                row[name] = f"{cells[0]} [{cells[1]}, {cells[2]}]"
                row[col_period] = (
                    say("to", lang, start=h["period"][:7], end=h["period"][-7:])
                    if " to " in h["period"]
                    else h["period"]
                )
        rows.append(row)
    table = pd.DataFrame(rows)
    return table[[col_metric, col_unit, col_period, *[n for n in res.names if n in table.columns]]]


def scenario_rows(res: Results, lang: Lang = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """A table of the scenarios and a table of their levers (lever and region names in ``lang``)."""
    c = {k: say(k, lang) for k in ("col_scenario", "col_description", "col_horizon", "col_scale", "col_levers")}
    c |= {k: say(k, lang) for k in ("col_hash", "col_lever", "col_window", "col_regions", "col_parameters")}
    scen, levers = [], []
    for name in res.names:
        spec = res.scenarios.get(name, {})
        horizon = spec.get("horizon", {})
        scen.append(
            {
                c["col_scenario"]: name,
                c["col_description"]: spec.get("description", ""),
                c["col_horizon"]: say("to", lang, start=horizon.get("start", "?"), end=horizon.get("end", "?")),
                c["col_scale"]: spec.get("scale", ""),
                c["col_levers"]: len(spec.get("policy", [])),
                c["col_hash"]: res.hashes.get(name, "")[:16],
            }
        )
        for lever in spec.get("policy", []):
            params = {k: v for k, v in lever.items() if k not in ("type", "start", "end", "regions")}
            regions = lever.get("regions")
            sep = "、" if lang == "zh" else ", "
            levers.append(
                {
                    c["col_scenario"]: name,
                    c["col_lever"]: catalogue.lever_label(lever["type"], lang),
                    c["col_window"]: say("to", lang, start=lever["start"], end=lever["end"]),
                    c["col_regions"]: sep.join(catalogue.region_label(r, lang) for r in regions)
                    if regions
                    else say("all_regions", lang),
                    c["col_parameters"]: "; ".join(f"{k} = {v}" for k, v in params.items()),
                }
            )
    lever_columns = [c[k] for k in ("col_scenario", "col_lever", "col_window", "col_regions", "col_parameters")]
    return pd.DataFrame(scen), pd.DataFrame(levers, columns=lever_columns)


# Horizon-end effects shown in the report's table.
REPORT_EFFECTS: tuple[str, ...] = (*plotting.FOREST_METRICS, "mean_level", "certified_share", "n_digital_gap")


def effect_rows(res: Results, lang: Lang = "en", wan: bool = False) -> pd.DataFrame | None:
    """Horizon-end effects on the headline metrics per scenario, with their 10-90 % range and mean."""
    if res.effects is None or not len(res.effects):
        return None
    eff = res.effects[res.effects["region"] == "all"]
    last = eff[eff["date"] == eff["date"].max()]
    rows = []
    for metric in REPORT_EFFECTS:
        unit = catalogue.unit_key(metric)
        for _, r in last[last["metric"] == metric].iterrows():
            row = {
                say("col_scenario", lang): r["scenario"],
                say("col_metric", lang): catalogue.label(metric, lang),
                say("col_unit", lang): catalogue.unit_text(unit, lang, wan=wan),
                say("col_effect", lang): _fmt(r["effect_median"], unit, lang, wan, signed=True),
                say("col_low", lang): _fmt(r["effect_low"], unit, lang, wan, signed=True),
                say("col_high", lang): _fmt(r["effect_high"], unit, lang, wan, signed=True),
            }
            if "effect_mean" in r.index:
                row[say("col_effect_mean", lang)] = _fmt(r["effect_mean"], unit, lang, wan, signed=True)
            if "paired_replicates" in r.index:
                row[_col_replicates(lang)] = int(r["paired_replicates"])
            rows.append(row)
    return pd.DataFrame(rows)


def _col_replicates(lang: Lang) -> str:
    from talentsim.report_sections import _say

    return _say("col_n", lang)


def _per_person(cost: pd.DataFrame, per: str, gain: str, lang: Lang) -> pd.Series:
    """Yuan per additional person; where the gain is not distinguishable from 0, says so (with the interval)."""
    if f"{gain}_distinguishable" not in cost.columns:  # a folder written before intervals were recorded
        return cost[per].map(lambda v: _fmt(v, "yuan_person", lang))
    from talentsim.report_sections import cost_cell

    return pd.Series([cost_cell(r, per, gain, lang) for _, r in cost.iterrows()], index=cost.index)


def cost_rows(cost: pd.DataFrame, lang: Lang = "en", wan: bool = False) -> pd.DataFrame:
    """The cost-effectiveness table, formatted: intervals in brackets, units in the headers.

    Yuan per additional person is given only where the gain is distinguishable from 0 (when the
    folder records it); elsewhere "not distinguishable from 0" with the ratio's bootstrap interval.
    """

    def band(row: pd.Series, col: str) -> str:
        cells = [_fmt(row[c], "people", lang, wan, signed=True) for c in (col, col + "_low", col + "_high")]
        return f"{cells[0]} [{cells[1]}, {cells[2]}]"

    people = catalogue.unit_text("people", lang, wan=wan)
    yuan = catalogue.unit_text("yuan", lang)
    table = pd.DataFrame(
        {
            say("col_scenario", lang): cost["scenario"],
            say("col_cost", lang, unit=yuan): cost["cost_to_horizon"].map(lambda v: _fmt(v, "yuan", lang)),
            say("col_add_talent", lang, unit=people): [
                band(r, "additional_digital_talent") for _, r in cost.iterrows()
            ],
            say("col_add_high", lang, unit=people): [
                band(r, "additional_high_level_talent") for _, r in cost.iterrows()
            ],
            say("col_per_talent", lang): _per_person(cost, "cost_per_additional_talent", "digital_talent", lang),
            say("col_per_high", lang): _per_person(
                cost, "cost_per_additional_high_level_talent", "high_level_talent", lang
            ),
        }
    )
    if "paired_replicates" in cost.columns:
        table[_col_replicates(lang)] = cost["paired_replicates"].astype("int64")
    if "deadweight_by_lever" in cost.columns:  # "lever: share; ..." with the levers named in ``lang``
        table[say("col_deadweight", lang)] = cost["deadweight_by_lever"].map(lambda text: _lever_shares(text, lang))
    return table


def _lever_shares(text: object, lang: Lang) -> str:
    """``"funding: 0.42; skills_upgrade: 0.10"`` with each lever named in ``lang``."""
    if not isinstance(text, str) or not text:
        return ""
    parts = (item.partition(":") for item in text.split(";"))
    sep = "；" if lang == "zh" else "; "
    return sep.join(f"{catalogue.lever_label(name.strip(), lang)}:{share}" for name, _colon, share in parts)


CSS = """
body { font-family: "DejaVu Sans", Helvetica, Arial, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif;
       margin: 2em auto; max-width: 1200px; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
table.data { border-collapse: collapse; font-size: .85em; margin: .5em 0 1em; }
table.data th, table.data td { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; }
table.data th { background: #f3f3f3; }
figure { margin: 1em 0 2em; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9em; color: #555; }
.note { background: #f6f8fa; border-left: 4px solid #0072B2; padding: .6em 1em; }
details { margin: .3em 0; } details pre { background: #f6f8fa; padding: .6em; font-size: .8em; overflow-x: auto; }
"""


def caption(name: str, lang: Lang = "en") -> str:
    """The caption of a standard figure in ``lang``."""
    return say(f"cap_{name}", lang)


@dataclass
class ReportContext:
    """What every section of the report reads.

    Attributes:
        res: the results.
        lang: ``en`` or ``zh``.
        wan: counts of people in 万.
        inputs: more folders by name, for sections that read them (such as ``{"robustness": path}``).
        command_line: the command that wrote the report, if any.
    """

    res: Results
    lang: Lang = "en"
    wan: bool = False
    inputs: dict[str, Path] = field(default_factory=dict)
    command_line: str | None = None


Section = Callable[[ReportContext], str]


def section_html(ident: str, heading: str, body: Sequence[str]) -> str:
    """A report section: ``<section id=ident>`` with an escaped heading and the given HTML body."""
    return "\n".join([f'<section id="{ident}"><h2>{html.escape(heading)}</h2>', *body, "</section>"])


def _section(ident: str, heading_key: str, lang: Lang, body: list[str]) -> str:
    return section_html(ident, say(heading_key, lang), body)


def question_section(ctx: ReportContext) -> str:
    """The question the report answers."""
    return _section("question", "question_heading", ctx.lang, [f"<p>{html.escape(say('question', ctx.lang))}</p>"])


def how_to_read_section(ctx: ReportContext) -> str:
    """How to read the numbers (units, medians and bands)."""
    counts = say("counts_wan" if ctx.wan else "counts_people", ctx.lang)
    text = html.escape(say("how_to_read", ctx.lang, counts=counts))
    return _section("how-to-read", "how_heading", ctx.lang, [f'<p class="note">{text}</p>'])


def scenarios_section(ctx: ReportContext) -> str:
    """The scenarios and their levers."""
    scen, levers = scenario_rows(ctx.res, ctx.lang)
    lever_html = html_table(levers) if len(levers) else f"<p>{html.escape(say('no_levers', ctx.lang))}</p>"
    return _section("scenarios", "scenarios_heading", ctx.lang, [html_table(scen), lever_html])


def headline_section(ctx: ReportContext) -> str:
    """Headline outcomes at the horizon per scenario."""
    from talentsim.report_sections import replicates_note

    body = [
        f"<p>{html.escape(say('headline_note', ctx.lang))} {html.escape(replicates_note(ctx.res, ctx.lang))}</p>",
        html_table(headline_rows(ctx.res, ctx.lang, ctx.wan)),
    ]
    return _section("headline", "headline_heading", ctx.lang, body)


def effects_section(ctx: ReportContext) -> str:
    """Paired effects at the horizon and the cost-effectiveness table."""
    res, lang = ctx.res, ctx.lang
    eff = effect_rows(res, lang, ctx.wan)
    if eff is None:
        return _section("effects", "effects_heading", lang, [f"<p>{say('no_comparison', lang)}</p>"])
    body = [f"<p>{say('paired_against', lang, baseline=html.escape(str(res.baseline)))}</p>", html_table(eff)]
    if res.cost_effectiveness is not None:
        body.append(html_table(cost_rows(res.cost_effectiveness, lang, ctx.wan)))
    return _section("effects", "effects_heading", lang, body)


def figures_section(ctx: ReportContext) -> str:
    """The standard figures, embedded."""
    body = []
    for name, fig in standard_figures(ctx.res, wan=ctx.wan, lang=ctx.lang).items():
        body.append(
            f'<figure id="fig-{name}"><img alt="{html.escape(name)}" src="{_png_data_uri(fig)}">'
            f"<figcaption>{html.escape(caption(name, ctx.lang))}</figcaption></figure>"
        )
    return _section("figures", "figures_heading", ctx.lang, body)


def provenance_section(ctx: ReportContext) -> str:
    """Version, seeds, folders and hashes; command lines, git commits, library versions and replicates."""
    from talentsim.report_sections import provenance_rows

    res, lang = ctx.res, ctx.lang
    item, value = say("col_item", lang), say("col_value", lang)
    meta = pd.DataFrame(
        [
            {item: say("item_version", lang), value: res.version},
            {item: say("item_seeds", lang), value: ", ".join(map(str, res.seeds))},
            {item: say("item_replicates", lang), value: len(res.seeds)},
            {item: say("item_folders", lang), value: "; ".join(res.sources)},
            *({item: say("item_hash", lang, name=name), value: h} for name, h in res.hashes.items()),
            *provenance_rows(ctx),
        ]
    )
    return _section("provenance", "provenance_heading", lang, [html_table(meta)])


def _report_sections() -> list[Section]:
    from talentsim.report_decisions import attribution_context_section, robustness_context_section
    from talentsim.report_sections import confidence_section, regions_section, scenario_files_section

    return [
        question_section,
        how_to_read_section,
        scenarios_section,
        headline_section,
        effects_section,
        confidence_section,
        regions_section,
        figures_section,
        robustness_context_section,
        attribution_context_section,
        scenario_files_section,
        provenance_section,
    ]


def render_report(
    res: Results,
    wan: bool = False,
    lang: Lang = "en",
    *,
    sections: list[Section] | None = None,
    inputs: dict[str, Path] | None = None,
    command_line: str | None = None,
) -> str:
    """The report as one self-contained HTML page (figures embedded as data URIs).

    The page is assembled from section functions in order (default :func:`_report_sections`:
    question, how to read, scenarios, headline, effects, confidence, regions, figures, scenario
    files, provenance); each takes a :class:`ReportContext` and returns a ``<section>`` or ``""``.
    A new section is a function added to that list; folders it reads come in ``inputs``.

    Args:
        res: the results.
        wan: counts of people in 万 (ten thousands), in tables and figures alike.
        lang: ``en`` or ``zh``: headings, text, table headers, metric, unit, region and lever names.
        sections: the section functions (default :func:`_report_sections`).
        inputs: more folders by name for sections that read them.
        command_line: the command that wrote the report (shown under provenance).
    """
    catalogue.check_lang(lang)
    ctx = ReportContext(res, lang, wan, dict(inputs or {}), command_line)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{say("html_lang", lang)}"><head><meta charset="utf-8">',
        f"<title>{html.escape(say('report_title', lang))}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{html.escape(say('report_title', lang))}</h1>",
    ]
    for section in _report_sections() if sections is None else sections:
        text = section(ctx)
        if text:
            parts.append(text)
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(res: Results, out: Path, wan: bool = False, lang: Lang = "en", **kwargs: Any) -> Path:
    """Write the report to ``out`` atomically (a temporary file, then a rename).

    ``kwargs`` go to :func:`render_report` (``sections``, ``inputs``, ``command_line``).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        tmp.write_text(render_report(res, wan=wan, lang=lang, **kwargs), encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out
