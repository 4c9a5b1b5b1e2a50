"""Throughput and memory benchmark of talentsim, with a plain-Mesa anchor timed in the same run.

Usage::

    python benchmarks/run.py --persons 100000 1000000 --steps 36 --json [--seed 1] [--mesa-cap 200000]

Each size runs in a fresh single-threaded subprocess (this script re-invoked with the hidden
``--one N`` flag) so that its peak RSS is its own. See ``benchmarks/README.md`` for the fields.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import subprocess
import sys
import time
from importlib import metadata
from typing import Any

BASE_SCALE = 2000.0
"""Real people per person-agent of the baseline scenario (about 406,000 persons)."""

MESA_BUDGET_S = 20.0
"""Wall-clock budget of the Mesa anchor; its step count is cut to stay within it."""

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

# ---------------------------------------------------------------------------- helpers


def _single_thread_env() -> dict[str, str]:
    env = dict(os.environ)
    for var in THREAD_VARS:
        env[var] = "1"
    return env


def _current_rss() -> int:
    """Resident set size now, in bytes (falls back to the peak where /proc is missing)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return _peak_rss()


def _peak_rss() -> int:
    """Peak resident set size of this process so far, in bytes (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    """Where the numbers were measured."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "numpy": _version("numpy"),
        "mesa": _version("mesa"),
        "talentsim": _version("talentsim"),
        "cpu_count": os.cpu_count(),
        "cpus_usable": usable,
        "cpu_model": _cpu_model(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "threads": "1 (" + ", ".join(f"{v}=1" for v in THREAD_VARS) + ")",
    }


def _run_self(args: list[str]) -> dict[str, Any]:
    """Run this script in a fresh single-threaded process and return the JSON it prints last."""
    cmd = [sys.executable, os.path.abspath(__file__), *args]
    proc = subprocess.run(cmd, env=_single_thread_env(), capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"benchmark child failed ({proc.returncode}): {' '.join(cmd)}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if not lines:
        raise SystemExit(f"benchmark child printed nothing: {' '.join(cmd)}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------------------- child: calibration


def calibrate(seed: int) -> dict[str, Any]:
    """Build the baseline once at scale 2000 and report its person count."""
    import talentsim

    model = talentsim.TalentModel(rng=seed)
    return {"scale": model.scale, "persons": int(model.pop.n)}


# ---------------------------------------------------------------------------- child: one size


class _Timers:
    """Wraps the monthly step's parts with timers; ``restore`` undoes every wrap."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[Any] = []

    def _wrap(self, name: str, fn: Any) -> Any:
        self.seconds.setdefault(name, 0.0)
        clock = time.perf_counter
        acc = self.seconds

        def timed(*a: Any, **kw: Any) -> Any:
            t0 = clock()
            try:
                return fn(*a, **kw)
            finally:
                acc[name] += clock() - t0

        return timed

    def wrap_module(self, name: str, module: Any) -> None:
        original = module.step
        module.step = self._wrap(name, original)
        self._undo.append(lambda: setattr(module, "step", original))

    def wrap_instance(self, name: str, obj: Any, attr: str) -> None:
        had_own = attr in vars(obj)
        original_own = vars(obj).get(attr)
        setattr(obj, attr, self._wrap(name, getattr(obj, attr)))

        def undo() -> None:
            if had_own:
                setattr(obj, attr, original_own)
            else:
                delattr(obj, attr)

        self._undo.append(undo)

    def restore(self) -> None:
        while self._undo:
            self._undo.pop()()


def mesa_anchor(n_agents: int, steps: int, seed: int, budget_s: float = MESA_BUDGET_S) -> dict[str, Any]:
    """Plain Mesa: ``n_agents`` agents each adding 1 to a counter, activated by ``shuffle_do``.

    Steps stop early when the next one would overrun ``budget_s``.
    """
    import mesa

    class Walker(mesa.Agent):
        def __init__(self, model: mesa.Model) -> None:
            super().__init__(model)
            self.wealth = 0

        def step(self) -> None:
            self.wealth += 1

    class Anchor(mesa.Model):
        def __init__(self, n: int, rng: int) -> None:
            super().__init__(rng=rng)
            Walker.create_agents(self, n)

        def step(self) -> None:
            self.agents.shuffle_do("step")

    t0 = time.perf_counter()
    model = Anchor(n_agents, seed)
    init_s = time.perf_counter() - t0
    gc.collect()
    done = 0
    elapsed = 0.0
    last = 0.0
    while done < steps and (done == 0 or elapsed + last <= budget_s):
        t0 = time.perf_counter()
        model.step()
        last = time.perf_counter() - t0
        elapsed += last
        done += 1
    return {
        "mesa_agents": n_agents,
        "mesa_steps": done,
        "mesa_seconds": elapsed,
        "mesa_init_seconds": init_s,
        "mesa_agent_steps_per_s": n_agents * done / elapsed,
    }


def run_one(target: int, steps: int, seed: int, scale: float, mesa_cap: int) -> dict[str, Any]:
    """Build, time and measure one size in this process (meant to be a fresh process)."""
    import mesa  # noqa: F401  (imported before the RSS baseline so its memory is not counted)
    import numpy  # noqa: F401

    import talentsim
    from talentsim import processes
    from talentsim.scenario import default_scenario
    from talentsim.schema import month_index, month_string

    gc.collect()
    rss_imports = _current_rss()

    overrides: dict[str, Any] = {"scale": scale}
    horizon = default_scenario().horizon
    if steps > horizon.months:
        overrides["horizon__end"] = month_string(month_index(horizon.start) + steps - 1)

    t0 = time.perf_counter()
    model = talentsim.TalentModel(rng=seed, **overrides)
    init_s = time.perf_counter() - t0
    persons = int(model.pop.n)
    pop_bytes = int(model.pop.nbytes)
    rss_built = _current_rss()

    timers = _Timers()
    timers.wrap_module("calendar", processes.calendar)
    for name in processes.ORDER:
        timers.wrap_module(name, getattr(processes, name))
    timers.wrap_instance("metrics", model.metrics, "record")
    timers.wrap_instance("datacollector", model.datacollector, "collect")
    gc.collect()
    try:
        t0 = time.perf_counter()
        for _ in range(steps):
            model.step()
        seconds = time.perf_counter() - t0
    finally:
        timers.restore()
    peak = _peak_rss()
    persons_end = int(model.pop.n)

    per_process = dict(timers.seconds)
    per_process["other"] = max(seconds - sum(per_process.values()), 0.0)
    per_process = {k: round(v, 4) for k, v in per_process.items()}

    del model
    gc.collect()

    mesa_agents = min(persons, mesa_cap)
    anchor = mesa_anchor(mesa_agents, steps, seed)
    rate = persons * steps / seconds

    return {
        "target_persons": target,
        "scale": scale,
        "persons": persons,
        "persons_end": persons_end,
        "steps": steps,
        "seconds": seconds,
        "init_seconds": init_s,
        "person_steps_per_s": rate,
        "peak_rss_bytes": peak,
        "rss_after_imports_bytes": rss_imports,
        "rss_after_build_bytes": rss_built,
        "bytes_per_person": (peak - rss_imports) / persons,
        "population_bytes": pop_bytes,
        "population_bytes_per_person": pop_bytes / persons,
        "per_process_seconds": per_process,
        **anchor,
        "mesa_capped": anchor["mesa_agents"] < persons or anchor["mesa_steps"] < steps,
        "speedup_vs_mesa": rate / anchor["mesa_agent_steps_per_s"],
    }


# ---------------------------------------------------------------------------- parent


def _fmt_table(results: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    out = [
        f"python {machine['python']}, numpy {machine['numpy']}, mesa {machine['mesa']}, "
        f"{machine['cpu_model']} ({machine['cpu_count']} cpus, run single-threaded), {machine['platform']}",
        "",
    ]
    head = (
        f"{'persons':>10} {'steps':>5} {'init s':>7} {'run s':>7} {'M p-steps/s':>11} {'peak RSS MB':>11} "
        f"{'B/person':>9} {'pop B/p':>8} {'mesa M a-steps/s':>16} {'mesa agents x steps':>20} {'speedup':>8}"
    )
    out += [head, "-" * len(head)]
    for r in results:
        mesa_used = f"{r['mesa_agents']} x {r['mesa_steps']}" + (" *" if r["mesa_capped"] else "")
        out.append(
            f"{r['persons']:>10} {r['steps']:>5} {r['init_seconds']:>7.2f} {r['seconds']:>7.2f} "
            f"{r['person_steps_per_s'] / 1e6:>11.2f} {r['peak_rss_bytes'] / 2**20:>11.1f} "
            f"{r['bytes_per_person']:>9.0f} {r['population_bytes_per_person']:>8.0f} "
            f"{r['mesa_agent_steps_per_s'] / 1e6:>16.3f} {mesa_used:>20} {r['speedup_vs_mesa']:>7.1f}x"
        )
    if any(r["mesa_capped"] for r in results):
        out.append("* Mesa anchor capped (agents and/or steps); its rate is per agent-step, so still comparable.")
    for r in results:
        out.append("")
        out.append(f"per-process seconds at {r['persons']} persons ({r['steps']} steps, {r['seconds']:.2f} s):")
        for name, s in sorted(r["per_process_seconds"].items(), key=lambda kv: -kv[1]):
            out.append(f"  {name:<18} {s:>8.3f}  {100 * s / r['seconds']:5.1f}%")
    return "\n".join(out)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--persons", type=int, nargs="+", default=[100_000], help="approximate person-agent counts")
    p.add_argument("--steps", type=int, default=36, help="monthly steps to time (default 36)")
    p.add_argument("--seed", type=int, default=1, help="model seed (default 1)")
    p.add_argument("--mesa-cap", type=int, default=200_000, help="most agents in the Mesa anchor (default 200000)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    p.add_argument("--scale", type=float, help=argparse.SUPPRESS)
    p.add_argument("--calibrate", action="store_true", help=argparse.SUPPRESS)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    args = _parser().parse_args(argv)
    if args.steps < 1:
        raise SystemExit("--steps must be at least 1")
    if args.calibrate:
        print(json.dumps(calibrate(args.seed)))
        return 0
    if args.one is not None:
        scale = args.scale
        if scale is None:
            base = _run_self(["--calibrate", "--seed", str(args.seed)])
            scale = base["scale"] * base["persons"] / args.one
        print(json.dumps(run_one(args.one, args.steps, args.seed, scale, args.mesa_cap)))
        return 0

    base = _run_self(["--calibrate", "--seed", str(args.seed)])
    results = []
    for n in args.persons:
        if n < 1:
            raise SystemExit("--persons must be positive")
        scale = base["scale"] * base["persons"] / n
        child = [
            "--one", str(n), "--scale", repr(scale), "--steps", str(args.steps),
            "--seed", str(args.seed), "--mesa-cap", str(args.mesa_cap),
        ]  # fmt: skip
        if not args.json:
            print(f"running {n} persons x {args.steps} steps (scale {scale:.1f}) ...", file=sys.stderr, flush=True)
        results.append(_run_self(child))

    machine = machine_info()
    if args.json:
        doc: dict[str, Any] = {"machine": machine, "baseline": {"scale": base["scale"], "persons": base["persons"]}}
        if len(results) == 1:
            doc.update(results[0])
        doc["results"] = results
        print(json.dumps(doc, indent=2))
    else:
        print(_fmt_table(results, machine))
    return 0


if __name__ == "__main__":
    sys.exit(main())
