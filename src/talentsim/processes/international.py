"""International flows: emigration, returns, outbound students and foreign arrivals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import (
    ABROAD,
    DIGITAL_FIELDS,
    EMPLOYED,
    FOREIGN,
    NON_DIGITAL,
    PROGRAMMES,
    RETURNEE,
    UNEMPLOYED,
)
from talentsim.rates import monthly, ration, sample_rows, thin_by_region

if TYPE_CHECKING:
    from talentsim.model import TalentModel

# Digital level of an outbound student in a digital field, drawn uniformly from 3..5 (guess).
OUTBOUND_LEVELS = (3, 6)


def assign_outbound_skills(model: TalentModel, rows: np.ndarray, field_p: np.ndarray, rng: np.random.Generator) -> None:
    """Give persons going (or gone) abroad a field and level.

    A digital field with chance ``outbound_digital_share`` (then a level of 3 to 5), else
    non-digital with level 0.
    """
    pop = model.pop
    share = model.spec.processes.international.outbound_digital_share
    digital = rng.random(len(rows)) < share
    pop.field[rows] = np.where(digital, rng.choice(len(DIGITAL_FIELDS), size=len(rows), p=field_p), NON_DIGITAL)
    pop.level[rows] = np.where(digital, rng.integers(*OUTBOUND_LEVELS, size=len(rows)), 0)


def send_outbound(model: TalentModel, graduates: np.ndarray) -> np.ndarray:
    """Send this June's outbound students abroad from the undergraduates graduating; return the rest.

    ``outbound_per_year`` go abroad a year, by region in proportion to students, chosen at random
    among the undergraduate ``graduates`` of the region who are not continuing their studies at
    home (all of them when fewer). They leave the domestic pipeline: they do not enter the
    labour market, and they join the pool abroad with the field they studied; a digital one
    comes back with at least a level of 3 to 5 (a master's abroad; guess), a non-digital one at
    level 0. Called by the education process at graduation when the international process is on.
    """
    it = model.spec.processes.international
    if it.outbound_per_year <= 0 or len(graduates) == 0:
        return graduates
    pop = model.pop
    rng = model.stream("outbound")
    ug = graduates[pop.programme[graduates] == PROGRAMMES.index("undergraduate")]
    shares = np.array([r.spec.student_share for r in model.regions])
    capacity = it.outbound_per_year * shares / model.scale
    region = pop.region[ug]
    going = np.sort(np.concatenate([ration(rng, ug[region == r], capacity[r]) for r in range(model.n_regions)]))
    if len(going) == 0:
        return graduates
    digital = going[pop.field[going] < NON_DIGITAL]
    pop.level[digital] = np.maximum(pop.level[digital], rng.integers(*OUTBOUND_LEVELS, size=len(digital)))
    pop.programme[going] = -1
    pop.study_months[going] = 0
    pop.set_status(going, ABROAD)
    model.metrics.add_flow("new_outbound", going)
    return np.setdiff1d(graduates, going, assume_unique=True)


def step(model: TalentModel) -> None:
    """International flows of the month.

    - Emigration: employed and unemployed high-level talent leave at the monthly hazard of
      ``emigration_rate`` (minus any retention incentive of their region) and join the pool
      abroad.
    - Returns: each person abroad returns at the monthly hazard of ``return_rate``, unemployed
      in their home region, marked as a returnee.
    - Outbound students leave at graduation (June), from the domestic pipeline: see
      :func:`send_outbound`, called by the education process.
    - Foreign arrivals: ``foreign_per_year`` / 12 a month, digital talent at
      ``foreign_level``, unemployed in regions in proportion to digital jobs.
    """
    it = model.spec.processes.international
    pop = model.pop
    rng = model.stream("international")
    status = pop.status
    ini = model.spec.initial
    field_p = np.array([ini.field_shares[f] for f in DIGITAL_FIELDS])

    fx = model.fx
    cand = sample_rows(rng, pop.n, float(monthly(it.return_rate)) * fx.return_factor)
    returning = cand[status[cand] == ABROAD]
    cand = sample_rows(rng, pop.n, float(monthly(it.emigration_rate)) * fx.emigration_factor.max())
    st = status[cand]
    leaving = cand[((st == EMPLOYED) | (st == UNEMPLOYED)) & (pop.level[cand] >= model.spec.high_level_threshold)]
    leaving = thin_by_region(rng, leaving, pop.region[leaving], fx.emigration_factor)
    pop.leave_job(leaving)
    pop.set_status(leaving, ABROAD)
    model.metrics.add_flow("new_emigrants", leaving)

    pop.set_status(returning, UNEMPLOYED)
    pop.origin[returning] = RETURNEE
    model.metrics.add_flow("new_returnees", returning)

    shares = np.array([r.spec.digital_job_share for r in model.regions])
    n = model.agents_from_real(it.foreign_per_year / 12.0 * shares + fx.extra_foreign, "international")
    for r in range(model.n_regions):
        k = int(n[r])
        rows = pop.add(
            k,
            UNEMPLOYED,
            region=r,
            age_months=rng.integers(25 * 12, 45 * 12, size=k),
            field=rng.choice(len(DIGITAL_FIELDS), size=k, p=field_p),
            level=it.foreign_level,
            origin=FOREIGN,
        )
        model.metrics.add_flow("new_foreign", rows)
