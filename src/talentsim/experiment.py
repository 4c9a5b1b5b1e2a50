"""Replicated runs of a scenario and their result (the model as a function of inputs)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from talentsim.limits import check_replicates, check_scenario
from talentsim.scenario import Scenario, resolve_scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from talentsim.sweep.design import Design

# Columns of a run's tidy table that hold labels (kept as pandas strings).
LABEL_COLUMNS: tuple[str, ...] = ("scenario", "region", "field", "level", "metric")
RUN_SECONDS = "run_seconds"  # per-run timing carried beside the outcomes, dropped from the tables


def replicate_seeds(seed: int, replicates: int) -> list[int]:
    """Seeds of the replicates: ``seed, seed + 1, ...``.

    Each process derives its own stream from (seed, process name), so neighbouring seeds give
    independent streams.
    """
    return [seed + i for i in range(replicates)]


def run_one(scenario: Scenario, seed: int, replicate: int = 0) -> pd.DataFrame:
    """Run one replicate to the horizon and return its tidy table.

    Columns: scenario, replicate, seed, date, region, field, level, metric, value.
    """
    from talentsim.model import TalentModel

    model = TalentModel(scenario, rng=seed).run()
    df = model.metrics.to_frame()
    df.insert(0, "seed", seed)
    df.insert(0, "replicate", replicate)
    df.insert(0, "scenario", scenario.name)
    return df


@dataclass(frozen=True)
class ScenarioRuns:
    """Scenarios as a model function of a design: ``model(seed=s, scenario=k)`` runs scenario ``k``.

    The design of :func:`run` and :func:`talentsim.compare.compare` is every scenario (an input
    ``scenario``, its position) on every replicate's seed; it goes through the sweep executor
    (:func:`talentsim.sweep.execute.run_design`) like any sweep. Picklable (scenarios are plain
    data), so it runs in local processes, any :class:`concurrent.futures.Executor` and on Dask.

    Attributes:
        scenarios: the scenarios, validated, overrides applied.
    """

    scenarios: tuple[Scenario, ...]

    def __call__(self, *, seed: int, scenario: int) -> pd.DataFrame:
        """Run one scenario on one seed; its tidy table with the run's seconds in ``run_seconds``."""
        start = time.perf_counter()
        df = run_one(self.scenarios[scenario], seed).drop(columns=["scenario", "replicate", "seed"])
        df[RUN_SECONDS] = time.perf_counter() - start
        return df

    def fingerprint(self) -> dict[str, Any]:
        """What makes two such models the same: the scenarios (their digests) and the version."""
        from talentsim import __version__

        return {"scenarios": [s.digest() for s in self.scenarios], "talentsim_version": __version__}


def scenario_design(n_scenarios: int, seed: int, replicates: int) -> Design:
    """The design of ``n_scenarios`` scenarios on seeds ``seed, ..., seed + replicates - 1``.

    Run ``k * replicates + i`` is scenario ``k`` on seed ``seed + i`` (replicate ``i``).
    """
    from talentsim.sweep.design import Input, make_design

    inp = Input(name="scenario", kind="uncertainty", values=list(range(n_scenarios)))
    return make_design([inp], "grid", replicates=replicates, seed=seed)


@dataclass
class Runs:
    """The tidy tables of a (scenario x seed) design, one per scenario, and what the runs took."""

    tables: list[pd.DataFrame]
    seconds: list[float]
    wall_seconds: float


def run_scenarios(
    specs: Sequence[Scenario],
    seed: int,
    replicates: int,
    *,
    workers: int = 1,
    executor: Executor | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    runs_dir: str | Path | None = None,
    resume: bool = False,
    progress: bool = False,
    name: str = "runs",
) -> Runs:
    """Run every scenario on every replicate's seed through the sweep executor.

    Args:
        specs: the scenarios (validated and checked against the limits by the caller).
        seed: the first replicate's seed.
        replicates: runs per scenario.
        workers: local processes (1: in this process), unless ``executor``, ``scheduler`` or
            ``dask_local`` says where runs go.
        executor: any :class:`concurrent.futures.Executor` to submit runs to (left running).
        scheduler: address of a Dask scheduler.
        dask_local: start a Dask LocalCluster of this many workers.
        runs_dir: a folder to store each finished run in as it finishes (a sweep folder), so
            an interrupted call can be resumed; None keeps runs in memory.
        resume: finish the runs stored in ``runs_dir``, running only those it lacks.
        progress: show a progress bar.
        name: label of the progress bar.

    Returns:
        One tidy table per scenario (columns scenario, replicate, seed, date, region, field,
        level, metric, value; replicates in order) and the seconds its runs took. The tables do
        not depend on where or in what order the runs were done.

    Raises:
        RunsFailed: a run raised; the others are kept in ``runs_dir`` (resume to retry).
        SweepError: ``runs_dir`` holds other runs, or holds these without ``resume``.
    """
    from talentsim.sweep.execute import run_design

    model = ScenarioRuns(tuple(specs))
    design = scenario_design(len(specs), seed, replicates)
    result = run_design(
        model,
        design,
        out=runs_dir,
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        dask_local=dask_local,
        resume=resume,
        retry_failed=True,
        progress=progress,
        name=name,
        meta={"name": name, "scenarios": [s.name for s in specs]},
    )
    if len(result.failures):
        first = result.failures.iloc[0]
        raise RunsFailed(
            f"{len(result.failures)} of {design.n_runs} run(s) failed; the first, scenario "
            f"{specs[int(first['inputs']['scenario'])].name!r} on seed {first['seed']}: "
            f"{first['error_type']}: {first['message']}",
            result.failures,
        )
    out = result.outcomes
    keep = ["date", "region", "field", "level", "metric", "value"]
    tables, seconds = [], []
    for k, spec in enumerate(specs):
        sel = out[out["scenario"] == k]
        df = sel[keep].reset_index(drop=True)
        df.insert(0, "seed", sel["seed"].to_numpy(dtype="int64"))
        df.insert(0, "replicate", sel["replicate"].to_numpy(dtype="int64"))
        df.insert(0, "scenario", spec.name)
        for col in LABEL_COLUMNS:
            df[col] = df[col].astype("string")
        tables.append(df)
        per_run = sel.groupby("run_id", sort=False)[RUN_SECONDS].first()
        seconds.append(float(per_run.sum()))
    return Runs(tables, seconds, result.wall_seconds)


class RunsFailed(RuntimeError):
    """Runs of a scenario raised an error; ``failures`` holds one record per failed run."""

    def __init__(self, message: str, failures: pd.DataFrame) -> None:
        super().__init__(message)
        self.failures = failures


@dataclass
class Result:
    """Outcomes of a replicated run.

    Attributes:
        scenario: the scenario as run.
        seeds: the seed of each replicate.
        timeseries: the tidy table of all replicates.
        wall_seconds: time taken.
    """

    scenario: Scenario
    seeds: list[int]
    timeseries: pd.DataFrame
    wall_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def national(self, metric: str) -> pd.DataFrame:
        """One national metric as a (date x replicate) table."""
        from talentsim.summary import national_series

        return national_series(self.timeseries, metric)

    def summary(self) -> pd.DataFrame:
        """Horizon-end median and 10-90 % band over replicates (see :mod:`talentsim.summary`)."""
        from talentsim.summary import summarise

        return summarise(self.timeseries)

    def plot(self, metrics: list[str] | None = None) -> Figure:
        """The default panel of main outcomes over time, with 10-90 % bands across replicates."""
        from talentsim.plotting import lever_windows, plot_panel

        windows = lever_windows({self.scenario.name: self.scenario.model_dump(mode="json")})
        return plot_panel(self.timeseries, metrics=metrics, windows=windows)

    def save(self, out: str | Path, overwrite: bool = True) -> Path:
        """Write the result folder (see :func:`talentsim.results.write_results`)."""
        from talentsim.results import write_results

        return write_results(self, Path(out), overwrite=overwrite)


def run(
    scenario: Scenario | str | Path | None = None,
    *,
    seed: int = 1,
    replicates: int = 1,
    workers: int = 1,
    progress: bool = False,
    executor: Executor | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    runs_dir: str | Path | None = None,
    resume: bool = False,
    **overrides: Any,
) -> Result:
    """Run a scenario ``replicates`` times on seeds ``seed, seed + 1, ...``.

    Runs go through the sweep executor (:func:`run_scenarios`), so the result is the same
    wherever they run: in this process, local processes, any Executor or a Dask cluster.

    Args:
        scenario: a Scenario, a path to a scenario file, or None for the baseline.
        seed: the first replicate's seed.
        replicates: how many replicates.
        workers: processes to run replicates in; the result does not depend on it.
        progress: show a progress bar.
        executor: a :class:`concurrent.futures.Executor` to run the replicates in
            (``ThreadPoolExecutor()``, ``ProcessPoolExecutor()``, a Dask client's executor...).
        scheduler: address of a Dask scheduler to send runs to.
        dask_local: start a Dask LocalCluster of this many workers.
        runs_dir: a folder to keep each finished run in, so an interrupted call can be resumed.
        resume: finish the runs kept in ``runs_dir``.
        **overrides: values to set, by path (:mod:`talentsim.overrides`): ``scale=500``,
            ``processes__migration__enabled=False``, ``policy__funding__coverage=0.5``.

    Returns:
        A :class:`Result`; chain ``.plot()`` or ``.save(dir)`` on it.

    Raises:
        ScenarioError: the scenario does not validate, or its person-agents, the replicates or the
            seeds exceed the limits of :mod:`talentsim.limits` (checked before anything runs).
        RunsFailed: a replicate raised an error.
    """
    spec = resolve_scenario(scenario, **overrides)
    if replicates < 1:
        raise ValueError(f"replicates: expected at least 1, got {replicates}")
    source = scenario if isinstance(scenario, str | Path) else f"scenario {spec.name!r}"
    check_scenario(spec, source)
    check_replicates(replicates, seed, source, spec)
    runs = run_scenarios(
        [spec],
        seed,
        replicates,
        workers=workers,
        executor=executor,
        scheduler=scheduler,
        dask_local=dask_local,
        runs_dir=runs_dir,
        resume=resume,
        progress=progress,
        name=spec.name,
    )
    return Result(spec, replicate_seeds(seed, replicates), runs.tables[0], runs.wall_seconds)
