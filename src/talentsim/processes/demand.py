"""Demand: firms' job targets."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.agents.firm import SECTORS
from talentsim.constants import DIGITAL_FIELDS, EMPLOYED, IS_DIGITAL_JOB, N_BANDS, N_JOBS, NON_DIGITAL_JOB, UNEMPLOYED
from talentsim.rates import monthly_growth

if TYPE_CHECKING:
    from talentsim.agents import Firm
    from talentsim.model import TalentModel


def cycle_factor(amplitude: float, period_months: int, t: int) -> float:
    """The demand-cycle factor ``1 + amplitude * sin(2 pi t / period_months)`` at month ``t``.

    ``t`` counts months since the model start (0 in the first simulated month, where the factor
    is 1, so the cycle starts from the initial state and rises first).
    """
    return 1.0 + amplitude * float(np.sin(2.0 * np.pi * t / period_months))


def step(model: TalentModel) -> None:
    """Grow digital job targets and set non-digital ones.

    - Each region's digital economy grows at its annual rate (compounded monthly).
    - Core digital firms' digital targets grow at ``growth_elasticity`` x that monthly rate.
    - Traditional firms' digital targets grow at ``digitalisation_rate`` a year, compounded
      monthly (``(1 + g) ** (1 / 12) - 1``, :func:`~talentsim.rates.monthly_growth`).
    - Traditional firms' non-digital targets are their filled non-digital jobs times
      (1 + ``non_digital_vacancy_rate``): a simplification that keeps non-digital vacancies a
      steady share of employment, so that replacement hiring follows retirements and quits.
    - Startups' targets follow their founders (set in entrepreneurship); jobs above target
      are shed here, the persons becoming unemployed.
    - Demand cycle (only when ``cycle_amplitude`` > 0): the month's targets of the established
      firm groups, digital and non-digital, are multiplied by the factor of :func:`cycle_factor`
      at t = months since the model start. The digital targets grown above are the *trend*
      (kept on each firm as ``Firm.trend``); the factor is applied to a copy each month, so it
      never compounds into the trend. The non-digital target is recomputed from filled jobs
      each month, so the factor is applied to a fresh base: its cycle is in effect a cycle of
      the non-digital vacancy rate, (1 + ``non_digital_vacancy_rate``) x factor - 1, floored at
      no vacancies. Startups' targets are left out of the cycle (they follow their founders).
      *Simplification:* established firms do not lay off when a downturn takes their target
      below their filled jobs; they stop hiring in that cell and let separations, retirements
      and deaths bring employment down, so unemployment rises in downturns through fewer
      hires rather than layoffs. The cycle draws no random numbers.
    """
    d = model.spec.processes.demand
    digitalisation = float(monthly_growth(d.digitalisation_rate))
    cyclical: list[Firm] = []
    if d.cycle_amplitude > 0:
        cyclical = [f for f in model.firms if f is not None and f.sector != "startup"]
        for firm in cyclical:
            firm.remove_cycle()
    # every firm's digital targets grow at once, on the model's target matrix (startups follow founders)
    n_firms = len(model.firms)
    sector, region = model.firm_sector[:n_firms], model.firm_region[:n_firms]
    jobs = model.firm_jobs
    digital = np.flatnonzero(IS_DIGITAL_JOB)
    core = np.flatnonzero(sector == SECTORS.index("core_digital"))
    growth = np.array([d.growth_elasticity * r.monthly_digital_growth for r in model.regions])
    jobs[np.ix_(core, digital)] *= (1.0 + growth[region[core]])[:, None]
    traditional = np.flatnonzero(sector == SECTORS.index("traditional"))
    jobs[np.ix_(traditional, digital)] *= 1.0 + digitalisation
    extra = model.fx.extra_senior_jobs
    if extra.any():
        add_senior_jobs(model, extra)
    filled = model.filled_jobs()
    factor = 1.0
    if cyclical:
        factor = cycle_factor(d.cycle_amplitude, d.cycle_period_months, model.month - 1)
        for firm in cyclical:
            firm.apply_cycle(factor)
    target = filled[traditional, NON_DIGITAL_JOB] * (1 + d.non_digital_vacancy_rate)
    jobs[traditional, NON_DIGITAL_JOB] = target * factor if cyclical else target
    shed_excess_jobs(model)


def add_senior_jobs(model: TalentModel, real_jobs: np.ndarray) -> None:
    """Add policy-created senior digital jobs (real people, by region).

    They go to each region's large core digital firm group, split over fields by the initial
    field mix.
    """
    field_p = np.array([model.spec.initial.field_shares[f] for f in DIGITAL_FIELDS])
    senior = np.arange(len(DIGITAL_FIELDS)) * N_BANDS + (N_BANDS - 1)
    for region in model.regions:
        firms = [f for f in model.firms if f is not None and f.region == region.code and f.sector == "core_digital"]
        if firms and real_jobs[region.code] > 0:
            firms[-1].jobs[senior] += real_jobs[region.code] / model.scale * field_p


def shed_excess_jobs(model: TalentModel) -> None:
    """Lay off, at random, startup employees of job cells filled beyond the whole-job target.

    Only startups shrink (when founders leave); established firms' targets never fall below
    their filled jobs except by the small overshoot of random firm choice in hiring, which is
    left to attrition rather than turned into layoffs. Startups are created after the initial
    firms, so their staff are the persons whose employer index is at least the first startup's.
    """
    startups = model.firms_of_sector("startup")
    if not startups:
        return
    pop = model.pop
    first = startups[0].firm_index
    # the population's job counts (a person holds a job cell exactly when employed)
    filled = pop.filled[first : len(model.firms)]
    targets = model.firm_jobs[first : len(model.firms)]
    excess = filled - np.floor(targets + 1e-9).astype(np.int64)
    slot_idx, job_idx = np.nonzero(excess > 0)
    if len(slot_idx) == 0:
        return
    staff = np.flatnonzero(pop.employer >= first)
    staff = staff[(pop.status[staff] == EMPLOYED) & (pop.job[staff] >= 0)]
    key = (pop.employer[staff].astype(np.int64) - first) * N_JOBS + pop.job[staff]
    rng = model.stream("demand")
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    laid_off = []
    for f, j in zip(slot_idx, job_idx, strict=True):
        k = f * N_JOBS + j
        lo, hi = np.searchsorted(sorted_key, [k, k + 1])
        laid_off.append(rng.choice(staff[order[lo:hi]], size=int(excess[f, j]), replace=False))
    rows = np.concatenate(laid_off)
    pop.leave_job(rows)
    pop.set_status(rows, UNEMPLOYED)
    model.metrics.add_flow("new_layoffs", rows)
