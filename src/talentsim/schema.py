"""Shared pydantic building blocks of scenario files: strict models, bounded numbers, months."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
EARLIEST_START = "2024-01"  # the initial state describes January 2024
LATEST_END = "2060-12"

Rate = Annotated[float, Field(ge=0.0, le=1.0)]
Count = Annotated[float, Field(ge=0.0)]
Positive = Annotated[float, Field(gt=0.0)]


class StrictModel(BaseModel):
    """A model that refuses unknown keys, coercions between types, NaN and infinity."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, strict=True, allow_inf_nan=False)


def month_index(month: str) -> int:
    """Months since 0000-01 of a ``YYYY-MM`` string."""
    m = MONTH_RE.fullmatch(month)
    if m is None:
        raise ValueError(f"expected a month as YYYY-MM, got {month!r}")
    return int(m.group(1)) * 12 + int(m.group(2)) - 1


def month_string(index: int) -> str:
    """Inverse of :func:`month_index`."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def check_month(v: str) -> str:
    """Validate a ``YYYY-MM`` month within the supported range."""
    month_index(v)
    if not EARLIEST_START <= v <= LATEST_END:
        raise ValueError(f"expected a month from {EARLIEST_START} to {LATEST_END}, got {v!r}")
    return v
