"""The report's sections on confidence, regions, scenario files and provenance.

Each ``*_section`` function takes a :class:`talentsim.report.ReportContext` and returns the HTML of
one ``<section>`` (or ``""`` when it has nothing to show); :data:`talentsim.report.REPORT_SECTIONS`
lists the sections in order. The words are in :data:`PHRASES` (English and Chinese).
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from talentsim import catalogue
from talentsim.catalogue import Lang
from talentsim.formatting import format_value
from talentsim.inference import excludes_zero
from talentsim.phrases import say
from talentsim.report import html_table, section_html

if TYPE_CHECKING:
    from talentsim.report import ReportContext

PHRASES: dict[str, tuple[str, str]] = {
    "confidence_heading": ("How sure: confidence intervals of the mean effects", "把握程度：平均效应的置信区间"),
    "confidence_note": (
        "The 10–90 % range above is the spread of one replicate's effect: the model's own randomness, which does "
        "not shrink with more replicates. The interval here is the {pct} confidence interval of the mean effect "
        "(Student's t over the paired replicates): computed this way, it holds the mean effect the model would "
        "give over endless replicates in {pct} of comparisons, and it narrows as replicates are added. Where it "
        "contains 0, the replicates run cannot tell the effect from no effect. Neither interval covers the "
        "guesses in the levers' parameters.",
        "上文的 10–90% 区间是单次重复效应的离散程度，反映模型自身的随机性，不会因增加重复次数而缩小。"
        "此处为平均效应的 {pct} 置信区间（基于配对重复的 t 区间）：按此方法计算，在 {pct} 的比较中区间包含"
        "无穷多次重复下模型给出的平均效应；重复次数越多区间越窄。区间包含 0 时，现有重复无法将该效应与无效应"
        "区分。两种区间都不反映政策参数取值的不确定性。",
    ),
    "no_intervals": (
        "These result folders hold no confidence intervals (written by an earlier talentsim); run compare again.",
        "这些结果文件夹不含置信区间（由较早版本的 talentsim 写入），请重新运行 compare。",
    ),
    "cost_note": (
        "Yuan per additional person is given only where the gain is distinguishable from 0 at {pct}; elsewhere "
        "the table says so and gives the {pct} bootstrap interval of mean cost / mean gain over replicates "
        "(\u201cunbounded\u201d when the gain can be 0).",
        "仅当新增人数在 {pct} 水平上可与 0 区分时才给出每新增一人的支出；否则注明无法区分，并给出按重复"
        "自助抽样的平均支出/平均新增人数的 {pct} 区间（新增人数可能为 0 时为\u201c无界\u201d）。",
    ),
    "col_mean": ("mean effect", "平均效应"),
    "col_ci": ("{pct} confidence interval", "{pct} 置信区间"),
    "col_n": ("paired replicates", "配对重复次数"),
    "col_sure": ("distinguishable from 0", "可与 0 区分"),
    "col_per_talent_ci": (
        "yuan per additional talent, mean cost / mean gain [{pct} interval]",
        "每新增一名数字人才的支出（元，平均支出/平均新增）[{pct} 区间]",
    ),
    "col_per_high_ci": (
        "yuan per additional high-level talent, mean cost / mean gain [{pct} interval]",
        "每新增一名高层次数字人才的支出（元，平均支出/平均新增）[{pct} 区间]",
    ),
    "yes": ("yes", "是"),
    "no": ("no", "否"),
    "not_distinguishable": ("not distinguishable from 0 (interval {interval})", "无法与 0 区分（区间 {interval}）"),
    "unbounded": ("unbounded", "无界"),
    "precision_reached": (
        "Replicates were added in batches until every headline effect's {pct} interval was within ±{target} of "
        "the baseline value: reached after {n} replicates.",
        "按批增加重复次数，直至每项主要效应的 {pct} 区间半宽不超过基准值的 ±{target}：在 {n} 次重复后达到。",
    ),
    "precision_capped": (
        "Replicates were added in batches towards a precision of ±{target} of the baseline value, but the cap "
        "of {n} replicates was reached first: some intervals are wider than asked.",
        "按批增加重复次数以使区间半宽不超过基准值的 ±{target}，但先达到了 {n} 次重复的上限：部分区间宽于要求。",
    ),
    "regions_heading": ("Regional answers", "分地区结果"),
    "regions_none": (
        "No scenario targets levers at some regions only, so there is no regional section.",
        "没有情景只在部分地区实施政策措施，因此没有分地区结果。",
    ),
    "regions_note": (
        "Scenarios with levers for some regions only: {which}. Effects at {date} by region (scenario − baseline, "
        "paired by seed): the mean with its {pct} confidence interval, over {n} paired replicates; targeted regions "
        "are marked \u2605. \u201cLives here\u201d counts course-trained digital talent where they live now, "
        "\u201ctrained here\u201d the same persons where they passed their last course; the two differ by those "
        "who moved after training.",
        "只在部分地区实施政策措施的情景：{which}。{date} 分地区效应（情景 − 基准，按随机种子配对）：均值及其 "
        "{pct} 置信区间，基于 {n} 次配对重复；\u2605 表示政策覆盖地区。\u201c居住于此\u201d按现居住地统计受过培训的"
        "数字人才，\u201c培训于此\u201d按其最近一次完成培训的地区统计同一批人；两者之差为培训后迁移的人。",
    ),
    "col_region": ("region", "地区"),
    "col_targeted": ("targeted", "政策覆盖"),
    "col_talent": ("digital talent, {unit}", "数字人才，{unit}"),
    "col_lives": ("course-trained talent, lives here, {unit}", "受过培训的数字人才（居住于此），{unit}"),
    "col_trained": ("course-trained talent, trained here, {unit}", "受过培训的数字人才（培训于此），{unit}"),
    "regions_fig_title": (
        "Effect on digital talent by region ({difference}): mean and {pct} interval",
        "各地区数字人才效应（{difference}）：均值及 {pct} 区间",
    ),
    "cap_regions_effects": (
        "Effect on digital talent by month, one panel per region: mean paired difference and its {pct} confidence "
        "band; targeted regions are marked \u2605.",
        "逐月数字人才效应，每个地区一幅小图：配对差值均值及其 {pct} 置信带；\u2605 表示政策覆盖地区。",
    ),
    "files_heading": ("Scenario files and their differences from the baseline", "情景文件及其与基准的差异"),
    "files_note": (
        "Each scenario as run (after overrides), as TOML, and key by key where it differs from the baseline.",
        "每个情景的实际运行设置（含命令行覆盖），以 TOML 给出，并逐项列出与基准的差异。",
    ),
    "toml_summary": ("{name}: scenario file (TOML)", "{name}：情景文件（TOML）"),
    "diff_summary": ("{name}: {n} key(s) differ from the baseline", "{name}：{n} 项与基准不同"),
    "col_key": ("key", "键"),
    "col_baseline": ("baseline", "基准"),
    "col_this": ("this scenario", "本情景"),
    "absent": ("(absent)", "（无）"),
    "item_command": ("command line of {what}", "{what} 的命令行"),
    "item_report": ("this report", "本报告"),
    "item_git": ("git commit of talentsim's source, {what}", "talentsim 源代码的 git 提交，{what}"),
    "item_level": ("confidence level", "置信水平"),
    "item_replicates_of": ("paired replicates of {name}", "{name} 的配对重复次数"),
    "item_version_of": ("version of {name}", "{name} 的版本"),
    "replicates_of": ("Replicates behind each column: {counts}.", "各列所基于的重复次数：{counts}。"),
}


def _say(key: str, lang: Lang = "en", **values: object) -> str:
    en, zh = PHRASES[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text


def _pct(level: float) -> str:
    return f"{100 * level:g} %" if level else ""




def _interval(low: float, high: float, unit: str, lang: Lang, wan: bool = False) -> str:
    cells = [format_value(v, unit, lang, wan=wan, signed=True) for v in (low, high)]
    return f"[{cells[0]}, {cells[1]}]"


def _last(effects: pd.DataFrame, region: str | None = "all") -> pd.DataFrame:
    rows = effects if region is None else effects[effects["region"] == region]
    return rows[rows["date"] == rows["date"].max()]


def _has_intervals(ctx: ReportContext) -> bool:
    eff = ctx.res.effects
    return eff is not None and {"effect_mean_ci_low", "effect_mean_ci_high", "paired_replicates"} <= set(eff.columns)


def replicates_note(res: Any, lang: Lang = "en") -> str:
    """How many replicates stand behind each scenario's numbers, as a sentence."""
    counts = res.timeseries.groupby("scenario", sort=False)["replicate"].nunique()
    sep = "，" if lang == "zh" else ", "
    return _say("replicates_of", lang, counts=sep.join(f"{name} {counts.get(name, 0)}" for name in res.names))


# --- confidence ---------------------------------------------------------------------------------------


def confidence_section(ctx: ReportContext) -> str:
    """Mean effects with their confidence intervals and cost per talent only where the gain is distinguishable."""
    res, lang, wan = ctx.res, ctx.lang, ctx.wan
    if res.effects is None or not len(res.effects):
        return ""
    heading = _say("confidence_heading", lang)
    if not _has_intervals(ctx):
        return section_html("confidence", heading, [f"<p>{html.escape(_say('no_intervals', lang))}</p>"])
    from talentsim.report import REPORT_EFFECTS

    pct = _pct(res.level)
    last = _last(res.effects)
    rows = []
    for metric in REPORT_EFFECTS:
        unit = catalogue.unit_key(metric)
        for _, r in last[last["metric"] == metric].iterrows():
            sure = excludes_zero(r["effect_mean_ci_low"], r["effect_mean_ci_high"])
            rows.append(
                {
                    say("col_scenario", lang): r["scenario"],
                    say("col_metric", lang): catalogue.label(metric, lang),
                    say("col_unit", lang): catalogue.unit_text(unit, lang, wan=wan),
                    _say("col_mean", lang): format_value(r["effect_mean"], unit, lang, wan=wan, signed=True),
                    _say("col_ci", lang, pct=pct): _interval(
                        r["effect_mean_ci_low"], r["effect_mean_ci_high"], unit, lang, wan
                    ),
                    _say("col_sure", lang): _say("yes" if sure else "no", lang),
                    _say("col_n", lang): int(r["paired_replicates"]),
                }
            )
    note = html.escape(_say("confidence_note", lang, pct=pct))
    body = [f'<p class="note">{note}</p>', html_table(pd.DataFrame(rows))]
    cost = res.cost_effectiveness
    if cost is not None and "digital_talent_distinguishable" in cost.columns:
        note = html.escape(_say("cost_note", lang, pct=pct))
        body += [f"<p>{note}</p>", html_table(cost_confidence_rows(cost, lang, pct))]
    for meta in res.metadata.values():
        info = meta.get("precision")
        if info:
            key = "precision_reached" if info.get("stopped") == "precision reached" else "precision_capped"
            n = info["replicates"] if key == "precision_reached" else info["max_replicates"]
            text = _say(key, lang, pct=pct, target=f"{100 * info['target']:g} %", n=n)
            body.append(f"<p>{html.escape(text)}</p>")
    return section_html("confidence", heading, body)


def cost_cell(row: Mapping[str, Any], per: str, gain: str, lang: Lang = "en") -> str:
    """Yuan per additional person with its interval, or "not distinguishable from 0" with the interval."""
    low, high = row[f"{per}_ci_low"], row[f"{per}_ci_high"]
    finite = np.isfinite(low) and np.isfinite(high)
    cells = [format_value(v, "yuan_person", lang) for v in (low, high)]
    interval = f"[{cells[0]}, {cells[1]}]" if finite else _say("unbounded", lang)
    if not bool(row[f"{gain}_distinguishable"]):
        return _say("not_distinguishable", lang, interval=interval)
    return f"{format_value(row[per], 'yuan_person', lang)} {interval}"


def cost_confidence_rows(cost: pd.DataFrame, lang: Lang, pct: str) -> pd.DataFrame:
    """Cost per additional (high-level) talent with intervals, one row per scenario."""
    rows = []
    for _, r in cost.iterrows():
        rows.append(
            {
                say("col_scenario", lang): r["scenario"],
                _say("col_per_talent_ci", lang, pct=pct): cost_cell(
                    r, "cost_per_additional_talent", "digital_talent", lang
                ),
                _say("col_per_high_ci", lang, pct=pct): cost_cell(
                    r, "cost_per_additional_high_level_talent", "high_level_talent", lang
                ),
                _say("col_n", lang): int(r["paired_replicates"]),
            }
        )
    return pd.DataFrame(rows)


# --- regions -----------------------------------------------------------------------------------------


def targeted_regions(scenarios: Mapping[str, Mapping[str, Any]]) -> dict[str, list[str]]:
    """Scenario -> the regions its levers are restricted to, for scenarios with a lever that has a regions list."""
    out: dict[str, list[str]] = {}
    for name, spec in scenarios.items():
        regions = [r for lever in spec.get("policy", []) for r in (lever.get("regions") or [])]
        if regions:
            out[name] = list(dict.fromkeys(regions))
    return out


def regional_rows(effects: pd.DataFrame, targets: Mapping[str, Sequence[str]], lang: Lang, wan: bool) -> pd.DataFrame:
    """Horizon effects by region for targeted scenarios.

    On digital talent, and on course-trained talent by residence and by training region.
    """
    last = _last(effects, None)
    last = last[last["region"] != "all"]
    unit = "people"
    people = catalogue.unit_text(unit, lang, wan=wan)
    columns = [
        ("n_digital_talent", _say("col_talent", lang, unit=people)),
        ("n_trained_talent", _say("col_lives", lang, unit=people)),
        ("n_trained_talent_by_course_region", _say("col_trained", lang, unit=people)),
    ]
    rows = []
    for name, regions in targets.items():
        mine = last[last["scenario"] == name]
        for region in dict.fromkeys(mine["region"]):
            row = {
                say("col_scenario", lang): name,
                _say("col_region", lang): catalogue.region_label(str(region), lang),
                _say("col_targeted", lang): "\u2605" if region in regions else "",
            }
            for metric, header in columns:
                hit = mine[(mine["region"] == region) & (mine["metric"] == metric)]
                if not len(hit):
                    continue
                r = hit.iloc[0]
                mean = format_value(r["effect_mean"], unit, lang, wan=wan, signed=True)
                row[header] = f"{mean} {_interval(r['effect_mean_ci_low'], r['effect_mean_ci_high'], unit, lang, wan)}"
            rows.append(row)
    return pd.DataFrame(rows)


def plot_regional_effects(
    effects: pd.DataFrame,
    targets: Mapping[str, Sequence[str]],
    *,
    metric: str = "n_digital_talent",
    level: float = 0.95,
    windows: Sequence[tuple[str, str]] = (),
    styles: Mapping[str, Mapping[str, str]] | None = None,
    wan: bool = False,
    lang: Lang = "en",
) -> Figure:
    """Small multiples, one panel per region: each targeted scenario's mean effect by month and its confidence band.

    Args:
        effects: paired effects with region rows and ``effect_mean_ci_*`` columns (``Comparison.effects``).
        targets: scenario -> its targeted regions (see :func:`targeted_regions`).
        metric: the metric drawn.
        level: the confidence level (for the title).
        windows: lever windows, shaded grey.
        styles: colour and line style per scenario.
        wan: counts of people in 万.
        lang: ``en`` or ``zh``.
    """
    from talentsim import plotting

    plotting._prepare(lang, wan)
    rows = effects[(effects["metric"] == metric) & (effects["region"] != "all")]
    rows = rows[rows["scenario"].isin(list(targets))]
    regions = list(dict.fromkeys(rows["region"]))
    ncols = 4
    nrows = max(1, -(-len(regions) // ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.2 * ncols, 2.6 * nrows), sharex=True, layout="constrained")
    flat = np.atleast_1d(axes).ravel()
    style_of = plotting._styles_for(list(targets), styles)
    for ax, region in zip(flat, regions, strict=False):
        sel = rows[rows["region"] == region]
        plotting._shade_windows(ax, windows, lang, pd.to_datetime(sel["date"]))
        for name in targets:
            line = sel[sel["scenario"] == name].sort_values("date")
            dates = pd.to_datetime(line["date"])
            style = dict(style_of[name])
            ax.plot(dates, line["effect_mean"], label=name, **style)
            ax.fill_between(
                dates, line["effect_mean_ci_low"], line["effect_mean_ci_high"], color=style["color"], alpha=0.25, lw=0
            )
        ax.axhline(0.0, color="0.5", linewidth=0.8, linestyle="--")
        star = " \u2605" if any(region in t for t in targets.values()) else ""
        ax.set_title(catalogue.region_label(str(region), lang) + star, fontsize=9)
        plotting._effect_axis(ax, metric, None, "y", lang=lang, wan=wan)
        ax.yaxis.label.set_fontsize(7)
        ax.tick_params(labelsize=6)
        for label in ax.get_xticklabels():
            label.set_rotation(30)
    for ax in flat[len(regions) :]:
        ax.set_visible(False)
    if len(flat):
        handles, labels = flat[0].get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 4), fontsize=8)
    fig.suptitle(_say("regions_fig_title", lang, difference=say("difference", lang), pct=_pct(level)), fontsize=10)
    return fig


def regions_section(ctx: ReportContext) -> str:
    """For scenarios with regionally targeted levers: effects by region, a figure, and lives against trained."""
    res, lang = ctx.res, ctx.lang
    if res.effects is None or not len(res.effects) or not _has_intervals(ctx):
        return ""
    targets = {k: v for k, v in targeted_regions(res.scenarios).items() if k in set(res.effects["scenario"])}
    heading = _say("regions_heading", lang)
    if not targets:
        return section_html("regions", heading, [f"<p>{html.escape(_say('regions_none', lang))}</p>"])
    from talentsim import plotting
    from talentsim.report import _png_data_uri

    sep = "、" if lang == "zh" else "; "
    which = sep.join(f"{n} ({', '.join(catalogue.region_label(r, lang) for r in regs)})" for n, regs in targets.items())
    date = f"{pd.Timestamp(res.effects['date'].max()):%Y-%m}"
    n = int(_last(res.effects)["paired_replicates"].max())
    note = _say("regions_note", lang, which=which, date=date, pct=_pct(res.level), n=n)
    fig = plot_regional_effects(
        res.effects,
        targets,
        level=res.level,
        windows=plotting.lever_windows({k: res.scenarios[k] for k in targets}),
        styles=plotting.scenario_styles(res.names),
        wan=ctx.wan,
        lang=lang,
    )
    caption = _say("cap_regions_effects", lang, pct=_pct(res.level))
    body = [
        f"<p>{html.escape(note)}</p>",
        html_table(regional_rows(res.effects, targets, lang, ctx.wan)),
        f'<figure id="fig-regions-effects"><img alt="regions_effects" src="{_png_data_uri(fig)}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>",
    ]
    return section_html("regions", heading, body)


# --- scenario files ----------------------------------------------------------------------------------


def _without_none(value: Any) -> Any:
    """A scenario dump without None entries (TOML has no null)."""
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value if v is not None]
    return value


def scenario_toml(spec: Mapping[str, Any]) -> str:
    """A scenario dump (``Scenario.model_dump(mode="json")``) as TOML."""
    import tomli_w

    return tomli_w.dumps(_without_none(dict(spec)))


def flatten(spec: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted keys of a scenario dump; levers keyed by type (``policy.funding.coverage``), repeats numbered."""
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, Mapping):
            for k, v in value.items():
                walk(f"{prefix}.{k}" if prefix else str(k), v)
        else:
            out[prefix] = value

    for key, value in spec.items():
        if key == "policy" and isinstance(value, list):
            seen: dict[str, int] = {}
            for lever in value:
                kind = str(lever.get("type", "lever"))
                seen[kind] = seen.get(kind, 0) + 1
                label = kind if seen[kind] == 1 else f"{kind}#{seen[kind]}"
                walk(f"policy.{label}", {k: v for k, v in lever.items() if k != "type"})
        else:
            walk(key, value)
    return out


def scenario_difference(baseline: Mapping[str, Any], scenario: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Key by key, where a scenario differs from the baseline.

    Returns:
        (key, baseline value, scenario value) triples; None where a key is absent.
    """
    base, this = flatten(baseline), flatten(scenario)
    keys = list(dict.fromkeys([*base, *this]))
    return [(k, base.get(k), this.get(k)) for k in keys if base.get(k) != this.get(k)]


def _show(value: Any, lang: Lang) -> str:
    return _say("absent", lang) if value is None else json.dumps(value, ensure_ascii=False)


def scenario_files_section(ctx: ReportContext) -> str:
    """Each scenario's TOML and its key-by-key difference from the baseline, in collapsible blocks."""
    res, lang = ctx.res, ctx.lang
    if not res.scenarios:
        return ""
    esc = html.escape
    base_name = res.baseline if res.baseline in res.scenarios else next(iter(res.scenarios))
    base = res.scenarios[base_name]
    body = [f"<p>{esc(_say('files_note', lang))}</p>"]
    for name in res.names:
        spec = res.scenarios.get(name)
        if not spec:
            continue
        body.append(
            f"<details><summary>{esc(_say('toml_summary', lang, name=name))}</summary>"
            f"<pre>{esc(scenario_toml(spec))}</pre></details>"
        )
        if name == base_name:
            continue
        diff = scenario_difference(base, spec)
        table = pd.DataFrame(
            [(k, _show(b, lang), _show(s, lang)) for k, b, s in diff],
            columns=[_say("col_key", lang), _say("col_baseline", lang), _say("col_this", lang)],
        )
        body.append(
            f"<details><summary>{esc(_say('diff_summary', lang, name=name, n=len(diff)))}</summary>"
            f"{html_table(table)}</details>"
        )
    return section_html("scenario-files", _say("files_heading", lang), body)


# --- provenance --------------------------------------------------------------------------------------


def provenance_rows(ctx: ReportContext) -> list[dict[str, Any]]:
    """Command lines, git commits, library versions, confidence level and replicates, as (item, value) rows."""
    from talentsim.provenance import git_commit, library_versions

    res, lang = ctx.res, ctx.lang
    item, value = say("col_item", lang), say("col_value", lang)
    rows: list[dict[str, Any]] = []
    if ctx.command_line:
        rows.append({item: _say("item_command", lang, what=_say("item_report", lang)), value: ctx.command_line})
    for folder, meta in res.metadata.items():
        if meta.get("command_line"):
            rows.append({item: _say("item_command", lang, what=folder), value: meta["command_line"]})
        if meta.get("git_commit"):
            rows.append({item: _say("item_git", lang, what=folder), value: meta["git_commit"]})
    commit = git_commit()
    if commit:
        rows.append({item: _say("item_git", lang, what=_say("item_report", lang)), value: commit})
    if res.level:
        rows.append({item: _say("item_level", lang), value: _pct(res.level)})
    if res.effects is not None and "paired_replicates" in res.effects.columns:
        last = _last(res.effects)
        for name, n in last.groupby("scenario", sort=False)["paired_replicates"].max().items():
            rows.append({item: _say("item_replicates_of", lang, name=name), value: int(n)})
    versions = next((m["versions"] for m in res.metadata.values() if isinstance(m.get("versions"), dict)), None)
    for lib, version in (versions or library_versions()).items():
        rows.append({item: _say("item_version_of", lang, name=lib), value: version})
    return rows
