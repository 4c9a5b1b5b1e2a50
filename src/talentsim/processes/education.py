"""Education: dropout, graduation and intake of tertiary students."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import (
    BAND_OF_LEVEL,
    DIGITAL_FIELDS,
    ENTRY_AGE,
    FIELDS,
    MAX_LEVEL,
    N_BANDS,
    NON_DIGITAL,
    NON_DIGITAL_JOB,
    PROGRAMME_YEARS,
    PROGRAMMES,
    STUDENT,
    UNEMPLOYED,
)
from talentsim.rates import draw, monthly, stochastic_round

if TYPE_CHECKING:
    from talentsim.agents import University
    from talentsim.model import TalentModel

GRADUATION_MONTH = 6
INTAKE_MONTH = 9
# A top-up student joins an undergraduate cohort two years from graduating: in June, 3 months
# before its third year starts, i.e. 12 * 2 - 3 months into the four-year programme.
TOP_UP_STUDY_MONTHS = 21


def expected_log_wages(model: TalentModel) -> np.ndarray:
    """National mean log wage offer a new graduate of each field can expect, by programme.

    Shape (programmes, fields): digital fields at the band of the programme's graduation level,
    non-digital at the non-digital offer.
    """
    edu = model.spec.processes.education
    offers = np.log(model.wage_offers()).mean(axis=0)
    out = np.empty((len(PROGRAMMES), len(FIELDS)))
    for p, prog in enumerate(PROGRAMMES):
        band = BAND_OF_LEVEL[edu.graduation_level[prog]]
        out[p, :NON_DIGITAL] = offers[np.arange(len(DIGITAL_FIELDS)) * N_BANDS + band]
        out[p, NON_DIGITAL] = offers[NON_DIGITAL_JOB]
    return out


def choose_fields(
    rng: np.random.Generator,
    n: int,
    seat_shares: np.ndarray,
    log_wage_change: np.ndarray,
    wage_weight: float,
    noise_sd: float,
) -> np.ndarray:
    """Each student's field: the argmax of ``ln(seat share) + wage_weight * k * dw + G``.

    ``dw`` is the change of the field's expected log wage since January 2024 and ``G`` a
    standard Gumbel taste shock, so at 2024 wages the choice shares are the seat shares and they
    tilt towards fields whose wages rise. Students see ``dw`` through noise of s.d.
    ``noise_sd`` (in units of the typical change, taken as one); reading the signal as a
    Bayesian would (signal extraction) scales their response by ``k = 1 / (1 + noise_sd**2)``.
    Better wage information (a smaller ``noise_sd``) thus makes students respond more to wage
    changes without changing the shares when wages have not moved. A simplification: every
    student gets the same attenuation rather than an error of their own.
    """
    if n == 0:
        return np.empty(0, dtype=np.int8)
    response = wage_weight / (1.0 + noise_sd**2)
    with np.errstate(divide="ignore"):
        base = np.log(seat_shares) + response * log_wage_change
    return (base[None, :] + rng.gumbel(size=(n, len(base)))).argmax(axis=1).astype(np.int8)


def grant_graduation_level(model: TalentModel, rows: np.ndarray, programme: str, rng: np.random.Generator) -> None:
    """Set the digital level of graduates ``rows`` of ``programme`` who studied a digital field.

    The programme's level, plus a level with chance ``teaching_quality`` and another with
    chance ``partnership_share`` of the graduate's university group, each raised by the
    levers' bonuses the graduate was exposed to while studying
    (:meth:`~talentsim.model.TalentModel.study_exposure`). Also used to give the initial
    postgraduate and top-up cohorts the level of their first degree (:mod:`talentsim.world`).
    """
    edu = model.spec.processes.education
    pop = model.pop
    digital = rows[pop.field[rows] < NON_DIGITAL]
    if len(digital) == 0:
        return
    unis = {(u.region, u.programme): u for u in model.universities}
    p_index = PROGRAMMES.index(programme)
    quality = np.array(
        [
            unis[(r, p_index)].teaching_quality if (r, p_index) in unis else edu.teaching_quality[programme]
            for r in range(model.n_regions)
        ]
    )
    partner = np.array(
        [
            unis[(r, p_index)].partnership_share if (r, p_index) in unis else edu.partnership_share
            for r in range(model.n_regions)
        ]
    )
    reg = pop.region[digital]
    quality_bonus, partner_bonus = model.study_exposure(digital)
    quality = np.minimum(quality[reg] + quality_bonus, 1.0)
    partner = np.minimum(partner[reg] + partner_bonus, 1.0)
    gain = (rng.random(len(digital)) < quality).astype(np.int8) + (rng.random(len(digital)) < partner)
    new_level = np.maximum(pop.level[digital], edu.graduation_level[programme] + gain)
    pop.level[digital] = np.minimum(new_level, MAX_LEVEL)


def step(model: TalentModel) -> None:
    """Dropout every month; graduation in June; intake in September.

    - Dropout: each student leaves at the monthly hazard of ``dropout_rate`` and enters the
      labour market unemployed with no digital level.
    - Graduation (June): students in the last year of their programme graduate with a digital
      level (for digital fields): the programme's level, +1 with chance teaching quality,
      +1 with chance partnership share. A share of undergraduate graduates, up to the
      postgraduate seats of their region, continue to a postgraduate programme (they stay
      students); a share ``top_up_share`` of vocational graduates continue to a two-year
      undergraduate top-up programme (专升本; they graduate again, and are counted again, two
      years later, as the published graduate figures count them); when the international
      process is on, ``outbound_per_year`` undergraduate graduates go abroad to study
      (:func:`~talentsim.processes.international.send_outbound`); the rest search for work,
      in a region they choose by the migration logit with the lower ``graduate_moving_cost``
      (when migration is on; moves count as migrants).
    - Intake (September): each vocational and undergraduate university group admits its seats
      (growing at ``intake_growth`` a year); every entrant chooses a field by
      :func:`choose_fields`.
    """
    edu = model.spec.processes.education
    pop = model.pop
    rng = model.stream("education")
    students = np.flatnonzero(pop.status == STUDENT)
    sm = pop.study_months
    sm[students] += 1

    dropped = draw(rng, students, float(monthly(edu.dropout_rate)))
    dropped = dropped[sm[dropped] > 0]
    if len(dropped):
        pop.level[dropped] = 0
        pop.field[dropped] = NON_DIGITAL
        pop.programme[dropped] = -1
        pop.set_status(dropped, UNEMPLOYED)
        model.metrics.add_flow("new_dropouts", dropped)

    month = model.calendar_month
    if month == GRADUATION_MONTH:
        _graduate(model, rng)
    if month == INTAKE_MONTH:
        years_on = model.year - 2024
        for uni in model.universities:
            if PROGRAMMES[uni.programme] == "postgraduate":
                continue
            seats = uni.seats_per_year * (1 + edu.intake_growth) ** (years_on + 1)
            shares = np.asarray(uni.field_seat_shares)
            growth = model.fx.digital_seat_growth[uni.region]
            if growth != 0.0:
                # extra digital seats: total intake and the digital fields' shares both rise
                digital = shares[:NON_DIGITAL].sum()
                extra = seats * digital * growth
                shares = np.append(shares[:NON_DIGITAL] * (1 + growth), shares[NON_DIGITAL]) / (1 + digital * growth)
                seats += extra
                model.metrics.add_count("new_extra_digital_seats", np.eye(model.n_regions)[uni.region] * extra)
            _admit(model, uni, int(stochastic_round(seats, rng)), shares, rng)


def _admit(model: TalentModel, uni: University, k: int, shares: np.ndarray, rng: np.random.Generator) -> None:
    edu = model.spec.processes.education
    prog = PROGRAMMES[uni.programme]
    fields = choose_fields(
        rng,
        k,
        shares,
        expected_log_wages(model)[uni.programme] - model.initial_log_wages[uni.programme],
        edu.wage_weight,
        edu.wage_noise_sd * model.fx.wage_noise_factor,
    )
    rows = model.pop.add(
        k, STUDENT, region=uni.region, age_months=ENTRY_AGE[prog] * 12, programme=uni.programme, field=fields
    )
    model.metrics.add_flow("new_students", rows)


def _graduate(model: TalentModel, rng: np.random.Generator) -> None:
    pop = model.pop
    students = np.flatnonzero(pop.status == STUDENT)
    years = np.array([PROGRAMME_YEARS[p] for p in PROGRAMMES])
    prog = pop.programme[students]
    done = students[pop.study_months[students] >= 12 * (years[prog] - 1) + 9]
    if len(done) == 0:
        return
    for p, name in enumerate(PROGRAMMES):
        grant_graduation_level(model, done[pop.programme[done] == p], name, rng)
    model.metrics.add_flow("new_graduates", done)
    model.metrics.add_flow("new_digital_graduates", done[pop.field[done] < NON_DIGITAL])

    # Continuation to postgraduate study, up to each region's postgraduate seats.
    ug = done[pop.programme[done] == PROGRAMMES.index("undergraduate")]
    pg_unis = [u for u in model.universities if PROGRAMMES[u.programme] == "postgraduate"]
    growth = (1 + model.spec.processes.education.intake_growth) ** (model.year - 2024 + 1)
    seats = np.zeros(model.n_regions)
    for u in pg_unis:
        seats[u.region] += u.seats_per_year * growth
    k = stochastic_round(seats, rng)
    shuffled = ug[rng.permutation(len(ug))]
    reg = pop.region[shuffled]
    order = np.argsort(reg, kind="stable")
    shuffled, reg = shuffled[order], reg[order]
    starts = np.searchsorted(reg, reg, side="left")
    rank = np.arange(len(shuffled)) - starts
    cont = shuffled[rank < k[reg]]
    pop.programme[cont] = PROGRAMMES.index("postgraduate")
    pop.study_months[cont] = -3  # starts at 0 in September
    leaving = np.setdiff1d(done, cont, assume_unique=True)
    top_up = model.spec.processes.education.top_up_share
    if top_up > 0:
        # Vocational graduates continuing to a two-year undergraduate top-up programme (专升本):
        # they finish with the four-year cohort that is two years from graduating.
        vocational = leaving[pop.programme[leaving] == PROGRAMMES.index("vocational")]
        going_on = vocational[rng.random(len(vocational)) < top_up]
        pop.programme[going_on] = PROGRAMMES.index("undergraduate")
        pop.study_months[going_on] = TOP_UP_STUDY_MONTHS
        leaving = np.setdiff1d(leaving, going_on, assume_unique=True)
    if model.spec.processes.international.enabled:
        from talentsim.processes.international import send_outbound

        leaving = send_outbound(model, leaving)
    pop.programme[leaving] = -1
    pop.study_months[leaving] = 0
    pop.set_status(leaving, UNEMPLOYED)
    mig = model.spec.processes.migration
    if mig.enabled:
        from talentsim.processes.migration import relocate

        relocate(model, leaving, model.stream("migration"), mig.graduate_moving_cost)
