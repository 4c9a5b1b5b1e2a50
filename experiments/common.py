"""Shared parts of the experiment scripts: options, running comparisons, writing and printing results.

Every script takes the same options (``--replicates``, ``--scale``, ``--seed``, ``--workers``,
``--out``), runs its comparisons on common seeds (see :mod:`talentsim.compare`), writes its folder
atomically (tables as CSV, figures as PNG, the printed table as Markdown, and each comparison's
full folder) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

import talentsim
from talentsim.cli import _non_negative_int, _positive_float, _positive_int
from talentsim.compare import Comparison, ScenarioLike, compare, format_interval, format_number
from talentsim.policies import LEVER_NAMES
from talentsim.provenance import library_versions
from talentsim.results import atomic_folder
from talentsim.scenario import ScenarioError, default_scenario_path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SCENARIOS = default_scenario_path().parent
BASELINE = SCENARIOS / "baseline.toml"
ACTION_PLAN = SCENARIOS / "action_plan.toml"
COUNTERFACTUALS = SCENARIOS / "counterfactuals"

# Outcomes reported at the horizon by every script.
OUTCOMES: tuple[str, ...] = ("n_digital_talent", "high_level_share", "regional_mismatch")


def lever_files() -> list[Path]:
    """``scenarios/levers/<lever>.toml`` for every lever, in the plan's order."""
    files = [SCENARIOS / "levers" / f"{name}.toml" for name in LEVER_NAMES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise FileNotFoundError(f"no single-lever scenario file {missing[0]}")
    return files


def parse_args(name: str, description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The options every experiment takes; ``--out`` defaults to ``experiments/results/<name>``."""
    p = argparse.ArgumentParser(prog=f"{name}.py", description=description)
    p.add_argument("--replicates", type=_positive_int, default=5, help="replicates of each scenario (default 5)")
    p.add_argument("--scale", type=_positive_float, help="real people per person-agent (default: the scenarios', 2000)")
    p.add_argument("--seed", type=_non_negative_int, default=1, help="seed of the first replicate (default 1)")
    p.add_argument("--workers", type=_positive_int, default=1, help="processes for the runs (default 1)")
    p.add_argument("--out", type=Path, default=RESULTS / name, help=f"result folder (default {RESULTS / name})")
    args = p.parse_args(argv)
    args.name = name
    args.started = time.perf_counter()
    return args


def run_comparison(baseline: ScenarioLike, scenarios: Sequence[ScenarioLike], args: argparse.Namespace) -> Comparison:
    """Compare scenarios with a baseline on common seeds, with the options of the command line."""
    overrides = {} if args.scale is None else {"scale": args.scale}
    return compare(
        baseline,
        list(scenarios),
        seed=args.seed,
        replicates=args.replicates,
        workers=args.workers,
        progress=sys.stderr.isatty(),
        **overrides,
    )


def describe(comparison: Comparison) -> str:
    """One line on what was run: scale, replicates and seeds."""
    seeds = comparison.seeds
    return (
        f"scale {comparison.baseline.scenario.scale:g} people per agent, {len(seeds)} replicate(s) on seeds "
        f"{seeds[0]}..{seeds[-1]} shared by all scenarios; effects are median [10th, 90th percentile] of "
        "paired differences"
    )


def effect_columns(comparison: Comparison, metrics: Sequence[str]) -> pd.DataFrame:
    """Horizon-end effects as one row per scenario: ``<metric>_effect``, ``_low`` and ``_high`` columns."""
    eff = comparison.horizon_effects(list(metrics))
    out = pd.DataFrame({"scenario": comparison.names})
    for metric in metrics:
        rows = eff[eff["metric"] == metric].set_index("scenario")
        for col, suffix in (("effect_median", "effect"), ("effect_low", "low"), ("effect_high", "high")):
            out[f"{metric}_{suffix}"] = out["scenario"].map(rows[col]).to_numpy()
    return out


def interval_cells(table: pd.DataFrame, metric: str, prefix: str | None = None) -> pd.Series:
    """``median [low, high]`` strings from ``<prefix>_effect``, ``_low`` and ``_high`` columns."""
    prefix = prefix or metric
    return pd.Series(
        [
            format_interval(m, lo, hi, metric)
            for m, lo, hi in zip(
                table[f"{prefix}_effect"], table[f"{prefix}_low"], table[f"{prefix}_high"], strict=True
            )
        ],
        index=table.index,
    )


def numbers(values: pd.Series, metric: str) -> pd.Series:
    """Values printed in the unit of ``metric`` (see :func:`talentsim.compare.format_number`)."""
    return values.map(lambda v: format_number(v, metric))


def markdown_table(table: pd.DataFrame) -> str:
    """A Markdown table of strings: the first column left-aligned, the others right-aligned."""
    cols = [str(c) for c in table.columns]
    lines = [
        "| " + " | ".join(cols) + " |",
        "| " + " | ".join(":---" if i == 0 else "---:" for i in range(len(cols))) + " |",
    ]
    for row in table.astype(str).itertuples(index=False):
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def write(
    args: argparse.Namespace,
    *,
    markdown: str,
    tables: dict[str, pd.DataFrame],
    figures: dict[str, Figure],
    comparisons: dict[str, Comparison],
) -> Path:
    """Write the experiment's folder atomically and print its Markdown.

    The folder holds ``<table>.csv``, ``figures/<figure>.png``, ``<name>.md`` (what is printed),
    ``metadata.json`` (options, version, time) and one full comparison folder per comparison (see
    :meth:`talentsim.compare.Comparison.save`).
    """
    out = Path(args.out)
    with atomic_folder(out) as tmp:
        for name, table in tables.items():
            table.to_csv(tmp / f"{name}.csv", index=False)
        (tmp / "figures").mkdir()
        for name, fig in figures.items():
            try:
                fig.savefig(tmp / "figures" / f"{name}.png", dpi=120)
            finally:
                plt.close(fig)
        for name, comparison in comparisons.items():
            comparison.save(tmp / name)
        (tmp / f"{args.name}.md").write_text(markdown + "\n", encoding="utf-8")
        meta: dict[str, Any] = {
            "experiment": args.name,
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "options": {k: getattr(args, k) for k in ("replicates", "scale", "seed", "workers")},
            "talentsim_version": talentsim.__version__,
            "versions": library_versions(),
            "wall_seconds": round(time.perf_counter() - args.started, 1),
            "comparisons": {name: c.metadata() for name, c in comparisons.items()},
        }
        (tmp / "metadata.json").write_text(json.dumps(meta, indent=2, default=str), encoding="utf-8")
    print(markdown)
    print(f"\nwritten to {out} in {time.perf_counter() - args.started:.0f} s")
    return out


def main(body: Callable[[], int]) -> None:
    """Run an experiment's body; a bad scenario ends with exit status 2 and its message, without a traceback."""
    try:
        status = body()
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        status = 2
    sys.exit(status)
