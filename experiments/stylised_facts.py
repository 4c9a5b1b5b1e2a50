"""Stylised facts: does the model show four patterns known from labour and training research?

Each check runs the baseline and a variant on common seeds (see :mod:`talentsim.compare`) and
returns a :class:`FactCheck`: the claim, whether the runs bear it out, one or two sentences with the
numbers, a tidy table and a figure. The claims are stated before the runs and are not tuned to them;
a check that fails says so with its numbers.

1. :func:`beveridge_curve` - with a demand cycle, vacancies and unemployment move against each other.
2. :func:`training_effects_grow` - a training lever's effect is small at first and grows over two to
   three years; :func:`training_effect_per_trainee` - per extra trainee, in the band of Card, Kluve &
   Weber (2018), with a lock-in dip.
3. :func:`graduate_lag` - a one-off intake expansion yields extra graduates only after the programmes'
   length.
4. :func:`regional_talent_loss` - talent trained in a low-wage region partly ends up in other regions.

Usage::

    .venv/bin/python experiments/stylised_facts.py [--replicates N] [--scale K] [--seed S] [--workers W] [--out DIR]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from scipy.stats import spearmanr

from talentsim.compare import QUANTILES, Comparison, compare
from talentsim.constants import PROGRAMME_YEARS
from talentsim.experiment import Result
from talentsim.plotting import compact_number
from talentsim.processes.demand import cycle_factor
from talentsim.scenario import Scenario, default_scenario_path, load_scenario, validate_scenario
from talentsim.schema import month_index, month_string

SCENARIOS = default_scenario_path().parent
BASELINE = SCENARIOS / "baseline.toml"
LEVERS = SCENARIOS / "levers"
# Checks whose criterion is "clearly positive" over replicates need this many to pass.
MIN_REPLICATES = 3


@dataclass
class FactCheck:
    """The outcome of one stylised-fact check.

    Attributes:
        name: short name of the check (the function's name).
        claim: what the literature says and how it is tested here, stated before the runs.
        passed: whether the runs bear the claim out.
        summary: one or two sentences with the numbers.
        table: the numbers behind the check (a tidy table).
        figure: the check's figure.
    """

    name: str
    claim: str
    passed: bool
    summary: str
    table: pd.DataFrame
    figure: Figure


# --------------------------------------------------------------------------- helpers


def _with_policy(spec: Scenario, name: str, **fields: Any) -> Scenario:
    """A copy of ``spec`` named ``name`` with ``fields`` replaced in every ``[[policy]]`` table."""
    data = spec.model_dump(mode="python")
    data["name"] = name
    for lever in data["policy"]:
        lever.update(fields)
    return validate_scenario(data, f"<{name}>")


def _compare(
    baseline: Scenario, scenarios: Sequence[Scenario], scale: float, seeds: Sequence[int], workers: int
) -> Comparison:
    """:func:`talentsim.compare.compare` on the given seeds (consecutive or not) at ``scale``."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds: expected at least one seed")
    if seeds == list(range(seeds[0], seeds[0] + len(seeds))):
        return compare(baseline, list(scenarios), seed=seeds[0], replicates=len(seeds), workers=workers, scale=scale)
    parts = [compare(baseline, list(scenarios), seed=s, replicates=1, workers=workers, scale=scale) for s in seeds]

    def merged(results: list[Result]) -> Result:
        frames = []
        for i, res in enumerate(results):
            table = res.timeseries.copy()
            table["replicate"] = i
            frames.append(table)
        first = results[0]
        wall = sum(r.wall_seconds for r in results)
        return Result(first.scenario, seeds, pd.concat(frames, ignore_index=True), wall, dict(first.extra))

    base = merged([p.baseline for p in parts])
    others = [merged([p.results[label] for p in parts]) for label in parts[0].names]
    return Comparison.from_results(base, others)


def _series(result: Result, metric: str, region: str = "all") -> pd.DataFrame:
    """A metric (totals over fields and levels) as a date x replicate table.

    ``n_high_level_talent`` is n_digital_talent x high_level_share.
    """
    if metric == "n_high_level_talent":
        return _series(result, "n_digital_talent", region) * _series(result, "high_level_share", region)
    ts = result.timeseries
    sel = ts[(ts["metric"] == metric) & (ts["region"] == region) & (ts["field"] == "all") & (ts["level"] == "all")]
    if sel.empty:
        raise KeyError(f"no metric {metric!r} in region {region!r}")
    return sel.pivot_table(index="date", columns="replicate", values="value", aggfunc="first")


def _band(diff: pd.DataFrame) -> pd.DataFrame:
    """Median and 10th / 90th percentiles over replicates (columns) of paired differences."""
    lo, hi = QUANTILES
    return pd.DataFrame(
        {
            "effect_median": diff.median(axis=1),
            "effect_low": diff.quantile(lo, axis=1),
            "effect_high": diff.quantile(hi, axis=1),
        }
    )


def _months_between(start: pd.Timestamp, date: pd.Timestamp) -> int:
    return (date.year - start.year) * 12 + date.month - start.month


def _people(x: float) -> str:
    """A count of people with a sign and a k / M suffix."""
    sign = "+" if x > 0 else ("−" if x < 0 else "")
    return f"{sign}{compact_number(abs(float(x)))}"


def _new_figure(nrows: int, ncols: int, size: tuple[float, float]) -> tuple[Figure, np.ndarray]:
    fig = Figure(figsize=size, layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    return fig, axes


# --------------------------------------------------------------------------- 1. Beveridge curve


def beveridge_curve(
    scale: float,
    seeds: Sequence[int],
    workers: int = 1,
    *,
    amplitude: float = 0.05,
    period_months: int = 24,
    end: str = "2029-12",
) -> FactCheck:
    """Vacancy rate against unemployment rate over a demand cycle (a Beveridge curve).

    The baseline with ``processes.demand.cycle_amplitude`` = ``amplitude`` and a cycle of
    ``period_months`` is paired with the baseline without it on the same seeds. The vacancy rate
    is digital vacancies at matching over digital job targets (``n_digital_vacancies /
    n_digital_jobs``: the model records no non-digital vacancies); the unemployment rate is the
    national ``unemployment_rate``. The baseline has trends of its own (unemployment settling from
    its initial level, the digital vacancy rate falling as talent catches up with jobs), which
    correlate the two levels even without a cycle; so the check is on the cycle run's deviations
    from the paired no-cycle run, pooled over months and replicates.

    Passed if Spearman's rho of the deviations is below -0.5.
    """
    base = load_scenario(BASELINE).with_updates(horizon__end=end)
    cyc = base.with_updates(
        name="demand_cycle",
        processes__demand__cycle_amplitude=amplitude,
        processes__demand__cycle_period_months=period_months,
    )
    comp = _compare(base, [cyc], scale, seeds, workers)
    res = comp.results[comp.names[0]]

    def rates(r: Result) -> tuple[pd.DataFrame, pd.DataFrame]:
        return _series(r, "n_digital_vacancies") / _series(r, "n_digital_jobs"), _series(r, "unemployment_rate")

    v, u = rates(res)
    v0, u0 = rates(comp.baseline)
    start = v.index[0]
    t = np.array([_months_between(start, d) for d in v.index])
    factor = pd.Series([cycle_factor(amplitude, period_months, int(k)) for k in t], index=v.index)
    frames = []
    for rep in v.columns:
        frames.append(
            pd.DataFrame(
                {
                    "date": v.index,
                    "replicate": rep,
                    "seed": comp.seeds[rep],
                    "cycle_factor": factor.to_numpy(),
                    "vacancy_rate": v[rep].to_numpy(),
                    "unemployment_rate": u[rep].to_numpy(),
                    "baseline_vacancy_rate": v0[rep].to_numpy(),
                    "baseline_unemployment_rate": u0[rep].to_numpy(),
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    table["vacancy_rate_deviation"] = table["vacancy_rate"] - table["baseline_vacancy_rate"]
    table["unemployment_rate_deviation"] = table["unemployment_rate"] - table["baseline_unemployment_rate"]

    def rho(x: pd.Series, y: pd.Series) -> float:
        return float(spearmanr(x, y).statistic) if x.nunique() > 1 and y.nunique() > 1 else float("nan")

    rho_dev = rho(table["vacancy_rate_deviation"], table["unemployment_rate_deviation"])
    rho_level = rho(table["vacancy_rate"], table["unemployment_rate"])
    rho_base = rho(table["baseline_vacancy_rate"], table["baseline_unemployment_rate"])
    dv, du = table["vacancy_rate_deviation"], table["unemployment_rate_deviation"]
    slope = float(np.polyfit(dv, du, 1)[0]) if dv.nunique() > 1 else float("nan")
    boom = table["cycle_factor"] > 1
    passed = bool(rho_dev < -0.5)

    claim = (
        "Beveridge curve: over a demand cycle vacancies and unemployment move in opposite directions "
        f"(here a ±{amplitude:.0%} cycle of {period_months} months on job targets; Spearman rho of the "
        "digital vacancy rate and the unemployment rate, as deviations from the paired no-cycle run, "
        "below -0.5)."
    )
    summary = (
        f"Over {len(v)} months x {len(v.columns)} replicate(s), rho of the deviations is {rho_dev:.2f} "
        f"(slope {slope:.2f} points of unemployment per point of vacancy rate); in boom months unemployment "
        f"averages {table.loc[boom, 'unemployment_rate'].mean():.2%} against "
        f"{table.loc[~boom, 'unemployment_rate'].mean():.2%} in busts. "
        f"In levels rho is {rho_level:.2f}, but the no-cycle run alone gives {rho_base:.2f} from its trends."
    )

    fig, (ax_lv, ax_dev) = _new_figure(1, 2, (11, 4.5))
    for rep in v.columns:
        label = "with cycle" if rep == v.columns[0] else None
        ax_lv.plot(u[rep], v[rep], "-", color="tab:blue", lw=1, alpha=0.8, label=label)
        ax_lv.plot(
            u0[rep], v0[rep], "--", color="grey", lw=1, alpha=0.8, label="no cycle" if rep == v.columns[0] else None
        )
    ax_lv.set_xlabel("unemployment rate")
    ax_lv.set_ylabel("digital vacancy rate (vacancies / digital jobs)")
    ax_lv.set_title("Levels, month by month", fontsize=9)
    ax_lv.legend(fontsize=8)
    colour = np.where(boom, "tab:red", "tab:blue")
    ax_dev.scatter(du, dv, c=colour, s=10)
    ax_dev.plot([], [], "o", color="tab:red", ms=3, label="boom months (factor > 1)")
    ax_dev.plot([], [], "o", color="tab:blue", ms=3, label="bust months")
    if np.isfinite(slope):
        xs = np.linspace(dv.min(), dv.max(), 2)
        ax_dev.plot(np.polyval(np.polyfit(dv, du, 1), xs), xs, "k-", lw=1, label=f"fit (rho {rho_dev:.2f})")
    ax_dev.axhline(0, color="grey", lw=0.5)
    ax_dev.axvline(0, color="grey", lw=0.5)
    ax_dev.set_xlabel("unemployment rate, cycle − no cycle")
    ax_dev.set_ylabel("digital vacancy rate, cycle − no cycle")
    ax_dev.set_title("Deviations from the paired no-cycle run", fontsize=9)
    ax_dev.legend(fontsize=8)
    fig.suptitle(f"Beveridge curve: ±{amplitude:.0%} demand cycle of {period_months} months", fontsize=10)
    return FactCheck("beveridge_curve", claim, passed, summary, table, fig)


# --------------------------------------------------------------------------- 2. training effects grow


def _lever_start(spec: Scenario) -> pd.Timestamp:
    return pd.Timestamp(min(p.start for p in spec.policy) + "-01")


def training_effects_grow(
    scale: float,
    seeds: Sequence[int],
    workers: int = 1,
    *,
    end: str = "2027-05",
    one_off_months: int = 6,
) -> FactCheck:
    """Effects of training levers on digital talent by month since the lever starts.

    Runs on common seeds against the baseline to ``end``: ``skills_upgrade`` as in its lever file
    (2024-04 to 2026-12; it trains people into digital fields, so it can add digital talent),
    ``engineer_training`` as in its file (it upgrades digital workers already employed, so its
    outcome is high-level talent, n_digital_talent x high_level_share) and ``skills_upgrade`` for
    its first ``one_off_months`` months only (a one-off cohort, which separates effects that grow
    per trainee from effects that grow because a running programme keeps adding trainees).

    The effect at k months is the median over replicates of the paired difference averaged over
    months k-1, k, k+1 after the lever's start (a centred 3-month mean, against month-to-month
    noise). Passed if skills_upgrade's effect on digital talent at 12 months is smaller than at 24
    and at 36 months; the other two are reported, not tested.
    """
    base = load_scenario(BASELINE).with_updates(horizon__end=end)
    skills = load_scenario(LEVERS / "skills_upgrade.toml").with_updates(horizon__end=end)
    engineer = load_scenario(LEVERS / "engineer_training.toml").with_updates(horizon__end=end)
    start = _lever_start(skills)
    one_off_end = month_string(month_index(f"{start:%Y-%m}") + one_off_months - 1)
    one_off = _with_policy(skills, "skills_upgrade_one_off", end=one_off_end)
    comp = _compare(base, [skills, engineer, one_off], scale, seeds, workers)
    cases = [
        (skills.name, "n_digital_talent"),
        (one_off.name, "n_digital_talent"),
        (engineer.name, "n_high_level_talent"),
    ]
    frames = []
    for label, metric in cases:
        diff = _series(comp.results[label], metric) - _series(comp.baseline, metric)
        smooth = diff.rolling(3, center=True, min_periods=1).mean()
        band = _band(smooth)
        band.insert(0, "months_since_start", [_months_between(start, d) for d in band.index])
        band.insert(0, "metric", metric)
        band.insert(0, "scenario", label)
        frames.append(band.reset_index())
    table = pd.concat(frames, ignore_index=True)
    table = table[table["months_since_start"] >= 0].reset_index(drop=True)

    def at(label: str, k: int) -> float:
        row = table[(table["scenario"] == label) & (table["months_since_start"] == k)]
        return float(row["effect_median"].iloc[0]) if len(row) else float("nan")

    e = {k: at(skills.name, k) for k in (12, 24, 36)}
    o = {k: at(one_off.name, k) for k in (12, 24, 36)}
    h = {k: at(engineer.name, k) for k in (12, 24, 36)}
    passed = bool(e[12] < e[24] and e[12] < e[36])
    claim = (
        "Training effects are small at first and grow over two to three years (evaluations of training "
        "programmes): skills_upgrade's effect on digital talent 12 months after it starts is smaller than "
        "at 24 and at 36 months."
    )

    def trio(d: dict[int, float]) -> str:
        return " / ".join("n/a" if not np.isfinite(d[k]) else _people(d[k]) for k in (12, 24, 36))

    summary = (
        f"skills_upgrade (running {start:%Y-%m} to {skills.policy[0].end}) changes digital talent by {trio(e)} at "
        f"12 / 24 / 36 months (3-month means, median of {len(comp.seeds)} replicate(s)). "
        f"A {one_off_months}-month cohort alone gives {trio(o)}, and engineer_training changes high-level "
        f"talent by {trio(h)}."
    )

    fig, (ax_dt, ax_hl) = _new_figure(1, 2, (11, 4.5))
    for (label, metric), ax, colour in zip(
        cases, (ax_dt, ax_dt, ax_hl), ("tab:blue", "tab:orange", "tab:green"), strict=True
    ):
        rows = table[(table["scenario"] == label) & (table["metric"] == metric)]
        x = rows["months_since_start"]
        ax.plot(x, rows["effect_median"], "-", color=colour, label=label)
        ax.fill_between(x, rows["effect_low"], rows["effect_high"], color=colour, alpha=0.2, lw=0)
        marks = rows[rows["months_since_start"].isin([12, 24, 36])]
        ax.plot(marks["months_since_start"], marks["effect_median"], "o", color=colour)
    for ax, metric in ((ax_dt, "digital talent"), (ax_hl, "high-level digital talent")):
        ax.axhline(0, color="grey", lw=0.5)
        ax.set_xlabel("months since the lever starts")
        ax.set_ylabel(f"effect on {metric}, people (lever − baseline)")
        ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
        ax.legend(fontsize=8)
    ax_dt.set_title("Digital talent: plan window and a one-off cohort", fontsize=9)
    ax_hl.set_title("High-level talent: engineer_training", fontsize=9)
    fig.suptitle("Training effects by month since the start (3-month means; 10-90 % of replicates)", fontsize=10)
    return FactCheck("training_effects_grow", claim, passed, summary, table, fig)


# --------------------------------------------------------------------------- 2b. effect per trainee

# Card, Kluve & Weber (2018, JEEA 16(3): 894-931, "What works? A meta analysis of recent active
# labor market program evaluations"): average effects on the probability of employment are close to
# zero in the short run (up to a year after the programme) and grow to about 5-10 percentage points
# two to three years after, largest for programmes that build human capital; participants lose
# ground while in a programme (lock-in). The bands below restate that per trainee, by months since
# the cohort's first month (completions come 4-10 months in).
# Months since the cohort's first month -> band of the effect per trainee. At 3 months most of the cohort
# (enrolled over 6 months, 4-month courses) is in its course: no gain yet (the lock-in; the dip itself is
# checked on participants' job finding in tests/processes/test_matching.py).
CKW_2018_BAND: dict[int, tuple[float, float]] = {3: (-0.05, 0.01), 12: (0.0, 0.05), 24: (0.04, 0.10), 36: (0.05, 0.10)}
CKW_2018_SOURCE = "Card, Kluve & Weber (2018), JEEA 16(3), 894-931"


def training_effect_per_trainee(
    scale: float,
    seeds: Sequence[int],
    workers: int = 1,
    *,
    end: str = "2027-05",
    cohort_months: int = 6,
    extra_seats_per_year: float = 3e6,
) -> FactCheck:
    """Digital talent added per extra trainee of a ``cohort_months`` skills_upgrade cohort alone.

    Runs ``skills_upgrade`` from 2024-04 for ``cohort_months`` months only, against the baseline
    on common seeds, to ``end``. The effect at k months is the paired difference in
    ``n_digital_talent`` (3-month centred mean, as in :func:`training_effects_grow`) divided by
    the replicate's extra enrolments (the lever's ``new_trainees`` minus the baseline's, summed);
    the table gives it at 3, 6, 12, 24 and 36 months with the source band of
    :data:`CKW_2018_BAND`. ``extra_seats_per_year`` is raised above the lever file's 1 M so that
    the cohort (about 1.5 M trainees, 750 agents at scale 2000) is large against the run-to-run
    noise; the effect per trainee is a ratio and changes little with the cohort's size while
    vacancies do not run out.

    The measure is aggregate: it includes displacement (a trainee hired into a digital job may
    take it from someone else), which evaluations of participants leave out. Passed if the median
    over replicates lies in the band at 3 (while most of the cohort is in its courses: no gain, the
    lock-in), 12, 24 and 36 months. In this aggregate the lock-in is close to 0 rather than a dip:
    trainees with no digital skill are not digital talent whether or not they search; the dip in
    participants' job finding is tested in tests/processes/test_matching.py.
    """
    base = load_scenario(BASELINE).with_updates(horizon__end=end)
    skills = load_scenario(LEVERS / "skills_upgrade.toml").with_updates(horizon__end=end)
    start = _lever_start(skills)
    cohort_end = month_string(month_index(f"{start:%Y-%m}") + cohort_months - 1)
    cohort = _with_policy(skills, "skills_upgrade_cohort", end=cohort_end, extra_seats_per_year=extra_seats_per_year)
    comp = _compare(base, [cohort], scale, seeds, workers)
    result = comp.results[cohort.name]
    extra = (_series(result, "new_trainees") - _series(comp.baseline, "new_trainees")).sum()
    diff = _series(result, "n_digital_talent") - _series(comp.baseline, "n_digital_talent")
    per_trainee = diff.rolling(3, center=True, min_periods=1).mean() / extra
    band = _band(per_trainee)
    band.insert(0, "months_since_start", [_months_between(start, d) for d in band.index])
    band = band[band["months_since_start"] >= 0].reset_index()
    band["extra_trainees_median"] = float(extra.median())
    band["source_low"] = [CKW_2018_BAND.get(k, (np.nan, np.nan))[0] for k in band["months_since_start"]]
    band["source_high"] = [CKW_2018_BAND.get(k, (np.nan, np.nan))[1] for k in band["months_since_start"]]
    table = band

    def at(k: int) -> float:
        row = table[table["months_since_start"] == k]
        return float(row["effect_median"].iloc[0]) if len(row) else float("nan")

    e = {k: at(k) for k in (3, 6, 12, 24, 36)}
    in_band = [CKW_2018_BAND[k][0] <= e[k] <= CKW_2018_BAND[k][1] for k in CKW_2018_BAND]
    passed = bool(all(in_band))
    claim = (
        "Training raises outcomes by a few points in the first year and by about 5-10 points per trainee "
        f"two to three years on, after a lock-in dip while in the course ({CKW_2018_SOURCE}): digital talent "
        f"added per extra trainee of a {cohort_months}-month skills_upgrade cohort is "
        + ", ".join(f"in [{lo:.2f}, {hi:.2f}] at {k}" for k, (lo, hi) in CKW_2018_BAND.items())
        + " months."
    )

    def fmt(x: float) -> str:
        return "n/a" if not np.isfinite(x) else f"{x:+.3f}"

    summary = (
        f"A {cohort_months}-month skills_upgrade cohort ({compact_number(float(extra.median()))} extra trainees, "
        f"median of {len(comp.seeds)} replicate(s)) adds "
        + " / ".join(fmt(e[k]) for k in (3, 6, 12, 24, 36))
        + " digital talent per trainee at 3 / 6 / 12 / 24 / 36 months."
    )
    fig, axes = _new_figure(1, 1, (6.5, 4))
    ax = axes[0]
    x = table["months_since_start"]
    ax.plot(x, table["effect_median"], "-", color="tab:blue", label="model (median)")
    ax.fill_between(x, table["effect_low"], table["effect_high"], color="tab:blue", alpha=0.2, lw=0)
    for k, (lo, hi) in CKW_2018_BAND.items():
        ax.plot([k, k], [lo, hi], color="black", lw=3, alpha=0.5)
    ax.plot([], [], color="black", lw=3, alpha=0.5, label="source band (CKW 2018)")
    ax.axhline(0, color="grey", lw=0.5)
    ax.set_xlabel("months since the cohort's first month")
    ax.set_ylabel("digital talent per extra trainee")
    ax.legend(fontsize=8)
    ax.set_title("Effect per trainee of a six-month skills_upgrade cohort", fontsize=9)
    return FactCheck("training_effect_per_trainee", claim, passed, summary, table, fig)


# --------------------------------------------------------------------------- 3. graduate lag


def graduate_lag(
    scale: float,
    seeds: Sequence[int],
    workers: int = 1,
    *,
    end: str = "2029-12",
    window_end: str = "2024-12",
) -> FactCheck:
    """Extra graduates of a one-off intake expansion appear only after the programmes' length.

    ``education_expansion`` with its window cut to end ``window_end`` (so that only the September
    2024 intake is expanded) against the baseline, to ``end``. A month's effect is *clearly
    positive* when every replicate's paired difference is positive and the median is at least 10 %
    of the extra intake. The first extra intake is the first month when the effect on
    ``new_students`` is clearly positive. Programmes last whole academic years (3 vocational, 4
    undergraduate) and students graduate in June, so a cohort admitted in September of year Y
    graduates from the shortest programme in June of Y + 3, 33 months later.

    Passed if the first clearly positive effect on ``new_graduates`` comes no earlier than that June
    (and there are at least ``MIN_REPLICATES`` replicates, without which "clearly" means little).
    """
    base = load_scenario(BASELINE).with_updates(horizon__end=end)
    lever = load_scenario(LEVERS / "education_expansion.toml").with_updates(horizon__end=end)
    one_off = _with_policy(lever, "education_expansion_one_intake", end=window_end)
    comp = _compare(base, [one_off], scale, seeds, workers)
    res = comp.results[one_off.name]
    metrics = ("new_students", "new_graduates", "new_digital_graduates")
    diffs = {m: _series(res, m) - _series(comp.baseline, m) for m in metrics}
    intake_diff = diffs["new_students"]
    extra = intake_diff.median(axis=1)
    intake_months = extra.index[(intake_diff > 0).all(axis=1) & (extra > 0)]
    first_intake = intake_months[0] if len(intake_months) else None
    extra_intake = float(extra.loc[first_intake]) if first_intake is not None else float("nan")

    def clearly_positive(diff: pd.DataFrame) -> pd.Series:
        return (diff > 0).all(axis=1) & (diff.median(axis=1) >= 0.1 * extra_intake)

    frames = []
    for m in metrics:
        band = _band(diffs[m])
        band.insert(0, "metric", m)
        band["clearly_positive"] = clearly_positive(diffs[m]) if first_intake is not None else False
        frames.append(band.reset_index())
    table = pd.concat(frames, ignore_index=True)
    table.insert(
        2,
        "months_since_first_intake",
        [_months_between(first_intake, d) if first_intake is not None else np.nan for d in table["date"]],
    )

    grad = table[(table["metric"] == "new_graduates") & table["clearly_positive"]]
    first_grad = pd.Timestamp(grad["date"].iloc[0]) if len(grad) else None
    shortest = min(PROGRAMME_YEARS["vocational"], PROGRAMME_YEARS["undergraduate"])
    threshold = pd.Timestamp(f"{first_intake.year + shortest}-06-01") if first_intake is not None else None
    enough = len(comp.seeds) >= MIN_REPLICATES
    passed = bool(enough and first_grad is not None and threshold is not None and first_grad >= threshold)
    claim = (
        "A one-off expansion of intake adds graduates only after the programmes' length (3 years vocational, "
        "4 undergraduate): the first month with a clearly positive effect on graduates is no earlier than the "
        "June that ends the third academic year after the first extra intake."
    )
    if first_intake is None:
        summary = "No month shows a clearly positive effect on new students: the expansion admitted no one."
    else:
        lag = (
            "none within the horizon"
            if first_grad is None
            else (
                f"{_people(grad['effect_median'].iloc[0])} in {first_grad:%Y-%m}, "
                f"{_months_between(first_intake, first_grad)} months after the intake"
            )
        )
        later = table[
            (table["metric"] == "new_graduates")
            & (table["date"] > (first_grad if first_grad is not None else first_intake))
            & table["clearly_positive"]
        ]
        next_bump = (
            f"; the next clearly positive month is {pd.Timestamp(later['date'].iloc[0]):%Y-%m} "
            f"({_people(later['effect_median'].iloc[0])})"
            if len(later)
            else ""
        )
        summary = (
            f"The expansion admits {_people(extra_intake)} extra students in {first_intake:%Y-%m}; the first clearly "
            f"positive graduate effect is {lag} (the 3-year programmes end in {threshold:%Y-%m}, "
            f"{_months_between(first_intake, threshold)} months after the intake){next_bump}."
        )
    if not enough:
        summary += f" Too few replicates to judge 'clearly' (passed needs at least {MIN_REPLICATES})."

    fig, (ax_in, ax_gr) = _new_figure(2, 1, (10, 6.5))
    for ax, names in ((ax_in, ["new_students"]), (ax_gr, ["new_graduates", "new_digital_graduates"])):
        for m, colour in zip(names, ("tab:blue", "tab:orange"), strict=False):
            rows = table[table["metric"] == m]
            ax.plot(rows["date"], rows["effect_median"], "-", color=colour, label=m)
            ax.fill_between(rows["date"], rows["effect_low"], rows["effect_high"], color=colour, alpha=0.2, lw=0)
        if first_intake is not None:
            ax.axvline(first_intake, color="grey", ls=":", lw=1, label="first extra intake")
            ax.axvline(threshold, color="black", ls="--", lw=1, label="3-year programmes end")
        ax.axhline(0, color="grey", lw=0.5)
        ax.set_ylabel("effect, people a month")
        ax.yaxis.set_major_formatter(FuncFormatter(compact_number))
        ax.legend(fontsize=8)
    ax_in.set_title("Extra students admitted (one expanded intake)", fontsize=9)
    ax_gr.set_title("Extra graduates", fontsize=9)
    fig.suptitle("Graduate lag of a one-off intake expansion (median, 10-90 % of paired differences)", fontsize=10)
    return FactCheck("graduate_lag", claim, passed, summary, table, fig)


# --------------------------------------------------------------------------- 4. regional talent loss


def regional_talent_loss(
    scale: float,
    seeds: Sequence[int],
    workers: int = 1,
    *,
    region: str = "Central",
    end: str = "2028-12",
) -> FactCheck:
    """Where does talent trained in a low-wage region end up?

    ``skills_upgrade`` restricted to ``region`` (its extra seats all go there and courses there are
    cheaper; its certification bonus, which the model applies nationally, is set to 0 so that the
    lever acts in that region only), as in its file otherwise (2024-04 to 2026-12), against the
    baseline to ``end``; then the same pair with migration switched off. Regions with higher wages
    (the east) hold most of the digital vacancies.

    Passed if, with migration on, the lever clearly adds digital talent nationally at the horizon
    (the 10th percentile of paired differences above 0) and a positive share of it is outside the
    region (median national effect minus the region's own effect above 0), with at least
    ``MIN_REPLICATES`` replicates.
    """
    base = load_scenario(BASELINE).with_updates(horizon__end=end)
    skills = load_scenario(LEVERS / "skills_upgrade.toml").with_updates(horizon__end=end)
    if region not in base.regions:
        raise ValueError(f"region: unknown region {region!r}; expected one of {', '.join(base.regions)}")
    lever = _with_policy(skills, f"skills_upgrade_{region}", regions=[region], certification_bonus=0.0)
    off = {"processes__migration__enabled": False}
    comps = {
        "on": _compare(base, [lever], scale, seeds, workers),
        "off": _compare(base.with_updates(**off), [lever.with_updates(**off)], scale, seeds, workers),
    }
    outside = f"outside {region}"
    rows = []
    over_time: dict[str, pd.DataFrame] = {}
    for migration, comp in comps.items():
        res = comp.results[comp.names[0]]
        talent = {
            r: _series(res, "n_digital_talent", r) - _series(comp.baseline, "n_digital_talent", r)
            for r in ["all", *base.region_names]
        }
        talent[outside] = talent["all"] - talent[region]
        over_time[migration] = pd.DataFrame({k: talent[k].median(axis=1) for k in ("all", region, outside)})
        base_level = {
            r: _series(comp.baseline, "n_digital_talent", r).iloc[-1].median() for r in ["all", *base.region_names]
        }
        base_level[outside] = base_level["all"] - base_level[region]
        for r, diff in talent.items():
            band = _band(diff.iloc[[-1]]).iloc[0]
            rows.append(
                {
                    "migration": migration,
                    "region": r,
                    "metric": "n_digital_talent",
                    "period": f"{diff.index[-1]:%Y-%m}",
                    "baseline_median": base_level[r],
                    **band.to_dict(),
                }
            )
        for metric in ("new_trained", "new_migrants"):
            s, b = _series(res, metric, region).sum(), _series(comp.baseline, metric, region).sum()
            band = _band((s - b).to_frame().T).iloc[0]
            rows.append(
                {
                    "migration": migration,
                    "region": region,
                    "metric": metric,
                    "period": f"{talent['all'].index[0]:%Y-%m} to {talent['all'].index[-1]:%Y-%m}",
                    "baseline_median": float(b.median()),
                    **band.to_dict(),
                }
            )
    table = pd.DataFrame(rows)

    def get(migration: str, r: str, metric: str = "n_digital_talent", col: str = "effect_median") -> float:
        sel = table[(table["migration"] == migration) & (table["region"] == r) & (table["metric"] == metric)]
        return float(sel[col].iloc[0])

    national, own, out = get("on", "all"), get("on", region), get("on", outside)
    clearly_added = get("on", "all", col="effect_low") > 0 and national > 0
    share = out / national if national > 0 else float("nan")
    enough = len(comps["on"].seeds) >= MIN_REPLICATES
    passed = bool(enough and clearly_added and out > 0)
    claim = (
        f"Talent trained in a lower-wage region ({region}) partly ends up in other regions, which pay more: "
        f"with training there, national digital talent clearly rises and a positive share of the rise is "
        f"outside {region}."
    )
    share_text = f", a share of {share:.0%} outside" if np.isfinite(share) else ""
    summary = (
        f"Training in {region} ({_people(get('on', region, 'new_trained'))} extra trained there to {end}) changes "
        f"digital talent at {end} by {_people(national)} nationally "
        f"[{_people(get('on', 'all', col='effect_low'))}, {_people(get('on', 'all', col='effect_high'))}], "
        f"{_people(own)} in {region} and {_people(out)} outside{share_text}, while migrants leaving {region} change "
        f"by {_people(get('on', region, 'new_migrants'))}. With migration off: {_people(get('off', 'all'))} "
        f"nationally, {_people(get('off', region))} in {region}."
    )
    if not enough:
        summary += f" Too few replicates to judge 'clearly' (passed needs at least {MIN_REPLICATES})."

    fig, (ax_bar, ax_t) = _new_figure(1, 2, (12, 4.5))
    names = ["all", *base.region_names, outside]
    x = np.arange(len(names))
    for k, (migration, colour) in enumerate((("on", "tab:blue"), ("off", "tab:grey"))):
        sel = table[(table["migration"] == migration) & (table["metric"] == "n_digital_talent")].set_index("region")
        sel = sel.loc[names]
        med = sel["effect_median"].to_numpy()
        err = np.vstack([med - sel["effect_low"].to_numpy(), sel["effect_high"].to_numpy() - med])
        ax_bar.bar(x + (k - 0.5) * 0.4, med, 0.4, color=colour, label=f"migration {migration}")
        ax_bar.errorbar(x + (k - 0.5) * 0.4, med, yerr=np.abs(err), fmt="none", ecolor="black", lw=0.8)
    ax_bar.set_xticks(x, names, rotation=45, ha="right", fontsize=8)
    ax_bar.axhline(0, color="grey", lw=0.5)
    ax_bar.set_ylabel(f"effect on digital talent at {end}, people")
    ax_bar.yaxis.set_major_formatter(FuncFormatter(compact_number))
    ax_bar.set_title("By region (median, 10-90 % of paired differences)", fontsize=9)
    ax_bar.legend(fontsize=8)
    for migration, style in (("on", "-"), ("off", "--")):
        frame = over_time[migration]
        for col, colour in zip(frame.columns, ("black", "tab:red", "tab:green"), strict=True):
            ax_t.plot(frame.index, frame[col], style, color=colour, lw=1, label=f"{col}, migration {migration}")
    ax_t.axhline(0, color="grey", lw=0.5)
    ax_t.set_ylabel("effect on digital talent, people (median)")
    ax_t.yaxis.set_major_formatter(FuncFormatter(compact_number))
    ax_t.set_title("Over time", fontsize=9)
    ax_t.legend(fontsize=7)
    fig.suptitle(f"Training in {region} only: where the added digital talent is", fontsize=10)
    return FactCheck("regional_talent_loss", claim, passed, summary, table, fig)


CHECKS = (beveridge_curve, training_effects_grow, training_effect_per_trainee, graduate_lag, regional_talent_loss)


def run_all(scale: float, seeds: Sequence[int], workers: int = 1) -> list[FactCheck]:
    """Every check, in order."""
    return [check(scale, seeds, workers) for check in CHECKS]


def _script() -> int:
    """Run every check with the experiments' common options and write the folder."""
    from common import markdown_table, parse_args, write  # the experiments folder is on the path as a script

    args = parse_args("stylised_facts", __doc__.splitlines()[0])
    seeds = list(range(args.seed, args.seed + args.replicates))
    scale = args.scale if args.scale is not None else load_scenario(BASELINE).scale
    checks = run_all(scale, seeds, args.workers)
    shown = pd.DataFrame(
        {
            "check": [c.name for c in checks],
            "passed": ["yes" if c.passed else "no" for c in checks],
            "summary": [c.summary for c in checks],
        }
    )
    lines = [f"## Stylised facts (scale {scale:g}, seeds {seeds[0]}..{seeds[-1]})", "", markdown_table(shown), ""]
    lines += [f"- **{c.name}**: {c.claim}" for c in checks]
    write(
        args,
        markdown="\n".join(lines),
        tables={c.name: c.table for c in checks},
        figures={c.name: c.figure for c in checks},
        comparisons={},
    )
    return 0


if __name__ == "__main__":
    from common import main

    main(_script)
