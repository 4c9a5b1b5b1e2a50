"""Matching: separations and hires within region x job cell, with searchers from other regions in the pool."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import DOMESTIC, EMPLOYED, IS_DIGITAL_JOB, N_JOBS, NON_DIGITAL_JOB, UNEMPLOYED, qualified_job
from talentsim.processes import search
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
def finding_rates(
    mu: np.ndarray, searchers: np.ndarray, vacancies: np.ndarray, alpha: float, one_searcher: float = 1.0
) -> np.ndarray:
    """The chance a searcher (intensity 1) finds a job in a month, by cell: ``m(U, V) / U``.

    Evaluated at ``max(U, one_searcher)`` (pass ``1 / scale``: one real person in person-agent
    units): in a cell with vacancies and no searchers it is what one searcher would get,
    ``min(mu * (V / u)**(1 - alpha), 1)`` at ``u = one_searcher``, not 0, so that the tightest
    markets look attractive to movers. 0 where there are no vacancies.
    """
    u = np.maximum(searchers, one_searcher)
    return matches(mu, u, vacancies, alpha) / u


def step(model: TalentModel) -> None:
    """Separations, then hires.

    - Separations: each employee (founders are not employees) leaves their job at the monthly
      hazard of ``separation_rate`` and becomes unemployed.
    - Searchers: the unemployed search in the job cell they qualify for (digital field and
      level band, or non-digital); employees who qualify for a different digital cell than the
      one they hold search on the job with intensity ``on_the_job_search``. Persons in a course
      search at ``in_course_search`` (training) times their intensity: the lock-in of training.
      New graduates and those who just completed a course are among them (they are unemployed,
      or employed in a cell below their new level).
    - Search across regions (``cross_region_search``, on in the baseline): each searcher applies
      this month in one region drawn from the effort shares of :func:`search.effort_shares`
      (most at home; elsewhere in proportion to the destination cell's vacancies and its value,
      falling with ``search_moving_cost``). With one region, or the switch off, everyone
      applies at home and the step is exactly the within-region matching. Switching the
      migration process off switches this off too: then nobody changes region.
    - Hires in each region x cell: ``m = mu_r * U**alpha * V**(1 - alpha)``, where U counts
      the searchers applying there (from home and elsewhere) weighted by intensity and V the
      vacancies (targets minus filled, summed over the region's firms), capped at min(U, V)
      and rounded at random. Which searchers are hired is a weighted draw without
      replacement; a certificate multiplies a searcher's weight by ``certificate_weight``.
      Each hire goes to one of the region's firms with chance proportional to its vacancies
      in that cell.
    - Hires from on-the-job search are job-to-job moves: the old job is left.
    - A hire in another region moves the person there with the job in hand (counted as a
      migrant where they leave and an arrival where they arrive).

    Job-finding rates by region and cell (:func:`finding_rates`: the matching function's hires
    per unit of search intensity, what one searcher would get where there are none) are kept on
    the regions for the migration choice.
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
    model.unemployed_at_matching = unemployed  # migration checks their spells without scanning everyone
    skilled = np.flatnonzero(pop.level > 0)  # only they can qualify for a digital cell
    employees = skilled[(status[skilled] == EMPLOYED) & (pop.job[skilled] >= 0)]
    q_emp = qualified_job(pop.field[employees], pop.level[employees])
    otj = employees[(q_emp != pop.job[employees]) & (q_emp != NON_DIGITAL_JOB)]
    searchers = np.concatenate([unemployed, otj])
    q = qualified_job(pop.field[searchers], pop.level[searchers]).astype(np.int64)
    home = pop.region[searchers]
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
    if m.cross_region_search and model.spec.processes.migration.enabled and len(searchers):
        pi = search.effort_shares(
            search.cell_values(model), vac, search_cost(model), model.spec.processes.migration.sigma
        )
        dest = search.draw_destinations(model.stream("search"), pi, home, q)
    else:
        dest = home
    cell = dest.astype(np.int64) * N_JOBS + q
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
    elsewhere = region != pop.region[hired]
    if elsewhere.any():
        from talentsim.processes.migration import move

        move(model, hired[elsewhere], region[elsewhere])
    employer = model.choose_firms(region, job, vac_firm, "matching")
    pop.take_job(hired, employer, job, model.pay_factor(job, pop.level[hired], pop.certified[hired]))

    model.metrics.add_flow("new_hires", new_hires)
    model.metrics.add_flow("new_job_moves", movers)
    rate = finding_rates(mu, U, V, m.alpha, 1.0 / model.scale).reshape(model.n_regions, N_JOBS)
    for r in model.regions:
        r.finding_rate = rate[r.code]
        r.searchers = n_searching.reshape(model.n_regions, N_JOBS)[r.code]
        r.vacancies = vac[r.code]
    digital_v = vac[:, IS_DIGITAL_JOB].sum(axis=1)
    digital_h = np.bincount(region[IS_DIGITAL_JOB[job]], minlength=model.n_regions)
    model.metrics.set_vacancies(digital_v, digital_h)


def search_cost(model: TalentModel) -> float:
    """The cost of applying outside the home region.

    ``search_moving_cost`` less any policy reduction of moving costs (personnel-file services).
    """
    return max(model.spec.processes.matching.search_moving_cost - model.fx.moving_cost_reduction, 0.0)
