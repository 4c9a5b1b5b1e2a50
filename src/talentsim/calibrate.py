"""Calibration by the method of simulated moments.

A calibration file (TOML) names a scenario, the parameters to fit (dotted paths with bounds) and the
targets: public figures (a row of ``data/calibration_targets.csv`` or a value given in the file)
matched to a model moment (a national metric aggregated over a calendar year). The distance is

    D(theta) = sum_k w_k * ((m_k(theta) - y_k) / y_k) ** 2,

with m_k the moment averaged over replicates run on fixed seeds (common random numbers make D a
deterministic function of theta), minimised with ``scipy.optimize.minimize`` over the parameters
rescaled to [0, 1] within their bounds. The result: fitted parameters, each target against the model
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

from talentsim.limits import check_replicates, estimated_persons, persons_problem
from talentsim.scenario import Scenario, ScenarioError, describe_error, file_path, load_scenario, read_toml_file

if TYPE_CHECKING:
    from matplotlib.figure import Figure
from talentsim.schema import Positive, StrictModel

DEFAULT_TARGETS = Path(__file__).parents[2] / "data" / "calibration_targets.csv"


class ParameterSpec(StrictModel):
    """A scenario parameter to fit."""

    path: str = Field(description="dotted path of a numeric scenario field, e.g. processes.matching.efficiency")
    lower: float
    upper: float
    start: float | None = Field(None, description="starting value (default: the scenario's)")

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
    metric: str = Field(description="national metric of the tidy table")
    year: int = Field(ge=2024, le=2060, description="calendar year the moment is taken over")
    aggregate: Literal["sum", "mean", "last"] = Field(description="sum a flow, average, or take the year's last month")
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
    method: Literal["Nelder-Mead", "Powell"] = "Nelder-Mead"
    max_evaluations: int = Field(60, ge=1, le=10_000)
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

    def distance(self, values: dict[str, float]) -> float:
        """The weighted squared relative distance of the mean moments from the targets."""
        mean = self.moments(values).mean(axis=1)
        obs = np.asarray(self.observed)
        w = np.array([t.weight for t in self.spec.target])
        d = float(np.sum(w * ((mean - obs) / obs) ** 2))
        self.history.append({**values, "distance": d})
        return d


def moment(table: pd.DataFrame, target: TargetSpec) -> float:
    """A target's model moment from one replicate's tidy table."""
    sel = table[
        (table["metric"] == target.metric)
        & (table["region"] == "all")
        & (table["field"] == "all")
        & (table["level"] == "all")
        & (pd.to_datetime(table["date"]).dt.year == target.year)
    ]
    if sel.empty:
        raise ValueError(f"target {target.name!r}: no {target.metric} in {target.year}; is the horizon long enough?")
    values = sel.sort_values("date")["value"].to_numpy(dtype=float)
    value = {"sum": values.sum(), "mean": values.mean(), "last": values[-1]}[target.aggregate]
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
    for i, p in enumerate(spec.parameter):
        try:
            current = scenario.model_dump(mode="python")
            for part in p.path.split("."):
                current = current[part]
            if not isinstance(current, int | float) or isinstance(current, bool):
                problems.append((f"parameter[{i}].path", f"{p.path} is not a number in the scenario"))
                continue
            for bound in (p.lower, p.upper):
                size = persons_problem(*_persons_at(scenario.with_updates(**{p.path: float(bound)})))
                if size:
                    problems.append((f"parameter[{i}]", f"at {p.path} = {bound:g}: {size}"))
                    break
        except (KeyError, TypeError):
            problems.append((f"parameter[{i}].path", f"unknown scenario field {p.path!r}"))
        except ScenarioError as exc:
            problems.append((f"parameter[{i}]", f"bounds are not valid values: {exc.problems[0][1]}"))
    problems += _scenario_size_problems(scenario, spec)
    observed = []
    if any(t.quantity for t in spec.target):
        targets_file = (
            file_path(spec.targets_file, path.parent, path, "targets_file", ScenarioError)
            if spec.targets_file
            else DEFAULT_TARGETS
        )
        data = read_targets(targets_file, path)
    from talentsim.metrics import ALL_METRICS

    h = scenario.horizon
    for i, t in enumerate(spec.target):
        if t.metric not in ALL_METRICS:
            problems.append((f"target[{i}].metric", f"unknown metric {t.metric!r}"))
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

    result = minimize(
        lambda u: cal.distance(values_of(u)),
        (start - lo) / (hi - lo),
        method=cal.spec.method,
        bounds=[(0.0, 1.0)] * len(params),
        options={"maxfev": cal.spec.max_evaluations, "xatol": 1e-3, "fatol": 1e-6}
        if cal.spec.method == "Nelder-Mead"
        else {"maxfev": cal.spec.max_evaluations, "xtol": 1e-3},
    )
    fitted = values_of(result.x)
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
        "history": pd.DataFrame(cal.history),
        "distance": float(result.fun),
        "evaluations": int(result.nfev),
        "converged": bool(result.success),
        "fitted": fitted,
    }


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
