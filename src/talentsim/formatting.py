"""Numbers as readers read them: table cells and axis ticks in the unit of their metric.

English writes large counts and amounts with k, M or bn; Chinese with 万 (10^4) and 亿 (10^8).
With ``wan`` counts of people are written in 万 in both languages (the unit then says so).
An axis has one scale for all its ticks (:class:`AxisFormatter`), chosen from the axis's range,
so "10 k" never stands beside "5,000".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.ticker import Formatter

from talentsim.catalogue import PEOPLE_UNITS, YUAN_UNITS, Lang

# (threshold, divisor, suffix): the first whose threshold the magnitude reaches is used.
EN_SCALES: tuple[tuple[float, float, str], ...] = ((1e9, 1e9, " bn"), (1e6, 1e6, " M"), (1e4, 1e3, " k"))
ZH_SCALES: tuple[tuple[float, float, str], ...] = ((1e8, 1e8, "亿"), (1e4, 1e4, "万"))
# Decimals of values that are not counts or yuan.
DECIMALS = {"share": 4, "rate": 4, "level": 2, "ratio": 3}


def is_count(unit: str) -> bool:
    """Whether a unit counts people or yuan (written with separators and scales)."""
    return unit in PEOPLE_UNITS or unit in YUAN_UNITS


def scale_for(magnitude: float, unit: str, lang: Lang = "en", *, wan: bool = False) -> tuple[float, str]:
    """The divisor and suffix to write numbers of ``magnitude`` in ``unit``.

    Counts of people with ``wan`` are in 万 with no suffix (the unit says 万); otherwise counts
    and yuan take the largest scale of their language that the magnitude reaches.
    """
    if not is_count(unit):
        return 1.0, ""
    if wan and unit in PEOPLE_UNITS:
        return 1e4, ""
    for threshold, size, suffix in ZH_SCALES if lang == "zh" else EN_SCALES:
        if magnitude >= threshold:
            return size, suffix
    return 1.0, ""


def format_value(
    value: float | None,
    unit: str,
    lang: Lang = "en",
    *,
    wan: bool = False,
    signed: bool = False,
    compact: bool | None = None,
) -> str:
    """One number for a table cell.

    Args:
        value: the number (NaN and None are written "–").
        unit: its unit key (see :data:`talentsim.catalogue.UNITS`).
        lang: ``en`` or ``zh``.
        wan: counts of people in 万 (the header must say so).
        signed: a plus sign on positive values (effects).
        compact: write counts and yuan with a scale suffix (default: in Chinese always, in English
            for sums of yuan only; people, wages and yuan a person in English are whole numbers
            with separators).
    """
    if value is None or not np.isfinite(value):
        return "–"
    value = float(value) + 0.0  # no "-0"
    plus = "+" if signed and value > 0 else ""
    if not is_count(unit):
        return f"{plus}{value:.{DECIMALS.get(unit, 4)}f}"
    if compact is None:
        compact = lang == "zh" or unit == "yuan"
    if wan and unit in PEOPLE_UNITS:
        return f"{plus}{value / 1e4:,.1f}"
    if compact:
        size, suffix = scale_for(abs(value), unit, lang)
        if size > 1:
            return f"{plus}{value / size:,.4g}{suffix}"
    return f"{plus}{value:,.0f}"


def _decimals(values: Sequence[float] | np.ndarray, most: int = 6) -> int:
    """The fewest decimals (up to ``most``) that write every value exactly (ticks 0.25 apart need two)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    for d in range(most + 1):
        if np.allclose(np.round(values, d), values, rtol=0, atol=1e-9 * max(1.0, float(np.abs(values).max(initial=0)))):
            return d
    return most


class AxisFormatter(Formatter):
    """Tick labels of one axis, all at the same scale and with the same decimals.

    The scale (k, M, bn or 万, 亿) is chosen once per draw from the larger end of the axis's view
    range; the decimals from the distance between ticks.

    Args:
        unit: the unit key of the axis.
        lang: ``en`` or ``zh``.
        wan: counts of people in 万 (no suffix: the axis label says 万).
    """

    def __init__(self, unit: str, lang: Lang = "en", *, wan: bool = False) -> None:
        self.unit, self.lang, self.wan = unit, lang, wan
        self._ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        """Remember where the ticks are, to choose the decimals."""
        self._ticks = [float(x) for x in locs]

    def _scale(self, x: float) -> tuple[float, str]:
        if self.axis is not None:
            lo, hi = self.axis.get_view_interval()
            magnitude = max(abs(lo), abs(hi))
        else:
            magnitude = abs(x)
        return scale_for(magnitude, self.unit, self.lang, wan=self.wan)

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        size, suffix = self._scale(x)
        if x == 0:
            return "0"
        ticks = np.asarray(self._ticks or [x], dtype=float) / size
        return f"{x / size:,.{_decimals(ticks)}f}{suffix}"


class LogCountFormatter(Formatter):
    """Tick labels of a log axis of counts: whole people, or 万 with as many decimals as needed."""

    def __init__(self, lang: Lang = "en", *, wan: bool = False) -> None:
        self.in_wan = wan or lang == "zh"

    def __call__(self, x: float, pos: int | None = None) -> str:
        """The label of the tick at ``x``."""
        if self.in_wan:
            return f"{x / 1e4:,.{_decimals([x / 1e4])}f}"
        return f"{x:,.0f}"
