"""The words of figures and the report, in English and Chinese.

Metric, unit, region, field and lever names come from :mod:`talentsim.catalogue`; this module
holds the sentences around them. :func:`say` fills a phrase's ``{placeholders}``.
"""

from __future__ import annotations

from talentsim.catalogue import Lang

PHRASES: dict[str, tuple[str, str]] = {
    # figures
    "panel_title": ("National outcomes by month", "全国主要指标（按月）"),
    "band_legend": ("median, 10-90 % band", "中位数，10–90% 区间"),
    "one_replicate_legend": ("one replicate (no band)", "单次重复（无区间）"),
    "median_interval_legend": ("median, 10-90 % spread of replicates", "中位数，各重复 10–90% 离散范围"),
    "ci_legend": ("mean effect, {pct} CI", "平均效应，{pct} 置信区间"),
    "ci_legend_unknown": ("mean effect, confidence interval", "平均效应，置信区间"),
    "mean_no_ci_legend": ("mean effect (one replicate: no interval)", "平均效应（单次重复，无区间）"),
    "lever_window": ("lever window", "政策实施期"),
    "difference": ("scenario − baseline", "情景 − 基准"),
    "effect_axis": ("effect, {unit} ({difference})", "效应，{unit}（{difference}）"),
    "at_date": ("{label} at {date}", "{label}，{date}"),
    "regions_x": ("share of national digital jobs", "占全国数字岗位的比例"),
    "regions_y": ("share of national digital talent", "占全国数字人才的比例"),
    "regions_title": ("Regions: talent against jobs, {date}", "各地区数字人才与数字岗位占比，{date}"),
    "regions_diagonal": ("talent share = job share", "人才占比 = 岗位占比"),
    "structure_title_level": ("Digital talent by level, {date}", "数字人才按技能等级，{date}"),
    "structure_title_field": ("Digital talent by field, {date}", "数字人才按领域，{date}"),
    "level_n": ("level {n}", "{n} 级"),
    "cost_x": (
        "additional digital talent at the horizon, {unit} ({difference})",
        "期末新增数字人才，{unit}（{difference}）",
    ),
    "cost_y": ("public cost to the horizon, {unit}", "截至期末的公共支出，{unit}"),
    "cost_title": ("Cost against additional talent", "公共支出与新增数字人才"),
    "pipeline_title": ("Flows of the pipeline, {start} to {end} (totals)", "人才流量合计，{start} 至 {end}"),
    "log_scale": ("{unit} (log scale)", "{unit}（对数坐标）"),
    "forest_title": (
        "Effects at the horizon: median and 10-90 % spread of paired differences ({difference}) over replicates",
        "期末效应：配对差值（{difference}）在各重复间的中位数与 10–90% 离散范围",
    ),
    "forest_title_ci": (
        "Effects at the horizon ({difference}, paired by replicate): {what}",
        "期末效应（{difference}，按重复配对）：{what}",
    ),
    "effects_title": (
        "Effects by month: scenario − baseline, paired by replicate",
        "逐月效应：情景 − 基准，按重复配对",
    ),
    "yearly_title_flow": ("{label} by year (summed over the year)", "{label}，按年（年内合计）"),
    "yearly_title_stock": ("{label} by year (year's end)", "{label}，按年（年末值）"),
    # the report
    "report_title": ("talentsim report: digital-talent policy scenarios", "talentsim 报告：数字人才政策情景"),
    "question_heading": ("The question", "问题"),
    "question": (
        "Which measures of China's 2024–2026 digital-talent action plan add how much digital talent, of "
        "which level, in which regions, by when, at what public cost — and how sure are we?",
        "《加快数字人才培育支撑数字经济发展行动方案（2024—2026年）》的哪些措施，能在何时、在哪些地区、"
        "以多少公共支出，增加多少、何种层次的数字人才？我们对此有多大把握？",
    ),
    "how_heading": ("How to read this", "阅读说明"),
    "how_to_read": (
        "Every scenario was run several times (replicates) on different random seeds; a scenario and its "
        "baseline share the same seeds, so their replicates are paired (common random numbers). In the "
        "figures of outcomes, lines and dots are medians over replicates and shaded bands span the 10th to "
        "the 90th percentile: the model's own randomness at this scale, not the uncertainty of its guessed "
        "parameters. An effect is the difference scenario − baseline taken replicate by replicate; the "
        "figures of effects draw the mean effect and its confidence interval (the level is in their legends), "
        "which says how well the mean effect is known from the replicates run and narrows as replicates are "
        "added; an interval that contains zero cannot tell the effect from no effect. {counts}, wages yuan a "
        "year at 2023 prices, costs yuan of public money to the horizon. Grey spans mark the months in which "
        "levers act.",
        "每个情景以不同随机种子运行多次（重复）；情景与基准使用相同种子，因此各次重复一一配对（共同随机数）。"
        "在指标图中，线和点为各重复的中位数，阴影区间为第 10 至第 90 百分位，反映模型在此规模下自身的随机性，"
        "而非其估计参数的不确定性。效应为逐次重复计算的“情景 − 基准”之差；效应图绘制平均效应及其置信区间"
        "（置信水平见图例），表示由已运行的重复对平均效应的把握程度，重复越多区间越窄；区间含零时无法与无效应区分。"
        "{counts}；工资为 2023 年价格的元/年；支出为截至期末的公共资金（元）。"
        "灰色区域为政策实施期。",
    ),
    "counts_people": ("Counts are real people", "人数为实际人数（大数以万、亿计）"),
    "counts_wan": (
        "Counts of people are in 万 (ten thousands of real people)",
        "人数以万人为单位",
    ),
    "scenarios_heading": ("Scenarios and their levers", "情景及其政策措施"),
    "no_levers": ("No levers: every scenario is a baseline.", "无政策措施：所有情景均为基准。"),
    "headline_heading": ("Outcomes at the horizon", "期末结果"),
    "headline_note": (
        "Median [10th, 90th percentile] over replicates; stocks and rates at the last month, flows summed over "
        "the last 12 months.",
        "各重复的中位数 [第 10，第 90 百分位]；存量与比率取最后一个月，流量为最近 12 个月合计。",
    ),
    "effects_heading": ("Effects and cost-effectiveness", "效应与成本效益"),
    "no_comparison": (
        "These results hold no comparison: run <code>talentsim compare</code> for paired effects.",
        "这些结果不含情景比较：运行 <code>talentsim compare</code> 可得到配对效应。",
    ),
    "paired_against": (
        "Paired against the baseline <b>{baseline}</b> on the same seeds.",
        "与基准 <b>{baseline}</b> 在相同种子上配对比较。",
    ),
    "figures_heading": ("Figures", "图表"),
    "provenance_heading": ("Model version, seeds and scenario hashes", "模型版本、随机种子与情景哈希"),
    "html_lang": ("en", "zh-CN"),
    # table headers
    "col_scenario": ("scenario", "情景"),
    "col_description": ("description", "说明"),
    "col_horizon": ("horizon", "模拟期"),
    "col_scale": ("scale (people per agent)", "规模（每个主体代表人数）"),
    "col_levers": ("levers", "政策措施数"),
    "col_hash": ("hash (SHA-256, first 16)", "哈希（SHA-256 前 16 位）"),
    "col_lever": ("lever", "政策措施"),
    "col_window": ("window", "实施期"),
    "col_regions": ("regions", "地区"),
    "col_parameters": ("parameters", "参数"),
    "col_metric": ("metric", "指标"),
    "col_unit": ("unit", "单位"),
    "col_period": ("period", "时期"),
    "col_effect": ("effect (median)", "效应（中位数）"),
    "col_effect_mean": ("effect (mean)", "效应（均值）"),
    "col_low": ("10 %", "10%"),
    "col_high": ("90 %", "90%"),
    "col_cost": ("public cost to the horizon, {unit}", "截至期末公共支出，{unit}"),
    "col_add_talent": ("additional digital talent, {unit}", "新增数字人才，{unit}"),
    "col_add_high": ("additional high-level talent, {unit}", "新增高层次数字人才，{unit}"),
    "col_per_talent": (
        "yuan per additional talent (mean cost / mean gain)",
        "每新增一名数字人才的支出（元，平均支出/平均新增）",
    ),
    "col_per_high": (
        "yuan per additional high-level talent (mean cost / mean gain)",
        "每新增一名高层次数字人才的支出（元，平均支出/平均新增）",
    ),
    "col_deadweight": ("share of paid units that would have happened anyway", "无政策时本会发生的受资助单位占比"),
    "col_item": ("item", "项目"),
    "col_value": ("value", "值"),
    "all_regions": ("all", "全部"),
    "to": ("{start} to {end}", "{start} 至 {end}"),
    "item_version": ("talentsim version", "talentsim 版本"),
    "item_seeds": ("seeds", "随机种子"),
    "item_replicates": ("replicates", "重复次数"),
    "item_folders": ("result folders", "结果文件夹"),
    "item_hash": ("hash of {name}", "{name} 的哈希"),
    # captions
    "cap_outcomes": (
        "National outcomes by month: median over replicates and 10–90 % band; grey spans are lever windows.",
        "全国主要指标（按月）：各重复中位数及 10–90% 区间；灰色区域为政策实施期。",
    ),
    "cap_regions": (
        "Each region's share of digital talent against its share of digital jobs at the horizon.",
        "期末各地区数字人才占比与数字岗位占比。",
    ),
    "cap_structure_level": (
        "Digital talent by skill level at the horizon (median over replicates).",
        "期末数字人才按技能等级分布（各重复中位数）。",
    ),
    "cap_structure_field": (
        "Digital talent by field at the horizon (median over replicates).",
        "期末数字人才按领域分布（各重复中位数）。",
    ),
    "cap_pipeline": (
        "Flows of the pipeline summed over the horizon (median over replicates).",
        "模拟期内各类人才流量合计（各重复中位数）。",
    ),
    "cap_effects_forest": (
        "Effects at the horizon: mean paired difference, scenario − baseline, and its confidence interval "
        "(how well the mean effect is known; the level is in the legend).",
        "期末效应：配对差值（情景 − 基准）的均值及其置信区间（平均效应的把握程度；置信水平见图例）。",
    ),
    "cap_effects_over_time": (
        "Effects by month: mean paired difference and its confidence interval (level in the legend); grey "
        "spans are lever windows.",
        "逐月效应：配对差值均值及其置信区间（置信水平见图例）；灰色区域为政策实施期。",
    ),
    "cap_cost_effectiveness": (
        "Public cost to the horizon against additional digital talent, one point per scenario: means over "
        "paired replicates, with the gain's confidence interval (level in the legend).",
        "截至期末的公共支出与新增数字人才，每个情景一个点：配对重复的均值，及新增人数的置信区间（置信水平见图例）。",
    ),
}


def say(key: str, lang: Lang = "en", **values: object) -> str:
    """The phrase ``key`` in ``lang`` with its placeholders filled.

    Raises:
        KeyError: no such phrase.
    """
    en, zh = PHRASES[key]
    text = zh if lang == "zh" else en
    return text.format(**values) if values else text
