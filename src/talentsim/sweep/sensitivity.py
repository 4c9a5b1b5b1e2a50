"""Sensitivity indices from a sweep, by SALib: Sobol, Morris, or given-data indices of a Latin hypercube.

Each design gets the method made for it: Saltelli's sample gives Sobol indices (first order and
total), Morris trajectories give elementary effects (mu*, sigma), and a Latin hypercube gets two of
SALib's *given-data* methods, which need no special sample:

- RBD-FAST (``SALib.analyze.rbd_fast``): first-order indices ``S1``, the share of the outcome's
  variance an input explains alone, with bootstrap intervals; comparable to Sobol's S1.
- PAWN (``SALib.analyze.pawn``): a moment-independent index, the median (and maximum) over slices
  of the input of the Kolmogorov-Smirnov distance between the outcome's distribution in the slice
  and overall; it sees inputs that move the spread or the tails, not only the mean.

The delta method was not chosen: SALib 1.6's implementation takes about 20 s for 40 points and
three inputs, prints notices, resets the global warning filters and numpy's global seed, and its
result keys changed between SALib 1.5 and 1.6. Grids are refused (plot them instead).

Replicates of a point are averaged before the analysis, so the indices describe the expected
outcome; run-to-run noise that replicates do not average away shows up as unexplained variance
(Sobol, RBD-FAST) or spread (Morris sigma).

Sobol estimates from a small design can be nonsense: a first-order index above the total one, a
negative first-order index beyond its interval, first-order indices adding up to more than 1.
Such results are listed in :attr:`Sensitivity.sanity` (and printed by the command) with the
advice to raise N.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from talentsim.sweep.design import Design

# Okabe-Ito: readable by colour-blind readers.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


# Fewest Latin-hypercube points the given-data methods accept (two PAWN slices of 5 points).
MIN_GIVEN_DATA_POINTS = 10
# How a design's method is named in printouts.
METHOD_TITLES = {"sobol": "Sobol", "morris": "Morris", "lhs": "RBD-FAST and PAWN"}


class SensitivityError(ValueError):
    """The sweep cannot give indices for this outcome (wrong design, missing runs, no variation)."""


@dataclass
class Sensitivity:
    """Sensitivity indices of one outcome.

    Attributes:
        method: the design's method: ``sobol``, ``morris`` or ``lhs`` (RBD-FAST and PAWN).
        outcome: the metric analysed.
        region: its region, if the outcomes have one.
        date: its month, if the outcomes have one.
        table: one row per input (Sobol: S1, S1_conf, ST, ST_conf; Morris: mu, mu_star,
            mu_star_conf, sigma; lhs: S1, S1_conf from RBD-FAST and pawn_median, pawn_max), with the
            outcome, region, date and the input's kind.
        points: design points analysed.
        replicates: runs averaged per point.
        conf_level: level of the bootstrap confidence intervals (half-widths in ``*_conf``).
        raw: SALib's result (with second-order indices if the design has them).
        stem: file name stem, ``sensitivity_<outcome>`` plus the region and month if they were chosen.
        sanity: one message per failed sanity check of the indices (see :func:`sanity_checks`);
            empty when they pass.
    """

    method: str
    outcome: str
    region: str | None
    date: str | None
    table: pd.DataFrame
    points: int
    replicates: int
    conf_level: float
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
    stem: str = "sensitivity"
    sanity: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The method as printed: ``Sobol``, ``Morris`` or ``RBD-FAST and PAWN``."""
        return METHOD_TITLES.get(self.method, self.method)

    def plot(self) -> Figure:
        """A horizontal bar chart of the indices with their confidence intervals."""
        import matplotlib.pyplot as plt

        t = self.table.iloc[::-1]
        labels = [f"{n}\n({k})" for n, k in zip(t["input"], t["kind"], strict=True)]
        y = np.arange(len(t))
        h = 0.38
        fig, ax = plt.subplots(figsize=(7.5, 1.0 + 0.6 * len(t)), layout="constrained")
        if self.method == "sobol":
            bars = (("S1", "S1_conf", "first order (S1)"), ("ST", "ST_conf", "total (ST)"))
            xlabel = f"Sobol index: share of the variance of {self.outcome}"
        elif self.method == "lhs":
            bars = (("S1", "S1_conf", "first order (S1, RBD-FAST)"), ("pawn_median", None, "PAWN (median KS)"))
            xlabel = f"index of {self.outcome}: S1 share of variance; PAWN distance of distributions (0-1)"
        else:
            bars = (("mu_star", "mu_star_conf", "μ* (mean |effect|)"), ("sigma", None, "σ (spread of effects)"))
            xlabel = f"elementary effect on {self.outcome} (change across the input's whole range)"
        for j, (col, conf, label) in enumerate(bars):
            err = t[conf].to_numpy() if conf else None
            ax.barh(y + (0.5 - j) * h, t[col], height=h, xerr=err, color=OKABE_ITO[j], label=label, capsize=3)
        ax.axvline(0.0, color="#555555", linewidth=0.8)
        ax.set_yticks(y, labels)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("input (kind)")
        where = ", ".join(x for x in (self.region, self.date) if x)
        ax.set_title(
            f"{self.outcome}{f' ({where})' if where else ''}: {self.title}, "
            f"{self.points} points × {self.replicates} replicate(s), {self.conf_level:.0%} intervals",
            fontsize=10,
        )
        fig.legend(loc="outside lower center", ncols=2, fontsize=9, frameon=False)
        return fig

    def save(self, out: str | Path) -> tuple[Path, Path]:
        """Write ``<stem>.csv`` and ``<stem>.png`` into ``out``, each atomically; return their paths."""
        import io

        import matplotlib.pyplot as plt

        from talentsim.sweep.store import atomic_write_bytes

        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        csv, png = out / f"{self.stem}.csv", out / f"{self.stem}.png"
        atomic_write_bytes(csv, self.table.to_csv(index=False).encode())
        fig = self.plot()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=120)
        plt.close(fig)
        atomic_write_bytes(png, buf.getvalue())
        return csv, png


def _pick(values: pd.Series, wanted: str | None, what: str, default: str | None) -> str:
    present = list(dict.fromkeys(values.astype(str)))
    if wanted is not None:
        if wanted not in present:
            raise SensitivityError(f"no outcome for {what} {wanted!r}; the sweep has {', '.join(present)}")
        return wanted
    if default is not None and default in present:
        return default
    return present[-1] if what == "date" else present[0]


def sanity_checks(table: pd.DataFrame, method: str) -> list[str]:
    """Messages for indices that fail SALib's sanity checks; empty if they pass.

    Sobol: a first-order index above the total one beyond the total's confidence interval
    (S1 > ST + ST_conf; an input without interactions has S1 = ST, so estimates of the two differ
    by chance in their last digits), a first-order index negative beyond its confidence interval
    (S1 + S1_conf < 0), first-order indices adding up to more than 1.
    RBD-FAST (lhs): the last two. These happen when the design is too small for the outcome's
    noise; the cure is more points (N), and more replicates if the outcome is noisy.
    """
    if method not in ("sobol", "lhs") or "S1" not in table.columns:
        return []
    problems = []
    s1 = table["S1"].to_numpy(dtype=np.float64)
    names = list(table["input"])
    if method == "sobol":
        st = table["ST"].to_numpy(dtype=np.float64)
        st_conf = table["ST_conf"].to_numpy(dtype=np.float64)
        for name, a, b, c in zip(names, s1, st, st_conf, strict=True):
            if a > b + c:
                problems.append(
                    f"{name}: first-order index S1 = {a:.3g} above its total index ST = {b:.3g} (± {c:.3g})"
                )
    conf = table["S1_conf"].to_numpy(dtype=np.float64)
    for name, a, c in zip(names, s1, conf, strict=True):
        if a + c < 0:
            problems.append(f"{name}: S1 = {a:.3g} is negative beyond its interval (± {c:.3g})")
    total = float(np.nansum(s1))
    if total > 1:
        problems.append(f"first-order indices add up to {total:.3g}, more than 1")
    if problems:
        size = "N (points)" if method == "sobol" else "the number of points"
        problems.append(
            f"these indices are not reliable: raise {size}, and the replicates if the outcome is noisy, "
            "until the checks pass"
        )
    return problems


def _given_data(salib: dict[str, Any], samples: np.ndarray, y: np.ndarray, *, conf_level: float, seed: int) -> dict:
    """RBD-FAST first-order indices and PAWN indices of an LHS design's outcomes."""
    from SALib.analyze import pawn, rbd_fast

    n = len(y)
    if n < MIN_GIVEN_DATA_POINTS:
        raise SensitivityError(
            f"RBD-FAST and PAWN indices need at least {MIN_GIVEN_DATA_POINTS} points; this sweep has {n}: "
            "sweep again with more points"
        )
    harmonics = min(10, n // 10)  # SALib's default 10 harmonics bias the indices of small designs
    slices = min(10, n // 5)  # PAWN conditioning slices of at least 5 points each
    x = np.asarray(samples, dtype=np.float64)
    fast = rbd_fast.analyze(salib, x, y, M=harmonics, num_resamples=1000, conf_level=conf_level, seed=seed)
    ks = pawn.analyze(salib, x, y, S=slices, seed=seed)
    return {
        "S1": fast["S1"],
        "S1_conf": fast["S1_conf"],
        "pawn_median": ks["median"],
        "pawn_max": ks["maximum"],
        "harmonics": harmonics,
        "slices": slices,
    }


def analyse_problem(
    problem: Mapping[str, Any],
    samples: np.ndarray,
    design_table: pd.DataFrame,
    outcomes: pd.DataFrame,
    outcome: str | None = None,
    region: str | None = None,
    date: str | None = None,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
) -> Sensitivity:
    """Sobol, Morris or given-data (lhs) indices of one outcome, from a stored problem (see :func:`analyse`)."""
    from SALib.analyze import morris, sobol

    method = problem["method"]
    if method not in METHOD_TITLES:
        raise SensitivityError(
            f"sensitivity indices need a sobol, morris or lhs design; this sweep's design is {method} "
            "(draw its outcomes against the inputs with talentsim plot instead, or sweep again with method "
            "lhs, sobol or morris)"
        )
    if "metric" not in outcomes.columns or outcomes.empty:
        raise SensitivityError("no finished runs with outcomes")
    metric = _pick(outcomes["metric"], outcome, "outcome", None)
    sel = outcomes[outcomes["metric"].astype(str) == metric]
    reg = dt = None
    if "region" in sel.columns:
        reg = _pick(sel["region"], region, "region", "all")
        sel = sel[sel["region"].astype(str) == reg]
    elif region is not None:
        raise SensitivityError("the outcomes have no region column")
    if "date" in sel.columns:
        dt = _pick(sel["date"].sort_values(), date, "date", None)
        sel = sel[sel["date"].astype(str) == dt]
    elif date is not None:
        raise SensitivityError("the outcomes have no date column")
    if sel["run_id"].duplicated().any():
        raise SensitivityError(f"several values of {metric} per run; choose one with region or date")
    missing = sorted(set(design_table["run_id"]) - set(sel["run_id"]))
    if missing:
        raise SensitivityError(
            f"{len(missing)} of {len(design_table)} runs have no value of {metric} (first: run {missing[0]}); "
            "the indices need every run of the design: finish the sweep with --resume (and --retry-failed)"
        )
    per_point = sel.groupby("point")["value"].mean().reindex(range(len(samples)))
    y = per_point.to_numpy(dtype=np.float64)
    if not np.isfinite(y).all():
        raise SensitivityError(f"{metric} is not a finite number at every point")
    if np.ptp(y) == 0:
        raise SensitivityError(f"{metric} takes the same value at every point; it has no sensitivity to analyse")
    salib = {"num_vars": problem["num_vars"], "names": problem["names"], "bounds": problem["bounds"]}
    seed = int(problem.get("seed", 1))
    if method == "sobol":
        second = bool(problem.get("second_order", False))
        raw = sobol.analyze(
            salib, y, calc_second_order=second, num_resamples=num_resamples, conf_level=conf_level, seed=seed
        )
        cols = ("S1", "S1_conf", "ST", "ST_conf")
    elif method == "lhs":
        raw = _given_data(salib, samples, y, conf_level=conf_level, seed=seed)
        cols = ("S1", "S1_conf", "pawn_median", "pawn_max")
    else:
        raw = morris.analyze(
            salib,
            np.asarray(samples, dtype=np.float64),
            y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            num_levels=int(problem.get("levels", 4)),
            seed=seed,
        )
        cols = ("mu", "mu_star", "mu_star_conf", "sigma")
    table = pd.DataFrame(
        {
            "outcome": metric,
            "region": reg,
            "date": dt,
            "input": list(problem["names"]),
            "kind": list(problem.get("kinds", ["?"] * problem["num_vars"])),
            **{c: np.asarray(raw[c], dtype=np.float64) for c in cols},
        }
    )
    reps = int(sel.groupby("point").size().max())
    named = [metric, *(x for x in (region, date) if x is not None and x != "all")]
    stem = "sensitivity_" + re.sub(r"[^A-Za-z0-9_.-]+", "_", "_".join(named))
    raw_arrays = {k: np.asarray(v) for k, v in raw.items()}
    checks = sanity_checks(table, method)
    return Sensitivity(method, metric, reg, dt, table, len(samples), reps, conf_level, raw_arrays, stem, checks)


def analyse(
    design: Design,
    outcomes: pd.DataFrame,
    outcome: str | None = None,
    region: str | None = None,
    date: str | None = None,
    *,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
) -> Sensitivity:
    """Sobol, Morris or given-data (RBD-FAST and PAWN) indices of one outcome of a design's runs.

    Args:
        design: a ``sobol``, ``morris`` or ``lhs`` design (see the module docstring).
        outcomes: the runs' outcomes joined with the design (``SweepResult.outcomes`` or
            :func:`~talentsim.sweep.store.load_outcomes`).
        outcome: the metric (default: the first).
        region: its region (default ``all``), if the outcomes have regions.
        date: its month (default the last), if the outcomes have dates.
        num_resamples: bootstrap resamples for the confidence intervals.
        conf_level: their level.

    Raises:
        SensitivityError: the design is a grid, a run is missing, or the outcome is constant.
    """
    return analyse_problem(
        design.problem,
        design.samples,
        design.table,
        outcomes,
        outcome,
        region,
        date,
        num_resamples=num_resamples,
        conf_level=conf_level,
    )


def analyse_folder(
    out: str | Path,
    outcome: str | None = None,
    region: str | None = None,
    date: str | None = None,
    *,
    write: bool = True,
    num_resamples: int = 1000,
    conf_level: float = 0.95,
) -> Sensitivity:
    """Indices of one outcome of a stored sweep; with ``write``, also ``<stem>.csv`` and ``.png`` in ``out``."""
    from talentsim.sweep.store import Store, load_outcomes

    store = Store(out)
    if not store.exists:
        raise SensitivityError(f"{out} holds no sweep (no design.parquet)")
    try:
        problem, design, outcomes = store.problem(), store.design(), load_outcomes(out)
        samples = store.samples().drop(columns="point").to_numpy(dtype=np.float64)
        if not isinstance(problem, dict):
            raise ValueError("problem.json does not hold a table of fields")
    except (OSError, ValueError, KeyError, TypeError) as exc:  # ValueError: bad JSON, UTF-8 or Parquet
        raise SensitivityError(f"not a talentsim sweep folder: {type(exc).__name__}: {exc}") from None
    try:
        result = analyse_problem(
            problem,
            samples,
            design,
            outcomes,
            outcome,
            region,
            date,
            num_resamples=num_resamples,
            conf_level=conf_level,
        )
    except SensitivityError:
        raise
    except (KeyError, IndexError, TypeError, ValueError) as exc:  # tables that do not fit each other
        raise SensitivityError(f"not a talentsim sweep folder: {type(exc).__name__}: {exc}") from None
    if write:
        result.save(out)
    return result
