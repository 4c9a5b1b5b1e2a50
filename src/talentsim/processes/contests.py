"""Skills contests: levers' contests of the month lift winners a level and certify them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from talentsim.constants import EMPLOYED, ENTREPRENEUR, MAX_LEVEL, NON_DIGITAL_JOB

if TYPE_CHECKING:
    from talentsim.effects import ContestOffer
    from talentsim.model import TalentModel


def hold_contest(model: TalentModel, contest: ContestOffer) -> None:
    """Hold a lever's skills contests: draw contestants, lift winners a level.

    Contestants are drawn at random among digital talent (employed in digital jobs or founding
    startups) at ``min_level`` or above, each region's pool with chance contestants / pool (all
    of it when smaller); a ``winner_share`` of them below the top level gain a level and a
    certificate. The contestants by region are reported on the offer (the lever pays for them).
    """
    pop = model.pop
    rng = model.stream(contest.stream)
    talent = np.flatnonzero(pop.level >= contest.min_level)
    st, job = pop.status[talent], pop.job[talent]
    talent = talent[((st == EMPLOYED) & (job >= 0) & (job < NON_DIGITAL_JOB)) | (st == ENTREPRENEUR)]
    region = pop.region[talent]
    pool = np.bincount(region, minlength=model.n_regions)
    seats = contest.contestants / model.scale
    p = np.divide(seats, pool, out=np.zeros(model.n_regions), where=pool > 0)
    contestants = talent[rng.random(len(talent)) < np.minimum(p[region], 1.0)]
    winners = contestants[rng.random(len(contestants)) < contest.winner_share]
    winners = winners[pop.level[winners] < MAX_LEVEL]
    pop.level[winners] += 1
    pop.certified[winners] = True
    model.metrics.add_flow("new_competition_winners", winners)
    contest.participants = np.bincount(pop.region[contestants], minlength=model.n_regions)


def step(model: TalentModel) -> None:
    """Hold the skills contests the levers announced this month (:func:`hold_contest`)."""
    for contest in model.fx.contests:
        hold_contest(model, contest)
