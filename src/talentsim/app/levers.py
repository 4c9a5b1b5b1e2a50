"""The twelve measures of the plan as the form shows them: names, clause and intensity ranges.

:func:`lever_entries` is the one place the app reads the lever registry
(:data:`talentsim.policies.LEVERS`: each lever class declares its names and clause); everything else in the
app asks it.

An intensity's range is the range its spec field accepts (``ge``/``le`` bounds of the pydantic
field); a field bounded below only gets a slider up to :data:`SLIDER_TIMES` times its default (a
typed value above it is accepted as the file accepts it).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any

import annotated_types

SLIDER_TIMES = 4.0  # an unbounded intensity's slider reaches this many times its default


@dataclass(frozen=True)
class Intensity:
    """One numeric parameter of a lever.

    Attributes:
        name: the field of the ``[[policy]]`` table.
        description: its meaning and source.
        default: the spec's default.
        integer: whether it takes whole numbers.
        low: the smallest accepted value (None: unbounded).
        high: the largest accepted value (None: unbounded).
        slider_low: the slider's left end.
        slider_high: the slider's right end.
    """

    name: str
    description: str
    default: float
    integer: bool
    low: float | None
    high: float | None
    slider_low: float
    slider_high: float

    @property
    def step(self) -> float:
        """The slider's step: 1 for whole numbers, else a hundredth of its span rounded to a power of ten."""
        if self.integer:
            return 1
        span = self.slider_high - self.slider_low
        return 10 ** math.floor(math.log10(span / 100)) if span > 0 else 0.01

    def range_text(self, lang: str = "en") -> str:
        """The accepted range in words, ``0 to 1`` or ``at least 0`` (in Chinese with ``lang="zh"``)."""
        zh = lang == "zh"
        if self.low is not None and self.high is not None:
            return f"{self.low:g} 至 {self.high:g}" if zh else f"{self.low:g} to {self.high:g}"
        if self.low is not None:
            return f"至少 {self.low:g}" if zh else f"at least {self.low:g}"
        if self.high is not None:
            return f"至多 {self.high:g}" if zh else f"at most {self.high:g}"
        return "任意数" if zh else "any number"


@dataclass(frozen=True)
class LeverEntry:
    """One measure of the plan.

    Attributes:
        name: the lever's ``type``.
        en: its English name.
        zh: the plan's own Chinese name.
        clause: the plan clause it models, in one line.
        intensities: its numeric parameters, in the spec's order.
        other_fields: its other parameters (lists of fields or regions), kept as the scenario sets them.
    """

    name: str
    en: str
    zh: str
    clause: str
    intensities: tuple[Intensity, ...]
    other_fields: tuple[str, ...]

    def label(self, lang: str) -> str:
        """The measure's name in ``lang``."""
        return self.zh if lang == "zh" else self.en


WINDOW_FIELDS = ("type", "start", "end", "regions")


def _bounds(info: Any) -> tuple[float | None, float | None]:
    low = high = None
    for m in info.metadata:
        if isinstance(m, annotated_types.Ge | annotated_types.Gt):
            low = float(m.ge if isinstance(m, annotated_types.Ge) else m.gt)
        elif isinstance(m, annotated_types.Le | annotated_types.Lt):
            high = float(m.le if isinstance(m, annotated_types.Le) else m.lt)
    return low, high


def _intensity(name: str, info: Any) -> Intensity | None:
    """An Intensity for a numeric field (None for others)."""
    if info.annotation not in (int, float):
        return None
    default = info.get_default(call_default_factory=True)
    low, high = _bounds(info)
    slider_low = low if low is not None else min(0.0, float(default))
    if high is not None:
        slider_high = high
    else:
        slider_high = max(SLIDER_TIMES * abs(float(default)), slider_low + 1.0)
    return Intensity(
        name=name,
        description=info.description or name,
        default=default,
        integer=info.annotation is int,
        low=low,
        high=high,
        slider_low=float(slider_low),
        slider_high=float(slider_high),
    )


def clause_line(run_class: type) -> str:
    """The plan clause a lever models, in one line (its class docstring's ``Plan clause:`` paragraph)."""
    doc = run_class.__doc__ or ""
    for paragraph in doc.split("\n\n"):
        text = " ".join(paragraph.split())
        if text.startswith("Plan clause:"):
            return text.removeprefix("Plan clause:").strip()
    module_doc = sys.modules[run_class.__module__].__doc__ or ""
    return module_doc.strip().splitlines()[0] if module_doc.strip() else ""


def lever_entries() -> list[LeverEntry]:
    """The plan's twelve measures, in the plan's order (six tasks, then six guarantees)."""
    from talentsim.policies import LEVERS

    out = []
    for name, (spec_class, run_class) in LEVERS.items():
        en, zh = run_class.title_en, run_class.title_zh
        intensities, others = [], []
        for field, info in spec_class.model_fields.items():
            if field in WINDOW_FIELDS:
                continue
            entry = _intensity(field, info)
            if entry is None:
                others.append(field)
            else:
                intensities.append(entry)
        out.append(LeverEntry(name, en, zh, clause_line(run_class), tuple(intensities), tuple(others)))
    return out
