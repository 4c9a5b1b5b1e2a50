"""Entrepreneurship: founders create startups (new Firm agents); startups exit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import EMPLOYED, ENTREPRENEUR, N_BANDS, N_JOBS, NON_DIGITAL, RETURNEE, UNEMPLOYED
from talentsim.processes.demand import shed_excess_jobs
from talentsim.rates import monthly, ration_quota, sample_rows, thin_by_region

# Persons at this level or above count as researchers for tech-transfer founding levers (guess).
RESEARCHER_LEVEL = 6

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def step(model: TalentModel) -> None:
    """Founder exits, then new founders.

    - Each founder's startup fails at the monthly hazard of ``exit_rate``: the founder becomes
      unemployed. A startup's job targets follow its remaining founders (``jobs_per_founder``
      each); jobs above target are shed at random, and a startup left with no founder is
      removed as a Mesa agent after its employees are laid off.
    - Employed and unemployed persons with a digital field at ``min_level`` or above found a
      startup at the monthly hazard of ``founding_rate``, up to the region's incubator capacity
      (``incubator_capacity`` / 12 a month, real founders; when exceeded, each would-be founder
      goes ahead with chance capacity/candidates; places unused in a month carry over, up to
      a year's worth, see :func:`~talentsim.rates.ration_quota`). The month's founders in a region
      form one new startup Firm agent, a group of ``scale`` real startups per founder, opening
      ``jobs_per_founder`` digital jobs per founder in the founders' fields, half junior and
      half intermediate. Founders leave any job; they count as digital talent.
    """
    e = model.spec.processes.entrepreneurship
    pop = model.pop
    rng = model.stream("entrepreneurship")

    fx = model.fx
    cand = sample_rows(rng, pop.n, float(monthly(e.exit_rate)) * fx.exit_factor.max())
    failed = cand[pop.status[cand] == ENTREPRENEUR]
    failed = thin_by_region(rng, failed, pop.region[failed], fx.exit_factor)
    pop.set_status(failed, UNEMPLOYED)
    pop.employer[failed] = -1
    model.metrics.add_flow("new_startup_exits", failed)
    sync_founders(model)

    top = fx.founding_factor.max() * max(fx.researcher_founding_factor, 1.0) * max(fx.returnee_founding_factor, 1.0)
    cand = sample_rows(rng, pop.n, float(monthly(e.founding_rate)) * top)
    st = pop.status[cand]
    new = cand[
        ((st == EMPLOYED) | (st == UNEMPLOYED)) & (pop.field[cand] < NON_DIGITAL) & (pop.level[cand] >= e.min_level)
    ]
    if top != 1.0:
        factor = fx.founding_factor[pop.region[new]]
        factor = factor * np.where(pop.level[new] >= RESEARCHER_LEVEL, fx.researcher_founding_factor, 1.0)
        factor = factor * np.where(pop.origin[new] == RETURNEE, fx.returnee_founding_factor, 1.0)
        new = new[rng.random(len(new)) < factor / top]
    capacity = (np.array([r.spec.incubator_capacity for r in model.regions]) / 12.0 + fx.extra_incubator) / model.scale
    admitted = ration_quota(rng, new, pop.region[new], capacity, model.open_places("incubator"))
    for r in range(model.n_regions):
        in_r = admitted[pop.region[admitted] == r]
        if len(in_r) == 0:
            continue
        jobs = np.zeros(N_JOBS)
        cells = pop.field[in_r].astype(np.int64) * N_BANDS
        np.add.at(jobs, cells, e.jobs_per_founder / 2)
        np.add.at(jobs, cells + 1, e.jobs_per_founder / 2)
        firm = model.add_firm(r, "startup", jobs, founders=len(in_r))
        pop.leave_job(in_r)
        pop.set_status(in_r, ENTREPRENEUR)
        pop.employer[in_r] = firm.firm_index
        model.metrics.add_flow("new_startups", in_r)


def sync_founders(model: TalentModel) -> None:
    """Set each startup's founders from the persons, shed jobs above target, remove empties."""
    pop = model.pop
    startups = model.firms_of_sector("startup")
    if not startups:
        return
    founders = np.flatnonzero(pop.status == ENTREPRENEUR)
    founders = founders[pop.employer[founders] >= startups[0].firm_index]
    count = np.bincount(pop.employer[founders], minlength=len(model.firms))
    for f in startups:
        f.set_founders(int(count[f.firm_index]))
    shed_excess_jobs(model)
    for f in startups:
        if f.founders == 0:
            model.remove_firm(f)
