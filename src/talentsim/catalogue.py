"""The metric catalogue: what every recorded metric is, in English and Chinese.

One entry per metric (:class:`Metric`): its name in the tidy table, a label in English and in
Chinese, its unit, its kind and how it aggregates over time and over regions. Figures
(:mod:`talentsim.plotting`), the report (:mod:`talentsim.report`), summaries
(:mod:`talentsim.summary`) and comparisons (:mod:`talentsim.compare`) take labels, units and
aggregation rules from here and nowhere else. The same module names the other things a reader
sees: regions and fields; the plan's levers are named by the titles each lever declares (the
plan's own Chinese names, from ``shared/seeds/action-plan-2024-2026.zh-Hant.txt`` in simplified
characters; see :class:`talentsim.policies.base.Lever`).

Kinds and what they imply:

========== ============================== ================ =====================
kind       meaning                        over time        over regions
========== ============================== ================ =====================
stock      people at the month's end      last value       sum
flow       people in the month            sum              sum
money      yuan spent to date             last value       sum
rate       a fraction of a flow or stock  mean             recompute from parts
share      a fraction of a stock          mean             recompute from parts
wage       yuan a year                    mean             recompute from parts
level      a mean skill level (0-8)       mean             recompute from parts
ratio      a ratio of two wages           mean             recompute from parts
========== ============================== ================ =====================

"Recompute from parts" means a regional rate is not summed nor averaged unweighted: the national
value is the ratio of national totals (as :mod:`talentsim.metrics` computes it).
``regional_mismatch`` exists nationally only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[str, ...] = ("en", "zh")

Kind = Literal["stock", "flow", "money", "rate", "share", "wage", "level", "ratio"]

# Over time: how a monthly series becomes one number for a period.
OVER_TIME: dict[str, str] = {
    "stock": "last",
    "flow": "sum",
    "money": "last",
    "rate": "mean",
    "share": "mean",
    "wage": "mean",
    "level": "mean",
    "ratio": "mean",
}
# Over regions: how regional values become a national one.
OVER_REGIONS: dict[str, str] = {
    "stock": "sum",
    "flow": "sum",
    "money": "sum",
    "rate": "recompute",
    "share": "recompute",
    "wage": "recompute",
    "level": "recompute",
    "ratio": "recompute",
}

# Unit key -> (English, Chinese).
UNITS: dict[str, tuple[str, str]] = {
    "people": ("people", "人"),
    "people_month": ("people a month", "人/月"),
    "people_year": ("people a year", "人/年"),
    "yuan": ("yuan", "元"),
    "yuan_year": ("yuan a year", "元/年"),
    "yuan_person": ("yuan a person", "元/人"),
    "share": ("share (0-1)", "比例 (0-1)"),
    "rate": ("rate (0-1)", "比率 (0-1)"),
    "level": ("level (0-8)", "等级 (0-8)"),
    "ratio": ("ratio", "比值"),
}
UNIT_OF_KIND: dict[str, str] = {
    "stock": "people",
    "flow": "people_month",
    "money": "yuan",
    "rate": "rate",
    "share": "share",
    "wage": "yuan_year",
    "level": "level",
    "ratio": "ratio",
}
# Units counted in people (written in 万 when asked) and in yuan.
PEOPLE_UNITS = frozenset({"people", "people_month", "people_year"})
YUAN_UNITS = frozenset({"yuan", "yuan_year", "yuan_person"})


@dataclass(frozen=True)
class Metric:
    """One metric of the tidy table.

    Attributes:
        name: the name in the table (``n_digital_talent``).
        en: the English label.
        zh: the Chinese label.
        kind: stock, flow, money, rate, share, wage, level or ratio (see the module docstring).
        national_only: recorded nationally only (no regional rows).
    """

    name: str
    en: str
    zh: str
    kind: Kind
    national_only: bool = False

    @property
    def unit(self) -> str:
        """The unit key (a key of :data:`UNITS`)."""
        return UNIT_OF_KIND[self.kind]

    @property
    def over_time(self) -> str:
        """How to aggregate over months: ``last``, ``sum`` or ``mean``."""
        return OVER_TIME[self.kind]

    @property
    def over_regions(self) -> str:
        """How regional values make the national one: ``sum``, ``recompute`` or ``national only``."""
        return "national only" if self.national_only else OVER_REGIONS[self.kind]

    def label(self, lang: Lang = "en") -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


# Region names of data/regions.csv -> (English, Chinese). The Chinese names are accepted as
# aliases in scenario files' ``regions`` lists.
REGION_LABELS: dict[str, tuple[str, str]] = {
    "all": ("national", "全国"),
    "Beijing": ("Beijing", "北京"),
    "Shanghai": ("Shanghai", "上海"),
    "Guangdong": ("Guangdong", "广东"),
    "Jiangsu_Zhejiang": ("Jiangsu–Zhejiang", "江浙"),
    "Rest_of_East": ("rest of the East", "东部其他"),
    "Central": ("Central", "中部"),
    "West": ("West", "西部"),
    "Northeast": ("Northeast", "东北"),
}

FIELD_LABELS: dict[str, tuple[str, str]] = {
    "ai": ("AI", "人工智能"),
    "big_data": ("big data", "大数据"),
    "integrated_circuits": ("integrated circuits", "集成电路"),
    "smart_manufacturing": ("smart manufacturing", "智能制造"),
    "data_security": ("data security", "数据安全"),
    "other_digital": ("other digital", "其他数字领域"),
    "non_digital": ("non-digital", "非数字领域"),
}

# Course types of new_trainees_<course> -> (English, Chinese).
COURSE_LABELS: dict[str, tuple[str, str]] = {
    "regular": ("regular courses", "常规培训"),
    "engineer": ("engineer training", "工程师培训"),
    "composite": ("composite courses", "复合型培训"),
}

_ENTRIES: tuple[Metric, ...] = (
    # stocks
    Metric("n_digital_talent", "Digital talent", "数字人才", "stock"),
    Metric("n_digital_jobs", "Digital jobs", "数字岗位", "stock"),
    Metric("n_digital_gap", "Digital talent gap (jobs − talent)", "数字人才缺口（岗位−人才）", "stock"),
    Metric("n_digital_vacancies", "Open digital vacancies", "数字岗位空缺", "stock"),
    Metric("n_digital_students", "Students in digital fields", "数字领域在校生", "stock"),
    Metric("n_students", "Students", "在校生", "stock"),
    Metric("n_labour_force", "Labour force", "劳动力", "stock"),
    Metric("n_employed", "Employed", "就业人员", "stock"),
    Metric("n_unemployed", "Unemployed", "失业人员", "stock"),
    Metric("n_entrepreneurs", "Entrepreneurs", "创业人员", "stock"),
    Metric("n_abroad", "Abroad", "在海外人员", "stock"),
    Metric("n_inactive", "Out of the labour force", "非劳动力人口", "stock"),
    Metric("n_high_level_talent", "High-level digital talent", "高层次数字人才", "stock"),
    Metric(
        "n_trained_talent", "Course-trained digital talent, where they live", "受过培训的数字人才（按居住地）", "stock"
    ),
    Metric(
        "n_trained_talent_by_course_region",
        "Course-trained digital talent, where they were trained",
        "受过培训的数字人才（按培训地）",
        "stock",
    ),
    # rates, shares, wages
    Metric("mean_level", "Mean skill level of digital talent", "数字人才平均技能等级", "level"),
    Metric("certified_share", "Certified share of digital talent", "数字人才持证比例", "share"),
    Metric("high_level_share", "High-level share of digital talent", "高层次数字人才占比", "share"),
    Metric("unemployment_rate", "Unemployment rate", "失业率", "rate"),
    Metric("vacancy_fill_rate", "Digital vacancy fill rate", "数字岗位填补率", "rate"),
    Metric("mean_wage_digital", "Mean wage in digital jobs", "数字岗位平均工资", "wage"),
    Metric("mean_wage_all", "Mean wage in all jobs", "全部岗位平均工资", "wage"),
    Metric("digital_wage_premium", "Digital wage premium over other jobs", "数字岗位工资溢价", "ratio"),
    Metric("digital_wage_ratio", "Digital / all-job wage ratio", "数字岗位与全部岗位工资之比", "ratio"),
    Metric(
        "regional_mismatch",
        "Regional mismatch of talent and jobs",
        "人才与岗位区域错配度",
        "share",
        national_only=True,
    ),
    # flows
    Metric("new_students", "New students", "新入学学生", "flow"),
    Metric("new_graduates", "Graduates", "毕业生", "flow"),
    Metric("new_digital_graduates", "Digital-field graduates", "数字领域毕业生", "flow"),
    Metric("new_dropouts", "Dropouts", "辍学学生", "flow"),
    Metric("new_trainees", "Trainees enrolled", "培训入学人数", "flow"),
    Metric("new_trained", "Trainees completing with a level gained", "培训结业晋级人数", "flow"),
    Metric("new_certified", "Certificates awarded", "新获证书人数", "flow"),
    Metric("new_experience_gains", "Levels gained on the job", "岗位经验晋级人数", "flow"),
    Metric("new_hires", "Hires", "新聘用", "flow"),
    Metric("new_separations", "Separations", "离职", "flow"),
    Metric("new_job_moves", "Job-to-job moves", "跳槽", "flow"),
    Metric("new_layoffs", "Layoffs", "裁员", "flow"),
    Metric("new_migrants", "Movers between regions", "跨区域流动人员", "flow"),
    Metric("new_arrivals", "Arrivals from other regions", "跨区域流入人员", "flow"),
    Metric("new_net_migration", "Net migration (arrivals - departures)", "跨区域净流入人员", "flow"),
    Metric("new_high_level_arrivals", "High-level arrivals in a region", "高层次人才流入", "flow"),
    Metric("new_emigrants", "Emigrants", "出国（境）人员", "flow"),
    Metric("new_returnees", "Returnees", "留学回国人员", "flow"),
    Metric("new_outbound", "Graduates going abroad to study", "出国（境）留学毕业生", "flow"),
    Metric("new_foreign", "Foreign arrivals", "外籍人才流入", "flow"),
    Metric("new_startups", "Startup founders", "新创业者", "flow"),
    Metric("new_startup_exits", "Founders leaving startups", "创业退出", "flow"),
    Metric("new_competition_winners", "Competition winners", "竞赛获奖者", "flow"),
    Metric("new_extra_digital_seats", "Extra digital seats admitted", "新增数字专业招生", "flow"),
    Metric("new_retirements", "Retirements", "退休", "flow"),
    Metric("new_deaths", "Deaths", "死亡", "flow"),
    Metric("new_entrants", "School leavers entering", "新进入劳动力", "flow"),
    # money
    Metric("cum_policy_cost", "Public cost to date", "累计公共支出", "money"),
)

CATALOGUE: dict[str, Metric] = {m.name: m for m in _ENTRIES}

# The headline outcomes, in this order: printed after a run (``talentsim run``, :mod:`talentsim.summary`)
# and tabled in the report.
HEADLINE_OUTCOMES: tuple[str, ...] = (
    "n_digital_talent",
    "n_digital_jobs",
    "n_digital_gap",
    "n_digital_students",
    "high_level_share",
    "mean_level",
    "certified_share",
    "regional_mismatch",
    "unemployment_rate",
    "vacancy_fill_rate",
    "mean_wage_digital",
    "digital_wage_premium",
    "cum_policy_cost",
    "new_graduates",
    "new_digital_graduates",
    "new_trained",
    "new_certified",
    "new_returnees",
    "new_foreign",
    "new_emigrants",
    "new_migrants",
    "new_startups",
)
# The headline effects: the printed comparison table (:mod:`talentsim.compare`) and the forest plot
# (:func:`talentsim.plotting.plot_effects_forest`). The plan's larger, better-structured and
# better-distributed goals, and their cost.
HEADLINE_EFFECTS: tuple[str, ...] = ("n_digital_talent", "high_level_share", "regional_mismatch", "cum_policy_cost")

COST_PREFIX = "cum_policy_cost_"
COURSE_PREFIX = "new_trainees_"


def _two(labels: dict[str, tuple[str, str]], key: str, lang: Lang) -> str:
    en, zh = labels[key]
    return zh if lang == "zh" else en


def metric(name: str) -> Metric:
    """The catalogue entry of a metric.

    The families ``cum_policy_cost_<lever>`` and ``new_trainees_<course>`` are built on demand.

    Raises:
        KeyError: the metric is not in the catalogue.
    """
    if name in CATALOGUE:
        return CATALOGUE[name]
    lever = name.removeprefix(COST_PREFIX)
    if name.startswith(COST_PREFIX) and lever in _lever_titles():
        en, zh = _lever_titles()[lever]
        return Metric(name, f"Public cost to date: {en}", f"累计公共支出：{zh}", "money")
    if name.startswith(COURSE_PREFIX) and name.removeprefix(COURSE_PREFIX) in COURSE_LABELS:
        en, zh = COURSE_LABELS[name.removeprefix(COURSE_PREFIX)]
        return Metric(name, f"Trainees enrolled: {en}", f"培训入学人数：{zh}", "flow")
    raise KeyError(f"metric {name!r} is not in the catalogue (talentsim.catalogue)")


def is_known(name: str) -> bool:
    """Whether ``name`` is a metric of the catalogue."""
    try:
        metric(name)
    except KeyError:
        return False
    return True


def label(name: str, lang: Lang = "en") -> str:
    """A metric's label in ``lang``; a name outside the catalogue is returned as it is."""
    return metric(name).label(lang) if is_known(name) else name


def kind(name: str) -> str:
    """A metric's kind (see the module docstring)."""
    return metric(name).kind


def is_flow(name: str) -> bool:
    """Whether a metric is a monthly flow (summed over time).

    A name outside the catalogue follows the naming rule: ``new_`` names are flows.
    """
    return metric(name).kind == "flow" if is_known(name) else name.startswith("new_")


def flow_names(names: Iterable[str]) -> list[str]:
    """The flows among ``names`` (see :func:`is_flow`), for selecting the rows of a tidy table."""
    return [name for name in dict.fromkeys(names) if is_flow(str(name))]


def unit_key(name: str) -> str:
    """A metric's unit key (a key of :data:`UNITS`)."""
    return metric(name).unit


def unit_text(unit: str, lang: Lang = "en", *, wan: bool = False) -> str:
    """A unit in words; with ``wan`` (or in Chinese) counts of people are in 万 (ten thousands).

    Args:
        unit: a key of :data:`UNITS`.
        lang: ``en`` or ``zh``.
        wan: counts of people in 万.
    """
    en, zh = UNITS[unit]
    if unit in PEOPLE_UNITS and wan:
        return "万" + zh if lang == "zh" else en.replace("people", "万 people (10,000)")
    return zh if lang == "zh" else en


def metric_unit(name: str, lang: Lang = "en", *, wan: bool = False) -> str:
    """A metric's unit in words (see :func:`unit_text`)."""
    return unit_text(unit_key(name), lang, wan=wan)


def region_label(name: str, lang: Lang = "en") -> str:
    """A region's name in ``lang`` (names outside data/regions.csv are returned as they are)."""
    return _two(REGION_LABELS, name, lang) if name in REGION_LABELS else name


def field_label(name: str, lang: Lang = "en") -> str:
    """A field's name in ``lang``."""
    return _two(FIELD_LABELS, name, lang) if name in FIELD_LABELS else name


def _lever_titles() -> dict[str, tuple[str, str]]:
    """Lever name -> (English, the plan's own Chinese name), from the lever registry."""
    from talentsim.policies import LEVERS  # the levers declare their titles (talentsim.policies.base.Lever)

    return {name: (lever.title_en, lever.title_zh) for name, (_spec, lever) in LEVERS.items()}


def lever_label(name: str, lang: Lang = "en") -> str:
    """A lever's name in ``lang``: in Chinese, the plan's own name of the measure."""
    titles = _lever_titles()
    return _two(titles, name, lang) if name in titles else name


# Chinese region names -> the names in scenario files.
REGION_ALIASES: dict[str, str] = {zh: name for name, (_en, zh) in REGION_LABELS.items() if name != "all"}


def canonical_region(name: str) -> str:
    """The scenario name of a region given by its Chinese name (北京 -> Beijing); others unchanged."""
    return REGION_ALIASES.get(name, name)


def check_lang(lang: str) -> Lang:
    """``lang`` if it is ``en`` or ``zh``.

    Raises:
        ValueError: any other value.
    """
    if lang not in LANGS:
        raise ValueError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")
    return lang  # type: ignore[return-value]
