"""Summaries of tidy tables: horizon-end values and bands over replicates."""

from __future__ import annotations

import pandas as pd

from talentsim import catalogue
from talentsim.formatting import format_value
from talentsim.tidy import national

KEYS = ["scenario", "region", "field", "level", "metric"]
# The outcomes printed after a run, in this order (the metric catalogue's headline outcomes).
HEADLINE = catalogue.HEADLINE_OUTCOMES


def _bands(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    g = df.groupby(keys, observed=True, sort=False)["value"]
    out = pd.DataFrame({"median": g.median(), "p10": g.quantile(0.1), "p90": g.quantile(0.9)})
    return out.reset_index()


def summarise(ts: pd.DataFrame) -> pd.DataFrame:
    """Each metric at the last month: median, 10th and 90th percentiles over replicates.

    Monthly flows (the catalogue's kind ``flow``) are also given summed over the last 12 months
    (or the whole horizon if shorter), in rows whose ``period`` says so; every other row's
    ``period`` is the last month.
    """
    last = ts["date"].max()
    end = ts[ts["date"] == last]
    rows = _bands(end, KEYS)
    rows.insert(len(KEYS), "period", last.strftime("%Y-%m"))
    is_flow = ts["metric"].isin(catalogue.flow_names(ts["metric"].unique()))
    flows = ts[is_flow & (ts["date"] > last - pd.DateOffset(months=12))]
    first = flows["date"].min()
    yearly = flows.groupby(["replicate", *KEYS], observed=True, sort=False)["value"].sum().reset_index()
    sums = _bands(yearly, KEYS)
    sums.insert(len(KEYS), "period", f"{first:%Y-%m} to {last:%Y-%m}")
    return pd.concat([rows, sums], ignore_index=True)


def national_series(ts: pd.DataFrame, metric: str) -> pd.DataFrame:
    """A national metric as a table with dates as rows and replicates as columns."""
    sel = national(ts, metric)
    if sel.empty:
        raise KeyError(f"no metric {metric!r} in the table")
    return sel.pivot_table(index="date", columns="replicate", values="value", aggfunc="first")


def headline_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The national headline outcomes from :func:`summarise`, one row per metric."""
    nat = national(summary)
    flows = nat["metric"].isin(catalogue.flow_names(nat["metric"].unique()))
    last_month = nat["period"].str.len() == 7
    nat = nat[(flows & ~last_month) | (~flows & last_month)]
    nat = nat.set_index("metric").reindex([m for m in HEADLINE if m in set(nat["metric"])])
    return nat[["period", "median", "p10", "p90"]]


def format_headline(summary: pd.DataFrame) -> str:
    """A short printable table of horizon-end outcomes (flows summed over the last year).

    Numbers are written in their metric's unit from the catalogue (people as whole numbers, yuan
    with k, M or bn, shares to four decimals).
    """
    table = headline_table(summary)
    lines = [f"{'metric':<24}{'unit':>16}{'period':>20}{'median':>16}{'p10':>16}{'p90':>16}"]
    for metric, row in table.iterrows():
        unit = catalogue.unit_key(str(metric))
        unit = "people" if unit == "people_month" else unit  # summed over the period
        cells = "".join(f"{format_value(row[c], unit):>16}" for c in ("median", "p10", "p90"))
        lines.append(f"{metric:<24}{catalogue.unit_text(unit):>16}{row['period']:>20}" + cells)
    return "\n".join(lines)
