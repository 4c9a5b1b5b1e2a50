"""Training: course completion, certification and enrolment of workers and the unemployed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import (
    BAND_OF_LEVEL,
    DIGITAL_FIELDS,
    EMPLOYED,
    MAX_LEVEL,
    NON_DIGITAL,
    NON_DIGITAL_JOB,
    UNEMPLOYED,
    qualified_job,
)
from talentsim.processes import contests
from talentsim.processes.education import choose_fields, expected_log_wages
from talentsim.rates import draw, monthly, ration_quota, sample_rows, thin_by_region

if TYPE_CHECKING:
    from talentsim.effects import CourseOffer
    from talentsim.model import TalentModel

# Yuan that one unit of the logit index stands for in the enrolment choice (a units choice).
YUAN_PER_UTILITY = 10_000.0


def expected_gain(model: TalentModel, rows: np.ndarray) -> np.ndarray:
    """Expected gain in annual wage, yuan, from one more level.

    The wage the person would expect after the course minus their wage now. The wage after is
    the offer of the job cell they would qualify for at the next level times their pay factor
    there (:meth:`TalentModel.pay_factor`: the level premium within a band and the certificate
    premium), so a level gained within a band is worth its level premium. Persons with no
    digital field choose one only when they enrol; until then they expect the junior digital
    offer averaged over the fields they would choose (the probabilities of
    :func:`field_choice_probabilities`), at level 1. The wage now is the current wage of the
    employed and, for the unemployed, the offer of the cell they search in times their pay
    factor there.
    """
    pop = model.pop
    offers = model.wage_offers()
    region = pop.region[rows]
    level = pop.level[rows]
    field = pop.field[rows]
    certified = pop.certified[rows]
    now = qualified_job(field, level)
    current = offers[region, now] * model.pay_factor(now, level, certified)
    employed = (pop.status[rows] == EMPLOYED) & (pop.job[rows] >= 0)
    current[employed] = model.wages_of(rows[employed])

    level_after = np.minimum(level + 1, MAX_LEVEL).astype(np.int8)
    no_field = field == NON_DIGITAL
    field_after = np.where(no_field, 0, field).astype(np.int8)
    after_cell = qualified_job(field_after, level_after)
    after = offers[region, after_cell] * model.pay_factor(after_cell, level_after, certified)
    if no_field.any():
        shares = np.array([model.spec.initial.field_shares[f] for f in DIGITAL_FIELDS])
        p = field_choice_probabilities(model, shares)
        r, lv, cert = region[no_field], level_after[no_field], certified[no_field]
        expected = np.zeros(int(no_field.sum()))
        for f in range(len(DIGITAL_FIELDS)):
            cell = qualified_job(np.full(len(lv), f, dtype=np.int8), lv)
            expected += p[f] * offers[r, cell] * model.pay_factor(cell, lv, cert)
        after[no_field] = expected
    return 12.0 * (after - current)


def field_choice_probabilities(model: TalentModel, shares: np.ndarray) -> np.ndarray:
    """Chance of each digital field in :func:`_choose_digital_field` with size term ``shares``.

    The logit probabilities of :func:`~talentsim.processes.education.choose_fields` at the
    month's wage changes and wage-information noise.
    """
    edu = model.spec.processes.education
    change = (expected_log_wages(model) - model.initial_log_wages)[0, : len(DIGITAL_FIELDS)]
    noise = edu.wage_noise_sd * model.fx.wage_noise_factor
    with np.errstate(divide="ignore"):
        v = np.log(shares) + edu.wage_weight / (1.0 + noise**2) * change
    e = np.exp(v - v.max())
    return e / e.sum()


def net_private_cost(model: TalentModel, rows: np.ndarray) -> np.ndarray:
    """Private cost of a course, yuan, net of subsidies, for each person in ``rows``.

    The scenario's private cost, times the region's cost factor (open training resources), less
    the scenario's subsidy and any policy subsidy for the band of the level the course leads to.
    """
    t = model.spec.processes.training
    fx = model.fx
    pop = model.pop
    region = pop.region[rows]
    band_after = BAND_OF_LEVEL[np.clip(pop.level[rows] + 1, 1, MAX_LEVEL)]
    cost = t.private_cost * fx.training_cost_factor[region] - t.subsidy - fx.training_subsidy[region, band_after]
    return np.maximum(cost, 0.0)


def enrolment_probability(model: TalentModel, rows: np.ndarray) -> np.ndarray:
    """Chance that a person considering training enrols.

    A binary logit on the expected annual wage gain minus the private cost net of subsidies
    (:func:`net_private_cost`), in units of ``YUAN_PER_UTILITY`` yuan, times ``gain_weight``.
    """
    t = model.spec.processes.training
    x = t.gain_weight * (expected_gain(model, rows) - net_private_cost(model, rows)) / YUAN_PER_UTILITY
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50, 50)))


def _complete(model: TalentModel, rng: np.random.Generator) -> None:
    """Courses lose a month; trainees at the end pass, gain levels and may certify.

    Each course type draws from its own stream (the regular course from the training stream), so
    a lever's course does not shift the draws of regular trainees: paired comparisons against
    the baseline stay on common random numbers.
    """
    t = model.spec.processes.training
    pop = model.pop
    courses = model.courses
    in_course = np.flatnonzero(pop.training_left > 0)
    tl = pop.training_left
    tl[in_course] -= 1
    ending = in_course[tl[in_course] == 0]
    active = (pop.status[ending] == EMPLOYED) | (pop.status[ending] == UNEMPLOYED)
    ending = ending[active]
    model.course_enders = ending  # read by migration: the end of a course prompts a look at other regions
    regular_cert = min(t.certification_rate + model.fx.certification_bonus, 1.0)
    course_of = pop.course[ending]
    for course in np.unique(course_of) if len(ending) else ():
        rows = ending[course_of == course]
        stream = rng if course == 0 else model.stream(f"course:{courses.names[course]}")
        passed = draw(stream, rows, courses.pass_rate[course])
        # a short course gives a first digital level only to some of those with none (every course:
        # composite upskilling too, so its effect per trainee stays in the evaluation literature's band)
        novice = pop.level[passed] == 0
        if novice.any():
            passed = np.sort(np.concatenate([passed[~novice], draw(stream, passed[novice], t.first_level_rate)]))
        pop.level[passed] = np.minimum(pop.level[passed] + courses.level_gain[course], MAX_LEVEL)
        pop.trained_region[passed] = pop.region[passed]  # a record for the regional metrics; nothing reads it
        model.metrics.add_flow("new_trained", passed)
        rate = courses.certification_rate[course]
        certified = draw(stream, passed, regular_cert if np.isnan(rate) else rate)
        pop.certified[certified] = True
        model.metrics.add_flow("new_certified", certified)


def _choose_digital_field(model: TalentModel, rows: np.ndarray, shares: np.ndarray, rng: np.random.Generator) -> None:
    """Persons with no digital field choose one for their course, as students do."""
    no_field = rows[model.pop.field[rows] == NON_DIGITAL]
    if len(no_field):
        edu = model.spec.processes.education
        change = (expected_log_wages(model) - model.initial_log_wages)[0, : len(DIGITAL_FIELDS)]
        noise = edu.wage_noise_sd * model.fx.wage_noise_factor
        model.pop.field[no_field] = choose_fields(rng, len(no_field), shares, change, edu.wage_weight, noise)


def _enrol(model: TalentModel, rows: np.ndarray, course: int) -> None:
    pop = model.pop
    pop.training_left[rows] = model.courses.duration[course]
    pop.course[rows] = course
    model.metrics.add_flow("new_trainees", rows)
    model.metrics.add_course_trainees(course, rows)


def _ration_by_region(
    model: TalentModel, rng: np.random.Generator, rows: np.ndarray, seats: np.ndarray, quota: str
) -> np.ndarray:
    """Applicants admitted within each region's monthly seats; unused seats carry over (``ration_quota``)."""
    return ration_quota(rng, rows, model.pop.region[rows], seats, model.open_places(quota))


def _fill_offer(model: TalentModel, offer: CourseOffer) -> None:
    """Enrol applicants in a lever's course, within its seats; report the enrolments on the offer."""
    pop = model.pop
    rng = model.stream(offer.stream)
    cand = sample_rows(rng, pop.n, offer.take_up)
    cand = cand[(pop.training_left[cand] == 0)]
    cand = cand[offer.eligibility.mask(pop, cand)]
    enrol = _ration_by_region(model, rng, cand, offer.seats / model.scale, f"course:{offer.lever}")
    if offer.field_choice is not None:
        _choose_digital_field(model, enrol, offer.field_choice, rng)
    _enrol(model, enrol, offer.course)
    offer.enrolled = np.bincount(pop.region[enrol], minlength=model.n_regions)


def step(model: TalentModel) -> None:
    """Advance courses, learn on the job, then enrol new trainees.

    - Courses in progress lose a month; at the end a trainee completes with the course's pass
      rate (``pass_rate`` for the regular course) and gains its levels (one for the regular
      course); a completer with no digital level reaches the first one only with chance
      ``first_level_rate`` (a short course rarely makes someone employable in a digital job:
      set so that effects per trainee fall in the band of training evaluations), then certifies
      with the course's rate (``certification_rate`` plus any policy bonus for the regular
      course; a certificate weights hiring chances and pays a premium).
    - Learning on the job: each employee in a digital job gains a level at the monthly hazard
      of ``experience_rate`` (no certificate). A simplification: one rate for all levels.
    - Employed and unemployed persons under ``max_age`` below the top level, not already
      training, consider training at the monthly hazard of ``take_up_rate`` (times any policy
      factor of their region) and enrol with :func:`enrolment_probability`. Persons with no digital field
      choose one as students do, with the digital talent's field mix as the size term.
      Enrolments are capped at each region's open seats: ``seats_per_year`` split by labour
      force share, plus policy seats, a twelfth each month, with unused seats carried over up
      to a year's worth (:func:`~talentsim.rates.ration_quota`); when oversubscribed, each
      applicant gets a seat with chance seats/applicants. The enrolments are reported in the
      month's effects (region and band of the level the course leads to) for subsidising
      levers to pay on.
    - Then the levers' own courses (engineer training, composite upskilling) fill their seats
      (enrolments reported on each offer), and the levers' skills contests are held
      (:mod:`~talentsim.processes.contests`).
    """
    t = model.spec.processes.training
    fx = model.fx
    pop = model.pop
    rng = model.stream("training")
    _complete(model, rng)

    status = pop.status
    cand = sample_rows(rng, pop.n, float(monthly(t.experience_rate)))
    learned = cand[(pop.job[cand] >= 0) & (pop.job[cand] < NON_DIGITAL_JOB) & (pop.level[cand] < MAX_LEVEL)]
    pop.level[learned] += 1
    model.metrics.add_flow("new_experience_gains", learned)

    take_up = fx.training_take_up_factor
    cand = sample_rows(rng, pop.n, float(monthly(t.take_up_rate)) * take_up.max())
    cand = thin_by_region(rng, cand, pop.region[cand], take_up)
    st = status[cand]
    considering = cand[
        ((st == EMPLOYED) | (st == UNEMPLOYED))
        & (pop.training_left[cand] == 0)
        & (pop.age_months[cand] < t.max_age * 12)
        & (pop.level[cand] < MAX_LEVEL)
    ]
    enrol = draw(rng, considering, enrolment_probability(model, considering))
    lf_share = np.array([r.spec.labour_force_share for r in model.regions])
    seats = (t.seats_per_year / 12.0 * lf_share + fx.extra_training_seats) / model.scale
    enrol = _ration_by_region(model, rng, enrol, seats, "training")
    shares = np.array([model.spec.initial.field_shares[f] for f in DIGITAL_FIELDS])
    _choose_digital_field(model, enrol, shares, rng)
    _enrol(model, enrol, 0)
    fx.regular_enrolled_region = pop.region[enrol].astype(np.int64)
    fx.regular_enrolled_band = BAND_OF_LEVEL[np.clip(pop.level[enrol] + 1, 1, MAX_LEVEL)].astype(np.int64)

    for offer in fx.course_offers:
        _fill_offer(model, offer)
    contests.step(model)
