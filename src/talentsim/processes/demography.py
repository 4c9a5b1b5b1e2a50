"""Demography: ageing, retirement, death, labour-market entrants and inactivity."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import EXITED, INACTIVE, NON_DIGITAL, UNEMPLOYED
from talentsim.rates import monthly, sample_rows

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def step(model: TalentModel) -> None:
    """Ageing and exits.

    - Everyone ages a month.
    - Persons at ``retirement_age`` retire (one age for all: a simplification of China's
      gender- and occupation-specific ages); everyone else dies at the monthly hazard of
      ``mortality_rate``. Both leave the model (status ``exited``).
    - ``entrants_per_year`` / 12 persons a month, aged 18-20 with no digital skill, enter the
      labour market unemployed, by region in proportion to the labour force (school leavers who
      do not go to tertiary education).
    - The unemployed leave the labour force at the monthly hazard of ``inactivity_rate``; the
      inactive search again at that of ``reentry_rate``.
    """
    d = model.spec.processes.demography
    pop = model.pop
    rng = model.stream("demography")
    status = pop.status
    age = pop.age_months
    age += 1  # exited rows age too; they take part in nothing
    retire_at = d.retirement_age * 12
    retiring = np.flatnonzero(age >= retire_at)
    retiring = retiring[status[retiring] != EXITED]
    cand = sample_rows(rng, pop.n, float(monthly(d.mortality_rate)))
    dying = cand[(status[cand] != EXITED) & (age[cand] < retire_at)]
    leaving = np.concatenate([retiring, dying])
    pop.leave_job(leaving)
    pop.training_left[leaving] = 0
    model.metrics.add_flow("new_retirements", retiring)
    model.metrics.add_flow("new_deaths", dying)
    pop.set_status(leaving, EXITED)

    cand = sample_rows(rng, pop.n, float(monthly(d.inactivity_rate)))
    to_inactive = cand[status[cand] == UNEMPLOYED]
    cand = sample_rows(rng, pop.n, float(monthly(d.reentry_rate)))
    back = cand[status[cand] == INACTIVE]
    pop.set_status(to_inactive, INACTIVE)
    pop.set_status(back, UNEMPLOYED)

    shares = np.array([r.spec.labour_force_share for r in model.regions])
    n = model.agents_from_real(d.entrants_per_year / 12.0 * shares, "demography")
    ages = [rng.integers(18 * 12, 21 * 12, size=int(n[r])) for r in range(model.n_regions)]
    region = np.repeat(np.arange(model.n_regions, dtype=np.int8), n.astype(np.int64))
    rows = pop.add(len(region), UNEMPLOYED, region=region, age_months=np.concatenate(ages), field=NON_DIGITAL)
    model.metrics.add_flow("new_entrants", rows)
