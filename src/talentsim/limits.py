"""Bounds on every size the program allocates from, checked before any work starts.

A scenario or a command line can ask for sizes the schema accepts but no machine holds: a scale of
1e-300 real people per person-agent, an intake of 1e300 students a year, 10**20 replicates, a design
of 10**9 points, a seed that does not fit the 64-bit columns of the result tables. Each check below
says the limit and why, and raises :class:`~talentsim.errors.ScenarioError` (exit status 2), so a
run is refused at once rather than failing after hours, or exhausting memory. ``--dry-run`` and
``validate`` run the same checks.

The person count is an estimate from the scenario's stocks and yearly inflows (a simplification:
levers that add places, e.g. education expansion, are not counted; the limit leaves room for them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from talentsim.constants import PROGRAMMES
from talentsim.errors import ScenarioError
from talentsim.schema import month_index

if TYPE_CHECKING:
    from talentsim.scenario import Scenario

# About 100 bytes of memory per person-agent (docs/performance.md): 50 M is about 5 GB, a fifth of
# the 24 GB machine the project is sized for, leaving room for the monthly step's temporaries.
MAX_PERSONS = 50_000_000
# Replicates are run and kept one tidy table each; beyond this a run is better split into sweeps.
MAX_REPLICATES = 1_000
# A tidy table has about 70 rows per region (and the national total) a month (measured: 19,548 rows for
# 8 regions over 36 months) at about 110 bytes a row in memory; 60 M rows are about 6.6 GB.
ROWS_PER_REGION_MONTH = 70
MAX_TABLE_ROWS = 60_000_000
# The design, its fingerprint and the store's index hold every point in memory; 100,000 points of a
# 30-second run are already 35 days on one core.
MAX_DESIGN_POINTS = 100_000
MAX_DESIGN_RUNS = 1_000_000
# Seeds are stored in 64-bit signed integer columns (Parquet int64).
MAX_SEED = 2**63 - 1


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if math.isfinite(x) and abs(x) < 1e15 else f"{x:.3g}"


Getter = Callable[[tuple[str, ...]], Any]

# The scenario fields the person estimate reads: a sweep that varies one of them is checked point by point.
SIZE_FIELDS: tuple[tuple[str, ...], ...] = (
    ("scale",),
    ("horizon", "start"),
    ("horizon", "end"),
    ("initial", "labour_force"),
    ("initial", "abroad"),
    *(("processes", "education", "intake_per_year", p) for p in PROGRAMMES),
    ("processes", "education", "intake_growth"),
    ("processes", "education", "top_up_share"),
    ("processes", "demography", "entrants_per_year"),
    ("processes", "international", "outbound_per_year"),
    ("processes", "international", "foreign_per_year"),
)


# Lever parameters that bring persons in: recruits from abroad, and extra digital seats (a relative rise).
LEVER_SIZE_PARAMETERS = {"international_exchange": "recruits_per_year", "education_expansion": "digital_seat_growth"}


def is_size_field(parts: tuple[Any, ...]) -> bool:
    """Whether the scenario field at ``parts`` enters the person estimate (a sweep then checks every point)."""
    if parts in SIZE_FIELDS or parts[:3] == ("processes", "education", "field_seat_shares"):
        return True
    return len(parts) == 3 and parts[0] == "policy" and parts[2] in LEVER_SIZE_PARAMETERS.values()


def _lever_inflows(get: Getter, years: int, admitted: float) -> float:
    """Persons the levers bring in over the horizon: recruits, and students admitted on extra digital seats."""
    total = 0.0
    digital_share = sum(float(v) for v in get(("processes", "education", "field_seat_shares")).values())
    for i, lever in enumerate(get(("policy",)) or []):
        kind = lever.get("type") if isinstance(lever, dict) else getattr(lever, "type", None)
        if kind == "international_exchange":
            total += float(get(("policy", i, "recruits_per_year"))) * years
        elif kind == "education_expansion":
            total += admitted * digital_share * float(get(("policy", i, "digital_seat_growth")))
    return total


def persons_from(get: Getter) -> float:
    """The person estimate of :func:`estimated_persons` from a getter of dotted scenario fields."""
    try:
        months = month_index(get(("horizon", "end"))) - month_index(get(("horizon", "start"))) + 1
        years = max(math.ceil(months / 12), 1)
        growth = max(1.0 + float(get(("processes", "education", "intake_growth"))), 1.0)
        top_up = 1.0 + float(get(("processes", "education", "top_up_share")))
        intake = sum(float(get(("processes", "education", "intake_per_year", p))) for p in PROGRAMMES)
        stocks = float(get(("initial", "labour_force"))) + float(get(("initial", "abroad"))) + intake * 5 * top_up
        yearly = sum(growth**y for y in range(1, years + 1))
        inflows = intake * top_up * yearly + years * sum(
            float(get(("processes", *path)))
            for path in (
                ("demography", "entrants_per_year"),
                ("international", "outbound_per_year"),
                ("international", "foreign_per_year"),
            )
        )
        inflows += _lever_inflows(get, years, intake * top_up * yearly)
        persons = (stocks + inflows) / float(get(("scale",)))
    except (OverflowError, ZeroDivisionError):
        return math.inf
    return persons if math.isfinite(persons) else math.inf


def estimated_persons(spec: Scenario) -> float:
    """The number of person-agents a scenario allocates by its horizon's end (an upper estimate).

    The January 2024 stocks (labour force, the pool abroad, five years of intakes for students in
    their programmes) plus every year's intakes (grown, with top-ups), labour-market entrants,
    outbound students and foreign arrivals, divided by ``scale``. Nobody is counted as leaving, so
    the estimate is above the true peak.
    """
    data = spec.model_dump(mode="python")

    def get(path: tuple[str, ...]) -> Any:
        node: Any = data
        for part in path:
            node = node[part]
        return node

    return persons_from(get)


def persons_problem(persons: float, scale: float) -> str | None:
    """Why ``persons`` person-agents at ``scale`` are too many, or None."""
    if persons <= MAX_PERSONS:
        return None
    need = scale * persons / MAX_PERSONS if math.isfinite(persons) else math.inf
    hint = f"; use a scale of at least {need:.3g}, or smaller stocks and intakes" if math.isfinite(need) else ""
    return (
        f"scale {scale:g} with these stocks and intakes implies about {_fmt(persons)} person-agents; "
        f"at most {MAX_PERSONS:,} fit in memory (about 100 bytes each){hint}"
    )


def check_scenario(spec: Scenario, source: str | Path) -> None:
    """Refuse a scenario whose person-agents would exceed :data:`MAX_PERSONS`.

    Args:
        spec: the scenario (with any overrides, e.g. ``--scale``).
        source: what the message names: the scenario file, or the option that set the scale.

    Raises:
        ScenarioError: naming ``source``, the field ``scale``, the estimate, the limit and why.
    """
    problem = persons_problem(estimated_persons(spec), spec.scale)
    if problem:
        raise ScenarioError(source, [("scale", problem)])


def check_replicates(
    replicates: int, seed: int, source: str | Path, spec: Scenario | None = None, scenarios: int = 1
) -> None:
    """Refuse replicate counts and seeds beyond what the run can hold or store.

    Args:
        replicates: replicates per scenario.
        seed: the first replicate's seed; replicate ``r`` runs on ``seed + r``.
        source: what the message names (a file or ``--replicates``).
        spec: the scenario, for the size of its tables (months and regions).
        scenarios: tables kept per replicate (``compare``: the baseline and each scenario).

    Raises:
        ScenarioError: naming ``source``, the field, the limit and why.
    """
    if not 1 <= replicates <= MAX_REPLICATES:
        raise ScenarioError(
            source,
            [
                (
                    "replicates",
                    f"expected 1 to {MAX_REPLICATES:,} replicates (each keeps a table in memory), got {replicates:,}",
                )
            ],
        )
    if not 0 <= seed <= MAX_SEED - (replicates - 1):
        most = MAX_SEED - (replicates - 1)
        raise ScenarioError(
            source,
            [
                (
                    "seed",
                    f"expected a seed from 0 to {most}, so that the last replicate's seed (seed + replicates - 1) "
                    f"fits the 64-bit seed column of the results (below 2**63); got {seed}",
                )
            ],
        )
    if spec is not None:
        rows = scenarios * replicates * spec.horizon.months * (len(spec.regions) + 1) * ROWS_PER_REGION_MONTH
        if rows > MAX_TABLE_ROWS:
            most = max(MAX_TABLE_ROWS // (rows // replicates), 1)
            raise ScenarioError(
                source,
                [
                    (
                        "replicates",
                        f"{replicates:,} replicates of {spec.horizon.months} months make a table of about "
                        f"{_fmt(rows)} rows; at most {MAX_TABLE_ROWS:,} (about 110 bytes a row in memory): "
                        f"use at most {most:,} replicates",
                    )
                ],
            )


def design_points(
    method: str, inputs: list[Any], points: int | None, second_order: bool, policies: str = "grid"
) -> int:
    """The number of points a design will have, computed without drawing it.

    ``inputs`` are :class:`~talentsim.sweep.design.Input` objects (their ``values`` and ``levels``).
    """
    d = len(inputs)
    if method == "grid":
        total = 1
        for inp in inputs:
            total *= len(inp.values) if inp.values is not None else (inp.levels or 3)
        return total
    n = int(points or 0)
    if method == "crossed":
        from talentsim.sweep.design import count_lever_settings

        return n * count_lever_settings([i for i in inputs if i.kind == "lever"], policies)
    if method == "sobol":
        return n * (2 * d + 2 if second_order else d + 2)
    if method == "morris":
        return n * (d + 1)
    return n


def check_design(n_points: int, replicates: int, seed: int, source: str | Path) -> None:
    """Refuse a design larger than :data:`MAX_DESIGN_POINTS` or :data:`MAX_DESIGN_RUNS`, or unstorable seeds.

    Raises:
        ScenarioError: naming ``source`` and the field, the size, the limit and why.
    """
    if n_points > MAX_DESIGN_POINTS:
        raise ScenarioError(
            source,
            [
                (
                    "design.points",
                    f"the design has {_fmt(n_points)} points; at most {MAX_DESIGN_POINTS:,} "
                    "(every point is held in memory and fingerprinted before the first run)",
                )
            ],
        )
    if n_points * replicates > MAX_DESIGN_RUNS:
        raise ScenarioError(
            source,
            [
                (
                    "replicates",
                    f"{_fmt(n_points)} points x {replicates:,} replicates = {_fmt(n_points * replicates)} "
                    f"runs; at most {MAX_DESIGN_RUNS:,} (every run is indexed in memory)",
                )
            ],
        )
    check_replicates(replicates, seed, source)
