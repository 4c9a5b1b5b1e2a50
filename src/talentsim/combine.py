"""Results and comparisons of the same scenarios on further seeds, joined as one.

Replicates are numbered ``0 .. n-1`` within each run; joined, the replicates of the second run are
numbered after those of the first, and the seeds are concatenated. Run on successive seeds
(``seed, seed + n1, ...``), the joined result is the one a single run on all the seeds gives, table
for table (``tests/test_precision.py`` checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from talentsim.experiment import Result

if TYPE_CHECKING:
    from talentsim.compare import Comparison


def concat_results(parts: Sequence[Result]) -> Result:
    """One result from runs of the same scenario on different seeds.

    Raises:
        ValueError: no parts, the scenarios differ (by hash), or a seed repeats.
    """
    if not parts:
        raise ValueError("parts: expected at least one result to join")
    first = parts[0]
    digest = first.scenario.digest()
    seeds: list[int] = []
    frames = []
    for part in parts:
        if part.scenario.digest() != digest:
            raise ValueError(
                f"cannot join runs of different scenarios: {first.scenario.name!r} and {part.scenario.name!r}"
            )
        repeated = set(seeds) & set(part.seeds)
        if repeated:
            raise ValueError(f"cannot join runs that share seeds: {sorted(repeated)[:5]} run twice")
        table = part.timeseries.copy()
        table["replicate"] = table["replicate"] + len(seeds)
        frames.append(table)
        seeds += list(part.seeds)
    table = pd.concat(frames, ignore_index=True)
    for col in ("scenario", "region", "field", "level", "metric"):
        if col in table.columns:
            table[col] = table[col].astype("string")
    wall = sum(p.wall_seconds for p in parts)
    return Result(first.scenario, seeds, table, wall, dict(first.extra))


def concat_comparisons(parts: Sequence[Comparison]) -> Comparison:
    """One comparison from comparisons of the same baseline and scenarios on different seeds.

    The confidence level and ``extra`` are the first part's.

    Raises:
        ValueError: no parts, the parts compare different scenarios, or a seed repeats.
    """
    from talentsim.compare import Comparison

    if not parts:
        raise ValueError("parts: expected at least one comparison to join")
    first = parts[0]
    for part in parts[1:]:
        if part.baseline_name != first.baseline_name or part.names != first.names:
            raise ValueError(
                f"cannot join comparisons of different scenarios: {[first.baseline_name, *first.names]} "
                f"and {[part.baseline_name, *part.names]}"
            )
    baseline = concat_results([p.baseline for p in parts])
    results = {name: concat_results([p.results[name] for p in parts]) for name in first.names}
    return Comparison(baseline, results, dict(first.extra), first.level)
