"""Replicated runs of a scenario and their result (the model as a function of inputs)."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from tqdm.auto import tqdm

from talentsim.limits import check_replicates, check_scenario
from talentsim.scenario import Scenario, resolve_scenario

if TYPE_CHECKING:
    from matplotlib.figure import Figure


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


def _run_args(args: tuple[Scenario, int, int]) -> pd.DataFrame:
    return run_one(*args)


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
    **overrides: Any,
) -> Result:
    """Run a scenario ``replicates`` times on seeds ``seed, seed + 1, ...``.

    Args:
        scenario: a Scenario, a path to a scenario file, or None for the baseline.
        seed: the first replicate's seed.
        replicates: how many replicates.
        workers: processes to run replicates in; the result does not depend on it.
        progress: show a progress bar.
        **overrides: scenario fields to replace (``scale=500``,
            ``processes__migration__enabled=False``).

    Returns:
        A :class:`Result`; chain ``.plot()`` or ``.save(dir)`` on it.

    Raises:
        ScenarioError: the scenario does not validate, or its person-agents, the replicates or the
            seeds exceed the limits of :mod:`talentsim.limits` (checked before anything runs).
    """
    spec = resolve_scenario(scenario, **overrides)
    if replicates < 1:
        raise ValueError(f"replicates: expected at least 1, got {replicates}")
    source = scenario if isinstance(scenario, str | Path) else f"scenario {spec.name!r}"
    check_scenario(spec, source)
    check_replicates(replicates, seed, source, spec)
    seeds = replicate_seeds(seed, replicates)
    jobs = [(spec, s, i) for i, s in enumerate(seeds)]
    start = time.perf_counter()
    bar = tqdm(total=len(jobs), desc=f"{spec.name}", unit="run", disable=not progress)
    frames: list[pd.DataFrame] = []
    if workers > 1 and len(jobs) > 1:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
            for df in pool.map(_run_args, jobs):
                frames.append(df)
                bar.update()
    else:
        for job in jobs:
            frames.append(_run_args(job))
            bar.update()
    bar.close()
    table = pd.concat(frames, ignore_index=True)
    for col in ("scenario", "region", "field", "level", "metric"):
        table[col] = table[col].astype("string")
    return Result(spec, seeds, table, time.perf_counter() - start)
