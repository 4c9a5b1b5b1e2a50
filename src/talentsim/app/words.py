"""The app's own words in English and Chinese (names of metrics, regions and measures come from the catalogue)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "title": ("talentsim policy explorer", "talentsim 政策情景探索"),
    "subtitle": (
        "Build a scenario from the measures of the 2024–2026 digital-talent action plan, run it against the "
        "baseline on common seeds, and take the file away.",
        "用《加快数字人才培育支撑数字经济发展行动方案（2024—2026年）》的各项措施组合情景，与基准情景在相同随机种子下对比，并下载情景文件。",
    ),
    "tab_build": ("Build and run", "构建与运行"),
    "tab_results": ("Results", "结果"),
    "tab_saved": ("Compare saved runs", "比较已保存结果"),
    "language": ("Language", "语言"),
    "wan": ("people in 万", "人数以万计"),
    "start_from": ("Start from a shipped scenario", "从内置情景开始"),
    "name": ("Scenario name", "情景名称"),
    "horizon_start": ("Horizon start (YYYY-MM)", "模拟起始月（YYYY-MM）"),
    "horizon_end": ("Horizon end (YYYY-MM)", "模拟结束月（YYYY-MM）"),
    "scale": ("Scale: real people per agent", "规模：每个主体代表的实际人数"),
    "replicates": ("Replicates", "重复次数"),
    "seed": ("First seed", "起始随机种子"),
    "measures": ("The plan's twelve measures", "行动方案的十二项措施"),
    "window_start": ("from (YYYY-MM)", "起（YYYY-MM）"),
    "window_end": ("to (YYYY-MM)", "止（YYYY-MM）"),
    "regions": ("Regions", "地区"),
    "range": ("range", "范围"),
    "run": ("Run against the baseline", "与基准情景对比运行"),
    "cancel": ("Cancel", "取消"),
    "running": ("Running {done} of {total} runs…", "运行中：{done}/{total}…"),
    "cached": ("baseline taken from the cache", "基准情景取自缓存"),
    "cancelled": ("Cancelled: nothing was written.", "已取消：未写入任何结果。"),
    "invalid": ("The scenario is not valid; nothing was run:", "情景无效，未运行："),
    "failed": ("The run failed:", "运行出错："),
    "warnings": ("Validated, with warnings:", "通过校验，但有警告："),
    "done": ("Results written to {folder}", "结果已写入 {folder}"),
    "no_results": ("No results yet: build a scenario and run it.", "尚无结果：请先构建并运行情景。"),
    "headline": (
        "Effects at the horizon (median [10 %, 90 %] of paired differences)",
        "期末效应（配对差值的中位数 [10%，90%]）",
    ),
    "cost": ("Cost-effectiveness", "成本效益"),
    "map": ("Regional effect on {metric} at {date}", "{date} 各地区{metric}效应"),
    "map_metric": ("Metric of the map", "地图指标"),
    "figures": ("Figures", "图表"),
    "take_away": ("Take away", "下载"),
    "dl_scenario": ("Scenario file (TOML)", "情景文件（TOML）"),
    "dl_baseline": ("Baseline file (TOML)", "基准情景文件（TOML）"),
    "dl_report": ("Report (HTML)", "报告（HTML）"),
    "dl_effects": ("Effects table (CSV)", "效应表（CSV）"),
    "dl_cost": ("Cost-effectiveness table (CSV)", "成本效益表（CSV）"),
    "reproduce": ("Reproduce from the command line:", "在命令行中复现："),
    "saved_folders": ("Result folders in {folder}", "{folder} 中的结果文件夹"),
    "saved_none": ("No result folders in {folder} yet.", "{folder} 中尚无结果文件夹。"),
    "saved_pick": ("Pick folders to view side by side", "选择要并排比较的文件夹"),
    "saved_path": ("…or type a folder path and press Enter", "……或输入文件夹路径并回车"),
    "all_regions": ("all", "全部"),
    "refresh": ("Look for folders again", "重新查找文件夹"),
}


def word(key: str, lang: str, **values: object) -> str:
    """The app's word ``key`` in ``lang`` with its ``{placeholders}`` filled."""
    en, zh = WORDS[key]
    return (zh if lang == "zh" else en).format(**values)
