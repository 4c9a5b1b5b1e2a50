"""Validation report: where the model agrees with data and theory, and where it does not.

Writes ``docs/validation.md`` and its figures in ``docs/validation/``:

1. calibration targets against the default (calibrated) baseline, plus the 2023 gap, the regional
   split of digital jobs and engineer training under the action plan;
2. textbook checks: steady-state unemployment s(1-f)/(s(1-f)+f), the logit choice property of migration,
   stock-flow conservation;
3. stylised facts (see ``stylised_facts.py``): a Beveridge curve under a demand cycle, training
   effects that grow over two to three years, graduate supply that lags intake, a training region
   losing talent to better-paying neighbours;
4. Morris screening of the guessed parameters (``sweeps/morris_guesses.toml``);
5. regions: each region's labour force against its published population trend, regional
   unemployment against the national rate, and net flows between the East and the rest.

Usage::

    .venv/bin/python experiments/validate.py [--replicates N] [--workers W] [--out DIR] [--quick]

``--quick`` runs everything small and coarse (for tests); its numbers are not the report's.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import stylised_facts  # noqa: E402
from common import markdown_table  # noqa: E402

import talentsim  # noqa: E402
from talentsim import TalentModel  # noqa: E402
from talentsim.calibrate import load_calibration, moments_of, plot_fit, published_value, target_table  # noqa: E402
from talentsim.constants import EMPLOYED, EXITED, N_STATUSES, STATUSES, UNEMPLOYED  # noqa: E402
from talentsim.processes import ORDER, migration  # noqa: E402
from talentsim.processes.matching import steady_state_unemployment  # noqa: E402
from talentsim.rates import monthly  # noqa: E402
from talentsim.regional import regional_series, share_growth  # noqa: E402
from talentsim.results import atomic_folder  # noqa: E402
from talentsim.safe_paths import check_output_file, check_output_folder  # noqa: E402
from talentsim.scenario import (  # noqa: E402
    Scenario,
    ScenarioError,
    default_scenario,
    default_scenario_path,
    load_scenario,
)
from talentsim.summary import national_series  # noqa: E402
from talentsim.sweep.spec import Sweep  # noqa: E402

ROOT = HERE.parent
CALIBRATION = ROOT / "calibrations" / "baseline.toml"
MORRIS = ROOT / "sweeps" / "morris_guesses.toml"
GROUPS = ("east", "central", "west", "northeast")


@dataclass
class Section:
    """One part of the report: Markdown text and the figures it refers to (by file stem)."""

    markdown: str
    figures: dict[str, Figure]


def only(base: Scenario, *enabled: str, **overrides: object) -> Scenario:
    """``base`` with every process switched off except ``enabled``."""
    switches = {f"processes__{name}__enabled": name in enabled for name in ORDER}
    return base.with_updates(**switches, **overrides)


# ---------------------------------------------------------------------------------------------- 1. targets
def targets_section(replicates: int, workers: int, scale: float | None) -> Section:
    """Calibration targets and the other published figures against the default baseline."""
    base = default_scenario() if scale is None else default_scenario().with_updates(scale=scale)
    runs = talentsim.run(base, seed=1, replicates=replicates, workers=workers).timeseries
    cal = load_calibration(CALIBRATION)
    fit = target_table(cal, moments_of(cal, [g for _, g in runs.groupby("replicate")]))

    rows = [
        {
            "quantity": f"{r.target} ({r.year})",
            "published": r.observed,
            "model": r.model,
            "model 10-90 %": f"{r.model_p10:,.4g} to {r.model_p90:,.4g}",
            "relative error": f"{r.relative_error:+.1%}",
            "tolerance": f"±{r.tolerance:.0%}",
            "met": "yes" if r.within_tolerance else "**no**",
        }
        for r in fit.itertuples()
    ]
    first = national_series(runs, "n_digital_gap").iloc[0]
    low, high = published_value("digital_talent_gap_low", 2023), published_value("digital_talent_gap_high", 2023)
    rows.append(
        {
            "quantity": "digital-talent gap, end of 2023 (model: January 2024)",
            "published": f"{low:,.0f} to {high:,.0f}",
            "model": float(first.mean()),
            "model 10-90 %": f"{first.quantile(0.1):,.4g} to {first.quantile(0.9):,.4g}",
            "relative error": "",
            "tolerance": "inside the range",
            "met": "yes" if ((first >= low) & (first <= high)).all() else "**no**",
        }
    )

    group_of = {name: r.group for name, r in base.regions.items()}
    jobs = runs[
        (runs["metric"] == "n_digital_jobs")
        & (runs["region"] != "all")
        & (runs["field"] == "all")
        & (runs["level"] == "all")
        & (pd.to_datetime(runs["date"]).dt.year == 2024)
    ]
    by_group = jobs.groupby(jobs["region"].map(group_of))["value"].sum()
    share = by_group / by_group.sum()
    miit = pd.Series({g: published_value(f"software_revenue_share_{g}", 2024) for g in GROUPS})
    for g in GROUPS:
        rows.append(
            {
                "quantity": f"share of digital jobs, {g} (2024; MIIT software revenue share)",
                "published": miit[g],
                "model": float(share[g]),
                "model 10-90 %": "",
                "relative error": f"{share[g] - miit[g]:+.3f} (absolute)",
                "tolerance": "±0.02 absolute",
                "met": "yes" if abs(share[g] - miit[g]) <= 0.02 else "**no**",
            }
        )

    plan = load_scenario(default_scenario_path().parent / "action_plan.toml")
    if scale is not None:
        plan = plan.with_updates(scale=scale)
    plan_runs = talentsim.run(plan, seed=1, replicates=replicates, workers=workers).timeseries
    trainees = national_series(plan_runs, "new_trainees_engineer")
    per_year = trainees.groupby(pd.to_datetime(trainees.index).year).sum()
    full = per_year.loc[[y for y in (2025, 2026) if y in per_year.index]]
    target = published_value("digital_engineer_training_target", 2024)
    err = float(full.to_numpy().mean()) / target - 1.0
    rows.append(
        {
            "quantity": "engineer_training trainees a year, action_plan (2025-2026)",
            "published": target,
            "model": float(full.to_numpy().mean()),
            "model 10-90 %": f"{np.percentile(full, 10):,.4g} to {np.percentile(full, 90):,.4g}",
            "relative error": f"{err:+.1%}",
            "tolerance": "±15 %",
            "met": "yes" if abs(err) <= 0.15 else "**no**",
        }
    )
    table = pd.DataFrame(rows)
    for col in ("published", "model"):
        table[col] = table[col].map(lambda v: v if isinstance(v, str) else f"{v:,.4g}")

    fig_fit = plot_fit(fit)
    fig_reg, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
    x = np.arange(len(GROUPS))
    ax.bar(x - 0.2, [miit[g] for g in GROUPS], 0.4, label="MIIT software revenue 2024", color="#0072B2")
    ax.bar(x + 0.2, [share[g] for g in GROUPS], 0.4, label="model digital jobs 2024", color="#E69F00")
    ax.set_xticks(x, GROUPS)
    ax.set_ylabel("share")
    ax.legend(frameon=False)
    ax.set_title("Regional split of digital jobs", fontsize=10)

    talent = national_series(runs, "n_digital_talent")
    start, end = pd.Timestamp(talent.index[0]), pd.Timestamp(talent.index[-1])
    talent_start, talent_end = talent.iloc[0].mean(), talent.iloc[-1].mean()
    n_met = sum(r["met"] == "yes" for r in rows)
    md = f"""## 1. Calibration targets

The default baseline (`scenarios/baseline.toml`) carries the values fitted by
`talentsim calibrate calibrations/baseline.toml` (method of simulated moments; method
`{cal.spec.method}`: each parameter steers one target): {", ".join(f"`{p.path}`" for p in cal.spec.parameter)}.
The table compares the
baseline at scale {base.scale:g} with {replicates} replicates (seeds 1-{replicates}) against the
published figures in `data/calibration_targets.csv`. {n_met} of {len(rows)} rows are within their
tolerance. Digital talent grows from {talent_start / 1e6:.1f} million ({start:%Y-%m}) to
{talent_end / 1e6:.1f} million ({end:%Y-%m}).

{markdown_table(table)}

![Calibration targets](validation/targets_fit.png)

![Regional split](validation/targets_regions.png)

**What the fit hides.** Graduates in 2024 and 2025 are matched by two effective parameters: the
growth of intakes before 2024 ({base.processes.education.cohort_growth:.4f} a year, for the initial
cohorts) and the share of vocational graduates going on to a top-up degree
({base.processes.education.top_up_share:.3f}). The regular intakes of 2020-2022 are not in the data
file, so these two absorb every difference between the model's cohorts and the published counts
(for example postgraduates finishing in two rather than three years, or categories the model
lacks). Read the top-up share as a calibration device, not a measured 专升本 rate. The
wage ratio compares the model's digital jobs with all jobs; NBS compares the ICT sector (which
also employs non-digital staff) with all sectors in non-private units.
"""
    return Section(md, {"targets_fit": fig_fit, "targets_regions": fig_reg})


# ---------------------------------------------------------------------------------------------- 2. textbook
def _series(model: TalentModel, metric: str) -> np.ndarray:
    return national_series(model.metrics.to_frame().assign(replicate=0), metric)[0].to_numpy()


def steady_state_check(scale: float) -> tuple[pd.DataFrame, Figure]:
    """Unemployment with only separations and matching on against the discrete-time steady state.

    u* = s(1 - f) / (s(1 - f) + f) (docs/model.md), f = hires / searchers (last month's
    unemployed plus this month's separated), a per-searcher probability.
    """
    rows = []
    fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
    for i, rate in enumerate((0.153, 0.4)):
        spec = only(
            default_scenario(),
            "matching",
            scale=scale,
            horizon__end="2028-12",
            processes__matching__separation_rate=rate,
        )
        model = TalentModel(spec, rng=4).run()
        unemployed, hires = _series(model, "n_unemployed"), _series(model, "new_hires")
        separations = _series(model, "new_separations")
        u = _series(model, "unemployment_rate")
        f = hires[1:] / (unemployed[:-1] + separations[1:])
        s = float(monthly(rate))
        f_tail = f[-24:].mean()
        predicted = float(steady_state_unemployment(s, f_tail))
        rows.append(
            {
                "annual separation rate": rate,
                "monthly s": f"{s:.4f}",
                "monthly f per searcher (last 24 months)": f"{f_tail:.4f}",
                "s(1-f)/(s(1-f)+f)": f"{predicted:.4f}",
                "continuous-time s/(s+f)": f"{s / (s + f_tail):.4f}",
                "model u (last 24 months)": f"{u[-24:].mean():.4f}",
                "relative difference": f"{u[-24:].mean() / predicted - 1:+.2%}",
            }
        )
        color = ("#0072B2", "#D55E00")[i]
        ax.plot(np.arange(len(u)), u, color=color, label=f"model, separation {rate}")
        ax.axhline(predicted, color=color, linestyle="--", linewidth=1, label=f"s(1-f)/(s(1-f)+f), separation {rate}")
    ax.set_xlabel("month since January 2024")
    ax.set_ylabel("unemployment rate")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title("Steady-state unemployment (only matching and separations on)", fontsize=10)
    return pd.DataFrame(rows), fig


def logit_check(scale: float) -> tuple[pd.DataFrame, float, Figure]:
    """The model's own migration step against the logit probabilities of its utilities."""
    spec = only(
        default_scenario(),
        "migration",
        scale=scale,
        processes__migration__reconsider_rate=1.0,
        processes__migration__moving_cost=1.0,
    )
    model = TalentModel(spec, rng=2)
    pop = model.pop
    origin = model.region_names.index("West")
    workers = np.flatnonzero(((pop.status == EMPLOYED) | (pop.status == UNEMPLOYED)) & (pop.region == origin))
    group = workers[pop.level[workers] == 0]  # identical utilities: non-digital workers of one region
    v = migration.utilities(model, group[:1])
    expected = migration.choice_probabilities(v, spec.processes.migration.sigma)[0]
    model.step()
    observed = np.bincount(pop.region[group], minlength=model.n_regions)
    keep = expected * len(group) > 5
    obs, exp = observed[keep], expected[keep] * len(group)
    if (~keep).any():
        obs, exp = np.r_[obs, observed[~keep].sum()], np.r_[exp, expected[~keep].sum() * len(group)]
    p_value = float(stats.chisquare(obs, exp).pvalue)
    table = pd.DataFrame(
        {
            "destination": model.region_names,
            "logit probability": [f"{p:.4f}" for p in expected],
            "observed share": [f"{o / len(group):.4f}" for o in observed],
            "persons (agents)": observed,
        }
    )
    fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
    x = np.arange(model.n_regions)
    ax.bar(x - 0.2, expected, 0.4, label="logit probability", color="#0072B2")
    ax.bar(x + 0.2, observed / len(group), 0.4, label="model's choices", color="#E69F00")
    ax.set_yscale("log")
    ax.set_xticks(x, model.region_names, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("share choosing the region")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(f"Migration choices of {len(group):,} identical West workers (χ² p = {p_value:.2f})", fontsize=10)
    return table, p_value, fig


def conservation_check(scale: float) -> pd.DataFrame:
    """Each status stock against last month's stock plus the recorded flows, every month."""
    model = TalentModel(default_scenario().with_updates(scale=scale), rng=5).run()
    imbalance = np.zeros(N_STATUSES)
    inflow_total = np.zeros(N_STATUSES)
    outflow_total = np.zeros(N_STATUSES)
    for t in range(1, len(model.status_history)):
        before, after, flows = model.status_history[t - 1], model.status_history[t], model.flow_history[t - 1]
        inflow, outflow = flows.sum(axis=0), flows[:N_STATUSES, :].sum(axis=1)
        imbalance = np.maximum(imbalance, np.abs(after - (before + inflow - outflow)))
        inflow_total += inflow
        outflow_total += outflow
    live = [s for s in range(N_STATUSES) if s != EXITED]
    return pd.DataFrame(
        {
            "status": [STATUSES[s] for s in live],
            "agents in, all months": [int(inflow_total[s]) for s in live],
            "agents out, all months": [int(outflow_total[s]) for s in live],
            "largest monthly imbalance (agents)": [int(imbalance[s]) for s in live],
        }
    )


def textbook_section(scale: float) -> Section:
    """Steady-state unemployment, the logit property and conservation."""
    ss, fig_ss = steady_state_check(scale)
    logit, p_value, fig_logit = logit_check(scale)
    cons = conservation_check(scale)
    worst = max(abs(float(x.rstrip("%")) / 100) for x in ss["relative difference"])
    balanced = int(cons["largest monthly imbalance (agents)"].max()) == 0
    md = f"""## 2. Textbook checks

**Steady-state unemployment.** With only separations and matching switched on, unemployment should
settle at the steady state of the model's monthly timing, s(1-f)/(s(1-f)+f) (separations first,
then every searcher, the month's separated included, is hired with probability f; derived in
docs/model.md), s the monthly separation hazard and f the share of the month's searchers hired.
At two separation rates the model's unemployment over the last 24 of 60 months is within
{worst:.1%} of it (tests/processes/test_matching.py asserts 3 %); the continuous-time s/(s+f) with
the same f would be off by a quarter or more.

{markdown_table(ss)}

![Steady state](validation/textbook_steady_state.png)

**Logit choice.** Every non-digital worker of the West reconsiders where to live for one month; their
choices are compared with the multinomial-logit probabilities of the model's own utilities
(χ² goodness of fit, rare destinations pooled): p = {p_value:.3f}
({"consistent with the logit" if p_value > 0.001 else "**rejects the logit**"}). The odds of two
destinations depend only on their two utilities (independence of irrelevant alternatives), which
tests/processes/test_migration.py also checks on the choice function directly.

{markdown_table(logit)}

![Logit](validation/textbook_logit.png)

**Stock-flow conservation.** Over the default baseline, every month, each status stock equals last
month's stock plus its recorded inflows minus its outflows: the largest imbalance over all months
and statuses is {int(cons["largest monthly imbalance (agents)"].max())} agents
({"exact" if balanced else "**not conserved**"}).

{markdown_table(cons)}
"""
    return Section(md, {"textbook_steady_state": fig_ss, "textbook_logit": fig_logit})


# ---------------------------------------------------------------------------------------------- 3. stylised facts
FACTS = (
    "beveridge_curve",
    "training_effects_grow",
    "training_effect_per_trainee",
    "graduate_lag",
    "regional_talent_loss",
)
# --quick: the short horizons at which tests/test_stylised_facts.py runs the checks (the defaults run to 2027-2029)
QUICK_FACTS: dict[str, dict[str, Any]] = {
    "beveridge_curve": {"end": "2025-06", "period_months": 12},
    "training_effects_grow": {"end": "2024-10"},
    "training_effect_per_trainee": {"end": "2024-10"},
    "graduate_lag": {"end": "2025-08"},
    "regional_talent_loss": {"end": "2024-09"},
}


def facts_section(
    scale: float, seeds: Sequence[int], workers: int, options: dict[str, dict[str, Any]] | None = None
) -> Section:
    """The stylised facts of ``stylised_facts.py``; ``options`` by check name go to the check (``QUICK_FACTS``)."""
    options = options or {}
    checks = [getattr(stylised_facts, name)(scale, seeds, workers, **options.get(name, {})) for name in FACTS]
    parts = [
        "## 3. Stylised facts\n",
        f"Scale {scale:g}, seeds {', '.join(map(str, seeds))}; effects are paired against the baseline "
        "on common seeds.\n",
    ]
    if options:
        parts.append("Shortened horizons (`--quick`): " + "; ".join(f"{k} {v}" for k, v in options.items()) + ".\n")
    figures = {}
    for i, c in enumerate(checks, start=1):
        stem = f"fact_{i}"
        figures[stem] = c.figure
        verdict = "reproduced" if c.passed else "**not reproduced**"
        parts.append(f"### 3.{i} {c.name}: {verdict}\n\n*Claim.* {c.claim}\n\n{c.summary}\n")
        if c.name == "regional_talent_loss" and not c.passed:
            parts.append(
                "*Why not.* Trained persons reach other regions' vacancies by searching there"
                " (`processes.matching.search_moving_cost`) and by the looks that the end of a course"
                " prompts; if those are too costly, training in a region with few digital vacancies"
                " leaves its trainees waiting in non-digital jobs or unemployment.\n"
            )
        parts.append(f"![{c.name}](validation/{stem}.png)\n")
    return Section("\n".join(parts), figures)


# ---------------------------------------------------------------------------------------------- 4. Morris
def morris_section(workers: int, trajectories: int | None, scale: float | None) -> Section:
    """Morris elementary effects of the guessed parameters on the headline outcomes."""
    from talentsim.scenario import read_toml_file
    from talentsim.sweep.execute import run_sweep
    from talentsim.sweep.spec import SweepError

    text, data = read_toml_file(MORRIS, SweepError)
    if trajectories is not None:
        data["design"]["points"] = trajectories
    if scale is not None:
        data.setdefault("fixed", {})["scale"] = scale
    sweep = Sweep.from_dict(data, MORRIS, MORRIS.parent)
    sweep.text = text
    result = run_sweep(sweep, None, workers=workers, progress=False)
    rows, figures = [], {}
    inert = {i.path for i in sweep.spec.input}
    for metric in sweep.spec.outcomes.metrics:
        sens = result.sensitivity(metric)
        t = sens.table.sort_values("mu_star", ascending=False)
        inert -= set(t.loc[t["mu_star"] > 0, "input"])
        top = t.iloc[0]
        rows.append(
            {
                "outcome": metric,
                "most influential guess": top["input"],
                "μ*": f"{top['mu_star']:.4g}",
                "second": t.iloc[1]["input"],
                "μ* (second)": f"{t.iloc[1]['mu_star']:.4g}",
                "least": t.iloc[-1]["input"],
                "μ* (least)": f"{t.iloc[-1]['mu_star']:.4g}",
            }
        )
        figures[f"morris_{metric}"] = sens.plot()
    inputs = ", ".join(f"`{i.path}`" for i in sweep.spec.input)
    points = len(result.outcomes["run_id"].unique()) if "run_id" in result.outcomes else result.total
    images = "\n\n".join(f"![{m}](validation/morris_{m}.png)" for m in sweep.spec.outcomes.metrics)
    md = f"""## 4. Which guesses matter: Morris screening

`sweeps/morris_guesses.toml` varies eight guessed behavioural parameters ({inputs}) over their
plausible ranges with a Morris design ({data["design"]["points"]} trajectories, {points} runs, one
replicate each) and screens the baseline's outcomes at 2026-12. μ* is the mean absolute elementary
effect of moving a parameter across its whole range (in the outcome's units), σ the spread of
those effects (large σ: the effect depends on the other parameters). The calibrated parameters are
not screened; the levers' guessed intensities are screened by `sweeps/levers_lhs.toml`.

{markdown_table(pd.DataFrame(rows))}
{_inert_note(inert)}
{images}
"""
    return Section(md, figures)


def _inert_note(inert: set[str]) -> str:
    if not inert:
        return ""
    note = f"\nNo effect at all on these outcomes by 2026-12: {', '.join(f'`{p}`' for p in sorted(inert))}."
    if "processes.education.wage_weight" in inert:
        note += (
            " The wage weight acts on the field choice of students admitted from September 2024, who"
            " graduate from 2027 on: it cannot move the 2026 stock of talent, only the students"
            " (`n_digital_students`); screen it on a longer horizon."
        )
    return note + "\n"


# ---------------------------------------------------------------------------------------------- 5. regions
def regional_section(replicates: int, workers: int, scale: float | None) -> Section:
    """Each region's labour force and unemployment in the baseline, and net flows East <-> rest."""
    base = default_scenario() if scale is None else default_scenario().with_updates(scale=scale)
    runs = talentsim.run(base, seed=1, replicates=replicates, workers=workers).timeseries
    lf = regional_series(runs, "n_labour_force")
    u = regional_series(runs, "unemployment_rate")
    net = regional_series(runs, "new_net_migration")
    dates = lf.index.get_level_values("date").unique().sort_values()
    first, last = dates[0], dates[-1]
    months = (last.year - first.year) * 12 + last.month - first.month
    trend = share_growth(months)
    names = base.region_names
    national_growth = (lf.xs(last, level="date")["all"] / lf.xs(first, level="date")["all"]).mean()
    change = lf.xs(last, level="date")[names] / lf.xs(first, level="date")[names]  # replicate x region
    gap = u[names].sub(u["all"], axis=0).abs()
    after_first_year = gap[gap.index.get_level_values("date") >= first + pd.DateOffset(years=1)]
    rows = []
    for r in names:
        published = trend[r] * national_growth
        rows.append(
            {
                "region": r,
                "labour force 2024-01": f"{lf.xs(first, level='date')[r].mean() / 1e6:,.1f} M",
                f"model change to {last:%Y-%m}": f"{change[r].mean() - 1:+.1%}",
                "10-90 %": f"{change[r].quantile(0.1) - 1:+.1%} to {change[r].quantile(0.9) - 1:+.1%}",
                "published trend (share trend x model national)": f"{published - 1:+.1%}",
                "within ±5 %": "yes" if (abs(change[r] - 1) <= 0.05).all() else "**no**",
                "largest |u - national| after the first year": f"{after_first_year[r].max() * 100:.2f} pts",
                "within 2 pts": "yes" if after_first_year[r].max() <= 0.02 else "**no**",
            }
        )
    table = pd.DataFrame(rows)

    group_of = {name: reg.group for name, reg in base.regions.items()}
    east = [r for r in names if group_of[r] == "east"]
    net_east = net[east].sum(axis=1).groupby(level="date").mean()
    net_rest = net[[r for r in names if group_of[r] != "east"]].sum(axis=1).groupby(level="date").mean()
    by_year = net_east.groupby(net_east.index.year).sum()
    migrants = regional_series(runs, "new_migrants")["all"].groupby(level="date").mean()
    migrants_year = migrants.groupby(migrants.index.year).sum()

    fig, (ax_lf, ax_net) = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
    mean_lf = lf[names].groupby(level="date").mean()
    index = mean_lf / mean_lf.iloc[0]
    colours = plt.get_cmap("tab10").colors
    t = np.array([(d.year - first.year) * 12 + d.month - first.month for d in index.index])
    for k, r in enumerate(names):
        ax_lf.plot(index.index, index[r], color=colours[k], lw=1.2, label=r)
        path = (trend[r] * national_growth) ** (t / months)
        ax_lf.plot(index.index, path, color=colours[k], lw=0.8, ls="--")
    ax_lf.set_ylabel("labour force, 2024-01 = 1")
    ax_lf.set_title("Labour force by region (solid) and published trend (dashed)", fontsize=9)
    ax_lf.legend(fontsize=7, ncol=2, frameon=False)
    ax_net.plot(net_east.index, net_east.cumsum() / 1e6, color="#0072B2", label="into the East")
    ax_net.plot(net_rest.index, net_rest.cumsum() / 1e6, color="#E69F00", label="into the rest")
    ax_net.axhline(0, color="0.5", lw=0.6)
    ax_net.set_ylabel("cumulative net migration, millions")
    ax_net.set_title("Net flows between the East and the rest (mean of replicates)", fontsize=9)
    ax_net.legend(fontsize=8, frameon=False)

    flows = ", ".join(
        f"{y}: {v / 1e6:+.2f} M net into the East of {migrants_year[y] / 1e6:.1f} M moves" for y, v in by_year.items()
    )
    n_ok = sum(r["within ±5 %"] == "yes" for r in rows)
    n_u = sum(r["within 2 pts"] == "yes" for r in rows)
    md = f"""## 5. Regions

The baseline at scale {base.scale:g}, seeds 1-{replicates}. With no levers the regions should be in
spatial balance: each region's labour force follows its published population trend (the 2021-2023 trend
of its share in `data/regional_population.csv`, NBS, times the model's national labour-force change,
{national_growth - 1:+.1%}), and regional unemployment stays near the national rate. The regional
amenities (effective values) are fitted to that by `talentsim calibrate calibrations/baseline.toml`.
{n_ok} of {len(rows)} regions stay within ±5 % of their January 2024 labour force in every replicate;
{n_u} of {len(rows)} keep their unemployment rate within 2 points of the national rate in every month
after the first year (mean of replicates).

{markdown_table(table)}

Moves between regions (searchers hired elsewhere moving with the job, graduates choosing where to
look for work, the unemployed after a course or a year's spell, and background reconsideration):
{flows}.

![Regions](validation/regions.png)
"""
    return Section(md, {"regions": fig})


# ---------------------------------------------------------------------------------------------- report
def write_report(sections: list[Section], out: Path, header: str) -> Path:
    """Write ``out/validation.md`` and ``out/validation/*.png``; figures first, each atomically."""
    out.mkdir(parents=True, exist_ok=True)
    with atomic_folder(out / "validation", True) as tmp:
        for s in sections:
            for stem, fig in s.figures.items():
                try:
                    fig.savefig(tmp / f"{stem}.png", dpi=110)
                finally:
                    plt.close(fig)
    text = header + "\n\n".join(s.markdown.strip() + "\n" for s in sections)
    fd, tmp_md = tempfile.mkstemp(dir=out, suffix=".md.tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp_md, out / "validation.md")
    return out / "validation.md"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="validate.py", description=__doc__.splitlines()[0])
    p.add_argument("--replicates", type=int, default=5, help="replicates of the baseline checks (default 5)")
    p.add_argument("--workers", type=int, default=1, help="processes for the runs (default 1)")
    p.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for validation.md (default docs/)")
    p.add_argument("--quick", action="store_true", help="small coarse runs, for tests")
    args = p.parse_args(argv)
    if args.replicates < 1 or args.workers < 1:
        p.error("--replicates and --workers must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run every check and write the report."""
    args = parse_args(argv)
    try:  # where the report goes is checked before minutes of simulation
        check_output_folder(Path(args.out) / "validation", "--out")
        check_output_file(Path(args.out) / "validation.md", "--out")
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    quick = args.quick
    replicates = 2 if quick else args.replicates
    sections = [
        targets_section(replicates, args.workers, 20000.0 if quick else None),
        textbook_section(20000.0 if quick else 4000.0),
        facts_section(
            20000.0 if quick else 2000.0,
            (1, 2) if quick else (1, 2, 3, 4, 5),
            args.workers,
            QUICK_FACTS if quick else None,
        ),
        morris_section(args.workers, 2 if quick else None, 20000.0 if quick else None),
        regional_section(replicates, args.workers, 20000.0 if quick else None),
    ]
    header = (
        "# Validation report\n\n"
        f"Written by `experiments/validate.py{' --quick' if quick else ''}` "
        f"(talentsim {talentsim.__version__}) in {time.perf_counter() - started:.0f} s. "
        "Regenerate it after any change to the model or the baseline. "
        "Every number below is computed by that script; none is typed in.\n\n"
    )
    path = write_report(sections, args.out, header)
    print(f"written {path} in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
