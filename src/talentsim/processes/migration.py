"""Migration: workers reconsider their region by a multinomial logit, at random and after events."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import EMPLOYED, UNEMPLOYED, qualified_job
from talentsim.processes.search import region_values
from talentsim.rates import monthly, sample_rows

if TYPE_CHECKING:
    from talentsim.model import TalentModel


def utilities(model: TalentModel, rows: np.ndarray, moving_cost: float | None = None) -> np.ndarray:
    """Utility of each region for each person, shape (persons, regions).

    ``V_r = wage_weight * ln(offer_r) + job_weight * finding_rate_r + amenity_r
    - cost_weight * cost_of_living_r + hukou_weight * hukou_openness_r
    + talent_incentive_r * [high-level] - moving_cost * [r != current region]``,
    where offer and finding rate are those of the job cell the person qualifies for (the
    finding rate is the matching function's, :func:`talentsim.processes.matching.finding_rates`).
    ``moving_cost`` defaults to the scenario's; policy (personnel-file services) may lower it.
    """
    mig = model.spec.processes.migration
    pop = model.pop
    q = qualified_job(pop.field[rows], pop.level[rows])
    offers = np.log(model.wage_offers())[:, q].T
    finding = np.stack([r.finding_rate for r in model.regions])[:, q].T
    fixed = region_values(model)
    incentive = model.fx.talent_incentive
    high = pop.level[rows] >= model.spec.high_level_threshold
    v = mig.wage_weight * offers + mig.job_weight * finding + fixed[None, :] + high[:, None] * incentive[None, :]
    cost = max((mig.moving_cost if moving_cost is None else moving_cost) - model.fx.moving_cost_reduction, 0.0)
    v -= cost
    v[np.arange(len(rows)), pop.region[rows]] += cost
    return v


def relocate(model: TalentModel, rows: np.ndarray, rng: np.random.Generator, moving_cost: float | None = None) -> None:
    """Let persons ``rows`` (not employed) choose a region by the logit; count the movers."""
    if len(rows) == 0:
        return
    pop = model.pop
    choice = choose(rng, utilities(model, rows, moving_cost), model.spec.processes.migration.sigma)
    moved = choice != pop.region[rows]
    move(model, rows[moved], choice[moved])


def move(model: TalentModel, movers: np.ndarray, destination: np.ndarray) -> None:
    """Change movers' region.

    Counts migrants where they leave (``new_migrants``), and arrivals (``new_arrivals``) and
    high-level arrivals where they arrive.
    """
    if len(movers) == 0:
        return
    pop = model.pop
    model.metrics.add_flow("new_migrants", movers)
    pop.set_region(movers, destination)
    model.metrics.add_flow("new_arrivals", movers)
    model.metrics.add_flow("new_high_level_arrivals", movers[pop.level[movers] >= model.spec.high_level_threshold])


def choice_probabilities(v: np.ndarray, sigma: float) -> np.ndarray:
    """Logit probabilities ``exp(V_j / sigma) / sum_k exp(V_k / sigma)`` per row."""
    z = v / sigma
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def choose(rng: np.random.Generator, v: np.ndarray, sigma: float) -> np.ndarray:
    """Each person's choice: argmax of ``V / sigma + Gumbel``.

    That is the logit of :func:`choice_probabilities`, so ``ln(P_j / P_k) = (V_j - V_k) / sigma``.
    """
    return (v / sigma + rng.gumbel(size=v.shape)).argmax(axis=1).astype(np.int8)


def event_lookers(model: TalentModel) -> np.ndarray:
    """Unemployed persons whom an event prompts to look at other regions this month.

    Those whose course ended this month (``model.course_enders``, kept by the training
    process) and those whose unemployment spell has just reached a multiple of
    ``long_spell_months``. Graduates look when they graduate (education process).
    """
    mig = model.spec.processes.migration
    pop = model.pop
    ended = model.course_enders
    ended = ended[pop.status[ended] == UNEMPLOYED]
    if mig.long_spell_months > 0:
        unemployed = model.unemployed_at_matching  # after separations; kept by matching this month
        if unemployed is None:  # matching is off
            unemployed = np.flatnonzero(pop.status == UNEMPLOYED)
        unemployed = unemployed[pop.status[unemployed] == UNEMPLOYED]
        spell = pop.months_in_state[unemployed]
        long_spell = unemployed[(spell > 0) & (spell % mig.long_spell_months == 0)]
        ended = np.union1d(ended, long_spell)
    return ended


def step(model: TalentModel) -> None:
    """Reconsider regions: at random, and after events.

    Each employed or unemployed person reconsiders their region at the monthly hazard of
    ``reconsider_rate`` and picks a region by the logit over :func:`utilities`. A mover who
    had a job leaves it and searches in the new region (these background moves stand for
    reasons outside the model, such as family; moves for a job are made in matching, with the
    job in hand).

    Events prompt a look as well (:func:`event_lookers`, when ``event_moves`` is on): the
    unemployed whose course has just ended and those whose unemployment spell reaches
    ``long_spell_months`` (and every multiple of it) choose a region by the same logit;
    graduates do so when they graduate (with ``graduate_moving_cost``).
    """
    mig = model.spec.processes.migration
    pop = model.pop
    rng = model.stream("migration")
    cand = sample_rows(rng, pop.n, float(monthly(mig.reconsider_rate)))
    st = pop.status[cand]
    reconsider = cand[(st == EMPLOYED) | (st == UNEMPLOYED)]
    looked = reconsider
    if len(reconsider):
        choice = choose(rng, utilities(model, reconsider), mig.sigma)
        movers = reconsider[choice != pop.region[reconsider]]
        new_region = choice[choice != pop.region[reconsider]]
        was_employed = movers[pop.status[movers] == EMPLOYED]
        pop.leave_job(was_employed)
        pop.set_status(was_employed, UNEMPLOYED)
        move(model, movers, new_region)
    if mig.event_moves:
        # one look a month: those who reconsidered at random this month do not look again
        lookers = event_lookers(model)
        if np.any(lookers[1:] <= lookers[:-1]):
            lookers = np.unique(lookers)
        lookers = lookers[~np.isin(lookers, looked)]  # np.setdiff1d(lookers, looked) without its sorts
        relocate(model, lookers, model.stream("migration_events"))
