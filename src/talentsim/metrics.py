"""Monthly outcomes and the tidy result table (DESIGN section 5).

Names say how to aggregate over time: ``n_`` stocks (take the last value), ``new_`` monthly
flows (sum), ``cum_`` cumulative values (take the last), plain names rates and shares (average).
Every count is in real people (person-agents x scale); wages are yuan a year.

Each month is recorded nationally (``region = "all"``) and by region; digital talent and jobs
also by field and digital talent by level. Rows are (date, region, field, level, metric, value).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from talentsim.constants import (
    ABROAD,
    DIGITAL_FIELDS,
    EMPLOYED,
    ENTREPRENEUR,
    FIELDS,
    INACTIVE,
    IS_DIGITAL_JOB,
    JOB_FIELD,
    MAX_LEVEL,
    N_JOBS,
    N_STATUSES,
    NON_DIGITAL,
    NON_DIGITAL_JOB,
    STUDENT,
    UNEMPLOYED,
)
from talentsim.policies import lever_names

if TYPE_CHECKING:
    from collections.abc import Collection

    from talentsim.model import TalentModel

FLOW_METRICS: tuple[str, ...] = (
    "new_students",
    "new_graduates",
    "new_digital_graduates",
    "new_dropouts",
    "new_trainees",
    "new_trained",
    "new_certified",
    "new_experience_gains",
    "new_hires",
    "new_separations",
    "new_job_moves",
    "new_layoffs",
    "new_migrants",
    "new_arrivals",
    "new_net_migration",
    "new_high_level_arrivals",
    "new_emigrants",
    "new_returnees",
    "new_outbound",
    "new_foreign",
    "new_startups",
    "new_startup_exits",
    "new_competition_winners",
    "new_extra_digital_seats",
    "new_retirements",
    "new_deaths",
    "new_entrants",
)

STOCK_METRICS: tuple[str, ...] = (
    "n_digital_talent",
    "n_digital_jobs",
    "n_digital_gap",
    "n_digital_vacancies",
    "n_digital_students",
    "n_students",
    "n_employed",
    "n_unemployed",
    "n_entrepreneurs",
    "n_abroad",
    "n_inactive",
    "n_labour_force",
    "n_trained_talent",
    "n_trained_talent_by_course_region",
)

RATE_METRICS: tuple[str, ...] = (
    "mean_level",
    "certified_share",
    "high_level_share",
    "unemployment_rate",
    "vacancy_fill_rate",
    "mean_wage_digital",
    "mean_wage_all",
    "digital_wage_premium",
    "digital_wage_ratio",
)

# Metrics that have a national value only.
NATIONAL_METRICS: tuple[str, ...] = ("regional_mismatch",)


def cost_metrics() -> tuple[str, ...]:
    """The public-cost metrics: the total and one per lever registered now (``cum_policy_cost_<lever>``).

    Read from the lever registry at each call, so a lever registered after import
    (:func:`talentsim.policies.register_lever`) has its cost metric too.
    """
    return ("cum_policy_cost", *(f"cum_policy_cost_{name}" for name in lever_names()))


def all_metrics() -> tuple[str, ...]:
    """Every metric with a national value, the levers' costs as registered now (see :func:`cost_metrics`)."""
    return STOCK_METRICS + RATE_METRICS + FLOW_METRICS + NATIONAL_METRICS + cost_metrics()


def __getattr__(name: str) -> Any:
    """``COST_METRICS`` and ``ALL_METRICS``, read from the lever registry as it is now."""
    if name == "COST_METRICS":
        return cost_metrics()
    if name == "ALL_METRICS":
        return all_metrics()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


TABLE_COLUMNS: tuple[str, ...] = ("date", "region", "field", "level", "metric", "value")


def _ratio(num: np.ndarray | float, den: np.ndarray | float) -> np.ndarray:
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.full(np.broadcast(num, den).shape, np.nan), where=den > 0)


class MetricsRecorder:
    """Collects flows during a month and writes the month's rows at its end.

    Attributes:
        latest: the national value of every metric for the last recorded month.
    """

    def __init__(self, model: TalentModel) -> None:
        self.model = model
        self.n_regions = model.n_regions
        self.latest: dict[str, float] = {}
        # Each recorded month is (date, layout index, values); a layout is the (region, field,
        # level, metric) key of every value, the same from month to month, so it is stored once.
        self._months: list[tuple[str, int, np.ndarray]] = []
        self._layouts: dict[tuple[tuple[str, str, str, bool], ...], int] = {}
        self._layout_keys: list[tuple[np.ndarray, ...]] = []
        self._blocks: list[tuple[str, str, str, bool]] = []
        self._values: list[float] = []
        self._flows: dict[str, np.ndarray] = {}
        self._vacancies = np.zeros(self.n_regions)
        self._vacancy_hires = np.zeros(self.n_regions)
        self.by_status = self._count_by_status()
        self.status_counts = self.by_status.sum(axis=1)

    def model_reporters(self) -> dict[str, Any]:
        """Mesa DataCollector reporters: every metric's national value, the registry's levers' costs included."""
        return {name: (lambda m, name=name: m.metrics.latest.get(name, np.nan)) for name in all_metrics()}

    def start_month(self) -> None:
        """Reset the month's flow counters."""
        self._flows = {name: np.zeros(self.n_regions) for name in FLOW_METRICS}
        self._course_trainees = np.zeros((len(self.model.courses.names), self.n_regions))
        self._vacancies = np.zeros(self.n_regions)
        self._vacancy_hires = np.zeros(self.n_regions)

    def add_course_trainees(self, course: int, rows: np.ndarray) -> None:
        """Count persons starting a course of the given type, by region (``new_trainees_<course name>``)."""
        if len(rows):
            self._course_trainees[course] += np.bincount(self.model.pop.region[rows], minlength=self.n_regions)

    def add_flow(self, name: str, rows: np.ndarray) -> None:
        """Count persons in a monthly flow, by their current region."""
        if len(rows):
            self._flows[name] += np.bincount(self.model.pop.region[rows], minlength=self.n_regions)

    def add_count(self, name: str, by_region: np.ndarray) -> None:
        """Add person-agent counts by region to a monthly flow.

        For flows that are not persons' moves, such as seats.
        """
        self._flows[name] += by_region

    def month_flow(self, name: str) -> np.ndarray:
        """This month's flow so far, person-agents by region."""
        return self._flows[name]

    def _count_by_status(self) -> np.ndarray:
        """Persons by status and region code, from the population's running count."""
        counts = self.model.pop.by_status_region
        out = np.zeros((N_STATUSES, self.n_regions), dtype=np.int64)
        width = min(counts.shape[1], self.n_regions)
        out[:, :width] = counts[:, :width]
        return out

    def set_vacancies(self, digital_vacancies: np.ndarray, digital_hires: np.ndarray) -> None:
        """Digital vacancies open at matching and digital hires made, by region (agents)."""
        self._vacancies = digital_vacancies
        self._vacancy_hires = digital_hires

    def _emit(
        self, metric: str, by_region: np.ndarray | None, national: float, field: str = "all", level: str = "all"
    ) -> None:
        self._blocks.append((metric, field, level, by_region is not None))
        self._values.append(float(national))
        if by_region is not None:
            self._values.extend(np.asarray(by_region, dtype=np.float64).tolist())
        if field == "all" and level == "all":
            self.latest[metric] = float(national)

    def _close_month(self) -> None:
        """Store the month's values under its layout (built the first time it is seen)."""
        blocks = tuple(self._blocks)
        index = self._layouts.get(blocks)
        if index is None:
            index = self._layouts[blocks] = len(self._layout_keys)
            keys: list[tuple[str, str, str, str]] = []
            for metric, field, level, regional in blocks:
                for region in ["all"] + (self.model.region_names if regional else []):
                    keys.append((region, field, level, metric))
            self._layout_keys.append(tuple(np.array(col, dtype=object) for col in zip(*keys, strict=True)))
        self._months.append((self.model.date + "-01", index, np.array(self._values, dtype=np.float64)))
        self._blocks, self._values = [], []

    def record(self) -> None:
        """Compute and store the month's outcomes.

        Costs a few passes over the population: one count by status and region, one count and
        pay sum by employed person's job cell, and one selection of persons with a digital field
        (digital talent and digital students are among them).
        """
        m = self.model
        pop = m.pop
        s = m.scale
        R = self.n_regions
        status, region = pop.status, pop.region

        by_status = self.by_status = self._count_by_status()
        self.status_counts = by_status.sum(axis=1)
        # employees and their pay by region and job cell, from the firms' job counts
        n_firms = len(m.firms)
        fr = m.firm_regions()
        live = fr >= 0
        n_cell = np.zeros((R, N_JOBS))
        pay_cell = np.zeros((R, N_JOBS))
        np.add.at(n_cell, fr[live], pop.filled[:n_firms][live])
        np.add.at(pay_cell, fr[live], pop.pay_sum[:n_firms][live])
        wage_cell = pay_cell * m.wage_offers() * 12.0

        digital = np.flatnonzero(pop.field < NON_DIGITAL)
        st_d, job_d = status[digital], pop.job[digital]
        in_job = (st_d == EMPLOYED) & (job_d >= 0) & (job_d < NON_DIGITAL_JOB)
        founder = (st_d == ENTREPRENEUR) & (pop.level[digital] >= 1)
        talent = digital[in_job | founder]
        t_reg = region[talent]
        t_level = pop.level[talent]
        n_talent = np.bincount(t_reg, minlength=R).astype(np.float64)
        students_d = digital[st_d == STUDENT]

        targets = m.job_targets()
        digital_targets = targets[live][:, IS_DIGITAL_JOB]
        jobs = np.bincount(fr[live], weights=digital_targets.sum(axis=1), minlength=R)
        jobs_by_field = np.bincount(
            JOB_FIELD[:NON_DIGITAL_JOB], weights=digital_targets.sum(axis=0), minlength=len(DIGITAL_FIELDS)
        )

        counts = {
            "n_digital_talent": n_talent,
            "n_digital_jobs": jobs,
            "n_digital_gap": jobs - n_talent,
            "n_digital_vacancies": self._vacancies,
            "n_digital_students": np.bincount(region[students_d], minlength=R).astype(np.float64),
            "n_students": by_status[STUDENT],
            "n_employed": by_status[EMPLOYED],
            "n_unemployed": by_status[UNEMPLOYED],
            "n_entrepreneurs": by_status[ENTREPRENEUR],
            "n_abroad": by_status[ABROAD],
            "n_inactive": by_status[INACTIVE],
            "n_labour_force": by_status[EMPLOYED] + by_status[UNEMPLOYED] + by_status[ENTREPRENEUR],
        }
        for name, v in counts.items():
            v = np.asarray(v, dtype=np.float64)
            self._emit(name, v * s, v.sum() * s)
        for course, name in enumerate(m.courses.names):
            v = self._course_trainees[course]
            self._emit(f"new_trainees_{name}", v * s, v.sum() * s)

        def mean_by_region(values: np.ndarray) -> tuple[np.ndarray, float]:
            total = np.bincount(t_reg, weights=values, minlength=R)
            return _ratio(total, n_talent), float(_ratio(total.sum(), n_talent.sum()))

        self._emit("mean_level", *mean_by_region(t_level.astype(np.float64)))
        self._emit("certified_share", *mean_by_region(pop.certified[talent].astype(np.float64)))
        self._emit("high_level_share", *mean_by_region((t_level >= m.spec.high_level_threshold).astype(np.float64)))
        unemp = counts["n_unemployed"].astype(np.float64)
        active = counts["n_employed"] + unemp + counts["n_entrepreneurs"]
        self._emit("unemployment_rate", _ratio(unemp, active), float(_ratio(unemp.sum(), active.sum())))
        self._emit(
            "vacancy_fill_rate",
            _ratio(self._vacancy_hires, self._vacancies),
            float(_ratio(self._vacancy_hires.sum(), self._vacancies.sum())),
        )
        dig_n, dig_w = n_cell[:, IS_DIGITAL_JOB].sum(axis=1), wage_cell[:, IS_DIGITAL_JOB].sum(axis=1)
        nd_n, nd_w = n_cell[:, NON_DIGITAL_JOB], wage_cell[:, NON_DIGITAL_JOB]
        w_d, w_d_nat = _ratio(dig_w, dig_n), float(_ratio(dig_w.sum(), dig_n.sum()))
        w_n, w_n_nat = _ratio(nd_w, nd_n), float(_ratio(nd_w.sum(), nd_n.sum()))
        self._emit("mean_wage_digital", w_d, w_d_nat)
        self._emit("digital_wage_premium", w_d / w_n - 1.0, w_d_nat / w_n_nat - 1.0)
        all_n, all_w = n_cell.sum(axis=1), wage_cell.sum(axis=1)
        w_a, w_a_nat = _ratio(all_w, all_n), float(_ratio(all_w.sum(), all_n.sum()))
        self._emit("mean_wage_all", w_a, w_a_nat)
        self._emit("digital_wage_ratio", w_d / w_a, w_d_nat / w_a_nat)

        self._flows["new_net_migration"] = self._flows["new_arrivals"] - self._flows["new_migrants"]
        for name in FLOW_METRICS:
            v = self._flows[name]
            self._emit(name, v * s, v.sum() * s)

        talent_share = _ratio(n_talent, n_talent.sum())
        job_share = _ratio(jobs, jobs.sum())
        self._emit("regional_mismatch", None, 0.5 * float(np.abs(talent_share - job_share).sum()))
        total_cost = sum(m.policy_cost.values())
        self._emit("cum_policy_cost", total_cost, float(total_cost.sum()))
        for lever, cost in m.policy_cost.items():
            self._emit(f"cum_policy_cost_{lever}", cost, float(cost.sum()))

        by_field = np.bincount(pop.field[talent], minlength=len(FIELDS))[: len(DIGITAL_FIELDS)]
        for f, name in enumerate(DIGITAL_FIELDS):
            self._emit("n_digital_talent", None, by_field[f] * s, field=name)
            self._emit("n_digital_jobs", None, jobs_by_field[f] * s, field=name)
        by_level = np.bincount(t_level, minlength=MAX_LEVEL + 1)
        for lv in range(1, MAX_LEVEL + 1):
            self._emit("n_digital_talent", None, by_level[lv] * s, level=str(lv))

        # digital talent who passed a training course: where they live, and where they passed their last course
        course_region = pop.trained_region[talent]
        trained = course_region >= 0
        lives = np.bincount(t_reg[trained], minlength=R).astype(np.float64)
        trained_in = np.bincount(course_region[trained], minlength=R).astype(np.float64)
        self._emit("n_trained_talent", lives * s, lives.sum() * s)
        self._emit("n_trained_talent_by_course_region", trained_in * s, trained_in.sum() * s)
        self._close_month()

    def to_frame(self, metrics: Collection[str] | None = None) -> pd.DataFrame:
        """The recorded months as a tidy table (date as the first day of the month).

        Args:
            metrics: keep only the rows of these metrics (the same rows, in the same order, as
                selecting them from the whole table); None keeps every row.
        """
        wanted = None if metrics is None else np.array(sorted(set(metrics)), dtype=object)
        keep = [
            np.ones(len(keys[3]), dtype=bool) if wanted is None else np.isin(keys[3], wanted)
            for keys in self._layout_keys
        ]
        dates = sorted({date for date, _, _ in self._months})
        parsed = pd.to_datetime(pd.Series(dates, dtype=object))
        date_pos = {d: i for i, d in enumerate(dates)}
        parts: dict[str, list[np.ndarray]] = {c: [] for c in TABLE_COLUMNS}
        for date, index, values in self._months:
            k = keep[index]
            n = int(k.sum())
            parts["date"].append(np.full(n, date_pos[date], dtype=np.int64))
            for col, keys in zip(("region", "field", "level", "metric"), self._layout_keys[index], strict=True):
                parts[col].append(keys[k])
            parts["value"].append(values[k])

        if not any(len(v) for v in parts["value"]):
            empty = pd.DataFrame({c: [] for c in TABLE_COLUMNS})
            empty["date"] = pd.to_datetime(empty["date"])
            return empty
        df = pd.DataFrame({c: list(np.concatenate(parts[c])) for c in ("region", "field", "level", "metric")})
        df.insert(0, "date", parsed.iloc[np.concatenate(parts["date"])].to_numpy())
        df["value"] = np.concatenate(parts["value"])
        return df
