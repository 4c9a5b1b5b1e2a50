"""The ``talentsim sweep`` and ``talentsim sensitivity`` subcommands (added to :mod:`talentsim.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from talentsim.cli_args import EXIT_INTERRUPTED, whole_number


def add_subcommands(sub: Any) -> None:
    """Add ``sweep`` and ``sensitivity`` to the ``talentsim`` subparsers."""
    s = sub.add_parser(
        "sweep",
        help="run a parameter sweep (grid, lhs, sobol or morris) and store every run",
        description="Run every run of SWEEP's design and store each finished run in DIR/runs as it finishes. "
        "Runs go to local processes (--workers), a Dask LocalCluster (--dask-local) or a running Dask "
        "scheduler (--scheduler); the numbers do not depend on which. See docs/sweeps.md.",
    )
    s.add_argument("sweep", type=Path, help="sweep TOML file")
    s.add_argument("--out", type=Path, help="sweep folder (default results/<sweep name>)")
    s.add_argument("--workers", type=whole_number(1), help="local processes (default 1: in this process)")
    where = s.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="send runs to this Dask scheduler (tcp://host:8786)")
    where.add_argument("--dask-local", type=whole_number(1), metavar="N", help="start a Dask LocalCluster of N workers")
    s.add_argument("--resume", action="store_true", help="finish the sweep in --out: run only what is missing")
    s.add_argument("--retry-failed", action="store_true", help="with --resume, also run failed runs again")
    s.add_argument("--dry-run", action="store_true", help="check the sweep file and print its size; run nothing")
    s.add_argument("--quiet", action="store_true", help="no progress bar")

    a = sub.add_parser(
        "sensitivity",
        help="sensitivity indices of a stored sweep's outcome (SALib): Sobol, Morris, or RBD-FAST and PAWN",
        description="Compute sensitivity indices of one outcome of the sweep in DIR, by the method its design "
        "was made for: Sobol indices (first order and total) of a sobol design, Morris mu* and sigma of a "
        "morris design, RBD-FAST first-order indices and PAWN indices (SALib's given-data methods) of an lhs "
        "design; write DIR/sensitivity_<metric>.csv and .png. Sobol results that fail SALib's sanity checks "
        "are flagged.",
    )
    a.add_argument("dir", type=Path, help="sweep folder")
    a.add_argument("--outcome", metavar="METRIC", help="metric to analyse (default: the sweep's first)")
    a.add_argument("--date", metavar="YYYY-MM", help="month of the outcome (default: the last stored)")
    a.add_argument("--region", help="region of the outcome (default: all, the national value)")


def _sweep(args: argparse.Namespace) -> int:
    from talentsim.safe_paths import check_output_folder
    from talentsim.sweep.execute import WorkerLost, run_sweep
    from talentsim.sweep.spec import SweepError, load_sweep

    sweep = load_sweep(args.sweep)
    out = check_output_folder(args.out or Path("results") / sweep.name, replaced=False)
    d = sweep.design
    size = f"{d.n_points} point(s) x {d.replicates} replicate(s) = {d.n_runs} runs ({d.method})"
    if args.dry_run:
        kinds = ", ".join(f"{i.name} ({i.kind})" for i in d.inputs)
        print(f"{args.sweep}: valid sweep {sweep.name!r}: {size}; inputs: {kinds}")
        return 0
    dask = args.scheduler is not None or args.dask_local is not None
    if dask and args.workers is not None:
        raise SweepError(args.sweep, [("", "--workers is for local processes; a Dask cluster sets its own workers")])
    if args.retry_failed and not args.resume:
        raise SweepError(args.sweep, [("", "--retry-failed goes with --resume")])
    try:
        result = run_sweep(
            sweep,
            out,
            workers=args.workers or 1,
            scheduler=args.scheduler,
            dask_local=args.dask_local,
            resume=args.resume,
            retry_failed=args.retry_failed,
            progress=False if args.quiet else None,
        )
    except KeyboardInterrupt:
        print(f"interrupted: finished runs are kept in {out}; finish with --resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    except WorkerLost as exc:
        print(f"error: {exc} (talentsim sweep {args.sweep} --out {out} --resume)", file=sys.stderr)
        return 1
    done = result.total - len(result.failures)
    rate = f", {result.runs_per_minute:.1f} runs/min" if result.ran else ""
    print(
        f"{sweep.name}: {size}; {result.finished_before} finished before, {result.ran} run now "
        f"({result.failed} failed), {result.wall_seconds:.1f} s{rate}"
    )
    print(f"{done} of {result.total} runs finished; results in {out}")
    if len(result.failures):
        print(
            f"{len(result.failures)} run(s) failed: see {out / 'failures'}; retry with --resume --retry-failed",
            file=sys.stderr,
        )
        return 1
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from talentsim.sweep.sensitivity import SensitivityError, analyse_folder
    from talentsim.sweep.spec import SweepError

    try:
        result = analyse_folder(args.dir, outcome=args.outcome, region=args.region, date=args.date)
    except SensitivityError as exc:
        raise SweepError(args.dir, [("", str(exc))]) from None
    cols = [c for c in result.table.columns if c not in ("outcome", "region", "date")]
    where = ", ".join(x for x in (result.region, result.date) if x)
    print(f"{result.title} indices of {result.outcome}{f' ({where})' if where else ''}:")
    print(result.table[cols].to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    for message in result.sanity:
        print(f"warning: {message}")
    print(f"written to {args.dir / (result.stem + '.csv')} and {args.dir / (result.stem + '.png')}")
    return 0


def run_subcommand(args: argparse.Namespace) -> int:
    """Run ``sweep`` or ``sensitivity``; errors of the inputs raise ScenarioError (exit 2 in the caller)."""
    if args.command == "sweep":
        return _sweep(args)
    return _sensitivity(args)
