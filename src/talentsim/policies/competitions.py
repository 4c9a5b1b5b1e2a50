"""重点任务 6 技能竞赛: digital skills competitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from talentsim.constants import MAX_LEVEL
from talentsim.effects import ContestOffer, Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
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
    in ``month`` each year the lever announces the contests in the month's effects; the contests
    process holds them: contestants are drawn at random among digital talent (employed in
    digital jobs or founding startups) at ``min_level`` or above; a ``winner_share`` of them
    gain a level and a certificate. Cost: ``cost_per_participant`` per contestant.
    """

    name = "competitions"
    spec_class = CompetitionsSpec
    clause = "重点任务 6"
    title_zh = "数字职业技术技能竞赛活动"
    title_en = "Digital skills competitions"
    neutral: ClassVar[Mapping[str, Any]] = {"participants_per_year": 0.0}
    first_outcome = FirstOutcome(
        "mean_level",
        "last",
        scale=2000.0,
        overrides={"participants_per_year": 5_000_000.0},
        note="of digital talent, checked at 5 M contestants a year: the default is too small to see at test scale",
    )
    unit_costs = (
        UnitCost("cost_per_participant", "guess", "200-3,000", "organisation, prizes and travel per contestant"),
    )
    contest: ContestOffer | None = None  # this month's contests, once announced

    def apply(self, fx: Effects) -> None:
        """Announce the contests of the month (held by the contests process)."""
        s: CompetitionsSpec = self.spec  # type: ignore[assignment]
        self.contest = None
        if self.model.calendar_month != s.month or s.participants_per_year <= 0:
            return
        self.contest = ContestOffer(
            lever=self.name,
            contestants=self.by_labour_force(s.participants_per_year) * 12,
            min_level=s.min_level,
            winner_share=s.winner_share,
            stream=self.stream,
        )
        fx.contests.append(self.contest)

    def settle(self) -> None:
        """Pay for this month's contestants."""
        s: CompetitionsSpec = self.spec  # type: ignore[assignment]
        contest = self.contest
        if contest is None or contest.participants is None or s.cost_per_participant <= 0:
            return
        self.charge(contest.participants * self.model.scale * s.cost_per_participant)


register_lever(Competitions)
