"""重点任务 2 数字技能提升行动: the digital skills upgrading campaign."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from talentsim.effects import Effects
from talentsim.policies.base import FirstOutcome, Lever, LeverSpec, UnitCost, Yuan
from talentsim.policies.registry import register_lever
from talentsim.schema import Count, Rate


class SkillsUpgradeSpec(LeverSpec):
    """Cheaper training through open online resources, work-study seats, more certification."""

    type: Literal["skills_upgrade"]
    cost_reduction: Rate = Field(0.3, description="share of the private course cost removed by open resources (guess)")
    extra_seats_per_year: Count = Field(1_000_000, description="work-study (工学一体化) seats a year, national (guess)")
    certification_bonus: Rate = Field(
        0.1, description="added chance a completer certifies (new eight-level ladder; guess)"
    )
    cost_per_seat: Yuan = Field(3_000, description="public cost per extra seat, yuan (guess)")


class SkillsUpgrade(Lever):
    """More and cheaper digital skills training, and more certification.

    Plan clause: 重点任务 (二) 推进数字技能提升行动 — open sharing of digital training resources on
    internet platforms, the integrated work-study training model, and the "new eight-level"
    (新八级工) vocational skill ladder.

    Units: ``cost_reduction`` a share of the private course cost; ``extra_seats_per_year`` seats
    a year nationally (split over covered regions by labour force); ``certification_bonus`` an
    added probability. Mechanism: the training choice sees a lower private cost, the regional
    seat caps rise, and completers certify more often. Cost: ``cost_per_seat`` per extra seat
    offered.
    """

    name = "skills_upgrade"
    spec_class = SkillsUpgradeSpec
    clause = "重点任务 2"
    title_zh = "数字技能提升行动"
    title_en = "Digital skills upgrading"
    neutral: ClassVar[Mapping[str, Any]] = {
        "cost_reduction": 0.0,
        "extra_seats_per_year": 0.0,
        "certification_bonus": 0.0,
    }
    first_outcome = FirstOutcome(
        "new_trainees",
        "sum",
        note="completions gaining a level are few and noisy: most trainees have no digital skill and reach a "
        "first level with chance `first_level_rate`",
    )
    unit_costs = (
        UnitCost("cost_per_seat", "guess", "1,000-5,000", "from the junior subsidy cap to a short course's full fee"),
    )

    def apply(self, fx: Effects) -> None:
        """Lower the private cost, add seats and raise certification."""
        s: SkillsUpgradeSpec = self.spec  # type: ignore[assignment]
        fx.training_cost_factor *= self.factor(1.0 - s.cost_reduction)
        seats = self.by_labour_force(s.extra_seats_per_year)
        fx.extra_training_seats += seats
        fx.certification_bonus += s.certification_bonus
        if s.cost_per_seat > 0 and np.any(seats > 0):
            self.charge(seats * s.cost_per_seat)


register_lever(SkillsUpgrade)
