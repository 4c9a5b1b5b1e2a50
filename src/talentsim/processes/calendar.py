"""Calendar: month bookkeeping that every other process relies on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from talentsim.constants import EXITED

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def step(model: TalentModel) -> None:
    """Count months in state and, in January, drop exited persons' rows.

    Compaction happens once a year so that row indices stay stable within a year; it changes no
    outcome because exited persons take part in nothing.
    """
    pop = model.pop
    mis = pop.months_in_state
    mis += mis < 32767
    if model.calendar_month == 1 and model.month > 1:
        if (pop.status == EXITED).any():
            pop.compact()
