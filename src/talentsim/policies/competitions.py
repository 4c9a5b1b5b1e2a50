"""重点任务 6 技能竞赛: digital skills competitions."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from talentsim.constants import EMPLOYED, ENTREPRENEUR, MAX_LEVEL, NON_DIGITAL_JOB
from talentsim.policies.base import Lever, LeverSpec, Yuan
from talentsim.policies.effects import Effects
from talentsim.schema import Count, Rate


class CompetitionsSpec(LeverSpec):
    """Yearly digital skills contests."""

    type: Literal["competitions"]
    participants_per_year: Count = Field(500_000, description="contestants a year, national (guess)")
    month: int = Field(10, ge=1, le=12, description="calendar month of the yearly contests (guess)")
    min_level: int = Field(2, ge=1, le=MAX_LEVEL, description="lowest level that competes (guess)")
    winner_share: Rate = Field(0.1, description="share of contestants who win a level and a certificate (guess)")
    cost_per_participant: Yuan = Field(1_000, description="public cost per contestant, yuan (guess)")


class Competitions(Lever):
    """Yearly contests that lift winners a level and make them visible.

    Plan clause: 重点任务 (六) 开展数字职业技术技能竞赛活动 — national and regional digital skills
    competitions; winners may be promoted a skill level or given titles.

    Units: contestants a year nationally, split by labour force over covered regions. Mechanism:
    in ``month`` each year, contestants are drawn at random among digital talent (employed in
    digital jobs or founding startups) at ``min_level`` or above; a ``winner_share`` of them
    gain a level and a certificate. Cost: ``cost_per_participant`` per contestant.
    """

    name = "competitions"

    def apply(self, fx: Effects) -> None:
        """Hold the contests in their month."""
        s: CompetitionsSpec = self.spec  # type: ignore[assignment]
        m = self.model
        if m.calendar_month != s.month or s.participants_per_year <= 0:
            return
        pop = m.pop
        rng = m.stream(self.stream)
        talent = np.flatnonzero(pop.level >= s.min_level)
        st, job = pop.status[talent], pop.job[talent]
        talent = talent[((st == EMPLOYED) & (job >= 0) & (job < NON_DIGITAL_JOB)) | (st == ENTREPRENEUR)]
        seats = self.by_labour_force(s.participants_per_year) * 12 / m.scale
        region = pop.region[talent]
        pool = np.bincount(region, minlength=m.n_regions)
        p = np.divide(seats, pool, out=np.zeros(m.n_regions), where=pool > 0)
        contestants = talent[rng.random(len(talent)) < np.minimum(p[region], 1.0)]
        winners = contestants[rng.random(len(contestants)) < s.winner_share]
        winners = winners[pop.level[winners] < MAX_LEVEL]
        pop.level[winners] += 1
        pop.certified[winners] = True
        m.metrics.add_flow("new_competition_winners", winners)
        if s.cost_per_participant > 0:
            self.charge(np.bincount(pop.region[contestants], minlength=m.n_regions) * m.scale * s.cost_per_participant)
