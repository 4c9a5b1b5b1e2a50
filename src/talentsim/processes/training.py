"""Training: course completion, certification and enrolment of workers and the unemployed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import (
    DIGITAL_FIELDS,
    EMPLOYED,
    MAX_LEVEL,
    NON_DIGITAL,
    NON_DIGITAL_JOB,
    UNEMPLOYED,
    qualified_job,
)
from talentsim.processes.education import choose_fields, expected_log_wages
from talentsim.rates import draw, monthly, ration, sample_rows

if TYPE_CHECKING:
    from talentsim.model import TalentModel

# Yuan that one unit of the logit index stands for in the enrolment choice (a units choice).
YUAN_PER_UTILITY = 10_000.0


def expected_gain(model: TalentModel, rows: np.ndarray) -> np.ndarray:
    """Expected gain in annual wage, yuan, from one more level.

    The offer of the job cell the person would qualify for after training minus their current
    wage (or their current cell's offer when unemployed).
    """
    pop = model.pop
    offers = model.wage_offers()
    region = pop.region[rows]
    level = pop.level[rows]
    now = qualified_job(pop.field[rows], level)
    after = qualified_job(pop.field[rows], np.minimum(level + 1, MAX_LEVEL).astype(np.int8))
    employed = (pop.status[rows] == EMPLOYED) & (pop.job[rows] >= 0)
    current = offers[region, now]
    current[employed] = model.wages_of(rows[employed])
    return 12.0 * (offers[region, after] - current)


def enrolment_probability(model: TalentModel, rows: np.ndarray) -> np.ndarray:
    """Chance that a person considering training enrols.

    A binary logit on the expected annual wage gain minus the private cost net of subsidy, in
    units of ``YUAN_PER_UTILITY`` yuan, times ``gain_weight``.
    """
    t = model.spec.processes.training
    net_cost = max(t.private_cost - t.subsidy, 0.0)
    x = t.gain_weight * (expected_gain(model, rows) - net_cost) / YUAN_PER_UTILITY
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def step(model: TalentModel) -> None:
    """Advance courses, then enrol new trainees.

    - Courses in progress lose a month; at the end a trainee completes with chance
      ``pass_rate`` and gains one level, then passes a certification exam with chance
      ``certification_rate`` (a certificate weights hiring chances and pays a premium).
    - Learning on the job: each employee in a digital job gains a level at the monthly hazard
      of ``experience_rate`` (no certificate). A simplification: one rate for all levels.
    - Employed and unemployed persons under ``max_age`` below the top level, not already
      training, consider training at the monthly hazard of ``take_up_rate`` and enrol with
      :func:`enrolment_probability`. Persons with no digital field choose one as students do,
      with the digital talent's field mix as the size term.
      Enrolments are capped at each region's monthly seats (``seats_per_year`` split by labour
      force share); when oversubscribed, each applicant gets a seat with chance seats/applicants.
    """
    t = model.spec.processes.training
    pop = model.pop
    rng = model.stream("training")

    in_course = np.flatnonzero(pop.training_left > 0)
    tl = pop.training_left
    tl[in_course] -= 1
    ending = in_course[tl[in_course] == 0]
    active = (pop.status[ending] == EMPLOYED) | (pop.status[ending] == UNEMPLOYED)
    passed = draw(rng, ending[active], t.pass_rate)
    pop.level[passed] = np.minimum(pop.level[passed] + 1, MAX_LEVEL)
    model.metrics.add_flow("new_trained", passed)
    certified = draw(rng, passed, t.certification_rate)
    pop.certified[certified] = True
    model.metrics.add_flow("new_certified", certified)

    status = pop.status
    cand = sample_rows(rng, pop.n, float(monthly(t.experience_rate)))
    learned = cand[(pop.job[cand] >= 0) & (pop.job[cand] < NON_DIGITAL_JOB) & (pop.level[cand] < MAX_LEVEL)]
    pop.level[learned] += 1
    model.metrics.add_flow("new_experience_gains", learned)

    cand = sample_rows(rng, pop.n, float(monthly(t.take_up_rate)))
    st = status[cand]
    considering = cand[
        ((st == EMPLOYED) | (st == UNEMPLOYED))
        & (pop.training_left[cand] == 0)
        & (pop.age_months[cand] < t.max_age * 12)
        & (pop.level[cand] < MAX_LEVEL)
    ]
    enrol = draw(rng, considering, enrolment_probability(model, considering))
    seats = t.seats_per_year / 12.0 / model.scale * np.array([r.spec.labour_force_share for r in model.regions])
    reg = pop.region[enrol]
    enrol = np.sort(np.concatenate([ration(rng, enrol[reg == r], seats[r]) for r in range(model.n_regions)]))
    no_field = enrol[pop.field[enrol] == NON_DIGITAL]
    if len(no_field):
        edu = model.spec.processes.education
        change = (expected_log_wages(model) - model.initial_log_wages)[0, : len(DIGITAL_FIELDS)]
        shares = np.array([model.spec.initial.field_shares[f] for f in DIGITAL_FIELDS])
        pop.field[no_field] = choose_fields(rng, len(no_field), shares, change, edu.wage_weight, edu.wage_noise_sd)
    pop.training_left[enrol] = t.duration_months
    model.metrics.add_flow("new_trainees", enrol)
