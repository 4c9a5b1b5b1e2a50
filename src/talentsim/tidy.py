"""Rows of the tidy table that hold totals.

Every tidy table (and every summary of one) has ``region``, ``field`` and ``level`` columns; the
value :data:`TOTAL` (``"all"``) in one of them marks a total over it. A national outcome is the
row with all three totals; a region's outcome has ``field`` and ``level`` totals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

TOTAL = "all"


def totals(table: pd.DataFrame, *, national: bool = True) -> pd.DataFrame:
    """The rows of ``table`` that total over fields and levels; only the national ones by default.

    Args:
        table: a tidy table or a summary of one (with ``region``, ``field`` and ``level`` columns).
        national: keep only the national rows (``region == "all"``); with False, every region's
            totals and the national ones.
    """
    keep = (table["field"] == TOTAL) & (table["level"] == TOTAL)
    if national:
        keep &= table["region"] == TOTAL
    return table[keep]


def national(table: pd.DataFrame, metric: str | None = None) -> pd.DataFrame:
    """The national rows of ``table`` (:func:`totals`), of one ``metric`` when given."""
    rows = totals(table)
    return rows if metric is None else rows[rows["metric"] == metric]
