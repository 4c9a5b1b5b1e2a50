"""The initial state of a run: wage offers, firms, persons, universities and the pool abroad.

:func:`build_world` fills a freshly made :class:`~talentsim.model.TalentModel` (regions created,
population empty) from its scenario's ``initial`` table, drawing from the model's ``init``
stream. The monthly loop is in :mod:`talentsim.model`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.agents import University
from talentsim.constants import (
    ABROAD,
    BAND_OF_LEVEL,
    DIGITAL_FIELDS,
    EMPLOYED,
    ENTRY_AGE,
    FIELDS,
    IS_DIGITAL_JOB,
    JOB_BAND,
    MAX_LEVEL,
    N_BANDS,
    N_JOBS,
    NON_DIGITAL,
    NON_DIGITAL_JOB,
    PROGRAMME_YEARS,
    PROGRAMMES,
    STUDENT,
    UNEMPLOYED,
    qualified_job,
)
from talentsim.processes.education import choose_fields, expected_log_wages, grant_graduation_level
from talentsim.processes.international import assign_outbound_skills
from talentsim.rates import stochastic_round

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def build_world(model: TalentModel) -> None:
    """Build the initial state of ``model`` (January 2024) from its scenario.

    In this order: regions' wage offers; core digital and traditional firm groups (small and
    large) in every region, sized by the region's digital-job share; employed and unemployed
    digital talent where the digital jobs are, digitally skilled persons in non-digital jobs and
    everyone else in the labour force, by labour-force share; employers drawn in proportion to
    job targets; traditional firms' non-digital targets from filled jobs plus the vacancy rate;
    the January 2024 expected graduate wages (``model.initial_log_wages``); university groups
    with their cohorts in study; the pool abroad.
    """
    spec = model.spec
    ini = spec.initial
    rs = [r.spec for r in model.regions]
    lf_share = np.array([r.labour_force_share for r in rs])
    dj_share = np.array([r.digital_job_share for r in rs])
    st_share = np.array([r.student_share for r in rs])
    field_p = np.array([ini.field_shares[f] for f in DIGITAL_FIELDS])
    level_p = np.array(ini.level_shares)
    band_p = np.bincount(BAND_OF_LEVEL[1:], weights=level_p, minlength=N_BANDS)
    rng = model.stream("init")

    wages = spec.processes.wages
    for r in model.regions:
        base = spec.national_wage / 12.0 * r.spec.wage_index
        r.wage_offer[:NON_DIGITAL_JOB] = base * np.array(wages.band_multipliers)[JOB_BAND[:NON_DIGITAL_JOB]]
        r.wage_offer[NON_DIGITAL_JOB] = base * wages.non_digital_multiplier
        r.base_offer = r.wage_offer.copy()

    # Firms: core digital and traditional, small and large, in every region.
    digital_jobs = ini.digital_talent + ini.digital_gap
    cell_p = np.zeros(N_JOBS)
    cell_p[:NON_DIGITAL_JOB] = np.outer(field_p, band_p).ravel()
    for r in range(model.n_regions):
        jobs_r = digital_jobs * dj_share[r] / model.scale * cell_p
        for sector, share in (
            ("core_digital", ini.core_digital_job_share),
            ("traditional", 1 - ini.core_digital_job_share),
        ):
            for size_share in (0.4, 0.6):  # small, large firm groups (guess)
                model.add_firm(r, sector, jobs_r * share * size_share)

    pop = model.pop
    # Employed digital talent, where the digital jobs are.
    n_talent = stochastic_round(ini.digital_talent * (1 - ini.digital_unemployment_rate) * dj_share / model.scale, rng)
    n_talent_u = stochastic_round(ini.digital_talent * ini.digital_unemployment_rate * dj_share / model.scale, rng)
    n_skilled = stochastic_round(ini.digital_skilled_elsewhere * lf_share / model.scale, rng)
    n_unemp_total = stochastic_round(ini.labour_force * ini.unemployment_rate * lf_share / model.scale, rng)
    n_employed_total = stochastic_round(ini.labour_force * (1 - ini.unemployment_rate) * lf_share / model.scale, rng)
    # the labour force is about 95 % of the persons; a quarter more leaves room for students,
    # the pool abroad and the run's entrants without doubling the columns
    pop.reserve(int(1.25 * (n_employed_total.sum() + n_unemp_total.sum())))
    for r in range(model.n_regions):
        _add_digital_workers(model, r, int(n_talent[r]), EMPLOYED, field_p, level_p, rng)
        _add_digital_workers(model, r, int(n_talent_u[r]), UNEMPLOYED, field_p, level_p, rng)
        # digital level 1-2 persons in non-digital jobs
        k = int(n_skilled[r])
        rows = _add_workers(model, r, k, EMPLOYED, rng)
        pop.field[rows] = rng.choice(len(DIGITAL_FIELDS), size=k, p=field_p)
        pop.level[rows] = rng.integers(1, 3, size=k)
        pop.job[rows] = NON_DIGITAL_JOB
        k = max(int(n_employed_total[r] - n_talent[r] - n_skilled[r]), 0)
        rows = _add_workers(model, r, k, EMPLOYED, rng)
        pop.job[rows] = NON_DIGITAL_JOB
        k = max(int(n_unemp_total[r] - n_talent_u[r]), 0)
        _add_workers(model, r, k, UNEMPLOYED, rng)

    emp = np.flatnonzero(pop.status == EMPLOYED)
    targets = model.job_targets()
    nd_cap = np.zeros_like(targets)
    for f in model.firms:
        if f is not None and f.sector == "traditional":
            nd_cap[f.firm_index, NON_DIGITAL_JOB] = 1.0
    weights = np.where(IS_DIGITAL_JOB[None, :], targets, nd_cap)
    pop.employer[emp] = model.choose_firms(pop.region[emp], pop.job[emp], weights, "init")
    pop.pay_factor[emp] = model.pay_factor(pop.job[emp], pop.level[emp], pop.certified[emp])
    pop.recount_jobs()
    filled = model.filled_jobs()
    vr = spec.processes.demand.non_digital_vacancy_rate
    for f in model.firms:
        if f is not None and f.sector == "traditional":
            f.jobs[NON_DIGITAL_JOB] = filled[f.firm_index, NON_DIGITAL_JOB] * (1 + vr)

    model.initial_log_wages = expected_log_wages(model)
    _build_universities(model, st_share, rng)
    _add_abroad_pool(model, st_share, field_p, rng)


def _add_workers(model: TalentModel, region: int, k: int, status: int, rng: np.random.Generator) -> np.ndarray:
    ini = model.spec.initial
    age = rng.integers(ini.min_age * 12, (ini.max_age + 1) * 12, size=k)
    return model.pop.add(k, status, region=region, age_months=age, field=NON_DIGITAL)


def _add_digital_workers(
    model: TalentModel,
    region: int,
    k: int,
    status: int,
    field_p: np.ndarray,
    level_p: np.ndarray,
    rng: np.random.Generator,
) -> None:
    pop = model.pop
    rows = _add_workers(model, region, k, status, rng)
    pop.field[rows] = rng.choice(len(DIGITAL_FIELDS), size=k, p=field_p)
    pop.level[rows] = rng.choice(np.arange(1, MAX_LEVEL + 1), size=k, p=level_p)
    pop.certified[rows] = rng.random(k) < model.spec.initial.certified_share
    if status == EMPLOYED:
        pop.job[rows] = qualified_job(pop.field[rows], pop.level[rows])


def _build_universities(model: TalentModel, st_share: np.ndarray, rng: np.random.Generator) -> None:
    edu = model.spec.processes.education
    seat_p = np.array([edu.field_seat_shares.get(f, 0.0) for f in DIGITAL_FIELDS])
    seat_p = np.append(seat_p, 1.0 - seat_p.sum())
    for r in range(model.n_regions):
        for p, prog in enumerate(PROGRAMMES):
            seats = edu.intake_per_year[prog] * st_share[r] / model.scale
            uni = University(model, r, p, seats, list(seat_p), edu.teaching_quality[prog], edu.partnership_share)
            model.universities.append(uni)
            # Initial cohorts: entered each September before 2024, minus dropouts (guess).
            years = PROGRAMME_YEARS[prog]
            for y in range(years):
                size = seats * (1 + edu.cohort_growth) ** (-y) * (1 - edu.dropout_rate) ** (y + 4 / 12)
                k = int(stochastic_round(size, rng))
                age = (ENTRY_AGE[prog] + y) * 12 + 4
                rows = model.pop.add(k, STUDENT, region=r, age_months=age, programme=p, study_months=12 * y + 4)
                model.pop.field[rows] = choose_fields(
                    rng, k, seat_p, np.zeros(len(FIELDS)), edu.wage_weight, edu.wage_noise_sd
                )
                if prog == "postgraduate":
                    grant_graduation_level(model, rows, "undergraduate", rng)
            if prog == "undergraduate" and edu.top_up_share > 0:
                _add_top_up_cohorts(model, r, p, seat_p, rng)


def _add_top_up_cohorts(
    model: TalentModel, region: int, programme: int, seat_p: np.ndarray, rng: np.random.Generator
) -> None:
    """Add the top-up students of January 2024.

    They are vocational graduates of 2022 and 2023 in their last two undergraduate years, sized
    from the region's vocational seats as later flows are.
    """
    edu = model.spec.processes.education
    seats = edu.intake_per_year["vocational"] * model.spec.regions[model.region_names[region]].student_share
    for y in (2, 3):
        size = seats / model.scale * edu.top_up_share * (1 - edu.dropout_rate) ** (y + 4 / 12)
        size *= (1 + edu.cohort_growth) ** (-y)
        k = int(stochastic_round(size, rng))
        age = (21 + y - 2) * 12 + 4
        rows = model.pop.add(k, STUDENT, region=region, age_months=age, programme=programme, study_months=12 * y + 4)
        model.pop.field[rows] = choose_fields(rng, k, seat_p, np.zeros(len(FIELDS)), edu.wage_weight, edu.wage_noise_sd)
        grant_graduation_level(model, rows, "vocational", rng)


def _add_abroad_pool(model: TalentModel, st_share: np.ndarray, field_p: np.ndarray, rng: np.random.Generator) -> None:
    n = stochastic_round(model.spec.initial.abroad * st_share / model.scale, rng)
    for r in range(model.n_regions):
        rows = model.pop.add(int(n[r]), ABROAD, region=r)
        model.pop.age_months[rows] = rng.integers(22 * 12, 35 * 12, size=len(rows))
        assign_outbound_skills(model, rows, field_p, rng)
