"""Sweep throughput: runs per minute of the baseline at its default scale, with wall and CPU time.

Usage::

    python benchmarks/sweep_throughput.py [--runs 200] [--workers 2] [--json]

Runs ``sweeps/benchmark_baseline.toml`` (the baseline at scale 2000, 36 months; a grid over
``processes.matching.alpha``, 2 replicates a point) with as many grid levels as ``--runs`` needs,
through :func:`talentsim.sweep.run_sweep` into a temporary sweep folder, exactly as
``talentsim sweep ... --workers N`` does. It prints:

- ``runs_per_minute``: runs / wall minutes, start-up of the workers included (the goal of issue 15:
  at least 250 on 2 cores at 1,000 runs);
- ``wall_seconds``; ``cpu_per_run``, the CPU time of a run measured in its worker (user + system
  of the model call: building the world, 36 months, cutting the outcomes) and ``parent_cpu_seconds``
  (loading, the design, storing each run): on a machine shared with other jobs the wall time
  includes waiting for a core, the CPU time does not; ``reaped_children_cpu_seconds`` is the CPU
  time of ended child processes (spawned workers, with their start-up; 0 for fork-server workers,
  which are the fork server's children);
- ``load_average`` at the start and the end, so a loaded machine shows.

It is a command, not a test. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "sweeps" / "benchmark_baseline.toml"


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


class TimedModel:
    """The sweep's model, with the CPU time of each run (in its worker) added as a column."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def __call__(self, /, *, seed: int = 1, **inputs: Any) -> Any:
        start = time.process_time()
        table = self.model(seed=seed, **inputs)
        return table.assign(run_cpu_seconds=time.process_time() - start)

    def fingerprint(self) -> dict[str, Any]:
        return self.model.fingerprint()


def measure(runs: int, workers: int) -> dict[str, Any]:
    """Run the benchmark sweep with about ``runs`` runs and return the measurements."""
    from talentsim.sweep.execute import run_design
    from talentsim.sweep.spec import Sweep

    load_start = os.getloadavg()
    t0, c0, k0 = time.perf_counter(), _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    data = tomllib.loads(SWEEP.read_text(encoding="utf-8"))
    replicates = data.get("replicates", 1)
    data["input"][0]["levels"] = max(2, math.ceil(runs / replicates))
    sweep = Sweep.from_dict(data, SWEEP, SWEEP.parent)
    with tempfile.TemporaryDirectory(prefix="talentsim-bench-") as tmp:
        # what run_sweep does, with each run's CPU time measured in its worker
        result = run_design(
            TimedModel(sweep.model), sweep.design, out=Path(tmp) / "sweep", workers=workers, progress=False
        )
    wall = time.perf_counter() - t0
    parent = _cpu(resource.RUSAGE_SELF) - c0
    # spawned workers are this process's children (counted once ended); fork-server workers are not
    children = _cpu(resource.RUSAGE_CHILDREN) - k0
    if len(result.failures):
        raise SystemExit(f"{len(result.failures)} run(s) failed: {result.failures.iloc[0]['message']}")
    n = result.ran
    in_runs = float(result.outcomes.groupby("run_id")["run_cpu_seconds"].first().sum())
    return {
        "runs": n,
        "workers": workers,
        "cpus": os.cpu_count(),
        "wall_seconds": round(wall, 2),
        "runs_per_minute": round(60.0 * n / wall, 1),
        "cpu_per_run": round(in_runs / n, 3),
        "cpu_in_runs_seconds": round(in_runs, 2),
        "parent_cpu_seconds": round(parent, 2),
        "reaped_children_cpu_seconds": round(children, 2),
        "load_average_start": [round(x, 2) for x in load_start],
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the benchmark and print its measurements."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=200, help="runs in the sweep (rounded up to whole grid points)")
    p.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)
    out = measure(args.runs, args.workers)
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print(
            f"{out['runs']} runs on {out['workers']} worker(s): {out['wall_seconds']} s wall, "
            f"{out['runs_per_minute']} runs/min; CPU {out['cpu_per_run']} s a run in the workers, "
            f"{out['parent_cpu_seconds']} s in the parent; load average {out['load_average_start'][0]} at the "
            f"start, {out['load_average_end'][0]} at the end ({out['cpus']} CPUs)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
