"""Calibration by the method of simulated moments.

A calibration file (TOML) names a scenario, the parameters to fit (dotted paths with bounds) and the
targets: public figures (a row of ``data/calibration_targets.csv`` or a value given in the file)
matched to a model moment (a metric, national or of one region, possibly as a ratio to the national
value, aggregated over a calendar year or as growth since the first month). The distance is

    D(theta) = sum_k w_k * ((m_k(theta) - y_k) / y_k) ** 2,

with m_k the moment averaged over replicates run on fixed seeds (common random numbers make D a
deterministic function of theta), minimised over the parameters rescaled to [0, 1] within their
bounds, with ``scipy.optimize.minimize`` (Nelder-Mead, Powell), or, for many parameters each
steering one target, by a damped fixed-point iteration (``fixed-point``; see :func:`fixed_point`).
The result: fitted parameters, each target against the model
with its 10-90 % range over replicates, the evaluation history, a figure and a calibrated scenario file
that derives from the original (``base = ...``) and sets the fitted values.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator, model_validator
from scipy.optimize import minimize

from talentsim import tidy
from talentsim.limits import check_replicates, estimated_persons, persons_problem
from talentsim.overrides import get_at, resolve_path
from talentsim.scenario import Scenario, ScenarioError, describe_error, file_path, load_scenario, read_toml_file

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from talentsim.schema import Positive, StrictModel

DEFAULT_TARGETS = Path(__file__).parent / "data" / "calibration_targets.csv"  # shipped in the package


class ParameterSpec(StrictModel):
    """A scenario parameter to fit."""

    path: str = Field(description="dotted path of a numeric scenario field, e.g. processes.matching.efficiency")
    lower: float
    upper: float
    start: float | None = Field(None, description="starting value (default: the scenario's)")
    steers: str | None = Field(
        None,
        description="fixed-point method: the target this parameter moves, by name, or 'name (year)' when "
        "several targets share the name",
    )

    @model_validator(mode="after")
    def _bounds(self) -> ParameterSpec:
        if not self.lower < self.upper:
            raise ValueError(f"lower {self.lower} must be below upper {self.upper}")
        if self.start is not None and not self.lower <= self.start <= self.upper:
            raise ValueError(f"start {self.start} is outside [{self.lower}, {self.upper}]")
        return self


class TargetSpec(StrictModel):
    """A public figure and the model moment it is matched to."""

    name: str
    metric: str = Field(description="metric of the tidy table")
    region: str = Field("all", description="region of the metric (`all`: national)")
    relative_to_national: bool = Field(
        False, description="divide the region's value by the national value month by month (a share or a ratio)"
    )
    year: int = Field(ge=2024, le=2060, description="calendar year the moment is taken over")
    aggregate: Literal["sum", "mean", "last", "max", "growth"] = Field(
        description="sum a flow, average, take the year's last month or its highest, or growth: the year's "
        "last month over the run's first month (a ratio)"
    )
    quantity: str | None = Field(None, description="row of the targets file (with `year`)")
    value: float | None = Field(None, description="the observed value, when not taken from the targets file")
    transform: Literal["none", "plus_one"] = Field(
        "none", description="plus_one compares 1 + moment (a premium against a ratio)"
    )
    weight: Positive = 1.0
    tolerance: Positive = Field(0.1, description="relative error accepted in the report")

    @model_validator(mode="after")
    def _source(self) -> TargetSpec:
        if (self.quantity is None) == (self.value is None):
            raise ValueError("give exactly one of `quantity` (a row of the targets file) or `value`")
        if self.value == 0:
            raise ValueError("value: expected a figure other than 0 (the distance divides by it)")
        return self


class CalibrationSpec(StrictModel):
    """A calibration file."""

    scenario: str = Field(description="scenario file to fit, relative to the calibration file")
    targets_file: str | None = Field(None, description="targets CSV (default data/calibration_targets.csv)")
    seed: int = Field(1, ge=0)
    replicates: int = Field(2, ge=1, le=100)
    overrides: dict[str, Any] = Field(default_factory=dict, description="scenario fields set for every run")
    method: Literal["Nelder-Mead", "Powell", "fixed-point"] = "Nelder-Mead"
    max_evaluations: int = Field(60, ge=1, le=10_000)
    probe_step: float = Field(
        0.05, gt=0.0, le=0.5, description="fixed-point: step of the sensitivity probes, as a share of each range"
    )
    damping: float = Field(0.7, gt=0.0, le=1.0, description="fixed-point: share of the Newton step taken")
    parameter: list[ParameterSpec] = Field(min_length=1)
    target: list[TargetSpec] = Field(min_length=1)

    @field_validator("overrides")
    @classmethod
    def _flat(cls, v: dict[str, Any]) -> dict[str, Any]:
        for key, val in v.items():
            if isinstance(val, dict | list):
                raise ValueError(f"{key}: expected a single value for a dotted path")
        return v


@dataclass
class Calibration:
    """A calibration file, loaded and checked against its scenario and targets."""

    spec: CalibrationSpec
    path: Path
    scenario_path: Path
    scenario: Scenario
    observed: list[float]
    history: list[dict[str, float]] = field(default_factory=list)

    def scenario_at(self, values: dict[str, float]) -> Scenario:
        """The scenario with the calibration's overrides and the given parameter values."""
        updates = {**self.spec.overrides, **values}
        return self.scenario.with_updates(**updates) if updates else self.scenario

    def moments(self, values: dict[str, float]) -> np.ndarray:
        """Each target's moment in each replicate, shape (targets, replicates)."""
        from talentsim.experiment import run_one

        spec = self.scenario_at(values)
        out = np.empty((len(self.spec.target), self.spec.replicates))
        for r in range(self.spec.replicates):
            table = run_one(spec, self.spec.seed + r, r)
            for k, target in enumerate(self.spec.target):
                out[k, r] = moment(table, target)
        return out

    def relative_errors(self, values: dict[str, float]) -> np.ndarray:
        """Each target's relative error ``(m_k - y_k) / y_k`` at the mean moments (recorded in the history)."""
        err = (self.moments(values).mean(axis=1) - np.asarray(self.observed)) / np.asarray(self.observed)
        w = np.array([t.weight for t in self.spec.target])
        self.history.append({**values, "distance": float(np.sum(w * err**2))})
        return err

    def residuals(self, values: dict[str, float]) -> np.ndarray:
        """Each target's weighted relative error ``sqrt(w_k) (m_k - y_k) / y_k`` at the mean moments."""
        mean = self.moments(values).mean(axis=1)
        obs = np.asarray(self.observed)
        w = np.array([t.weight for t in self.spec.target])
        res = np.sqrt(w) * (mean - obs) / obs
        self.history.append({**values, "distance": float(np.sum(res**2))})
        return res

    def distance(self, values: dict[str, float]) -> float:
        """The weighted squared relative distance of the mean moments from the targets."""
        return float(np.sum(self.residuals(values) ** 2))


def _monthly(table: pd.DataFrame, metric: str, region: str) -> pd.Series:
    sel = tidy.totals(table, national=False)
    sel = sel[(sel["metric"] == metric) & (sel["region"] == region)]
    return pd.Series(sel["value"].to_numpy(dtype=float), index=pd.to_datetime(sel["date"])).sort_index()


def moment(table: pd.DataFrame, target: TargetSpec) -> float:
    """A target's model moment from one replicate's tidy table.

    The metric's monthly series in the target's region (divided by the national series when
    ``relative_to_national``), then: the sum, mean, last or highest value over the target's year, or, for
    ``growth``, the year's last value over the series' first value.
    """
    series = _monthly(table, target.metric, target.region)
    if target.relative_to_national:
        series = series / _monthly(table, target.metric, "all")
    in_year = series[series.index.year == target.year].to_numpy()
    if len(in_year) == 0:
        raise ValueError(f"target {target.name!r}: no {target.metric} in {target.year}; is the horizon long enough?")
    if target.aggregate == "growth":
        value = in_year[-1] / series.iloc[0]
    else:
        value = {"sum": in_year.sum(), "mean": in_year.mean(), "last": in_year[-1], "max": in_year.max()}[
            target.aggregate
        ]
    return value + 1.0 if target.transform == "plus_one" else value


def _lookup(data: pd.DataFrame, quantity: str, year: int | str) -> float | None:
    row = data[(data["quantity"] == quantity) & (data["year"].astype(str) == str(year))]
    return None if row.empty else float(row["value"].iloc[0])


def published_value(quantity: str, year: int | str, targets_file: str | Path = DEFAULT_TARGETS) -> float:
    """One published figure from the targets file (default ``data/calibration_targets.csv``).

    Raises:
        KeyError: the file has no row for ``quantity`` in ``year``.
    """
    value = _lookup(pd.read_csv(targets_file), quantity, year)
    if value is None:
        raise KeyError(f"{targets_file}: no row {quantity!r} for {year}")
    return value


def _persons_at(scenario: Scenario) -> tuple[float, float]:
    return estimated_persons(scenario), scenario.scale


def _scenario_size_problems(scenario: Scenario, spec: CalibrationSpec) -> list[tuple[str, str]]:
    """The calibration's scenario, replicates and seeds against :mod:`talentsim.limits`."""
    problems = []
    size = persons_problem(*_persons_at(scenario))
    if size:
        problems.append(("overrides" if spec.overrides else "scenario", size))
    try:
        check_replicates(spec.replicates, spec.seed, "calibration")
    except ScenarioError as exc:
        problems += exc.problems
    return problems


TARGET_COLUMNS = ("quantity", "year", "value")


def read_targets(targets_file: Path, referrer: Path) -> pd.DataFrame:
    """A targets CSV with at least the columns quantity, year and value (numbers).

    Raises:
        ScenarioError: naming the calibration file and ``targets_file``: unreadable, not CSV text,
            or without those columns.
    """
    try:
        data = pd.read_csv(targets_file)
    except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        # pandas' EmptyDataError and ParserError are ValueErrors too
        raise ScenarioError(referrer, [("targets_file", f"cannot read {targets_file} as CSV: {exc}")]) from None
    missing = [c for c in TARGET_COLUMNS if c not in data.columns]
    if missing:
        raise ScenarioError(
            referrer,
            [("targets_file", f"{targets_file} has no column {missing[0]!r}; expected {', '.join(TARGET_COLUMNS)}")],
        )
    data["value"] = pd.to_numeric(data["value"], errors="coerce")
    return data


def load_calibration(path: str | Path) -> Calibration:
    """Read and check a calibration file: its schema, its scenario, each parameter path and target.

    Raises:
        ScenarioError: naming the file, the field and what was expected.
    """
    path = Path(path)
    _, raw = read_toml_file(path)
    try:
        spec = CalibrationSpec.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(path, [describe_error(e, "calibrations/baseline.toml") for e in exc.errors()]) from None
    scenario_path = file_path(spec.scenario, path.parent, path, "scenario", ScenarioError)
    scenario = load_scenario(scenario_path)
    problems: list[tuple[str, str]] = []
    try:
        scenario = scenario.with_updates(**spec.overrides) if spec.overrides else scenario
    except ScenarioError as exc:
        problems += [(f"overrides.{f}", m) for f, m in exc.problems]
    dump = scenario.model_dump(mode="python")
    for i, p in enumerate(spec.parameter):
        try:
            current = get_at(dump, resolve_path(dump, p.path))  # the grammar of --set and sweeps
            if not isinstance(current, int | float) or isinstance(current, bool):
                problems.append((f"parameter[{i}].path", f"{p.path} is not a number in the scenario"))
                continue
            for bound in (p.lower, p.upper):
                size = persons_problem(*_persons_at(scenario.with_updates(**{p.path: float(bound)})))
                if size:
                    problems.append((f"parameter[{i}]", f"at {p.path} = {bound:g}: {size}"))
                    break
        except ScenarioError as exc:  # before ValueError, its base
            problems.append((f"parameter[{i}]", f"bounds are not valid values: {exc.problems[0][1]}"))
        except ValueError as exc:
            problems.append((f"parameter[{i}].path", f"unknown scenario field: {exc}"))
    problems += _scenario_size_problems(scenario, spec)
    observed = []
    if any(t.quantity for t in spec.target):
        targets_file = (
            file_path(spec.targets_file, path.parent, path, "targets_file", ScenarioError)
            if spec.targets_file
            else DEFAULT_TARGETS
        )
        data = read_targets(targets_file, path)
    from talentsim.metrics import all_metrics

    h = scenario.horizon
    known = all_metrics()
    for i, t in enumerate(spec.target):
        if t.metric not in known:
            problems.append((f"target[{i}].metric", f"unknown metric {t.metric!r}"))
        if t.region != "all" and t.region not in scenario.regions:
            expected = ", ".join(["all", *scenario.regions])
            problems.append((f"target[{i}].region", f"unknown region {t.region!r}; expected one of {expected}"))
        if not h.start <= f"{t.year}-01" <= f"{t.year}-12" <= h.end:
            problems.append(
                (
                    f"target[{i}].year",
                    f"{t.year} is not a whole year of the horizon {h.start} to {h.end} (after overrides); "
                    "a moment is taken over a calendar year",
                )
            )
        if t.value is not None:
            observed.append(t.value)
            continue
        value = _lookup(data, t.quantity, t.year)
        if value is None or not math.isfinite(value) or value == 0:
            what = "no row" if value is None else f"the value {value} (a number other than 0 is needed) in row"
            problems.append((f"target[{i}].quantity", f"{what} {t.quantity!r} for {t.year} in the targets file"))
            observed.append(math.nan)
        else:
            observed.append(value)
    if spec.method == "fixed-point":
        for i, p in enumerate(spec.parameter):
            hits = [t for t in spec.target if p.steers in (t.name, f"{t.name} ({t.year})")]
            if len(hits) != 1:
                problems.append(
                    (
                        f"parameter[{i}].steers",
                        f"the fixed-point method needs each parameter to steer exactly one target (by name, or "
                        f"'name (year)'); {p.steers!r} matches {len(hits)}",
                    )
                )
    if problems:
        raise ScenarioError(path, problems)
    return Calibration(spec, path, scenario_path, scenario, observed)


def calibrate(cal: Calibration) -> dict[str, Any]:
    """Minimise the distance and return the fit (parameters, targets table, history)."""
    params = cal.spec.parameter
    lo = np.array([p.lower for p in params])
    hi = np.array([p.upper for p in params])
    base = cal.scenario.model_dump(mode="python")

    def current(p: ParameterSpec) -> float:
        node = base
        for part in p.path.split("."):
            node = node[part]
        return float(node)

    start = np.array([p.start if p.start is not None else min(max(current(p), p.lower), p.upper) for p in params])

    def values_of(u: np.ndarray) -> dict[str, float]:
        x = lo + np.clip(u, 0.0, 1.0) * (hi - lo)
        return {p.path: float(v) for p, v in zip(params, x, strict=True)}

    u0 = (start - lo) / (hi - lo)
    if cal.spec.method == "fixed-point":
        x_best, result_fun, result_ok = fixed_point(cal, start, lo, hi)
        result_x = (x_best - lo) / (hi - lo)
    else:
        result = minimize(
            lambda u: cal.distance(values_of(u)),
            u0,
            method=cal.spec.method,
            bounds=[(0.0, 1.0)] * len(params),
            options={"maxfev": cal.spec.max_evaluations, "xatol": 1e-3, "fatol": 1e-6}
            if cal.spec.method == "Nelder-Mead"
            else {"maxfev": cal.spec.max_evaluations, "xtol": 1e-3},
        )
        result_x, result_fun, result_ok = result.x, float(result.fun), bool(result.success)
    evaluations = len(cal.history)
    fitted = values_of(result_x)
    parameters = pd.DataFrame(
        {
            "parameter": [p.path for p in params],
            "lower": lo,
            "upper": hi,
            "start": start,
            "fitted": [fitted[p.path] for p in params],
        }
    )
    return {
        "parameters": parameters,
        "targets": target_table(cal, cal.moments(fitted)),
        "history": pd.DataFrame(cal.history[:evaluations]),
        "distance": float(result_fun),
        "evaluations": evaluations,
        "converged": bool(result_ok),
        "fitted": fitted,
    }


def steered_targets(cal: Calibration) -> list[int]:
    """For each parameter, the index of the target it steers (``steers``: a name, or ``name (year)``)."""
    out = []
    for p in cal.spec.parameter:
        hits = [k for k, t in enumerate(cal.spec.target) if p.steers in (t.name, f"{t.name} ({t.year})")]
        if len(hits) != 1:
            raise ValueError(f"parameter {p.path}: steers {p.steers!r} matches {len(hits)} targets, expected one")
        out.append(hits[0])
    return out


def fixed_point(cal: Calibration, start: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, float, bool]:
    """Fit parameters that each steer one target by a damped chord (fixed-Jacobian Newton) iteration.

    The exactly identified part of the problem (parameter ``k`` steers target ``t(k)``) is solved
    as spatial models recover amenities from populations (model inversion, e.g. Allen & Arkolakis
    2014, QJE): with the relative errors ``e_t = (m_t - y_t) / y_t``,

        x_k <- clip(x_k - damping * e_t(k)(x) / g_k, lower_k, upper_k),

    all parameters at once, where ``g_k`` is the slope of ``e_t(k)`` in ``x_k`` measured once, by a
    probe of ``probe_step`` of the range from the start. Gradient methods fail here: a simulated
    moment is a step function of the parameters (a change of 1e-6 flips a random rounding and
    the paths diverge by sampling noise), so only steps well above that noise carry information.
    Targets no parameter steers are reported but not fitted. Stops when every steered target is
    within a quarter of its tolerance or after ``max_evaluations``; returns the evaluated point
    whose worst target is nearest its tolerance (the largest ``|e_t| / tolerance_t`` over all
    targets is smallest), ties broken by the weighted distance. (Choosing by the distance alone
    picked a probe whose labour-force targets missed their tolerance, because the noisy
    unemployment-peak targets dominate the sum of squares.)

    Returns:
        The best parameter values, their distance and whether the stopping rule was met.
    """
    params = cal.spec.parameter
    steer = steered_targets(cal)
    tol = np.array([cal.spec.target[t].tolerance for t in steer])
    tol_all = np.array([t.tolerance for t in cal.spec.target])
    w = np.array([t.weight for t in cal.spec.target])

    def score(err: np.ndarray) -> tuple[float, float]:
        return float(np.max(np.abs(err) / tol_all)), float(np.sum(w * err**2))

    def evaluate(x: np.ndarray) -> np.ndarray:
        return cal.relative_errors({p.path: float(v) for p, v in zip(params, x, strict=True)})

    x = start.astype(float)
    err = evaluate(x)
    points = [(score(err), x.copy())]
    slopes = np.zeros(len(params))
    for k in range(len(params)):
        h = cal.spec.probe_step * (hi[k] - lo[k])
        h = h if x[k] + h <= hi[k] else -h
        probe = x.copy()
        probe[k] += h
        e = evaluate(probe)
        points.append((score(e), probe))
        slopes[k] = (e[steer[k]] - err[steer[k]]) / h
    stuck = [k for k in range(len(params)) if not np.isfinite(slopes[k]) or slopes[k] == 0.0]
    if stuck:
        raise ScenarioError(
            cal.path,
            [
                (
                    f"parameter[{k}]",
                    f"{params[k].path} does not move the target it steers ({params[k].steers!r}) when changed by "
                    f"probe_step x (upper - lower); expected a parameter and range that move it",
                )
                for k in stuck
            ],
        )
    done = bool(np.all(np.abs(err[steer]) <= 0.25 * tol))
    while not done and len(cal.history) < cal.spec.max_evaluations:
        x = np.clip(x - cal.spec.damping * err[steer] / slopes, lo, hi)
        err = evaluate(x)
        points.append((score(err), x.copy()))
        done = bool(np.all(np.abs(err[steer]) <= 0.25 * tol))
    (_, best_distance), best_x = min(points, key=lambda item: item[0])
    return best_x, best_distance, done


def target_table(cal: Calibration, moments: np.ndarray) -> pd.DataFrame:
    """Each target against the model: observed, mean and 10-90 % range over replicates, relative error.

    Args:
        cal: the calibration whose targets and observed values to use.
        moments: shape (targets, replicates), as from :meth:`Calibration.moments` or
            :func:`moments_of`.
    """
    rows = []
    for k, t in enumerate(cal.spec.target):
        sim = moments[k]
        mean = float(sim.mean())
        err = (mean - cal.observed[k]) / cal.observed[k]
        rows.append(
            {
                "target": t.name,
                "metric": t.metric,
                "region": t.region,
                "year": t.year,
                "observed": cal.observed[k],
                "model": mean,
                "model_p10": float(np.percentile(sim, 10)),
                "model_p90": float(np.percentile(sim, 90)),
                "relative_error": err,
                "tolerance": t.tolerance,
                "within_tolerance": abs(err) <= t.tolerance,
            }
        )
    return pd.DataFrame(rows)


def moments_of(cal: Calibration, tables: list[pd.DataFrame]) -> np.ndarray:
    """The calibration's target moments in each of several replicate tables, shape (targets, replicates)."""
    return np.array([[moment(table, t) for table in tables] for t in cal.spec.target])


def calibrated_scenario_text(cal: Calibration, fitted: dict[str, float], out_dir: Path) -> str:
    """A scenario file deriving from the calibrated one and setting the fitted values."""
    import os

    rel = os.path.relpath(cal.scenario_path, out_dir.resolve())
    lines = [
        f"# Calibrated by talentsim calibrate from {cal.path.name}: the fitted values below, the rest from the base.",
        f'base = "{rel}"',
        f'name = "{cal.scenario.name}_calibrated"',
        "",
    ]
    tables: dict[str, list[str]] = {}
    for key, value in {**cal.spec.overrides, **fitted}.items():
        table, _, leaf = key.rpartition(".")
        tables.setdefault(table, []).append(
            f"{leaf} = {json.dumps(value)}   # fitted" if key in fitted else f"{leaf} = {json.dumps(value)}"
        )
    for table, entries in sorted(tables.items(), key=lambda item: item[0] != ""):  # top-level keys first
        if table:
            lines.append(f"[{table}]")
        lines.extend(entries)
        lines.append("")
    return "\n".join(lines)


def write_calibration(cal: Calibration, fit: dict[str, Any], out: Path) -> Path:
    """Write fitted.csv, targets.csv, history.csv, summary.json, calibrated.toml and fit.png atomically."""
    import matplotlib.pyplot as plt

    from talentsim.results import atomic_folder

    with atomic_folder(Path(out), True) as tmp:
        fit["parameters"].to_csv(tmp / "fitted.csv", index=False)
        fit["targets"].to_csv(tmp / "targets.csv", index=False)
        fit["history"].to_csv(tmp / "history.csv", index=False)
        summary = {k: fit[k] for k in ("distance", "evaluations", "converged", "fitted")}
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        (tmp / "calibrated.toml").write_text(calibrated_scenario_text(cal, fit["fitted"], Path(out)), encoding="utf-8")
        fig = plot_fit(fit["targets"])
        try:
            fig.savefig(tmp / "fit.png", dpi=120, bbox_inches="tight")
        finally:
            plt.close(fig)
    return Path(out)


def plot_fit(targets: pd.DataFrame) -> Figure:
    """Each target's relative error with its 10-90 % range and the tolerance band."""
    import matplotlib.pyplot as plt

    from talentsim.plotting import PALETTE

    fig, ax = plt.subplots(figsize=(7.0, 1.2 + 0.45 * len(targets)), layout="constrained")
    for i, row in enumerate(targets.itertuples()):
        lo = (row.model_p10 - row.observed) / row.observed
        hi = (row.model_p90 - row.observed) / row.observed
        ok = PALETTE[2] if row.within_tolerance else PALETTE[3]
        ax.errorbar(
            row.relative_error,
            i,
            xerr=[[row.relative_error - lo], [hi - row.relative_error]],
            fmt="o",
            color=ok,
            capsize=3,
        )
        ax.fill_betweenx([i - 0.3, i + 0.3], -row.tolerance, row.tolerance, color="0.9", zorder=0)
    ax.axvline(0.0, color="0.5", linewidth=0.8, linestyle="--")
    ax.set_yticks(
        range(len(targets)),
        labels=[f"{t} ({y})" for t, y in zip(targets["target"], targets["year"], strict=True)],
        fontsize=8,
    )
    ax.set_ylim(len(targets) - 0.5, -0.5)
    ax.set_xlabel("relative error, model / observed − 1 (grey: tolerance)", fontsize=8)
    fig.suptitle("Calibration targets against the model (mean and 10-90 % over replicates)", fontsize=10)
    return fig
