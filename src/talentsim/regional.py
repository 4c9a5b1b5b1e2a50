"""Regional outcomes against the published population trends (``data/regional_population.csv``).

The file holds the year-end resident population of each of the eight default regions, 2021-2023
(NBS and the provincial statistical communiques). The spatial-balance targets of the baseline
(``calibrations/baseline.toml``) and the validation report's regional section read the trend of
each region's *share* of the national population from it, extrapolated over the model's horizon:
the model's national labour force follows its own demography, and the published regional trends
say how it is distributed.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from talentsim.tidy import totals

REGIONAL_POPULATION = Path(__file__).parent / "data" / "regional_population.csv"  # shipped in the package


def population_table(path: str | Path = REGIONAL_POPULATION) -> pd.DataFrame:
    """Year-end population, millions, as a year x region table."""
    data = pd.read_csv(path)
    return data.pivot(index="year", columns="region", values="population_end_year_millions")


def share_growth(months: int, path: str | Path = REGIONAL_POPULATION) -> pd.Series:
    """Each region's population share after ``months`` months over its share at the start, on the published trend.

    ``(share_last / share_first) ** (months / (12 * years between them))``: the 2021-2023 trend of
    the share, compounded over ``months``.
    """
    pop = population_table(path)
    share = pop.div(pop.sum(axis=1), axis=0)
    first, last = share.index.min(), share.index.max()
    return (share.loc[last] / share.loc[first]) ** (months / (12.0 * (last - first)))


def regional_series(timeseries: pd.DataFrame, metric: str) -> pd.DataFrame:
    """A metric's totals (all fields and levels) as a table of (date, replicate) rows and region columns."""
    sel = totals(timeseries, national=False)
    sel = sel[sel["metric"] == metric]
    return sel.pivot_table(index=["date", "replicate"], columns="region", values="value", aggfunc="first")
