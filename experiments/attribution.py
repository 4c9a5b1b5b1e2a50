"""Who bought what: Shapley shares of the action plan's added digital talent and cost over its twelve levers.

Runs ``scenarios/action_plan.toml`` with subsets (coalitions) of its levers switched on, on common
seeds, each coalition once per seed (cached and reused across permutations), and writes the
Shapley shares of the plan's effect on digital talent at the horizon (2026-12, national) and of its
public cost, with their sampling errors (see :mod:`talentsim.attribution`).

Default size: 8 orderings (4 antithetic pairs) x 3 seeds at scale 2000: at most 8 x 11 + 2 = 90
coalitions, 270 runs, about 10 minutes on 2 cores (a run takes 1-2 s).

Usage::

    .venv/bin/python experiments/attribution.py [--permutations P] [--seeds S] [--scale K] [--workers W] [--out DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from common import ACTION_PLAN, markdown_table

import talentsim
from talentsim.attribution import plan_value, shapley
from talentsim.cli import _non_negative_int, _positive_float, _positive_int
from talentsim.provenance import library_versions

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    """Run the attribution, write its folder and print the shares as Markdown."""
    p = argparse.ArgumentParser(prog="attribution.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--permutations", type=_positive_int, default=8, help="orderings, an even number (default 8)")
    p.add_argument("--seeds", type=_positive_int, default=3, help="seeds per coalition (default 3)")
    p.add_argument("--seed", type=_non_negative_int, default=1, help="first seed; also seeds the orderings (default 1)")
    p.add_argument("--scale", type=_positive_float, help="real people per person-agent (default: the plan's, 2000)")
    p.add_argument("--workers", type=_positive_int, default=2, help="processes (default 2)")
    p.add_argument("--out", type=Path, default=HERE / "results" / "attribution", help="result folder")
    args = p.parse_args(argv)
    value = plan_value(ACTION_PLAN, scale=args.scale)
    seeds = list(range(args.seed, args.seed + args.seeds))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        att = shapley(
            value.levers, value, seeds, args.permutations, rng_seed=args.seed, map_fn=lambda f, xs: pool.map(f, xs)
        )
    wall = time.perf_counter() - t0
    att.save(
        args.out,
        extra={
            "plan": str(ACTION_PLAN.name),
            "scale": value.plan["scale"],
            "command": " ".join(sys.argv),
            "version": talentsim.__version__,
            "libraries": library_versions(),
            "wall_seconds": round(wall, 1),
            "workers": args.workers,
        },
    )
    print(f"{att.runs} runs ({len(att.permutations)} orderings x {len(seeds)} seeds), {wall:.0f} s")
    for outcome, unit in (("n_digital_talent", "people"), ("cum_policy_cost", "yuan")):
        t = att.shares[att.shares["outcome"] == outcome].sort_values("share", ascending=False)
        tot = att.totals.set_index("outcome").loc[outcome]
        print(f"\n## Shapley shares of the plan's effect on {outcome} ({unit})\n")
        print(f"plan effect {tot['plan_effect']:.4g}, sum of shares {tot['sum_of_shares']:.4g}\n")
        table = pd.DataFrame(
            {
                "lever": t["lever"],
                "share": t["share"].map("{:,.0f}".format),
                "se (orderings)": t["se_permutations"].map("{:,.0f}".format),
                "se (seeds)": t["se_seeds"].map("{:,.0f}".format),
                "% of plan": (100 * t["share_of_total"]).map("{:.1f}".format),
            }
        )
        print(markdown_table(table))
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
