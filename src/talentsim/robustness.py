"""Robustness of lever settings to the guesses: regret, top-k per yuan, targets and scenario discovery.

Reads a sweep folder whose design is ``crossed`` (every lever setting at the same Latin-hypercube
points of the uncertainties and the same seeds; :func:`talentsim.sweep.design.lever_settings`). A
*draw* is one (uncertainty point, seed); every setting meets every draw, so settings are compared
on common conditions and common random numbers.

- **Regret** of a setting on a draw: the best outcome over all settings on that draw minus this
  setting's outcome (for an outcome where lower is better, this setting's minus the best). The best
  setting of a draw has regret 0.
- **Top k per yuan**: the *single-lever* settings (the reference setting, every lever at its first
  value, with one lever moved) are ranked on each draw by their effect per yuan against the
  reference on the same draw, ``(outcome - outcome_ref) / (cost - cost_ref)`` (signed so that
  better is larger); ``p_top_k`` is the share of draws where a setting ranks among the first ``k``.
  A setting that costs no more than the reference on a draw ranks last on it.
- **Targets** such as ``n_digital_gap<=24e6``: the share of draws on which each setting meets them.
- **Scenario discovery**: for each setting that misses a target on some draws and meets it on
  others, PRIM (EMA Workbench's :class:`ema_workbench.analysis.prim.Prim`, an optional extra) finds
  a box of uncertainty values where misses concentrate. From PRIM's peeling trajectory the box with
  the highest density among those covering at least half of the misses is kept (ties: the fewest
  restricted inputs), and restrictions whose removal keeps its density are dropped; its coverage (share
  of all misses inside the box) and density (share of draws inside the box that miss) are reported
  with the limits of the inputs it restricts.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from talentsim.metrics import all_metrics

INSTALL_HINT = 'pip install -e ".[robustness]"'
# Outcomes where less is better, by the words in their names; others are maximised.
LOWER_IS_BETTER = ("gap", "cost", "unemployment", "mismatch", "vacanc")
# PRIM: the kept box covers at least this share of the cases of interest.
MIN_COVERAGE = 0.5
BOX_COLUMNS = (
    "target",
    "setting",
    "label",
    "misses",
    "draws",
    "coverage",
    "density",
    "mass",
    "input",
    "low",
    "high",
    "min",
    "max",
    "quasi_p",
)
TARGET_COLUMNS = ("target", "setting", "label", "share_met", "draws")
_TARGET = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+0-9.eE_]+)\s*$")


class RobustnessError(ValueError):
    """A sweep folder, target or option the robustness analysis cannot use; the message says why."""


class MissingExtraError(RobustnessError):
    """EMA Workbench (the ``robustness`` extra) is not installed."""


@dataclass(frozen=True)
class Target:
    """A target on one outcome: ``metric op value``.

    Attributes:
        metric: the outcome's metric.
        op: ``<=``, ``>=``, ``<`` or ``>``.
        value: the threshold.
    """

    metric: str
    op: str
    value: float

    @property
    def text(self) -> str:
        """The target as written, e.g. ``n_digital_gap<=2.4e+07``."""
        return f"{self.metric}{self.op}{self.value:g}"

    def met(self, values: np.ndarray | pd.Series) -> np.ndarray:
        """Whether each value meets the target."""
        v = np.asarray(values, dtype=np.float64)
        ops = {"<=": np.less_equal, ">=": np.greater_equal, "<": np.less, ">": np.greater}
        return ops[self.op](v, self.value)


def parse_target(text: str) -> Target:
    """Parse ``METRIC<=VALUE`` (or ``>=``, ``<``, ``>``).

    Raises:
        RobustnessError: malformed text or an unknown metric.
    """
    m = _TARGET.match(text)
    if not m:
        raise RobustnessError(f"--target {text!r}: expected METRIC<=VALUE (or >=, <, >), e.g. n_digital_gap<=24e6")
    metric, op, raw = m.groups()
    try:
        value = float(raw.replace("_", ""))
    except ValueError:
        raise RobustnessError(f"--target {text!r}: {raw!r} is not a number") from None
    if not math.isfinite(value):
        raise RobustnessError(f"--target {text!r}: expected a finite number")
    if metric not in all_metrics():
        raise RobustnessError(f"--target {text!r}: unknown metric {metric!r}; expected a metric such as n_digital_gap")
    return Target(metric, op, value)


def default_goal(metric: str) -> str:
    """``min`` for outcomes where less is better (gaps, costs, unemployment, mismatch), else ``max``."""
    return "min" if any(w in metric for w in LOWER_IS_BETTER) else "max"


@dataclass
class CrossedRuns:
    """A crossed sweep's runs, one row per run, with the outcomes chosen (the adapter from the store).

    Attributes:
        table: ``run_id, point, replicate, seed, draw, setting``, the inputs and one column per metric.
        levers: lever input names.
        uncertainties: uncertainty input names.
        labels: a label per setting (index = setting number).
        metrics: the outcome columns.
        single: for each single-lever setting, the lever it moves (reference = setting 0).
        region: the region of the outcomes.
        date: the month of the outcomes.
    """

    table: pd.DataFrame
    levers: list[str]
    uncertainties: list[str]
    labels: list[str]
    metrics: list[str]
    single: dict[int, str] = field(default_factory=dict)
    region: str = "all"
    date: str = ""

    @property
    def n_draws(self) -> int:
        """Number of draws (uncertainty points times seeds)."""
        return int(self.table["draw"].nunique())


def _show(value: Any) -> str:
    """A lever value as a label shows it (whole floats without ``.0``)."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _labels(design: pd.DataFrame, levers: list[str], n_settings: int) -> tuple[list[str], dict[int, str]]:
    first = design.iloc[:n_settings]
    ref = first.iloc[0]
    n_values = {lv: design[lv].astype(str).nunique() for lv in levers}
    labels: list[str] = []
    single: dict[int, str] = {}
    for s in range(n_settings):
        row = first.iloc[s]
        moved = [lv for lv in levers if str(row[lv]) != str(ref[lv])]
        if len(moved) == 1:
            single[s] = moved[0]
        if not moved:
            labels.append("reference")
        elif len(moved) == len(levers) and len(levers) > 1 and all(n_values[lv] == 2 for lv in levers):
            labels.append("all levers")
        else:
            labels.append(", ".join(lv if n_values[lv] == 2 else f"{lv}={_show(row[lv])}" for lv in moved))
    return labels, single


def load_crossed(folder: str | Path, region: str = "all", date: str | None = None) -> CrossedRuns:
    """Read a crossed sweep folder into :class:`CrossedRuns` (outcomes of one region and month).

    Raises:
        RobustnessError: not a sweep folder, not a crossed design, no lever or uncertainty inputs,
            unfinished runs, or an unknown region or month.
    """
    from talentsim.sweep.plot import is_sweep_folder
    from talentsim.sweep.store import Store, load_outcomes

    folder = Path(folder)
    if not folder.is_dir() or not is_sweep_folder(folder):
        raise RobustnessError(f"{folder}: not a sweep folder (expected design.parquet and runs/ from talentsim sweep)")
    store = Store(folder)
    problem = store.problem()
    kinds = dict(zip(problem["names"], problem["kinds"], strict=True))
    levers = [n for n, k in kinds.items() if k == "lever"]
    unc = [n for n, k in kinds.items() if k == "uncertainty"]
    if not unc:
        raise RobustnessError(
            f"{folder}: the sweep has no uncertainty inputs; robustness needs inputs of kind uncertainty"
        )
    if not levers:
        raise RobustnessError(f"{folder}: the sweep has no lever inputs; robustness compares lever settings")
    if problem.get("method") != "crossed":
        raise RobustnessError(
            f'{folder}: the design is {problem.get("method")!r}; robustness needs method = "crossed" '
            "(every lever setting at the same uncertainty points and seeds; see docs/sweeps.md)"
        )
    n_settings = int(problem["lever_settings"])
    design = store.design()
    outcomes = load_outcomes(folder)
    missing = sorted(set(design["run_id"]) - set(outcomes["run_id"]))
    if missing:
        raise RobustnessError(
            f"{folder}: {len(missing)} of {len(design)} runs have no outcomes (first: run {missing[0]}); "
            "regret needs every setting on every draw: finish the sweep with --resume (and --retry-failed)"
        )
    sel = outcomes
    if "region" in sel.columns:
        regions = sorted(sel["region"].astype(str).unique())
        if region not in regions:
            raise RobustnessError(f"{folder}: no outcomes for region {region!r}; stored: {', '.join(regions)}")
        sel = sel[sel["region"].astype(str) == region]
    elif region != "all":
        raise RobustnessError(f"{folder}: the outcomes have no regions")
    if "date" in sel.columns:
        dates = sorted(sel["date"].astype(str).unique())
        date = date or dates[-1]
        if date not in dates:
            raise RobustnessError(f"{folder}: no outcomes for month {date}; stored: {', '.join(dates)}")
        sel = sel[sel["date"].astype(str) == date]
    elif date is not None:
        raise RobustnessError(f"{folder}: the outcomes have no dates")
    wide = sel.pivot_table(index="run_id", columns="metric", values="value", aggfunc="first", observed=True)
    wide.columns = [str(c) for c in wide.columns]
    metrics = list(dict.fromkeys(sel["metric"].astype(str)))  # in the model's (the sweep file's) order
    table = design.merge(wide, left_on="run_id", right_index=True, how="left")
    table["setting"] = (table["point"] % n_settings).astype(np.int64)
    u = table["point"] // n_settings
    table["draw"] = (u * int(problem["replicates"]) + table["replicate"]).astype(np.int64)
    labels, single = _labels(design.sort_values("point").drop_duplicates("point"), levers, n_settings)
    return CrossedRuns(table.reset_index(drop=True), levers, unc, labels, metrics, single, region, date or "")


def _check_metric(runs: CrossedRuns, metric: str, what: str) -> None:
    if metric not in runs.metrics:
        raise RobustnessError(f"{what}: {metric!r} is not an outcome of this sweep; stored: {', '.join(runs.metrics)}")


def _matrix(runs: CrossedRuns, metric: str) -> pd.DataFrame:
    """Draws (rows) by settings (columns) of one metric."""
    return runs.table.pivot(index="draw", columns="setting", values=metric).sort_index(axis=1)


def regret_table(runs: CrossedRuns, outcome: str, goal: str = "max") -> pd.DataFrame:
    """Regret of every setting on every draw (draws by settings)."""
    _check_metric(runs, outcome, "--outcome")
    y = _matrix(runs, outcome)
    return (y.max(axis=1).to_numpy()[:, None] - y) if goal == "max" else (y - y.min(axis=1).to_numpy()[:, None])


def regret_summary(runs: CrossedRuns, outcome: str, goal: str = "max") -> pd.DataFrame:
    """Per setting: mean, 90th percentile and maximum regret, and the share of draws where it is best."""
    r = regret_table(runs, outcome, goal)
    out = pd.DataFrame(
        {
            "setting": r.columns,
            "label": [runs.labels[s] for s in r.columns],
            "mean_regret": r.mean().to_numpy(),
            "p90_regret": r.quantile(0.9).to_numpy(),
            "max_regret": r.max().to_numpy(),
            "share_best": (r == 0).mean().to_numpy(),
        }
    )
    return out.sort_values(["mean_regret", "setting"], kind="stable").reset_index(drop=True)


def per_yuan_table(runs: CrossedRuns, outcome: str, cost: str, goal: str = "max") -> pd.DataFrame:
    """Effect per yuan of each single-lever setting against the reference, on every draw.

    NaN where the setting costs no more than the reference on that draw.
    """
    _check_metric(runs, outcome, "--outcome")
    _check_metric(runs, cost, "--cost")
    if not runs.single:
        raise RobustnessError("top k per yuan needs settings that move one lever from the reference (setting 0)")
    y, c = _matrix(runs, outcome), _matrix(runs, cost)
    sign = 1.0 if goal == "max" else -1.0
    cols = sorted(runs.single)
    dy = sign * (y[cols].to_numpy() - y[[0]].to_numpy())
    dc = c[cols].to_numpy() - c[[0]].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(dc > 0, dy / dc, np.nan)
    return pd.DataFrame(per, index=y.index, columns=cols)


def top_k(runs: CrossedRuns, outcome: str, cost: str, k: int, goal: str = "max") -> pd.DataFrame:
    """Per single-lever setting: P(among the top ``k`` per yuan), median effect per yuan and its 10-90 % range."""
    per = per_yuan_table(runs, outcome, cost, goal)
    if not 1 <= k <= per.shape[1]:
        raise RobustnessError(f"--top-k: expected a whole number from 1 to {per.shape[1]} (the single-lever settings)")
    ranks = per.rank(axis=1, ascending=False, method="first", na_option="bottom")
    out = pd.DataFrame(
        {
            "setting": per.columns,
            "lever": [runs.single[s] for s in per.columns],
            "p_top_k": (ranks <= k).mean().to_numpy(),
            "mean_rank": ranks.mean().to_numpy(),
            "median_per_million_yuan": per.median().to_numpy() * 1e6,
            "p10_per_million_yuan": per.quantile(0.1).to_numpy() * 1e6,
            "p90_per_million_yuan": per.quantile(0.9).to_numpy() * 1e6,
            "draws_without_cost": per.isna().sum().to_numpy(),
        }
    )
    out.insert(3, "k", k)
    return out.sort_values(["p_top_k", "mean_rank"], ascending=[False, True], kind="stable").reset_index(drop=True)


def target_table(runs: CrossedRuns, targets: Sequence[Target]) -> pd.DataFrame:
    """Per setting and target: the share of draws meeting it."""
    rows = []
    for t in targets:
        _check_metric(runs, t.metric, f"--target {t.text}")
        y = _matrix(runs, t.metric)
        met = pd.DataFrame(t.met(y.to_numpy()), index=y.index, columns=y.columns)
        for s in y.columns:
            rows.append(
                {
                    "target": t.text,
                    "setting": s,
                    "label": runs.labels[s],
                    "share_met": float(met[s].mean()),
                    "draws": len(met),
                }
            )
    return pd.DataFrame(rows, columns=list(TARGET_COLUMNS))


def require_prim() -> Any:
    """EMA Workbench's PRIM module.

    Raises:
        MissingExtraError: the ``robustness`` extra is not installed (the message says how).
    """
    import logging
    import warnings

    try:
        with warnings.catch_warnings():  # "ipyparallel not installed": a distributed evaluator PRIM does not use
            warnings.filterwarnings("ignore", message="ipyparallel", category=UserWarning)
            from ema_workbench.analysis import prim
    except ImportError:
        raise MissingExtraError(
            f"scenario discovery needs EMA Workbench, an optional extra: install it with {INSTALL_HINT}"
        ) from None
    logging.getLogger("EMA").setLevel(logging.WARNING)
    return prim


def _restricted(box: Any, i: int, columns: list[str]) -> list[str]:
    init = box.box_lims[0]
    lims = box.box_lims[i]
    return [c for c in columns if lims[c].iloc[0] > init[c].iloc[0] or lims[c].iloc[1] < init[c].iloc[1]]


def _simplify(box: Any, i: int, columns: list[str]) -> int:
    """Drop restrictions of box ``i`` that do not raise its density (EMA Workbench's ``drop_restriction``).

    Restrictions are tried from the least significant (largest quasi-p) on; a restriction whose
    removal leaves the density as high keeps out only cases of interest or nothing, so the box
    without it is as dense, covers at least as much and is simpler. Returns the kept box's index.
    """
    traj = box.peeling_trajectory
    p_values = box.p_values[i] if i < len(box.p_values) else {}

    def significance(col: str) -> float:
        sides = [v for v in p_values.get(col, []) if v is not None and v >= 0]
        return max(sides) if sides else 1.0

    for col in sorted(_restricted(box, i, columns), key=significance, reverse=True):
        density = float(traj["density"].iloc[i])
        box.drop_restriction(col, i)
        traj = box.peeling_trajectory
        j = len(traj) - 1
        if float(traj["density"].iloc[j]) >= density:
            i = j
    return i


def prim_box(x: pd.DataFrame, y: np.ndarray, min_coverage: float = MIN_COVERAGE) -> dict[str, Any]:
    """One PRIM box of the cases where ``y`` is true, by EMA Workbench.

    Of the boxes on PRIM's peeling trajectory that cover at least ``min_coverage`` of the cases,
    the one with the highest density is kept (ties: the fewest restricted inputs, then the larger
    coverage); then restrictions whose removal keeps its density are dropped (:func:`_simplify`).

    Args:
        x: the conditions (numeric columns), one row per case.
        y: booleans, the cases of interest.
        min_coverage: least coverage of the kept box.

    Returns:
        ``coverage``, ``density``, ``mass``, ``n``, ``cases`` and ``limits``: a table of each
        restricted input's ``low`` and ``high`` with the data's ``min`` and ``max`` and the
        restriction's ``quasi_p``.

    Raises:
        MissingExtraError: EMA Workbench is not installed.
    """
    prim = require_prim()
    yb = np.asarray(y, dtype=bool)
    xf = x.reset_index(drop=True).astype(np.float64)
    import warnings

    with warnings.catch_warnings():  # EMA Workbench 3.0 uses pandas' deprecated inplace keyword
        warnings.filterwarnings("ignore", module="ema_workbench")
        warnings.filterwarnings("ignore", message=".*inplace keyword.*")
        p = prim.Prim(xf, yb.astype(np.int64), peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
        box = p.find_box()
        traj = box.peeling_trajectory.reset_index(drop=True)
        ok = traj[traj["coverage"] >= min_coverage]
        order = ok.sort_values(["density", "res_dim", "coverage"], ascending=[False, True, False], kind="stable")
        i = _simplify(box, int(order.index[0]), list(xf.columns))
    traj = box.peeling_trajectory.reset_index(drop=True)
    lims = box.box_lims[i]
    qp = box.p_values[i] if i < len(box.p_values) else {}
    rows = []
    for col in xf.columns:
        lo, hi = float(lims[col].iloc[0]), float(lims[col].iloc[1])
        dmin, dmax = float(xf[col].min()), float(xf[col].max())
        if lo > dmin or hi < dmax:
            sides = [float(v) for v in qp.get(col, []) if v is not None and v >= 0]
            rows.append(
                {
                    "input": col,
                    "low": lo,
                    "high": hi,
                    "min": dmin,
                    "max": dmax,
                    "quasi_p": max(sides) if sides else np.nan,
                }
            )
    t = traj.iloc[i]
    return {
        "coverage": float(t["coverage"]),
        "density": float(t["density"]),
        "mass": float(t["mass"]),
        "n": int(t["n"]),
        "cases": int(yb.sum()),
        "limits": pd.DataFrame(rows, columns=["input", "low", "high", "min", "max", "quasi_p"]),
    }


def discover(
    runs: CrossedRuns, targets: Sequence[Target], min_misses: int = 5, inputs: Sequence[str] | None = None
) -> pd.DataFrame:
    """PRIM boxes of the uncertainties under which each setting misses each target.

    Settings that miss on fewer than ``min_misses`` draws or on every draw get no box.
    One row per restricted input (``coverage``, ``density``, ``mass`` repeated on each).

    Args:
        runs: the crossed runs.
        targets: the targets.
        min_misses: fewest misses a setting needs for a box.
        inputs: the uncertainties PRIM may restrict (default: all).

    Raises:
        RobustnessError: an input that is not an uncertainty of the sweep.
    """
    require_prim()
    inputs = list(inputs or runs.uncertainties)
    unknown = [n for n in inputs if n not in runs.uncertainties]
    if unknown:
        raise RobustnessError(
            f"--discover-inputs: {unknown[0]!r} is not an uncertainty of this sweep; "
            f"expected some of {', '.join(runs.uncertainties)}"
        )
    rows: list[dict[str, Any]] = []
    for t in targets:
        _check_metric(runs, t.metric, f"--target {t.text}")
        for s in range(len(runs.labels)):
            sub = runs.table[runs.table["setting"] == s].sort_values("draw")
            miss = ~t.met(sub[t.metric])
            if miss.sum() < min_misses or miss.all():
                continue
            box = prim_box(sub[inputs], miss)
            head = {
                "target": t.text,
                "setting": s,
                "label": runs.labels[s],
                "misses": box["cases"],
                "draws": len(sub),
                "coverage": box["coverage"],
                "density": box["density"],
                "mass": box["mass"],
            }
            lim = box["limits"]
            if lim.empty:
                rows.append({**head, "input": ""})
            for rec in lim.to_dict("records"):
                rows.append({**head, **rec})
    return pd.DataFrame(rows, columns=list(BOX_COLUMNS))


@dataclass
class Robustness:
    """The tables of one robustness analysis (see the module's docstring for the definitions)."""

    folder: str
    outcome: str
    goal: str
    cost: str
    k: int
    region: str
    date: str
    draws: int
    settings: int
    regret: pd.DataFrame
    top_k: pd.DataFrame | None
    targets: pd.DataFrame
    boxes: pd.DataFrame
    target_texts: list[str]

    def save(self, out: str | Path) -> Path:
        """Write ``regret.csv``, ``top_k.csv``, ``targets.csv``, ``prim_boxes.csv`` and ``robustness.json``."""
        from talentsim.sweep.store import atomic_write_bytes

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        tables = {"regret": self.regret, "targets": self.targets, "prim_boxes": self.boxes}
        if self.top_k is not None:
            tables["top_k"] = self.top_k
        for name, df in tables.items():
            atomic_write_bytes(out / f"{name}.csv", df.to_csv(index=False).encode())
        meta = {
            "kind": "robustness",
            "sweep": self.folder,
            "outcome": self.outcome,
            "goal": self.goal,
            "cost": self.cost,
            "k": self.k,
            "region": self.region,
            "date": self.date,
            "draws": self.draws,
            "settings": self.settings,
            "targets": self.target_texts,
        }
        atomic_write_bytes(out / "robustness.json", json.dumps(meta, indent=2).encode())
        return out


def analyse_robustness(
    folder: str | Path,
    targets: Sequence[Target] = (),
    *,
    outcome: str | None = None,
    goal: str | None = None,
    cost: str = "cum_policy_cost",
    k: int = 3,
    region: str = "all",
    date: str | None = None,
    discover_inputs: Sequence[str] | None = None,
) -> Robustness:
    """Every table of the robustness analysis of a crossed sweep folder.

    Args:
        folder: the sweep folder.
        targets: targets to meet (scenario discovery needs EMA Workbench when any is given).
        outcome: the metric regret and per-yuan effects are measured on (default: the sweep's first metric).
        goal: ``max`` or ``min`` (default: :func:`default_goal`).
        cost: the cost metric of the per-yuan ranking (skipped when the sweep does not store it).
        k: top ``k``.
        region: region of the outcomes.
        date: month of the outcomes (default: the last stored).
        discover_inputs: the uncertainties scenario discovery may restrict (default: all).

    Raises:
        RobustnessError: bad folder, outcome, target or option; MissingExtraError for a missing extra.
    """
    if targets:
        require_prim()  # before any work: a missing extra is bad input
    runs = load_crossed(folder, region, date)
    outcome = outcome or runs.metrics[0]
    _check_metric(runs, outcome, "--outcome")
    if goal is None:
        goal = default_goal(outcome)
    if goal not in ("max", "min"):
        raise RobustnessError(f"--goal: expected max or min, got {goal!r}")
    for t in targets:
        _check_metric(runs, t.metric, f"--target {t.text}")
    regret = regret_summary(runs, outcome, goal)
    top = top_k(runs, outcome, cost, k, goal) if cost in runs.metrics and runs.single else None
    return Robustness(
        folder=str(folder),
        outcome=outcome,
        goal=goal,
        cost=cost,
        k=k,
        region=runs.region,
        date=runs.date,
        draws=runs.n_draws,
        settings=len(runs.labels),
        regret=regret,
        top_k=top,
        targets=target_table(runs, targets),
        boxes=discover(runs, targets, inputs=discover_inputs) if targets else pd.DataFrame(columns=list(BOX_COLUMNS)),
        target_texts=[t.text for t in targets],
    )
