"""Matching: separations and hires within region x job cell."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import DOMESTIC, EMPLOYED, IS_DIGITAL_JOB, N_JOBS, NON_DIGITAL_JOB, UNEMPLOYED, qualified_job
from talentsim.rates import monthly, sample_rows, stochastic_round, weighted_sample_per_group

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def matches(mu: np.ndarray, searchers: np.ndarray, vacancies: np.ndarray, alpha: float) -> np.ndarray:
    """Cobb-Douglas matches ``mu * U**alpha * V**(1 - alpha)``, never more than min(U, V)."""
    m = mu * np.power(searchers, alpha) * np.power(vacancies, 1.0 - alpha)
    return np.minimum(m, np.minimum(searchers, vacancies))


def steady_state_unemployment(s: float | np.ndarray, f: float | np.ndarray) -> float | np.ndarray:
    """Steady-state unemployment rate implied by the model's monthly timing.

    Each month separations come first (each employee with probability ``s``), then everyone
    searching - last month's unemployed and this month's separated - is hired with probability
    ``f``, so a worker who separates can be rehired in the same month. With the labour force
    fixed at 1: ``u' = (u + s (1 - u)) (1 - f)``; at the fixed point
    ``u = s (1 - f) / (s (1 - f) + f)`` (docs/model.md derives it). As months get short
    (s, f -> 0) it tends to the continuous-time s / (s + f).

    Args:
        s: monthly separation probability of an employee.
        f: monthly hiring probability of a searcher (hires / searchers, at most 1).
    """
    return s * (1.0 - f) / (s * (1.0 - f) + f)


def step(model: TalentModel) -> None:
    """Separations, then hires.

    - Separations: each employee (founders are not employees) leaves their job at the monthly
      hazard of ``separation_rate`` and becomes unemployed.
    - Searchers: the unemployed search in the job cell they qualify for (digital field and
      level band, or non-digital); employees who qualify for a different digital cell than the
      one they hold search on the job with intensity ``on_the_job_search``. Persons in a course
      search at ``in_course_search`` (training) times their intensity: the lock-in of training.
    - Hires in each region x cell: ``m = mu_r * U**alpha * V**(1 - alpha)``, where U counts
      searchers weighted by intensity and V the vacancies (targets minus filled, summed over
      the region's firms), capped at min(U, V) and rounded at random. Which searchers are hired
      is a weighted draw without replacement; a certificate multiplies a searcher's weight by
      ``certificate_weight``. Each hire goes to one of the region's firms with chance
      proportional to its vacancies in that cell.
    - Hires from on-the-job search are job-to-job moves: the old job is left.

    Job-finding rates by region and cell (hires of the unemployed / unemployed searchers) are
    kept on the regions for the migration choice.
    """
    m = model.spec.processes.matching
    pop = model.pop
    rng = model.stream("matching")
    status = pop.status

    cand = sample_rows(rng, pop.n, float(monthly(m.separation_rate)))
    separated = cand[(status[cand] == EMPLOYED) & (pop.job[cand] >= 0)]
    pop.leave_job(separated)
    pop.set_status(separated, UNEMPLOYED)
    model.metrics.add_flow("new_separations", separated)

    n_cells = model.n_regions * N_JOBS
    unemployed = np.flatnonzero(status == UNEMPLOYED)
    skilled = np.flatnonzero(pop.level > 0)  # only they can qualify for a digital cell
    employees = skilled[(status[skilled] == EMPLOYED) & (pop.job[skilled] >= 0)]
    q_emp = qualified_job(pop.field[employees], pop.level[employees])
    otj = employees[(q_emp != pop.job[employees]) & (q_emp != NON_DIGITAL_JOB)]
    searchers = np.concatenate([unemployed, otj])
    q = qualified_job(pop.field[searchers], pop.level[searchers]).astype(np.int64)
    cell = pop.region[searchers].astype(np.int64) * N_JOBS + q
    intensity = np.concatenate([np.ones(len(unemployed)), np.full(len(otj), m.on_the_job_search)])
    lock_in = model.spec.processes.training.in_course_search
    if lock_in != 1.0:
        intensity = intensity * np.where(pop.training_left[searchers] > 0, lock_in, 1.0)
    fx = model.fx
    weight = intensity * np.where(pop.certified[searchers], m.certificate_weight + fx.certificate_weight_bonus, 1.0)
    if fx.mobile_origin_weight != 1.0:
        weight = weight * np.where(pop.origin[searchers] != DOMESTIC, fx.mobile_origin_weight, 1.0)

    targets = model.job_targets()
    filled = model.filled_jobs()
    vac_firm = np.maximum(targets - filled, 0.0)
    fr = model.firm_regions()
    vac = np.zeros((model.n_regions, N_JOBS))
    for r in range(model.n_regions):
        vac[r] = vac_firm[fr == r].sum(axis=0)
    U = np.bincount(cell, weights=intensity, minlength=n_cells)
    n_searching = np.bincount(cell, minlength=n_cells)
    V = vac.ravel()
    mu = m.efficiency * np.repeat([r.spec.matching_efficiency for r in model.regions] * fx.matching_factor, N_JOBS)
    # Job targets are fractional person-agent units; rounding the vacancies at random (not
    # down) keeps small cells from losing their vacancies at coarse scales.
    whole_v = stochastic_round(V, rng)
    k = matches(mu, U, V, m.alpha)
    k = np.minimum(stochastic_round(k, rng), np.minimum(n_searching, whole_v))

    chosen = weighted_sample_per_group(rng, cell, weight, k)
    hired = searchers[chosen]
    hired_cell = cell[chosen]
    from_unemployment = chosen < len(unemployed)
    movers = hired[~from_unemployment]
    pop.leave_job(movers)
    pop.months_in_state[movers] = 0
    new_hires = hired[from_unemployment]
    pop.set_status(new_hires, EMPLOYED)
    job = (hired_cell % N_JOBS).astype(np.int8)
    region = (hired_cell // N_JOBS).astype(np.int8)
    employer = model.choose_firms(region, job, vac_firm, "matching")
    pop.take_job(hired, employer, job, model.pay_factor(job, pop.level[hired], pop.certified[hired]))

    model.metrics.add_flow("new_hires", new_hires)
    model.metrics.add_flow("new_job_moves", movers)
    hires_u = np.bincount(hired_cell[from_unemployment], minlength=n_cells)
    n_unemp = np.bincount(cell[: len(unemployed)], minlength=n_cells)
    rate = np.divide(hires_u, n_unemp, out=np.zeros(n_cells), where=n_unemp > 0).reshape(model.n_regions, N_JOBS)
    for r in model.regions:
        r.finding_rate = rate[r.code]
        r.searchers = n_searching.reshape(model.n_regions, N_JOBS)[r.code]
        r.vacancies = vac[r.code]
    digital_v = vac[:, IS_DIGITAL_JOB].sum(axis=1)
    digital_h = np.bincount(region[IS_DIGITAL_JOB[job]], minlength=model.n_regions)
    model.metrics.set_vacancies(digital_v, digital_h)
