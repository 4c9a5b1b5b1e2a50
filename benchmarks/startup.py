"""Start-up time of the talentsim command: ``talentsim --help`` and ``talentsim validate``.

Each command runs ``--repeat`` times in a fresh interpreter (as the console script does, through
``python -m talentsim.cli``); the script prints the median and the fastest wall time of each, the
median CPU time (user + system; on a machine shared with other jobs, wall time waits for a core
and CPU time is what an idle machine's wall time would be), and the heavy libraries each command
imported. Run from the repository's root:

    .venv/bin/python benchmarks/startup.py [--repeat 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = {
    "talentsim --help": ["--help"],
    "talentsim validate scenarios/baseline.toml": ["validate", str(REPO / "scenarios" / "baseline.toml")],
}
HEAVY = ("mesa", "dask", "distributed", "matplotlib", "pandas", "scipy", "SALib", "talentsim.model")
# Runs the command's main() and then reports which heavy modules it had imported.
PROBE = (
    "import sys, contextlib, io\n"
    "from talentsim.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try:\n"
    "        main(sys.argv[1:])\n"
    "    except SystemExit:\n"
    "        pass\n"
    f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_python(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of a fresh interpreter with ``argv``."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, *argv], check=True, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def time_command(argv: list[str], repeat: int) -> list[tuple[float, float]]:
    """Wall and CPU seconds of ``repeat`` runs of the command in fresh interpreters."""
    return [time_python(["-m", "talentsim.cli", *argv]) for _ in range(repeat)]


def heavy_imports(argv: list[str]) -> list[str]:
    """The heavy libraries a command has imported by the time it returns."""
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], check=True, capture_output=True, text=True)
    return [m for m in done.stdout.strip().split(",") if m]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (default 7)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    bare = min(time_python(["-c", "pass"])[0] for _ in range(args.repeat))  # the interpreter alone
    rows = []
    for label, argv in COMMANDS.items():
        runs = time_command(argv, args.repeat)
        times = [wall for wall, _ in runs]
        rows.append(
            {
                "command": label,
                "median_s": round(statistics.median(times), 3),
                "min_s": round(min(times), 3),
                "median_cpu_s": round(statistics.median(cpu for _, cpu in runs), 3),
                "heavy_imports": heavy_imports(argv),
            }
        )
    result = {"python_bare_min_s": round(bare, 3), "repeat": args.repeat, "commands": rows}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"bare python start-up: {bare:.3f} s (fastest of {args.repeat})")
    for row in rows:
        heavy = ", ".join(row["heavy_imports"]) or "none"
        print(
            f"{row['command']}: wall median {row['median_s']:.3f} s, fastest {row['min_s']:.3f} s; "
            f"CPU median {row['median_cpu_s']:.3f} s; heavy imports: {heavy}"
        )


if __name__ == "__main__":
    main()
