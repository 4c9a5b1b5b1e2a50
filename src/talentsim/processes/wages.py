"""Wages: offers by region x job cell and the wages of the employed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def step(model: TalentModel) -> None:
    """Move offers towards a tightness-dependent target; employees' wages follow.

    Target log offer = initial log offer + ``tightness_elasticity`` x (log tightness - initial
    log tightness), with tightness = (vacancies + 1) / (searchers + 1) in the cell. Each month
    the log offer closes ``adjustment_speed`` of its gap to the target. Wages are in constant
    2023 yuan (no inflation). An employee's wage is their cell's offer times their own pay
    factor (level and certificate premia set at hiring), so it follows the offer.
    """
    w = model.spec.processes.wages
    for r in model.regions:
        if r.vacancies is None or r.searchers is None:
            continue
        tight = np.log((r.vacancies + 1.0) / (r.searchers + 1.0))
        if r.base_tightness is None:
            r.base_tightness = tight
        target = np.log(r.base_offer) + w.tightness_elasticity * (tight - r.base_tightness)
        log_w = np.log(r.wage_offer)
        r.wage_offer = np.exp(log_w + w.adjustment_speed * (target - log_w))
