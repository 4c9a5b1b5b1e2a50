"""The ``talentsim`` command.

Start-up is kept short (``talentsim --help`` and ``validate`` in well under half a second): this
module imports only the standard library at import time, and each command imports what it needs
(Mesa, pandas, matplotlib, Dask, the model) when it runs. ``benchmarks/startup.py`` measures it.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from talentsim import __version__
from talentsim.cli_args import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, whole_number

_positive_int = whole_number(1)
_non_negative_int = whole_number(0)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a finite number above 0, got {value}")
    return value


def _fraction(text: str) -> float:
    value = _positive_float(text)
    if not value < 1:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1 (such as 0.95), got {value}")
    return value


def _assignment(text: str) -> tuple[str, Any]:
    """An argparse type: ``PATH=VALUE`` of ``--set``, the value read as a TOML literal."""
    from talentsim.overrides import parse_assignment

    try:
        return parse_assignment(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _set_option(p: argparse.ArgumentParser, what: str) -> None:
    """``--set PATH=VALUE``, repeatable (see :mod:`talentsim.overrides` for the paths)."""
    p.add_argument(
        "--set",
        dest="sets",
        action="append",
        type=_assignment,
        default=[],
        metavar="PATH=VALUE",
        help=f"set a value of {what} (repeat for more): a dotted path such as processes.migration.enabled or "
        "policy.<type>.<param> (policy[<i>].<param> where a type appears twice), and a TOML value: "
        "--set scale=500, --set 'policy.funding.regions=[\"West\"]'",
    )


def _runner_options(p: argparse.ArgumentParser) -> None:
    """Where runs go (Dask) and ``--resume``: the options every command running a design shares."""
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS", help="send runs to this Dask scheduler (tcp://host:8786)")
    where.add_argument("--dask-local", type=whole_number(1), metavar="N", help="start a Dask LocalCluster of N workers")
    p.add_argument(
        "--resume",
        action="store_true",
        help="finish a call to --out that was interrupted: its finished runs are kept in .OUT.runs beside the "
        "result folder until the results are written; run only the missing ones",
    )


def _language_options(p: argparse.ArgumentParser) -> None:
    """``--lang`` and ``--wan``: the language of figures and tables, and counts in 万."""
    p.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of titles, labels, names and text: en (default) or zh (numbers in 万/亿)",
    )
    p.add_argument("--wan", action="store_true", help="counts of people in 万 (ten thousands), tables and figures")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="talentsim", description="Agent-based simulator of digital-talent policy.")
    p.add_argument("--version", action="version", version=f"talentsim {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a scenario and write tables and figures")
    r.add_argument("scenario", type=Path, help="scenario TOML file, or a shipped scenario's name (baseline)")
    r.add_argument("--seed", type=_non_negative_int, default=1, help="seed of the first replicate (default 1)")
    r.add_argument("--replicates", type=_positive_int, default=1, help="number of replicates (default 1)")
    r.add_argument("--scale", type=_positive_float, help="real people per person-agent (overrides the scenario)")
    r.add_argument("--out", type=Path, help="result folder (default results/<scenario name>)")
    r.add_argument("--workers", type=_positive_int, default=1, help="processes for replicates (default 1)")
    r.add_argument("--quiet", action="store_true", help="print no table")
    _set_option(r, "the scenario")
    _runner_options(r)

    v = sub.add_parser("validate", help="check a scenario file without running it")
    v.add_argument("scenario", type=Path, help="scenario TOML file, or a shipped scenario's name (baseline)")

    n = sub.add_parser(
        "new",
        help="write a commented starting scenario file",
        description='Write NAME.toml: a scenario that starts from the shipped baseline (base = "baseline") '
        "with a [[policy]] table for each --lever, every parameter at its default with its source as a "
        "comment. Edit it, then check it with talentsim validate NAME.toml.",
    )
    n.add_argument("name", help="the scenario's name; the file is NAME.toml unless --out says otherwise")
    n.add_argument(
        "--lever", action="append", default=[], metavar="TYPE", help="a lever to switch on (repeat for more)"
    )
    n.add_argument("--regions", nargs="+", default=[], metavar="REGION", help="regions the levers cover (default all)")
    n.add_argument("--out", type=Path, help="the file to write (default NAME.toml in this folder)")
    n.add_argument("--force", action="store_true", help="replace the file if it exists")

    c = sub.add_parser(
        "compare",
        help="run a baseline and scenarios on common seeds and write their paired effects",
        description="Run BASELINE and each SCENARIO on the same seeds and write their paired effects "
        "(scenario - baseline, replicate by replicate). All must share the baseline's horizon.",
    )
    c.add_argument("baseline", type=Path, help="baseline scenario TOML file")
    c.add_argument("scenarios", type=Path, nargs="+", metavar="scenario", help="scenario TOML files to compare")
    c.add_argument(
        "--replicates",
        type=_positive_int,
        default=5,
        help="number of replicates (default 5); with --precision, replicates per batch",
    )
    c.add_argument("--seed", type=_non_negative_int, default=1, help="seed of the first replicate (default 1)")
    c.add_argument(
        "--out", type=Path, default=Path("results") / "compare", help="result folder (default results/compare)"
    )
    c.add_argument("--workers", type=_positive_int, default=1, help="processes for the runs (default 1)")
    c.add_argument("--scale", type=_positive_float, help="real people per person-agent (overrides every scenario)")
    c.add_argument(
        "--level",
        type=_fraction,
        default=0.95,
        help="confidence level of the intervals of mean effects and cost ratios (default 0.95)",
    )
    c.add_argument(
        "--precision",
        type=_positive_float,
        metavar="P",
        help="add replicates in batches of --replicates until every headline effect's interval half-width is "
        "within P (a fraction, 0.01 = 1 %%) of the baseline value, or --max-replicates is reached",
    )
    c.add_argument(
        "--max-replicates",
        type=whole_number(2),
        default=200,
        help="the most replicates --precision may run (default 200)",
    )
    _set_option(c, "every scenario, baseline included (a policy.<type> path: of the scenarios with that lever)")
    _runner_options(c)
    _language_options(c)
    c.add_argument(
        "--xlsx",
        action="store_true",
        help="also write comparison.xlsx: effects at the horizon, cost-effectiveness and regional effects",
    )
    pl = sub.add_parser(
        "plot",
        help="draw the standard figures from saved result folders, or a sweep's outcomes against its inputs",
        description="Draw the standard figures of folders written by run or compare; or, for folders written by "
        "sweep, each outcome against each input (national, last month, mean over replicates, with a "
        "binned-mean smoother) as sweep_<folder>.<format>.",
    )
    pl.add_argument("results", type=Path, nargs="+", help="folders written by run or compare, or sweep folders")
    pl.add_argument("--out", type=Path, default=Path("results") / "figures", help="folder for the figures")
    pl.add_argument("--format", choices=("png", "svg", "pdf"), default="png", help="image format (default png)")
    _language_options(pl)

    rp = sub.add_parser("report", help="write a self-contained HTML report from saved result folders")
    rp.add_argument("results", type=Path, nargs="+", help="folders written by run or compare")
    rp.add_argument("--out", type=Path, default=Path("results") / "report.html", help="the HTML file to write")
    _language_options(rp)
    rp.add_argument("--robustness", type=Path, metavar="DIR", help="add a section from a talentsim robustness folder")
    rp.add_argument(
        "--attribution", type=Path, metavar="DIR", help="add a section from experiments/attribution.py's folder"
    )
    rb = sub.add_parser(
        "robustness",
        help="regret, top-k per yuan, targets and PRIM scenario discovery of a crossed sweep (see docs/decisions.md)",
        description="For a sweep folder of a crossed design (lever settings x uncertainty points x seeds): each "
        "setting's regret against the best setting on the same draw, the probability that each single-lever "
        "setting is among the top K per yuan, the share of draws meeting each --target, and PRIM boxes of the "
        "uncertainties under which a setting misses a target (EMA Workbench: pip install -e \".[robustness]\").",
    )
    rb.add_argument("dir", type=Path, help="sweep folder of a crossed design")
    rb.add_argument(
        "--target", action="append", default=[], metavar="METRIC<=VALUE", help="a target, e.g. n_digital_gap<=24e6"
    )
    rb.add_argument("--top-k", type=_positive_int, default=3, metavar="K", help="top K per yuan (default 3)")
    rb.add_argument("--outcome", metavar="METRIC", help="outcome of regret and per-yuan effects (default: the first)")
    rb.add_argument("--goal", choices=("max", "min"), help="max or min the outcome (default: min for gaps and costs)")
    rb.add_argument("--cost", default="cum_policy_cost", metavar="METRIC", help="cost metric (default cum_policy_cost)")
    rb.add_argument("--region", default="all", help="region of the outcomes (default all)")
    rb.add_argument("--date", metavar="YYYY-MM", help="month of the outcomes (default: the last stored)")
    rb.add_argument(
        "--discover-inputs", nargs="+", metavar="NAME", help="uncertainties PRIM may restrict (default: all)"
    )
    rb.add_argument("--out", type=Path, help="folder for the tables (default DIR/robustness)")
    cal = sub.add_parser("calibrate", help="fit scenario parameters to published figures (simulated moments)")
    cal.add_argument("config", type=Path, help="calibration TOML file (see calibrations/baseline.toml)")
    cal.add_argument("--out", type=Path, default=Path("results") / "calibration", help="result folder")
    ap = sub.add_parser(
        "app",
        help="start the policy explorer in the browser (needs the app extra: pip install -e \".[app]\")",
        description="A local web app: build a scenario from the plan's twelve measures, run it against the "
        "baseline on common seeds, see its effects, download its TOML, report and tables, and compare saved "
        "result folders. Serves on 127.0.0.1 only.",
    )
    ap.add_argument("--port", type=whole_number(1), default=8765, help="port to serve on (default 8765)")
    ap.add_argument(
        "--results", type=Path, default=Path("results") / "app", help="folder for the runs (default results/app)"
    )
    from talentsim.sweep.cli import add_subcommands

    add_subcommands(sub)  # sweep, sensitivity
    return p


def _result_folder(out: Path) -> Path:
    """Check a result folder before any work starts, and finish what an interrupted write to it left."""
    from talentsim.results import recover_interrupted
    from talentsim.safe_paths import check_output_folder

    check_output_folder(out, user_named=True)
    recover_interrupted(out)
    return out


def _cmd_validate(args: argparse.Namespace) -> int:
    from talentsim.limits import check_scenario
    from talentsim.scenario import load_scenario

    spec = load_scenario(args.scenario)
    check_scenario(spec, args.scenario)
    print(
        f"{args.scenario}: valid scenario {spec.name!r}: {len(spec.regions)} regions, "
        f"{spec.horizon.start} to {spec.horizon.end} ({spec.horizon.months} months), scale {spec.scale:g}"
    )
    return 0


def _cmd_new(args: argparse.Namespace) -> int:
    from talentsim.safe_paths import folder_name_problem
    from talentsim.scenario import ScenarioError
    from talentsim.scenario_template import write_new_scenario

    name = args.name.removesuffix(".toml")
    path = args.out or Path(f"{name}.toml")
    problem = folder_name_problem(name)
    if problem:
        raise ScenarioError(path, [("name", f"expected a plain name such as my_plan: {problem}")])
    write_new_scenario(path, Path(name).name, args.lever, args.regions, force=args.force)
    print(f"written {path}; check it with: talentsim validate {path}")
    return 0


def _runs_folder(out: Path, resume: bool) -> Path:
    """Where a command writing ``out`` keeps its finished runs until its results are written.

    Raises:
        ScenarioError: runs of an interrupted call are there and ``--resume`` was not given.
    """
    from talentsim.scenario import ScenarioError

    runs = out.parent / f".{out.name}.runs"
    if (runs / "design.parquet").is_file() and not resume:
        raise ScenarioError(
            out,
            [
                (
                    "--resume",
                    f"an interrupted call left its finished runs in {runs}; add --resume to finish it, "
                    "or remove that folder to start again",
                )
            ],
        )
    return runs


def _runner(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments saying where runs go, from ``--workers``, ``--scheduler``, ``--dask-local``."""
    from talentsim.scenario import ScenarioError

    dask = args.scheduler is not None or args.dask_local is not None
    if dask and args.workers > 1:
        raise ScenarioError("command line", [("--workers", "is for local processes; a Dask cluster sets its own")])
    return {"workers": args.workers, "scheduler": args.scheduler, "dask_local": args.dask_local}


def _run_design(command: Callable[[], Any], runs: Path) -> Any:
    """Run a command's design; an interruption or a failure keeps the finished runs for ``--resume``."""
    import shutil

    from talentsim.experiment import RunsFailed
    from talentsim.sweep.execute import WorkerLost
    from talentsim.sweep.store import Store

    try:
        return command()
    except KeyboardInterrupt:
        if not Store(runs).finished():
            shutil.rmtree(runs, ignore_errors=True)
            print("interrupted: no result folder was changed", file=sys.stderr)
        else:
            print(
                f"interrupted: finished runs are kept in {runs}; finish with the same command and --resume",
                file=sys.stderr,
            )
        raise _Stop(EXIT_INTERRUPTED) from None
    except (RunsFailed, WorkerLost) as exc:
        print(f"error: {exc}; finished runs are kept in {runs}: rerun with --resume", file=sys.stderr)
        raise _Stop(EXIT_FAILURE) from None


class _Stop(Exception):
    """A command stopped after printing why; ``status`` is its exit status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _with_sets(spec: Any, sets: list[tuple[str, Any]], source: str) -> Any:
    """The scenario with ``--set`` values applied; errors name the scenario file and ``--set``."""
    from talentsim.scenario import ScenarioError

    if not sets:
        return spec
    try:
        return spec.with_updates(**dict(sets))
    except ScenarioError as exc:
        raise ScenarioError(f"{source} with --set", exc.problems) from None


def _cmd_run(args: argparse.Namespace) -> int:
    import shutil

    from talentsim.experiment import run
    from talentsim.limits import check_replicates, check_scenario
    from talentsim.scenario import load_scenario
    from talentsim.summary import format_headline

    spec = _with_sets(load_scenario(args.scenario), args.sets, str(args.scenario))
    if args.scale is not None:
        spec = spec.with_updates(scale=args.scale)
    changed = args.scale is not None or args.sets
    check_scenario(spec, f"{args.scenario} with --scale/--set" if changed else args.scenario)
    check_replicates(args.replicates, args.seed, "command line", spec)
    where = _runner(args)
    out = _result_folder(args.out or Path("results") / spec.name)
    runs = _runs_folder(out, args.resume)
    result = _run_design(
        lambda: run(
            spec,
            seed=args.seed,
            replicates=args.replicates,
            progress=sys.stderr.isatty(),
            runs_dir=runs,
            resume=args.resume,
            **where,
        ),
        runs,
    )
    try:
        result.save(out)
    except OSError as exc:
        raise OSError(f"{out}: {exc}") from exc
    finally:  # written, or refused: the runs are not kept beside a result folder
        shutil.rmtree(runs, ignore_errors=True)
    if not args.quiet:
        print(
            f"{spec.name}: {len(result.seeds)} replicate(s), seeds {result.seeds[0]}..{result.seeds[-1]}, "
            f"{result.wall_seconds:.1f} s, scale {spec.scale:g}"
        )
        print(format_headline(result.summary()))
    print(f"results written to {out}")
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from talentsim.calibrate import calibrate, load_calibration, write_calibration

    cal = load_calibration(args.config)
    _result_folder(args.out)
    fit = calibrate(cal)
    write_calibration(cal, fit, args.out)
    table = fit["targets"][["target", "year", "observed", "model", "relative_error", "within_tolerance"]]
    print(fit["parameters"][["parameter", "start", "fitted"]].to_string(index=False))
    print(table.to_string(index=False))
    print(f"distance {fit['distance']:.4g} after {fit['evaluations']} evaluations; written to {args.out}")
    return 0


def _cmd_plot(args: argparse.Namespace) -> int:
    from talentsim.safe_paths import check_output_folder
    from talentsim.sweep.plot import is_sweep_folder

    check_output_folder(args.out, replaced=False)
    sweeps = [f for f in args.results if is_sweep_folder(f)]
    if sweeps:
        if args.lang != "en" or args.wan:
            from talentsim.scenario import ScenarioError

            problem = "a sweep's figure is drawn in English and in people only"
            raise ScenarioError(sweeps[0], [("--lang/--wan", problem)])
        return _plot_sweeps(args, sweeps)
    from talentsim.report import load_results, write_figures

    written = write_figures(load_results(args.results), args.out, args.format, wan=args.wan, lang=args.lang)
    print(f"{len(written)} figures written to {args.out}: {', '.join(p.name for p in written)}")
    return 0


def _plot_sweeps(args: argparse.Namespace, sweeps: list[Path]) -> int:
    from talentsim.scenario import ScenarioError
    from talentsim.sweep.plot import write_sweep_figure
    from talentsim.sweep.sensitivity import SensitivityError

    others = [f for f in args.results if f not in sweeps]
    if others:
        raise ScenarioError(others[0], [("", "a sweep folder is drawn on its own: plot sweeps and results apart")])
    written = []
    for folder in sweeps:
        try:
            written.append(write_sweep_figure(folder, args.out, args.format))
        except SensitivityError as exc:
            raise ScenarioError(folder, [("", str(exc))]) from None
    print(f"{len(written)} figure(s) written to {args.out}: {', '.join(p.name for p in written)}")
    return 0


def _cmd_robustness(args: argparse.Namespace) -> int:
    from talentsim.robustness import RobustnessError, analyse_robustness, parse_target
    from talentsim.safe_paths import check_output_folder
    from talentsim.scenario import ScenarioError

    try:
        targets = [parse_target(t) for t in args.target]
        out = check_output_folder(args.out or args.dir / "robustness", replaced=False)
        rob = analyse_robustness(
            args.dir,
            targets,
            outcome=args.outcome,
            goal=args.goal,
            cost=args.cost,
            k=args.top_k,
            region=args.region,
            date=args.date,
            discover_inputs=args.discover_inputs,
        )
    except RobustnessError as exc:
        raise ScenarioError(args.dir, [("", str(exc))]) from None
    rob.save(out)
    print(f"{rob.settings} lever settings x {rob.draws} draws; outcome {rob.outcome} ({rob.goal}), {rob.date}")
    print(rob.regret.drop(columns="setting").to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    if rob.top_k is not None:
        print(f"top {rob.k} per yuan of {rob.cost}:")
        print(rob.top_k.drop(columns=["setting", "k"]).to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    if len(rob.targets):
        print(rob.targets.drop(columns="setting").to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    if len(rob.boxes):
        print("PRIM boxes (where a setting misses a target):")
        print(rob.boxes.drop(columns="setting").to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"written to {out}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from talentsim.report import load_results, write_report
    from talentsim.report_decisions import check_section_folders
    from talentsim.safe_paths import check_output_file

    check_output_file(args.out)
    check_section_folders(args.robustness, args.attribution)
    inputs = {k: v for k, v in (("robustness", args.robustness), ("attribution", args.attribution)) if v is not None}
    path = write_report(
        load_results(args.results),
        args.out,
        wan=args.wan,
        lang=args.lang,
        inputs=inputs,
        command_line=_command_line(args.argv),
    )
    print(f"report written to {path}")
    return 0


def _cmd_app(args: argparse.Namespace) -> int:
    from talentsim.app.serve import missing_dependency, serve
    from talentsim.scenario import ScenarioError

    missing = missing_dependency()
    if missing:
        raise ScenarioError("talentsim app", [("", missing)])
    if args.port > 65535:
        raise ScenarioError("--port", [("", f"expected a port from 1 to 65535, got {args.port}")])
    from talentsim.safe_paths import check_output_folder

    check_output_folder(args.results, "--results", replaced=False)
    serve(args.port, args.results)  # replaces this process; returns only in tests that stub it
    return 0


def _cmd_compare(args: argparse.Namespace) -> int:
    import shutil

    from talentsim.compare import compare
    from talentsim.scenario import ScenarioError, load_scenario

    overrides = dict(args.sets)
    if args.scale is not None:
        overrides["scale"] = args.scale
    for path in (args.baseline, *args.scenarios):  # a refused scenario leaves the output folder untouched
        load_scenario(path)
    where = _runner(args)
    _result_folder(args.out)
    if args.precision is not None and args.resume:
        raise ScenarioError("command line", [("--resume", "not with --precision (its batches run one after another)")])
    runs = _runs_folder(args.out, args.resume)

    def command() -> Any:
        if args.precision is not None:
            return _compare_to_precision(args, {**where, **overrides})
        return compare(
            args.baseline,
            args.scenarios,
            seed=args.seed,
            replicates=args.replicates,
            progress=sys.stderr.isatty(),
            runs_dir=runs,
            resume=args.resume,
            **where,
            **overrides,
        ).with_level(args.level)

    comparison = _run_design(command, runs)
    comparison.extra["command_line"] = _command_line(args.argv)
    try:
        comparison.save(args.out, lang=args.lang, wan=args.wan, xlsx=args.xlsx)
    except OSError as exc:
        raise OSError(f"{args.out}: {exc}") from exc
    finally:  # written, or refused: the runs are not kept beside a result folder
        shutil.rmtree(runs, ignore_errors=True)
    seeds = comparison.seeds
    print(
        f"{len(comparison.names)} scenario(s) against {comparison.baseline_name!r}: {len(seeds)} replicate(s), "
        f"seeds {seeds[0]}..{seeds[-1]}, scale {comparison.baseline.scenario.scale:g}"
    )
    print(comparison.format_table())
    if args.precision is not None:
        from talentsim.precision import describe_stop

        print(describe_stop(comparison))
    print(f"results written to {args.out}")
    return 0


def _compare_to_precision(args: argparse.Namespace, overrides: dict[str, Any]) -> Any:
    """``compare --precision``: batches of ``--replicates`` until the precision or ``--max-replicates``."""
    from talentsim.precision import compare_to_precision
    from talentsim.scenario import ScenarioError

    if args.replicates < 2 or args.replicates > args.max_replicates:
        problem = f"with --precision, expected 2 to --max-replicates ({args.max_replicates}) replicates a batch"
        raise ScenarioError("command line", [("--replicates", f"{problem}, got {args.replicates}")])

    def report(table: Any) -> None:
        worst = table["relative"].max()
        print(
            f"  {int(table['paired_replicates'].min())} replicates: widest interval half-width "
            f"{100 * worst:.2f} % of the baseline (target {100 * args.precision:g} %)",
            file=sys.stderr,
        )

    return compare_to_precision(
        args.baseline,
        args.scenarios,
        precision=args.precision,
        seed=args.seed,
        batch=args.replicates,
        max_replicates=args.max_replicates,
        level=args.level,
        on_batch=report,
        progress=sys.stderr.isatty(),
        **overrides,
    )


def _command_line(argv: list[str] | None) -> str:
    """The command as typed (``talentsim ...``), quoted for a shell."""
    import shlex

    return shlex.join(["talentsim", *(sys.argv[1:] if argv is None else argv)])


def _print_warning(message: Warning | str, category: type[Warning], *_args: Any, **_kwargs: Any) -> None:
    """Show a warning as one ``warning: ...`` line on stderr, without Python's source line."""
    print(f"warning: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``talentsim`` command; returns the exit status."""
    args = _parser().parse_args(argv)
    args.argv = argv
    from talentsim.scenario_checks import ScenarioWarning

    # Figures go to files: no window, no display needed. Set for this command (and the worker
    # processes it starts) only, so a caller's environment - a notebook kernel started later - is left as it was.
    added_backend = "MPLBACKEND" not in os.environ
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ScenarioWarning)
            warnings.showwarning = _print_warning
            return _dispatch(args)
    finally:
        if added_backend:
            os.environ.pop("MPLBACKEND", None)


def _dispatch(args: argparse.Namespace) -> int:
    """Run the parsed command; bad input gives exit status 2 with a message, never a traceback."""
    from talentsim.scenario import ScenarioError

    try:
        if args.command == "validate":
            return _cmd_validate(args)
        if args.command == "new":
            return _cmd_new(args)
        if args.command == "compare":
            return _cmd_compare(args)
        if args.command == "calibrate":
            return _cmd_calibrate(args)
        if args.command == "plot":
            return _cmd_plot(args)
        if args.command == "report":
            return _cmd_report(args)
        if args.command == "app":
            return _cmd_app(args)
        if args.command == "robustness":
            return _cmd_robustness(args)
        if args.command in ("sweep", "sensitivity"):
            from talentsim.sweep.cli import run_subcommand

            return run_subcommand(args)
        return _cmd_run(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except _Stop as stop:
        return stop.status
    except KeyboardInterrupt:
        print("interrupted: no result folder was changed", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"error: cannot write the results: {exc}", file=sys.stderr)
        return EXIT_FAILURE


def console() -> None:
    """Console-script wrapper: exit with :func:`main`'s status."""
    sys.exit(main())


if __name__ == "__main__":
    console()
