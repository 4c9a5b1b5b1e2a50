"""The headline tables of a comparison as one Excel workbook (``talentsim compare --xlsx``).

Three sheets, each a plain table with one header row whose cells carry their units, so a policy
office can filter, chart and compute on the numbers (they are numbers, not text):

- effects at the horizon: one row per scenario; for each headline metric the median paired effect,
  its mean and its 10th and 90th percentiles;
- cost-effectiveness: one row per scenario (cost, additional talent, cost per additional person with
  its confidence interval, the deadweight share of paid units overall and by lever);
- regional effects: one row per scenario and region, on the regional headline metrics: the median
  paired effect and its 10-90 % range, the mean paired effect and its confidence interval, and the
  paired replicates.

Labels, units and region names come from :mod:`talentsim.catalogue` in English or Chinese; with
``wan`` counts of people are in 万 (the headers say so).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from talentsim import catalogue
from talentsim.catalogue import Lang

if TYPE_CHECKING:
    from talentsim.compare import Comparison

# National effects in the first sheet, in this order.
HORIZON_METRICS: tuple[str, ...] = (
    "n_digital_talent",
    "n_high_level_talent",
    "high_level_share",
    "mean_level",
    "certified_share",
    "n_digital_gap",
    "regional_mismatch",
    "unemployment_rate",
    "mean_wage_digital",
    "cum_policy_cost",
)
# Effects by region in the third sheet.
REGIONAL_METRICS: tuple[str, ...] = ("n_digital_talent", "n_high_level_talent", "high_level_share", "n_digital_gap")

WORDS: dict[str, tuple[str, str]] = {
    "sheet_effects": ("Effects at the horizon", "期末效应"),
    "sheet_cost": ("Cost-effectiveness", "成本效益"),
    "sheet_regions": ("Regional effects", "地区效应"),
    "scenario": ("scenario", "情景"),
    "region": ("region", "地区"),
    "horizon": ("horizon", "期末"),
    "median": ("effect, median", "效应中位数"),
    "mean": ("effect, mean", "效应均值"),
    "low": ("effect, 10 %", "效应 10%"),
    "high": ("effect, 90 %", "效应 90%"),
    "ci_low": ("mean effect, confidence interval low", "效应均值置信区间下限"),
    "ci_high": ("mean effect, confidence interval high", "效应均值置信区间上限"),
    "replicates": ("paired replicates (count)", "配对重复次数（次）"),
    "per_talent_low": ("cost per additional digital talent, interval low", "每新增一名数字人才的支出，区间下限"),
    "per_talent_high": ("cost per additional digital talent, interval high", "每新增一名数字人才的支出，区间上限"),
    "distinguishable": ("gain distinguishable from 0 (true/false)", "新增人数可与0区分（是/否）"),
    "per_high_low": ("cost per additional high-level talent, interval low", "每新增一名高层次数字人才的支出，区间下限"),
    "per_high_high": (
        "cost per additional high-level talent, interval high",
        "每新增一名高层次数字人才的支出，区间上限",
    ),
    "high_distinguishable": (
        "high-level gain distinguishable from 0 (true/false)",
        "高层次新增人数可与0区分（是/否）",
    ),
    "deadweight": (
        "deadweight: share of paid units the baseline had too",
        "无谓支出：受资助单位中基准情景也会发生的比例",
    ),
    "deadweight_by_lever": ("deadweight by lever (lever: share)", "各措施无谓支出比例（措施：比例）"),
    "cost": ("public cost to the horizon", "截至期末公共支出"),
    "add_talent": ("additional digital talent, median", "新增数字人才，中位数"),
    "add_talent_low": ("additional digital talent, 10 %", "新增数字人才，10%"),
    "add_talent_high": ("additional digital talent, 90 %", "新增数字人才，90%"),
    "add_high": ("additional high-level talent, median", "新增高层次数字人才，中位数"),
    "add_high_low": ("additional high-level talent, 10 %", "新增高层次数字人才，10%"),
    "add_high_high": ("additional high-level talent, 90 %", "新增高层次数字人才，90%"),
    "per_talent": (
        "cost per additional digital talent, mean cost / mean gain",
        "每新增一名数字人才的支出，平均支出/平均新增",
    ),
    "per_high": (
        "cost per additional high-level talent, mean cost / mean gain",
        "每新增一名高层次数字人才的支出，平均支出/平均新增",
    ),
}

# Excel number formats by unit key.
NUMBER_FORMATS: dict[str, str] = {
    "people": "#,##0",
    "yuan": "#,##0",
    "yuan_year": "#,##0",
    "yuan_person": "#,##0",
    "share": "0.0000",
    "rate": "0.0000",
    "level": "0.00",
    "ratio": "0.000",
}


def _word(key: str, lang: Lang) -> str:
    en, zh = WORDS[key]
    return zh if lang == "zh" else en


def _header(text: str, unit: str, lang: Lang, wan: bool) -> str:
    """``text (unit)``: the unit in words, 万 people when ``wan``."""
    unit_words = catalogue.unit_text(unit, lang, wan=wan)
    return f"{text}（{unit_words}）" if lang == "zh" else f"{text} ({unit_words})"


def _in_unit(values: pd.Series, unit: str, wan: bool) -> pd.Series:
    return values / 1e4 if wan and unit in catalogue.PEOPLE_UNITS else values


def _present(comparison: Comparison, metrics: tuple[str, ...], region: str) -> list[str]:
    """The metrics of ``metrics`` recorded at the horizon in ``region`` (high-level talent is derived)."""
    ts = comparison.baseline.timeseries
    at = ts[(ts["region"] == region) & (ts["date"] == comparison.horizon_end)]
    available = set(at["metric"])
    if {"n_digital_talent", "high_level_share"} <= available:
        available.add("n_high_level_talent")
    return [m for m in metrics if m in available]


def headline_tables(comparison: Comparison, lang: Lang = "en", wan: bool = False) -> dict[str, pd.DataFrame]:
    """The workbook's sheets by name: effects at the horizon, cost-effectiveness, regional effects.

    Args:
        comparison: the comparison.
        lang: ``en`` or ``zh`` for headers, metric and region names.
        wan: counts of people in 万.

    Returns:
        Sheet name -> table (numbers in the unit its header names).
    """
    catalogue.check_lang(lang)
    horizon = f"{comparison.horizon_end:%Y-%m}"
    scenario_col = _word("scenario", lang)

    # effects at the horizon, one row per scenario
    metrics = _present(comparison, HORIZON_METRICS, "all")
    eff = comparison.horizon_effects(metrics)
    wide = pd.DataFrame({scenario_col: comparison.names, _word("horizon", lang): horizon})
    for metric in metrics:
        unit = catalogue.unit_key(metric)
        rows = eff[eff["metric"] == metric].set_index("scenario").reindex(comparison.names)
        for key, col in (
            ("median", "effect_median"),
            ("mean", "effect_mean"),
            ("low", "effect_low"),
            ("high", "effect_high"),
            ("ci_low", "effect_mean_ci_low"),
            ("ci_high", "effect_mean_ci_high"),
        ):
            header = _header(f"{catalogue.label(metric, lang)}: {_word(key, lang)}", unit, lang, wan)
            wide[header] = _in_unit(rows[col], unit, wan).to_numpy()
    wide[_word("replicates", lang)] = len(comparison.seeds)

    # cost-effectiveness
    cost = comparison.cost_effectiveness
    people = ("add_talent", "add_talent_low", "add_talent_high", "add_high", "add_high_low", "add_high_high")
    columns = ("additional_digital_talent", "additional_digital_talent_low", "additional_digital_talent_high")
    columns += ("additional_high_level_talent", "additional_high_level_talent_low", "additional_high_level_talent_high")
    costs = pd.DataFrame({scenario_col: cost["scenario"], _word("horizon", lang): cost["horizon_end"]})
    costs[_header(_word("cost", lang), "yuan", lang, wan)] = cost["cost_to_horizon"].to_numpy()
    for key, col in zip(people, columns, strict=True):
        costs[_header(_word(key, lang), "people", lang, wan)] = _in_unit(cost[col], "people", wan).to_numpy()
    costs[_header(_word("per_talent", lang), "yuan_person", lang, wan)] = cost["cost_per_additional_talent"].to_numpy()
    costs[_header(_word("per_high", lang), "yuan_person", lang, wan)] = cost[
        "cost_per_additional_high_level_talent"
    ].to_numpy()
    costs[_word("distinguishable", lang)] = cost["digital_talent_distinguishable"].to_numpy()
    for key, col in (
        ("per_talent_low", "cost_per_additional_talent_ci_low"),
        ("per_talent_high", "cost_per_additional_talent_ci_high"),
    ):
        costs[_header(_word(key, lang), "yuan_person", lang, wan)] = cost[col].to_numpy()
    costs[_word("high_distinguishable", lang)] = cost["high_level_talent_distinguishable"].to_numpy()
    for key, col in (
        ("per_high_low", "cost_per_additional_high_level_talent_ci_low"),
        ("per_high_high", "cost_per_additional_high_level_talent_ci_high"),
    ):
        costs[_header(_word(key, lang), "yuan_person", lang, wan)] = cost[col].to_numpy()
    costs[_header(_word("deadweight", lang), "share", lang, wan)] = cost["deadweight_share"].to_numpy()
    from talentsim.report import _lever_shares  # the report's wording of the same column

    costs[_word("deadweight_by_lever", lang)] = cost["deadweight_by_lever"].map(lambda text: _lever_shares(text, lang))
    costs[_word("replicates", lang)] = cost["paired_replicates"].to_numpy()

    # regional effects, one row per scenario and region
    regions = comparison.baseline.scenario.region_names
    regional_metrics = _present(comparison, REGIONAL_METRICS, regions[0])
    frames = []
    for region in regions:
        eff = comparison.horizon_effects(regional_metrics, region=region)
        block = pd.DataFrame(
            {scenario_col: comparison.names, _word("region", lang): catalogue.region_label(region, lang)}
        )
        for metric in regional_metrics:
            unit = catalogue.unit_key(metric)
            rows = eff[eff["metric"] == metric].set_index("scenario").reindex(comparison.names)
            for key, col in (
                ("median", "effect_median"),
                ("low", "effect_low"),
                ("high", "effect_high"),
                ("mean", "effect_mean"),
                ("ci_low", "effect_mean_ci_low"),
                ("ci_high", "effect_mean_ci_high"),
            ):
                header = _header(f"{catalogue.label(metric, lang)}: {_word(key, lang)}", unit, lang, wan)
                block[header] = _in_unit(rows[col], unit, wan).to_numpy()
        block[_word("replicates", lang)] = len(comparison.seeds)
        frames.append(block)
    regional = pd.concat(frames, ignore_index=True)
    regional = regional.sort_values(scenario_col, key=lambda s: s.map(comparison.names.index), kind="stable")

    return {
        _word("sheet_effects", lang): wide,
        _word("sheet_cost", lang): costs,
        _word("sheet_regions", lang): regional.reset_index(drop=True),
    }


def _number_format(header: str, lang: Lang, wan: bool) -> str | None:
    """The Excel number format of a column, from the unit its header ends with."""
    for unit in NUMBER_FORMATS:
        words = catalogue.unit_text(unit, lang, wan=wan)
        if header.endswith(f"（{words}）" if lang == "zh" else f"({words})"):
            return "#,##0.0" if wan and unit in catalogue.PEOPLE_UNITS else NUMBER_FORMATS[unit]
    return None


def write_workbook(comparison: Comparison, path: str | Path, lang: Lang = "en", wan: bool = False) -> Path:
    """Write :func:`headline_tables` to one ``.xlsx`` workbook, a sheet each, headers bold and frozen.

    Args:
        comparison: the comparison.
        path: the file to write.
        lang: ``en`` or ``zh``.
        wan: counts of people in 万.

    Returns:
        The path written.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    tables = headline_tables(comparison, lang, wan)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, table in tables.items():
            table.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "B2"
            for k, header in enumerate(table.columns, start=1):
                letter = get_column_letter(k)
                cell = sheet[f"{letter}1"]
                cell.font = Font(bold=True)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                sheet.column_dimensions[letter].width = 16 if k > 2 else 22
                fmt = _number_format(str(header), lang, wan)
                if fmt:
                    for row in range(2, len(table) + 2):
                        sheet[f"{letter}{row}"].number_format = fmt
    return path
